//! The compiled pattern database: one immutable file, opened by mmap or from bytes.
//!
//! Layout (all integers little-endian, sections 8-byte aligned):
//!
//! ```text
//! header   magic "CODETBL1" | version u32 | flags u32 | section count u32 | patterns u32
//!          | entries u32 | reserved u32 | section table: (id u32, reserved u32, offset u64, len u64)*
//! sections FEATURES  fst::Map: feature (u64, big-endian) → offset of its posting list
//!          POSTINGS  per list: count u32, encoding u8 (0 = u32 array, 1 = roaring), padding, data
//!          NAMES     fst::Map: "i\0"+id, "s\0"+symbol, "n\0"+lowercase name+"\0"+number → number
//!          RECORDS   bincode `Pattern` records
//!          INDEX     per pattern: record offset u64, record length u32, record crc32 u32
//!          ENTRIES   per rule (or per shape and language): pattern u32, language u8,
//!                    matcher u8, severity u8, rule index u8, required offset u32, count u32
//!          REQUIRED  u64 features: every match of an entry is in a unit holding all of them
//!          META      bincode `DbMeta`
//! footer   crc32 per section | header crc32 u32 | reserved u32 | file length u64 | "CTBLEND1"
//! ```
//!
//! Opening checks magic, version, bounds and the header checksum — O(1), independent of the
//! number of patterns. Section checksums are checked lazily, once, before a section is first
//! read (the FSTs) or per record (records carry their own crc32); [`PatternDb::verify`] checks
//! everything. A corrupt or truncated file is a typed error, never a panic. Building is
//! deterministic: the same catalog gives byte-identical files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock, RwLock};

use fst::{IntoStreamer, Streamer};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::language::Language;
use crate::pattern::{Matcher, Pattern, Severity};
use crate::rule::Rule;

/// File magic.
pub const MAGIC: [u8; 8] = *b"CODETBL1";
/// Footer magic.
pub const FOOTER_MAGIC: [u8; 8] = *b"CTBLEND1";
/// The format version this build writes and reads (2: shapes carry `require` / `exclude` guards).
pub const FORMAT_VERSION: u32 = 2;

const HEADER_FIXED: usize = 32;
const SECTION_ENTRY: usize = 24;
const ENTRY_SIZE: usize = 16;
const INDEX_SIZE: usize = 16;
/// Posting lists longer than this are stored as roaring bitmaps.
const ROARING_THRESHOLD: usize = 64;

/// The sections of a database, in file order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Section {
    /// Feature → posting list offset (FST).
    Features = 1,
    /// Posting lists of entry numbers.
    Postings = 2,
    /// Id / symbol / name → pattern number (FST).
    Names = 3,
    /// Pattern records (bincode).
    Records = 4,
    /// Record offsets, lengths and checksums.
    Index = 5,
    /// Matcher entries: one per (pattern, language).
    Entries = 6,
    /// Required features of the entries.
    Required = 7,
    /// Database-wide metadata.
    Meta = 8,
}

impl Section {
    /// All sections in file order.
    pub const ALL: [Section; 8] = [
        Section::Features,
        Section::Postings,
        Section::Names,
        Section::Records,
        Section::Index,
        Section::Entries,
        Section::Required,
        Section::Meta,
    ];

    /// Lowercase name.
    pub const fn name(self) -> &'static str {
        match self {
            Section::Features => "features",
            Section::Postings => "postings",
            Section::Names => "names",
            Section::Records => "records",
            Section::Index => "index",
            Section::Entries => "entries",
            Section::Required => "required",
            Section::Meta => "meta",
        }
    }

    fn slot(self) -> usize {
        self as usize - 1
    }
}

/// What a matcher entry uses to find code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatcherKind {
    /// Structural rule templates.
    Rule,
    /// Similarity to reference implementations.
    Shape,
}

impl MatcherKind {
    /// Lowercase name (`"rule"` or `"shape"`): the one spelling every host prints.
    pub const fn name(self) -> &'static str {
        match self {
            MatcherKind::Rule => "rule",
            MatcherKind::Shape => "shape",
        }
    }
}

/// One (pattern, language) matcher entry: what the index returns as a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EntryInfo {
    /// The entry's number.
    pub entry: u32,
    /// The pattern's number.
    pub pattern: u32,
    /// The language the entry matches.
    pub language: Language,
    /// Rule or shape.
    pub matcher: MatcherKind,
    /// The pattern's severity (kept here so filters need not read records).
    pub severity: Severity,
    /// For rule entries, the index of the rule in the pattern's `Matcher::Rules` list: each
    /// rule is indexed on its own required features.
    pub rule: u8,
}

/// Database-wide metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbMeta {
    /// Digest of the catalog sources the database was built from.
    pub catalog_digest: u64,
    /// Number of patterns per group, by group name.
    pub groups: BTreeMap<String, u32>,
    /// The crate version that built the file.
    pub built_by: String,
}

/// Sizes and state of a database, as `codetable db info` shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct DbInfo {
    /// Format version.
    pub version: u32,
    /// Number of patterns.
    pub patterns: u32,
    /// Number of (pattern, language) matcher entries.
    pub entries: u32,
    /// Total size in bytes.
    pub size: u64,
    /// (section, offset, length) in file order.
    pub sections: Vec<(Section, u64, u64)>,
    /// Metadata.
    pub meta: DbMeta,
}

/// The bytes behind a database: owned, static, shared or memory-mapped.
#[derive(Debug)]
pub enum DbBytes {
    /// Owned bytes.
    Owned(Vec<u8>),
    /// Bytes that live forever (the embedded default catalog).
    Static(&'static [u8]),
    /// Shared bytes.
    Shared(Arc<[u8]>),
    /// A read-only memory map of a file.
    Mapped(memmap2::Mmap),
}

impl AsRef<[u8]> for DbBytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            DbBytes::Owned(v) => v,
            DbBytes::Static(s) => s,
            DbBytes::Shared(a) => a,
            DbBytes::Mapped(m) => m,
        }
    }
}

/// A compiled, immutable pattern database over any bytes: a `Vec`, a `&'static [u8]`, an mmap.
///
/// ```
/// use codetable::{PatternDb, Language};
///
/// let db = PatternDb::default_catalog();
/// assert!(!db.is_empty());
/// let (n, md5) = db.by_id("security.weak-hash.md5")?.expect("in the default catalog");
/// assert_eq!(md5.symbol, "Md");
/// assert_eq!(db.by_symbol("Md")?.map(|(m, _)| m), Some(n));
/// assert!(db.search("security.weak")?.contains(&n));
/// # Ok::<(), codetable::Error>(())
/// ```
pub struct PatternDb<D: AsRef<[u8]> = DbBytes> {
    data: D,
    sections: [(usize, usize); 8],
    patterns: u32,
    entries: u32,
    checked: [OnceLock<std::result::Result<(), (&'static str, String)>>; 8],
    postings_cache: RwLock<HashMap<u64, Arc<[u32]>>>,
}

impl<D: AsRef<[u8]>> std::fmt::Debug for PatternDb<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatternDb")
            .field("patterns", &self.patterns)
            .field("entries", &self.entries)
            .field("bytes", &self.data.as_ref().len())
            .finish()
    }
}

fn corrupt(section: &'static str, reason: impl Into<String>) -> Error {
    Error::CorruptDatabase {
        section,
        reason: reason.into(),
    }
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes(s.try_into().unwrap_or([0; 4])))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 8)
        .map(|s| u64::from_le_bytes(s.try_into().unwrap_or([0; 8])))
}

fn bincode_config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<{ 64 * 1024 * 1024 }>()
}

fn map_file(path: &Path) -> Result<memmap2::Mmap> {
    let io = |e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len < (HEADER_FIXED + 24) as u64 {
        // An empty file cannot be mapped; a short one cannot be a database.
        return Err(Error::NotADatabase(format!(
            "{} is only {len} bytes",
            path.display()
        )));
    }
    // SAFETY: the map is read-only. Like every memory-mapped reader (tantivy, fst users), we
    // rely on nobody truncating the file while it is mapped.
    unsafe { memmap2::Mmap::map(&file) }.map_err(io)
}

impl PatternDb<memmap2::Mmap> {
    /// Opens a database file by memory-mapping it.
    pub fn open(path: impl AsRef<Path>) -> Result<PatternDb<memmap2::Mmap>> {
        PatternDb::from_bytes(map_file(path.as_ref())?)
    }
}

impl PatternDb<DbBytes> {
    /// Opens (memory-maps) a file into the type-erased byte holder the bindings use.
    pub fn open_any(path: impl AsRef<Path>) -> Result<PatternDb<DbBytes>> {
        PatternDb::from_bytes(DbBytes::Mapped(map_file(path.as_ref())?))
    }

    /// The embedded default catalog in the type-erased byte holder.
    pub fn default_any() -> PatternDb<DbBytes> {
        PatternDb::from_bytes(DbBytes::Static(DEFAULT_CATALOG))
            .expect("the embedded catalog is valid (checked by tests)")
    }
}

/// The default catalog compiled from `patterns/`, embedded in the crate.
pub static DEFAULT_CATALOG: &[u8] = include_bytes!("../data/default.ctdb");

impl PatternDb<&'static [u8]> {
    /// The default catalog compiled from the repository's `patterns/` folder.
    pub fn default_catalog() -> PatternDb<&'static [u8]> {
        PatternDb::from_bytes(DEFAULT_CATALOG)
            .expect("the embedded catalog is valid (checked by tests)")
    }
}

impl<D: AsRef<[u8]>> PatternDb<D> {
    /// Reads a database from bytes. Checks the header, the section table and the footer; does
    /// not read any section.
    pub fn from_bytes(data: D) -> Result<PatternDb<D>> {
        let b = data.as_ref();
        if b.len() < HEADER_FIXED || b[..8] != MAGIC {
            return Err(Error::NotADatabase("missing the CODETBL1 magic".into()));
        }
        let version = u32_at(b, 8).unwrap_or(0);
        if version != FORMAT_VERSION {
            return Err(Error::UnsupportedVersion {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        let count = u32_at(b, 16).unwrap_or(0) as usize;
        if count != Section::ALL.len() {
            return Err(corrupt(
                "header",
                format!("{count} sections, expected {}", Section::ALL.len()),
            ));
        }
        let patterns = u32_at(b, 20).unwrap_or(0);
        let entries = u32_at(b, 24).unwrap_or(0);
        let table_end = HEADER_FIXED + count * SECTION_ENTRY;
        let footer_len = footer_len(count);
        if b.len() < table_end + footer_len {
            return Err(corrupt(
                "header",
                "file is shorter than its header and footer",
            ));
        }
        let footer = b.len() - footer_len;
        if b[b.len() - 8..] != FOOTER_MAGIC {
            return Err(corrupt(
                "footer",
                "missing the CTBLEND1 magic (truncated file?)",
            ));
        }
        let total = u64_at(b, b.len() - 16).unwrap_or(0);
        if total != b.len() as u64 {
            return Err(corrupt(
                "footer",
                format!("file is {} bytes, footer says {total}", b.len()),
            ));
        }
        let header_crc = u32_at(b, b.len() - 24).unwrap_or(0);
        if crc32fast::hash(&b[..table_end]) != header_crc {
            return Err(corrupt("header", "header checksum mismatch"));
        }
        let mut sections = [(0usize, 0usize); 8];
        let mut prev_end = table_end;
        for (i, s) in Section::ALL.iter().enumerate() {
            let at = HEADER_FIXED + i * SECTION_ENTRY;
            let id = u32_at(b, at).unwrap_or(0);
            let off = u64_at(b, at + 8).unwrap_or(u64::MAX);
            let len = u64_at(b, at + 16).unwrap_or(u64::MAX);
            if id != *s as u32 {
                return Err(corrupt(
                    "header",
                    format!("section {i} has id {id}, expected {}", *s as u32),
                ));
            }
            let end = off.checked_add(len).filter(|&e| e <= footer as u64);
            if !off.is_multiple_of(8) || (off as usize) < prev_end || end.is_none() {
                return Err(corrupt(
                    s.name(),
                    format!("section bounds {off}+{len} are outside the file"),
                ));
            }
            sections[i] = (off as usize, len as usize);
            prev_end = (off + len) as usize;
        }
        let db = PatternDb {
            data,
            sections,
            patterns,
            entries,
            checked: Default::default(),
            postings_cache: RwLock::new(HashMap::new()),
        };
        if db.section(Section::Index).len() != patterns as usize * INDEX_SIZE {
            return Err(corrupt("index", "size does not match the pattern count"));
        }
        if db.section(Section::Entries).len() != entries as usize * ENTRY_SIZE {
            return Err(corrupt("entries", "size does not match the entry count"));
        }
        Ok(db)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.data.as_ref()
    }

    fn section(&self, s: Section) -> &[u8] {
        let (off, len) = self.sections[s.slot()];
        &self.data.as_ref()[off..off + len]
    }

    fn footer_crc(&self, s: Section) -> u32 {
        let b = self.data.as_ref();
        let at = b.len() - footer_len(Section::ALL.len()) + s.slot() * 4;
        u32_at(b, at).unwrap_or(0)
    }

    /// Checks a section's checksum once; later calls return the remembered answer.
    fn checked_section(&self, s: Section) -> Result<&[u8]> {
        let bytes = self.section(s);
        let r = self.checked[s.slot()].get_or_init(|| {
            if crc32fast::hash(bytes) == self.footer_crc(s) {
                Ok(())
            } else {
                Err((s.name(), "checksum mismatch".to_string()))
            }
        });
        match r {
            Ok(()) => Ok(bytes),
            Err((section, reason)) => Err(corrupt(section, reason.clone())),
        }
    }

    /// Checks every section's checksum and every record: what `codetable db verify` runs.
    pub fn verify(&self) -> Result<()> {
        for s in Section::ALL {
            self.checked_section(s)?;
        }
        // Every byte outside the sections and checksums is padding and must be zero.
        let b = self.data.as_ref();
        let footer = b.len() - footer_len(Section::ALL.len());
        let mut at = HEADER_FIXED + Section::ALL.len() * SECTION_ENTRY;
        for (off, len) in self
            .sections
            .iter()
            .copied()
            .chain(std::iter::once((footer, 0)))
        {
            if b[at..off].iter().any(|&x| x != 0) {
                return Err(corrupt(
                    "padding",
                    format!("non-zero padding at {at}..{off}"),
                ));
            }
            at = off + len;
        }
        let crc_end = footer + Section::ALL.len() * 4;
        let padding = b[crc_end..b.len() - 24]
            .iter()
            .chain(&b[b.len() - 20..b.len() - 16]);
        if padding.into_iter().any(|&x| x != 0) {
            return Err(corrupt("footer", "non-zero padding"));
        }
        fst::Map::new(self.section(Section::Features))
            .map_err(|e| corrupt("features", e.to_string()))?
            .as_fst()
            .verify()
            .map_err(|e| corrupt("features", e.to_string()))?;
        fst::Map::new(self.section(Section::Names))
            .map_err(|e| corrupt("names", e.to_string()))?
            .as_fst()
            .verify()
            .map_err(|e| corrupt("names", e.to_string()))?;
        for n in 0..self.patterns {
            self.pattern(n)?;
        }
        for e in 0..self.entries {
            self.entry(e)?;
            self.required(e)?;
        }
        self.meta()?;
        Ok(())
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.patterns as usize
    }

    /// True when the database holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns == 0
    }

    /// Number of (pattern, language) matcher entries.
    pub fn entry_count(&self) -> u32 {
        self.entries
    }

    /// The record of pattern `n`: a typed view borrowing its strings from the database bytes.
    pub fn pattern(&self, n: u32) -> Result<Pattern<'_>> {
        if n >= self.patterns {
            return Err(corrupt(
                "index",
                format!("pattern {n} is out of range ({} patterns)", self.patterns),
            ));
        }
        let idx = self.section(Section::Index);
        let at = n as usize * INDEX_SIZE;
        let off = u64_at(idx, at).unwrap_or(u64::MAX) as usize;
        let len = u32_at(idx, at + 8).unwrap_or(0) as usize;
        let crc = u32_at(idx, at + 12).unwrap_or(0);
        let records = self.section(Section::Records);
        let bytes = off
            .checked_add(len)
            .and_then(|end| records.get(off..end))
            .ok_or_else(|| {
                corrupt(
                    "index",
                    format!("record {n} lies outside the records section"),
                )
            })?;
        if crc32fast::hash(bytes) != crc {
            return Err(corrupt("records", format!("record {n} checksum mismatch")));
        }
        let (p, used): (Pattern<'_>, usize) =
            bincode::serde::borrow_decode_from_slice(bytes, bincode_config())
                .map_err(|e| corrupt("records", format!("record {n}: {e}")))?;
        if used != bytes.len() {
            return Err(corrupt("records", format!("record {n} has trailing bytes")));
        }
        Ok(p)
    }

    fn names(&self) -> Result<fst::Map<&[u8]>> {
        let bytes = self.checked_section(Section::Names)?;
        fst::Map::new(bytes).map_err(|e| corrupt("names", e.to_string()))
    }

    fn name_lookup(&self, key: &[u8]) -> Result<Option<u32>> {
        match self.names()?.get(key) {
            Some(n) if n < self.patterns as u64 => Ok(Some(n as u32)),
            Some(n) => Err(corrupt("names", format!("pattern number {n} out of range"))),
            None => Ok(None),
        }
    }

    /// The pattern with this id.
    pub fn by_id(&self, id: &str) -> Result<Option<(u32, Pattern<'_>)>> {
        self.by_key(b'i', id)
    }

    /// The pattern with this symbol (exact, case-sensitive: `Md`).
    pub fn by_symbol(&self, symbol: &str) -> Result<Option<(u32, Pattern<'_>)>> {
        self.by_key(b's', symbol)
    }

    fn by_key(&self, tag: u8, text: &str) -> Result<Option<(u32, Pattern<'_>)>> {
        let mut key = vec![tag, 0];
        key.extend_from_slice(text.as_bytes());
        match self.name_lookup(&key)? {
            Some(n) => Ok(Some((n, self.pattern(n)?))),
            None => Ok(None),
        }
    }

    /// The pattern named by an id, a symbol or an exact name (case-insensitive), in that order.
    pub fn find(&self, query: &str) -> Result<Option<(u32, Pattern<'_>)>> {
        if let Some(p) = self.by_id(query)? {
            return Ok(Some(p));
        }
        if let Some(p) = self.by_symbol(query)? {
            return Ok(Some(p));
        }
        let mut key = vec![b'n', 0];
        key.extend_from_slice(query.to_lowercase().as_bytes());
        key.push(0);
        let names = self.names()?;
        let mut stream = names.range().ge(&key).lt(prefix_end(&key)).into_stream();
        if let Some((_, n)) = stream.next() {
            let n = u32::try_from(n).ok().filter(|&n| n < self.patterns);
            let n = n.ok_or_else(|| corrupt("names", "pattern number out of range"))?;
            return Ok(Some((n, self.pattern(n)?)));
        }
        Ok(None)
    }

    /// Pattern numbers whose id, symbol or name starts with `prefix` (names case-insensitively),
    /// sorted and deduplicated.
    pub fn search(&self, prefix: &str) -> Result<Vec<u32>> {
        let names = self.names()?;
        let mut out = Vec::new();
        for (tag, text) in [
            (b'i', prefix.to_string()),
            (b's', prefix.to_string()),
            (b'n', prefix.to_lowercase()),
        ] {
            let mut key = vec![tag, 0];
            key.extend_from_slice(text.as_bytes());
            let mut stream = names.range().ge(&key).lt(prefix_end(&key)).into_stream();
            while let Some((_, n)) = stream.next() {
                if n >= self.patterns as u64 {
                    return Err(corrupt("names", format!("pattern number {n} out of range")));
                }
                out.push(n as u32);
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The matcher entry `e`.
    pub fn entry(&self, e: u32) -> Result<EntryInfo> {
        let b = self.section(Section::Entries);
        let at = e as usize * ENTRY_SIZE;
        let raw = b
            .get(at..at + ENTRY_SIZE)
            .ok_or_else(|| corrupt("entries", format!("entry {e} out of range")))?;
        let pattern = u32::from_le_bytes(raw[0..4].try_into().unwrap_or([0; 4]));
        let language = *Language::ALL
            .get(raw[4] as usize)
            .ok_or_else(|| corrupt("entries", format!("entry {e} has language {}", raw[4])))?;
        let matcher = match raw[5] {
            0 => MatcherKind::Rule,
            1 => MatcherKind::Shape,
            k => {
                return Err(corrupt(
                    "entries",
                    format!("entry {e} has matcher kind {k}"),
                ))
            }
        };
        let severity = *Severity::ALL
            .get(raw[6] as usize)
            .ok_or_else(|| corrupt("entries", format!("entry {e} has severity {}", raw[6])))?;
        if pattern >= self.patterns {
            return Err(corrupt(
                "entries",
                format!("entry {e} names pattern {pattern}"),
            ));
        }
        Ok(EntryInfo {
            entry: e,
            pattern,
            language,
            matcher,
            severity,
            rule: raw[7],
        })
    }

    /// The features every match of entry `e` lies in a unit with.
    pub fn required(&self, e: u32) -> Result<&[u8]> {
        let b = self.section(Section::Entries);
        let at = e as usize * ENTRY_SIZE;
        let off = u32_at(b, at + 8)
            .ok_or_else(|| corrupt("entries", format!("entry {e} out of range")))?
            as usize;
        let len = u32_at(b, at + 12).unwrap_or(0) as usize;
        let req = self.section(Section::Required);
        off.checked_mul(8)
            .and_then(|s| {
                len.checked_mul(8)
                    .and_then(|l| s.checked_add(l))
                    .map(|e| (s, e))
            })
            .and_then(|(s, e)| req.get(s..e))
            .ok_or_else(|| corrupt("required", format!("entry {e} lies outside the section")))
    }

    fn posting(&self, offset: u64) -> Result<Arc<[u32]>> {
        if let Some(hit) = self
            .postings_cache
            .read()
            .ok()
            .and_then(|c| c.get(&offset).cloned())
        {
            return Ok(hit);
        }
        let b = self.checked_section(Section::Postings)?;
        let at = offset as usize;
        let count =
            u32_at(b, at).ok_or_else(|| corrupt("postings", "list outside the section"))? as usize;
        let encoding = *b
            .get(at + 4)
            .ok_or_else(|| corrupt("postings", "list outside the section"))?;
        let list: Vec<u32> = match encoding {
            0 => {
                let data = at
                    .checked_add(8)
                    .and_then(|s| count.checked_mul(4).and_then(|l| b.get(s..s + l)))
                    .ok_or_else(|| corrupt("postings", "list outside the section"))?;
                data.chunks_exact(4)
                    .map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
                    .collect()
            }
            1 => {
                let len = u32_at(b, at + 8)
                    .ok_or_else(|| corrupt("postings", "list outside the section"))?
                    as usize;
                let data = b
                    .get(at + 12..at + 12 + len)
                    .ok_or_else(|| corrupt("postings", "list outside the section"))?;
                let bitmap = roaring::RoaringBitmap::deserialize_from(data)
                    .map_err(|e| corrupt("postings", e.to_string()))?;
                if bitmap.len() != count as u64 {
                    return Err(corrupt("postings", "bitmap size mismatch"));
                }
                bitmap.iter().collect()
            }
            k => return Err(corrupt("postings", format!("unknown list encoding {k}"))),
        };
        let list: Arc<[u32]> = Arc::from(list);
        if encoding == 1 {
            if let Ok(mut c) = self.postings_cache.write() {
                c.insert(offset, list.clone());
            }
        }
        Ok(list)
    }

    /// Candidate entries for a unit in `language` whose sorted feature set is `features`: every
    /// entry whose required features are all present. Cost grows with the number of features,
    /// not with the size of the database.
    pub fn candidates(&self, language: Language, features: &[u64]) -> Result<Vec<EntryInfo>> {
        let map = fst::Map::new(self.checked_section(Section::Features)?)
            .map_err(|e| corrupt("features", e.to_string()))?;
        let mut out = Vec::new();
        let always = always_key(language);
        for f in features.iter().copied().chain(std::iter::once(always)) {
            let Some(offset) = map.get(f.to_be_bytes()) else {
                continue;
            };
            for &e in self.posting(offset)?.iter() {
                let info = self.entry(e)?;
                if info.language != language {
                    continue;
                }
                let req = self.required(e)?;
                let all = req.chunks_exact(8).all(|c| {
                    let r = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
                    features.binary_search(&r).is_ok()
                });
                if all {
                    out.push(info);
                }
            }
        }
        out.sort_unstable_by_key(|i| i.entry);
        out.dedup_by_key(|i| i.entry);
        Ok(out)
    }

    /// Every feature key of the index, when there are at most `limit` of them.
    pub fn index_keys(&self, limit: usize) -> Result<Option<HashSet<u64>>> {
        let map = fst::Map::new(self.checked_section(Section::Features)?)
            .map_err(|e| corrupt("features", e.to_string()))?;
        if map.len() > limit {
            return Ok(None);
        }
        let mut keys = HashSet::with_capacity(map.len());
        let mut stream = map.keys();
        while let Some(k) = stream.next() {
            let k: [u8; 8] = k
                .try_into()
                .map_err(|_| corrupt("features", "a key is not 8 bytes"))?;
            keys.insert(u64::from_be_bytes(k));
        }
        Ok(Some(keys))
    }

    /// Database-wide metadata.
    pub fn meta(&self) -> Result<DbMeta> {
        let b = self.checked_section(Section::Meta)?;
        let (m, _) = bincode::serde::decode_from_slice::<DbMeta, _>(b, bincode_config())
            .map_err(|e| corrupt("meta", e.to_string()))?;
        Ok(m)
    }

    /// Counts, sizes and metadata.
    pub fn info(&self) -> Result<DbInfo> {
        Ok(DbInfo {
            version: FORMAT_VERSION,
            patterns: self.patterns,
            entries: self.entries,
            size: self.data.as_ref().len() as u64,
            sections: Section::ALL
                .iter()
                .map(|s| {
                    let (o, l) = self.sections[s.slot()];
                    (*s, o as u64, l as u64)
                })
                .collect(),
            meta: self.meta()?,
        })
    }
}

fn footer_len(sections: usize) -> usize {
    (sections * 4).div_ceil(8) * 8 + 8 + 8 + 8
}

fn prefix_end(key: &[u8]) -> Vec<u8> {
    let mut end = key.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0xff; key.len() + 1]
}

/// The index key under which entries without required features are filed, per language.
fn always_key(language: Language) -> u64 {
    let i = Language::ALL
        .iter()
        .position(|&l| l == language)
        .unwrap_or(0) as u64;
    u64::MAX - i
}

// ---------------------------------------------------------------------------------------------
// Building.

/// Writes a database from pattern records and their matcher entries. [`build`] drives it from
/// a catalog; benchmarks drive it directly with synthetic patterns.
#[derive(Default)]
pub struct DbBuilder {
    records: Vec<Vec<u8>>,
    names: Vec<(Vec<u8>, u64)>,
    entries: Vec<BuildEntry>,
    groups: BTreeMap<String, u32>,
}

struct BuildEntry {
    pattern: u32,
    language: Language,
    matcher: MatcherKind,
    severity: Severity,
    rule: u8,
    required: Vec<u64>,
}

impl DbBuilder {
    /// An empty builder.
    pub fn new() -> DbBuilder {
        DbBuilder::default()
    }

    /// Adds a pattern (numbered in insertion order) and its (language, matcher, rule index,
    /// required features) entries. Required feature lists must be sorted.
    pub fn add(
        &mut self,
        p: &Pattern<'_>,
        entries: impl IntoIterator<Item = (Language, MatcherKind, u8, Vec<u64>)>,
    ) -> Result<u32> {
        let n = self.records.len() as u32;
        let record = bincode::serde::encode_to_vec(p, bincode_config())
            .map_err(|e| Error::Catalog(e.to_string()))?;
        self.records.push(record);
        for (tag, text) in [(b'i', p.id.to_string()), (b's', p.symbol.to_string())] {
            let mut k = vec![tag, 0];
            k.extend_from_slice(text.as_bytes());
            self.names.push((k, n as u64));
        }
        let mut k = vec![b'n', 0];
        k.extend_from_slice(p.name.to_lowercase().as_bytes());
        k.push(0);
        k.extend_from_slice(&n.to_be_bytes());
        self.names.push((k, n as u64));
        *self.groups.entry(p.group.to_string()).or_default() += 1;
        for (language, matcher, rule, required) in entries {
            self.entries.push(BuildEntry {
                pattern: n,
                language,
                matcher,
                severity: p.severity,
                rule,
                required,
            });
        }
        Ok(n)
    }

    /// Writes the file.
    pub fn finish(self) -> Result<Vec<u8>> {
        let digest = self
            .records
            .iter()
            .fold(0u64, |h, r| crate::hash::combine(h, crate::hash::bytes(r)));
        let meta = DbMeta {
            catalog_digest: digest,
            groups: self.groups,
            built_by: format!("codetable {}", env!("CARGO_PKG_VERSION")),
        };
        write(&self.records, &self.names, &self.entries, &meta)
    }
}

/// Compiles a catalog into database bytes (deterministic). Each rule is an entry of its own,
/// filed under its own required features, so a pattern with several templates is only a
/// candidate where one of them can match.
pub fn build(catalog: &Catalog) -> Result<Vec<u8>> {
    let mut builder = DbBuilder::new();
    for p in catalog.patterns() {
        let mut entries = Vec::new();
        match &p.matcher {
            Matcher::Rules(rules) => {
                if rules.len() > u8::MAX as usize + 1 {
                    return Err(Error::Catalog(format!("{}: more than 256 rules", p.id)));
                }
                for (i, r) in rules.iter().enumerate() {
                    let rule = Rule::compile(r.language, &r.spec())
                        .map_err(|e| Error::Catalog(format!("{}: {e}", p.id)))?;
                    entries.push((
                        r.language,
                        MatcherKind::Rule,
                        i as u8,
                        rule.required_features(),
                    ));
                }
            }
            Matcher::Shape(shape) => {
                for &language in &p.languages {
                    if shape.references.iter().any(|r| r.language == language) {
                        entries.push((
                            language,
                            MatcherKind::Shape,
                            0,
                            shape_required(shape, language),
                        ));
                    }
                }
            }
        }
        builder.add(&p, entries)?;
    }
    builder.finish()
}

fn intersect(mut sets: Vec<Vec<u64>>) -> Vec<u64> {
    let mut acc = sets.pop().unwrap_or_default();
    for s in sets {
        acc.retain(|f| s.binary_search(f).is_ok());
    }
    acc
}

/// Features a shape match cannot lack: those whose weight alone exceeds what the threshold
/// allows to be missing, in every reference of the language.
fn shape_required(shape: &crate::pattern::Shape<'_>, language: Language) -> Vec<u64> {
    let sets: Vec<Vec<u64>> = shape
        .references
        .iter()
        .filter(|r| r.language == language)
        .map(|r| {
            let total: f32 = r.features.iter().map(|(_, w)| w).sum();
            let slack = (1.0 - shape.threshold) * total;
            let mut v: Vec<u64> = r
                .features
                .iter()
                .filter(|(_, w)| *w > slack)
                .map(|(f, _)| *f)
                .collect();
            v.sort_unstable();
            v
        })
        .collect();
    intersect(sets)
}

/// Writes the file given its parts (also used by the synthetic benchmark).
fn write(
    records: &[Vec<u8>],
    names: &[(Vec<u8>, u64)],
    entries: &[BuildEntry],
    meta: &DbMeta,
) -> Result<Vec<u8>> {
    let fst_err = |e: fst::Error| Error::Catalog(format!("building an index: {e}"));
    // REQUIRED and ENTRIES.
    let mut required = Vec::new();
    let mut entry_bytes = Vec::with_capacity(entries.len() * ENTRY_SIZE);
    for e in entries {
        let off = (required.len() / 8) as u32;
        for f in &e.required {
            required.extend_from_slice(&f.to_le_bytes());
        }
        entry_bytes.extend_from_slice(&e.pattern.to_le_bytes());
        entry_bytes.push(
            Language::ALL
                .iter()
                .position(|&l| l == e.language)
                .unwrap_or(0) as u8,
        );
        entry_bytes.push(match e.matcher {
            MatcherKind::Rule => 0,
            MatcherKind::Shape => 1,
        });
        entry_bytes.push(
            Severity::ALL
                .iter()
                .position(|&s| s == e.severity)
                .unwrap_or(0) as u8,
        );
        entry_bytes.push(e.rule);
        entry_bytes.extend_from_slice(&off.to_le_bytes());
        entry_bytes.extend_from_slice(&(e.required.len() as u32).to_le_bytes());
    }
    // Each entry is filed under its rarest required feature (or its language's `always` key).
    let mut df: HashMap<u64, u32> = HashMap::new();
    for e in entries {
        for f in &e.required {
            *df.entry(*f).or_default() += 1;
        }
    }
    let mut lists: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let key = e
            .required
            .iter()
            .min_by_key(|f| (df.get(f).copied().unwrap_or(0), **f))
            .copied()
            .unwrap_or_else(|| always_key(e.language));
        lists.entry(key).or_default().push(i as u32);
    }
    let mut postings = Vec::new();
    let mut features = fst::MapBuilder::memory();
    for (key, list) in &lists {
        let offset = postings.len() as u64;
        postings.extend_from_slice(&(list.len() as u32).to_le_bytes());
        if list.len() > ROARING_THRESHOLD {
            postings.extend_from_slice(&[1, 0, 0, 0]);
            let bitmap: roaring::RoaringBitmap = list.iter().copied().collect();
            let mut data = Vec::new();
            bitmap
                .serialize_into(&mut data)
                .map_err(|e| Error::Catalog(e.to_string()))?;
            postings.extend_from_slice(&(data.len() as u32).to_le_bytes());
            postings.extend_from_slice(&data);
        } else {
            postings.extend_from_slice(&[0, 0, 0, 0]);
            for e in list {
                postings.extend_from_slice(&e.to_le_bytes());
            }
        }
        while !postings.len().is_multiple_of(8) {
            postings.push(0);
        }
        features
            .insert(key.to_be_bytes(), offset)
            .map_err(fst_err)?;
    }
    let features = features.into_inner().map_err(fst_err)?;
    let mut names = names.to_vec();
    names.sort();
    let mut name_map = fst::MapBuilder::memory();
    for (k, v) in &names {
        name_map.insert(k, *v).map_err(fst_err)?;
    }
    let name_map = name_map.into_inner().map_err(fst_err)?;
    let mut record_bytes = Vec::new();
    let mut index = Vec::with_capacity(records.len() * INDEX_SIZE);
    for r in records {
        index.extend_from_slice(&(record_bytes.len() as u64).to_le_bytes());
        index.extend_from_slice(&(r.len() as u32).to_le_bytes());
        index.extend_from_slice(&crc32fast::hash(r).to_le_bytes());
        record_bytes.extend_from_slice(r);
    }
    let meta_bytes = bincode::serde::encode_to_vec(meta, bincode_config())
        .map_err(|e| Error::Catalog(e.to_string()))?;

    let bodies: [&[u8]; 8] = [
        &features,
        &postings,
        &name_map,
        &record_bytes,
        &index,
        &entry_bytes,
        &required,
        &meta_bytes,
    ];
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&(bodies.len() as u32).to_le_bytes());
    out.extend_from_slice(&(records.len() as u32).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    let table_at = out.len();
    out.resize(table_at + bodies.len() * SECTION_ENTRY, 0);
    let mut crcs = Vec::new();
    for (i, (s, body)) in Section::ALL.iter().zip(bodies).enumerate() {
        while !out.len().is_multiple_of(8) {
            out.push(0);
        }
        let off = out.len() as u64;
        out.extend_from_slice(body);
        let at = table_at + i * SECTION_ENTRY;
        out[at..at + 4].copy_from_slice(&(*s as u32).to_le_bytes());
        out[at + 8..at + 16].copy_from_slice(&off.to_le_bytes());
        out[at + 16..at + 24].copy_from_slice(&(body.len() as u64).to_le_bytes());
        crcs.push(crc32fast::hash(body));
    }
    while !out.len().is_multiple_of(8) {
        out.push(0);
    }
    let header_crc = crc32fast::hash(&out[..table_at + bodies.len() * SECTION_ENTRY]);
    for c in &crcs {
        out.extend_from_slice(&c.to_le_bytes());
    }
    while !out.len().is_multiple_of(8) {
        out.push(0);
    }
    out.extend_from_slice(&header_crc.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    let total = out.len() as u64 + 16;
    out.extend_from_slice(&total.to_le_bytes());
    out.extend_from_slice(&FOOTER_MAGIC);
    Ok(out)
}
