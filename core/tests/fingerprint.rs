//! Finding fingerprints through the public API: kept by edits above a finding (lines shift,
//! units appear), changed by edits to the finding's own code, distinct for repeated code.

use codetable::{Engine, FindingRecord, Language, OffsetUnit, PatternDb, Session};

fn md5_records(engine: &Engine, text: &str) -> Vec<FindingRecord> {
    let mut s = Session::new(Language::Python, text, OffsetUnit::Byte).unwrap();
    let matches = s.analyze(engine).unwrap().to_vec();
    s.records(engine, &matches, Some("src/données.py"))
        .unwrap()
        .into_iter()
        .filter(|r| r.pattern == "security.weak-hash.md5")
        .collect()
}

const BEFORE: &str = "import hashlib\n\nclass Cache:\n    def clé(self, b):\n        return hashlib.md5(b).hexdigest()\n";

#[test]
fn edits_above_a_finding_keep_its_fingerprint() {
    let engine = Engine::new(PatternDb::default_catalog());
    let before = md5_records(&engine, BEFORE);
    assert_eq!(before.len(), 1, "{before:?}");
    let fp = &before[0].fingerprint;
    assert_eq!(fp.len(), 16);
    assert!(fp.chars().all(|c| c.is_ascii_hexdigit()));

    // Lines, a comment with non-ASCII text and a whole new function above it.
    let after = BEFORE.replace(
        "class Cache:\n",
        "# 日本語のコメント 😀\n\ndef other(x):\n    return x + 1\n\nclass Cache:\n    \"\"\"Caché.\"\"\"\n",
    );
    let moved = md5_records(&engine, &after);
    assert_eq!(moved.len(), 1);
    assert_ne!(moved[0].line, before[0].line, "the finding moved down");
    assert_eq!(&moved[0].fingerprint, fp, "lines above do not change it");

    // Re-wrapping the finding's own code keeps it as well.
    let wrapped = BEFORE.replace("hashlib.md5(b)", "hashlib.md5(\n            b)");
    assert_eq!(&md5_records(&engine, &wrapped)[0].fingerprint, fp);

    // Changing the finding's code makes it a new finding.
    let changed = BEFORE.replace("hashlib.md5(b)", "hashlib.md5(b + b'sel')");
    assert_ne!(&md5_records(&engine, &changed)[0].fingerprint, fp);
    // So does moving it to another unit.
    let renamed = BEFORE.replace("def clé", "def key");
    assert_ne!(&md5_records(&engine, &renamed)[0].fingerprint, fp);
}

#[test]
fn repeated_code_in_one_unit_has_distinct_fingerprints() {
    let engine = Engine::new(PatternDb::default_catalog());
    let text = "import hashlib\n\ndef two(b):\n    x = hashlib.md5(b)\n    y = hashlib.md5(b)\n    return x, y\n";
    let records = md5_records(&engine, text);
    assert_eq!(records.len(), 2, "{records:?}");
    assert_ne!(records[0].fingerprint, records[1].fingerprint);
    // The JSON carries it, and reads back.
    let back: FindingRecord = serde_json::from_str(&records[0].to_json()).unwrap();
    assert_eq!(back.fingerprint, records[0].fingerprint);
    assert!(records[0].to_json().contains("\"fingerprint\":\""));
}
