//! `Engine`: finds patterns in source text, files, directory trees and edited documents.
//!
//! Every method converts its arguments, then does the work with the GIL released (parsing and
//! matching never touch Python objects) and wraps the results as `Finding`s at the end.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use codetable::{DbBytes, Language, LineIndex};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::database::{Database, Origin, PatternCache};
use crate::document::{Delta, Document};
use crate::errors::{guard, to_py_at, EditError, Error, FileError, IntoPy, LanguageError};
use crate::finding::{convert, display_path, Finding, FindingData, FindingDelta};
use crate::scan::{self, Scan};

/// The shared state of an engine: the core engine and the pattern records it hands out.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) engine: Arc<codetable::Engine<DbBytes>>,
    pub(crate) cache: Arc<PatternCache>,
}

impl Shared {
    /// Parses and analyzes a whole text.
    pub(crate) fn scan_document(
        &self,
        doc: &codetable::Document,
        path: Option<&Arc<str>>,
    ) -> codetable::Result<Vec<FindingData>> {
        let matches = self.engine.analyze(doc)?;
        if matches.is_empty() {
            return Ok(Vec::new());
        }
        let index = LineIndex::new(doc.text());
        convert(&self.cache, doc, &index, path, matches)
    }
}

fn wrap(v: Vec<FindingData>) -> Vec<Finding> {
    v.into_iter().map(|data| Finding { data }).collect()
}

/// Finds the patterns of a `Database` in code. Thread-safe: share one engine between threads
/// (compiled matchers are cached in it).
///
/// `Engine()` uses the default catalog; `Engine(db)` any `Database`.
#[pyclass(frozen, module = "codetable", name = "Engine")]
pub struct Engine {
    shared: Shared,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (database = None))]
    fn new(database: Option<&Bound<'_, Database>>) -> PyResult<Engine> {
        guard(|| {
            let cache = match database {
                Some(db) => db.get().cache.clone(),
                None => PatternCache::new(codetable::PatternDb::default_any(), Origin::Default),
            };
            Ok(Engine {
                shared: Shared {
                    engine: Arc::new(codetable::Engine::from_arc(cache.db.clone())),
                    cache,
                },
            })
        })
    }

    /// The engine's database.
    #[getter]
    fn database(&self) -> Database {
        Database {
            cache: self.shared.cache.clone(),
        }
    }

    /// Findings in source text, sorted by position. `language` is a name or alias ("python",
    /// "js", "c++"…); `path` is only recorded in the findings. Raises `LanguageError`.
    #[pyo3(signature = (text, language, *, path = None))]
    fn scan_source(
        &self,
        py: Python<'_>,
        text: String,
        language: &str,
        path: Option<String>,
    ) -> PyResult<Vec<Finding>> {
        guard(|| {
            let lang = Language::from_name(language).py_err()?;
            let path: Option<Arc<str>> = path.map(Arc::from);
            let found = py
                .detach(|| {
                    let doc = codetable::Document::new(lang, text)?;
                    self.shared.scan_document(&doc, path.as_ref())
                })
                .py_err()?;
            Ok(wrap(found))
        })
    }

    /// Findings in one file, sorted by position. The language is detected from the extension
    /// or a `#!` line unless given. Raises `FileError` (unreadable or not UTF-8) and
    /// `LanguageError` (unknown language).
    #[pyo3(signature = (path, *, language = None))]
    fn scan_file(
        &self,
        py: Python<'_>,
        path: PathBuf,
        language: Option<&str>,
    ) -> PyResult<Vec<Finding>> {
        guard(|| {
            let forced = language.map(Language::from_name).transpose().py_err()?;
            let shown = display_path(&path);
            let found = py.detach(|| -> PyResult<Vec<FindingData>> {
                let bytes = std::fs::read(&path)
                    .map_err(|e| FileError::new_err(format!("{shown}: {e}")))?;
                let lang = forced
                    .or_else(|| Language::detect(&path, &bytes))
                    .ok_or_else(|| {
                        LanguageError::new_err(format!(
                            "{shown}: cannot tell the language from the name or a #! line; \
                             pass language="
                        ))
                    })?;
                let doc = codetable::Document::from_bytes(lang, &bytes)
                    .map_err(|e| to_py_at(e, &shown))?;
                self.shared
                    .scan_document(&doc, Some(&shown))
                    .map_err(|e| to_py_at(e, &shown))
            })?;
            Ok(wrap(found))
        })
    }

    /// Walks files and directories (honouring `.gitignore`, `.ignore` and hidden files, as git
    /// does) and scans every file of a known language on `threads` Rust threads (default: one
    /// per CPU), with the GIL released. Returns a `Scan`: an iterator yielding findings as files
    /// finish (files in any order; findings of one file in position order). Files that cannot be
    /// read or decoded do not stop the scan: they are listed in `scan.errors`.
    /// Files larger than `max_file_size` bytes (default 10 MiB) or with NUL bytes (binary) are
    /// skipped and listed in `scan.errors`, as the `codetable` command does.
    /// Raises `FileError` at once for a path that does not exist.
    #[pyo3(signature = (paths, *, threads = None, max_file_size = 10 << 20))]
    fn scan_paths(
        &self,
        paths: &Bound<'_, PyAny>,
        threads: Option<i64>,
        max_file_size: u64,
    ) -> PyResult<Scan> {
        guard(|| {
            let roots = path_list(paths)?;
            let threads = match threads {
                None => std::thread::available_parallelism().map_or(1, |n| n.get()),
                Some(n) if (1..=1024).contains(&n) => n as usize,
                Some(n) => {
                    return Err(PyValueError::new_err(format!(
                        "threads must be between 1 and 1024, not {n}"
                    )))
                }
            };
            for root in &roots {
                if let Err(e) = std::fs::metadata(root) {
                    return Err(FileError::new_err(format!("{}: {e}", root.display())));
                }
            }
            scan::start(self.shared.clone(), roots, threads, max_file_size)
        })
    }

    /// Shape matches for the unit (function, class…) at zero-based `line` of `text`, best
    /// first, whatever their threshold: "what does this code look like?".
    fn similar(
        &self,
        py: Python<'_>,
        text: String,
        language: &str,
        line: u32,
    ) -> PyResult<Vec<Finding>> {
        guard(|| {
            let lang = Language::from_name(language).py_err()?;
            let found = py
                .detach(|| {
                    let doc = codetable::Document::new(lang, text)?;
                    let unit = doc.unit_at_line(line);
                    let matches = self.shared.engine.similar(&doc, unit)?;
                    let index = LineIndex::new(doc.text());
                    convert(&self.shared.cache, &doc, &index, None, matches)
                })
                .py_err()?;
            Ok(wrap(found))
        })
    }

    /// Every finding in a `Document`'s current text, sorted by position.
    fn analyze(&self, py: Python<'_>, doc: &Bound<'_, Document>) -> PyResult<Vec<Finding>> {
        guard(|| {
            let state = doc.get().state.clone();
            let found = py.detach(|| -> PyResult<Vec<FindingData>> {
                let st = state.lock().map_err(|_| poisoned())?;
                let matches = self.shared.engine.analyze(&st.doc).py_err()?;
                convert(&self.shared.cache, &st.doc, &st.index, None, matches).py_err()
            })?;
            Ok(wrap(found))
        })
    }

    /// The findings an edit changed: only the units the `Delta` names are matched again.
    /// `delta` must be the one the document's latest `edit` returned (else `EditError`).
    fn analyze_delta(
        &self,
        py: Python<'_>,
        doc: &Bound<'_, Document>,
        delta: &Bound<'_, Delta>,
    ) -> PyResult<FindingDelta> {
        guard(|| {
            let (doc, delta) = (doc.get(), delta.get());
            let state = doc.state.clone();
            let serial = doc.serial;
            py.detach(|| -> PyResult<FindingDelta> {
                let st = state.lock().map_err(|_| poisoned())?;
                if delta.serial != serial || delta.version != st.doc.version() {
                    return Err(EditError::new_err(
                        "this delta is not the latest edit of this document: \
                         call analyze(doc) for a full rescan",
                    ));
                }
                let md = self
                    .shared
                    .engine
                    .analyze_delta(&st.doc, &delta.delta)
                    .py_err()?;
                let findings =
                    convert(&self.shared.cache, &st.doc, &st.index, None, md.matches).py_err()?;
                Ok(FindingDelta {
                    units: md.units.iter().map(|u| u.0).collect(),
                    findings,
                })
            })
        })
    }

    /// Pickling: an engine travels as its database (see `Database.__reduce__`).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Database,))> {
        Ok((slf.get_type().into_any(), (slf.get().database(),)))
    }

    fn __repr__(&self) -> String {
        format!(
            "<codetable.Engine over {} patterns>",
            self.shared.cache.db.len()
        )
    }
}

fn poisoned() -> PyErr {
    Error::new_err("document is unusable: an earlier call panicked")
}

/// One path (`str` or `os.PathLike`) or an iterable of them.
fn path_list(paths: &Bound<'_, PyAny>) -> PyResult<Vec<PathBuf>> {
    if paths.is_instance_of::<PyString>() || paths.hasattr("__fspath__")? {
        return Ok(vec![paths.extract::<PathBuf>()?]);
    }
    let iter = paths
        .try_iter()
        .map_err(|_| PyTypeError::new_err("scan_paths() takes a path or an iterable of paths"))?;
    let mut out = Vec::new();
    for p in iter {
        let p = p?;
        out.push(p.extract::<PathBuf>().map_err(|_| {
            PyTypeError::new_err(format!(
                "not a path: {}",
                p.repr().map(|r| r.to_string()).unwrap_or_default()
            ))
        })?);
    }
    if out.is_empty() {
        return Err(PyValueError::new_err(
            "scan_paths() needs at least one path",
        ));
    }
    Ok(out)
}

/// Used by `scan`: is `path` a file whose language is known from its name alone?
pub(crate) fn language_of_name(path: &Path) -> Option<Language> {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(Language::from_extension)
}
