//! What the language modules' tests read: the import bindings and the units of a snippet.

use super::imports::ImportTable;
use super::Language;
use crate::UnitKind;

/// The `(local, qualified)` bindings of `text`, for the language modules' tests.
pub(crate) fn bindings(language: Language, text: &str) -> Vec<(String, String)> {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&language.grammar()).unwrap();
    let tree = parser.parse(text, None).unwrap();
    ImportTable::collect(language, tree.root_node(), text)
        .iter()
        .map(|(local, qualified)| (local.to_string(), qualified.to_string()))
        .collect()
}

/// `(local, qualified)` pairs as [`bindings`] returns them.
pub(crate) fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(l, q)| (l.to_string(), q.to_string()))
        .collect()
}

/// `(kind, qualified name)` of every unit of `text`, for the language modules' tests.
pub(crate) fn units(language: Language, text: &str) -> Vec<(UnitKind, String)> {
    crate::Document::new(language, text)
        .unwrap()
        .units()
        .iter()
        .map(|u| (u.kind, u.qualified_name.to_string()))
        .collect()
}

/// `(kind, qualified name)` pairs as [`units`] returns them.
pub(crate) fn named(expected: &[(UnitKind, &str)]) -> Vec<(UnitKind, String)> {
    expected.iter().map(|(k, n)| (*k, n.to_string())).collect()
}
