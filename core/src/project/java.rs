//! Java declarations: classes, interfaces, enums and records with their supertypes, fields,
//! methods and constructors; bodies give creations, calls (receivers resolved through fields,
//! parameters, locals, enhanced-for and `forEach` over a field) and returns.

use tree_sitter::Node;

use super::model::{
    DocumentModel, Field, Import, Method, Modifiers, Param, Receiver, Returned, TypeDecl, TypeKind,
    TypeRef,
};
use super::scope::{
    all_children, apply_hints, children, generic, line, simple, text, Assigned, BodyFacts, Scope,
};
use crate::language::Language;

/// Reads the declarations of a Java file.
pub(crate) fn extract(root: Node<'_>, src: &str) -> DocumentModel {
    let mut doc = DocumentModel {
        language: Language::Java,
        package: None,
        imports: Vec::new(),
        types: Vec::new(),
    };
    for child in children(root) {
        item(child, src, &mut doc);
    }
    doc
}

/// Adds what one top-level node of a file declares (package, imports, types) to `doc`: the unit
/// of reuse of [`super::Project::set_document`].
pub(crate) fn item(child: Node<'_>, src: &str, doc: &mut DocumentModel) {
    match child.kind() {
        "package_declaration" => {
            if let Some(n) = children(child)
                .into_iter()
                .find(|n| matches!(n.kind(), "scoped_identifier" | "identifier"))
            {
                doc.package = Some(text(n, src).to_string());
            }
        }
        "import_declaration" => {
            let full = text(child, src)
                .trim_start_matches("import")
                .trim()
                .trim_start_matches("static")
                .trim()
                .trim_end_matches(';')
                .trim()
                .to_string();
            let (module, name) = match full.rsplit_once('.') {
                Some((m, n)) => (m.to_string(), n.to_string()),
                None => (String::new(), full.clone()),
            };
            doc.imports.push(Import {
                local: name.clone(),
                module,
                name,
            });
        }
        _ => type_decl(child, src, &mut doc.types),
    }
}

fn modifiers(node: Node<'_>, src: &str) -> (Modifiers, bool) {
    let mut m = Modifiers::default();
    let mut is_default = false;
    if let Some(mods) = all_children(node)
        .into_iter()
        .find(|c| c.kind() == "modifiers")
    {
        for c in all_children(mods) {
            match c.kind() {
                "static" => m.is_static = true,
                "abstract" => m.is_abstract = true,
                "private" => m.is_private = true,
                "default" => is_default = true,
                "marker_annotation" | "annotation" => {
                    let name = c
                        .child_by_field_name("name")
                        .map(|n| text(n, src))
                        .unwrap_or("");
                    if simple(name) == "Override" {
                        m.is_override = true;
                    }
                }
                _ => {}
            }
        }
    }
    (m, is_default)
}

/// The type reference of a Java type node.
pub(crate) fn type_ref(node: Node<'_>, src: &str) -> Option<TypeRef> {
    match node.kind() {
        "type_identifier" | "scoped_type_identifier" => {
            let name = simple(text(node, src));
            (name != "var").then(|| TypeRef::plain(name))
        }
        // Primitive results are kept by name (`boolean`: a predicate); `void` stays `None`.
        "boolean_type" | "integral_type" | "floating_point_type" => {
            Some(TypeRef::plain(text(node, src)))
        }
        "generic_type" => {
            let kids = children(node);
            let base = kids.first().map(|b| text(*b, src)).unwrap_or("");
            let args = kids
                .iter()
                .find(|k| k.kind() == "type_arguments")
                .map(|a| {
                    children(*a)
                        .into_iter()
                        .filter_map(|t| type_ref(t, src))
                        .collect()
                })
                .unwrap_or_default();
            generic(base, args)
        }
        "array_type" => node
            .child_by_field_name("element")
            .and_then(|e| type_ref(e, src))
            .map(|t| TypeRef::many(t.name)),
        "wildcard" => children(node).into_iter().find_map(|t| type_ref(t, src)),
        "annotated_type" => children(node).into_iter().find_map(|t| type_ref(t, src)),
        _ => None,
    }
}

fn type_list(node: Node<'_>, src: &str, out: &mut Vec<String>) {
    for c in children(node) {
        match c.kind() {
            "type_list" => type_list(c, src, out),
            _ => {
                if let Some(t) = type_ref(c, src) {
                    out.push(t.name);
                } else if c.kind() == "generic_type" {
                    if let Some(b) = children(c).first() {
                        out.push(simple(text(*b, src)).to_string());
                    }
                }
            }
        }
    }
}

fn base_name(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind() {
        "generic_type" => children(node)
            .first()
            .map(|b| simple(text(*b, src)).to_string()),
        _ => type_ref(node, src).map(|t| t.name),
    }
}

fn type_decl(node: Node<'_>, src: &str, out: &mut Vec<TypeDecl>) {
    let kind = match node.kind() {
        "class_declaration" | "record_declaration" => TypeKind::Class,
        "interface_declaration" => TypeKind::Interface,
        "enum_declaration" => TypeKind::Enum,
        _ => return,
    };
    let Some(name) = node.child_by_field_name("name").map(|n| text(n, src)) else {
        return;
    };
    let (mods, _) = modifiers(node, src);
    let kind = if kind == TypeKind::Class && mods.is_abstract {
        TypeKind::AbstractClass
    } else {
        kind
    };
    let mut supertypes = Vec::new();
    for c in children(node) {
        match c.kind() {
            "superclass" => {
                if let Some(t) = children(c).into_iter().find_map(|t| base_name(t, src)) {
                    supertypes.push(t);
                }
            }
            "super_interfaces" | "extends_interfaces" => {
                for t in children(c) {
                    if t.kind() == "type_list" {
                        for x in children(t) {
                            if let Some(n) = base_name(x, src) {
                                supertypes.push(n);
                            }
                        }
                    } else {
                        type_list(t, src, &mut supertypes);
                    }
                }
            }
            _ => {}
        }
    }
    let mut decl = TypeDecl::declared(name, kind, supertypes, node);
    let Some(body) = node.child_by_field_name("body") else {
        out.push(decl);
        return;
    };
    let mut members = children(body);
    // Enum bodies keep their members in `enum_body_declarations`.
    if let Some(extra) = members
        .iter()
        .find(|m| m.kind() == "enum_body_declarations")
        .copied()
    {
        members.extend(children(extra));
    }
    if kind == TypeKind::Class {
        // Record components are fields.
        if let Some(params) = node.child_by_field_name("parameters") {
            for p in children(params) {
                if let Some(n) = p.child_by_field_name("name") {
                    decl.fields.push(Field {
                        name: text(n, src).to_string(),
                        ty: p.child_by_field_name("type").and_then(|t| type_ref(t, src)),
                        is_static: false,
                        line: line(p),
                    });
                }
            }
        }
    }
    for m in &members {
        if m.kind() == "field_declaration" || m.kind() == "constant_declaration" {
            let (mods, _) = modifiers(*m, src);
            let ty = m.child_by_field_name("type").and_then(|t| type_ref(t, src));
            let mut c = m.walk();
            for d in m.children_by_field_name("declarator", &mut c) {
                if let Some(n) = d.child_by_field_name("name") {
                    decl.fields.push(Field {
                        name: text(n, src).to_string(),
                        ty: ty.clone(),
                        is_static: mods.is_static || kind == TypeKind::Interface,
                        line: line(*m),
                    });
                }
            }
        }
    }
    let mut hints = Vec::new();
    for m in &members {
        match m.kind() {
            "method_declaration"
            | "constructor_declaration"
            | "compact_constructor_declaration" => {
                let (method, facts) = method(*m, src, &decl, kind);
                hints.extend(
                    facts
                        .field_hints
                        .iter()
                        .map(|(f, t)| (f.clone(), t.clone(), method.line)),
                );
                let mut method = method;
                facts.fill(&mut method);
                decl.methods.push(method);
            }
            "field_declaration" => {
                // Field initialisers create objects too (`static final X INSTANCE = new X()`).
                let mut c = m.walk();
                let declarators: Vec<_> = m.children_by_field_name("declarator", &mut c).collect();
                for d in declarators {
                    if let Some(v) = d.child_by_field_name("value") {
                        let scope = Scope::new(&decl.fields, true);
                        let mut facts = BodyFacts::default();
                        let mut scope = scope;
                        walk(v, src, &mut scope, &mut facts);
                        if !facts.creates.is_empty() {
                            let (mods, _) = modifiers(*m, src);
                            let init = Method {
                                name: String::new(),
                                params: Vec::new(),
                                returns: None,
                                modifiers: Modifiers {
                                    is_static: mods.is_static,
                                    ..Modifiers::default()
                                },
                                creates: facts.creates,
                                calls: Vec::new(),
                                returned: Vec::new(),
                                assigns: Vec::new(),
                                writes: Vec::new(),
                                adds: Vec::new(),
                                writes_on: Vec::new(),
                                guards: Vec::new(),
                                control: Default::default(),
                                line: line(*m),
                                span: m.byte_range(),
                            };
                            decl.methods.push(init);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // Field initialisers that create objects are kept as methods named "".
    apply_hints(&mut decl.fields, hints);
    out.push(decl);
    for m in members {
        type_decl(m, src, out);
    }
}

fn method(node: Node<'_>, src: &str, decl: &TypeDecl, kind: TypeKind) -> (Method, BodyFacts) {
    let (mut mods, is_default) = modifiers(node, src);
    let is_constructor = node.kind() != "method_declaration";
    mods.is_constructor = is_constructor;
    let body = node.child_by_field_name("body");
    if body.is_none() && kind == TypeKind::Interface && !mods.is_static && !is_default {
        mods.is_abstract = true;
    }
    let name = if is_constructor {
        decl.name.clone()
    } else {
        node.child_by_field_name("name")
            .map(|n| text(n, src).to_string())
            .unwrap_or_default()
    };
    let mut params = Vec::new();
    if let Some(ps) = node.child_by_field_name("parameters") {
        for p in children(ps) {
            match p.kind() {
                "formal_parameter" => params.push(Param {
                    name: p
                        .child_by_field_name("name")
                        .map(|n| text(n, src).to_string())
                        .unwrap_or_default(),
                    ty: p.child_by_field_name("type").and_then(|t| type_ref(t, src)),
                }),
                "spread_parameter" => {
                    let ty = children(p).into_iter().find_map(|t| type_ref(t, src));
                    let name = children(p)
                        .into_iter()
                        .find(|c| c.kind() == "variable_declarator")
                        .and_then(|d| d.child_by_field_name("name"))
                        .map(|n| text(n, src).to_string())
                        .unwrap_or_default();
                    params.push(Param {
                        name,
                        ty: ty.map(|t| TypeRef::many(t.name)),
                    });
                }
                _ => {}
            }
        }
    }
    let returns = node
        .child_by_field_name("type")
        .and_then(|t| type_ref(t, src));
    let mut scope = Scope::new(&decl.fields, true);
    for p in &params {
        scope.params.insert(p.name.clone(), p.ty.clone());
    }
    let mut facts = BodyFacts::default();
    if let Some(b) = body {
        walk(b, src, &mut scope, &mut facts);
    }
    (
        Method::declared(name, params, returns, mods, node).with_control(node, src),
        facts,
    )
}

/// The receiver an expression denotes.
fn receiver(node: Node<'_>, src: &str, scope: &Scope) -> (Receiver, Option<String>) {
    match node.kind() {
        "this" => (Receiver::This, None),
        "super" => (Receiver::Super, None),
        "identifier" => scope.name(text(node, src)),
        "field_access" => {
            let obj = node.child_by_field_name("object");
            let field = node.child_by_field_name("field").map(|f| text(f, src));
            match (obj.map(|o| o.kind()), field) {
                (Some("this"), Some(f)) => scope.field(f),
                _ => (Receiver::Other, None),
            }
        }
        "parenthesized_expression" => children(node)
            .first()
            .map(|c| receiver(*c, src, scope))
            .unwrap_or((Receiver::Other, None)),
        _ => (Receiver::Other, None),
    }
}

fn walk(node: Node<'_>, src: &str, scope: &mut Scope, facts: &mut BodyFacts) {
    match node.kind() {
        "if_statement" | "ternary_expression" => {
            if let Some(c) = node.child_by_field_name("condition") {
                facts.guard(c, src, |n| match receiver(n, src, scope).0 {
                    Receiver::Field(f) => Some(f),
                    _ => None,
                });
            }
        }
        "local_variable_declaration" => {
            let ty = node
                .child_by_field_name("type")
                .and_then(|t| type_ref(t, src));
            let mut c = node.walk();
            let decls: Vec<_> = node.children_by_field_name("declarator", &mut c).collect();
            for d in decls {
                let value = d.child_by_field_name("value");
                let ty = ty.clone().or_else(|| {
                    value
                        .filter(|v| v.kind() == "object_creation_expression")
                        .and_then(|v| v.child_by_field_name("type"))
                        .and_then(|t| type_ref(t, src))
                });
                if let Some(v) = value {
                    walk(v, src, scope, facts);
                }
                if let Some(n) = d.child_by_field_name("name") {
                    scope.locals.insert(text(n, src).to_string(), ty);
                }
            }
            return;
        }
        "enhanced_for_statement" => {
            if let Some(v) = node.child_by_field_name("value") {
                walk(v, src, scope, facts);
                let (r, _) = receiver(v, src, scope);
                if let (Some(f), Some(n)) = (
                    Scope::collection_field(&r),
                    node.child_by_field_name("name"),
                ) {
                    scope.elements.insert(text(n, src).to_string(), f);
                } else if let Some(n) = node.child_by_field_name("name") {
                    let ty = node
                        .child_by_field_name("type")
                        .and_then(|t| type_ref(t, src));
                    scope.locals.insert(text(n, src).to_string(), ty);
                }
            }
            if let Some(b) = node.child_by_field_name("body") {
                walk(b, src, scope, facts);
            }
            return;
        }
        "method_invocation" => {
            let name = node
                .child_by_field_name("name")
                .map(|n| text(n, src))
                .unwrap_or("");
            let obj = node.child_by_field_name("object");
            let recv = match obj {
                Some(o) => receiver(o, src, scope),
                None => (Receiver::This, None),
            };
            let args_node = node.child_by_field_name("arguments");
            let args: Vec<Node<'_>> = args_node.map(children).unwrap_or_default();
            // `field.forEach(x -> x.m())` / `field.forEach(T::m)`: each element is called.
            if name == "forEach" {
                if let Some(f) = Scope::collection_field(&recv.0) {
                    for a in &args {
                        match a.kind() {
                            "lambda_expression" => {
                                if let Some(p) = a.child_by_field_name("parameters") {
                                    let var = if p.kind() == "identifier" {
                                        Some(text(p, src))
                                    } else {
                                        children(p).into_iter().find_map(|x| match x.kind() {
                                            "identifier" => Some(text(x, src)),
                                            "formal_parameter" => {
                                                x.child_by_field_name("name").map(|n| text(n, src))
                                            }
                                            _ => None,
                                        })
                                    };
                                    if let Some(v) = var {
                                        scope.elements.insert(v.to_string(), f.clone());
                                    }
                                }
                            }
                            "method_reference" => {
                                if let Some(m) = children(*a).last() {
                                    let ty = scope.element_type(&f);
                                    facts.call(
                                        scope,
                                        (Receiver::Element(f.clone()), ty),
                                        text(*m, src),
                                        &[],
                                        false,
                                        *a,
                                    );
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            let arg_names: Vec<String> = args
                .iter()
                .filter(|a| a.kind() == "identifier")
                .map(|a| text(*a, src).to_string())
                .collect();
            let passes_self = args.iter().any(|a| a.kind() == "this");
            facts.call(scope, recv, name, &arg_names, passes_self, node);
            if let Some(o) = obj {
                walk(o, src, scope, facts);
            }
            for a in args {
                walk(a, src, scope, facts);
            }
            return;
        }
        "object_creation_expression" => {
            if let Some(t) = node.child_by_field_name("type") {
                let name = match t.kind() {
                    "generic_type" => children(t)
                        .first()
                        .map(|b| simple(text(*b, src)).to_string()),
                    _ => Some(simple(text(t, src)).to_string()),
                };
                if let Some(n) = name {
                    facts.creates.push(n);
                }
            }
        }
        "return_statement" => {
            if let Some(e) = children(node).first() {
                let r = match e.kind() {
                    "this" => Returned::This,
                    "object_creation_expression" => e
                        .child_by_field_name("type")
                        .and_then(|t| base_name(t, src))
                        .map(Returned::New)
                        .unwrap_or(Returned::Other),
                    _ => match receiver(*e, src, scope).0 {
                        Receiver::Field(f) => Returned::Field(f),
                        _ => Returned::Other,
                    },
                };
                facts.returned.push(r);
            }
        }
        "assignment_expression" => {
            if let (Some(l), Some(r)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) {
                if let Receiver::Field(f) = receiver(l, src, scope).0 {
                    let value = match r.kind() {
                        "identifier" => Assigned::Name(text(r, src).to_string()),
                        "object_creation_expression" => r
                            .child_by_field_name("type")
                            .and_then(|t| base_name(t, src))
                            .map(Assigned::New)
                            .unwrap_or(Assigned::Other),
                        _ => Assigned::Other,
                    };
                    facts.assign_field(scope, &f, value);
                } else if l.kind() == "field_access" {
                    if let (Some(o), Some(a)) = (
                        l.child_by_field_name("object"),
                        l.child_by_field_name("field"),
                    ) {
                        if o.kind() == "identifier" {
                            facts.write_on(scope, text(o, src), text(a, src));
                        }
                    }
                }
            }
        }
        "class_body" => return,
        _ => {}
    }
    for c in children(node) {
        walk(c, src, scope, facts);
    }
}
