//! C/C++ text the compiler never sees is not analysed, through the public API: the bodies of
//! `#if 0`, `#if false`, `#ifdef NEVER_DEFINED`-style branches and the `#else` of `#if 1`,
//! and MSVC inline assembly (`_asm …`, `__asm { … }`), give no unit and no finding; the code
//! around them, and branches that depend on the build, are analysed as before; and a document
//! edited incrementally (a `#if 0` turned into `#if 1`, an `#endif` typed or deleted) has the
//! findings of the same text parsed anew.

mod common;

use codetable::{Document, Engine, Language, MatchSet, PatternDb, UnitKind};
use proptest::prelude::*;

fn engine() -> Engine {
    Engine::new(PatternDb::default_catalog())
}

/// (pattern id, matched text) of every match of `doc`, in order.
fn found(engine: &Engine, doc: &Document) -> Vec<(String, String)> {
    engine
        .analyze(doc)
        .unwrap()
        .into_iter()
        .map(|m| {
            (
                engine.db().pattern(m.pattern).unwrap().id.to_string(),
                doc.text()[m.byte_range].to_string(),
            )
        })
        .collect()
}

fn functions(doc: &Document) -> Vec<&str> {
    doc.units()
        .iter()
        .filter(|u| u.kind == UnitKind::Function)
        .map(|u| u.qualified_name.as_ref())
        .collect()
}

const DEAD: &str = "/* größe: ünïcödé */\n\
#include <alloca.h>\n\
#include <string.h>\n\
#if 0\n\
proc foo {} {\n\
  set mx [llength $x]\n\
}\n\
void old_copy(char *d, const char *s) { strcpy(d, s); }\n\
#endif\n\
#ifdef NEVER_DEFINED\n\
void never(const char *s) { char *p = alloca(strlen(s) + 1); }\n\
#endif\n\
#if 1\n\
void kept(int n) { char *p = alloca(n); }\n\
#else\n\
void other(int n) { char *p = alloca(n); }\n\
#endif\n\
#ifdef _MSC_VER\n\
static void ret(void *p) {\n\
    _asm mov eax, p\n\
    _asm fld DWORD PTR [eax]\n\
    __asm {\n\
        fld QWORD PTR [eax]\n\
    }\n\
}\n\
#else\n\
void gnu(char *d, const char *s) { strcpy(d, s); }\n\
#endif\n";

#[test]
fn dead_branches_and_msvc_assembly_give_no_unit_and_no_finding() {
    let engine = engine();
    let doc = Document::new(Language::C, DEAD).unwrap();
    assert_eq!(functions(&doc), ["kept", "ret", "gnu"]);
    let got = found(&engine, &doc);
    let alloca: Vec<&str> = got
        .iter()
        .filter(|g| g.0 == "reliability.stack.alloca-variable-size")
        .map(|g| g.1.as_str())
        .collect();
    assert_eq!(alloca, ["alloca(n)"], "{got:?}");
    let copies: Vec<&str> = got
        .iter()
        .filter(|g| g.0 == "security.memory.unbounded-copy")
        .map(|g| g.1.as_str())
        .collect();
    assert_eq!(copies, ["strcpy(d, s)"], "{got:?}");
    // The live copy is the one in `gnu`, at its own line.
    let at = DEAD.find("void gnu").unwrap();
    let line = DEAD[..at].matches('\n').count() as u32;
    assert!(engine
        .analyze(&doc)
        .unwrap()
        .iter()
        .any(|m| m.byte_range.start > at && doc.position_of(m.byte_range.start).line == line));
    // Without the masks the same functions are there: the text itself is what hides them.
    let live = DEAD
        .replace("#if 0", "#if X")
        .replace("NEVER_DEFINED", "HAVE_X");
    let doc = Document::new(Language::C, live).unwrap();
    assert_eq!(
        functions(&doc),
        ["foo", "old_copy", "never", "kept", "ret", "gnu"]
    );
}

#[test]
fn cpp_dead_branches_too() {
    let text = "// ç\n#if false\ntemplate <int N> int f() { return sprintf(buf, fmt, x); }\n#endif\nint g(char *d, const char *s) { return sprintf(d, s, 1); }\n";
    let engine = engine();
    let doc = Document::new(Language::Cpp, text).unwrap();
    let got = found(&engine, &doc);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].1, "sprintf(d, s, 1)");
}

const SNIPPETS: &[&str] = &[
    "",
    "\n",
    "#if 0\n",
    "#endif\n",
    "#else\n",
    "#if 1\n",
    "0",
    "1",
    "_asm mov eax, 1\n",
    "strcpy(a, b);",
    "/*",
    "*/",
    "é",
    "}",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// After edits in and around preprocessor lines, the matches kept incrementally equal a
    /// full analysis of the document, and (where the text parses cleanly) those of the same
    /// text parsed anew.
    #[test]
    fn incremental_equals_full_across_preprocessor_edits(edits in prop::collection::vec((0.0f64..1.0, 0usize..6, 0usize..14), 1..8)) {
        let engine = engine();
        let mut doc = Document::new(Language::C, DEAD).unwrap();
        let mut set = MatchSet::new(engine.analyze(&doc).unwrap());
        for (pos, del, snip) in edits {
            let delta = common::edit_at(&mut doc, pos, del, SNIPPETS[snip]);
            set.apply(&engine.analyze_delta(&doc, &delta).unwrap());
            prop_assert_eq!(set.matches(), &engine.analyze(&doc).unwrap()[..]);
            let fresh = Document::new(Language::C, doc.text()).unwrap();
            if !fresh.has_syntax_errors() {
                prop_assert_eq!(found(&engine, &doc), found(&engine, &fresh));
                prop_assert_eq!(functions(&doc), functions(&fresh));
            }
        }
    }
}
