//! Kotlin: how the language is named and detected, its grammar and its node-kind table.

use tree_sitter::Node;

use super::imports::ImportTable;
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
    imports: Some(collect_imports),
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

/// `import a.b.C` binds `C`, `import a.b.C as D` binds `D`; looks inside the `import_list`.
fn collect_imports<'t>(
    t: &mut ImportTable,
    node: Node<'t>,
    src: &dyn Fn(Node<'t>) -> &'t str,
) -> bool {
    match node.kind() {
        "import" => {
            let mut c = node.walk();
            let ids: Vec<_> = node.named_children(&mut c).collect();
            let Some(path) = ids.iter().find(|n| n.kind() == "qualified_identifier") else {
                return true;
            };
            let q = src(*path).replace(char::is_whitespace, "");
            let alias = ids
                .iter()
                .rev()
                .find(|n| n.kind() == "identifier" && n.start_byte() > path.end_byte());
            match alias {
                Some(a) => t.bind(src(*a), q),
                None => {
                    if let Some(last) = q.rsplit('.').next() {
                        t.bind(last, q.clone());
                    }
                }
            }
            true
        }
        "import_list" => false,
        _ => true,
    }
}
