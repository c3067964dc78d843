//! Databases stacked on one another: the user's own patterns over the shipped catalog.
//!
//! This module owns the numbering of a stack ([`PatternDb::layered`]): the base file's patterns
//! and entries come first, each overlay's follow, shifted by the counts before it, so a pattern
//! or entry number names one pattern of one layer and every reader (`pattern`, `entry`,
//! `candidates`, lookups) dispatches on it. It checks that ids stay unique across layers; it
//! neither reads nor writes files.

use super::PatternDb;
use crate::error::{Error, Result};

/// One database stacked over the base, with the number of patterns and entries before it.
#[derive(Debug)]
pub(super) struct Layer {
    pub(super) db: PatternDb,
    pub(super) patterns_before: u32,
    pub(super) entries_before: u32,
}

impl PatternDb {
    /// Stacks `overlays` over `base`: one database whose patterns are the base's, then each
    /// overlay's in order (pattern `base.len() + i` is the first overlay's pattern `i`), as
    /// are its matcher entries. Lookups try the layers in order, so a name that two layers
    /// share finds the lower layer's pattern.
    ///
    /// A pattern id may appear in one layer only: an overlay that repeats an id of a layer
    /// below it is an [`Error::DuplicatePattern`], one that repeats a symbol an
    /// [`Error::DuplicateSymbol`] (patterns without a symbol are found by id and name). An overlay that is itself a stack is
    /// flattened into this one.
    ///
    /// ```
    /// use codetable::{catalog::Catalog, build_database, Document, Engine, Language, PatternDb};
    ///
    /// let house = Catalog::from_user_sources([("house.toml", r#"
    /// id = "house.no-print"
    /// name = "print() left in code"
    /// severity = "low"
    /// [[rules]]
    /// language = "python"
    /// pattern = "print($$$)"
    /// [[examples]]
    /// language = "python"
    /// expect = "match"
    /// code = "print('debug')"
    /// "#)]).expect("a valid user pattern");
    /// let user = PatternDb::from_bytes(build_database(&house)?)?;
    /// let db = PatternDb::layered(PatternDb::default_catalog(), [user])?;
    /// let (n, _) = db.by_id("house.no-print")?.expect("in the overlay");
    /// assert_eq!(n as usize, PatternDb::default_catalog().len());
    ///
    /// let engine = Engine::new(db);
    /// let doc = Document::new(Language::Python, "import hashlib\nprint(hashlib.md5(b'x'))\n")?;
    /// let found: Vec<u32> = engine.analyze(&doc)?.iter().map(|m| m.pattern).collect();
    /// let md5 = engine.db().by_id("security.weak-hash.md5")?.expect("built in").0;
    /// assert!(found.contains(&n) && found.contains(&md5));
    /// # Ok::<(), codetable::Error>(())
    /// ```
    pub fn layered(
        base: PatternDb,
        overlays: impl IntoIterator<Item = PatternDb>,
    ) -> Result<PatternDb> {
        let mut db = base;
        for mut overlay in overlays {
            let nested = std::mem::take(&mut overlay.overlays);
            db.push_layer(overlay)?;
            for layer in nested {
                db.push_layer(layer.db)?;
            }
        }
        Ok(db)
    }

    /// Another database over the same patterns, layers included: the embedded catalog and
    /// shared bytes are shared, owned and memory-mapped bytes are copied. For hosts that hold
    /// databases behind shared handles and stack them ([`PatternDb::layered`] takes its
    /// layers by value).
    pub fn try_clone(&self) -> Result<PatternDb> {
        use super::DbBytes;
        let bytes = match &self.data {
            DbBytes::Static(s) => DbBytes::Static(s),
            DbBytes::Shared(a) => DbBytes::Shared(a.clone()),
            DbBytes::Owned(v) => DbBytes::Owned(v.clone()),
            DbBytes::Mapped(m) => DbBytes::Owned(m.to_vec()),
        };
        let mut db = PatternDb::from_bytes(bytes)?;
        for layer in &self.overlays {
            db.push_layer(layer.db.try_clone()?)?;
        }
        Ok(db)
    }

    /// The bytes of every layer, the base first: what identifies a stack (two stacks with the
    /// same base and different overlays number their patterns differently).
    pub fn layer_bytes(&self) -> impl Iterator<Item = &[u8]> {
        std::iter::once(self.as_bytes()).chain(self.overlays.iter().map(|l| l.db.as_bytes()))
    }

    /// The number of stacked layers, the base included.
    pub fn layer_count(&self) -> usize {
        1 + self.overlays.len()
    }

    /// Which layer pattern `n` comes from: 0 for the base, `i` for the `i`-th overlay.
    pub fn layer_of(&self, n: u32) -> Option<usize> {
        if n < self.patterns {
            return Some(0);
        }
        self.overlays
            .iter()
            .position(|l| n >= l.patterns_before && n - l.patterns_before < l.db.patterns)
            .map(|i| i + 1)
    }

    fn push_layer(&mut self, db: PatternDb) -> Result<()> {
        for n in 0..db.patterns {
            let p = db.pattern(n)?;
            if self.by_id(p.id)?.is_some() {
                return Err(Error::DuplicatePattern {
                    id: p.id.to_string(),
                });
            }
            if !p.symbol.is_empty() && self.by_symbol(p.symbol)?.is_some() {
                return Err(Error::DuplicateSymbol {
                    symbol: p.symbol.to_string(),
                    id: p.id.to_string(),
                });
            }
        }
        let layer = Layer {
            patterns_before: self.total_patterns(),
            entries_before: self.total_entries(),
            db,
        };
        self.overlays.push(layer);
        Ok(())
    }

    /// Patterns in every layer.
    pub(super) fn total_patterns(&self) -> u32 {
        self.patterns + self.overlays.iter().map(|l| l.db.patterns).sum::<u32>()
    }

    /// Entries in every layer.
    pub(super) fn total_entries(&self) -> u32 {
        self.entries + self.overlays.iter().map(|l| l.db.entries).sum::<u32>()
    }

    /// The overlay holding pattern `n` and its number there; `None` for the base's own
    /// patterns (and numbers past the end, which the base reports as out of range).
    pub(super) fn pattern_layer(&self, n: u32) -> Option<(&Layer, u32)> {
        if n < self.patterns {
            return None;
        }
        self.overlays
            .iter()
            .find(|l| n >= l.patterns_before && n - l.patterns_before < l.db.patterns)
            .map(|l| (l, n - l.patterns_before))
    }

    /// The overlay holding entry `e` and its number there; `None` for the base's own.
    pub(super) fn entry_layer(&self, e: u32) -> Option<(&Layer, u32)> {
        if e < self.entries {
            return None;
        }
        self.overlays
            .iter()
            .find(|l| e >= l.entries_before && e - l.entries_before < l.db.entries)
            .map(|l| (l, e - l.entries_before))
    }
}
