//! `--diff-since GIT_REF`: the lines changed since a git revision, read from the git command
//! (`git diff --unified=0`), and the filter that keeps only findings on them.
//!
//! It owns running git and reading its diff; it never walks or matches code. Changes not yet
//! committed count (the diff is against the working tree), and so do untracked files.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::scan::ScanReport;

/// The lines changed since a revision, by file.
#[derive(Debug, Default)]
pub struct ChangedLines {
    /// The repository's top folder (canonical).
    top: PathBuf,
    /// Added or rewritten lines (1-based, inclusive ranges) by canonical path.
    added: HashMap<PathBuf, Vec<RangeInclusive<u32>>>,
    /// Lines between which lines were only deleted (`n` means between `n` and `n + 1`).
    deleted_after: HashMap<PathBuf, Vec<u32>>,
    /// Files git does not track (new, not ignored): every line counts as changed.
    untracked: Vec<PathBuf>,
}

/// Runs git in `dir` and returns its standard output, or a message naming the command.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .output()
        .map_err(|e| format!("--diff-since needs the git command: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    String::from_utf8(out.stdout).map_err(|_| "git printed a path that is not UTF-8".to_string())
}

impl ChangedLines {
    /// The lines changed between `rev` and the working tree of the repository holding `at`
    /// (a scanned file or folder). Errors outside a git repository and for an unknown revision.
    pub fn since(rev: &str, at: &Path) -> Result<ChangedLines, String> {
        let dir = if at.is_dir() {
            at.to_path_buf()
        } else {
            match at.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        };
        let top = git(&dir, &["rev-parse", "--show-toplevel"]).map_err(|_| {
            format!(
                "--diff-since: {} is not inside a git repository",
                dir.display()
            )
        })?;
        let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
        let top = top.canonicalize().unwrap_or(top);
        if rev.starts_with('-') {
            return Err(format!("--diff-since: `{rev}` is not a git revision"));
        }
        git(
            &top,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .map_err(|_| format!("--diff-since: unknown git revision `{rev}`"))?;
        let diff = git(
            &top,
            &[
                "diff",
                "--unified=0",
                "--no-color",
                "--no-ext-diff",
                "--no-renames",
                rev,
                "--",
            ],
        )
        .map_err(|e| format!("--diff-since: git diff {rev}: {e}"))?;
        let mut changed = ChangedLines {
            top: top.clone(),
            ..ChangedLines::default()
        };
        changed.read_diff(&diff);
        let others = git(&top, &["ls-files", "--others", "--exclude-standard", "-z"])
            .map_err(|e| format!("--diff-since: git ls-files: {e}"))?;
        changed.untracked = others
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(|p| top.join(p))
            .collect();
        Ok(changed)
    }

    /// Reads the hunks of a `git diff --unified=0` output.
    fn read_diff(&mut self, diff: &str) {
        let mut file: Option<PathBuf> = None;
        for line in diff.lines() {
            if let Some(p) = line.strip_prefix("+++ ") {
                file = match p {
                    "/dev/null" => None,
                    p => {
                        let p = unquote(p);
                        Some(self.top.join(p.strip_prefix("b/").unwrap_or(&p)))
                    }
                };
            } else if let (Some(hunk), Some(f)) = (line.strip_prefix("@@ "), &file) {
                // `@@ -a,b +c,d @@`: d lines from c were added (d = 1 when omitted).
                let Some(new) = hunk.split(' ').find_map(|w| w.strip_prefix('+')) else {
                    continue;
                };
                let (start, count) = match new.split_once(',') {
                    Some((s, c)) => (s.parse::<u32>(), c.parse::<u32>()),
                    None => (new.parse::<u32>(), Ok(1)),
                };
                let (Ok(start), Ok(count)) = (start, count) else {
                    continue;
                };
                if count == 0 {
                    self.deleted_after.entry(f.clone()).or_default().push(start);
                } else {
                    self.added
                        .entry(f.clone())
                        .or_default()
                        .push(start..=start + count - 1);
                }
            }
        }
    }

    /// Whether lines `first..=last` of `path` (as the scan names it) include a changed line
    /// or enclose a deletion.
    fn touches(&self, path: &Path, first: u32, last: u32) -> bool {
        let Ok(path) = path.canonicalize() else {
            return false;
        };
        if self.untracked.iter().any(|u| u == &path) {
            return true;
        }
        let added = self.added.get(&path).is_some_and(|ranges| {
            ranges
                .iter()
                .any(|r| *r.start() <= last && first <= *r.end())
        });
        added
            || self
                .deleted_after
                .get(&path)
                .is_some_and(|d| d.iter().any(|&n| first <= n && n < last))
    }

    /// Drops from `report` every finding on lines not changed since the revision and returns
    /// how many were dropped. A finding counts as changed when one of its lines (or a folded
    /// duplicate's first line) changed.
    pub fn filter(&self, report: &mut ScanReport) -> usize {
        let mut dropped = 0;
        for file in &mut report.files {
            file.findings.retain(|f| {
                let r = &f.record;
                let keep = self.touches(&file.path, r.line, r.end_line)
                    || r.duplicates
                        .iter()
                        .any(|d| self.touches(&file.path, d.line, d.line));
                dropped += usize::from(!keep);
                keep
            });
        }
        report.files.retain(|f| !f.findings.is_empty());
        dropped
    }
}

/// A path as git prints it: C-quoted (`"a\tb"`, octal escapes) when it has unusual characters.
fn unquote(p: &str) -> String {
    let Some(inner) = p.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return p.to_string();
    };
    let mut out = Vec::new();
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match chars.next() {
            Some(b'n') => out.push(b'\n'),
            Some(b't') => out.push(b'\t'),
            Some(b'r') => out.push(b'\r'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = chars.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        chars.next();
                    }
                }
                out.push(v as u8);
            }
            Some(o) => out.push(o),
            None => out.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_give_added_ranges_and_deletion_points() {
        let mut c = ChangedLines {
            top: PathBuf::from("/r"),
            ..ChangedLines::default()
        };
        c.read_diff(
            "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -3 +3,2 @@\n-a\n+b\n+c\n@@ -9,2 +10,0 @@\n-d\n-e\n@@ -20 +19 @@ f\n-g\n+h\n",
        );
        let f = PathBuf::from("/r/x.py");
        assert_eq!(c.added[&f], vec![3..=4, 19..=19]);
        assert_eq!(c.deleted_after[&f], vec![10]);
    }

    #[test]
    fn quoted_paths_are_unquoted() {
        assert_eq!(
            unquote("\"b/caf\\303\\251 \\\"x\\\".py\""),
            "b/café \"x\".py"
        );
        assert_eq!(unquote("b/plain.py"), "b/plain.py");
    }
}
