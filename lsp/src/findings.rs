//! Findings as the protocol shows them: a match as a `Diagnostic` (severity, code, link and
//! message from core's [`PatternSheet`], the match's flow steps as related information), a
//! design-pattern participant as a `Diagnostic` listing the other participants, and the
//! property sheets of the findings under a position as a hover. Only translation: what a
//! finding says is core's; which findings are shown is the client's [`Settings`].

use std::collections::HashMap;

use codetable::project::design::DesignProject;
use codetable::{Engine, Match, MatchId, OffsetUnit, PatternSheet, Severity};
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    HoverContents, Location, MarkupContent, MarkupKind, NumberOrString, Position, Range, Uri,
};
use serde_json::json;

use crate::config::Settings;
use crate::document::OpenDocument;

/// The `source` of every diagnostic.
pub(crate) const SOURCE: &str = "codetable";

/// Critical and high findings are errors, medium ones warnings, low ones information and
/// informational ones (design and idiom patterns) hints.
pub(crate) fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Critical | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    }
}

/// The protocol's diagnostic tags of a pattern's findings (its sheet's `tags`): `deprecated`
/// is struck through, `unnecessary` faded by editors.
pub(crate) fn tags(sheet: &PatternSheet) -> Option<Vec<DiagnosticTag>> {
    let tags: Vec<DiagnosticTag> = sheet
        .tags
        .iter()
        .filter_map(|t| match t.as_str() {
            "deprecated" => Some(DiagnosticTag::DEPRECATED),
            "unnecessary" => Some(DiagnosticTag::UNNECESSARY),
            _ => None,
        })
        .collect();
    (!tags.is_empty()).then_some(tags)
}

/// The diagnostic of match `m` of `doc`'s current text (the document at `uri`), found by
/// pattern `sheet`. Its path through the code is related information, in order: for a taint
/// finding the source the tainted value came from, then each step (a local's definition or a
/// propagating call) on its way to the sink, which is the diagnostic itself; for a flow rule
/// the definitions of the locals the matched value went through.
pub(crate) fn diagnostic(
    doc: &OpenDocument,
    uri: &Uri,
    m: &Match,
    sheet: &PatternSheet,
) -> Diagnostic {
    let mut related: Vec<DiagnosticRelatedInformation> = Vec::new();
    let taint = m.source.is_some();
    if let Some(source) = &m.source {
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), doc.range(source)),
            message: format!(
                "taint source: the value reaching the {} sink comes from here",
                sheet.symbol
            ),
        });
    }
    for (i, step) in m.steps.iter().enumerate() {
        let message = if taint {
            format!(
                "taint step {} of {}: the value goes through here on its way to the {} sink",
                i + 1,
                m.steps.len(),
                sheet.symbol
            )
        } else {
            format!(
                "flow step {} of {}: the value reaches the {} finding through this definition",
                i + 1,
                m.steps.len(),
                sheet.symbol
            )
        };
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), doc.range(step)),
            message,
        });
    }
    let mut message = format!("{} {}: {}", sheet.symbol, sheet.name, sheet.message());
    if m.score < 1.0 {
        message.push_str(&format!(" (similarity {:.2})", m.score));
    }
    Diagnostic {
        range: doc.range(&m.byte_range),
        severity: Some(severity(m.severity)),
        code: Some(NumberOrString::String(sheet.id.clone())),
        code_description: sheet
            .references
            .first()
            .and_then(|r| r.parse::<Uri>().ok())
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: tags(sheet),
        data: Some(json!({
            "id": format!("{:016x}", m.id.0),
            "symbol": sheet.symbol,
        })),
    }
}

/// The findings of `doc`'s last analysis (by `engine`, the engine of its project: selection,
/// severity overrides, code context, suppressions and duplicate folding applied) that the
/// project's per-path ignores and `settings`' groups and minimum severity show (none before the
/// first analysis), with their pattern sheets: what `codetable scan` reports for the file.
pub(crate) fn shown<'d>(
    engine: &Engine,
    doc: &'d OpenDocument,
    settings: &Settings,
) -> codetable::Result<Vec<(&'d Match, std::sync::Arc<PatternSheet>)>> {
    let Some(matches) = doc.session.matches()? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(matches.len());
    for m in matches {
        let sheet = engine.sheet(m.pattern)?;
        let ignored = doc
            .project
            .as_ref()
            .is_some_and(|p| p.ignores(doc.path.as_deref(), &sheet));
        if settings.shows(&sheet, m.severity) && !ignored {
            out.push((m, sheet));
        }
    }
    Ok(out)
}

/// What a diagnostic shows of its match besides the pattern's sheet: a cached diagnostic is
/// reused while these are equal.
#[derive(Clone, PartialEq)]
struct Shown {
    pattern: u32,
    severity: Severity,
    score: u32,
    range: lsp_types::Range,
    related: Vec<lsp_types::Range>,
}

/// The JSON of each diagnostic of one document, kept between publications: a keystroke
/// re-converts only the findings whose range (in LSP positions), severity, score or steps
/// changed, and the notification is written from the pieces without a `serde_json::Value` tree
/// ([`crate::transport`]). A single-character edit leaves the positions of every finding on
/// other lines as they were.
#[derive(Default)]
pub(crate) struct DiagnosticCache {
    /// The engine the entries' sheets came from (another empties the cache).
    engine: u64,
    entries: HashMap<MatchId, (Shown, std::sync::Arc<str>)>,
}

impl DiagnosticCache {
    /// The JSON text of the `textDocument/publishDiagnostics` notification of `doc` (at
    /// `uri`, with its version): every finding `settings` shows, from the cache where it is
    /// unchanged, then `extra` (the document's design-pattern participants). Also answers how
    /// many diagnostics it holds.
    pub(crate) fn publish_json(
        &mut self,
        engine: &Engine,
        doc: &OpenDocument,
        uri: &Uri,
        settings: &Settings,
        extra: &[Diagnostic],
    ) -> codetable::Result<(String, usize)> {
        if self.engine != engine.id() {
            self.entries.clear();
            self.engine = engine.id();
        }
        let shown = shown(engine, doc, settings)?;
        let mut entries = HashMap::with_capacity(shown.len());
        let mut body = String::with_capacity(64 + shown.len() * 320);
        body.push_str(
            r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
        );
        body.push_str(&serde_json::to_string(uri.as_str()).unwrap_or_default());
        body.push_str(r#","diagnostics":["#);
        for (i, (m, sheet)) in shown.iter().enumerate() {
            let key = Shown {
                pattern: m.pattern,
                severity: m.severity,
                score: m.score.to_bits(),
                range: doc.range(&m.byte_range),
                related: m
                    .source
                    .iter()
                    .chain(&m.steps)
                    .map(|r| doc.range(r))
                    .collect(),
            };
            let json = match self.entries.remove(&m.id) {
                Some((old, json)) if old == key => json,
                _ => {
                    let d = diagnostic(doc, uri, m, sheet);
                    std::sync::Arc::from(serde_json::to_string(&d).unwrap_or_default())
                }
            };
            if i > 0 {
                body.push(',');
            }
            body.push_str(&json);
            entries.insert(m.id, (key, json));
        }
        for (i, d) in extra.iter().enumerate() {
            if i > 0 || !shown.is_empty() {
                body.push(',');
            }
            body.push_str(&serde_json::to_string(d).unwrap_or_default());
        }
        body.push_str(r#"],"version":"#);
        body.push_str(&doc.version.to_string());
        body.push_str("}}");
        self.entries = entries;
        Ok((body, shown.len() + extra.len()))
    }
}

/// The diagnostics of every match of `doc`'s last analysis that `settings` shows.
pub(crate) fn diagnostics(
    engine: &Engine,
    doc: &OpenDocument,
    uri: &Uri,
    settings: &Settings,
) -> codetable::Result<Vec<Diagnostic>> {
    Ok(shown(engine, doc, settings)?
        .into_iter()
        .map(|(m, sheet)| diagnostic(doc, uri, m, &sheet))
        .collect())
}

/// Whether `d` is a design-pattern participant's diagnostic ([`participants`]).
pub(crate) fn is_participant(d: &Diagnostic) -> bool {
    d.data.as_ref().is_some_and(|v| v.get("instance").is_some())
}

/// The diagnostics of every participant of the design-pattern instances `engine` recognises in
/// `project` (core's records, one per participant), by file (`uris`: the URI of each document
/// key), ranges in `unit`. Each says its role and lists the other participants of its instance
/// as related information: their place (file and declaration) and role.
// `Uri` caches its parse inside; its hash and equality are its text's.
#[allow(clippy::mutable_key_type)]
pub(crate) fn participants(
    engine: &Engine,
    project: &DesignProject,
    uris: &HashMap<String, Uri>,
    unit: OffsetUnit,
) -> HashMap<Uri, Vec<Diagnostic>> {
    let mut out: HashMap<Uri, Vec<Diagnostic>> = HashMap::new();
    let Ok(records) = project.findings(engine) else {
        return out;
    };
    let range = |path: &str, start: usize, end: usize| {
        let s = project.position(path, start, unit)?;
        let e = project.position(path, end, unit)?;
        Some(Range::new(
            Position::new(s.line, s.column),
            Position::new(e.line, e.column),
        ))
    };
    for r in &records {
        let (Some(path), Some(role)) = (r.path.as_deref(), r.role.as_deref()) else {
            continue;
        };
        let (Some(uri), Some(at)) = (uris.get(path), range(path, r.byte_start, r.byte_end)) else {
            continue;
        };
        let related: Vec<DiagnosticRelatedInformation> = r
            .participants
            .iter()
            .filter(|p| p.finding != r.id)
            .filter_map(|p| {
                let key = p.path.as_deref()?;
                Some(DiagnosticRelatedInformation {
                    location: Location::new(
                        uris.get(key)?.clone(),
                        range(key, p.byte_start, p.byte_end)?,
                    ),
                    message: format!("{}: `{}`, of the same {}", p.role, p.unit, r.name),
                })
            })
            .collect();
        let sheet = engine
            .db()
            .by_id(&r.pattern)
            .ok()
            .flatten()
            .and_then(|(n, _)| engine.sheet(n).ok());
        let others = related.len();
        out.entry(uri.clone()).or_default().push(Diagnostic {
            range: at,
            severity: Some(severity(r.severity)),
            code: Some(NumberOrString::String(r.pattern.clone())),
            code_description: sheet
                .as_ref()
                .and_then(|s| s.references.first())
                .and_then(|r| r.parse::<Uri>().ok())
                .map(|href| CodeDescription { href }),
            source: Some(SOURCE.to_string()),
            message: format!(
                "{} {}: `{}` is the {role} (with {others} other participant{})",
                r.symbol,
                r.name,
                r.unit,
                if others == 1 { "" } else { "s" }
            ),
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: Some(json!({
                "id": r.id,
                "symbol": r.symbol,
                "instance": r.instance,
                "role": role,
            })),
        });
    }
    out
}

/// The hover at byte `at` of `doc`: the property sheet of each finding whose range holds it,
/// innermost first, and the innermost finding's byte range (the hover's range, which the caller
/// converts: the text may have been edited since). `None` outside every finding.
pub(crate) fn hover(
    engine: &Engine,
    doc: &OpenDocument,
    at: usize,
    markdown: bool,
    settings: &Settings,
) -> codetable::Result<Option<(HoverContents, std::ops::Range<usize>)>> {
    let mut under: Vec<_> = shown(engine, doc, settings)?
        .into_iter()
        .filter(|(m, _)| m.byte_range.start <= at && at < m.byte_range.end)
        .collect();
    under.sort_by_key(|(m, _)| (m.byte_range.len(), m.byte_range.start, m.pattern));
    let Some((inner, _)) = under.first() else {
        return Ok(None);
    };
    let mut sheets = Vec::with_capacity(under.len());
    for (m, sheet) in &under {
        let mut s = sheet.to_markdown();
        if m.score < 1.0 {
            s = format!("*similarity {:.2}*\n\n{s}", m.score);
        }
        sheets.push(s);
    }
    let contents = HoverContents::Markup(MarkupContent {
        kind: if markdown {
            MarkupKind::Markdown
        } else {
            MarkupKind::PlainText
        },
        value: sheets.join("\n---\n\n"),
    });
    Ok(Some((contents, inner.byte_range.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use codetable::{Language, OffsetUnit, PatternDb};

    #[test]
    fn severities_map_to_the_four_levels() {
        let got: Vec<_> = Severity::ALL.iter().map(|s| severity(*s)).collect();
        use DiagnosticSeverity as D;
        assert_eq!(
            got,
            [D::HINT, D::INFORMATION, D::WARNING, D::ERROR, D::ERROR]
        );
    }

    #[test]
    fn a_finding_becomes_a_diagnostic_and_a_hover() {
        let engine = Engine::new(PatternDb::default_catalog());
        let text = "import hashlib\n# ü😀\nh = hashlib.md5(b'é')\n";
        let mut doc =
            OpenDocument::new(Language::Python, text.into(), OffsetUnit::Utf16, 3).unwrap();
        doc.session.analyze(&engine).unwrap();
        let uri: Uri = "file:///w/a.py".parse().unwrap();
        let all = diagnostics(&engine, &doc, &uri, &Settings::default()).unwrap();
        let md5 = all
            .iter()
            .find(|d| d.code == Some(NumberOrString::String("security.weak-hash.md5".into())))
            .unwrap();
        assert_eq!(md5.severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!(md5.source.as_deref(), Some("codetable"));
        assert!(md5.message.starts_with("Md MD5 hash: "), "{}", md5.message);
        assert!(md5
            .code_description
            .as_ref()
            .unwrap()
            .href
            .as_str()
            .starts_with("https://"));
        // `hashlib.md5(b'é')` on line 2: UTF-16 columns 4 to 21.
        assert_eq!((md5.range.start.line, md5.range.start.character), (2, 4));
        assert_eq!((md5.range.end.line, md5.range.end.character), (2, 21));

        let at = text.find("md5").unwrap();
        let (contents, bytes) = hover(&engine, &doc, at, true, &Settings::default())
            .unwrap()
            .unwrap();
        let HoverContents::Markup(m) = &contents else {
            panic!("{contents:?}")
        };
        assert_eq!(m.kind, MarkupKind::Markdown);
        assert!(m.value.starts_with("**Md** · **MD5 hash**"), "{}", m.value);
        assert_eq!(doc.range(&bytes), md5.range);
        assert!(super::hover(&engine, &doc, 0, true, &Settings::default())
            .unwrap()
            .is_none());
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;
    use codetable::{Language, OffsetUnit, PatternDb};

    #[test]
    fn the_published_json_is_the_notifications_and_unchanged_findings_are_reused() {
        let engine = Engine::new(PatternDb::default_catalog());
        let text = "import hashlib\n# ü😀\nh = hashlib.md5(b'é')\ng = hashlib.sha1(b'')\n";
        let mut doc =
            OpenDocument::new(Language::Python, text.into(), OffsetUnit::Utf16, 3).unwrap();
        doc.session.analyze(&engine).unwrap();
        let uri: Uri = "file:///w/r%C3%A9.py".parse().unwrap();
        let settings = Settings::default();
        let mut cache = DiagnosticCache::default();
        let (json, n) = cache
            .publish_json(&engine, &doc, &uri, &settings, &[])
            .unwrap();
        let items = diagnostics(&engine, &doc, &uri, &settings).unwrap();
        assert_eq!(n, items.len());
        assert!(n >= 2);
        let expected = serde_json::to_value(lsp_types::PublishDiagnosticsParams::new(
            uri.clone(),
            items,
            Some(3),
        ))
        .unwrap();
        let got: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(got["method"], "textDocument/publishDiagnostics");
        assert_eq!(got["params"], expected);
        let before: Vec<_> = cache.entries.values().map(|(_, j)| j.clone()).collect();
        // A character typed on the last line: the MD5 diagnostic's JSON is reused as it was,
        // the SHA-1 one (on the edited line) rebuilt.
        let at = text.find("g = ").unwrap();
        doc.session
            .edit_in(OffsetUnit::Byte, at, at + 1, "gé")
            .unwrap();
        doc.session.analyze_delta(&engine).unwrap();
        doc.version = 4;
        let (json, _) = cache
            .publish_json(&engine, &doc, &uri, &settings, &[])
            .unwrap();
        let reused = cache
            .entries
            .values()
            .filter(|(_, j)| before.iter().any(|b| std::sync::Arc::ptr_eq(b, j)))
            .count();
        assert_eq!(reused, cache.entries.len() - 1, "{json}");
        let items = diagnostics(&engine, &doc, &uri, &settings).unwrap();
        let expected = serde_json::to_value(lsp_types::PublishDiagnosticsParams::new(
            uri.clone(),
            items,
            Some(4),
        ))
        .unwrap();
        let got: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(got["params"], expected);
    }
}

#[cfg(test)]
mod flow_tests {
    use super::*;
    use codetable::{Language, OffsetUnit, PatternDb};

    /// An engine over the end-to-end suite's one-pattern catalog, whose rule follows locals
    /// (the shipped SQL rules do not).
    fn flow_engine() -> Engine {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/e2e/fixtures/flow-db/query-concat.toml"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let catalog =
            codetable::catalog::Catalog::from_sources(vec![(path.to_string(), text)]).unwrap();
        Engine::new(PatternDb::from_bytes(codetable::build_database(&catalog).unwrap()).unwrap())
    }

    #[test]
    fn flow_steps_become_related_information() {
        let engine = flow_engine();
        let text = "def f(cur, x):\n    q = \"SELECT \" + x  # é😀\n    cur.execute(q)\n";
        let mut doc =
            OpenDocument::new(Language::Python, text.into(), OffsetUnit::Utf16, 1).unwrap();
        doc.session.analyze(&engine).unwrap();
        let uri: Uri = "file:///w/r%C3%A9.py".parse().unwrap();
        let all = diagnostics(&engine, &doc, &uri, &Settings::default()).unwrap();
        let shell = all
            .iter()
            .find(|d| d.related_information.is_some())
            .unwrap_or_else(|| panic!("no diagnostic with flow steps: {all:#?}"));
        assert_eq!(shell.range.start.line, 2);
        let related = shell.related_information.as_ref().unwrap();
        assert_eq!(related.len(), 1);
        assert_eq!(related[0].location.uri, uri);
        assert_eq!(
            related[0].location.range.start,
            lsp_types::Position::new(1, 4)
        );
        assert_eq!(
            related[0].location.range.end,
            lsp_types::Position::new(1, 21)
        );
        assert!(
            related[0].message.starts_with("flow step 1 of 1"),
            "{}",
            related[0].message
        );
        // Written with its literal, the query is found without steps: no related information.
        let direct = "def f(cur, x):\n    cur.execute(\"SELECT \" + x)\n";
        let mut doc =
            OpenDocument::new(Language::Python, direct.into(), OffsetUnit::Utf16, 1).unwrap();
        doc.session.analyze(&engine).unwrap();
        let all = diagnostics(&engine, &doc, &uri, &Settings::default()).unwrap();
        assert_eq!(all.len(), 1);
        assert!(all[0].related_information.is_none());
    }
}
