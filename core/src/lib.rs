//! # codetable — a periodic table of code patterns
//!
//! This crate is the engine: it parses source text in ten languages with tree-sitter, cuts it
//! into **units** (functions, methods, classes, the module top level…), gives every unit a
//! **fingerprint**, and keeps all of that up to date, incrementally, while the text is edited.
//!
//! - [`Document`] owns a text, its syntax tree and its [`Unit`]s. [`Document::edit`] applies an
//!   edit, reparses incrementally, re-fingerprints only the units the edit touched and returns a
//!   [`Delta`] naming the units added, removed and changed.
//! - [`Unit`] has a kind, a qualified name (`Outer.method`), byte and line/column ranges, a parent
//!   and a stable [`UnitId`].
//! - [`Fingerprint`] is an exact structural hash in which local names and literal values are
//!   abstracted while callee, attribute, import and keyword-argument names are kept, plus a sorted
//!   set of 64-bit features (subtree shapes and anchor names) for similarity and index lookups.
//!
//! ```
//! use codetable::{Document, Language, UnitKind};
//!
//! let src = "import hashlib\n\nclass Store:\n    def key(self, data):\n        return hashlib.md5(data).hexdigest()\n";
//! let mut doc = Document::new(Language::Python, src)?;
//! let names: Vec<_> = doc.units().iter().map(|u| (u.kind, &*u.qualified_name)).collect();
//! assert_eq!(names, [(UnitKind::Module, ""), (UnitKind::Class, "Store"), (UnitKind::Method, "Store.key")]);
//!
//! // Anchor names survive abstraction: the method's features know it calls `md5`.
//! let key = &doc.units()[2];
//! assert!(key.fingerprint.contains(codetable::features::name("md5")));
//!
//! // Changing the callee changes the structural hash, and the delta says which units changed.
//! let before = key.fingerprint.hash;
//! let at = src.find("md5").unwrap();
//! let delta = doc.edit(at, at + 3, "sha256")?;
//! let key = doc.unit(delta.changed[0]).unwrap();
//! assert_ne!(doc.units()[2].fingerprint.hash, before);
//! assert!(delta.changed.contains(&doc.units()[2].id));
//! # let _ = key;
//! # Ok::<(), codetable::Error>(())
//! ```
//!
//! ## Finding patterns
//!
//! A [`PatternDb`] is the compiled catalog: one immutable file (memory-mapped, or bytes; the
//! default catalog is embedded) with an FST feature index over posting lists, an FST over ids,
//! symbols and names, and a bincode record per pattern. An [`Engine`] asks the index for the
//! candidate patterns of each unit, then verifies them: rule templates ([`rule`]) structurally,
//! shapes by weighted similarity. [`Engine::analyze_delta`] re-matches only what an edit
//! touched; a [`MatchSet`] keeps a host's current matches in step.
//!
//! ```
//! use codetable::{Document, Engine, Language, MatchSet, PatternDb};
//!
//! let engine = Engine::new(PatternDb::default_catalog());
//! let mut doc = Document::new(Language::Python, "import hashlib as h\nd = h.sha256(b'x')\n")?;
//! let mut matches = MatchSet::new(engine.analyze(&doc)?);
//! let md5 = engine.db().by_id("security.weak-hash.md5")?.expect("in the catalog").0;
//! assert!(matches.matches().iter().all(|m| m.pattern != md5));
//!
//! // Type `md5` over `sha256`: only the edited unit is matched again.
//! let at = doc.text().find("sha256").unwrap();
//! let delta = doc.edit(at, at + 6, "md5")?;
//! let changes = matches.apply(&engine.analyze_delta(&doc, &delta)?);
//! assert_eq!(changes.added.len(), 1);
//! let found = matches.matches().iter().find(|m| m.pattern == md5).unwrap();
//! let pattern = engine.db().pattern(found.pattern)?;
//! assert_eq!((pattern.symbol, found.start.line), ("Md", 1));
//! assert!(pattern.cwe.contains(&328));
//! # Ok::<(), codetable::Error>(())
//! ```
//!
//! Offsets are UTF-8 bytes throughout; [`LineIndex`] converts them to the UTF-16 or code-point
//! offsets of a host language.
//!
//! ## Cargo features
//!
//! - `catalog` (default): build time — the catalog loader (`catalog`: TOML sources to patterns,
//!   and its lint) and the database writer (`DbBuilder`, `build_database`). Hosts that only read
//!   a database (the embedded default catalog, a file built by `codetable db build`) turn it off
//!   with `default-features = false`, as the C library and the wasm module do.
//! - `walk` (default): the folder walk hosts share (`source::walk`, on the `ignore` crate).
//! - `config` (default): project configuration (`config`: `codetable.toml`, `[tool.codetable]`).
//!
//! ## For hosts
//!
//! Every host (the CLI, the C ABI and the JVM over it, Python, wasm, a language server) goes
//! through the same three pieces, so they behave alike:
//! - [`Session`]: a live document with edits in the host's [`OffsetUnit`], pending edits merged,
//!   and one `analyze_delta -> {added, updated, removed}` contract ([`Changes`]);
//! - [`view`]: [`PatternSheet`] and [`FindingRecord`], the serde views every host prints, with
//!   versioned JSON schemas in `core/schema/`;
//! - [`source`]: file intake (binary sniffing, size limits, encodings, language detection) with
//!   typed skip reasons, and the one folder walk (`source::walk`).

pub mod budget;
/// The on-disk result cache (issue 18): content hash + database digest + engine version.
pub mod cache;
#[cfg(feature = "catalog")]
pub mod catalog;
#[cfg(feature = "config")]
pub mod config;
pub mod context;
mod db;
mod document;
mod engine;
mod error;
pub mod examples;
mod fingerprint;
pub mod fix;
pub(crate) mod hash;
mod language;
mod macros;
mod pattern;
pub mod profile;
pub mod project;
pub mod rule;
mod session;
mod shape;
pub mod source;
mod text;
mod unit;
pub mod view;
mod walk;

pub use budget::Budget;
pub use context::CodeContext;
#[cfg(feature = "catalog")]
pub use db::{build as build_database, DbBuilder};
pub use db::{
    DbBytes, DbInfo, DbMeta, EntryInfo, MatcherKind, PatternDb, SearchHit, Section,
    DEFAULT_CATALOG, FORMAT_VERSION, MAX_FILE_SIZE,
};
pub use document::{Delta, Document, EditSpan, TextEdit, DEEP_FEATURES_DEPTH, MAX_QUALIFIED_NAME};
pub use engine::{Engine, Match, MatchChanges, MatchDelta, MatchId, MatchSet};
pub use error::{Error, Result};
pub use fingerprint::{features, Fingerprint};
pub use language::{ImportTable, Language, GUESS_PREFIX};
pub use pattern::{
    Example, Expect, Matcher, Pattern, Property, PropertyKind, Relation, RelationKind, RuleEntry,
    Severity, Shape, ShapeReference, WhereClause, GROUPS,
};
pub use profile::{Applied, Level, Profile};
pub use session::{Changes, Session};
pub use text::{LineIndex, OffsetUnit};
pub use unit::{Position, Unit, UnitId, UnitKind};
pub use view::{
    finding_fingerprint, FindingRecord, FixRecord, InstanceView, ParticipantRecord, PatternSheet,
    StepRecord, StepRole,
};

/// The repository README's Rust example, compiled and run as a doctest so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The crate README's example (what crates.io shows), compiled and run as a doctest too.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
