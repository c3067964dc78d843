//! C: how the language is named and detected, its grammar and its node-kind table.

use super::kinds::{unit, Child, NameRule, Spec, UnitRule, NAME};
use super::{Language, LanguageDef, ParamType, RuleFacts, TemplateQuirks, UnitQuirks};
use crate::unit::UnitKind;

/// C in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::C,
    name: "c",
    aliases: &[],
    extensions: &["c", "h"],
    interpreters: &[],
    grammar: || tree_sitter_c::LANGUAGE.into(),
    spec: &SPEC,
    units: UnitQuirks::NONE,
    imports: None,
    rules: RuleFacts::NONE,
    templates: TemplateQuirks {
        wrappers: &[
            ("void __ct(void) {\n", "\n}"),
            ("void __ct(void) {\n", ";\n}"),
            ("", ""),
        ],
        param_type: Some(ParamType::Prefix),
        ..TemplateQuirks::NONE
    },
};

/// Literal kinds, shared with C++.
pub(super) const LITERALS: &[&str] = &[
    "string_literal",
    "concatenated_string",
    "raw_string_literal",
    "char_literal",
    "number_literal",
    "true",
    "false",
    "null",
    "nullptr",
    "system_lib_string",
];

static SPEC: Spec = Spec {
    units: &[
        unit(
            "function_definition",
            UnitKind::Function,
            NameRule::Declarator(&["identifier", "field_identifier", "type_identifier"]),
        ),
        UnitRule {
            kind: "struct_specifier",
            unit: UnitKind::Struct,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        UnitRule {
            kind: "union_specifier",
            unit: UnitKind::Struct,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        UnitRule {
            kind: "enum_specifier",
            unit: UnitKind::Enum,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "statement_identifier",
    ],
    literals: LITERALS,
    strings: &[
        "string_literal",
        "concatenated_string",
        "raw_string_literal",
    ],
    comments: &["comment"],
    parens: &["parenthesized_expression"],
    calls: &[("call_expression", Child::Field("function"))],
    attributes: &[("field_expression", Child::Field("field"))],
    keyword_args: &[],
    imports: &["preproc_include"],
    paths: &[],
    comparisons: &["binary_expression"],
    operators: &[
        "unary_expression",
        "assignment_expression",
        "update_expression",
        "pointer_expression",
    ],
    namers: &[("init_declarator", Child::Field("declarator"))],
    namer_passthrough: &[],
    constructor_names: &[],
};
