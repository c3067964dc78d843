//! `test`: runs pattern examples and annotated source files, and reports like `cargo test`.
//!
//! This file owns sorting PATHS into rules files and annotated sources, stacking the rules over
//! the database in use, and the report. The checks themselves are core's
//! (`codetable::examples`), shared with `db build` and the catalog's own test suite.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codetable::catalog::{load_user, Catalog};
use codetable::examples::{annotations, check_annotated, check_examples};
use codetable::{build_database, Document, Engine, Error, Language, PatternDb};

use crate::style::{printable, Style};
use crate::{emit, Failure, Outcome};

/// Rules files (`.toml`) and annotated source files (any file of a known language holding a
/// `codetable: expect|ok` marker) under PATHS, each list in path order.
fn sort_paths(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Failure> {
    let mut rules = Vec::new();
    let mut sources = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(Failure(format!(
                "{}: no such file or folder",
                path.display()
            )));
        }
        let mut files = Vec::new();
        if path.is_dir() {
            // Core's walk (the scan's): every file, sources and others (rules files) alike.
            let options = codetable::source::walk::WalkOptions::default();
            for entry in codetable::source::walk::walk(std::slice::from_ref(path), &options) {
                use codetable::source::walk::Walked;
                match entry {
                    Walked::Candidate(c) => files.push(c.path),
                    Walked::Ignored { path, .. } => files.push(path),
                    Walked::Skipped { detail, .. } => return Err(Failure(detail)),
                }
            }
            files.sort();
        } else {
            files.push(path.clone());
        }
        for f in files {
            if f.extension().is_some_and(|e| e == "toml") {
                rules.push(f);
            } else if !in_scored_suite(path, &f) && is_annotated(&f, !path.is_dir()) {
                sources.push(f);
            }
        }
    }
    Ok((rules, sources))
}

/// Whether `file`, found under the folder `root`, lies in a scored suite: a folder with a
/// `floor.json` (as `patterns/tests/annotated`), whose markers are counted against a recall and
/// precision floor by its own scorer rather than each one required to hold.
fn in_scored_suite(root: &Path, file: &Path) -> bool {
    root.is_dir()
        && file
            .ancestors()
            .skip(1)
            .take_while(|d| d.starts_with(root))
            .any(|d| d.join("floor.json").is_file())
}

/// A named file is annotated when its language is known; a file found in a folder also needs
/// a marker.
fn is_annotated(path: &Path, named: bool) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return named;
    };
    Language::detect(path, &bytes).is_some()
        && (named || !annotations(&String::from_utf8_lossy(&bytes)).is_empty())
}

/// Runs the tests and prints the report; exit 1 when any fails.
pub fn run(paths: &[PathBuf], base: PatternDb, style: Style) -> Outcome {
    let (rule_files, sources) = sort_paths(paths)?;
    let mut tested: Vec<u32> = (0..base.len() as u32).collect();
    let engine = if rule_files.is_empty() {
        Engine::new(base)
    } else {
        let sources_text = load_user(&rule_files).map_err(|e| Failure(e.to_string()))?;
        let catalog = match Catalog::from_user_sources(sources_text) {
            Ok(c) => c,
            Err(errors) => {
                let text: String = errors.0.iter().map(|e| format!("error: {e}\n")).collect();
                emit(|out| out.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
                let summary = format!("test result: FAILED. {} file error(s)\n", errors.0.len());
                emit(|out| out.write_all(summary.as_bytes()).map_err(|e| e.to_string()))?;
                return Ok(ExitCode::from(1));
            }
        };
        let bytes = build_database(&catalog)?;
        let first = base.len() as u32;
        match PatternDb::layered(base, [PatternDb::from_bytes(bytes.clone())?]) {
            Ok(db) => {
                tested = (first..db.len() as u32).collect();
                Engine::new(db)
            }
            // Rules that redefine the database's ids (a copy of the catalog under test) are
            // tested on their own.
            Err(Error::DuplicatePattern { .. } | Error::DuplicateSymbol { .. }) => {
                let db = PatternDb::from_bytes(bytes)?;
                tested = (0..db.len() as u32).collect();
                Engine::new(db)
            }
            Err(e) => return Err(e.into()),
        }
    };
    let mut report = String::new();
    let mut failures: Vec<(String, Vec<String>)> = Vec::new();
    let total = tested.len() + sources.len();
    report.push_str(&format!(
        "\nrunning {total} test{}\n",
        if total == 1 { "" } else { "s" }
    ));
    let mut line = |name: String, problems: Vec<String>, report: &mut String| {
        let verdict = if problems.is_empty() {
            style_ok(style)
        } else {
            style_failed(style)
        };
        report.push_str(&format!("test {} ... {verdict}\n", printable(&name)));
        if !problems.is_empty() {
            failures.push((name, problems));
        }
    };
    for &n in &tested {
        let p = engine.db().pattern(n)?;
        let mut problems: Vec<String> = check_examples(&engine, n)?
            .iter()
            .map(ToString::to_string)
            .collect();
        if p.examples.is_empty() {
            problems.push("no examples".to_string());
        }
        line(format!("pattern::{}", p.id), problems, &mut report);
    }
    for f in &sources {
        let name = format!("file::{}", crate::scan::display_path(f));
        let problems = match std::fs::read(f) {
            Err(e) => vec![e.to_string()],
            Ok(bytes) => match Language::detect(f, &bytes)
                .ok_or_else(|| "unknown language".to_string())
                .and_then(|l| Document::from_bytes(l, &bytes).map_err(|e| e.to_string()))
            {
                Err(e) => vec![e],
                Ok(doc) => check_annotated(&engine, &doc)?
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            },
        };
        line(name, problems, &mut report);
    }
    let failed = failures.len();
    if failed > 0 {
        report.push_str("\nfailures:\n");
        for (name, problems) in &failures {
            report.push_str(&format!("\n---- {} ----\n", printable(name)));
            for p in problems {
                report.push_str(&format!("  {}\n", printable(p)));
            }
        }
        report.push_str("\nfailures:\n");
        for (name, _) in &failures {
            report.push_str(&format!("    {}\n", printable(name)));
        }
    }
    report.push_str(&format!(
        "\ntest result: {}. {} passed; {failed} failed\n",
        if failed == 0 {
            style_ok(style)
        } else {
            style_failed(style)
        },
        total - failed
    ));
    emit(|out| out.write_all(report.as_bytes()).map_err(|e| e.to_string()))?;
    Ok(ExitCode::from(u8::from(failed > 0)))
}

fn style_ok(style: Style) -> String {
    if style.is_color() {
        "\x1b[32mok\x1b[0m".to_string()
    } else {
        "ok".to_string()
    }
}

fn style_failed(style: Style) -> String {
    if style.is_color() {
        "\x1b[31mFAILED\x1b[0m".to_string()
    } else {
        "FAILED".to_string()
    }
}
