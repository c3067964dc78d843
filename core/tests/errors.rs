//! Bad input: typed errors, nothing lost, no panics — out-of-range edits, non-boundary offsets,
//! invalid UTF-8, syntax errors, time budgets, and pathologically deep nesting.

use std::time::Duration;

use codetable::{Document, Error, Language, TextEdit, UnitKind};

#[test]
fn unknown_language() {
    assert!(matches!(Language::from_name("cobol"), Err(Error::UnknownLanguage(n)) if n == "cobol"));
    let msg = Language::from_name("cobol").unwrap_err().to_string();
    assert!(msg.contains("cobol") && msg.contains("python"), "{msg}");
}

#[test]
fn edits_out_of_range_leave_the_document_unchanged() {
    let mut doc = Document::new(Language::Python, "def f():\n    return 1\n").unwrap();
    let before = doc.units().to_vec();
    let len = doc.text().len();
    assert_eq!(
        doc.edit(len + 1, len + 1, "x"),
        Err(Error::EditOutOfRange {
            start: len + 1,
            end: len + 1,
            len
        })
    );
    assert_eq!(
        doc.edit(5, 3, "x"),
        Err(Error::EditOutOfRange {
            start: 5,
            end: 3,
            len
        })
    );
    // A batch whose second edit is bad applies nothing.
    let batch = [TextEdit::new(0, 0, "# c\n"), TextEdit::new(0, 10_000, "")];
    assert!(matches!(
        doc.edit_batch(&batch),
        Err(Error::EditOutOfRange { .. })
    ));
    assert_eq!(doc.text(), "def f():\n    return 1\n");
    assert_eq!(doc.units(), &before[..]);
    assert_eq!(doc.version(), 0);
}

#[test]
fn edits_inside_a_character_are_rejected() {
    let mut doc = Document::new(Language::Python, "s = '日本'\n").unwrap();
    assert_eq!(
        doc.edit(6, 6, "x"),
        Err(Error::NotCharBoundary { offset: 6 })
    );
    assert_eq!(
        doc.edit(5, 7, ""),
        Err(Error::NotCharBoundary { offset: 7 })
    );
    doc.edit(5, 8, "").unwrap();
    assert_eq!(doc.text(), "s = '本'\n");
}

#[test]
fn invalid_utf8_is_a_typed_error() {
    let bytes = b"def f():\n    return '\xff'\n";
    assert_eq!(
        Document::from_bytes(Language::Python, bytes).unwrap_err(),
        Error::InvalidUtf8 { valid_up_to: 21 }
    );
    let doc = Document::from_bytes(Language::Python, "x = 'é'\n".as_bytes()).unwrap();
    assert_eq!(doc.text(), "x = 'é'\n");
}

#[test]
fn syntax_errors_keep_the_valid_units() {
    let src = "def good(a):\n    return a\n\ndef broken(:\n    pass\n\nclass K:\n    def m(self):\n        return 1\n";
    let doc = Document::new(Language::Python, src).unwrap();
    assert!(doc.has_syntax_errors());
    let names: Vec<_> = doc.units().iter().map(|u| &*u.qualified_name).collect();
    assert!(names.contains(&"good"), "{names:?}");
    assert!(names.contains(&"K.m"), "{names:?}");
    let java = "class A { void ok() { int x = 1; } void bad( { } }";
    let doc = Document::new(Language::Java, java).unwrap();
    assert!(doc.units().iter().any(|u| &*u.qualified_name == "A.ok"));
}

#[test]
fn binary_looking_text_parses_without_panicking() {
    let junk: String = (0u32..4000)
        .filter_map(|i| char::from_u32((i * 7919) % 0x2FFF))
        .collect();
    for lang in Language::ALL {
        let doc = Document::new(lang, junk.as_str()).unwrap();
        assert_eq!(doc.units()[0].kind, UnitKind::Module);
    }
}

#[test]
fn a_parse_over_budget_is_a_typed_error_and_changes_nothing() {
    // A large file (within the default memory budget: 190,000 tokens) and a zero budget: the
    // parse is cancelled at its first progress check.
    let big = "def f(a):\n    return [a + 1 for a in range(10)]\n".repeat(10_000);
    let err =
        Document::with_time_budget(Language::Python, big.as_str(), Duration::ZERO).unwrap_err();
    assert_eq!(
        err,
        Error::ParseTimeout {
            budget: Duration::ZERO
        }
    );
    assert!(err.to_string().contains("time budget"));

    let mut doc =
        Document::with_time_budget(Language::Python, big.as_str(), Duration::from_secs(60))
            .unwrap();
    let units = doc.units().len();
    doc.set_time_budget(Some(Duration::ZERO));
    // A change that forces a large reparse.
    assert!(matches!(
        doc.edit(0, 0, "'''"),
        Err(Error::ParseTimeout { .. })
    ));
    assert_eq!(doc.text(), big);
    assert_eq!(doc.units().len(), units);
    doc.set_time_budget(None);
    doc.edit(0, 0, "# ok\n").unwrap();
    assert_eq!(doc.units().len(), units);
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    // 100,000 nested parentheses and lists; the walk is iterative, so depth costs only heap.
    let depth = 100_000;
    let cases = [
        (
            Language::Python,
            format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth)),
        ),
        (
            Language::Python,
            format!("x = {}1{}\n", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            Language::JavaScript,
            format!("let x = {}1{};\n", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            Language::C,
            format!("int x = {}1{};\n", "(".repeat(depth), ")".repeat(depth)),
        ),
    ];
    for (lang, src) in cases {
        let handle = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let mut doc = Document::new(lang, src.as_str()).unwrap();
                let hash = doc.module().fingerprint.hash;
                let mid = src.len() / 2;
                let mid = (mid..src.len())
                    .find(|&i| src.as_bytes()[i] == b'1')
                    .unwrap();
                doc.edit(mid, mid + 1, "2").unwrap();
                assert_eq!(
                    doc.module().fingerprint.hash,
                    hash,
                    "a literal change keeps the hash"
                );
                drop(doc);
            })
            .unwrap();
        handle.join().expect("deeply nested source must not crash");
    }
}
