//! Baseline for `bench_stdlib.py`: the work `Engine.scan_paths` does, in Rust only — a parallel
//! gitignore-aware walk, read, parse, analyze, positions in code points — with no Python.
//!
//! Usage: `codetable-rust-loop THREADS PATH…`; prints `files findings errors`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use codetable::{Document, Engine, Language, LineIndex, OffsetUnit, PatternDb};
use ignore::{WalkBuilder, WalkState};

fn main() {
    let mut args = std::env::args().skip(1);
    let threads: usize = args.next().and_then(|t| t.parse().ok()).unwrap_or(1);
    let roots: Vec<String> = args.collect();
    let engine = Arc::new(Engine::new(PatternDb::default_catalog()));
    let (files, findings, errors) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let mut builder = WalkBuilder::new(&roots[0]);
    for r in &roots[1..] {
        builder.add(r);
    }
    builder.threads(threads).require_git(false);
    builder.build_parallel().run(|| {
        let (engine, files, findings, errors) = (
            engine.clone(),
            files.clone(),
            findings.clone(),
            errors.clone(),
        );
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                errors.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            };
            let path = entry.path();
            let Some(lang) = path
                .extension()
                .and_then(|e| e.to_str())
                .and_then(Language::from_extension)
            else {
                return WalkState::Continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let result = std::fs::read(path)
                .map_err(|e| e.to_string())
                .and_then(|b| Document::from_bytes(lang, &b).map_err(|e| e.to_string()))
                .and_then(|doc| {
                    let matches = engine.analyze(&doc).map_err(|e| e.to_string())?;
                    let index = LineIndex::new(doc.text());
                    let mut n = 0;
                    for m in matches {
                        let p = index.position_in(
                            doc.text(),
                            m.byte_range.start,
                            OffsetUnit::CodePoint,
                        );
                        let i =
                            index.from_byte(doc.text(), m.byte_range.end, OffsetUnit::CodePoint);
                        let pattern = engine.db().pattern(m.pattern).map_err(|e| e.to_string())?;
                        std::hint::black_box((p, i, pattern.id, pattern.key_property()));
                        n += 1;
                    }
                    Ok(n)
                });
            match result {
                Ok(n) => {
                    files.fetch_add(1, Ordering::Relaxed);
                    findings.fetch_add(n, Ordering::Relaxed);
                }
                Err(_) => {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            WalkState::Continue
        })
    });
    println!(
        "{} {} {}",
        files.load(Ordering::Relaxed),
        findings.load(Ordering::Relaxed),
        errors.load(Ordering::Relaxed)
    );
}
