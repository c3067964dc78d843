//! Languages: the [`Language`] enum, detection by name, extension and shebang, and the one table
//! that lists every language the crate supports ([`LANGUAGES`]).
//!
//! Each language lives in a module of its own (`python.rs`, `java.rs`…) that fills in one
//! [`LanguageDef`]: names, extensions, grammar, node-kind table ([`Spec`]), import collector and
//! the quirks of its units, rules and templates. Shared machinery sits beside them ([`kinds`]
//! resolves a table to kind ids, [`imports`] walks a file's top-level statements, [`quirks`]
//! says what a language may add to its table). Nothing here
//! branches on a language: adding one is a module, an enum variant and a line in [`LANGUAGES`].

use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Error, Result};

mod guess;
mod imports;
mod kinds;
pub(crate) mod preproc;
mod quirks;
#[cfg(test)]
mod testing;

mod c;
mod cpp;
mod go;
mod java;
mod javascript;
mod kotlin;
mod python;
mod rust;
mod typescript;

pub use guess::GUESS_PREFIX;

/// What a C/C++ file's constants are bound to in its [`ImportTable`]: an object-like
/// `#define` of a literal (`#define max_len 64`) or a file-level `const` initialized with one
/// (`static const char *sep = ":"`). Rule flow counts such names as constants in every unit
/// that does not define them itself.
pub(crate) const FILE_CONSTANT: &str = "#constant";
/// What a C/C++ `typedef` of an integer type of at most 16 bits is bound to in the import
/// table (`typedef unsigned char TrieChar;`), for size reasoning (`rule::csize`).
pub(crate) const SMALL_INTEGER: &str = "#small-integer";
/// What a C/C++ `static` function that allocates is bound to in the import table: `#args=`
/// and one letter per parameter, `c` when every call in the file passes a constant there
/// (`language::c::call_site_constants`), for size reasoning (`rule::csize`).
pub(crate) const CALL_ARGUMENTS: &str = "#args";
pub(crate) use c::{call_site_constants, is_small_type};
pub(crate) use imports::ImportCollector;
pub use imports::ImportTable;
pub(crate) use kinds::{
    Child, KindTable, NameRule, Spec, F_ANCHOR_PARENT, F_COMMENT, F_COMPARISON, F_IDENT, F_IMPORT,
    F_LITERAL, F_OPERATOR, F_PAREN, F_PATH, F_STRING, F_SUBSTITUTION, F_UNIT,
};
pub(crate) use quirks::{
    FlowFacts, MemberMulti, MemberWrapper, ParamType, RuleFacts, SplitCallRule, TemplateQuirks,
    UnitQuirks,
};

/// A source language with a tree-sitter grammar compiled into the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// Python 3.
    Python,
    /// JavaScript (ES2023, JSX).
    JavaScript,
    /// TypeScript.
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    /// Java.
    Java,
    /// Kotlin.
    Kotlin,
    /// Go.
    Go,
    /// Rust.
    Rust,
    /// C.
    C,
    /// C++.
    Cpp,
}

/// Every language, in the order of the enum (a language's discriminant is its index here; the
/// database file stores languages by that index, so the order never changes).
const LANGUAGES: &[&LanguageDef] = &[
    &python::DEF,
    &javascript::DEF,
    &typescript::TYPESCRIPT,
    &typescript::TSX,
    &java::DEF,
    &kotlin::DEF,
    &go::DEF,
    &rust::DEF,
    &c::DEF,
    &cpp::DEF,
];

/// Number of supported languages.
const COUNT: usize = LANGUAGES.len();

// The table is in enum order.
const _: () = {
    let mut i = 0;
    while i < COUNT {
        assert!(
            LANGUAGES[i].language as usize == i,
            "LANGUAGES is not in enum order"
        );
        i += 1;
    }
};

/// Everything the crate knows about one language. Each language module defines one (two for
/// TypeScript and TSX); [`LANGUAGES`] lists them.
pub(crate) struct LanguageDef {
    /// The enum value.
    pub language: Language,
    /// The canonical lowercase name (`"python"`, `"tsx"`, `"cpp"`…).
    pub name: &'static str,
    /// Other lowercase names [`Language::from_name`] accepts (`py`, `golang`, `c++`…).
    pub aliases: &'static [&'static str],
    /// Lowercase file extensions without the dot.
    pub extensions: &'static [&'static str],
    /// Programs a `#!` line names, version digits removed (`python`, `node`…).
    pub interpreters: &'static [&'static str],
    /// The tree-sitter grammar.
    pub grammar: fn() -> tree_sitter::Language,
    /// The node-kind table.
    pub spec: &'static Spec,
    /// How units are told apart beyond the spec's unit rules.
    pub units: UnitQuirks,
    /// Reads the file's import statements, when imports bind names the matcher resolves.
    pub imports: Option<ImportCollector>,
    /// What rule matching needs beyond the node kinds.
    pub rules: RuleFacts,
    /// How rule templates are made to parse.
    pub templates: TemplateQuirks,
}

impl Language {
    /// Every supported language, in a fixed order.
    pub const ALL: [Language; COUNT] = {
        let mut all = [Language::Python; COUNT];
        let mut i = 0;
        while i < COUNT {
            all[i] = LANGUAGES[i].language;
            i += 1;
        }
        all
    };

    /// The definition of this language.
    pub(crate) const fn def(self) -> &'static LanguageDef {
        LANGUAGES[self as usize]
    }

    /// The canonical lowercase name (`"python"`, `"tsx"`, `"cpp"`…).
    pub const fn name(self) -> &'static str {
        self.def().name
    }

    /// Parses a language name or common alias (`py`, `js`, `ts`, `kt`, `golang`, `rs`, `c++`…),
    /// case-insensitively.
    pub fn from_name(name: &str) -> Result<Language> {
        let lower = name.trim().to_ascii_lowercase();
        let lower = lower.as_str();
        LANGUAGES
            .iter()
            .find(|d| d.name == lower || d.aliases.contains(&lower))
            .map(|d| d.language)
            .ok_or_else(|| Error::UnknownLanguage(name.to_string()))
    }

    /// The language of a file extension (without the dot), if any.
    pub fn from_extension(ext: &str) -> Option<Language> {
        let lower = ext.to_ascii_lowercase();
        let lower = lower.as_str();
        LANGUAGES
            .iter()
            .find(|d| d.extensions.contains(&lower))
            .map(|d| d.language)
    }

    /// The language named by a `#!` line (`#!/usr/bin/env python3`, `#!/usr/bin/node`…), if any.
    pub fn from_shebang(text: &[u8]) -> Option<Language> {
        let first = text.split(|&b| b == b'\n').next()?;
        let line = std::str::from_utf8(first.strip_prefix(b"#!")?).ok()?;
        let mut words = line.split_whitespace();
        let mut prog = words.next()?.rsplit('/').next()?;
        if prog == "env" {
            prog = words.find(|w| !w.starts_with('-'))?;
        }
        let prog = prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        LANGUAGES
            .iter()
            .find(|d| d.interpreters.contains(&prog))
            .map(|d| d.language)
    }

    /// Detects the language of a file from its extension, then from a shebang line.
    pub fn detect(path: &Path, text: &[u8]) -> Option<Language> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Language::from_extension)
            .or_else(|| Language::from_shebang(text))
    }

    /// How a line comment starts (`#` in Python, `//` in the others): the syntax a host uses
    /// to write a comment, such as a suppression ([`crate::profile::suppression_comment`]).
    ///
    /// ```
    /// use codetable::Language;
    /// assert_eq!(Language::Python.line_comment(), "#");
    /// assert_eq!(Language::Kotlin.line_comment(), "//");
    /// ```
    pub const fn line_comment(self) -> &'static str {
        match self {
            Language::Python => "#",
            Language::JavaScript
            | Language::TypeScript
            | Language::Tsx
            | Language::Java
            | Language::Kotlin
            | Language::Go
            | Language::Rust
            | Language::C
            | Language::Cpp => "//",
        }
    }

    /// The tree-sitter grammar.
    pub fn grammar(self) -> tree_sitter::Language {
        (self.def().grammar)()
    }

    pub(crate) fn spec(self) -> &'static Spec {
        self.def().spec
    }

    /// The resolved kind table of this language (built once per process).
    pub(crate) fn table(self) -> &'static KindTable {
        static TABLES: [OnceLock<KindTable>; COUNT] = [const { OnceLock::new() }; COUNT];
        TABLES[self as usize].get_or_init(|| KindTable::build(self))
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Language {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Language::from_name(s)
    }
}

impl serde::Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Language::from_name(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Detection does not depend on the order of the table: no name, extension or interpreter
    /// belongs to two languages.
    #[test]
    fn names_extensions_and_interpreters_are_unique() {
        let lists: [fn(&LanguageDef) -> Vec<&'static str>; 3] = [
            |d| {
                std::iter::once(d.name)
                    .chain(d.aliases.iter().copied())
                    .collect()
            },
            |d| d.extensions.to_vec(),
            |d| d.interpreters.to_vec(),
        ];
        for list in lists {
            let mut seen = std::collections::HashMap::new();
            for d in LANGUAGES {
                for word in list(d) {
                    assert_eq!(word, word.to_ascii_lowercase(), "{word} is not lowercase");
                    if let Some(other) = seen.insert(word, d.language) {
                        panic!("{word:?} names both {other} and {}", d.language);
                    }
                }
            }
        }
    }

    #[test]
    fn every_language_round_trips_through_its_name() {
        for lang in Language::ALL {
            assert_eq!(Language::from_name(lang.name()).unwrap(), lang);
        }
    }
}
