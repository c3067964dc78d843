//! `Finding`: one pattern found in code, with positions in Python's own terms.
//!
//! Core matches carry byte offsets; findings carry code-point string indices and zero-based
//! (line, column) pairs with columns in code points, converted once through `LineIndex`.
//! Findings are built without the GIL (scan threads make them) and wrapped on delivery.

use std::sync::Arc;

use codetable::{Document, LineIndex, Match, OffsetUnit};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::database::{Pattern, PatternCache, PatternData};

/// A bound metavariable, owned and in code points.
#[derive(Clone, Debug)]
pub(crate) struct CaptureData {
    name: String,
    text: String,
    start_index: usize,
    end_index: usize,
}

/// A finding, owned and in code points: built without the GIL.
#[derive(Clone, Debug)]
pub(crate) struct FindingData {
    pub(crate) pattern: Arc<PatternData>,
    pub(crate) path: Option<Arc<str>>,
    pub(crate) language: &'static str,
    pub(crate) id: u64,
    pub(crate) unit: u64,
    pub(crate) unit_name: Arc<str>,
    pub(crate) start: (u32, u32),
    pub(crate) end: (u32, u32),
    pub(crate) start_index: usize,
    pub(crate) end_index: usize,
    pub(crate) byte_range: std::ops::Range<usize>,
    pub(crate) snippet: String,
    pub(crate) score: f32,
    pub(crate) captures: Vec<CaptureData>,
}

/// A path as findings show it: as given, without a leading `./` (as the command prints it).
pub(crate) fn display_path(path: &std::path::Path) -> Arc<str> {
    let s = path.to_string_lossy();
    Arc::from(s.strip_prefix("./").unwrap_or(&s))
}

/// Converts core matches of `doc` into findings (code points, owned pattern records).
pub(crate) fn convert(
    cache: &PatternCache,
    doc: &Document,
    index: &LineIndex,
    path: Option<&Arc<str>>,
    matches: Vec<Match>,
) -> codetable::Result<Vec<FindingData>> {
    let text = doc.text();
    let cp = |b: usize| index.from_byte(text, b, OffsetUnit::CodePoint);
    let pos = |b: usize| {
        let p = index.position_in(text, b, OffsetUnit::CodePoint);
        (p.line, p.column)
    };
    matches
        .into_iter()
        .map(|m| {
            Ok(FindingData {
                pattern: cache.get(m.pattern)?,
                path: path.cloned(),
                language: doc.language().name(),
                id: m.id.0,
                unit: m.unit.0,
                unit_name: doc
                    .unit(m.unit)
                    .map(|u| u.qualified_name.clone())
                    .unwrap_or_else(|| Arc::from("")),
                start: pos(m.byte_range.start),
                end: pos(m.byte_range.end),
                start_index: cp(m.byte_range.start),
                end_index: cp(m.byte_range.end),
                snippet: text.get(m.byte_range.clone()).unwrap_or("").to_string(),
                byte_range: m.byte_range,
                score: m.score,
                captures: m
                    .captures
                    .into_iter()
                    .map(|c| CaptureData {
                        start_index: cp(c.byte_range.start),
                        end_index: cp(c.byte_range.end),
                        name: c.name,
                        text: c.text,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// One pattern found in code. Immutable.
///
/// Positions are Python's: `start`/`end` are zero-based `(line, column)` pairs with columns in
/// code points, and `start_index`/`end_index` index the scanned `str` directly
/// (`text[f.start_index:f.end_index]` is the matched code).
#[pyclass(frozen, module = "codetable", name = "Finding")]
pub struct Finding {
    pub(crate) data: FindingData,
}

#[pymethods]
impl Finding {
    /// The pattern found.
    #[getter]
    fn pattern(&self) -> Pattern {
        Pattern {
            data: self.data.pattern.clone(),
        }
    }
    /// The file the finding is in; `None` for scanned source text and documents.
    #[getter]
    fn path(&self) -> Option<&str> {
        self.data.path.as_deref()
    }
    /// Canonical name of the code's language.
    #[getter]
    fn language(&self) -> &str {
        self.data.language
    }
    /// Identity, stable while the finding's unit is not edited (see `Engine.analyze_delta`).
    #[getter]
    fn id(&self) -> u64 {
        self.data.id
    }
    /// Id of the unit (function, class, module…) the finding is in.
    #[getter]
    fn unit(&self) -> u64 {
        self.data.unit
    }
    /// Qualified name of that unit (`"Store.key"`; `""` for the module).
    #[getter]
    fn unit_name(&self) -> &str {
        &self.data.unit_name
    }
    /// Zero-based (line, column) of the start; the column counts code points.
    #[getter]
    fn start(&self) -> (u32, u32) {
        self.data.start
    }
    /// Zero-based (line, column) of the end (exclusive); the column counts code points.
    #[getter]
    fn end(&self) -> (u32, u32) {
        self.data.end
    }
    /// Index of the first matched character in the scanned string.
    #[getter]
    fn start_index(&self) -> usize {
        self.data.start_index
    }
    /// Index just past the last matched character.
    #[getter]
    fn end_index(&self) -> usize {
        self.data.end_index
    }
    /// 1.0 for a rule match; the similarity (0..1) for a shape match.
    #[getter]
    fn score(&self) -> f64 {
        json_score(self.data.score)
    }
    /// The pattern's severity (shortcut for `finding.pattern.severity`).
    #[getter]
    fn severity(&self) -> &str {
        self.data.pattern.severity
    }
    /// The one-line message: the pattern's key property.
    #[getter]
    fn message(&self) -> &str {
        &self.data.pattern.message
    }
    /// Metavariable bindings of a rule match: `Capture(name, text, start_index, end_index)`.
    #[getter]
    fn captures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.data
                .captures
                .iter()
                .map(|c| Capture { data: c.clone() }),
        )
    }

    /// Byte offset of the start in the UTF-8 encoding of the text.
    #[getter]
    fn byte_start(&self) -> usize {
        self.data.byte_range.start
    }
    /// Byte offset of the end in the UTF-8 encoding of the text.
    #[getter]
    fn byte_end(&self) -> usize {
        self.data.byte_range.end
    }
    /// The matched code (the whole unit for a shape match).
    #[getter]
    fn snippet(&self) -> &str {
        &self.data.snippet
    }

    /// The finding as the JSON object the `codetable` command prints for it (`codetable scan
    /// --format json`): the same keys, in the same (sorted) order; `line`/`column` are
    /// one-based with columns in code points. See the package README for the schema.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let f = &self.data;
        let p = &f.pattern;
        let d = PyDict::new(py);
        // Keys in sorted order, as the command prints them.
        d.set_item("byte_end", f.byte_range.end)?;
        d.set_item("byte_start", f.byte_range.start)?;
        let caps = f
            .captures
            .iter()
            .map(|c| {
                let q = PyDict::new(py);
                q.set_item("name", &c.name)?;
                q.set_item("text", &c.text)?;
                Ok(q)
            })
            .collect::<PyResult<Vec<_>>>()?;
        d.set_item("captures", caps)?;
        d.set_item("column", f.start.1 + 1)?;
        d.set_item("cwe", &p.cwe)?;
        d.set_item("end_column", f.end.1 + 1)?;
        d.set_item("end_line", f.end.0 + 1)?;
        d.set_item("group", &p.group)?;
        d.set_item("key_property", p.key_property.as_deref())?;
        d.set_item("language", f.language)?;
        d.set_item("line", f.start.0 + 1)?;
        d.set_item("name", &p.name)?;
        d.set_item("owasp", &p.owasp)?;
        d.set_item("path", f.path.as_deref())?;
        d.set_item("pattern", &p.id)?;
        d.set_item("score", json_score(f.score))?;
        d.set_item("severity", p.severity)?;
        d.set_item("snippet", &f.snippet)?;
        d.set_item("symbol", &p.symbol)?;
        d.set_item("unit", &*f.unit_name)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let f = &self.data;
        format!(
            "<Finding {} {} at {}{}:{} score={}>",
            f.pattern.symbol,
            f.pattern.id,
            f.path
                .as_deref()
                .map(|p| format!("{p}:"))
                .unwrap_or_default(),
            f.start.0 + 1,
            f.start.1 + 1,
            json_score(f.score)
        )
    }
}

/// The f32 score as the float its shortest decimal form denotes (`0.91`, not
/// `0.9100000262260437`): what the command's JSON shows.
fn json_score(s: f32) -> f64 {
    s.to_string().parse().unwrap_or(s as f64)
}

/// A metavariable of a rule bound to code: `text` is `source[start_index:end_index]`.
#[pyclass(frozen, module = "codetable", name = "Capture")]
pub struct Capture {
    data: CaptureData,
}

#[pymethods]
impl Capture {
    /// The metavariable as written in the template (`"$X"`).
    #[getter]
    fn name(&self) -> &str {
        &self.data.name
    }
    /// The bound code.
    #[getter]
    fn text(&self) -> &str {
        &self.data.text
    }
    /// Index of its first character in the scanned string.
    #[getter]
    fn start_index(&self) -> usize {
        self.data.start_index
    }
    /// Index just past its last character.
    #[getter]
    fn end_index(&self) -> usize {
        self.data.end_index
    }
    fn __repr__(&self) -> String {
        format!(
            "Capture(name={:?}, text={:?})",
            self.data.name, self.data.text
        )
    }
}

/// What an edit changed in a document's findings (`Engine.analyze_delta`): every finding of the
/// units in `units` is replaced by `findings`; findings of other units are unchanged apart from
/// their positions, which shift with the edit.
#[pyclass(frozen, module = "codetable", name = "FindingDelta")]
pub struct FindingDelta {
    pub(crate) units: Vec<u64>,
    pub(crate) findings: Vec<FindingData>,
}

#[pymethods]
impl FindingDelta {
    /// Ids of the units whose findings were recomputed (or that were removed).
    #[getter]
    fn units<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.units)
    }
    /// The new findings of those units, sorted by position.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        self.findings
            .iter()
            .map(|f| Finding { data: f.clone() })
            .collect()
    }
    fn __repr__(&self) -> String {
        format!(
            "<FindingDelta: {} units recomputed, {} findings>",
            self.units.len(),
            self.findings.len()
        )
    }
}
