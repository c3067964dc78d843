//! The stable-toolchain fuzz run: each target of `codetable_fuzz` over its seed corpus
//! (`fuzz/corpus/<target>`), then over mutated seeds for `FUZZ_SECONDS` seconds (default 3, 6 for
//! `edits`: the `make test` run). A panic fails the test and leaves the input in
//! `target/fuzz-crashes/<target>-<n>` (replay it with `FUZZ_REPLAY=<file> cargo test -p
//! codetable-fuzz --test smoke <target>`). Long runs: `make fuzz` (cargo-fuzz on nightly), or
//! `FUZZ_SECONDS=300` here. `FUZZ_SEED` changes the mutation sequence.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codetable_fuzz::{mutate, Rng};

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let seeds: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds
}

/// Runs `body` over the seeds, then mutated seeds until `FUZZ_SECONDS` (or `default_seconds`)
/// have passed.
fn run(target: &str, body: fn(&[u8]), default_seconds: f64) {
    if let Ok(file) = std::env::var("FUZZ_REPLAY") {
        body(&std::fs::read(&file).unwrap());
        return;
    }
    let seconds: f64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default_seconds);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let corpus = seeds(target);
    let mut rng = Rng(seed ^ target.len() as u64 | 1);
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let crashes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-crashes");
    let mut executions = 0u64;
    let mut failures = Vec::new();
    let mut inputs = corpus.clone().into_iter();
    loop {
        let input = match inputs.next() {
            Some(seed) => seed,
            None if Instant::now() >= deadline => break,
            None => {
                let a = &corpus[rng.below(corpus.len())];
                let b = &corpus[rng.below(corpus.len())];
                mutate(a, b, &mut rng)
            }
        };
        executions += 1;
        if catch_unwind(AssertUnwindSafe(|| body(&input))).is_err() {
            std::fs::create_dir_all(&crashes).unwrap();
            let file = crashes.join(format!("{target}-{}", failures.len()));
            std::fs::write(&file, &input).unwrap();
            failures.push(file);
            if failures.len() >= 5 {
                break;
            }
        }
    }
    eprintln!(
        "fuzz {target}: {executions} executions in {seconds} s, {} failures",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{target}: inputs that panicked: {failures:?}"
    );
}

#[test]
fn database() {
    run("database", codetable_fuzz::database, 3.0);
}

#[test]
fn catalog_toml() {
    run("catalog_toml", codetable_fuzz::catalog_toml, 3.0);
}

#[test]
fn rule_template() {
    run("rule_template", codetable_fuzz::rule_template, 3.0);
}

#[test]
fn edits() {
    // The first seconds (of a debug build) go to compiling the default catalog's rules.
    run("edits", codetable_fuzz::edits, 6.0);
}
