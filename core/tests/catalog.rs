//! The catalog loader: every kind of bad source is rejected with an error naming the file and
//! the field; shapes are matched by weighted containment with a threshold and top-k.

use codetable::catalog::{Catalog, CatalogError};
use codetable::{build_database, Document, Engine, Language, PatternDb};

const GOOD: &str = r#"
id = "test.calls.eval"
symbol = "Ev"
name = "eval call"
group = "security"
severity = "high"
languages = ["python"]
summary = "Evaluates a string as code."
alternatives = []

[[properties]]
kind = "security"
text = "Runs arbitrary code."
evidence = ["https://docs.python.org/3/library/functions.html#eval"]

[[rules]]
language = "python"
pattern = "eval($X)"

[[examples]]
language = "python"
expect = "match"
code = "eval(s)\n"

[[examples]]
language = "python"
expect = "no-match"
code = "ast.literal_eval(s)\n"
"#;

fn errors(files: &[(&str, &str)]) -> Vec<CatalogError> {
    match Catalog::from_sources(files.iter().map(|(f, t)| (f.to_string(), t.to_string()))) {
        Ok(_) => panic!("expected the catalog to be rejected"),
        Err(e) => e.0,
    }
}

fn has(errs: &[CatalogError], file: &str, field: &str, needle: &str) {
    assert!(
        errs.iter()
            .any(|e| e.file == file && e.field.contains(field) && e.message.contains(needle)),
        "no error for {file} / {field} / {needle:?} in {errs:#?}"
    );
}

#[test]
fn a_good_pattern_loads() {
    let c = Catalog::from_sources([("good.toml", GOOD)]).unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c.patterns()[0].symbol, "Ev");
}

#[test]
fn every_relation_kind_loads_and_reaches_the_database() {
    let other = GOOD
        .replace("test.calls.eval", "test.calls.literal-eval")
        .replace("symbol = \"Ev\"", "symbol = \"Le\"");
    let mut src = GOOD.to_string();
    for kind in ["requires", "conflicts", "enhances", "related"] {
        src.push_str(&format!(
            "\n[[relations]]\nkind = \"{kind}\"\ntarget = \"test.calls.literal-eval\"\n"
        ));
    }
    let c = Catalog::from_sources([("a.toml", src.as_str()), ("b.toml", other.as_str())]).unwrap();
    let db = PatternDb::from_bytes(build_database(&c).unwrap()).unwrap();
    let (_, p) = db.by_id("test.calls.eval").unwrap().unwrap();
    let kinds: Vec<_> = p.relations.iter().map(|r| r.kind).collect();
    use codetable::RelationKind as K;
    assert_eq!(kinds, [K::Requires, K::Conflicts, K::Enhances, K::Related]);
    assert!(p
        .relations
        .iter()
        .all(|r| r.target == "test.calls.literal-eval"));
}

#[test]
fn unknown_keys_name_the_key() {
    let src = GOOD.replace(
        "severity = \"high\"",
        "severity = \"high\"\nsevertiy = \"x\"",
    );
    let errs = errors(&[("bad.toml", &src)]);
    has(&errs, "bad.toml", "severtiy", "unknown field");
    let src = GOOD.replace(
        "kind = \"security\"\ntext",
        "kind = \"security\"\ntxet = \"x\"\ntext",
    );
    has(
        &errors(&[("bad.toml", &src)]),
        "bad.toml",
        "txet",
        "unknown field",
    );
}

#[test]
fn duplicate_ids_and_symbols() {
    let other = GOOD.replace("test.calls.eval", "test.calls.eval2");
    has(
        &errors(&[("a.toml", GOOD), ("b.toml", &other)]),
        "b.toml",
        "symbol",
        "also the symbol of a.toml",
    );
    let other = GOOD.replace("\"Ev\"", "\"Ew\"");
    has(
        &errors(&[("a.toml", GOOD), ("b.toml", &other)]),
        "b.toml",
        "id",
        "also the id of a.toml",
    );
}

#[test]
fn dangling_references() {
    let src = GOOD.replace("alternatives = []", "alternatives = [\"test.missing\"]");
    has(
        &errors(&[("a.toml", &src)]),
        "a.toml",
        "alternatives[0]",
        "test.missing",
    );
    let src = format!("{GOOD}\n[[relations]]\nkind = \"enhances\"\ntarget = \"nope.nope\"\n");
    has(
        &errors(&[("a.toml", &src)]),
        "a.toml",
        "relations[0].target",
        "nope.nope",
    );
    let src = format!("{GOOD}\n[[relations]]\nkind = \"likes\"\ntarget = \"test.calls.eval\"\n");
    has(
        &errors(&[("a.toml", &src)]),
        "a.toml",
        "relations[0].kind",
        "likes",
    );
    has(
        &errors(&[("a.toml", &src)]),
        "a.toml",
        "relations[0].kind",
        "related",
    );
}

#[test]
fn templates_and_examples_that_do_not_parse() {
    let src = GOOD.replace("pattern = \"eval($X)\"", "pattern = \"eval(($X\"");
    has(
        &errors(&[("a.toml", &src)]),
        "a.toml",
        "rules[0].pattern",
        "python",
    );
    let src = GOOD.replace("code = \"eval(s)\\n\"", "code = \"def (:\\n\"");
    has(
        &errors(&[("a.toml", &src)]),
        "a.toml",
        "examples[0].code",
        "does not parse",
    );
    let src = GOOD.replace(
        "language = \"python\"\npattern",
        "language = \"cobol\"\npattern",
    );
    has(
        &errors(&[("a.toml", &src)]),
        "a.toml",
        "rules[0].language",
        "cobol",
    );
}

#[test]
fn field_values_are_checked() {
    for (from, to, field) in [
        ("symbol = \"Ev\"", "symbol = \"EVAL\"", "symbol"),
        ("id = \"test.calls.eval\"", "id = \"Test Eval\"", "id"),
        ("group = \"security\"", "group = \"misc\"", "group"),
        ("severity = \"high\"", "severity = \"urgent\"", "severity"),
        (
            "\"https://docs.python.org",
            "\"http://docs.python.org",
            "properties[0].evidence[0]",
        ),
        ("languages = [\"python\"]", "languages = []", "languages"),
    ] {
        let src = GOOD.replace(from, to);
        let errs = errors(&[("a.toml", &src)]);
        assert!(
            errs.iter().any(|e| e.field.starts_with(field)),
            "{field}: {errs:#?}"
        );
    }
    let both = format!("{GOOD}\n[shape]\nthreshold = 0.5\n[[shape.reference]]\nlanguage = \"python\"\ncode = \"x = 1\\n\"\n");
    has(&errors(&[("a.toml", &both)]), "a.toml", "shape", "not both");
    let msg = Catalog::from_sources([(
        "a.toml",
        GOOD.replace("group = \"security\"", "group = \"misc\""),
    )])
    .unwrap_err()
    .to_string();
    assert!(msg.contains("a.toml: group:"), "{msg}");
}

const SINGLETON: &str = r#"
id = "design.singleton"
symbol = "Sg"
name = "Singleton"
group = "design"
severity = "info"
languages = ["python"]
summary = "One shared instance created on first use."

[[properties]]
kind = "maintainability"
text = "Global state in disguise."

[shape]
threshold = 0.7
[[shape.reference]]
language = "python"
code = """
class Config:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance
"""

[[examples]]
language = "python"
expect = "match"
code = """
class Registry:
    _shared = None

    def __new__(klass):
        if klass._shared is None:
            klass._shared = super().__new__(klass)
        return klass._shared
"""

[[examples]]
language = "python"
expect = "no-match"
code = """
class Point:
    origin = None

    def __init__(self, x):
        self.x = x
"""
"#;

#[test]
fn shapes_match_by_weighted_containment() {
    let catalog = Catalog::from_sources([("a.toml", GOOD), ("s.toml", SINGLETON)]).unwrap();
    let engine = Engine::new(PatternDb::from_bytes(build_database(&catalog).unwrap()).unwrap());
    let singleton = engine.db().by_id("design.singleton").unwrap().unwrap().0;
    let renamed = "class Registry:\n    _shared = None\n\n    def __new__(klass):\n        if klass._shared is None:\n            klass._shared = super().__new__(klass)\n        return klass._shared\n";
    let doc = Document::new(Language::Python, renamed).unwrap();
    let found: Vec<_> = engine
        .analyze(&doc)
        .unwrap()
        .into_iter()
        .filter(|m| m.pattern == singleton)
        .collect();
    assert_eq!(found.len(), 1);
    assert!(
        found[0].score >= 0.7 && found[0].score <= 1.0,
        "{}",
        found[0].score
    );
    assert_eq!(
        doc.unit(found[0].unit).unwrap().qualified_name.as_ref(),
        "Registry"
    );
    assert_eq!(found[0].byte_range, 0..renamed.len() - 1);

    let near =
        "class Point:\n    origin = None\n\n    def __init__(self, x):\n        self.x = x\n";
    let doc = Document::new(Language::Python, near).unwrap();
    assert!(engine
        .analyze(&doc)
        .unwrap()
        .iter()
        .all(|m| m.pattern != singleton));
    // `similar` reports the score even below the threshold, best first.
    let unit = &doc.units()[1];
    let sim = engine.similar(&doc, unit).unwrap();
    assert_eq!(sim.len(), 1);
    assert!(sim[0].score < 0.7 && sim[0].score > 0.0, "{}", sim[0].score);
}

#[test]
fn a_large_unit_that_contains_a_shape_by_chance_scores_below_one_of_its_size() {
    let catalog = Catalog::from_sources([("a.toml", GOOD), ("s.toml", SINGLETON)]).unwrap();
    let engine = Engine::new(PatternDb::from_bytes(build_database(&catalog).unwrap()).unwrap());
    let singleton = engine.db().by_id("design.singleton").unwrap().unwrap().0;
    let small = "class Registry:\n    _shared = None\n\n    def __new__(klass):\n        if klass._shared is None:\n            klass._shared = super().__new__(klass)\n        return klass._shared\n";
    // The same class with ten unrelated methods: it still contains every feature of the
    // reference, but it is not what the shape describes.
    let mut big = small.to_string();
    let bodies = [
        "for k, v in items.items():\n            if v > 1 and k not in out:\n                out[k] = [v, str(k).upper()]",
        "try:\n            return json.loads(items)\n        except ValueError as e:\n            raise RuntimeError(str(e)) from e",
        "with open(items, encoding='utf-8') as fh:\n            return [line.split(',') for line in fh if line.strip()]",
        "while out:\n            k = out.pop()\n            yield k ** 2 % 7",
        "return {k: sorted(v, key=len, reverse=True) for k, v in items}",
        "total = sum(x * y for x, y in zip(items, out))\n        assert total >= 0, total\n        return total / max(len(items), 1)",
        "self.log.warning('%s: %d', items, len(out))\n        del out[:]\n        return None",
        "async_result = await self.client.fetch(items, timeout=out)\n        return async_result.status == 200",
        "return lambda a, *rest, **kw: (a, rest, kw.get('x', items))",
        "if isinstance(items, (list, tuple)):\n            return type(items)(reversed(items))\n        elif items is None:\n            return out\n        else:\n            raise TypeError(items)",
    ];
    for (i, body) in bodies.iter().enumerate() {
        big.push_str(&format!(
            "\n    def step{i}(self, items, out):\n        {body}\n"
        ));
    }
    let score = |src: &str| {
        let doc = Document::new(Language::Python, src).unwrap();
        let unit = doc
            .units()
            .iter()
            .find(|u| &*u.qualified_name == "Registry")
            .unwrap();
        engine
            .similar(&doc, unit)
            .unwrap()
            .into_iter()
            .find(|m| m.pattern == singleton)
            .map_or(0.0, |m| m.score)
    };
    let (s, b) = (score(small), score(&big));
    assert!(s >= 0.7, "{s}");
    assert!(b < 0.7 && b < s * 0.75, "small {s}, big {b}");
    let doc = Document::new(Language::Python, big.as_str()).unwrap();
    assert!(engine
        .analyze(&doc)
        .unwrap()
        .iter()
        .all(|m| m.pattern != singleton));
}

/// The singleton shape with guards: `super().__new__(cls)` must be called in `__new__` (a
/// local name, which similarity ignores), and a class that builds a lock is left out.
fn guarded_singleton() -> String {
    format!(
        "{SINGLETON}\n[[shape.require]]\nlanguage = \"python\"\npattern = \"super().__new__(cls)\"\ninside = [\"\"\"\ndef __new__($$$P):\n    $$$B\n\"\"\"]\n\n[[shape.exclude]]\nlanguage = \"python\"\npattern = \"threading.Lock()\"\n"
    )
}

/// An engine over a catalog of the given `(file, TOML)` sources.
fn engine_of(files: &[(&str, &str)]) -> Engine {
    let catalog =
        Catalog::from_sources(files.iter().map(|(f, t)| (f.to_string(), t.to_string()))).unwrap();
    Engine::new(PatternDb::from_bytes(build_database(&catalog).unwrap()).unwrap())
}

fn singleton_findings(engine: &Engine, src: &str) -> Vec<String> {
    let id = engine.db().by_id("design.singleton").unwrap().unwrap().0;
    let doc = Document::new(Language::Python, src).unwrap();
    engine
        .analyze(&doc)
        .unwrap()
        .into_iter()
        .filter(|m| m.pattern == id)
        .map(|m| doc.unit(m.unit).unwrap().qualified_name.to_string())
        .collect()
}

#[test]
fn shape_guards_require_and_exclude_templates_inside_the_unit() {
    let guarded_src = guarded_singleton();
    let plain = engine_of(&[("a.toml", GOOD), ("s.toml", SINGLETON)]);
    let guarded = engine_of(&[("a.toml", GOOD), ("s.toml", &guarded_src)]);

    let real = "class Registry:\n    _shared = None\n\n    def __new__(cls):\n        if cls._shared is None:\n            cls._shared = super().__new__(cls)\n        return cls._shared\n";
    assert_eq!(singleton_findings(&plain, real), ["Registry"]);
    assert_eq!(singleton_findings(&guarded, real), ["Registry"]);

    // The same features (local names do not count), but the required code is not there: only
    // the guard tells them apart.
    let renamed = real.replace("cls", "klass");
    assert_eq!(singleton_findings(&plain, &renamed), ["Registry"]);
    assert!(singleton_findings(&guarded, &renamed).is_empty());

    // The required call outside `__new__` does not count: the guard's `inside` holds.
    let elsewhere =
        format!("{renamed}\n    def clone(cls):\n        return super().__new__(cls)\n");
    assert!(singleton_findings(&guarded, &elsewhere).is_empty());

    // An excluded template anywhere in the class (a nested method included) drops the match.
    let locked = real.replace(
        "        return cls._shared\n",
        "        return cls._shared\n\n    def lock(self):\n        return threading.Lock()\n",
    );
    assert_eq!(singleton_findings(&plain, &locked), ["Registry"]);
    assert!(singleton_findings(&guarded, &locked).is_empty());

    // Guards see the unit only: context around the class does not satisfy them.
    let outside = format!("def __new__(cls):\n    return super().__new__(cls)\n\n{renamed}");
    assert!(singleton_findings(&guarded, &outside).is_empty());
}

#[test]
fn an_edit_inside_a_method_that_flips_a_guard_updates_the_class_match() {
    let src = guarded_singleton();
    let catalog = Catalog::from_sources([("a.toml", GOOD), ("s.toml", src.as_str())]).unwrap();
    let engine = Engine::new(PatternDb::from_bytes(build_database(&catalog).unwrap()).unwrap());
    let id = engine.db().by_id("design.singleton").unwrap().unwrap().0;
    let text = "class Registry:\n    _shared = None\n\n    def __new__(cls):\n        if cls._shared is None:\n            cls._shared = super().__new__(klass)\n        return cls._shared\n";
    let mut doc = Document::new(Language::Python, text).unwrap();
    let mut set = codetable::MatchSet::new(engine.analyze(&doc).unwrap());
    assert!(set.matches().iter().all(|m| m.pattern != id));
    // `klass` -> `cls`: no fingerprint changes, but the guard's verdict does.
    let at = text.find("klass").unwrap();
    let delta = doc.edit(at, at + "klass".len(), "cls").unwrap();
    assert!(
        delta.changed.is_empty(),
        "a local name change keeps fingerprints"
    );
    set.apply(&engine.analyze_delta(&doc, &delta).unwrap());
    assert_eq!(set.matches(), engine.analyze(&doc).unwrap().as_slice());
    assert!(set.matches().iter().any(|m| m.pattern == id));
}

#[test]
fn shape_guards_are_checked_like_rules() {
    let bad =
        format!("{SINGLETON}\n[[shape.require]]\nlanguage = \"python\"\npattern = \"def (\"\n");
    has(
        &errors(&[("s.toml", &bad)]),
        "s.toml",
        "shape.require[0].pattern",
        "",
    );
    let other = SINGLETON.replace(
        "languages = [\"python\"]",
        "languages = [\"python\", \"java\"]",
    );
    let java_guard =
        format!("{other}\n[[shape.exclude]]\nlanguage = \"java\"\npattern = \"new Object()\"\n");
    has(
        &errors(&[("s.toml", &java_guard)]),
        "s.toml",
        "shape.exclude",
        "no `java` reference",
    );
}

/// A one-rule pattern for `language`.
fn one_rule(language: &str, pattern: &str, hit: &str, miss: &str) -> String {
    format!(
        r#"
id = "test.code.in-strings"
symbol = "Cs"
name = "call"
group = "security"
severity = "high"
languages = ["{language}"]
summary = "A call."
alternatives = []

[[properties]]
kind = "security"
text = "Runs code."

[[rules]]
language = "{language}"
pattern = '''{pattern}'''

[[examples]]
language = "{language}"
expect = "match"
code = '''{hit}'''

[[examples]]
language = "{language}"
expect = "no-match"
code = '''{miss}'''
"#
    )
}

#[test]
fn calls_inside_string_substitutions_are_found() {
    for (language, pattern, code, clean) in [
        (
            Language::Python,
            "eval($X)",
            "def f(x):\n    return f\"value: {eval(x)}\"\n",
            "def f(x):\n    return f\"value: {x}\"\n",
        ),
        (
            Language::Python,
            "eval($X)",
            "def f(x):\n    return (f\"value: {eval(x)}\"\n            \" more\")\n",
            "def f(x):\n    return (f\"value: {x}\"\n            \" more\")\n",
        ),
        (
            Language::JavaScript,
            "Date.now() - $S",
            "function f(start) {\n  log(`took ${Date.now() - start} ms`);\n}\n",
            "function f(start) {\n  log(`took ${start} ms`);\n}\n",
        ),
        (
            Language::TypeScript,
            "eval($X)",
            "function f(x: string) {\n  return `v=${eval(x)}`;\n}\n",
            "function f(x: string) {\n  return `v=${x}`;\n}\n",
        ),
        (
            Language::Kotlin,
            "Runtime.getRuntime().exec($X)",
            "fun f(cmd: String) {\n    println(\"pid ${Runtime.getRuntime().exec(cmd)}\")\n}\n",
            "fun f(cmd: String) {\n    println(\"pid ${cmd}\")\n}\n",
        ),
    ] {
        let src = one_rule(language.name(), pattern, code, clean);
        let catalog = Catalog::from_sources([("c.toml", src.as_str())]).unwrap();
        let engine = Engine::new(PatternDb::from_bytes(build_database(&catalog).unwrap()).unwrap());
        let doc = Document::new(language, code).unwrap();
        let found = engine.analyze(&doc).unwrap();
        assert_eq!(found.len(), 1, "{language}: {found:?}");
        let hit = &code[found[0].byte_range.clone()];
        assert!(pattern.starts_with(&hit[..4]), "{language}: {hit}");
        let doc = Document::new(language, clean).unwrap();
        assert!(engine.analyze(&doc).unwrap().is_empty(), "{language}");
        // The literal's text and the code in it do not change the structural hash.
        let a = Document::new(language, code).unwrap();
        let b = Document::new(language, clean).unwrap();
        let unit = |d: &Document| d.units().last().unwrap().fingerprint.hash;
        assert_eq!(unit(&a), unit(&b), "{language}");
    }
}

#[test]
fn a_guard_does_not_read_past_its_unit_and_a_sequence_starting_at_a_unit_belongs_to_its_parent() {
    let class = "class Registry:\n    _shared = None\n\n    def __new__(cls):\n        if cls._shared is None:\n            cls._shared = super().__new__(cls)\n        return cls._shared\n";
    // A guard written as a sequence that starts at the class and runs past it: guards see the
    // unit only, so the statement after the class cannot satisfy it, before or after an edit.
    let guard = format!(
        "{SINGLETON}\n[[shape.require]]\nlanguage = \"python\"\npattern = \"\"\"\nclass $C:\n    $$$B\n$V = $C()\n\"\"\"\n"
    );
    let guarded = engine_of(&[("s.toml", &guard)]);
    let with = format!("{class}\nregistry = Registry()\n");
    assert!(singleton_findings(&guarded, &with).is_empty());
    let before = format!("{class}\nregistry = 1\n");
    let mut doc = Document::new(Language::Python, &before).unwrap();
    let mut set = codetable::MatchSet::new(guarded.analyze(&doc).unwrap());
    let at = before.rfind('1').unwrap();
    let delta = doc.edit(at, at + 1, "Registry()").unwrap();
    set.apply(&guarded.analyze_delta(&doc, &delta).unwrap());
    assert_eq!(set.matches(), guarded.analyze(&doc).unwrap().as_slice());

    // The same sequence as a rule is found, by the module (which holds both statements), and an
    // edit of the statement after the class updates it.
    let src = one_rule(
        "python",
        "class $C:\n    $$$B\n$V = $C()",
        "class A:\n    pass\na = A()\n",
        "class A:\n    pass\n",
    );
    let engine = engine_of(&[("c.toml", src.as_str())]);
    let before = "class A:\n    x = 1\n\na = 1\n";
    let mut doc = Document::new(Language::Python, before).unwrap();
    let mut set = codetable::MatchSet::new(engine.analyze(&doc).unwrap());
    assert!(set.matches().is_empty());
    let at = before.rfind('1').unwrap();
    let delta = doc.edit(at, at + 1, "A()").unwrap();
    set.apply(&engine.analyze_delta(&doc, &delta).unwrap());
    let fresh = engine.analyze(&doc).unwrap();
    assert_eq!(fresh.len(), 1);
    assert_eq!(
        doc.unit(fresh[0].unit).unwrap().kind,
        codetable::UnitKind::Module
    );
    assert_eq!(
        &doc.text()[fresh[0].byte_range.clone()],
        "class A:\n    x = 1\n\na = A()"
    );
    assert_eq!(set.matches(), fresh.as_slice());
}

/// A non-ASCII character where an OWASP category's digits go is an error, not a panic (the
/// catalog fuzz target found `A\u{e9}2:2021` slicing inside the character).
#[test]
fn a_non_ascii_owasp_category_is_an_error() {
    let src = GOOD.replacen(
        "alternatives = []",
        "alternatives = []\nowasp = [\"A\u{e9}2:2021\", \"Aé\"]",
        1,
    );
    assert_ne!(
        src, GOOD,
        "the fixture has an alternatives line to put owasp after"
    );
    let errs = errors(&[("o.toml", &src)]);
    has(
        &errs,
        "o.toml",
        "owasp[0]",
        "is not an OWASP Top 10 category",
    );
    has(
        &errs,
        "o.toml",
        "owasp[1]",
        "is not an OWASP Top 10 category",
    );
}

/// `tags` take `deprecated` and `unnecessary`, once each; they reach the database's sheets.
#[test]
fn tags_are_checked_and_reach_the_sheet() {
    let tagged = GOOD.replace(
        "alternatives = []",
        "alternatives = []\ntags = [\"deprecated\", \"unnecessary\"]",
    );
    let catalog = Catalog::from_sources([("t.toml", tagged.as_str())]).unwrap();
    let db = PatternDb::from_bytes(build_database(&catalog).unwrap()).unwrap();
    let engine = Engine::new(db);
    assert_eq!(engine.sheet(0).unwrap().tags, ["deprecated", "unnecessary"]);
    let plain = Catalog::from_sources([("g.toml", GOOD)]).unwrap();
    let engine = Engine::new(PatternDb::from_bytes(build_database(&plain).unwrap()).unwrap());
    assert!(engine.sheet(0).unwrap().tags.is_empty());
    for (tags, needle) in [
        ("[\"obsolete\"]", "not one of deprecated, unnecessary"),
        ("[\"deprecated\", \"deprecated\"]", "given twice"),
    ] {
        let src = GOOD.replace(
            "alternatives = []",
            &format!("alternatives = []\ntags = {tags}"),
        );
        has(&errors(&[("a.toml", &src)]), "a.toml", "tags", needle);
    }
}
