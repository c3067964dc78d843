//! The database file layout, shared by the reader ([`super::PatternDb`]) and the writer
//! (`super::build`): magics and version, sizes, the section table, the byte codes of entry rows,
//! the keys of the name index, the metadata record.
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
//! This module decodes and encodes bytes; it does no I/O and reports no errors: checking what it
//! decodes is the reader's job.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::language::Language;
use crate::pattern::Severity;

/// File magic.
pub const MAGIC: [u8; 8] = *b"CODETBL1";
/// Footer magic.
pub const FOOTER_MAGIC: [u8; 8] = *b"CTBLEND1";
/// The format version this build writes and reads (2: shapes carry `require` / `exclude` guards;
/// 3: `where` clauses carry `constant`; 4: patterns carry taint parts, `level`, `context` and
/// `roles`; 5: rules carry a `fix` template, examples a `fixed` text; 6: rules carry C/C++ `fits`,
/// `unbounded` and `severity_without_input`; 7: patterns carry `tags`).
pub const FORMAT_VERSION: u32 = 7;

/// Size of the header before the section table.
pub(crate) const HEADER_FIXED: usize = 32;
/// Size of one row of the section table.
pub(crate) const SECTION_ENTRY: usize = 24;
/// Size of one row of the ENTRIES section.
pub(crate) const ENTRY_SIZE: usize = 16;
/// Size of one row of the INDEX section.
pub(crate) const INDEX_SIZE: usize = 16;

/// Posting list encoding: `count` u32 entry numbers.
pub(crate) const LIST_ARRAY: u8 = 0;
/// Posting list encoding: a data length u32, then a portable roaring bitmap.
pub(crate) const LIST_ROARING: u8 = 1;

/// Name index key tag: a pattern id.
pub(crate) const KEY_ID: u8 = b'i';
/// Name index key tag: a pattern symbol.
pub(crate) const KEY_SYMBOL: u8 = b's';
/// Name index key tag: a lowercase pattern name (followed by `\0` and the pattern number).
pub(crate) const KEY_NAME: u8 = b'n';

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

    /// The section's position in the section table and the footer's checksums.
    pub(crate) fn slot(self) -> usize {
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

    /// The byte an entry row stores.
    #[cfg(feature = "catalog")]
    pub(crate) const fn code(self) -> u8 {
        match self {
            MatcherKind::Rule => 0,
            MatcherKind::Shape => 1,
        }
    }

    /// The kind stored as `code`, if any.
    pub(crate) const fn from_code(code: u8) -> Option<MatcherKind> {
        match code {
            0 => Some(MatcherKind::Rule),
            1 => Some(MatcherKind::Shape),
            _ => None,
        }
    }
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

/// One row of the ENTRIES section, as stored (codes not yet checked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EntryRow {
    /// The pattern's number.
    pub pattern: u32,
    /// Position of the language in [`Language::ALL`].
    pub language: u8,
    /// [`MatcherKind::code`].
    pub matcher: u8,
    /// Position of the severity in [`Severity::ALL`].
    pub severity: u8,
    /// Index of the rule in the pattern's rule list (0 for shapes).
    pub rule: u8,
    /// Where the entry's required features start in REQUIRED, in features (8 bytes each).
    pub required_at: u32,
    /// How many required features the entry has.
    pub required_len: u32,
}

impl EntryRow {
    /// Decodes a row.
    pub fn from_bytes(raw: &[u8; ENTRY_SIZE]) -> EntryRow {
        EntryRow {
            pattern: u32_at(raw, 0).unwrap_or(0),
            language: raw[4],
            matcher: raw[5],
            severity: raw[6],
            rule: raw[7],
            required_at: u32_at(raw, 8).unwrap_or(0),
            required_len: u32_at(raw, 12).unwrap_or(0),
        }
    }

    /// Encodes a row.
    #[cfg(feature = "catalog")]
    pub fn to_bytes(self) -> [u8; ENTRY_SIZE] {
        let mut raw = [0u8; ENTRY_SIZE];
        raw[0..4].copy_from_slice(&self.pattern.to_le_bytes());
        raw[4] = self.language;
        raw[5] = self.matcher;
        raw[6] = self.severity;
        raw[7] = self.rule;
        raw[8..12].copy_from_slice(&self.required_at.to_le_bytes());
        raw[12..16].copy_from_slice(&self.required_len.to_le_bytes());
        raw
    }
}

/// One row of the INDEX section: where a pattern's record lies and its checksum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IndexRow {
    /// Offset of the record in RECORDS.
    pub offset: u64,
    /// Length of the record.
    pub len: u32,
    /// crc32 of the record.
    pub crc: u32,
}

impl IndexRow {
    /// Decodes a row.
    pub fn from_bytes(raw: &[u8; INDEX_SIZE]) -> IndexRow {
        IndexRow {
            offset: u64_at(raw, 0).unwrap_or(u64::MAX),
            len: u32_at(raw, 8).unwrap_or(0),
            crc: u32_at(raw, 12).unwrap_or(0),
        }
    }

    /// Encodes a row.
    #[cfg(feature = "catalog")]
    pub fn to_bytes(self) -> [u8; INDEX_SIZE] {
        let mut raw = [0u8; INDEX_SIZE];
        raw[0..8].copy_from_slice(&self.offset.to_le_bytes());
        raw[8..12].copy_from_slice(&self.len.to_le_bytes());
        raw[12..16].copy_from_slice(&self.crc.to_le_bytes());
        raw
    }
}

/// The code of a language in entry rows (its position in [`Language::ALL`]).
#[cfg(feature = "catalog")]
pub(crate) fn language_code(language: Language) -> u8 {
    Language::ALL
        .iter()
        .position(|&l| l == language)
        .unwrap_or(0) as u8
}

/// The language stored as `code`, if any.
pub(crate) fn language_from_code(code: u8) -> Option<Language> {
    Language::ALL.get(code as usize).copied()
}

/// The code of a severity in entry rows (its position in [`Severity::ALL`]).
#[cfg(feature = "catalog")]
pub(crate) fn severity_code(severity: Severity) -> u8 {
    Severity::ALL
        .iter()
        .position(|&s| s == severity)
        .unwrap_or(0) as u8
}

/// The severity stored as `code`, if any.
pub(crate) fn severity_from_code(code: u8) -> Option<Severity> {
    Severity::ALL.get(code as usize).copied()
}

/// The index key under which entries without required features are filed, per language.
pub(crate) fn always_key(language: Language) -> u64 {
    let i = Language::ALL
        .iter()
        .position(|&l| l == language)
        .unwrap_or(0) as u64;
    u64::MAX - i
}

/// A key of the name index: `tag`, `\0`, then `text`.
pub(crate) fn name_key(tag: u8, text: &str) -> Vec<u8> {
    let mut key = vec![tag, 0];
    key.extend_from_slice(text.as_bytes());
    key
}

/// Length of the footer of a file with `sections` sections.
pub(crate) fn footer_len(sections: usize) -> usize {
    (sections * 4).div_ceil(8) * 8 + 8 + 8 + 8
}

/// The bincode configuration of records and metadata.
pub(crate) fn bincode_config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<{ 64 * 1024 * 1024 }>()
}

/// Row `i` of a section of fixed-size rows, if the section holds it.
pub(crate) fn row<const N: usize>(section: &[u8], i: u32) -> Option<&[u8; N]> {
    let at = (i as usize).checked_mul(N)?;
    section.get(at..at.checked_add(N)?)?.try_into().ok()
}

/// The little-endian u32 at `at`, if the bytes hold one there.
pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at.checked_add(4)?)
        .map(|s| u32::from_le_bytes(s.try_into().unwrap_or([0; 4])))
}

/// The little-endian u64 at `at`, if the bytes hold one there.
pub(crate) fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at.checked_add(8)?)
        .map(|s| u64::from_le_bytes(s.try_into().unwrap_or([0; 8])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "catalog")]
    fn rows_round_trip() {
        let e = EntryRow {
            pattern: 7,
            language: 3,
            matcher: MatcherKind::Shape.code(),
            severity: 4,
            rule: 2,
            required_at: 0x0102_0304,
            required_len: 5,
        };
        let raw = e.to_bytes();
        assert_eq!(raw[..8], [7, 0, 0, 0, 3, 1, 4, 2]);
        assert_eq!(EntryRow::from_bytes(&raw), e);
        let i = IndexRow {
            offset: 1 << 40,
            len: 9,
            crc: 0xdead_beef,
        };
        assert_eq!(IndexRow::from_bytes(&i.to_bytes()), i);
    }

    #[test]
    #[cfg(feature = "catalog")]
    fn codes_round_trip() {
        for l in Language::ALL {
            assert_eq!(language_from_code(language_code(l)), Some(l));
        }
        for s in Severity::ALL {
            assert_eq!(severity_from_code(severity_code(s)), Some(s));
        }
        for m in [MatcherKind::Rule, MatcherKind::Shape] {
            assert_eq!(MatcherKind::from_code(m.code()), Some(m));
        }
        assert_eq!(MatcherKind::from_code(2), None);
        assert_eq!(language_from_code(Language::ALL.len() as u8), None);
    }

    #[test]
    fn footer_of_eight_sections() {
        // 8 crc32s, header crc32 + reserved, length, magic.
        assert_eq!(footer_len(8), 32 + 8 + 8 + 8);
    }
}
