//! Autofix through the public API: rules' `fix` templates reach matches and finding records,
//! fixes apply to a text (first of overlapping ones wins), stay right when a session shifts
//! them, and `fixed` examples are checked by re-scanning.

use codetable::catalog::Catalog;
use codetable::examples::check_examples;
use codetable::{
    build_database, fix, Document, Engine, Language, OffsetUnit, PatternDb, PatternSheet, Session,
};

const YAML: &str = "import yaml\n\n# café ☕\ndef read(f):\n    return yaml.load(f)\n";

fn default_engine() -> Engine {
    Engine::new(PatternDb::default_catalog())
}

#[test]
fn a_catalog_fix_reaches_the_match_and_the_record() {
    let engine = default_engine();
    let doc = Document::new(Language::Python, YAML).unwrap();
    let matches = engine.analyze(&doc).unwrap();
    let (n, _) = engine
        .db()
        .by_id("security.deserialization.yaml-load")
        .unwrap()
        .unwrap();
    let m = matches.iter().find(|m| m.pattern == n).expect("a finding");
    let f = m.fix.as_ref().expect("a fix");
    assert_eq!(f.byte_range, m.byte_range);
    assert_eq!(f.replacement, "yaml.safe_load(f)");
    let session = Session::from_document(
        Document::new(Language::Python, YAML).unwrap(),
        OffsetUnit::Utf16,
    );
    let sheet = PatternSheet::new(n, &engine.db().pattern(n).unwrap());
    let record = session.record(m, &sheet, Some("a.py"));
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(json["fix"]["replacement"], "yaml.safe_load(f)");
    assert_eq!(json["fix"]["byte_start"], YAML.find("yaml.load").unwrap());
    let fixes: Vec<_> = matches.iter().filter_map(|m| m.fix.clone()).collect();
    let out = fix::apply(Language::Python, YAML, &fixes).unwrap();
    assert_eq!(out.text, YAML.replace("yaml.load(f)", "yaml.safe_load(f)"));
    assert!(out.parses);
}

#[test]
fn a_name_reached_through_an_import_alias_gets_no_fix() {
    let engine = default_engine();
    let src = "import hashlib as h\nd = h.md5(b'é').hexdigest()\nimport hashlib\ne = hashlib.md5(b'x', b'y')\n";
    let doc = Document::new(Language::Python, src).unwrap();
    let matches = engine.analyze(&doc).unwrap();
    let (n, _) = engine
        .db()
        .by_id("security.weak-hash.md5")
        .unwrap()
        .unwrap();
    let mine: Vec<_> = matches.iter().filter(|m| m.pattern == n).collect();
    assert_eq!(mine.len(), 2);
    assert!(mine[0].fix.is_none(), "h.md5 reached through an alias");
    assert_eq!(
        mine[1].fix.as_ref().unwrap().replacement,
        "hashlib.sha256(b'x', b'y')"
    );
}

#[test]
fn a_fix_shifts_with_an_edit_in_another_unit() {
    let engine = default_engine();
    let src = "import yaml\n\ndef other():\n    pass\n\ndef read(f):\n    return yaml.load(f)\n";
    let mut s = Session::new(Language::Python, src, OffsetUnit::Utf16).unwrap();
    s.analyze(&engine).unwrap();
    let at = s.text_offset("pass").unwrap();
    s.edit(at, at, "x = 'naïve 😀'\n    ").unwrap();
    s.analyze_delta(&engine).unwrap();
    let text = s.text().to_string();
    let m = s
        .matches()
        .unwrap()
        .unwrap()
        .iter()
        .find(|m| m.fix.is_some())
        .cloned()
        .unwrap();
    let f = m.fix.unwrap();
    assert_eq!(&text[f.byte_range.clone()], "yaml.load(f)");
    let fresh = engine
        .analyze(&Document::new(Language::Python, text.as_str()).unwrap())
        .unwrap();
    assert!(fresh.iter().any(|x| x.fix.as_ref() == Some(&f)));
}

fn user_pattern(rule_fix: &str, fixed: &str) -> String {
    format!(
        r#"
id = "team.none-compare"
symbol = "Nc"
name = "Comparison with None by equality"
group = "idiom"
severity = "low"
languages = ["python"]
summary = "x == None instead of x is None."

[[rules]]
language = "python"
pattern = "$X == None"
fix = "{rule_fix}"

[[examples]]
language = "python"
expect = "match"
code = "if naïve == None:\n    pass\n"
fixed = "{fixed}"
"#
    )
}

fn failures(src: &str) -> Vec<String> {
    let catalog = Catalog::from_user_sources([("team.toml", src)]).unwrap();
    let engine = Engine::new(PatternDb::from_bytes(build_database(&catalog).unwrap()).unwrap());
    let (n, _) = engine.db().by_id("team.none-compare").unwrap().unwrap();
    check_examples(&engine, n)
        .unwrap()
        .iter()
        .map(|f| f.to_string())
        .collect()
}

#[test]
fn fixed_examples_are_checked_by_rescanning() {
    let ok = user_pattern("$X is None", "if naïve is None:\\n    pass\\n");
    assert_eq!(failures(&ok), Vec::<String>::new());
    let wrong_text = user_pattern("$X is None", "if naïve is not None:\\n    pass\\n");
    assert!(failures(&wrong_text)[0].contains("`fixed` says"));
    let still_matches = user_pattern("$X == None", "if naïve == None:\\n    pass\\n");
    assert!(failures(&still_matches)[0].contains("still matches"));
    let broken = user_pattern("$X is (", "if naïve is (:\\n    pass\\n");
    assert!(failures(&broken)[0].contains("does not parse"));
}

#[test]
fn the_catalog_rejects_bad_fixes() {
    let unknown = user_pattern("$Y is None", "if naïve is None:\\n    pass\\n");
    let err = Catalog::from_user_sources([("team.toml", unknown.as_str())]).unwrap_err();
    assert!(err.to_string().contains("rules[0].fix"), "{err}");
    assert!(err.to_string().contains("$Y"), "{err}");
    let no_fix = user_pattern("$X is None", "x").replace("fix = \"$X is None\"\n", "");
    let err = Catalog::from_user_sources([("team.toml", no_fix.as_str())]).unwrap_err();
    assert!(err.to_string().contains("has a `fix`"), "{err}");
}
