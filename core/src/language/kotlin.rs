//! Kotlin: names, extensions and interpreters, grammar, node-kind table, import collector, unit
//! quirks (interfaces and enum classes are `class_declaration`s) and template quirks (typed
//! stand-ins, property members, parses the grammar misreads). Everything the crate knows about
//! Kotlin.

use tree_sitter::{Node, Tree};

use super::imports::{ImportTable, NodeText};
use super::kinds::{unit, Child, NameRule, Spec, NAME};
use super::{
    FlowFacts, Language, LanguageDef, MemberMulti, ParamType, RuleFacts, TemplateQuirks, UnitQuirks,
};
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
    units: UnitQuirks {
        refine_kind: Some(refine_unit),
        ..UnitQuirks::NONE
    },
    imports: Some(collect_imports),
    rules: RuleFacts {
        flow: FLOW,
        ..RuleFacts::NONE
    },
    templates: TemplateQuirks {
        wrappers: &[
            ("", ""),
            ("fun __ct() {\n", "\n}"),
            ("class __CT {\n", "\n}"),
            ("", "\nfun __ct() {}"),
        ],
        annotation_wrapper: Some(("", "\nfun __ct() {}")),
        param_type: Some(ParamType::Suffix),
        member_multi: Some(MemberMulti::Property),
        misread: Some(misread),
        ..TemplateQuirks::NONE
    },
};

/// `val`/`var` declarations (no fields in this grammar: the name is the `variable_declaration`,
/// the value follows `=`; `val (a, b) = p` binds both to an unknown value) and `=` assignments
/// bind locals (`+=` binds an unknown value); parameters, `for` variables and catch parameters
/// bind values flow does not follow. A string with a `${…}` (or, see `rule::flow`, a `$name`)
/// is not constant; `+` over constants is.
const FLOW: FlowFacts = FlowFacts {
    defs: &[("assignment", "left", "right")],
    binders: &[("function_value_parameters", ""), ("lambda_parameters", "")],
    operators: &["binary_expression", "additive_expression"],
    token_defs: &[(
        "property_declaration",
        &["variable_declaration", "multi_variable_declaration"],
        "=",
    )],
    kind_binders: &[
        ("for_statement", "variable_declaration"),
        ("for_statement", "multi_variable_declaration"),
        ("catch_block", "identifier"),
    ],
    ..FlowFacts::NONE
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
fn collect_imports<'t>(t: &mut ImportTable, node: Node<'t>, src: &NodeText<'t>) -> bool {
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

/// True when a parse without errors still is not what the template means. The Kotlin grammar
/// reads `class C { x }` as an enum class with the entry `x` (a template that does not say
/// `enum` must not compile to an enum class body: its `$$$` then becomes a member) and
/// `companion object { x }` as an infix call of a function named `companion` (a hard keyword
/// used as an identifier).
fn misread(snippet: &str, src: &str, tree: &Tree) -> bool {
    const HARD_KEYWORDS: &[&str] = &["object", "class", "interface", "fun", "val", "var"];
    let enum_ok = snippet.contains("enum");
    let mut c = tree.walk();
    loop {
        let n = c.node();
        if n.kind() == "enum_class_body" && !enum_ok {
            return true;
        }
        if n.kind() == "identifier"
            && n.child_count() == 0
            && src
                .get(n.byte_range())
                .is_some_and(|t| HARD_KEYWORDS.contains(&t))
        {
            return true;
        }
        if c.goto_first_child() {
            continue;
        }
        while !c.goto_next_sibling() {
            if !c.goto_parent() {
                return false;
            }
        }
    }
}

/// A `class_declaration` with the `interface` keyword is an interface, one with an enum class
/// body an enum.
fn refine_unit(node: Node<'_>, kind: UnitKind) -> UnitKind {
    if kind != UnitKind::Class || node.kind() != "class_declaration" {
        return kind;
    }
    let mut c = node.walk();
    let children: Vec<_> = node.children(&mut c).collect();
    if children
        .iter()
        .any(|n| !n.is_named() && n.kind() == "interface")
    {
        UnitKind::Interface
    } else if children.iter().any(|n| n.kind() == "enum_class_body") {
        UnitKind::Enum
    } else {
        kind
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{bindings, named, pairs, units};
    use super::misread;
    use crate::Language::Kotlin;
    use crate::UnitKind::*;

    #[test]
    fn imports_bind_the_last_component_or_the_alias() {
        let src = "import java.security.MessageDigest as MD\nimport kotlin.math.max\nfun f() {}\n";
        let expected = [
            ("MD", "java.security.MessageDigest"),
            ("max", "kotlin.math.max"),
        ];
        assert_eq!(bindings(Kotlin, src), pairs(&expected));
    }

    #[test]
    fn interfaces_and_enum_classes_are_told_apart() {
        let src = "interface Shape\nenum class Color { RED }\nclass Box\n";
        let expected = [
            (Module, ""),
            (Interface, "Shape"),
            (Enum, "Color"),
            (Class, "Box"),
        ];
        assert_eq!(units(Kotlin, src), named(&expected));
    }

    #[test]
    fn misreads_are_refused() {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&Kotlin.grammar()).unwrap();
        let mut misread_as = |snippet: &str| {
            let tree = parser.parse(snippet, None).unwrap();
            misread(snippet, snippet, &tree)
        };
        assert!(misread_as("class C { x }"));
        assert!(misread_as("companion object { x }"));
        assert!(!misread_as("enum class C { X }"));
        assert!(!misread_as("fun f() { g() }"));
    }
}
