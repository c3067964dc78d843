//! Property test: random edit sequences, in every language, leave a `Document` in exactly the
//! state `Document::new` gives for the final text (same units, same fingerprints), and every
//! delta names exactly the units whose fingerprint changed.

mod common;

use std::collections::{HashMap, HashSet};

use codetable::{Document, Language, TextEdit, Unit, UnitId};
use proptest::prelude::*;

const FIXTURES: &[(Language, &str)] = &[
    (Language::Python, include_str!("fixtures/sample.py")),
    (Language::JavaScript, include_str!("fixtures/sample.js")),
    (Language::TypeScript, include_str!("fixtures/sample.ts")),
    (Language::Tsx, include_str!("fixtures/sample.tsx")),
    (Language::Java, include_str!("fixtures/Sample.java")),
    (Language::Kotlin, include_str!("fixtures/sample.kt")),
    (Language::Go, include_str!("fixtures/sample.go")),
    (Language::Rust, include_str!("fixtures/sample.rs")),
    (Language::C, include_str!("fixtures/sample.c")),
    (Language::Cpp, include_str!("fixtures/sample.cpp")),
];

const SNIPPETS: &[&str] = &[
    "",
    "x",
    "y1",
    "0",
    " ",
    "\n",
    "\n    ",
    "(",
    ")",
    "{",
    "}",
    ":",
    ";",
    ",",
    ".",
    "\"",
    "'",
    "==",
    "!=",
    "+",
    "foo(",
    ".bar()",
    "é",
    "日本",
    "😀",
    "return 1\n",
    "\ndef g(a):\n    return a\n",
    "\nfunction g(a) { return a; }\n",
    "\nclass Q {}\n",
    "\nfn q() {}\n",
    "\nfunc q() {}\n",
    "\nint q(void) { return 0; }\n",
];

/// A structural summary of a unit that is independent of identities.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    kind: codetable::UnitKind,
    name: String,
    qualified_name: String,
    byte_range: std::ops::Range<usize>,
    start: codetable::Position,
    end: codetable::Position,
    depth: u32,
    parent_index: Option<usize>,
    hash: u64,
    features: Vec<u64>,
}

fn shapes(units: &[Unit]) -> Vec<Shape> {
    let index: HashMap<UnitId, usize> = units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
    units
        .iter()
        .map(|u| Shape {
            kind: u.kind,
            name: u.name.to_string(),
            qualified_name: u.qualified_name.to_string(),
            byte_range: u.byte_range.clone(),
            start: u.start,
            end: u.end,
            depth: u.depth,
            parent_index: u.parent.map(|p| index[&p]),
            hash: u.fingerprint.hash,
            features: u.fingerprint.features.to_vec(),
        })
        .collect()
}

/// Pre-order (kind, range) of every node, iteratively: tree-sitter's error recovery may build
/// a different (equally valid) tree incrementally than from scratch for broken text.
fn tree_signature(tree: &tree_sitter::Tree) -> Vec<(u16, usize, usize, bool)> {
    let mut out = Vec::new();
    let mut c = tree.walk();
    'outer: loop {
        let n = c.node();
        out.push((n.kind_id(), n.start_byte(), n.end_byte(), n.is_missing()));
        if c.goto_first_child() {
            continue;
        }
        loop {
            if c.goto_next_sibling() {
                continue 'outer;
            }
            if !c.goto_parent() {
                break 'outer;
            }
        }
    }
    out
}

fn check_delta(
    before: &[Unit],
    after: &[Unit],
    delta: &codetable::Delta,
) -> Result<(), TestCaseError> {
    let old: HashMap<UnitId, &Unit> = before.iter().map(|u| (u.id, u)).collect();
    let new: HashMap<UnitId, &Unit> = after.iter().map(|u| (u.id, u)).collect();
    let ids: HashSet<UnitId> = after.iter().map(|u| u.id).collect();
    prop_assert_eq!(ids.len(), after.len(), "unit ids are unique");
    let added: HashSet<UnitId> = new
        .keys()
        .filter(|k| !old.contains_key(k))
        .copied()
        .collect();
    let removed: HashSet<UnitId> = old
        .keys()
        .filter(|k| !new.contains_key(k))
        .copied()
        .collect();
    let changed: HashSet<UnitId> = new
        .iter()
        .filter(|(k, u)| old.get(k).is_some_and(|o| o.fingerprint != u.fingerprint))
        .map(|(k, _)| *k)
        .collect();
    prop_assert_eq!(&added, &delta.added.iter().copied().collect::<HashSet<_>>());
    prop_assert_eq!(
        &removed,
        &delta.removed.iter().copied().collect::<HashSet<_>>()
    );
    prop_assert_eq!(
        &changed,
        &delta.changed.iter().copied().collect::<HashSet<_>>()
    );
    Ok(())
}

fn run(fixture: usize, edits: Vec<(f64, usize, usize)>, batch: bool) -> Result<(), TestCaseError> {
    let (lang, src) = FIXTURES[fixture];
    let mut doc = Document::new(lang, src).unwrap();
    let mut text = src.to_string();
    let mut pending = Vec::new();
    for (pos, del, snippet) in edits {
        let start = common::snap(&text, (pos * text.len() as f64) as usize);
        let end = common::snap(&text, start + del);
        let end = end.max(start);
        let ins = SNIPPETS[snippet % SNIPPETS.len()];
        text.replace_range(start..end, ins);
        if batch {
            pending.push(TextEdit::new(start, end, ins));
        } else {
            let (before, prior) = (doc.units().to_vec(), doc.text().to_string());
            let result = doc.edit(start, end, ins);
            if over_budget(&doc, &prior, &result)? {
                return Ok(());
            }
            check_delta(&before, doc.units(), &result.unwrap())?;
            prop_assert_eq!(shapes(doc.units()), shapes(&doc.units_from_scratch()));
        }
    }
    if batch {
        let (before, prior) = (doc.units().to_vec(), doc.text().to_string());
        let result = doc.edit_batch(&pending);
        if over_budget(&doc, &prior, &result)? {
            return Ok(());
        }
        check_delta(&before, doc.units(), &result.unwrap())?;
    }
    prop_assert_eq!(doc.text(), text.as_str());
    // The incremental state equals a full walk of the same tree, always…
    prop_assert_eq!(shapes(doc.units()), shapes(&doc.units_from_scratch()));
    // …and equals Document::new of the final text whenever tree-sitter built the same tree.
    let fresh = match Document::new(lang, text.as_str()) {
        Err(codetable::Error::ParseTimeout { .. }) => return Ok(()), // see `over_budget`
        other => other.unwrap(),
    };
    if tree_signature(doc.tree()) == tree_signature(fresh.tree()) {
        prop_assert_eq!(shapes(doc.units()), shapes(fresh.units()));
    }
    Ok(())
}

/// Whether an edit failed because its parse ran over the document's time budget, after checking
/// that it failed as documented: a typed error, and the document exactly as it was (same text,
/// units equal to a full walk of its tree). Some broken Kotlin sends tree-sitter's error recovery
/// into seconds of work even from scratch (`Document::new` of the same text times out too), so a
/// random edit sequence may meet one; the case ends there.
fn over_budget(
    doc: &Document,
    prior: &str,
    result: &codetable::Result<codetable::Delta>,
) -> Result<bool, TestCaseError> {
    match result {
        Err(codetable::Error::ParseTimeout { .. }) => {
            prop_assert_eq!(doc.text(), prior);
            prop_assert_eq!(shapes(doc.units()), shapes(&doc.units_from_scratch()));
            Ok(true)
        }
        _ => Ok(false),
    }
}

fn edits() -> impl Strategy<Value = Vec<(f64, usize, usize)>> {
    prop::collection::vec((0.0f64..1.0, 0usize..6, 0usize..64), 1..10)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn python(e in edits()) { run(0, e, false)?; }
    #[test]
    fn javascript(e in edits()) { run(1, e, false)?; }
    #[test]
    fn typescript(e in edits()) { run(2, e, false)?; }
    #[test]
    fn tsx(e in edits()) { run(3, e, false)?; }
    #[test]
    fn java(e in edits()) { run(4, e, false)?; }
    #[test]
    fn kotlin(e in edits()) { run(5, e, false)?; }
    #[test]
    fn go(e in edits()) { run(6, e, false)?; }
    #[test]
    fn rust(e in edits()) { run(7, e, false)?; }
    #[test]
    fn c(e in edits()) { run(8, e, false)?; }
    #[test]
    fn cpp(e in edits()) { run(9, e, false)?; }
    #[test]
    fn batches_in_every_language(f in 0usize..10, e in edits()) { run(f, e, true)?; }
}

/// How often tree-sitter's incremental tree equals the fresh one, so the property above is not
/// vacuous: most random edit sequences must be compared against `Document::new`.
#[test]
fn fresh_comparison_is_not_vacuous() {
    let mut compared = 0;
    let mut total = 0;
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for (lang, src) in FIXTURES {
        for _ in 0..20 {
            let mut doc = Document::new(*lang, *src).unwrap();
            for _ in 0..3 {
                let text = doc.text().to_string();
                let start = common::snap(&text, (next() % (text.len() as u64 + 1)) as usize);
                let end = common::snap(&text, start + (next() % 4) as usize).max(start);
                let ins = SNIPPETS[(next() % SNIPPETS.len() as u64) as usize];
                doc.edit(start, end, ins).unwrap();
            }
            let fresh = Document::new(*lang, doc.text()).unwrap();
            total += 1;
            if tree_signature(doc.tree()) == tree_signature(fresh.tree()) {
                compared += 1;
                assert_eq!(
                    shapes(doc.units()),
                    shapes(fresh.units()),
                    "{lang}: {:?}",
                    doc.text()
                );
            }
        }
    }
    assert!(
        compared * 10 >= total * 7,
        "only {compared} of {total} sequences were comparable"
    );
}

/// 48 cases per language by default; `PROPTEST_CASES` raises it for a longer soak.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}
