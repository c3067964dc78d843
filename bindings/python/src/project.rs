//! `Project`: several documents by path and the design-pattern instances an engine's role
//! patterns find across them (core's `DesignProject`); `Instance` and `Participant`: core's
//! `InstanceView` and `ParticipantRecord` with Python string indices.
//!
//! Recognition, records and offset conversion are core's; this module carries them to Python
//! (code-point indices of each participant's own document) and runs the work with the GIL
//! released.

use std::sync::{Arc, Mutex};

use codetable::project::design::DesignProject;
use codetable::view::{InstanceView, ParticipantRecord};
use codetable::{Language, OffsetUnit};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::database::{from_json, Pattern};
use crate::engine::{CoreEngine, Engine};
use crate::errors::{guard, Error, IntoPy, LanguageError};
use crate::finding::{wrap, Finding, FindingData};

/// A participant's code-point indices in its own document (`(0, 0)` if it is not held).
fn indices(p: &DesignProject, path: Option<&str>, start: usize, end: usize) -> (usize, usize) {
    let at = |b| {
        path.and_then(|k| p.to_host(k, b, OffsetUnit::CodePoint))
            .unwrap_or(0)
    };
    (at(start), at(end))
}

/// The participant with its indices, for Python.
pub(crate) fn participant(p: &DesignProject, r: &ParticipantRecord) -> Participant {
    let (start_index, end_index) = indices(p, r.path.as_deref(), r.byte_start, r.byte_end);
    Participant {
        record: r.clone(),
        start_index,
        end_index,
    }
}

/// A project of several files for design patterns: add each file's text under its path
/// (`set_document`), then ask for the `instances()` of the patterns found across them or one
/// `Finding` per participant (`findings()`). Replacing a document re-reads only that document.
/// Thread-safe (calls are serialized).
///
/// Design patterns are `info`: an engine reports them when it has no selection (`Engine()`) or
/// when its selection names them (`engine.select(["design"])`).
#[pyclass(frozen, module = "codetable", name = "Project")]
pub struct Project {
    engine: Arc<CoreEngine>,
    engine_object: Py<Engine>,
    project: Mutex<DesignProject>,
}

impl Project {
    fn with<T>(&self, f: impl FnOnce(&mut DesignProject) -> PyResult<T>) -> PyResult<T> {
        // A panic under the lock may leave the model half-updated: parse it again.
        let mut p = match self.project.lock() {
            Ok(p) => p,
            Err(poisoned) => {
                let mut p = poisoned.into_inner();
                p.rebuild();
                self.project.clear_poison();
                p
            }
        };
        f(&mut p)
    }
}

#[pymethods]
impl Project {
    #[new]
    #[pyo3(signature = (engine = None))]
    fn new(py: Python<'_>, engine: Option<Bound<'_, Engine>>) -> PyResult<Project> {
        guard(|| {
            let engine = match engine {
                Some(e) => e,
                None => Bound::new(py, Engine::default_engine(py)?)?,
            };
            Ok(Project {
                engine: engine.get().core().clone(),
                engine_object: engine.unbind(),
                project: Mutex::new(DesignProject::new()),
            })
        })
    }

    /// The engine whose role patterns the project reports.
    #[getter]
    fn engine(&self, py: Python<'_>) -> Py<Engine> {
        self.engine_object.clone_ref(py)
    }

    /// Adds the document at `path` or replaces its text. The language is detected from the
    /// path's extension (or a `#!` line) unless given. Raises `LanguageError`.
    #[pyo3(signature = (path, text, *, language = None))]
    fn set_document(
        &self,
        py: Python<'_>,
        path: String,
        text: String,
        language: Option<&str>,
    ) -> PyResult<()> {
        guard(|| {
            if path.is_empty() {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "path is empty: a project names its documents",
                ));
            }
            let lang = match language {
                Some(l) => Language::from_name(l).py_err()?,
                None => Language::detect(std::path::Path::new(&path), text.as_bytes()).ok_or_else(
                    || LanguageError::new_err(format!("{path}: unknown language (pass language=)")),
                )?,
            };
            self.with(|p| {
                py.detach(|| p.set_document(&self.engine, &path, lang, &text))
                    .py_err()
            })
        })
    }

    /// Removes the document at `path`; False when there was none.
    fn remove_document(&self, path: &str) -> PyResult<bool> {
        guard(|| self.with(|p| Ok(p.remove_document(path))))
    }

    /// The paths of the documents held, sorted.
    #[getter]
    fn paths(&self) -> PyResult<Vec<String>> {
        guard(|| self.with(|p| Ok(p.paths().map(str::to_string).collect())))
    }

    /// The text of the document at `path`, or None.
    fn text(&self, path: &str) -> PyResult<Option<String>> {
        guard(|| self.with(|p| Ok(p.text(path).map(str::to_string))))
    }

    /// One `Finding` per participant of every design-pattern instance, instance by instance and
    /// role by role: `role`, `instance` and `participants` say which; `path` is the document and
    /// `start_index`/`end_index` index its text.
    fn findings(&self, py: Python<'_>) -> PyResult<Vec<Finding>> {
        guard(|| {
            self.with(|p| {
                let found = py
                    .detach(|| -> codetable::Result<Vec<FindingData>> {
                        let records = p.findings(&self.engine)?;
                        records
                            .into_iter()
                            .map(|r| {
                                let sheet = match self.engine.db().by_id(&r.pattern)? {
                                    Some((n, _)) => self.engine.sheet(n)?,
                                    None => {
                                        return Err(codetable::Error::InvalidState(
                                            "a design finding names a pattern the engine's database lacks",
                                        ))
                                    }
                                };
                                let own = indices(p, r.path.as_deref(), r.byte_start, r.byte_end);
                                let parts = r
                                    .participants
                                    .iter()
                                    .map(|q| indices(p, q.path.as_deref(), q.byte_start, q.byte_end))
                                    .collect();
                                Ok(FindingData::design(r, sheet, own, parts))
                            })
                            .collect()
                    })
                    .py_err()?;
                Ok(wrap(found))
            })
        })
    }

    /// The design-pattern instances found, each with its pattern and every participant.
    fn instances(&self, py: Python<'_>) -> PyResult<Vec<Instance>> {
        guard(|| {
            self.with(|p| {
                let views = py.detach(|| p.instances(&self.engine)).py_err()?;
                views
                    .into_iter()
                    .map(|v| {
                        let sheet = match self.engine.db().by_id(&v.pattern).py_err()? {
                            Some((n, _)) => self.engine.sheet(n).py_err()?,
                            None => {
                                return Err(Error::new_err(format!("no pattern `{}`", v.pattern)))
                            }
                        };
                        let participants =
                            v.participants.iter().map(|r| participant(p, r)).collect();
                        Ok(Instance {
                            view: v,
                            sheet,
                            participants,
                        })
                    })
                    .collect()
            })
        })
    }

    fn __len__(&self) -> PyResult<usize> {
        guard(|| self.with(|p| Ok(p.paths().count())))
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("<Project of {} document(s)>", self.__len__()?))
    }
}

/// One design-pattern instance: its pattern and every participant, role by role. Immutable.
#[pyclass(frozen, module = "codetable", name = "Instance")]
pub struct Instance {
    view: InstanceView,
    sheet: Arc<codetable::PatternSheet>,
    participants: Vec<Participant>,
}

#[pymethods]
impl Instance {
    /// The instance id (`design.gof.observer@Listener.java#Listener`), the `instance` of its
    /// participants' findings.
    #[getter]
    fn id(&self) -> &str {
        &self.view.id
    }
    /// The pattern.
    #[getter]
    fn pattern(&self) -> Pattern {
        Pattern {
            sheet: self.sheet.clone(),
        }
    }
    /// The pattern's summary.
    #[getter]
    fn summary(&self) -> &str {
        &self.view.summary
    }
    /// The participants, role by role in the pattern's order.
    #[getter]
    fn participants(&self) -> Vec<Participant> {
        self.participants.clone()
    }
    /// The participant whose declaration covers zero-based `line` of `path`, or None.
    fn participant_at(&self, path: &str, line: u32) -> Option<Participant> {
        let r = self.view.participant_at(path, line + 1)?;
        self.participants
            .iter()
            .find(|p| p.record.finding == r.finding)
            .cloned()
    }
    /// Core's instance view as plain data (`core/schema/instance.schema.json`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let json = serde_json::to_string(&self.view).map_err(|e| Error::new_err(e.to_string()))?;
        from_json(py, &json)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Instance {} ({} participants)>",
            self.view.id,
            self.participants.len()
        )
    }
}

/// One participant of a design-pattern instance: its role, the type playing it and where that
/// type is declared (`path`; zero-based `start`/`end`; `start_index`/`end_index` index the
/// document's text). Immutable.
#[pyclass(frozen, module = "codetable", name = "Participant")]
#[derive(Clone)]
pub struct Participant {
    record: ParticipantRecord,
    start_index: usize,
    end_index: usize,
}

impl Participant {
    /// A participant from core's record and its code-point indices.
    pub(crate) fn new(
        record: ParticipantRecord,
        (start_index, end_index): (usize, usize),
    ) -> Participant {
        Participant {
            record,
            start_index,
            end_index,
        }
    }
}

#[pymethods]
impl Participant {
    /// The role (`"subject"`, `"observer"`…).
    #[getter]
    fn role(&self) -> &str {
        &self.record.role
    }
    /// The type's name.
    #[getter]
    fn name(&self) -> &str {
        &self.record.unit
    }
    /// The document it is declared in.
    #[getter]
    fn path(&self) -> Option<&str> {
        self.record.path.as_deref()
    }
    /// Zero-based (line, column) of the declaration's start; the column counts code points.
    #[getter]
    fn start(&self) -> (u32, u32) {
        (self.record.line - 1, self.record.column - 1)
    }
    /// Zero-based (line, column) of its end (exclusive).
    #[getter]
    fn end(&self) -> (u32, u32) {
        (self.record.end_line - 1, self.record.end_column - 1)
    }
    /// Index of the declaration's first character in its document's text.
    #[getter]
    fn start_index(&self) -> usize {
        self.start_index
    }
    /// Index just past its last character.
    #[getter]
    fn end_index(&self) -> usize {
        self.end_index
    }
    /// The id of the participant's own finding (as `Finding.id`).
    #[getter]
    fn finding(&self) -> PyResult<u64> {
        u64::from_str_radix(&self.record.finding, 16).map_err(|e| Error::new_err(e.to_string()))
    }
    fn __repr__(&self) -> String {
        format!(
            "<Participant {} {} at {}:{}>",
            self.record.role,
            self.record.unit,
            self.record.path.as_deref().unwrap_or("-"),
            self.record.line
        )
    }
}
