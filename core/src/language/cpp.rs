//! C++: names and extensions, grammar, node-kind table (C's plus classes, namespaces, lambdas and
//! qualified names), constructors named after their class, and template wrappers. Everything the
//! crate knows about C++ beyond C.

use super::kinds::{unit, unit_with_body, unit_with_field, Child, NameRule, Spec, NAME};
use super::{Language, LanguageDef, ParamType, TemplateQuirks, UnitQuirks};
use crate::unit::UnitKind;

/// Cpp in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::Cpp,
    name: "cpp",
    aliases: &["c++", "cxx", "cc"],
    extensions: &["cc", "cpp", "cxx", "c++", "hpp", "hh", "hxx", "h++", "ipp"],
    interpreters: &[],
    grammar: || tree_sitter_cpp::LANGUAGE.into(),
    spec: &SPEC,
    units: UnitQuirks {
        constructor_is_type_name: true,
        ..UnitQuirks::NONE
    },
    imports: Some(super::c::file_constants),
    rules: super::c::RULES,
    templates: TemplateQuirks {
        wrappers: &[
            ("void __ct(void) {\n", "\n}"),
            ("void __ct(void) {\n", ";\n}"),
            ("", ""),
            ("class __CT {\n", "\n};"),
        ],
        param_type: Some(ParamType::Prefix),
        ..TemplateQuirks::NONE
    },
};

/// C's table, with classes, namespaces and lambdas as units, namespace names as identifiers,
/// `new` as a call, `using` as an import and qualified names as paths.
static SPEC: Spec = Spec {
    units: &[
        unit(
            "function_definition",
            UnitKind::Function,
            NameRule::Declarator(&[
                "identifier",
                "field_identifier",
                "qualified_identifier",
                "destructor_name",
                "operator_name",
                "type_identifier",
            ]),
        ),
        unit_with_body("class_specifier", UnitKind::Class, NAME),
        unit_with_body("struct_specifier", UnitKind::Struct, NAME),
        unit_with_body("union_specifier", UnitKind::Struct, NAME),
        unit_with_body("enum_specifier", UnitKind::Enum, NAME),
        unit_with_field("preproc_def", UnitKind::Macro, NAME, "value"),
        unit_with_field("preproc_function_def", UnitKind::Macro, NAME, "value"),
        unit_with_body("namespace_definition", UnitKind::Namespace, NAME),
        unit("lambda_expression", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "statement_identifier",
        "namespace_identifier",
    ],
    calls: &[
        ("call_expression", Child::Field("function")),
        ("new_expression", Child::Field("type")),
    ],
    imports: &["preproc_include", "using_declaration"],
    paths: &["qualified_identifier", "template_function"],
    ..super::c::SPEC
};

#[cfg(test)]
mod tests {
    use super::super::testing::{named, units};
    use crate::Language::Cpp;
    use crate::UnitKind::*;

    #[test]
    fn constructors_are_named_after_their_class() {
        let src =
            "class A {\n public:\n  A() {}\n  ~A() {}\n  int operator+(int x) { return x; }\n\
                   void m() {}\n};\n";
        let found = units(Cpp, src);
        let expected = [
            (Module, ""),
            (Class, "A"),
            (Constructor, "A.A"),
            (Method, "A.~A"),
            (Method, "A.operator+"),
            (Method, "A.m"),
        ];
        assert_eq!(found, named(&expected));
    }
}
