//! A suppression comment typed or deleted outside the code it covers (above a function the
//! edit does not touch) changes that code's findings at the next incremental analysis, as a
//! fresh analysis of the same text reports them.

use codetable::{Engine, Language, OffsetUnit, PatternDb, Profile, Session};

fn symbols(engine: &Engine, s: &Session) -> Vec<String> {
    s.matches()
        .unwrap()
        .unwrap()
        .iter()
        .map(|m| engine.sheet(m.pattern).unwrap().symbol.clone())
        .collect()
}

#[test]
fn a_suppression_above_an_untouched_function_applies_incrementally() {
    let engine = Engine::new(PatternDb::default_catalog());
    engine.set_profile(Some(Profile::default()));
    let text = "import hashlib\n\nx = 'é😀'\n\ndef f():\n    return hashlib.md5(b'')\n";
    let mut s = Session::new(Language::Python, text, OffsetUnit::Utf16).unwrap();
    s.analyze(&engine).unwrap();
    assert_eq!(symbols(&engine, &s), ["Md"]);
    let md5 = s.matches().unwrap().unwrap()[0].clone();

    // A comment on its own line after `x = …`, a blank line before `def`: it covers f.
    let at = s.text_offset("\n\ndef").unwrap() + 1;
    let comment = "# codetable: ignore[Md] -- checksum, naïve\n";
    s.edit(at, at, comment).unwrap();
    let changes = s.analyze_delta(&engine).unwrap();
    assert!(symbols(&engine, &s).is_empty());
    assert_eq!(changes.removed.len(), 1);
    assert_eq!(changes.removed[0].id, md5.id);
    assert!(changes.added.is_empty() && changes.updated.is_empty());
    let mut fresh = Session::new(Language::Python, s.text(), OffsetUnit::Utf16).unwrap();
    assert!(fresh.analyze(&engine).unwrap().is_empty());

    // Deleting it brings the finding back as added.
    let len = comment.encode_utf16().count();
    s.edit(at, at + len, "").unwrap();
    let changes = s.analyze_delta(&engine).unwrap();
    assert_eq!(symbols(&engine, &s), ["Md"]);
    assert_eq!(changes.added.len(), 1);
    assert_eq!(changes.added[0].byte_range, md5.byte_range);

    // An edit elsewhere stays incremental and changes nothing.
    let x = s.text_offset("x = ").unwrap();
    s.edit(x, x + 1, "y").unwrap();
    assert!(s.analyze_delta(&engine).unwrap().is_empty());
    assert_eq!(symbols(&engine, &s), ["Md"]);
}
