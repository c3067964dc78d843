//! What a compilation database (`compile_commands.json`, as CMake, Bear, Meson and others
//! write it) says about the language of headers: a header included by C++ translation units
//! only is C++, by C translation units only is C.
//!
//! It owns reading the database and following `#include "…"`/`#include <…>` lines from each
//! translation unit through its folder and its `-I`/`-iquote`/`-isystem` folders (headers that
//! include headers too). It never runs a compiler or a preprocessor: conditional includes all
//! count, and a header it cannot find is simply not decided.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

use crate::error::Error;
use crate::language::Language;

/// How many files (translation units and headers) one database may make it read: a bound on
/// the work, whatever the database holds.
const MAX_FILES: usize = 50_000;

/// The languages of the translation units that include each header of a project.
///
/// ```
/// use codetable::source::CompileCommands;
/// use codetable::Language;
///
/// let dir = std::env::temp_dir().join(format!("codetable-doc-cc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("main.cpp"), "#include \"shared.h\"\nint main() {}\n")?;
/// std::fs::write(dir.join("shared.h"), "int f(int);\n")?;
/// let db = format!(
///     r#"[{{"directory": {:?}, "file": "main.cpp", "arguments": ["c++", "-c", "main.cpp"]}}]"#,
///     dir.display().to_string()
/// );
/// let cc = CompileCommands::parse(&db, &dir)?;
/// assert_eq!(cc.header_language(&dir.join("shared.h")), Some(Language::Cpp));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct CompileCommands {
    /// Canonical header path -> (included from C, included from C++).
    headers: HashMap<PathBuf, (bool, bool)>,
    /// Number of translation units read.
    units: usize,
}

/// One entry of the database, as the format documents it.
#[derive(serde::Deserialize)]
struct Entry {
    directory: PathBuf,
    file: PathBuf,
    #[serde(default)]
    arguments: Option<Vec<String>>,
    #[serde(default)]
    command: Option<String>,
}

impl CompileCommands {
    /// Reads the database at `path` (relative `directory` entries resolve against its folder).
    pub fn load(path: &Path) -> Result<CompileCommands, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        CompileCommands::parse(&text, base).map_err(|e| match e {
            Error::Io { message, .. } => Error::Io {
                path: path.display().to_string(),
                message,
            },
            other => other,
        })
    }

    /// A database from its JSON text; `base` resolves relative `directory` entries. Reads each
    /// translation unit and the headers it includes.
    pub fn parse(text: &str, base: &Path) -> Result<CompileCommands, Error> {
        let entries: Vec<Entry> = serde_json::from_str(text).map_err(|e| Error::Io {
            path: "compile_commands.json".to_string(),
            message: format!("not a compilation database: {e}"),
        })?;
        let mut db = CompileCommands::default();
        // (file, language, include folders), breadth first; a header is followed once per
        // language that reaches it.
        let mut queue: VecDeque<(PathBuf, Language, std::rc::Rc<Vec<PathBuf>>)> = VecDeque::new();
        for e in entries {
            let dir = base.join(&e.directory);
            let args = match (e.arguments, e.command) {
                (Some(a), _) => a,
                (None, Some(c)) => split_command(&c),
                (None, None) => Vec::new(),
            };
            let file = dir.join(&e.file);
            let Some(language) = unit_language(&file, &args) else {
                continue;
            };
            db.units += 1;
            let mut includes = Vec::new();
            let mut it = args.iter();
            while let Some(a) = it.next() {
                for flag in ["-I", "-iquote", "-isystem", "-idirafter", "/I"] {
                    if let Some(rest) = a.strip_prefix(flag) {
                        let folder = if rest.is_empty() {
                            it.next().map(String::as_str)
                        } else {
                            Some(rest)
                        };
                        if let Some(f) = folder {
                            includes.push(dir.join(f));
                        }
                        break;
                    }
                }
            }
            queue.push_back((file, language, std::rc::Rc::new(includes)));
        }
        let mut read = 0;
        while let Some((file, language, includes)) = queue.pop_front() {
            read += 1;
            if read > MAX_FILES {
                break;
            }
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let here = file.parent().map(Path::to_path_buf).unwrap_or_default();
            for name in include_names(&text) {
                let found = std::iter::once(&here)
                    .chain(includes.iter())
                    .map(|d| d.join(name))
                    .find(|p| p.is_file());
                let Some(header) = found.and_then(|p| p.canonicalize().ok()) else {
                    continue;
                };
                let seen = db.headers.entry(header.clone()).or_default();
                let flag = match language {
                    Language::Cpp => &mut seen.1,
                    _ => &mut seen.0,
                };
                if !*flag {
                    *flag = true;
                    queue.push_back((header, language, includes.clone()));
                }
            }
        }
        Ok(db)
    }

    /// The language of the header at `path`: C++ when only C++ translation units include it,
    /// C when only C ones do; `None` when both do, or none.
    pub fn header_language(&self, path: &Path) -> Option<Language> {
        let path = path.canonicalize().ok()?;
        match self.headers.get(&path)? {
            (false, true) => Some(Language::Cpp),
            (true, false) => Some(Language::C),
            _ => None,
        }
    }

    /// Number of C and C++ translation units the database lists.
    pub fn translation_units(&self) -> usize {
        self.units
    }
}

/// A translation unit's language: `-x c`/`-x c++` first, then the file's extension, then the
/// compiler's name (`g++`, `clang++`). `None` for other languages (Objective-C, assembly…).
fn unit_language(file: &Path, args: &[String]) -> Option<Language> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let x = match a.strip_prefix("-x") {
            Some("") => it.next().map(String::as_str),
            Some(rest) => Some(rest),
            None => None,
        };
        match x {
            Some("c" | "c-header") => return Some(Language::C),
            Some("c++" | "c++-header") => return Some(Language::Cpp),
            Some(_) => return None,
            None => {}
        }
    }
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "c" => Some(Language::C),
        "cc" | "cpp" | "cxx" | "c++" | "cp" | "C" | "CPP" | "ixx" | "cppm" => Some(Language::Cpp),
        _ if is_header(ext) => {
            let compiler = args.first().map(|c| {
                Path::new(c)
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("")
                    .to_string()
            });
            compiler
                .filter(|c| c.contains("++") || c.ends_with("cl.exe"))
                .map(|_| Language::Cpp)
        }
        _ => None,
    }
}

fn is_header(ext: &str) -> bool {
    matches!(ext, "h" | "H" | "hh" | "hpp" | "hxx")
}

/// The names of `#include "x"` and `#include <x>` lines.
fn include_names(text: &str) -> impl Iterator<Item = &str> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r#"(?m)^[ \t]*#[ \t]*include[ \t]*["<]([^">\n]+)[">]"#).expect("valid regex")
    });
    re.captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
}

/// A `command` string split as a POSIX shell would split words (quotes and backslashes).
fn split_command(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(n) = chars.next() {
                    word.push(n);
                }
                in_word = true;
            }
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_split_like_a_shell() {
        assert_eq!(
            split_command(r#"g++ -I"inc dir" -DX='a b' -c a\ b.cpp"#),
            vec!["g++", "-Iinc dir", "-DX=a b", "-c", "a b.cpp"]
        );
    }

    #[test]
    fn unit_languages() {
        let a = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            unit_language(Path::new("a.c"), &a(&["cc"])),
            Some(Language::C)
        );
        assert_eq!(
            unit_language(Path::new("a.c"), &a(&["cc", "-x", "c++"])),
            Some(Language::Cpp)
        );
        assert_eq!(
            unit_language(Path::new("a.cc"), &a(&["cc"])),
            Some(Language::Cpp)
        );
        assert_eq!(
            unit_language(Path::new("a.h"), &a(&["/usr/bin/clang++"])),
            Some(Language::Cpp)
        );
        assert_eq!(unit_language(Path::new("a.m"), &a(&["clang"])), None);
        assert_eq!(
            unit_language(Path::new("a.c"), &a(&["cc", "-xobjective-c"])),
            None
        );
    }
}
