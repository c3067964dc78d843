//! `Document`: a text under edit, with its units, in Python string indices.
//!
//! The core document is kept behind a mutex (so one `Document` can be shared by threads) with
//! the line index of its current text; edits arrive as code-point indices and are converted to
//! bytes here, through `LineIndex`, before the core sees them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use codetable::{Language, LineIndex, OffsetUnit};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::{guard, EditError, Error, IntoPy};

static SERIAL: AtomicU64 = AtomicU64::new(1);

/// The core document and the line index of its current text.
pub(crate) struct DocState {
    pub(crate) doc: codetable::Document,
    pub(crate) index: LineIndex,
    /// Number of code points in the text.
    pub(crate) chars: usize,
}

impl DocState {
    pub(crate) fn new(doc: codetable::Document) -> DocState {
        let index = LineIndex::new(doc.text());
        let chars = index.from_byte(doc.text(), doc.text().len(), OffsetUnit::CodePoint);
        DocState { doc, index, chars }
    }

    /// Rebuilds the line index after an edit.
    fn reindex(&mut self) {
        self.index = LineIndex::new(self.doc.text());
        self.chars = self.index.from_byte(
            self.doc.text(),
            self.doc.text().len(),
            OffsetUnit::CodePoint,
        );
    }

    fn unit(&self, u: &codetable::Unit) -> Unit {
        let text = self.doc.text();
        let pos = |b: usize| {
            let p = self.index.position_in(text, b, OffsetUnit::CodePoint);
            (p.line, p.column)
        };
        Unit {
            id: u.id.0,
            kind: u.kind.name(),
            name: u.name.clone(),
            qualified_name: u.qualified_name.clone(),
            start: pos(u.byte_range.start),
            end: pos(u.byte_range.end),
            start_index: self
                .index
                .from_byte(text, u.byte_range.start, OffsetUnit::CodePoint),
            end_index: self
                .index
                .from_byte(text, u.byte_range.end, OffsetUnit::CodePoint),
            parent: u.parent.map(|p| p.0),
            depth: u.depth,
            fingerprint: u.fingerprint.hash,
            features: u.fingerprint.features.len(),
        }
    }
}

/// A source text and its units, kept up to date incrementally as it is edited.
///
/// `Document(language, text)` parses the text; `doc.edit(start, end, new_text)` replaces
/// `text[start:end]` (Python string indices) and returns a `Delta` naming the units that
/// changed. Pass both to `Engine.analyze_delta` to update findings without a full rescan.
#[pyclass(frozen, module = "codetable", name = "Document")]
pub struct Document {
    pub(crate) state: Arc<Mutex<DocState>>,
    pub(crate) serial: u64,
}

impl Document {
    pub(crate) fn lock(&self) -> PyResult<MutexGuard<'_, DocState>> {
        self.state
            .lock()
            .map_err(|_| Error::new_err("document is unusable: an earlier call panicked"))
    }
}

fn index_arg(name: &str, v: i64, chars: usize) -> PyResult<usize> {
    if v < 0 || v as u64 > chars as u64 {
        return Err(EditError::new_err(format!(
            "edit {name} index {v} is out of range for a document of {chars} characters"
        )));
    }
    Ok(v as usize)
}

#[pymethods]
impl Document {
    /// Parses `text` as `language` (a name or alias: "python", "py", "ts", "c++"…).
    /// Raises `LanguageError` for an unknown language.
    #[new]
    fn new(py: Python<'_>, language: &str, text: String) -> PyResult<Document> {
        guard(|| {
            let lang = Language::from_name(language).py_err()?;
            let doc = py
                .detach(|| codetable::Document::new(lang, text))
                .py_err()?;
            Ok(Document {
                state: Arc::new(Mutex::new(DocState::new(doc))),
                serial: SERIAL.fetch_add(1, Ordering::Relaxed),
            })
        })
    }

    /// Canonical name of the document's language.
    #[getter]
    fn language(&self) -> PyResult<&'static str> {
        Ok(self.lock()?.doc.language().name())
    }

    /// The current text.
    #[getter]
    fn text(&self) -> PyResult<String> {
        Ok(self.lock()?.doc.text().to_string())
    }

    /// Number of edits applied so far.
    #[getter]
    fn version(&self) -> PyResult<u64> {
        Ok(self.lock()?.doc.version())
    }

    /// True when the text does not parse cleanly (analysis still works on the rest).
    #[getter]
    fn has_syntax_errors(&self) -> PyResult<bool> {
        Ok(self.lock()?.doc.has_syntax_errors())
    }

    /// The units (module, classes, functions, methods…) in document order, as `Unit` objects.
    #[getter]
    fn units<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        guard(|| {
            let st = self.lock()?;
            let units: Vec<Unit> = st.doc.units().iter().map(|u| st.unit(u)).collect();
            drop(st);
            PyTuple::new(py, units)
        })
    }

    /// The innermost unit containing zero-based `line`.
    fn unit_at_line(&self, line: u32) -> PyResult<Unit> {
        guard(|| {
            let st = self.lock()?;
            Ok(st.unit(st.doc.unit_at_line(line)))
        })
    }

    /// Replaces `text[start:end]` with `new_text` (Python string indices, `0 <= start <= end <=
    /// len(text)`), reparses incrementally and returns the `Delta`. Raises `EditError` for a
    /// range outside the text; a failed edit leaves the document unchanged.
    fn edit(&self, py: Python<'_>, start: i64, end: i64, new_text: String) -> PyResult<Delta> {
        guard(|| {
            let state = self.state.clone();
            let serial = self.serial;
            py.detach(move || {
                let mut st = state.lock().map_err(|_| {
                    Error::new_err("document is unusable: an earlier call panicked")
                })?;
                let s = index_arg("start", start, st.chars)?;
                let e = index_arg("end", end, st.chars)?;
                if e < s {
                    return Err(EditError::new_err(format!(
                        "edit range {s}..{e} ends before it starts"
                    )));
                }
                let text = st.doc.text();
                let to_byte = |i: usize| {
                    st.index
                        .to_byte(text, i, OffsetUnit::CodePoint)
                        .ok_or_else(|| {
                            EditError::new_err(format!("edit index {i} is out of range"))
                        })
                };
                let (bs, be) = (to_byte(s)?, to_byte(e)?);
                let delta = st.doc.edit(bs, be, &new_text).py_err()?;
                st.reindex();
                Ok(Delta {
                    added: delta.added.iter().map(|u| u.0).collect(),
                    removed: delta.removed.iter().map(|u| u.0).collect(),
                    changed: delta.changed.iter().map(|u| u.0).collect(),
                    edited: delta.edited.iter().map(|u| u.0).collect(),
                    serial,
                    version: st.doc.version(),
                    delta,
                })
            })
        })
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.lock()?.chars)
    }

    fn __repr__(&self) -> PyResult<String> {
        let st = self.lock()?;
        Ok(format!(
            "<codetable.Document {}: {} characters, {} units>",
            st.doc.language().name(),
            st.chars,
            st.doc.units().len()
        ))
    }
}

/// What one `Document.edit` changed, unit by unit (unit ids). Pass it to
/// `Engine.analyze_delta` together with its document, before the next edit.
#[pyclass(frozen, module = "codetable", name = "Delta")]
pub struct Delta {
    added: Vec<u64>,
    removed: Vec<u64>,
    changed: Vec<u64>,
    edited: Vec<u64>,
    pub(crate) serial: u64,
    pub(crate) version: u64,
    pub(crate) delta: codetable::Delta,
}

#[pymethods]
impl Delta {
    /// Units that did not exist before the edit.
    #[getter]
    fn added<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.added)
    }
    /// Units that no longer exist.
    #[getter]
    fn removed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.removed)
    }
    /// Units whose fingerprint changed.
    #[getter]
    fn changed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.changed)
    }
    /// Units whose text contains the edit, whether or not their fingerprint changed.
    #[getter]
    fn edited<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.edited)
    }
    /// True when no unit was added, removed or changed.
    fn is_empty(&self) -> bool {
        self.delta.is_empty()
    }
    fn __repr__(&self) -> String {
        format!(
            "<codetable.Delta added={:?} removed={:?} changed={:?}>",
            self.added, self.removed, self.changed
        )
    }
}

/// One code unit: the module, a class, a function, a method… Immutable.
///
/// `start`/`end` are zero-based (line, column) pairs with columns in code points;
/// `start_index`/`end_index` index the document's text.
#[pyclass(frozen, module = "codetable", name = "Unit")]
pub struct Unit {
    id: u64,
    kind: &'static str,
    name: Arc<str>,
    qualified_name: Arc<str>,
    start: (u32, u32),
    end: (u32, u32),
    start_index: usize,
    end_index: usize,
    parent: Option<u64>,
    depth: u32,
    fingerprint: u64,
    features: usize,
}

#[pymethods]
impl Unit {
    /// Identity, stable across edits that do not remove the unit.
    #[getter]
    fn id(&self) -> u64 {
        self.id
    }
    /// module, function, method, constructor, lambda, class, interface, struct, enum, impl or
    /// namespace.
    #[getter]
    fn kind(&self) -> &str {
        self.kind
    }
    /// The unit's own name (`""` for the module).
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }
    /// Enclosing names and this one, joined by dots (`"Outer.method"`).
    #[getter]
    fn qualified_name(&self) -> &str {
        &self.qualified_name
    }
    /// Zero-based (line, column) of the start.
    #[getter]
    fn start(&self) -> (u32, u32) {
        self.start
    }
    /// Zero-based (line, column) of the end (exclusive).
    #[getter]
    fn end(&self) -> (u32, u32) {
        self.end
    }
    /// Index of the unit's first character in the document's text.
    #[getter]
    fn start_index(&self) -> usize {
        self.start_index
    }
    /// Index just past its last character.
    #[getter]
    fn end_index(&self) -> usize {
        self.end_index
    }
    /// Id of the enclosing unit; `None` for the module.
    #[getter]
    fn parent(&self) -> Option<u64> {
        self.parent
    }
    /// Nesting depth: 0 for the module.
    #[getter]
    fn depth(&self) -> u32 {
        self.depth
    }
    /// Structural hash: renamed clones (same shape, other local names and literals) share it.
    #[getter]
    fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
    /// Number of fingerprint features (subtree shapes and anchor names).
    #[getter]
    fn feature_count(&self) -> usize {
        self.features
    }
    fn __repr__(&self) -> String {
        format!(
            "<Unit {} {:?} lines {}-{}>",
            self.kind,
            &*self.qualified_name,
            self.start.0 + 1,
            self.end.0 + 1
        )
    }
}
