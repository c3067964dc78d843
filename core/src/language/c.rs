//! C: names and extensions, grammar, node-kind table (C++ builds on it) and the wrappers rule
//! templates are parsed in. C has no import collector: `#include` binds no names.

use super::kinds::{unit, unit_with_body, unit_with_field, Child, NameRule, Spec, NAME};
use super::{FlowFacts, Language, LanguageDef, ParamType, RuleFacts, TemplateQuirks, UnitQuirks};
use crate::unit::UnitKind;

/// C in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::C,
    name: "c",
    aliases: &[],
    extensions: &["c", "h"],
    interpreters: &[],
    grammar: || tree_sitter_c::LANGUAGE.into(),
    spec: &SPEC,
    units: UnitQuirks::NONE,
    imports: None,
    rules: RULES,
    templates: TemplateQuirks {
        wrappers: &[
            ("void __ct(void) {\n", "\n}"),
            ("void __ct(void) {\n", ";\n}"),
            ("", ""),
        ],
        param_type: Some(ParamType::Prefix),
        ..TemplateQuirks::NONE
    },
};

/// C and C++ flow: a declarator with an initializer or a plain `=` binds a local (through
/// pointer declarators, and array declarators of `const` arrays: a mutable array's contents
/// change without an assignment); parameters and `++`/`--` bind values flow does not follow.
/// Upper-case names nothing in the unit defines are macro or enum constants.
pub(super) const RULES: RuleFacts = RuleFacts {
    flow: FlowFacts {
        defs: &[
            ("init_declarator", "declarator", "value"),
            ("assignment_expression", "left", "right"),
        ],
        binders: &[
            ("parameter_declaration", "declarator"),
            ("update_expression", ""),
        ],
        operators: &["binary_expression"],
        ..FlowFacts::NONE
    },
    upper_case_constants: true,
    ..RuleFacts::NONE
};

const LITERALS: &[&str] = &[
    "string_literal",
    "concatenated_string",
    "raw_string_literal",
    "char_literal",
    "number_literal",
    "true",
    "false",
    "null",
    "nullptr",
    "system_lib_string",
];

/// Also the base of C++'s table.
pub(super) static SPEC: Spec = Spec {
    units: &[
        unit(
            "function_definition",
            UnitKind::Function,
            NameRule::Declarator(&["identifier", "field_identifier", "type_identifier"]),
        ),
        unit_with_body("struct_specifier", UnitKind::Struct, NAME),
        unit_with_body("union_specifier", UnitKind::Struct, NAME),
        unit_with_body("enum_specifier", UnitKind::Enum, NAME),
        unit_with_field("preproc_def", UnitKind::Macro, NAME, "value"),
        unit_with_field("preproc_function_def", UnitKind::Macro, NAME, "value"),
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "statement_identifier",
    ],
    literals: LITERALS,
    strings: &[
        "string_literal",
        "concatenated_string",
        "raw_string_literal",
    ],
    comments: &["comment"],
    parens: &["parenthesized_expression"],
    calls: &[("call_expression", Child::Field("function"))],
    attributes: &[("field_expression", Child::Field("field"))],
    keyword_args: &[],
    imports: &["preproc_include"],
    paths: &[],
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

#[cfg(test)]
mod tests {
    use super::super::testing::{bindings, named, units};
    use crate::Language::C;
    use crate::UnitKind::*;

    #[test]
    fn functions_are_named_through_their_declarators() {
        let src = "static int f(int x) { return x; }\nint *g(void) { return 0; }\n\
                   int (*h(void))(int) { return 0; }\nstruct S { int a; };\nstruct S s;\n";
        let found = units(C, src);
        let expected = [
            (Module, ""),
            (Function, "f"),
            (Function, "g"),
            (Function, "h"),
            (Struct, "S"),
        ];
        assert_eq!(found, named(&expected));
    }

    #[test]
    fn includes_bind_no_names() {
        assert!(bindings(C, "#include <stdio.h>\n#include \"x.h\"\n").is_empty());
    }
}
