//! The project model: what the documents of a project declare, merged with names resolved
//! across files, and the design-pattern instances found in it.
//!
//! This module owns the per-document declarations ([`DocumentModel`]: types, supertypes,
//! fields with declared types, methods with parameters, return types and modifiers, object
//! creations, calls with their receivers, returns of `this` / `self`), read from a
//! [`Document`]'s syntax tree by one extractor per language (Java, Kotlin, TypeScript/TSX,
//! Python, Go; other languages yield an empty model), and the [`Project`] that merges them. A
//! document's contribution is replaced when it changes, re-reading only the top-level
//! declarations whose text changed (the others are reused, moved to their new positions), so an
//! edited project equals one built from scratch from the same documents. Role-based recognition over the model lives in
//! [`roles`]. It does not parse (that is [`Document`]) and does not match single units (that is
//! the engine).
//!
//! ```
//! use codetable::{Document, Language};
//! use codetable::project::Project;
//!
//! let shape = Document::new(Language::Java, "package geo;\npublic interface Shape { double area(); }\n")?;
//! let square = Document::new(
//!     Language::Java,
//!     "package geo;\nclass Square implements Shape {\n  public double area() { return 1; }\n}\n",
//! )?;
//! let mut project = Project::new();
//! project.set_document("geo/Shape.java", &shape);
//! project.set_document("geo/Square.java", &square);
//! let sq = project.find_type("Square").unwrap();
//! let shape = project.resolve("geo/Square.java", "Shape").unwrap();
//! assert_eq!(project.type_decl(&shape).unwrap().name, "Shape");
//! assert!(project.is_subtype(&sq, &shape));
//! # Ok::<(), codetable::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::ops::Range;

use serde::Serialize;

use crate::document::Document;
use crate::language::Language;

pub mod design;
mod go;
mod java;
mod kotlin;
mod model;
mod python;
pub mod roles;
mod scope;
mod typescript;

pub use model::{
    Call, Control, DocumentModel, Field, Import, Method, Modifiers, Param, Receiver, Returned,
    TypeDecl, TypeKind, TypeRef,
};

/// Reads the declarations of one document (an empty model for languages without an
/// extractor yet).
pub fn extract(doc: &Document) -> DocumentModel {
    extract_tree(doc.language(), doc.tree().root_node(), doc.text())
}

/// Reads the declarations of a parsed tree of `language` over `src`.
pub fn extract_tree(language: Language, root: tree_sitter::Node<'_>, src: &str) -> DocumentModel {
    match language {
        Language::Java => java::extract(root, src),
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            typescript::extract(language, root, src)
        }
        Language::Python => python::extract(root, src),
        Language::Go => go::extract(root, src),
        Language::Kotlin => kotlin::extract(root, src),
        _ => DocumentModel {
            language,
            package: None,
            imports: Vec::new(),
            types: Vec::new(),
        },
    }
}

/// Adds what one top-level node of a document declares to `doc`, for the languages whose
/// top-level nodes contribute independently of each other; false (and nothing added) for the
/// others (Go attaches methods declared anywhere in the file to its types).
fn extract_item(
    language: Language,
    child: tree_sitter::Node<'_>,
    src: &str,
    doc: &mut DocumentModel,
) -> bool {
    match language {
        Language::Java => java::item(child, src, doc),
        Language::Kotlin => kotlin::item(child, src, doc),
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            typescript::item(child, src, doc)
        }
        Language::Python => python::item(child, src, doc),
        _ => return false,
    }
    true
}

/// What a project keeps of a document given to [`Project::set_document`] so that its next
/// version re-reads only the top-level nodes whose text changed: the text, and per top-level
/// node where its contribution lies in the document's model.
#[derive(Clone, Debug, Default)]
struct Reuse {
    text: String,
    items: Vec<Item>,
}

/// One top-level node of a document and its contribution to the document's model.
#[derive(Clone, Debug)]
struct Item {
    /// Grammar kind, byte range, first row and subtree size: a node of the next version is the
    /// same declaration when kind, text and size agree.
    kind: u16,
    bytes: Range<usize>,
    row: u32,
    descendants: usize,
    /// True when the node holds a syntax error (never reused).
    has_error: bool,
    /// The package it declares, if any.
    package: Option<String>,
    /// Its imports and types in the document's model.
    imports: Range<usize>,
    types: Range<usize>,
}

/// Names one type of a project: the document (by the key it was added under) and the type's
/// index in that document's model.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TypeId {
    /// The document key.
    pub doc: String,
    /// Index in [`DocumentModel::types`].
    pub index: usize,
}

/// The documents of a project and an index of the types they declare by simple name.
///
/// [`Project::set_document`] replaces one document's contribution; the result is the same as
/// building the project from scratch from the current documents (`Project` compares equal).
#[derive(Clone, Debug, Default)]
pub struct Project {
    docs: BTreeMap<String, DocumentModel>,
    by_name: BTreeMap<String, BTreeSet<TypeId>>,
    /// Go interfaces with at least one method, by the name of their first method: the
    /// candidates of a struct's implicit supertypes.
    go_interfaces: BTreeMap<String, BTreeSet<TypeId>>,
    /// For documents set from a syntax tree: what their next version can reuse (not part of
    /// what the project is: two projects with the same documents are equal).
    reuse: BTreeMap<String, Reuse>,
}

impl PartialEq for Project {
    fn eq(&self, other: &Project) -> bool {
        self.docs == other.docs
            && self.by_name == other.by_name
            && self.go_interfaces == other.go_interfaces
    }
}

impl Eq for Project {}

impl Project {
    /// An empty project.
    pub fn new() -> Project {
        Project::default()
    }

    /// Adds or replaces the document under `key` (usually its path, with `/` separators).
    ///
    /// When the project already holds an earlier version of the document (set by this method),
    /// only the top-level declarations whose text changed are read again; the others keep their
    /// contribution, moved to their new lines and byte offsets. The result equals
    /// [`extract`] of the whole document.
    pub fn set_document(&mut self, key: &str, doc: &Document) {
        let language = doc.language();
        let src = doc.text();
        let root = doc.tree().root_node();
        let old_reuse = self.reuse.remove(key);
        let old_model = self.take_document(key);
        let mut model = DocumentModel {
            language,
            package: None,
            imports: Vec::new(),
            types: Vec::new(),
        };
        // The earlier version's nodes by (kind, length), in order, with their contributions.
        let (old, mut old_types, mut old_imports) = match (old_reuse, old_model) {
            (Some(r), Some(m)) if m.language == language => {
                let types: Vec<Option<TypeDecl>> = m.types.into_iter().map(Some).collect();
                let imports: Vec<Option<Import>> = m.imports.into_iter().map(Some).collect();
                (r, types, imports)
            }
            _ => (Reuse::default(), Vec::new(), Vec::new()),
        };
        let mut pool: HashMap<(u16, usize), VecDeque<usize>> = HashMap::new();
        // A node holding a syntax error is never reused: error recovery depends on what
        // surrounds it, so the same text may be read differently in the next version.
        for (i, it) in old.items.iter().enumerate().filter(|(_, it)| !it.has_error) {
            pool.entry((it.kind, it.bytes.len()))
                .or_default()
                .push_back(i);
        }
        let mut items = Vec::new();
        let mut cursor = root.walk();
        for child in root.named_children(&mut cursor) {
            let bytes = child.byte_range();
            let row = scope::line(child);
            let kind = child.kind_id();
            let descendants = child.descendant_count();
            let text = src.as_bytes().get(bytes.clone()).unwrap_or_default();
            let has_error = child.has_error();
            let same = pool
                .get_mut(&(kind, bytes.len()))
                .filter(|_| !has_error)
                .and_then(|q| {
                    let at = q.iter().position(|&i| {
                        let o = &old.items[i];
                        o.descendants == descendants
                            && old.text.as_bytes().get(o.bytes.clone()) == Some(text)
                    })?;
                    q.remove(at)
                });
            let (t0, i0) = (model.types.len(), model.imports.len());
            let package = match same {
                Some(i) => {
                    let o = &old.items[i];
                    let db = bytes.start as isize - o.bytes.start as isize;
                    let dl = i64::from(row) - i64::from(o.row);
                    for t in o.types.clone() {
                        if let Some(mut t) = old_types[t].take() {
                            t.shift(db, dl);
                            model.types.push(t);
                        }
                    }
                    model
                        .imports
                        .extend(o.imports.clone().filter_map(|i| old_imports[i].take()));
                    o.package.clone()
                }
                None => {
                    let mut part = DocumentModel {
                        language,
                        package: None,
                        imports: Vec::new(),
                        types: Vec::new(),
                    };
                    if !extract_item(language, child, src, &mut part) {
                        // No per-node extraction for this language: read the whole document.
                        self.set_model(key, extract(doc));
                        return;
                    }
                    model.imports.append(&mut part.imports);
                    model.types.append(&mut part.types);
                    part.package
                }
            };
            if package.is_some() {
                model.package.clone_from(&package);
            }
            items.push(Item {
                kind,
                bytes,
                row,
                descendants,
                has_error,
                package,
                imports: i0..model.imports.len(),
                types: t0..model.types.len(),
            });
        }
        self.insert_model(key, model);
        self.reuse.insert(
            key.to_string(),
            Reuse {
                text: src.to_string(),
                items,
            },
        );
    }

    /// Adds or replaces the model of the document under `key`.
    pub fn set_model(&mut self, key: &str, model: DocumentModel) {
        self.reuse.remove(key);
        self.take_document(key);
        self.insert_model(key, model);
    }

    /// Indexes and keeps `model` under `key` (no document is there).
    fn insert_model(&mut self, key: &str, model: DocumentModel) {
        for (index, t) in model.types.iter().enumerate() {
            if let Some(first) = go_interface_key(&model, t) {
                self.go_interfaces
                    .entry(first.to_string())
                    .or_default()
                    .insert(TypeId {
                        doc: key.to_string(),
                        index,
                    });
            }
            self.by_name
                .entry(t.name.clone())
                .or_default()
                .insert(TypeId {
                    doc: key.to_string(),
                    index,
                });
        }
        self.docs.insert(key.to_string(), model);
    }

    /// Removes the document under `key`; true when it was there.
    pub fn remove_document(&mut self, key: &str) -> bool {
        self.reuse.remove(key);
        self.take_document(key).is_some()
    }

    /// Removes the document under `key` from the indexes and returns its model.
    fn take_document(&mut self, key: &str) -> Option<DocumentModel> {
        let old = self.docs.remove(key)?;
        for (index, t) in old.types.iter().enumerate() {
            if let Some(first) = go_interface_key(&old, t) {
                if let Some(set) = self.go_interfaces.get_mut(first) {
                    set.remove(&TypeId {
                        doc: key.to_string(),
                        index,
                    });
                    if set.is_empty() {
                        self.go_interfaces.remove(first);
                    }
                }
            }
            if let Some(set) = self.by_name.get_mut(&t.name) {
                set.remove(&TypeId {
                    doc: key.to_string(),
                    index,
                });
                if set.is_empty() {
                    self.by_name.remove(&t.name);
                }
            }
        }
        Some(old)
    }

    /// The documents, by key.
    pub fn documents(&self) -> impl Iterator<Item = (&str, &DocumentModel)> {
        self.docs.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The model of the document under `key`.
    pub fn document(&self, key: &str) -> Option<&DocumentModel> {
        self.docs.get(key)
    }

    /// Every type of the project, in document-key order.
    pub fn types(&self) -> impl Iterator<Item = (TypeId, &TypeDecl)> {
        self.docs.iter().flat_map(|(k, d)| {
            d.types.iter().enumerate().map(move |(index, t)| {
                (
                    TypeId {
                        doc: k.clone(),
                        index,
                    },
                    t,
                )
            })
        })
    }

    /// The declaration a [`TypeId`] names.
    pub fn type_decl(&self, id: &TypeId) -> Option<&TypeDecl> {
        self.docs.get(&id.doc)?.types.get(id.index)
    }

    /// The first type (in document-key order) with this simple name.
    pub fn find_type(&self, name: &str) -> Option<TypeId> {
        self.by_name.get(name)?.iter().next().cloned()
    }

    /// Resolves a simple type name as written in the document under `from`: a type of the same
    /// document, then one an import binds, then one of the same package (Java) or directory,
    /// then the only type of that name in the project. Only types of a language the document
    /// can name are candidates (Java with Kotlin, JavaScript with TypeScript, each other language
    /// alone), and a name an explicit import binds to a module outside the project is that
    /// module's type: it never falls back to a project type of the same simple name (an
    /// `import org.w3c.dom.Node` is not the project's own `Node`).
    pub fn resolve(&self, from: &str, name: &str) -> Option<TypeId> {
        let doc = self.docs.get(from)?;
        let all = self.by_name.get(name)?;
        let candidates: Vec<&TypeId> = all
            .iter()
            .filter(|id| {
                self.docs
                    .get(&id.doc)
                    .is_some_and(|d| same_family(d.language, doc.language))
            })
            .collect();
        if let Some(id) = candidates.iter().find(|id| id.doc == from) {
            return Some((*id).clone());
        }
        if let Some(imp) = doc.imports.iter().find(|i| i.local == name) {
            let target = if imp.name == "*" { name } else { &imp.name };
            let module_tail = module_tail(&imp.module);
            let found = self.by_name.get(target).and_then(|ids| {
                ids.iter().find(|id| {
                    let d = &self.docs[&id.doc];
                    match (&d.package, doc.language) {
                        (Some(p), Language::Java | Language::Kotlin) => *p == imp.module,
                        _ => {
                            !module_tail.is_empty()
                                && (stem(&id.doc) == module_tail
                                    || dir_tail(&id.doc) == module_tail)
                        }
                    }
                })
            });
            if let Some(id) = found {
                return Some(id.clone());
            }
            if imp.name != "*" {
                // Bound by the import to a module this project does not hold.
                return None;
            }
        }
        for imp in doc.imports.iter().filter(|i| i.name == "*") {
            if let Some(id) = candidates
                .iter()
                .find(|id| self.docs[&id.doc].package.as_deref() == Some(imp.module.as_str()))
            {
                return Some((*id).clone());
            }
        }
        let same_package = |id: &&TypeId| match (&doc.package, &self.docs[&id.doc].package) {
            (Some(a), Some(b)) => a == b,
            (None, None) => dir(&id.doc) == dir(from),
            _ => false,
        };
        if let Some(id) = candidates.iter().find(|id| same_package(id)) {
            return Some((*id).clone());
        }
        if candidates.len() == 1 {
            return Some(candidates[0].clone());
        }
        None
    }

    /// The resolved direct supertypes of a type. A Go struct also has every Go interface of
    /// the project whose methods it declares, by name (Go implements interfaces implicitly).
    pub fn supertypes(&self, id: &TypeId) -> Vec<TypeId> {
        let Some(t) = self.type_decl(id) else {
            return Vec::new();
        };
        let mut out: Vec<TypeId> = t
            .supertypes
            .iter()
            .filter_map(|s| self.resolve(&id.doc, s))
            .filter(|s| s != id)
            .collect();
        let go = self
            .docs
            .get(&id.doc)
            .is_some_and(|d| d.language == Language::Go);
        if go && t.kind == TypeKind::Struct && !t.methods.is_empty() {
            let own: HashSet<&str> = t.methods.iter().map(|m| m.name.as_str()).collect();
            // Only interfaces whose first method the struct has can be implemented by it.
            let mut implicit: Vec<TypeId> = Vec::new();
            for name in &own {
                for other in self.go_interfaces.get(*name).into_iter().flatten() {
                    let implemented = self
                        .type_decl(other)
                        .is_some_and(|d| d.methods.iter().all(|m| own.contains(m.name.as_str())));
                    if implemented && !out.contains(other) && !implicit.contains(other) {
                        implicit.push(other.clone());
                    }
                }
            }
            implicit.sort();
            out.extend(implicit);
        }
        out
    }

    /// The type and all its resolved supertypes, transitively (the type first).
    pub fn ancestors(&self, id: &TypeId) -> Vec<TypeId> {
        let mut out = vec![id.clone()];
        let mut seen: HashSet<TypeId> = HashSet::from([id.clone()]);
        let mut i = 0;
        while i < out.len() {
            for s in self.supertypes(&out[i]) {
                if seen.insert(s.clone()) {
                    out.push(s);
                }
            }
            i += 1;
        }
        out
    }

    /// True when `sub` is `sup` or extends or implements it, directly or not.
    pub fn is_subtype(&self, sub: &TypeId, sup: &TypeId) -> bool {
        self.ancestors(sub).contains(sup)
    }
}

/// The first method's name of a Go interface with methods (its key in the project's index).
fn go_interface_key<'m>(model: &DocumentModel, t: &'m TypeDecl) -> Option<&'m str> {
    (model.language == Language::Go && t.kind == TypeKind::Interface)
        .then(|| t.methods.first().map(|m| m.name.as_str()))
        .flatten()
}

fn stem(key: &str) -> &str {
    let file = key.rsplit('/').next().unwrap_or(key);
    file.split('.').next().unwrap_or(file)
}

fn dir(key: &str) -> &str {
    key.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

fn dir_tail(key: &str) -> &str {
    // `pkg/__init__.py` and `pkg/index.ts` are the module `pkg`.
    match stem(key) {
        "__init__" | "index" => dir(key).rsplit('/').next().unwrap_or(""),
        _ => "",
    }
}

fn module_tail(module: &str) -> &str {
    let m = module.trim_end_matches(".js").trim_end_matches(".ts");
    m.rsplit(['/', '.']).find(|s| !s.is_empty()).unwrap_or("")
}

/// Splits a catalog example into its files: a line `// file: path` (`# file: path` in Python)
/// starts a new file named `path`; text before the first such line (or an example without
/// any) is one file with an empty name.
///
/// ```
/// use codetable::Language;
/// let files = codetable::project::example_files(Language::Python, "# file: a.py\nx = 1\n# file: b/c.py\ny = 2\n");
/// assert_eq!(files, [("a.py".to_string(), "x = 1\n".to_string()), ("b/c.py".to_string(), "y = 2\n".to_string())]);
/// ```
pub fn example_files(language: Language, code: &str) -> Vec<(String, String)> {
    let marker = match language {
        Language::Python => "# file:",
        _ => "// file:",
    };
    let mut files: Vec<(String, String)> = Vec::new();
    for line in code.split_inclusive('\n') {
        if let Some(name) = line.trim().strip_prefix(marker) {
            files.push((name.trim().to_string(), String::new()));
            continue;
        }
        match files.last_mut() {
            Some((_, text)) => text.push_str(line),
            None => files.push((String::new(), line.to_string())),
        }
    }
    files.retain(|(n, t)| !n.is_empty() || !t.trim().is_empty());
    files
}

/// A project made of one catalog example's files (keys are the file names; a file without a
/// name is `example.<extension>`); files that fail to parse are left out.
pub fn example_project(language: Language, code: &str) -> Project {
    let mut p = Project::new();
    let ext = language_extension(language);
    for (name, text) in example_files(language, code) {
        let key = if name.is_empty() {
            format!("example.{ext}")
        } else {
            name
        };
        if let Ok(doc) = Document::new(language, text) {
            p.set_document(&key, &doc);
        }
    }
    p
}

fn language_extension(language: Language) -> &'static str {
    match language {
        Language::Python => "py",
        Language::JavaScript => "js",
        Language::TypeScript => "ts",
        Language::Tsx => "tsx",
        Language::Java => "java",
        Language::Kotlin => "kt",
        Language::Go => "go",
        Language::Rust => "rs",
        Language::C => "c",
        Language::Cpp => "cpp",
    }
}

/// The role-based patterns of a database: every pattern with `roles`, parsed.
pub fn role_patterns(db: &crate::PatternDb) -> crate::Result<Vec<roles::RolePattern>> {
    let mut out = Vec::new();
    for n in 0..u32::try_from(db.len()).unwrap_or(u32::MAX) {
        let p = db.pattern(n)?;
        if p.roles.is_empty() {
            continue;
        }
        // The catalog loader checked the lines; a database built elsewhere may still hold bad
        // ones, which leave that pattern out rather than fail the whole recognition.
        if let Ok(rp) = roles::RolePattern::parse(p.id, &p.roles) {
            out.push(rp);
        }
    }
    Ok(out)
}

/// Whether code in language `b` can name a type declared in language `a`: the JVM languages
/// share types, JavaScript and TypeScript share modules, every other language stands alone.
fn same_family(a: Language, b: Language) -> bool {
    let family = |l: Language| match l {
        Language::Java | Language::Kotlin => 0,
        Language::JavaScript | Language::TypeScript | Language::Tsx => 1,
        Language::C | Language::Cpp => 2,
        other => 3 + other as u8,
    };
    family(a) == family(b)
}
