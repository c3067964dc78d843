//! The project model: declarations read per language, names resolved across documents, and
//! incremental replacement equal to a rebuild (proptest).

use codetable::project::{extract, Project, Receiver, Returned, TypeKind, TypeRef};
use codetable::{Document, Language};
use proptest::prelude::*;

fn doc(language: Language, src: &str) -> Document {
    Document::new(language, src).expect("parses")
}

const JAVA_SUBJECT: &str = r#"package obs;
import java.util.*;
/** Sujet observé — « café » */
public class Subject {
    private final List<Observer> observers = new ArrayList<>();
    private final Map<String, Handler> handlers = new HashMap<>();
    private Observer[] extra;
    private static Subject instance;
    private Subject() {}
    public static Subject getInstance() {
        if (instance == null) instance = new Subject();
        return instance;
    }
    public void attach(Observer o) { observers.add(o); }
    public Subject named(String n) { return this; }
    public void publish(String e) {
        for (Observer o : observers) { o.update(e, this); }
        observers.forEach(x -> x.done());
        Handler h = handlers.get(e);
        h.handle(e);
    }
}
abstract class Base implements Observer, Comparable<Base> {
    abstract void step();
    @Override public void update(String e, Subject s) { step(); }
}
"#;

#[test]
fn java_declarations() {
    let m = extract(&doc(Language::Java, JAVA_SUBJECT));
    assert_eq!(m.package.as_deref(), Some("obs"));
    let s = &m.types[0];
    assert_eq!((s.name.as_str(), s.kind), ("Subject", TypeKind::Class));
    assert_eq!(
        s.field("observers").unwrap().ty,
        Some(TypeRef::many("Observer"))
    );
    assert_eq!(
        s.field("handlers").unwrap().ty,
        Some(TypeRef::many("Handler"))
    );
    assert_eq!(
        s.field("extra").unwrap().ty,
        Some(TypeRef::many("Observer"))
    );
    assert!(s.field("instance").unwrap().is_static);
    let ctor = s
        .methods
        .iter()
        .find(|m| m.modifiers.is_constructor)
        .unwrap();
    assert!(ctor.modifiers.is_private);
    let get = s.methods.iter().find(|m| m.name == "getInstance").unwrap();
    assert!(get.modifiers.is_static);
    assert_eq!(get.creates, ["Subject"]);
    assert_eq!(get.returned, [Returned::Field("instance".into())]);
    let named = s.methods.iter().find(|m| m.name == "named").unwrap();
    assert_eq!(named.returned, [Returned::This]);
    let publish = s.methods.iter().find(|m| m.name == "publish").unwrap();
    let on_each: Vec<_> = publish
        .calls
        .iter()
        .filter(|c| c.receiver == Receiver::Element("observers".into()))
        .map(|c| (c.method.as_str(), c.receiver_type.as_deref(), c.passes_self))
        .collect();
    assert_eq!(
        on_each,
        [
            ("update", Some("Observer"), true),
            ("done", Some("Observer"), false)
        ]
    );
    let local = publish.calls.iter().find(|c| c.method == "handle").unwrap();
    assert_eq!(local.receiver, Receiver::Local("h".into()));
    assert_eq!(local.receiver_type.as_deref(), Some("Handler"));
    let base = &m.types[1];
    assert_eq!(base.kind, TypeKind::AbstractClass);
    assert_eq!(base.supertypes, ["Observer", "Comparable"]);
    assert!(base.methods[0].modifiers.is_abstract);
    assert!(base.methods[1].modifiers.is_override);
    assert_eq!(base.methods[1].calls[0].receiver, Receiver::This);
}

#[test]
fn typescript_declarations() {
    let src = r#"import { Observer } from './observer';
// «ÉvénementSource»
export abstract class Subject implements Source {
  private observers: Observer[] = [];
  private handlers: Map<string, Handler> = new Map();
  private static instance?: Subject;
  private constructor(private readonly repo: Repo) {}
  static get(): Subject {
    if (!Subject.instance) { Subject.instance = new Subject(new Repo()); }
    return Subject.instance;
  }
  attach(o: Observer): this { this.observers.push(o); return this; }
  protected abstract step(): void;
  notify(e: string): void {
    for (const o of this.observers) { o.update(e); }
    this.observers.forEach((x) => x.done(this));
    this.repo.save(e);
  }
}
interface Source extends Base { get(): Subject; }
"#;
    let m = extract(&doc(Language::TypeScript, src));
    assert_eq!(m.imports[0].local, "Observer");
    assert_eq!(m.imports[0].module, "./observer");
    let s = &m.types[0];
    assert_eq!(s.kind, TypeKind::AbstractClass);
    assert_eq!(s.supertypes, ["Source"]);
    assert_eq!(
        s.field("observers").unwrap().ty,
        Some(TypeRef::many("Observer"))
    );
    assert_eq!(
        s.field("handlers").unwrap().ty,
        Some(TypeRef::many("Handler"))
    );
    assert_eq!(s.field("repo").unwrap().ty, Some(TypeRef::plain("Repo")));
    assert!(s.field("instance").unwrap().is_static);
    let ctor = s.methods.iter().find(|m| m.name == "constructor").unwrap();
    assert!(ctor.modifiers.is_private && ctor.modifiers.is_constructor);
    let get = s.methods.iter().find(|m| m.name == "get").unwrap();
    assert_eq!(get.creates, ["Subject", "Repo"]);
    assert_eq!(get.returned, [Returned::Field("instance".into())]);
    assert!(s
        .methods
        .iter()
        .any(|m| m.name == "step" && m.modifiers.is_abstract));
    let notify = s.methods.iter().find(|m| m.name == "notify").unwrap();
    let calls: Vec<_> = notify
        .calls
        .iter()
        .filter(|c| c.method != "forEach")
        .map(|c| {
            (
                c.receiver.clone(),
                c.method.as_str(),
                c.receiver_type.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        calls,
        [
            (
                Receiver::Element("observers".into()),
                "update",
                Some("Observer")
            ),
            (
                Receiver::Element("observers".into()),
                "done",
                Some("Observer")
            ),
            (Receiver::Field("repo".into()), "save", Some("Repo")),
        ]
    );
    assert_eq!(m.types[1].kind, TypeKind::Interface);
    assert!(m.types[1].methods[0].modifiers.is_abstract);
}

#[test]
fn python_declarations() {
    let src = r#"from abc import ABC, abstractmethod
from .observer import Observer

class Subject:
    """Sujet — « observé »."""
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __init__(self, strategy: "Strategy"):
        self._observers = []
        self._strategy = strategy
        self._cache: dict[str, Item] = {}
        self._log = Logger()

    def attach(self, observer: Observer) -> None:
        self._observers.append(observer)

    def notify(self):
        for o in list(self._observers):
            o.update(self)
        self._strategy.run()
        return self

class Base(ABC):
    @abstractmethod
    def step(self): ...

    @staticmethod
    def make(x: int) -> "Base":
        return Impl()
"#;
    let m = extract(&doc(Language::Python, src));
    assert_eq!(m.imports[2].local, "Observer");
    let s = &m.types[0];
    assert_eq!(
        s.field("_instance").unwrap().ty,
        Some(TypeRef::plain("Subject"))
    );
    assert!(s.field("_instance").unwrap().is_static);
    assert_eq!(
        s.field("_observers").unwrap().ty,
        Some(TypeRef::many("Observer"))
    );
    assert_eq!(
        s.field("_strategy").unwrap().ty,
        Some(TypeRef::plain("Strategy"))
    );
    assert_eq!(s.field("_cache").unwrap().ty, Some(TypeRef::many("Item")));
    assert_eq!(s.field("_log").unwrap().ty, Some(TypeRef::plain("Logger")));
    let new = s.methods.iter().find(|m| m.name == "__new__").unwrap();
    assert_eq!(new.returned, [Returned::Field("_instance".into())]);
    let notify = s.methods.iter().find(|m| m.name == "notify").unwrap();
    assert_eq!(notify.returned, [Returned::This]);
    let update = &notify.calls.iter().find(|c| c.method == "update").unwrap();
    assert_eq!(update.receiver, Receiver::Element("_observers".into()));
    assert!(update.passes_self);
    let run = notify.calls.iter().find(|c| c.method == "run").unwrap();
    assert_eq!(run.receiver_type.as_deref(), Some("Strategy"));
    let base = &m.types[1];
    assert_eq!(base.kind, TypeKind::AbstractClass);
    assert!(base.methods[0].modifiers.is_abstract);
    let make = &base.methods[1];
    assert!(make.modifiers.is_static);
    assert_eq!(
        make.params.len(),
        1,
        "a static method keeps its first parameter"
    );
    assert_eq!(make.returns, Some(TypeRef::plain("Base")));
    assert_eq!(make.returned, [Returned::New("Impl".into())]);
}

#[test]
fn names_resolve_through_same_package_imports_and_directories() {
    let mut p = Project::new();
    p.set_document(
        "a/Shape.java",
        &doc(Language::Java, "package a;\npublic interface Shape {}\n"),
    );
    p.set_document(
        "b/Shape.java",
        &doc(Language::Java, "package b;\npublic interface Shape {}\n"),
    );
    p.set_document(
        "a/Square.java",
        &doc(
            Language::Java,
            "package a;\nclass Square implements Shape {}\n",
        ),
    );
    p.set_document(
        "c/Circle.java",
        &doc(
            Language::Java,
            "package c;\nimport b.Shape;\nclass Circle implements Shape {}\n",
        ),
    );
    let sq = p.find_type("Square").unwrap();
    let ci = p.find_type("Circle").unwrap();
    assert_eq!(p.supertypes(&sq)[0].doc, "a/Shape.java");
    assert_eq!(p.supertypes(&ci)[0].doc, "b/Shape.java");

    p.set_document(
        "x/shape.ts",
        &doc(Language::TypeScript, "export interface Shape {}\n"),
    );
    p.set_document(
        "y/shape.ts",
        &doc(Language::TypeScript, "export interface Shape {}\n"),
    );
    p.set_document(
        "z/tri.ts",
        &doc(
            Language::TypeScript,
            "import { Shape as S } from '../y/shape';\nclass Tri implements S {}\n",
        ),
    );
    let tri = p.find_type("Tri").unwrap();
    assert_eq!(p.type_decl(&tri).unwrap().supertypes, ["S"]);
    assert_eq!(
        p.resolve("z/tri.ts", "S"),
        None,
        "an alias resolves through its import only"
    );

    p.set_document(
        "py/shapes/base.py",
        &doc(Language::Python, "class Shape:\n    pass\n"),
    );
    p.set_document(
        "py/shapes/hexagon.py",
        &doc(
            Language::Python,
            "from .base import Shape\n\nclass Hexagon(Shape):\n    pass\n",
        ),
    );
    let hex = p.find_type("Hexagon").unwrap();
    assert_eq!(p.supertypes(&hex)[0].doc, "py/shapes/base.py");
    assert!(p.is_subtype(&hex, &p.supertypes(&hex)[0]));
    assert!(!p.is_subtype(&p.supertypes(&hex)[0], &hex));
}

#[test]
fn names_never_resolve_across_languages_or_past_an_import_of_another_module() {
    let mut p = Project::new();
    p.set_document(
        "jsoup/nodes/Node.java",
        &doc(
            Language::Java,
            "package org.jsoup.nodes;
public abstract class Node {}
",
        ),
    );
    p.set_document(
        "httpx/_urls.py",
        &doc(
            Language::Python,
            "class URL:\n    \"\"\"Adresse — « é »\"\"\"\n",
        ),
    );
    // An explicit import of a type outside the project is that type, not the project's
    // `Node`; a Java `URL` (java.net, implicit here) is never the Python class.
    p.set_document(
        "jsoup/helper/W3CDom.java",
        &doc(
            Language::Java,
            "package org.jsoup.helper;\nimport org.w3c.dom.Node;\nclass W3CDom {\n  private Node dest;\n  private URL base;\n}\n",
        ),
    );
    assert_eq!(p.resolve("jsoup/helper/W3CDom.java", "Node"), None);
    assert_eq!(p.resolve("jsoup/helper/W3CDom.java", "URL"), None);
    // Without the import, the project's only `Node` is still found, and Kotlin names Java types.
    p.set_document(
        "jsoup/select/Walk.java",
        &doc(
            Language::Java,
            "package org.jsoup.select;\nclass Walk { Node n; }\n",
        ),
    );
    assert_eq!(
        p.resolve("jsoup/select/Walk.java", "Node").unwrap().doc,
        "jsoup/nodes/Node.java"
    );
    p.set_document(
        "kt/Visit.kt",
        &doc(Language::Kotlin, "package kt\nclass Visit(val n: Node)\n"),
    );
    assert_eq!(
        p.resolve("kt/Visit.kt", "Node").unwrap().doc,
        "jsoup/nodes/Node.java"
    );
}

/// Sources a document key may hold, in three languages.
const POOL: &[(Language, &str)] = &[
    (Language::Java, "package p;\npublic interface Shape { double area(); }\n"),
    (Language::Java, "package p;\nclass Square implements Shape {\n  private Shape inner;\n  public double area() { return inner.area(); }\n}\n"),
    (Language::Java, "package q;\nimport p.Shape;\nclass Group implements Shape {\n  private final java.util.List<Shape> items = new java.util.ArrayList<>();\n  public double area() { for (Shape s : items) s.area(); return 0; }\n}\n"),
    (Language::TypeScript, "export interface Listener { fire(e: string): void; }\n"),
    (Language::TypeScript, "import { Listener } from './a';\nexport class Bus { private ls: Listener[] = []; on(l: Listener): void { this.ls.push(l); } emit(): void { this.ls.forEach((l) => l.fire('é')); } }\n"),
    (Language::Python, "class Handler:\n    def handle(self, r):\n        raise NotImplementedError\n"),
    (Language::Python, "from .a import Handler\n\nclass Auth(Handler):\n    def __init__(self, nxt: Handler):\n        self.nxt = nxt\n    def handle(self, r):\n        return self.nxt.handle(r)\n"),
    (Language::Python, "def f(:\n"),
    (Language::Go, "package g\n\ntype Listener interface {\n\tFire(e string)\n}\n"),
    (Language::Go, "package g\n\n// Bus — « é »\ntype Bus struct {\n\tls []Listener\n}\n\nfunc (b *Bus) On(l Listener) { b.ls = append(b.ls, l) }\n\nfunc (b *Bus) Fire(e string) {\n\tfor _, l := range b.ls {\n\t\tl.Fire(e)\n\t}\n}\n"),
    (Language::Kotlin, "package k\ninterface Mode { fun run(c: Lamp) }\n"),
    (Language::Kotlin, "package k\n/** Lampe — « é » */\nclass Lamp(private var mode: Mode) {\n    fun press() { mode.run(this) }\n    fun set(m: Mode) { mode = m }\n    companion object { fun make(): Lamp = Lamp(Off()) }\n}\nclass Off : Mode { override fun run(c: Lamp) { c.set(On()) } }\nclass On : Mode { override fun run(c: Lamp) {} }\n"),
];

/// Documents of several top-level declarations, one per language with per-declaration reuse
/// (and Go, read whole), with non-ASCII text.
const REUSE_POOL: &[(Language, &str)] = &[
    (Language::Python, "from .a import Handler\nimport os\n\nclass Auth(Handler):\n    \"\"\"Prüfung — « é ».\"\"\"\n    def __init__(self, nxt: Handler):\n        self.nxt = nxt\n    def handle(self, r):\n        for i in range(3):\n            try:\n                return self.nxt.handle(r)\n            except OSError:\n                self.fails += 1\n\n\ndef helper(x):\n    return Auth(x)\n\n\nclass Log(Handler):\n    def handle(self, r):\n        print('é')\n\n\nclass Log2(Handler):\n    def handle(self, r):\n        print('é')\n"),
    (Language::Java, "package p;\nimport java.util.List;\n/** Forme — « é » */\npublic interface Shape { double area(); }\nclass Square implements Shape {\n  private Shape inner;\n  public double area() { return inner.area(); }\n}\nclass Group implements Shape {\n  private final List<Shape> items = new java.util.ArrayList<>();\n  void add(Shape s) { items.add(s); }\n  public double area() { for (Shape s : items) s.area(); return 0; }\n}\n"),
    (Language::TypeScript, "import { Listener } from './a';\n// Bus — « é »\nexport interface Listener { fire(e: string): void; }\nexport class Bus {\n  private ls: Listener[] = [];\n  on(l: Listener): void { this.ls.push(l); }\n  emit(): void { this.ls.forEach((l) => l.fire('é')); }\n}\nnamespace N { export class Inner implements Listener { fire(e: string) {} } }\nclass Log implements Listener { fire(e: string) {} }\n"),
    (Language::Kotlin, "package k\nimport k.other.Thing\ninterface Mode { fun run(c: Lamp) }\n/** Lampe — « é » */\nclass Lamp(private var mode: Mode) {\n    fun press() { mode.run(this) }\n    fun set(m: Mode) { mode = m }\n    companion object { fun make(): Lamp = Lamp(Off()) }\n}\nclass Off : Mode { override fun run(c: Lamp) { c.set(On()) } }\nclass On : Mode { override fun run(c: Lamp) {} }\n"),
    (Language::Go, "package g\n\n// Bus — « é »\ntype Bus struct {\n\tls []Listener\n}\n\ntype Listener interface {\n\tFire(e string)\n}\n\nfunc (b *Bus) On(l Listener) { b.ls = append(b.ls, l) }\n\nfunc (b *Bus) Fire(e string) {\n\tfor _, l := range b.ls {\n\t\tl.Fire(e)\n\t}\n}\n"),
];

const KEYS: &[&str] = &[
    "p/a.java", "p/b.java", "src/a.ts", "src/b.ts", "pkg/a.py", "pkg/b.py", "g/a.go", "g/b.go",
    "k/a.kt", "k/b.kt",
];

fn language_of(key: &str) -> Language {
    Language::from_extension(key.rsplit('.').next().unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Setting and removing documents in any order leaves the project equal to one built from
    /// scratch from the documents present at the end.
    #[test]
    fn incremental_equals_rebuild(ops in prop::collection::vec((0..KEYS.len(), 0..POOL.len() + 1), 1..24)) {
        let mut live = Project::new();
        let mut present: std::collections::BTreeMap<&str, usize> = Default::default();
        for (k, s) in ops {
            let key = KEYS[k];
            if s == POOL.len() {
                live.remove_document(key);
                present.remove(key);
            } else {
                // A document keeps its key's language: the pool's text is parsed as that language.
                let d = Document::new(language_of(key), POOL[s].1).unwrap();
                live.set_document(key, &d);
                present.insert(key, s);
            }
        }
        let mut fresh = Project::new();
        for (key, s) in &present {
            let d = Document::new(language_of(key), POOL[*s].1).unwrap();
            fresh.set_document(key, &d);
        }
        prop_assert_eq!(&live, &fresh);
        // Resolution agrees too.
        for (id, t) in fresh.types() {
            prop_assert_eq!(live.supertypes(&id), fresh.supertypes(&id));
            prop_assert_eq!(live.resolve(&id.doc, &t.name), fresh.resolve(&id.doc, &t.name));
            // A name declared once in its document resolves there to itself (error recovery
            // may declare a name twice in text parsed as another language).
            let twice = fresh.documents().any(|(k, m)| k == id.doc && m.types.iter().filter(|o| o.name == t.name).count() > 1);
            if !twice {
                prop_assert_eq!(live.resolve(&id.doc, &t.name), Some(id.clone()));
            }
        }
    }

    /// A document edited again and again (typing, deleting, pasting a copy of a piece of it, so
    /// that identical declarations appear and move) and set after each edit equals, every time,
    /// the extraction of the whole edited document: the declarations reused from the earlier
    /// version are the ones a full read finds, at their new lines and offsets.
    #[test]
    fn reused_declarations_equal_a_full_extraction(
        which in 0..REUSE_POOL.len(),
        edits in prop::collection::vec((0usize..2000, 0usize..2000, 0usize..40, r"[a-zé ]{0,3}|\n|;|\{\}|:|\n    "), 1..12),
    ) {
        let (lang, src) = REUSE_POOL[which];
        let mut d = Document::new(lang, src).unwrap();
        let mut live = Project::new();
        live.set_document("f", &d);
        for (a, b, len, typed) in edits {
            let text = d.text().to_string();
            let snap = |mut i: usize| { i = i.min(text.len()); while !text.is_char_boundary(i) { i -= 1; } i };
            let (a, b) = (snap(a), snap(b));
            // Even: type at `a`; odd: delete up to `len` bytes at `a`; else paste text[b..b+len].
            match a % 3 {
                0 => { d.edit(a, a, &typed).unwrap(); }
                1 => { let e = snap(a + len); d.edit(a, e, "").unwrap(); }
                _ => { let e = snap(b + len * 4); let piece = text[b..e].to_string(); d.edit(a, a, &piece).unwrap(); }
            }
            live.set_document("f", &d);
            prop_assert_eq!(live.document("f").unwrap(), &extract(&d));
            let mut fresh = Project::new();
            fresh.set_model("f", extract(&d));
            prop_assert_eq!(&live, &fresh);
        }
    }

    /// Editing a document and re-extracting it equals extracting the edited text from scratch.
    #[test]
    fn edited_document_equals_fresh_extraction(at in 0usize..200, text in "[a-zé ]{0,4}|;|\\{\\}|/\\*é\\*/") {
        let (lang, src) = POOL[2];
        let mut d = Document::new(lang, src).unwrap();
        let mut at = at.min(src.len());
        while !src.is_char_boundary(at) { at -= 1; }
        d.edit(at, at, &text).unwrap();
        let fresh = Document::new(lang, d.text()).unwrap();
        // Error recovery may differ between an incremental and a fresh parse (tree-sitter's,
        // not the model's): the property is about well-formed text.
        prop_assume!(!fresh.has_syntax_errors() && !d.has_syntax_errors());
        prop_assert_eq!(extract(&d), extract(&fresh));
    }
}

#[test]
fn role_lines_are_checked_when_parsed() {
    use codetable::project::roles::RolePattern;
    let err = |lines: &[&str]| RolePattern::parse("x.y", lines).unwrap_err();
    assert!(err(&["a: abstrakt"]).contains("unknown constraint `abstrakt`"));
    assert!(err(&["a: abstract", "b: is-a(c)"]).contains("no role `c`"));
    assert!(err(&["a: is-a"]).contains("needs a role"));
    assert!(err(&["a: fluent(b)", "b: class"]).contains("takes no argument"));
    assert!(err(&["a?: abstract"]).contains("cannot be optional"));
    assert!(err(&["a: abstract", "a: class"]).contains("twice"));
    let p = RolePattern::parse("x.y", &["unless: x.z", "a: abstract", "b?: !is-a(a)"]).unwrap();
    assert_eq!(p.unless, ["x.z"]);
    assert!(p.roles[1].optional && p.roles[1].constraints[0].negated);
}

#[test]
fn unless_gives_precedence_to_another_pattern_and_only_when_it_is_recognised() {
    use codetable::project::roles::RolePattern;
    let mut p = Project::new();
    let java = |s: &str| doc(Language::Java, s);
    p.set_document(
        "c/Command.java",
        &java("package c;\npublic interface Command { void run(); }\n"),
    );
    p.set_document(
        "c/Light.java",
        &java("package c;\npublic class Light { public void on() {} }\n"),
    );
    p.set_document(
        "c/On.java",
        &java("package c;\npublic class On implements Command {\n  private final Light l;\n  public On(Light l) { this.l = l; }\n  public void run() { l.on(); }\n}\n"),
    );
    p.set_document(
        "c/Remote.java",
        &java("package c;\nimport java.util.List;\npublic class Remote {\n  private List<Command> cs;\n  public void press() { for (Command c : cs) c.run(); }\n}\n"),
    );
    let observer = RolePattern::parse(
        "o",
        &[
            "unless: c",
            "observer: abstract",
            "subject: has-collection-of(observer), calls-each(observer)",
        ],
    )
    .unwrap();
    let command = RolePattern::parse(
        "c",
        &[
            "command: abstract",
            "concrete-command: is-a(command), calls-field(receiver)",
            "receiver: concrete, !is(command)",
            "invoker: holds(command), invokes(command), !is(command)",
        ],
    )
    .unwrap();
    let alone = p.recognise(std::slice::from_ref(&observer));
    assert_eq!(
        alone.len(),
        1,
        "without the command pattern the invoker looks like a subject"
    );
    let both = p.recognise(&[observer, command]);
    let patterns: Vec<&str> = both.iter().map(|i| i.pattern.as_str()).collect();
    assert_eq!(patterns, ["c"]);
    let roles: Vec<(&str, &str)> = both[0]
        .participants
        .iter()
        .map(|x| (x.role.as_str(), x.name.as_str()))
        .collect();
    assert_eq!(
        roles,
        [
            ("command", "Command"),
            ("concrete-command", "On"),
            ("receiver", "Light"),
            ("invoker", "Remote")
        ]
    );
}

#[test]
fn nested_in_narrow_and_creates_other_are_checked_against_the_model() {
    use codetable::project::roles::RolePattern;
    let mut p = Project::new();
    let java = |s: &str| doc(Language::Java, s);
    // A collection whose inner iterator holds it: the iterator is part of the collection.
    p.set_document(
        "c/Bag.java",
        &java("package c;\n/** Sac à dos. */\npublic abstract class Bag {\n  abstract int size();\n  class It {\n    private Bag owner;\n    int left() { return owner.size(); }\n  }\n}\n"),
    );
    p.set_document(
        "c/Hash.java",
        &java("package c;\npublic class Hash extends Bag { int size() { return 0; } }\n"),
    );
    let pattern = |context: &str| {
        RolePattern::parse(
            "s",
            &[
                "strategy: abstract",
                context,
                "concrete-strategy: is-a(strategy), concrete",
            ],
        )
        .unwrap()
    };
    let loose = p.recognise(&[pattern(
        "context: has-field-of(strategy), calls-field(strategy)",
    )]);
    assert_eq!(
        loose.len(),
        1,
        "without nested-in the inner class is a context"
    );
    let tight = p.recognise(&[pattern(
        "context: has-field-of(strategy), calls-field(strategy), !nested-in(strategy)",
    )]);
    assert!(tight.is_empty(), "{tight:?}");

    // narrow: at most three methods besides constructors.
    p.set_document(
        "c/Wide.java",
        &java("package c;\npublic interface Wide { void a(); void b(); void c(); void d(); }\n"),
    );
    let narrow = RolePattern::parse("n", &["t: interface, narrow"]).unwrap();
    let found: Vec<String> = p
        .recognise(&[narrow])
        .iter()
        .map(|i| i.participants[0].name.clone())
        .collect();
    assert!(!found.contains(&"Wide".to_string()), "{found:?}");

    // creates-other: a state that makes only itself does not count, one that makes a sibling does.
    p.set_document(
        "s/Light.java",
        &java("package s;\npublic interface Light { Light next(); }\n"),
    );
    p.set_document(
        "s/Red.java",
        &java("package s;\npublic class Red implements Light { public Light next() { return new Green(); } }\n"),
    );
    p.set_document(
        "s/Green.java",
        &java("package s;\npublic class Green implements Light { public Light next() { return new Green(); } }\n"),
    );
    let state = RolePattern::parse(
        "st",
        &[
            "state: interface",
            "concrete: is-a(state), creates-other(state)",
        ],
    )
    .unwrap();
    let found = p.recognise(&[state]);
    let concrete: Vec<&str> = found
        .iter()
        .flat_map(|i| i.participants.iter())
        .filter(|x| x.role == "concrete")
        .map(|x| x.name.as_str())
        .collect();
    assert_eq!(concrete, ["Red"]);
}

#[test]
fn an_instance_is_reported_once_for_the_most_specific_key() {
    use codetable::project::roles::RolePattern;
    let mut p = Project::new();
    let java = |s: &str| doc(Language::Java, s);
    p.set_document(
        "m/Get.java",
        &java("package m;\npublic interface Get { Object get(Object k); }\n"),
    );
    p.set_document(
        "m/Store.java",
        &java("package m;\npublic interface Store extends Get { void put(Object k, Object v); }\n"),
    );
    p.set_document(
        "m/Real.java",
        &java("package m;\npublic class Real implements Store {\n  public Object get(Object k) { return null; }\n  public void put(Object k, Object v) {}\n}\n"),
    );
    p.set_document(
        "m/Lazy.java",
        &java("package m;\n// Paresseux: crée le vrai à la demande.\npublic class Lazy implements Store {\n  private Real real;\n  public Object get(Object k) { return real.get(k); }\n  public void put(Object k, Object v) { real.put(k, v); }\n}\n"),
    );
    let proxy = RolePattern::parse(
        "p",
        &[
            "subject: abstract",
            "real-subject: is-a(subject), concrete, !has-field-of(subject)",
            "proxy: is-a(subject), has-field-of(real-subject), delegates-to-field(real-subject)",
        ],
    )
    .unwrap();
    let found = p.recognise(&[proxy]);
    let keys: Vec<&str> = found
        .iter()
        .map(|i| i.participants[0].name.as_str())
        .collect();
    assert_eq!(
        keys,
        ["Store"],
        "Get is the same instance seen through a supertype"
    );
}

#[test]
fn subclasses_that_only_inherit_a_role_leave_the_instance_to_their_base() {
    use codetable::project::roles::RolePattern;
    let mut p = Project::new();
    let java = |s: &str| doc(Language::Java, s);
    p.set_document(
        "c/Base.java",
        &java("package c;\n// Contexte — « é ».\npublic class Base {\n  private Object[] items;\n  public java.util.Iterator<Object> iterator() { return new Walk(); }\n  class Walk implements java.util.Iterator<Object> {\n    public boolean hasNext() { return false; }\n    public Object next() { return null; }\n  }\n}\n"),
    );
    p.set_document(
        "c/Web.java",
        &java("package c;\npublic class Web extends Base {}\n"),
    );
    p.set_document(
        "c/Cli.java",
        &java("package c;\npublic class Cli extends Base {}\n"),
    );
    let iterator = RolePattern::parse(
        "i",
        &[
            "aggregate: stateful, creates(iterator), !is(iterator)",
            "iterator: iterates",
        ],
    )
    .unwrap();
    let keys: Vec<String> = p
        .recognise(&[iterator])
        .iter()
        .map(|i| i.participants[0].name.clone())
        .collect();
    assert_eq!(keys, ["Base"], "Web and Cli only inherit Base's iterator");
}

#[test]
fn a_design_project_reports_participants_only_when_a_role_pattern_is_selected() {
    use codetable::project::design::DesignProject;
    use codetable::{Engine, PatternDb};
    let engine = Engine::new(PatternDb::default_catalog());
    let files = [
        (
            "weather/observer.py",
            "from abc import ABC, abstractmethod\n\nclass Observer(ABC):\n    @abstractmethod\n    def update(self, t: float) -> None: ...\n",
        ),
        (
            "weather/station.py",
            "from .observer import Observer\n\n# Station météo\nclass Station:\n    def __init__(self):\n        self._observers = []\n\n    def attach(self, o: Observer) -> None:\n        self._observers.append(o)\n\n    def detach(self, o: Observer) -> None:\n        self._observers.remove(o)\n\n    def measure(self, v: float) -> None:\n        for o in self._observers:\n            o.update(v)\n",
        ),
        (
            "weather/display.py",
            "from .observer import Observer\n\nclass Display(Observer):\n    def update(self, t: float) -> None:\n        print(f\"{t:.1f} °C\")\n",
        ),
    ];
    // The default selection has no role pattern: nothing is parsed for the model.
    engine.select(&["default".into()], &[]).unwrap();
    let mut p = DesignProject::new();
    for (path, text) in files {
        p.set_document(&engine, path, Language::Python, text)
            .unwrap();
    }
    assert_eq!(p.project().documents().count(), 0);
    assert!(p.findings(&engine).unwrap().is_empty());

    engine.select(&["design.gof.observer".into()], &[]).unwrap();
    for (path, text) in files {
        p.set_document(&engine, path, Language::Python, text)
            .unwrap();
    }
    let found = p.findings(&engine).unwrap();
    let got: Vec<(&str, &str, &str, u32)> = found
        .iter()
        .map(|r| {
            (
                r.role.as_deref().unwrap(),
                r.path.as_deref().unwrap(),
                r.unit.as_str(),
                r.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("observer", "weather/observer.py", "Observer", 3),
            ("subject", "weather/station.py", "Station", 4),
            ("concrete-observer", "weather/display.py", "Display", 3),
        ]
    );
    let instance = found[0].instance.clone().unwrap();
    assert!(found
        .iter()
        .all(|r| r.instance.as_deref() == Some(&*instance)));
    assert!(found.iter().all(|r| r.pattern == "design.gof.observer"));

    // Removing the subject's file removes the instance.
    assert!(p.remove_document("weather/station.py"));
    assert!(p.findings(&engine).unwrap().is_empty());
}

/// The names of the types playing `role` in the instances found.
fn playing(found: &[codetable::project::roles::Instance], role: &str) -> Vec<String> {
    let mut v: Vec<String> = found
        .iter()
        .flat_map(|i| i.participants.iter())
        .filter(|x| x.role == role)
        .map(|x| x.name.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn behaviour_facts_are_read_in_each_language() {
    // Java: a field reassigned outside the constructor, a registration, a write on a parameter.
    let m = extract(&doc(
        Language::Java,
        "class Ctx {\n  /** État — « courant » */\n  private State state;\n  private java.util.List<L> ls;\n  Ctx(State s) { state = s; }\n  void go(State n) { this.state = n; }\n  void on(L l) { ls.add(l); }\n  void off(L l) { ls.remove(l); }\n  void poke(Ctx other) { other.state = null; }\n}\n",
    ));
    let t = &m.types[0];
    let by = |n: &str| t.methods.iter().find(|x| x.name == n).unwrap();
    assert_eq!(by("Ctx").writes, ["state"]);
    assert_eq!(by("go").writes, ["state"]);
    assert_eq!(by("on").adds, [("ls".to_string(), "l".to_string())]);
    assert!(by("off").adds.is_empty());
    assert_eq!(by("poke").writes_on, ["state"]);
    assert!(by("poke").writes.is_empty());

    // Python: `self.x = …` writes, `order.state = …` writes on a parameter, append adds.
    let m = extract(&doc(
        Language::Python,
        "class Order:\n    \"\"\"Commande — « été ».\"\"\"\n    def __init__(self):\n        self.state = None\n        self._obs = []\n    def attach(self, o: 'Obs'):\n        self._obs.append(o)\n    def switch(self, other):\n        other.state = 1\n        self.state = 2\n",
    ));
    let t = &m.types[0];
    let by = |n: &str| t.methods.iter().find(|x| x.name == n).unwrap();
    assert_eq!(by("__init__").writes, ["state", "_obs"]);
    assert_eq!(by("attach").adds, [("_obs".to_string(), "o".to_string())]);
    assert_eq!(by("switch").writes_on, ["state"]);
    assert_eq!(by("switch").writes, ["state"]);

    // TypeScript: a destructured `this` names the field itself.
    let m = extract(&doc(
        Language::TypeScript,
        "class Hub {\n  // Moyeu — « ça »\n  observers: Obs[] = [];\n  add(s: Obs) { const { observers } = this; observers.push(s); }\n  drop(s: Obs) { this.observers = this.observers.filter((x) => x !== s); }\n}\n",
    ));
    let t = &m.types[0];
    let by = |n: &str| t.methods.iter().find(|x| x.name == n).unwrap();
    assert_eq!(by("add").adds, [("observers".to_string(), "s".to_string())]);
    assert!(by("add")
        .calls
        .iter()
        .any(|c| c.receiver == Receiver::Field("observers".into()) && c.method == "push"));
    assert_eq!(by("drop").writes, ["observers"]);
}

#[test]
fn behaviour_constraints_separate_look_alikes() {
    use codetable::project::roles::RolePattern;
    let java = |s: &str| doc(Language::Java, s);
    let recognise = |docs: &[(&str, &str)], lines: &[&str]| {
        let mut p = Project::new();
        for (k, s) in docs {
            p.set_document(k, &java(s));
        }
        p.recognise(&[RolePattern::parse("t", lines).unwrap()])
    };

    // reassigns-field: a context that switches its state, against one that keeps its strategy.
    let light = [
        ("s/Mode.java", "package s;\npublic interface Mode { void run(); }\n"),
        (
            "s/Lamp.java",
            "package s;\n/** Lampe — « allumée ». */\npublic class Lamp {\n  private Mode mode;\n  Lamp(Mode m) { mode = m; }\n  void press() { mode.run(); }\n  void set(Mode m) { this.mode = m; }\n}\n",
        ),
        (
            "s/Fixed.java",
            "package s;\npublic class Fixed {\n  private final Mode mode;\n  Fixed(Mode m) { mode = m; }\n  void press() { mode.run(); }\n}\n",
        ),
    ];
    let found = recognise(
        &light,
        &[
            "state: interface",
            "context: has-field-of(state), reassigns-field(state)",
        ],
    );
    assert_eq!(playing(&found, "context"), ["Lamp"]);

    // registers / unregisters: a subject adding and removing listeners, not a fixed list.
    let bus = [
        ("b/L.java", "package b;\npublic interface L { void on(); }\n"),
        (
            "b/Bus.java",
            "package b;\nimport java.util.*;\npublic class Bus {\n  private final List<L> ls = new ArrayList<>();\n  public void add(L l) { ls.add(l); }\n  public void remove(L l) { ls.remove(l); }\n}\n",
        ),
        (
            "b/Fixed.java",
            "package b;\nimport java.util.*;\npublic class Fixed {\n  private final List<L> ls;\n  Fixed(List<L> all) { ls = all; }\n}\n",
        ),
    ];
    let found = recognise(
        &bus,
        &[
            "l: interface",
            "s: has-collection-of(l), registers(l), unregisters(l)",
        ],
    );
    assert_eq!(playing(&found, "s"), ["Bus"]);

    // builds + fluent-setters: a builder with build(), not a fluent query API.
    let fluent = [
        ("f/Pizza.java", "package f;\npublic class Pizza { Pizza(int s) {} }\n"),
        (
            "f/PizzaBuilder.java",
            "package f;\npublic class PizzaBuilder {\n  private int size;\n  private boolean cheese;\n  public PizzaBuilder size(int s) { this.size = s; return this; }\n  public PizzaBuilder cheese() { this.cheese = true; return this; }\n  public Pizza build() { return new Pizza(size); }\n}\n",
        ),
        (
            "f/Query.java",
            "package f;\npublic class Query {\n  public Query where(String c) { return this; }\n  public Query limit(int n) { return this; }\n  public Pizza first() { return new Pizza(1); }\n}\n",
        ),
    ];
    let found = recognise(
        &fluent,
        &[
            "builder: fluent-setters, builds(product)",
            "product: !fluent",
        ],
    );
    assert_eq!(playing(&found, "builder"), ["PizzaBuilder"]);
    assert_eq!(playing(&found, "product"), ["Pizza"]);

    // dispatches-to: `accept(v)` calling a method the visitor declares, passing itself.
    let shapes = [
        ("v/V.java", "package v;\npublic interface V { void visitDot(Dot d); }\n"),
        (
            "v/Dot.java",
            "package v;\npublic class Dot { void accept(V v) { v.visitDot(this); } void log(V v) { v.toString(this); } }\n",
        ),
        (
            "v/Pen.java",
            "package v;\npublic class Pen { void log(V v) { v.toString(this); } }\n",
        ),
    ];
    let found = recognise(&shapes, &["v: interface", "e: dispatches-to(v)"]);
    assert_eq!(playing(&found, "e"), ["Dot"]);

    // implements-via / translates-to: an adapter calls another method on its adaptee from an
    // inherited method; a decorator forwards under the same name.
    let adapt = [
        ("a/Target.java", "package a;\npublic interface Target { String request(); }\n"),
        ("a/Legacy.java", "package a;\npublic class Legacy { String specific() { return \"\"; } }\n"),
        (
            "a/Adapter.java",
            "package a;\npublic class Adapter implements Target {\n  private final Legacy l;\n  Adapter(Legacy l) { this.l = l; }\n  public String request() { return l.specific(); }\n}\n",
        ),
        (
            "a/Helper.java",
            "package a;\npublic class Helper {\n  private final Legacy l;\n  Helper(Legacy l) { this.l = l; }\n  public String other() { return l.specific(); }\n}\n",
        ),
    ];
    let found = recognise(
        &adapt,
        &["adaptee: class", "adapter: translates-to(adaptee)"],
    );
    assert_eq!(playing(&found, "adapter"), ["Adapter"]);
    let found = recognise(
        &adapt,
        &["receiver: class", "command: implements-via(receiver)"],
    );
    assert_eq!(playing(&found, "command"), ["Adapter"]);

    // forwards-to: a handler passing the request on to the next handler's abstract method.
    let chain = [
        (
            "c/H.java",
            "package c;\npublic abstract class H {\n  protected H next;\n  abstract void handle(String r);\n  void pass(String r) { if (next != null) next.handle(r); }\n}\n",
        ),
        (
            "c/Box.java",
            "package c;\npublic class Box {\n  private H held;\n  String show() { return held.toString(); }\n}\n",
        ),
    ];
    let found = recognise(&chain, &["h: abstract-class", "link: forwards-to(h)"]);
    assert_eq!(playing(&found, "link"), ["H"]);
}

#[test]
fn kotlin_declarations() {
    let src = "package shop.core\nimport shop.api.Listener\n/** Tableau — « prix » */\nabstract class Base(val name: String) : Listener {\n    abstract fun step(): Int\n}\nclass Board private constructor(private var state: State) : Base(\"b\") {\n    private val listeners = mutableListOf<Listener>()\n    fun subscribe(l: Listener) { listeners.add(l) }\n    fun update(sku: String) { for (l in listeners) l.changed(sku); listeners.forEach { it.changed(sku) } }\n    fun go(s: State): Board { this.state = s; state.handle(this); return this }\n    override fun step(): Int = 1\n    fun make(): Widget = Widget(1)\n    companion object {\n        private var instance: Board? = null\n    }\n}\ninterface State { fun handle(b: Board) }\nobject Registry\n";
    let m = extract(&doc(Language::Kotlin, src));
    assert_eq!(m.package.as_deref(), Some("shop.core"));
    assert_eq!(m.imports[0].module, "shop.api");
    let names: Vec<(&str, TypeKind)> = m.types.iter().map(|t| (t.name.as_str(), t.kind)).collect();
    assert_eq!(
        names,
        [
            ("Base", TypeKind::AbstractClass),
            ("Board", TypeKind::Class),
            ("State", TypeKind::Interface),
            ("Registry", TypeKind::Class),
        ]
    );
    let base = &m.types[0];
    assert_eq!(base.supertypes, ["Listener"]);
    assert!(base
        .methods
        .iter()
        .any(|x| x.name == "step" && x.modifiers.is_abstract));
    let board = &m.types[1];
    assert_eq!(board.supertypes, ["Base"]);
    assert_eq!(
        board.field("state").unwrap().ty,
        Some(TypeRef::plain("State"))
    );
    assert_eq!(
        board.field("listeners").unwrap().ty,
        Some(TypeRef::many("Listener"))
    );
    assert!(board.field("instance").unwrap().is_static);
    let by = |n: &str| board.methods.iter().find(|x| x.name == n).unwrap();
    assert!(by("Board").modifiers.is_constructor && by("Board").modifiers.is_private);
    assert_eq!(
        by("subscribe").adds,
        [("listeners".to_string(), "l".to_string())]
    );
    let each: Vec<_> = by("update")
        .calls
        .iter()
        .filter(|c| c.receiver == Receiver::Element("listeners".into()))
        .collect();
    assert_eq!(each.len(), 2, "for and forEach");
    let go = by("go");
    assert_eq!(go.writes, ["state"]);
    assert_eq!(go.returned, [Returned::This]);
    assert!(go
        .calls
        .iter()
        .any(|c| c.receiver == Receiver::Field("state".into()) && c.passes_self));
    assert!(by("step").modifiers.is_override);
    assert_eq!(by("make").returned, [Returned::New("Widget".into())]);
    assert!(m.types[2].methods[0].modifiers.is_abstract);
}

#[test]
fn go_declarations_and_implicit_interfaces() {
    let src = "package shop\n\nimport api \"shop/api\"\n\n// Tableau — « prix »\ntype Listener interface {\n\tChanged(sku string)\n}\n\ntype Board struct {\n\tBase\n\tlisteners []Listener\n\tstate     *State\n}\n\nfunc NewBoard(s *State) *Board { return &Board{state: s} }\n\nfunc (b *Board) Subscribe(l Listener) { b.listeners = append(b.listeners, l) }\n\nfunc (b *Board) Update(sku string) {\n\tfor _, l := range b.listeners {\n\t\tl.Changed(sku)\n\t}\n\tb.state.Handle(b)\n\tb.state = &State{}\n}\n\nfunc (b *Board) With(n int) *Board { return b }\n";
    let m = extract(&doc(Language::Go, src));
    assert_eq!(m.package.as_deref(), Some("shop"));
    assert_eq!(m.imports[0].local, "api");
    let board = m.types.iter().find(|t| t.name == "Board").unwrap();
    assert_eq!(board.kind, TypeKind::Struct);
    assert_eq!(board.supertypes, ["Base"], "embedding");
    assert_eq!(
        board.field("listeners").unwrap().ty,
        Some(TypeRef::many("Listener"))
    );
    assert_eq!(
        board.field("state").unwrap().ty,
        Some(TypeRef::plain("State"))
    );
    let by = |n: &str| board.methods.iter().find(|x| x.name == n).unwrap();
    assert!(by("NewBoard").modifiers.is_static && by("NewBoard").modifiers.is_constructor);
    assert_eq!(by("NewBoard").returned, [Returned::New("Board".into())]);
    assert_eq!(
        by("Subscribe").adds,
        [("listeners".to_string(), "l".to_string())]
    );
    let update = by("Update");
    assert!(update
        .calls
        .iter()
        .any(|c| c.receiver == Receiver::Element("listeners".into()) && c.method == "Changed"));
    assert!(update
        .calls
        .iter()
        .any(|c| c.receiver == Receiver::Field("state".into()) && c.passes_self));
    assert_eq!(update.writes, ["state"]);
    assert_eq!(by("With").returned, [Returned::This]);

    // A struct with the interface's methods implements it; one without them does not.
    let mut p = Project::new();
    p.set_document("shop/board.go", &doc(Language::Go, src));
    p.set_document(
        "shop/log.go",
        &doc(Language::Go, "package shop\n\ntype Log struct{}\n\nfunc (l *Log) Changed(sku string) {}\n\ntype Mute struct{}\n\nfunc (m *Mute) Other() {}\n"),
    );
    let listener = p.find_type("Listener").unwrap();
    assert!(p.is_subtype(&p.find_type("Log").unwrap(), &listener));
    assert!(!p.is_subtype(&p.find_type("Mute").unwrap(), &listener));
    // Removing the interface's document removes the relation (incremental = rebuild).
    p.remove_document("shop/board.go");
    assert!(p.supertypes(&p.find_type("Log").unwrap()).is_empty());
}

#[test]
fn lazy_creation_and_get_or_create_need_their_guard_and_lookup() {
    use codetable::project::roles::RolePattern;
    // Guards: the fields an `if` tests for absence, in three languages.
    let m = extract(&doc(
        Language::Java,
        "class S {\n  private Index index;\n  private Index last;\n  // Été\n  Index index() { if (index == null) { index = new Index(); } return index; }\n  Index next() { last = new Index(); return last; }\n}\n",
    ));
    let by = |n: &str| {
        m.types[0]
            .methods
            .iter()
            .find(|x| x.name == n)
            .unwrap()
            .guards
            .clone()
    };
    assert_eq!(by("index"), ["index"]);
    assert!(by("next").is_empty());
    let m = extract(&doc(
        Language::Python,
        "class S:\n    def get(self):\n        if self._c is None:\n            self._c = C()\n        return self._c\n",
    ));
    assert_eq!(m.types[0].methods[0].guards, ["_c"]);
    let m = extract(&doc(
        Language::TypeScript,
        "class S {\n  private c?: C;\n  get(): C { if (!this.c) { this.c = new C(); } return this.c; }\n}\n",
    ));
    assert_eq!(m.types[0].methods[0].guards, ["c"]);

    let mut p = Project::new();
    p.set_document(
        "l/C.java",
        &doc(Language::Java, "package l;\npublic class C {}\n"),
    );
    p.set_document(
        "l/Lazy.java",
        &doc(Language::Java, "package l;\n/** Paresseux — « é » */\npublic class Lazy {\n  private C c;\n  C get() { if (c == null) c = new C(); return c; }\n}\n"),
    );
    p.set_document(
        "l/Fresh.java",
        &doc(Language::Java, "package l;\npublic class Fresh {\n  private C c;\n  C get() { c = new C(); return c; }\n}\n"),
    );
    p.set_document(
        "l/Cache.java",
        &doc(Language::Java, "package l;\nimport java.util.*;\npublic class Cache {\n  private final Map<String, C> m = new HashMap<>();\n  C of(String k) { C v = m.get(k); if (v == null) { v = new C(); m.put(k, v); } return v; }\n}\n"),
    );
    p.set_document(
        "l/Maker.java",
        &doc(Language::Java, "package l;\nimport java.util.*;\npublic class Maker {\n  private final List<C> made = new ArrayList<>();\n  C of() { C v = new C(); made.add(v); return v; }\n}\n"),
    );
    let lazy =
        p.recognise(&[RolePattern::parse("z", &["h: lazily-creates(v)", "v: class"]).unwrap()]);
    assert_eq!(playing(&lazy, "h"), ["Lazy"]);
    let cache = p.recognise(&[RolePattern::parse("c", &["f: caches(v)", "v: class"]).unwrap()]);
    assert_eq!(playing(&cache, "f"), ["Cache"]);
}

#[test]
fn iterates_and_stateful_read_the_protocol_and_the_fields() {
    use codetable::project::roles::RolePattern;
    let mut p = Project::new();
    p.set_document(
        "it/Shelf.java",
        &doc(Language::Java, "package it;\n/** Étagère */\npublic class Shelf {\n  private int[] xs;\n  public It iterator() { return new It(); }\n}\n"),
    );
    p.set_document(
        "it/It.java",
        &doc(Language::Java, "package it;\npublic class It {\n  private int at;\n  public boolean hasNext() { return at < 3; }\n  public int next() { return at++; }\n}\n"),
    );
    p.set_document(
        "it/Utils.java",
        &doc(Language::Java, "package it;\npublic final class Utils {\n  public static It of() { return new It(); }\n}\n"),
    );
    p.set_document(
        "it/Seq.java",
        &doc(Language::Java, "package it;\npublic class Seq {\n  private long last;\n  public long next() { return ++last; }\n}\n"),
    );
    p.set_document(
        "it/Ids.java",
        &doc(
            Language::Java,
            "package it;\npublic class Ids {\n  private Seq s = new Seq();\n}\n",
        ),
    );
    let found = p.recognise(&[RolePattern::parse(
        "i",
        &[
            "aggregate: stateful, creates(iterator)",
            "iterator: iterates",
        ],
    )
    .unwrap()]);
    assert_eq!(playing(&found, "aggregate"), ["Shelf"]);
    assert_eq!(playing(&found, "iterator"), ["It"]);
}

#[test]
fn review_causes_are_separated_by_the_model() {
    use codetable::project::roles::RolePattern;
    let set = |docs: &[(&str, Language, &str)]| {
        let mut p = Project::new();
        for (k, l, s) in docs {
            p.set_document(k, &doc(*l, s));
        }
        p
    };
    let play = |p: &Project, lines: &[&str], role: &str| {
        playing(
            &p.recognise(&[RolePattern::parse("t", lines).unwrap()]),
            role,
        )
    };

    // sole-instance: hidden construction and an accessor, no other instances made.
    let p = set(&[
        ("s/One.java", Language::Java, "package s;\n/** Seul — « un » */\npublic class One {\n  private static One it;\n  private One() {}\n  public static One get() { if (it == null) it = new One(); return it; }\n}\n"),
        ("s/Val.java", Language::Java, "package s;\npublic final class Val {\n  private static final Val EMPTY = new Val(0);\n  private final int n;\n  private Val(int n) { this.n = n; }\n  public static Val empty() { return EMPTY; }\n  public static Val of(int n) { return new Val(n); }\n}\n"),
        ("s/Open.java", Language::Java, "package s;\npublic class Open {\n  private static Open it = new Open();\n  public Open() {}\n  public static Open get() { return it; }\n}\n"),
    ]);
    assert_eq!(play(&p, &["s: sole-instance"], "s"), ["One"]);
    let p = set(&[(
        "a/b.py",
        Language::Python,
        "class Cfg:\n    \"\"\"Réglages.\"\"\"\n    _i = None\n    def __new__(cls):\n        if cls._i is None:\n            cls._i = super().__new__(cls)\n        return cls._i\n\nclass Dflt:\n    _d: \"Dflt\" = None\n    @classmethod\n    def get(cls) -> \"Dflt\":\n        return cls._d\n",
    )]);
    assert_eq!(play(&p, &["s: sole-instance"], "s"), ["Cfg"]);

    // predicate and callback: by the results and names of the abstract methods.
    let p = set(&[
        (
            "p/Filter.java",
            Language::Java,
            "package p;\npublic interface Filter { boolean accept(String s); }\n",
        ),
        (
            "p/Order.java",
            Language::Java,
            "package p;\npublic interface Order { int compare(String a, String b); }\n",
        ),
        (
            "p/Step.java",
            Language::Java,
            "package p;\npublic interface Step { String apply(String s); }\n",
        ),
        (
            "p/TailListener.java",
            Language::Java,
            "package p;\npublic interface TailListener { void line(String s); }\n",
        ),
        (
            "p/Events.java",
            Language::Java,
            "package p;\npublic interface Events { void onOpen(); void onClose(); }\n",
        ),
        (
            "p/Sink.java",
            Language::Java,
            "package p;\npublic interface Sink { void write(String s); }\n",
        ),
    ]);
    assert_eq!(play(&p, &["x: predicate"], "x"), ["Filter", "Order"]);
    assert_eq!(play(&p, &["x: callback"], "x"), ["Events", "TailListener"]);
    let p = set(&[(
        "q.ts",
        Language::TypeScript,
        "// é\nexport interface Check { ok(v: string): boolean; }\n",
    )]);
    assert_eq!(play(&p, &["x: predicate"], "x"), ["Check"]);

    // injects: the type's own constructor (Java does not inherit one; Python does).
    let p = set(&[
        ("d/Svc.java", Language::Java, "package d;\npublic interface Svc { void run(); }\n"),
        ("d/Base.java", Language::Java, "package d;\npublic class Base {\n  private final Svc svc;\n  protected Base(Svc s) { this.svc = s; }\n}\n"),
        ("d/Sub.java", Language::Java, "package d;\npublic class Sub extends Base {\n  public Sub() { super(null); }\n}\n"),
    ]);
    assert_eq!(play(&p, &["c: injects(s)", "s: abstract"], "c"), ["Base"]);
    let p = set(&[(
        "d/x.py",
        Language::Python,
        "from abc import ABC, abstractmethod\nclass Svc(ABC):\n    @abstractmethod\n    def run(self): ...\nclass Base:\n    def __init__(self, s: Svc):\n        self.s = s\nclass Sub(Base):\n    pass\n",
    )]);
    // `Sub` inherits `__init__` (its instance subsumes the base's, the more specific key).
    assert_eq!(play(&p, &["c: injects(s)", "s: abstract"], "c"), ["Sub"]);

    // forwards-to skips a structure edit passing itself; dispatches-to needs two hierarchies.
    let p = set(&[(
        "t/Node.java",
        Language::Java,
        "package t;\npublic abstract class Node {\n  Node parent;\n  abstract void removeChild(Node n);\n  abstract void accept(Node n);\n  void remove() { parent.removeChild(this); }\n  void take(Node other) { other.accept(this); }\n}\n",
    )]);
    assert!(play(&p, &["l: forwards-to(h)", "h: abstract"], "l").is_empty());
    assert!(play(&p, &["e: dispatches-to(v)", "v: abstract"], "e").is_empty());

    // caches: a lookup, a creation and a store into the same field (a Python `m[k] = v` too).
    let p = set(&[(
        "c/f.py",
        Language::Python,
        "class Glyph:\n    pass\nclass Cache:\n    def __init__(self):\n        self._m: dict[str, Glyph] = {}\n    def of(self, k: str) -> Glyph:\n        g = self._m.get(k)\n        if g is None:\n            g = Glyph()\n            self._m[k] = g\n        return g\nclass First:\n    def __init__(self):\n        self._l: list[Glyph] = []\n    def top(self) -> Glyph:\n        g = self._l.get(0)\n        return g or Glyph()\n",
    )]);
    assert_eq!(play(&p, &["f: caches(v)", "v: class"], "f"), ["Cache"]);
}

#[test]
fn control_facts_are_read_in_each_language() {
    let method = |l: Language, src: &str, name: &str| {
        let m = extract(&doc(l, src));
        m.types[0]
            .methods
            .iter()
            .find(|x| x.name == name)
            .unwrap()
            .control
    };
    // A retry: a try in a loop, a wait and a growing delay (Java, TypeScript, Python).
    let c = method(
        Language::Java,
        "class R {\n  // Réessai\n  void run() throws Exception {\n    long d = 1;\n    while (true) {\n      try { go(); return; } catch (Exception e) { Thread.sleep(d); d = d * 2; }\n    }\n  }\n}\n",
        "run",
    );
    assert!(c.try_in_loop && c.wait_in_loop && c.grows_in_loop);
    let c = method(
        Language::TypeScript,
        "class R {\n  // é\n  async run() { for (let i = 0; ; i++) { try { return await go(); } catch { await sleep(2 ** i); } } }\n}\n",
        "run",
    );
    assert!(c.try_in_loop && c.wait_in_loop && c.grows_in_loop);
    let c = method(
        Language::Python,
        "class R:\n    def run(self):\n        for i in range(3):\n            try:\n                return go()\n            except OSError:\n                time.sleep(0.1)\n",
        "run",
    );
    assert!(c.try_in_loop && c.wait_in_loop && !c.grows_in_loop);
    // A poller waits in a loop without a try.
    let c = method(
        Language::Java,
        "class P {\n  void poll() throws Exception { while (true) { check(); Thread.sleep(10); } }\n}\n",
        "poll",
    );
    assert!(!c.try_in_loop && c.wait_in_loop);
    // A catch that counts the failure, against one that only logs.
    let c = method(
        Language::Python,
        "class B:\n    def call(self, fn):\n        try:\n            return fn()\n        except Exception:\n            self.failures += 1\n            raise\n",
        "call",
    );
    assert!(c.catch_records && !c.try_in_loop);
    let c = method(
        Language::Java,
        "class L {\n  void call(Runnable r) { try { r.run(); } catch (RuntimeException e) { System.err.println(e); } }\n}\n",
        "call",
    );
    assert!(!c.catch_records);
    let c = method(
        Language::TypeScript,
        "class B {\n  failures = 0;\n  call(f: () => void) { try { f(); } catch (e) { this.failures++; } }\n}\n",
        "call",
    );
    assert!(c.catch_records);
    // A `Promise<T>` result is the T it resolves to.
    let m = extract(&doc(
        Language::TypeScript,
        "class Repo {\n  find(id: string): Promise<Book | undefined> { return go(); }\n  all(): Promise<Book[]> { return go(); }\n}\n",
    ));
    assert_eq!(m.types[0].methods[0].returns, Some(TypeRef::plain("Book")));
    assert_eq!(m.types[0].methods[1].returns, Some(TypeRef::many("Book")));
}

#[test]
fn calls_on_some_paths_only_are_conditional_in_each_language() {
    let calls = |l: Language, src: &str, name: &str| -> Vec<(String, bool)> {
        let m = extract(&doc(l, src));
        m.types[0]
            .methods
            .iter()
            .find(|x| x.name == name)
            .unwrap()
            .calls
            .iter()
            .map(|c| (c.method.clone(), c.conditional))
            .collect()
    };
    // Java: in an `if` branch, behind `||`, and unconditional after it.
    let c = calls(
        Language::Java,
        "class H {\n  // Maillon — « é »\n  H next;\n  boolean handle(String r) {\n    if (next.ready()) { next.handle(r); }\n    boolean b = r.isEmpty() || next.accepts(r);\n    next.log(r);\n    return b;\n  }\n}\n",
        "handle",
    );
    assert!(c.contains(&("ready".into(), false)), "{c:?}");
    assert!(c.contains(&("handle".into(), true)), "{c:?}");
    assert!(c.contains(&("accepts".into(), true)), "{c:?}");
    assert!(c.contains(&("log".into(), false)), "{c:?}");
    // TypeScript: an optional chain and a conditional expression.
    let c = calls(
        Language::TypeScript,
        "class H {\n  // é\n  next?: H;\n  handle(r: string): string | undefined {\n    this.next?.audit(r);\n    return r ? 'x' : this.next!.handle(r);\n  }\n}\n",
        "handle",
    );
    assert!(c.contains(&("audit".into(), true)), "{c:?}");
    assert!(c.contains(&("handle".into(), true)), "{c:?}");
    // Python: `if`/`else` branches and a plain statement.
    let c = calls(
        Language::Python,
        "class H:\n    def handle(self, r):\n        self.log.write(r)\n        if r:\n            return self._next.handle(r)\n        else:\n            self._next.skip(r)\n",
        "handle",
    );
    assert!(c.contains(&("write".into(), false)), "{c:?}");
    assert!(c.contains(&("handle".into(), true)), "{c:?}");
    assert!(c.contains(&("skip".into(), true)), "{c:?}");
}

#[test]
fn jitter_is_no_growth_and_a_membership_test_is_a_lookup() {
    let m = extract(&doc(
        Language::Python,
        "class R:\n    def run(self):\n        delay = 1\n        while True:\n            try:\n                return go()\n            except OSError:\n                time.sleep(delay + random.random() * 0.1)\n\n    def grow(self):\n        delay = 1\n        while True:\n            try:\n                return go()\n            except OSError:\n                time.sleep(delay)\n                delay = delay * 2\n\n    def lookup(self, k):\n        if k not in self._pool:\n            self._pool[k] = 1\n",
    ));
    let by = |n: &str| m.types[0].methods.iter().find(|x| x.name == n).unwrap();
    assert!(by("run").control.wait_in_loop && !by("run").control.grows_in_loop);
    assert!(by("grow").control.grows_in_loop);
    assert!(by("lookup")
        .calls
        .iter()
        .any(|c| c.receiver == Receiver::Field("_pool".into()) && c.method == "__contains__"));
}

#[test]
fn alternatives_take_constraints_without_a_role_only() {
    use codetable::project::roles::RolePattern;
    let p = RolePattern::parse(
        "x.y",
        &["b: fluent-setters | directed, builds(p)", "p: class"],
    )
    .unwrap();
    assert_eq!(p.roles[0].constraints[0].or.len(), 1);
    let err = RolePattern::parse("x.y", &["a: abstract | is-a(b)", "b: class"]).unwrap_err();
    assert!(err.contains("only constraints without a role"), "{err}");
    let err = RolePattern::parse("x.y", &["a: abstract | abstrakt"]).unwrap_err();
    assert!(err.contains("unknown constraint `abstrakt`"), "{err}");
}

#[test]
fn a_director_makes_a_builder_of_steps_that_return_nothing() {
    use codetable::project::roles::RolePattern;
    let builder = RolePattern::parse(
        "x.builder",
        &[
            "builder: fluent-setters | directed, builds(product)",
            "product: !fluent",
        ],
    )
    .unwrap();
    let java = |s: &str| doc(Language::Java, s);
    let mut p = Project::new();
    p.set_document(
        "b/Car.java",
        &java("package b;\npublic class Car { int seats; }\n"),
    );
    p.set_document(
        "b/CarBuilder.java",
        &java("package b;\npublic interface CarBuilder { void setSeats(int n); void setEngine(String e); Car getResult(); }\n"),
    );
    let found = p.recognise(std::slice::from_ref(&builder));
    assert!(found.is_empty(), "no director yet: {found:?}");
    p.set_document(
        "b/Director.java",
        &java("package b;\npublic class Director {\n  void sportsCar(CarBuilder b) { b.setSeats(2); b.setEngine(\"V8\"); }\n}\n"),
    );
    let found = p.recognise(std::slice::from_ref(&builder));
    assert_eq!(playing(&found, "builder"), ["CarBuilder"]);
    // One step called is no direction (a client asking for the result).
    p.set_document(
        "b/Director.java",
        &java("package b;\npublic class Director {\n  void sportsCar(CarBuilder b) { b.setSeats(2); b.getResult(); }\n}\n"),
    );
    assert!(p.recognise(std::slice::from_ref(&builder)).is_empty());
}
