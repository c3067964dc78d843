//! The declarations of one document: the types it declares, with their supertypes, fields,
//! methods, object creations and calls, as the source spells them (names are not resolved
//! here; [`super::Project`] resolves them across documents).

use std::ops::Range;

use serde::Serialize;

use crate::language::Language;

/// What kind of type a declaration is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypeKind {
    /// A concrete class.
    Class,
    /// A class declared abstract (Java/TypeScript `abstract`, a Python class deriving from `ABC`
    /// or with an `@abstractmethod`).
    AbstractClass,
    /// An interface (Java, TypeScript, Go).
    Interface,
    /// A trait (Rust).
    Trait,
    /// A Python `Protocol`.
    Protocol,
    /// A struct (Go, Rust, C++).
    Struct,
    /// An enum.
    Enum,
}

impl TypeKind {
    /// True for the kinds that only declare behaviour for others to implement: interfaces,
    /// traits, protocols and abstract classes.
    pub fn is_abstract(self) -> bool {
        matches!(
            self,
            TypeKind::AbstractClass | TypeKind::Interface | TypeKind::Trait | TypeKind::Protocol
        )
    }
}

/// A declared type as the source writes it: the simple name of the type, or of the element
/// type of a collection, array or map (`List<Observer>`, `Observer[]`, `list[Observer]`,
/// `Map<String, Handler>` name `Observer`, `Observer`, `Observer`, `Handler` with
/// `collection = true`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TypeRef {
    /// The simple name (last path segment, type arguments removed).
    pub name: String,
    /// True when the declared type is a collection, array or map of `name`.
    pub collection: bool,
}

impl TypeRef {
    /// A plain (non-collection) reference.
    pub fn plain(name: impl Into<String>) -> TypeRef {
        TypeRef {
            name: name.into(),
            collection: false,
        }
    }

    /// A collection of `name`.
    pub fn many(name: impl Into<String>) -> TypeRef {
        TypeRef {
            name: name.into(),
            collection: true,
        }
    }
}

/// A field (attribute, property) of a type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// Its declared type, when the source says it (a Python attribute assigned a typed
    /// parameter or a new object takes that type; an untyped list that typed parameters are
    /// appended to becomes a collection of their type).
    pub ty: Option<TypeRef>,
    /// True for a static (class-level) field.
    pub is_static: bool,
    /// Zero-based line of the declaration.
    pub line: u32,
}

/// A parameter of a method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Param {
    /// The parameter's name.
    pub name: String,
    /// Its declared type, when the source says it.
    pub ty: Option<TypeRef>,
}

/// Modifiers of a method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Modifiers {
    /// `static`, `@staticmethod` or `@classmethod`.
    pub is_static: bool,
    /// Abstract: declared `abstract`, without a body in an interface, `@abstractmethod`, or a
    /// Python method whose body only raises `NotImplementedError`.
    pub is_abstract: bool,
    /// Declared to override (`@Override`, `override`).
    pub is_override: bool,
    /// Private (`private`, a TypeScript `#name`).
    pub is_private: bool,
    /// A constructor (`Name(...)` in Java, `constructor` in TypeScript, `__init__`/`__new__` in
    /// Python).
    pub is_constructor: bool,
}

/// What a call is made on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "name")]
pub enum Receiver {
    /// The object itself (`this.m()`, `self.m()`, an unqualified method call in Java).
    This,
    /// The supertype (`super.m()`, `super().m()`).
    Super,
    /// A field of the object (`this.f.m()`, `self.f.m()`, `f.m()` for a Java field).
    Field(String),
    /// A parameter of the method.
    Param(String),
    /// A local variable of the method.
    Local(String),
    /// Each element of a collection field, in a loop over it or a `forEach` (`for (L l :
    /// listeners) l.m()`, `self.observers` in a `for`): the field's name.
    Element(String),
    /// Anything else (a free function, a chained call, a module).
    Other,
}

/// A call found in a method body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Call {
    /// What the call is made on.
    pub receiver: Receiver,
    /// The method (or function) name.
    pub method: String,
    /// The declared type of the receiver, when the source says it: the field's, parameter's or
    /// local's declared type, or the element type of the collection looped over.
    pub receiver_type: Option<String>,
    /// True when `this` / `self` is one of the arguments (double dispatch: `v.visit(this)`).
    pub passes_self: bool,
    /// True when the call runs on some paths of the method only (in a branch of an `if`, a
    /// conditional expression or a `switch` arm, behind `&&`/`||` or an optional chain): a
    /// handler that may pass a request on, not a wrapper that always forwards.
    pub conditional: bool,
    /// Zero-based line of the call.
    pub line: u32,
}

/// What a `return` statement returns.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "name")]
pub enum Returned {
    /// The object itself (`return this`, `return self`).
    This,
    /// A field of the object or of the class (`return instance`, `return cls._instance`).
    Field(String),
    /// A new object of the named type.
    New(String),
    /// Anything else.
    Other,
}

/// A method (or constructor) of a type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Method {
    /// The method's name (`constructor`, `__init__` and Java constructors keep their names).
    pub name: String,
    /// Its parameters (without `self` / `cls`).
    pub params: Vec<Param>,
    /// The declared return type.
    pub returns: Option<TypeRef>,
    /// Its modifiers.
    pub modifiers: Modifiers,
    /// Simple names of the types it creates (`new T(...)`; in Python, calls of a capitalised
    /// name, which the project keeps only when it names a known type).
    pub creates: Vec<String>,
    /// The calls in its body.
    pub calls: Vec<Call>,
    /// What its `return` statements return.
    pub returned: Vec<Returned>,
    /// Fields it assigns a parameter to (`this.next = next`, a TypeScript parameter
    /// property): field name, parameter name.
    pub assigns: Vec<(String, String)>,
    /// Fields it assigns any value to (`this.state = next`, `self._x = None`), each once,
    /// in order of first assignment: behaviour over time when the method is not a
    /// constructor (a state field reassigned, a lazily made subject).
    pub writes: Vec<String>,
    /// Parameters it adds to a collection field (`listeners.add(l)`, `self._obs.append(o)`,
    /// `this.subs.push(s)`): field name, parameter name (a registration method).
    pub adds: Vec<(String, String)>,
    /// Fields it assigns on a parameter or local object, by name (`order.state = Paid()`,
    /// `ctx.state = next`): a state switching its context's state from outside.
    pub writes_on: Vec<String>,
    /// Fields an `if` condition tests for absence (`if (x == null)`, `if self._x is None`,
    /// `if (!this.x)`), each once: with a write and a creation, a lazy initialisation.
    pub guards: Vec<String>,
    /// Control flow of its body (loops, `try`, waits, growth): what retries and breakers do.
    pub control: Control,
    /// Zero-based line of the declaration.
    pub line: u32,
    /// Byte range of the declaration.
    pub span: Range<usize>,
}

/// What a method body's control flow does, read from its syntax whatever the language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Control {
    /// A `try` (with a `catch` / `except`) inside a loop.
    pub try_in_loop: bool,
    /// A wait (`sleep`, `setTimeout`, `delay`, `wait`, `park…`) inside a loop.
    pub wait_in_loop: bool,
    /// A growing quantity inside a loop: `<<`, `**`, `*=`, `<<=`, `**=`, `pow`, or a `*` whose
    /// product is assigned to a name it reads (`delay = delay * 2`).
    pub grows_in_loop: bool,
    /// A `catch` / `except` clause that records the failure: increments (`n++`, `n += 1`) or
    /// assigns a field through `this` / `self`.
    pub catch_records: bool,
}

/// Calls that wait for time to pass (a retry's pause between attempts).
pub const WAIT_CALLS: &[&str] = &[
    "sleep",
    "setTimeout",
    "delay",
    "wait",
    "park",
    "parkNanos",
    "sleepFor",
    "timeout",
];

impl Control {
    /// Reads the control facts of a method's syntax node (one pass over its subtree).
    pub(crate) fn read(node: tree_sitter::Node<'_>, src: &str) -> Control {
        let mut c = Control::default();
        // Every fact needs a loop or a catch clause: a body that spells neither keyword is not
        // walked (a substring search costs far less than a walk of the subtree).
        let body = src.get(node.byte_range()).unwrap_or("");
        if !["for", "while", "loop", "catch", "except"]
            .iter()
            .any(|k| body.contains(k))
        {
            return c;
        }
        // (node, inside a loop, inside a catch clause)
        let mut stack = vec![(node, false, false)];
        while let Some((n, in_loop, in_catch)) = stack.pop() {
            let kind = n.kind();
            let is_loop = matches!(
                kind,
                "for_statement"
                    | "enhanced_for_statement"
                    | "while_statement"
                    | "do_statement"
                    | "for_in_statement"
                    | "for_of_statement"
                    | "do_while_statement"
                    | "for_expression"
                    | "while_expression"
                    | "loop_expression"
            );
            let is_catch = matches!(kind, "catch_clause" | "except_clause" | "catch_block");
            if in_loop {
                match kind {
                    "try_statement" | "try_expression" | "try_with_resources_statement" => {
                        c.try_in_loop = true
                    }
                    "<<" | "**" | "*=" | "<<=" | "**=" => c.grows_in_loop = true,
                    // A product grows only when it feeds itself (`delay = delay * 2`,
                    // `d = Math.min(d * 2, max)`); `random() * 0.1` is a jitter, not growth.
                    "*" if feeds_itself(n, src) => c.grows_in_loop = true,
                    _ => {}
                }
            }
            // A failure recorded in a catch: a count (`n++`, `n += 1`) or a field assigned
            // (`this.state = …`, `self.opened = …`); a local reassigned is not a record.
            if in_catch {
                // An increment: `n++`, `++n`, `n += 1` (a decrement undoes, it does not count).
                let counts = matches!(
                    kind,
                    "augmented_assignment"
                        | "augmented_assignment_expression"
                        | "update_expression"
                        | "postfix_expression"
                        | "prefix_expression"
                ) && src
                    .get(n.byte_range())
                    .is_some_and(|t| t.contains("++") || t.contains("+="));
                let field = matches!(kind, "assignment_expression" | "assignment")
                    && n.child_by_field_name("left")
                        .and_then(|l| src.get(l.byte_range()))
                        .is_some_and(|l| l.starts_with("this.") || l.starts_with("self."));
                if counts || field {
                    c.catch_records = true;
                }
            }
            if matches!(kind, "method_invocation" | "call_expression" | "call") {
                let callee = n
                    .child_by_field_name("name")
                    .or_else(|| n.child_by_field_name("function"))
                    .or_else(|| n.child(0))
                    .and_then(|f| src.get(f.byte_range()))
                    .unwrap_or("");
                let name = callee.rsplit('.').next().unwrap_or(callee).trim();
                if in_loop && WAIT_CALLS.contains(&name) {
                    c.wait_in_loop = true;
                }
                if in_loop && matches!(name, "pow" | "exp") {
                    c.grows_in_loop = true;
                }
            }
            let mut cur = n.walk();
            for child in n.children(&mut cur) {
                stack.push((child, in_loop || is_loop, in_catch || is_catch));
            }
        }
        c
    }
}

/// True when the `*` operator `op` lies in the right side of an assignment whose left side (a
/// name or a field) the right side also reads: `delay = delay * 2`, `self.d = min(self.d * 2, m)`.
fn feeds_itself(op: tree_sitter::Node<'_>, src: &str) -> bool {
    let mut cur = op.parent();
    for _ in 0..8 {
        let Some(p) = cur else { return false };
        if matches!(
            p.kind(),
            "assignment_expression"
                | "assignment"
                | "assignment_statement"
                | "augmented_assignment_expression"
        ) {
            let (Some(l), Some(r)) = (
                p.child_by_field_name("left"),
                p.child_by_field_name("right"),
            ) else {
                return false;
            };
            let (Some(l), Some(r)) = (src.get(l.byte_range()), src.get(r.byte_range())) else {
                return false;
            };
            let l = l.trim();
            return !l.is_empty()
                && r.match_indices(l).any(|(i, _)| {
                    let before = r[..i].chars().next_back();
                    let after = r[i + l.len()..].chars().next();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                        && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
        }
        if matches!(
            p.kind(),
            "block" | "expression_statement" | "statement_block" | "local_variable_declaration"
        ) {
            return false;
        }
        cur = p.parent();
    }
    false
}

impl Method {
    /// The method with the control facts of its syntax node read.
    pub(crate) fn with_control(mut self, node: tree_sitter::Node<'_>, src: &str) -> Method {
        self.control = Control::read(node, src);
        self
    }
}

/// Method names that take an element out of a collection (`remove`, `delete`, `discard`,
/// `splice`, …): a call of one on a collection field is an unregistration.
pub const REMOVERS: &[&str] = &[
    "remove",
    "removeIf",
    "removeAll",
    "removeElement",
    "delete",
    "discard",
    "splice",
    "removeListener",
    "pop",
    "popleft",
    "poll",
    "shift",
    "removeFirst",
    "removeLast",
    "pollFirst",
    "pollLast",
];

/// Method names that look an element up in a collection (`get`, `containsKey`, `has`,
/// `computeIfAbsent`, `getOrPut`, `setdefault`, …): with a creation, a get-or-create.
pub const LOOKUPS: &[&str] = &[
    "get",
    "containsKey",
    "has",
    "computeIfAbsent",
    "getOrPut",
    "getOrDefault",
    "setdefault",
    "__contains__",
];

/// A type declared in a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TypeDecl {
    /// The simple name.
    pub name: String,
    /// Its kind.
    pub kind: TypeKind,
    /// Simple names of the supertypes it extends or implements, as written.
    pub supertypes: Vec<String>,
    /// Its fields (in Python: class attributes and attributes assigned through `self`).
    pub fields: Vec<Field>,
    /// Its methods and constructors.
    pub methods: Vec<Method>,
    /// Zero-based line of the declaration.
    pub line: u32,
    /// Byte range of the declaration.
    pub span: Range<usize>,
}

impl Method {
    /// A method declared by `node`, with nothing found in its body yet.
    pub(crate) fn declared(
        name: String,
        params: Vec<Param>,
        returns: Option<TypeRef>,
        modifiers: Modifiers,
        node: tree_sitter::Node<'_>,
    ) -> Method {
        Method {
            name,
            params,
            returns,
            modifiers,
            creates: Vec::new(),
            calls: Vec::new(),
            returned: Vec::new(),
            assigns: Vec::new(),
            writes: Vec::new(),
            adds: Vec::new(),
            writes_on: Vec::new(),
            guards: Vec::new(),
            control: Control::default(),
            line: super::scope::line(node),
            span: node.byte_range(),
        }
    }
}

impl TypeDecl {
    /// A type declared by `node`, before its members are read.
    pub(crate) fn declared(
        name: &str,
        kind: TypeKind,
        supertypes: Vec<String>,
        node: tree_sitter::Node<'_>,
    ) -> TypeDecl {
        TypeDecl {
            name: name.to_string(),
            kind,
            supertypes,
            fields: Vec::new(),
            methods: Vec::new(),
            line: super::scope::line(node),
            span: node.byte_range(),
        }
    }

    /// Moves every position of the declaration by `bytes` and `lines` (a declaration reused
    /// from an earlier version of its document, whose text before it grew or shrank).
    pub(crate) fn shift(&mut self, bytes: isize, lines: i64) {
        let at = |b: usize| b.saturating_add_signed(bytes);
        let row = |l: u32| u32::try_from(i64::from(l) + lines).unwrap_or(0);
        self.line = row(self.line);
        self.span = at(self.span.start)..at(self.span.end);
        for f in &mut self.fields {
            f.line = row(f.line);
        }
        for m in &mut self.methods {
            m.line = row(m.line);
            m.span = at(m.span.start)..at(m.span.end);
            for c in &mut m.calls {
                c.line = row(c.line);
            }
        }
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// True when the type is abstract: its kind is, or one of its methods is abstract.
    pub fn is_abstract(&self) -> bool {
        self.kind.is_abstract()
    }
}

/// A name an import binds in a document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Import {
    /// The name bound in the importing document (`Foo`, or the alias).
    pub local: String,
    /// The module or package the name comes from (`com.acme.shapes`, `./shapes`, `.shapes`);
    /// empty when unknown.
    pub module: String,
    /// The imported name in that module (`*` for a wildcard import).
    pub name: String,
}

/// Everything the project model knows about one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentModel {
    /// The document's language.
    pub language: Language,
    /// Its package (Java, Kotlin, Go), when declared.
    pub package: Option<String>,
    /// The names its imports bind.
    pub imports: Vec<Import>,
    /// The types it declares, nested ones included (by simple name).
    pub types: Vec<TypeDecl>,
}
