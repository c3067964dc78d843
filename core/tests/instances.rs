//! Design-pattern instances through the public API: every participant's finding lists the
//! whole instance, `InstanceView` groups them with the pattern's summary, and a host's offsets
//! of non-ASCII documents convert per document.

use codetable::project::design::DesignProject;
use codetable::{Engine, InstanceView, Language, OffsetUnit, PatternDb};

fn observer() -> (Engine, DesignProject) {
    let engine = Engine::new(PatternDb::default_catalog());
    engine.select(&["design.gof.observer".into()], &[]).unwrap();
    let mut p = DesignProject::new();
    p.set_document(
        &engine,
        "Listener.java",
        Language::Java,
        "// écouteur 😀\ninterface Listener { void fired(); }\n",
    )
    .unwrap();
    p.set_document(
        &engine,
        "Log.java",
        Language::Java,
        "class Log implements Listener { public void fired() {} }\n",
    )
    .unwrap();
    p.set_document(
        &engine,
        "Button.java",
        Language::Java,
        "class Button {\n  java.util.List<Listener> ls;\n  void on(Listener l) { ls.add(l); } void off(Listener l) { ls.remove(l); }\n  void click() { for (Listener l : ls) l.fired(); }\n}\n",
    )
    .unwrap();
    (engine, p)
}

#[test]
fn every_participant_lists_the_whole_instance() {
    let (engine, p) = observer();
    let found = p.findings(&engine).unwrap();
    assert_eq!(found.len(), 3);
    let instance = found[0].instance.clone().unwrap();
    for f in &found {
        assert_eq!(f.instance.as_ref(), Some(&instance));
        let roles: Vec<&str> = f.participants.iter().map(|q| q.role.as_str()).collect();
        assert_eq!(roles, ["observer", "subject", "concrete-observer"]);
        // The participant standing for this finding is in the list, by id.
        let me = f.participants.iter().find(|q| q.finding == f.id).unwrap();
        assert_eq!(Some(&me.role), f.role.as_ref());
        assert_eq!(me.path, f.path);
        assert_eq!((me.line, me.byte_start), (f.line, f.byte_start));
    }
    // The JSON carries them; a finding without an instance has none.
    let json: serde_json::Value = serde_json::from_str(&found[1].to_json()).unwrap();
    assert_eq!(json["participants"][2]["unit"], "Log");
    assert_eq!(json["participants"][0]["path"], "Listener.java");
    assert_eq!(json["participants"][0]["line"], 2);
}

#[test]
fn instance_views_name_pattern_summary_and_participants() {
    let (engine, p) = observer();
    let views = p.instances(&engine).unwrap();
    assert_eq!(views.len(), 1);
    let v = &views[0];
    assert_eq!(v.pattern, "design.gof.observer");
    assert!(!v.summary.is_empty());
    assert_eq!(v.participants.len(), 3);
    assert_eq!(
        v.participant_at("Button.java", 3).map(|q| q.role.as_str()),
        Some("subject")
    );
    assert!(v.participant_at("Button.java", 9).is_none());
    // Round trip through serde, as hosts receive it.
    let back: InstanceView = serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap();
    assert_eq!(&back, v);
}

#[test]
fn offsets_convert_per_document_in_the_hosts_unit() {
    let (engine, p) = observer();
    let views = p.instances(&engine).unwrap();
    let listener = &views[0].participants[0];
    let text = p.text("Listener.java").unwrap();
    let prefix = &text[..listener.byte_start];
    assert_eq!(
        p.to_host("Listener.java", listener.byte_start, OffsetUnit::Utf16),
        Some(prefix.encode_utf16().count())
    );
    assert_eq!(
        p.to_host("Listener.java", listener.byte_start, OffsetUnit::CodePoint),
        Some(prefix.chars().count())
    );
    assert_ne!(prefix.len(), prefix.chars().count());
    assert_eq!(p.to_host("Gone.java", 0, OffsetUnit::Utf16), None);
}

#[test]
fn removing_a_participant_dissolves_the_instance_and_replacing_restores_it() {
    let (engine, mut p) = observer();
    // Without its concrete observer the instance keeps its two required roles.
    assert!(p.remove_document("Log.java"));
    let views = p.instances(&engine).unwrap();
    assert_eq!(views[0].participants.len(), 2);
    assert!(!p.remove_document("Log.java"));
    assert!(p.remove_document("Listener.java"));
    assert!(p.instances(&engine).unwrap().is_empty());
    p.set_document(
        &engine,
        "Log.java",
        Language::Java,
        "class Log implements Listener { public void fired() {} }\n",
    )
    .unwrap();
    p.set_document(
        &engine,
        "Listener.java",
        Language::Java,
        "interface Listener { void fired(); }\n",
    )
    .unwrap();
    assert_eq!(p.instances(&engine).unwrap()[0].participants.len(), 3);
    assert_eq!(
        p.paths().collect::<Vec<_>>(),
        ["Button.java", "Listener.java", "Log.java"]
    );
}

#[test]
fn the_instance_schema_is_json() {
    let schema: serde_json::Value = serde_json::from_str(codetable::view::INSTANCE_SCHEMA).unwrap();
    assert_eq!(schema["required"][2], "participants");
}

#[test]
fn a_rebuilt_project_finds_the_same() {
    let (engine, mut p) = observer();
    let before = p.findings(&engine).unwrap();
    p.rebuild();
    assert_eq!(p.findings(&engine).unwrap(), before);
    assert_eq!(p.paths().count(), 3);
}

#[test]
fn positions_count_the_hosts_unit_per_document() {
    let (_, p) = observer();
    let byte = p.text("Listener.java").unwrap().find("Listener").unwrap();
    let at = p
        .position("Listener.java", byte, OffsetUnit::Utf16)
        .unwrap();
    assert_eq!((at.line, at.column), (1, 10));
    // "// écouteur 😀": past the emoji is byte 17, UTF-16 unit 14, code point 13.
    let past = p.position("Listener.java", 17, OffsetUnit::Utf16).unwrap();
    assert_eq!((past.line, past.column), (0, 14));
    let past = p
        .position("Listener.java", 17, OffsetUnit::CodePoint)
        .unwrap();
    assert_eq!((past.line, past.column), (0, 13));
    assert!(p.position("Gone.java", 0, OffsetUnit::Utf16).is_none());
}
