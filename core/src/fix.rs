//! Autofix: the edit a rule proposes for its match, and applying several edits to a text.
//!
//! This module owns the `fix` template language (metavariables of the rule's pattern
//! substituted by the code they bound), the edit a match carries ([`Fix`]: byte range +
//! replacement), applying non-overlapping edits to a text ([`apply`]: the first of two
//! overlapping edits wins, the others are reported), and the check that the fixed text still
//! parses. It writes no files and prints nothing: hosts translate (`scan --fix`, SARIF `fixes`,
//! a language server's quick fix).
//!
//! A fix template is code of the rule's language in which `$NAME` and `$$$NAME` stand for the
//! text a metavariable of the rule's `pattern` or `inside` bound (the whole sequence, from its
//! first node to its last, for `$$$NAME`; `$NAME` may also name a `$$$NAME`). A `$` not
//! followed by an uppercase letter (jQuery's `$(…)`, a shell `$1`) is literal. The replacement
//! takes the place of the whole match, as Semgrep's `fix:` and ast-grep's `fix:` do. A match
//! whose bindings lie outside its own bytes (a value that came through a local) gets no fix:
//! substituting code from elsewhere would move it.
//!
//! ```
//! use codetable::{fix, Document, Engine, Language, PatternDb};
//!
//! let engine = Engine::new(PatternDb::default_catalog());
//! let src = "import yaml\n\ndef read(f):\n    return yaml.load(f)\n";
//! let doc = Document::new(Language::Python, src)?;
//! let fixes: Vec<fix::Fix> = engine.analyze(&doc)?.into_iter().filter_map(|m| m.fix).collect();
//! let fixed = fix::apply(Language::Python, src, &fixes)?;
//! assert!(fixed.text.contains("yaml.safe_load(f)"));
//! assert!(fixed.parses && fixed.overlapping.is_empty());
//! # Ok::<(), codetable::Error>(())
//! ```

use std::ops::Range;

use crate::document::Document;
use crate::error::Result;
use crate::language::Language;
use crate::rule::Capture;

/// The edit a rule proposes for one match: replace `byte_range` of the document by
/// `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// Bytes replaced (the match's bytes).
    pub byte_range: Range<usize>,
    /// The new code.
    pub replacement: String,
}

/// A text after [`apply`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    /// The text with the applied fixes.
    pub text: String,
    /// Indices (into the fixes given) of the fixes applied, in the order given.
    pub applied: Vec<usize>,
    /// Indices of the fixes left out because they overlap a fix given before them (or their
    /// range is not on character boundaries of the text).
    pub overlapping: Vec<usize>,
    /// False when the fixed text has syntax errors that the original text did not have: a
    /// host must not write it.
    pub parses: bool,
}

/// One piece of a fix template: literal text or a metavariable reference.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    /// The name as written (`$X`, `$$$ARGS`).
    Var(&'t str),
}

/// Splits a template into literal text and metavariable references.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let bytes = template.as_bytes();
    let mut out = Vec::new();
    let mut lit = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let dollars = if bytes[i..].starts_with(b"$$$") { 3 } else { 1 };
        let name_start = i + dollars;
        let mut end = name_start;
        if end < bytes.len() && bytes[end].is_ascii_uppercase() {
            while end < bytes.len()
                && (bytes[end].is_ascii_uppercase()
                    || bytes[end].is_ascii_digit()
                    || bytes[end] == b'_')
            {
                end += 1;
            }
        }
        if end == name_start {
            // A literal `$` (or `$$$` not followed by a name).
            i += dollars;
            continue;
        }
        if lit < i {
            out.push(Piece::Text(&template[lit..i]));
        }
        out.push(Piece::Var(&template[i..end]));
        lit = end;
        i = end;
    }
    if lit < template.len() {
        out.push(Piece::Text(&template[lit..]));
    }
    out
}

/// The metavariables a fix template names, as written, in order of first appearance.
pub fn template_metavariables(template: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for p in pieces(template) {
        if let Piece::Var(v) = p {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// Whether metavariable `written` (from a fix template) refers to a binding named `key`
/// (`$X` to `$X`; `$$$A` to `$$$A`; `$A` also to `$$$A`).
pub(crate) fn refers_to(written: &str, key: &str) -> bool {
    written == key || (!written.starts_with("$$$") && key.strip_prefix("$$") == Some(written))
}

/// `template` with each metavariable replaced by the text `captures` bound to it; `None` when
/// one is not bound.
///
/// A `$$$` metavariable bound to nothing takes one list separator with it: the `, ` after it,
/// or else the `, ` before it (`f($$$ARGS, x)` renders `f(x)`, not `f(, x)`).
pub fn render(template: &str, captures: &[Capture]) -> Option<String> {
    let pieces = pieces(template);
    let mut texts: Vec<&str> = Vec::with_capacity(pieces.len());
    let mut empty_lists = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        match p {
            Piece::Text(t) => texts.push(t),
            Piece::Var(v) => {
                let c = captures.iter().find(|c| refers_to(v, &c.name))?;
                if c.name.starts_with("$$$") && c.text.is_empty() {
                    empty_lists.push(i);
                }
                texts.push(&c.text);
            }
        }
    }
    for i in empty_lists {
        let sep = |t: &str| [", ", ","].into_iter().find(|s| t.starts_with(s));
        if let Some(s) = texts
            .get(i + 1)
            .copied()
            .and_then(|t| sep(t.trim_start_matches(' ')))
        {
            let next = texts[i + 1];
            let skip = next.len() - next.trim_start_matches(' ').len() + s.len();
            texts[i + 1] = &next[skip..];
        } else if i > 0 {
            let prev = texts[i - 1].trim_end_matches(' ');
            if let Some(cut) = prev.strip_suffix(',') {
                texts[i - 1] = cut;
            }
        }
    }
    Some(texts.concat())
}

/// The identifier-like words of a template's literal text.
fn words(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for p in pieces(template) {
        if let Piece::Text(t) = p {
            out.extend(
                t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')),
            );
        }
    }
    out
}

/// The fix of a match of `pattern` over `byte_range` of `text` with `captures`: `None` when a
/// metavariable the template names is unbound or bound to code outside the match, or when a
/// name that the fix takes from the pattern (`yaml` of `yaml.load` → `yaml.safe_load`) is not
/// in the matched code: the match then reached the name through an import alias
/// (`from yaml import load`), and the fix's spelling would not resolve.
pub(crate) fn for_match(
    template: &str,
    pattern: &str,
    text: &str,
    byte_range: &Range<usize>,
    captures: &[Capture],
) -> Option<Fix> {
    let code = text.get(byte_range.clone())?;
    let code_words = words(code);
    let pattern_words = words(pattern);
    for w in words(template) {
        if pattern_words.contains(&w) && !code_words.contains(&w) {
            return None;
        }
    }
    for v in template_metavariables(template) {
        let c = captures.iter().find(|c| refers_to(v, &c.name))?;
        if c.byte_range.start < byte_range.start || c.byte_range.end > byte_range.end {
            return None;
        }
    }
    Some(Fix {
        byte_range: byte_range.clone(),
        replacement: render(template, captures)?,
    })
}

/// Applies `fixes` to `text` (code of `language`): each fix in the order given, unless it
/// overlaps one applied before it (two empty insertions at one offset overlap too) or its range
/// is not on character boundaries of `text`; those are listed in
/// [`Fixed::overlapping`]. The result says whether it still parses (see [`Fixed::parses`]).
/// Errors only when a text cannot be parsed at all (too large for the parser).
pub fn apply(language: Language, text: &str, fixes: &[Fix]) -> Result<Fixed> {
    let mut taken: Vec<(usize, &Fix)> = Vec::new();
    let mut overlapping = Vec::new();
    for (i, f) in fixes.iter().enumerate() {
        let r = &f.byte_range;
        let valid = r.start <= r.end && text.get(r.clone()).is_some();
        let clash = taken.iter().any(|(_, t)| {
            let t = &t.byte_range;
            (r.start < t.end && t.start < r.end) || (r.start == t.start && r.end == t.end)
        });
        if valid && !clash {
            taken.push((i, f));
        } else {
            overlapping.push(i);
        }
    }
    let applied: Vec<usize> = taken.iter().map(|(i, _)| *i).collect();
    let mut order = taken;
    order.sort_by_key(|(_, f)| (f.byte_range.start, f.byte_range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (_, f) in order {
        out.push_str(&text[at..f.byte_range.start]);
        out.push_str(&f.replacement);
        at = f.byte_range.end;
    }
    out.push_str(&text[at..]);
    let parses = if applied.is_empty() {
        true
    } else {
        let after = Document::new(language, out.as_str())?.has_syntax_errors();
        !after || Document::new(language, text)?.has_syntax_errors()
    };
    Ok(Fixed {
        text: out,
        applied,
        overlapping,
        parses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(name: &str, range: Range<usize>, text: &str) -> Capture {
        Capture {
            name: name.into(),
            byte_range: range,
            text: text.into(),
        }
    }

    #[test]
    fn pieces_split_names_and_keep_literal_dollars() {
        assert_eq!(
            template_metavariables("$F($$$ARGS, $X1) + $('a') + $$ + $x"),
            vec!["$F", "$$$ARGS", "$X1"]
        );
    }

    #[test]
    fn render_substitutes_and_refuses_unbound() {
        let caps = [cap("$X", 0..1, "é"), cap("$$$ARGS", 2..6, "a, b")];
        assert_eq!(
            render("f($X, $$$ARGS, $ARGS)", &caps).as_deref(),
            Some("f(é, a, b, a, b)")
        );
        assert_eq!(render("f($Y)", &caps), None);
        let none = [cap("$$$A", 3..3, ""), cap("$X", 0..1, "x")];
        assert_eq!(render("f($$$A, $X)", &none).as_deref(), Some("f(x)"));
        assert_eq!(render("f($X, $$$A)", &none).as_deref(), Some("f(x)"));
        assert_eq!(render("f($$$A)", &none).as_deref(), Some("f()"));
    }

    #[test]
    fn a_binding_outside_the_match_gives_no_fix() {
        let caps = [cap("$X", 0..3, "abc")];
        let text = "abcdefghij";
        assert!(for_match("g($X)", "f($X)", text, &(0..10), &caps).is_some());
        assert!(for_match("g($X)", "f($X)", text, &(1..10), &caps).is_none());
    }

    #[test]
    fn a_name_the_code_reached_through_an_alias_gives_no_fix() {
        let text = "load(f)";
        let caps = [cap("$X", 5..6, "f")];
        let t = "yaml.safe_load($X)";
        assert!(for_match(t, "yaml.load($X)", text, &(0..7), &caps).is_none());
        let text = "yaml.load(f)";
        let caps = [cap("$X", 10..11, "f")];
        let fix = for_match(t, "yaml.load($X)", text, &(0..12), &caps).unwrap();
        assert_eq!(fix.replacement, "yaml.safe_load(f)");
    }

    #[test]
    fn first_of_overlapping_fixes_wins() {
        let text = "x = ä == None\ny = b == None\n";
        let f = |r: Range<usize>, s: &str| Fix {
            byte_range: r,
            replacement: s.into(),
        };
        let a = text.find("ä").unwrap();
        let fixes = [
            f(a..a + 10, "ä is None"),
            f(a..a + 2, "b"),
            f(19..28, "b is None"),
            f(a + 1..a + 2, "z"),
        ];
        let out = apply(Language::Python, text, &fixes).unwrap();
        assert_eq!(out.text, "x = ä is None\ny = b is None\n");
        assert_eq!(out.applied, vec![0, 2]);
        assert_eq!(out.overlapping, vec![1, 3]);
        assert!(out.parses);
        let broken = apply(Language::Python, text, &[f(a..a + 10, "ä is (")]).unwrap();
        assert!(!broken.parses);
    }
}
