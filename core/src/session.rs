//! `Session`: one live document as a host sees it — edits in the host's own offset unit, pending
//! edits merged into one delta, the matches of the last analysis kept in step, and one
//! `analyze_delta -> {added, updated, removed}` contract.
//!
//! Every host (the C ABI and through it the JVM, Python, wasm, the language server) drives its
//! documents through this type, so the same sequence of edits gives the same changes in every
//! host. It owns offset conversion for the host (through the one [`LineIndex`], built lazily per
//! text) and nothing about how a host prints or delivers results.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::document::{Delta, Document};
use crate::engine::{Engine, Match, MatchId, MatchSet};
use crate::error::{Error, Result};
use crate::language::Language;
use crate::text::{LineIndex, OffsetUnit};
use crate::unit::Position;
use crate::view::{FindingRecord, PatternSheet};

/// What an analysis changed in a session's matches, by identity.
///
/// - `added`: matches that did not exist before (ranges in the current text);
/// - `updated`: matches of re-analysed code that kept their identity but changed beyond shifting
///   with the edits (their range, captures or score differ, or an edit fell inside their code):
///   replace what the host shows for them;
/// - `removed`: matches that are gone, with their last ranges carried into the current text.
///
/// Matches in none of the three are unchanged apart from shifting with the edits (as an
/// editor's own markers do).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    /// Matches that appeared, sorted by position then pattern.
    pub added: Vec<Match>,
    /// Matches recomputed with the same identity, sorted by position then pattern.
    pub updated: Vec<Match>,
    /// Matches that disappeared, sorted by position then pattern.
    pub removed: Vec<Match>,
}

impl Changes {
    /// True when nothing was added, updated or removed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.updated.is_empty() && self.removed.is_empty()
    }
}

/// A live document for a host, in the host's offset unit (see the crate docs, "For hosts").
///
/// ```
/// use codetable::{Engine, Language, OffsetUnit, PatternDb, Session};
///
/// let engine = Engine::new(PatternDb::default_catalog());
/// // A JavaScript host counts UTF-16 code units: "é" is one, "😀" two.
/// let mut s = Session::new(Language::Python, "# é😀\nimport hashlib\nh = hashlib.sha256(b'')\n", OffsetUnit::Utf16)?;
/// let sha256 = s.analyze(&engine)?[0].clone(); // a strong hash, noted at info
/// assert_eq!(engine.sheet(sha256.pattern)?.symbol, "Sh");
/// let at = s.text_offset("sha256").unwrap();
/// s.edit(at, at + 6, "md5")?;              // as many edits as the user types…
/// let changes = s.analyze_delta(&engine)?; // …then one analysis of all of them
/// assert_eq!((changes.added.len(), changes.removed.len()), (1, 1));
/// assert_eq!(changes.removed[0].id, sha256.id);
/// let md5 = &changes.added[0];
/// assert_eq!(engine.sheet(md5.pattern)?.symbol, "Md");
/// assert_eq!(s.position(md5.byte_range.start).line, 2);
/// # Ok::<(), codetable::Error>(())
/// ```
pub struct Session {
    doc: Document,
    unit: OffsetUnit,
    /// Line index of the current text, built on first use after each edit.
    lines: OnceLock<LineIndex>,
    /// Length of the current text in `unit`.
    len: usize,
    /// Edits since the last analysis, merged into one delta.
    pending: Option<Delta>,
    /// The delta the last analysis consumed, dropped at the next edit: freeing its tree before
    /// the edits (tree-sitter releases every node the reparse did not reuse) took 0.24 ms median
    /// and 7 ms p99 on the 5k-line file, which belongs on the edit's path, not the analysis's.
    retired: Option<Delta>,
    /// The matches of the last analysis (kept up to date by deltas) and the engine's id.
    analysis: Option<(u64, MatchSet)>,
    /// The file the text came from, if any: its path decides the code context.
    path: Option<String>,
    /// The folder `path` is judged below for its code context (see [`Session::set_root`]).
    root: Option<String>,
    /// The file's code context when a host sets it (see [`Session::set_context`]).
    context: Option<crate::context::CodeContext>,
    /// What the engine's profile left out at the last full analysis (matches empty).
    applied: Option<crate::profile::Applied>,
    /// An edit since the last analysis touched a line holding a suppression comment's marker:
    /// the comment may cover code outside the units the edits touched, so the next
    /// [`Session::analyze_delta`] applies the profile to the whole document.
    suppressions_edited: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("doc", &self.doc)
            .field("unit", &self.unit)
            .field("pending", &self.pending.is_some())
            .finish()
    }
}

impl Session {
    /// An independent copy of the session: text, tree, pending edits, the last analysis and
    /// the file's path, root and context ([`Document::try_clone`]). A host analyses the copy
    /// on another thread while edits keep reaching the original; the copy's results belong to
    /// the text it was taken of.
    pub fn try_clone(&self) -> Result<Session> {
        Ok(Session {
            doc: self.doc.try_clone()?,
            unit: self.unit,
            lines: self.lines.clone(),
            len: self.len,
            pending: self.pending.clone(),
            retired: None,
            analysis: self.analysis.clone(),
            path: self.path.clone(),
            root: self.root.clone(),
            context: self.context,
            applied: self.applied.clone(),
            suppressions_edited: self.suppressions_edited,
        })
    }

    /// Parses `text` as `language`; offsets given to and read from the session count `unit`.
    pub fn new(language: Language, text: impl Into<String>, unit: OffsetUnit) -> Result<Session> {
        Ok(Session::from_document(Document::new(language, text)?, unit))
    }

    /// A session over an existing document.
    pub fn from_document(doc: Document, unit: OffsetUnit) -> Session {
        let mut s = Session {
            doc,
            unit,
            lines: OnceLock::new(),
            len: 0,
            pending: None,
            retired: None,
            analysis: None,
            path: None,
            root: None,
            context: None,
            applied: None,
            suppressions_edited: false,
        };
        s.len = s.measure();
        s
    }

    fn measure(&self) -> usize {
        let text = self.doc.text();
        match self.unit {
            OffsetUnit::Byte => text.len(),
            unit => self.line_index().len_in(text, unit),
        }
    }

    /// Sets the file the text came from (`None`: unknown): the code context of findings
    /// ([`crate::context`]) reads it, and [`Session::records`] uses it when given none.
    pub fn set_path(&mut self, path: Option<&str>) {
        self.path = path.map(str::to_string);
    }

    /// The file the text came from, if set.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// Sets the folder the path is judged below for its code context (`None`: the whole
    /// path): the project, workspace or scanned folder. A checkout under `/home/me/tests/` or
    /// a temporary folder named `test_something` says nothing about the code in it, so only
    /// the part of the path below the root decides ([`crate::context::below_root`]). Findings
    /// still show the whole path.
    pub fn set_root(&mut self, root: Option<&str>) {
        self.root = root.map(str::to_string);
    }

    /// Sets the code context of the whole file (`None`: decided from its path, content and
    /// code, as usual): a project's per-path setting (`[context]` in `codetable.toml`, see
    /// `Config::context_of`) that wins over everything else. Findings and the profile's
    /// context rules both use it.
    pub fn set_context(&mut self, context: Option<crate::context::CodeContext>) {
        self.context = context;
    }

    /// The code context set with [`Session::set_context`], if any.
    pub fn context(&self) -> Option<crate::context::CodeContext> {
        self.context
    }

    /// The part of `path` (or of the session's path) that its code context reads.
    fn context_path<'a>(&'a self, path: Option<&'a str>) -> Option<&'a str> {
        path.or(self.path.as_deref())
            .map(|p| crate::context::below_root(p, self.root.as_deref()))
    }

    /// What the engine's profile left out at the last analysis from scratch (suppressed,
    /// grouped, dropped by context; unused suppressions), its `matches` empty. `None` before
    /// one, or when the engine has no profile.
    pub fn applied(&self) -> Option<&crate::profile::Applied> {
        self.applied.as_ref()
    }

    /// The engine's raw matches as its profile reports them (unchanged without one).
    fn report(&mut self, engine: &Engine, raw: Vec<Match>, full: bool) -> Result<Vec<Match>> {
        let Some(profile) = engine.profile() else {
            if full {
                self.applied = None;
            }
            return Ok(raw);
        };
        let mut applied = profile.apply_in(
            engine,
            &self.doc,
            self.context_path(None),
            self.context,
            raw,
        )?;
        let matches = std::mem::take(&mut applied.matches);
        if full {
            self.applied = Some(applied);
        }
        Ok(matches)
    }

    /// The document.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The budget of later edits and analyses (see [`Document::set_budget`]).
    pub fn set_budget(&mut self, budget: crate::Budget) {
        self.doc.set_budget(budget);
    }

    /// The session's budget (see [`Document::set_budget`]).
    pub fn budget(&self) -> crate::Budget {
        self.doc.budget()
    }

    /// Gives up the session, keeping the document.
    pub fn into_document(self) -> Document {
        self.doc
    }

    /// The current text.
    pub fn text(&self) -> &str {
        self.doc.text()
    }

    /// The unit the host counts offsets in.
    pub fn offset_unit(&self) -> OffsetUnit {
        self.unit
    }

    /// Length of the text in the host's unit.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for an empty text.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The line index of the current text (built on first use after an edit).
    pub fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.doc.text()))
    }

    /// The host offset of the first occurrence of `needle` in the text (a convenience for
    /// tests and examples).
    pub fn text_offset(&self, needle: &str) -> Option<usize> {
        self.doc.text().find(needle).map(|b| self.to_host(b))
    }

    /// Converts a byte offset of the current text to the host's unit.
    pub fn to_host(&self, byte: usize) -> usize {
        match self.unit {
            OffsetUnit::Byte => byte.min(self.doc.text().len()),
            unit => self.line_index().from_byte(self.doc.text(), byte, unit),
        }
    }

    /// Converts a host offset of the current text to bytes: an error when it is past the end or
    /// inside a character.
    pub fn to_byte(&self, offset: usize) -> Result<usize> {
        self.to_byte_in(offset, self.unit)
    }

    fn to_byte_in(&self, offset: usize, unit: OffsetUnit) -> Result<usize> {
        let text = self.doc.text();
        if unit == OffsetUnit::Byte {
            if offset > text.len() {
                return Err(Error::EditOutOfRange {
                    start: offset,
                    end: offset,
                    len: text.len(),
                });
            }
            return if text.is_char_boundary(offset) {
                Ok(offset)
            } else {
                Err(Error::NotCharBoundary { offset })
            };
        }
        let len = if unit == self.unit {
            self.len
        } else {
            self.line_index().len_in(text, unit)
        };
        if offset > len {
            return Err(Error::OffsetOutOfRange {
                start: offset,
                end: offset,
                len,
                unit,
            });
        }
        self.line_index()
            .to_byte(text, offset, unit)
            .ok_or(Error::InsideSurrogatePair { offset })
    }

    /// Zero-based line and column (counted in the host's unit) of a byte offset.
    pub fn position(&self, byte: usize) -> Position {
        self.line_index()
            .position_in(self.doc.text(), byte, self.unit)
    }

    /// Replaces `start..end` (host offsets of the current text) with `text` and reparses
    /// incrementally; the change waits for the next [`Session::analyze_delta`]. Returns what the
    /// edit changed, unit by unit. A failed edit changes nothing.
    pub fn edit(&mut self, start: usize, end: usize, text: &str) -> Result<Delta> {
        self.edit_in(self.unit, start, end, text)
    }

    /// [`Session::edit`] with offsets counted in `unit` rather than the host's (a C host may
    /// give bytes or UTF-16 code units to the same document).
    pub fn edit_in(
        &mut self,
        unit: OffsetUnit,
        start: usize,
        end: usize,
        text: &str,
    ) -> Result<Delta> {
        if end < start {
            return Err(match unit {
                OffsetUnit::Byte => Error::EditOutOfRange {
                    start,
                    end,
                    len: self.doc.text().len(),
                },
                _ => Error::OffsetOutOfRange {
                    start,
                    end,
                    len: self.line_index().len_in(self.doc.text(), unit),
                    unit,
                },
            });
        }
        let range_error = |e: Error| match e {
            Error::EditOutOfRange { len, .. } => Error::EditOutOfRange { start, end, len },
            Error::OffsetOutOfRange { len, unit, .. } => Error::OffsetOutOfRange {
                start,
                end,
                len,
                unit,
            },
            e => e,
        };
        let from = self.to_byte_in(start, unit).map_err(range_error)?;
        let to = self.to_byte_in(end, unit).map_err(range_error)?;
        let removed = match self.unit {
            OffsetUnit::Byte => to - from,
            u => {
                let idx = self.line_index();
                let t = self.doc.text();
                idx.from_byte(t, to, u) - idx.from_byte(t, from, u)
            }
        };
        self.retired = None;
        let touches_marker = |t: &str, a: usize, b: usize| {
            let start = t[..a].rfind('\n').map_or(0, |i| i + 1);
            let end = t[b..].find('\n').map_or(t.len(), |i| b + i);
            t[start..end].contains(crate::profile::SUPPRESSION_MARK)
        };
        let marker_before = touches_marker(self.doc.text(), from, to);
        let delta = self.doc.edit(from, to, text)?;
        self.suppressions_edited |=
            marker_before || touches_marker(self.doc.text(), from, from + text.len());
        self.len = self.len - removed
            + match self.unit {
                OffsetUnit::Byte => text.len(),
                OffsetUnit::Utf16 => text.encode_utf16().count(),
                OffsetUnit::CodePoint => text.chars().count(),
            };
        self.lines = OnceLock::new();
        match &mut self.pending {
            Some(before) => before.merge(delta.clone()),
            None => self.pending = Some(delta.clone()),
        }
        Ok(delta)
    }

    /// Applies `edits` (byte offsets, each relative to the text the edits before it left, as
    /// an editor reports a burst of keystrokes) with a **single** incremental reparse; the
    /// change waits for the next [`Session::analyze_delta`] as with [`Session::edit`]. Either
    /// every edit is applied or, on error, none. A host that takes keystrokes on one thread and
    /// analyses on another gathers them and applies them here, once per analysis.
    ///
    /// ```
    /// use codetable::{Language, OffsetUnit, Session, TextEdit};
    /// let mut s = Session::new(Language::Python, "h = sha256()\n", OffsetUnit::Utf16)?;
    /// s.edit_batch(&[TextEdit::new(4, 5, "m"), TextEdit::new(5, 6, "d"), TextEdit::new(6, 10, "5")])?;
    /// assert_eq!(s.text(), "h = md5()\n");
    /// assert!(s.edit_batch(&[TextEdit::new(0, 1, "x"), TextEdit::new(99, 99, "")]).is_err());
    /// assert_eq!(s.text(), "h = md5()\n");
    /// # Ok::<(), codetable::Error>(())
    /// ```
    pub fn edit_batch(&mut self, edits: &[crate::document::TextEdit]) -> Result<Delta> {
        // Whether an edit touched a line holding a suppression marker, before or after it: the
        // texts between the edits are replayed on a scratch copy only when the text has one.
        let has_marker = |t: &str| t.contains(crate::profile::SUPPRESSION_MARK);
        let mut marker = false;
        if has_marker(self.doc.text()) || edits.iter().any(|e| has_marker(&e.text)) {
            let touches = |t: &str, a: usize, b: usize| {
                let start = t[..a].rfind('\n').map_or(0, |i| i + 1);
                let end = t[b..].find('\n').map_or(t.len(), |i| b + i);
                has_marker(&t[start..end])
            };
            let mut scratch = self.doc.text().to_string();
            for e in edits {
                let fits = e.start <= e.old_end
                    && e.old_end <= scratch.len()
                    && scratch.is_char_boundary(e.start)
                    && scratch.is_char_boundary(e.old_end);
                if !fits {
                    break; // the batch fails below, changing nothing
                }
                marker |= touches(&scratch, e.start, e.old_end);
                scratch.replace_range(e.start..e.old_end, &e.text);
                marker |= touches(&scratch, e.start, e.start + e.text.len());
            }
        }
        let delta = self.doc.edit_batch(edits)?;
        self.retired = None;
        self.suppressions_edited |= marker;
        self.lines = OnceLock::new();
        self.len = self.measure();
        match &mut self.pending {
            Some(before) => before.merge(delta.clone()),
            None => self.pending = Some(delta.clone()),
        }
        Ok(delta)
    }

    /// True when edits were made since the last analysis.
    pub fn has_pending_edits(&self) -> bool {
        self.pending.is_some()
    }

    /// The [`Engine::id`] of the engine whose matches the session holds; `None` before the
    /// first analysis. A host that resolves pattern numbers (sheets, finding records) checks it
    /// against the engine it was given: pattern numbers belong to that engine's database.
    ///
    /// ```
    /// use codetable::{Engine, Language, OffsetUnit, PatternDb, Session};
    ///
    /// let (a, b) = (Engine::new(PatternDb::default_catalog()), Engine::new(PatternDb::default_catalog()));
    /// let mut s = Session::new(Language::Python, "x = 1\n", OffsetUnit::Byte)?;
    /// assert_eq!(s.analyzed_by(), None);
    /// s.analyze(&a)?;
    /// assert_eq!(s.analyzed_by(), Some(a.id()));
    /// s.analyze_delta(&b)?; // another engine: a full analysis by `b`
    /// assert_eq!(s.analyzed_by(), Some(b.id()));
    /// # Ok::<(), codetable::Error>(())
    /// ```
    pub fn analyzed_by(&self) -> Option<u64> {
        self.analysis.as_ref().map(|(id, _)| *id)
    }

    /// Every match, from scratch. The session keeps them for [`Session::analyze_delta`] and
    /// [`Session::matches`].
    pub fn analyze(&mut self, engine: &Engine) -> Result<&[Match]> {
        let raw = engine.analyze(&self.doc)?;
        let set = MatchSet::new(self.report(engine, raw, true)?);
        self.retired = self.pending.take();
        self.suppressions_edited = false;
        let (_, set) = self.analysis.insert((engine.id(), set));
        Ok(set.matches())
    }

    /// What changed in the matches since the last analysis: only the code the edits since then
    /// touched is matched again. Without an earlier analysis by this engine, the whole document
    /// is analysed: every match is added and the other engine's matches, if any, are removed.
    /// On failure nothing changes (the edits stay pending; the call can be retried).
    pub fn analyze_delta(&mut self, engine: &Engine) -> Result<Changes> {
        let same_engine = matches!(&self.analysis, Some((id, _)) if *id == engine.id());
        if !same_engine {
            let raw = engine.analyze(&self.doc)?;
            let found = MatchSet::new(self.report(engine, raw, true)?);
            let mut removed = match self.analysis.take() {
                Some((_, old)) => old.matches().to_vec(),
                None => Vec::new(),
            };
            if let Some(delta) = &self.pending {
                for m in &mut removed {
                    m.shift(delta);
                }
            }
            let added = found.matches().to_vec();
            self.analysis = Some((engine.id(), found));
            self.retired = self.pending.take();
            self.suppressions_edited = false;
            return Ok(Changes {
                added,
                updated: Vec::new(),
                removed,
            });
        }
        let Some(delta) = &self.pending else {
            return Ok(Changes::default());
        };
        if self.suppressions_edited && engine.profile().is_some_and(|p| p.suppressions) {
            return self.reanalyze(engine);
        }
        let mut md = engine.analyze_delta(&self.doc, delta)?;
        md.matches = self.report(engine, std::mem::take(&mut md.matches), false)?;
        let (Some((_, set)), Some(delta)) = (&mut self.analysis, &self.pending) else {
            return Ok(Changes::default());
        };
        let redo: HashSet<_> = md.units.iter().copied().collect();
        let old: HashMap<MatchId, Match> = set
            .matches()
            .iter()
            .filter(|m| redo.contains(&m.unit))
            .map(|m| (m.id, m.clone()))
            .collect();
        let applied = set.apply(&md);
        let mut removed: Vec<Match> = applied
            .removed
            .iter()
            .filter_map(|id| old.get(id).cloned())
            .collect();
        for m in &mut removed {
            m.shift(delta);
        }
        crate::engine::sort_matches(&mut removed);
        let (added, mut updated): (Vec<Match>, Vec<Match>) = md
            .matches
            .into_iter()
            .partition(|m| applied.added.binary_search(&m.id).is_ok());
        // A recomputed match that is what the host's shifted copy already is did not change: a
        // keystroke re-matches its whole unit (often the module) and must not repaint it all.
        // The edited spans, carried into the current text: a match whose code was edited
        // (its snippet changed) is updated even when its range only stretched.
        let spans: Vec<(usize, usize)> = delta
            .edits
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let later = &delta.edits[i + 1..];
                let carry = |o: usize| later.iter().fold(o, |o, l| l.map_offset(o));
                (carry(e.start), carry(e.new_end))
            })
            .collect();
        let edited_inside = |m: &Match| {
            let r = &m.byte_range;
            spans.iter().any(|&(s, e)| s < r.end && e > r.start)
        };
        self.suppressions_edited = false;
        updated.retain(|m| {
            old.get(&m.id).is_none_or(|o| {
                let mut o = o.clone();
                o.shift(delta);
                o != *m || edited_inside(m)
            })
        });
        self.retired = self.pending.take();
        Ok(Changes {
            added,
            updated,
            removed,
        })
    }

    /// [`Session::analyze_delta`] after a suppression comment was edited: the whole document
    /// analysed again (a comment above a function covers the function, which the edit did not
    /// touch), and the changes found by comparing with the shifted matches of the last analysis.
    fn reanalyze(&mut self, engine: &Engine) -> Result<Changes> {
        let raw = engine.analyze(&self.doc)?;
        let found = self.report(engine, raw, true)?;
        let mut old: HashMap<MatchId, Match> = HashMap::new();
        if let (Some((_, set)), Some(delta)) = (&self.analysis, &self.pending) {
            for m in set.matches() {
                let mut m = m.clone();
                m.shift(delta);
                old.insert(m.id, m);
            }
        }
        let mut changes = Changes::default();
        for m in &found {
            match old.remove(&m.id) {
                None => changes.added.push(m.clone()),
                Some(o) if o != *m => changes.updated.push(m.clone()),
                Some(_) => {}
            }
        }
        changes.removed = old.into_values().collect();
        crate::engine::sort_matches(&mut changes.removed);
        self.analysis = Some((engine.id(), MatchSet::new(found)));
        self.retired = self.pending.take();
        self.suppressions_edited = false;
        Ok(changes)
    }

    /// The matches of the last analysis, with every analysed change applied: what a host should
    /// be showing. `None` before the first analysis; an error while edits wait for
    /// [`Session::analyze_delta`] (their ranges would refer to an older text).
    pub fn matches(&self) -> Result<Option<&[Match]>> {
        if self.pending.is_some() {
            return Err(Error::InvalidState(
                "the document was edited since its last analysis: analyze_delta first",
            ));
        }
        Ok(self.analysis.as_ref().map(|(_, set)| set.matches()))
    }

    /// The finding record of a match of this session's current text (`path`: the file it
    /// came from, if any; `sheet`: its pattern's sheet, from [`Engine::sheet`]).
    pub fn record(&self, m: &Match, sheet: &PatternSheet, path: Option<&str>) -> FindingRecord {
        let mut r = FindingRecord::new(
            &self.doc,
            self.line_index(),
            self.context_path(path),
            m,
            sheet,
        );
        r.path = path.or(self.path.as_deref()).map(crate::view::display_path);
        if let Some(c) = self.context {
            r.context = c;
        }
        r
    }

    /// Finding records of `matches` (of the current text), with sheets from `engine`.
    pub fn records(
        &self,
        engine: &Engine,
        matches: &[Match],
        path: Option<&str>,
    ) -> Result<Vec<FindingRecord>> {
        let shown = path.or(self.path.as_deref()).map(crate::view::display_path);
        let mut records = crate::view::finding_records(
            &self.doc,
            self.line_index(),
            self.context_path(path),
            matches,
            |n| engine.sheet(n),
        )?;
        for r in &mut records {
            r.path.clone_from(&shown);
            if let Some(c) = self.context {
                r.context = c;
            }
        }
        Ok(records)
    }
}

impl Match {
    /// Carries this match of the text before `delta`'s edits into the text after them: its
    /// range, positions, captures, flow steps and source, folded duplicates and fix. What a host
    /// calls on the matches it shows for the edits [`Session::edit`] returns (as an editor moves
    /// its markers), before applying [`Session::analyze_delta`]'s changes.
    pub fn shift(&mut self, delta: &Delta) {
        let m = self;
        m.byte_range = delta.map_offset(m.byte_range.start)..delta.map_offset(m.byte_range.end);
        m.start = delta.map_position(m.start);
        m.end = delta.map_position(m.end);
        for c in &mut m.captures {
            c.byte_range = delta.map_offset(c.byte_range.start)..delta.map_offset(c.byte_range.end);
        }
        for s in &mut m.steps {
            *s = delta.map_offset(s.start)..delta.map_offset(s.end);
        }
        if let Some(s) = &mut m.source {
            *s = delta.map_offset(s.start)..delta.map_offset(s.end);
        }
        for s in &mut m.duplicates {
            *s = delta.map_offset(s.start)..delta.map_offset(s.end);
        }
        if let Some(f) = &mut m.fix {
            f.byte_range = delta.map_offset(f.byte_range.start)..delta.map_offset(f.byte_range.end);
        }
    }
}
