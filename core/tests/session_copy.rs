//! `Session::try_clone`: a copy analysed on its own gives what the original gives, and edits to
//! one never reach the other (a language server analyses a copy while keystrokes reach the
//! original).

use codetable::{Engine, Language, OffsetUnit, PatternDb, Session};

fn ids(s: &Session) -> Vec<(usize, usize, u32)> {
    let mut v: Vec<_> = s
        .matches()
        .unwrap()
        .unwrap_or_default()
        .iter()
        .map(|m| (m.byte_range.start, m.byte_range.end, m.pattern))
        .collect();
    v.sort();
    v
}

#[test]
fn a_copy_is_analysed_like_the_original_and_edits_stay_apart() {
    let engine = Engine::new(PatternDb::default_catalog());
    let text = "import hashlib\n# ü😀\nh = hashlib.sha256(b'é')\n";
    let mut original = Session::new(Language::Python, text, OffsetUnit::Utf16).unwrap();
    original.analyze_delta(&engine).unwrap();
    // Pending edits travel with the copy: "md5" typed over "sha256" (UTF-16 offsets).
    let at = text.find("sha256").unwrap() - 3; // "ü" and "😀": 1 and 2 units, 2 and 4 bytes
    original.edit(at, at + 6, "md5").unwrap();
    let mut copy = original.try_clone().unwrap();
    assert!(copy.has_pending_edits());
    assert_eq!(copy.text(), original.text());
    copy.analyze_delta(&engine).unwrap();
    // The original, analysed separately, agrees with the copy.
    let mut reference = original.try_clone().unwrap();
    reference.analyze_delta(&engine).unwrap();
    assert_eq!(ids(&copy), ids(&reference));
    let md5 = engine.db().find("Md").unwrap().unwrap().0;
    assert!(ids(&copy).iter().any(|m| m.2 == md5), "{:?}", ids(&copy));
    // Edits to the original do not reach the copy, and the original still analyses right.
    original.edit(0, 0, "é = 1\n").unwrap();
    assert!(!copy.has_pending_edits());
    assert!(copy.text().starts_with("import"));
    original.analyze_delta(&engine).unwrap();
    let fresh = {
        let mut s = Session::new(Language::Python, original.text(), OffsetUnit::Utf16).unwrap();
        s.analyze_delta(&engine).unwrap();
        ids(&s)
    };
    assert_eq!(ids(&original), fresh);
    // The copy goes on by itself too.
    copy.edit(0, 0, "x = 2\n").unwrap();
    copy.analyze_delta(&engine).unwrap();
    let fresh = {
        let mut s = Session::new(Language::Python, copy.text(), OffsetUnit::Utf16).unwrap();
        s.analyze_delta(&engine).unwrap();
        ids(&s)
    };
    assert_eq!(ids(&copy), fresh);
}
