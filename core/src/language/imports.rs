//! The import table of a file: which local names stand for which qualified names.
//!
//! `import hashlib as h` binds `h` to `hashlib`; `from pickle import loads` binds `loads` to
//! `pickle.loads`. Fingerprints add the features of the qualified name wherever an aliased name
//! is used in an anchor position, and rule matching resolves callees through the same table.
//! This module owns the table and the walk over a file's top-level statements; each language's
//! module reads its own import statements (an [`ImportCollector`]). Only file-level imports are
//! read; nothing here walks function bodies.

use std::collections::{BTreeMap, BTreeSet};

use tree_sitter::Node;

use super::Language;

/// Local name → qualified name, for the imports at the top of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportTable {
    map: BTreeMap<String, String>,
    /// Modules imported without a binding of another name (Python `import a.b`,
    /// `from a import *`): what a file uses, for tests such as "a server framework's file".
    modules: BTreeSet<String>,
}

impl ImportTable {
    /// The qualified name a local name was imported as, if any (`h` → `hashlib`).
    pub fn resolve(&self, local: &str) -> Option<&str> {
        self.map.get(local).map(String::as_str)
    }

    /// Iterates `(local, qualified)` pairs in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of bindings.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when the file binds no imported names.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The modules imported without a binding of another name (Python `import tornado.web`),
    /// in name order.
    pub fn modules(&self) -> impl Iterator<Item = &str> {
        self.modules.iter().map(String::as_str)
    }

    /// Records a module imported without a binding of another name.
    pub(super) fn module(&mut self, name: &str) {
        let name = name.trim();
        if !name.is_empty() {
            self.modules.insert(name.to_string());
        }
    }

    /// Binds `local` to `qualified` (ignored when either is empty or they are equal).
    pub(super) fn bind(&mut self, local: &str, qualified: String) {
        let local = local.trim();
        if !local.is_empty() && !qualified.is_empty() && local != qualified {
            self.map.insert(local.to_string(), qualified);
        }
    }

    /// Reads the file-level imports under `root`.
    pub(crate) fn collect(language: Language, root: Node<'_>, text: &str) -> ImportTable {
        let mut table = ImportTable::default();
        let Some(read) = language.def().imports else {
            return table;
        };
        let src = |n: Node<'_>| text.get(n.byte_range()).unwrap_or("");
        let mut cursor = root.walk();
        // Top-level statements, plus one level down for wrappers (`export`, Kotlin `import_list`).
        let mut stack: Vec<(Node<'_>, u8)> =
            root.named_children(&mut cursor).map(|n| (n, 0u8)).collect();
        stack.reverse();
        while let Some((node, depth)) = stack.pop() {
            let handled = read(&mut table, node, &src);
            if !handled && depth < 1 && node.named_child_count() < 64 {
                let mut c = node.walk();
                let kids: Vec<_> = node.named_children(&mut c).collect();
                for k in kids.into_iter().rev() {
                    stack.push((k, depth + 1));
                }
            }
        }
        // C and C++: what every call of a file-local function passes (size reasoning).
        if matches!(language, Language::C | Language::Cpp) {
            super::call_site_constants(&mut table, root, text);
        }
        table
    }
}

/// Reads one top-level statement of a file into the table, given the text of any node. Returns
/// `false` to have the statement's named children read as well, one level down (`export`
/// statements, Kotlin's `import_list`), `true` when it is done with the statement.
pub(crate) type ImportCollector = for<'t> fn(&mut ImportTable, Node<'t>, &NodeText<'t>) -> bool;

/// The source text of a node of the file being read.
pub(super) type NodeText<'t> = dyn Fn(Node<'t>) -> &'t str + 't;

/// A string literal's content without its quotes (module names in JavaScript and Go).
pub(super) fn unquote(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'' || c == '`')
}
