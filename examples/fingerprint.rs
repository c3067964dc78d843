//! Prints the units of a source file and their fingerprints.
//!
//! `cargo run --release --example fingerprint -- FILE [LANGUAGE]`

use std::process::ExitCode;

use codetable::{Document, Language};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: fingerprint FILE [LANGUAGE]");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let language = match args.next() {
        Some(name) => Language::from_name(&name),
        None => Language::detect(path.as_ref(), &bytes)
            .ok_or_else(|| codetable::Error::UnknownLanguage(path.clone())),
    };
    let doc = match language.and_then(|l| Document::from_bytes(l, &bytes)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "{path}: {} ({} units{})",
        doc.language(),
        doc.units().len(),
        if doc.has_syntax_errors() {
            ", syntax errors"
        } else {
            ""
        }
    );
    for u in doc.units() {
        let indent = "  ".repeat(u.depth as usize);
        let name = if u.qualified_name.is_empty() {
            "<module>"
        } else {
            &u.qualified_name
        };
        println!(
            "{indent}{:<11} {name}  {}:{}-{}:{}  hash={:016x} features={}",
            u.kind.name(),
            u.start.line + 1,
            u.start.column + 1,
            u.end.line + 1,
            u.end.column + 1,
            u.fingerprint.hash,
            u.fingerprint.features.len()
        );
    }
    ExitCode::SUCCESS
}
