//! The compiled pattern database: one immutable file, read into memory or taken from bytes.
//!
//! This module reads: [`PatternDb`] over any bytes (a `Vec`, the embedded default catalog, an
//! mmap the host made). The layout both halves share is in `format`; writing is in `build` (the
//! `catalog` feature), so a host that only reads never links the writer.
//!
//! **Trust after checking.** Opening checks everything a scan or a lookup will read, before the
//! database is returned: magic, version, bounds and the header checksum, every section checksum,
//! every byte of padding, the structure of both FSTs (every reachable node, see `fst_check`:
//! `fst` itself trusts its bytes and panics on crafted ones), every posting list, name and entry,
//! every pattern record and the metadata. A database that opens is one that every reader can
//! use; a corrupt, truncated or crafted one is a typed [`Error`] at open, never a panic and
//! never a scan that silently finds less. The check is linear in the file: about 1 ms per MB
//! (figures in `benches/README.md`); the embedded catalog is checked once per process.
//!
//! **Files that change underneath.** [`PatternDb::open`] reads the file into memory (a private
//! snapshot) instead of mapping it: the whole file is read by the check anyway, so a map saves
//! no I/O, and a mapped file that is truncated or rewritten in place kills the process with
//! SIGBUS (an IDE, through the C ABI). The snapshot costs the file's size in memory (the
//! default catalog: about 1 MB); files over [`MAX_FILE_SIZE`] are refused. A file replaced or
//! truncated while it is read is an error at open (its length or checksums disagree), and after
//! open nothing the file does can reach the database. A host that maps a file itself and hands
//! the map to [`PatternDb::from_bytes`] takes that risk knowingly.
//!
//! **Every open is safe.** [`PatternDb::open`] refuses FIFOs, devices, sockets and folders with
//! a clear message before reading (a FIFO would block the open forever, a device never ends).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock, RwLock};

use fst::{IntoStreamer, Streamer};

use crate::error::{Error, Result};
use crate::language::Language;
use crate::pattern::{Pattern, Severity};

#[cfg(feature = "catalog")]
mod build;
mod format;
mod fst_check;
mod layers;
mod search;

#[cfg(feature = "catalog")]
pub use build::{build, DbBuilder};
use format::{
    always_key, bincode_config, footer_len, language_from_code, name_key, row, severity_from_code,
    u32_at, u64_at, EntryRow, IndexRow, ENTRY_SIZE, FOOTER_MAGIC, HEADER_FIXED, INDEX_SIZE, KEY_ID,
    KEY_NAME, KEY_SYMBOL, LIST_ARRAY, LIST_ROARING, MAGIC, SECTION_ENTRY,
};
pub use format::{DbMeta, MatcherKind, Section, FORMAT_VERSION};
use layers::Layer;
pub use search::SearchHit;

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

impl From<Vec<u8>> for DbBytes {
    fn from(v: Vec<u8>) -> DbBytes {
        DbBytes::Owned(v)
    }
}

impl From<&'static [u8]> for DbBytes {
    fn from(s: &'static [u8]) -> DbBytes {
        DbBytes::Static(s)
    }
}

impl From<Arc<[u8]>> for DbBytes {
    fn from(a: Arc<[u8]>) -> DbBytes {
        DbBytes::Shared(a)
    }
}

impl From<memmap2::Mmap> for DbBytes {
    fn from(m: memmap2::Mmap) -> DbBytes {
        DbBytes::Mapped(m)
    }
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

/// A compiled, immutable pattern database over bytes — owned, `&'static` (the embedded default
/// catalog), shared or memory-mapped ([`DbBytes`]; `from_bytes` takes anything that converts).
///
/// One type, not a generic over the byte holder: every host ended up with the type-erased holder
/// anyway, and a match on four variants per section access costs nothing next to an FST lookup.
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
pub struct PatternDb {
    data: DbBytes,
    sections: [(usize, usize); 8],
    patterns: u32,
    entries: u32,
    checked: [OnceLock<std::result::Result<(), (&'static str, String)>>; 8],
    postings_cache: RwLock<HashMap<u64, Arc<[u32]>>>,
    /// Databases stacked over this one ([`PatternDb::layered`]): their patterns and entries
    /// are numbered after this file's own, in order.
    overlays: Vec<Layer>,
}

impl std::fmt::Debug for PatternDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatternDb")
            .field("patterns", &self.patterns)
            .field("entries", &self.entries)
            .field("bytes", &self.data.as_ref().len())
            .field("overlays", &self.overlays.len())
            .finish()
    }
}

fn corrupt(section: &'static str, reason: impl Into<String>) -> Error {
    Error::CorruptDatabase {
        section,
        reason: reason.into(),
    }
}

/// The largest database file [`PatternDb::open`] reads (1 GiB): the default catalog is about
/// 1 MB, and a file read into memory must not be able to take all of it.
pub const MAX_FILE_SIZE: u64 = 1 << 30;

/// What a non-regular file is, for the message refusing it.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Refuses anything but a regular file (after following links): FIFOs block an open, devices
/// never end, folders are not databases. Used before opening and again on the opened file.
pub(crate) fn require_regular_file(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    if meta.is_file() {
        return Ok(());
    }
    Err(Error::Io {
        path: path.display().to_string(),
        message: format!("not a regular file ({})", file_kind(meta)),
    })
}

/// Reads a database file into memory: a private snapshot nothing can change afterwards.
fn read_file(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    require_regular_file(path, &std::fs::metadata(path).map_err(io)?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the path become a FIFO after the check, the open must not block.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    require_regular_file(path, &meta)?;
    let len = meta.len();
    if len > MAX_FILE_SIZE {
        return Err(Error::Io {
            path: path.display().to_string(),
            message: format!("{len} bytes is more than a database may have ({MAX_FILE_SIZE})"),
        });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 != len {
        return Err(Error::Io {
            path: path.display().to_string(),
            message: format!(
                "the file changed while it was read ({len} bytes, then {})",
                bytes.len()
            ),
        });
    }
    if bytes.len() < HEADER_FIXED + 24 {
        return Err(Error::NotADatabase(format!(
            "{} is only {len} bytes",
            path.display()
        )));
    }
    Ok(bytes)
}

/// The default catalog compiled from `patterns/`, embedded in the crate.
pub static DEFAULT_CATALOG: &[u8] = include_bytes!("../../data/default.ctdb");

impl PatternDb {
    /// Opens a database file: refuses anything but a regular file, reads it into memory (a
    /// private snapshot: the file may change or vanish afterwards) and checks all of it.
    pub fn open(path: impl AsRef<Path>) -> Result<PatternDb> {
        PatternDb::from_bytes(read_file(path.as_ref())?)
    }

    /// The same as [`PatternDb::open`] (from when `PatternDb` was generic over its bytes).
    #[deprecated(note = "use PatternDb::open")]
    pub fn open_any(path: impl AsRef<Path>) -> Result<PatternDb> {
        PatternDb::open(path)
    }

    /// The default catalog compiled from the repository's `patterns/` folder.
    pub fn default_catalog() -> PatternDb {
        PatternDb::from_bytes(DEFAULT_CATALOG)
            .expect("the embedded catalog is valid (checked by tests)")
    }

    /// The same as [`PatternDb::default_catalog`] (from when `PatternDb` was generic).
    #[deprecated(note = "use PatternDb::default_catalog")]
    pub fn default_any() -> PatternDb {
        PatternDb::default_catalog()
    }

    /// Reads a database from bytes (a `Vec<u8>`, a `&'static [u8]`, an `Arc<[u8]>`, a memory
    /// map, or [`DbBytes`]) and checks all of it (see the module documentation): a database
    /// returned is one every reader can use.
    pub fn from_bytes(data: impl Into<DbBytes>) -> Result<PatternDb> {
        let db = PatternDb::from_bytes_unchecked(data.into())?;
        let is_default = matches!(&db.data, DbBytes::Static(s)
            if s.as_ptr() == DEFAULT_CATALOG.as_ptr() && s.len() == DEFAULT_CATALOG.len());
        if is_default {
            // The embedded bytes cannot change: checked once per process.
            static CHECKED: OnceLock<Result<()>> = OnceLock::new();
            CHECKED.get_or_init(|| db.check()).clone()?;
        } else {
            db.check()?;
        }
        Ok(db)
    }

    /// Checks the header, the section table and the footer; reads no section.
    fn from_bytes_unchecked(data: DbBytes) -> Result<PatternDb> {
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
            overlays: Vec::new(),
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

    /// Checks everything again, as opening did (every checksum, both FSTs, every posting list,
    /// entry and record): what `codetable db verify` runs.
    pub fn verify(&self) -> Result<()> {
        self.check()
    }

    /// Everything opening checks (see the module documentation).
    fn check(&self) -> Result<()> {
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
        // The FSTs' structure, before `fst` reads them (the section checksums cover their bytes,
        // so `fst`'s own checksum adds nothing).
        fst_check::check(self.section(Section::Features)).map_err(|e| corrupt("features", e))?;
        fst_check::check(self.section(Section::Names)).map_err(|e| corrupt("names", e))?;
        for e in 0..self.entries {
            self.entry(e)?;
            self.required(e)?;
        }
        let features = fst::Map::new(self.section(Section::Features))
            .map_err(|e| corrupt("features", e.to_string()))?;
        let mut stream = features.stream();
        while let Some((key, offset)) = stream.next() {
            if key.len() != 8 {
                return Err(corrupt("features", "a key is not 8 bytes"));
            }
            self.posting(offset)?;
        }
        let names = self.names()?;
        let mut stream = names.stream();
        while let Some((_, n)) = stream.next() {
            if n >= self.patterns as u64 {
                return Err(corrupt("names", format!("pattern number {n} out of range")));
            }
        }
        for n in 0..self.patterns {
            self.pattern(n)?;
        }
        self.meta()?;
        for layer in &self.overlays {
            layer.db.verify()?;
        }
        Ok(())
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.total_patterns() as usize
    }

    /// True when the database holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.total_patterns() == 0
    }

    /// Number of (pattern, language) matcher entries.
    pub fn entry_count(&self) -> u32 {
        self.total_entries()
    }

    /// The record of pattern `n`: a typed view borrowing its strings from the database bytes.
    pub fn pattern(&self, n: u32) -> Result<Pattern<'_>> {
        if let Some((layer, local)) = self.pattern_layer(n) {
            return layer.db.pattern(local);
        }
        if n >= self.patterns {
            return Err(corrupt(
                "index",
                format!("pattern {n} is out of range ({} patterns)", self.patterns),
            ));
        }
        let outside = || {
            corrupt(
                "index",
                format!("record {n} lies outside the records section"),
            )
        };
        let row = row::<INDEX_SIZE>(self.section(Section::Index), n)
            .map(IndexRow::from_bytes)
            .ok_or_else(outside)?;
        let off = row.offset as usize;
        let bytes = off
            .checked_add(row.len as usize)
            .and_then(|end| self.section(Section::Records).get(off..end))
            .ok_or_else(outside)?;
        if crc32fast::hash(bytes) != row.crc {
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
        self.by_key(KEY_ID, id)
    }

    /// The pattern with this symbol (exact, case-sensitive: `Md`).
    pub fn by_symbol(&self, symbol: &str) -> Result<Option<(u32, Pattern<'_>)>> {
        self.by_key(KEY_SYMBOL, symbol)
    }

    fn by_key(&self, tag: u8, text: &str) -> Result<Option<(u32, Pattern<'_>)>> {
        if let Some(n) = self.name_lookup(&name_key(tag, text))? {
            return Ok(Some((n, self.pattern(n)?)));
        }
        for layer in &self.overlays {
            if let Some((n, p)) = layer.db.by_key(tag, text)? {
                return Ok(Some((n + layer.patterns_before, p)));
            }
        }
        Ok(None)
    }

    /// The pattern named by an id, a symbol or an exact name, in that order, each tried as
    /// written and then case-insensitively; layers in order.
    pub fn find(&self, query: &str) -> Result<Option<(u32, Pattern<'_>)>> {
        if let Some(p) = self.by_id(query)? {
            return Ok(Some(p));
        }
        if let Some(p) = self.by_symbol(query)? {
            return Ok(Some(p));
        }
        // Ids are lowercase and symbols capitalised like elements: `MD`, `md` name `Md`.
        let lower = query.to_lowercase();
        if let Some(p) = self.by_id(&lower)? {
            return Ok(Some(p));
        }
        let mut chars = lower.chars();
        let capitalised: String = chars
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .chain(chars)
            .collect();
        if let Some(p) = self.by_symbol(&capitalised)? {
            return Ok(Some(p));
        }
        let mut key = name_key(KEY_NAME, &query.to_lowercase());
        key.push(0);
        let names = self.names()?;
        let mut stream = names.range().ge(&key).lt(prefix_end(&key)).into_stream();
        if let Some((_, n)) = stream.next() {
            let n = u32::try_from(n).ok().filter(|&n| n < self.patterns);
            let n = n.ok_or_else(|| corrupt("names", "pattern number out of range"))?;
            return Ok(Some((n, self.pattern(n)?)));
        }
        for layer in &self.overlays {
            if let Some((n, p)) = layer.db.find(query)? {
                return Ok(Some((n + layer.patterns_before, p)));
            }
        }
        Ok(None)
    }

    /// The matcher entry `e`.
    pub fn entry(&self, e: u32) -> Result<EntryInfo> {
        if let Some((layer, local)) = self.entry_layer(e) {
            let mut info = layer.db.entry(local)?;
            info.entry += layer.entries_before;
            info.pattern += layer.patterns_before;
            return Ok(info);
        }
        let row = self.entry_row(e)?;
        let language = language_from_code(row.language).ok_or_else(|| {
            corrupt(
                "entries",
                format!("entry {e} has language {}", row.language),
            )
        })?;
        let matcher = MatcherKind::from_code(row.matcher).ok_or_else(|| {
            corrupt(
                "entries",
                format!("entry {e} has matcher kind {}", row.matcher),
            )
        })?;
        let severity = severity_from_code(row.severity).ok_or_else(|| {
            corrupt(
                "entries",
                format!("entry {e} has severity {}", row.severity),
            )
        })?;
        if row.pattern >= self.patterns {
            return Err(corrupt(
                "entries",
                format!("entry {e} names pattern {}", row.pattern),
            ));
        }
        Ok(EntryInfo {
            entry: e,
            pattern: row.pattern,
            language,
            matcher,
            severity,
            rule: row.rule,
        })
    }

    fn entry_row(&self, e: u32) -> Result<EntryRow> {
        row::<ENTRY_SIZE>(self.section(Section::Entries), e)
            .map(EntryRow::from_bytes)
            .ok_or_else(|| corrupt("entries", format!("entry {e} out of range")))
    }

    /// The features every match of entry `e` lies in a unit with.
    pub fn required(&self, e: u32) -> Result<&[u8]> {
        if let Some((layer, local)) = self.entry_layer(e) {
            return layer.db.required(local);
        }
        let row = self.entry_row(e)?;
        let (off, len) = (row.required_at as usize, row.required_len as usize);
        let req = self.section(Section::Required);
        off.checked_mul(8)
            .and_then(|s| {
                len.checked_mul(8)
                    .and_then(|l| s.checked_add(l))
                    .map(|end| (s, end))
            })
            .and_then(|(s, end)| req.get(s..end))
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
        let outside = || corrupt("postings", "list outside the section");
        let at = usize::try_from(offset).map_err(|_| outside())?;
        let count = u32_at(b, at).ok_or_else(outside)? as usize;
        let encoding = *b
            .get(at.checked_add(4).ok_or_else(outside)?)
            .ok_or_else(outside)?;
        let list: Vec<u32> = match encoding {
            LIST_ARRAY => {
                let data = at
                    .checked_add(8)
                    .and_then(|s| {
                        count
                            .checked_mul(4)
                            .and_then(|l| b.get(s..s.checked_add(l)?))
                    })
                    .ok_or_else(outside)?;
                data.chunks_exact(4)
                    .map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
                    .collect()
            }
            LIST_ROARING => {
                let start = at.checked_add(12).ok_or_else(outside)?;
                let len = u32_at(b, at + 8).ok_or_else(outside)? as usize;
                let data = b
                    .get(start..start.checked_add(len).ok_or_else(outside)?)
                    .ok_or_else(outside)?;
                let bitmap = roaring::RoaringBitmap::deserialize_from(data)
                    .map_err(|e| corrupt("postings", e.to_string()))?;
                if bitmap.len() != count as u64 {
                    return Err(corrupt("postings", "bitmap size mismatch"));
                }
                bitmap.iter().collect()
            }
            k => return Err(corrupt("postings", format!("unknown list encoding {k}"))),
        };
        if let Some(e) = list.iter().find(|&&e| e >= self.entries) {
            return Err(corrupt("postings", format!("entry {e} out of range")));
        }
        let list: Arc<[u32]> = Arc::from(list);
        if encoding == LIST_ROARING {
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
        for layer in &self.overlays {
            out.extend(
                layer
                    .db
                    .candidates(language, features)?
                    .into_iter()
                    .map(|mut i| {
                        i.entry += layer.entries_before;
                        i.pattern += layer.patterns_before;
                        i
                    }),
            );
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
        for layer in &self.overlays {
            match layer.db.index_keys(limit)? {
                Some(more) if keys.len() + more.len() <= limit => keys.extend(more),
                _ => return Ok(None),
            }
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
