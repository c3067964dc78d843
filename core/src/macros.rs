//! C/C++ macro bodies as code: the body of a `#define` (object-like or function-like) that
//! parses as statements or an expression becomes a small document of its own, which the engine
//! analyses and whose matches it maps back onto the macro's unit, at the body's bytes in the
//! original file.
//!
//! tree-sitter gives a `#define`'s body as one raw `preproc_arg` token. Here it is copied into a
//! wrapper function (`void __ct(void) {` … `;}`) with its line continuations blanked (`\` becomes
//! a space, so every byte keeps its offset and line), and parsed in the document's language. The
//! parameters of a function-like macro stay plain identifiers. A body that does not parse cleanly
//! (a type list, a token paste `a##b`, a stringification `#x`, half a block) is not code: it
//! gives no match and no error. Bodies are bounded ([`MAX_BODY`]), and only bodies with a call
//! or an assignment are parsed (one small parse and analysis each), so a header of thousands of
//! constants costs no more than its text.
//!
//! Two kinds of body match are not the macro's own (the engine drops them, see
//! [`calls_own_name`] and [`MacroBody::variadic`]): a call of the function the macro is named
//! after (`#define system(...) (cancel(), system(__VA_ARGS__))`, `#define alloca(x)
//! __builtin_alloca(x)`: a shim, whose callers are the uses), and a match that binds a variadic
//! parameter (`printf(__VA_ARGS__)`: an argument list, so a template about a call's exact
//! arguments cannot tell what is passed).

use std::ops::Range;

use crate::budget::Budget;
use crate::document::Document;
use crate::unit::{Unit, UnitKind};

/// Longest macro body (in bytes) parsed as code; longer ones are skipped.
pub(crate) const MAX_BODY: usize = 16 * 1024;

/// What comes before the body in the wrapper document.
const PREFIX: &str = "void __ct(void) {\n";
/// What comes after it: a statement end (an expression body becomes an expression statement; a
/// `do { … } while (0)` body gets the `;` its uses supply).
const SUFFIX: &str = "\n;}\n";

/// A macro body parsed as code.
pub(crate) struct MacroBody {
    /// The wrapper document.
    pub doc: Document,
    /// The body's bytes in the wrapper document.
    pub inner: Range<usize>,
    /// The body's bytes in the original document.
    pub outer: Range<usize>,
    /// The name a function-like macro's variadic parameter is spelled by in the body
    /// (`__VA_ARGS__` for `...`, `args` for `args...`), if it has one.
    pub variadic: Option<String>,
}

impl MacroBody {
    /// The original document's offset of a wrapper document offset inside the body.
    pub fn map(&self, offset: usize) -> usize {
        offset - self.inner.start + self.outer.start
    }

    /// The original range of a wrapper range, when it lies inside the body.
    pub fn map_range(&self, r: &Range<usize>) -> Option<Range<usize>> {
        (r.start >= self.inner.start && r.end <= self.inner.end && r.start <= r.end)
            .then(|| self.map(r.start)..self.map(r.end))
    }
}

/// The body of the macro `unit` of `doc` (whose node is `node`, when the caller has it) parsed
/// as code, or `None` when the unit is not a macro, has no body, or the body is not code.
pub(crate) fn body(
    doc: &Document,
    unit: &Unit,
    node: Option<tree_sitter::Node<'_>>,
) -> Option<MacroBody> {
    if unit.kind != UnitKind::Macro {
        return None;
    }
    let node = match node {
        Some(n) => n,
        None => doc.node_of(unit)?,
    };
    let value = node.child_by_field_name("value")?;
    let outer = value.byte_range();
    let raw = doc.text().get(outer.clone())?;
    if raw.trim().is_empty() || raw.len() > MAX_BODY || !acts(raw) || !plausible(raw) {
        return None;
    }
    let mut text = String::with_capacity(PREFIX.len() + raw.len() + SUFFIX.len());
    text.push_str(PREFIX);
    text.push_str(&blank_continuations(raw));
    text.push_str(SUFFIX);
    let inner = PREFIX.len()..PREFIX.len() + raw.len();
    // A small budget of its own: the body is at most MAX_BODY bytes.
    let sub = Document::with_budget(doc.language(), text, Budget::default()).ok()?;
    if sub.has_syntax_errors() || !one_function(&sub) {
        return None;
    }
    let variadic = node
        .child_by_field_name("parameters")
        .and_then(|p| variadic_name(doc.text().get(p.byte_range())?));
    Some(MacroBody {
        doc: sub,
        inner,
        outer,
        variadic,
    })
}

/// The name of the variadic parameter of a macro parameter list (`(fmt, ...)`: `__VA_ARGS__`;
/// `(lvl, x...)`: `x`), if it has one.
fn variadic_name(params: &str) -> Option<String> {
    let last = params
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .rsplit(',')
        .next()?
        .trim();
    let name = last.strip_suffix("...")?.trim();
    Some(if name.is_empty() {
        "__VA_ARGS__".to_string()
    } else {
        name.to_string()
    })
}

/// True when `code` (a match in the body of the macro `name`) calls the function the macro is
/// named after, directly or as its builtin (`alloca` → `__builtin_alloca`, `std::system`,
/// `::system`): the macro defines that name, it is not a use of it.
pub(crate) fn calls_own_name(code: &str, name: &str) -> bool {
    let own = name.trim_start_matches('_');
    if own.is_empty() {
        return false;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut start = None;
    for (i, c) in code.char_indices() {
        if word(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            let called = code[i..].trim_start().starts_with('(');
            let ident = code[s..i]
                .trim_start_matches("__builtin_")
                .trim_start_matches('_');
            if called && ident == own {
                return true;
            }
        }
    }
    false
}

/// Whether the body may do something a rule looks for: a call (a name before `(`) or an
/// assignment. Constants (`0x10`, `(1 << 3)`, `"text"`, `A | B`), the bulk of most headers'
/// macros, are not parsed at all.
fn acts(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'=' => true,
        b'(' => b[..i]
            .iter()
            .rev()
            .find(|c| !c.is_ascii_whitespace())
            .is_some_and(|p| p.is_ascii_alphanumeric() || *p == b'_'),
        _ => false,
    })
}

/// Cheap tests that rule out bodies that cannot be code: token pasting and stringification,
/// and preprocessor lines inside the body.
fn plausible(raw: &str) -> bool {
    if raw.contains("##") {
        return false;
    }
    // `#x` outside a string or character literal is a stringification; inside one it is text.
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in raw.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '#' => return false,
                _ => {}
            },
        }
    }
    true
}

/// The body with every line continuation's backslash replaced by a space: same length, same
/// lines.
fn blank_continuations(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    for (j, c) in raw.char_indices() {
        if j < i {
            continue;
        }
        let continues = c == '\\'
            && (b.get(j + 1) == Some(&b'\n')
                || (b.get(j + 1) == Some(&b'\r') && b.get(j + 2) == Some(&b'\n')));
        out.push(if continues { ' ' } else { c });
        i = j + c.len_utf8();
    }
    out
}

/// The wrapper parsed as the one function it was written as: the body did not close the
/// function early and open other declarations (`} int x; {`).
fn one_function(sub: &Document) -> bool {
    let root = sub.tree().root_node();
    let end = sub.text().len() - 1;
    root.named_child_count() == 1
        && root
            .named_child(0)
            .is_some_and(|f| f.kind() == "function_definition" && f.end_byte() == end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_keep_offsets_and_lines() {
        let raw = "do { a(); \\\n  b(); \\\r\n } while (0)";
        let out = blank_continuations(raw);
        assert_eq!(out.len(), raw.len());
        assert_eq!(out.matches('\n').count(), raw.matches('\n').count());
        assert!(!out.contains('\\'));
        assert_eq!(blank_continuations("\"a\\n\" é"), "\"a\\n\" é");
    }

    #[test]
    fn constants_are_not_parsed_calls_and_assignments_are() {
        assert!(!acts("0x10"));
        assert!(!acts("(1 << 3)"));
        assert!(!acts("\"text\""));
        assert!(!acts("((int)-1)"));
        assert!(acts("system(cmd)"));
        assert!(acts("do { f (x); } while (0)"));
        assert!(acts("(x) = 0"));
    }

    #[test]
    fn variadic_parameters_and_own_names() {
        assert_eq!(variadic_name("(fmt, ...)").as_deref(), Some("__VA_ARGS__"));
        assert_eq!(variadic_name("(lvl, x...)").as_deref(), Some("x"));
        assert_eq!(variadic_name("(a, b)"), None);
        assert!(calls_own_name("__builtin_alloca(x)", "alloca"));
        assert!(calls_own_name("system(__VA_ARGS__)", "system"));
        assert!(calls_own_name("std::system (c)", "system"));
        assert!(!calls_own_name("system(c)", "RUN"));
        assert!(!calls_own_name("my_system(c)", "system"));
    }

    #[test]
    fn pastes_and_stringification_are_not_code() {
        assert!(!plausible("a ## b"));
        assert!(!plausible("#x"));
        assert!(plausible("printf(\"#%d\", x)"));
        assert!(plausible("c == '#'"));
    }
}
