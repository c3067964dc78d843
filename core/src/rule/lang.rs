//! The rule matcher's view of a language on top of the shared [`KindTable`]: which tokens are
//! mere punctuation, which nodes form qualified paths, what a template may leave out, and the
//! `where kind` categories. The vocabulary here is shared by every grammar (a kind a grammar
//! does not have is ignored); a language's own rule facts and template quirks come from its
//! module in [`crate::language`]. Resolved to kind-id–indexed tables once per language and
//! process.

use std::sync::OnceLock;

use crate::language::{
    Child, KindTable, Language, TemplateQuirks, F_COMMENT, F_IDENT, F_LITERAL, F_STRING, F_UNIT,
};

/// Anonymous tokens that matching ignores (brackets, commas, semicolons, quotes, newlines).
const PUNCTUATION: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ",", ";", "\"", "'", "`", "\n", "\r\n",
];

/// Tokens (and, for JavaScript, the named `optional_chain`) that join the parts of a path.
const SEPARATORS: &[&str] = &[".", "::", "?.", "->"];

/// Node kinds that form qualified paths (`a.b.c`, `a::b`, `pkg.Name`) when all their named
/// children are identifiers or paths and all their tokens are separators. Kinds a grammar does
/// not have are ignored.
const PATH_KINDS: &[&str] = &[
    "attribute",
    "member_expression",
    "selector_expression",
    "field_access",
    "scoped_identifier",
    "scoped_type_identifier",
    "navigation_expression",
    "field_expression",
    "qualified_identifier",
    "nested_type_identifier",
    "nested_identifier",
    "qualified_type",
    "dotted_name",
];

/// Keyword-like named leaves that may start a path (`this.x`, `self::f`, `crate::m`).
const PATH_KEYWORDS: &[&str] = &["this", "self", "super", "crate"];

/// Fields a template may leave out: a code child in one of these fields is skipped when the
/// template node has nothing in that field (`else` branches, return types, superclasses, type
/// annotations, Go `if` initializers, Python `raise … from`).
const OMITTABLE_FIELDS: &[&str] = &[
    "alternative",
    "return_type",
    "result",
    "superclasses",
    "superclass",
    "interfaces",
    "type_parameters",
    "type_arguments",
    "cause",
    "initializer",
    "type",
    "optional_chain",
];

/// Children a template may leave out: modifiers and annotations (`public`, `pub`, `@Override`,
/// C/C++ storage-class specifiers: `static`, `extern`, `inline`…), type parameters, and the
/// catch and finally clauses of a try (Java, JavaScript, TypeScript, Kotlin, C++; a Python
/// `finally`, but not its `except` clauses). A code child of one of these kinds is skipped when
/// the template node has no child of that kind (C storage classes the template does write are
/// matched in order).
const OPTIONAL_KINDS: &[&str] = &[
    "modifiers",
    "visibility_modifier",
    "accessibility_modifier",
    "type_parameters",
    "type_arguments",
    "throws",
    "storage_class_specifier",
    "catch_clause",
    "catch_block",
    "finally_clause",
    "finally_block",
];

/// Children a sequence may pass over: a template's catch clauses match some of the code's,
/// in order, so `try { … } catch ($T $E) { … }` finds a try whose second catch clause fits.
const SKIPPABLE_KINDS: &[&str] = &["catch_clause", "catch_block"];

/// Kinds whose children form a set: each child of the template must match a distinct child
/// of the code, in any order, and the code may have more (Java and Kotlin `modifiers`, where
/// `private static final` and `final static private` mean the same).
const SET_KINDS: &[&str] = &["modifiers"];

/// Optional tails: (kind, token). When a template node of the kind has no such token, the
/// code's token and the named node after it are left out: `$T $F;` matches `T f = null;`
/// (Java, JavaScript, TypeScript declarators), Kotlin `var $F` matches `var f: T? = null`
/// (the property's initializer, the variable's type).
const OPTIONAL_TAILS: &[(&str, &str)] = &[
    ("variable_declarator", "="),
    ("property_declaration", "="),
    ("variable_declaration", ":"),
];

/// Literal kinds that are not numbers (for the `number` category).
const NOT_NUMBERS: &[&str] = &[
    "true",
    "false",
    "none",
    "null",
    "null_literal",
    "nil",
    "nullptr",
    "undefined",
    "boolean_literal",
    "ellipsis",
    "character_literal",
    "char_literal",
    "rune_literal",
    "regex",
    "system_lib_string",
    "iota",
];

pub(crate) const R_PUNCT: u16 = 1;
pub(crate) const R_SEP: u16 = 1 << 1;
pub(crate) const R_PATH: u16 = 1 << 2;
pub(crate) const R_IDENT: u16 = 1 << 3;
pub(crate) const R_CAT_STRING: u16 = 1 << 4;
pub(crate) const R_CAT_IDENT: u16 = 1 << 5;
pub(crate) const R_CAT_NUMBER: u16 = 1 << 6;
pub(crate) const R_CAT_LITERAL: u16 = 1 << 7;
pub(crate) const R_CAT_CALL: u16 = 1 << 8;
pub(crate) const R_OPTIONAL: u16 = 1 << 9;
/// Named nodes matching ignores (a stray `;` as an empty statement).
pub(crate) const R_IGNORE: u16 = 1 << 10;
/// Kinds whose children match as a set (see [`SET_KINDS`]).
pub(crate) const R_SET: u16 = 1 << 11;
/// Code nodes a sequence may pass over (see [`SKIPPABLE_KINDS`]).
pub(crate) const R_SKIP: u16 = 1 << 12;

/// A call whose callee is split over two fields (Java `a.b.C.m(x)`: `object` + `name`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SplitCall {
    pub kind: u16,
    pub object: &'static str,
    pub name: &'static str,
}

/// The rule matcher's view of one language.
pub(crate) struct LangInfo {
    pub language: Language,
    pub table: &'static KindTable,
    flags: Vec<u16>,
    keyword: Vec<Option<Child>>,
    /// Per field id: may a template leave this field out?
    omittable: Vec<bool>,
    /// Per kind id: the token that starts an optional tail (see [`OPTIONAL_TAILS`]), or 0.
    tails: Vec<u16>,
    /// Per kind id: the first id with the same name and namedness (a grammar may have
    /// several ids for one token, such as Kotlin's `:`).
    canon: Vec<u16>,
    pub split_call: Option<SplitCall>,
    /// How templates are made to parse in this language.
    pub templates: &'static TemplateQuirks,
}

impl LangInfo {
    /// The tables of `language`, built once per process.
    pub(crate) fn get(language: Language) -> &'static LangInfo {
        static INFOS: [OnceLock<LangInfo>; Language::ALL.len()] =
            [const { OnceLock::new() }; Language::ALL.len()];
        INFOS[language as usize].get_or_init(|| LangInfo::build(language))
    }

    fn build(language: Language) -> LangInfo {
        let grammar = language.grammar();
        let table = language.table();
        let spec = table.spec;
        let def = language.def();
        let facts = &def.rules;
        let n = grammar.node_kind_count();
        let mut flags = vec![0u16; n];
        let mut keyword = vec![None; n];
        let mut tails = vec![0u16; n];
        let mut canon = vec![0u16; n];
        for (id, slot) in flags.iter_mut().enumerate() {
            let name = grammar.node_kind_for_id(id as u16).unwrap_or("");
            let named = grammar.node_kind_is_named(id as u16);
            let t = table.flags(id as u16);
            let mut f = 0;
            if named {
                if PATH_KINDS.contains(&name) {
                    f |= R_PATH;
                }
                if t & F_IDENT != 0 || PATH_KEYWORDS.contains(&name) {
                    f |= R_IDENT;
                }
                if name == "empty_statement" {
                    f |= R_IGNORE;
                }
                if OPTIONAL_KINDS.contains(&name) || facts.optional_kinds.contains(&name) {
                    f |= R_OPTIONAL;
                }
                if SET_KINDS.contains(&name) {
                    f |= R_SET;
                }
                if SKIPPABLE_KINDS.contains(&name) {
                    f |= R_SKIP;
                }
                if name == "optional_chain" {
                    f |= R_SEP;
                }
                if t & F_STRING != 0 {
                    f |= R_CAT_STRING;
                }
                if t & F_IDENT != 0 {
                    f |= R_CAT_IDENT;
                }
                if t & F_LITERAL != 0 {
                    f |= R_CAT_LITERAL;
                    if t & F_STRING == 0 && !NOT_NUMBERS.contains(&name) {
                        f |= R_CAT_NUMBER;
                    }
                }
                if spec.calls.iter().any(|(k, _)| *k == name) {
                    f |= R_CAT_CALL;
                }
                keyword[id] = spec
                    .keyword_args
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, c)| *c);
            } else {
                if PUNCTUATION.contains(&name) || name.trim().is_empty() {
                    f |= R_PUNCT;
                }
                if SEPARATORS.contains(&name) {
                    f |= R_SEP;
                }
                if facts.optional_tokens.contains(&name) {
                    f |= R_OPTIONAL;
                }
            }
            *slot = f;
            canon[id] = match grammar.id_for_node_kind(name, named) {
                0 => id as u16,
                c => c,
            };
            if named {
                if let Some((_, token)) = OPTIONAL_TAILS.iter().find(|(k, _)| *k == name) {
                    tails[id] = grammar.id_for_node_kind(token, false);
                }
            }
        }
        let omittable = (0..=grammar.field_count() as u16)
            .map(|id| {
                grammar
                    .field_name_for_id(id)
                    .is_some_and(|f| OMITTABLE_FIELDS.contains(&f))
            })
            .collect();
        let split_call = facts.split_call.map(|s| SplitCall {
            kind: grammar.id_for_node_kind(s.kind, true),
            object: s.object,
            name: s.name,
        });
        LangInfo {
            language,
            table,
            flags,
            keyword,
            omittable,
            tails,
            canon,
            split_call,
            templates: &def.templates,
        }
    }

    /// Rule flags (`R_*`) of a kind id.
    #[inline]
    pub(crate) fn rflags(&self, kind_id: u16) -> u16 {
        self.flags.get(kind_id as usize).copied().unwrap_or(0)
    }

    /// Shared table flags (`F_*`) of a kind id.
    #[inline]
    pub(crate) fn flags(&self, kind_id: u16) -> u16 {
        self.table.flags(kind_id)
    }

    /// True for nodes matching never looks at: comments and other extras, punctuation tokens,
    /// zero-width tokens and empty statements.
    #[inline]
    pub(crate) fn ignored(&self, n: tree_sitter::Node<'_>) -> bool {
        if n.is_extra() || self.flags(n.kind_id()) & F_COMMENT != 0 {
            return true;
        }
        let rf = self.rflags(n.kind_id());
        if n.is_named() {
            return rf & R_IGNORE != 0;
        }
        rf & R_PUNCT != 0 || n.start_byte() == n.end_byte()
    }

    /// True when `n` may be a unit node.
    #[inline]
    pub(crate) fn maybe_unit(&self, kind_id: u16) -> bool {
        self.flags(kind_id) & F_UNIT != 0
    }

    /// True when `n` is a keyword argument (`kw=1`, Kotlin `name = 1`, `{key: v}` pairs…),
    /// which match in any order.
    #[inline]
    pub(crate) fn is_keyword(&self, n: tree_sitter::Node<'_>) -> bool {
        match self.keyword.get(n.kind_id() as usize) {
            Some(Some(child)) => child.select(n).is_some(),
            _ => false,
        }
    }

    /// True when a template may leave out field `field_id`.
    #[inline]
    pub(crate) fn omittable(&self, field_id: u16) -> bool {
        self.omittable
            .get(field_id as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The token kind that starts an optional tail of `kind_id` nodes (see [`OPTIONAL_TAILS`]),
    /// or `None`; compare it with [`canon`](LangInfo::canon) ids.
    #[inline]
    pub(crate) fn tail_token(&self, kind_id: u16) -> Option<u16> {
        self.tails
            .get(kind_id as usize)
            .copied()
            .filter(|&t| t != 0)
    }

    /// The first kind id with the same name and namedness as `kind_id`.
    #[inline]
    pub(crate) fn canon(&self, kind_id: u16) -> u16 {
        self.canon.get(kind_id as usize).copied().unwrap_or(kind_id)
    }

    /// The kind ids in a `where kind` category, or `None` when `name` is not a category.
    pub(crate) fn category(&self, name: &str) -> Option<u16> {
        Some(match name {
            "string" => R_CAT_STRING,
            "identifier" => R_CAT_IDENT,
            "number" => R_CAT_NUMBER,
            "literal" => R_CAT_LITERAL,
            "call" => R_CAT_CALL,
            _ => return None,
        })
    }

    /// Every kind id whose rule flags intersect `mask`.
    pub(crate) fn kinds_with(&self, mask: u16) -> impl Iterator<Item = u16> + '_ {
        self.flags
            .iter()
            .enumerate()
            .filter(move |(_, f)| **f & mask != 0)
            .map(|(id, _)| id as u16)
    }
}
