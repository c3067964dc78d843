//! TypeScript and TSX: two grammars with one node-kind table, JavaScript's plus declarations and
//! types. Imports, rule facts and template wrappers are JavaScript's; this module holds only what
//! TypeScript adds.

use super::kinds::{unit, Child, NameRule, Spec, NAME};
use super::{Language, LanguageDef, UnitQuirks};
use crate::unit::UnitKind;

/// TypeScript in the table of languages.
pub(super) static TYPESCRIPT: LanguageDef = LanguageDef {
    language: Language::TypeScript,
    name: "typescript",
    aliases: &["ts"],
    extensions: &["ts", "mts", "cts"],
    interpreters: &["ts-node", "tsx"],
    grammar: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
    spec: &SPEC,
    units: UnitQuirks::NONE,
    imports: Some(super::javascript::collect_imports),
    rules: super::javascript::RULES,
    templates: super::javascript::TEMPLATES,
};

/// Tsx in the table of languages.
pub(super) static TSX: LanguageDef = LanguageDef {
    language: Language::Tsx,
    name: "tsx",
    aliases: &[],
    extensions: &["tsx"],
    interpreters: &[],
    grammar: || tree_sitter_typescript::LANGUAGE_TSX.into(),
    spec: &SPEC,
    units: UnitQuirks::NONE,
    imports: Some(super::javascript::collect_imports),
    rules: super::javascript::RULES,
    templates: super::javascript::TEMPLATES,
};

/// JavaScript's table, with TypeScript's declarations as units, type names as identifiers,
/// qualified type names as paths and class fields as namers.
static SPEC: Spec = Spec {
    units: &[
        unit("function_declaration", UnitKind::Function, NAME),
        unit("generator_function_declaration", UnitKind::Function, NAME),
        unit("method_definition", UnitKind::Method, NAME),
        unit("class_declaration", UnitKind::Class, NAME),
        unit("abstract_class_declaration", UnitKind::Class, NAME),
        unit("class", UnitKind::Class, NameRule::FromParent),
        unit("interface_declaration", UnitKind::Interface, NAME),
        unit("enum_declaration", UnitKind::Enum, NAME),
        unit("internal_module", UnitKind::Namespace, NAME),
        unit("arrow_function", UnitKind::Lambda, NameRule::FromParent),
        unit(
            "function_expression",
            UnitKind::Lambda,
            NameRule::FromParent,
        ),
        unit("generator_function", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &[
        "identifier",
        "property_identifier",
        "shorthand_property_identifier",
        "private_property_identifier",
        "type_identifier",
    ],
    paths: &["decorator", "nested_type_identifier"],
    namers: &[
        ("variable_declarator", Child::Field("name")),
        ("assignment_expression", Child::Field("left")),
        ("pair", Child::Field("key")),
        ("public_field_definition", Child::Field("name")),
    ],
    ..super::javascript::SPEC
};

#[cfg(test)]
mod tests {
    use super::super::testing::{bindings, named, pairs, units};
    use crate::Language::{Tsx, TypeScript};
    use crate::UnitKind::*;

    #[test]
    fn imports_are_read_as_in_javascript() {
        let src = "import * as cp from 'child_process';\n";
        for lang in [TypeScript, Tsx] {
            assert_eq!(bindings(lang, src), pairs(&[("cp", "child_process")]));
        }
    }

    #[test]
    fn declarations_are_units() {
        let src = "interface I {}\nenum E { A }\nnamespace N {}\nabstract class C {}\n";
        let expected = [
            (Module, ""),
            (Interface, "I"),
            (Enum, "E"),
            (Namespace, "N"),
            (Class, "C"),
        ];
        for lang in [TypeScript, Tsx] {
            assert_eq!(units(lang, src), named(&expected));
        }
    }
}
