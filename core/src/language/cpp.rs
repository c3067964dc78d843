//! C++: how the language is named and detected, its grammar and its node-kind table.

use super::kinds::{unit, Child, NameRule, Spec, UnitRule, NAME};
use super::{Language, LanguageDef, ParamType, RuleFacts, TemplateQuirks, UnitQuirks};
use crate::unit::UnitKind;

/// Cpp in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::Cpp,
    name: "cpp",
    aliases: &["c++", "cxx", "cc"],
    extensions: &["cc", "cpp", "cxx", "c++", "hpp", "hh", "hxx", "h++", "ipp"],
    interpreters: &[],
    grammar: || tree_sitter_cpp::LANGUAGE.into(),
    spec: &SPEC,
    units: UnitQuirks {
        constructor_is_type_name: true,
        ..UnitQuirks::NONE
    },
    imports: None,
    rules: RuleFacts::NONE,
    templates: TemplateQuirks {
        wrappers: &[
            ("void __ct(void) {\n", "\n}"),
            ("void __ct(void) {\n", ";\n}"),
            ("", ""),
            ("class __CT {\n", "\n};"),
        ],
        param_type: Some(ParamType::Prefix),
        ..TemplateQuirks::NONE
    },
};

static SPEC: Spec = Spec {
    units: &[
        unit(
            "function_definition",
            UnitKind::Function,
            NameRule::Declarator(&[
                "identifier",
                "field_identifier",
                "qualified_identifier",
                "destructor_name",
                "operator_name",
                "type_identifier",
            ]),
        ),
        UnitRule {
            kind: "class_specifier",
            unit: UnitKind::Class,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
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
        UnitRule {
            kind: "namespace_definition",
            unit: UnitKind::Namespace,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        unit("lambda_expression", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "statement_identifier",
        "namespace_identifier",
    ],
    literals: super::c::LITERALS,
    strings: &[
        "string_literal",
        "concatenated_string",
        "raw_string_literal",
    ],
    comments: &["comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("call_expression", Child::Field("function")),
        ("new_expression", Child::Field("type")),
    ],
    attributes: &[("field_expression", Child::Field("field"))],
    keyword_args: &[],
    imports: &["preproc_include", "using_declaration"],
    paths: &["qualified_identifier", "template_function"],
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
