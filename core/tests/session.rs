//! `Session` through its public API: host offsets (bytes, UTF-16, code points) with non-ASCII
//! text, merged pending edits, the `analyze_delta -> {added, updated, removed}` contract
//! (checked against a fresh analysis after random edits), engine changes and bad input — and the
//! cross-host golden corpus `tests/golden/sessions.json`, which the C, Python, Node and JUnit
//! suites replay (`UPDATE_GOLDEN=1 cargo test -p codetable --test session` rewrites it).

use std::collections::BTreeMap;

use codetable::{Changes, Engine, Error, Language, Match, MatchId, OffsetUnit, PatternDb, Session};
use proptest::prelude::*;
use serde_json::{json, Value};

fn engine() -> Engine {
    Engine::new(PatternDb::default_catalog())
}

const PY: &str = "# caf\u{e9} \u{1f600} \u{65e5}\u{672c}\nimport hashlib\n\n\ndef key(data):\n    return hashlib.sha256(data).hexdigest()\n\n\ndef other(x):\n    return hashlib.md5(x)\n";

/// What a host shows: applies `changes` to `shown` by identity.
fn apply(shown: &mut BTreeMap<MatchId, Match>, changes: &Changes) {
    for m in &changes.removed {
        assert!(shown.remove(&m.id).is_some(), "removed {m:?} was not shown");
    }
    for m in &changes.updated {
        assert!(
            shown.insert(m.id, m.clone()).is_some(),
            "updated {m:?} was not shown"
        );
    }
    for m in &changes.added {
        assert!(
            shown.insert(m.id, m.clone()).is_none(),
            "added {m:?} was shown"
        );
    }
}

fn key(m: &Match) -> (MatchId, u32, std::ops::Range<usize>) {
    (m.id, m.pattern, m.byte_range.clone())
}

#[test]
fn edits_in_each_host_unit_reach_the_same_text() {
    let engine = engine();
    for unit in [OffsetUnit::Byte, OffsetUnit::Utf16, OffsetUnit::CodePoint] {
        let mut s = Session::new(Language::Python, PY, unit).unwrap();
        s.analyze(&engine).unwrap();
        let expected_len = match unit {
            OffsetUnit::Byte => PY.len(),
            OffsetUnit::Utf16 => PY.encode_utf16().count(),
            OffsetUnit::CodePoint => PY.chars().count(),
        };
        assert_eq!(s.len(), expected_len, "{unit:?}");
        let at = s.text_offset("sha256").unwrap();
        s.edit(at, at + 6, "md5").unwrap();
        // Type after the emoji: an offset the host counts its own way.
        let after_emoji = s.text_offset(" \u{65e5}").unwrap();
        s.edit(after_emoji, after_emoji, "\u{1f680}").unwrap();
        assert!(s.text().contains("\u{1f600}\u{1f680} \u{65e5}"), "{unit:?}");
        assert!(s.has_pending_edits());
        assert!(s.matches().is_err(), "matches wait for analyze_delta");
        let changes = s.analyze_delta(&engine).unwrap();
        assert_eq!(changes.added.len(), 1, "{unit:?}: {changes:?}");
        let md5 = &changes.added[0];
        assert_eq!(&s.text()[md5.byte_range.clone()], "hashlib.md5(data)");
        assert_eq!(s.position(md5.byte_range.start).line, 5);
        assert_eq!(s.position(md5.byte_range.start).column, 11);
        let fresh = engine.analyze(s.document()).unwrap();
        let shown = s.matches().unwrap().unwrap();
        assert_eq!(
            shown.iter().map(key).collect::<Vec<_>>(),
            fresh.iter().map(key).collect::<Vec<_>>()
        );
        assert_eq!(s.len(), s.to_host(s.text().len()));
    }
}

#[test]
fn bad_offsets_are_typed_errors_and_change_nothing() {
    let mut s = Session::new(Language::Python, "x = '\u{1f600}'\n", OffsetUnit::Utf16).unwrap();
    let before = s.text().to_string();
    assert!(matches!(
        s.edit(5, 6, "a"),
        Err(Error::InsideSurrogatePair { offset: 6 })
    ));
    assert!(matches!(
        s.edit(3, 99, "a"),
        Err(Error::OffsetOutOfRange {
            start: 3,
            end: 99,
            len: 9,
            unit: OffsetUnit::Utf16
        })
    ));
    assert!(matches!(
        s.edit(4, 3, "a"),
        Err(Error::OffsetOutOfRange { .. })
    ));
    let mut b = Session::new(Language::Python, "x = '\u{e9}'\n", OffsetUnit::Byte).unwrap();
    assert!(matches!(
        b.edit(6, 6, "a"),
        Err(Error::NotCharBoundary { offset: 6 })
    ));
    assert!(matches!(
        b.edit(0, 100, "a"),
        Err(Error::EditOutOfRange { .. })
    ));
    assert_eq!(s.text(), before);
    assert!(!s.has_pending_edits() && !b.has_pending_edits());
    // A host may mix units on one document (the C ABI takes bytes and UTF-16).
    s.edit_in(OffsetUnit::Byte, 0, 1, "y").unwrap();
    assert!(s.text().starts_with("y = "));
}

#[test]
fn another_engine_reanalyses_and_replaces_everything() {
    let (a, b) = (engine(), engine());
    assert_ne!(a.id(), b.id());
    let mut s = Session::new(Language::Python, PY, OffsetUnit::Utf16).unwrap();
    let first: Vec<_> = s.analyze(&a).unwrap().to_vec();
    assert!(!first.is_empty());
    assert!(s.analyze_delta(&a).unwrap().is_empty(), "nothing changed");
    let at = s.text_offset("\n\n\ndef key").unwrap();
    s.edit(at, at, "\n").unwrap();
    let changes = s.analyze_delta(&b).unwrap();
    assert_eq!(changes.removed.len(), first.len());
    assert_eq!(changes.added.len(), first.len());
    // The removed ones are carried into the current text (one line further down).
    assert_eq!(
        changes.removed[0].start.line,
        first[0].start.line + 1,
        "{changes:?}"
    );
    assert!(changes.updated.is_empty());
}

/// An edit script for the property test: (position fraction, delete length, inserted text).
fn edits() -> impl Strategy<Value = Vec<(f64, usize, String)>> {
    let text = prop_oneof![
        Just("md5".to_string()),
        Just("sha256".to_string()),
        Just("\u{1f600}".to_string()),
        Just("\u{e9}".to_string()),
        Just("\n".to_string()),
        Just("    return hashlib.md5(b'')\n".to_string()),
        Just("def f():\n".to_string()),
        Just("import hashlib as h\n".to_string()),
        Just("    q = \"SELECT * FROM t WHERE a = \" + x\n    cur.execute(q)\n".to_string()),
        Just("    cmd = \"clear\"\n    os.system(cmd)\n".to_string()),
        Just("    cmd = x\n".to_string()),
        "[a-z(). ]{0,4}",
    ];
    prop::collection::vec((0.0..1.0f64, 0usize..6, text), 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// After any edits, in any host unit, the changes applied to what the host showed give
    /// exactly the matches of a fresh analysis of the new text.
    #[test]
    fn changes_keep_a_host_in_step(script in edits(), every in 1usize..3, unit_ix in 0usize..3) {
        let unit = [OffsetUnit::Byte, OffsetUnit::Utf16, OffsetUnit::CodePoint][unit_ix];
        let engine = engine();
        let mut s = Session::new(Language::Python, PY, unit).unwrap();
        let mut shown: BTreeMap<MatchId, Match> =
            s.analyze(&engine).unwrap().iter().map(|m| (m.id, m.clone())).collect();
        for (i, (at, del, text)) in script.iter().enumerate() {
            // Snap to a character start so every unit can express the offset.
            let mut byte = (at * s.text().len() as f64) as usize;
            while !s.text().is_char_boundary(byte) { byte -= 1; }
            let mut end = (byte + del).min(s.text().len());
            while !s.text().is_char_boundary(end) { end -= 1; }
            let (a, b) = (s.to_host(byte), s.to_host(end));
            let delta = s.edit(a, b, text).unwrap();
            // The memory budget's token count is kept exactly through edits.
            let bytes = s.text().as_bytes();
            prop_assert_eq!(
                s.document().tokens(),
                codetable::budget::token_starts(bytes, 0, bytes.len())
            );
            // What the host shows shifts with the edits, as an editor's markers do.
            for m in shown.values_mut() {
                m.shift(&delta);
            }
            if (i + 1) % every == 0 || i + 1 == script.len() {
                let changes = s.analyze_delta(&engine).unwrap();
                apply(&mut shown, &changes);
                // Shifted plus changes is exactly a fresh analysis, ranges and captures included:
                // nothing left out of `updated` differs from what the host already shows.
                let fresh = engine.analyze(s.document()).unwrap();
                let mut fresh_sorted = fresh.clone();
                fresh_sorted.sort_by_key(|m| m.id);
                let shown_all: Vec<Match> = shown.values().cloned().collect();
                prop_assert_eq!(shown_all, fresh_sorted);
                let current: Vec<_> = s.matches().unwrap().unwrap().iter().map(key).collect();
                prop_assert_eq!(current, fresh.iter().map(key).collect::<Vec<_>>());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// A burst of edits applied in one `edit_batch` (one reparse, as the language server does
    /// with the keystrokes that arrived during an analysis) leaves the session as the same edits
    /// one by one: the same text, and changes that bring what the host showed to a fresh
    /// analysis — suppression comments typed or deleted in the burst included.
    #[test]
    fn a_batch_of_edits_is_the_edits_one_by_one(script in edits(), marker in 0usize..3) {
        let engine = engine();
        let text = match marker {
            0 => PY.to_string(),
            // A suppression comment in the text, or typed by the burst.
            1 => PY.replace("hexdigest()", "hexdigest()  # codetable: ignore[Sh]"),
            _ => PY.to_string(),
        };
        let mut one = Session::new(Language::Python, text.clone(), OffsetUnit::Utf16).unwrap();
        let mut batch = Session::new(Language::Python, text, OffsetUnit::Utf16).unwrap();
        let mut shown: BTreeMap<MatchId, Match> =
            batch.analyze(&engine).unwrap().iter().map(|m| (m.id, m.clone())).collect();
        one.analyze(&engine).unwrap();
        let mut edits = Vec::new();
        for (at, del, text) in &script {
            let text = if marker == 2 && text == "md5" { "# codetable: ignore" } else { text };
            let mut byte = (at * one.text().len() as f64) as usize;
            while !one.text().is_char_boundary(byte) { byte -= 1; }
            let mut end = (byte + del).min(one.text().len());
            while !one.text().is_char_boundary(end) { end -= 1; }
            one.edit_in(OffsetUnit::Byte, byte, end, text).unwrap();
            edits.push(codetable::TextEdit::new(byte, end, text));
        }
        let delta = batch.edit_batch(&edits).unwrap();
        prop_assert_eq!(batch.text(), one.text());
        prop_assert_eq!(batch.len(), one.len());
        for m in shown.values_mut() {
            m.shift(&delta);
        }
        let changes = batch.analyze_delta(&engine).unwrap();
        apply(&mut shown, &changes);
        one.analyze_delta(&engine).unwrap();
        // What the host shows is the session's current set…
        let mut current = batch.matches().unwrap().unwrap().to_vec();
        current.sort_by_key(|m| m.id);
        prop_assert_eq!(shown.values().cloned().collect::<Vec<_>>(), current);
        // …which is a fresh analysis of the same document (without suppression comments: the
        // engine's raw matches do not apply them)…
        if !batch.text().contains("codetable:") {
            let mut fresh = engine.analyze(batch.document()).unwrap();
            fresh.sort_by_key(|m| m.id);
            prop_assert_eq!(shown.values().cloned().collect::<Vec<_>>(), fresh);
        }
        // …and what the same edits one by one find (unit identities may differ: the edits one
        // by one parsed texts the batch never saw).
        let found = |s: &Session| {
            let mut v: Vec<_> = s.matches().unwrap().unwrap().iter()
                .map(|m| (m.pattern, m.byte_range.clone(), m.severity)).collect();
            v.sort_by_key(|(p, r, _)| (r.start, r.end, *p));
            v
        };
        prop_assert_eq!(found(&batch), found(&one));
    }
}

// ------------------------------------------------------------------------------------------
// The cross-host golden corpus.

/// One edit of a script, by byte offsets of the text before it.
struct EditAt {
    start: usize,
    end: usize,
    text: &'static str,
}

enum Step {
    Analyze,
    Edit(EditAt),
    AnalyzeDelta,
}

struct Script {
    name: &'static str,
    language: Language,
    text: &'static str,
    steps: Vec<Step>,
}

/// An edit replacing the `nth` occurrence of `needle` (from 0) in `text`… as it will be when
/// the step runs; scripts below compute offsets on the text at that point.
fn at(text: &str, needle: &str, len: usize, with: &'static str) -> EditAt {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {text}"));
    EditAt {
        start,
        end: start + len,
        text: with,
    }
}

fn scripts() -> Vec<Script> {
    use Step::*;
    let mut out = Vec::new();

    // Python: a weak hash typed over a strong one after non-ASCII text, then removed again.
    let py = "# caf\u{e9} \u{1f600}\nimport hashlib\n\n\ndef key(data):\n    return hashlib.sha256(data).hexdigest()\n";
    let typed = py.replace("sha256", "md5");
    let inside = typed.replace("md5(data)", "md5(data, \u{65e5})");
    out.push(Script {
        name: "python-weak-hash-typed-and-removed",
        language: Language::Python,
        text: py,
        steps: vec![
            Analyze,
            Edit(at(py, "sha256", 6, "md5")),
            AnalyzeDelta,
            AnalyzeDelta,
            // An edit inside the finding's code (its snippet changes, its captures do not).
            Edit(at(&typed, "md5(data)", 8, "md5(data, \u{65e5}")),
            AnalyzeDelta,
            Edit(at(&inside, "md5", 3, "sha512")),
            AnalyzeDelta,
        ],
    });

    // Keystrokes merged into one analysis: "md5" typed one character at a time, plus a line
    // inserted above (which shifts the other finding without recomputing it).
    let ks = "import hashlib\n\ndef a(x):\n    return hashlib.sha1(x)\n\ndef b(y):\n    return hashlib.sha256(y)\n";
    let s = ks.find("sha256").unwrap();
    let mut steps = vec![
        Analyze,
        Edit(EditAt {
            start: s,
            end: s + 6,
            text: "",
        }),
    ];
    for (i, c) in ["m", "d", "5"].into_iter().enumerate() {
        steps.push(Edit(EditAt {
            start: s + i,
            end: s + i,
            text: c,
        }));
    }
    let top = ks.find("def a").unwrap();
    steps.push(Edit(EditAt {
        start: top,
        end: top,
        text: "# \u{65e5}\u{672c}\u{8a9e} \u{1f680}\n",
    }));
    steps.push(AnalyzeDelta);
    out.push(Script {
        name: "python-keystrokes-merged",
        language: Language::Python,
        text: ks,
        steps,
    });

    // JavaScript with surrogate pairs before the finding: eval typed in, a function deleted.
    let js = "// \u{1f600}\u{1f600} \u{e9}\nfunction run(code) {\n  return JSON.parse(code);\n}\nfunction keep(x) {\n  return eval(x);\n}\n";
    let with_eval = js.replace("JSON.parse(code)", "eval(code)");
    let with_emoji = with_eval.replace("eval(code)", "eval(code + '\u{1f600}')");
    let keep = with_emoji.find("function keep").unwrap();
    out.push(Script {
        name: "javascript-eval-and-deleted-function",
        language: Language::JavaScript,
        text: js,
        steps: vec![
            Analyze,
            Edit(at(js, "JSON.parse(code)", 16, "eval(code)")),
            AnalyzeDelta,
            Edit(at(&with_eval, "eval(code)", 10, "eval(code + '\u{1f600}')")),
            AnalyzeDelta,
            Edit(EditAt {
                start: keep,
                end: with_emoji.len(),
                text: "",
            }),
            AnalyzeDelta,
        ],
    });

    // Java: an empty catch block appears and a class is renamed.
    let java = "class \u{c9}t\u{e9} {\n  void f() {\n    try { g(); } catch (Exception e) { log(e); }\n  }\n}\n";
    let empty = java.replace("{ log(e); }", "{ }");
    out.push(Script {
        name: "java-catch-emptied",
        language: Language::Java,
        text: java,
        steps: vec![
            Analyze,
            Edit(at(java, "{ log(e); }", 11, "{ }")),
            AnalyzeDelta,
            Edit(at(&empty, "\u{c9}t\u{e9}", "\u{c9}t\u{e9}".len(), "Summer")),
            AnalyzeDelta,
        ],
    });

    // Go: a delta before any analysis analyses everything.
    let go = "package main\n\nimport \"crypto/md5\"\n\nfunc h(b []byte) [16]byte {\n\treturn md5.Sum(b) // \u{1f512}\n}\n";
    out.push(Script {
        name: "go-delta-without-analysis",
        language: Language::Go,
        text: go,
        steps: vec![
            AnalyzeDelta,
            Edit(at(go, "\n}", 0, "\n\t_ = 1")),
            AnalyzeDelta,
        ],
    });
    out
}

/// A match as the corpus records it: identity, pattern, and its range in every host unit.
fn golden_match(engine: &Engine, s: &Session, m: &Match) -> Value {
    let idx = s.line_index();
    let t = s.text();
    let r = &m.byte_range;
    let both = |u| json!([idx.from_byte(t, r.start, u), idx.from_byte(t, r.end, u)]);
    let start = idx.position_in(t, r.start, OffsetUnit::Utf16);
    let cp = idx.position_in(t, r.start, OffsetUnit::CodePoint);
    json!({
        "id": format!("{:016x}", m.id.0),
        "pattern": engine.sheet(m.pattern).unwrap().id,
        "bytes": [r.start, r.end],
        "utf16": both(OffsetUnit::Utf16),
        "code_points": both(OffsetUnit::CodePoint),
        "line": start.line,
        "utf16_column": start.column,
        "code_point_column": cp.column,
    })
}

fn run_script(engine: &Engine, script: &Script) -> Value {
    let mut s = Session::new(script.language, script.text, OffsetUnit::Byte).unwrap();
    let mut steps = Vec::new();
    let list = |s: &Session, v: &[Match]| -> Value {
        Value::Array(v.iter().map(|m| golden_match(engine, s, m)).collect())
    };
    for step in &script.steps {
        match step {
            Step::Analyze => {
                let found = s.analyze(engine).unwrap().to_vec();
                steps.push(json!({"op": "analyze", "matches": list(&s, &found)}));
            }
            Step::Edit(e) => {
                let idx = s.line_index();
                let t = s.text();
                let conv = |u| json!([idx.from_byte(t, e.start, u), idx.from_byte(t, e.end, u)]);
                let step = json!({
                    "op": "edit",
                    "bytes": [e.start, e.end],
                    "utf16": conv(OffsetUnit::Utf16),
                    "code_points": conv(OffsetUnit::CodePoint),
                    "text": e.text,
                });
                s.edit(e.start, e.end, e.text).unwrap();
                steps.push(step);
            }
            Step::AnalyzeDelta => {
                let c = s.analyze_delta(engine).unwrap();
                // The corpus must be right, not just frozen: the session's matches are those
                // of a fresh analysis.
                let fresh = engine.analyze(s.document()).unwrap();
                let shown = s.matches().unwrap().unwrap();
                assert_eq!(
                    shown.iter().map(key).collect::<Vec<_>>(),
                    fresh.iter().map(key).collect::<Vec<_>>(),
                    "{}",
                    script.name
                );
                steps.push(json!({
                    "op": "analyze_delta",
                    "added": list(&s, &c.added),
                    "updated": list(&s, &c.updated),
                    "removed": list(&s, &c.removed),
                    "matches": list(&s, shown),
                    "text": s.text(),
                }));
            }
        }
    }
    json!({
        "name": script.name,
        "language": script.language.name(),
        "text": script.text,
        "steps": steps,
    })
}

#[test]
fn golden_edit_scripts() {
    let engine = engine();
    let scripts: Vec<Value> = scripts().iter().map(|s| run_script(&engine, s)).collect();
    // Every script must exercise something: findings appear, and some change.
    for s in &scripts {
        let steps = s["steps"].as_array().unwrap();
        let moved = steps.iter().any(|st| {
            ["added", "removed", "updated"]
                .iter()
                .any(|k| st[k].as_array().is_some_and(|a| !a.is_empty()))
        });
        assert!(moved, "script {} changes no finding", s["name"]);
    }
    let corpus = json!({
        "about": "Edit scripts every host replays through its session (Rust, C, Python, Node, JUnit): edits give offsets in bytes, UTF-16 code units and code points of the text before the edit; each analyze/analyze_delta step lists the expected matches (sorted by position then pattern) with their ranges in every unit. Generated by core/tests/session.rs (UPDATE_GOLDEN=1).",
        "version": 1,
        "scripts": scripts,
    });
    let text = serde_json::to_string_pretty(&corpus).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/golden/sessions.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
        std::fs::write(path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == text,
        "tests/golden/sessions.json is stale: rerun with UPDATE_GOLDEN=1 and review the diff"
    );
}
