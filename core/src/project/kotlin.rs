//! Kotlin declarations: classes (abstract, sealed, open, data, enum), interfaces and `object`
//! declarations with their supertypes (delegation specifiers), properties (class body and
//! `val`/`var` constructor parameters), functions and constructors; members of a `companion
//! object` are static. Bodies give creations (a call of a capitalised name that the project
//! keeps only when it names a known type), calls with receivers resolved through properties,
//! parameters, locals, `for` and `forEach` over a property, and returns (expression bodies
//! included).

use tree_sitter::Node;

use super::model::{
    DocumentModel, Field, Import, Method, Modifiers, Param, Receiver, Returned, TypeDecl, TypeKind,
    TypeRef,
};
use super::scope::{
    all_children, apply_hints, children, generic, line, text, Assigned, BodyFacts, Scope,
};
use crate::language::Language;

/// Calls that make a collection of their type argument (`mutableListOf<Listener>()`).
const COLLECTION_MAKERS: &[&str] = &[
    "mutableListOf",
    "listOf",
    "arrayListOf",
    "mutableSetOf",
    "setOf",
    "hashSetOf",
    "linkedSetOf",
    "mutableMapOf",
    "hashMapOf",
    "linkedMapOf",
    "mapOf",
    "arrayOf",
    "ArrayList",
    "HashMap",
    "HashSet",
    "LinkedHashMap",
    "LinkedHashSet",
    "CopyOnWriteArrayList",
    "ArrayDeque",
];

/// Reads the declarations of a Kotlin file.
pub(crate) fn extract(root: Node<'_>, src: &str) -> DocumentModel {
    let mut doc = DocumentModel {
        language: Language::Kotlin,
        package: None,
        imports: Vec::new(),
        types: Vec::new(),
    };
    for c in children(root) {
        item(c, src, &mut doc);
    }
    doc
}

/// Adds what one top-level node of a file declares (package, imports, types) to `doc`: the unit
/// of reuse of [`super::Project::set_document`].
pub(crate) fn item(c: Node<'_>, src: &str, doc: &mut DocumentModel) {
    match c.kind() {
        "package_header" => {
            if let Some(q) = children(c).into_iter().next() {
                doc.package = Some(text(q, src).to_string());
            }
        }
        "import" | "import_header" => {
            let full = text(c, src).trim_start_matches("import").trim();
            let (path, alias) = match full.split_once(" as ") {
                Some((p, a)) => (p.trim(), Some(a.trim())),
                None => (full, None),
            };
            let (module, name) = path.rsplit_once('.').unwrap_or(("", path));
            doc.imports.push(Import {
                local: alias.unwrap_or(name).to_string(),
                module: module.to_string(),
                name: name.to_string(),
            });
        }
        _ => type_decl(c, src, &mut doc.types),
    }
}

/// The words of a declaration's `modifiers` node.
fn modifier_words<'t>(node: Node<'_>, src: &'t str) -> Vec<&'t str> {
    children(node)
        .into_iter()
        .filter(|c| c.kind() == "modifiers")
        .flat_map(children)
        .map(|m| text(m, src).trim())
        .collect()
}

/// The type reference of a Kotlin type node.
fn type_ref(node: Node<'_>, src: &str) -> Option<TypeRef> {
    match node.kind() {
        "user_type" => {
            let kids = children(node);
            let base = kids
                .iter()
                .rfind(|k| matches!(k.kind(), "identifier" | "type_identifier"))
                .map(|b| text(*b, src))?;
            let args: Vec<TypeRef> = kids
                .iter()
                .filter(|k| k.kind() == "type_arguments")
                .flat_map(|a| children(*a))
                .filter_map(|p| children(p).into_iter().find_map(|t| type_ref(t, src)))
                .collect();
            generic(base, args)
        }
        "nullable_type" | "parenthesized_type" | "type_projection" | "type" => {
            children(node).into_iter().find_map(|t| type_ref(t, src))
        }
        _ => None,
    }
}

/// The first type node among a node's children.
fn child_type(node: Node<'_>, src: &str) -> Option<TypeRef> {
    children(node).into_iter().find_map(|c| match c.kind() {
        "user_type" | "nullable_type" | "parenthesized_type" => type_ref(c, src),
        _ => None,
    })
}

fn name_of(node: Node<'_>, src: &str) -> Option<String> {
    node.child_by_field_name("name")
        .or_else(|| {
            children(node).into_iter().find(|c| {
                matches!(
                    c.kind(),
                    "identifier" | "type_identifier" | "simple_identifier"
                )
            })
        })
        .map(|n| text(n, src).to_string())
}

fn type_decl(node: Node<'_>, src: &str, out: &mut Vec<TypeDecl>) {
    if !matches!(node.kind(), "class_declaration" | "object_declaration") {
        return;
    }
    let Some(name) = name_of(node, src) else {
        return;
    };
    let words = modifier_words(node, src);
    let is_interface = all_children(node).iter().any(|c| c.kind() == "interface");
    let kind = if node.kind() == "object_declaration" {
        TypeKind::Class
    } else if is_interface {
        TypeKind::Interface
    } else if words.contains(&"enum") {
        TypeKind::Enum
    } else if words.contains(&"abstract") || words.contains(&"sealed") {
        TypeKind::AbstractClass
    } else {
        TypeKind::Class
    };
    let mut supertypes = Vec::new();
    for c in children(node) {
        if c.kind() == "delegation_specifiers" {
            for d in children(c) {
                let t = children(d).into_iter().find_map(|x| match x.kind() {
                    "constructor_invocation" => child_type(x, src),
                    "explicit_delegation" => child_type(x, src),
                    _ => type_ref(x, src),
                });
                if let Some(t) = t {
                    supertypes.push(t.name);
                }
            }
        }
    }
    let mut decl = TypeDecl::declared(&name, kind, supertypes, node);
    let mut hints = Vec::new();
    // The primary constructor: `val`/`var` parameters are properties too.
    if let Some(pc) = children(node)
        .into_iter()
        .find(|c| c.kind() == "primary_constructor")
    {
        let private = modifier_words(pc, src).contains(&"private");
        let mut params = Vec::new();
        let mut assigns = Vec::new();
        for cp in children(pc)
            .into_iter()
            .filter(|c| c.kind() == "class_parameters")
            .flat_map(children)
            .filter(|c| c.kind() == "class_parameter")
        {
            let Some(pname) = name_of(cp, src) else {
                continue;
            };
            let ty = child_type(cp, src);
            let property = all_children(cp)
                .iter()
                .any(|c| matches!(c.kind(), "val" | "var"));
            if property {
                decl.fields.push(Field {
                    name: pname.clone(),
                    ty: ty.clone(),
                    is_static: false,
                    line: line(cp),
                });
                assigns.push((pname.clone(), pname.clone()));
            }
            params.push(Param { name: pname, ty });
        }
        let mods = Modifiers {
            is_constructor: true,
            is_private: private,
            ..Modifiers::default()
        };
        let mut m = Method::declared(name.clone(), params, None, mods, pc);
        m.writes = assigns.iter().map(|(f, _)| f.clone()).collect();
        m.assigns = assigns;
        decl.methods.push(m);
    }
    let body = children(node)
        .into_iter()
        .find(|c| matches!(c.kind(), "class_body" | "enum_class_body"));
    let mut nested = Vec::new();
    if let Some(body) = body {
        members(body, src, &mut decl, kind, false, &mut hints, &mut nested);
    }
    apply_hints(&mut decl.fields, hints);
    out.push(decl);
    for n in nested {
        type_decl(n, src, out);
    }
}

/// Reads the members of a class body (`is_static` inside a companion object).
fn members<'n>(
    body: Node<'n>,
    src: &str,
    decl: &mut TypeDecl,
    kind: TypeKind,
    is_static: bool,
    hints: &mut Vec<(String, TypeRef, u32)>,
    nested: &mut Vec<Node<'n>>,
) {
    // Properties first: methods see every field.
    for m in children(body) {
        if m.kind() == "property_declaration" {
            let Some(var) = children(m)
                .into_iter()
                .find(|c| c.kind() == "variable_declaration")
            else {
                continue;
            };
            let Some(fname) = name_of(var, src) else {
                continue;
            };
            let value = children(m)
                .into_iter()
                .rfind(|c| c.kind() != "modifiers" && c.kind() != "variable_declaration");
            let ty = child_type(var, src).or_else(|| value.and_then(|v| value_type(v, src)));
            decl.fields.push(Field {
                name: fname,
                ty,
                is_static,
                line: line(m),
            });
        }
    }
    for m in children(body) {
        match m.kind() {
            "function_declaration" | "secondary_constructor" => {
                let (mut method, facts) = function(m, src, decl, kind);
                method.modifiers.is_static |= is_static;
                hints.extend(
                    facts
                        .field_hints
                        .iter()
                        .map(|(f, t)| (f.clone(), t.clone(), method.line)),
                );
                facts.fill(&mut method);
                decl.methods.push(method);
            }
            "property_declaration" => {
                // Initialisers that create objects are kept as methods named "".
                let value = children(m)
                    .into_iter()
                    .rfind(|c| c.kind() != "modifiers" && c.kind() != "variable_declaration");
                if let Some(v) = value {
                    let mut scope = Scope::new(&decl.fields, true);
                    let mut facts = BodyFacts::default();
                    walk(v, src, &mut scope, &mut facts);
                    if !facts.creates.is_empty() {
                        let mods = Modifiers {
                            is_static,
                            ..Modifiers::default()
                        };
                        let mut init = Method::declared(String::new(), Vec::new(), None, mods, m);
                        init.creates = facts.creates;
                        decl.methods.push(init);
                    }
                }
            }
            "companion_object" => {
                if let Some(b) = children(m).into_iter().find(|c| c.kind() == "class_body") {
                    members(b, src, decl, kind, true, hints, nested);
                }
            }
            "class_declaration" | "object_declaration" => nested.push(m),
            _ => {}
        }
    }
}

/// The type an initialiser gives a property: a collection maker's type argument, or the
/// capitalised name called.
fn value_type(node: Node<'_>, src: &str) -> Option<TypeRef> {
    if node.kind() != "call_expression" {
        return None;
    }
    let kids = children(node);
    let callee = kids.first()?;
    if callee.kind() != "identifier" {
        return None;
    }
    let name = text(*callee, src);
    let arg = kids
        .iter()
        .filter(|k| k.kind() == "type_arguments")
        .flat_map(|a| children(*a))
        .filter_map(|p| children(p).into_iter().find_map(|t| type_ref(t, src)))
        .collect::<Vec<_>>()
        .pop();
    if COLLECTION_MAKERS.contains(&name) {
        return arg.map(|a| TypeRef::many(a.name));
    }
    capitalised(name).then(|| TypeRef::plain(name))
}

fn capitalised(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_uppercase())
}

fn function(node: Node<'_>, src: &str, decl: &TypeDecl, kind: TypeKind) -> (Method, BodyFacts) {
    let words = modifier_words(node, src);
    let is_constructor = node.kind() == "secondary_constructor";
    let body = children(node)
        .into_iter()
        .find(|c| c.kind() == "function_body");
    let mods = Modifiers {
        is_static: false,
        is_abstract: words.contains(&"abstract") || (body.is_none() && kind == TypeKind::Interface),
        is_override: words.contains(&"override"),
        is_private: words.contains(&"private"),
        is_constructor,
    };
    let name = if is_constructor {
        decl.name.clone()
    } else {
        name_of(node, src).unwrap_or_default()
    };
    let mut params = Vec::new();
    for ps in children(node)
        .into_iter()
        .filter(|c| c.kind() == "function_value_parameters")
    {
        for p in children(ps).into_iter().filter(|c| c.kind() == "parameter") {
            if let Some(n) = name_of(p, src) {
                params.push(Param {
                    name: n,
                    ty: child_type(p, src),
                });
            }
        }
    }
    let returns = if is_constructor {
        None
    } else {
        child_type(node, src)
    };
    let mut scope = Scope::new(&decl.fields, true);
    for p in &params {
        scope.params.insert(p.name.clone(), p.ty.clone());
    }
    let mut facts = BodyFacts::default();
    if let Some(b) = body {
        let kids = children(b);
        match kids.first() {
            // `fun f() = expr`: the expression is returned.
            Some(e) if !all_children(b).iter().any(|c| c.kind() == "block") => {
                facts.returned.push(returned(*e, src, &scope));
                walk(*e, src, &mut scope, &mut facts);
            }
            _ => walk(b, src, &mut scope, &mut facts),
        }
    }
    (
        Method::declared(name, params, returns, mods, node).with_control(node, src),
        facts,
    )
}

fn returned(e: Node<'_>, src: &str, scope: &Scope) -> Returned {
    match e.kind() {
        "this_expression" => Returned::This,
        "call_expression" => match children(e).first() {
            Some(c) if c.kind() == "identifier" && capitalised(text(*c, src)) => {
                Returned::New(text(*c, src).to_string())
            }
            _ => Returned::Other,
        },
        _ => match receiver(e, src, scope).0 {
            Receiver::Field(f) => Returned::Field(f),
            _ => Returned::Other,
        },
    }
}

fn receiver(node: Node<'_>, src: &str, scope: &Scope) -> (Receiver, Option<String>) {
    match node.kind() {
        "this_expression" => (Receiver::This, None),
        "super_expression" => (Receiver::Super, None),
        "identifier" | "simple_identifier" => scope.name(text(node, src)),
        "navigation_expression" => {
            let kids = children(node);
            match (kids.first(), kids.last()) {
                (Some(o), Some(f)) if o.kind() == "this_expression" && kids.len() == 2 => {
                    scope.field(text(*f, src))
                }
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

/// The parameter name a lambda binds (`{ x -> … }`), or `it`.
fn lambda_param(lambda: Node<'_>, src: &str) -> String {
    children(lambda)
        .into_iter()
        .find(|c| c.kind() == "lambda_parameters")
        .and_then(|p| first_identifier(p, src))
        .unwrap_or_else(|| "it".to_string())
}

fn first_identifier(node: Node<'_>, src: &str) -> Option<String> {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if matches!(n.kind(), "identifier" | "simple_identifier") {
            return Some(text(n, src).to_string());
        }
        let mut kids = children(n);
        kids.reverse();
        stack.extend(kids);
    }
    None
}

fn walk(node: Node<'_>, src: &str, scope: &mut Scope, facts: &mut BodyFacts) {
    match node.kind() {
        "class_declaration" | "object_declaration" | "function_declaration" => return,
        "property_declaration" => {
            let kids = children(node);
            let value = kids
                .iter()
                .rfind(|c| c.kind() != "modifiers" && c.kind() != "variable_declaration")
                .copied();
            if let Some(v) = value {
                walk(v, src, scope, facts);
            }
            if let Some(var) = kids.iter().find(|c| c.kind() == "variable_declaration") {
                if let Some(n) = name_of(*var, src) {
                    let ty =
                        child_type(*var, src).or_else(|| value.and_then(|v| value_type(v, src)));
                    scope.locals.insert(n, ty);
                }
            }
            return;
        }
        "for_statement" => {
            let kids = children(node);
            let var = kids
                .iter()
                .find(|c| c.kind() == "variable_declaration")
                .and_then(|v| name_of(*v, src));
            // The iterated expression follows the loop variable.
            let iterated = kids
                .iter()
                .skip_while(|c| c.kind() != "variable_declaration")
                .nth(1)
                .copied();
            if let Some(it) = iterated {
                walk(it, src, scope, facts);
                let (r, _) = receiver(it, src, scope);
                if let (Some(f), Some(v)) = (Scope::collection_field(&r), var) {
                    scope.elements.insert(v, f);
                }
            }
            for c in kids
                .iter()
                .skip_while(|c| c.kind() != "variable_declaration")
                .skip(2)
            {
                walk(*c, src, scope, facts);
            }
            return;
        }
        "call_expression" => {
            let kids = children(node);
            let Some(callee) = kids.first().copied() else {
                return;
            };
            let args: Vec<Node<'_>> = kids
                .iter()
                .filter(|k| k.kind() == "value_arguments")
                .flat_map(|a| children(*a))
                .filter_map(|a| children(a).into_iter().last())
                .collect();
            let arg_names: Vec<String> = args
                .iter()
                .filter(|a| a.kind() == "identifier")
                .map(|a| text(*a, src).to_string())
                .collect();
            let passes_self = args.iter().any(|a| a.kind() == "this_expression");
            let lambda = kids
                .iter()
                .find(|k| k.kind() == "annotated_lambda")
                .and_then(|l| {
                    children(*l)
                        .into_iter()
                        .find(|c| c.kind() == "lambda_literal")
                });
            match callee.kind() {
                "navigation_expression" => {
                    let nk = children(callee);
                    let (Some(obj), Some(m)) = (nk.first().copied(), nk.last().copied()) else {
                        return;
                    };
                    let name = text(m, src);
                    let recv = receiver(obj, src, scope);
                    if name == "forEach" {
                        if let (Some(f), Some(l)) = (Scope::collection_field(&recv.0), lambda) {
                            scope.elements.insert(lambda_param(l, src), f);
                        }
                    }
                    facts.call(scope, recv, name, &arg_names, passes_self, node);
                    walk(obj, src, scope, facts);
                }
                "identifier" | "simple_identifier" => {
                    let name = text(callee, src);
                    if capitalised(name) {
                        facts.creates.push(name.to_string());
                    } else {
                        facts.call(
                            scope,
                            (Receiver::This, None),
                            name,
                            &arg_names,
                            passes_self,
                            node,
                        );
                    }
                }
                _ => walk(callee, src, scope, facts),
            }
            for a in args {
                walk(a, src, scope, facts);
            }
            if let Some(l) = lambda {
                walk(l, src, scope, facts);
            }
            return;
        }
        "assignment" => {
            let left = node.child_by_field_name("left");
            let right = node.child_by_field_name("right");
            if let Some(r) = right {
                walk(r, src, scope, facts);
            }
            if let Some(l) = left {
                match receiver(l, src, scope).0 {
                    Receiver::Field(f) => {
                        let value = match right {
                            Some(r) if matches!(r.kind(), "identifier" | "simple_identifier") => {
                                Assigned::Name(text(r, src).to_string())
                            }
                            Some(r) => match returned(r, src, scope) {
                                Returned::New(t) => Assigned::New(t),
                                _ => Assigned::Other,
                            },
                            None => Assigned::Other,
                        };
                        facts.assign_field(scope, &f, value);
                    }
                    _ if l.kind() == "navigation_expression" => {
                        let nk = children(l);
                        if let (Some(o), Some(f)) = (nk.first(), nk.last()) {
                            if matches!(o.kind(), "identifier" | "simple_identifier")
                                && nk.len() == 2
                            {
                                facts.write_on(scope, text(*o, src), text(*f, src));
                            }
                        }
                    }
                    _ => {}
                }
            }
            return;
        }
        "return_expression" => {
            if let Some(e) = children(node).first() {
                facts.returned.push(returned(*e, src, scope));
            }
        }
        _ => {}
    }
    for c in children(node) {
        walk(c, src, scope, facts);
    }
}
