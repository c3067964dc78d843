//! `Database` and `Pattern`: the compiled pattern database and what it knows about each pattern.
//!
//! A `Pattern` wraps core's `PatternSheet` (decoded once per pattern by a core `Engine` and shared
//! by every finding); its attributes read the sheet and `to_dict()` is the sheet's JSON. Nothing
//! here spells an enum or a key of its own: names come from core's `name()`s and serde.

use std::path::PathBuf;
use std::sync::Arc;

use codetable::view::{PatternSheet, SheetMatcher, SheetRule};
use codetable::PatternDb;
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use crate::engine::CoreEngine;
use crate::errors::{guard, DatabaseError, IntoPy};

/// Where a database came from: what pickling it sends to another process.
#[derive(Clone, Debug)]
pub(crate) enum Origin {
    /// The built-in catalog: nothing to send.
    Default,
    /// A file every worker can map (send the path, not the bytes).
    File(PathBuf),
    /// Bytes or a compiled catalog: send the bytes.
    Bytes,
    /// Rules files stacked over another database: send the paths and the base.
    Rules(Vec<PathBuf>, Box<Origin>),
}

/// A fresh database over the same patterns as `db` (whose origin is `origin`), to stack rules on.
fn reopen(origin: &Origin, db: &PatternDb) -> PyResult<PatternDb> {
    match origin {
        Origin::Default => Ok(PatternDb::default_catalog()),
        Origin::File(path) => PatternDb::open(path).py_err(),
        Origin::Bytes => PatternDb::from_bytes(db.as_bytes().to_vec()).py_err(),
        Origin::Rules(paths, base) => {
            let base = reopen(base, db)?;
            let cache = codetable::catalog::user_cache_dir();
            let user = codetable::catalog::user_database(paths, cache.as_deref())
                .map_err(|e| DatabaseError::new_err(e.to_string()))?;
            PatternDb::layered(base, [user]).py_err()
        }
    }
}

/// Core's JSON text as Python data (`json.loads`): how views reach Python without a key list
/// of their own.
pub(crate) fn from_json<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyDict>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    Ok(LOADS
        .import(py, "json", "loads")?
        .call1((json,))?
        .cast_into::<PyDict>()?)
}

/// A compiled, immutable pattern database: the periodic table.
///
/// Open one with `Database.default()` (the catalog built into the module), `Database.open(path)`
/// (a `.ctdb` file, read and checked at open) or `Database.from_bytes(data)`. `len(db)` is the number of
/// patterns; iterating yields every `Pattern`.
#[pyclass(frozen, module = "codetable", name = "Database")]
pub struct Database {
    /// A core engine over the database, for its lookups and its cache of pattern sheets.
    pub(crate) engine: Arc<CoreEngine>,
    pub(crate) origin: Origin,
}

impl Database {
    fn new(db: PatternDb, origin: Origin) -> Database {
        Database {
            engine: Arc::new(CoreEngine::new(db)),
            origin,
        }
    }

    fn db(&self) -> &PatternDb {
        self.engine.db()
    }

    fn numbered(&self, n: u32) -> PyResult<Pattern> {
        Ok(Pattern {
            sheet: self.engine.sheet(n).py_err()?,
        })
    }

    fn lookup(
        &self,
        r: codetable::Result<Option<(u32, codetable::Pattern<'_>)>>,
    ) -> PyResult<Option<Pattern>> {
        r.py_err()?.map(|(n, _)| self.numbered(n)).transpose()
    }
}

#[pymethods]
impl Database {
    /// The default catalog, compiled from the project's `patterns/` and built into the module.
    #[staticmethod]
    pub(crate) fn default() -> PyResult<Database> {
        guard(|| Ok(Database::new(PatternDb::default_catalog(), Origin::Default)))
    }

    /// Opens a database file: read into memory (the file may change afterwards) and checked.
    ///
    /// Everything is checked at open (every checksum, both indexes, every record); `verify=True`
    /// checks it all once more. Raises `FileError` when the file cannot be read or is not a
    /// regular file (a FIFO, a device, a folder) and `DatabaseError` when it is not a valid
    /// database.
    #[staticmethod]
    #[pyo3(signature = (path, *, verify = false))]
    fn open(py: Python<'_>, path: PathBuf, verify: bool) -> PyResult<Database> {
        guard(|| {
            let db = py
                .detach(|| PatternDb::open(&path))
                .map_err(|e| crate::errors::to_py_at(e, &path.display().to_string()))?;
            py.detach(|| {
                if verify {
                    db.verify()?;
                }
                Ok(db)
            })
            .py_err()
            .map(|db| {
                let origin = Origin::File(std::path::absolute(&path).unwrap_or(path));
                Database::new(db, origin)
            })
        })
    }

    /// Reads a database from bytes (`bytes`, `bytearray` or `memoryview`); the bytes are copied.
    ///
    /// Everything is checked (every checksum, both indexes, every record), with or without
    /// `verify`. Raises `DatabaseError` for bytes that are not a valid database.
    #[staticmethod]
    #[pyo3(signature = (data, *, verify = true))]
    fn from_bytes(py: Python<'_>, data: &Bound<'_, PyAny>, verify: bool) -> PyResult<Database> {
        guard(|| {
            let bytes: Vec<u8> = if let Ok(b) = data.cast::<PyBytes>() {
                b.as_bytes().to_vec()
            } else {
                let b = py.get_type::<PyBytes>().call1((data,)).map_err(|_| {
                    PyTypeError::new_err(format!(
                        "from_bytes() needs a bytes-like object, not {}",
                        data.get_type()
                            .name()
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    ))
                })?;
                b.cast::<PyBytes>()?.as_bytes().to_vec()
            };
            py.detach(|| {
                let db = PatternDb::from_bytes(bytes)?;
                if verify {
                    db.verify()?;
                }
                Ok(db)
            })
            .py_err()
            .map(|db| Database::new(db, Origin::Bytes))
        })
    }

    /// Compiles a catalog into a database: `sources` is a directory of pattern TOML files
    /// (the format of the project's `patterns/`), or a dict of file name to TOML text.
    /// Raises `DatabaseError` listing every problem (file and field).
    #[staticmethod]
    fn compile(py: Python<'_>, sources: &Bound<'_, PyAny>) -> PyResult<Database> {
        guard(|| {
            let catalog = if let Ok(d) = sources.cast::<PyDict>() {
                let files: Vec<(String, String)> = d
                    .iter()
                    .map(|(k, v)| Ok((k.extract::<String>()?, v.extract::<String>()?)))
                    .collect::<PyResult<_>>()?;
                py.detach(|| codetable::catalog::Catalog::from_sources(files))
            } else {
                let dir: PathBuf = sources.extract().map_err(|_| {
                    PyTypeError::new_err(
                        "compile() takes a directory or a dict of name to TOML text",
                    )
                })?;
                if !dir.is_dir() {
                    return Err(crate::errors::FileError::new_err(format!(
                        "{}: not a directory",
                        dir.display()
                    )));
                }
                py.detach(|| codetable::catalog::Catalog::load_dir(&dir))
            };
            let catalog = catalog.map_err(|e| DatabaseError::new_err(e.to_string()))?;
            let bytes = py.detach(|| codetable::build_database(&catalog)).py_err()?;
            let db = PatternDb::from_bytes(bytes).py_err()?;
            Ok(Database::new(db, Origin::Bytes))
        })
    }

    /// Your own patterns stacked over a database (`base`, default: the built-in catalog):
    /// `paths` are rules files (`.toml`, one pattern or several as `[[patterns]]`) or folders of
    /// them. They are compiled at the user level (id, name, severity, a rule and a `match`
    /// example are enough), their examples run, and the result is cached by content in the
    /// user's cache folder. Their patterns are numbered after the base's. Raises
    /// `DatabaseError` listing every problem (file and field), or when a rule reuses an id or
    /// symbol of the base.
    #[staticmethod]
    #[pyo3(signature = (paths, base = None))]
    pub(crate) fn with_rules(
        py: Python<'_>,
        paths: Vec<PathBuf>,
        base: Option<PyRef<'_, Database>>,
    ) -> PyResult<Database> {
        guard(|| {
            let base_origin = base.as_ref().map_or(Origin::Default, |b| b.origin.clone());
            let base_db = match &base {
                Some(b) => reopen(&b.origin, b.db())?,
                None => PatternDb::default_catalog(),
            };
            let paths: Vec<PathBuf> = paths
                .into_iter()
                .map(|p| std::path::absolute(&p).unwrap_or(p))
                .collect();
            let db = py.detach(|| {
                let cache = codetable::catalog::user_cache_dir();
                let user = codetable::catalog::user_database(&paths, cache.as_deref())
                    .map_err(|e| e.to_string())?;
                PatternDb::layered(base_db, [user]).map_err(|e| e.to_string())
            });
            let db = db.map_err(DatabaseError::new_err)?;
            Ok(Database::new(
                db,
                Origin::Rules(paths, Box::new(base_origin)),
            ))
        })
    }

    /// The number of stacked databases: 1, or 2 and more with `with_rules`.
    #[getter]
    fn layers(&self) -> usize {
        self.db().layer_count()
    }

    /// The database file's bytes (write them to a `.ctdb` file, or send them to a worker).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.db().as_bytes())
    }

    /// Checks every section's checksum and structure; raises `DatabaseError` on the first problem.
    fn verify(&self, py: Python<'_>) -> PyResult<()> {
        guard(|| py.detach(|| self.db().verify()).py_err())
    }

    /// The pattern with this id (`"security.weak-hash.md5"`) or number (`0 <= n < len(db)`).
    /// Raises `KeyError` when there is none.
    fn pattern(&self, key: &Bound<'_, PyAny>) -> PyResult<Pattern> {
        guard(|| {
            if let Ok(id) = key.extract::<String>() {
                return self
                    .lookup(self.db().by_id(&id))?
                    .ok_or_else(|| PyKeyError::new_err(format!("no pattern with id {id:?}")));
            }
            let n: i64 = key.extract().map_err(|_| {
                PyTypeError::new_err("pattern() takes a pattern id (str) or number (int)")
            })?;
            if n < 0 || n >= self.db().len() as i64 {
                return Err(PyKeyError::new_err(format!(
                    "no pattern number {n} (the database has {})",
                    self.db().len()
                )));
            }
            self.numbered(n as u32)
        })
    }

    /// The pattern with this periodic-table symbol (exact, case-sensitive: `"Md"`), or `None`.
    fn by_symbol(&self, symbol: &str) -> PyResult<Option<Pattern>> {
        guard(|| self.lookup(self.db().by_symbol(symbol)))
    }

    /// The pattern named by an id, a symbol or an exact name (case-insensitive), or `None`.
    fn find(&self, query: &str) -> PyResult<Option<Pattern>> {
        guard(|| self.lookup(self.db().find(query)))
    }

    /// Patterns matching `query`, best first: its words (any case) as words, prefixes or
    /// substrings of the id, symbol, name or summary, within a typo or two, or a CWE (`"CWE-89"`,
    /// `"89"`) or OWASP category (`"A03"`, `"A03:2021"`). Every layer is searched.
    fn search(&self, query: &str) -> PyResult<Vec<Pattern>> {
        guard(|| {
            self.db()
                .search(query)
                .py_err()?
                .into_iter()
                .map(|n| self.numbered(n))
                .collect()
        })
    }

    fn __len__(&self) -> usize {
        self.db().len()
    }

    /// Pickling (for multiprocessing, Ray, Dask, Spark workers): the built-in catalog and
    /// opened files travel as a call to reopen them (workers map the same file), anything else
    /// as its bytes.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let cls = py.get_type::<Database>();
        Ok(match &self.origin {
            Origin::Default => (cls.getattr("default")?, PyTuple::empty(py)),
            Origin::File(path) => (cls.getattr("open")?, PyTuple::new(py, [path.as_os_str()])?),
            Origin::Bytes => (
                cls.getattr("from_bytes")?,
                PyTuple::new(py, [PyBytes::new(py, self.db().as_bytes())])?,
            ),
            Origin::Rules(paths, base) => {
                let base = Database::new(reopen(base, self.db())?, (**base).clone());
                let paths = PyTuple::new(py, paths.iter().map(|p| p.as_os_str()))?;
                let args: [Bound<'py, PyAny>; 2] =
                    [paths.into_any(), Bound::new(py, base)?.into_any()];
                (cls.getattr("with_rules")?, PyTuple::new(py, args)?)
            }
        })
    }

    fn __getitem__(&self, key: &Bound<'_, PyAny>) -> PyResult<Pattern> {
        self.pattern(key)
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        match self.pattern(key) {
            Ok(_) => Ok(true),
            Err(e) if e.is_instance_of::<PyKeyError>(key.py()) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn __iter__(&self) -> PatternIterator {
        PatternIterator {
            engine: self.engine.clone(),
            next: std::sync::atomic::AtomicU32::new(0),
        }
    }

    fn __repr__(&self) -> String {
        format!("<codetable.Database: {} patterns>", self.db().len())
    }

    /// Database metadata: `{"patterns": n, "entries": n, "size": bytes}`.
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let info = self.db().info().py_err()?;
            let d = PyDict::new(py);
            d.set_item("patterns", info.patterns)?;
            d.set_item("entries", info.entries)?;
            d.set_item("size", info.size)?;
            Ok(d)
        })
    }
}

/// Iterator over every pattern of a `Database`, in database order.
#[pyclass(frozen, module = "codetable")]
pub struct PatternIterator {
    engine: Arc<CoreEngine>,
    next: std::sync::atomic::AtomicU32,
}

#[pymethods]
impl PatternIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self) -> PyResult<Option<Pattern>> {
        use std::sync::atomic::Ordering::Relaxed;
        guard(|| {
            let len = self.engine.db().len() as u32;
            let n = self.next.fetch_add(1, Relaxed);
            if n >= len {
                self.next.store(len, Relaxed);
                return Ok(None);
            }
            Ok(Some(Pattern {
                sheet: self.engine.sheet(n).py_err()?,
            }))
        })
    }
}

/// One entry of the periodic table, with everything known about it. Immutable.
///
/// Equality and hashing go by `id`.
#[pyclass(frozen, module = "codetable", name = "Pattern")]
pub struct Pattern {
    pub(crate) sheet: Arc<PatternSheet>,
}

fn strings<'py>(py: Python<'py>, v: &[String]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, v)
}

/// `(language, template)` pairs of rules.
fn templates<'py>(py: Python<'py>, rules: &[SheetRule]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, rules.iter().map(|r| (&r.language, &r.pattern)))
}

#[pymethods]
impl Pattern {
    /// Stable dotted id (`"security.weak-hash.md5"`).
    #[getter]
    fn id(&self) -> &str {
        &self.sheet.id
    }
    /// The periodic-table symbol (1–3 letters, `"Md"`).
    #[getter]
    fn symbol(&self) -> &str {
        &self.sheet.symbol
    }
    /// Human name.
    #[getter]
    fn name(&self) -> &str {
        &self.sheet.name
    }
    /// Group: security, reliability, performance, concurrency, maintainability, design or idiom.
    #[getter]
    fn group(&self) -> &str {
        &self.sheet.group
    }
    /// Severity: info, low, medium, high or critical.
    #[getter]
    fn severity(&self) -> &'static str {
        self.sheet.severity.name()
    }
    /// The languages the pattern is written for (canonical names).
    #[getter]
    fn languages<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        strings(py, &self.sheet.languages)
    }
    /// One-paragraph summary.
    #[getter]
    fn summary(&self) -> &str {
        &self.sheet.summary
    }
    /// The text of the property a one-line report shows, if the pattern has properties.
    #[getter]
    fn key_property(&self) -> Option<&str> {
        self.sheet.key_property.as_deref()
    }
    /// What is known about the pattern: `Property(kind, text, evidence)` objects.
    #[getter]
    fn properties<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.sheet.properties.iter().map(|q| Property {
                kind: q.kind.name(),
                text: q.text.clone(),
                evidence: q.evidence.clone(),
            }),
        )
    }
    /// CWE numbers.
    #[getter]
    fn cwe<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.sheet.cwe)
    }
    /// OWASP Top 10 categories (`"A02:2021"`).
    #[getter]
    fn owasp<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        strings(py, &self.sheet.owasp)
    }
    /// Common issues seen with the pattern.
    #[getter]
    fn common_issues<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        strings(py, &self.sheet.common_issues)
    }
    /// Ids of better or safer alternatives.
    #[getter]
    fn alternatives<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        strings(py, &self.sheet.alternatives)
    }
    /// Typed relations to other patterns: `Relation(kind, target)` objects.
    #[getter]
    fn relations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.sheet.relations.iter().map(|r| Relation {
                kind: r.kind.name(),
                target: r.target.clone(),
            }),
        )
    }
    /// Reference links.
    #[getter]
    fn references<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        strings(py, &self.sheet.references)
    }
    /// How the pattern finds code: `"rule"` (templates) or `"shape"` (similarity).
    #[getter]
    fn matcher(&self) -> &'static str {
        self.sheet.matcher.kind_name()
    }
    /// `(language, template)` pairs for a rule; `(language, reference code)` for a shape.
    #[getter]
    fn templates<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        match &self.sheet.matcher {
            SheetMatcher::Rule { rules } => templates(py, rules),
            SheetMatcher::Shape { references, .. } => {
                PyTuple::new(py, references.iter().map(|r| (&r.language, &r.code)))
            }
        }
    }
    /// A shape's similarity threshold (0..1); `None` for a rule.
    #[getter]
    fn threshold(&self) -> Option<f32> {
        match &self.sheet.matcher {
            SheetMatcher::Rule { .. } => None,
            SheetMatcher::Shape { threshold, .. } => Some(*threshold),
        }
    }
    /// A shape's guards: `(language, template)` pairs, one of which (when the unit's language
    /// has any) must match inside a unit for the shape to match; `()` for a rule. Their
    /// `inside`/`not_inside`/`where` constraints are in `to_dict()["matcher"]["require"]`.
    #[getter]
    fn require<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        match &self.sheet.matcher {
            SheetMatcher::Shape { require, .. } => templates(py, require),
            SheetMatcher::Rule { .. } => Ok(PyTuple::empty(py)),
        }
    }
    /// A shape's exclusions: `(language, template)` pairs none of which may match inside the
    /// unit; `()` for a rule.
    #[getter]
    fn exclude<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        match &self.sheet.matcher {
            SheetMatcher::Shape { exclude, .. } => templates(py, exclude),
            SheetMatcher::Rule { .. } => Ok(PyTuple::empty(py)),
        }
    }
    /// The pattern's own tests: `Example(language, expect, code)` objects.
    #[getter]
    fn examples<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.sheet.examples.iter().map(|e| Example {
                language: e.language.clone(),
                expect: e.expect.clone(),
                code: e.code.clone(),
            }),
        )
    }
    /// The one-line message of a finding: the key property's text (or the summary).
    #[getter]
    fn message(&self) -> &str {
        self.sheet.message()
    }
    /// The pattern's number in its database.
    #[getter]
    fn number(&self) -> u32 {
        self.sheet.number
    }

    /// The pattern sheet as plain Python data: the JSON object of
    /// `core/schema/pattern-sheet.schema.json` (what `codetable explain --format json` prints).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        from_json(py, &self.sheet.to_json())
    }

    /// The pattern sheet as core's JSON text (compact).
    fn to_json(&self) -> String {
        self.sheet.to_json()
    }

    /// The property sheet as Markdown (CommonMark), rendered by core: the text every codetable
    /// host shows (the language server's hover, Kotlin's `propertySheet()`, the C ABI's
    /// `codetable_db_pattern_markdown`). Headline with symbol, name and id; group, severity,
    /// languages, linked CWE and OWASP; the summary; sections for properties with their
    /// evidence links, common issues, alternatives, relations and references.
    fn to_markdown(&self) -> String {
        self.sheet.to_markdown()
    }

    fn __repr__(&self) -> String {
        let s = &self.sheet;
        format!(
            "<Pattern {} {} {:?} ({}, {})>",
            s.symbol,
            s.id,
            s.name,
            s.group,
            s.severity.name()
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Pattern>()
            .map(|o| o.get().sheet.id == self.sheet.id)
            .unwrap_or(false)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.sheet.id.hash(&mut h);
        h.finish()
    }
}

/// One thing known about a pattern (`kind`: security, performance, reliability or
/// maintainability), with links backing it (`evidence`).
#[pyclass(frozen, module = "codetable", name = "Property")]
pub struct Property {
    kind: &'static str,
    text: String,
    evidence: Vec<String>,
}

#[pymethods]
impl Property {
    /// What the property is about.
    #[getter]
    fn kind(&self) -> &str {
        self.kind
    }
    /// The property, in plain English.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }
    /// Links (https) backing it.
    #[getter]
    fn evidence<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        strings(py, &self.evidence)
    }
    fn __repr__(&self) -> String {
        format!("Property(kind={:?}, text={:?})", self.kind, self.text)
    }
}

/// A typed edge to another pattern: `kind` is requires, conflicts, enhances or related;
/// `target` an id.
#[pyclass(frozen, module = "codetable", name = "Relation")]
pub struct Relation {
    kind: &'static str,
    target: String,
}

#[pymethods]
impl Relation {
    /// requires, conflicts, enhances or related.
    #[getter]
    fn kind(&self) -> &str {
        self.kind
    }
    /// The other pattern's id.
    #[getter]
    fn target(&self) -> &str {
        &self.target
    }
    fn __repr__(&self) -> String {
        format!("Relation(kind={:?}, target={:?})", self.kind, self.target)
    }
}

/// One of a pattern's own tests: code the pattern must (`expect == "match"`) or must not
/// (`"no-match"`) find.
#[pyclass(frozen, module = "codetable", name = "Example")]
pub struct Example {
    language: String,
    expect: String,
    code: String,
}

#[pymethods]
impl Example {
    /// The language of the code.
    #[getter]
    fn language(&self) -> &str {
        &self.language
    }
    /// `"match"` (the pattern must find the code) or `"no-match"` (a near miss it must not).
    #[getter]
    fn expect(&self) -> &str {
        &self.expect
    }
    /// True when the pattern must find this code (`expect == "match"`).
    #[getter]
    fn expect_match(&self) -> bool {
        self.expect == codetable::Expect::Match.name()
    }
    /// The code.
    #[getter]
    fn code(&self) -> &str {
        &self.code
    }
    fn __repr__(&self) -> String {
        format!(
            "Example(language={:?}, expect={:?}, code={:?})",
            self.language, self.expect, self.code
        )
    }
}
