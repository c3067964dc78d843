//! Python 3: how the language is named and detected, its grammar and its node-kind table.

use super::kinds::{unit, Child, NameRule, Spec, NAME};
use super::{Language, LanguageDef};
use crate::unit::UnitKind;

/// Python in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::Python,
    name: "python",
    aliases: &["py", "python3"],
    extensions: &["py", "pyw", "pyi"],
    interpreters: &["python", "pypy"],
    grammar: || tree_sitter_python::LANGUAGE.into(),
    spec: &SPEC,
};

static SPEC: Spec = Spec {
    units: &[
        unit("function_definition", UnitKind::Function, NAME),
        unit("class_definition", UnitKind::Class, NAME),
        unit("lambda", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &["identifier"],
    literals: &[
        "string",
        "concatenated_string",
        "integer",
        "float",
        "true",
        "false",
        "none",
        "ellipsis",
    ],
    strings: &["string", "concatenated_string"],
    comments: &["comment"],
    parens: &["parenthesized_expression"],
    calls: &[("call", Child::Field("function"))],
    attributes: &[("attribute", Child::Field("attribute"))],
    keyword_args: &[("keyword_argument", Child::Field("name"))],
    imports: &[
        "import_statement",
        "import_from_statement",
        "future_import_statement",
    ],
    paths: &["decorator"],
    comparisons: &["comparison_operator"],
    operators: &[
        "binary_operator",
        "boolean_operator",
        "augmented_assignment",
        "unary_operator",
        "not_operator",
    ],
    namers: &[("assignment", Child::Field("left"))],
    namer_passthrough: &[],
    constructor_names: &["__init__", "__new__"],
};
