//! TypeScript, TSX and JavaScript declarations: classes (abstract ones included) and
//! interfaces with their heritage, fields (parameter properties included), methods and
//! abstract signatures; bodies give `new` expressions, calls with receivers resolved through
//! `this.` fields, parameters, locals, `for…of` and `forEach` over a field, and returns.

use tree_sitter::Node;

use super::model::{
    DocumentModel, Field, Import, Method, Modifiers, Param, Receiver, Returned, TypeDecl, TypeKind,
    TypeRef,
};
use super::scope::{
    all_children, apply_hints, children, generic, line, simple, text, Assigned, BodyFacts, Scope,
};
use crate::language::Language;

/// Reads the declarations of a TypeScript, TSX or JavaScript file.
pub(crate) fn extract(language: Language, root: Node<'_>, src: &str) -> DocumentModel {
    let mut doc = DocumentModel {
        language,
        package: None,
        imports: Vec::new(),
        types: Vec::new(),
    };
    top(root, src, &mut doc);
    doc
}

fn top(node: Node<'_>, src: &str, doc: &mut DocumentModel) {
    for child in children(node) {
        item(child, src, doc);
    }
}

/// Adds what one top-level node of a module declares (imports, types, and those of a namespace
/// or ambient module it opens) to `doc`: the unit of reuse of [`super::Project::set_document`].
pub(crate) fn item(child: Node<'_>, src: &str, doc: &mut DocumentModel) {
    match child.kind() {
        "import_statement" => import(child, src, &mut doc.imports),
        "export_statement" => {
            if let Some(d) = child.child_by_field_name("declaration") {
                type_decl(d, src, &mut doc.types);
            } else {
                for c in children(child) {
                    type_decl(c, src, &mut doc.types);
                }
            }
        }
        "module" | "internal_module" | "ambient_declaration" => {
            if let Some(b) = child.child_by_field_name("body") {
                top(b, src, doc);
            } else {
                top(child, src, doc);
            }
        }
        "statement_block" => top(child, src, doc),
        _ => type_decl(child, src, &mut doc.types),
    }
}

fn import(node: Node<'_>, src: &str, out: &mut Vec<Import>) {
    let module = node
        .child_by_field_name("source")
        .map(|s| text(s, src).trim_matches(|c| c == '"' || c == '\'' || c == '`'))
        .unwrap_or("")
        .to_string();
    let Some(clause) = children(node)
        .into_iter()
        .find(|c| c.kind() == "import_clause")
    else {
        return;
    };
    for c in children(clause) {
        match c.kind() {
            "identifier" => out.push(Import {
                local: text(c, src).to_string(),
                module: module.clone(),
                name: text(c, src).to_string(),
            }),
            "named_imports" => {
                for s in children(c) {
                    if s.kind() != "import_specifier" {
                        continue;
                    }
                    let name = s.child_by_field_name("name").map(|n| text(n, src));
                    let alias = s.child_by_field_name("alias").map(|n| text(n, src));
                    if let Some(n) = name {
                        out.push(Import {
                            local: alias.unwrap_or(n).to_string(),
                            module: module.clone(),
                            name: n.to_string(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

/// The type reference of a type (or `type_annotation`) node.
fn type_ref(node: Node<'_>, src: &str) -> Option<TypeRef> {
    match node.kind() {
        "type_annotation" | "parenthesized_type" | "readonly_type" | "opting_type_annotation" => {
            children(node).into_iter().find_map(|c| type_ref(c, src))
        }
        "type_identifier" | "nested_type_identifier" | "identifier" => {
            Some(TypeRef::plain(simple(text(node, src))))
        }
        "generic_type" => {
            let base = node
                .child_by_field_name("name")
                .map(|n| text(n, src))
                .unwrap_or("");
            let args = children(node)
                .into_iter()
                .find(|c| c.kind() == "type_arguments")
                .map(|a| {
                    children(a)
                        .into_iter()
                        .filter_map(|t| type_ref(t, src))
                        .collect()
                })
                .unwrap_or_default();
            generic(base, args)
        }
        "array_type" => children(node)
            .into_iter()
            .find_map(|c| type_ref(c, src))
            .map(|t| TypeRef::many(t.name)),
        "union_type" => children(node).into_iter().find_map(|c| type_ref(c, src)),
        // Primitive results are kept by name (`boolean`: a predicate); `void`, `any`, … are not.
        "predefined_type" => {
            let t = text(node, src);
            matches!(t, "boolean" | "number" | "string" | "bigint" | "symbol")
                .then(|| TypeRef::plain(t))
        }
        _ => None,
    }
}

fn type_decl(node: Node<'_>, src: &str, out: &mut Vec<TypeDecl>) {
    let kind = match node.kind() {
        "class_declaration" | "class" => TypeKind::Class,
        "abstract_class_declaration" => TypeKind::AbstractClass,
        "interface_declaration" => TypeKind::Interface,
        _ => return,
    };
    let Some(name) = node.child_by_field_name("name").map(|n| text(n, src)) else {
        return;
    };
    let mut supertypes = Vec::new();
    for c in children(node) {
        match c.kind() {
            "class_heritage" => {
                for h in children(c) {
                    match h.kind() {
                        "extends_clause" | "implements_clause" => {
                            for t in children(h) {
                                if let Some(r) = type_ref(t, src) {
                                    supertypes.push(r.name);
                                } else if matches!(t.kind(), "member_expression") {
                                    supertypes.push(simple(text(t, src)).to_string());
                                }
                            }
                        }
                        // JavaScript: `class A extends B`.
                        "identifier" | "member_expression" => {
                            supertypes.push(simple(text(h, src)).to_string())
                        }
                        _ => {}
                    }
                }
            }
            "extends_type_clause" => {
                for t in children(c) {
                    if let Some(r) = type_ref(t, src) {
                        supertypes.push(r.name);
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
    let members = children(body);
    for m in &members {
        match m.kind() {
            "public_field_definition" | "field_definition" | "property_signature" => {
                let mods = modifiers(*m, src);
                let name = m
                    .child_by_field_name("name")
                    .or_else(|| m.child_by_field_name("property"))
                    .map(|n| text(n, src).trim_start_matches('#').to_string());
                let mut ty = m.child_by_field_name("type").and_then(|t| type_ref(t, src));
                let value = m.child_by_field_name("value");
                if ty.is_none() {
                    ty = value.and_then(|v| new_type_ref(v, src));
                }
                if ty.is_none() && value.is_some_and(|v| v.kind() == "array") {
                    ty = Some(TypeRef::many(""));
                }
                if let Some(name) = name {
                    decl.fields.push(Field {
                        name,
                        ty,
                        is_static: mods.is_static,
                        line: line(*m),
                    });
                }
            }
            "method_definition" => {
                // Constructor parameter properties are fields.
                let is_ctor = m
                    .child_by_field_name("name")
                    .is_some_and(|n| text(n, src) == "constructor");
                if is_ctor {
                    if let Some(ps) = m.child_by_field_name("parameters") {
                        for p in children(ps) {
                            let has_access = all_children(p)
                                .into_iter()
                                .any(|c| matches!(c.kind(), "accessibility_modifier" | "readonly"));
                            if has_access {
                                if let Some(n) = p.child_by_field_name("pattern") {
                                    decl.fields.push(Field {
                                        name: text(n, src).to_string(),
                                        ty: p
                                            .child_by_field_name("type")
                                            .and_then(|t| type_ref(t, src)),
                                        is_static: false,
                                        line: line(p),
                                    });
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut hints = Vec::new();
    for m in &members {
        match m.kind() {
            "method_definition"
            | "abstract_method_signature"
            | "method_signature"
            | "abstract_method_definition" => {
                let (mut method, facts) = method(*m, src, &decl, kind);
                hints.extend(
                    facts
                        .field_hints
                        .iter()
                        .map(|(f, t)| (f.clone(), t.clone(), method.line)),
                );
                facts.fill(&mut method);
                decl.methods.push(method);
            }
            "public_field_definition" | "field_definition" => {
                // Initialisers create objects too (`static instance = new X()`), and arrow
                // functions held in fields are methods.
                let Some(v) = m.child_by_field_name("value") else {
                    continue;
                };
                let mods = modifiers(*m, src);
                let mut scope = Scope::new(&decl.fields, false);
                let mut facts = BodyFacts::default();
                walk(v, src, &mut scope, &mut facts);
                if !facts.creates.is_empty() || !facts.calls.is_empty() {
                    let mut init = Method {
                        name: m
                            .child_by_field_name("name")
                            .filter(|_| v.kind() == "arrow_function")
                            .map(|n| text(n, src).to_string())
                            .unwrap_or_default(),
                        params: Vec::new(),
                        returns: None,
                        modifiers: mods,
                        creates: Vec::new(),
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
                    facts.fill(&mut init);
                    decl.methods.push(init);
                }
            }
            _ => {}
        }
    }
    apply_hints(&mut decl.fields, hints);
    // An untyped `[]` with nothing typed added to it stays untyped.
    for f in &mut decl.fields {
        if f.ty.as_ref().is_some_and(|t| t.name.is_empty()) {
            f.ty = None;
        }
    }
    out.push(decl);
}

fn modifiers(node: Node<'_>, src: &str) -> Modifiers {
    let mut m = Modifiers::default();
    for c in all_children(node) {
        match c.kind() {
            "static" => m.is_static = true,
            "abstract" => m.is_abstract = true,
            "override_modifier" | "override" => m.is_override = true,
            "accessibility_modifier" => m.is_private |= text(c, src) == "private",
            "private_property_identifier" => m.is_private = true,
            _ => {}
        }
    }
    m
}

/// The type a `new` expression makes, with its type arguments (`new Map<string, Icon>()` is a
/// collection of `Icon`).
fn new_type_ref(node: Node<'_>, src: &str) -> Option<TypeRef> {
    let base = new_type(node, src)?;
    match node.child_by_field_name("type_arguments") {
        Some(a) => generic(
            &base,
            children(a)
                .into_iter()
                .filter_map(|t| type_ref(t, src))
                .collect(),
        ),
        None => Some(TypeRef::plain(base)),
    }
}

fn new_type(node: Node<'_>, src: &str) -> Option<String> {
    (node.kind() == "new_expression")
        .then(|| node.child_by_field_name("constructor"))
        .flatten()
        .map(|c| simple(text(c, src)).to_string())
}

fn method(node: Node<'_>, src: &str, decl: &TypeDecl, kind: TypeKind) -> (Method, BodyFacts) {
    let mut mods = modifiers(node, src);
    let name = node
        .child_by_field_name("name")
        .map(|n| text(n, src).trim_start_matches('#').to_string())
        .unwrap_or_default();
    mods.is_constructor = name == "constructor";
    let body = node.child_by_field_name("body");
    if body.is_none() && (kind == TypeKind::Interface || node.kind().starts_with("abstract")) {
        mods.is_abstract = true;
    }
    let mut params = Vec::new();
    let mut facts = BodyFacts::default();
    if let Some(ps) = node.child_by_field_name("parameters") {
        for p in children(ps) {
            if let Some(n) = p.child_by_field_name("pattern") {
                let property = all_children(p)
                    .into_iter()
                    .any(|c| matches!(c.kind(), "accessibility_modifier" | "readonly"));
                if property {
                    let n = text(n, src).to_string();
                    facts.assigns.push((n.clone(), n));
                }
                params.push(Param {
                    name: text(n, src).to_string(),
                    ty: p.child_by_field_name("type").and_then(|t| type_ref(t, src)),
                });
            } else if p.kind() == "identifier" {
                params.push(Param {
                    name: text(p, src).to_string(),
                    ty: None,
                });
            }
        }
    }
    let returns = node
        .child_by_field_name("return_type")
        .and_then(|t| type_ref(t, src));
    let mut scope = Scope::new(&decl.fields, false);
    for p in &params {
        scope.params.insert(p.name.clone(), p.ty.clone());
    }
    if let Some(b) = body {
        walk(b, src, &mut scope, &mut facts);
    }
    (
        Method::declared(name, params, returns, mods, node).with_control(node, src),
        facts,
    )
}

fn receiver(node: Node<'_>, src: &str, scope: &Scope) -> (Receiver, Option<String>) {
    match node.kind() {
        "this" => (Receiver::This, None),
        "super" => (Receiver::Super, None),
        "identifier" => scope.name(text(node, src)),
        "member_expression" => {
            let obj = node.child_by_field_name("object");
            let prop = node.child_by_field_name("property").map(|p| text(p, src));
            match (obj.map(|o| o.kind()), prop) {
                (Some("this"), Some(f)) => scope.field(f.trim_start_matches('#')),
                _ => (Receiver::Other, None),
            }
        }
        "parenthesized_expression" | "non_null_expression" => children(node)
            .first()
            .map(|c| receiver(*c, src, scope))
            .unwrap_or((Receiver::Other, None)),
        _ => (Receiver::Other, None),
    }
}

fn arrow_param<'t>(node: Node<'_>, src: &'t str) -> Option<&'t str> {
    if let Some(p) = node.child_by_field_name("parameter") {
        return Some(text(p, src));
    }
    let ps = node.child_by_field_name("parameters")?;
    children(ps).into_iter().find_map(|p| {
        p.child_by_field_name("pattern")
            .map(|n| text(n, src))
            .or_else(|| (p.kind() == "identifier").then(|| text(p, src)))
    })
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
        "variable_declarator" => {
            let value = node.child_by_field_name("value");
            if let Some(v) = value {
                walk(v, src, scope, facts);
            }
            let ty = node
                .child_by_field_name("type")
                .and_then(|t| type_ref(t, src))
                .or_else(|| value.and_then(|v| new_type_ref(v, src)));
            if let Some(n) = node.child_by_field_name("name") {
                // `const { observers, size } = this`: each name stands for the field.
                if n.kind() == "object_pattern" && value.is_some_and(|v| v.kind() == "this") {
                    for p in children(n) {
                        if p.kind() == "shorthand_property_identifier_pattern" {
                            let f = text(p, src).to_string();
                            if scope.fields.contains_key(&f) {
                                scope.aliases.insert(f.clone(), f);
                            }
                        }
                    }
                    return;
                }
                scope.locals.insert(text(n, src).to_string(), ty);
            }
            return;
        }
        "for_in_statement" => {
            if let Some(r) = node.child_by_field_name("right") {
                walk(r, src, scope, facts);
                let (recv, _) = receiver(r, src, scope);
                if let (Some(f), Some(l)) = (
                    Scope::collection_field(&recv),
                    node.child_by_field_name("left"),
                ) {
                    scope.elements.insert(text(l, src).to_string(), f);
                }
            }
            if let Some(b) = node.child_by_field_name("body") {
                walk(b, src, scope, facts);
            }
            return;
        }
        "call_expression" => {
            let Some(func) = node.child_by_field_name("function") else {
                return;
            };
            let args: Vec<Node<'_>> = node
                .child_by_field_name("arguments")
                .map(children)
                .unwrap_or_default();
            let (recv, name) = match func.kind() {
                "member_expression" => {
                    let obj = func.child_by_field_name("object");
                    let prop = func
                        .child_by_field_name("property")
                        .map(|p| text(p, src))
                        .unwrap_or("");
                    let recv = obj
                        .map(|o| receiver(o, src, scope))
                        .unwrap_or((Receiver::Other, None));
                    if let Some(o) = obj {
                        walk(o, src, scope, facts);
                    }
                    (recv, prop.trim_start_matches('#'))
                }
                "identifier" => {
                    // A parameter or element called directly: `handler(x)`.
                    let (r, t) = scope.name(text(func, src));
                    match r {
                        Receiver::Other => ((Receiver::Other, None), text(func, src)),
                        r => ((r, t), "()"),
                    }
                }
                "super" => ((Receiver::Super, None), "constructor"),
                _ => {
                    walk(func, src, scope, facts);
                    ((Receiver::Other, None), "")
                }
            };
            if matches!(name, "forEach" | "map" | "filter" | "some" | "every") {
                if let Some(f) = Scope::collection_field(&recv.0) {
                    for a in &args {
                        if a.kind() == "arrow_function" || a.kind() == "function_expression" {
                            if let Some(v) = arrow_param(*a, src) {
                                scope.elements.insert(v.to_string(), f.clone());
                            }
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
            if !name.is_empty() {
                facts.call(scope, recv, name, &arg_names, passes_self, node);
            }
            for a in args {
                walk(a, src, scope, facts);
            }
            return;
        }
        "new_expression" => {
            if let Some(t) = new_type(node, src) {
                facts.creates.push(t);
            }
        }
        "return_statement" => {
            if let Some(e) = children(node).first() {
                let r = match e.kind() {
                    "this" => Returned::This,
                    "new_expression" => new_type(*e, src)
                        .map(Returned::New)
                        .unwrap_or(Returned::Other),
                    _ => match receiver(*e, src, scope).0 {
                        Receiver::Field(f) => Returned::Field(f),
                        _ => static_field(*e, src).map_or(Returned::Other, Returned::Field),
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
                        "new_expression" => new_type(r, src)
                            .map(Assigned::New)
                            .unwrap_or(Assigned::Other),
                        _ => Assigned::Other,
                    };
                    facts.assign_field(scope, &f, value);
                } else if l.kind() == "member_expression" {
                    if let (Some(o), Some(a)) = (
                        l.child_by_field_name("object"),
                        l.child_by_field_name("property"),
                    ) {
                        if o.kind() == "identifier" {
                            facts.write_on(scope, text(o, src), text(a, src));
                        }
                    }
                }
            }
        }
        "class_declaration" | "class" => return,
        _ => {}
    }
    for c in children(node) {
        walk(c, src, scope, facts);
    }
}

/// `ClassName.field` read as a static field (`return Config.instance`).
fn static_field(node: Node<'_>, src: &str) -> Option<String> {
    if node.kind() != "member_expression" {
        return None;
    }
    let obj = node.child_by_field_name("object")?;
    let prop = node.child_by_field_name("property")?;
    (obj.kind() == "identifier" && text(obj, src).starts_with(char::is_uppercase))
        .then(|| text(prop, src).trim_start_matches('#').to_string())
}
