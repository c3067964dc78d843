//! `table`: the periodic table of the catalog, drawn in the terminal.
//!
//! Groups are columns, one cell per pattern (its symbol), most severe first, coloured by
//! severity. Given counts (from a scan), found cells are highlighted with their counts and the
//! others faded; without colour, found cells are bracketed. Rendering only: no I/O of its own.

use std::collections::BTreeMap;

use codetable::{PatternDb, Severity, GROUPS};

use crate::style::Style;

struct Cell {
    symbol: String,
    severity: Severity,
    count: usize,
}

fn header(group: &str) -> String {
    match group {
        "reliability" => "reliab.".into(),
        "performance" => "perform.".into(),
        "concurrency" => "concur.".into(),
        "maintainability" => "maintain.".into(),
        g if g.chars().count() > 9 => g.chars().take(8).collect::<String>() + ".",
        g => g.into(),
    }
}

/// Draws the table. `counts` maps pattern numbers to finding counts when files were scanned.
pub fn render(
    db: &PatternDb,
    counts: Option<&BTreeMap<u32, usize>>,
    style: Style,
) -> Result<String, codetable::Error> {
    let mut columns: Vec<(String, Vec<Cell>)> =
        GROUPS.iter().map(|g| (g.to_string(), Vec::new())).collect();
    let mut found = Vec::new();
    for n in 0..db.len() as u32 {
        let p = db.pattern(n)?;
        let count = counts.and_then(|c| c.get(&n)).copied().unwrap_or(0);
        if count > 0 {
            found.push((
                count,
                p.symbol.to_string(),
                p.name.to_string(),
                p.id.to_string(),
                p.severity,
            ));
        }
        let cell = Cell {
            // A user pattern may have no symbol: its cell is a dot.
            symbol: if p.symbol.is_empty() {
                "·".to_string()
            } else {
                p.symbol.to_string()
            },
            severity: p.severity,
            count,
        };
        match columns.iter_mut().find(|(g, _)| g == p.group) {
            Some((_, cells)) => cells.push(cell),
            None => columns.push((p.group.to_string(), vec![cell])),
        }
    }
    for (_, cells) in &mut columns {
        cells.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.symbol.cmp(&b.symbol)));
    }
    let scanned = counts.is_some();
    // Wide enough for the longest header (`maintain.`) and a symbol with a count.
    let width = 9;
    let mut out = String::new();
    for (g, _) in &columns {
        out.push_str(&style.bold(&format!("{:<w$}", header(g), w = width)));
        out.push(' ');
    }
    out = out.trim_end().to_string();
    out.push('\n');
    let rows = columns.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    for r in 0..rows {
        let mut line = String::new();
        for (_, cells) in &columns {
            let text = match cells.get(r) {
                None => " ".repeat(width),
                Some(c) if !scanned => {
                    style.cell(c.severity, false, &format!("{:<w$}", c.symbol, w = width))
                }
                Some(c) if c.count > 0 => {
                    let inner = format!("{:<3}{:>4}", c.symbol, c.count);
                    if style.is_color() {
                        style.cell(c.severity, true, &format!(" {inner} "))
                    } else {
                        format!("[{inner}]")
                    }
                }
                Some(c) => style.faded(&format!(" {:<7} ", c.symbol)),
            };
            line.push_str(&text);
            line.push(' ');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    let legend: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .map(|s| style.severity(*s, s.name()))
        .collect();
    out.push_str(&format!(
        "{} patterns in {} group(s); severity: {}\n",
        db.len(),
        columns.iter().filter(|(_, c)| !c.is_empty()).count(),
        legend.join(" ")
    ));
    if scanned {
        found.sort_by(|a, b| b.4.cmp(&a.4).then(b.0.cmp(&a.0)).then(a.1.cmp(&b.1)));
        out.push_str(&format!("{} of them found:\n", found.len()));
        for (count, symbol, name, id, severity) in found {
            out.push_str(&format!(
                "  {} {count:>5}  {name} ({id})\n",
                style.severity(severity, &format!("{symbol:<3}"))
            ));
        }
    }
    Ok(out)
}

/// The design patterns found, a row per pattern: its symbol, instance and participant counts,
/// name and id (`found`: pattern number, instances, participants). Empty when none was found.
pub fn design(
    db: &PatternDb,
    found: &[(u32, usize, usize)],
    style: Style,
) -> Result<String, codetable::Error> {
    if found.is_empty() {
        return Ok(String::new());
    }
    let mut rows = Vec::new();
    for &(n, instances, participants) in found {
        let p = db.pattern(n)?;
        rows.push((
            instances,
            participants,
            p.symbol.to_string(),
            p.name.to_string(),
            p.id.to_string(),
        ));
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    let total: usize = rows.iter().map(|r| r.0).sum();
    let mut out = format!(
        "{} design pattern(s) found, {total} instance(s) (`codetable explain INSTANCE` or FILE:LINE lists the participants):\n",
        rows.len()
    );
    for (instances, participants, symbol, name, id) in rows {
        out.push_str(&format!(
            "  {} {instances:>5} instance(s), {participants:>3} participant(s)  {name} ({id})\n",
            style.bold(&format!("{symbol:<3}"))
        ));
    }
    Ok(out)
}
