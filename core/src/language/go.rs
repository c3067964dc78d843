//! Go: names and extensions, grammar, node-kind table, import collector, the receiver type that
//! qualifies a method's name, and the wrappers rule templates are parsed in. Everything the crate
//! knows about Go.

use tree_sitter::Node;

use super::imports::{unquote, ImportTable, NodeText};
use super::kinds::{unit, Child, NameRule, Spec, UnitRule, NAME};
use super::{FlowFacts, Language, LanguageDef, RuleFacts, TemplateQuirks, UnitQuirks};
use crate::unit::UnitKind;

/// Go in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::Go,
    name: "go",
    aliases: &["golang"],
    extensions: &["go"],
    interpreters: &[],
    grammar: || tree_sitter_go::LANGUAGE.into(),
    spec: &SPEC,
    units: UnitQuirks {
        owner: Some(receiver_type),
        ..UnitQuirks::NONE
    },
    imports: Some(collect_imports),
    rules: RuleFacts {
        flow: FLOW,
        ..RuleFacts::NONE
    },
    templates: TemplateQuirks {
        wrappers: &[
            ("package __ct\nfunc __ct() {\n", "\n}"),
            ("package __ct\n", "\n"),
            ("", ""),
            ("package __ct\nvar __ct = ", "\n"),
        ],
        ..TemplateQuirks::NONE
    },
};

/// `:=`, `=` and `var` / `const` specs bind locals (lists pair by position; `+=` binds an
/// unknown value); parameters, range variables and receives bind values flow does not follow.
const FLOW: FlowFacts = FlowFacts {
    defs: &[
        ("short_var_declaration", "left", "right"),
        ("assignment_statement", "left", "right"),
        ("var_spec", "name", "value"),
        ("const_spec", "name", "value"),
    ],
    binders: &[
        ("parameter_list", ""),
        ("range_clause", "left"),
        ("receive_statement", "left"),
        ("inc_statement", ""),
        ("dec_statement", ""),
    ],
    operators: &["binary_expression"],
    ..FlowFacts::NONE
};

static SPEC: Spec = Spec {
    units: &[
        unit("function_declaration", UnitKind::Function, NAME),
        unit("method_declaration", UnitKind::Method, NAME),
        UnitRule {
            kind: "type_spec",
            unit: UnitKind::Struct,
            name: NAME,
            requires_field: None,
            field_kind: Some(("type", "struct_type")),
        },
        UnitRule {
            kind: "type_spec",
            unit: UnitKind::Interface,
            name: NAME,
            requires_field: None,
            field_kind: Some(("type", "interface_type")),
        },
        unit("func_literal", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "package_identifier",
    ],
    literals: &[
        "interpreted_string_literal",
        "raw_string_literal",
        "int_literal",
        "float_literal",
        "imaginary_literal",
        "rune_literal",
        "true",
        "false",
        "nil",
        "iota",
    ],
    strings: &["interpreted_string_literal", "raw_string_literal"],
    comments: &["comment"],
    parens: &["parenthesized_expression"],
    calls: &[("call_expression", Child::Field("function"))],
    attributes: &[("selector_expression", Child::Field("field"))],
    keyword_args: &[("keyed_element", Child::Field("key"))],
    imports: &["import_declaration", "package_clause"],
    paths: &["qualified_type"],
    comparisons: &["binary_expression"],
    operators: &[
        "unary_expression",
        "assignment_statement",
        "inc_statement",
        "dec_statement",
    ],
    namers: &[
        ("short_var_declaration", Child::Field("left")),
        ("assignment_statement", Child::Field("left")),
        ("var_spec", Child::Field("name")),
    ],
    namer_passthrough: &["expression_list"],
    constructor_names: &[],
};

/// `import "a/b"` binds `b`, `import x "a/b"` binds `x` (blank and dot imports bind nothing).
fn collect_imports<'t>(t: &mut ImportTable, node: Node<'t>, src: &NodeText<'t>) -> bool {
    if node.kind() != "import_declaration" {
        return true;
    }
    let mut specs = Vec::new();
    let mut c = node.walk();
    for child in node.named_children(&mut c) {
        match child.kind() {
            "import_spec" => specs.push(child),
            "import_spec_list" => {
                let mut c = child.walk();
                specs.extend(
                    child
                        .named_children(&mut c)
                        .filter(|n| n.kind() == "import_spec"),
                );
            }
            _ => {}
        }
    }
    for spec in specs {
        let Some(path) = spec.child_by_field_name("path") else {
            continue;
        };
        let q = unquote(src(path)).to_string();
        let local = match spec.child_by_field_name("name") {
            Some(n) if n.kind() == "package_identifier" => src(n).to_string(),
            Some(_) => continue,
            None => q.rsplit('/').next().unwrap_or("").to_string(),
        };
        t.bind(&local, q);
    }
    true
}

/// The receiver type of a method (`func (s *Server) Run()` → `Server`), which qualifies its name.
fn receiver_type<'t>(node: Node<'_>, text: &'t str) -> Option<&'t str> {
    if node.kind() != "method_declaration" {
        return None;
    }
    let t = node
        .child_by_field_name("receiver")?
        .named_child(0)?
        .child_by_field_name("type")?;
    Some(
        text.get(t.byte_range())
            .unwrap_or("")
            .trim_start_matches('*'),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{bindings, named, pairs, units};
    use crate::Language::Go;
    use crate::UnitKind::*;

    #[test]
    fn imports_bind_package_names_and_aliases() {
        let src = "package p\nimport (\n\t\"os/exec\"\n\tm \"crypto/md5\"\n\t_ \"embed\"\n\t. \"fmt\"\n)\n";
        let expected = [("exec", "os/exec"), ("m", "crypto/md5")];
        assert_eq!(bindings(Go, src), pairs(&expected));
    }

    #[test]
    fn methods_are_qualified_by_their_receiver_type() {
        let src = "package p\ntype Server struct{}\nfunc (s *Server) Run() {}\n\
                   func (s Stack[T]) Push(v T) {}\nfunc main() {}\n";
        let found = units(Go, src);
        let expected = [
            (Module, ""),
            (Struct, "Server"),
            (Method, "Server.Run"),
            (Method, "Stack.Push"),
            (Function, "main"),
        ];
        assert_eq!(found, named(&expected));
    }
}
