//! `Finding`: one pattern found in code, as core's `FindingRecord` plus Python string indices;
//! `Changes`: what an analysis of a `Document` changed (core's `Changes`, as findings).
//!
//! Records and positions come from core (`Session::record`, `Session::to_host` in code points);
//! this module only carries them to Python. Findings are built without the GIL (scan threads
//! make them) and wrapped on delivery.

use std::sync::Arc;

use codetable::view::{FindingRecord, PatternSheet};
use codetable::{Match, Session};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::database::{from_json, Pattern};
use crate::engine::CoreEngine;

/// A finding, owned: core's record and what Python adds to it (string indices, ids as ints).
#[derive(Clone, Debug)]
pub(crate) struct FindingData {
    record: FindingRecord,
    sheet: Arc<PatternSheet>,
    id: u64,
    unit: u64,
    /// Code-point indices of the match, then of each capture (in the record's order).
    indices: Vec<(usize, usize)>,
    /// Code-point indices of the range the rule's fix replaces, when it has one.
    fix_indices: Option<(usize, usize)>,
    /// Code-point indices of each participant in its own document (design findings).
    participant_indices: Vec<(usize, usize)>,
}

impl FindingData {
    /// A design-pattern participant's finding (from a project): core's record, its code-point
    /// indices in its document and those of every participant of its instance.
    pub(crate) fn design(
        record: FindingRecord,
        sheet: Arc<PatternSheet>,
        own: (usize, usize),
        participants: Vec<(usize, usize)>,
    ) -> FindingData {
        FindingData {
            id: u64::from_str_radix(&record.id, 16).unwrap_or(0),
            record,
            sheet,
            unit: 0,
            indices: vec![own],
            fix_indices: None,
            participant_indices: participants,
        }
    }
}

/// Findings of `matches` of `session`'s current text (`path`: the file they came from).
pub(crate) fn findings(
    session: &Session,
    engine: &CoreEngine,
    matches: &[Match],
    path: Option<&str>,
) -> codetable::Result<Vec<FindingData>> {
    let index = |r: &std::ops::Range<usize>| (session.to_host(r.start), session.to_host(r.end));
    matches
        .iter()
        .map(|m| {
            let sheet = engine.sheet(m.pattern)?;
            let indices = std::iter::once(index(&m.byte_range))
                .chain(m.captures.iter().map(|c| index(&c.byte_range)))
                .collect();
            Ok(FindingData {
                record: session.record(m, &sheet, path),
                sheet,
                id: m.id.0,
                unit: m.unit.0,
                indices,
                fix_indices: m.fix.as_ref().map(|f| index(&f.byte_range)),
                participant_indices: Vec::new(),
            })
        })
        .collect()
}

/// Wraps findings for Python.
pub(crate) fn wrap(v: Vec<FindingData>) -> Vec<Finding> {
    v.into_iter().map(|data| Finding { data }).collect()
}

/// One pattern found in code. Immutable.
///
/// Positions are Python's: `start`/`end` are zero-based `(line, column)` pairs with columns in
/// code points, and `start_index`/`end_index` index the scanned `str` directly
/// (`text[f.start_index:f.end_index]` is the matched code). `to_dict()`/`to_json()` are core's
/// finding record (one-based lines and columns).
#[pyclass(frozen, module = "codetable", name = "Finding")]
pub struct Finding {
    pub(crate) data: FindingData,
}

impl Finding {
    fn record(&self) -> &FindingRecord {
        &self.data.record
    }
}

#[pymethods]
impl Finding {
    /// The pattern found.
    #[getter]
    fn pattern(&self) -> Pattern {
        Pattern {
            sheet: self.data.sheet.clone(),
        }
    }
    /// The file the finding is in; `None` for scanned source text and documents.
    #[getter]
    fn path(&self) -> Option<&str> {
        self.record().path.as_deref()
    }
    /// Canonical name of the code's language.
    #[getter]
    fn language(&self) -> &str {
        &self.record().language
    }
    /// Identity, stable while the finding's unit is not edited (see `Engine.analyze_delta`);
    /// `to_dict()["id"]` is the same number as 16 hex digits.
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
        &self.record().unit
    }

    /// The finding's identity across edits (16 hex digits): no line or offset goes in, so
    /// edits above the finding keep it (core's `FindingRecord::fingerprint`).
    #[getter]
    fn fingerprint(&self) -> &str {
        &self.record().fingerprint
    }
    /// Zero-based (line, column) of the start; the column counts code points.
    #[getter]
    fn start(&self) -> (u32, u32) {
        (self.record().line - 1, self.record().column - 1)
    }
    /// Zero-based (line, column) of the end (exclusive); the column counts code points.
    #[getter]
    fn end(&self) -> (u32, u32) {
        (self.record().end_line - 1, self.record().end_column - 1)
    }
    /// Index of the first matched character in the scanned string.
    #[getter]
    fn start_index(&self) -> usize {
        self.data.indices[0].0
    }
    /// Index just past the last matched character.
    #[getter]
    fn end_index(&self) -> usize {
        self.data.indices[0].1
    }
    /// 1.0 for a rule match; the similarity (0..1) for a shape match.
    #[getter]
    fn score(&self) -> f64 {
        json_score(self.record().score)
    }
    /// The finding's severity: the pattern's, or as the engine's selection reports it (one
    /// level lower outside production code).
    #[getter]
    fn severity(&self) -> &'static str {
        self.record().severity.name()
    }
    /// Where the code lives: `production`, `test`, `bench`, `example`, `fuzz`, `generated` or
    /// `vendored` (from the path, the content and the enclosing units).
    #[getter]
    fn context(&self) -> &'static str {
        self.record().context.name()
    }
    /// For a participant of a design-pattern instance (from `Project.findings()`): its role
    /// (`"subject"`, `"observer"`…); None otherwise.
    #[getter]
    fn role(&self) -> Option<&str> {
        self.record().role.as_deref()
    }
    /// For a participant of a design-pattern instance: the instance's id, shared by all its
    /// participants; None otherwise.
    #[getter]
    fn instance(&self) -> Option<&str> {
        self.record().instance.as_deref()
    }
    /// For a participant of a design-pattern instance: every participant of the instance (this
    /// one included), role by role; empty otherwise.
    #[getter]
    fn participants(&self) -> Vec<crate::project::Participant> {
        self.record()
            .participants
            .iter()
            .zip(&self.data.participant_indices)
            .map(|(r, &i)| crate::project::Participant::new(r.clone(), i))
            .collect()
    }
    /// The one-line message: the pattern's key property (or its summary).
    #[getter]
    fn message(&self) -> &str {
        self.data.sheet.message()
    }
    /// Metavariable bindings of a rule match: `Capture(name, text, start_index, end_index)`.
    #[getter]
    fn captures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.record()
                .captures
                .iter()
                .zip(&self.data.indices[1..])
                .map(|(c, &(start_index, end_index))| Capture {
                    name: c.name.clone(),
                    text: c.text.clone(),
                    start_index,
                    end_index,
                }),
        )
    }
    /// Byte offset of the start in the UTF-8 encoding of the text.
    #[getter]
    fn byte_start(&self) -> usize {
        self.record().byte_start
    }
    /// Byte offset of the end in the UTF-8 encoding of the text.
    #[getter]
    fn byte_end(&self) -> usize {
        self.record().byte_end
    }
    /// The matched code (the whole unit for a shape match).
    #[getter]
    fn snippet(&self) -> &str {
        &self.record().snippet
    }
    /// The edit the rule proposes (`Fix(start_index, end_index, replacement)`: put
    /// `replacement` in place of `text[start_index:end_index]`), or `None`.
    #[getter]
    fn fix(&self) -> Option<Fix> {
        let (start_index, end_index) = self.data.fix_indices?;
        let f = self.record().fix.as_ref()?;
        Some(Fix {
            replacement: f.replacement.clone(),
            start_index,
            end_index,
            byte_start: f.byte_start,
            byte_end: f.byte_end,
        })
    }

    /// The finding as plain Python data: core's finding record, the object of
    /// `core/schema/finding.schema.json` (what `codetable scan --format json` prints for it;
    /// `line`/`column` one-based with columns in code points, `id` as 16 hex digits).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        from_json(py, &self.record().to_json())
    }

    /// The finding as core's JSON text: byte for byte the line `codetable scan --format json`
    /// prints for it.
    fn to_json(&self) -> String {
        self.record().to_json()
    }

    fn __repr__(&self) -> String {
        let r = self.record();
        format!(
            "<Finding {} {} at {}{}:{} score={}>",
            r.symbol,
            r.pattern,
            r.path
                .as_deref()
                .map(|p| format!("{p}:"))
                .unwrap_or_default(),
            r.line,
            r.column,
            json_score(r.score)
        )
    }
}

/// The f32 score as the float its shortest decimal form denotes (`0.91`, not
/// `0.9100000262260437`): what the JSON shows.
fn json_score(s: f32) -> f64 {
    s.to_string().parse().unwrap_or(s as f64)
}

/// A metavariable of a rule bound to code: `text` is `source[start_index:end_index]`.
#[pyclass(frozen, module = "codetable", name = "Capture")]
pub struct Capture {
    name: String,
    text: String,
    start_index: usize,
    end_index: usize,
}

#[pymethods]
impl Capture {
    /// The metavariable as written in the template (`"$X"`).
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }
    /// The bound code.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }
    /// Index of its first character in the scanned string.
    #[getter]
    fn start_index(&self) -> usize {
        self.start_index
    }
    /// Index just past its last character.
    #[getter]
    fn end_index(&self) -> usize {
        self.end_index
    }
    fn __repr__(&self) -> String {
        format!("Capture(name={:?}, text={:?})", self.name, self.text)
    }
}

/// The edit a finding's rule proposes: `text[:start_index] + replacement + text[end_index:]`.
#[pyclass(frozen, module = "codetable", name = "Fix")]
pub struct Fix {
    replacement: String,
    start_index: usize,
    end_index: usize,
    byte_start: usize,
    byte_end: usize,
}

#[pymethods]
impl Fix {
    /// The new code.
    #[getter]
    fn replacement(&self) -> &str {
        &self.replacement
    }
    /// Index of the first replaced character in the scanned string.
    #[getter]
    fn start_index(&self) -> usize {
        self.start_index
    }
    /// Index just past the last replaced character.
    #[getter]
    fn end_index(&self) -> usize {
        self.end_index
    }
    /// Byte offset of the start in the UTF-8 text.
    #[getter]
    fn byte_start(&self) -> usize {
        self.byte_start
    }
    /// Byte offset of the end in the UTF-8 text.
    #[getter]
    fn byte_end(&self) -> usize {
        self.byte_end
    }
    fn __repr__(&self) -> String {
        format!(
            "Fix(start_index={}, end_index={}, replacement={:?})",
            self.start_index, self.end_index, self.replacement
        )
    }
}

/// What an analysis changed in a document's findings (`Engine.analyze_delta`), by identity:
/// `added` findings are new; `updated` ones kept their `id` but were recomputed (replace what
/// you show for them); `removed` ones are gone, with their last ranges carried into the current
/// text. Findings in none of the three only shifted with the edits.
#[pyclass(frozen, module = "codetable", name = "Changes")]
pub struct Changes {
    pub(crate) added: Vec<FindingData>,
    pub(crate) updated: Vec<FindingData>,
    pub(crate) removed: Vec<FindingData>,
    /// Core's `Changes::is_empty`.
    pub(crate) empty: bool,
}

fn tuple<'py>(py: Python<'py>, v: &[FindingData]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, v.iter().map(|data| Finding { data: data.clone() }))
}

#[pymethods]
impl Changes {
    /// Findings that appeared, sorted by position then pattern.
    #[getter]
    fn added<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(py, &self.added)
    }
    /// Findings recomputed with the same identity, sorted by position then pattern.
    #[getter]
    fn updated<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(py, &self.updated)
    }
    /// Findings that disappeared (ranges mapped into the current text), sorted by position then
    /// pattern.
    #[getter]
    fn removed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(py, &self.removed)
    }
    /// True when nothing was added, updated or removed.
    fn is_empty(&self) -> bool {
        self.empty
    }
    fn __repr__(&self) -> String {
        format!(
            "<codetable.Changes: {} added, {} updated, {} removed>",
            self.added.len(),
            self.updated.len(),
            self.removed.len()
        )
    }
}
