//! Languages: the [`Language`] enum, detection by name, extension and shebang, and the one table
//! that lists every language the crate supports ([`LANGUAGES`]).
//!
//! Each language lives in a module of its own (`python.rs`, `java.rs`…) that fills in one
//! [`LanguageDef`]: its names, extensions and grammar, its node-kind table ([`Spec`]) and its quirks.
//! The shared machinery sits beside them ([`kinds`] resolves a table to kind ids, [`imports`]
//! walks a file's top-level statements for its language's import collector). Nothing here
//! knows a language by name: adding one is a module, an enum variant and a line in [`LANGUAGES`].

use std::path::Path;
use std::sync::OnceLock;

use tree_sitter::Node;

use crate::error::{Error, Result};
use crate::unit::UnitKind;

mod imports;
mod kinds;

mod c;
mod cpp;
mod go;
mod java;
mod javascript;
mod kotlin;
mod python;
mod rust;
mod typescript;

pub(crate) use imports::ImportCollector;
pub use imports::ImportTable;
pub(crate) use kinds::{
    Child, KindTable, NameRule, Spec, F_ANCHOR_PARENT, F_COMMENT, F_COMPARISON, F_IDENT, F_IMPORT,
    F_LITERAL, F_OPERATOR, F_PAREN, F_PATH, F_STRING, F_SUBSTITUTION, F_UNIT,
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

/// How the units of a language are told apart beyond the [`Spec`]'s unit rules.
pub(crate) struct UnitQuirks {
    /// Refines the kind a unit rule gave a node (Kotlin: a `class_declaration` that is an
    /// interface or an enum class).
    pub refine_kind: Option<fn(Node<'_>, UnitKind) -> UnitKind>,
    /// The text naming the type a method belongs to when the method is declared outside it (Go
    /// receivers), given the unit node and the file's text; the walk cuts it to a name and
    /// qualifies the method's name with it.
    pub owner: Option<for<'t> fn(Node<'_>, &'t str) -> Option<&'t str>>,
    /// A method named after the type that holds it is a constructor (C++).
    pub constructor_is_type_name: bool,
}

impl UnitQuirks {
    /// Units as the spec's unit rules say.
    pub(crate) const NONE: UnitQuirks = UnitQuirks {
        refine_kind: None,
        owner: None,
        constructor_is_type_name: false,
    };
}

/// What rule matching needs to know of a language beyond its [`Spec`]. The matching vocabulary
/// every grammar shares (punctuation, path kinds, omittable fields, optional modifiers…) lives in
/// `rule::lang`; these are the facts of one language only.
pub(crate) struct RuleFacts {
    /// A call whose callee is split over two fields (Java `a.b.C.m(x)`: `object` + `name`).
    pub split_call: Option<SplitCallRule>,
    /// Named kinds a template may leave out, besides the shared ones (TypeScript's
    /// `override_modifier`).
    pub optional_kinds: &'static [&'static str],
    /// Anonymous tokens a template may leave out (JavaScript and TypeScript member modifiers).
    pub optional_tokens: &'static [&'static str],
}

impl RuleFacts {
    /// A language with no rule facts of its own.
    pub(crate) const NONE: RuleFacts = RuleFacts {
        split_call: None,
        optional_kinds: &[],
        optional_tokens: &[],
    };
}

/// A call kind whose callee is spread over two fields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SplitCallRule {
    /// The call's node kind.
    pub kind: &'static str,
    /// The field of the object the method is called on.
    pub object: &'static str,
    /// The field of the method name.
    pub name: &'static str,
}

/// How a rule template (a snippet with metavariables) is made to parse in a language: the
/// wrappers tried around it and the stand-ins written for metavariables where an expression
/// would not parse. `rule::template` spells the stand-ins; a language only chooses them.
pub(crate) struct TemplateQuirks {
    /// (prefix, suffix) pairs tried in order until the snippet parses without errors.
    pub wrappers: &'static [(&'static str, &'static str)],
    /// The wrapper that places an annotation or decorator on a declaration; tried first for
    /// snippets starting with `@` or `#[`.
    pub annotation_wrapper: Option<(&'static str, &'static str)>,
    /// A wrapper tried before the others for the snippets the function accepts (Java: a snippet
    /// starting with a modifier only members carry is a member, not a local variable).
    pub member_wrapper: Option<(fn(&str) -> bool, (&'static str, &'static str))>,
    /// How metavariables standing for parameters are given a type, when the grammar needs one.
    pub param_type: Option<ParamType>,
    /// How a `$$$` standing among class members is written, when class bodies hold members
    /// only (Java, Kotlin).
    pub member_multi: Option<MemberMulti>,
    /// A `$$$` ending an item list is also tried as a macro invocation item (Rust `mod m { $$$ }`,
    /// `impl S { $$$ }`).
    pub macro_items: bool,
    /// True when a parse without errors still is not what the template means; given the
    /// snippet, the wrapped source and its tree (Kotlin).
    pub misread: Option<fn(&str, &str, &tree_sitter::Tree) -> bool>,
}

impl TemplateQuirks {
    /// No wrappers and no quirks; languages fill in their wrappers and keep the rest.
    pub(crate) const NONE: TemplateQuirks = TemplateQuirks {
        wrappers: &[],
        annotation_wrapper: None,
        member_wrapper: None,
        param_type: None,
        member_multi: None,
        macro_items: false,
        misread: None,
    };
}

/// Where a placeholder in a parameter list gets a type so that it parses as a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamType {
    /// `name: Type` (Kotlin, Rust).
    Suffix,
    /// `Type name` (Java, C, C++).
    Prefix,
}

/// How a `$$$` among class members is written so that the class body parses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MemberMulti {
    /// A field of the placeholder type (Java `__ctmvt __ctmvs_A;`).
    Field,
    /// A property of the placeholder type (Kotlin `val __ctmvs_A: __ctmvt;`).
    Property,
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
