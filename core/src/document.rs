//! `Document`: one source text, its syntax tree and its units, kept up to date across edits.
//!
//! An edit is applied with `Tree::edit` and an incremental reparse; `changed_ranges` and the
//! edited spans tell which units can have changed. Untouched units are shifted, not re-walked,
//! and keep their identity; the [`Delta`] names exactly the units whose fingerprint changed.
//! A failed edit (bad range, parse over budget) leaves the document exactly as it was.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use tree_sitter::{InputEdit, Parser, Point, Tree};

use crate::budget::{self, Budget, Meter};
use crate::error::{Error, Result};
use crate::language::preproc;
use crate::language::ImportTable;
use crate::language::Language;
use crate::unit::{Position, Unit, UnitId, UnitKind};
use crate::walk::{self, RawUnit, Reuse};

/// One replacement of a byte range with new text.
///
/// In a batch, each edit's offsets refer to the text as left by the edits before it (the order
/// in which an editor reports them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    /// First byte replaced.
    pub start: usize,
    /// End (exclusive) of the replaced bytes, in the text before this edit.
    pub old_end: usize,
    /// The replacement text.
    pub text: String,
}

impl TextEdit {
    /// An edit replacing `start..old_end` with `text`.
    pub fn new(start: usize, old_end: usize, text: impl Into<String>) -> TextEdit {
        TextEdit {
            start,
            old_end,
            text: text.into(),
        }
    }
}

/// Where one applied edit landed: `start..old_end` before it became `start..new_end` after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EditSpan {
    /// First byte replaced.
    pub start: usize,
    /// End of the replaced bytes in the text before the edit.
    pub old_end: usize,
    /// End of the inserted bytes in the text after the edit.
    pub new_end: usize,
    /// Line and column of `start`.
    pub start_position: Position,
    /// Line and column of `old_end` before the edit.
    pub old_end_position: Position,
    /// Line and column of `new_end` after the edit.
    pub new_end_position: Position,
}

impl EditSpan {
    /// Where a byte offset of the old text lies in the new text, for offsets outside the edit;
    /// offsets inside the replaced range move to its new end.
    pub fn map_offset(&self, offset: usize) -> usize {
        if offset <= self.start {
            offset
        } else if offset >= self.old_end {
            offset - self.old_end + self.new_end
        } else {
            self.new_end
        }
    }

    /// Where a position of the old text lies in the new text (positions inside the replaced
    /// range move to its new end), as tree-sitter shifts nodes.
    pub fn map_position(&self, p: Position) -> Position {
        if p <= self.start_position {
            p
        } else if p >= self.old_end_position {
            shift_point(
                p,
                self.old_end_position.into(),
                self.new_end_position.into(),
            )
        } else {
            self.new_end_position
        }
    }
}

/// What an edit changed, unit by unit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delta {
    /// Units that did not exist before the edit.
    pub added: Vec<UnitId>,
    /// Units that no longer exist.
    pub removed: Vec<UnitId>,
    /// Units that exist before and after whose fingerprint changed.
    pub changed: Vec<UnitId>,
    /// Units whose text contains or touches an edit (the innermost unit and its ancestors),
    /// whether or not their fingerprint changed: a literal or a local name changed there.
    pub edited: Vec<UnitId>,
    /// Units whose own code around their nested units changed (or that are new): the context of
    /// every unit nested in them changed, which matters to `inside` / `not-inside` rules.
    pub context_changed: Vec<UnitId>,
    /// The edits applied, in order, so hosts can shift what they keep for untouched units.
    pub edits: Vec<EditSpan>,
    /// Units that keep their identity but whose code now lies elsewhere than the edits alone
    /// would put it (a clone took over the identity of a unit that went away): what hosts
    /// keep for them cannot simply be shifted.
    pub relocated: Vec<UnitId>,
    /// True when the file's imports changed: names resolve differently everywhere, so every
    /// unit's matches may have changed.
    pub imports_changed: bool,
    /// When the imports changed: the local names whose binding changed (new, gone or bound to
    /// another qualified name), sorted. Only code that spells one of them resolves differently.
    pub rebound_names: Vec<String>,
    /// Byte ranges of the new text whose syntax may differ from before: the edited spans and
    /// the ranges the parser reports as changed. A node that overlaps none is unchanged.
    pub changed_ranges: Vec<Range<usize>>,
    /// The syntax tree before the edits, moved to the new text's offsets: the engine needs the
    /// ancestors a unit had as well as those it has.
    before: TreeBefore,
}

/// The tree a [`Delta`] starts from. Deltas compare by what changed, not by this tree.
#[derive(Clone, Default)]
struct TreeBefore(Option<tree_sitter::Tree>);

impl PartialEq for TreeBefore {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for TreeBefore {}

impl std::fmt::Debug for TreeBefore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "TreeBefore(..)"
        } else {
            "TreeBefore(None)"
        })
    }
}

impl Delta {
    /// Folds the delta of a later edit into this one, so that one analysis covers both: units
    /// touched by either, edits in order, changed ranges carried to the newest text, the
    /// oldest tree. Hosts that analyze less often than they edit keep one merged delta.
    pub fn merge(&mut self, later: Delta) {
        fn union<T: PartialEq>(x: &mut Vec<T>, y: Vec<T>) {
            for v in y {
                if !x.contains(&v) {
                    x.push(v);
                }
            }
        }
        union(&mut self.added, later.added);
        union(&mut self.removed, later.removed);
        union(&mut self.changed, later.changed);
        union(&mut self.edited, later.edited);
        union(&mut self.context_changed, later.context_changed);
        union(&mut self.relocated, later.relocated);
        self.imports_changed |= later.imports_changed;
        union(&mut self.rebound_names, later.rebound_names);
        self.rebound_names.sort_unstable();
        for r in &mut self.changed_ranges {
            let c = later.edits.iter().fold((r.start, r.end), carry);
            *r = c.0..c.1;
        }
        self.changed_ranges.extend(later.changed_ranges);
        match &mut self.before.0 {
            Some(tree) => {
                for e in &later.edits {
                    tree.edit(&InputEdit {
                        start_byte: e.start,
                        old_end_byte: e.old_end,
                        new_end_byte: e.new_end,
                        start_position: e.start_position.into(),
                        old_end_position: e.old_end_position.into(),
                        new_end_position: e.new_end_position.into(),
                    });
                }
            }
            None if self.edits.is_empty() => self.before = later.before,
            None => {}
        }
        self.edits.extend(later.edits);
    }

    /// The syntax tree before the edits, its nodes moved to the new text's offsets (`None` for
    /// a delta not made by [`Document::edit`]).
    pub fn tree_before(&self) -> Option<&tree_sitter::Tree> {
        self.before.0.as_ref()
    }

    /// True when no unit was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Maps a byte offset of the text before the edits to the text after them.
    pub fn map_offset(&self, offset: usize) -> usize {
        self.edits.iter().fold(offset, |o, e| e.map_offset(o))
    }

    /// Maps a position of the text before the edits to the text after them.
    pub fn map_position(&self, p: Position) -> Position {
        self.edits.iter().fold(p, |p, e| e.map_position(p))
    }
}

/// A parsed source text and its units, updated incrementally by [`Document::edit`].
///
/// ```
/// use codetable::{Document, Language, UnitKind};
///
/// let mut doc = Document::new(Language::Python, "def f(x):\n    return x + 1\n")?;
/// let f = doc.units().iter().find(|u| u.kind == UnitKind::Function).unwrap();
/// assert_eq!(&*f.qualified_name, "f");
/// let before = f.fingerprint.hash;
///
/// // Renaming a parameter keeps the structural hash; the delta is empty.
/// let delta = doc.edit(6, 7, "y")?;
/// let delta2 = doc.edit(21, 22, "y")?;
/// let f = doc.units().iter().find(|u| u.kind == UnitKind::Function).unwrap();
/// assert_eq!(f.fingerprint.hash, before);
/// assert!(delta.changed.is_empty() && delta2.changed.is_empty());
/// # Ok::<(), codetable::Error>(())
/// ```
pub struct Document {
    language: Language,
    text: String,
    tree: Tree,
    parser: Parser,
    units: Vec<Unit>,
    qual_prefix: Vec<Option<String>>,
    index_of: HashMap<UnitId, usize>,
    /// For each unit, the index just past its subtree (its nested units follow it).
    subtree_end: Vec<usize>,
    imports: ImportTable,
    next_id: u64,
    budget: Budget,
    /// The text's tokens ([`crate::budget::token_starts`]), kept exactly through edits: the
    /// memory budget is checked from it before every parse.
    tokens: u64,
    version: u64,
    /// The context the whole text gives its code (a generated-file header, test framework
    /// imports: [`crate::context::content_context`]), found on first use and forgotten by every
    /// edit: each finding of a file asks for it.
    content_context: std::sync::OnceLock<Option<crate::context::CodeContext>>,
    /// The byte ranges the parser does not see (C/C++ dead preprocessor branches and MSVC
    /// assembly: [`crate::language::preproc`]); the tree is parsed from the text with them
    /// blanked.
    inert: Vec<Range<usize>>,
    /// (engine id, unit) of the units whose last analysis by that engine depended on their own
    /// code only, not on what their nested units hold (see `Engine::analyze_delta`).
    blind: std::sync::Mutex<std::collections::HashSet<(u64, UnitId)>>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("language", &self.language)
            .field("len", &self.text.len())
            .field("units", &self.units.len())
            .field("version", &self.version)
            .finish()
    }
}

impl Document {
    /// An independent copy of the document (text, tree, units, imports, budget) with a parser of
    /// its own, so that the copy can be edited or analysed on another thread while this one goes
    /// on (a language server analyses a copy while the editor's keystrokes reach the original).
    /// The tree is shared until either side edits it (tree-sitter copies on write), so the copy
    /// costs the text and the unit table, not a parse. Fails only if the grammar cannot be set.
    pub fn try_clone(&self) -> Result<Document> {
        let mut parser = Parser::new();
        parser
            .set_language(&self.language.grammar())
            .map_err(|e| Error::Grammar {
                language: self.language.name(),
                reason: e.to_string(),
            })?;
        Ok(Document {
            language: self.language,
            text: self.text.clone(),
            tree: self.tree.clone(),
            parser,
            units: self.units.clone(),
            qual_prefix: self.qual_prefix.clone(),
            index_of: self.index_of.clone(),
            subtree_end: self.subtree_end.clone(),
            imports: self.imports.clone(),
            next_id: self.next_id,
            budget: self.budget,
            tokens: self.tokens,
            version: self.version,
            content_context: self.content_context.clone(),
            inert: self.inert.clone(),
            blind: std::sync::Mutex::new(
                self.blind.lock().map(|set| set.clone()).unwrap_or_default(),
            ),
        })
    }

    /// Parses `text` and fingerprints its units within the default [`Budget`] (a step over
    /// it fails with [`Error::OverBudget`], or [`Error::ParseTimeout`] when the parse itself
    /// runs out of time).
    pub fn new(language: Language, text: impl Into<String>) -> Result<Document> {
        Document::build(language, text.into(), Budget::default())
    }

    /// Like [`Document::new`], but parses (now and on every edit) within a time budget; a parse
    /// that runs over it fails with [`Error::ParseTimeout`]. On `wasm32` the budget is not
    /// enforced (there is no clock). The node limit stays the default one.
    pub fn with_time_budget(
        language: Language,
        text: impl Into<String>,
        budget: Duration,
    ) -> Result<Document> {
        Document::build(
            language,
            text.into(),
            Budget::default().with_time(Some(budget)),
        )
    }

    /// Like [`Document::new`] within `budget`: building the document (parse and unit walk),
    /// every edit and every analysis are each one step that must fit in it.
    pub fn with_budget(
        language: Language,
        text: impl Into<String>,
        budget: Budget,
    ) -> Result<Document> {
        Document::build(language, text.into(), budget)
    }

    /// Parses raw bytes. Invalid UTF-8 is rejected with [`Error::InvalidUtf8`] rather than
    /// replaced, so every offset this crate reports points into the caller's bytes.
    pub fn from_bytes(language: Language, bytes: &[u8]) -> Result<Document> {
        let text = std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
            valid_up_to: e.valid_up_to(),
        })?;
        Document::new(language, text)
    }

    fn build(language: Language, text: String, budget: Budget) -> Result<Document> {
        let tokens = crate::budget::token_starts(text.as_bytes(), 0, text.len());
        budget.check_tokens(tokens)?;
        let meter = Meter::new(budget);
        let mut parser = Parser::new();
        parser
            .set_language(&language.grammar())
            .map_err(|e| Error::Grammar {
                language: language.name(),
                reason: e.to_string(),
            })?;
        let inert = preproc::inert_ranges(language, &text);
        let tree = parse(
            &mut parser,
            &preproc::masked(&text, &inert),
            None,
            meter.time_left(),
        )
        .map_err(|e| whole_budget(e, budget))?;
        let imports = ImportTable::collect(language, tree.root_node(), &text);
        let raw = walk::walk(language, tree.root_node(), &text, &imports, None, &meter)?;
        let mut doc = Document {
            language,
            text,
            tree,
            parser,
            units: Vec::new(),
            qual_prefix: Vec::new(),
            index_of: HashMap::new(),
            subtree_end: Vec::new(),
            imports,
            next_id: 0,
            budget,
            tokens,
            version: 0,
            content_context: std::sync::OnceLock::new(),
            inert,
            blind: Default::default(),
        };
        let ids: Vec<UnitId> = raw.iter().map(|_| doc.fresh_id()).collect();
        doc.install(raw, &ids);
        Ok(doc)
    }

    fn fresh_id(&mut self) -> UnitId {
        self.next_id += 1;
        UnitId(self.next_id)
    }

    /// The document's language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The current text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The current syntax tree.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// All units in pre-order (a unit before the units nested in it); the module is first.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The unit with this identity, if it still exists.
    pub fn unit(&self, id: UnitId) -> Option<&Unit> {
        self.index_of.get(&id).map(|&i| &self.units[i])
    }

    /// The module (top-level) unit.
    pub fn module(&self) -> &Unit {
        &self.units[0]
    }

    /// The innermost unit containing byte `offset`.
    pub fn unit_at(&self, offset: usize) -> &Unit {
        let mut best = &self.units[0];
        for u in &self.units[1..] {
            if u.byte_range.start > offset {
                break;
            }
            if u.byte_range.contains(&offset) && u.depth > best.depth {
                best = u;
            }
        }
        best
    }

    /// The innermost unit that contains any part of `line` (zero-based).
    pub fn unit_at_line(&self, line: u32) -> &Unit {
        let mut best = &self.units[0];
        for u in &self.units[1..] {
            if u.start.line > line {
                break;
            }
            if u.start.line <= line && line <= u.end.line && u.depth > best.depth {
                best = u;
            }
        }
        best
    }

    /// Line and byte column of a byte offset, found through the syntax tree (no scan of the
    /// whole text): from the nearest point at or before the offset whose position the tree
    /// knows (the start of the innermost node holding it, or the end of the node just before
    /// it), only the bytes in between are counted. Offsets between two statements of a long
    /// module cost as little as offsets inside a token.
    pub fn position_of(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let (mut base, mut base_pos) = (0, Point { row: 0, column: 0 });
        let mut closer = |byte: usize, pos: Point| {
            if byte <= offset && byte >= base {
                base = byte;
                base_pos = pos;
            }
        };
        let mut node = self.tree.root_node();
        loop {
            closer(node.start_byte(), node.start_position());
            match node.first_child_for_byte(offset) {
                // The first child ending after the offset: it holds the offset, or the offset
                // lies between its previous sibling and it.
                Some(c) if c.start_byte() <= offset => node = c,
                Some(c) => {
                    if let Some(p) = c.prev_sibling() {
                        closer(p.end_byte(), p.end_position());
                    }
                    break;
                }
                None => {
                    if let Some(last) = node.child(node.child_count().wrapping_sub(1)) {
                        closer(last.end_byte(), last.end_position());
                    }
                    break;
                }
            }
        }
        let seg = &self.text.as_bytes()[base..offset];
        match seg.iter().rposition(|&b| b == b'\n') {
            None => Position {
                line: base_pos.row as u32,
                column: (base_pos.column + seg.len()) as u32,
            },
            Some(last) => Position {
                line: (base_pos.row + seg.iter().filter(|&&b| b == b'\n').count()) as u32,
                column: (seg.len() - last - 1) as u32,
            },
        }
    }

    /// The context the whole text gives its code ([`crate::context::content_context`]),
    /// computed once per text.
    pub(crate) fn content_context(&self) -> Option<crate::context::CodeContext> {
        *self
            .content_context
            .get_or_init(|| crate::context::content_context(self.language, &self.text))
    }

    /// The unit and the units nested in it (pre-order, the unit first).
    pub fn subtree(&self, unit: &Unit) -> &[Unit] {
        let Some(&i) = self.index_of.get(&unit.id) else {
            return &[];
        };
        &self.units[i..self.subtree_end[i]]
    }

    /// The units directly nested in `unit`, in document order (each step skips a whole
    /// subtree: the cost is the number of children, not of descendants).
    pub(crate) fn children_of(&self, unit: &Unit) -> impl Iterator<Item = &Unit> + '_ {
        let (mut at, end) = match self.index_of.get(&unit.id) {
            Some(&i) => (i + 1, self.subtree_end[i]),
            None => (0, 0),
        };
        std::iter::from_fn(move || {
            if at >= end {
                return None;
            }
            let u = &self.units[at];
            at = self.subtree_end[at];
            Some(u)
        })
    }

    /// The features of a unit together with those of the units nested in it up to
    /// [`DEEP_FEATURES_DEPTH`] levels down, sorted and deduplicated: what shape matching
    /// compares (a class with its methods).
    pub fn deep_features(&self, unit: &Unit) -> Vec<u64> {
        let Some(&i) = self.index_of.get(&unit.id) else {
            return Vec::new();
        };
        let end = self.subtree_end[i];
        if end == i + 1 {
            return self.units[i].fingerprint.features.to_vec();
        }
        let mut all: Vec<u64> = Vec::new();
        let mut at = i;
        while at < end {
            let u = &self.units[at];
            all.extend(u.fingerprint.features.iter().copied());
            at = if u.depth - unit.depth >= DEEP_FEATURES_DEPTH {
                self.subtree_end[at]
            } else {
                at + 1
            };
        }
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The tree-sitter node of a unit.
    pub fn node_of(&self, unit: &Unit) -> Option<tree_sitter::Node<'_>> {
        let root = self.tree.root_node();
        if unit.kind == UnitKind::Module {
            return Some(root);
        }
        let mut n = root.descendant_for_byte_range(unit.byte_range.start, unit.byte_range.end)?;
        loop {
            if n.kind_id() == unit.kind_id && n.byte_range() == unit.byte_range {
                return Some(n);
            }
            n = n.parent()?;
            if n.byte_range() != unit.byte_range {
                return None;
            }
        }
    }

    /// The file-level imports (local name → qualified name).
    pub fn imports(&self) -> &ImportTable {
        &self.imports
    }

    /// Records whether the last analysis of `unit` by the engine `engine` depended only on
    /// the unit's own code (`true`) or may have read code inside its nested units.
    pub(crate) fn set_blind(&self, engine: u64, unit: UnitId, blind: bool) {
        if let Ok(mut set) = self.blind.lock() {
            if blind {
                set.insert((engine, unit));
            } else {
                set.remove(&(engine, unit));
            }
        }
    }

    /// What [`Document::set_blind`] last recorded for `unit` and `engine` (false when nothing).
    pub(crate) fn is_blind(&self, engine: u64, unit: UnitId) -> bool {
        self.blind
            .lock()
            .is_ok_and(|set| set.contains(&(engine, unit)))
    }

    /// Number of edits applied successfully so far.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// True when the parse contains syntax errors (the valid parts still yield units).
    pub fn has_syntax_errors(&self) -> bool {
        self.tree.root_node().has_error()
    }

    /// Units computed from scratch from the current tree, without reusing anything (identities
    /// are fresh). Used by tests to check the incremental path against a full walk.
    #[doc(hidden)]
    pub fn units_from_scratch(&self) -> Vec<Unit> {
        let raw = walk::walk(
            self.language,
            self.tree.root_node(),
            &self.text,
            &self.imports,
            None,
            &Meter::new(Budget::UNLIMITED),
        )
        .expect("an unlimited walk cannot run over");
        let ids: Vec<UnitId> = (0..raw.len() as u64).map(UnitId).collect();
        let qnames = qualified_names(&raw, None);
        to_units(raw, qnames, &ids)
    }

    /// Sets or clears the time limit of later edits and analyses (see [`Document::set_budget`]).
    pub fn set_time_budget(&mut self, budget: Option<Duration>) {
        self.budget.time = budget;
    }

    /// Sets the budget of later edits and analyses: each edit (reparse and unit walk) and
    /// each analysis of the document by an [`Engine`](crate::Engine) is one step that fails
    /// with [`Error::OverBudget`] (or [`Error::ParseTimeout`]) past it, leaving the document
    /// as it was.
    pub fn set_budget(&mut self, budget: Budget) {
        self.budget = budget;
    }

    /// The text's tokens as the memory budget counts them
    /// ([`token_starts`](crate::budget::token_starts) over the whole text), kept through edits.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// The document's budget (see [`Document::set_budget`]).
    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// Replaces bytes `start..old_end` with `new_text`, reparses incrementally and reports which
    /// units were added, removed or changed.
    pub fn edit(&mut self, start: usize, old_end: usize, new_text: &str) -> Result<Delta> {
        self.edit_batch(&[TextEdit::new(start, old_end, new_text)])
    }

    /// Applies several edits (each relative to the text left by the previous one) with a single
    /// reparse. Either all are applied or, on error, none.
    pub fn edit_batch(&mut self, edits: &[TextEdit]) -> Result<Delta> {
        self.content_context = std::sync::OnceLock::new();
        // 1. Validate and apply to the text (with an undo log) and to a copy of the tree.
        let mut tree = self.tree.clone();
        let mut spans = Vec::with_capacity(edits.len());
        let mut undo: Vec<(usize, usize, String)> = Vec::new();
        let mut tokens = self.tokens;
        let mut failure = None;
        for e in edits {
            let text = &self.text;
            if e.start > e.old_end || e.old_end > text.len() {
                failure = Some(Error::EditOutOfRange {
                    start: e.start,
                    end: e.old_end,
                    len: text.len(),
                });
                break;
            }
            if let Some(&off) = [e.start, e.old_end]
                .iter()
                .find(|&&o| !text.is_char_boundary(o))
            {
                failure = Some(Error::NotCharBoundary { offset: off });
                break;
            }
            let start_position = point_at(text, e.start);
            let old_end_position = advance(start_position, &text[e.start..e.old_end]);
            let new_end = e.start + e.text.len();
            let new_end_position = advance(start_position, &e.text);
            undo.push((e.start, new_end, text[e.start..e.old_end].to_string()));
            let before = budget::token_starts(text.as_bytes(), e.start, e.old_end + 1);
            self.text.replace_range(e.start..e.old_end, &e.text);
            tokens =
                tokens - before + budget::token_starts(self.text.as_bytes(), e.start, new_end + 1);
            let input = InputEdit {
                start_byte: e.start,
                old_end_byte: e.old_end,
                new_end_byte: new_end,
                start_position,
                old_end_position,
                new_end_position,
            };
            tree.edit(&input);
            let span = EditSpan {
                start: e.start,
                old_end: e.old_end,
                new_end,
                start_position: start_position.into(),
                old_end_position: old_end_position.into(),
                new_end_position: new_end_position.into(),
            };
            spans.push((span, old_end_position, new_end_position));
        }

        // 2. Reparse (if the text still fits the memory budget); on failure, undo the text and
        //    leave everything else untouched.
        let meter = Meter::new(self.budget);
        let failure = failure.or_else(|| self.budget.check_tokens(tokens).err());
        // The inert ranges of the new text: when they are the old ones carried through the
        // edits, the masked text changed only where the edits are and the parse stays
        // incremental; otherwise (a `#if 0` became `#if 1`, an `#endif` moved) the tree is
        // parsed anew and the whole text counts as changed.
        let inert = preproc::inert_ranges(self.language, &self.text);
        let mut carried = self.inert.clone();
        for (span, _, _) in &spans {
            for r in carried.iter_mut() {
                let (s, e) = carry((r.start, r.end), span);
                *r = s..e;
            }
        }
        let reparse_all = failure.is_none() && inert != carried;
        let parsed = match failure {
            Some(e) => Err(e),
            None => parse(
                &mut self.parser,
                &preproc::masked(&self.text, &inert),
                (!reparse_all).then_some(&tree),
                meter.time_left(),
            )
            .map_err(|e| whole_budget(e, self.budget)),
        };
        let new_tree = match parsed {
            Ok(t) => t,
            Err(e) => {
                for (start, end, old) in undo.into_iter().rev() {
                    self.text.replace_range(start..end, &old);
                }
                self.parser.reset();
                return Err(e);
            }
        };

        // 3. Dirty ranges in new coordinates: the edited spans, carried through later edits,
        //    plus every range whose syntax changed.
        let mut dirty: Vec<(usize, usize)> = Vec::new();
        for (span, _, _) in &spans {
            for d in dirty.iter_mut() {
                *d = carry(*d, span);
            }
            dirty.push((span.start, span.new_end));
        }
        let edited_ranges = dirty.clone();
        if reparse_all {
            dirty.push((0, self.text.len()));
        } else {
            dirty.extend(
                tree.changed_ranges(&new_tree)
                    .map(|r| (r.start_byte, r.end_byte)),
            );
        }

        // 4. Old units shifted through the edits; those touched by nothing are reusable.
        let imports = ImportTable::collect(self.language, new_tree.root_node(), &self.text);
        let imports_same = imports == self.imports;
        let mut old = std::mem::take(&mut self.units);
        let mut touched = vec![false; old.len()];
        // Where shifted units were, to put them back when the walk runs over the budget.
        let mut unshift: Vec<(usize, Range<usize>, Position, Position)> = Vec::new();
        for (span, old_end_pos, new_end_pos) in &spans {
            for (i, (u, t)) in old.iter_mut().zip(touched.iter_mut()).enumerate() {
                if *t {
                    continue;
                }
                let (s, e) = (u.byte_range.start, u.byte_range.end);
                if e < span.start {
                    continue;
                }
                if s > span.old_end {
                    unshift.push((i, u.byte_range.clone(), u.start, u.end));
                    let (s, e) = (
                        s - span.old_end + span.new_end,
                        e - span.old_end + span.new_end,
                    );
                    u.byte_range = s..e;
                    u.start = shift_point(u.start, *old_end_pos, *new_end_pos);
                    u.end = shift_point(u.end, *old_end_pos, *new_end_pos);
                } else {
                    *t = true;
                }
            }
        }
        let mut clean = HashMap::new();
        if imports_same {
            for (i, u) in old.iter().enumerate().skip(1) {
                let (s, e) = (u.byte_range.start, u.byte_range.end);
                if !touched[i] && !dirty.iter().any(|&(a, b)| s <= b && e >= a) {
                    clean.insert((s, e, u.kind_id), i);
                }
            }
        }
        let reuse = Reuse {
            old: &old,
            clean,
            index_of: &self.index_of,
            qual_prefix: &self.qual_prefix,
        };
        let raw = walk::walk(
            self.language,
            new_tree.root_node(),
            &self.text,
            &imports,
            Some(&reuse),
            &meter,
        );
        drop(reuse);
        let raw = match raw {
            Ok(raw) => raw,
            Err(e) => {
                // Over budget: the document stays as it was before the edits.
                for (i, range, start, end) in unshift.into_iter().rev() {
                    let u = &mut old[i];
                    u.byte_range = range;
                    u.start = start;
                    u.end = end;
                }
                self.units = old;
                for (start, end, text) in undo.into_iter().rev() {
                    self.text.replace_range(start..end, &text);
                }
                self.parser.reset();
                return Err(e);
            }
        };

        // 5. Identities: reused units keep theirs; the rest are matched by kind and qualified
        //    name, then by kind and start offset, or get a new one.
        let qnames = qualified_names(&raw, Some((&old, &self.index_of)));
        let mut taken = vec![false; old.len()];
        let mut matched: Vec<Option<usize>> = raw.iter().map(|r| r.reused).collect();
        for oi in matched.iter().flatten() {
            taken[*oi] = true;
        }
        if matched.iter().any(Option::is_none) {
            // Same kind, name and place first (two identical clones keep their own ids).
            let mut by_place: HashMap<(UnitKind, &str, usize), usize> = HashMap::new();
            for (i, u) in old.iter().enumerate().filter(|(i, _)| !taken[*i]) {
                by_place
                    .entry((u.kind, &u.qualified_name, u.byte_range.start))
                    .or_insert(i);
            }
            for (j, r) in raw.iter().enumerate() {
                if matched[j].is_none() {
                    if let Some(&oi) = by_place.get(&(r.kind, &*qnames[j], r.byte_range.start)) {
                        if !taken[oi] {
                            taken[oi] = true;
                            matched[j] = Some(oi);
                        }
                    }
                }
            }
            let mut by_name: HashMap<(UnitKind, &str), VecDeque<usize>> = HashMap::new();
            for (i, u) in old.iter().enumerate().filter(|(i, _)| !taken[*i]) {
                by_name
                    .entry((u.kind, &u.qualified_name))
                    .or_default()
                    .push_back(i);
            }
            for (j, r) in raw.iter().enumerate() {
                if matched[j].is_none() {
                    if let Some(q) = by_name.get_mut(&(r.kind, &*qnames[j])) {
                        while let Some(oi) = q.pop_front() {
                            if !taken[oi] {
                                taken[oi] = true;
                                matched[j] = Some(oi);
                                break;
                            }
                        }
                    }
                }
            }
            let mut by_start: HashMap<(UnitKind, usize), VecDeque<usize>> = HashMap::new();
            for (i, u) in old.iter().enumerate().filter(|(i, _)| !taken[*i]) {
                by_start
                    .entry((u.kind, u.byte_range.start))
                    .or_default()
                    .push_back(i);
            }
            for (j, r) in raw.iter().enumerate() {
                if matched[j].is_none() {
                    if let Some(oi) = by_start
                        .get_mut(&(r.kind, r.byte_range.start))
                        .and_then(VecDeque::pop_front)
                    {
                        taken[oi] = true;
                        matched[j] = Some(oi);
                    }
                }
            }
        }

        // 6. The delta: reused units are unchanged by construction; matched ones are compared.
        let mut delta = Delta {
            edits: spans.iter().map(|s| s.0).collect(),
            ..Delta::default()
        };
        let mut ids = Vec::with_capacity(raw.len());
        for (j, r) in raw.iter().enumerate() {
            let id = match matched[j] {
                Some(oi) => {
                    let o = &old[oi];
                    if r.reused.is_none() && o.fingerprint != r.fingerprint {
                        delta.changed.push(o.id);
                    }
                    if r.reused.is_none() && o.own_hash != r.own_hash {
                        delta.context_changed.push(o.id);
                    }
                    if r.reused.is_none() && o.byte_range != r.byte_range {
                        delta.relocated.push(o.id);
                    }
                    o.id
                }
                None => {
                    self.next_id += 1;
                    delta.added.push(UnitId(self.next_id));
                    delta.context_changed.push(UnitId(self.next_id));
                    UnitId(self.next_id)
                }
            };
            ids.push(id);
        }
        // Edited: every unit whose text contains or touches an edit (the innermost one and its
        // ancestors: a match rooted in an ancestor may bind code of the edited unit).
        delta.edited = raw
            .iter()
            .zip(&ids)
            .filter(|(r, _)| {
                edited_ranges
                    .iter()
                    .any(|&(a, b)| r.byte_range.start <= b && r.byte_range.end >= a)
            })
            .map(|(_, id)| *id)
            .collect();
        delta.removed = old
            .iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(u, _)| u.id)
            .collect();

        delta.imports_changed = !imports_same;
        if !imports_same {
            let mut names: Vec<String> = imports
                .iter()
                .filter(|(l, q)| self.imports.resolve(l) != Some(q))
                .chain(
                    self.imports
                        .iter()
                        .filter(|(l, q)| imports.resolve(l) != Some(q)),
                )
                .map(|(l, _)| l.to_string())
                .collect();
            names.sort_unstable();
            names.dedup();
            delta.rebound_names = names;
        }
        delta.changed_ranges = dirty.iter().map(|&(a, b)| a..b).collect();
        delta.before = TreeBefore(Some(tree));
        self.tree = new_tree;
        self.imports = imports;
        self.install_named(raw, qnames, &ids);
        self.tokens = tokens;
        self.inert = inert;
        self.version += 1;
        Ok(delta)
    }

    fn install(&mut self, raw: Vec<RawUnit>, ids: &[UnitId]) {
        let qnames = qualified_names(&raw, None);
        self.install_named(raw, qnames, ids);
    }

    fn install_named(&mut self, raw: Vec<RawUnit>, qnames: Vec<Arc<str>>, ids: &[UnitId]) {
        if let Ok(set) = self.blind.get_mut() {
            if !set.is_empty() {
                let live: std::collections::HashSet<UnitId> = ids.iter().copied().collect();
                set.retain(|(_, u)| live.contains(u));
            }
        }
        self.qual_prefix = raw.iter().map(|r| r.qual_prefix.clone()).collect();
        self.units = to_units(raw, qnames, ids);
        self.index_of = self
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id, i))
            .collect();
        self.subtree_end = subtree_ends(&self.units);
    }
}

/// For each unit (in pre-order), the index just past its subtree.
fn subtree_ends(units: &[Unit]) -> Vec<usize> {
    let mut end = vec![units.len(); units.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, u) in units.iter().enumerate() {
        while let Some(&top) = open.last() {
            if units[top].depth < u.depth {
                break;
            }
            end[top] = i;
            open.pop();
        }
        open.push(i);
    }
    end
}

/// Units from the walk's raw units, their qualified names and their identities.
fn to_units(raw: Vec<RawUnit>, qnames: Vec<Arc<str>>, ids: &[UnitId]) -> Vec<Unit> {
    raw.into_iter()
        .zip(qnames)
        .enumerate()
        .map(|(j, (r, qualified_name))| Unit {
            id: ids[j],
            kind: r.kind,
            name: r.name,
            qualified_name,
            byte_range: r.byte_range,
            start: r.start,
            end: r.end,
            parent: r.parent.map(|p| ids[p]),
            depth: r.depth,
            fingerprint: r.fingerprint,
            kind_id: r.kind_id,
            shape2: r.shape2,
            own_hash: r.own_hash,
        })
        .collect()
}

/// Qualified names of `raw`; a reused unit whose own name and parent's qualified name did not
/// change keeps its old (shared) string.
fn qualified_names(
    raw: &[RawUnit],
    old: Option<(&[Unit], &HashMap<UnitId, usize>)>,
) -> Vec<Arc<str>> {
    let mut out: Vec<Arc<str>> = Vec::with_capacity(raw.len());
    for r in raw {
        let parent_q: &str = r.parent.map(|p| &*out[p]).unwrap_or("");
        if let (Some(oi), Some((old, index_of))) = (r.reused, old) {
            let o = &old[oi];
            let old_parent_q = o
                .parent
                .and_then(|p| index_of.get(&p))
                .map(|&pi| &*old[pi].qualified_name)
                .unwrap_or("");
            if o.name == r.name && old_parent_q == parent_q {
                out.push(o.qualified_name.clone());
                continue;
            }
        }
        let own: &str = if r.kind == UnitKind::Module {
            ""
        } else if r.name.is_empty() {
            "<anonymous>"
        } else {
            &r.name
        };
        let own = match &r.qual_prefix {
            Some(p) if !p.is_empty() => format!("{p}.{own}"),
            _ => own.to_string(),
        };
        let q = if parent_q.is_empty() {
            own
        } else {
            format!("{parent_q}.{own}")
        };
        out.push(Arc::from(cap_qualified_name(q)));
    }
    out
}

/// How many levels of nested units [`Document::deep_features`] reads below a unit. Without a
/// limit, each of `n` nested classes would read all those below it (`n²`); real code nests a
/// handful of levels inside a type (class, method, lambda…), so shapes never see the cut.
pub const DEEP_FEATURES_DEPTH: u32 = 16;

/// Longest qualified name kept whole, in bytes. Names are built from their parent's, so without
/// a cap a file of `n` nested units would hold `n²` bytes of names (25,600 nested classes: 2 GB).
/// A longer name keeps its innermost parts after a leading `…` (`….C25598.C25599`); code nested
/// that deep is generated, and no host reads such names back as paths.
pub const MAX_QUALIFIED_NAME: usize = 128;

/// Cuts `q` to its innermost parts of at most [`MAX_QUALIFIED_NAME`] bytes, behind `…`.
fn cap_qualified_name(q: String) -> String {
    if q.len() <= MAX_QUALIFIED_NAME {
        return q;
    }
    let mut from = q.len() - MAX_QUALIFIED_NAME;
    while !q.is_char_boundary(from) {
        from += 1;
    }
    // Cut at a part boundary when there is one in the kept tail.
    let cut = q[from..].find('.').map_or(from, |i| from + i);
    let tail = &q[cut..];
    if tail.starts_with('.') {
        format!("…{tail}")
    } else {
        format!("….{tail}")
    }
}

fn carry((a, b): (usize, usize), span: &EditSpan) -> (usize, usize) {
    if b < span.start {
        (a, b)
    } else if a > span.old_end {
        (
            a - span.old_end + span.new_end,
            b - span.old_end + span.new_end,
        )
    } else {
        let nb = if b > span.old_end {
            b - span.old_end + span.new_end
        } else {
            span.new_end
        };
        (a.min(span.start), nb.max(span.new_end))
    }
}

/// Line and byte column of `offset` in `text` (a char boundary at most `text.len()`).
fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    Point {
        row,
        column: offset - line_start,
    }
}

/// The point reached after `inserted` starting at `start`.
fn advance(start: Point, inserted: &str) -> Point {
    let b = inserted.as_bytes();
    match b.iter().rposition(|&c| c == b'\n') {
        None => Point {
            row: start.row,
            column: start.column + b.len(),
        },
        Some(last) => Point {
            row: start.row + b.iter().filter(|&&c| c == b'\n').count(),
            column: b.len() - last - 1,
        },
    }
}

/// Shifts a position that lies at or after an edit's old end, as tree-sitter does.
fn shift_point(p: Position, old_end: Point, new_end: Point) -> Position {
    let (row, col) = (p.line as usize, p.column as usize);
    if row == old_end.row {
        Position {
            line: new_end.row as u32,
            column: (new_end.column + col - old_end.column) as u32,
        }
    } else {
        Position {
            line: (row + new_end.row - old_end.row) as u32,
            column: col as u32,
        }
    }
}

/// A parse timeout names the whole time budget, not what was left of it when parsing began.
fn whole_budget(e: Error, budget: Budget) -> Error {
    match (e, budget.time) {
        (Error::ParseTimeout { .. }, Some(budget)) => Error::ParseTimeout { budget },
        (e, _) => e,
    }
}

fn parse(
    parser: &mut Parser,
    text: &str,
    old: Option<&Tree>,
    budget: Option<Duration>,
) -> Result<Tree> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(budget) = budget {
        let started = std::time::Instant::now();
        let mut over = |_: &tree_sitter::ParseState| {
            if started.elapsed() > budget {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        };
        let options = tree_sitter::ParseOptions::new().progress_callback(&mut over);
        let bytes = text.as_bytes();
        let mut input = |i: usize, _: Point| bytes.get(i..).unwrap_or(&[]);
        return parser
            .parse_with_options(&mut input, old, Some(options))
            .ok_or(Error::ParseTimeout { budget });
    }
    #[cfg(target_arch = "wasm32")]
    let _ = budget;
    parser.parse(text, old).ok_or(Error::ParseTimeout {
        budget: Duration::ZERO,
    })
}
