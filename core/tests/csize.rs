//! C/C++ size and input reasoning through the public API (`RuleSpec::fits`, `unbounded`,
//! `severity_without_input`, and the default catalog's copy and allocation patterns): copies
//! known to fit are dropped, unknown sizes stay findings, bounded factors are not unchecked
//! multiplications, severity follows input evidence, and incremental analysis equals a full one
//! when a struct field's size or a `#define` changes.

mod common;

use codetable::rule::{Rule, RuleSpec};
use codetable::{Document, Engine, Language, MatchSet, PatternDb, Severity};
use proptest::prelude::*;

fn copy_rule(pattern: &str, fits: [&str; 2]) -> Rule {
    let spec = RuleSpec {
        pattern: pattern.into(),
        fits: fits.iter().map(|s| s.to_string()).collect(),
        severity_without_input: Some(Severity::Medium),
        ..RuleSpec::default()
    };
    Rule::compile(Language::C, &spec).unwrap()
}

/// (matched text, severity chosen from evidence) of every match of `rule` in `text`.
fn found(rule: &Rule, text: &str) -> Vec<(String, Option<Severity>)> {
    let doc = Document::new(Language::C, text).unwrap();
    let mut out = Vec::new();
    for u in doc.units() {
        for m in rule.find(&doc, u) {
            out.push((text[m.byte_range.clone()].to_string(), m.severity));
        }
    }
    out
}

const COPIES: &str = "/* größe: ünïcödé */\n\
#define NAME_LEN 32\n\
struct conn { char err[128]; char name[NAME_LEN]; };\n\
struct test { char errstr[256]; char tag[8]; };\n\
int copies(struct test *t, struct conn *c, const char *given, char *out, size_t size) {\n\
    char small[16];\n\
    char big[64];\n\
    strcpy(t->errstr, c->err);\n\
    strcpy(big, c->name);\n\
    strcpy(t->tag, c->name);\n\
    strcpy(big, small);\n\
    strcpy(small, big);\n\
    strcpy(small, given ? \"yes\" : \"no\");\n\
    if (size <= strlen(given)) return -1;\n\
    strcpy(out, given);\n\
    strcpy(big, given);\n\
    return 0;\n\
}\n";

#[test]
fn copies_known_to_fit_are_dropped() {
    let rule = copy_rule("strcpy($DST, $SRC)", ["$SRC", "$DST"]);
    let got: Vec<String> = found(&rule, COPIES).into_iter().map(|(t, _)| t).collect();
    // 128 into 256, 32 into 64, 16 into 64, literals into 16 and a checked `given` fit;
    // 32 into 8 and 64 into 16 do not; `given` into `big` is checked against another size
    // (`size`), which is still a check of its length: dropped.
    assert_eq!(got, ["strcpy(t->tag, c->name)", "strcpy(small, big)"]);
}

#[test]
fn allocation_sized_for_the_source_and_unknown_sizes() {
    let rule = copy_rule("strcpy($DST, $SRC)", ["$SRC", "$DST"]);
    let text = "char *dup(const char *s, const char *other) {\n\
        size_t n = strlen(s) + 1; /* é */\n\
        char *a = malloc(n);\n\
        strcpy(a, s);\n\
        char *b = malloc(strlen(other) + 1);\n\
        strcpy(b, s);\n\
        char *c = malloc(300);\n\
        strcpy(c, \"short\");\n\
        strcpy(c, s);\n\
        return a;\n\
    }\n";
    let got: Vec<String> = found(&rule, text).into_iter().map(|(t, _)| t).collect();
    assert_eq!(got, ["strcpy(b, s)", "strcpy(c, s)"]);
}

const SAME_STRING: &str = "struct hdr { char kind; };\n\
char *same(const char *s, const char *other, time_t t) {\n\
    struct hdr *h = calloc(1, sizeof(struct hdr) + strlen(s) + 1); /* é */\n\
    if (!h) return 0;\n\
    char *body = (char *) h;\n\
    strcpy(body + sizeof(struct hdr), s);\n\
    strcpy(body + sizeof(struct hdr), other);\n\
    struct hdr *g = calloc(1, strlen(s) + 1);\n\
    if (!g) return 0;\n\
    strcpy((char *) g + sizeof(struct hdr), s);\n\
    char *d = strdup(s);\n\
    strcpy(d, s);\n\
    strcpy(d, other);\n\
    char line[40];\n\
    char tiny[8];\n\
    char *when = asctime(localtime(&t));\n\
    strcpy(line, when);\n\
    strcpy(tiny, ctime(&t));\n\
    const char *label = \"read\";\n\
    if (t) label = \"rw\";\n\
    strcpy(tiny, label);\n\
    struct flex { unsigned n; char text[1]; } *f = malloc(sizeof(struct flex) + strlen(s));\n\
    strcpy(f->text, s);\n\
    strcpy(f->text, other);\n\
    return d;\n\
}\n";

#[test]
fn same_string_and_fixed_length_sources_fit() {
    let rule = copy_rule("strcpy($DST, $SRC)", ["$SRC", "$DST"]);
    let got: Vec<String> = found(&rule, SAME_STRING)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    // The block holds the header and `s` (through the alias `body`), not `other`; `g` has no
    // room for the header; `d` is `s` again; asctime's 33 bytes at most fit 40, ctime's not 8; the labels fit 8.
    // A NULL check of an allocation is no check of the copy's length. `f` is allocated for its
    // struct and `s`: its trailing array holds `s`, not `other`.
    assert_eq!(
        got,
        [
            "strcpy(body + sizeof(struct hdr), other)",
            "strcpy((char *) g + sizeof(struct hdr), s)",
            "strcpy(d, other)",
            "strcpy(tiny, ctime(&t))",
            "strcpy(f->text, other)",
        ]
    );
}

#[test]
fn sprintf_with_bounded_conversions_fits() {
    let rule = copy_rule("sprintf($BUF, $FMT, $$$ARGS)", ["$FMT", "$BUF"]);
    let text = "void f(const char *name, int n) {\n\
        char small[8];\n\
        char line[64];\n\
        sprintf(line, \"%s:%d\", small, n);\n\
        sprintf(line, \"%.20s\", name);\n\
        sprintf(line, n ? \"%s\" : \"%s-%d\", small, n);\n\
        sprintf(line, \"%\"FMT_S, name);\n\
        sprintf(line, \"%s\", name);\n\
        sprintf(small, \"%d-%d\", n, n);\n\
    }\n";
    let got: Vec<String> = found(&rule, text).into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        got,
        [
            "sprintf(line, \"%\"FMT_S, name)",
            "sprintf(line, \"%s\", name)",
            "sprintf(small, \"%d-%d\", n, n)"
        ]
    );
}

#[test]
fn severity_follows_input_evidence() {
    let rule = copy_rule("strcpy($DST, $SRC)", ["$SRC", "$DST"]);
    let text = "int main(int argc, char **argv) {\n\
        char a[16], b[16], c[16], line[256];\n\
        const char *home = getenv(\"HOME\");\n\
        strcpy(a, argv[1]);\n\
        strcpy(b, home);\n\
        fgets(line, sizeof line, stdin);\n\
        char *p = line;\n\
        strcpy(c, p);\n\
        return 0;\n\
    }\n\
    void g(char *d, const char *s) { strcpy(d, s); }\n";
    let got = found(&rule, text);
    assert_eq!(
        got,
        [
            ("strcpy(a, argv[1])".to_string(), None),
            ("strcpy(b, home)".to_string(), None),
            ("strcpy(c, p)".to_string(), None),
            ("strcpy(d, s)".to_string(), Some(Severity::Medium)),
        ]
    );
}

#[test]
fn bounded_factors_are_not_unchecked() {
    let spec = RuleSpec {
        pattern: "malloc($A * $B)".into(),
        unbounded: vec!["$A".into()],
        ..RuleSpec::default()
    };
    let rule = Rule::compile(Language::C, &spec).unwrap();
    let text = "#define MAX 4096\n\
    void f(size_t count, size_t rows, size_t other, int k) {\n\
        int nb = 20;\n\
        p = malloc(nb * sizeof(int));\n\
        int r = (rand() % 384) + 64;\n\
        p = malloc(r * sizeof(int));\n\
        if (count > MAX) return;\n\
        p = malloc(count * sizeof(int));\n\
        if (rows <= MAX) { p = malloc(rows * sizeof(int)); }\n\
        if (other > MAX) { log(); }\n\
        p = malloc(other * sizeof(int));\n\
        int m = (k + 1) & -256;\n\
        p = malloc(m * sizeof(int));\n\
    }\n";
    let got: Vec<String> = found(&rule, text).into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        got,
        ["malloc(other * sizeof(int))", "malloc(m * sizeof(int))"]
    );
}

const SMALL: &str = "/* é */\n\
typedef unsigned char Tc;\n\
typedef unsigned int Wide;\n\
void *f(unsigned short nodes, Tc last, Wide n, const char *s, size_t k, unsigned *lens) {\n\
    p = malloc(nodes * sizeof(void *));\n\
    p = malloc(last * sizeof(int));\n\
    p = malloc(n * sizeof(int));\n\
    p = malloc(strlen(s) * sizeof(int));\n\
    p = malloc(*lens * sizeof(int));\n\
    assert(k <= 256);\n\
    p = malloc(k * sizeof(int));\n\
    return alloca(strlen(s) * 2);\n\
}\n\
static int *table(const char *s, size_t n) {\n\
    return malloc(n * sizeof(int));\n\
}\n\
static int *other(size_t n) {\n\
    return malloc(n * sizeof(int));\n\
}\n\
void use(const char *s, size_t k) {\n\
    table(s, 4);\n\
    table(s, MAX_ROWS);\n\
    other(k);\n\
}\n";

#[test]
fn type_bounds_lengths_and_assertions() {
    let rule = |pattern: &str| {
        let spec = RuleSpec {
            pattern: pattern.into(),
            unbounded: vec!["$A".into()],
            ..RuleSpec::default()
        };
        Rule::compile(Language::C, &spec).unwrap()
    };
    // A 16-bit parameter, a file typedef of `unsigned char`, a string's length and an asserted
    // factor are bounded; a typedef of `unsigned int` and a pointee are not. A static
    // function's parameter that every call in the file gives a constant is bounded (`table`);
    // one a call gives a run-time value is not (`other`).
    let got: Vec<(String, usize)> = {
        let doc = Document::new(Language::C, SMALL).unwrap();
        let r = rule("malloc($A * $B)");
        doc.units()
            .iter()
            .flat_map(|u| r.find(&doc, u))
            .map(|m| {
                let line = SMALL[..m.byte_range.start].matches('\n').count() + 1;
                (SMALL[m.byte_range.clone()].to_string(), line)
            })
            .collect()
    };
    assert_eq!(
        got,
        [
            ("malloc(n * sizeof(int))".to_string(), 7),
            ("malloc(*lens * sizeof(int))".to_string(), 9),
            ("malloc(n * sizeof(int))".to_string(), 18),
        ]
    );
    // A length in memory bounds a heap product, never a stack size.
    let got: Vec<String> = found(&rule("alloca($A * $B)"), SMALL)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(got, ["alloca(strlen(s) * 2)"]);
}

fn engine() -> Engine {
    Engine::new(PatternDb::default_catalog())
}

#[test]
fn default_catalog_uses_the_reasoning() {
    let engine = engine();
    let doc = Document::new(Language::C, COPIES).unwrap();
    let copies: Vec<(String, Severity)> = engine
        .analyze(&doc)
        .unwrap()
        .into_iter()
        .filter(|m| engine.db().pattern(m.pattern).unwrap().id == "security.memory.unbounded-copy")
        .map(|m| (COPIES[m.byte_range].to_string(), m.severity))
        .collect();
    assert_eq!(
        copies,
        [
            ("strcpy(t->tag, c->name)".to_string(), Severity::Medium),
            ("strcpy(small, big)".to_string(), Severity::Medium),
        ]
    );
}

const SNIPPETS: &[&str] = &[
    "",
    "x",
    "9",
    "[512]",
    "0",
    ";",
    "\n",
    "#define NAME_LEN 4\n",
    "ö",
    "}",
    "{",
    "char err[4];",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Matches kept incrementally equal a full analysis after edits to sizes, fields and
    /// `#define`s that the size reasoning reads.
    #[test]
    fn incremental_equals_full_with_sizes(edits in prop::collection::vec((0.0f64..1.0, 0usize..5, 0usize..12), 1..8)) {
        let engine = engine();
        let mut doc = Document::new(Language::C, COPIES).unwrap();
        let mut set = MatchSet::new(engine.analyze(&doc).unwrap());
        for (pos, del, snip) in edits {
            let delta = common::edit_at(&mut doc, pos, del, SNIPPETS[snip]);
            set.apply(&engine.analyze_delta(&doc, &delta).unwrap());
            prop_assert_eq!(set.matches(), &engine.analyze(&doc).unwrap()[..]);
        }
    }

    /// The same over copies sized by the same string or of a fixed-length source (aliases,
    /// offsets, `strdup`, `asctime`, locals given literals).
    #[test]
    fn incremental_equals_full_with_same_string(edits in prop::collection::vec((0.0f64..1.0, 0usize..5, 0usize..12), 1..8)) {
        let engine = engine();
        let mut doc = Document::new(Language::C, SAME_STRING).unwrap();
        let mut set = MatchSet::new(engine.analyze(&doc).unwrap());
        for (pos, del, snip) in edits {
            let delta = common::edit_at(&mut doc, pos, del, SNIPPETS[snip]);
            set.apply(&engine.analyze_delta(&doc, &delta).unwrap());
            prop_assert_eq!(set.matches(), &engine.analyze(&doc).unwrap()[..]);
        }
    }

    /// The same after edits to the typedefs, types and assertions that bound a factor
    /// (`typedef unsigned char Tc;` rebinds `Tc` in the file's table).
    #[test]
    fn incremental_equals_full_with_small_types(edits in prop::collection::vec((0.0f64..1.0, 0usize..5, 0usize..SMALL_SNIPPETS.len()), 1..8)) {
        let engine = engine();
        let mut doc = Document::new(Language::C, SMALL).unwrap();
        let mut set = MatchSet::new(engine.analyze(&doc).unwrap());
        for (pos, del, snip) in edits {
            let delta = common::edit_at(&mut doc, pos, del, SMALL_SNIPPETS[snip]);
            set.apply(&engine.analyze_delta(&doc, &delta).unwrap());
            prop_assert_eq!(set.matches(), &engine.analyze(&doc).unwrap()[..]);
        }
    }
}

const SMALL_SNIPPETS: &[&str] = &[
    "",
    "short ",
    "unsigned ",
    "typedef unsigned short Wide;\n",
    "typedef long Tc;\n",
    "assert(n <= 9);",
    "*",
    "ü",
    "}",
    "#define debug(x...) printf(x)\n",
    "k",
    "other(s, 4); table(s, k);",
    "&table",
    "n = k;",
];
