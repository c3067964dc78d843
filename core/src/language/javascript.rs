//! JavaScript (ES2023, JSX): names, extensions and interpreters, grammar, node-kind table, import
//! collector (`import`, `require`) and rule facts and template wrappers. TypeScript builds on the
//! table and shares the collector, rule facts and wrappers; nothing else reaches in here.

use tree_sitter::Node;

use super::imports::{unquote, ImportTable, NodeText};
use super::kinds::{unit, Child, NameRule, Spec, UnitRule, NAME};
use super::{FlowFacts, Language, LanguageDef, RuleFacts, TemplateQuirks, UnitQuirks};
use crate::unit::UnitKind;

/// JavaScript in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::JavaScript,
    name: "javascript",
    aliases: &["js", "jsx", "node", "ecmascript"],
    extensions: &["js", "mjs", "cjs", "jsx"],
    interpreters: &["node", "nodejs", "deno", "bun"],
    grammar: || tree_sitter_javascript::LANGUAGE.into(),
    spec: &SPEC,
    units: UnitQuirks::NONE,
    imports: Some(collect_imports),
    rules: RULES,
    templates: TEMPLATES,
};

const JS_UNITS: &[UnitRule] = &[
    unit("function_declaration", UnitKind::Function, NAME),
    unit("generator_function_declaration", UnitKind::Function, NAME),
    unit("method_definition", UnitKind::Method, NAME),
    unit("class_declaration", UnitKind::Class, NAME),
    unit("class", UnitKind::Class, NameRule::FromParent),
    unit("arrow_function", UnitKind::Lambda, NameRule::FromParent),
    unit(
        "function_expression",
        UnitKind::Lambda,
        NameRule::FromParent,
    ),
    unit("function", UnitKind::Lambda, NameRule::FromParent),
    unit("generator_function", UnitKind::Lambda, NameRule::FromParent),
];

/// Also the base of TypeScript's table.
pub(super) static SPEC: Spec = Spec {
    units: JS_UNITS,
    identifiers: &[
        "identifier",
        "property_identifier",
        "shorthand_property_identifier",
        "private_property_identifier",
    ],
    literals: &[
        "string",
        "template_string",
        "number",
        "true",
        "false",
        "null",
        "undefined",
        "regex",
    ],
    strings: &["string", "template_string"],
    comments: &["comment", "html_comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("call_expression", Child::Field("function")),
        ("new_expression", Child::Field("constructor")),
    ],
    attributes: &[("member_expression", Child::Field("property"))],
    keyword_args: &[("pair", Child::Field("key"))],
    imports: &["import_statement"],
    paths: &["decorator"],
    comparisons: &["binary_expression"],
    operators: &[
        "unary_expression",
        "augmented_assignment_expression",
        "update_expression",
    ],
    namers: &[
        ("variable_declarator", Child::Field("name")),
        ("assignment_expression", Child::Field("left")),
        ("pair", Child::Field("key")),
        ("field_definition", Child::Field("property")),
    ],
    namer_passthrough: &[],
    constructor_names: &["constructor"],
};

/// `import d, * as ns, { n as a } from 'm'` and `const x = require('m')` (also destructured:
/// `const { n: a } = require('m')`); looks inside `export` statements.
pub(super) fn collect_imports<'t>(t: &mut ImportTable, node: Node<'t>, src: &NodeText<'t>) -> bool {
    match node.kind() {
        "import_statement" => {
            let Some(source) = node.child_by_field_name("source") else {
                return true;
            };
            let module = unquote(src(source)).to_string();
            let mut c = node.walk();
            let clause = node
                .named_children(&mut c)
                .find(|n| n.kind() == "import_clause");
            if let Some(clause) = clause {
                let mut c = clause.walk();
                for part in clause.named_children(&mut c) {
                    match part.kind() {
                        "identifier" => t.bind(src(part), module.clone()),
                        "namespace_import" => {
                            if let Some(id) = part.named_child(0) {
                                t.bind(src(id), module.clone());
                            }
                        }
                        "named_imports" => {
                            let mut c = part.walk();
                            for spec in part.named_children(&mut c) {
                                if spec.kind() != "import_specifier" {
                                    continue;
                                }
                                let name = spec.child_by_field_name("name");
                                let alias = spec.child_by_field_name("alias").or(name);
                                if let (Some(n), Some(a)) = (name, alias) {
                                    t.bind(src(a), format!("{module}.{}", unquote(src(n))));
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            true
        }
        "lexical_declaration" | "variable_declaration" => {
            // const cp = require('child_process'); const { exec } = require('child_process');
            let mut c = node.walk();
            for decl in node.named_children(&mut c) {
                if decl.kind() != "variable_declarator" {
                    continue;
                }
                let (Some(name), Some(value)) = (
                    decl.child_by_field_name("name"),
                    decl.child_by_field_name("value"),
                ) else {
                    continue;
                };
                let Some(module) = require_source(value, src) else {
                    continue;
                };
                match name.kind() {
                    "identifier" => t.bind(src(name), module),
                    "object_pattern" => {
                        let mut c = name.walk();
                        for p in name.named_children(&mut c) {
                            match p.kind() {
                                "shorthand_property_identifier_pattern" => {
                                    t.bind(src(p), format!("{module}.{}", src(p)))
                                }
                                "pair_pattern" => {
                                    if let (Some(k), Some(v)) = (
                                        p.child_by_field_name("key"),
                                        p.child_by_field_name("value"),
                                    ) {
                                        t.bind(src(v), format!("{module}.{}", src(k)));
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            true
        }
        "export_statement" => false,
        _ => true,
    }
}

fn require_source<'t>(value: Node<'t>, src: &NodeText<'t>) -> Option<String> {
    if value.kind() != "call_expression" {
        return None;
    }
    let f = value.child_by_field_name("function")?;
    if src(f) != "require" {
        return None;
    }
    let arg = value.child_by_field_name("arguments")?.named_child(0)?;
    (arg.kind() == "string").then(|| unquote(src(arg)).to_string())
}

/// Modifier keywords of JavaScript and TypeScript class members (and TypeScript's
/// `override_modifier`), optional in templates like the shared optional kinds: these grammars
/// put them directly on the declaration instead of in a `modifiers` node (`private static
/// readonly x = 1`). `async`, `get`, `set` and `*` change what a member is and stay significant.
pub(super) const RULES: RuleFacts = RuleFacts {
    split_call: None,
    optional_kinds: &["override_modifier"],
    optional_tokens: &["static", "readonly", "declare", "abstract"],
    flow: FLOW,
    upper_case_constants: false,
};

/// Declarators and `=` assignments bind locals (`+=` binds an unknown value); parameters,
/// `for … in/of` targets and catch parameters bind values flow does not follow. A template
/// literal with a substitution is not constant; `+` over constants is.
const FLOW: FlowFacts = FlowFacts {
    defs: &[
        ("variable_declarator", "name", "value"),
        ("assignment_expression", "left", "right"),
        ("augmented_assignment_expression", "left", "right"),
    ],
    binders: &[
        ("formal_parameters", ""),
        ("arrow_function", "parameter"),
        ("for_in_statement", "left"),
        ("catch_clause", "parameter"),
        ("update_expression", ""),
        ("import_statement", ""),
    ],
    operators: &["binary_expression"],
    ..FlowFacts::NONE
};

/// Template wrappers of JavaScript and TypeScript.
pub(super) const TEMPLATES: TemplateQuirks = TemplateQuirks {
    wrappers: &[
        ("", ""),
        ("", ";"),
        ("function __ct() {\n", "\n}"),
        ("class __CT {\n", "\n}"),
        ("class __CT {\n", "\n__ct() {} }"),
    ],
    annotation_wrapper: Some(("class __CT {\n", "\n__ct() {} }")),
    ..TemplateQuirks::NONE
};

#[cfg(test)]
mod tests {
    use super::super::testing::{bindings, pairs};
    use crate::Language::JavaScript;

    #[test]
    fn imports_and_requires_bind_module_names() {
        let src = "import fsx, * as ns from 'fs';\n\
                   import { exec as run, spawn } from 'child_process';\n\
                   const cp = require('child_process');\n\
                   const { readFile, writeFile: wf } = require(\"fs\");\n\
                   export const p = require('path');\n";
        let expected = [
            ("cp", "child_process"),
            ("fsx", "fs"),
            ("ns", "fs"),
            ("p", "path"),
            ("readFile", "fs.readFile"),
            ("run", "child_process.exec"),
            ("spawn", "child_process.spawn"),
            ("wf", "fs.writeFile"),
        ];
        assert_eq!(bindings(JavaScript, src), pairs(&expected));
    }
}
