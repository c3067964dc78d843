//! The import table of a file: which local names stand for which qualified names.
//!
//! `import hashlib as h` binds `h` to `hashlib`; `from pickle import loads` binds `loads` to
//! `pickle.loads`. Fingerprints add the features of the qualified name wherever an aliased name
//! is used in an anchor position, and rule matching resolves callees through the same table.
//! Only file-level imports are read; this module does not walk function bodies.

use std::collections::BTreeMap;

use tree_sitter::Node;

use crate::language::Language;

/// Local name → qualified name, for the imports at the top of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportTable {
    map: BTreeMap<String, String>,
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

    fn bind(&mut self, local: &str, qualified: String) {
        let local = local.trim();
        if !local.is_empty() && !qualified.is_empty() && local != qualified {
            self.map.insert(local.to_string(), qualified);
        }
    }

    /// Reads the file-level imports under `root`.
    pub(crate) fn collect(language: Language, root: Node<'_>, text: &str) -> ImportTable {
        let mut table = ImportTable::default();
        let src = |n: Node<'_>| text.get(n.byte_range()).unwrap_or("");
        let mut cursor = root.walk();
        // Top-level statements, plus one level down for wrappers (`export`, Kotlin `import_list`).
        let mut stack: Vec<(Node<'_>, u8)> =
            root.named_children(&mut cursor).map(|n| (n, 0u8)).collect();
        stack.reverse();
        while let Some((node, depth)) = stack.pop() {
            let handled = match language {
                Language::Python => python(&mut table, node, &src),
                Language::JavaScript | Language::TypeScript | Language::Tsx => {
                    javascript(&mut table, node, &src)
                }
                Language::Java => java(&mut table, node, &src),
                Language::Kotlin => kotlin(&mut table, node, &src),
                Language::Go => go(&mut table, node, &src),
                Language::Rust => rust(&mut table, node, &src),
                Language::C | Language::Cpp => true,
            };
            if !handled && depth < 1 && node.named_child_count() < 64 {
                let mut c = node.walk();
                let kids: Vec<_> = node.named_children(&mut c).collect();
                for k in kids.into_iter().rev() {
                    stack.push((k, depth + 1));
                }
            }
        }
        table
    }
}

fn unquote(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'' || c == '`')
}

fn python<'t>(t: &mut ImportTable, node: Node<'t>, src: &impl Fn(Node<'t>) -> &'t str) -> bool {
    match node.kind() {
        "import_statement" => {
            let mut c = node.walk();
            for name in node.children_by_field_name("name", &mut c) {
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

fn javascript<'t>(t: &mut ImportTable, node: Node<'t>, src: &impl Fn(Node<'t>) -> &'t str) -> bool {
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

fn require_source<'t>(value: Node<'t>, src: &impl Fn(Node<'t>) -> &'t str) -> Option<String> {
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

fn java<'t>(t: &mut ImportTable, node: Node<'t>, src: &impl Fn(Node<'t>) -> &'t str) -> bool {
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

fn kotlin<'t>(t: &mut ImportTable, node: Node<'t>, src: &impl Fn(Node<'t>) -> &'t str) -> bool {
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

fn go<'t>(t: &mut ImportTable, node: Node<'t>, src: &impl Fn(Node<'t>) -> &'t str) -> bool {
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

fn rust<'t>(t: &mut ImportTable, node: Node<'t>, src: &impl Fn(Node<'t>) -> &'t str) -> bool {
    if node.kind() != "use_declaration" {
        return true;
    }
    let Some(arg) = node.child_by_field_name("argument") else {
        return true;
    };
    // Iterative walk over nested use lists: (node, prefix).
    let mut stack = vec![(arg, String::new())];
    while let Some((n, prefix)) = stack.pop() {
        let join = |p: &str, s: &str| {
            if p.is_empty() {
                s.to_string()
            } else {
                format!("{p}::{s}")
            }
        };
        match n.kind() {
            "scoped_identifier" | "identifier" => {
                let q = join(&prefix, src(n));
                if let Some(last) = q.rsplit("::").next() {
                    t.bind(last, q.clone());
                }
            }
            "use_as_clause" => {
                if let (Some(p), Some(a)) = (
                    n.child_by_field_name("path"),
                    n.child_by_field_name("alias"),
                ) {
                    t.bind(src(a), join(&prefix, src(p)));
                }
            }
            "scoped_use_list" => {
                let p = n
                    .child_by_field_name("path")
                    .map(|p| join(&prefix, src(p)))
                    .unwrap_or(prefix);
                if let Some(list) = n.child_by_field_name("list") {
                    let mut c = list.walk();
                    for item in list.named_children(&mut c) {
                        stack.push((item, p.clone()));
                    }
                }
            }
            "use_list" => {
                let mut c = n.walk();
                for item in n.named_children(&mut c) {
                    stack.push((item, prefix.clone()));
                }
            }
            _ => {}
        }
    }
    true
}
