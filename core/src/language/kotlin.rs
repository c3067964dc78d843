//! Kotlin: how the language is named and detected, its grammar and its node-kind table.

use super::kinds::{unit, Child, NameRule, Spec, NAME};
use super::{Language, LanguageDef};
use crate::unit::UnitKind;

/// Kotlin in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::Kotlin,
    name: "kotlin",
    aliases: &["kt", "kts"],
    extensions: &["kt", "kts"],
    interpreters: &["kotlin", "kscript"],
    grammar: || tree_sitter_kotlin_ng::LANGUAGE.into(),
    spec: &SPEC,
};

static SPEC: Spec = Spec {
    units: &[
        unit("function_declaration", UnitKind::Function, NAME),
        unit(
            "secondary_constructor",
            UnitKind::Constructor,
            NameRule::Fixed("constructor"),
        ),
        unit("class_declaration", UnitKind::Class, NAME),
        unit("object_declaration", UnitKind::Class, NAME),
        unit(
            "companion_object",
            UnitKind::Class,
            NameRule::Fixed("Companion"),
        ),
        unit("lambda_literal", UnitKind::Lambda, NameRule::FromParent),
        unit("anonymous_function", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &["identifier"],
    literals: &[
        "string_literal",
        "multiline_string_literal",
        "number_literal",
        "float_literal",
        "character_literal",
    ],
    strings: &["string_literal", "multiline_string_literal"],
    comments: &["line_comment", "block_comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("call_expression", Child::FirstNamed),
        ("constructor_invocation", Child::FirstNamed),
    ],
    attributes: &[("navigation_expression", Child::LastNamed)],
    keyword_args: &[("value_argument", Child::FirstOfMany)],
    imports: &["import", "package_header"],
    paths: &["annotation", "qualified_identifier"],
    comparisons: &[
        "binary_expression",
        "equality_expression",
        "comparison_expression",
    ],
    operators: &["unary_expression", "prefix_expression", "assignment"],
    namers: &[("property_declaration", Child::Kind("variable_declaration"))],
    namer_passthrough: &[],
    constructor_names: &[],
};
