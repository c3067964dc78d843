//! Role-based design patterns: the vocabulary a catalog pattern uses to declare its roles and
//! their constraints over the project model, and the recognizer that finds instances.
//!
//! A pattern is a list of role lines, `name: constraint, constraint, …` (the catalog's `roles`
//! array). Every constraint must hold for a type to play the role; a constraint that names
//! another role (`is-a(observer)`) holds when some type playing that role is related so; `!`
//! negates. The first role is the instance's key: each type that can play it, with every other
//! role played by at least one type, is one instance. A role whose name ends in `?` may be
//! empty. A line `unless: pattern-id, …` names patterns that take precedence: an instance whose
//! key type takes part in one of theirs is dropped. The vocabulary ([`ConstraintKind`]) is
//! documented in `patterns/README.md`.
//!
//! ```
//! use codetable::{Document, Language};
//! use codetable::project::{Project, roles::RolePattern};
//!
//! let observer = RolePattern::parse("design.observer", &[
//!     "observer: abstract",
//!     "subject: has-collection-of(observer), calls-each(observer), !is-a(observer)",
//!     "concrete-observer: is-a(observer), concrete",
//! ]).unwrap();
//! let mut p = Project::new();
//! p.set_document("Listener.java", &Document::new(Language::Java, "interface Listener { void fired(); }")?);
//! p.set_document("Log.java", &Document::new(Language::Java, "class Log implements Listener { public void fired() {} }")?);
//! p.set_document("Button.java", &Document::new(Language::Java,
//!     "class Button {\n  java.util.List<Listener> ls;\n  void click() { for (Listener l : ls) l.fired(); }\n}")?);
//! let found = p.recognise(&[observer]);
//! assert_eq!(found.len(), 1);
//! let roles: Vec<_> = found[0].participants.iter().map(|x| (x.role.as_str(), x.name.as_str())).collect();
//! assert_eq!(roles, [("observer", "Listener"), ("subject", "Button"), ("concrete-observer", "Log")]);
//! # Ok::<(), codetable::Error>(())
//! ```

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use serde::Serialize;

use super::model::{Receiver, Returned, TypeDecl, TypeKind, TypeRef};
use super::{Project, TypeId};

/// What a constraint asks of a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConstraintKind {
    /// `class`: a concrete class or struct.
    Class,
    /// `concrete`: not an interface, trait, protocol or abstract class.
    Concrete,
    /// `abstract`: an interface, trait, protocol or abstract class.
    Abstract,
    /// `interface`: an interface, trait or protocol.
    Interface,
    /// `abstract-class`: a class declared abstract.
    AbstractClass,
    /// `private-constructor`: it has constructors and all are private.
    PrivateConstructor,
    /// `static-instance-of-self`: a static field of its own type that a static method (or
    /// `__new__`) returns.
    StaticInstanceOfSelf,
    /// `fluent`: at least two methods return `this` / `self`.
    Fluent,
    /// `calls-own-abstract`: a concrete method calls at least two abstract methods of the type
    /// itself (the steps of a template method).
    CallsOwnAbstract,
    /// `uses-field`: a method calls a method on a field.
    UsesField,
    /// `is-a(R)`: extends or implements a type playing R (directly or not).
    IsA,
    /// `has-field-of(R)`: a field (own or inherited) whose declared type plays R.
    HasFieldOf,
    /// `has-collection-of(R)`: a collection, array or map field of a type playing R.
    HasCollectionOf,
    /// `calls-each(R)`: calls a method on each element of a collection field of R: the calling
    /// method's own operation (`child.getPrice()` in `getPrice()`) or one that is not a query
    /// (reading each element, `block.vertexSet()`, is not passing an operation on).
    CallsEach,
    /// `calls-field(R)`: calls a method on a field whose declared type plays R.
    CallsField,
    /// `delegates-to-field(R)`: a method `m` calls `m` on a field whose type plays R.
    DelegatesToField,
    /// `creates(R)`: creates an object of a type that plays R or is a subtype of one.
    Creates,
    /// `returns(R)`: a method declares a return type that plays R, or returns a new object of
    /// a subtype of one.
    Returns,
    /// `abstract-returning(R)`: an abstract method, not named as a query (`getX`, `findX`,
    /// `withX`, …), whose declared return type plays R.
    AbstractReturning,
    /// `takes(R)`: a method has a parameter whose declared type plays R.
    Takes,
    /// `calls-param(R)`: calls a method on a parameter whose declared type plays R.
    CallsParam,
    /// `passes-self-to(R)`: calls a method on a parameter of type R with `this` / `self` as an
    /// argument (double dispatch).
    PassesSelfTo,
    /// `overrides(R)`: defines a method with the name of an abstract method of R.
    Overrides,
    /// `is(R)`: plays R itself or extends or implements a type playing R.
    Is,
    /// `wraps(R)`: a constructor takes a parameter of type R, and the type (or an ancestor)
    /// has a field of type R: the wrapped object is given, not made.
    Wraps,
    /// `sets-field(R)`: a method other than a constructor assigns a parameter of type R to a
    /// field (`setNext(h)`, `setState(s)`).
    SetsField,
    /// `holds(R)`: a field of type R or a collection of R.
    Holds,
    /// `invokes(R)`: calls a method on a field, a collection element or a parameter of type R.
    Invokes,
    /// `narrow`: declares at most three methods besides constructors (a command's or a
    /// handler's interface is small; a collection's is not).
    Narrow,
    /// `nested-in(R)`: declared inside the declaration of a type that plays R or is a subtype
    /// of one (an iterator or entry class inside its collection is part of it, not a
    /// collaborator).
    NestedIn,
    /// `notifies-field(R)`: calls a method on a field whose declared type plays R, passing
    /// `this` / `self` (a colleague telling its mediator).
    NotifiesField,
    /// `creates-other(R)`: creates an object of a type that plays R or is a subtype of one,
    /// other than the type itself (a state that makes its successor).
    CreatesOther,
    /// `reassigns-field(R)`: a method other than a constructor, a field initializer or a lazy
    /// initialisation assigns a field whose declared type plays R (a context switching its
    /// state: `this.state = next`; a class making its collaborator anew per computation).
    ReassignsField,
    /// `registers(R)`: a method other than a constructor adds one of its parameters to a
    /// collection field of R (`subscribe(l) { listeners.add(l) }`).
    Registers,
    /// `unregisters(R)`: a method other than a constructor takes an element out of a
    /// collection field of R (`remove`, `delete`, `discard`, `splice`, …) or reassigns that
    /// field (`this.ls = this.ls.filter(…)`).
    Unregisters,
    /// `builds(R)`: a method, not private, named `build…`, `create…`, `make…`, `get`, `getResult`,
    /// `result` or `done` declares a return type that plays R or returns a new R (a builder's
    /// product, which a fluent API has not).
    Builds,
    /// `fluent-setters`: at least two methods return `this` / `self` after changing the
    /// object (assigning a field or calling a method on one): a builder's setters, not a
    /// fluent query API.
    FluentSetters,
    /// `dispatches-to(R)`: calls, on a parameter of type R, a method that R (or an ancestor
    /// of it) declares, passing `this` / `self` (double dispatch: `accept(v) { v.visitX(this) }`).
    DispatchesTo,
    /// `implements-via(R)`: a method declared by the type itself that an ancestor declares
    /// (an implementation of `execute()`, `handle()`, `read()`) calls a method on a field of
    /// type R (a command acting on its receiver).
    ImplementsVia,
    /// `translates-to(R)`: like `implements-via(R)`, with a call of a method of another name
    /// (an adapter's `request()` calling `specificRequest()`): forwarding under the same name is
    /// a decorator's or a proxy's.
    TranslatesTo,
    /// `forwards-to(R)`: calls, on a field of type R, a method that R (or an ancestor of it)
    /// declares abstract, on some paths only (the call in a branch, or another `return` beside
    /// it): a handler passing the request on when it does not handle it (`next.handle(req)`).
    ForwardsTo,
    /// `makes-several`: mostly factory methods: at least two abstract methods return distinct
    /// abstract types of the project, and they are at least half of its methods (an abstract
    /// factory's family of products, not a collection interface with a few views).
    MakesSeveral,
    /// `caches(R)`: a method looks up a collection field of R (`get`, `containsKey`, `has`,
    /// `computeIfAbsent`, `setdefault`, …) and creates an R: get-or-create (a flyweight
    /// factory, a cache).
    Caches,
    /// `lazily-creates(R)`: a method the type declares itself, not a constructor nor static,
    /// assigns a new R to a field of type R that an `if` tested for absence, and returns that
    /// field (lazy initialisation on first use).
    LazilyCreates,
    /// `iterates`: implements the language's iteration protocol by its method names:
    /// `hasNext` and `next` (Java, Kotlin, TypeScript), `__next__` (Python), `next` returning
    /// an `IteratorResult` (TypeScript).
    Iterates,
    /// `stateful`: declares at least one field that is not static (a utility class of static
    /// methods is not an aggregate, a context or a subject).
    Stateful,
    /// `sole-instance`: a class (not an enum) whose construction is hidden (constructors all
    /// private, or a Python `__new__` that hands out the stored instance), with a static field of
    /// its own type that a static accessor (or `__new__`) returns, and no other method making
    /// instances of it (a value type's `of()` next to its `EMPTY` is not a singleton), and no
    /// static collection of its own type (instances interned by key are a flyweight).
    SoleInstance,
    /// `predicate`: an abstract type whose own abstract methods all answer a yes/no question
    /// (return `boolean`/`bool`) or compare two values (`compare`): a filter, a matcher or a
    /// comparator, not a command, an observer or a strategy with behaviour of its own.
    Predicate,
    /// `callback`: an abstract type whose own abstract methods all return nothing and which is
    /// named as a listener (`…Listener`, `…Callback`, `…Observer`, `…Hook`) or whose methods
    /// are event hooks (`onX`, `on_x`): an event callback, not an algorithm.
    Callback,
    /// `data-carrier`: a type whose methods besides constructors are all accessors (`get…`,
    /// `set…`, `is…`, `has…`, `with…`, `equals`/`hashCode`/`toString`, `__eq__`/`__repr__`, …),
    /// with at least one field or method: a value or a record, not a service.
    DataCarrier,
    /// `injects(R)`: a constructor of the type itself (in Python and TypeScript, the nearest
    /// one it inherits when it declares none) assigns a parameter declared of a type playing R
    /// to a field: the collaborator is handed in, not made.
    Injects,
    /// `calls-abstract(R)`: calls, on a field of type R, a method that R (or an ancestor)
    /// declares abstract and that is not a query: the field is used for its behaviour, not read
    /// as data (an algorithm's input graph).
    CallsAbstract,
    /// `coordinates(R)`: calls methods on fields of several distinct types playing R from one
    /// method: at least three from one method, or at least two from each of two methods (a
    /// facade driving its subsystem).
    Coordinates,
    /// `tracks(R)`: at least two collection fields of R that methods other than constructors
    /// add parameters to (a unit of work's new, dirty and removed objects).
    Tracks,
    /// `reads-clock`: a method reads the time (`nanoTime`, `currentTimeMillis`, `monotonic`,
    /// `perf_counter`, `time.time`, `Date.now`, `performance.now`, `Instant.now`, …).
    ReadsClock,
    /// `meters`: a method that reads the clock also assigns a field (a refill, a window start,
    /// a last-call time) and the type has a method answering yes/no (`boolean`/`bool`) or
    /// waiting (`sleep`, `wait`, `acquire`, `setTimeout`): a permit decided by elapsed time.
    Meters,
    /// `makes(R)`: creates an object of a type that plays R itself (a subtype does not count:
    /// a subclass that picks its own collaborator is not the client an assembler wires), in a
    /// method that also creates a subtype of a type R's constructor takes (the wiring:
    /// `new Signup(new SmtpMailer())`, not `new FilterIterator(it, callersFilter)`).
    Makes,
    /// `calls-several(R)`: one method calls at least two different methods on fields of type R
    /// (a unit of work inserting, updating and deleting through its mapper).
    CallsSeveral,
    /// `backs-off`: a method retries: a loop holding a `try`, a wait and a growing delay
    /// (`delay *= 2`, `1 << attempt`, `2 ** n`, `pow`).
    BacksOff,
    /// `trips`: a `catch` / `except` clause records the failure (assigns, counts, or calls its
    /// own method) and a method other than a constructor assigns a field: state changed by
    /// failures (a breaker opening).
    Trips,
    /// `cache-aside(R)`: a method looks a key up in one field, on a miss calls a field of type R
    /// (the store), then stores into the first field: the application keeps the cache beside
    /// the store. Not when the method filled or cleared the field before the lookup, nor when a
    /// computation makes the field afresh (a per-run table, see `working_field`).
    CacheAside,
    /// `persists(R)`: a method takes an R and is named as a write to storage (`save`, `add`,
    /// `insert`, `persist`, `store`, `update`, `delete`, `remove`), and a method named as a
    /// query (`find…`, `get…`, `load…`, `fetch…`, `all`, `list…`, `query…`, `search…`, `by…`)
    /// returns an R or a collection of R: a collection-like interface over stored objects.
    Persists,
    /// `root`: extends or implements no type of the project (an entry point of its own, not an
    /// implementation of the project's abstractions), nor a library's type other than a marker
    /// (`Serializable`, `AutoCloseable`, `object`, `Generic`): a `Runnable` worker, a SAX handler
    /// or an `XMLStreamWriter` implementation serves that interface. A nested type is a part
    /// of the type around it, not an entry point.
    Root,
    /// `parameterless`: declares an abstract method without parameters (a command's
    /// `execute()`: the request travels in the object, not in the call).
    Parameterless,
    /// `immutable`: no method other than a constructor assigns one of its fields or changes one
    /// in place, and no field holds a collection or an atomic (a shared flyweight cannot change
    /// under its other users).
    Immutable,
    /// `returns-new(R)`: a method other than a constructor returns a new object of a type
    /// playing R or a subtype of one (a factory method's implementation, not a getter).
    ReturnsNew,
    /// `bridges(R)`: both sides vary and the abstraction builds on the implementor: at least
    /// two concrete subtypes of the type and two concrete implementations of R; a method of
    /// the type or a subtype calls R's field from a method of another name that is not an
    /// accessor (composing, not forwarding a getter 1:1); and no type of R's hierarchy creates
    /// a subtype of the type (parallel hierarchies paired by a factory method are not a bridge).
    Bridges,
    /// `kin(R)`: shares a project ancestor with a type playing R, or is one's subtype or
    /// supertype (a composite's node holding a sibling of its own family is not a strategy's
    /// context).
    Kin,
    /// `drives(R)`: calls, on a field of type R, a method that is not a query (`get…`, `is…`,
    /// `has…`, `with…`, `find…`, `lookup…`, `as…`, `to…`, `contains…`, nouns such as
    /// `vertexSet`, `edgesOf`, `size`, `equals`, …) or passes itself; an edit (`add…`, `set…`,
    /// …) only on a field the type neither makes nor sets per run: the field is a collaborator
    /// used for its behaviour, not data read for its values or filled as a working copy.
    Drives,
    /// `conforms(R)`: at least half of the methods the type declares itself (constructors,
    /// private methods and the universal object methods aside) are named as methods of R or of
    /// its ancestors: a wrapper standing in for R, not a class of another purpose that also
    /// implements R on the side.
    Conforms,
    /// `clones`: declares a method named as a copy of the object (`clone`, `copy…`,
    /// `deepCopy`, `duplicate`, `__copy__`, `__deepcopy__`) or calls `copy`/`deepcopy`/
    /// `structuredClone` on itself: a prototype copies, a fluent API or a converter does not.
    Clones,
    /// `lends(R)`: a method other than a constructor takes an element out of a collection field
    /// of R (`pop`, `poll`, `remove…`, `shift`) and hands it out (declares R as its result or
    /// returns a value): a pool lending a resource, not a cache that keeps what it returns.
    Lends,
    /// `asks-each(R)`: calls, on each element of a collection field of R, a method that R (or
    /// an ancestor) declares with a yes/no result (`if handler.can_handle(x)`): a list of
    /// handlers each asked whether it takes the request, not observers all told of an event.
    AsksEach,
    /// `directed`: another type drives it step by step: one of its methods calls at least two
    /// different steps of it (methods named `build…`, `set…`, `add…`, `with…`, `put…`,
    /// `append…` or `reset` that change the object or are abstract) on a field or parameter
    /// declared of the type or of an ancestor (a director calling `buildWalls()`, `buildRoof()`
    /// on its builder).
    Directed,
}

impl ConstraintKind {
    const ALL: &'static [(&'static str, ConstraintKind, bool)] = &[
        ("class", ConstraintKind::Class, false),
        ("concrete", ConstraintKind::Concrete, false),
        ("abstract", ConstraintKind::Abstract, false),
        ("interface", ConstraintKind::Interface, false),
        ("abstract-class", ConstraintKind::AbstractClass, false),
        (
            "private-constructor",
            ConstraintKind::PrivateConstructor,
            false,
        ),
        (
            "static-instance-of-self",
            ConstraintKind::StaticInstanceOfSelf,
            false,
        ),
        ("fluent", ConstraintKind::Fluent, false),
        (
            "calls-own-abstract",
            ConstraintKind::CallsOwnAbstract,
            false,
        ),
        ("uses-field", ConstraintKind::UsesField, false),
        ("is-a", ConstraintKind::IsA, true),
        ("has-field-of", ConstraintKind::HasFieldOf, true),
        ("has-collection-of", ConstraintKind::HasCollectionOf, true),
        ("calls-each", ConstraintKind::CallsEach, true),
        ("calls-field", ConstraintKind::CallsField, true),
        ("delegates-to-field", ConstraintKind::DelegatesToField, true),
        ("creates", ConstraintKind::Creates, true),
        ("returns", ConstraintKind::Returns, true),
        (
            "abstract-returning",
            ConstraintKind::AbstractReturning,
            true,
        ),
        ("takes", ConstraintKind::Takes, true),
        ("calls-param", ConstraintKind::CallsParam, true),
        ("passes-self-to", ConstraintKind::PassesSelfTo, true),
        ("overrides", ConstraintKind::Overrides, true),
        ("is", ConstraintKind::Is, true),
        ("wraps", ConstraintKind::Wraps, true),
        ("sets-field", ConstraintKind::SetsField, true),
        ("holds", ConstraintKind::Holds, true),
        ("invokes", ConstraintKind::Invokes, true),
        ("narrow", ConstraintKind::Narrow, false),
        ("nested-in", ConstraintKind::NestedIn, true),
        ("creates-other", ConstraintKind::CreatesOther, true),
        ("notifies-field", ConstraintKind::NotifiesField, true),
        ("reassigns-field", ConstraintKind::ReassignsField, true),
        ("registers", ConstraintKind::Registers, true),
        ("unregisters", ConstraintKind::Unregisters, true),
        ("builds", ConstraintKind::Builds, true),
        ("fluent-setters", ConstraintKind::FluentSetters, false),
        ("dispatches-to", ConstraintKind::DispatchesTo, true),
        ("implements-via", ConstraintKind::ImplementsVia, true),
        ("translates-to", ConstraintKind::TranslatesTo, true),
        ("forwards-to", ConstraintKind::ForwardsTo, true),
        ("makes-several", ConstraintKind::MakesSeveral, false),
        ("caches", ConstraintKind::Caches, true),
        ("lazily-creates", ConstraintKind::LazilyCreates, true),
        ("iterates", ConstraintKind::Iterates, false),
        ("stateful", ConstraintKind::Stateful, false),
        ("sole-instance", ConstraintKind::SoleInstance, false),
        ("predicate", ConstraintKind::Predicate, false),
        ("callback", ConstraintKind::Callback, false),
        ("data-carrier", ConstraintKind::DataCarrier, false),
        ("injects", ConstraintKind::Injects, true),
        ("calls-abstract", ConstraintKind::CallsAbstract, true),
        ("coordinates", ConstraintKind::Coordinates, true),
        ("tracks", ConstraintKind::Tracks, true),
        ("reads-clock", ConstraintKind::ReadsClock, false),
        ("meters", ConstraintKind::Meters, false),
        ("makes", ConstraintKind::Makes, true),
        ("calls-several", ConstraintKind::CallsSeveral, true),
        ("backs-off", ConstraintKind::BacksOff, false),
        ("trips", ConstraintKind::Trips, false),
        ("cache-aside", ConstraintKind::CacheAside, true),
        ("persists", ConstraintKind::Persists, true),
        ("root", ConstraintKind::Root, false),
        ("parameterless", ConstraintKind::Parameterless, false),
        ("immutable", ConstraintKind::Immutable, false),
        ("returns-new", ConstraintKind::ReturnsNew, true),
        ("bridges", ConstraintKind::Bridges, true),
        ("kin", ConstraintKind::Kin, true),
        ("drives", ConstraintKind::Drives, true),
        ("conforms", ConstraintKind::Conforms, true),
        ("clones", ConstraintKind::Clones, false),
        ("lends", ConstraintKind::Lends, true),
        ("asks-each", ConstraintKind::AsksEach, true),
        ("directed", ConstraintKind::Directed, false),
    ];

    /// The catalog spelling.
    pub fn name(self) -> &'static str {
        ConstraintKind::ALL
            .iter()
            .find(|(_, k, _)| *k == self)
            .map(|(n, _, _)| *n)
            .unwrap_or("")
    }

    /// Every spelling, in documentation order, with whether it takes a role argument.
    pub fn vocabulary() -> impl Iterator<Item = (&'static str, bool)> {
        ConstraintKind::ALL.iter().map(|(n, _, r)| (*n, *r))
    }
}

/// One constraint of a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Constraint {
    /// True for `!constraint`.
    pub negated: bool,
    /// What it asks.
    pub kind: ConstraintKind,
    /// The role it relates to, for the relational kinds.
    pub role: Option<usize>,
    /// Other kinds that satisfy the constraint as well (`fluent-setters | directed`: any one
    /// of them holds); only constraints without a role take alternatives.
    pub or: Vec<ConstraintKind>,
}

/// A role of a pattern.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Role {
    /// The role's name (`subject`).
    pub name: String,
    /// True when the role may have no type (`name?:` in the catalog).
    pub optional: bool,
    /// Its constraints; all must hold.
    pub constraints: Vec<Constraint>,
}

/// A role-based pattern: an id and its roles, the first being the key of an instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RolePattern {
    /// The catalog pattern's id.
    pub id: String,
    /// The roles.
    pub roles: Vec<Role>,
    /// Patterns that take precedence (the line `unless: id, id`): an instance whose key type
    /// takes part in an instance of one of them is not reported (a command's invoker also
    /// looks like an observer's subject).
    pub unless: Vec<String>,
}

impl RolePattern {
    /// Parses a pattern's role lines (`name: constraint, …`); the error names the line and
    /// what is wrong.
    pub fn parse<S: AsRef<str>>(id: &str, lines: &[S]) -> Result<RolePattern, String> {
        let mut unless = Vec::new();
        let lines: Vec<&str> = lines
            .iter()
            .map(|l| l.as_ref())
            .filter(|l| match l.trim().strip_prefix("unless:") {
                Some(ids) => {
                    unless.extend(
                        ids.split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_string),
                    );
                    false
                }
                None => true,
            })
            .collect();
        let mut heads = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let line = *line;
            let (head, _) = line
                .split_once(':')
                .ok_or_else(|| format!("roles[{i}]: expected `name: constraint, …`"))?;
            let head = head.trim();
            let (name, optional) = match head.strip_suffix('?') {
                Some(n) => (n.trim(), true),
                None => (head, false),
            };
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(format!("roles[{i}]: bad role name `{head}`"));
            }
            if heads.iter().any(|(n, _)| n == name) {
                return Err(format!("roles[{i}]: role `{name}` declared twice"));
            }
            heads.push((name.to_string(), optional));
        }
        if heads.is_empty() {
            return Err("roles: no role".into());
        }
        if heads[0].1 {
            return Err("roles[0]: the key role cannot be optional".into());
        }
        let mut roles = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let (_, body) = line.split_once(':').unwrap_or_default();
            let mut constraints = Vec::new();
            for part in body.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let (negated, part) = match part.strip_prefix('!') {
                    Some(p) => (true, p.trim()),
                    None => (false, part),
                };
                // `a | b`: alternatives, each a constraint without a role.
                let mut alternatives = part.split('|').map(str::trim);
                let part = alternatives.next().unwrap_or(part);
                let mut or = Vec::new();
                for alt in alternatives {
                    let word = alt.split('(').next().unwrap_or(alt).trim();
                    let &(_, k, takes_role) = ConstraintKind::ALL
                        .iter()
                        .find(|(n, _, _)| *n == word)
                        .ok_or_else(|| format!("roles[{i}]: unknown constraint `{word}`"))?;
                    if takes_role || alt.contains('(') || part.contains('(') {
                        return Err(format!(
                            "roles[{i}]: `{part} | {alt}`: only constraints without a role take alternatives"
                        ));
                    }
                    or.push(k);
                }
                let (word, arg) = match part.split_once('(') {
                    Some((w, rest)) => {
                        let arg = rest
                            .strip_suffix(')')
                            .ok_or_else(|| format!("roles[{i}]: `{part}`: missing `)`"))?;
                        (w.trim(), Some(arg.trim()))
                    }
                    None => (part, None),
                };
                let &(_, kind, takes_role) = ConstraintKind::ALL
                    .iter()
                    .find(|(n, _, _)| *n == word)
                    .ok_or_else(|| format!("roles[{i}]: unknown constraint `{word}`"))?;
                let role = match (takes_role, arg) {
                    (true, Some(a)) => Some(
                        heads
                            .iter()
                            .position(|(n, _)| n == a)
                            .ok_or_else(|| format!("roles[{i}]: `{word}({a})`: no role `{a}`"))?,
                    ),
                    (true, None) => {
                        return Err(format!("roles[{i}]: `{word}` needs a role: `{word}(role)`"))
                    }
                    (false, Some(_)) => {
                        return Err(format!("roles[{i}]: `{word}` takes no argument"))
                    }
                    (false, None) => None,
                };
                constraints.push(Constraint {
                    negated,
                    kind,
                    role,
                    or,
                });
            }
            if constraints.is_empty() {
                return Err(format!(
                    "roles[{i}]: role `{}` has no constraint",
                    heads[i].0
                ));
            }
            roles.push(Role {
                name: heads[i].0.clone(),
                optional: heads[i].1,
                constraints,
            });
        }
        Ok(RolePattern {
            id: id.to_string(),
            roles,
            unless,
        })
    }
}

/// One type playing one role in an instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Participant {
    /// The role.
    pub role: String,
    /// The type.
    pub id: TypeId,
    /// The type's simple name.
    pub name: String,
    /// Zero-based line of its declaration.
    pub line: u32,
    /// Byte range of its declaration.
    pub span: Range<usize>,
}

/// One instance of a role-based pattern.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Instance {
    /// The pattern's id.
    pub pattern: String,
    /// A stable id: the pattern id, `@`, the key participant's document and name.
    pub id: String,
    /// The participants, role by role in the pattern's order.
    pub participants: Vec<Participant>,
}

/// Memoised facts about the project, shared by every constraint check of one recognition.
struct Ctx<'p> {
    project: &'p Project,
    /// Names resolved per document, then per name (a hit allocates nothing).
    resolved: std::cell::RefCell<HashMap<String, HashMap<String, Option<TypeId>>>>,
    /// Per type: itself and its ancestors, shared.
    ancestors: std::cell::RefCell<HashMap<TypeId, std::rc::Rc<Vec<TypeId>>>>,
    /// Per type: itself and its ancestors with their declarations, shared.
    lineages: std::cell::RefCell<HashMap<TypeId, Lineage<'p>>>,
    /// Per type: every type its declarations can relate it to (ancestors, the types its fields,
    /// parameters and returns name, the types it creates and their ancestors).
    candidates: std::cell::RefCell<HashMap<TypeId, Shared>>,
    /// Per type and relational constraint: the types it is related to.
    forward: std::cell::RefCell<HashMap<(TypeId, ConstraintKind), Shared>>,
    /// Field names assigned on another object anywhere in the project, once asked.
    written_on: std::cell::RefCell<Option<BTreeSet<String>>>,
    /// Per type: its subtypes (direct or not, itself excluded), once asked.
    subtypes: std::cell::RefCell<Option<HashMap<TypeId, Vec<TypeId>>>>,
    /// Per type: the sets of its methods that one method of another type calls, once asked.
    driven: std::cell::RefCell<Option<DrivenSets>>,
}

/// Per driven type: (caller, the methods one of its methods calls on the driven type).
type DrivenSets = HashMap<TypeId, Vec<(TypeId, BTreeSet<String>)>>;

/// A memoised set of types.
type Shared = std::rc::Rc<BTreeSet<TypeId>>;

/// A type and its ancestors, each with its declaration.
type Lineage<'p> = std::rc::Rc<Vec<(TypeId, &'p TypeDecl)>>;

impl<'p> Ctx<'p> {
    fn resolve(&self, doc: &str, name: &str) -> Option<TypeId> {
        if name.is_empty() {
            return None;
        }
        if let Some(r) = self.resolved.borrow().get(doc).and_then(|m| m.get(name)) {
            return r.clone();
        }
        let r = self.project.resolve(doc, name);
        self.resolved
            .borrow_mut()
            .entry(doc.to_string())
            .or_default()
            .insert(name.to_string(), r.clone());
        r
    }

    /// Every field name some method assigns on another object (`order.state = …`).
    fn written_on(&self) -> std::cell::Ref<'_, BTreeSet<String>> {
        if self.written_on.borrow().is_none() {
            let all: BTreeSet<String> = self
                .project
                .types()
                .flat_map(|(_, d)| d.methods.iter())
                .flat_map(|m| m.writes_on.iter().cloned())
                .collect();
            *self.written_on.borrow_mut() = Some(all);
        }
        std::cell::Ref::map(self.written_on.borrow(), |w| {
            w.as_ref().expect("filled above")
        })
    }

    fn ancestors(&self, id: &TypeId) -> std::rc::Rc<Vec<TypeId>> {
        if let Some(a) = self.ancestors.borrow().get(id) {
            return a.clone();
        }
        let a = std::rc::Rc::new(self.project.ancestors(id));
        self.ancestors.borrow_mut().insert(id.clone(), a.clone());
        a
    }

    fn decl(&self, id: &TypeId) -> &'p TypeDecl {
        self.project
            .type_decl(id)
            .expect("ids come from the project")
    }

    /// The types whose declarations enclose `t`'s (same document, wider span).
    fn enclosing(&self, t: &TypeId) -> Vec<TypeId> {
        let d = self.decl(t);
        let Some(model) = self.project.document(&t.doc) else {
            return Vec::new();
        };
        model
            .types
            .iter()
            .enumerate()
            .filter(|(i, o)| {
                *i != t.index
                    && o.span.start <= d.span.start
                    && d.span.end <= o.span.end
                    && o.span != d.span
            })
            .map(|(index, _)| TypeId {
                doc: t.doc.clone(),
                index,
            })
            .collect()
    }

    /// The subtypes of `t` in the project, direct or not (`t` excluded).
    fn subtypes(&self, t: &TypeId) -> Vec<TypeId> {
        if self.subtypes.borrow().is_none() {
            let mut all: HashMap<TypeId, Vec<TypeId>> = HashMap::new();
            for (id, _) in self.project.types() {
                for a in self.ancestors(&id).iter().filter(|a| **a != id) {
                    all.entry(a.clone()).or_default().push(id.clone());
                }
            }
            *self.subtypes.borrow_mut() = Some(all);
        }
        self.subtypes
            .borrow()
            .as_ref()
            .and_then(|m| m.get(t).cloned())
            .unwrap_or_default()
    }

    /// True when the visitor method `x` (declared by `v`) is the one for the element `e`: a
    /// parameter declared of `e`'s type (`visit(Dot d)`), or `e`'s name in its own
    /// (`visitDot`, `visit_dot`): the second dispatch picks the element's own method.
    fn visits(&self, v: &TypeId, x: &super::model::Method, e: &TypeId) -> bool {
        let fold = |s: &str| s.replace('_', "").to_ascii_lowercase();
        x.params
            .iter()
            .any(|q| self.ref_is(&v.doc, &q.ty, false, e))
            || fold(&x.name).contains(&fold(&self.decl(e).name))
    }

    /// `bridges(R)` for the abstraction `t` and the implementor `u`.
    fn bridges(&self, t: &TypeId, u: &TypeId) -> bool {
        let concrete = |ids: &[TypeId]| {
            ids.iter()
                .filter(|x| !self.decl(x).kind.is_abstract())
                .count()
        };
        let refined = self.subtypes(t);
        let implementors = self.subtypes(u);
        if concrete(&refined) < 2 || concrete(&implementors) < 2 {
            return false;
        }
        // The implementor side making the abstraction side: a factory method's parallel
        // hierarchies (`policy.toExecutor()` returning `new XExecutor(this)`).
        let makes_abstraction = std::iter::once(u).chain(implementors.iter()).any(|x| {
            self.decl(x).methods.iter().any(|m| {
                m.creates
                    .iter()
                    .filter_map(|c| self.resolve(&x.doc, c))
                    .any(|c| c == *t || self.is_a(&c, t))
            })
        });
        if makes_abstraction {
            return false;
        }
        // Some operation built on the implementor: a call on an R field from a method of
        // another name that is not an accessor.
        std::iter::once(t).chain(refined.iter()).any(|x| {
            self.lineage(x).iter().any(|(a, d)| {
                d.methods.iter().any(|m| {
                    !m.modifiers.is_constructor
                        && !is_accessor(&m.name)
                        && m.calls.iter().any(|c| match &c.receiver {
                            Receiver::Field(f) => {
                                c.method != m.name
                                    && d.field(f)
                                        .is_some_and(|fd| self.ref_is(&a.doc, &fd.ty, false, u))
                            }
                            _ => false,
                        })
                })
            })
        })
    }

    fn is_a(&self, sub: &TypeId, sup: &TypeId) -> bool {
        self.ancestors(sub).contains(sup)
    }

    /// The type itself and its ancestors, each with the document its names resolve in.
    fn lineage(&self, id: &TypeId) -> Lineage<'p> {
        if let Some(l) = self.lineages.borrow().get(id) {
            return l.clone();
        }
        let l: Lineage<'p> = std::rc::Rc::new(
            self.ancestors(id)
                .iter()
                .map(|a| (a.clone(), self.decl(a)))
                .collect(),
        );
        self.lineages.borrow_mut().insert(id.clone(), l.clone());
        l
    }

    fn ref_is(&self, doc: &str, r: &Option<TypeRef>, collection: bool, u: &TypeId) -> bool {
        match r {
            Some(t) if t.collection == collection => self.resolve(doc, &t.name).as_ref() == Some(u),
            _ => false,
        }
    }

    /// True when the field is declared as a single-value cell (`AtomicReference`,
    /// `AtomicInteger`, `ThreadLocal`, `…Reference`): its `get` reads one value, not a key.
    fn cell_field(&self, t: &TypeId, field: &str) -> bool {
        self.lineage(t).iter().any(|(_, d)| {
            d.field(field)
                .and_then(|f| f.ty.as_ref())
                .is_some_and(|ty| {
                    !ty.collection
                        && (ty.name.starts_with("Atomic")
                            || ty.name.ends_with("Reference")
                            || ty.name == "ThreadLocal")
                })
        })
    }

    fn field_is(&self, t: &TypeId, field: &str, collection: bool, u: &TypeId) -> bool {
        self.lineage(t).iter().any(|(a, d)| {
            d.field(field)
                .is_some_and(|f| self.ref_is(&a.doc, &f.ty, collection, u))
        })
    }

    fn unary(&self, t: &TypeId, kind: ConstraintKind) -> bool {
        let d = self.decl(t);
        match kind {
            ConstraintKind::Class => matches!(d.kind, TypeKind::Class | TypeKind::Struct),
            ConstraintKind::Concrete => !d.kind.is_abstract(),
            ConstraintKind::Abstract => d.kind.is_abstract(),
            ConstraintKind::Interface => matches!(
                d.kind,
                TypeKind::Interface | TypeKind::Trait | TypeKind::Protocol
            ),
            ConstraintKind::AbstractClass => d.kind == TypeKind::AbstractClass,
            ConstraintKind::PrivateConstructor => {
                let ctors: Vec<_> = d
                    .methods
                    .iter()
                    .filter(|m| m.modifiers.is_constructor)
                    .collect();
                !ctors.is_empty() && ctors.iter().all(|m| m.modifiers.is_private)
            }
            ConstraintKind::StaticInstanceOfSelf => d.fields.iter().any(|f| {
                f.is_static
                    && self.ref_is(&t.doc, &f.ty, false, t)
                    && d.methods.iter().any(|m| {
                        (m.modifiers.is_static || m.name == "__new__")
                            && m.returned.contains(&Returned::Field(f.name.clone()))
                    })
            }),
            ConstraintKind::Fluent => {
                d.methods
                    .iter()
                    .filter(|m| !m.modifiers.is_static && m.returned.contains(&Returned::This))
                    .count()
                    >= 2
            }
            ConstraintKind::CallsOwnAbstract => {
                let lineage = self.lineage(t);
                let abstract_names: BTreeSet<&str> = lineage
                    .iter()
                    .flat_map(|(_, d)| d.methods.iter())
                    .filter(|m| m.modifiers.is_abstract)
                    .map(|m| m.name.as_str())
                    .collect();
                d.methods.iter().any(|m| {
                    let steps: BTreeSet<&str> = m
                        .calls
                        .iter()
                        .filter(|c| {
                            c.receiver == Receiver::This
                                && c.method != m.name
                                && abstract_names.contains(c.method.as_str())
                        })
                        .map(|c| c.method.as_str())
                        .collect();
                    !m.modifiers.is_abstract && steps.len() >= 2
                })
            }
            ConstraintKind::Narrow => {
                d.methods
                    .iter()
                    .filter(|m| !m.modifiers.is_constructor)
                    .count()
                    <= 3
            }
            ConstraintKind::FluentSetters => {
                d.methods
                    .iter()
                    .filter(|m| {
                        !m.modifiers.is_static
                            && !m.modifiers.is_constructor
                            && m.returned.contains(&Returned::This)
                            && (!m.writes.is_empty()
                                || m.calls
                                    .iter()
                                    .any(|c| matches!(c.receiver, Receiver::Field(_))))
                    })
                    .count()
                    >= 2
            }
            ConstraintKind::Stateful => d.fields.iter().any(|f| !f.is_static),
            ConstraintKind::Iterates => {
                let has = |n: &str| {
                    d.methods
                        .iter()
                        .any(|m| m.name == n && !m.modifiers.is_abstract)
                };
                (has("hasNext") && has("next"))
                    || has("__next__")
                    || d.methods.iter().any(|m| {
                        m.name == "next"
                            && !m.modifiers.is_abstract
                            && m.returns
                                .as_ref()
                                .is_some_and(|r| r.name == "IteratorResult")
                    })
            }
            ConstraintKind::MakesSeveral => {
                let methods: Vec<_> = d
                    .methods
                    .iter()
                    .filter(|m| !m.modifiers.is_constructor)
                    .collect();
                let mut made = BTreeSet::new();
                let mut makers = 0;
                for m in &methods {
                    let product = m
                        .returns
                        .as_ref()
                        .filter(|r| m.modifiers.is_abstract && !r.collection)
                        // A getter or a lookup (`getConfig()`, `getProvider(key)`) hands out
                        // what the object holds or finds; it makes nothing.
                        .filter(|_| !is_query(&m.name))
                        .and_then(|r| self.resolve(&t.doc, &r.name))
                        .filter(|p| p != t && self.decl(p).kind.is_abstract());
                    if let Some(p) = product {
                        makers += 1;
                        made.insert(p);
                    }
                }
                made.len() >= 2 && makers * 2 >= methods.len()
            }
            ConstraintKind::UsesField => d.methods.iter().any(|m| {
                m.calls
                    .iter()
                    .any(|c| matches!(c.receiver, Receiver::Field(_)))
            }),
            ConstraintKind::SoleInstance => self.sole_instance(t),
            ConstraintKind::Directed => self.directed(t),
            ConstraintKind::Clones => d.methods.iter().any(|m| {
                (!m.modifiers.is_constructor && is_copy(&m.name))
                    || m.calls.iter().any(|c| {
                        c.passes_self
                            && matches!(
                                c.method.as_str(),
                                "copy" | "deepcopy" | "structuredClone" | "clone"
                            )
                    })
            }),
            ConstraintKind::Root => {
                self.ancestors(t).len() == 1
                    && self.enclosing(t).is_empty()
                    && d.supertypes.iter().all(|s| {
                        matches!(
                            s.as_str(),
                            "Object"
                                | "object"
                                | "Generic"
                                | "Serializable"
                                | "Cloneable"
                                | "AutoCloseable"
                                | "Closeable"
                        )
                    })
            }
            ConstraintKind::Parameterless => d.methods.iter().any(|m| {
                m.modifiers.is_abstract && !m.modifiers.is_constructor && m.params.is_empty()
            }),
            // Nothing but a constructor assigns a field or changes one in place (adds to it,
            // takes from it, sets or increments an atomic).
            ConstraintKind::Immutable => {
                !d.fields.iter().any(|f| {
                    // A container or an atomic held in a field is state that changes in place.
                    !f.is_static
                        && f.ty
                            .as_ref()
                            .is_some_and(|t| t.collection || t.name.starts_with("Atomic"))
                }) && d.methods.iter().all(|m| {
                    m.modifiers.is_constructor
                        || m.name.is_empty()
                        || (m.writes.is_empty()
                            && !m.calls.iter().any(|c| {
                                matches!(c.receiver, Receiver::Field(_))
                                    && (super::scope::ADDERS.contains(&c.method.as_str())
                                        || super::model::REMOVERS.contains(&c.method.as_str())
                                        || ATOMIC_SETTERS.contains(&c.method.as_str())
                                        || matches!(
                                            c.method.as_str(),
                                            "clear"
                                                | "incrementAndGet"
                                                | "decrementAndGet"
                                                | "getAndIncrement"
                                                | "getAndDecrement"
                                                | "addAndGet"
                                                | "getAndAdd"
                                        ))
                            }))
                })
            }
            ConstraintKind::BacksOff => d.methods.iter().any(|m| {
                m.control.try_in_loop && m.control.wait_in_loop && m.control.grows_in_loop
            }),
            ConstraintKind::Trips => {
                d.methods.iter().any(|m| m.control.catch_records)
                    && d.methods
                        .iter()
                        .any(|m| !m.modifiers.is_constructor && !m.writes.is_empty())
            }
            ConstraintKind::Predicate => {
                let own = own_abstract(d);
                d.kind.is_abstract()
                    && !own.is_empty()
                    && own.iter().all(|m| {
                        returns_named(m, YES_NO) || matches!(m.name.as_str(), "compare" | "__lt__")
                    })
            }
            ConstraintKind::Callback => {
                let own = own_abstract(d);
                let named = ["Listener", "Callback", "Observer", "Hook", "Hooks"]
                    .iter()
                    .any(|s| d.name.ends_with(s));
                let hooks = own.iter().all(|m| is_event_hook(&m.name));
                d.kind.is_abstract()
                    && !own.is_empty()
                    && own
                        .iter()
                        .all(|m| m.returns.is_none() || returns_named(m, NOTHING))
                    && (named || hooks)
            }
            ConstraintKind::DataCarrier => {
                let methods: Vec<_> = d
                    .methods
                    .iter()
                    .filter(|m| !m.modifiers.is_constructor)
                    .collect();
                (!methods.is_empty() || !d.fields.is_empty())
                    && methods.iter().all(|m| is_accessor(&m.name))
            }
            ConstraintKind::ReadsClock => d
                .methods
                .iter()
                .any(|m| m.calls.iter().any(|c| CLOCKS.contains(&c.method.as_str()))),
            ConstraintKind::Meters => {
                let answers = d.methods.iter().any(|m| {
                    !m.modifiers.is_constructor
                        && is_permit(&m.name)
                        && (returns_named(m, YES_NO)
                            || m.calls.iter().any(|c| WAITS.contains(&c.method.as_str())))
                });
                answers
                    && d.methods.iter().any(|m| {
                        !m.modifiers.is_constructor
                            && m.calls.iter().any(|c| CLOCKS.contains(&c.method.as_str()))
                            && (m.writes.len() >= 2
                                || (!m.writes.is_empty() && returns_named(m, YES_NO))
                                || m.calls.iter().any(|c| {
                                    matches!(c.receiver, Receiver::Field(_))
                                        && (super::model::REMOVERS.contains(&c.method.as_str())
                                            || matches!(
                                                c.method.as_str(),
                                                "add" | "append" | "push" | "offer" | "addLast"
                                            ))
                                }))
                    })
            }
            _ => false,
        }
    }

    /// `directed`: see [`ConstraintKind::Directed`].
    fn directed(&self, t: &TypeId) -> bool {
        let lineage = self.lineage(t);
        // The steps: methods of the type or an ancestor that change the object.
        let steps: BTreeSet<&str> = lineage
            .iter()
            .flat_map(|(_, d)| d.methods.iter())
            .filter(|m| {
                !m.modifiers.is_constructor
                    && !m.modifiers.is_static
                    && (m.modifiers.is_abstract
                        || !m.writes.is_empty()
                        || m.calls
                            .iter()
                            .any(|c| matches!(c.receiver, Receiver::Field(_))))
                    && is_step(&m.name)
            })
            .map(|m| m.name.as_str())
            .collect();
        if steps.len() < 2 {
            return false;
        }
        let mine: Vec<TypeId> = lineage.iter().map(|(a, _)| a.clone()).collect();
        if self.driven.borrow().is_none() {
            *self.driven.borrow_mut() = Some(self.driven_sets());
        }
        let driven = self.driven.borrow();
        let driven = driven.as_ref().expect("filled above");
        mine.iter().any(|a| {
            driven.get(a).is_some_and(|sets| {
                sets.iter().any(|(caller, names)| {
                    !mine.contains(caller)
                        && names.iter().filter(|n| steps.contains(n.as_str())).count() >= 2
                })
            })
        })
    }

    /// Per type: the methods called on it from one method of another type, through a field or a
    /// parameter declared of that type, with the caller.
    fn driven_sets(&self) -> DrivenSets {
        let mut out: DrivenSets = HashMap::new();
        for (id, d) in self.project.types() {
            for m in &d.methods {
                let mut per: HashMap<TypeId, BTreeSet<String>> = HashMap::new();
                for c in &m.calls {
                    let ty = match &c.receiver {
                        Receiver::Field(f) => d.field(f).and_then(|x| x.ty.as_ref()),
                        Receiver::Param(p) => m
                            .params
                            .iter()
                            .find(|q| q.name == *p)
                            .and_then(|q| q.ty.as_ref()),
                        _ => None,
                    };
                    if let Some(u) = ty
                        .filter(|x| !x.collection)
                        .and_then(|x| self.resolve(&id.doc, &x.name))
                    {
                        per.entry(u).or_default().insert(c.method.clone());
                    }
                }
                for (u, names) in per {
                    if names.len() >= 2 {
                        out.entry(u).or_default().push((id.clone(), names));
                    }
                }
            }
        }
        out
    }

    /// A field that a computation makes afresh (`dist = new HashMap<>()` in `run()`, `memo = {}`
    /// in `solve()`): working state of one call, not a cache kept across calls. A constructor,
    /// a field initializer, a lazy initialisation (`if (cache == null)`), a reset (`clear…`,
    /// `reset…`, `invalidate…`, `evict…`, `flush…`, `refresh…`, `reload…`, `_reset()`) does not
    /// count.
    fn working_field(&self, t: &TypeId, field: &str) -> bool {
        self.lineage(t).iter().any(|(_, d)| {
            d.methods.iter().any(|m| {
                let n = m.name.trim_start_matches('_').to_ascii_lowercase();
                !m.modifiers.is_constructor
                    && !m.name.is_empty()
                    && ![
                        "clear",
                        "reset",
                        "invalidate",
                        "evict",
                        "flush",
                        "refresh",
                        "reload",
                    ]
                    .iter()
                    .any(|p| n.starts_with(p))
                    && m.writes.iter().any(|w| w == field)
                    && !m.guards.iter().any(|g| g == field)
            })
        })
    }

    /// `sole-instance`: see [`ConstraintKind::SoleInstance`].
    fn sole_instance(&self, t: &TypeId) -> bool {
        let d = self.decl(t);
        if d.kind != TypeKind::Class {
            return false;
        }
        // A Python metaclass (`class Singleton(type)`) whose `__call__` hands out the instance
        // it keeps on the class (`return cls._instance`, `cls._instances[cls] = …`): every class
        // made with it has one instance.
        if d.supertypes.iter().any(|s| s == "type") {
            return d.methods.iter().any(|m| {
                m.name == "__call__"
                    && (m.returned.iter().any(|r| matches!(r, Returned::Field(_)))
                        || m.calls.iter().any(|c| {
                            matches!(c.receiver, Receiver::Field(_))
                                && super::scope::STORERS.contains(&c.method.as_str())
                        }))
            });
        }
        let selfish: Vec<&str> = d
            .fields
            .iter()
            .filter(|f| f.is_static && self.ref_is(&t.doc, &f.ty, false, t))
            .map(|f| f.name.as_str())
            .collect();
        let hands_out = |m: &super::model::Method| {
            m.returned
                .iter()
                .any(|r| matches!(r, Returned::Field(f) if selfish.contains(&f.as_str())))
        };
        let accessor = d.methods.iter().any(|m| {
            ((m.modifiers.is_static && !m.modifiers.is_constructor) || m.name == "__new__")
                && hands_out(m)
        });
        let new_hands_out = d
            .methods
            .iter()
            .any(|m| m.name == "__new__" && hands_out(m));
        let ctors: Vec<_> = d
            .methods
            .iter()
            .filter(|m| m.modifiers.is_constructor && m.name != "__new__")
            .collect();
        let hidden =
            new_hands_out || (!ctors.is_empty() && ctors.iter().all(|m| m.modifiers.is_private));
        // Other instances made by the class itself (`of(…)`, `copy()`): a value type.
        // (A field initializer, a method without a name, makes the instance itself.)
        let makes_others = d.methods.iter().any(|m| {
            !m.modifiers.is_constructor
                && !m.name.is_empty()
                && !hands_out(m)
                && m.creates.iter().any(|c| c == &d.name)
        });
        // Instances interned in a static map or list of the class's own type (`Namespace`'s
        // `namespacemap`): many instances shared by key, a flyweight, not one.
        let interns = d
            .fields
            .iter()
            .any(|f| f.is_static && self.ref_is(&t.doc, &f.ty, true, t));
        !selfish.is_empty() && accessor && hidden && !makes_others && !interns
    }

    /// The type the field `field` of `t` (or of an ancestor) is declared with, resolved.
    fn field_type(&self, t: &TypeId, field: &str) -> Option<TypeId> {
        self.lineage(t).iter().find_map(|(a, d)| {
            d.field(field)
                .and_then(|f| f.ty.as_ref())
                .filter(|r| !r.collection)
                .and_then(|r| self.resolve(&a.doc, &r.name))
        })
    }

    /// `coordinates(R)` over the types playing R: one method driving three of them through
    /// fields, or two methods driving two each.
    fn coordinates(&self, t: &TypeId, playing: &BTreeSet<TypeId>) -> bool {
        let d = self.decl(t);
        let mut two = 0;
        for m in d.methods.iter().filter(|m| !m.modifiers.is_constructor) {
            let driven: BTreeSet<TypeId> = m
                .calls
                .iter()
                .filter(|c| !is_query(&c.method))
                .filter_map(|c| match &c.receiver {
                    Receiver::Field(f) => self.field_type(t, f),
                    _ => None,
                })
                .filter(|u| u != t && playing.contains(u))
                .collect();
            // Types of one family (one a subtype of the other, or sharing an ancestor) are
            // alternatives of one subsystem, counted once.
            let mut families: Vec<TypeId> = Vec::new();
            for u in &driven {
                let mine = self.ancestors(u);
                let same = families.iter().any(|f| {
                    let theirs = self.ancestors(f);
                    mine.iter().any(|a| theirs.contains(a))
                });
                if !same {
                    families.push(u.clone());
                }
            }
            if families.len() >= 3 {
                return true;
            }
            if families.len() >= 2 {
                two += 1;
            }
        }
        two >= 2
    }

    /// The constructors a type is made with: its own, or (in Python, TypeScript and
    /// JavaScript, which inherit them) the nearest ancestor's when it declares none.
    fn constructors(&self, t: &TypeId) -> Vec<(TypeId, &'p super::model::Method)> {
        let inherits = self.project.document(&t.doc).is_some_and(|m| {
            matches!(
                m.language,
                crate::language::Language::Python
                    | crate::language::Language::TypeScript
                    | crate::language::Language::Tsx
                    | crate::language::Language::JavaScript
            )
        });
        for (a, d) in self.lineage(t).iter() {
            let ctors: Vec<_> = d
                .methods
                .iter()
                .filter(|m| m.modifiers.is_constructor && m.name != "__new__")
                .map(|m| (a.clone(), m))
                .collect();
            if !ctors.is_empty() || !inherits {
                return ctors;
            }
        }
        Vec::new()
    }

    fn binary(&self, t: &TypeId, kind: ConstraintKind, u: &TypeId) -> bool {
        let lineage = self.lineage(t);
        let methods = || {
            lineage
                .iter()
                .flat_map(|(a, d)| d.methods.iter().map(move |m| (a, m)))
        };
        match kind {
            ConstraintKind::IsA => t != u && self.is_a(t, u),
            ConstraintKind::HasFieldOf => lineage.iter().any(|(a, d)| {
                d.fields
                    .iter()
                    .any(|f| self.ref_is(&a.doc, &f.ty, false, u))
            }),
            ConstraintKind::HasCollectionOf => lineage
                .iter()
                .any(|(a, d)| d.fields.iter().any(|f| self.ref_is(&a.doc, &f.ty, true, u))),
            // Passing the method's own operation on to each element (`child.getPrice()` in
            // `getPrice()`) or asking each to act; reading each element (`block.vertexSet()` in a
            // graph of subgraphs) is not.
            ConstraintKind::CallsEach => methods().any(|(_, m)| {
                m.calls.iter().any(|c| match &c.receiver {
                    Receiver::Element(f) => {
                        (c.method == m.name || !is_query(&c.method)) && self.field_is(t, f, true, u)
                    }
                    _ => false,
                })
            }),
            ConstraintKind::CallsField => methods().any(|(_, m)| {
                m.calls.iter().any(|c| match &c.receiver {
                    Receiver::Field(f) => self.field_is(t, f, false, u),
                    _ => false,
                })
            }),
            ConstraintKind::NotifiesField => methods().any(|(_, m)| {
                m.calls.iter().any(|c| match &c.receiver {
                    Receiver::Field(f) => c.passes_self && self.field_is(t, f, false, u),
                    _ => false,
                })
            }),
            ConstraintKind::DelegatesToField => methods().any(|(_, m)| {
                m.calls.iter().any(|c| match &c.receiver {
                    Receiver::Field(f) => c.method == m.name && self.field_is(t, f, false, u),
                    _ => false,
                })
            }),
            ConstraintKind::Creates => methods().any(|(a, m)| {
                m.creates
                    .iter()
                    .any(|c| self.resolve(&a.doc, c).is_some_and(|v| self.is_a(&v, u)))
            }),
            ConstraintKind::CallsSeveral => methods().any(|(_, m)| {
                let names: BTreeSet<&str> = m
                    .calls
                    .iter()
                    .filter(|c| match &c.receiver {
                        Receiver::Field(f) => self.field_is(t, f, false, u),
                        _ => false,
                    })
                    .map(|c| c.method.as_str())
                    .collect();
                names.len() >= 2
            }),
            ConstraintKind::CacheAside => methods().any(|(_, m)| {
                let field = |c: &super::model::Call| match &c.receiver {
                    Receiver::Field(f) => Some(f.clone()),
                    _ => None,
                };
                m.calls.iter().enumerate().any(|(i, look)| {
                    let Some(cache) = field(look) else {
                        return false;
                    };
                    super::model::LOOKUPS.contains(&look.method.as_str())
                        // A map filled earlier in the same call (`dist.put(v, INF)` for every
                        // vertex, then read) is a computation's table, not a cache.
                        && !m.calls[..i].iter().any(|c| {
                            field(c).as_ref() == Some(&cache)
                                && (super::scope::STORERS.contains(&c.method.as_str())
                                    || c.method == "clear")
                        })
                        && !self.field_is(t, &cache, false, u)
                        && !self.cell_field(t, &cache)
                        && !self.working_field(t, &cache)
                        && m.calls[i + 1..].iter().enumerate().any(|(j, load)| {
                            field(load)
                                .is_some_and(|f| f != cache && self.field_is(t, &f, false, u))
                                && m.calls[i + 1 + j + 1..].iter().any(|store| {
                                    field(store).as_ref() == Some(&cache)
                                        && super::scope::STORERS.contains(&store.method.as_str())
                                })
                        })
                })
            }),
            ConstraintKind::Persists => {
                let writes = methods().any(|(a, m)| {
                    let n = m.name.as_str();
                    [
                        "save", "add", "insert", "persist", "store", "update", "delete", "remove",
                    ]
                    .iter()
                    .any(|v| n.starts_with(v))
                        && m.params
                            .iter()
                            .any(|p| self.ref_is(&a.doc, &p.ty, false, u))
                });
                let reads = methods().any(|(a, m)| {
                    let n = m.name.as_str();
                    [
                        "find", "get", "load", "fetch", "all", "list", "query", "search", "by",
                    ]
                    .iter()
                    .any(|v| n.starts_with(v))
                        && (self.ref_is(&a.doc, &m.returns, false, u)
                            || self.ref_is(&a.doc, &m.returns, true, u))
                });
                writes && reads
            }
            ConstraintKind::ReturnsNew => methods().any(|(a, m)| {
                !m.modifiers.is_constructor
                    && m.returned.iter().any(|r| match r {
                        Returned::New(c) => {
                            self.resolve(&a.doc, c).is_some_and(|v| self.is_a(&v, u))
                        }
                        _ => false,
                    })
            }),
            // Wiring: the same method makes the client and an implementation of a type its
            // constructor takes (`new Signup(new SmtpMailer())`); making the client with a
            // caller's argument (`new FilterIterator(it, filter)`) assembles nothing.
            ConstraintKind::Makes => {
                let takes: Vec<TypeId> = self
                    .constructors(u)
                    .iter()
                    .flat_map(|(c, m)| {
                        m.params.iter().filter_map(|p| {
                            p.ty.as_ref()
                                .filter(|x| !x.collection)
                                .and_then(|x| self.resolve(&c.doc, &x.name))
                        })
                    })
                    .collect();
                methods().any(|(a, m)| {
                    let made: Vec<TypeId> = m
                        .creates
                        .iter()
                        .filter_map(|c| self.resolve(&a.doc, c))
                        .collect();
                    made.contains(u)
                        && made
                            .iter()
                            .any(|v| v != u && takes.iter().any(|x| x != v && self.is_a(v, x)))
                })
            }
            ConstraintKind::CreatesOther => methods().any(|(a, m)| {
                m.creates.iter().any(|c| {
                    self.resolve(&a.doc, c)
                        .is_some_and(|v| &v != t && self.is_a(&v, u))
                })
            }),
            ConstraintKind::NestedIn => self.enclosing(t).iter().any(|e| self.is_a(e, u)),
            ConstraintKind::Returns => methods().any(|(a, m)| {
                self.ref_is(&a.doc, &m.returns, false, u)
                    || m.returned.iter().any(|r| match r {
                        Returned::New(c) => {
                            self.resolve(&a.doc, c).is_some_and(|v| self.is_a(&v, u))
                        }
                        _ => false,
                    })
            }),
            // A lookup or a getter (`getBinding(key)`, `withoutAttributes()`) finds or converts;
            // a factory method makes.
            ConstraintKind::AbstractReturning => methods().any(|(a, m)| {
                m.modifiers.is_abstract
                    && !is_query(&m.name)
                    && self.ref_is(&a.doc, &m.returns, false, u)
            }),
            ConstraintKind::Takes => methods().any(|(a, m)| {
                m.params
                    .iter()
                    .any(|p| self.ref_is(&a.doc, &p.ty, false, u))
            }),
            ConstraintKind::CallsParam | ConstraintKind::PassesSelfTo => methods().any(|(a, m)| {
                m.calls.iter().any(|c| match &c.receiver {
                    Receiver::Param(p) => {
                        (kind == ConstraintKind::CallsParam || c.passes_self)
                            && m.params
                                .iter()
                                .any(|q| q.name == *p && self.ref_is(&a.doc, &q.ty, false, u))
                    }
                    _ => false,
                })
            }),
            ConstraintKind::ReassignsField => {
                // A lazy initialisation (`if (real == null) real = new Real()`) or a field
                // initializer sets the field once; it does not switch it.
                methods().any(|(_, m)| {
                    !m.modifiers.is_constructor
                        && !m.name.is_empty()
                        && (m
                            .writes
                            .iter()
                            .any(|f| self.field_is(t, f, false, u) && !m.guards.contains(f))
                            // An `AtomicReference<State>` switched by its setters.
                            || m.calls.iter().any(|c| match &c.receiver {
                                Receiver::Field(f) => {
                                    ATOMIC_SETTERS.contains(&c.method.as_str())
                                        && self.field_is(t, f, false, u)
                                }
                                _ => false,
                            }))
                }) || lineage.iter().any(|(_, d)| {
                    d.fields.iter().any(|f| {
                        self.written_on().contains(&f.name) && self.field_is(t, &f.name, false, u)
                    })
                })
            }
            ConstraintKind::Registers => methods().any(|(_, m)| {
                !m.modifiers.is_constructor
                    && m.adds.iter().any(|(f, _)| self.field_is(t, f, true, u))
            }),
            ConstraintKind::Unregisters => methods().any(|(_, m)| {
                !m.modifiers.is_constructor
                    && (m.calls.iter().any(|c| match &c.receiver {
                        Receiver::Field(f) => {
                            super::model::REMOVERS.contains(&c.method.as_str())
                                && self.field_is(t, f, true, u)
                        }
                        _ => false,
                    }) || m.writes.iter().any(|f| self.field_is(t, f, true, u)))
            }),
            ConstraintKind::Builds => methods().any(|(a, m)| {
                let n = m.name.as_str();
                let named = n.starts_with("build")
                    || n.starts_with("create")
                    || n.starts_with("make")
                    || matches!(n, "get" | "getResult" | "result" | "done");
                named
                    && !m.modifiers.is_static
                    && !m.modifiers.is_constructor
                    && !m.modifiers.is_private
                    && (self.ref_is(&a.doc, &m.returns, false, u)
                        || m.returned.iter().any(|r| match r {
                            Returned::New(c) => self.resolve(&a.doc, c).as_ref() == Some(u),
                            _ => false,
                        }))
            }),
            // Double dispatch is between two hierarchies: a node handing itself to another node
            // (`in.replaceChild(this, x)`) is not visiting.
            ConstraintKind::Bridges => self.bridges(t, u),
            ConstraintKind::Kin => {
                let mine = self.ancestors(t);
                t != u && self.ancestors(u).iter().any(|a| mine.contains(a))
            }
            ConstraintKind::DispatchesTo => {
                !self.is_a(t, u)
                    && !self.is_a(u, t)
                    && methods().any(|(a, m)| {
                        m.calls.iter().any(|c| match &c.receiver {
                            Receiver::Param(p) => {
                                c.passes_self
                                    && m.params.iter().any(|q| {
                                        q.name == *p && self.ref_is(&a.doc, &q.ty, false, u)
                                    })
                                    && self.lineage(u).iter().any(|(v, d)| {
                                        d.methods
                                            .iter()
                                            .any(|x| x.name == c.method && self.visits(v, x, a))
                                    })
                            }
                            _ => false,
                        })
                    })
            }
            ConstraintKind::ImplementsVia | ConstraintKind::TranslatesTo => {
                let own = self.decl(t);
                let inherited: BTreeSet<&str> = lineage
                    .iter()
                    .filter(|(a, _)| a != t)
                    .flat_map(|(_, d)| d.methods.iter())
                    .filter(|m| !m.modifiers.is_constructor)
                    .map(|m| m.name.as_str())
                    .collect();
                let implemented: Vec<_> = own
                    .methods
                    .iter()
                    .filter(|m| !m.modifiers.is_constructor && inherited.contains(m.name.as_str()))
                    .collect();
                let via = implemented
                    .iter()
                    .filter(|m| {
                        m.calls.iter().any(|c| match &c.receiver {
                            Receiver::Field(f) => {
                                (kind == ConstraintKind::ImplementsVia || c.method != m.name)
                                    && !is_query(&c.method)
                                    && self.field_is(t, f, false, u)
                            }
                            _ => false,
                        })
                    })
                    .count();
                // An adapter is mostly translation: at least half of what it implements goes to
                // the adaptee (a state or a service calling a helper from one method is not).
                via > 0 && (kind == ConstraintKind::ImplementsVia || via * 2 >= implemented.len())
            }
            // Passing the request on, not editing a structure with itself as the argument
            // (`parent.removeChild(this)` is a tree edit), and only on some paths: a handler
            // that may handle the request itself (the call in a branch, or another `return`
            // beside it), not a wrapper that always forwards (a decorator, a proxy).
            ConstraintKind::ForwardsTo => methods().any(|(_, m)| {
                m.calls.iter().any(|c| match &c.receiver {
                    Receiver::Field(f) => {
                        !c.passes_self
                            && (c.conditional || m.returned.len() >= 2)
                            && self.field_is(t, f, false, u)
                            && self.lineage(u).iter().any(|(_, d)| {
                                d.methods
                                    .iter()
                                    .any(|x| x.modifiers.is_abstract && x.name == c.method)
                            })
                    }
                    _ => false,
                })
            }),
            ConstraintKind::Caches => methods().any(|(a, m)| {
                !m.modifiers.is_constructor
                    && m.creates
                        .iter()
                        .any(|c| self.resolve(&a.doc, c).is_some_and(|v| self.is_a(&v, u)))
                    && m.calls.iter().any(|c| match &c.receiver {
                        Receiver::Field(f) => {
                            super::model::LOOKUPS.contains(&c.method.as_str())
                                && self.field_is(t, f, true, u)
                                // …and keeps what it made there: a keyed store into the same
                                // field (`get(0)` on a list followed by a `new` is no cache).
                                && m.calls.iter().any(|s| {
                                    s.receiver == c.receiver
                                        && super::scope::STORERS.contains(&s.method.as_str())
                                })
                        }
                        _ => false,
                    })
            }),
            // The type's own methods: a subclass inheriting the getter is not reported again.
            ConstraintKind::LazilyCreates => self.decl(t).methods.iter().any(|m| {
                !m.modifiers.is_constructor
                    && !m.modifiers.is_static
                    && m.creates
                        .iter()
                        .any(|c| self.resolve(&t.doc, c).is_some_and(|v| self.is_a(&v, u)))
                    && m.writes.iter().any(|f| {
                        self.field_is(t, f, false, u)
                            && m.guards.contains(f)
                            && m.returned.contains(&Returned::Field(f.clone()))
                    })
            }),
            ConstraintKind::Is => self.is_a(t, u),
            ConstraintKind::AsksEach => methods().any(|(_, m)| {
                m.calls.iter().any(|c| match &c.receiver {
                    Receiver::Element(f) => {
                        self.field_is(t, f, true, u)
                            && self.lineage(u).iter().any(|(_, d)| {
                                d.methods
                                    .iter()
                                    .any(|x| x.name == c.method && returns_named(x, YES_NO))
                            })
                    }
                    _ => false,
                })
            }),
            // Queries are what a holder does with data (an algorithm reading its input graph),
            // and so are edits of an R it makes itself or sets anew per run (filling a working
            // copy; a lazy initialisation is no new run); a collaborator is asked to act
            // (`device.setVolume(0)` on a device handed in once, `state.push(this)`).
            ConstraintKind::Drives => {
                let fills = std::cell::OnceCell::new();
                methods().any(|(_, m)| {
                    m.calls.iter().any(|c| match &c.receiver {
                        Receiver::Field(f) => {
                            (c.passes_self
                                || (!is_query(&c.method)
                                    && (!is_edit(&c.method)
                                        || !*fills.get_or_init(|| {
                                            self.binary(t, ConstraintKind::Creates, u)
                                        }) && !methods().any(|(_, w)| {
                                            !w.modifiers.is_constructor
                                                && !w.name.is_empty()
                                                && w.writes.iter().any(|x| x == f)
                                                && !w.guards.iter().any(|x| x == f)
                                        }))))
                                && self.field_is(t, f, false, u)
                        }
                        _ => false,
                    })
                })
            }
            ConstraintKind::Conforms => {
                let theirs: BTreeSet<&str> = self
                    .lineage(u)
                    .iter()
                    .flat_map(|(_, d)| d.methods.iter())
                    .map(|m| m.name.as_str())
                    .collect();
                let own: Vec<&str> = self
                    .decl(t)
                    .methods
                    .iter()
                    .filter(|m| {
                        !m.modifiers.is_constructor
                            && !m.modifiers.is_private
                            && !m.modifiers.is_static
                            && !is_universal(&m.name)
                    })
                    .map(|m| m.name.as_str())
                    .collect();
                own.iter().filter(|n| theirs.contains(*n)).count() * 2 >= own.len()
            }
            ConstraintKind::Lends => methods().any(|(a, m)| {
                !m.modifiers.is_constructor
                    && (self.ref_is(&a.doc, &m.returns, false, u)
                        || (m.returns.is_none() && !m.returned.is_empty()))
                    && m.calls.iter().any(|c| match &c.receiver {
                        Receiver::Field(f) => {
                            LENDERS.contains(&c.method.as_str()) && self.field_is(t, f, true, u)
                        }
                        _ => false,
                    })
            }),
            ConstraintKind::Injects => self.constructors(t).iter().any(|(a, m)| {
                m.assigns.iter().any(|(_, p)| {
                    m.params
                        .iter()
                        .any(|q| q.name == *p && self.ref_is(&a.doc, &q.ty, false, u))
                })
            }),
            // Reading a value through the service (`graph.vertexSet()`, `config.getPort()`) is
            // using data handed in; a service is asked to act.
            ConstraintKind::CallsAbstract => methods().any(|(_, m)| {
                m.calls.iter().any(|c| match &c.receiver {
                    Receiver::Field(f) => {
                        !is_query(&c.method)
                            && self.field_is(t, f, false, u)
                            && self.lineage(u).iter().any(|(_, d)| {
                                d.methods
                                    .iter()
                                    .any(|x| x.modifiers.is_abstract && x.name == c.method)
                            })
                    }
                    _ => false,
                })
            }),
            // The relation behind `coordinates`: a method calls a field of type R and a field of
            // another type (the count over R's players is checked in `holds`).
            ConstraintKind::Coordinates => self.decl(t).methods.iter().any(|m| {
                let driven: BTreeSet<TypeId> = m
                    .calls
                    .iter()
                    .filter(|c| !is_query(&c.method))
                    .filter_map(|c| match &c.receiver {
                        Receiver::Field(f) => self.field_type(t, f),
                        _ => None,
                    })
                    .filter(|v| v != t)
                    .collect();
                driven.len() >= 2 && driven.contains(u)
            }),
            ConstraintKind::Tracks => {
                let fields: BTreeSet<&str> = methods()
                    .filter(|(_, m)| !m.modifiers.is_constructor)
                    .flat_map(|(_, m)| m.adds.iter().map(|(f, _)| f.as_str()))
                    .filter(|f| self.field_is(t, f, true, u))
                    .collect();
                fields.len() >= 2
            }
            ConstraintKind::Wraps => {
                methods().any(|(a, m)| {
                    m.modifiers.is_constructor
                        && m.params
                            .iter()
                            .any(|p| self.ref_is(&a.doc, &p.ty, false, u))
                }) && self.binary(t, ConstraintKind::HasFieldOf, u)
            }
            ConstraintKind::SetsField => methods().any(|(a, m)| {
                !m.modifiers.is_constructor
                    && m.assigns.iter().any(|(f, p)| {
                        m.params
                            .iter()
                            .any(|q| q.name == *p && self.ref_is(&a.doc, &q.ty, false, u))
                            && self.field_is(t, f, false, u)
                    })
            }),
            ConstraintKind::Holds => {
                self.binary(t, ConstraintKind::HasFieldOf, u)
                    || self.binary(t, ConstraintKind::HasCollectionOf, u)
            }
            ConstraintKind::Invokes => {
                self.binary(t, ConstraintKind::CallsField, u)
                    || self.binary(t, ConstraintKind::CallsEach, u)
                    || self.binary(t, ConstraintKind::CallsParam, u)
            }
            ConstraintKind::Overrides => {
                let target = self.decl(u);
                let own = self.decl(t);
                target
                    .methods
                    .iter()
                    .filter(|m| m.modifiers.is_abstract)
                    .any(|am| {
                        own.methods
                            .iter()
                            .any(|m| m.name == am.name && !m.modifiers.is_abstract)
                    })
            }
            _ => false,
        }
    }

    /// The types a relational constraint can relate `t` to: the only ones [`Ctx::binary`] can
    /// hold for, gathered from `t`'s own declarations so that checks stay linear in the project.
    fn candidates(&self, t: &TypeId) -> std::rc::Rc<BTreeSet<TypeId>> {
        if let Some(c) = self.candidates.borrow().get(t) {
            return c.clone();
        }
        let mut out: BTreeSet<TypeId> = BTreeSet::new();
        for e in self.enclosing(t) {
            out.extend(self.ancestors(&e).iter().cloned());
        }
        for (a, d) in self.lineage(t).iter() {
            out.insert(a.clone());
            let mut names: Vec<&str> = Vec::new();
            names.extend(
                d.fields
                    .iter()
                    .filter_map(|f| f.ty.as_ref())
                    .map(|x| x.name.as_str()),
            );
            for m in &d.methods {
                names.extend(
                    m.params
                        .iter()
                        .filter_map(|p| p.ty.as_ref())
                        .map(|x| x.name.as_str()),
                );
                names.extend(m.returns.iter().map(|x| x.name.as_str()));
                for c in &m.creates {
                    if let Some(v) = self.resolve(&a.doc, c) {
                        out.extend(self.ancestors(&v).iter().cloned());
                    }
                }
                for r in &m.returned {
                    if let Returned::New(c) = r {
                        if let Some(v) = self.resolve(&a.doc, c) {
                            out.extend(self.ancestors(&v).iter().cloned());
                        }
                    }
                }
            }
            out.extend(names.into_iter().filter_map(|n| self.resolve(&a.doc, n)));
        }
        let out = std::rc::Rc::new(out);
        self.candidates.borrow_mut().insert(t.clone(), out.clone());
        out
    }

    /// The types `t` is related to by a relational constraint kind.
    fn forward(&self, t: &TypeId, kind: ConstraintKind) -> std::rc::Rc<BTreeSet<TypeId>> {
        let key = (t.clone(), kind);
        if let Some(f) = self.forward.borrow().get(&key) {
            return f.clone();
        }
        let f: BTreeSet<TypeId> = self
            .candidates(t)
            .iter()
            .filter(|u| self.binary(t, kind, u))
            .cloned()
            .collect();
        let f = std::rc::Rc::new(f);
        self.forward.borrow_mut().insert(key, f.clone());
        f
    }

    fn holds(&self, t: &TypeId, c: &Constraint, sets: &[BTreeSet<TypeId>]) -> bool {
        let ok = match c.role {
            None => self.unary(t, c.kind) || c.or.iter().any(|k| self.unary(t, *k)),
            Some(r) if c.kind == ConstraintKind::Coordinates => self.coordinates(t, &sets[r]),
            Some(r) => self.forward(t, c.kind).iter().any(|u| sets[r].contains(u)),
        };
        ok != c.negated
    }
}

impl Project {
    /// Finds the instances of role-based patterns in the project.
    pub fn recognise(&self, patterns: &[RolePattern]) -> Vec<Instance> {
        let ctx = Ctx {
            project: self,
            resolved: Default::default(),
            ancestors: Default::default(),
            lineages: Default::default(),
            candidates: Default::default(),
            forward: Default::default(),
            written_on: Default::default(),
            subtypes: Default::default(),
            driven: Default::default(),
        };
        let all: Vec<TypeId> = self.types().map(|(id, _)| id).collect();
        let mut out = Vec::new();
        for p in patterns {
            // Candidates of each role by its constraints that need no other role.
            let unary: Vec<BTreeSet<TypeId>> = p
                .roles
                .iter()
                .map(|r| {
                    all.iter()
                        .filter(|t| {
                            r.constraints
                                .iter()
                                .filter(|c| c.role.is_none())
                                .all(|c| ctx.holds(t, c, &[]))
                        })
                        .cloned()
                        .collect()
                })
                .collect();
            // The positive constraints narrowed over every key at once: each instance's roles
            // lie within these sets (narrowing is monotone), so a key outside them has no
            // instance and each key's search starts from far smaller sets.
            let mut global = unary;
            narrow(&ctx, p, &mut global, false);
            if !filled(p, &global) {
                continue;
            }
            for key in &global[0] {
                let mut sets = global.clone();
                sets[0] = BTreeSet::from([key.clone()]);
                if solve(&ctx, p, &mut sets) {
                    let participants = p
                        .roles
                        .iter()
                        .zip(&sets)
                        .flat_map(|(r, s)| {
                            s.iter().map(|id| {
                                let d = ctx.decl(id);
                                Participant {
                                    role: r.name.clone(),
                                    id: id.clone(),
                                    name: d.name.clone(),
                                    line: d.line,
                                    span: d.span.clone(),
                                }
                            })
                        })
                        .collect();
                    out.push(Instance {
                        pattern: p.id.clone(),
                        id: format!("{}@{}#{}", p.id, key.doc, ctx.decl(key).name),
                        participants,
                    });
                }
            }
        }
        // Precedence: drop an instance whose key takes part in an instance of a pattern it
        // yields to (only patterns recognised in this call count).
        let taken: HashMap<&str, BTreeSet<&TypeId>> =
            out.iter().fold(HashMap::new(), |mut m, i| {
                m.entry(i.pattern.as_str())
                    .or_default()
                    .extend(i.participants.iter().map(|p| &p.id));
                m
            });
        let keep: Vec<bool> = out
            .iter()
            .map(|i| {
                let Some(p) = patterns.iter().find(|p| p.id == i.pattern) else {
                    return true;
                };
                let key = &i.participants[0].id;
                !p.unless
                    .iter()
                    .any(|u| taken.get(u.as_str()).is_some_and(|s| s.contains(key)))
            })
            .collect();
        let mut keep = keep.into_iter();
        out.retain(|_| keep.next().unwrap_or(true));
        // One instance reported once: an instance is dropped when another of the same pattern
        // has a key that is a subtype of its key and every one of its other participants (a
        // proxy of `IterableMap` is not reported again for `Get` and `Put`, which that extends).
        let others = |i: &Instance| -> BTreeSet<(String, TypeId)> {
            i.participants[1..]
                .iter()
                .map(|p| (p.role.clone(), p.id.clone()))
                .collect()
        };
        // But when two or more unrelated subtypes of a key fill it with exactly its other
        // participants, they only inherit its role (three subclasses of a collection that
        // makes the iterators): the key's own instance is kept and theirs are dropped.
        let finer: Vec<Vec<usize>> = out
            .iter()
            .map(|i| {
                let key = &i.participants[0].id;
                let mine = others(i);
                (0..out.len())
                    .filter(|&n| {
                        let j = &out[n];
                        let jkey = &j.participants[0].id;
                        j.pattern == i.pattern
                            && jkey != key
                            && ctx.is_a(jkey, key)
                            && mine.is_subset(&others(j))
                    })
                    .collect()
            })
            .collect();
        let mut dropped = vec![false; out.len()];
        for (n, js) in finer.iter().enumerate() {
            let inheriting: Vec<usize> = js
                .iter()
                .copied()
                .filter(|&j| others(&out[j]) == others(&out[n]))
                .collect();
            let siblings = inheriting.len() >= 2
                && inheriting.iter().all(|&a| {
                    inheriting.iter().all(|&b| {
                        a == b || !ctx.is_a(&out[a].participants[0].id, &out[b].participants[0].id)
                    })
                });
            if siblings && inheriting.len() == js.len() {
                for j in inheriting {
                    dropped[j] = true;
                }
            } else if !js.is_empty() {
                dropped[n] = true;
            }
        }
        let mut dropped = dropped.into_iter();
        out.retain(|_| !dropped.next().unwrap_or(false));
        out
    }
}

/// Methods that replace the value an atomic reference holds.
const ATOMIC_SETTERS: &[&str] = &[
    "set",
    "getAndSet",
    "compareAndSet",
    "weakCompareAndSet",
    "lazySet",
    "getAndUpdate",
    "updateAndGet",
    "accumulateAndGet",
    "getAndAccumulate",
];

/// Result type names of a yes/no answer.
const YES_NO: &[&str] = &["boolean", "bool", "Boolean"];

/// Result type names of nothing (a `void` result has no type reference at all).
const NOTHING: &[&str] = &["void", "Unit", "None", "undefined"];

/// Calls that read the time.
const CLOCKS: &[&str] = &[
    "nanoTime",
    "currentTimeMillis",
    "monotonic",
    "monotonic_ns",
    "perf_counter",
    "perf_counter_ns",
    "time",
    "time_ns",
    "now",
    "millis",
    "instant",
    "hrtime",
    "elapsedRealtime",
    "uptimeMillis",
];

/// Calls that wait (for a permit, for time to pass).
const WAITS: &[&str] = &[
    "sleep",
    "wait",
    "setTimeout",
    "park",
    "parkNanos",
    "delay",
    "acquire",
];

/// The abstract methods a type declares itself, without the universal object methods.
fn own_abstract(d: &TypeDecl) -> Vec<&super::model::Method> {
    d.methods
        .iter()
        .filter(|m| {
            m.modifiers.is_abstract
                && !m.modifiers.is_constructor
                && !matches!(m.name.as_str(), "equals" | "hashCode" | "toString")
        })
        .collect()
}

fn returns_named(m: &super::model::Method, names: &[&str]) -> bool {
    m.returns
        .as_ref()
        .is_some_and(|r| !r.collection && names.contains(&r.name.as_str()))
}

/// A method named as asking for a permit (`tryAcquire`, `allow`, `consume`, `take`, `reserve`,
/// `throttle`, `limit`, `hit`, `wait_for_token`…): a limiter's question, not an allocation.
fn is_permit(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    [
        "acquire",
        "tryacquire",
        "allow",
        "isallowed",
        "permit",
        "consume",
        "tryconsume",
        "take",
        "trytake",
        "reserve",
        "throttle",
        "limit",
        "hit",
        "waitfor",
        "schedule",
    ]
    .iter()
    .any(|p| n.starts_with(p))
}

/// Whether `name` is one of `prefixes` followed by another word (`buildWalls`, `build_roof`; not
/// `builder`): the camelCase and snake_case forms of a verb-led method name.
fn starts_with_word(name: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| {
        name.strip_prefix(p)
            .and_then(|r| r.chars().next())
            .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
    })
}

/// `onClick`, `on_click`: a method named as an event hook.
fn is_event_hook(name: &str) -> bool {
    starts_with_word(name, &["on"])
}

/// A builder's step by its name: `buildWalls`, `build_roof`, `setSeats`, `addPart`, `withEngine`,
/// `putHeader`, `appendLine`, `reset` (not the final `build` itself).
fn is_step(name: &str) -> bool {
    name == "reset" || starts_with_word(name, &["build", "set", "add", "with", "put", "append"])
}

/// Methods every object has (`equals`, `hashCode`, `toString`, `__repr__`, …).
fn is_universal(name: &str) -> bool {
    matches!(
        name,
        "equals"
            | "hashCode"
            | "toString"
            | "__eq__"
            | "__ne__"
            | "__hash__"
            | "__repr__"
            | "__str__"
    )
}

/// Methods that take an element out of a collection and hand it back (a pool's `acquire`).
const LENDERS: &[&str] = &[
    "pop",
    "popleft",
    "poll",
    "pollFirst",
    "pollLast",
    "removeFirst",
    "removeLast",
    "shift",
    "remove",
    "take",
];

/// A method named as a copy of its object (`clone`, `copy`, `deepCopy`, `copy_with`,
/// `duplicate`, `__copy__`, `__deepcopy__`).
fn is_copy(name: &str) -> bool {
    let n = name.trim_matches('_').to_ascii_lowercase();
    n.starts_with("clone")
        || n.starts_with("copy")
        || n.starts_with("deepcopy")
        || n.starts_with("deep_copy")
        || n.starts_with("duplicate")
}

/// A method that reads or finds rather than acts: a getter, a lookup or a conversion by its
/// name (`getKey`, `find_user`, `lookup`, `asMap`, `toList`, `withoutAttributes`, `size`); a
/// setter or a copy changes or makes something and is not one.
fn is_query(name: &str) -> bool {
    if is_universal(name)
        || matches!(
            name,
            "compareTo"
                | "__lt__"
                | "get"
                | "find"
                | "lookup"
                | "size"
                | "length"
                | "isEmpty"
                | "contains"
                | "containsKey"
                | "keys"
                | "values"
                | "items"
                | "iterator"
                | "stream"
                | "__len__"
                | "__iter__"
                | "__getitem__"
                | "__contains__"
                | "__getattr__"
        )
    {
        return true;
    }
    // Nouns and tests rather than verbs: `vertexSet()`, `edgesOf(v)`, `degree_of(v)`,
    // `containsEdge(e)`, `countLeaves()`, `edgeCount()` read the object.
    let upper_rest = |r: &str| {
        r.chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
    };
    let noun_suffix = [
        "Of", "_of", "Set", "_set", "Count", "_count", "Size", "_size",
    ]
    .iter()
    .any(|s| {
        name.strip_suffix(s)
            .is_some_and(|r| r.chars().last().is_some_and(|c| c.is_ascii_lowercase()))
    });
    (noun_suffix && !is_edit(name))
        || [
            "get", "find", "lookup", "as", "to", "with", "without", "is", "has", "contains",
            "count", "num",
        ]
        .iter()
        .any(|p| name.strip_prefix(p).is_some_and(upper_rest))
}

/// An edit of data by its name (`addEdge`, `setWeight`, `remove_node`, `put`, `clear`): what a
/// holder does to a graph, a map or a record it fills, not a collaborator's behaviour.
fn is_edit(name: &str) -> bool {
    matches!(name, "add" | "remove" | "set" | "put" | "insert" | "clear")
        || starts_with_word(name, &["add", "remove", "set", "put", "insert", "append"])
}

/// A getter, setter or universal object method by its name (`getName`, `is_valid`, `equals`).
fn is_accessor(name: &str) -> bool {
    const UNIVERSAL: &[&str] = &[
        "equals",
        "hashCode",
        "toString",
        "compareTo",
        "copy",
        "__eq__",
        "__ne__",
        "__hash__",
        "__repr__",
        "__str__",
        "__lt__",
        "__post_init__",
    ];
    if UNIVERSAL.contains(&name) || name.starts_with("component") {
        return true;
    }
    starts_with_word(name, &["get", "set", "is", "has", "with"])
}

/// Narrows the role sets by the constraints that are negated (or not) until nothing changes
/// (negated ones: one pass); a positive constraint is checked both ways.
fn narrow(ctx: &Ctx<'_>, p: &RolePattern, sets: &mut [BTreeSet<TypeId>], negated: bool) {
    loop {
        let mut changed = false;
        for (i, role) in p.roles.iter().enumerate() {
            for c in role.constraints.iter().filter(|c| c.negated == negated) {
                let Some(r) = c.role else { continue };
                let before = sets[i].len();
                let keep: BTreeSet<TypeId> = sets[i]
                    .iter()
                    .filter(|t| ctx.holds(t, c, sets))
                    .cloned()
                    .collect();
                sets[i] = keep;
                changed |= sets[i].len() != before;
                if !negated && r != i && !role.optional {
                    // The other way: a type of role r must be related to some type of role i.
                    let before = sets[r].len();
                    let reached: BTreeSet<TypeId> = sets[i]
                        .iter()
                        .flat_map(|t| ctx.forward(t, c.kind).iter().cloned().collect::<Vec<_>>())
                        .collect();
                    let keep: BTreeSet<TypeId> = sets[r].intersection(&reached).cloned().collect();
                    sets[r] = keep;
                    changed |= sets[r].len() != before;
                }
            }
        }
        if !changed || negated {
            return;
        }
    }
}

/// True when every required role has a type.
fn filled(p: &RolePattern, sets: &[BTreeSet<TypeId>]) -> bool {
    p.roles
        .iter()
        .zip(sets.iter())
        .all(|(r, s)| r.optional || !s.is_empty())
}

/// Narrows the role sets until every positive constraint holds both ways, then applies the
/// negated ones and narrows again; false when a required role ends empty.
fn solve(ctx: &Ctx<'_>, p: &RolePattern, sets: &mut [BTreeSet<TypeId>]) -> bool {
    narrow(ctx, p, sets, false);
    if !filled(p, sets) {
        return false;
    }
    narrow(ctx, p, sets, true);
    narrow(ctx, p, sets, false);
    filled(p, sets)
}

impl Instance {
    /// One finding record per participant, in the pattern's role order: the participant's
    /// type declaration is the finding's code (its first line the snippet), `instance` and
    /// `role` say which instance and role. `text` gives a document's text and display path by
    /// its project key; participants whose document it does not know are left out.
    pub fn records<'t>(
        &self,
        project: &Project,
        sheet: &crate::view::PatternSheet,
        text: impl Fn(&str) -> Option<(&'t str, Option<&'t str>)>,
    ) -> Vec<crate::view::FindingRecord> {
        let mut out = Vec::new();
        for p in &self.participants {
            let Some((src, path)) = text(&p.id.doc) else {
                continue;
            };
            let Some(model) = project.document(&p.id.doc) else {
                continue;
            };
            let span = p.span.start.min(src.len())..p.span.end.min(src.len());
            let lines = crate::text::LineIndex::new(src);
            let human = |byte: usize| {
                let q = lines.position_in(src, byte, crate::text::OffsetUnit::CodePoint);
                (q.line + 1, q.column + 1)
            };
            let (line, column) = human(span.start);
            let (end_line, end_column) = human(span.end);
            let snippet = src
                .get(span.clone())
                .and_then(|s| s.lines().next())
                .unwrap_or("")
                .to_string();
            let key = format!("{}\0{}\0{}\0{}", self.id, p.role, p.id.doc, p.name);
            out.push(crate::view::FindingRecord {
                byte_end: span.end,
                byte_start: span.start,
                captures: Vec::new(),
                column,
                // Design participants are judged by their path (a model keeps no text).
                context: path
                    .and_then(crate::context::path_context)
                    .unwrap_or(crate::context::CodeContext::Production),
                cwe: sheet.cwe.clone(),
                duplicates: Vec::new(),
                end_column,
                end_line,
                // The instance, role and type name, never a position: kept by edits elsewhere.
                fingerprint: crate::view::finding_fingerprint(
                    &sheet.id,
                    &format!("{} {} {}", self.id, p.role, p.name),
                    &snippet,
                    0,
                ),
                fix: None,
                group: sheet.group.clone(),
                id: format!("{:016x}", crate::hash::bytes(key.as_bytes())),
                instance: Some(self.id.clone()),
                key_property: sheet.key_property.clone(),
                language: model.language.name().to_string(),
                line,
                name: sheet.name.clone(),
                owasp: sheet.owasp.clone(),
                participants: Vec::new(),
                path: path.map(str::to_string),
                pattern: sheet.id.clone(),
                role: Some(p.role.clone()),
                score: 1.0,
                severity: sheet.severity,
                snippet,
                steps: Vec::new(),
                symbol: sheet.symbol.clone(),
                unit: p.name.clone(),
            });
        }
        out
    }
}
