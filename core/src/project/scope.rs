//! What the extractors share: the names in scope inside a method body (the type's fields, the
//! method's parameters and locals, loop variables over a collection field) and the small
//! helpers every grammar needs (node text, collection type names).

use std::collections::HashMap;

use tree_sitter::Node;

use super::model::{Call, Field, Method, Receiver, Returned, TypeRef};

/// Generic types whose type arguments are the element type (the last argument for maps).
pub(crate) const COLLECTIONS: &[&str] = &[
    "List",
    "ArrayList",
    "LinkedList",
    "Set",
    "HashSet",
    "LinkedHashSet",
    "TreeSet",
    "SortedSet",
    "Collection",
    "Iterable",
    "Queue",
    "Deque",
    "ArrayDeque",
    "Vector",
    "Stack",
    "CopyOnWriteArrayList",
    "CopyOnWriteArraySet",
    "Map",
    "HashMap",
    "LinkedHashMap",
    "TreeMap",
    "ConcurrentHashMap",
    "ConcurrentMap",
    "ConcurrentSkipListMap",
    "ConcurrentNavigableMap",
    "NavigableMap",
    "SortedMap",
    "IdentityHashMap",
    "PriorityQueue",
    "BlockingQueue",
    "LinkedBlockingQueue",
    "ArrayBlockingQueue",
    "PriorityBlockingQueue",
    "ConcurrentLinkedQueue",
    "ConcurrentLinkedDeque",
    "LinkedBlockingDeque",
    "BlockingDeque",
    "NavigableSet",
    "ConcurrentSkipListSet",
    "WeakHashMap",
    "EnumMap",
    "Array",
    "ReadonlyArray",
    "Record",
    "MutableList",
    "MutableSet",
    "MutableMap",
    "list",
    "set",
    "dict",
    "frozenset",
    "tuple",
    "deque",
    "Sequence",
    "MutableSequence",
    "Mapping",
    "MutableMapping",
    "Dict",
    "Tuple",
    "FrozenSet",
    "Deque",
    "WeakSet",
    "Vec",
    "VecDeque",
    "vector",
];

/// Wrappers whose (first) type argument is the type itself (`Optional<T>`, `Optional[T]`).
pub(crate) const WRAPPERS: &[&str] = &[
    "Optional",
    "Supplier",
    "Box",
    "Rc",
    "Arc",
    "unique_ptr",
    "shared_ptr",
    "Final",
    "ClassVar",
    "Ref",
    "AtomicReference",
    "WeakReference",
    "Promise",
    "PromiseLike",
];

/// Methods that put an element into a collection (`self.observers.append(o)`).
pub(crate) const ADDERS: &[&str] = &[
    "add",
    "append",
    "push",
    "insert",
    "addLast",
    "addFirst",
    "offer",
    "put",
    "set",
    "unshift",
    "add_",
    "extend",
    "__setitem__",
];

/// Methods that store an entry into a map or a list by key or index (`put`, `set`,
/// `computeIfAbsent`, `setdefault`, a Python `self._m[k] = v`): with a lookup and a creation in
/// the same method, a get-or-create.
pub(crate) const STORERS: &[&str] = &[
    "put",
    "putIfAbsent",
    "set",
    "computeIfAbsent",
    "getOrPut",
    "setdefault",
    "__setitem__",
];

/// The text of a node.
pub(crate) fn text<'t>(node: Node<'_>, src: &'t str) -> &'t str {
    src.get(node.byte_range()).unwrap_or("")
}

/// The last segment of a dotted, scoped or path name (`a.b.Foo`, `a::Foo`, `"Foo"` → `Foo`).
pub(crate) fn simple(name: &str) -> &str {
    let name = name.trim().trim_matches(|c| c == '"' || c == '\'');
    let name = name.rsplit(['.', ':']).next().unwrap_or(name);
    name.trim()
}

/// Named children of a node.
pub(crate) fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut c = node.walk();
    node.named_children(&mut c).collect()
}

/// Every child (named or not) of a node.
pub(crate) fn all_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut c = node.walk();
    node.children(&mut c).collect()
}

/// True when `node` runs on some paths of its function only: it lies in a branch of an `if`
/// (not its condition), of a conditional expression or a `switch`/`when`/`match` arm, in the
/// right operand of `&&`/`||`/`and`/`or`, in a `catch`/`except` clause, or after an optional
/// chain (`next?.handle(r)`). The walk stops at the enclosing function.
pub(crate) fn conditional(node: Node<'_>) -> bool {
    // `a?.m()`: the call hangs on an optional chain in its own callee.
    let optional = |n: Node<'_>| {
        let mut c = n.walk();
        let found = n
            .children(&mut c)
            .any(|x| matches!(x.kind(), "optional_chain" | "?." | "safe_navigation"));
        found
    };
    if let Some(f) = node
        .child_by_field_name("function")
        .or_else(|| node.named_child(0))
    {
        if optional(f) || f.named_child(1).is_some_and(optional) {
            return true;
        }
    }
    let mut child = node;
    let mut cur = node.parent();
    while let Some(p) = cur {
        match p.kind() {
            "method_declaration"
            | "constructor_declaration"
            | "function_definition"
            | "function_declaration"
            | "method_definition"
            | "function_expression"
            | "arrow_function"
            | "lambda_expression"
            | "lambda"
            | "lambda_literal"
            | "anonymous_function"
            | "secondary_constructor"
            | "class_body"
            | "class_declaration"
            | "class_definition"
            | "source_file"
            | "program"
            | "module" => return false,
            "if_statement" | "if_expression" => {
                let cond = p.child_by_field_name("condition");
                if cond.is_none_or(|c| c.id() != child.id())
                    && p.child(0).is_none_or(|c| c.id() != child.id())
                    && !matches!(child.kind(), "parenthesized_expression" | "condition")
                {
                    return true;
                }
            }
            "ternary_expression"
            | "conditional_expression"
            | "elif_clause"
            | "else_clause"
            | "switch_block_statement_group"
            | "switch_rule"
            | "switch_case"
            | "switch_default"
            | "case_clause"
            | "default_clause"
            | "when_entry"
            | "match_arm"
            | "case_block"
            | "catch_clause"
            | "except_clause"
            | "expression_case"
            | "type_case"
            | "default_case" => return true,
            "binary_expression"
            | "boolean_operator"
            | "conjunction_expression"
            | "disjunction_expression" => {
                let op = p
                    .child_by_field_name("operator")
                    .map(|o| o.kind())
                    .unwrap_or("");
                let logical = matches!(op, "&&" | "||" | "and" | "or" | "??")
                    || matches!(
                        p.kind(),
                        "boolean_operator" | "conjunction_expression" | "disjunction_expression"
                    );
                if logical
                    && p.child_by_field_name("right")
                        .is_some_and(|r| r.id() == child.id())
                {
                    return true;
                }
                if logical && p.named_child(1).is_some_and(|r| r.id() == child.id()) {
                    return true;
                }
            }
            "optional_chain" | "safe_navigation" => return true,
            "member_expression" | "call_expression" | "navigation_expression" => {
                let mut c = p.walk();
                if p.children(&mut c)
                    .any(|x| matches!(x.kind(), "optional_chain" | "?." | "safe_navigation"))
                {
                    return true;
                }
            }
            _ => {}
        }
        child = p;
        cur = p.parent();
    }
    false
}

/// Zero-based line of a node.
pub(crate) fn line(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row).unwrap_or(u32::MAX)
}

/// Makes a type reference from a generic base name and its argument references: a collection
/// of its (last) argument, the argument of a wrapper, or the base itself.
pub(crate) fn generic(base: &str, args: Vec<TypeRef>) -> Option<TypeRef> {
    let base = simple(base);
    if COLLECTIONS.contains(&base) {
        let last = args.into_iter().next_back()?;
        Some(TypeRef::many(last.name))
    } else if WRAPPERS.contains(&base) {
        args.into_iter().next()
    } else if base.is_empty() {
        None
    } else {
        Some(TypeRef::plain(base))
    }
}

/// The names in scope in one method body.
#[derive(Default)]
pub(crate) struct Scope {
    /// Fields of the type (and whether `f` alone names one: Java, Kotlin, C++).
    pub fields: HashMap<String, Option<TypeRef>>,
    /// True when a bare name can be a field (Java, C++); false where fields need `this`/`self`.
    pub bare_fields: bool,
    /// Parameters.
    pub params: HashMap<String, Option<TypeRef>>,
    /// Locals declared so far.
    pub locals: HashMap<String, Option<TypeRef>>,
    /// Loop (or lambda) variables bound to each element of a field: variable → field.
    pub elements: HashMap<String, String>,
    /// Locals that name a field of the object (`const { observers } = this`): local → field.
    pub aliases: HashMap<String, String>,
}

impl Scope {
    /// A scope over a type's fields.
    pub fn new(fields: &[Field], bare_fields: bool) -> Scope {
        Scope {
            fields: fields
                .iter()
                .map(|f| (f.name.clone(), f.ty.clone()))
                .collect(),
            bare_fields,
            ..Scope::default()
        }
    }

    /// The receiver a bare name denotes, and its declared type.
    pub fn name(&self, name: &str) -> (Receiver, Option<String>) {
        if let Some(field) = self.elements.get(name) {
            return (Receiver::Element(field.clone()), self.element_type(field));
        }
        if let Some(field) = self.aliases.get(name) {
            return self.field(field);
        }
        if let Some(ty) = self.locals.get(name) {
            return (Receiver::Local(name.to_string()), plain_name(ty));
        }
        if let Some(ty) = self.params.get(name) {
            return (Receiver::Param(name.to_string()), plain_name(ty));
        }
        if self.bare_fields && self.fields.contains_key(name) {
            return self.field(name);
        }
        (Receiver::Other, None)
    }

    /// The receiver `this.name` / `self.name` denotes.
    pub fn field(&self, name: &str) -> (Receiver, Option<String>) {
        let ty = self.fields.get(name).and_then(plain_name);
        (Receiver::Field(name.to_string()), ty)
    }

    /// The element type of a collection field.
    pub fn element_type(&self, field: &str) -> Option<String> {
        match self.fields.get(field) {
            Some(Some(t)) if t.collection => Some(t.name.clone()),
            _ => None,
        }
    }

    /// The field a collection expression names (`this.f`, `self.f`, bare `f` where fields may be
    /// bare), given the receiver that expression resolves to.
    pub fn collection_field(receiver: &Receiver) -> Option<String> {
        match receiver {
            Receiver::Field(f) => Some(f.clone()),
            _ => None,
        }
    }
}

fn plain_name(ty: &Option<TypeRef>) -> Option<String> {
    match ty {
        Some(t) if !t.collection => Some(t.name.clone()),
        _ => None,
    }
}

/// Collects what a method body does, whatever the grammar.
#[derive(Default)]
pub(crate) struct BodyFacts {
    /// Types created.
    pub creates: Vec<String>,
    /// Calls made.
    pub calls: Vec<Call>,
    /// What is returned.
    pub returned: Vec<Returned>,
    /// Field types learnt from the body: `this.f = param` / `self.f.append(param)`.
    pub field_hints: Vec<(String, TypeRef)>,
    /// Fields assigned a parameter: field, parameter.
    pub assigns: Vec<(String, String)>,
    /// Fields assigned any value, each once.
    pub writes: Vec<String>,
    /// Parameters added to a field by an adder: field, parameter.
    pub adds: Vec<(String, String)>,
    /// Fields assigned on a parameter or local, by name, each once.
    pub writes_on: Vec<String>,
    /// Fields tested for absence in an `if` condition, each once.
    pub guards: Vec<String>,
}

impl BodyFacts {
    /// Moves the facts into a method.
    pub fn fill(self, m: &mut Method) {
        m.creates = self.creates;
        m.calls = self.calls;
        m.returned = self.returned;
        m.assigns.extend(self.assigns);
        for w in self.writes {
            if !m.writes.contains(&w) {
                m.writes.push(w);
            }
        }
        m.adds.extend(self.adds);
        m.writes_on.extend(self.writes_on);
        m.guards.extend(self.guards);
    }

    /// Records the fields an `if` condition tests for absence: the condition mentions `null`,
    /// `None`, `undefined` or `nil`, or negates (`!x`, `not x`); `field` maps a node of the
    /// condition to the field it names, if any.
    pub fn guard<'n>(
        &mut self,
        cond: Node<'n>,
        src: &str,
        field: impl Fn(Node<'n>) -> Option<String>,
    ) {
        let t = text(cond, src);
        let t = t.trim().trim_start_matches('(').trim_start();
        let absent = ["null", "None", "undefined", "nil"].iter().any(|w| {
            t.match_indices(w).any(|(i, _)| {
                let before = t[..i].chars().next_back();
                let after = t[i + w.len()..].chars().next();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        }) || t.starts_with('!')
            || t.starts_with("not ");
        if !absent {
            return;
        }
        let mut stack = vec![cond];
        while let Some(n) = stack.pop() {
            if let Some(f) = field(n) {
                if !self.guards.contains(&f) {
                    self.guards.push(f);
                }
                continue;
            }
            stack.extend(children(n));
        }
    }

    /// Records `obj.field = …` on a parameter or local `obj`.
    pub fn write_on(&mut self, scope: &Scope, obj: &str, field: &str) {
        let known = scope.params.contains_key(obj) || scope.locals.contains_key(obj);
        if known && !self.writes_on.iter().any(|w| w == field) {
            self.writes_on.push(field.to_string());
        }
    }

    /// Records that a field is assigned (any value).
    pub fn write(&mut self, field: &str) {
        if !self.writes.iter().any(|w| w == field) {
            self.writes.push(field.to_string());
        }
    }

    /// Records a call of `method` on `receiver`: an adder on a field with a typed parameter as
    /// argument also tells the field's element type.
    pub fn call(
        &mut self,
        scope: &Scope,
        (receiver, receiver_type): (Receiver, Option<String>),
        method: &str,
        args: &[String],
        passes_self: bool,
        at: Node<'_>,
    ) {
        if let Receiver::Field(f) = &receiver {
            if ADDERS.contains(&method) {
                if let Some(arg) = args.last() {
                    if let Some(ty) = scope.params.get(arg) {
                        self.adds.push((f.clone(), arg.clone()));
                        if let Some(t) = ty {
                            self.field_hints
                                .push((f.clone(), TypeRef::many(t.name.clone())));
                        }
                    }
                }
            }
        }
        self.calls.push(Call {
            receiver,
            method: method.to_string(),
            receiver_type,
            passes_self,
            conditional: conditional(at),
            line: line(at),
        });
    }

    /// Records `this.f = <name>` where name is a typed parameter or local, or a new object.
    pub fn assign_field(&mut self, scope: &Scope, field: &str, value: Assigned) {
        self.write(field);
        if let Assigned::Name(n) = &value {
            if scope.params.contains_key(n) {
                self.assigns.push((field.to_string(), n.clone()));
            }
        }
        let ty = match value {
            Assigned::Name(n) => scope
                .params
                .get(&n)
                .or_else(|| scope.locals.get(&n))
                .cloned()
                .flatten(),
            Assigned::New(t) => Some(TypeRef::plain(t)),
            Assigned::Other => None,
        };
        if let Some(t) = ty {
            self.field_hints.push((field.to_string(), t));
        }
    }
}

/// The value assigned to a field, as far as the model cares.
pub(crate) enum Assigned {
    /// A bare name.
    Name(String),
    /// A new object of a type.
    New(String),
    /// Anything else.
    Other,
}

/// Applies field hints learnt from method bodies to fields without a declared type (and adds
/// fields only assigned in a body, as Python declares them).
pub(crate) fn apply_hints(fields: &mut Vec<Field>, hints: Vec<(String, TypeRef, u32)>) {
    for (name, ty, line) in hints {
        match fields.iter_mut().find(|f| f.name == name) {
            Some(f) => {
                let unknown = f.ty.as_ref().is_none_or(|t| t.name.is_empty());
                if unknown && (f.ty.is_none() || !ty.name.is_empty() || ty.collection) {
                    f.ty = Some(ty);
                }
            }
            None => fields.push(Field {
                name,
                ty: Some(ty),
                is_static: false,
                line,
            }),
        }
    }
}
