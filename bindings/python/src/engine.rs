//! `Engine`: finds patterns in source text, files, directory trees and edited documents.
//!
//! Every method converts its arguments, then does the work with the GIL released (parsing and
//! matching never touch Python objects) and wraps the results as `Finding`s at the end. Files are
//! read by core's intake (`codetable::source`), documents analysed by core's `Session`.

use std::path::PathBuf;
use std::sync::Arc;

use codetable::config::{Config, HostSelection};
use codetable::source::{Intake, DEFAULT_MAX_FILE_SIZE};
use codetable::{Language, OffsetUnit, Session};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::database::Database;
use crate::document::Document;
use crate::errors::{guard, skipped, ConfigError, FileError, IntoPy};
use crate::finding::{findings, wrap, Changes, Finding, FindingData};
use crate::scan::{self, Scan};

/// The core engine every Python object holds.
pub(crate) type CoreEngine = codetable::Engine;

/// Findings of a whole document, from scratch (`path`: the file it came from; `root`: the
/// folder its code context is judged below, see `codetable::context::walked_root`).
///
/// With a project `config` (an engine of `Engine.for_project`), the file's code context and
/// per-path ignores are the configuration's, as in `codetable scan`.
pub(crate) fn scan_document(
    engine: &CoreEngine,
    doc: codetable::Document,
    path: Option<&str>,
    root: Option<&str>,
    config: Option<&Config>,
) -> codetable::Result<Vec<FindingData>> {
    let mut session = Session::from_document(doc, OffsetUnit::CodePoint);
    session.set_path(path);
    session.set_root(root);
    let on_disk = path.map(std::path::Path::new);
    if let (Some(config), Some(p)) = (config, on_disk) {
        session.set_context(config.context_of(p));
    }
    let mut matches = session.analyze(engine)?.to_vec();
    if let (Some(config), Some(p)) = (config, on_disk) {
        matches.retain(|m| {
            !engine
                .sheet(m.pattern)
                .is_ok_and(|sheet| config.ignores(p, &sheet))
        });
    }
    if matches.is_empty() {
        return Ok(Vec::new());
    }
    findings(&session, engine, &matches, path)
}

/// Finds the patterns of a `Database` in code. Thread-safe: share one engine between threads
/// (compiled matchers are cached in it).
///
/// `Engine()` uses the default catalog; `Engine(db)` any `Database`.
#[pyclass(frozen, module = "codetable", name = "Engine")]
pub struct Engine {
    engine: Arc<CoreEngine>,
    database: Py<Database>,
    /// The project configuration `Engine.for_project` applied (`None`: a plain engine).
    config: Option<Arc<Config>>,
    /// What `Engine.for_project` was given, so that a pickled engine is made again the same way.
    project: Option<ProjectArgs>,
}

/// The arguments of `Engine.for_project`.
struct ProjectArgs {
    path: PathBuf,
    database: Option<Py<Database>>,
    select: Option<Vec<String>>,
    extend_select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
}

impl Engine {
    /// An engine over the default catalog (what `Engine()` makes).
    pub(crate) fn default_engine(py: Python<'_>) -> PyResult<Engine> {
        Engine::new(py, None)
    }

    /// The core engine.
    pub(crate) fn core(&self) -> &Arc<CoreEngine> {
        &self.engine
    }
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (database = None))]
    fn new(py: Python<'_>, database: Option<Bound<'_, Database>>) -> PyResult<Engine> {
        guard(|| {
            let database = match database {
                Some(db) => db,
                None => Bound::new(py, Database::default()?)?,
            };
            let db = database.get().engine.db_arc().clone();
            Ok(Engine {
                engine: Arc::new(CoreEngine::from_arc(db)),
                database: database.unbind(),
                config: None,
                project: None,
            })
        })
    }

    /// An engine set up for the project around `path` (a file or folder) as `codetable scan`
    /// sets itself up there: the nearest `codetable.toml` (or `pyproject.toml` with a
    /// `[tool.codetable]` table) in `path`'s folder or above gives the selection (with
    /// `select` replacing the file's and `extend_select`/`ignore` added to it, as the command
    /// line's options do), severity overrides, the team's `rules` stacked over `database`
    /// (default: the catalog), sanitisers, and for the scans of this engine the `exclude`
    /// globs, `[languages]`, `[context]`, `per-path-ignores` and `include-vendored`. Without a
    /// file the defaults apply (the `default` level, context rules, suppressions). Raises
    /// `ConfigError` for a file that cannot be read or parsed, an unknown key or a selector
    /// that names nothing (with the closest name), and `DatabaseError` for rules that do not
    /// compile.
    #[staticmethod]
    #[pyo3(signature = (path, database = None, select = None, extend_select = None, ignore = None))]
    fn for_project(
        py: Python<'_>,
        path: PathBuf,
        database: Option<Bound<'_, Database>>,
        select: Option<Vec<String>>,
        extend_select: Option<Vec<String>>,
        ignore: Option<Vec<String>>,
    ) -> PyResult<Engine> {
        guard(|| {
            let config = py
                .detach(|| Config::discover(&path))
                .map_err(ConfigError::new_err)?;
            let given = database.as_ref().map(|d| d.clone().unbind());
            let base = match database {
                Some(db) => db,
                None => Bound::new(py, Database::default()?)?,
            };
            let database = if config.rules.is_empty() {
                base
            } else {
                let stacked = Database::with_rules(py, config.rules.clone(), Some(base.borrow()))?;
                Bound::new(py, stacked)?
            };
            let engine = CoreEngine::from_arc(database.get().engine.db_arc().clone());
            let host = HostSelection {
                select: select.clone().unwrap_or_default(),
                extend_select: extend_select.clone().unwrap_or_default(),
                ignore: ignore.clone().unwrap_or_default(),
            };
            let problems = config
                .configure(&engine, config.profile_with(&host))
                .py_err()?;
            if !problems.is_empty() {
                let from = config
                    .file
                    .as_deref()
                    .map_or("selection".to_string(), |f| f.display().to_string());
                let all: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                return Err(ConfigError::new_err(format!("{from}: {}", all.join("; "))));
            }
            Ok(Engine {
                engine: Arc::new(engine),
                database: database.unbind(),
                config: Some(Arc::new(config)),
                project: Some(ProjectArgs {
                    path,
                    database: given,
                    select,
                    extend_select,
                    ignore,
                }),
            })
        })
    }

    /// The configuration file `Engine.for_project` applied (`None`: none was found, or a
    /// plain `Engine`).
    #[getter]
    fn config_file(&self) -> Option<String> {
        self.config
            .as_ref()
            .and_then(|c| c.file.as_ref())
            .map(|f| f.to_string_lossy().into_owned())
    }

    /// The engine's database.
    #[getter]
    fn database(&self, py: Python<'_>) -> Py<Database> {
        self.database.clone_ref(py)
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
            let found = py
                .detach(|| {
                    let doc = codetable::Document::new(lang, text)?;
                    scan_document(
                        &self.engine,
                        doc,
                        path.as_deref(),
                        None,
                        self.config.as_deref(),
                    )
                })
                .py_err()?;
            Ok(wrap(found))
        })
    }

    /// Findings in one file, sorted by position, read by core's file intake: the language is
    /// detected from the extension or a `#!` line unless given; UTF-8 (with or without a BOM)
    /// and UTF-16 with a BOM are decoded. Raises `LanguageError` (language unknown) or
    /// `FileError` (unreadable, binary, larger than `max_file_size` bytes, not UTF-8,
    /// unparsable), with the skip reason's name as the exception's `reason` attribute.
    #[pyo3(signature = (path, *, language = None, max_file_size = DEFAULT_MAX_FILE_SIZE))]
    fn scan_file(
        &self,
        py: Python<'_>,
        path: PathBuf,
        language: Option<&str>,
        max_file_size: u64,
    ) -> PyResult<Vec<Finding>> {
        guard(|| {
            let intake = Intake {
                max_file_size,
                language: language.map(Language::from_name).transpose().py_err()?,
                ..Intake::default()
            };
            match py.detach(|| {
                scan::read_file(
                    &self.engine,
                    &path,
                    codetable::context::walked_root(&path, 0).as_deref(),
                    &intake,
                    self.config.as_deref(),
                )
            }) {
                Ok(found) => Ok(wrap(found)),
                Err(skip) => Err(skipped(py, &path, &skip)),
            }
        })
    }

    /// Walks files and directories (honouring `.gitignore`, `.ignore` and hidden files, as git
    /// does) and scans every file of a known language on `threads` Rust threads (default: one
    /// per CPU), with the GIL released. Returns a `Scan`: an iterator yielding findings as files
    /// finish (files in any order; findings of one file in position order). Files that cannot be
    /// scanned (unreadable, binary, larger than `max_file_size` bytes, not UTF-8…) do not stop
    /// the scan: they are listed in `scan.skipped` (with core's skip reason) and `scan.errors`.
    /// Raises `FileError` at once for a path that does not exist.
    ///
    /// Vendored and generated code below a walked folder (`vendor/`, `node_modules/`,
    /// `*.min.js`, a generated-file header…) is left out, as `codetable scan` leaves it out;
    /// `include_vendored=True` scans it (its findings' context says `vendored`/`generated`).
    #[pyo3(signature = (paths, *, threads = None, max_file_size = DEFAULT_MAX_FILE_SIZE, include_vendored = false))]
    fn scan_paths(
        &self,
        paths: &Bound<'_, PyAny>,
        threads: Option<i64>,
        max_file_size: u64,
        include_vendored: bool,
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
            let intake = Intake {
                max_file_size,
                ..Intake::default()
            };
            scan::start(
                self.engine.clone(),
                roots,
                threads,
                intake,
                include_vendored,
                self.config.clone(),
            )
        })
    }

    /// Reports only what `select` names (default: the patterns of the `default` level) minus
    /// what `ignore` names, with context rules (hazards in tests, benchmarks, examples one
    /// severity lower, some patterns off there), `codetable: ignore` comments honoured and one
    /// loop's duplicates grouped. Selectors: pattern ids, id prefixes, symbols, groups, levels
    /// (`default`, `pedantic`, `info`) or `all`. A new engine reports every raw match until this
    /// is called. An unknown selector raises `ValueError` (with the closest name) and changes
    /// nothing.
    #[pyo3(signature = (select = None, ignore = None))]
    fn select(&self, select: Option<Vec<String>>, ignore: Option<Vec<String>>) -> PyResult<()> {
        self.engine
            .select(&select.unwrap_or_default(), &ignore.unwrap_or_default())
            .map_err(|e| PyValueError::new_err(e.to_string()))
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
                    let matches = self.engine.similar(&doc, doc.unit_at_line(line))?;
                    let session = Session::from_document(doc, OffsetUnit::CodePoint);
                    findings(&session, &self.engine, &matches, None)
                })
                .py_err()?;
            Ok(wrap(found))
        })
    }

    /// Every finding in a `Document`'s current text, from scratch, sorted by position. The
    /// document keeps them: a later `analyze_delta` reports changes against them.
    fn analyze(&self, py: Python<'_>, doc: &Bound<'_, Document>) -> PyResult<Vec<Finding>> {
        guard(|| {
            let doc = doc.get();
            let found = py.detach(|| -> PyResult<Vec<FindingData>> {
                let mut st = doc.lock()?;
                st.session.analyze(&self.engine).py_err()?;
                st.engine = Some(self.engine.clone());
                let matches = st.session.matches().py_err()?.unwrap_or_default();
                findings(&st.session, &self.engine, matches, None).py_err()
            })?;
            Ok(wrap(found))
        })
    }

    /// What changed in a `Document`'s findings since its last analysis: only the code the
    /// edits since then touched (merged, however many) is matched again. Returns `Changes`
    /// (`added`, `updated`, `removed`). Without an earlier analysis by this engine the whole
    /// document is analysed: everything is added (and another engine's findings removed).
    /// On an error nothing changes and the edits stay pending.
    fn analyze_delta(&self, py: Python<'_>, doc: &Bound<'_, Document>) -> PyResult<Changes> {
        guard(|| {
            let doc = doc.get();
            py.detach(|| {
                let mut st = doc.lock()?;
                let changes = st.session.analyze_delta(&self.engine).py_err()?;
                st.engine = Some(self.engine.clone());
                let list =
                    |v: &[codetable::Match]| findings(&st.session, &self.engine, v, None).py_err();
                Ok(Changes {
                    added: list(&changes.added)?,
                    updated: list(&changes.updated)?,
                    removed: list(&changes.removed)?,
                    empty: changes.is_empty(),
                })
            })
        })
    }

    /// Pickling: an engine travels as its database (see `Database.__reduce__`); one made by
    /// `Engine.for_project` as that call, so the configuration is read again where it lands.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let me = slf.get();
        match &me.project {
            None => Ok((
                slf.get_type().into_any(),
                PyTuple::new(py, [me.database.clone_ref(py)])?,
            )),
            Some(p) => Ok((
                slf.get_type().getattr("for_project")?,
                (
                    p.path.clone(),
                    p.database.as_ref().map(|d| d.clone_ref(py)),
                    p.select.clone(),
                    p.extend_select.clone(),
                    p.ignore.clone(),
                )
                    .into_pyobject(py)?,
            )),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "<codetable.Engine over {} patterns>",
            self.engine.db().len()
        )
    }
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
