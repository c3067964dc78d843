//! C/C++ macro bodies as code, through the public API: calls in `#define` bodies are found at
//! their bytes in the original file with the macro as the unit; bodies that are not code (type
//! lists, token pastes, stringification) give nothing and no error; incremental analysis equals
//! a full one across edits in and around macros.

mod common;

use codetable::{Document, Engine, Language, MatchSet, PatternDb, UnitKind};
use proptest::prelude::*;

fn engine() -> Engine {
    Engine::new(PatternDb::default_catalog())
}

/// (pattern id, unit qualified name, matched text, 1-based line) of every match of `text`.
fn found(language: Language, text: &str) -> Vec<(String, String, String, u32)> {
    let engine = engine();
    let doc = Document::new(language, text).unwrap();
    let mut out = Vec::new();
    for m in engine.analyze(&doc).unwrap() {
        let id = engine.db().pattern(m.pattern).unwrap().id.to_string();
        let unit = doc.unit(m.unit).unwrap();
        assert_eq!(doc.position_of(m.byte_range.start), m.start);
        out.push((
            id,
            unit.qualified_name.to_string(),
            text[m.byte_range.clone()].to_string(),
            m.start.line + 1,
        ));
    }
    out
}

const C_MACROS: &str = "/* größe: ünïcödé before the macros */\n\
#define RUN(cmd) system(cmd)\n\
#define COPY(d, s) do { \\\n    strcpy(d, s); \\\n  } while (0)\n\
#define TMP tmpnam(NULL)\n\
#define OPEN(c) popen(c, \"r\") /* ö */\n\
int main(int argc, char **argv) { RUN(argv[1]); return 0; }\n";

#[test]
fn calls_in_macro_bodies_are_found_with_the_macro_as_unit() {
    let got = found(Language::C, C_MACROS);
    let want = [
        ("security.command-injection.shell", "RUN", "system(cmd)", 2),
        ("security.memory.unbounded-copy", "COPY", "strcpy(d, s)", 4),
        (
            "security.temp-file.predictable-name",
            "TMP",
            "tmpnam(NULL)",
            6,
        ),
        (
            "security.command-injection.shell",
            "OPEN",
            "popen(c, \"r\")",
            7,
        ),
    ];
    for w in want {
        assert!(
            got.iter()
                .any(|g| (g.0.as_str(), g.1.as_str(), g.2.as_str(), g.3) == w),
            "{w:?} not in {got:?}"
        );
    }
    let doc = Document::new(Language::C, C_MACROS).unwrap();
    let macros: Vec<(&str, UnitKind)> = doc
        .units()
        .iter()
        .filter(|u| u.kind == UnitKind::Macro)
        .map(|u| (u.qualified_name.as_ref(), u.kind))
        .collect();
    assert_eq!(
        macros.iter().map(|m| m.0).collect::<Vec<_>>(),
        ["RUN", "COPY", "TMP", "OPEN"]
    );
    assert_eq!(UnitKind::Macro.name(), "macro");
}

#[test]
fn shims_and_variadic_forwarding_are_not_uses() {
    // A macro defining the function's own name (a pthreads port's cancellation-point shims,
    // a builtin alias) is not a use; a variadic parameter is an argument list, not "a format
    // and nothing after it"; a one-argument parameter still is.
    let text = "/* é */\n\
#define system(...) (pthread_testcancel(), system(__VA_ARGS__))\n\
#define gets(...) (pthread_testcancel(), gets(__VA_ARGS__))\n\
#define alloca(x) __builtin_alloca(x)\n\
#define debug(lvl, x...) do { if (lvl <= 2) { printf(x); } } while (0)\n\
#define trace(...) fprintf(stderr, __VA_ARGS__)\n\
#define SHOW(msg) printf(msg)\n\
#define SH(...) system(__VA_ARGS__)\n";
    let got: Vec<(String, String)> = found(Language::C, text)
        .into_iter()
        .map(|(id, unit, _, _)| (id, unit))
        .collect();
    let units: Vec<&str> = got.iter().map(|(_, u)| u.as_str()).collect();
    assert!(
        got.contains(&(
            "security.format-string.non-literal".to_string(),
            "SHOW".to_string()
        )),
        "{got:?}"
    );
    for quiet in ["system", "gets", "alloca", "debug", "trace"] {
        assert!(!units.contains(&quiet), "{quiet} in {got:?}");
    }
    // `SH` forwards an argument list to a shell: no single-argument template can say what it
    // runs, so it is left to its uses too.
    assert!(!units.contains(&"SH"), "{got:?}");
}

#[test]
fn cpp_macros_in_a_namespace_are_found_too() {
    let text = "// ç++\nnamespace ns {\n#define SH(x) ::system(x)\n#define CP(a, b) std::strcpy(a, b)\n}\n";
    let got = found(Language::Cpp, text);
    assert!(
        got.iter()
            .any(|g| g.0 == "security.memory.unbounded-copy" && g.2 == "std::strcpy(a, b)"),
        "{got:?}"
    );
    let doc = Document::new(Language::Cpp, text).unwrap();
    let names: Vec<&str> = doc
        .units()
        .iter()
        .filter(|u| u.kind == UnitKind::Macro)
        .map(|u| u.qualified_name.as_ref())
        .collect();
    assert_eq!(names, ["ns.SH", "ns.CP"]);
}

#[test]
fn macros_that_are_not_code_give_nothing_and_no_error() {
    let text = "/* é */\n\
#define TYPES int, long, char\n\
#define PASTE(a, b) a ## system(b)\n\
#define STR(x) #x strcpy(x, x)\n\
#define BEGIN { strcpy(a, b);\n\
#define END } system(x); {\n\
#define GUARD_H\n\
#define FMT \"system(%s) strcpy(a, b)\"\n";
    let got = found(Language::C, text);
    assert!(got.is_empty(), "{got:?}");
    // The same calls outside those macros are found, so the rules would fire on them.
    let plain = found(Language::C, "void f(char *a, char *b) { strcpy(a, b); }\n");
    assert!(!plain.is_empty());
}

const SNIPPETS: &[&str] = &[
    "",
    " ",
    "\\\n",
    "\n",
    "#define X(a) system(a)\n",
    "strcpy(a, b)",
    "(",
    ")",
    "##",
    "#",
    "é",
    "do {",
    "} while (0)",
    "tmpnam(0);",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Matches kept incrementally equal a full analysis after edits in and around macros.
    #[test]
    fn incremental_equals_full_with_macros(edits in prop::collection::vec((0.0f64..1.0, 0usize..5, 0usize..14), 1..8)) {
        let engine = engine();
        let mut doc = Document::new(Language::C, C_MACROS).unwrap();
        let mut set = MatchSet::new(engine.analyze(&doc).unwrap());
        for (pos, del, snip) in edits {
            let delta = common::edit_at(&mut doc, pos, del, SNIPPETS[snip]);
            set.apply(&engine.analyze_delta(&doc, &delta).unwrap());
            prop_assert_eq!(set.matches(), &engine.analyze(&doc).unwrap()[..]);
        }
    }
}
