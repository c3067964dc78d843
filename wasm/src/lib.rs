//! # codetable-wasm — the codetable engine for JavaScript (browsers and Node)
//!
//! This crate owns the JavaScript surface only: the `Database`, `Engine` and `Document` classes,
//! the checks of what JavaScript hands over (numbers to offsets, strings, bytes), and the
//! conversion of core's results to plain JavaScript objects. The live document is core's
//! [`codetable::Session`] counting UTF-16 code units (JavaScript string indices); pattern sheets
//! and findings are core's [`PatternSheet`] and [`FindingRecord`] (snake_case keys, the same
//! JSON as every other host), a finding extended with its UTF-16 range (`utf16`).
//!
//! Nothing here may panic on input: a panic in wasm32 aborts (a trap that would reach the page),
//! so every argument is checked, every core error becomes a thrown `Error`, and untrusted
//! database bytes are verified before use.
//!
//! ```js
//! import init, { Database, Engine, Document } from "codetable-wasm";
//! await init();
//! const engine = new Engine(Database.default());
//! const doc = new Document("python", 'import hashlib\nhashlib.md5(b"x")\n');
//! engine.analyze(doc);       // [{ pattern: "security.weak-hash.md5", symbol: "Md", line: 2, …,
//!                            //    utf16: { start: 15, end: 32, start_line: 1, … } }]
//! doc.edit(0, 0, "# 😀\n");   // UTF-16 offsets, as JavaScript strings count
//! engine.analyzeDelta(doc);  // { added: [], updated: [], removed: [] }: the finding only moved
//! ```

use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use codetable::project::design::DesignProject;
use codetable::{
    view, FindingRecord, Language, Match, OffsetUnit, ParticipantRecord, PatternDb, PatternSheet,
    Session, GROUPS,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The core engine every JavaScript `Engine` over one `Database` shares (its identity, its
/// pattern sheets and compiled rules).
type CoreEngine = codetable::Engine;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Severity of a pattern, least to most severe. */
export type Severity = "info" | "low" | "medium" | "high" | "critical";

/** Where code lives; findings outside production never fail a build. */
export type CodeContext =
  | "production" | "test" | "bench" | "example" | "fuzz" | "generated" | "vendored";

/** A language's canonical name. */
export type LanguageName =
  | "python" | "javascript" | "typescript" | "tsx" | "java" | "kotlin" | "go" | "rust" | "c" | "cpp";

/** A metavariable binding of a finding (core's capture record: UTF-8 byte offsets). */
export interface FindingCapture { name: string; text: string; byte_start: number; byte_end: number; }

/** Where a finding is in the JavaScript string: UTF-16 offsets (string indices, as CodeMirror
 *  and Monaco count), zero-based lines, zero-based columns in UTF-16 code units. */
export interface Utf16Span {
  start: number;
  /** Exclusive. */
  end: number;
  start_line: number;
  start_column: number;
  end_line: number;
  /** Exclusive. */
  end_column: number;
  /** The UTF-16 ranges of `Finding.captures`, in the same order. */
  captures: { start: number; end: number }[];
  /** The UTF-16 range `Finding.fix` replaces (absent when there is no fix). */
  fix?: { start: number; end: number };
}

/** One finding: core's finding record (the JSON of `codetable scan --format json`, schema
 *  `core/schema/finding.schema.json`: 1-based `line`/`column` in code points, UTF-8 bytes) plus
 *  `utf16`, its place in the JavaScript string. */
export interface Finding {
  byte_end: number;
  byte_start: number;
  captures: FindingCapture[];
  /** 1-based, in Unicode code points. */
  column: number;
  /** Where the code lives (from the document's path, its content and the enclosing code). */
  context: CodeContext;
  cwe: number[];
  /** Other occurrences of the pattern in the same loop, folded into this finding (only with a
   *  selection, `Engine.select`; absent when none). */
  duplicates?: { byte_start: number; byte_end: number; line: number }[];
  /** Exclusive, 1-based, in code points. */
  end_column: number;
  end_line: number;
  /** The edit the pattern's rule proposes: put `replacement` in place of the bytes
   *  `byte_start..byte_end` (`utf16.fix` in string indices); absent when it has none. */
  fix?: { byte_end: number; byte_start: number; replacement: string };
  group: string;
  /** Stable identity (16 hex digits), kept while the code around the finding is untouched. */
  id: string;
  key_property: string | null;
  language: LanguageName;
  /** 1-based. */
  line: number;
  name: string;
  owasp: string[];
  /** The finding's identity across edits (16 hex digits; no line in it): what baselines and
   * SARIF `partialFingerprints` match on. */
  fingerprint: string;
  /** The path given to `findings`/`findingsJson`, else null. */
  path: string | null;
  /** The pattern's id (`security.weak-hash.md5`). */
  pattern: string;
  /** 1 for rules; the similarity (0..1) for shapes. */
  score: number;
  /** The pattern's severity, or one level lower outside production code (with a selection). */
  severity: Severity;
  snippet: string;
  symbol: string;
  /** Qualified name of the unit holding the finding (empty at module level). */
  unit: string;
  utf16: Utf16Span;
  /** Design-pattern participants (`Project.findings`): the instance's id, shared by its
   *  participants. Absent otherwise. */
  instance?: string;
  /** Design-pattern participants: the role (`"subject"`, `"observer"`…). */
  role?: string;
  /** Design-pattern participants: every participant of the instance, this one included, role
   *  by role (with `utf16` in `Project.findings`). */
  participants?: DesignParticipant[];
}

/** One participant of a design-pattern instance: core's participant record (1-based lines,
 *  code-point columns, UTF-8 bytes of its own document) plus `utf16`, its place in that
 *  document's JavaScript string. */
export interface DesignParticipant {
  byte_end: number;
  byte_start: number;
  column: number;
  end_column: number;
  end_line: number;
  /** The id of the participant's own finding. */
  finding: string;
  line: number;
  /** The document (its path in the project). */
  path: string | null;
  role: string;
  /** The type's name. */
  unit: string;
  utf16: { start: number; end: number; start_line: number; start_column: number };
}

/** A design-pattern instance (core's `InstanceView`, schema `core/schema/instance.schema.json`):
 *  the pattern and every participant, role by role. */
export interface DesignInstance {
  id: string;
  name: string;
  participants: DesignParticipant[];
  pattern: string;
  summary: string;
  symbol: string;
}

/** What `Engine.analyzeDelta` changed since the last analysis (core's contract). */
export interface FindingChanges {
  /** Findings that appeared. */
  added: Finding[];
  /** Findings of re-analysed code that kept their identity and changed beyond shifting with the
   *  edits (a new range, captures or score, or an edit inside their code): replace what is shown
   *  for them. */
  updated: Finding[];
  /** Findings that disappeared, with their last ranges mapped into the current text. */
  removed: Finding[];
}

/** A unit of the document: a function, method, class or the module's top level (UTF-16
 *  offsets, zero-based lines). */
export interface DocumentUnit {
  id: string; kind: string; name: string; start: number; end: number;
  start_line: number; end_line: number;
}

export interface PatternProperty { kind: "security" | "performance" | "reliability" | "maintainability"; text: string; evidence: string[]; }
export interface PatternRelation { kind: "requires" | "conflicts" | "enhances" | "related"; target: string; }
export interface PatternWhere { metavar: string; regex: string | null; kind: string[]; }
export interface PatternRule { language: LanguageName; pattern: string; inside: string[]; not_inside: string[]; where: PatternWhere[]; }
export type PatternMatcher =
  | { kind: "rule"; rules: PatternRule[] }
  | { kind: "shape"; threshold: number; references: { language: LanguageName; code: string }[];
      /** Guards: one of `require` (when any) must match inside the unit, none of `exclude`. */
      require: PatternRule[]; exclude: PatternRule[] };
export interface PatternExample { language: LanguageName; expect: "match" | "no-match"; code: string; }

/** Everything the catalog knows about one pattern: core's pattern sheet (schema
 *  `core/schema/pattern-sheet.schema.json`). */
export interface PatternSheet {
  number: number;
  id: string;
  symbol: string;
  name: string;
  group: string;
  severity: Severity;
  languages: LanguageName[];
  summary: string;
  /** The property a one-line report shows. */
  key_property: string | null;
  properties: PatternProperty[];
  cwe: number[];
  owasp: string[];
  common_issues: string[];
  alternatives: string[];
  relations: PatternRelation[];
  references: string[];
  matcher: PatternMatcher;
  examples: PatternExample[];
  /** What an editor may show about the code found (struck through, faded). */
  tags: ("deprecated" | "unnecessary")[];
}
"#;

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A plain JavaScript object of `value`: `JSON.parse` of its serde JSON, so what JavaScript
/// receives equals the JSON text every host prints (numbers included: an `f32` score of 0.91 is
/// 0.91, not 0.9100000262260437).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let json = serde_json::to_string(value)
        .map_err(|e| js_err(format!("cannot convert a result to JavaScript: {e}")))?;
    js_sys::JSON::parse(&json).map_err(|_| js_err("cannot convert a result to JavaScript"))
}

fn type_of(value: &JsValue) -> String {
    value.js_typeof().as_string().unwrap_or_default()
}

fn string_arg(value: &JsValue, what: &str) -> Result<String, JsError> {
    value
        .as_string()
        .ok_or_else(|| js_err(format!("{what} must be a string, got {}", type_of(value))))
}

/// An optional string: `undefined` and `null` are `None`.
fn optional_string_arg(value: &JsValue, what: &str) -> Result<Option<String>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    string_arg(value, what).map(Some)
}

/// A JavaScript number as an offset or index: an integer from 0 up.
fn offset_arg(value: &JsValue, what: &str) -> Result<usize, JsError> {
    let n = value
        .as_f64()
        .ok_or_else(|| js_err(format!("{what} must be a number, got {}", type_of(value))))?;
    offset_from_f64(n).ok_or_else(|| {
        js_err(format!(
            "{what} must be a non-negative integer offset, got {n}"
        ))
    })
}

/// `value` as a `usize` when it is an integer in `0..=u32::MAX`.
fn offset_from_f64(value: f64) -> Option<usize> {
    let ok = value.is_finite() && value.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&value);
    ok.then_some(value as usize)
}

/// A compiled pattern database: the periodic table's catalog.
#[wasm_bindgen]
pub struct Database {
    engine: Rc<CoreEngine>,
}

impl Database {
    fn over(db: PatternDb) -> Database {
        Database {
            engine: Rc::new(CoreEngine::new(db)),
        }
    }

    fn sheet(&self, n: &JsValue) -> Result<Arc<PatternSheet>, JsError> {
        let n = offset_arg(n, "pattern number")?;
        let len = self.engine.db().len();
        if n >= len {
            return Err(js_err(format!(
                "pattern number {n} is out of range (the database has {len} patterns)"
            )));
        }
        self.engine.sheet(n as u32).map_err(js_err)
    }

    fn found(
        &self,
        found: codetable::Result<Option<(u32, codetable::Pattern<'_>)>>,
    ) -> Result<JsValue, JsError> {
        match found.map_err(js_err)? {
            Some((n, _)) => to_js(&*self.engine.sheet(n).map_err(js_err)?),
            None => Ok(JsValue::UNDEFINED),
        }
    }
}

#[wasm_bindgen]
impl Database {
    /// The default catalog embedded in the module.
    #[wasm_bindgen(js_name = "default")]
    pub fn default_catalog() -> Database {
        Database::over(PatternDb::default_catalog())
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
        let db = PatternDb::from_bytes(bytes).map_err(js_err)?;
        db.verify().map_err(js_err)?;
        Ok(Database::over(db))
    }

    /// This database with `layer` stacked over it (a team's rules, compiled with `codetable db
    /// build --user rules/ -o rules.ctdb` and read with `fromBytes`): the patterns of `layer`
    /// are numbered after this one's, and an engine over the result finds both. Neither
    /// database is changed. Throws when the two share a pattern id or symbol.
    #[wasm_bindgen(js_name = "withLayer")]
    pub fn with_layer(&self, layer: &Database) -> Result<Database, JsError> {
        let base = self.engine.db().try_clone().map_err(js_err)?;
        let over = layer.engine.db().try_clone().map_err(js_err)?;
        Ok(Database::over(
            PatternDb::layered(base, [over]).map_err(js_err)?,
        ))
    }

    /// Number of stacked databases (1, or more after `withLayer`).
    #[wasm_bindgen(getter)]
    pub fn layers(&self) -> u32 {
        self.engine.db().layer_count() as u32
    }

    /// Number of patterns.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.engine.db().len() as u32
    }

    /// The property sheet of pattern number `n` (`0 <= n < length`).
    #[wasm_bindgen(unchecked_return_type = "PatternSheet")]
    pub fn pattern(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    ) -> Result<JsValue, JsError> {
        to_js(&*self.sheet(&n)?)
    }

    /// The property sheet of pattern number `n` as JSON text (core's `PatternSheet::to_json`,
    /// the same text as every other host's).
    #[wasm_bindgen(js_name = "patternJson")]
    pub fn pattern_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    ) -> Result<String, JsError> {
        Ok(self.sheet(&n)?.to_json())
    }

    /// The property sheet of pattern number `n` as Markdown (CommonMark): core's
    /// `PatternSheet::to_markdown`, the text every host shows (the language server's hover,
    /// Kotlin's `propertySheet()`, Python's `to_markdown()`). Render it with any CommonMark
    /// renderer; catalog prose is escaped, so it holds no raw HTML.
    #[wasm_bindgen(js_name = "patternMarkdown")]
    pub fn pattern_markdown(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    ) -> Result<String, JsError> {
        Ok(self.sheet(&n)?.to_markdown())
    }

    /// Every pattern's property sheet, in pattern-number order.
    #[wasm_bindgen(unchecked_return_type = "PatternSheet[]")]
    pub fn patterns(&self) -> Result<JsValue, JsError> {
        let sheets = (0..self.engine.db().len() as u32)
            .map(|n| self.engine.sheet(n))
            .collect::<codetable::Result<Vec<_>>>()
            .map_err(js_err)?;
        to_js(&sheets.iter().map(|s| &**s).collect::<Vec<&PatternSheet>>())
    }

    /// The pattern with this id (`security.weak-hash.md5`), or `undefined`.
    #[wasm_bindgen(js_name = "byId", unchecked_return_type = "PatternSheet | undefined")]
    pub fn by_id(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<JsValue, JsError> {
        let id = string_arg(&id, "pattern id")?;
        self.found(self.engine.db().by_id(&id))
    }

    /// The pattern with this symbol (`Md`, case-sensitive), or `undefined`.
    #[wasm_bindgen(
        js_name = "bySymbol",
        unchecked_return_type = "PatternSheet | undefined"
    )]
    pub fn by_symbol(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] symbol: JsValue,
    ) -> Result<JsValue, JsError> {
        let symbol = string_arg(&symbol, "pattern symbol")?;
        self.found(self.engine.db().by_symbol(&symbol))
    }

    /// Numbers of the patterns matching `query`, best first: words, prefixes, substrings and
    /// near misses of the id, symbol, name or summary (any case), a CWE (`CWE-89`, `89`) or an
    /// OWASP category (`A03`); every layer is searched. An empty query lists every pattern.
    #[wasm_bindgen(unchecked_return_type = "number[]")]
    pub fn search(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] prefix: JsValue,
    ) -> Result<JsValue, JsError> {
        let prefix = string_arg(&prefix, "search prefix")?;
        to_js(&self.engine.db().search(&prefix).map_err(js_err)?)
    }
}

/// A finding as JavaScript receives it: core's record plus its UTF-16 span.
#[derive(Serialize)]
struct Finding {
    #[serde(flatten)]
    record: FindingRecord,
    utf16: Utf16Span,
}

/// A design participant's finding as JavaScript receives it: core's record, its UTF-16 span and
/// every participant with theirs (`Project.findings`).
#[derive(Serialize)]
struct DesignFinding {
    #[serde(flatten)]
    record: FindingRecord,
    utf16: Utf16Span,
    participants: Vec<DesignParticipant>,
}

/// `DesignParticipant` in the `.d.ts`: core's participant record and its UTF-16 place.
#[derive(Serialize)]
struct DesignParticipant {
    #[serde(flatten)]
    record: ParticipantRecord,
    utf16: ParticipantSpan,
}

#[derive(Serialize)]
struct ParticipantSpan {
    start: usize,
    end: usize,
    start_line: u32,
    start_column: u32,
}

/// `DesignInstance` in the `.d.ts`: core's instance view with UTF-16 places.
#[derive(Serialize)]
struct DesignInstance {
    id: String,
    name: String,
    participants: Vec<DesignParticipant>,
    pattern: String,
    summary: String,
    symbol: String,
}

/// A finding's place in the JavaScript string (see `Utf16Span` in the `.d.ts`).
#[derive(Serialize)]
struct Utf16Span {
    start: usize,
    end: usize,
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    captures: Vec<Utf16Range>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<Utf16Range>,
}

#[derive(Serialize)]
struct Utf16Range {
    start: usize,
    end: usize,
}

/// `FindingChanges` in the `.d.ts`: core's `Changes` as findings.
#[derive(Serialize)]
struct FindingChanges {
    added: Vec<Finding>,
    updated: Vec<Finding>,
    removed: Vec<Finding>,
}

/// Finds patterns in documents. Engines over the same `Database` are one engine: they share its
/// identity (a document analysed by one continues incrementally with another) and its caches.
#[wasm_bindgen]
pub struct Engine {
    engine: Rc<CoreEngine>,
}

impl Engine {
    /// The document's current matches (`None` before its first analysis). Pattern numbers
    /// belong to the database of the engine that found them, so another engine's are refused.
    fn current<'s>(&self, s: &'s Session) -> Result<Option<&'s [Match]>, JsError> {
        match s.analyzed_by() {
            Some(id) if id != self.engine.id() => Err(js_err(
                "the document was analysed by an engine over another Database: call analyzeDelta with this engine first",
            )),
            _ => s.matches().map_err(js_err),
        }
    }

    /// Core's records of `matches` (of the document's current text) with their UTF-16 spans.
    fn findings_of(
        &self,
        s: &Session,
        matches: &[Match],
        path: Option<&str>,
    ) -> Result<Vec<Finding>, JsError> {
        let records = s.records(&self.engine, matches, path).map_err(js_err)?;
        Ok(records
            .into_iter()
            .zip(matches)
            .map(|(record, m)| {
                let (start, end) = (s.position(m.byte_range.start), s.position(m.byte_range.end));
                let utf16 = Utf16Span {
                    start: s.to_host(m.byte_range.start),
                    end: s.to_host(m.byte_range.end),
                    start_line: start.line,
                    start_column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    captures: m
                        .captures
                        .iter()
                        .map(|c| Utf16Range {
                            start: s.to_host(c.byte_range.start),
                            end: s.to_host(c.byte_range.end),
                        })
                        .collect(),
                    fix: m.fix.as_ref().map(|f| Utf16Range {
                        start: s.to_host(f.byte_range.start),
                        end: s.to_host(f.byte_range.end),
                    }),
                };
                Finding { record, utf16 }
            })
            .collect())
    }
}

#[wasm_bindgen]
impl Engine {
    /// An engine over a database.
    #[wasm_bindgen(constructor)]
    pub fn new(db: &Database) -> Engine {
        Engine {
            engine: db.engine.clone(),
        }
    }

    /// Reports only what `select` names (default: the patterns of the `default` level) minus
    /// what `ignore` names, with context rules (hazards in tests, benchmarks, examples one
    /// severity lower, some patterns off there), `codetable: ignore` comments honoured and one
    /// loop's duplicates grouped. Selectors: pattern ids, id prefixes, symbols, groups, levels
    /// (`default`, `pedantic`, `info`) or `all`. Engines over one `Database` share it. A new
    /// engine reports every raw match until this is called; documents analysed before analyse
    /// again from scratch. Throws for a selector that names nothing (changing nothing).
    pub fn select(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string[]")] select: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string[]")] ignore: JsValue,
    ) -> Result<(), JsError> {
        let list = |v: &JsValue, what: &str| -> Result<Vec<String>, JsError> {
            if v.is_undefined() || v.is_null() {
                return Ok(Vec::new());
            }
            if !js_sys::Array::is_array(v) {
                return Err(js_err(format!(
                    "{what} must be an array of strings, got {}",
                    type_of(v)
                )));
            }
            js_sys::Array::from(v)
                .iter()
                .map(|x| string_arg(&x, what))
                .collect()
        };
        self.engine
            .select(&list(&select, "select")?, &list(&ignore, "ignore")?)
            .map_err(js_err)
    }

    /// Every finding in the document, from scratch, sorted by position. The document remembers
    /// them, so the next `analyzeDelta` reports only what its edits changed.
    #[wasm_bindgen(unchecked_return_type = "Finding[]")]
    pub fn analyze(&self, doc: &mut Document) -> Result<JsValue, JsError> {
        doc.session.analyze(&self.engine).map_err(js_err)?;
        let matches = doc.session.matches().map_err(js_err)?.unwrap_or_default();
        to_js(&self.findings_of(&doc.session, matches, None)?)
    }

    /// What changed since the document's last analysis: `added`, `updated` (same identity,
    /// changed beyond shifting with the edits: range, captures or score, or an edit inside its code) and `removed` (their last ranges mapped into the current
    /// text). Only the code the edits touched is matched again. Without an earlier analysis by
    /// this engine, analyses from scratch: everything is added, the other engine's findings
    /// removed. On error nothing changes and the call can be retried.
    #[wasm_bindgen(js_name = "analyzeDelta", unchecked_return_type = "FindingChanges")]
    pub fn analyze_delta(&self, doc: &mut Document) -> Result<JsValue, JsError> {
        let c = doc.session.analyze_delta(&self.engine).map_err(js_err)?;
        let s = &doc.session;
        to_js(&FindingChanges {
            added: self.findings_of(s, &c.added, None)?,
            updated: self.findings_of(s, &c.updated, None)?,
            removed: self.findings_of(s, &c.removed, None)?,
        })
    }

    /// The document's findings as of its last analysis with every change applied (what a host
    /// shows), each with `path` when given; `undefined` before the first analysis. Throws while
    /// edits wait for `analyzeDelta`, and when another engine's `Database` made the findings.
    #[wasm_bindgen(unchecked_return_type = "Finding[] | undefined")]
    pub fn findings(
        &self,
        doc: &Document,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] path: JsValue,
    ) -> Result<JsValue, JsError> {
        let path = optional_string_arg(&path, "path")?;
        match self.current(&doc.session)? {
            Some(m) => to_js(&self.findings_of(&doc.session, m, path.as_deref())?),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The findings of `findings(doc, path)` as JSON Lines: one finding record a line, exactly
    /// the text `codetable scan --format json` and every other host print (without `utf16`);
    /// `undefined` before the first analysis. Throws as `findings` does.
    #[wasm_bindgen(js_name = "findingsJson", unchecked_return_type = "string | undefined")]
    pub fn findings_json(
        &self,
        doc: &Document,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] path: JsValue,
    ) -> Result<JsValue, JsError> {
        let path = optional_string_arg(&path, "path")?;
        match self.current(&doc.session)? {
            Some(m) => {
                let records = doc
                    .session
                    .records(&self.engine, m, path.as_deref())
                    .map_err(js_err)?;
                Ok(JsValue::from_str(&view::to_json_lines(&records)))
            }
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The database this engine uses.
    #[wasm_bindgen(getter)]
    pub fn database(&self) -> Database {
        Database {
            engine: self.engine.clone(),
        }
    }
}

/// A source text in one language, parsed and kept up to date incrementally (core's session,
/// counting UTF-16 code units).
#[wasm_bindgen]
pub struct Document {
    session: Session,
}

/// `DocumentUnit` in the `.d.ts`.
#[derive(Serialize)]
struct UnitView<'a> {
    id: String,
    kind: &'static str,
    name: &'a str,
    start: usize,
    end: usize,
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
        let language = Language::from_name(&string_arg(&language, "language")?).map_err(js_err)?;
        let text = string_arg(&text, "text")?;
        let session = Session::new(language, text, OffsetUnit::Utf16).map_err(js_err)?;
        Ok(Document { session })
    }

    /// Sets the file the text came from (`undefined`/`null`: none): its path decides the code
    /// context of findings (`tests/`, `*.test.ts`, `node_modules/`…) and is their default
    /// `path`.
    #[wasm_bindgen(js_name = "setPath")]
    pub fn set_path(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] path: JsValue,
    ) -> Result<(), JsError> {
        let path = optional_string_arg(&path, "path")?;
        self.session.set_path(path.as_deref());
        Ok(())
    }

    /// Sets the code context of the whole document by name (`"production"`, `"test"`,
    /// `"bench"`, `"example"`, `"fuzz"`, `"generated"`, `"vendored"`; `undefined`/`null`:
    /// decided from the path and the code, as usual): a project's per-path setting (`[context]`
    /// in `codetable.toml`), which wins over the path. Throws on an unknown name (the message
    /// suggests the closest), changing nothing.
    #[wasm_bindgen(js_name = "setContext")]
    pub fn set_context(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "CodeContext | null")] context: JsValue,
    ) -> Result<(), JsError> {
        let context = optional_string_arg(&context, "context")?
            .map(|c| codetable::context::CodeContext::parse(&c))
            .transpose()
            .map_err(|e| JsError::new(&e))?;
        self.session.set_context(context);
        Ok(())
    }

    /// The code context set with `setContext`, or `undefined`.
    #[wasm_bindgen(getter, unchecked_return_type = "CodeContext | undefined")]
    pub fn context(&self) -> JsValue {
        match self.session.context() {
            Some(c) => JsValue::from_str(c.name()),
            None => JsValue::UNDEFINED,
        }
    }

    /// Replaces the UTF-16 range `start..end` (JavaScript string offsets, as CodeMirror and
    /// Monaco report them) with `text`. Throws, changing nothing, when an offset is past the
    /// end, inside a surrogate pair, or `end < start`. Several edits may precede one
    /// `analyzeDelta`.
    pub fn edit(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] end: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<(), JsError> {
        let start = offset_arg(&start, "edit start")?;
        let end = offset_arg(&end, "edit end")?;
        let text = string_arg(&text, "edit text")?;
        self.session.edit(start, end, &text).map_err(js_err)?;
        Ok(())
    }

    /// Sets how many syntax nodes each later edit (reparse and units) and analysis may visit
    /// (`null`: no limit; a new document allows 40,000,000). A step past it throws, changing
    /// nothing. WebAssembly has no clock here, so the budget is in nodes, not time.
    #[wasm_bindgen(js_name = "setNodeBudget")]
    pub fn set_node_budget(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number | null")] max_nodes: JsValue,
    ) -> Result<(), JsError> {
        let nodes = if max_nodes.is_null() || max_nodes.is_undefined() {
            None
        } else {
            Some(offset_arg(&max_nodes, "maxNodes")? as u64)
        };
        let budget = self.session.budget().with_nodes(nodes);
        self.session.set_budget(budget);
        Ok(())
    }

    /// Sets how many bytes of syntax tree the text may need after each later edit, estimated
    /// from its tokens before parsing (`null`: no limit; a new document is built within
    /// 64 MiB). An edit past it throws, changing nothing. This bounds what one file can take
    /// of the module's linear memory.
    #[wasm_bindgen(js_name = "setMemoryBudget")]
    pub fn set_memory_budget(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number | null")] max_bytes: JsValue,
    ) -> Result<(), JsError> {
        let memory = if max_bytes.is_null() || max_bytes.is_undefined() {
            None
        } else {
            Some(offset_arg(&max_bytes, "maxBytes")? as u64)
        };
        let budget = self.session.budget().with_memory(memory);
        self.session.set_budget(budget);
        Ok(())
    }

    /// The bytes of syntax tree the text may need (`null`: no limit).
    #[wasm_bindgen(
        getter,
        js_name = "memoryBudget",
        unchecked_return_type = "number | null"
    )]
    pub fn memory_budget(&self) -> JsValue {
        match self.session.budget().memory {
            Some(n) => JsValue::from_f64(n as f64),
            None => JsValue::NULL,
        }
    }

    /// The syntax nodes each edit or analysis may visit (`null`: no limit).
    #[wasm_bindgen(
        getter,
        js_name = "nodeBudget",
        unchecked_return_type = "number | null"
    )]
    pub fn node_budget(&self) -> JsValue {
        match self.session.budget().nodes {
            Some(n) => JsValue::from_f64(n as f64),
            None => JsValue::NULL,
        }
    }

    /// The language's canonical name.
    #[wasm_bindgen(getter, unchecked_return_type = "LanguageName")]
    pub fn language(&self) -> String {
        self.session.document().language().name().to_string()
    }

    /// The current text.
    #[wasm_bindgen(getter)]
    pub fn text(&self) -> String {
        self.session.text().to_string()
    }

    /// Length of the text in UTF-16 code units (equals `text.length`).
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.session.len() as u32
    }

    /// Number of lines.
    #[wasm_bindgen(getter, js_name = "lineCount")]
    pub fn line_count(&self) -> u32 {
        self.session.line_index().line_count() as u32
    }

    /// True when the text has syntax errors (analysis still runs on the rest).
    #[wasm_bindgen(getter, js_name = "hasSyntaxErrors")]
    pub fn has_syntax_errors(&self) -> bool {
        self.session.document().has_syntax_errors()
    }

    /// True when edits were made since the last analysis (`Engine.findings` waits for
    /// `analyzeDelta` then).
    #[wasm_bindgen(getter, js_name = "hasPendingEdits")]
    pub fn has_pending_edits(&self) -> bool {
        self.session.has_pending_edits()
    }

    /// The units (module, classes, functions, methods) with UTF-16 ranges, in document order.
    #[wasm_bindgen(unchecked_return_type = "DocumentUnit[]")]
    pub fn units(&self) -> Result<JsValue, JsError> {
        let s = &self.session;
        let units: Vec<UnitView<'_>> = s
            .document()
            .units()
            .iter()
            .map(|u| UnitView {
                id: format!("{:016x}", u.id.0),
                kind: u.kind.name(),
                name: &u.qualified_name,
                start: s.to_host(u.byte_range.start),
                end: s.to_host(u.byte_range.end),
                start_line: u.start.line,
                end_line: u.end.line,
            })
            .collect();
        to_js(&units)
    }
}

/// The language of a file from its name's extension, else from a `#!` line at the start of
/// `text`; `undefined` when neither says (core's `Language::detect`, as the CLI uses).
#[wasm_bindgen(
    js_name = "detectLanguage",
    unchecked_return_type = "LanguageName | undefined"
)]
pub fn detect_language(
    #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] text: JsValue,
) -> Result<JsValue, JsError> {
    let path = string_arg(&path, "path")?;
    let text = optional_string_arg(&text, "text")?.unwrap_or_default();
    Ok(match Language::detect(Path::new(&path), text.as_bytes()) {
        Some(l) => JsValue::from_str(l.name()),
        None => JsValue::UNDEFINED,
    })
}

/// The language `text` parses best in, when it is not `current`: `undefined` when `current`
/// parses it without errors, or no language is clearly better (core's `Language::guess`,
/// judged on the first 16 KiB). For a host to say "this reads as Python" instead of showing no
/// findings for code analysed in the wrong language.
#[wasm_bindgen(
    js_name = "guessLanguage",
    unchecked_return_type = "LanguageName | undefined"
)]
pub fn guess_language(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LanguageName | null")] current: JsValue,
) -> Result<JsValue, JsError> {
    let text = string_arg(&text, "text")?;
    let current = match optional_string_arg(&current, "current")? {
        Some(name) => Some(Language::from_name(&name).map_err(js_err)?),
        None => None,
    };
    Ok(match Language::guess(&text, current) {
        Some(l) => JsValue::from_str(l.name()),
        None => JsValue::UNDEFINED,
    })
}

/// The groups of the periodic table (its columns), in display order.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn groups() -> Result<JsValue, JsError> {
    to_js(&GROUPS)
}

/// The canonical names of the supported languages.
#[wasm_bindgen(unchecked_return_type = "LanguageName[]")]
pub fn languages() -> Result<JsValue, JsError> {
    to_js(&Language::ALL.iter().map(|l| l.name()).collect::<Vec<_>>())
}

/// The engine's version (the crate version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    use super::offset_from_f64;

    #[test]
    fn offsets_from_js_numbers_are_checked() {
        assert_eq!(offset_from_f64(3.0), Some(3));
        assert_eq!(offset_from_f64(u32::MAX as f64), Some(u32::MAX as usize));
        for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY, 1e12, -0.5] {
            assert_eq!(offset_from_f64(bad), None, "{bad}");
        }
    }
}

/// Several documents by path and the design-pattern instances found across them (core's
/// `DesignProject`): a design pattern's participants live in several files. Offsets are UTF-16
/// string indices of each participant's own document.
#[wasm_bindgen]
pub struct Project {
    engine: Rc<CoreEngine>,
    project: DesignProject,
}

impl Project {
    fn participant(&self, r: &ParticipantRecord) -> DesignParticipant {
        let path = r.path.as_deref().unwrap_or("");
        let at = |b| {
            self.project
                .to_host(path, b, OffsetUnit::Utf16)
                .unwrap_or(0)
        };
        let start = self.project.position(path, r.byte_start, OffsetUnit::Utf16);
        DesignParticipant {
            record: r.clone(),
            utf16: ParticipantSpan {
                start: at(r.byte_start),
                end: at(r.byte_end),
                start_line: start.map_or(0, |p| p.line),
                start_column: start.map_or(0, |p| p.column),
            },
        }
    }
}

#[wasm_bindgen]
impl Project {
    /// An empty project whose design patterns are those `engine` reports (design patterns are
    /// `info`: a new engine reports every pattern; after `select`, those it names, e.g.
    /// `["design"]`).
    #[wasm_bindgen(constructor)]
    pub fn new(engine: &Engine) -> Project {
        Project {
            engine: engine.engine.clone(),
            project: DesignProject::new(),
        }
    }

    /// Adds the document at `path` or replaces its text: only its contribution to the model
    /// changes. The language is detected from the path's extension unless given. Throws for an
    /// empty path or an unknown language (changing nothing).
    #[wasm_bindgen(js_name = "setDocument")]
    pub fn set_document(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] language: JsValue,
    ) -> Result<(), JsError> {
        let path = string_arg(&path, "path")?;
        let text = string_arg(&text, "text")?;
        if path.is_empty() {
            return Err(js_err("path is empty: a project names its documents"));
        }
        let language = match optional_string_arg(&language, "language")? {
            Some(l) => Language::from_name(&l).map_err(js_err)?,
            None => Language::detect(Path::new(&path), text.as_bytes())
                .ok_or_else(|| js_err(format!("{path}: unknown language (pass the language)")))?,
        };
        self.project
            .set_document(&self.engine, &path, language, &text)
            .map_err(js_err)
    }

    /// Removes the document at `path`; false when there was none.
    #[wasm_bindgen(js_name = "removeDocument")]
    pub fn remove_document(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
    ) -> Result<bool, JsError> {
        let path = string_arg(&path, "path")?;
        Ok(self.project.remove_document(&path))
    }

    /// The paths of the documents held, sorted.
    #[wasm_bindgen(getter)]
    pub fn paths(&self) -> Vec<String> {
        self.project.paths().map(str::to_string).collect()
    }

    /// One finding per participant of every design-pattern instance, instance by instance and
    /// role by role: core's records with `instance`, `role` and `participants`, each with its
    /// UTF-16 place in its own document.
    #[wasm_bindgen(unchecked_return_type = "Finding[]")]
    pub fn findings(&self) -> Result<JsValue, JsError> {
        let records = self.project.findings(&self.engine).map_err(js_err)?;
        let mut out = Vec::with_capacity(records.len());
        for mut record in records {
            let path = record.path.clone().unwrap_or_default();
            let at = |b| {
                self.project
                    .to_host(&path, b, OffsetUnit::Utf16)
                    .unwrap_or(0)
            };
            let pos = |b| {
                self.project
                    .position(&path, b, OffsetUnit::Utf16)
                    .unwrap_or_default()
            };
            let (start, end) = (pos(record.byte_start), pos(record.byte_end));
            let utf16 = Utf16Span {
                start: at(record.byte_start),
                end: at(record.byte_end),
                start_line: start.line,
                start_column: start.column,
                end_line: end.line,
                end_column: end.column,
                captures: Vec::new(),
                fix: None,
            };
            let participants = std::mem::take(&mut record.participants)
                .iter()
                .map(|r| self.participant(r))
                .collect();
            out.push(DesignFinding {
                record,
                utf16,
                participants,
            });
        }
        to_js(&out)
    }

    /// The design-pattern instances found: the pattern (id, name, symbol, summary) and every
    /// participant with its role, type and UTF-16 place.
    #[wasm_bindgen(unchecked_return_type = "DesignInstance[]")]
    pub fn instances(&self) -> Result<JsValue, JsError> {
        let views = self.project.instances(&self.engine).map_err(js_err)?;
        let out: Vec<DesignInstance> = views
            .into_iter()
            .map(|v| DesignInstance {
                participants: v.participants.iter().map(|r| self.participant(r)).collect(),
                id: v.id,
                name: v.name,
                pattern: v.pattern,
                summary: v.summary,
                symbol: v.symbol,
            })
            .collect();
        to_js(&out)
    }
}
