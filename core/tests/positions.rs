//! `Document::position_of` (line and byte column of a byte offset, found through the syntax
//! tree) equals counting the text's newlines, at every offset: inside tokens, between the
//! statements of a long module, in blank lines, comments and broken code, with non-ASCII text,
//! and after edits.

use codetable::{Document, Language, Position};
use proptest::prelude::*;

fn naive(text: &str, offset: usize) -> Position {
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count();
    let column = match before.iter().rposition(|&b| b == b'\n') {
        Some(nl) => offset - nl - 1,
        None => offset,
    };
    Position {
        line: line as u32,
        column: column as u32,
    }
}

fn check(doc: &Document) {
    let text = doc.text();
    for offset in 0..=text.len() {
        assert_eq!(
            doc.position_of(offset),
            naive(text, offset),
            "offset {offset} of {text:?}"
        );
    }
    // Past the end: the end.
    assert_eq!(doc.position_of(text.len() + 5), naive(text, text.len()));
}

const SAMPLES: &[(Language, &str)] = &[
    (
        Language::Python,
        "import hashlib\n\n\nh0 = hashlib.md5(b\"x\")\nh1 = hashlib.md5(b\"é\")  # commentaire ünïcode\n\n\
         def f(a,\n      b):\n    \"\"\"doc\n    string\"\"\"\n    return a  \n\n\n   \nclass C:\n    pass\n",
    ),
    (
        Language::JavaScript,
        "const a = 1;\r\n\r\n/* multi\n line 😀 comment */\nfunction f() {\n  return `t\n${a}`;\n}\n\n\nlet b = (\n",
    ),
    (
        Language::C,
        "#include <stdio.h>\n#define M(x) \\\n  strcpy(x, \"é\")\n\nint main(void) {\n\tchar b[4];\n\n\tM(b);\n}\n",
    ),
    (Language::Rust, ""),
    (Language::Go, "\n\n\n"),
];

#[test]
fn position_of_equals_counting_newlines_at_every_offset() {
    for (lang, code) in SAMPLES {
        let doc = Document::new(*lang, *code).expect("parses");
        check(&doc);
    }
}

#[test]
fn position_of_after_edits() {
    let (lang, code) = SAMPLES[0];
    let mut doc = Document::new(lang, code).expect("parses");
    doc.edit(15, 15, "x = 1\n\n# ñ\n").expect("edits");
    check(&doc);
    let end = doc.text().len();
    doc.edit(end, end, "\n\ndef g():\n    return 'ü'\n")
        .expect("edits");
    check(&doc);
    doc.edit(0, 20, "").expect("edits");
    check(&doc);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn position_of_on_generated_modules(lines in proptest::collection::vec(
        prop_oneof![
            Just(""), Just("   "), Just("x = 1"), Just("y = f(x, \"é\")"), Just("# ünï"),
            Just("def g():"), Just("    return 2"), Just("s = '''a"), Just("b'''"), Just("(")
        ],
        0..40,
    )) {
        let code = lines.join("\n");
        let doc = Document::new(Language::Python, code.as_str()).expect("parses");
        check(&doc);
    }
}
