//! The suppression comment a host writes (`profile::suppression_comment`, in the language's
//! line-comment syntax from `Language::line_comment`) is the one the profile reads
//! (`profile::suppressions`), in every language, with non-ASCII reasons and text.

use codetable::profile::{suppression_comment, suppressions};
use codetable::{Document, Language};

/// One statement on its own line in each language, with non-ASCII text, inside a function where
/// the language needs one.
fn snippet(language: Language) -> (&'static str, &'static str, &'static str) {
    match language {
        Language::Python => ("", "h = md5(b'é')\n", ""),
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            ("", "const h = md5('é');\n", "")
        }
        Language::Java => (
            "class A {\n  void f() {\n",
            "    String h = md5(\"é\");\n",
            "  }\n}\n",
        ),
        Language::Kotlin => ("fun f() {\n", "    val h = md5(\"é\")\n", "}\n"),
        Language::Go => ("package p\n\nfunc f() {\n", "\th := md5(\"é\")\n", "}\n"),
        Language::Rust => ("fn f() {\n", "    let h = md5(\"é\");\n", "}\n"),
        Language::C | Language::Cpp => ("void f(void) {\n", "    h = md5(\"é\");\n", "}\n"),
    }
}

#[test]
fn what_hosts_write_is_what_the_profile_reads_in_every_language() {
    for language in Language::ALL {
        let (before, code, after) = snippet(language);
        let indent: String = code.chars().take_while(|c| c.is_whitespace()).collect();
        let comment =
            suppression_comment(language, &["Md", "security.weak-hash"], Some("naïve 日本"));
        assert!(comment.starts_with(language.line_comment()), "{comment}");
        let text = format!("{before}{indent}{comment}\n{code}{after}");
        let doc = Document::new(language, text.as_str()).unwrap();
        let found = suppressions(&doc);
        assert_eq!(found.len(), 1, "{}: {text}", language.name());
        let s = &found[0];
        assert_eq!(
            s.selectors,
            ["Md", "security.weak-hash"],
            "{}",
            language.name()
        );
        assert_eq!(
            s.reason.as_deref(),
            Some("naïve 日本"),
            "{}",
            language.name()
        );
        assert_eq!(
            s.line as usize,
            before.lines().count() + 1,
            "{}",
            language.name()
        );
        // It covers the statement on the next line.
        let at = text.find(code.trim()).unwrap();
        assert!(
            s.covers.contains(&at),
            "{}: {:?} in {text}",
            language.name(),
            s.covers
        );

        // Without selectors or a reason: every pattern, on its own line too.
        let bare = suppression_comment(language, &[], None);
        let text = format!("{before}{indent}{bare}\n{code}{after}");
        let doc = Document::new(language, text.as_str()).unwrap();
        let found = suppressions(&doc);
        assert_eq!(found.len(), 1, "{}: {text}", language.name());
        assert!(found[0].selectors.is_empty() && found[0].reason.is_none());
    }
}
