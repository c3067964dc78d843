//! Rust: how the language is named and detected, its grammar and its node-kind table.

use super::kinds::{unit, Child, NameRule, Spec, UnitRule, NAME};
use super::{Language, LanguageDef};
use crate::unit::UnitKind;

/// Rust in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::Rust,
    name: "rust",
    aliases: &["rs"],
    extensions: &["rs"],
    interpreters: &[],
    grammar: || tree_sitter_rust::LANGUAGE.into(),
    spec: &SPEC,
};

static SPEC: Spec = Spec {
    units: &[
        unit("function_item", UnitKind::Function, NAME),
        unit(
            "impl_item",
            UnitKind::Impl,
            NameRule::Child(Child::Field("type")),
        ),
        unit("struct_item", UnitKind::Struct, NAME),
        unit("union_item", UnitKind::Struct, NAME),
        unit("enum_item", UnitKind::Enum, NAME),
        unit("trait_item", UnitKind::Interface, NAME),
        UnitRule {
            kind: "mod_item",
            unit: UnitKind::Namespace,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        unit("closure_expression", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "shorthand_field_identifier",
    ],
    literals: &[
        "string_literal",
        "raw_string_literal",
        "char_literal",
        "integer_literal",
        "float_literal",
        "boolean_literal",
    ],
    strings: &["string_literal", "raw_string_literal"],
    comments: &["line_comment", "block_comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("call_expression", Child::Field("function")),
        ("macro_invocation", Child::Field("macro")),
    ],
    attributes: &[("field_expression", Child::Field("field"))],
    keyword_args: &[("field_initializer", Child::Field("field"))],
    imports: &["use_declaration", "extern_crate_declaration"],
    paths: &[
        "scoped_identifier",
        "scoped_type_identifier",
        "attribute_item",
    ],
    comparisons: &["binary_expression"],
    operators: &["unary_expression", "compound_assignment_expr"],
    namers: &[("let_declaration", Child::Field("pattern"))],
    namer_passthrough: &[],
    constructor_names: &[],
};
