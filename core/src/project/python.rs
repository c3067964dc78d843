//! Python declarations: classes with their bases (`ABC` and `@abstractmethod` make them
//! abstract, `Protocol` a protocol), class attributes and the attributes `__init__` and other
//! methods assign through `self` (typed by annotation, by a typed parameter assigned or
//! appended, or by the class called), methods with annotations and decorators; bodies give
//! instantiations of capitalised names, calls with receivers, loops over attributes and returns.

use std::collections::HashMap;

use tree_sitter::Node;

use super::model::{
    DocumentModel, Field, Import, Method, Modifiers, Param, Receiver, Returned, TypeDecl, TypeKind,
    TypeRef,
};
use super::scope::{apply_hints, children, generic, line, simple, text, BodyFacts, Scope};
use crate::language::Language;

/// Reads the declarations of a Python file.
pub(crate) fn extract(root: Node<'_>, src: &str) -> DocumentModel {
    let mut doc = DocumentModel {
        language: Language::Python,
        package: None,
        imports: Vec::new(),
        types: Vec::new(),
    };
    for child in children(root) {
        item(child, src, &mut doc);
    }
    doc
}

/// Adds what one top-level node of a module declares (imports, classes) to `doc`: the unit of
/// reuse of [`super::Project::set_document`].
pub(crate) fn item(child: Node<'_>, src: &str, doc: &mut DocumentModel) {
    match child.kind() {
        "import_from_statement" => {
            let module = child
                .child_by_field_name("module_name")
                .map(|m| text(m, src).to_string())
                .unwrap_or_default();
            let mut c = child.walk();
            for n in child.children_by_field_name("name", &mut c) {
                let (name, local) = match n.kind() {
                    "aliased_import" => (
                        n.child_by_field_name("name").map(|x| text(x, src)),
                        n.child_by_field_name("alias").map(|x| text(x, src)),
                    ),
                    _ => (Some(text(n, src)), None),
                };
                if let Some(name) = name {
                    doc.imports.push(Import {
                        local: local.unwrap_or(name).to_string(),
                        module: module.clone(),
                        name: name.to_string(),
                    });
                }
            }
        }
        _ => class(child, src, &mut doc.types),
    }
}

/// Parses an annotation's text: `Optional[List["Observer"]]`, `list[Observer]`, `Observer |
/// None`, `Dict[str, Handler]`, `"Observer"`.
fn parse_type(s: &str) -> Option<TypeRef> {
    let s = s.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if s.is_empty() || s == "None" {
        return None;
    }
    // `A | None`: the first alternative that is not None, at depth 0.
    let mut depth = 0;
    for (i, ch) in s.char_indices() {
        match ch {
            '[' => depth += 1,
            ']' => depth -= 1,
            '|' if depth == 0 => {
                return parse_type(&s[..i]).or_else(|| parse_type(&s[i + 1..]));
            }
            _ => {}
        }
    }
    match s.find('[') {
        Some(open) if s.ends_with(']') => {
            let base = &s[..open];
            let inner = &s[open + 1..s.len() - 1];
            let mut args = Vec::new();
            let (mut depth, mut start) = (0, 0);
            for (i, ch) in inner.char_indices() {
                match ch {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    ',' if depth == 0 => {
                        args.extend(parse_type(&inner[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            args.extend(parse_type(&inner[start..]));
            if simple(base) == "Union" {
                return args.into_iter().next();
            }
            generic(base, args)
        }
        _ => Some(TypeRef::plain(simple(s))),
    }
}

fn decorators<'t>(node: Node<'_>, src: &'t str) -> Vec<&'t str> {
    match node.parent() {
        Some(p) if p.kind() == "decorated_definition" => children(p)
            .into_iter()
            .filter(|c| c.kind() == "decorator")
            .map(|d| {
                simple(
                    text(d, src)
                        .trim_start_matches('@')
                        .split('(')
                        .next()
                        .unwrap_or(""),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn unwrap_decorated(node: Node<'_>) -> Node<'_> {
    if node.kind() == "decorated_definition" {
        node.child_by_field_name("definition").unwrap_or(node)
    } else {
        node
    }
}

fn class(node: Node<'_>, src: &str, out: &mut Vec<TypeDecl>) {
    let node = unwrap_decorated(node);
    if node.kind() != "class_definition" {
        return;
    }
    let Some(name) = node.child_by_field_name("name").map(|n| text(n, src)) else {
        return;
    };
    let mut supertypes = Vec::new();
    let mut kind = TypeKind::Class;
    if let Some(bases) = node.child_by_field_name("superclasses") {
        for b in children(bases) {
            match b.kind() {
                "keyword_argument" => {
                    if text(b, src).contains("ABCMeta") {
                        kind = TypeKind::AbstractClass;
                    }
                }
                _ => {
                    let base = text(b, src);
                    let base = simple(base.split('[').next().unwrap_or(base));
                    match base {
                        "ABC" => kind = TypeKind::AbstractClass,
                        "Protocol" => kind = TypeKind::Protocol,
                        "object" | "Generic" => {}
                        _ => supertypes.push(base.to_string()),
                    }
                }
            }
        }
    }
    let mut decl = TypeDecl::declared(name, kind, supertypes, node);
    let Some(body) = node.child_by_field_name("body") else {
        out.push(decl);
        return;
    };
    let members = children(body);
    // Class attributes.
    for m in &members {
        if m.kind() != "expression_statement" {
            continue;
        }
        for a in children(*m) {
            if a.kind() != "assignment" {
                continue;
            }
            let Some(left) = a.child_by_field_name("left") else {
                continue;
            };
            if left.kind() != "identifier" {
                continue;
            }
            let ty = a
                .child_by_field_name("type")
                .and_then(|t| parse_type(text(t, src)))
                .or_else(|| {
                    a.child_by_field_name("right")
                        .and_then(|r| value_type(r, src))
                });
            decl.fields.push(Field {
                name: text(left, src).to_string(),
                ty,
                is_static: true,
                line: line(a),
            });
        }
    }
    let defs: Vec<Node<'_>> = members
        .iter()
        .map(|m| unwrap_decorated(*m))
        .filter(|m| m.kind() == "function_definition")
        .collect();
    // First pass: what the methods assign to `self` types the fields; second pass: the calls,
    // with every field's type known.
    let mut hints = Vec::new();
    for d in &defs {
        let (m, facts) = method(*d, src, &decl);
        hints.extend(facts.field_hints.into_iter().map(|(f, t)| (f, t, m.line)));
    }
    apply_hints(&mut decl.fields, hints);
    for f in &mut decl.fields {
        if f.ty.as_ref().is_some_and(|t| t.name.is_empty()) {
            f.ty = None;
        }
    }
    for d in &defs {
        let (mut m, facts) = method(*d, src, &decl);
        facts.fill(&mut m);
        if m.modifiers.is_abstract && decl.kind == TypeKind::Class {
            decl.kind = TypeKind::AbstractClass;
        }
        decl.methods.push(m);
    }
    out.push(decl);
    for m in members {
        class(m, src, out);
    }
}

/// The type a value gives a name: a class called (`Foo()`), an empty list or set (a
/// collection whose element type is not known yet).
fn value_type(node: Node<'_>, src: &str) -> Option<TypeRef> {
    match node.kind() {
        "call" => {
            let f = node.child_by_field_name("function")?;
            let name = simple(text(f, src));
            if matches!(name, "list" | "set" | "deque" | "dict" | "WeakSet") {
                Some(TypeRef::many(""))
            } else {
                capitalised(name).then(|| TypeRef::plain(name))
            }
        }
        "list" | "set" | "dictionary" => Some(TypeRef::many("")),
        _ => None,
    }
}

fn capitalised(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().any(|c| c.is_ascii_lowercase())
}

fn method(node: Node<'_>, src: &str, decl: &TypeDecl) -> (Method, BodyFacts) {
    let name = node
        .child_by_field_name("name")
        .map(|n| text(n, src).to_string())
        .unwrap_or_default();
    let decos = decorators(node, src);
    let mut mods = Modifiers {
        is_static: decos
            .iter()
            .any(|d| matches!(*d, "staticmethod" | "classmethod")),
        is_abstract: decos
            .iter()
            .any(|d| matches!(*d, "abstractmethod" | "abstractproperty")),
        is_override: decos.contains(&"override"),
        is_private: name.starts_with('_') && !name.ends_with("__"),
        is_constructor: name == "__init__" || name == "__new__",
    };
    let body = node.child_by_field_name("body");
    if let Some(b) = body {
        let stmts: Vec<_> = children(b)
            .into_iter()
            .filter(|s| s.kind() != "comment")
            .collect();
        let only_raises = stmts.iter().all(|s| {
            (s.kind() == "raise_statement" && text(*s, src).contains("NotImplementedError"))
                || s.kind() == "expression_statement"
                    && children(*s).first().is_some_and(|e| e.kind() == "string")
        }) && stmts.iter().any(|s| s.kind() == "raise_statement");
        if only_raises || decl.kind == TypeKind::Protocol {
            mods.is_abstract = true;
        }
    }
    let mut params = Vec::new();
    let mut first = true;
    if let Some(ps) = node.child_by_field_name("parameters") {
        for p in children(ps) {
            let (pname, ty) = match p.kind() {
                "identifier" => (text(p, src), None),
                "typed_parameter" => (
                    children(p)
                        .first()
                        .map(|n| text(*n, src))
                        .unwrap_or_default(),
                    p.child_by_field_name("type")
                        .and_then(|t| parse_type(text(t, src))),
                ),
                "default_parameter" | "typed_default_parameter" => (
                    p.child_by_field_name("name")
                        .map(|n| text(n, src))
                        .unwrap_or_default(),
                    p.child_by_field_name("type")
                        .and_then(|t| parse_type(text(t, src))),
                ),
                _ => continue,
            };
            let skip = first && !decos.contains(&"staticmethod");
            first = false;
            if skip {
                continue;
            }
            params.push(Param {
                name: pname.to_string(),
                ty,
            });
        }
    }
    let returns = node
        .child_by_field_name("return_type")
        .and_then(|t| parse_type(text(t, src)));
    let mut scope = Scope::new(&decl.fields, false);
    for p in &params {
        scope.params.insert(p.name.clone(), p.ty.clone());
    }
    let mut facts = BodyFacts::default();
    let mut ctx = Ctx {
        class: &decl.name,
        aliases: HashMap::new(),
    };
    if let Some(b) = body {
        walk(b, src, &mut scope, &mut facts, &mut ctx);
    }
    (
        Method::declared(name, params, returns, mods, node).with_control(node, src),
        facts,
    )
}

struct Ctx<'c> {
    /// The class's own name (`cls()` creates it).
    class: &'c str,
    /// Locals holding a field (`observers = self._observers`).
    aliases: HashMap<String, String>,
}

/// `self.x`, `cls.x` or `ClassName.x`: the attribute name.
fn self_attr<'t>(node: Node<'_>, src: &'t str, ctx: &Ctx<'_>) -> Option<&'t str> {
    if node.kind() != "attribute" {
        return None;
    }
    let obj = node.child_by_field_name("object")?;
    let o = text(obj, src);
    (obj.kind() == "identifier" && (o == "self" || o == "cls" || o == ctx.class))
        .then(|| node.child_by_field_name("attribute").map(|a| text(a, src)))
        .flatten()
}

fn receiver(node: Node<'_>, src: &str, scope: &Scope, ctx: &Ctx<'_>) -> (Receiver, Option<String>) {
    match node.kind() {
        "identifier" => match text(node, src) {
            "self" | "cls" => (Receiver::This, None),
            n => match ctx.aliases.get(n) {
                Some(f) if !scope.elements.contains_key(n) => scope.field(f),
                _ => scope.name(n),
            },
        },
        "attribute" => match self_attr(node, src, ctx) {
            Some(f) => scope.field(f),
            None => (Receiver::Other, None),
        },
        "call" => {
            // `super()`.
            let f = node.child_by_field_name("function");
            if f.is_some_and(|f| text(f, src) == "super") {
                (Receiver::Super, None)
            } else {
                (Receiver::Other, None)
            }
        }
        "parenthesized_expression" => children(node)
            .first()
            .map(|c| receiver(*c, src, scope, ctx))
            .unwrap_or((Receiver::Other, None)),
        _ => (Receiver::Other, None),
    }
}

/// Binds a loop variable over `iter` (an attribute of `self`, possibly through `list(...)`,
/// `.values()` or `.copy()`) to the elements of that field.
fn bind_loop(left: Node<'_>, iter: Node<'_>, src: &str, scope: &mut Scope, ctx: &Ctx<'_>) {
    let mut it = iter;
    while it.kind() == "call" {
        let f = it.child_by_field_name("function");
        let args = it.child_by_field_name("arguments").map(children);
        match f {
            Some(f) if f.kind() == "attribute" => {
                let m = f
                    .child_by_field_name("attribute")
                    .map(|a| text(a, src))
                    .unwrap_or("");
                match f.child_by_field_name("object") {
                    Some(o) if matches!(m, "values" | "copy" | "items") => it = o,
                    _ => return,
                }
            }
            Some(f) if matches!(text(f, src), "list" | "tuple" | "reversed" | "sorted") => {
                match args.and_then(|a| a.into_iter().next()) {
                    Some(a) => it = a,
                    None => return,
                }
            }
            _ => return,
        }
    }
    let (r, _) = receiver(it, src, scope, ctx);
    if let Some(f) = Scope::collection_field(&r) {
        // `for k, v in self.handlers.items()`: the last name is the element.
        let var = match left.kind() {
            "identifier" => Some(text(left, src)),
            "pattern_list" | "tuple_pattern" => children(left).last().map(|n| text(*n, src)),
            _ => None,
        };
        if let Some(v) = var {
            scope.elements.insert(v.to_string(), f);
        }
    }
}

fn walk(node: Node<'_>, src: &str, scope: &mut Scope, facts: &mut BodyFacts, ctx: &mut Ctx<'_>) {
    match node.kind() {
        "if_statement" | "conditional_expression" => {
            let cond = node
                .child_by_field_name("condition")
                .or_else(|| children(node).get(1).copied());
            if let Some(c) = cond {
                let c_ctx: &Ctx<'_> = ctx;
                facts.guard(c, src, |n| self_attr(n, src, c_ctx).map(str::to_string));
            }
        }
        "function_definition" | "class_definition" | "lambda" => return,
        "for_statement" => {
            if let (Some(l), Some(r)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) {
                walk(r, src, scope, facts, ctx);
                bind_loop(l, r, src, scope, ctx);
            }
            if let Some(b) = node.child_by_field_name("body") {
                walk(b, src, scope, facts, ctx);
            }
            return;
        }
        "list_comprehension" | "generator_expression" | "set_comprehension" => {
            let kids = children(node);
            for c in kids.iter().filter(|c| c.kind() == "for_in_clause") {
                if let (Some(l), Some(r)) = (
                    c.child_by_field_name("left"),
                    c.child_by_field_name("right"),
                ) {
                    walk(r, src, scope, facts, ctx);
                    bind_loop(l, r, src, scope, ctx);
                }
            }
            for c in kids.iter().filter(|c| c.kind() != "for_in_clause") {
                walk(*c, src, scope, facts, ctx);
            }
            return;
        }
        "assignment" => {
            let left = node.child_by_field_name("left");
            let right = node.child_by_field_name("right");
            if let Some(r) = right {
                walk(r, src, scope, facts, ctx);
            }
            let declared = node
                .child_by_field_name("type")
                .and_then(|t| parse_type(text(t, src)));
            if let Some(l) = left {
                if let Some(f) = self_attr(l, src, ctx) {
                    facts.write(f);
                    if let Some(r) = right.filter(|r| r.kind() == "identifier") {
                        if scope.params.contains_key(text(r, src)) {
                            facts
                                .assigns
                                .push((f.to_string(), text(r, src).to_string()));
                        }
                    }
                    let ty = declared.or_else(|| {
                        right.and_then(|r| match r.kind() {
                            "identifier" => scope
                                .params
                                .get(text(r, src))
                                .or_else(|| scope.locals.get(text(r, src)))
                                .cloned()
                                .flatten(),
                            _ => value_type(r, src).or_else(|| {
                                // `cls._instance = super().__new__(cls)` / `cls()`.
                                let t = text(r, src);
                                (t.contains("__new__(cls)") || t == "cls()")
                                    .then(|| TypeRef::plain(ctx.class))
                            }),
                        })
                    });
                    match ty {
                        Some(t) => facts.field_hints.push((f.to_string(), t)),
                        None => facts.field_hints.push((f.to_string(), TypeRef::plain(""))),
                    }
                } else if let Some(f) = (l.kind() == "subscript")
                    .then(|| l.child_by_field_name("value"))
                    .flatten()
                    .and_then(|v| self_attr(v, src, ctx))
                {
                    // `self._cache[key] = value`: a store into a map field, as `put` would be.
                    let args: Vec<String> = right
                        .filter(|r| r.kind() == "identifier")
                        .map(|r| text(r, src).to_string())
                        .into_iter()
                        .collect();
                    let recv = scope.field(f);
                    facts.call(scope, recv, "__setitem__", &args, false, node);
                } else if l.kind() == "attribute" {
                    if let (Some(o), Some(a)) = (
                        l.child_by_field_name("object"),
                        l.child_by_field_name("attribute"),
                    ) {
                        if o.kind() == "identifier" {
                            facts.write_on(scope, text(o, src), text(a, src));
                        }
                    }
                } else if l.kind() == "identifier" {
                    let name = text(l, src).to_string();
                    if let Some(f) = right.and_then(|r| self_attr(r, src, ctx)) {
                        ctx.aliases.insert(name.clone(), f.to_string());
                    }
                    let ty = declared.or_else(|| right.and_then(|r| value_type(r, src)));
                    scope.locals.insert(name, ty);
                }
            }
            return;
        }
        // `key in self._m` / `key not in self._m`: a lookup in a map field, as `__contains__`.
        "comparison_operator" => {
            let ops = super::scope::all_children(node);
            let tests_in = ops.iter().any(|o| matches!(o.kind(), "in" | "not in"));
            if let Some(f) = ops
                .last()
                .filter(|_| tests_in)
                .and_then(|r| self_attr(*r, src, ctx))
            {
                let recv = scope.field(f);
                facts.call(scope, recv, "__contains__", &[], false, node);
            }
        }
        "call" => {
            let Some(func) = node.child_by_field_name("function") else {
                return;
            };
            // `sum(x.f() for x in self.xs)`: the generator is the argument list itself.
            let args: Vec<Node<'_>> = match node.child_by_field_name("arguments") {
                Some(a) if a.kind() == "generator_expression" => vec![a],
                Some(a) => children(a),
                None => Vec::new(),
            };
            let arg_names: Vec<String> = args
                .iter()
                .filter(|a| a.kind() == "identifier")
                .map(|a| text(*a, src).to_string())
                .collect();
            let passes_self = args.iter().any(|a| text(*a, src) == "self");
            match func.kind() {
                "attribute" => {
                    let obj = func.child_by_field_name("object");
                    let m = func
                        .child_by_field_name("attribute")
                        .map(|a| text(a, src))
                        .unwrap_or("");
                    let recv = obj
                        .map(|o| receiver(o, src, scope, ctx))
                        .unwrap_or((Receiver::Other, None));
                    if let Some(o) = obj {
                        walk(o, src, scope, facts, ctx);
                    }
                    facts.call(scope, recv, m, &arg_names, passes_self, node);
                }
                "identifier" => {
                    let name = text(func, src);
                    if name == "cls" {
                        facts.creates.push(ctx.class.to_string());
                    } else if capitalised(name) {
                        facts.creates.push(name.to_string());
                    } else {
                        match scope.name(name) {
                            (Receiver::Other, _) => facts.call(
                                scope,
                                (Receiver::Other, None),
                                name,
                                &arg_names,
                                passes_self,
                                node,
                            ),
                            recv => facts.call(scope, recv, "()", &arg_names, passes_self, node),
                        }
                    }
                }
                _ => walk(func, src, scope, facts, ctx),
            }
            for a in args {
                walk(a, src, scope, facts, ctx);
            }
            return;
        }
        "return_statement" => {
            if let Some(e) = children(node).first() {
                let r = match e.kind() {
                    "identifier" if text(*e, src) == "self" => Returned::This,
                    "call" => {
                        let f = e.child_by_field_name("function").map(|f| text(f, src));
                        match f {
                            Some("cls") => Returned::New(ctx.class.to_string()),
                            Some(n) if capitalised(n) => Returned::New(n.to_string()),
                            _ => Returned::Other,
                        }
                    }
                    _ => match self_attr(*e, src, ctx) {
                        Some(f) => Returned::Field(f.to_string()),
                        None => Returned::Other,
                    },
                };
                facts.returned.push(r);
            }
        }
        _ => {}
    }
    for c in children(node) {
        walk(c, src, scope, facts, ctx);
    }
}
