//! Baselines: the findings a team has accepted, read from an earlier `codetable scan` output
//! (JSON Lines or SARIF), so a scan reports and fails only on findings that are new.
//!
//! It owns reading baseline files and matching findings against them by path and core's
//! finding fingerprint ([`codetable::FindingRecord::fingerprint`], which holds no line
//! number). It never walks files or matches code, and writes nothing but the baseline it is
//! asked to write.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde_json::Value;

use crate::scan::ScanReport;

/// The `partialFingerprints` key SARIF results carry core's fingerprint under.
pub const SARIF_FINGERPRINT_KEY: &str = "codetable/v1";

/// Accepted findings: how many times each (path, fingerprint) pair occurs in the baseline.
#[derive(Debug, Default)]
pub struct Baseline {
    accepted: HashMap<(String, String), usize>,
}

impl Baseline {
    /// Reads a baseline file: JSON Lines of finding records (`--format json`,
    /// `--write-baseline`) or a SARIF log (`--format sarif`), told apart by content.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the baseline {shown}: {e}"))?;
        Baseline::parse(&text).map_err(|e| format!("baseline {shown}: {e}"))
    }

    /// A baseline from the text of a baseline file (see [`Baseline::read`]).
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let mut b = Baseline::default();
        let trimmed = text.trim_start();
        // A SARIF log is one JSON object with `runs`; JSON Lines have one record a line.
        if trimmed.starts_with('{') {
            if let Ok(v) = serde_json::from_str::<Value>(trimmed) {
                if v.get("runs").is_some() {
                    b.add_sarif(&v)?;
                    return Ok(b);
                }
            }
        }
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(line)
                .map_err(|e| format!("line {}: not a JSON finding ({e})", n + 1))?;
            let path = v.get("path").and_then(Value::as_str).unwrap_or("");
            let fingerprint = v.get("fingerprint").and_then(Value::as_str);
            let Some(fingerprint) = fingerprint.filter(|f| !f.is_empty()) else {
                return Err(format!(
                    "line {}: the finding has no fingerprint (written by an older codetable?): \
                     write the baseline again with --write-baseline",
                    n + 1
                ));
            };
            b.add(path, fingerprint);
        }
        Ok(b)
    }

    fn add_sarif(&mut self, log: &Value) -> Result<(), String> {
        let runs = log["runs"].as_array().ok_or("`runs` is not an array")?;
        for (r, run) in runs.iter().enumerate() {
            let results = run["results"].as_array().map_or(&[][..], Vec::as_slice);
            for (i, result) in results.iter().enumerate() {
                let fingerprint = result["partialFingerprints"][SARIF_FINGERPRINT_KEY].as_str();
                let Some(fingerprint) = fingerprint else {
                    return Err(format!(
                        "runs[{r}].results[{i}] has no partialFingerprints.\"{SARIF_FINGERPRINT_KEY}\" \
                         (not written by this codetable?)"
                    ));
                };
                let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or("");
                self.add(&percent_decode(uri), fingerprint);
            }
        }
        Ok(())
    }

    fn add(&mut self, path: &str, fingerprint: &str) {
        *self
            .accepted
            .entry((normal_path(path), fingerprint.to_string()))
            .or_default() += 1;
    }

    /// Drops from `report` every finding the baseline accepts (each baseline entry accepts
    /// one finding: two identical findings in the baseline accept two) and returns how many
    /// were dropped.
    pub fn filter(&self, report: &mut ScanReport) -> usize {
        let mut left = self.accepted.clone();
        let mut dropped = 0;
        for file in &mut report.files {
            file.findings.retain(|f| {
                let key = (
                    normal_path(f.record.path.as_deref().unwrap_or("")),
                    f.record.fingerprint.clone(),
                );
                match left.get_mut(&key) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        dropped += 1;
                        false
                    }
                    _ => true,
                }
            });
        }
        report.files.retain(|f| !f.findings.is_empty());
        dropped
    }
}

/// Writes every finding of `report` as a baseline (JSON Lines, the `--format json` records).
pub fn write(path: &Path, report: &ScanReport) -> Result<(), String> {
    let shown = path.display();
    let file = std::fs::File::create(path)
        .map_err(|e| format!("cannot write the baseline {shown}: {e}"))?;
    let mut out = std::io::BufWriter::new(file);
    crate::report::write_json(&mut out, report)?;
    out.flush()
        .map_err(|e| format!("cannot write the baseline {shown}: {e}"))
}

/// A path as baselines compare it: `/` separators, no leading `./`.
fn normal_path(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut s = p.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// A SARIF URI reference back to a path (`%C3%A9` -> `é`); malformed escapes stay as written.
fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sarif_uris_decode_to_paths() {
        assert_eq!(percent_decode("src/%C3%A9t%C3%A9.py"), "src/été.py");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%zz"), "a%zz");
        assert_eq!(normal_path("./src\\a.py"), "src/a.py");
    }
}
