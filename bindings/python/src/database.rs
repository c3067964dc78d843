//! `Database` and `Pattern`: the compiled pattern database and what it knows about each pattern.
//!
//! A `Pattern` is an owned, immutable copy of one record (the core hands out views borrowing the
//! database bytes, which Python objects cannot hold); copies are made once per pattern and shared
//! by every finding through [`PatternCache`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use codetable::{DbBytes, Expect, Matcher, PatternDb};
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

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
}

/// The database and the owned copies of the patterns handed out so far.
pub(crate) struct PatternCache {
    pub(crate) db: Arc<PatternDb<DbBytes>>,
    pub(crate) origin: Origin,
    patterns: RwLock<HashMap<u32, Arc<PatternData>>>,
}

impl PatternCache {
    pub(crate) fn new(db: PatternDb<DbBytes>, origin: Origin) -> Arc<PatternCache> {
        Arc::new(PatternCache {
            db: Arc::new(db),
            origin,
            patterns: RwLock::new(HashMap::new()),
        })
    }

    /// The owned copy of pattern `n`.
    pub(crate) fn get(&self, n: u32) -> codetable::Result<Arc<PatternData>> {
        if let Some(p) = self.patterns.read().ok().and_then(|m| m.get(&n).cloned()) {
            return Ok(p);
        }
        let p = Arc::new(PatternData::new(n, &self.db.pattern(n)?));
        if let Ok(mut m) = self.patterns.write() {
            m.insert(n, p.clone());
        }
        Ok(p)
    }
}

/// Everything in one pattern record, owned.
#[derive(Debug)]
pub(crate) struct PatternData {
    pub(crate) number: u32,
    pub(crate) id: String,
    pub(crate) symbol: String,
    pub(crate) name: String,
    pub(crate) group: String,
    pub(crate) severity: &'static str,
    pub(crate) languages: Vec<&'static str>,
    pub(crate) summary: String,
    pub(crate) properties: Vec<(&'static str, String, Vec<String>)>,
    pub(crate) cwe: Vec<u32>,
    pub(crate) owasp: Vec<String>,
    pub(crate) common_issues: Vec<String>,
    pub(crate) alternatives: Vec<String>,
    pub(crate) relations: Vec<(&'static str, String)>,
    pub(crate) references: Vec<String>,
    pub(crate) matcher: &'static str,
    pub(crate) templates: Vec<(&'static str, String)>,
    pub(crate) threshold: Option<f32>,
    pub(crate) examples: Vec<(&'static str, bool, String)>,
    /// The key property's text, if the pattern has properties.
    pub(crate) key_property: Option<String>,
    /// The one-line message of a finding: the key property's text, or the summary.
    pub(crate) message: String,
}

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn property_kind(k: codetable::PropertyKind) -> &'static str {
    use codetable::PropertyKind as K;
    match k {
        K::Security => "security",
        K::Performance => "performance",
        K::Reliability => "reliability",
        K::Maintainability => "maintainability",
    }
}

fn relation_kind(k: codetable::RelationKind) -> &'static str {
    use codetable::RelationKind as K;
    match k {
        K::Requires => "requires",
        K::Conflicts => "conflicts",
        K::Enhances => "enhances",
        K::Related => "related",
    }
}

impl PatternData {
    fn new(number: u32, p: &codetable::Pattern<'_>) -> PatternData {
        let (matcher, templates, threshold) = match &p.matcher {
            Matcher::Rules(rules) => (
                "rule",
                rules
                    .iter()
                    .map(|r| (r.language.name(), r.pattern.to_string()))
                    .collect(),
                None,
            ),
            Matcher::Shape(shape) => (
                "shape",
                shape
                    .references
                    .iter()
                    .map(|r| (r.language.name(), r.code.to_string()))
                    .collect(),
                Some(shape.threshold),
            ),
        };
        PatternData {
            number,
            id: p.id.to_string(),
            symbol: p.symbol.to_string(),
            name: p.name.to_string(),
            group: p.group.to_string(),
            severity: p.severity.name(),
            languages: p.languages.iter().map(|l| l.name()).collect(),
            summary: p.summary.to_string(),
            properties: p
                .properties
                .iter()
                .map(|q| {
                    (
                        property_kind(q.kind),
                        q.text.to_string(),
                        owned(&q.evidence),
                    )
                })
                .collect(),
            cwe: p.cwe.clone(),
            owasp: owned(&p.owasp),
            common_issues: owned(&p.common_issues),
            alternatives: owned(&p.alternatives),
            relations: p
                .relations
                .iter()
                .map(|r| (relation_kind(r.kind), r.target.to_string()))
                .collect(),
            references: owned(&p.references),
            matcher,
            templates,
            threshold,
            examples: p
                .examples
                .iter()
                .map(|e| {
                    (
                        e.language.name(),
                        e.expect == Expect::Match,
                        e.code.to_string(),
                    )
                })
                .collect(),
            key_property: p.key_property().map(|q| q.text.to_string()),
            message: p
                .key_property()
                .map(|q| q.text.to_string())
                .unwrap_or_else(|| p.summary.to_string()),
        }
    }
}

/// A compiled, immutable pattern database: the periodic table.
///
/// Open one with `Database.default()` (the catalog built into the module), `Database.open(path)`
/// (a `.ctdb` file, memory-mapped) or `Database.from_bytes(data)`. `len(db)` is the number of
/// patterns; iterating yields every `Pattern`.
#[pyclass(frozen, module = "codetable", name = "Database")]
pub struct Database {
    pub(crate) cache: Arc<PatternCache>,
}

impl Database {
    fn lookup(
        &self,
        r: codetable::Result<Option<(u32, codetable::Pattern<'_>)>>,
    ) -> PyResult<Option<Pattern>> {
        match r.py_err()? {
            Some((n, _)) => Ok(Some(Pattern {
                data: self.cache.get(n).py_err()?,
            })),
            None => Ok(None),
        }
    }

    fn verified(db: PatternDb<DbBytes>, verify: bool, origin: Origin) -> PyResult<Database> {
        if verify {
            db.verify().py_err()?;
        }
        Ok(Database {
            cache: PatternCache::new(db, origin),
        })
    }
}

#[pymethods]
impl Database {
    /// The default catalog, compiled from the project's `patterns/` and built into the module.
    #[staticmethod]
    fn default() -> PyResult<Database> {
        guard(|| Database::verified(PatternDb::default_any(), false, Origin::Default))
    }

    /// Opens a database file (memory-mapped; it must not be truncated while open).
    ///
    /// The header, section table and footer are checked at once; section checksums are checked
    /// on first use, or all at once with `verify=True`. Raises `FileError` when the file cannot
    /// be read and `DatabaseError` when it is not a valid database.
    #[staticmethod]
    #[pyo3(signature = (path, *, verify = false))]
    fn open(py: Python<'_>, path: PathBuf, verify: bool) -> PyResult<Database> {
        guard(|| {
            let db = py
                .detach(|| PatternDb::open_any(&path))
                .map_err(|e| crate::errors::to_py_at(e, &path.display().to_string()))?;
            py.detach(|| {
                if verify {
                    db.verify()?;
                }
                Ok(db)
            })
            .py_err()
            .map(|db| Database {
                cache: PatternCache::new(
                    db,
                    Origin::File(std::path::absolute(&path).unwrap_or(path)),
                ),
            })
        })
    }

    /// Reads a database from bytes (`bytes`, `bytearray` or `memoryview`); the bytes are copied.
    ///
    /// Every checksum is verified unless `verify=False`. Raises `DatabaseError` for bytes that
    /// are not a valid database.
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
                let db = PatternDb::from_bytes(DbBytes::Owned(bytes))?;
                if verify {
                    db.verify()?;
                }
                Ok(db)
            })
            .py_err()
            .map(|db| Database {
                cache: PatternCache::new(db, Origin::Bytes),
            })
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
            let db = PatternDb::from_bytes(DbBytes::Owned(bytes)).py_err()?;
            Ok(Database {
                cache: PatternCache::new(db, Origin::Bytes),
            })
        })
    }

    /// The database file's bytes (write them to a `.ctdb` file, or send them to a worker).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.cache.db.as_bytes())
    }

    /// Checks every section's checksum and structure; raises `DatabaseError` on the first problem.
    fn verify(&self, py: Python<'_>) -> PyResult<()> {
        guard(|| py.detach(|| self.cache.db.verify()).py_err())
    }

    /// The pattern with this id (`"security.weak-hash.md5"`) or number (`0 <= n < len(db)`).
    /// Raises `KeyError` when there is none.
    fn pattern(&self, key: &Bound<'_, PyAny>) -> PyResult<Pattern> {
        guard(|| {
            if let Ok(id) = key.extract::<String>() {
                return self
                    .lookup(self.cache.db.by_id(&id))?
                    .ok_or_else(|| PyKeyError::new_err(format!("no pattern with id {id:?}")));
            }
            let n: i64 = key.extract().map_err(|_| {
                PyTypeError::new_err("pattern() takes a pattern id (str) or number (int)")
            })?;
            if n < 0 || n >= self.cache.db.len() as i64 {
                return Err(PyKeyError::new_err(format!(
                    "no pattern number {n} (the database has {})",
                    self.cache.db.len()
                )));
            }
            Ok(Pattern {
                data: self.cache.get(n as u32).py_err()?,
            })
        })
    }

    /// The pattern with this periodic-table symbol (exact, case-sensitive: `"Md"`), or `None`.
    fn by_symbol(&self, symbol: &str) -> PyResult<Option<Pattern>> {
        guard(|| self.lookup(self.cache.db.by_symbol(symbol)))
    }

    /// The pattern named by an id, a symbol or an exact name (case-insensitive), or `None`.
    fn find(&self, query: &str) -> PyResult<Option<Pattern>> {
        guard(|| self.lookup(self.cache.db.find(query)))
    }

    /// Patterns whose id, symbol or name starts with `prefix` (names case-insensitively), in
    /// database order.
    fn search(&self, prefix: &str) -> PyResult<Vec<Pattern>> {
        guard(|| {
            self.cache
                .db
                .search(prefix)
                .py_err()?
                .into_iter()
                .map(|n| {
                    Ok(Pattern {
                        data: self.cache.get(n).py_err()?,
                    })
                })
                .collect()
        })
    }

    fn __len__(&self) -> usize {
        self.cache.db.len()
    }

    /// Pickling (for multiprocessing, Ray, Dask, Spark workers): the built-in catalog and
    /// opened files travel as a call to reopen them (workers map the same file), anything else
    /// as its bytes.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let cls = py.get_type::<Database>();
        Ok(match &self.cache.origin {
            Origin::Default => (cls.getattr("default")?, PyTuple::empty(py)),
            Origin::File(path) => (cls.getattr("open")?, PyTuple::new(py, [path.as_os_str()])?),
            Origin::Bytes => (
                cls.getattr("from_bytes")?,
                PyTuple::new(py, [PyBytes::new(py, self.cache.db.as_bytes())])?,
            ),
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
            cache: self.cache.clone(),
            next: std::sync::atomic::AtomicU32::new(0),
        }
    }

    fn __repr__(&self) -> String {
        format!("<codetable.Database: {} patterns>", self.cache.db.len())
    }

    /// Database metadata: `{"patterns": n, "entries": n, "size": bytes}`.
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let info = self.cache.db.info().py_err()?;
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
    cache: Arc<PatternCache>,
    next: std::sync::atomic::AtomicU32,
}

#[pymethods]
impl PatternIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self) -> PyResult<Option<Pattern>> {
        guard(|| {
            let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if n as usize >= self.cache.db.len() {
                self.next.store(
                    self.cache.db.len() as u32,
                    std::sync::atomic::Ordering::Relaxed,
                );
                return Ok(None);
            }
            Ok(Some(Pattern {
                data: self.cache.get(n).py_err()?,
            }))
        })
    }
}

/// One entry of the periodic table, with everything known about it. Immutable.
///
/// Equality and hashing go by `id`.
#[pyclass(frozen, module = "codetable", name = "Pattern")]
pub struct Pattern {
    pub(crate) data: Arc<PatternData>,
}

fn strings<'py>(py: Python<'py>, v: &[String]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, v)
}

#[pymethods]
impl Pattern {
    /// Stable dotted id (`"security.weak-hash.md5"`).
    #[getter]
    fn id(&self) -> &str {
        &self.data.id
    }
    /// The periodic-table symbol (1–3 letters, `"Md"`).
    #[getter]
    fn symbol(&self) -> &str {
        &self.data.symbol
    }
    /// Human name.
    #[getter]
    fn name(&self) -> &str {
        &self.data.name
    }
    /// Group: security, reliability, performance, concurrency, maintainability, design or idiom.
    #[getter]
    fn group(&self) -> &str {
        &self.data.group
    }
    /// Severity: info, low, medium, high or critical.
    #[getter]
    fn severity(&self) -> &str {
        self.data.severity
    }
    /// The languages the pattern is written for (canonical names).
    #[getter]
    fn languages<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.data.languages)
    }
    /// One-paragraph summary.
    #[getter]
    fn summary(&self) -> &str {
        &self.data.summary
    }
    /// What is known about the pattern: `Property(kind, text, evidence)` objects.
    #[getter]
    fn properties<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.data.properties.iter().map(|(k, t, e)| Property {
                kind: k,
                text: t.clone(),
                evidence: e.clone(),
            }),
        )
    }
    /// CWE numbers.
    #[getter]
    fn cwe<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.data.cwe)
    }
    /// OWASP Top 10 categories (`"A02:2021"`).
    #[getter]
    fn owasp<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        strings(py, &self.data.owasp)
    }
    /// Common issues seen with the pattern.
    #[getter]
    fn common_issues<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        strings(py, &self.data.common_issues)
    }
    /// Ids of better or safer alternatives.
    #[getter]
    fn alternatives<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        strings(py, &self.data.alternatives)
    }
    /// Typed relations to other patterns: `Relation(kind, target)` objects.
    #[getter]
    fn relations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.data.relations.iter().map(|(k, t)| Relation {
                kind: k,
                target: t.clone(),
            }),
        )
    }
    /// Reference links.
    #[getter]
    fn references<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        strings(py, &self.data.references)
    }
    /// How the pattern finds code: `"rule"` (templates) or `"shape"` (similarity).
    #[getter]
    fn matcher(&self) -> &str {
        self.data.matcher
    }
    /// `(language, template)` pairs for a rule; `(language, reference code)` for a shape.
    #[getter]
    fn templates<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.data.templates)
    }
    /// A shape's similarity threshold (0..1); `None` for a rule.
    #[getter]
    fn threshold(&self) -> Option<f32> {
        self.data.threshold
    }
    /// The pattern's own tests: `Example(language, expect_match, code)` objects.
    #[getter]
    fn examples<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.data.examples.iter().map(|(l, m, c)| Example {
                language: l,
                expect_match: *m,
                code: c.clone(),
            }),
        )
    }
    /// The one-line message of a finding: the key property's text (or the summary).
    #[getter]
    fn message(&self) -> &str {
        &self.data.message
    }
    /// The pattern's number in its database.
    #[getter]
    fn number(&self) -> u32 {
        self.data.number
    }

    /// Every field as plain Python data (JSON-serialisable).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let p = &self.data;
        d.set_item("id", &p.id)?;
        d.set_item("symbol", &p.symbol)?;
        d.set_item("name", &p.name)?;
        d.set_item("group", &p.group)?;
        d.set_item("severity", p.severity)?;
        d.set_item("languages", &p.languages)?;
        d.set_item("summary", &p.summary)?;
        let props = p
            .properties
            .iter()
            .map(|(k, t, e)| {
                let q = PyDict::new(py);
                q.set_item("kind", k)?;
                q.set_item("text", t)?;
                q.set_item("evidence", e)?;
                Ok(q)
            })
            .collect::<PyResult<Vec<_>>>()?;
        d.set_item("properties", props)?;
        d.set_item("cwe", &p.cwe)?;
        d.set_item("owasp", &p.owasp)?;
        d.set_item("common_issues", &p.common_issues)?;
        d.set_item("alternatives", &p.alternatives)?;
        let rels = p
            .relations
            .iter()
            .map(|(k, t)| {
                let q = PyDict::new(py);
                q.set_item("kind", k)?;
                q.set_item("target", t)?;
                Ok(q)
            })
            .collect::<PyResult<Vec<_>>>()?;
        d.set_item("relations", rels)?;
        d.set_item("references", &p.references)?;
        d.set_item("matcher", p.matcher)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Pattern {} {} {:?} ({}, {})>",
            self.data.symbol, self.data.id, self.data.name, self.data.group, self.data.severity
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Pattern>()
            .map(|o| o.get().data.id == self.data.id)
            .unwrap_or(false)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.data.id.hash(&mut h);
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

/// A typed edge to another pattern: `kind` is requires, conflicts or enhances; `target` an id.
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

/// One of a pattern's own tests: code the pattern must (`expect_match`) or must not find.
#[pyclass(frozen, module = "codetable", name = "Example")]
pub struct Example {
    language: &'static str,
    expect_match: bool,
    code: String,
}

#[pymethods]
impl Example {
    /// The language of the code.
    #[getter]
    fn language(&self) -> &str {
        self.language
    }
    /// True when the pattern must find this code.
    #[getter]
    fn expect_match(&self) -> bool {
        self.expect_match
    }
    /// The code.
    #[getter]
    fn code(&self) -> &str {
        &self.code
    }
    fn __repr__(&self) -> String {
        format!(
            "Example(language={:?}, expect_match={}, code={:?})",
            self.language,
            if self.expect_match { "True" } else { "False" },
            self.code
        )
    }
}
