//! Writing databases: [`DbBuilder`] lays out pattern records and their matcher entries in the
//! file format of [`super::format`]; [`build`] drives it from a loaded [`Catalog`].
//!
//! Build time only (the `catalog` feature): nothing here runs when a database is read. Building
//! is deterministic: the same catalog gives byte-identical files.

use std::collections::{BTreeMap, HashMap};

use super::format::{
    always_key, bincode_config, language_code, name_key, severity_code, DbMeta, EntryRow, IndexRow,
    MatcherKind, Section, ENTRY_SIZE, FOOTER_MAGIC, FORMAT_VERSION, INDEX_SIZE, KEY_ID, KEY_NAME,
    KEY_SYMBOL, LIST_ARRAY, LIST_ROARING, MAGIC, SECTION_ENTRY,
};
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::language::Language;
use crate::pattern::{Matcher, Pattern, Severity};
use crate::rule::Rule;
use crate::shape;

/// Posting lists longer than this are stored as roaring bitmaps.
const ROARING_THRESHOLD: usize = 64;

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
        self.names.push((name_key(KEY_ID, p.id), n as u64));
        // A user pattern may have no symbol: it is then found by id and name only.
        if !p.symbol.is_empty() {
            self.names.push((name_key(KEY_SYMBOL, p.symbol), n as u64));
        }
        let mut k = name_key(KEY_NAME, &p.name.to_lowercase());
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
                            shape::required_features(shape, language),
                        ));
                    }
                }
            }
        }
        builder.add(&p, entries)?;
    }
    builder.finish()
}

/// Writes the file given its parts.
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
        let row = EntryRow {
            pattern: e.pattern,
            language: language_code(e.language),
            matcher: e.matcher.code(),
            severity: severity_code(e.severity),
            rule: e.rule,
            required_at: (required.len() / 8) as u32,
            required_len: e.required.len() as u32,
        };
        for f in &e.required {
            required.extend_from_slice(&f.to_le_bytes());
        }
        entry_bytes.extend_from_slice(&row.to_bytes());
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
            postings.extend_from_slice(&[LIST_ROARING, 0, 0, 0]);
            let bitmap: roaring::RoaringBitmap = list.iter().copied().collect();
            let mut data = Vec::new();
            bitmap
                .serialize_into(&mut data)
                .map_err(|e| Error::Catalog(e.to_string()))?;
            postings.extend_from_slice(&(data.len() as u32).to_le_bytes());
            postings.extend_from_slice(&data);
        } else {
            postings.extend_from_slice(&[LIST_ARRAY, 0, 0, 0]);
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
        let row = IndexRow {
            offset: record_bytes.len() as u64,
            len: r.len() as u32,
            crc: crc32fast::hash(r),
        };
        index.extend_from_slice(&row.to_bytes());
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
