//! C: how the language is named and detected, its grammar and its node-kind table.

use super::kinds::{unit, unit_with_body, Child, NameRule, Spec, NAME};
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

const LITERALS: &[&str] = &[
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

/// Also the base of C++'s table.
pub(super) static SPEC: Spec = Spec {
    units: &[
        unit(
            "function_definition",
            UnitKind::Function,
            NameRule::Declarator(&["identifier", "field_identifier", "type_identifier"]),
        ),
        unit_with_body("struct_specifier", UnitKind::Struct, NAME),
        unit_with_body("union_specifier", UnitKind::Struct, NAME),
        unit_with_body("enum_specifier", UnitKind::Enum, NAME),
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
