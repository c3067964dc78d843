//! Rust: names and extensions, grammar, node-kind table, import collector (`use` trees) and
//! template quirks (typed parameter stand-ins, macro items for `$$$` in item lists). Everything
//! the crate knows about Rust.

use tree_sitter::Node;

use super::imports::{ImportTable, NodeText};
use super::kinds::{unit, unit_with_body, Child, NameRule, Spec, NAME};
use super::{FlowFacts, Language, LanguageDef, ParamType, RuleFacts, TemplateQuirks, UnitQuirks};
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
    units: UnitQuirks::NONE,
    imports: Some(collect_imports),
    rules: RuleFacts {
        flow: FLOW,
        ..RuleFacts::NONE
    },
    templates: TemplateQuirks {
        wrappers: &[
            ("fn __ct() {\n", "\n}"),
            ("fn __ct() {\n", ";\n}"),
            ("", ""),
            ("impl __CT {\n", "\n}"),
            ("", "\nfn __ct() {}"),
        ],
        annotation_wrapper: Some(("", "\nfn __ct() {}")),
        param_type: Some(ParamType::Suffix),
        macro_items: true,
        ..TemplateQuirks::NONE
    },
};

/// `let` (a pattern binds every name in it to an unknown value unless it is a name, and a
/// tuple pattern pairs with a tuple by position), `if let` / `while let` and `=` assignments
/// bind locals (`+=` binds an unknown value); parameters, closure parameters, `for` patterns
/// and `match` arms bind values flow does not follow. `+` over constants is constant (a
/// `format!` is a macro call, never constant).
const FLOW: FlowFacts = FlowFacts {
    defs: &[
        ("let_declaration", "pattern", "value"),
        ("let_condition", "pattern", "value"),
        ("assignment_expression", "left", "right"),
        ("compound_assignment_expr", "left", "right"),
    ],
    binders: &[
        ("parameters", ""),
        ("closure_parameters", ""),
        ("for_expression", "pattern"),
        ("match_pattern", ""),
    ],
    operators: &["binary_expression"],
    ..FlowFacts::NONE
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
        unit_with_body("mod_item", UnitKind::Namespace, NAME),
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

/// `use a::b::c;`, `use a::b as x;` and nested use lists (`use a::{b, c::{d as e}};`).
fn collect_imports<'t>(t: &mut ImportTable, node: Node<'t>, src: &NodeText<'t>) -> bool {
    if node.kind() != "use_declaration" {
        return true;
    }
    let Some(arg) = node.child_by_field_name("argument") else {
        return true;
    };
    // Iterative walk over nested use lists: (node, prefix).
    let mut stack = vec![(arg, String::new())];
    while let Some((n, prefix)) = stack.pop() {
        let join = |p: &str, s: &str| {
            if p.is_empty() {
                s.to_string()
            } else {
                format!("{p}::{s}")
            }
        };
        match n.kind() {
            "scoped_identifier" | "identifier" => {
                let q = join(&prefix, src(n));
                if let Some(last) = q.rsplit("::").next() {
                    t.bind(last, q.clone());
                }
            }
            "use_as_clause" => {
                if let (Some(p), Some(a)) = (
                    n.child_by_field_name("path"),
                    n.child_by_field_name("alias"),
                ) {
                    t.bind(src(a), join(&prefix, src(p)));
                }
            }
            "scoped_use_list" => {
                let p = n
                    .child_by_field_name("path")
                    .map(|p| join(&prefix, src(p)))
                    .unwrap_or(prefix);
                if let Some(list) = n.child_by_field_name("list") {
                    let mut c = list.walk();
                    for item in list.named_children(&mut c) {
                        stack.push((item, p.clone()));
                    }
                }
            }
            "use_list" => {
                let mut c = n.walk();
                for item in n.named_children(&mut c) {
                    stack.push((item, prefix.clone()));
                }
            }
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::testing::{bindings, pairs};
    use crate::Language::Rust;

    #[test]
    fn use_trees_bind_each_leaf() {
        let src = "use std::process::Command;\nuse std::fs::{self, read as r, write};\n\
                   use std::io::{prelude::*, Read};\nfn f() {}\n";
        let expected = [
            ("Command", "std::process::Command"),
            ("Read", "std::io::Read"),
            ("r", "std::fs::read"),
            ("write", "std::fs::write"),
        ];
        assert_eq!(bindings(Rust, src), pairs(&expected));
    }
}
