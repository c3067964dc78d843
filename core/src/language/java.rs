//! Java: how the language is named and detected, its grammar and its node-kind table.

use super::kinds::{unit, Child, NameRule, Spec, NAME};
use super::{Language, LanguageDef};
use crate::unit::UnitKind;

/// Java in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::Java,
    name: "java",
    aliases: &[],
    extensions: &["java"],
    interpreters: &[],
    grammar: || tree_sitter_java::LANGUAGE.into(),
    spec: &SPEC,
};

static SPEC: Spec = Spec {
    units: &[
        unit("method_declaration", UnitKind::Method, NAME),
        unit("constructor_declaration", UnitKind::Constructor, NAME),
        unit(
            "compact_constructor_declaration",
            UnitKind::Constructor,
            NAME,
        ),
        unit("class_declaration", UnitKind::Class, NAME),
        unit("record_declaration", UnitKind::Class, NAME),
        unit("interface_declaration", UnitKind::Interface, NAME),
        unit("annotation_type_declaration", UnitKind::Interface, NAME),
        unit("enum_declaration", UnitKind::Enum, NAME),
        unit("lambda_expression", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &["identifier", "type_identifier"],
    literals: &[
        "string_literal",
        "text_block",
        "character_literal",
        "decimal_integer_literal",
        "hex_integer_literal",
        "octal_integer_literal",
        "binary_integer_literal",
        "decimal_floating_point_literal",
        "hex_floating_point_literal",
        "true",
        "false",
        "null_literal",
    ],
    strings: &["string_literal", "text_block"],
    comments: &["line_comment", "block_comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("method_invocation", Child::Field("name")),
        ("method_invocation", Child::Field("object")),
        ("object_creation_expression", Child::Field("type")),
    ],
    attributes: &[("field_access", Child::Field("field"))],
    keyword_args: &[],
    imports: &["import_declaration", "package_declaration"],
    paths: &[
        "annotation",
        "marker_annotation",
        "scoped_identifier",
        "scoped_type_identifier",
    ],
    comparisons: &["binary_expression"],
    operators: &[
        "unary_expression",
        "assignment_expression",
        "update_expression",
    ],
    namers: &[("variable_declarator", Child::Field("name"))],
    namer_passthrough: &[],
    constructor_names: &[],
};
