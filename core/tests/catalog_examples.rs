//! The catalog's own tests: every example of every pattern in `patterns/`, checked through the
//! public API (catalog → database bytes → `PatternDb` → `Engine::analyze`), one test per
//! pattern so a failure names it. Also checks that the embedded default catalog is not stale.
//!
//! `UPDATE_CATALOG=1 cargo test -p codetable --test catalog_examples` rewrites
//! `core/data/default.ctdb` from `patterns/`.

use std::path::Path;
use std::sync::Arc;

use codetable::catalog::Catalog;
use codetable::project::{example_project, roles::RolePattern};
use codetable::{build_database, Document, Engine, Expect, PatternDb, DEFAULT_CATALOG};
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
    let mut problems = Vec::new();
    if !p.roles.is_empty() {
        // A role-based pattern: each example is a project (its `// file:` parts), recognised
        // with this pattern alone.
        let rp = RolePattern::parse(p.id, &p.roles).map_err(|e| e.to_string())?;
        for (i, ex) in p.examples.iter().enumerate() {
            let project = example_project(ex.language, ex.code);
            let found = project.recognise(std::slice::from_ref(&rp));
            match (ex.expect, found.len()) {
                (Expect::Match, 0) => problems.push(format!(
                    "examples[{i}] ({}): expected an instance, found none",
                    ex.language
                )),
                (Expect::NoMatch, k) if k > 0 => problems.push(format!(
                    "examples[{i}] ({}): expected no instance, found {k}: {:?}",
                    ex.language,
                    found[0]
                        .participants
                        .iter()
                        .map(|x| format!("{}={}", x.role, x.name))
                        .collect::<Vec<_>>()
                )),
                _ => {}
            }
        }
        return if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("{}:\n  {}", p.id, problems.join("\n  ")).into())
        };
    }
    for (i, ex) in p.examples.iter().enumerate() {
        let doc = Document::new(ex.language, ex.code).map_err(|e| e.to_string())?;
        let matches = engine.analyze(&doc).map_err(|e| e.to_string())?;
        let found = matches.iter().filter(|m| m.pattern == n).count();
        match (ex.expect, found) {
            (Expect::Match, 0) => problems.push(format!(
                "examples[{i}] ({}): expected a match, found none",
                ex.language
            )),
            (Expect::NoMatch, k) if k > 0 => {
                let first = matches
                    .iter()
                    .find(|m| m.pattern == n)
                    .map(|m| &ex.code[m.byte_range.clone()]);
                problems.push(format!(
                    "examples[{i}] ({}): expected no match, found {k}: {first:?}",
                    ex.language
                ))
            }
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}:\n  {}", p.id, problems.join("\n  ")).into())
    }
}
