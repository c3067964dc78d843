//! Python 3: names, extensions and interpreters, grammar, node-kind table, import collector
//! (`import m as a`, `from m import n`) and the wrappers rule templates are parsed in.
//! Everything the crate knows about Python, and nothing about another language.

use tree_sitter::Node;

use super::imports::{ImportTable, NodeText};
use super::kinds::{unit, Child, NameRule, Spec, NAME};
use super::{FlowFacts, Language, LanguageDef, RuleFacts, TemplateQuirks, UnitQuirks};
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
    units: UnitQuirks::NONE,
    imports: Some(collect_imports),
    rules: RuleFacts {
        flow: FLOW,
        ..RuleFacts::NONE
    },
    templates: TemplateQuirks {
        wrappers: &[
            ("", ""),
            ("def __ct():\n", ""),
            ("", "\ndef __ct():\n    pass"),
        ],
        annotation_wrapper: Some(("", "\ndef __ct():\n    pass")),
        ..TemplateQuirks::NONE
    },
};

/// Assignments bind locals; parameters, loop and `as` targets, walrus, imports and
/// `global` / `nonlocal` bind them to values flow does not follow. f-strings with
/// replacement fields are not constant; `+` and `%` over constants (a tuple of them) are.
const FLOW: FlowFacts = FlowFacts {
    defs: &[
        ("assignment", "left", "right"),
        ("augmented_assignment", "left", "right"),
    ],
    binders: &[
        ("parameters", ""),
        ("lambda_parameters", ""),
        ("for_statement", "left"),
        ("for_in_clause", "left"),
        ("as_pattern", "alias"),
        ("named_expression", "name"),
        ("import_statement", ""),
        ("import_from_statement", ""),
        ("global_statement", ""),
        ("nonlocal_statement", ""),
        ("delete_statement", ""),
    ],
    operators: &["binary_operator", "tuple", "concatenated_string"],
    ..FlowFacts::NONE
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

/// `import m as a` binds `a` to `m`; `from m import n as a` binds `a` (or `n`) to `m.n` (relative
/// dots dropped). Expression statements and `if` and `try` statements are read one level down.
fn collect_imports<'t>(t: &mut ImportTable, node: Node<'t>, src: &NodeText<'t>) -> bool {
    match node.kind() {
        "import_statement" => {
            let mut c = node.walk();
            for name in node.children_by_field_name("name", &mut c) {
                if name.kind() == "dotted_name" {
                    t.module(src(name));
                }
                if name.kind() == "aliased_import" {
                    if let (Some(n), Some(a)) = (
                        name.child_by_field_name("name"),
                        name.child_by_field_name("alias"),
                    ) {
                        t.bind(src(a), src(n).to_string());
                    }
                }
            }
            true
        }
        "import_from_statement" => {
            let module = node
                .child_by_field_name("module_name")
                .map(src)
                .unwrap_or("");
            let module = module.trim_start_matches('.');
            let mut c = node.walk();
            if node
                .named_children(&mut c)
                .any(|k| k.kind() == "wildcard_import")
            {
                t.module(module);
            }
            let mut c = node.walk();
            for name in node.children_by_field_name("name", &mut c) {
                let (n, a) = if name.kind() == "aliased_import" {
                    (
                        name.child_by_field_name("name"),
                        name.child_by_field_name("alias"),
                    )
                } else {
                    (Some(name), Some(name))
                };
                if let (Some(n), Some(a)) = (n, a) {
                    let q = if module.is_empty() {
                        src(n).to_string()
                    } else {
                        format!("{module}.{}", src(n))
                    };
                    t.bind(src(a), q);
                }
            }
            true
        }
        "expression_statement" | "if_statement" | "try_statement" => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{bindings, pairs};
    use crate::Language::Python;

    #[test]
    fn imports_bind_aliases_and_from_names() {
        let src = "import os\nimport hashlib as h\nfrom pickle import loads, dumps as d\n\
                   from .pkg import mod as m\n";
        let expected = [
            ("d", "pickle.dumps"),
            ("h", "hashlib"),
            ("loads", "pickle.loads"),
            ("m", "pkg.mod"),
        ];
        assert_eq!(bindings(Python, src), pairs(&expected));
    }

    #[test]
    fn imports_inside_functions_are_not_read() {
        assert!(bindings(Python, "def f():\n    import hashlib as h\n").is_empty());
    }
}
