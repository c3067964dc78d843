//! The catalog's own tests: every example of every pattern in `patterns/`, checked through the
//! public API (catalog → database bytes → `PatternDb` → `Engine::analyze`), one test per
//! pattern so a failure names it. Also checks that the embedded default catalog is not stale.
//!
//! `UPDATE_CATALOG=1 cargo test -p codetable --test catalog_examples` rewrites
//! `core/data/default.ctdb` from `patterns/`.

use std::path::Path;
use std::sync::Arc;

use codetable::catalog::Catalog;
use codetable::examples::check_examples;
use std::collections::HashSet;

use codetable::{
    build_database, Document, Engine, Matcher, Pattern, PatternDb, RuleEntry, DEFAULT_CATALOG,
};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../patterns");
    let catalog = match Catalog::load_dir(&root) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(101);
        }
    };
    let bytes = build_database(&catalog).expect("the catalog compiles");
    let fresh = bytes.clone();
    let engine = Arc::new(Engine::new(
        PatternDb::from_bytes(bytes).expect("a fresh database opens"),
    ));

    let mut trials = vec![Trial::test("default_catalog_is_up_to_date", move || {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/default.ctdb");
        if std::env::var_os("UPDATE_CATALOG").is_some() {
            std::fs::write(&path, &fresh).map_err(|e| Failed::from(e.to_string()))?;
            return Ok(());
        }
        if fresh != DEFAULT_CATALOG {
            return Err("core/data/default.ctdb is stale: run `make catalog` (UPDATE_CATALOG=1 cargo test -p codetable --test catalog_examples)".into());
        }
        Ok(())
    })];
    let second = build_database(&catalog).expect("the catalog compiles");
    let first = engine.db().as_bytes().to_vec();
    trials.push(Trial::test("builds_are_byte_identical", move || {
        if first == second {
            Ok(())
        } else {
            Err("two builds of the same catalog differ".into())
        }
    }));

    for n in 0..engine.db().len() as u32 {
        let id = engine.db().pattern(n).expect("record").id.to_string();
        let engine = engine.clone();
        trials.push(Trial::test(format!("pattern::{id}"), move || {
            check_pattern(&engine, n)
        }));
    }
    libtest_mimic::run(&args, trials).exit();
}

fn check_pattern(engine: &Engine, n: u32) -> Result<(), Failed> {
    let p = engine.db().pattern(n).map_err(|e| e.to_string())?;
    if p.examples.is_empty() {
        return Err(format!("{} has no examples", p.id).into());
    }
    let failures = check_examples(engine, n).map_err(|e| e.to_string())?;
    let mut lines: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    lines.extend(unexercised_fixes(engine, n, &p).map_err(|e| e.to_string())?);
    if lines.is_empty() {
        Ok(())
    } else {
        Err(format!("{}:\n  {}", p.id, lines.join("\n  ")).into())
    }
}

/// Every rule with a `fix` must be exercised by a `fixed` example (in one of the languages
/// the rule was written for): a match of that rule in the example's code carries its fix.
fn unexercised_fixes(engine: &Engine, n: u32, p: &Pattern<'_>) -> codetable::Result<Vec<String>> {
    let Matcher::Rules(rules) = &p.matcher else {
        return Ok(Vec::new());
    };
    let mut exercised = HashSet::new();
    for ex in p.examples.iter().filter(|e| e.fixed.is_some()) {
        let doc = Document::new(ex.language, ex.code)?;
        for m in engine.analyze(&doc)? {
            if m.pattern == n && m.fix.is_some() {
                exercised.insert(engine.db().entry(m.entry)?.rule as usize);
            }
        }
    }
    // A `[[rules]]` entry written for several languages is one rule per language, next to
    // each other with the same templates: one of them exercised is enough.
    let same = |a: &RuleEntry<'_>, b: &RuleEntry<'_>| {
        (a.pattern, &a.inside, &a.not_inside, a.fix) == (b.pattern, &b.inside, &b.not_inside, b.fix)
    };
    let mut out = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        if r.fix.is_none() || exercised.contains(&i) {
            continue;
        }
        let group_exercised = rules
            .iter()
            .enumerate()
            .any(|(j, o)| exercised.contains(&j) && same(o, r));
        if !group_exercised {
            out.push(format!(
                "rule {:?} ({}) has a fix that no `fixed` example exercises",
                r.pattern, r.language
            ));
        }
    }
    Ok(out)
}
