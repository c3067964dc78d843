//! Guessing a text's language from how well each grammar parses it: for hosts that hold text
//! without a file name (the playground's editor, a paste, standard input) and want to tell the
//! user "this does not parse as Java; it reads as Python" instead of showing no findings.
//!
//! The measure is the number of syntax errors tree-sitter reports (`ERROR` nodes and `MISSING`
//! tokens) when the text is parsed as each language. It is cheap (one parse per language, no
//! units, no matching) and honest about its limits: short texts parse in several languages, so
//! [`Language::guess`] only answers when one language is strictly better than the others, and
//! callers pass the language they already have so a tie keeps it.

use super::Language;

/// Texts longer than this are judged on their first bytes only (cut at a line end): the answer
/// is the same for real code, and a guess must stay cheap on a large file.
pub const GUESS_PREFIX: usize = 16 * 1024;

impl Language {
    /// Number of syntax errors (`ERROR` nodes plus `MISSING` tokens) in `text` parsed as this
    /// language; 0 for text the grammar accepts. `None` only if the parser gave up (it has no
    /// timeout here, so in practice never).
    pub fn syntax_errors(self, text: &str) -> Option<usize> {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&self.grammar()).ok()?;
        let tree = parser.parse(text, None)?;
        let root = tree.root_node();
        if !root.has_error() {
            return Some(0);
        }
        // Iterative walk, skipping subtrees without errors (deep nesting costs no stack).
        let mut errors = 0;
        let mut cursor = root.walk();
        'walk: loop {
            let node = cursor.node();
            if node.is_error() || node.is_missing() {
                errors += 1;
            }
            if node.has_error() && !node.is_error() && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        Some(errors)
    }

    /// Every language with its syntax error count for `text` (judged on its first
    /// [`GUESS_PREFIX`] bytes), fewest errors first; ties in [`Language::ALL`] order.
    pub fn rank_by_syntax(text: &str) -> Vec<(Language, usize)> {
        let text = prefix(text);
        let mut ranked: Vec<(Language, usize)> = Language::ALL
            .iter()
            .filter_map(|&l| l.syntax_errors(text).map(|e| (l, e)))
            .collect();
        ranked.sort_by_key(|&(_, e)| e);
        ranked
    }

    /// The language `text` parses best in, when that is not `current`: `None` when `current`
    /// parses it without errors, when `current` has as few errors as the best, or when the best
    /// is tied with another language (no clear answer). A language of the same family as
    /// `current` (TypeScript for JavaScript, C++ for C…) is only proposed if it is strictly
    /// better, like any other.
    pub fn guess(text: &str, current: Option<Language>) -> Option<Language> {
        if let Some(c) = current {
            if c.syntax_errors(prefix(text)) == Some(0) {
                return None;
            }
        }
        let ranked = Language::rank_by_syntax(text);
        let &(best, fewest) = ranked.first()?;
        let tied = ranked.iter().filter(|&&(_, e)| e == fewest).count();
        let current_errors = current.and_then(|c| ranked.iter().find(|(l, _)| *l == c));
        match current_errors {
            Some(&(_, e)) if e <= fewest => None,
            _ if tied > 1 => None,
            _ => Some(best),
        }
    }
}

/// The text cut to at most [`GUESS_PREFIX`] bytes, at the last line end before the limit.
fn prefix(text: &str) -> &str {
    if text.len() <= GUESS_PREFIX {
        return text;
    }
    let mut end = GUESS_PREFIX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(nl) => &text[..nl + 1],
        None => &text[..end],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAVA: &str = "import java.security.MessageDigest;\n\nclass Hasher {\n    // Prüfsumme ✓\n    byte[] digest(byte[] data) throws Exception {\n        return MessageDigest.getInstance(\"MD5\").digest(data);\n    }\n}\n";
    const PYTHON: &str = "import hashlib\n\ndef digest(data: bytes) -> str:\n    \"\"\"Prüfsumme ✓\"\"\"\n    for i in range(3):\n        data = hashlib.md5(data).digest()\n    return data.hex()\n";
    const GO: &str = "package main\n\nimport \"crypto/md5\"\n\nfunc digest(data []byte) [16]byte {\n\t// Prüfsumme ✓\n\treturn md5.Sum(data)\n}\n";

    #[test]
    fn clean_text_has_no_errors_and_foreign_text_has_some() {
        assert_eq!(Language::Java.syntax_errors(JAVA), Some(0));
        assert_eq!(Language::Python.syntax_errors(PYTHON), Some(0));
        assert!(Language::Python.syntax_errors(JAVA).unwrap() > 0);
        assert!(Language::Java.syntax_errors(PYTHON).unwrap() > 0);
        assert!(Language::Python.syntax_errors(GO).unwrap() > 0);
    }

    #[test]
    fn guess_names_the_language_a_mislabelled_text_is_written_in() {
        assert_eq!(
            Language::guess(JAVA, Some(Language::Python)),
            Some(Language::Java)
        );
        assert_eq!(
            Language::guess(PYTHON, Some(Language::Java)),
            Some(Language::Python)
        );
        assert_eq!(
            Language::guess(GO, Some(Language::Rust)),
            Some(Language::Go)
        );
        assert_eq!(Language::guess(GO, None), Some(Language::Go));
    }

    #[test]
    fn guess_keeps_the_current_language_when_it_parses_or_ties() {
        assert_eq!(Language::guess(JAVA, Some(Language::Java)), None);
        // Plain C parses as C and as C++: no reason to switch either way.
        let c = "#include <stdio.h>\nint main(void) { puts(\"é\"); return 0; }\n";
        assert_eq!(Language::guess(c, Some(Language::C)), None);
        assert_eq!(Language::guess(c, Some(Language::Cpp)), None);
        // Text every grammar accepts (empty) gives no answer.
        assert_eq!(Language::guess("", None), None);
    }

    #[test]
    fn long_texts_are_judged_on_a_prefix_cut_at_a_line_end() {
        let mut text = String::new();
        while text.len() < 3 * GUESS_PREFIX {
            text.push_str(PYTHON);
        }
        let cut = prefix(&text);
        assert!(cut.len() <= GUESS_PREFIX && cut.ends_with('\n'));
        assert_eq!(
            Language::guess(&text, Some(Language::Java)),
            Some(Language::Python)
        );
        // A multi-byte character at the limit does not split.
        let wide = "é".repeat(GUESS_PREFIX);
        assert!(prefix(&wide).len() <= GUESS_PREFIX);
    }
}
