//! Which language a `.h` file is written in: C, C++ or Objective-C, told from its content first
//! and, when the content says nothing either way, from the sources beside it.
//!
//! A C++ header parsed as C yields nonsense (a template declaration read as a call, `= delete`
//! read as a `delete`), so any C++-only construct outside an `#ifdef __cplusplus` block decides
//! C++. Objective-C headers are recognised so they can be skipped rather than misparsed. This
//! module reads only the file's text and, for undecided files, one listing of its folder.

use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use crate::language::Language;

/// What a header is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Header {
    /// C or C++ (a language core parses).
    Lang(Language),
    /// Objective-C (or Objective-C++): not supported.
    ObjectiveC,
}

/// True for the extensions whose language the name alone cannot tell.
pub fn is_ambiguous_extension(ext: &str) -> bool {
    ext.eq_ignore_ascii_case("h")
}

/// The language of the header at `path` whose text is `text`.
pub(crate) fn classify(path: &Path, text: &str) -> Header {
    let code = without_comments_and_strings(text);
    let code = without_cplusplus_blocks(&code);
    if objective_c().is_match(&code) {
        return Header::ObjectiveC;
    }
    if cpp_only().is_match(&code) {
        return Header::Lang(Language::Cpp);
    }
    Header::Lang(neighbours(path).unwrap_or(Language::C))
}

/// Lines that only Objective-C writes.
fn objective_c() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?m)^\s*(@interface|@implementation|@protocol|@end\b|@property\b|#\s*import\b)",
        )
        .expect("valid regex")
    })
}

/// Constructs that C does not have (outside comments, strings and `__cplusplus` blocks).
fn cpp_only() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(concat!(
            r"(?m)\bnamespace\s*\w*\s*\{",
            r"|\btemplate\s*<",
            r"|^\s*class\s+\w+\s*(final\s*)?(:[^;{]*)?\{",
            r"|^\s*struct\s+\w+\s*(final\s*)?:\s*(public|private|protected)?\s*\w[^;{]*\{",
            r"|^\s*(public|private|protected)\s*:",
            r"|\bstd::",
            r"|\busing\s+namespace\b",
            r"|\busing\s+\w+\s*=",
            r"|\b(constexpr|nullptr|noexcept|decltype)\b",
            r"|\b(static|dynamic|reinterpret|const)_cast\s*<",
            r"|\bvirtual\s+\w",
            r"|\boperator\s*(\(\)|\[\]|[-+*/%^&|~!=<>]+)\s*\(",
            r"|\)\s*(const\s*)?=\s*(delete|default)\s*;",
            r"|#\s*include\s*<(iostream|string|vector|memory|map|unordered_map|set|algorithm|functional|utility|optional|array|cstdint|cstdio|cstdlib|cstring|type_traits)>",
            r"|\w+::\w+\s*\(",
        ))
        .expect("valid regex")
    })
}

/// The text with comments and string or character literals blanked (lines kept).
fn without_comments_and_strings(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    if b[i] == b'\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
                i += 2;
            }
            q @ (b'"' | b'\'') => {
                out.push(' ');
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ => {
                // Copy a whole character.
                let len = text[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&text[i..i + len]);
                i += len;
            }
        }
    }
    out
}

/// The text without the lines of `#if(def) __cplusplus` blocks (C headers open `extern "C"`
/// there), nested conditionals counted.
fn without_cplusplus_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Depth of conditionals inside the innermost `__cplusplus` block, when in one.
    let mut skipping: Option<usize> = None;
    for line in text.lines() {
        let t = line.trim_start();
        let directive = t
            .strip_prefix('#')
            .map(|d| d.trim_start())
            .unwrap_or_default();
        let opens = ["if", "ifdef", "ifndef"]
            .iter()
            .any(|k| directive.starts_with(k));
        match skipping {
            Some(depth) => {
                if opens {
                    skipping = Some(depth + 1);
                } else if directive.starts_with("endif") {
                    skipping = depth.checked_sub(1);
                } else if depth == 0
                    && (directive.starts_with("else") || directive.starts_with("elif"))
                {
                    skipping = None;
                }
            }
            None => {
                if opens && directive.contains("__cplusplus") && !directive.starts_with("ifndef") {
                    skipping = Some(0);
                } else {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// C++ when the folder holds C++ sources and no C sources, C when it holds C sources only;
/// `None` when it says nothing (or cannot be read).
fn neighbours(path: &Path) -> Option<Language> {
    let dir = path.parent()?;
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let (mut c, mut cpp) = (false, false);
    for entry in std::fs::read_dir(dir).ok()?.take(2000).flatten() {
        let name = entry.file_name();
        let ext = Path::new(&name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("c") => c = true,
            Some("cc" | "cpp" | "cxx" | "c++" | "hpp" | "hh" | "hxx" | "ipp") => cpp = true,
            _ => {}
        }
    }
    match (c, cpp) {
        (false, true) => Some(Language::Cpp),
        (true, false) => Some(Language::C),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Header {
        classify(Path::new("/nonexistent/dir/x.h"), text)
    }

    #[test]
    fn cpp_constructs_decide_cpp() {
        for text in [
            "namespace foo {\nint f();\n}\n",
            "template <typename T> T max(T a, T b);\n",
            "class Widget : public Base {\n public:\n  Widget() = delete;\n};\n",
            "struct S {\n  int f() const;\n};\nconstexpr int k = 3;\n",
            "#include <vector>\nint n(std::vector<int> v);\n",
            "void g(int*p = nullptr);\n",
        ] {
            assert_eq!(of(text), Header::Lang(Language::Cpp), "{text}");
        }
    }

    #[test]
    fn c_headers_stay_c_even_with_extern_c_guards() {
        let text = "#ifndef X_H\n#define X_H\n#ifdef __cplusplus\nextern \"C\" {\nnamespace n {}\n#endif\n\
                    struct point { int x, y; };\nint area(const struct point *p);\n/* class Foo { */\n\
                    const char *s = \"std::string\";\n#ifdef __cplusplus\n}\n#endif\n#endif\n";
        assert_eq!(of(text), Header::Lang(Language::C));
        // `#if defined(__cplusplus) && ...` with an `#else` branch: the else branch is C.
        let text =
            "#if defined(__cplusplus)\ntemplate<class T> class V;\n#else\nstruct V;\n#endif\n";
        assert_eq!(of(text), Header::Lang(Language::C));
    }

    #[test]
    fn objective_c_is_recognised() {
        let text = "#import <Foundation/Foundation.h>\n@interface Foo : NSObject\n@end\n";
        assert_eq!(of(text), Header::ObjectiveC);
    }

    #[test]
    fn undecided_headers_follow_their_folder() {
        let dir = std::env::temp_dir().join(format!("codetable-header-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let h = dir.join("api.h");
        std::fs::write(dir.join("api.cpp"), "").unwrap();
        assert_eq!(classify(&h, "int f(int);\n"), Header::Lang(Language::Cpp));
        std::fs::write(dir.join("main.c"), "").unwrap();
        assert_eq!(classify(&h, "int f(int);\n"), Header::Lang(Language::C));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
