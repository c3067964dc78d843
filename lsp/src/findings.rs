//! Findings as the protocol shows them: a match as a `Diagnostic` (severity, code, link and
//! message from core's [`PatternSheet`]) and the property sheets of the findings under a position
//! as a hover. Only translation: what a finding says is core's.

use codetable::{Engine, Match, PatternSheet, Severity};
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, Hover, HoverContents, MarkupContent,
    MarkupKind, NumberOrString, Uri,
};
use serde_json::json;

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

/// The diagnostic of match `m` of `doc`'s current text, found by pattern `sheet`.
pub(crate) fn diagnostic(doc: &OpenDocument, m: &Match, sheet: &PatternSheet) -> Diagnostic {
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
        related_information: None,
        tags: None,
        data: Some(json!({
            "id": format!("{:016x}", m.id.0),
            "symbol": sheet.symbol,
        })),
    }
}

/// The diagnostics of every match of `doc`'s last analysis (none before the first).
pub(crate) fn diagnostics(
    engine: &Engine,
    doc: &OpenDocument,
) -> codetable::Result<Vec<Diagnostic>> {
    let Some(matches) = doc.session.matches()? else {
        return Ok(Vec::new());
    };
    matches
        .iter()
        .map(|m| Ok(diagnostic(doc, m, &*engine.sheet(m.pattern)?)))
        .collect()
}

/// The hover at byte `at` of `doc`: the property sheet of each finding whose range holds it,
/// innermost first, its range the innermost finding's. `None` outside every finding.
pub(crate) fn hover(
    engine: &Engine,
    doc: &OpenDocument,
    at: usize,
    markdown: bool,
) -> codetable::Result<Option<Hover>> {
    let Some(matches) = doc.session.matches()? else {
        return Ok(None);
    };
    let mut under: Vec<&Match> = matches
        .iter()
        .filter(|m| m.byte_range.start <= at && at < m.byte_range.end)
        .collect();
    under.sort_by_key(|m| (m.byte_range.len(), m.byte_range.start, m.pattern));
    let Some(inner) = under.first() else {
        return Ok(None);
    };
    let mut sheets = Vec::with_capacity(under.len());
    for m in &under {
        let mut s = engine.sheet(m.pattern)?.to_markdown();
        if m.score < 1.0 {
            s = format!("*similarity {:.2}*\n\n{s}", m.score);
        }
        sheets.push(s);
    }
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: if markdown {
                MarkupKind::Markdown
            } else {
                MarkupKind::PlainText
            },
            value: sheets.join("\n---\n\n"),
        }),
        range: Some(doc.range(&inner.byte_range)),
    }))
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
        let all = diagnostics(&engine, &doc).unwrap();
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
        let hover = hover(&engine, &doc, at, true).unwrap().unwrap();
        let HoverContents::Markup(m) = &hover.contents else {
            panic!("{hover:?}")
        };
        assert_eq!(m.kind, MarkupKind::Markdown);
        assert!(m.value.starts_with("**Md** · **MD5 hash**"), "{}", m.value);
        assert_eq!(hover.range, Some(md5.range));
        assert!(super::hover(&engine, &doc, 0, true).unwrap().is_none());
    }
}
