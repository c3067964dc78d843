//! JavaScript (ES2023, JSX): how the language is named and detected, its grammar and its node-kind table.

use super::kinds::{unit, Child, NameRule, Spec, UnitRule, NAME};
use super::{Language, LanguageDef};
use crate::unit::UnitKind;

/// JavaScript in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::JavaScript,
    name: "javascript",
    aliases: &["js", "jsx", "node", "ecmascript"],
    extensions: &["js", "mjs", "cjs", "jsx"],
    interpreters: &["node", "nodejs", "deno", "bun"],
    grammar: || tree_sitter_javascript::LANGUAGE.into(),
    spec: &SPEC,
};

const JS_UNITS: &[UnitRule] = &[
    unit("function_declaration", UnitKind::Function, NAME),
    unit("generator_function_declaration", UnitKind::Function, NAME),
    unit("method_definition", UnitKind::Method, NAME),
    unit("class_declaration", UnitKind::Class, NAME),
    unit("class", UnitKind::Class, NameRule::FromParent),
    unit("arrow_function", UnitKind::Lambda, NameRule::FromParent),
    unit(
        "function_expression",
        UnitKind::Lambda,
        NameRule::FromParent,
    ),
    unit("function", UnitKind::Lambda, NameRule::FromParent),
    unit("generator_function", UnitKind::Lambda, NameRule::FromParent),
];

static SPEC: Spec = Spec {
    units: JS_UNITS,
    identifiers: &[
        "identifier",
        "property_identifier",
        "shorthand_property_identifier",
        "private_property_identifier",
    ],
    literals: &[
        "string",
        "template_string",
        "number",
        "true",
        "false",
        "null",
        "undefined",
        "regex",
    ],
    strings: &["string", "template_string"],
    comments: &["comment", "html_comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("call_expression", Child::Field("function")),
        ("new_expression", Child::Field("constructor")),
    ],
    attributes: &[("member_expression", Child::Field("property"))],
    keyword_args: &[("pair", Child::Field("key"))],
    imports: &["import_statement"],
    paths: &["decorator"],
    comparisons: &["binary_expression"],
    operators: &[
        "unary_expression",
        "augmented_assignment_expression",
        "update_expression",
    ],
    namers: &[
        ("variable_declarator", Child::Field("name")),
        ("assignment_expression", Child::Field("left")),
        ("pair", Child::Field("key")),
        ("field_definition", Child::Field("property")),
    ],
    namer_passthrough: &[],
    constructor_names: &["constructor"],
};
