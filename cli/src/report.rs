//! Scan output: the text report (code frames), JSON lines and SARIF 2.1.0.
//!
//! Each format turns a [`ScanReport`] into bytes on a writer; none of them walks files or
//! matches code. Columns in JSON and SARIF are 1-based Unicode code points (SARIF's
//! `unicodeCodePoints` column kind), converted by core's one offset converter, [`LineIndex`].

use std::collections::BTreeMap;
use std::io::Write;
use std::ops::Range;
use std::sync::Arc;

use codetable::{Engine, FindingRecord, LineIndex, PatternSheet, Severity};
use serde_json::{json, Value};

use crate::scan::{display_path, ScanReport};
use crate::style::{printable, Style};

/// Pattern sheets by number, from the engine's cache.
fn sheet(engine: &Engine, n: u32) -> Result<Arc<PatternSheet>, String> {
    engine.sheet(n).map_err(|e| e.to_string())
}

fn line_text<'t>(text: &'t str, index: &LineIndex, line: u32) -> &'t str {
    let start = index.line_start(line as usize).unwrap_or(text.len());
    let end = index
        .line_start(line as usize + 1)
        .unwrap_or(text.len())
        .max(start);
    text.get(start..end)
        .unwrap_or("")
        .trim_end_matches(['\n', '\r'])
}

/// The longest a code-frame line may be before it is cut around the match.
const FRAME_WIDTH: usize = 160;

/// A code frame: the match's first line and a caret underline, cut to [`FRAME_WIDTH`]
/// characters around the match on very long lines.
fn frame(
    text: &str,
    index: &LineIndex,
    range: Range<usize>,
    severity: Severity,
    style: Style,
) -> String {
    let (start, end) = (index.position(range.start), index.position(range.end));
    let line = line_text(text, index, start.line);
    let from = (start.column as usize).min(line.len());
    let to = if end.line == start.line {
        (end.column as usize).clamp(from, line.len())
    } else {
        line.len()
    };
    let (mut from, mut to) = (from, to);
    let (mut shown, mut cut_left) = (line, false);
    if line.chars().count() > FRAME_WIDTH {
        let begin = floor_char(line, from.saturating_sub(40));
        let end = floor_char(line, (begin + FRAME_WIDTH * 2).min(line.len()));
        let end = if line[begin..end].chars().count() > FRAME_WIDTH {
            let n = line[begin..end]
                .char_indices()
                .nth(FRAME_WIDTH)
                .map(|(i, _)| begin + i)
                .unwrap_or(end);
            n
        } else {
            end
        };
        shown = &line[begin..end];
        cut_left = begin > 0;
        from -= begin;
        to = to.min(end) - begin;
        to = to.max(from);
    }
    let number = (start.line + 1).to_string();
    let gutter = " ".repeat(number.len());
    // The underline repeats tabs so it lines up under tabbed code; control characters are shown
    // escaped, and the underline counts them as shown.
    let pad: String = printable(&shown[..from])
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let carets = "^".repeat(printable(&shown[from..to]).chars().count().max(1));
    let shown = printable(shown);
    let ellipsis = if cut_left { "…" } else { "" };
    format!(
        "  {} {} {ellipsis}{}\n  {gutter} {} {}{}{}",
        style.dim(&number),
        style.dim("|"),
        shown,
        style.dim("|"),
        if cut_left { " " } else { "" },
        pad,
        style.severity(severity, &carets),
    )
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The text report: one block per finding.
pub fn write_text(
    out: &mut dyn Write,
    report: &ScanReport,
    engine: &Engine,
    style: Style,
) -> Result<(), String> {
    for file in &report.files {
        let index = LineIndex::new(&file.text);
        let path = display_path(&file.path);
        let path = printable(&path);
        for f in &file.findings {
            let p = sheet(engine, f.pattern)?;
            let r = &f.record;
            let score = if r.score < 1.0 {
                format!(" (similarity {:.2})", r.score)
            } else {
                String::new()
            };
            let mut block = format!(
                "{}: {} {} {} {}{score}\n",
                style.bold(&format!("{path}:{}:{}", r.line, r.column)),
                style.severity(f.severity, &style.bold(&p.symbol)),
                p.name,
                style.severity(f.severity, &format!("[{}]", f.severity)),
                style.dim(&p.id),
            );
            if r.context != codetable::CodeContext::Production {
                block.push_str(&format!(
                    "  context: {} (lowered severity, never fails the build)\n",
                    r.context.name()
                ));
            }
            if !r.duplicates.is_empty() {
                let lines: Vec<String> = r.duplicates.iter().map(|d| d.line.to_string()).collect();
                block.push_str(&format!(
                    "  also on line{} {} (same loop)\n",
                    if lines.len() == 1 { "" } else { "s" },
                    lines.join(", ")
                ));
            }
            if let (Some(role), Some(instance)) = (&r.role, &r.instance) {
                block.push_str(&format!("  role: {role} in {instance}\n"));
            }
            if let Some(k) = p.key() {
                block.push_str(&format!("  {}: {}\n", k.kind.name(), k.text));
            }
            if !r.steps.is_empty() {
                block.push_str(&format!("  {}\n", flow_line(&file.text, r)));
            }
            block.push_str(&frame(
                &file.text,
                &index,
                r.byte_start..r.byte_end,
                f.severity,
                style,
            ));
            block.push_str("\n\n");
            out.write_all(block.as_bytes()).map_err(io)?;
        }
    }
    Ok(())
}

/// One line for a finding's flow: `flow: source line 3 `request.args` → line 4 → sink line 5`
/// for a taint finding, `through: line 4, line 5` for definitions a match went through.
fn flow_line(text: &str, r: &codetable::FindingRecord) -> String {
    let short = |s: &codetable::StepRecord| -> String {
        let t = text.get(s.byte_start..s.byte_end).unwrap_or("");
        let t = t.lines().next().unwrap_or("").trim();
        let mut cut: String = t.chars().take(40).collect();
        if t.chars().count() > 40 {
            cut.push('…');
        }
        printable(&cut).into_owned()
    };
    let taint = r.steps.iter().any(|s| s.role.is_some());
    let parts: Vec<String> = r
        .steps
        .iter()
        .map(|s| match s.role {
            Some(codetable::StepRole::Source) => format!("source line {} `{}`", s.line, short(s)),
            _ => format!("line {} `{}`", s.line, short(s)),
        })
        .collect();
    if taint {
        format!("flow: {} → sink line {}", parts.join(" → "), r.line)
    } else {
        format!("through: {}", parts.join(", "))
    }
}

fn io(e: std::io::Error) -> String {
    format!("cannot write the report: {e}")
}

/// JSON Lines: one finding per line, core's [`codetable::FindingRecord`] as every host writes
/// it (schema: `core/schema/finding.schema.json`).
pub fn write_json(out: &mut dyn Write, report: &ScanReport) -> Result<(), String> {
    for file in &report.files {
        for f in &file.findings {
            writeln!(out, "{}", f.record.to_json()).map_err(io)?;
        }
    }
    Ok(())
}

/// SARIF level of a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score (CVSS-like, "0.1"–"10.0", read by GitHub as critical
/// above 9.0, high from 7.0, medium from 4.0, low below) of a security pattern's severity;
/// `None` for info patterns, which are no vulnerability.
fn security_severity(s: Severity) -> Option<&'static str> {
    match s {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("7.5"),
        Severity::Medium => Some("5.0"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

/// GitHub's `problem.severity` of a non-security rule.
fn problem_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "recommendation",
    }
}

/// The plain-text help of a rule: summary, properties, common issues, alternatives,
/// references. (The Markdown help is core's [`PatternSheet::to_markdown`], escaped prose.)
fn help_text(p: &PatternSheet) -> String {
    let mut text = format!("{}\n", p.summary);
    if !p.properties.is_empty() {
        for k in &p.properties {
            text.push_str(&format!("\n{}: {}", k.kind.name(), k.text));
        }
        text.push('\n');
    }
    if !p.common_issues.is_empty() {
        for i in &p.common_issues {
            text.push_str(&format!("\nCommon issue: {i}"));
        }
        text.push('\n');
    }
    if !p.alternatives.is_empty() {
        let alts = p.alternatives.join(", ");
        text.push_str(&format!("\nAlternatives: {alts}\n"));
    }
    for r in &p.references {
        text.push_str(&format!("\nSee {r}"));
    }
    text.trim_end().to_string()
}

/// How much to trust a rule's results, in GitHub's terms: structural rules `high`, similarity
/// (shape) patterns `medium`.
fn precision(p: &PatternSheet) -> &'static str {
    match p.matcher {
        codetable::view::SheetMatcher::Rule { .. } => "high",
        codetable::view::SheetMatcher::Shape { .. } => "medium",
    }
}

/// A rule (`reportingDescriptor`) as GitHub code scanning reads it: `help.markdown`,
/// `properties.tags` (the group, `security` for security patterns, CWE and OWASP tags),
/// `precision`, and `security-severity` for security patterns (`problem.severity` for others).
fn rule_json(p: &PatternSheet) -> Value {
    let security = p.group == "security";
    let mut tags: Vec<String> = vec![p.group.clone()];
    tags.extend(p.cwe.iter().map(|c| format!("external/cwe/cwe-{c}")));
    tags.extend(p.owasp.iter().map(|o| format!("external/owasp/{o}")));
    // GitHub shows at most 20 tags a rule.
    tags.truncate(20);
    let mut rule = json!({
        "id": p.id,
        "name": p.name,
        "shortDescription": {"text": format!("{} ({})", p.name, p.symbol)},
        "fullDescription": {"text": p.summary},
        "help": {"text": help_text(p), "markdown": p.to_markdown()},
        "defaultConfiguration": {"level": level(p.severity)},
        "properties": {
            "tags": tags,
            "symbol": p.symbol,
            "severity": p.severity.name(),
            "precision": precision(p),
        },
    });
    match security_severity(p.severity).filter(|_| security) {
        Some(score) => rule["properties"]["security-severity"] = json!(score),
        None => rule["properties"]["problem.severity"] = json!(problem_severity(p.severity)),
    }
    if let Some(uri) = p.references.first() {
        rule["helpUri"] = json!(uri);
    }
    rule
}

/// A relative path as a URI reference: `/` separators, reserved characters percent-encoded.
pub fn uri_of(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// SARIF 2.1.0: one run, the rules of the patterns found, one result per finding, and a
/// notification per skipped file.
pub fn sarif(report: &ScanReport, engine: &Engine) -> Result<Value, String> {
    // The participants of each design-pattern instance, for relatedLocations.
    let mut instances: BTreeMap<&str, Vec<(String, &FindingRecord)>> = BTreeMap::new();
    for file in &report.files {
        for f in &file.findings {
            if let Some(i) = &f.record.instance {
                instances
                    .entry(i.as_str())
                    .or_default()
                    .push((uri_of(&display_path(&file.path)), &f.record));
            }
        }
    }
    let mut rule_index: BTreeMap<u32, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    let mut results = Vec::new();
    for file in &report.files {
        let uri = uri_of(&display_path(&file.path));
        for f in &file.findings {
            let p = sheet(engine, f.pattern)?;
            let r = &f.record;
            let ri = *rule_index.entry(f.pattern).or_insert_with(|| {
                rules.push(rule_json(&p));
                rules.len() - 1
            });
            let mut message = format!("{} ({}): {}", p.name, p.symbol, p.summary);
            if let Some(k) = &p.key_property {
                message.push_str(&format!(" {k}"));
            }
            if let (Some(role), Some(instance)) = (&r.role, &r.instance) {
                message = format!("{role} of {instance}: {message}");
            }
            let related: Vec<Value> = r
                .instance
                .as_deref()
                .and_then(|i| instances.get(i))
                .map(|others| {
                    others
                        .iter()
                        .filter(|(_, o)| o.id != r.id)
                        .enumerate()
                        .map(|(n, (u, o))| {
                            json!({
                                "id": n,
                                "message": {"text": o.role.clone().unwrap_or_default()},
                                "physicalLocation": {
                                    "artifactLocation": {"uri": u},
                                    "region": {
                                        "startLine": o.line,
                                        "startColumn": o.column,
                                        "endLine": o.end_line,
                                        "endColumn": o.end_column,
                                    },
                                },
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let step_location = |s: &codetable::StepRecord, text: &str| {
                json!({
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {
                            "startLine": s.line,
                            "byteOffset": s.byte_start,
                            "byteLength": s.byte_end - s.byte_start,
                        },
                    },
                    "message": {"text": text},
                })
            };
            let role_text = |s: &codetable::StepRecord| match s.role {
                Some(codetable::StepRole::Source) => "source",
                Some(codetable::StepRole::Step) => "step",
                None => "definition",
            };
            let sink_location = json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {
                        "startLine": r.line,
                        "startColumn": r.column,
                        "endLine": r.end_line,
                        "endColumn": r.end_column,
                    },
                },
                "message": {"text": "sink"},
            });
            let mut result = json!({
                "ruleId": p.id,
                "ruleIndex": ri,
                "level": level(f.severity),
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {
                            "startLine": r.line,
                            "startColumn": r.column,
                            "endLine": r.end_line,
                            "endColumn": r.end_column,
                            "snippet": {"text": r.snippet},
                        },
                    },
                    "logicalLocations": if r.unit.is_empty() { json!([]) } else { json!([{"fullyQualifiedName": r.unit}]) },
                }],
                "partialFingerprints": {crate::baseline::SARIF_FINGERPRINT_KEY: r.fingerprint},
                "properties": {"score": r.score, "symbol": p.symbol, "context": r.context.name()},
            });
            if !r.steps.is_empty() {
                result["relatedLocations"] = Value::Array(
                    r.steps
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let mut l = step_location(s, role_text(s));
                            l["id"] = json!(i);
                            l
                        })
                        .collect(),
                );
            }
            if r.steps.iter().any(|s| s.role.is_some()) {
                let mut locs: Vec<Value> = r
                    .steps
                    .iter()
                    .map(|s| json!({"location": step_location(s, role_text(s))}))
                    .collect();
                locs.push(json!({"location": sink_location}));
                result["codeFlows"] = json!([{"threadFlows": [{"locations": locs}]}]);
            }
            if let Some(fix) = &r.fix {
                // SARIF `fixes`: one replacement of the matched region (code-point columns, as
                // the run's `columnKind` says, and bytes).
                let at = |byte: usize| {
                    let before = file.text.get(..byte).unwrap_or("");
                    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                    (
                        before.matches('\n').count() + 1,
                        before[line_start..].chars().count() + 1,
                    )
                };
                let (start_line, start_column) = at(fix.byte_start);
                let (end_line, end_column) = at(fix.byte_end);
                result["fixes"] = json!([{
                    "description": {"text": format!("Replace with `{}`", fix.replacement)},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri},
                        "replacements": [{
                            "deletedRegion": {
                                "startLine": start_line,
                                "startColumn": start_column,
                                "endLine": end_line,
                                "endColumn": end_column,
                                "byteOffset": fix.byte_start,
                                "byteLength": fix.byte_end - fix.byte_start,
                            },
                            "insertedContent": {"text": fix.replacement},
                        }],
                    }],
                }]);
            }
            if !related.is_empty() {
                // Design-pattern participants: the instance's other roles (after any flow steps).
                let base = result["relatedLocations"].as_array().map_or(0, Vec::len);
                let mut all = result["relatedLocations"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                for (k, mut l) in related.into_iter().enumerate() {
                    l["id"] = json!(base + k);
                    all.push(l);
                }
                result["relatedLocations"] = Value::Array(all);
                result["properties"]["instance"] = json!(r.instance);
                result["properties"]["role"] = json!(r.role);
            }
            results.push(result);
        }
    }
    let notifications: Vec<Value> = report
        .skipped
        .iter()
        .map(|s| {
            let mut n = json!({
                "level": "note",
                "message": {"text": format!("skipped ({}): {}", s.reason.name(), s.detail)},
            });
            if let Some(p) = &s.path {
                n["locations"] = json!([{"physicalLocation": {"artifactLocation": {"uri": uri_of(&display_path(p))}}}]);
            }
            n
        })
        .collect();
    Ok(json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "codetable",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/codetable/codetable",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    }))
}

/// Pretty SARIF on a writer.
pub fn write_sarif(
    out: &mut dyn Write,
    report: &ScanReport,
    engine: &Engine,
) -> Result<(), String> {
    let v = sarif(report, engine)?;
    serde_json::to_writer_pretty(&mut *out, &v).map_err(|e| e.to_string())?;
    writeln!(out).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_encode_reserved_characters() {
        assert_eq!(uri_of("src/a b#1.py"), "src/a%20b%231.py");
        assert_eq!(uri_of("dir\\x.py"), "dir/x.py");
        assert_eq!(uri_of("é.py"), "%C3%A9.py");
    }

    #[test]
    fn long_lines_are_cut_around_the_match() {
        let text = format!("x = {}md5(data)\n", "a".repeat(1000));
        let index = LineIndex::new(&text);
        let at = text.find("md5").unwrap();
        let s = frame(&text, &index, at..at + 9, Severity::High, Style::plain());
        let lines: Vec<&str> = s.lines().collect();
        assert!(lines[0].chars().count() < FRAME_WIDTH + 20, "{s}");
        assert!(lines[0].contains("md5(data)"));
        let caret = lines[1].chars().position(|c| c == '^').unwrap();
        let under: String = lines[0].chars().skip(caret).take(9).collect();
        assert_eq!(under, "md5(data)");
    }
}
