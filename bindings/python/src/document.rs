//! `Document`: a live text under edit, in Python string indices — core's `Session` counting code
//! points, behind a mutex so one `Document` can be shared by threads.
//!
//! Offsets, merged pending edits and the analysis contract are the session's; this module only
//! converts arguments and results (and remembers which engine analysed last, for `findings()`).

use std::sync::{Arc, Mutex, MutexGuard};

use codetable::{Language, OffsetUnit, Session};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::engine::CoreEngine;
use crate::errors::{guard, EditError, Error, IntoPy};
use crate::finding::{findings, wrap, Finding};

/// The session and the engine of its last analysis.
pub(crate) struct DocState {
    pub(crate) session: Session,
    /// Gives the pattern sheets of `Document.findings()`.
    pub(crate) engine: Option<Arc<CoreEngine>>,
}

impl DocState {
    fn unit(&self, u: &codetable::Unit) -> Unit {
        let s = &self.session;
        let pos = |b: usize| {
            let p = s.position(b);
            (p.line, p.column)
        };
        Unit {
            id: u.id.0,
            kind: u.kind.name(),
            name: u.name.clone(),
            qualified_name: u.qualified_name.clone(),
            start: pos(u.byte_range.start),
            end: pos(u.byte_range.end),
            start_index: s.to_host(u.byte_range.start),
            end_index: s.to_host(u.byte_range.end),
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
/// `text[start:end]` (Python string indices). Edits wait, merged, for the next
/// `Engine.analyze_delta(doc)`, which returns the findings added, updated and removed since the
/// last analysis.
#[pyclass(frozen, module = "codetable", name = "Document")]
pub struct Document {
    pub(crate) state: Mutex<DocState>,
}

impl Document {
    pub(crate) fn lock(&self) -> PyResult<MutexGuard<'_, DocState>> {
        self.state
            .lock()
            .map_err(|_| Error::new_err("document is unusable: an earlier call panicked"))
    }
}

#[pymethods]
impl Document {
    /// Parses `text` as `language` (a name or alias: "python", "py", "ts", "c++"…).
    /// Raises `LanguageError` for an unknown language.
    #[new]
    fn new(py: Python<'_>, language: &str, text: String) -> PyResult<Document> {
        guard(|| {
            let lang = Language::from_name(language).py_err()?;
            let session = py
                .detach(|| Session::new(lang, text, OffsetUnit::CodePoint))
                .py_err()?;
            Ok(Document {
                state: Mutex::new(DocState {
                    session,
                    engine: None,
                }),
            })
        })
    }

    /// Canonical name of the document's language.
    #[getter]
    fn language(&self) -> PyResult<&'static str> {
        Ok(self.lock()?.session.document().language().name())
    }

    /// The current text.
    #[getter]
    fn text(&self) -> PyResult<String> {
        Ok(self.lock()?.session.text().to_string())
    }

    /// Number of edits applied so far.
    #[getter]
    fn version(&self) -> PyResult<u64> {
        Ok(self.lock()?.session.document().version())
    }

    /// True when the text does not parse cleanly (analysis still works on the rest).
    #[getter]
    fn has_syntax_errors(&self) -> PyResult<bool> {
        Ok(self.lock()?.session.document().has_syntax_errors())
    }

    /// The code context set for the whole document (`"production"`, `"test"`, `"bench"`,
    /// `"example"`, `"fuzz"`, `"generated"`, `"vendored"`), or `None`: decided from the code, as
    /// usual. A project's per-path setting (`[context]` in `codetable.toml`) is set here; it
    /// wins over everything else for findings and for the selection's context rules. Setting an
    /// unknown name raises `ValueError` (with the closest name) and changes nothing.
    #[getter]
    fn context(&self) -> PyResult<Option<&'static str>> {
        Ok(self.lock()?.session.context().map(|c| c.name()))
    }

    #[setter]
    fn set_context(&self, context: Option<String>) -> PyResult<()> {
        guard(|| {
            let context = context
                .map(|c| codetable::context::CodeContext::parse(&c))
                .transpose()
                .map_err(pyo3::exceptions::PyValueError::new_err)?;
            self.lock()?.session.set_context(context);
            Ok(())
        })
    }

    /// True when edits were made since the last analysis (they wait for `analyze_delta`).
    #[getter]
    fn has_pending_edits(&self) -> PyResult<bool> {
        Ok(self.lock()?.session.has_pending_edits())
    }

    /// Sets what each later edit (reparse and units) and analysis may cost: `seconds` of time
    /// and `max_nodes` syntax nodes, `None` for no limit. A step past it raises `BudgetError`
    /// and changes nothing. A new document has the default budget (5 s, 40,000,000 nodes).
    /// `max_memory` (bytes of syntax tree, estimated from the text's tokens before each parse;
    /// `None` for no limit) is kept when not given; the default is 64 MiB.
    #[pyo3(signature = (seconds, max_nodes, **options))]
    fn set_budget(
        &self,
        seconds: Option<f64>,
        max_nodes: Option<u64>,
        options: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<()> {
        guard(|| {
            let time = match seconds {
                None => None,
                Some(s) => Some(std::time::Duration::try_from_secs_f64(s).map_err(|e| {
                    pyo3::exceptions::PyValueError::new_err(format!("seconds={s}: {e}"))
                })?),
            };
            let mut st = self.lock()?;
            // `max_memory` not given: kept; `None`: no limit; else a byte count.
            let mut memory = st.session.budget().memory;
            if let Some(options) = options {
                for (key, value) in options.iter() {
                    match key.extract::<String>()?.as_str() {
                        "max_memory" if value.is_none() => memory = None,
                        "max_memory" => memory = Some(value.extract::<u64>()?),
                        other => {
                            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                                "set_budget() got an unexpected keyword argument '{other}'"
                            )))
                        }
                    }
                }
            }
            st.session.set_budget(codetable::Budget {
                time,
                nodes: max_nodes,
                memory,
            });
            Ok(())
        })
    }

    /// The memory limit in bytes (syntax tree estimated from the text's tokens), `None` for
    /// no limit.
    #[getter]
    fn memory_budget(&self) -> PyResult<Option<u64>> {
        Ok(self.lock()?.session.budget().memory)
    }

    /// The budget as `(seconds, max_nodes)`, `None` where there is no limit.
    #[getter]
    fn budget(&self) -> PyResult<(Option<f64>, Option<u64>)> {
        let b = self.lock()?.session.budget();
        Ok((b.time.map(|t| t.as_secs_f64()), b.nodes))
    }

    /// The units (module, classes, functions, methods…) in document order, as `Unit` objects.
    #[getter]
    fn units<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        guard(|| {
            let st = self.lock()?;
            let units: Vec<Unit> = st
                .session
                .document()
                .units()
                .iter()
                .map(|u| st.unit(u))
                .collect();
            drop(st);
            PyTuple::new(py, units)
        })
    }

    /// The innermost unit containing zero-based `line`.
    fn unit_at_line(&self, line: u32) -> PyResult<Unit> {
        guard(|| {
            let st = self.lock()?;
            Ok(st.unit(st.session.document().unit_at_line(line)))
        })
    }

    /// Replaces `text[start:end]` with `new_text` (Python string indices, `0 <= start <= end <=
    /// len(text)`), reparses incrementally and returns the `Delta` of units. The change waits,
    /// merged with other edits, for the next `Engine.analyze_delta(doc)`. Raises `EditError` for
    /// a range outside the text; a failed edit leaves the document unchanged.
    fn edit(&self, py: Python<'_>, start: i64, end: i64, new_text: String) -> PyResult<Delta> {
        guard(|| {
            let (Ok(s), Ok(e)) = (usize::try_from(start), usize::try_from(end)) else {
                return Err(EditError::new_err(format!(
                    "edit range {start}..{end} has a negative index"
                )));
            };
            py.detach(|| {
                let delta = self.lock()?.session.edit(s, e, &new_text).py_err()?;
                let ids = |v: &[codetable::UnitId]| v.iter().map(|u| u.0).collect();
                Ok(Delta {
                    added: ids(&delta.added),
                    removed: ids(&delta.removed),
                    changed: ids(&delta.changed),
                    edited: ids(&delta.edited),
                    empty: delta.is_empty(),
                })
            })
        })
    }

    /// The findings of the last analysis with every analysed change applied: what an editor
    /// should be showing, sorted by position. `None` before the first analysis; raises
    /// `EditError` while edits wait for `Engine.analyze_delta`.
    fn findings(&self, py: Python<'_>) -> PyResult<Option<Vec<Finding>>> {
        guard(|| {
            py.detach(|| {
                let st = self.lock()?;
                let (Some(matches), Some(engine)) = (st.session.matches().py_err()?, &st.engine)
                else {
                    return Ok(None);
                };
                Ok(Some(wrap(
                    findings(&st.session, engine, matches, None).py_err()?,
                )))
            })
        })
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.lock()?.session.len())
    }

    fn __repr__(&self) -> PyResult<String> {
        let st = self.lock()?;
        let doc = st.session.document();
        Ok(format!(
            "<codetable.Document {}: {} characters, {} units>",
            doc.language().name(),
            st.session.len(),
            doc.units().len()
        ))
    }
}

/// What one `Document.edit` changed, unit by unit (unit ids).
#[pyclass(frozen, module = "codetable", name = "Delta")]
pub struct Delta {
    added: Vec<u64>,
    removed: Vec<u64>,
    changed: Vec<u64>,
    edited: Vec<u64>,
    empty: bool,
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
        self.empty
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
    /// module, function, method, constructor, lambda, class, interface, struct, enum, impl,
    /// namespace or macro.
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
