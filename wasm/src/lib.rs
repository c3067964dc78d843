//! # codetable-wasm — the codetable engine for JavaScript (browsers and Node)
//!
//! This crate owns the JavaScript surface: `Database`, `Engine` and `Document` classes, argument
//! checks, and the conversion of findings and property sheets to plain JavaScript objects. The
//! offset bookkeeping lives in [`session`] (pure Rust, tested natively); this module only checks
//! what JavaScript hands over and turns every failure into a thrown `Error` with a message.
//!
//! Nothing here may panic on input: a panic in wasm32 aborts (a trap that would reach the page),
//! so every argument is checked and untrusted database bytes are verified before use.
//!
//! ```js
//! import init, { Database, Engine, Document } from "codetable-wasm";
//! await init();
//! const engine = new Engine(Database.default());
//! const doc = new Document("python", 'import hashlib\nhashlib.md5(b"x")\n');
//! engine.analyze(doc);          // [{ patternId: "security.weak-hash.md5", symbol: "Md", start: 15, … }]
//! doc.edit(0, 0, "# 😀\n");      // UTF-16 offsets, as JavaScript strings count
//! engine.analyzeDelta(doc);     // { added: [], removed: [] }: the finding only moved
//! ```

use std::rc::Rc;

use codetable::{DbBytes, Language, PatternDb, GROUPS};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub mod session;
pub mod sheet;

use session::{offset_from_f64, BindingError, Session, SharedDb};
use sheet::PatternSheet;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Severity of a pattern, least to most severe. */
export type Severity = "info" | "low" | "medium" | "high" | "critical";

/** A metavariable binding of a finding (UTF-16 offsets). */
export interface FindingCapture { name: string; text: string; start: number; end: number; }

/** One finding: a pattern found in the document. Offsets are UTF-16 code units (JavaScript
 *  string indices); lines and columns are zero-based, columns in UTF-16 code units. */
export interface Finding {
  /** Stable identity (16 hex digits), kept while the code around the finding is untouched. */
  id: string;
  /** The pattern's number in the database. */
  pattern: number;
  patternId: string;
  symbol: string;
  name: string;
  group: string;
  severity: Severity;
  /** 1 for rules; the similarity (0..1) for shapes. */
  score: number;
  start: number;
  end: number;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  captures: FindingCapture[];
}

/** What `Engine.analyzeDelta` found changed since the last analysis. */
export interface FindingChanges {
  /** Findings that appeared, with ranges in the current text. */
  added: Finding[];
  /** Findings that disappeared, with their old ranges mapped into the current text. */
  removed: Finding[];
}

/** A unit of the document: a function, method, class or the module's top level. */
export interface DocumentUnit {
  id: string; kind: string; name: string; start: number; end: number;
  startLine: number; endLine: number;
}

export interface PatternProperty { kind: "security" | "performance" | "reliability" | "maintainability"; text: string; evidence: string[]; }
export interface PatternRelation { kind: "requires" | "conflicts" | "enhances" | "related"; target: string; }
export interface PatternRule { language: string; pattern: string; inside: string[]; notInside: string[]; }
export type PatternMatcher =
  | { kind: "rules"; rules: PatternRule[] }
  | { kind: "shape"; threshold: number; references: { language: string; code: string }[];
      /** Guards: one of `require` (when any) must match inside the unit, none of `exclude`. */
      require: PatternRule[]; exclude: PatternRule[] };
export interface PatternExample { language: string; matches: boolean; code: string; }

/** Everything the catalog knows about one pattern: its property sheet. */
export interface PatternSheet {
  number: number;
  id: string;
  symbol: string;
  name: string;
  group: string;
  severity: Severity;
  languages: string[];
  summary: string;
  properties: PatternProperty[];
  cwe: number[];
  owasp: string[];
  commonIssues: string[];
  alternatives: string[];
  relations: PatternRelation[];
  references: string[];
  matcher: PatternMatcher;
  examples: PatternExample[];
}
"#;

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_err(format!("cannot convert a result to JavaScript: {e}")))
}

fn string_arg(value: &JsValue, what: &str) -> Result<String, JsError> {
    value.as_string().ok_or_else(|| {
        js_err(format!(
            "{what} must be a string, got {}",
            value.js_typeof().as_string().unwrap_or_default()
        ))
    })
}

fn offset_arg(value: &JsValue, what: &str) -> Result<usize, JsError> {
    let n = value.as_f64().ok_or_else(|| {
        js_err(format!(
            "{what} must be a number, got {}",
            value.js_typeof().as_string().unwrap_or_default()
        ))
    })?;
    offset_from_f64(n, what).map_err(js_err)
}

/// A compiled pattern database: the periodic table's catalog.
#[wasm_bindgen]
pub struct Database {
    shared: Rc<SharedDb>,
}

#[wasm_bindgen]
impl Database {
    /// The default catalog embedded in the module.
    #[wasm_bindgen(js_name = "default")]
    pub fn default_catalog() -> Database {
        Database {
            shared: Rc::new(SharedDb::new(PatternDb::default_any())),
        }
    }

    /// A database from the bytes of a `.ctdb` file (`Uint8Array` or `ArrayBuffer`). The bytes
    /// are copied and fully verified (every checksum and record); bad bytes throw an `Error`.
    #[wasm_bindgen(js_name = "fromBytes")]
    pub fn from_bytes(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
    ) -> Result<Database, JsError> {
        let bytes = if let Some(a) = bytes.dyn_ref::<js_sys::Uint8Array>() {
            a.to_vec()
        } else if let Some(b) = bytes.dyn_ref::<js_sys::ArrayBuffer>() {
            js_sys::Uint8Array::new(b).to_vec()
        } else {
            return Err(js_err(
                "Database.fromBytes expects a Uint8Array or an ArrayBuffer",
            ));
        };
        let db = PatternDb::from_bytes(DbBytes::Owned(bytes)).map_err(js_err)?;
        db.verify().map_err(js_err)?;
        Ok(Database {
            shared: Rc::new(SharedDb::new(db)),
        })
    }

    /// Number of patterns.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.shared.db().len() as u32
    }

    /// The property sheet of pattern number `n` (`0 <= n < length`).
    #[wasm_bindgen(unchecked_return_type = "PatternSheet")]
    pub fn pattern(&self, n: JsValue) -> Result<JsValue, JsError> {
        let n = offset_arg(&n, "pattern number")?;
        let len = self.shared.db().len();
        if n >= len {
            return Err(js_err(format!(
                "pattern number {n} is out of range (the database has {len} patterns)"
            )));
        }
        let p = self.shared.db().pattern(n as u32).map_err(js_err)?;
        to_js(&PatternSheet::new(n as u32, &p))
    }

    /// Every pattern's property sheet, in pattern-number order.
    #[wasm_bindgen(unchecked_return_type = "PatternSheet[]")]
    pub fn patterns(&self) -> Result<JsValue, JsError> {
        let db = self.shared.db();
        let mut sheets = Vec::with_capacity(db.len());
        let mut records = Vec::with_capacity(db.len());
        for n in 0..db.len() as u32 {
            records.push((n, db.pattern(n).map_err(js_err)?));
        }
        for (n, p) in &records {
            sheets.push(PatternSheet::new(*n, p));
        }
        to_js(&sheets)
    }

    /// The pattern with this id (`security.weak-hash.md5`), or `undefined`.
    #[wasm_bindgen(js_name = "byId", unchecked_return_type = "PatternSheet | undefined")]
    pub fn by_id(&self, id: JsValue) -> Result<JsValue, JsError> {
        let id = string_arg(&id, "pattern id")?;
        match self.shared.db().by_id(&id).map_err(js_err)? {
            Some((n, p)) => to_js(&PatternSheet::new(n, &p)),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The pattern with this symbol (`Md`, case-sensitive), or `undefined`.
    #[wasm_bindgen(
        js_name = "bySymbol",
        unchecked_return_type = "PatternSheet | undefined"
    )]
    pub fn by_symbol(&self, symbol: JsValue) -> Result<JsValue, JsError> {
        let symbol = string_arg(&symbol, "pattern symbol")?;
        match self.shared.db().by_symbol(&symbol).map_err(js_err)? {
            Some((n, p)) => to_js(&PatternSheet::new(n, &p)),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Numbers of the patterns whose id, symbol or name starts with `prefix`, sorted.
    #[wasm_bindgen(unchecked_return_type = "number[]")]
    pub fn search(&self, prefix: JsValue) -> Result<JsValue, JsError> {
        let prefix = string_arg(&prefix, "search prefix")?;
        to_js(&self.shared.db().search(&prefix).map_err(js_err)?)
    }
}

/// Finds patterns in documents. Cheap: engines over the same `Database` share its caches.
#[wasm_bindgen]
pub struct Engine {
    shared: Rc<SharedDb>,
}

#[wasm_bindgen]
impl Engine {
    /// An engine over a database.
    #[wasm_bindgen(constructor)]
    pub fn new(db: &Database) -> Engine {
        Engine {
            shared: db.shared.clone(),
        }
    }

    /// Every finding in the document, from scratch, sorted by position. The document remembers
    /// them, so the next `analyzeDelta` reports only what its edits changed.
    #[wasm_bindgen(unchecked_return_type = "Finding[]")]
    pub fn analyze(&self, doc: &mut Document) -> Result<JsValue, JsError> {
        let f = doc.session.analyze(&self.shared).map_err(js_err)?;
        to_js(&f)
    }

    /// The findings added and removed by the edits since the document's last analysis; only
    /// the units the edits touched are matched again. Without a previous analysis by an engine
    /// over the same database, analyzes from scratch (everything is `added`).
    #[wasm_bindgen(js_name = "analyzeDelta", unchecked_return_type = "FindingChanges")]
    pub fn analyze_delta(&self, doc: &mut Document) -> Result<JsValue, JsError> {
        let c = doc.session.analyze_delta(&self.shared).map_err(js_err)?;
        to_js(&c)
    }

    /// The document's findings as of its last analysis, with their ranges moved by the edits
    /// made since (empty before the first analysis).
    #[wasm_bindgen(unchecked_return_type = "Finding[]")]
    pub fn findings(&self, doc: &Document) -> Result<JsValue, JsError> {
        let f = doc.session.findings(&self.shared).map_err(js_err)?;
        to_js(&f)
    }

    /// The database this engine uses.
    #[wasm_bindgen(getter)]
    pub fn database(&self) -> Database {
        Database {
            shared: self.shared.clone(),
        }
    }
}

/// A source text in one language, parsed and kept up to date incrementally.
#[wasm_bindgen]
pub struct Document {
    session: Session,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UnitView<'a> {
    id: String,
    kind: &'static str,
    name: &'a str,
    start: u32,
    end: u32,
    start_line: u32,
    end_line: u32,
}

#[wasm_bindgen]
impl Document {
    /// Parses `text` as `language` (`python`, `javascript`, `typescript`, `tsx`, `java`,
    /// `kotlin`, `go`, `rust`, `c`, `cpp`, or an alias such as `py`, `ts`, `c++`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] language: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<Document, JsError> {
        let language = string_arg(&language, "language")?;
        let text = string_arg(&text, "text")?;
        Ok(Document {
            session: Session::new(&language, text).map_err(js_err)?,
        })
    }

    /// Replaces the UTF-16 range `start..end` (JavaScript string offsets, as CodeMirror and
    /// Monaco report them) with `text`. Throws, changing nothing, when an offset is past the
    /// end, inside a surrogate pair, or `end < start`.
    pub fn edit(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] end: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<(), JsError> {
        let start = offset_arg(&start, "edit start")?;
        let end = offset_arg(&end, "edit end")?;
        let text = string_arg(&text, "edit text")?;
        self.session.edit(start, end, &text).map_err(js_err)
    }

    /// The language's canonical name.
    #[wasm_bindgen(getter)]
    pub fn language(&self) -> String {
        self.session.document().language().name().to_string()
    }

    /// The current text.
    #[wasm_bindgen(getter)]
    pub fn text(&self) -> String {
        self.session.document().text().to_string()
    }

    /// Length of the text in UTF-16 code units (equals `text.length`).
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.session.utf16_len() as u32
    }

    /// Number of lines.
    #[wasm_bindgen(getter, js_name = "lineCount")]
    pub fn line_count(&self) -> u32 {
        self.session.line_count() as u32
    }

    /// True when the text has syntax errors (analysis still runs on the rest).
    #[wasm_bindgen(getter, js_name = "hasSyntaxErrors")]
    pub fn has_syntax_errors(&self) -> bool {
        self.session.document().has_syntax_errors()
    }

    /// The units (module, classes, functions, methods) with UTF-16 ranges, in document order.
    #[wasm_bindgen(unchecked_return_type = "DocumentUnit[]")]
    pub fn units(&self) -> Result<JsValue, JsError> {
        let doc = self.session.document();
        let units: Vec<UnitView<'_>> = doc
            .units()
            .iter()
            .map(|u| UnitView {
                id: format!("{:016x}", u.id.0),
                kind: u.kind.name(),
                name: &u.qualified_name,
                start: self.session.utf16_of(u.byte_range.start),
                end: self.session.utf16_of(u.byte_range.end),
                start_line: u.start.line,
                end_line: u.end.line,
            })
            .collect();
        to_js(&units)
    }
}

/// The groups of the periodic table (its columns), in display order.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn groups() -> Result<JsValue, JsError> {
    to_js(&GROUPS)
}

/// The canonical names of the supported languages.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn languages() -> Result<JsValue, JsError> {
    to_js(&Language::ALL.iter().map(|l| l.name()).collect::<Vec<_>>())
}

/// The engine's version (the crate version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

impl From<BindingError> for JsError {
    fn from(e: BindingError) -> JsError {
        js_err(e)
    }
}
