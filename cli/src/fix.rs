//! `scan --fix` and `scan --fix --dry-run`: the fixes of a scan's findings, per file.
//!
//! Core decides what a fix is, applies several to a text (the first of overlapping ones wins)
//! and says whether the result still parses ([`codetable::fix`]); this module only plans the
//! files, prints a unified diff (the `similar` crate) and writes files atomically (a temporary
//! file in the same folder, renamed over the original, keeping its permissions). A file whose
//! bytes changed since the scan, or that was not plain UTF-8 (a BOM, another encoding), is
//! left alone rather than rewritten in a different encoding.

use std::path::{Path, PathBuf};

use codetable::fix::{self, Fix};
use codetable::Language;

use crate::scan::{display_path, ScanReport, STDIN};

/// The fixes of one file.
#[derive(Debug)]
pub struct FilePlan {
    /// The file as walked.
    pub path: PathBuf,
    /// Its text when scanned.
    pub before: String,
    /// Its text with the applied fixes.
    pub after: String,
    /// Indices (into the file's findings) of the findings whose fix is applied.
    pub applied: Vec<usize>,
    /// Indices of the findings whose fix overlaps one applied before it (left for a later run).
    pub overlapping: Vec<usize>,
    /// False when the fixed text does not parse: the file must not be written.
    pub parses: bool,
}

/// The plan of every file of `report` with a finding that has a fix. Errors only when core
/// cannot parse a text at all.
pub fn plan(report: &ScanReport) -> Result<Vec<FilePlan>, String> {
    let mut out = Vec::new();
    for f in &report.files {
        let mut fixes = Vec::new();
        let mut owners = Vec::new();
        let mut language = None;
        for (i, finding) in f.findings.iter().enumerate() {
            if let Some(r) = &finding.record.fix {
                language = Language::from_name(&finding.record.language).ok();
                fixes.push(Fix {
                    byte_range: r.byte_start..r.byte_end,
                    replacement: r.replacement.clone(),
                });
                owners.push(i);
            }
        }
        let Some(language) = language else {
            continue;
        };
        let fixed = fix::apply(language, &f.text, &fixes).map_err(|e| e.to_string())?;
        out.push(FilePlan {
            path: f.path.clone(),
            before: f.text.clone(),
            after: fixed.text,
            applied: fixed.applied.iter().map(|&i| owners[i]).collect(),
            overlapping: fixed.overlapping.iter().map(|&i| owners[i]).collect(),
            parses: fixed.parses,
        });
    }
    Ok(out)
}

/// A unified diff (`--- a/path`, `+++ b/path`, three lines of context) of every plan that
/// parses, in order: what `git apply` and `patch -p1` take.
pub fn diff(plans: &[FilePlan]) -> String {
    let mut out = String::new();
    for p in plans.iter().filter(|p| p.parses && p.before != p.after) {
        let name = display_path(&p.path);
        let d = similar::TextDiff::from_lines(&p.before, &p.after);
        out.push_str(
            &d.unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string(),
        );
    }
    out
}

/// Writes a plan's text over its file atomically. Refuses standard input, a file whose bytes
/// are no longer the scanned text, and a text that does not parse.
pub fn write(p: &FilePlan) -> Result<(), String> {
    let name = display_path(&p.path);
    if p.path == Path::new(STDIN) {
        return Err("standard input cannot be fixed in place (use --dry-run)".into());
    }
    if !p.parses {
        return Err(format!("{name}: not fixed: the fixed code would not parse"));
    }
    let now = std::fs::read(&p.path).map_err(|e| format!("{name}: {e}"))?;
    if now != p.before.as_bytes() {
        return Err(format!(
            "{name}: not fixed: the file changed since it was read, or is not plain UTF-8"
        ));
    }
    let dir = match p.path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| format!("{name}: {e}"))?;
    std::io::Write::write_all(&mut tmp, p.after.as_bytes()).map_err(|e| format!("{name}: {e}"))?;
    if let Ok(meta) = std::fs::metadata(&p.path) {
        std::fs::set_permissions(tmp.path(), meta.permissions())
            .map_err(|e| format!("{name}: {e}"))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| format!("{name}: {e}"))?;
    tmp.persist(&p.path)
        .map_err(|e| format!("{name}: {}", e.error))?;
    Ok(())
}
