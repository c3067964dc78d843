//! Go declarations: structs (named fields are fields, embedded types are supertypes) and
//! interfaces (method elements are abstract methods, embedded interfaces are supertypes);
//! methods with a receiver join the struct of the same file; `func NewT(…) *T` is T's
//! constructor (static). Bodies give composite literals (creations), calls with
//! receivers resolved through the receiver variable's fields, parameters, locals and `range`
//! over a field, `x.f = append(x.f, p)` registrations, and returns.
//!
//! A struct implements an interface implicitly in Go: [`super::Project`] relates them when the
//! struct's methods cover the interface's (see `Project::supertypes`). Methods declared in
//! another file than their struct are not read.

use tree_sitter::Node;

use super::model::{
    DocumentModel, Field, Import, Method, Modifiers, Param, Receiver, Returned, TypeDecl, TypeKind,
    TypeRef,
};
use super::scope::{apply_hints, children, line, text, Assigned, BodyFacts, Scope};
use crate::language::Language;

/// Reads the declarations of a Go file.
pub(crate) fn extract(root: Node<'_>, src: &str) -> DocumentModel {
    let mut doc = DocumentModel {
        language: Language::Go,
        package: None,
        imports: Vec::new(),
        types: Vec::new(),
    };
    let kids = children(root);
    for c in &kids {
        match c.kind() {
            "package_clause" => {
                if let Some(n) = children(*c).first() {
                    doc.package = Some(text(*n, src).to_string());
                }
            }
            "import_declaration" => imports(*c, src, &mut doc.imports),
            "type_declaration" => {
                for spec in children(*c) {
                    if spec.kind() == "type_spec" {
                        type_spec(spec, src, &mut doc.types);
                    }
                }
            }
            _ => {}
        }
    }
    // Methods (and `NewT` functions) after every type of the file is known.
    let mut hints: Vec<(usize, String, TypeRef, u32)> = Vec::new();
    for c in &kids {
        let (owner, recv) = match c.kind() {
            "method_declaration" => {
                let Some(r) = c
                    .child_by_field_name("receiver")
                    .and_then(|r| children(r).into_iter().next())
                else {
                    continue;
                };
                let ty = r
                    .child_by_field_name("type")
                    .and_then(|t| type_ref(t, src))
                    .map(|t| t.name);
                let name = r
                    .child_by_field_name("name")
                    .map(|n| text(n, src).to_string());
                (ty, name)
            }
            "function_declaration" => {
                // `func NewBoard(…) *Board`: a constructor-like function of Board.
                let fname = c
                    .child_by_field_name("name")
                    .map(|n| text(n, src))
                    .unwrap_or("");
                let result = c
                    .child_by_field_name("result")
                    .and_then(|t| type_ref(t, src))
                    .filter(|t| !t.collection)
                    .map(|t| t.name);
                match result {
                    Some(r) if fname.starts_with("New") || fname.starts_with("new") => {
                        (Some(r), None)
                    }
                    _ => continue,
                }
            }
            _ => continue,
        };
        let Some(owner) = owner else { continue };
        let Some(index) = doc
            .types
            .iter()
            .position(|t| t.name == owner && t.kind == TypeKind::Struct)
        else {
            continue;
        };
        let (mut m, facts) = method(*c, src, &doc.types[index], recv.as_deref());
        if recv.is_none() {
            // Go's constructor idiom: `NewT` makes and returns a T.
            m.modifiers.is_static = true;
            m.modifiers.is_constructor = true;
        }
        hints.extend(
            facts
                .field_hints
                .iter()
                .map(|(f, t)| (index, f.clone(), t.clone(), m.line)),
        );
        facts.fill(&mut m);
        doc.types[index].methods.push(m);
    }
    for (i, t) in doc.types.iter_mut().enumerate() {
        let mine: Vec<_> = hints
            .iter()
            .filter(|h| h.0 == i)
            .map(|(_, f, t, l)| (f.clone(), t.clone(), *l))
            .collect();
        apply_hints(&mut t.fields, mine);
    }
    doc
}

fn imports(node: Node<'_>, src: &str, out: &mut Vec<Import>) {
    for spec in node_all(node) {
        if spec.kind() != "import_spec" {
            continue;
        }
        let Some(path) = spec.child_by_field_name("path") else {
            continue;
        };
        let path = text(path, src).trim_matches('"').to_string();
        let last = path.rsplit('/').next().unwrap_or(&path).to_string();
        let local = spec
            .child_by_field_name("name")
            .map(|n| text(n, src).to_string())
            .unwrap_or_else(|| last.clone());
        out.push(Import {
            local,
            module: last,
            name: "*".to_string(),
        });
    }
}

/// The node and its named descendants, depth first.
fn node_all(node: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        out.push(n);
        let mut kids = children(n);
        kids.reverse();
        stack.extend(kids);
    }
    out
}

/// The type reference of a Go type node: pointers are the type itself, slices, arrays,
/// maps and channels are collections of their element (value) type.
fn type_ref(node: Node<'_>, src: &str) -> Option<TypeRef> {
    match node.kind() {
        "type_identifier" => Some(TypeRef::plain(text(node, src))),
        "qualified_type" => node
            .child_by_field_name("name")
            .map(|n| TypeRef::plain(text(n, src))),
        "pointer_type" | "parenthesized_type" => {
            children(node).into_iter().find_map(|c| type_ref(c, src))
        }
        "generic_type" => node
            .child_by_field_name("type")
            .and_then(|t| type_ref(t, src)),
        "slice_type" | "array_type" | "channel_type" => node
            .child_by_field_name("element")
            .or_else(|| node.child_by_field_name("value"))
            .and_then(|e| type_ref(e, src))
            .map(|t| TypeRef::many(t.name)),
        "map_type" => node
            .child_by_field_name("value")
            .and_then(|e| type_ref(e, src))
            .map(|t| TypeRef::many(t.name)),
        _ => None,
    }
}

fn type_spec(node: Node<'_>, src: &str, out: &mut Vec<TypeDecl>) {
    let (Some(name), Some(ty)) = (
        node.child_by_field_name("name"),
        node.child_by_field_name("type"),
    ) else {
        return;
    };
    let name = text(name, src);
    match ty.kind() {
        "struct_type" => {
            let mut decl = TypeDecl::declared(name, TypeKind::Struct, Vec::new(), node);
            for list in children(ty) {
                for f in children(list) {
                    if f.kind() != "field_declaration" {
                        continue;
                    }
                    let fty = f.child_by_field_name("type").and_then(|t| type_ref(t, src));
                    let mut c = f.walk();
                    let names: Vec<_> = f.children_by_field_name("name", &mut c).collect();
                    if names.is_empty() {
                        // Embedding: the embedded type's fields and methods are promoted.
                        if let Some(t) = fty {
                            decl.supertypes.push(t.name);
                        }
                        continue;
                    }
                    for n in names {
                        decl.fields.push(Field {
                            name: text(n, src).to_string(),
                            ty: fty.clone(),
                            is_static: false,
                            line: line(f),
                        });
                    }
                }
            }
            out.push(decl);
        }
        "interface_type" => {
            let mut decl = TypeDecl::declared(name, TypeKind::Interface, Vec::new(), node);
            for e in children(ty) {
                match e.kind() {
                    "method_elem" | "method_spec" => {
                        let mname = e
                            .child_by_field_name("name")
                            .map(|n| text(n, src).to_string())
                            .unwrap_or_default();
                        let params = e
                            .child_by_field_name("parameters")
                            .map(|p| params(p, src))
                            .unwrap_or_default();
                        let returns = e
                            .child_by_field_name("result")
                            .and_then(|t| type_ref(t, src));
                        let mods = Modifiers {
                            is_abstract: true,
                            ..Modifiers::default()
                        };
                        decl.methods
                            .push(Method::declared(mname, params, returns, mods, e));
                    }
                    "type_elem" | "constraint_elem" | "interface_type_name" => {
                        if let Some(t) = children(e).into_iter().find_map(|t| type_ref(t, src)) {
                            decl.supertypes.push(t.name);
                        }
                    }
                    _ => {
                        if let Some(t) = type_ref(e, src) {
                            decl.supertypes.push(t.name);
                        }
                    }
                }
            }
            out.push(decl);
        }
        _ => {}
    }
}

fn params(list: Node<'_>, src: &str) -> Vec<Param> {
    let mut out = Vec::new();
    for p in children(list) {
        if !matches!(
            p.kind(),
            "parameter_declaration" | "variadic_parameter_declaration"
        ) {
            continue;
        }
        let mut ty = p.child_by_field_name("type").and_then(|t| type_ref(t, src));
        if p.kind() == "variadic_parameter_declaration" {
            ty = ty.map(|t| TypeRef::many(t.name));
        }
        let mut c = p.walk();
        let names: Vec<_> = p.children_by_field_name("name", &mut c).collect();
        for n in names {
            out.push(Param {
                name: text(n, src).to_string(),
                ty: ty.clone(),
            });
        }
    }
    out
}

/// A method of `decl` (or a `NewT` function when `recv` is `None`).
fn method(node: Node<'_>, src: &str, decl: &TypeDecl, recv: Option<&str>) -> (Method, BodyFacts) {
    let name = node
        .child_by_field_name("name")
        .map(|n| text(n, src).to_string())
        .unwrap_or_default();
    let params = node
        .child_by_field_name("parameters")
        .map(|p| params(p, src))
        .unwrap_or_default();
    let returns = node
        .child_by_field_name("result")
        .and_then(|t| type_ref(t, src));
    let mods = Modifiers {
        // Unexported methods are package-private, the closest Go has to private.
        is_private: name.chars().next().is_some_and(|c| c.is_lowercase()),
        ..Modifiers::default()
    };
    let mut scope = Scope::new(&decl.fields, false);
    for p in &params {
        scope.params.insert(p.name.clone(), p.ty.clone());
    }
    let mut facts = BodyFacts::default();
    let cx = Cx { recv };
    if let Some(b) = node.child_by_field_name("body") {
        walk(b, src, &mut scope, &mut facts, &cx);
    }
    (
        Method::declared(name, params, returns, mods, node).with_control(node, src),
        facts,
    )
}

/// What a body walk needs besides the scope: the receiver variable's name.
struct Cx<'a> {
    recv: Option<&'a str>,
}

impl Cx<'_> {
    fn is_self(&self, node: Node<'_>, src: &str) -> bool {
        node.kind() == "identifier" && Some(text(node, src)) == self.recv
    }
}

/// The type a composite literal (`T{…}`, `&T{…}`) makes.
fn literal_type(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind() {
        "composite_literal" => node
            .child_by_field_name("type")
            .and_then(|t| type_ref(t, src))
            .filter(|t| !t.collection)
            .map(|t| t.name),
        "unary_expression" => node
            .child_by_field_name("operand")
            .and_then(|o| literal_type(o, src)),
        _ => None,
    }
}

fn receiver(node: Node<'_>, src: &str, scope: &Scope, cx: &Cx<'_>) -> (Receiver, Option<String>) {
    match node.kind() {
        "identifier" if cx.is_self(node, src) => (Receiver::This, None),
        "identifier" => scope.name(text(node, src)),
        "selector_expression" => {
            let operand = node.child_by_field_name("operand");
            let field = node.child_by_field_name("field").map(|f| text(f, src));
            match (operand, field) {
                (Some(o), Some(f)) if cx.is_self(o, src) => scope.field(f),
                _ => (Receiver::Other, None),
            }
        }
        "parenthesized_expression" => children(node)
            .first()
            .map(|c| receiver(*c, src, scope, cx))
            .unwrap_or((Receiver::Other, None)),
        _ => (Receiver::Other, None),
    }
}

fn walk(node: Node<'_>, src: &str, scope: &mut Scope, facts: &mut BodyFacts, cx: &Cx<'_>) {
    match node.kind() {
        "func_literal" => return,
        "composite_literal" => {
            if let Some(t) = literal_type(node, src) {
                facts.creates.push(t);
            }
        }
        "short_var_declaration" | "var_spec" => {
            let left = node
                .child_by_field_name("left")
                .or_else(|| node.child_by_field_name("name"));
            let right = node
                .child_by_field_name("right")
                .or_else(|| node.child_by_field_name("value"));
            if let Some(r) = right {
                walk(r, src, scope, facts, cx);
            }
            let declared = node
                .child_by_field_name("type")
                .and_then(|t| type_ref(t, src));
            let names: Vec<Node<'_>> = match left {
                Some(l) if l.kind() == "expression_list" => children(l),
                Some(l) => vec![l],
                None => Vec::new(),
            };
            let values: Vec<Node<'_>> = right.map(children).unwrap_or_default();
            for (i, n) in names.iter().enumerate() {
                let ty = declared.clone().or_else(|| {
                    values
                        .get(i)
                        .and_then(|v| literal_type(*v, src))
                        .map(TypeRef::plain)
                });
                scope.locals.insert(text(*n, src).to_string(), ty);
            }
            return;
        }
        "for_statement" => {
            if let Some(rc) = children(node)
                .into_iter()
                .find(|c| c.kind() == "range_clause")
            {
                if let Some(r) = rc.child_by_field_name("right") {
                    walk(r, src, scope, facts, cx);
                    let (recv, _) = receiver(r, src, scope, cx);
                    let var = rc
                        .child_by_field_name("left")
                        .and_then(|l| children(l).into_iter().last());
                    if let (Some(f), Some(v)) = (Scope::collection_field(&recv), var) {
                        scope.elements.insert(text(v, src).to_string(), f);
                    }
                }
            }
            if let Some(b) = node.child_by_field_name("body") {
                walk(b, src, scope, facts, cx);
            }
            return;
        }
        "call_expression" => {
            let args: Vec<Node<'_>> = node
                .child_by_field_name("arguments")
                .map(children)
                .unwrap_or_default();
            let arg_names: Vec<String> = args
                .iter()
                .filter(|a| a.kind() == "identifier")
                .map(|a| text(*a, src).to_string())
                .collect();
            let passes_self = args.iter().any(|a| cx.is_self(*a, src));
            if let Some(f) = node.child_by_field_name("function") {
                match f.kind() {
                    "selector_expression" => {
                        let name = f
                            .child_by_field_name("field")
                            .map(|n| text(n, src))
                            .unwrap_or("");
                        if let Some(o) = f.child_by_field_name("operand") {
                            let recv = receiver(o, src, scope, cx);
                            facts.call(scope, recv, name, &arg_names, passes_self, node);
                            walk(o, src, scope, facts, cx);
                        }
                    }
                    "identifier" => {
                        let name = text(f, src);
                        // `append(x.f, p)`: an addition to the field x.f.
                        if name == "append" {
                            if let Some(first) = args.first() {
                                let recv = receiver(*first, src, scope, cx);
                                if matches!(recv.0, Receiver::Field(_)) {
                                    let rest: Vec<String> = arg_names
                                        .iter()
                                        .filter(|a| scope.params.contains_key(*a))
                                        .cloned()
                                        .collect();
                                    facts.call(scope, recv, "append", &rest, false, node);
                                }
                            }
                        } else {
                            facts.call(
                                scope,
                                (Receiver::Other, None),
                                name,
                                &arg_names,
                                passes_self,
                                node,
                            );
                        }
                    }
                    _ => walk(f, src, scope, facts, cx),
                }
            }
            for a in args {
                walk(a, src, scope, facts, cx);
            }
            return;
        }
        "assignment_statement" => {
            let lefts: Vec<Node<'_>> = node
                .child_by_field_name("left")
                .map(children)
                .unwrap_or_default();
            let rights: Vec<Node<'_>> = node
                .child_by_field_name("right")
                .map(children)
                .unwrap_or_default();
            for r in &rights {
                walk(*r, src, scope, facts, cx);
            }
            for (i, l) in lefts.iter().enumerate() {
                match receiver(*l, src, scope, cx).0 {
                    Receiver::Field(f) => {
                        let value = match rights.get(i) {
                            Some(r) if r.kind() == "identifier" => {
                                Assigned::Name(text(*r, src).to_string())
                            }
                            Some(r) => literal_type(*r, src)
                                .map(Assigned::New)
                                .unwrap_or(Assigned::Other),
                            None => Assigned::Other,
                        };
                        facts.assign_field(scope, &f, value);
                    }
                    _ if l.kind() == "selector_expression" => {
                        if let (Some(o), Some(f)) = (
                            l.child_by_field_name("operand"),
                            l.child_by_field_name("field"),
                        ) {
                            if o.kind() == "identifier" {
                                facts.write_on(scope, text(o, src), text(f, src));
                            }
                        }
                    }
                    _ => {}
                }
            }
            return;
        }
        "return_statement" => {
            if let Some(e) = children(node)
                .first()
                .and_then(|l| children(*l).into_iter().next())
            {
                let r = if cx.is_self(e, src) {
                    Returned::This
                } else if let Some(t) = literal_type(e, src) {
                    Returned::New(t)
                } else {
                    match receiver(e, src, scope, cx).0 {
                        Receiver::Field(f) => Returned::Field(f),
                        _ => Returned::Other,
                    }
                };
                facts.returned.push(r);
            }
        }
        _ => {}
    }
    for c in children(node) {
        walk(c, src, scope, facts, cx);
    }
}
