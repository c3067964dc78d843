//! Java: names and extensions, grammar, node-kind table, import collector, the split callee of
//! `a.b.C.m(x)` and the template quirks (member wrapper for snippets starting with a member
//! modifier, typed parameter and member stand-ins). Everything the crate knows about Java.

use tree_sitter::Node;

use super::imports::{ImportTable, NodeText};
use super::kinds::{unit, Child, NameRule, Spec, NAME};
use super::{
    FlowFacts, Language, LanguageDef, MemberMulti, MemberWrapper, ParamType, RuleFacts,
    SplitCallRule, TemplateQuirks, UnitQuirks,
};
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
    units: UnitQuirks::NONE,
    imports: Some(collect_imports),
    rules: RuleFacts {
        split_call: Some(SplitCallRule {
            kind: "method_invocation",
            object: "object",
            name: "name",
        }),
        flow: FLOW,
        ..RuleFacts::NONE
    },
    templates: TemplateQuirks {
        wrappers: &[
            ("", ""),
            ("", ";"),
            ("class __CT { void __ct() {\n", "\n} }"),
            ("class __CT { void __ct() {\n", ";\n} }"),
            ("class __CT {\n", "\n}"),
            ("class __CT {\n", "\nvoid __ct() {} }"),
            ("class __CT { Object __ct = ", "; }"),
        ],
        annotation_wrapper: Some(("class __CT {\n", "\nvoid __ct() {} }")),
        member_wrapper: Some(MemberWrapper {
            applies: starts_with_member_modifier,
            wrapper: ("class __CT {\n", "\n}"),
        }),
        param_type: Some(ParamType::Prefix),
        member_multi: Some(MemberMulti::Field),
        ..TemplateQuirks::NONE
    },
};

/// Declarators and `=` assignments bind locals (`+=` and the like bind them to an unknown
/// value); parameters, loop variables, catch parameters and resources bind them to values flow
/// does not follow. `+` over constants is constant.
const FLOW: FlowFacts = FlowFacts {
    defs: &[
        ("variable_declarator", "name", "value"),
        ("assignment_expression", "left", "right"),
    ],
    binders: &[
        ("formal_parameters", ""),
        ("enhanced_for_statement", "name"),
        ("catch_formal_parameter", "name"),
        ("resource", "name"),
        ("lambda_expression", "parameters"),
        ("update_expression", ""),
    ],
    operators: &["binary_expression"],
    ..FlowFacts::NONE
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

/// `import a.b.C;` (and `import static a.b.C.m;`) binds the last component; wildcard imports
/// bind nothing.
fn collect_imports<'t>(t: &mut ImportTable, node: Node<'t>, src: &NodeText<'t>) -> bool {
    if node.kind() == "import_declaration" {
        let mut c = node.walk();
        let path = node
            .named_children(&mut c)
            .find(|n| n.kind() == "scoped_identifier");
        let wildcard = node
            .named_children(&mut node.walk())
            .any(|n| n.kind() == "asterisk");
        if let (Some(path), false) = (path, wildcard) {
            let q = src(path).replace(char::is_whitespace, "");
            if let Some(last) = q.rsplit('.').next() {
                t.bind(last, q.clone());
            }
        }
    }
    true
}

/// True when a Java snippet starts with a modifier that only members carry (`private`,
/// `protected`, `public`, `static`, `volatile`, `transient`): it is then wrapped in a class body
/// first. The grammar also accepts modifiers on local variable declarations, so without that
/// wrapper `private static final Pattern P = …;` would compile to a local variable and never
/// match the field it describes.
fn starts_with_member_modifier(snippet: &str) -> bool {
    let first = snippet.split_whitespace().next().unwrap_or("");
    matches!(
        first,
        "private" | "protected" | "public" | "static" | "volatile" | "transient"
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{bindings, pairs};
    use super::starts_with_member_modifier;
    use crate::Language::Java;

    #[test]
    fn imports_bind_the_last_component() {
        let src = "import java.security.MessageDigest;\n\
                   import static java.util.Objects.requireNonNull;\n\
                   import java.util.*;\nclass A {}\n";
        let expected = [
            ("MessageDigest", "java.security.MessageDigest"),
            ("requireNonNull", "java.util.Objects.requireNonNull"),
        ];
        assert_eq!(bindings(Java, src), pairs(&expected));
    }

    #[test]
    fn member_modifiers_start_members() {
        assert!(starts_with_member_modifier(
            "private static final Pattern P = p();"
        ));
        assert!(starts_with_member_modifier("  volatile int n;"));
        assert!(!starts_with_member_modifier("final int n = 1;"));
        assert!(!starts_with_member_modifier("privateField = 1;"));
    }
}
