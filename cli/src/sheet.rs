//! `explain` and `search`: a pattern's whole property sheet, and one line per matching pattern.
//!
//! These read the database only; they never scan files.

use std::fmt::Write as _;

use codetable::view::{SheetMatcher, SheetRule};
use codetable::{Expect, PatternDb, PatternSheet, RelationKind};

use crate::style::Style;

/// One line: symbol, id, name, severity, group.
pub fn line(p: &codetable::Pattern<'_>, style: Style) -> String {
    format!(
        "{:<4} {:<40} {:<32} {:<10} {}",
        style.severity(p.severity, &style.bold(&format!("{:<3}", p.symbol))),
        p.id,
        p.name,
        style.severity(p.severity, &format!("{:<8}", p.severity.name())),
        p.group
    )
}

fn relation_name(k: RelationKind) -> &'static str {
    match k {
        RelationKind::Requires => "requires",
        RelationKind::Conflicts => "conflicts with",
        RelationKind::Enhances => "enhances",
        RelationKind::Related => "see also",
    }
}

/// A pattern id with its symbol and name when the database knows it.
fn named(db: &PatternDb, id: &str) -> String {
    match db.by_id(id) {
        Ok(Some((_, p))) => format!("{} {} ({id})", p.symbol, p.name),
        _ => id.to_string(),
    }
}

/// The whole property sheet of a pattern, as text.
pub fn sheet(db: &PatternDb, p: &PatternSheet, style: Style) -> String {
    let mut s = String::new();
    let sev = style.severity(p.severity, p.severity.name());
    let _ = writeln!(
        s,
        "{}  {}  ({})",
        style.severity(p.severity, &style.bold(&p.symbol)),
        style.bold(&p.name),
        p.id
    );
    let _ = writeln!(s, "group:     {}", p.group);
    let _ = writeln!(s, "severity:  {sev}");
    let _ = writeln!(s, "languages: {}", p.languages.join(", "));
    if !p.cwe.is_empty() {
        let cwe: Vec<String> = p.cwe.iter().map(|c| format!("CWE-{c}")).collect();
        let _ = writeln!(s, "cwe:       {}", cwe.join(", "));
    }
    if !p.owasp.is_empty() {
        let _ = writeln!(s, "owasp:     {}", p.owasp.join(", "));
    }
    let _ = writeln!(s, "\n{}", p.summary);
    if !p.properties.is_empty() {
        let _ = writeln!(s, "\n{}", style.bold("Properties"));
        for k in &p.properties {
            let _ = writeln!(s, "  {}: {}", k.kind.name(), k.text);
            for e in &k.evidence {
                let _ = writeln!(s, "    evidence: {e}");
            }
        }
    }
    if !p.common_issues.is_empty() {
        let _ = writeln!(s, "\n{}", style.bold("Common issues"));
        for i in &p.common_issues {
            let _ = writeln!(s, "  - {i}");
        }
    }
    if !p.alternatives.is_empty() {
        let _ = writeln!(s, "\n{}", style.bold("Alternatives"));
        for a in &p.alternatives {
            let _ = writeln!(s, "  - {}", named(db, a));
        }
    }
    if !p.relations.is_empty() {
        let _ = writeln!(s, "\n{}", style.bold("Relations"));
        for r in &p.relations {
            let _ = writeln!(s, "  - {} {}", relation_name(r.kind), named(db, &r.target));
        }
    }
    if !p.references.is_empty() {
        let _ = writeln!(s, "\n{}", style.bold("References"));
        for r in &p.references {
            let _ = writeln!(s, "  - {r}");
        }
    }
    let _ = writeln!(s, "\n{}", style.bold("Matcher"));
    match &p.matcher {
        SheetMatcher::Rule { rules } => {
            for r in rules {
                write_rule(&mut s, "rule", r);
            }
        }
        SheetMatcher::Shape {
            threshold,
            references,
            require,
            exclude,
        } => {
            let langs: Vec<&str> = references.iter().map(|r| r.language.as_str()).collect();
            let _ = writeln!(
                s,
                "  shape: similarity ≥ {:.2} to {} reference implementation(s) ({})",
                threshold,
                references.len(),
                langs.join(", ")
            );
            for r in require {
                write_rule(&mut s, "requires", r);
            }
            for r in exclude {
                write_rule(&mut s, "unless", r);
            }
        }
    }
    let must_match = |e: &&codetable::view::SheetExample| e.expect == Expect::Match.name();
    let matching = p.examples.iter().filter(must_match).count();
    let _ = writeln!(
        s,
        "\n{}  {} that match, {} that must not",
        style.bold("Examples"),
        matching,
        p.examples.len() - matching
    );
    if let Some(e) = p.examples.iter().find(must_match) {
        let _ = writeln!(s, "  ({}, matches):", e.language);
        for l in e.code.trim_end().lines() {
            if l.trim().is_empty() {
                s.push('\n');
            } else {
                let _ = writeln!(s, "    {l}");
            }
        }
    }
    s
}

/// One template with its conditions, under a label (`rule`, and for shape guards `requires` /
/// `unless`).
fn write_rule(s: &mut String, label: &str, r: &SheetRule) {
    let _ = writeln!(s, "  {label} ({}): {}", r.language, r.pattern);
    for i in &r.inside {
        let _ = writeln!(s, "    inside: {}", i.replace('\n', "\n            "));
    }
    for i in &r.not_inside {
        let _ = writeln!(
            s,
            "    not inside: {}",
            i.replace('\n', "\n                ")
        );
    }
    for w in &r.where_ {
        let mut c = Vec::new();
        if let Some(re) = &w.regex {
            c.push(format!("matches /{re}/"));
        }
        if !w.kind.is_empty() {
            c.push(format!("is {}", w.kind.join(" or ")));
        }
        let _ = writeln!(s, "    where {} {}", w.metavar, c.join(" and "));
    }
}
