//! What the C preprocessor hides from the compiler, hidden from the parser too: the bodies of
//! branches that can never be compiled (`#if 0`, `#if false`, `#ifdef NEVER_DEFINED`-style
//! names, the `#else` of `#if 1`) and MSVC inline assembly (`_asm mov eax, 1`,
//! `__asm { … }`), which is not C. Such text, read as C, gives nonsense (a Tcl script inside
//! `#if 0` read as a variable-length array, `_asm fld DWORD PTR [eax]` read as a declaration).
//!
//! [`inert_ranges`] finds those byte ranges with a line scan that knows comments, string and
//! character literals and line continuations; [`masked`] blanks them (every byte but line ends
//! becomes a space, so offsets, lines and columns stay those of the real text). The document
//! parses the masked text and keeps the real one: nothing inside an inert range is a unit or a
//! match. The directive lines themselves stay, so `#if 0` / `#endif` still parse as an (empty)
//! preprocessor block. Only statically known conditions count: `#if FOO` and `#ifdef FOO` for a
//! name that may be defined are analysed as today (both branches).

use std::borrow::Cow;
use std::ops::Range;

use super::Language;

/// Whether `language` has a C preprocessor whose dead branches are masked.
fn applies(language: Language) -> bool {
    matches!(language, Language::C | Language::Cpp)
}

/// Names that projects use for "never defined" (`#ifdef notdef`), compared without case and
/// without leading or trailing underscores.
const NEVER_NAMES: &[&str] = &[
    "never",
    "never_defined",
    "neverdefined",
    "notdef",
    "not_defined",
    "dead_code",
    "disabled_code",
];

/// One open `#if` group.
struct Group {
    /// A branch of this group is known to be taken: every later branch is dead.
    taken: bool,
    /// The current branch is dead.
    dead: bool,
}

/// The byte ranges of `text` the parser should not see (ascending, disjoint), or none when the
/// language has no C preprocessor.
pub(crate) fn inert_ranges(language: Language, text: &str) -> Vec<Range<usize>> {
    if !applies(language) {
        return Vec::new();
    }
    let b = text.as_bytes();
    // Cheap exit: no directive and no MSVC assembly keyword.
    if !b.contains(&b'#') && !text.contains("_asm") {
        return Vec::new();
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut push = |r: Range<usize>| {
        if r.start >= r.end {
            return;
        }
        match out.last_mut() {
            Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut in_comment = false;
    let mut pos = 0;
    while pos < b.len() {
        // One logical line: physical lines joined by `\` continuations.
        let start = pos;
        let mut end = pos;
        loop {
            let nl = b[end..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |i| end + i);
            let content_end = if nl > end && b[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            };
            end = nl;
            if nl < b.len() && content_end > 0 && b[content_end - 1] == b'\\' {
                end = nl + 1;
                continue;
            }
            break;
        }
        let next = (end + 1).min(b.len());
        let line = &b[start..end];
        let dead = groups.last().is_some_and(|g| g.dead);
        let starts_in_comment = in_comment;
        in_comment = scan_comments(line, in_comment);
        let directive = if starts_in_comment {
            None
        } else {
            directive_of(line)
        };
        match directive {
            Some((name, rest)) => {
                let outer_dead = dead;
                match name {
                    "if" | "ifdef" | "ifndef" => {
                        let value = if outer_dead {
                            None
                        } else {
                            match name {
                                "if" => eval(rest),
                                "ifdef" => is_never(rest).then_some(false),
                                _ => is_never(rest).then_some(true),
                            }
                        };
                        if outer_dead {
                            push(start..end);
                        }
                        groups.push(Group {
                            taken: outer_dead || value == Some(true),
                            dead: outer_dead || value == Some(false),
                        });
                    }
                    "elif" | "elifdef" | "elifndef" | "else" => {
                        let parent_dead = groups.len() >= 2 && groups[groups.len() - 2].dead;
                        if parent_dead {
                            push(start..end);
                        }
                        if let Some(g) = groups.last_mut() {
                            if parent_dead || g.taken {
                                g.dead = true;
                            } else {
                                let value = match name {
                                    "elif" => eval(rest),
                                    "elifdef" => is_never(rest).then_some(false),
                                    "elifndef" => is_never(rest).then_some(true),
                                    _ => Some(true),
                                };
                                g.dead = value == Some(false);
                                g.taken = value == Some(true);
                            }
                        }
                    }
                    "endif" => {
                        let parent_dead = groups.len() >= 2 && groups[groups.len() - 2].dead;
                        if parent_dead {
                            push(start..end);
                        }
                        groups.pop();
                    }
                    _ if dead => push(start..end),
                    _ => {}
                }
            }
            None if dead => push(start..end),
            None => {
                if !starts_in_comment {
                    if let Some(r) = asm_at(b, start, end) {
                        // A braced block may run over several lines: skip what it covers.
                        let covered = r.end;
                        push(r);
                        if covered > end {
                            pos = (covered + 1).min(b.len());
                            // The block's last line may go on after the brace: rare, ignored.
                            while pos < b.len() && b[pos - 1] != b'\n' {
                                pos += 1;
                            }
                            continue;
                        }
                    }
                }
            }
        }
        pos = next;
    }
    out
}

/// Whether a `/* … */` comment is open at the end of `line`, given whether one was open at its
/// start (string and character literals and `//` comments are skipped).
fn scan_comments(line: &[u8], mut open: bool) -> bool {
    let mut i = 0;
    while i < line.len() {
        if open {
            if line[i] == b'*' && line.get(i + 1) == Some(&b'/') {
                open = false;
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        match line[i] {
            b'/' if line.get(i + 1) == Some(&b'*') => {
                open = true;
                i += 2;
            }
            b'/' if line.get(i + 1) == Some(&b'/') => return false,
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < line.len() && line[i] != q && line[i] != b'\n' {
                    i += if line[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    open
}

/// The directive name and the rest of a `#` line (`("if", "0")`), or `None`.
fn directive_of(line: &[u8]) -> Option<(&str, &str)> {
    let s = std::str::from_utf8(line).ok()?;
    let s = s.trim_start_matches([' ', '\t']);
    let s = s.strip_prefix('#')?.trim_start_matches([' ', '\t']);
    let name_len = s
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    if name_len == 0 {
        return None;
    }
    Some((&s[..name_len], &s[name_len..]))
}

/// The directive's operand without comments, continuations and surrounding space.
fn operand(rest: &str) -> String {
    let mut out = String::with_capacity(rest.len());
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                i += 1;
            }
            i += 2;
            out.push(' ');
            continue;
        }
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            break;
        }
        if b[i] == b'\\' && matches!(b.get(i + 1), Some(b'\n' | b'\r')) {
            i += 1;
            continue;
        }
        out.push(b[i] as char);
        i += 1;
    }
    out.trim().to_string()
}

/// A `NEVER_DEFINED`-style name (the operand of `#ifdef`).
fn is_never(rest: &str) -> bool {
    let op = operand(rest);
    let name = op.trim_matches('_').to_ascii_lowercase();
    NEVER_NAMES.contains(&name.as_str())
}

/// The value of an `#if` condition when it is known without any definition: `0`, `0L`,
/// `false`, `FALSE` (an undefined name is 0 too), `defined(NOTDEF)`, their negation with `!`,
/// `0 && …`, `1 || …`, and non-zero integer literals. `None`: it depends on the build.
fn eval(rest: &str) -> Option<bool> {
    let op = operand(rest);
    eval_expr(op.trim())
}

fn eval_expr(s: &str) -> Option<bool> {
    let s = strip_parens(s.trim());
    if let Some(i) = top_level(s, "||") {
        let (a, b) = (eval_expr(&s[..i]), eval_expr(&s[i + 2..]));
        return match (a, b) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        };
    }
    if let Some(i) = top_level(s, "&&") {
        let (a, b) = (eval_expr(&s[..i]), eval_expr(&s[i + 2..]));
        return match (a, b) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
    }
    if let Some(inner) = s.strip_prefix('!') {
        return eval_expr(inner).map(|v| !v);
    }
    if let Some(arg) = s.strip_prefix("defined") {
        let arg = strip_parens(arg.trim());
        return is_never(arg).then_some(false);
    }
    if s == "false" || s == "FALSE" {
        return Some(false);
    }
    let digits = s.trim_end_matches(['u', 'U', 'l', 'L']);
    if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
        return Some(digits.bytes().any(|c| c != b'0'));
    }
    None
}

/// `s` without parentheses that enclose all of it.
fn strip_parens(mut s: &str) -> &str {
    loop {
        let t = s.trim();
        if t.starts_with('(') && t.ends_with(')') && top_level(&t[1..t.len() - 1], ")").is_none() {
            let inner = &t[1..t.len() - 1];
            // `(a) || (b)` is not wrapped: the first `(` must close at the end.
            let mut depth = 0i32;
            let wrapped = inner.bytes().all(|c| {
                match c {
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ => {}
                }
                depth >= 0
            });
            if wrapped {
                s = inner;
                continue;
            }
        }
        return t;
    }
}

/// The first occurrence of `op` outside parentheses.
fn top_level(s: &str, op: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            _ if depth == 0 && b[i..].starts_with(op.as_bytes()) => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// MSVC inline assembly starting the line `start..end`: `_asm` or `__asm` (not `__asm__`, not
/// followed by `(` or `volatile`, which are GNU forms the grammar parses) up to the line end,
/// or for `__asm {` up to the matching `}`.
fn asm_at(b: &[u8], start: usize, end: usize) -> Option<Range<usize>> {
    let mut i = start;
    while i < end && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    let word_start = i;
    let rest = &b[i..end];
    let kw = if rest.starts_with(b"__asm") {
        5
    } else if rest.starts_with(b"_asm") {
        4
    } else {
        return None;
    };
    let after = word_start + kw;
    match b.get(after) {
        Some(b' ' | b'\t' | b'{' | b'\r' | b'\n') | None => {}
        _ => return None,
    }
    let mut j = after;
    while j < end && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    if j < end && b[j] == b'(' || b[j..end].starts_with(b"volatile") {
        return None;
    }
    if b.get(j) == Some(&b'{') || j >= end {
        // `__asm {` (or `__asm` with the brace on the next line): to the matching `}`.
        let open = b[j..].iter().position(|&c| !c.is_ascii_whitespace())? + j;
        if b[open] != b'{' {
            return None;
        }
        let close = b[open..].iter().position(|&c| c == b'}')? + open;
        return Some(word_start..close + 1);
    }
    // One statement per line; a trailing `//` or `;` comment is assembly too.
    Some(word_start..end)
}

/// `text` with every byte of `ranges` but line ends turned into a space (the same length,
/// still UTF-8: whole characters are blanked), or `text` itself when there is nothing to blank.
pub(crate) fn masked<'t>(text: &'t str, ranges: &[Range<usize>]) -> Cow<'t, str> {
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for c in &mut bytes[r.start..r.end.min(text.len())] {
            if *c != b'\n' && *c != b'\r' {
                *c = b' ';
            }
        }
    }
    // Ranges are whole lines or ASCII-delimited spans, so whole characters are blanked.
    Cow::Owned(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blanked(text: &str) -> String {
        masked(text, &inert_ranges(Language::C, text)).into_owned()
    }

    #[test]
    fn if_zero_body_is_blank_and_directives_stay() {
        let t = "int a;\n#if 0\nset mx [llength $x]\n#else\nint b;\n#endif\nint c;\n";
        let m = blanked(t);
        assert_eq!(m.len(), t.len());
        assert_eq!(
            m,
            "int a;\n#if 0\n                   \n#else\nint b;\n#endif\nint c;\n"
        );
    }

    #[test]
    fn known_true_blanks_the_else_and_unknown_keeps_both() {
        let t = "#if 1\na;\n#elif X\nb;\n#else\nc;\n#endif\n#ifdef FOO\nd;\n#else\ne;\n#endif\n";
        let m = blanked(t);
        assert!(m.contains("a;") && !m.contains("b;") && !m.contains("c;"));
        assert!(m.contains("d;") && m.contains("e;"));
    }

    #[test]
    fn nested_groups_inside_dead_code_stay_dead() {
        let t = "#if 0\n#if 1\nx;\n#else\ny;\n#endif\nz;\n#endif\nw;\n";
        let m = blanked(t);
        assert!(!m.contains('x') && !m.contains('y') && !m.contains('z'));
        assert!(m.contains("w;"));
        assert_eq!(m.matches("#endif").count(), 1);
    }

    #[test]
    fn conditions() {
        for (c, v) in [
            ("0", Some(false)),
            (" ( 0 ) // off", Some(false)),
            ("0 && defined(X)", Some(false)),
            ("/* disabled */ false", Some(false)),
            ("defined(NOTDEF)", Some(false)),
            ("!defined(__NEVER_DEFINED__)", Some(true)),
            ("1 || X", Some(true)),
            ("2L", Some(true)),
            ("X", None),
            ("defined(X) && 1", None),
            ("(A) || (B)", None),
        ] {
            assert_eq!(eval(c), v, "{c}");
        }
    }

    #[test]
    fn ifdef_never_names() {
        let t = "#ifdef notdef\nx;\n#endif\n#ifndef NEVER_DEFINED\ny;\n#else\nz;\n#endif\n";
        let m = blanked(t);
        assert!(!m.contains("x;") && m.contains("y;") && !m.contains("z;"));
    }

    #[test]
    fn directives_in_comments_do_not_count() {
        let t = "/*\n#if 0\n*/\nint a;\n#endif\n";
        assert!(blanked(t).contains("int a;"));
    }

    #[test]
    fn msvc_asm_lines_and_blocks_are_blank_gnu_asm_stays() {
        let t = "void f(void) {\n    _asm fld DWORD PTR [eax]\n    __asm {\n mov eax, 1\n }\n    __asm__(\"nop\");\n    __asm (\"nop\");\n    int ü = 1;\n}\n";
        let m = blanked(t);
        assert_eq!(m.len(), t.len());
        assert!(!m.contains("fld") && !m.contains("mov"));
        assert!(m.contains("__asm__(\"nop\")") && m.contains("__asm (\"nop\")"));
        assert!(m.contains("int ü = 1;"));
    }

    #[test]
    fn other_languages_are_untouched() {
        assert!(inert_ranges(Language::Python, "#if 0\nx\n").is_empty());
        assert!(!inert_ranges(Language::Cpp, "#if 0\nx\n#endif\n").is_empty());
    }
}
