//! `Document`: one source text, its syntax tree and its units, kept up to date across edits.
//!
//! An edit is applied with `Tree::edit` and an incremental reparse; `changed_ranges` and the
//! edited spans tell which units can have changed. Untouched units are shifted, not re-walked,
//! and keep their identity; the [`Delta`] names exactly the units whose fingerprint changed.
//! A failed edit (bad range, parse over budget) leaves the document exactly as it was.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use tree_sitter::{InputEdit, Parser, Point, Tree};

use crate::error::{Error, Result};
use crate::imports::ImportTable;
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
        TextEdit { start, old_end, text: text.into() }
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
    /// The edits applied, in order, so hosts can shift what they keep for untouched units.
    pub edits: Vec<EditSpan>,
}

impl Delta {
    /// True when no unit was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Maps a byte offset of the text before the edits to the text after them.
    pub fn map_offset(&self, offset: usize) -> usize {
        self.edits.iter().fold(offset, |o, e| e.map_offset(o))
    }
}

/// A parsed source text and its units, updated incrementally by [`Document::edit`].
///
/// ```
/// use codetable::{Document, Language, UnitKind};
///
/// let mut doc = Document::new(Language::Python, "def f(x):\n    return x + 1\n")?;
/// let f = doc.units().iter().find(|u| u.kind == UnitKind::Function).unwrap();
/// assert_eq!(f.qualified_name, "f");
/// let before = f.fingerprint.hash;
///
/// // Renaming a parameter keeps the structural hash; the delta is empty.
/// let delta = doc.edit(6, 7, "y")?;
/// let delta2 = doc.edit(25, 26, "y")?;
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
    imports: ImportTable,
    next_id: u64,
    budget: Option<Duration>,
    version: u64,
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
    /// Parses `text` and fingerprints its units.
    pub fn new(language: Language, text: impl Into<String>) -> Result<Document> {
        Document::build(language, text.into(), None)
    }

    /// Like [`Document::new`], but parses (now and on every edit) within a time budget; a parse
    /// that runs over it fails with [`Error::ParseTimeout`]. On `wasm32` the budget is not
    /// enforced (there is no clock).
    pub fn with_time_budget(language: Language, text: impl Into<String>, budget: Duration) -> Result<Document> {
        Document::build(language, text.into(), Some(budget))
    }

    /// Parses raw bytes. Invalid UTF-8 is rejected with [`Error::InvalidUtf8`] rather than
    /// replaced, so every offset this crate reports points into the caller's bytes.
    pub fn from_bytes(language: Language, bytes: &[u8]) -> Result<Document> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| Error::InvalidUtf8 { valid_up_to: e.valid_up_to() })?;
        Document::new(language, text)
    }

    fn build(language: Language, text: String, budget: Option<Duration>) -> Result<Document> {
        let mut parser = Parser::new();
        parser
            .set_language(&language.grammar())
            .map_err(|e| Error::Grammar { language: language.name(), reason: e.to_string() })?;
        let tree = parse(&mut parser, &text, None, budget)?;
        let imports = ImportTable::collect(language, tree.root_node(), &text);
        let raw = walk::walk(language, tree.root_node(), &text, &imports, None);
        let mut doc = Document {
            language,
            text,
            tree,
            parser,
            units: Vec::new(),
            qual_prefix: Vec::new(),
            index_of: HashMap::new(),
            imports,
            next_id: 0,
            budget,
            version: 0,
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

    /// Number of edits applied successfully so far.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// True when the parse contains syntax errors (the valid parts still yield units).
    pub fn has_syntax_errors(&self) -> bool {
        self.tree.root_node().has_error()
    }

    /// Sets or clears the parse time budget for later edits.
    pub fn set_time_budget(&mut self, budget: Option<Duration>) {
        self.budget = budget;
    }

    /// Replaces bytes `start..old_end` with `new_text`, reparses incrementally and reports which
    /// units were added, removed or changed.
    pub fn edit(&mut self, start: usize, old_end: usize, new_text: &str) -> Result<Delta> {
        self.edit_batch(&[TextEdit::new(start, old_end, new_text)])
    }

    /// Applies several edits (each relative to the text left by the previous one) with a single
    /// reparse. Either all are applied or, on error, none.
    pub fn edit_batch(&mut self, edits: &[TextEdit]) -> Result<Delta> {
        // 1. Validate and apply to a copy of the text and the tree.
        let mut text = self.text.clone();
        let mut tree = self.tree.clone();
        let mut spans = Vec::with_capacity(edits.len());
        for e in edits {
            if e.start > e.old_end || e.old_end > text.len() {
                return Err(Error::EditOutOfRange { start: e.start, end: e.old_end, len: text.len() });
            }
            for off in [e.start, e.old_end] {
                if !text.is_char_boundary(off) {
                    return Err(Error::NotCharBoundary { offset: off });
                }
            }
            let start_position = point_at(&text, e.start);
            let old_end_position = point_at(&text, e.old_end);
            let new_end = e.start + e.text.len();
            let new_end_position = advance(start_position, &e.text);
            text.replace_range(e.start..e.old_end, &e.text);
            tree.edit(&InputEdit {
                start_byte: e.start,
                old_end_byte: e.old_end,
                new_end_byte: new_end,
                start_position,
                old_end_position,
                new_end_position,
            });
            spans.push((EditSpan { start: e.start, old_end: e.old_end, new_end }, old_end_position, new_end_position));
        }

        // 2. Reparse; on failure nothing has been touched.
        let new_tree = match parse(&mut self.parser, &text, Some(&tree), self.budget) {
            Ok(t) => t,
            Err(e) => {
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
        dirty.extend(tree.changed_ranges(&new_tree).map(|r| (r.start_byte, r.end_byte)));

        // 4. Old units shifted through the edits; those touched by nothing are reusable.
        let imports = ImportTable::collect(self.language, new_tree.root_node(), &text);
        let imports_same = imports == self.imports;
        let mut shifted = self.units.clone();
        let mut touched = vec![false; shifted.len()];
        for (span, old_end_pos, new_end_pos) in &spans {
            for (u, t) in shifted.iter_mut().zip(touched.iter_mut()) {
                if *t {
                    continue;
                }
                let (s, e) = (u.byte_range.start, u.byte_range.end);
                if e < span.start {
                    continue;
                }
                if s > span.old_end {
                    let delta = span.new_end as isize - span.old_end as isize;
                    u.byte_range = (s as isize + delta) as usize..(e as isize + delta) as usize;
                    u.start = shift_point(u.start, *old_end_pos, *new_end_pos);
                    u.end = shift_point(u.end, *old_end_pos, *new_end_pos);
                } else {
                    *t = true;
                }
            }
        }
        let mut clean = HashMap::new();
        if imports_same {
            for (i, u) in shifted.iter().enumerate().skip(1) {
                let (s, e) = (u.byte_range.start, u.byte_range.end);
                if !touched[i] && !dirty.iter().any(|&(a, b)| s <= b && e >= a) {
                    clean.insert((s, e, u.kind_id), i);
                }
            }
        }
        let reuse = Reuse {
            old: &shifted,
            clean,
            index_of: self.index_of.clone(),
            qual_prefix: &self.qual_prefix,
        };
        let raw = walk::walk(self.language, new_tree.root_node(), &text, &imports, Some(&reuse));

        // 5. Identities: reused units keep theirs; the rest are matched by kind and qualified
        //    name, then by kind and start offset, or get a new one.
        let qnames = qualified_names(&raw);
        let reused: HashSet<usize> = raw.iter().filter_map(|r| r.reused).collect();
        let mut by_name: HashMap<(UnitKind, &str), VecDeque<usize>> = HashMap::new();
        let mut by_start: HashMap<(UnitKind, usize), VecDeque<usize>> = HashMap::new();
        for (i, u) in shifted.iter().enumerate() {
            if !reused.contains(&i) {
                by_name.entry((u.kind, u.qualified_name.as_str())).or_default().push_back(i);
            }
        }
        let mut taken = vec![false; shifted.len()];
        let mut ids: Vec<Option<UnitId>> = vec![None; raw.len()];
        for (j, r) in raw.iter().enumerate() {
            if let Some(oi) = r.reused {
                ids[j] = Some(self.units[oi].id);
                taken[oi] = true;
            } else if let Some(q) = by_name.get_mut(&(r.kind, qnames[j].as_str())) {
                while let Some(oi) = q.pop_front() {
                    if !taken[oi] {
                        taken[oi] = true;
                        ids[j] = Some(self.units[oi].id);
                        break;
                    }
                }
            }
        }
        for (i, u) in shifted.iter().enumerate() {
            if !taken[i] {
                by_start.entry((u.kind, u.byte_range.start)).or_default().push_back(i);
            }
        }
        for (j, r) in raw.iter().enumerate() {
            if ids[j].is_none() {
                if let Some(q) = by_start.get_mut(&(r.kind, r.byte_range.start)) {
                    while let Some(oi) = q.pop_front() {
                        if !taken[oi] {
                            taken[oi] = true;
                            ids[j] = Some(self.units[oi].id);
                            break;
                        }
                    }
                }
            }
        }
        let ids: Vec<UnitId> = ids.into_iter().map(|id| id.unwrap_or_else(|| self.fresh_id())).collect();

        // 6. The delta, then install the new state.
        let old_fp: HashMap<UnitId, &crate::Fingerprint> =
            self.units.iter().map(|u| (u.id, &u.fingerprint)).collect();
        let new_ids: HashSet<UnitId> = ids.iter().copied().collect();
        let mut delta = Delta { edits: spans.iter().map(|s| s.0).collect(), ..Delta::default() };
        for (j, r) in raw.iter().enumerate() {
            match old_fp.get(&ids[j]) {
                None => delta.added.push(ids[j]),
                Some(fp) if **fp != r.fingerprint => delta.changed.push(ids[j]),
                Some(_) => {}
            }
        }
        delta.removed = self.units.iter().map(|u| u.id).filter(|id| !new_ids.contains(id)).collect();
        drop(old_fp);

        self.text = text;
        self.tree = new_tree;
        self.imports = imports;
        self.install(raw, &ids);
        self.version += 1;
        Ok(delta)
    }

    fn install(&mut self, raw: Vec<RawUnit>, ids: &[UnitId]) {
        let qnames = qualified_names(&raw);
        self.qual_prefix = raw.iter().map(|r| r.qual_prefix.clone()).collect();
        self.units = raw
            .into_iter()
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
            })
            .collect();
        self.index_of = self.units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
    }
}

fn qualified_names(raw: &[RawUnit]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for r in raw {
        let own = if r.kind == UnitKind::Module {
            String::new()
        } else if r.name.is_empty() {
            "<anonymous>".to_string()
        } else {
            r.name.clone()
        };
        let own = match &r.qual_prefix {
            Some(p) if !p.is_empty() => format!("{p}.{own}"),
            _ => own,
        };
        let q = match r.parent.map(|p| out[p].as_str()) {
            Some(pq) if !pq.is_empty() => format!("{pq}.{own}"),
            _ => own,
        };
        out.push(q);
    }
    out
}

fn carry((a, b): (usize, usize), span: &EditSpan) -> (usize, usize) {
    if b < span.start {
        (a, b)
    } else if a > span.old_end {
        (a - span.old_end + span.new_end, b - span.old_end + span.new_end)
    } else {
        let nb = if b > span.old_end { b - span.old_end + span.new_end } else { span.new_end };
        (a.min(span.start), nb.max(span.new_end))
    }
}

/// Line and byte column of `offset` in `text` (a char boundary at most `text.len()`).
fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    Point { row, column: offset - line_start }
}

/// The point reached after `inserted` starting at `start`.
fn advance(start: Point, inserted: &str) -> Point {
    let b = inserted.as_bytes();
    match b.iter().rposition(|&c| c == b'\n') {
        None => Point { row: start.row, column: start.column + b.len() },
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
        Position { line: new_end.row as u32, column: (new_end.column + col - old_end.column) as u32 }
    } else {
        Position { line: (row + new_end.row - old_end.row) as u32, column: col as u32 }
    }
}

fn parse(parser: &mut Parser, text: &str, old: Option<&Tree>, budget: Option<Duration>) -> Result<Tree> {
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
    parser.parse(text, old).ok_or(Error::ParseTimeout { budget: Duration::ZERO })
}
