//! `Engine`: what patterns a document contains — the two-stage lookup, and its incremental form.
//!
//! Stage one asks the database's feature index for the candidate entries of a unit (a
//! prefilter that can only over-approximate); stage two verifies each candidate: rule templates
//! match structurally, shapes are scored by IDF-weighted containment (the maths is the `shape`
//! module's). Compiled matchers are cached per entry, so a database of a million patterns costs
//! nothing until a pattern is a candidate. The engine holds no per-document state: [`MatchSet`] keeps a host's current
//! matches and applies each [`MatchDelta`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock, RwLock};

use crate::budget::Meter;
use crate::db::{EntryInfo, MatcherKind, PatternDb};
use crate::document::{Delta, Document, EditSpan};
use crate::error::{Error, Result};
use crate::hash;
use crate::pattern::{Matcher, Severity};
use crate::rule::{Capture, Rule, UnitNodes};
use crate::shape::{self, best_score};
use crate::unit::{Position, Unit, UnitId, UnitKind};
use crate::view::PatternSheet;

/// A stable identity of a match: unit, pattern and rank among the pattern's matches in the unit,
/// so a match keeps it while edits elsewhere (or edits that leave its unit's fingerprint alone)
/// shift it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MatchId(pub u64);

/// One finding: a pattern found in a unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    /// Identity, stable while the match's unit is untouched.
    pub id: MatchId,
    /// The pattern's number in the database.
    pub pattern: u32,
    /// The (pattern, language) entry that matched.
    pub entry: u32,
    /// The unit the match is in.
    pub unit: UnitId,
    /// Byte range of the matched code.
    pub byte_range: Range<usize>,
    /// Start line and byte column.
    pub start: Position,
    /// End line and byte column.
    pub end: Position,
    /// 1.0 for rules; the similarity score for shapes.
    pub score: f32,
    /// The pattern's severity.
    pub severity: Severity,
    /// Metavariable bindings (rules only).
    pub captures: Vec<Capture>,
    /// Flow steps (rules only): bytes of the definitions of locals the match went through
    /// (`q = "SELECT … " + x` for `cur.execute(q)`), in document order. The match itself stays
    /// at the sink.
    pub steps: Vec<Range<usize>>,
    /// Taint rules: bytes of the source the tainted code came from; `steps` then run from it
    /// to the sink, source side first. `None` for other matches.
    pub source: Option<Range<usize>>,
    /// Other matches of the same pattern in the same loop of the same unit, folded into this
    /// one by [`crate::Profile::apply`] (every `+=` of one loop is one finding): their byte
    /// ranges, in document order. Empty in the engine's raw matches.
    pub duplicates: Vec<Range<usize>>,
    /// The edit the rule's `fix` proposes (see [`crate::fix`]); `None` for shapes and rules
    /// without a fix.
    pub fix: Option<crate::fix::Fix>,
}

/// What changed in a document's matches after an edit: all matches of `units` are replaced by
/// `matches`; matches of other units keep their identity and shift with `edits`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatchDelta {
    /// Units whose matches were recomputed (or that were removed).
    pub units: Vec<UnitId>,
    /// The new matches of those units.
    pub matches: Vec<Match>,
    /// The edits, to shift the matches of the other units.
    pub edits: Vec<EditSpan>,
}

/// Shape matches kept per unit.
const SHAPE_TOP_K: usize = 3;

enum Compiled {
    /// The entry's rule, and whether its matches depend on ancestors (`inside`/`not_inside`).
    Rules(Vec<Rule>, bool),
    Shape {
        threshold: f32,
        refs: Vec<shape::Reference>,
        /// Guards of the entry's language: one of `require` (when any) must match inside the
        /// unit, none of `exclude` may.
        require: Vec<Rule>,
        exclude: Vec<Rule>,
    },
}

/// A fresh engine identity, never reused in the process.
fn next_engine_id() -> u64 {
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Finds patterns in documents. Cheap to share across threads (`Arc<Engine>` or `&Engine`).
pub struct Engine {
    /// Distinguishes engines (never reused in a process): a [`crate::Session`] remembers which
    /// engine produced its matches. A new profile gives the engine a new identity.
    id: std::sync::atomic::AtomicU64,
    /// What sessions report of the raw matches (`None`: everything, unchanged).
    profile: RwLock<Option<Arc<crate::profile::Profile>>>,
    db: Arc<PatternDb>,
    /// Pattern sheets by number, decoded once each and shared by every finding.
    sheets: RwLock<HashMap<u32, Arc<PatternSheet>>>,
    compiled: RwLock<HashMap<u32, Arc<Compiled>>>,
    small_index: OnceLock<Option<(HashSet<u64>, bool)>>,
    /// Per language: the node kinds that `inside`/`not_inside` templates can match, or `None`
    /// for "any kind" (also used for databases too large to survey).
    context_kinds: RwLock<HashMap<crate::language::Language, Option<HashSet<u16>>>>,
    /// See [`Engine::set_exhaustive`].
    exhaustive: std::sync::atomic::AtomicBool,
    /// See [`Engine::set_sanitizers`].
    sanitizers: RwLock<Option<Arc<[String]>>>,
    /// See [`Engine::set_selected_only`].
    selected_only: std::sync::atomic::AtomicBool,
    /// Whether the profile selects each pattern (decoded once per profile), for
    /// [`Engine::set_selected_only`].
    selected: RwLock<HashMap<u32, bool>>,
    /// Whether the profile selects any shape pattern (`None`: not surveyed yet).
    shapes_selected: RwLock<Option<bool>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("db", &self.db).finish()
    }
}

impl Engine {
    /// An engine over a database.
    pub fn new(db: PatternDb) -> Engine {
        Engine::from_arc(Arc::new(db))
    }

    /// An engine over a shared database.
    pub fn from_arc(db: Arc<PatternDb>) -> Engine {
        Engine {
            id: std::sync::atomic::AtomicU64::new(next_engine_id()),
            profile: RwLock::new(None),
            db,
            sheets: RwLock::new(HashMap::new()),
            compiled: RwLock::new(HashMap::new()),
            small_index: OnceLock::new(),
            context_kinds: RwLock::new(HashMap::new()),
            exhaustive: std::sync::atomic::AtomicBool::new(false),
            sanitizers: RwLock::new(None),
            selected_only: std::sync::atomic::AtomicBool::new(false),
            selected: RwLock::new(HashMap::new()),
            shapes_selected: RwLock::new(None),
        }
    }

    /// An engine over several databases stacked in order (the shipped catalog first, then a
    /// team's rules): [`PatternDb::layered`]. Fails when two layers share a pattern id, or when
    /// `dbs` is empty.
    pub fn with_dbs(dbs: impl IntoIterator<Item = PatternDb>) -> Result<Engine> {
        let mut dbs = dbs.into_iter();
        let base = dbs
            .next()
            .ok_or(Error::InvalidState("an engine needs at least one database"))?;
        Ok(Engine::new(PatternDb::layered(base, dbs)?))
    }

    /// The database.
    pub fn db(&self) -> &PatternDb {
        &self.db
    }

    /// The shared database.
    pub fn db_arc(&self) -> &Arc<PatternDb> {
        &self.db
    }

    /// This engine's identity: unique among the engines of the process, never reused.
    pub fn id(&self) -> u64 {
        self.id.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Sets what sessions report of this engine's matches ([`crate::Profile::apply`]):
    /// `None` (the default) reports every raw match unchanged. The engine takes a new
    /// [`Engine::id`], so sessions analysed before analyse again from scratch.
    pub fn set_profile(&self, profile: Option<crate::profile::Profile>) {
        if let Ok(mut p) = self.profile.write() {
            *p = profile.map(Arc::new);
        }
        if let Ok(mut s) = self.selected.write() {
            s.clear();
        }
        if let Ok(mut s) = self.shapes_selected.write() {
            *s = None;
        }
        self.id
            .store(next_engine_id(), std::sync::atomic::Ordering::Relaxed);
    }

    /// The profile sessions apply, if any ([`Engine::set_profile`]).
    pub fn profile(&self) -> Option<Arc<crate::profile::Profile>> {
        self.profile.read().ok().and_then(|p| p.clone())
    }

    /// Turns off (`true`) or back on (`false`, the default) the shortcuts that skip matching a
    /// rule in a unit because of what the unit lacks: a rule template (a candidate rule, or a
    /// taint rule's source, sanitizer or propagator) whose required features the unit's
    /// fingerprint does not have, and a taint rule's flow analysis in a unit where no source
    /// matched and no parameter can be one; and, in [`Engine::analyze_delta`], keeping the
    /// matches of a unit edited only inside its nested units. The shortcuts are exact, so the matches are the
    /// same either way, only slower when exhaustive: the switch exists to test that they are
    /// (every catalog example and annotated suite file is compared both ways). The engine
    /// keeps its [`Engine::id`]. Candidates of the database's feature index are unaffected.
    pub fn set_exhaustive(&self, exhaustive: bool) {
        self.exhaustive
            .store(exhaustive, std::sync::atomic::Ordering::Relaxed);
    }

    /// Declares the project's own sanitisers (`codetable.toml`'s `sanitizers`): function names,
    /// plain (`clean_html`) or qualified (`myapp.security.clean_html`; a call of the plain last
    /// part counts too, as after `from myapp.security import clean_html`). For every taint
    /// rule, a call of one of them is clean whatever its arguments, and an `if` whose condition
    /// calls one on a value checks that value (see [`crate::rule`]'s taint rules). Empty names
    /// are ignored. The engine takes a new [`Engine::id`], so sessions analyse again.
    pub fn set_sanitizers<S: AsRef<str>>(&self, names: &[S]) {
        let names: Vec<String> = names
            .iter()
            .map(|n| n.as_ref().trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        if let Ok(mut s) = self.sanitizers.write() {
            *s = (!names.is_empty()).then(|| names.into());
        }
        self.id
            .store(next_engine_id(), std::sync::atomic::Ordering::Relaxed);
    }

    /// The project's own sanitisers ([`Engine::set_sanitizers`]), empty when none.
    pub fn sanitizers(&self) -> Vec<String> {
        self.sanitizers
            .read()
            .ok()
            .and_then(|s| s.as_ref().map(|s| s.to_vec()))
            .unwrap_or_default()
    }

    /// Turns on (`true`) or off (`false`, the default) computing only the matches a session
    /// reports: with a profile set ([`Engine::set_profile`]), the rules of patterns the profile
    /// does not select are not tried, and shapes are not scored when it selects no shape
    /// pattern (a unit keeps its best shapes whatever their selection, so one selected shape
    /// keeps every shape scored). What [`crate::Session`] reports is the same either way (the
    /// profile drops an unselected pattern's matches before anything else reads them); the raw
    /// matches of [`Engine::analyze`] then lack the unselected patterns. For one-shot scans
    /// (the CLI's `scan`), where the unselected patterns (pedantic and info levels by default)
    /// were a good part of the matching time. The engine keeps its [`Engine::id`].
    pub fn set_selected_only(&self, on: bool) {
        self.selected_only
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// The profile whose unselected patterns are skipped, when [`Engine::set_selected_only`]
    /// is on and a profile is set.
    fn pruning(&self) -> Option<Arc<crate::profile::Profile>> {
        if self
            .selected_only
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            self.profile()
        } else {
            None
        }
    }

    /// Whether the candidate `info` can give a reported match under `profile` (see
    /// [`Engine::set_selected_only`]).
    fn reported(&self, profile: &crate::profile::Profile, info: &EntryInfo) -> Result<bool> {
        if info.matcher == MatcherKind::Shape {
            if let Some(any) = self.shapes_selected.read().ok().and_then(|s| *s) {
                return Ok(any);
            }
            // Too large a database to survey: every shape is scored.
            let mut any = self.db.entry_count() > 100_000;
            for e in 0..self.db.entry_count() {
                if any {
                    break;
                }
                let i = self.db.entry(e)?;
                if i.matcher == MatcherKind::Shape {
                    let sheet = self.sheet(i.pattern)?;
                    any = profile.selects(&sheet);
                }
            }
            if let Ok(mut s) = self.shapes_selected.write() {
                *s = Some(any);
            }
            return Ok(any);
        }
        if let Some(&on) = self
            .selected
            .read()
            .ok()
            .and_then(|m| m.get(&info.pattern).copied())
            .as_ref()
        {
            return Ok(on);
        }
        let sheet = self.sheet(info.pattern)?;
        let on = profile.selects(&sheet);
        if let Ok(mut m) = self.selected.write() {
            m.insert(info.pattern, on);
        }
        Ok(on)
    }

    /// True when the shortcuts of [`Engine::set_exhaustive`] are off.
    pub fn is_exhaustive(&self) -> bool {
        self.exhaustive.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The property sheet of pattern number `pattern`, decoded once and then shared (findings
    /// and hosts read their pattern's id, symbol, severity… from it).
    pub fn sheet(&self, pattern: u32) -> Result<Arc<PatternSheet>> {
        if let Some(s) = self
            .sheets
            .read()
            .ok()
            .and_then(|m| m.get(&pattern).cloned())
        {
            return Ok(s);
        }
        let sheet = Arc::new(PatternSheet::new(pattern, &self.db.pattern(pattern)?));
        if let Ok(mut m) = self.sheets.write() {
            m.insert(pattern, sheet.clone());
        }
        Ok(sheet)
    }

    /// Every match in the document, sorted by position then pattern. The analysis is one step
    /// of the document's [`Budget`](crate::Budget): past it, [`Error::OverBudget`] and no
    /// match at all.
    pub fn analyze(&self, doc: &Document) -> Result<Vec<Match>> {
        let meter = Meter::new(doc.budget());
        let all: Vec<usize> = (0..doc.units().len()).collect();
        let mut out = self.analyze_units(doc, &all, &meter)?;
        sort_matches(&mut out);
        Ok(out)
    }

    /// The matches of the units at `targets` (indices into the document's units, ascending).
    /// Their nodes are found in one walk over the tree, in pre-order as the units are, with the
    /// path of ancestors at hand, entering only nodes that may hold the next target: looking
    /// each up from the root would cost its depth (n nested units: n²). A unit the walk does
    /// not meet is looked up alone.
    fn analyze_units(
        &self,
        doc: &Document,
        targets: &[usize],
        meter: &Meter,
    ) -> Result<Vec<Match>> {
        let units = doc.units();
        let mut out = Vec::new();
        let root = doc.tree().root_node();
        let mut alone: Vec<usize> = Vec::new();
        let mut next = 0;
        if targets.first() == Some(&0) {
            out.extend(self.analyze_unit_in(doc, &units[0], Some((root, &[])), meter)?);
            next = 1;
        }
        let target = |next: usize| targets.get(next).map(|&i| &units[i]);
        let mut path: Vec<tree_sitter::Node<'_>> = vec![root];
        let mut cursor = root.walk();
        if next < targets.len() && cursor.goto_first_child() {
            'walk: loop {
                meter.charge(1)?;
                let node = cursor.node();
                let (s, e, k) = (node.start_byte(), node.end_byte(), node.kind_id());
                while target(next).is_some_and(|u| u.byte_range.start < s) {
                    alone.push(targets[next]);
                    next += 1;
                }
                while let Some(u) = target(next) {
                    if (u.byte_range.start, u.byte_range.end, u.kind_id) != (s, e, k)
                        || deeper_twin(node)
                    {
                        break;
                    }
                    out.extend(self.analyze_unit_in(doc, u, Some((node, &path)), meter)?);
                    next += 1;
                }
                let Some(u) = target(next) else {
                    break;
                };
                // Only nodes that may hold the next target are entered.
                if e >= u.byte_range.start && cursor.goto_first_child() {
                    path.push(node);
                    continue;
                }
                loop {
                    if cursor.goto_next_sibling() {
                        continue 'walk;
                    }
                    if !cursor.goto_parent() {
                        break 'walk;
                    }
                    path.pop();
                }
            }
        }
        alone.extend(targets[next.min(targets.len())..].iter().copied());
        for i in alone {
            out.extend(self.analyze_unit_in(doc, &units[i], None, meter)?);
        }
        Ok(out)
    }

    /// The matches after `delta`: only units that changed, were added, were edited (a literal
    /// or name inside them changed), spell an import name whose binding changed, or lie inside
    /// an ancestor node that changed and that a rule's `inside` / `not_inside` template can
    /// match are matched again. A unit edited only inside one of its nested units (a keystroke
    /// in a function edits the module around it) is not, when its last analysis by this
    /// engine read nothing inside its nested units and none of its matches spans one: its own
    /// code is the same, so are its matches, shifted by the host with the edits. `delta` is
    /// relative to the document this engine analysed last (as a host's [`MatchSet`] is).
    /// One step of the document's [`Budget`](crate::Budget), as [`Engine::analyze`].
    pub fn analyze_delta(&self, doc: &Document, delta: &Delta) -> Result<MatchDelta> {
        let meter = Meter::new(doc.budget());
        let mut redo: HashSet<UnitId> = delta
            .changed
            .iter()
            .chain(&delta.added)
            .chain(&delta.edited)
            .chain(&delta.relocated)
            .copied()
            .collect();
        let units = doc.units();
        // Where the tree may differ from before; nodes elsewhere are unchanged.
        let mut spots: Vec<Range<usize>> = delta.changed_ranges.clone();
        // Units matched again because of the imports (never kept below).
        let mut import_redo: HashSet<UnitId> = HashSet::new();
        if delta.imports_changed {
            // Names resolve through the import table only where the code spells them.
            let names = &delta.rebound_names;
            let found = occurrences(doc.text(), names);
            if names.is_empty() {
                import_redo.extend(units.iter().map(|u| u.id));
            }
            for u in units {
                let (s, e) = (u.byte_range.start, u.byte_range.end);
                let i = found.partition_point(|r| r.end < s);
                if found.get(i).is_some_and(|r| r.start <= e) {
                    import_redo.insert(u.id);
                }
            }
            redo.extend(import_redo.iter().copied());
            spots.extend(found);
        }
        // Matches of rules with `inside` / `not_inside` also depend on ancestor nodes: a unit
        // is checked again when one of its ancestors that such a template can match overlaps
        // a changed spot (its subtree, which the template sees, may differ).
        let kinds = self.context_kinds(doc.language())?;
        // A node that is the node of a unit whose code and structure are the same as before has
        // the same subtree: nothing under it changed. (Skipped nodes are not descended.)
        let same = |n: tree_sitter::Node<'_>| {
            let (s, e, k) = (n.start_byte(), n.end_byte(), n.kind_id());
            units_from(units, s)
                .iter()
                .take_while(|u| u.byte_range.start == s)
                .any(|u| u.byte_range.end == e && u.kind_id == k && !redo.contains(&u.id))
        };
        // A node with no unit inside it other than its own is nobody else's context.
        let holds_units = |n: tree_sitter::Node<'_>| {
            let (s, e) = (n.start_byte(), n.end_byte());
            units_from(units, s)
                .iter()
                .take_while(|u| u.byte_range.start <= e)
                .any(|u| u.byte_range.end <= e && (u.byte_range.start, u.byte_range.end) != (s, e))
        };
        let skip = |n: tree_sitter::Node<'_>| same(n) || !holds_units(n);
        let mut outer = outermost_context_nodes(doc.tree(), &spots, kinds.as_ref(), &skip);
        match delta.tree_before() {
            // Ancestors the units had before the edits count too (one may have gone).
            Some(before) => {
                outer.extend(outermost_context_nodes(
                    before,
                    &spots,
                    kinds.as_ref(),
                    &skip,
                ));
            }
            None if !spots.is_empty() || !delta.edits.is_empty() => {
                outer.push(0..doc.text().len());
            }
            None => {}
        }
        outer.sort_unstable_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        outer.dedup();
        // Units only edited (an edit inside one of their nested units: their own code, their
        // fingerprint and their place are the same) whose last analysis read nothing inside
        // their nested units keep their matches, shifted (see `UnitNodes::saw_nested`).
        let mut keep: HashSet<UnitId> = self.unchanged_outers(doc, delta);
        keep.retain(|id| !import_redo.contains(id));
        for r in outer {
            for u in units_from(units, r.start)
                .iter()
                .take_while(|u| u.byte_range.start <= r.end)
            {
                if u.byte_range.end <= r.end
                    && (!redo.contains(&u.id) || keep.contains(&u.id))
                    && self.has_context_candidates(doc, u)?
                {
                    redo.insert(u.id);
                    keep.remove(&u.id);
                }
            }
        }
        redo.retain(|id| !keep.contains(id));
        let mut out = MatchDelta {
            edits: delta.edits.clone(),
            ..MatchDelta::default()
        };
        let targets: Vec<usize> = (0..units.len())
            .filter(|&i| redo.contains(&units[i].id))
            .collect();
        out.units.extend(targets.iter().map(|&i| units[i].id));
        out.matches = self.analyze_units(doc, &targets, &meter)?;
        out.units.extend(delta.removed.iter().copied());
        sort_matches(&mut out.matches);
        Ok(out)
    }

    /// The units of `doc` that `delta` only edited inside their nested units and whose last
    /// analysis by this engine depended on their own code alone ([`Document::set_blind`]):
    /// not added, changed (fingerprint) or changed around their nested units (own code), and
    /// every range of the new text whose syntax may differ lies strictly inside
    /// one of their descendant units, so that their own nodes are the same, only shifted, and
    /// none of their matches spans an edit. Their matches are kept by the host, shifted.
    fn unchanged_outers(&self, doc: &Document, delta: &Delta) -> HashSet<UnitId> {
        let mut out = HashSet::new();
        if self.is_exhaustive() || delta.changed_ranges.is_empty() {
            return out;
        }
        // (`relocated` lists every unit that holds an edit changing its length: these are
        // judged by where the syntax changed instead.)
        let moved: HashSet<UnitId> = delta
            .changed
            .iter()
            .chain(&delta.added)
            .chain(&delta.context_changed)
            .copied()
            .collect();
        let units = doc.units();
        for id in &delta.edited {
            if moved.contains(id) || !doc.is_blind(self.id(), *id) {
                continue;
            }
            let Some(unit) = units.iter().find(|u| u.id == *id) else {
                continue;
            };
            let below = doc.subtree(unit).get(1..).unwrap_or(&[]);
            let inside = |r: &Range<usize>| {
                below
                    .iter()
                    .any(|d| d.byte_range.start < r.start && r.end < d.byte_range.end)
            };
            if delta.changed_ranges.iter().all(inside) {
                out.insert(*id);
            }
        }
        out
    }

    /// Whether any candidate rule of the unit has `inside` / `not_inside` templates.
    fn has_context_candidates(&self, doc: &Document, unit: &Unit) -> Result<bool> {
        let own = &unit.fingerprint.features;
        if !self.may_have_candidates(own) {
            return Ok(false);
        }
        for info in self.db.candidates(doc.language(), own)? {
            if info.matcher == MatcherKind::Rule {
                if let Compiled::Rules(_, true) = &*self.compiled(&info)? {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The node kinds context templates of this language can match (surveyed once).
    fn context_kinds(&self, language: crate::language::Language) -> Result<Option<HashSet<u16>>> {
        if let Some(k) = self
            .context_kinds
            .read()
            .ok()
            .and_then(|m| m.get(&language).cloned())
        {
            return Ok(k);
        }
        let kinds = if self.db.entry_count() > 100_000 {
            None
        } else {
            let mut acc: Option<HashSet<u16>> = Some(HashSet::new());
            for e in 0..self.db.entry_count() {
                let info = self.db.entry(e)?;
                if info.language != language || info.matcher != MatcherKind::Rule {
                    continue;
                }
                if let Compiled::Rules(rules, true) = &*self.compiled(&info)? {
                    for r in rules {
                        match (r.context_kinds(), acc.as_mut()) {
                            (Some(ks), Some(set)) => set.extend(ks),
                            (None, _) => acc = None,
                            _ => {}
                        }
                    }
                }
            }
            acc
        };
        if let Ok(mut m) = self.context_kinds.write() {
            m.insert(language, kinds.clone());
        }
        Ok(kinds)
    }

    /// The matches whose node the unit owns (nested units are separate), within the
    /// document's [`Budget`](crate::Budget).
    pub fn analyze_unit(&self, doc: &Document, unit: &Unit) -> Result<Vec<Match>> {
        self.analyze_unit_in(doc, unit, None, &Meter::new(doc.budget()))
    }

    /// [`Engine::analyze_unit`] charging `meter`: one node for the unit, then what its
    /// feature sets, node walks and rule candidates cost. `at` is the unit's node and its
    /// ancestors (root first) when the caller knows them.
    fn analyze_unit_in<'d>(
        &self,
        doc: &'d Document,
        unit: &Unit,
        at: Option<(tree_sitter::Node<'d>, &'d [tree_sitter::Node<'d>])>,
        meter: &Meter,
    ) -> Result<Vec<Match>> {
        meter.charge(1)?;
        let language = doc.language();
        // Rules are filed under features of the nodes a unit owns; shapes compare a class with
        // its methods, so type-like units look their shapes up with their deep features.
        let own = &unit.fingerprint.features;
        let mut candidates = if self.may_have_candidates(own) {
            self.db.candidates(language, own)?
        } else {
            Vec::new()
        };
        let mut deep: Option<Vec<u64>> = None;
        if unit.kind.is_type_like() {
            let d = deep.insert(doc.deep_features(unit));
            meter.charge(d.len() as u64)?;
            if self.may_have_candidates(d) {
                candidates.retain(|c| c.matcher == MatcherKind::Rule);
                candidates.extend(
                    self.db
                        .candidates(language, d)?
                        .into_iter()
                        .filter(|c| c.matcher == MatcherKind::Shape),
                );
            }
        }
        let mut out: Vec<Match> = Vec::new();
        let mut shapes: Vec<Match> = Vec::new();
        let mut seen: HashSet<(u32, usize, usize)> = HashSet::new();
        // Whether a shape was scored (shapes compare the unit with its nested units).
        let mut scored_shapes = false;
        // The unit's nodes, walked once for all its rules.
        let mut nodes: Option<Option<UnitNodes<'_>>> = None;
        // All of the unit's nodes, nested units included, for shape guards.
        let mut all_nodes: Option<Option<UnitNodes<'_>>> = None;
        let pruning = self.pruning();
        for info in candidates {
            if let Some(p) = &pruning {
                if !self.reported(p, &info)? {
                    continue;
                }
            }
            let compiled = self.compiled(&info)?;
            match &*compiled {
                Compiled::Rules(rules, _) => {
                    let Some(nodes) = nodes.get_or_insert_with(|| {
                        let mut nodes = match at {
                            Some((node, path)) => {
                                UnitNodes::collect_at(doc, unit, node, path, meter)
                            }
                            None => UnitNodes::collect(doc, unit, meter),
                        };
                        if let Some(n) = nodes.as_mut() {
                            n.exhaustive = self.is_exhaustive();
                            n.sanitizer_names = self.sanitizers.read().ok().and_then(|s| s.clone());
                        }
                        nodes
                    }) else {
                        meter.check()?;
                        continue;
                    };
                    for rule in rules {
                        let found = rule.find_in(doc, nodes, meter);
                        meter.check()?;
                        for m in found {
                            let key = (info.pattern, m.byte_range.start, m.byte_range.end);
                            if !seen.insert(key) {
                                // Two rules of a pattern found the same code: a taint path
                                // says more than a syntactic match, whichever rule came first.
                                if m.source.is_some() {
                                    if let Some(o) = out.iter_mut().find(|o| {
                                        (o.pattern, o.byte_range.start, o.byte_range.end) == key
                                            && o.source.is_none()
                                    }) {
                                        o.steps = m.steps;
                                        o.source = m.source;
                                    }
                                }
                                continue;
                            }
                            let fix = rule.fix(doc.text(), &m);
                            let mut found =
                                self.make_match(doc, unit, &info, m.byte_range, 1.0, m.captures);
                            found.fix = fix;
                            found.severity = m.severity.unwrap_or(found.severity);
                            found.steps = m.steps;
                            found.source = m.source;
                            out.push(found);
                        }
                    }
                }
                Compiled::Shape {
                    threshold,
                    refs,
                    require,
                    exclude,
                } => {
                    if unit.kind == UnitKind::Module {
                        continue;
                    }
                    scored_shapes = true;
                    if deep.is_none() {
                        meter.charge(deep.insert(doc.deep_features(unit)).len() as u64)?;
                    }
                    let unit_features: &[u64] = deep.get_or_insert_with(|| doc.deep_features(unit));
                    let score = best_score(refs, unit.kind, unit_features);
                    if score < *threshold {
                        continue;
                    }
                    if !require.is_empty() || !exclude.is_empty() {
                        let Some(all) = all_nodes
                            .get_or_insert_with(|| UnitNodes::collect_deep(doc, unit, meter))
                        else {
                            meter.check()?;
                            continue;
                        };
                        let found = |r: &Rule| !r.find_in(doc, all, meter).is_empty();
                        let rejected = (!require.is_empty() && !require.iter().any(found))
                            || exclude.iter().any(found);
                        meter.check()?;
                        if rejected {
                            continue;
                        }
                    }
                    shapes.push(self.shape_match(doc, unit, &info, score));
                }
            }
        }
        // Whether these matches depend on the unit's own code only (what its nested units hold
        // was never read, no match overlaps one): `analyze_delta` then keeps them, shifted,
        // after an edit inside a nested unit. Types never are (their shapes are looked up with
        // their members' features), nor macros.
        let blind = unit.kind != UnitKind::Macro
            && !unit.kind.is_type_like()
            && !scored_shapes
            && match &nodes {
                Some(Some(n)) => !n.saw_nested() && !out.iter().any(|m| overlaps_nested(n, m)),
                Some(None) => false,
                None => out.is_empty(),
            };
        doc.set_blind(self.id(), unit.id, blind);
        if unit.kind == UnitKind::Macro {
            out.extend(self.macro_matches(doc, unit, at.map(|(n, _)| n), meter)?);
        }
        shapes.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.pattern.cmp(&b.pattern)));
        shapes.truncate(SHAPE_TOP_K);
        out.extend(shapes);
        // Identity: unit, pattern and the match's rank among that pattern's matches in the unit.
        // An edit that leaves the unit's fingerprint alone (whitespace, comments) keeps ranks.
        sort_matches(&mut out);
        let mut rank: HashMap<u32, u64> = HashMap::new();
        for m in &mut out {
            let r = rank.entry(m.pattern).or_default();
            m.id = MatchId(hash::combine(
                hash::combine(hash::combine(unit.id.0, m.pattern as u64), *r),
                0x4d41_5443,
            ));
            *r += 1;
        }
        sort_matches(&mut out);
        Ok(out)
    }

    /// The rule matches in the body of the macro `unit` (see [`crate::macros`]): the body is
    /// analysed as a document of its own and its matches inside the body are moved onto the
    /// macro's unit and the original file's bytes. Nothing when the body is not code.
    fn macro_matches(
        &self,
        doc: &Document,
        unit: &Unit,
        node: Option<tree_sitter::Node<'_>>,
        meter: &Meter,
    ) -> Result<Vec<Match>> {
        let Some(body) = crate::macros::body(doc, unit, node) else {
            return Ok(Vec::new());
        };
        meter.charge(1 + body.inner.len() as u64 / 4)?;
        let variadic = body.variadic.as_deref();
        let mut out = Vec::new();
        for m in self.analyze(&body.doc)? {
            // Shapes score the wrapper function, which is not the macro's code.
            if m.score < 1.0 {
                continue;
            }
            let Some(range) = body.map_range(&m.byte_range) else {
                continue;
            };
            let matched = doc.text().get(range.clone()).unwrap_or("");
            // A macro that defines a function's own name (`#define system(...)
            // (cancel(), system(__VA_ARGS__))`, `#define alloca(x) __builtin_alloca(x)`) is a
            // shim: every use of the name is a call, reported where it is written.
            if crate::macros::calls_own_name(matched, &unit.name) {
                continue;
            }
            // A variadic parameter stands for an argument list, not one argument: a template
            // about a call's exact arguments (`printf($FMT)`: a format and nothing after it)
            // cannot tell what `printf(__VA_ARGS__)` passes.
            if variadic.is_some_and(|v| {
                m.captures
                    .iter()
                    .any(|c| body.doc.text().get(c.byte_range.clone()) == Some(v))
            }) {
                continue;
            }
            let captures = m
                .captures
                .into_iter()
                .filter_map(|c| {
                    Some(Capture {
                        byte_range: body.map_range(&c.byte_range)?,
                        ..c
                    })
                })
                .collect();
            out.push(Match {
                id: MatchId(0),
                unit: unit.id,
                start: doc.position_of(range.start),
                end: doc.position_of(range.end),
                byte_range: range,
                captures,
                steps: m.steps.iter().filter_map(|r| body.map_range(r)).collect(),
                source: m.source.as_ref().and_then(|r| body.map_range(r)),
                fix: m.fix.and_then(|f| {
                    Some(crate::fix::Fix {
                        byte_range: body.map_range(&f.byte_range)?,
                        replacement: f.replacement,
                    })
                }),
                ..m
            });
        }
        Ok(out)
    }

    /// Shape matches for a unit, best first, whatever their threshold and guards (for
    /// `similar`, which helps tune thresholds): every shape entry of the document's language,
    /// scored.
    pub fn similar(&self, doc: &Document, unit: &Unit) -> Result<Vec<Match>> {
        let features = doc.deep_features(unit);
        let mut out = Vec::new();
        for e in 0..self.db.entry_count() {
            let info = self.db.entry(e)?;
            if info.matcher != MatcherKind::Shape || info.language != doc.language() {
                continue;
            }
            if let Compiled::Shape { refs, .. } = &*self.compiled(&info)? {
                let score = best_score(refs, unit.kind, &features);
                if score > 0.0 {
                    out.push(self.shape_match(doc, unit, &info, score));
                }
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.pattern.cmp(&b.pattern)));
        Ok(out)
    }

    /// For small databases, a hash set of every indexed feature rules out most units without
    /// touching the FST.
    fn may_have_candidates(&self, features: &[u64]) -> bool {
        let index = self.small_index.get_or_init(|| {
            let keys = self.db.index_keys(200_000).ok().flatten()?;
            let always = keys.iter().any(|k| *k >= u64::MAX - 16);
            Some((keys, always))
        });
        match index {
            Some((keys, always)) => *always || features.iter().any(|f| keys.contains(f)),
            None => true,
        }
    }

    /// A shape match: the whole unit, with its score.
    fn shape_match(&self, doc: &Document, unit: &Unit, info: &EntryInfo, score: f32) -> Match {
        self.make_match(doc, unit, info, unit.byte_range.clone(), score, Vec::new())
    }

    fn make_match(
        &self,
        doc: &Document,
        unit: &Unit,
        info: &EntryInfo,
        byte_range: Range<usize>,
        score: f32,
        captures: Vec<Capture>,
    ) -> Match {
        Match {
            id: MatchId(0),
            pattern: info.pattern,
            entry: info.entry,
            unit: unit.id,
            start: doc.position_of(byte_range.start),
            end: doc.position_of(byte_range.end),
            byte_range,
            score,
            severity: info.severity,
            captures,
            steps: Vec::new(),
            source: None,
            duplicates: Vec::new(),
            fix: None,
        }
    }

    fn compiled(&self, info: &EntryInfo) -> Result<Arc<Compiled>> {
        if let Some(c) = self
            .compiled
            .read()
            .ok()
            .and_then(|m| m.get(&info.entry).cloned())
        {
            return Ok(c);
        }
        let pattern = self.db.pattern(info.pattern)?;
        let compiled = match &pattern.matcher {
            Matcher::Rules(rules) => {
                let mut out = Vec::new();
                if let Some(r) = rules
                    .get(info.rule as usize)
                    .filter(|r| r.language == info.language)
                {
                    let rule = Rule::compile(info.language, &r.spec()).map_err(|e| {
                        Error::CorruptDatabase {
                            section: "records",
                            reason: format!(
                                "pattern {} has a rule that does not compile: {e}",
                                pattern.id
                            ),
                        }
                    })?;
                    out.push(rule);
                }
                let context = out.iter().any(Rule::has_context);
                Compiled::Rules(out, context)
            }
            Matcher::Shape(shape) => {
                let refs = shape
                    .references
                    .iter()
                    .filter(|r| r.language == info.language)
                    .map(shape::Reference::from_record)
                    .collect();
                let guards = |entries: &[crate::pattern::RuleEntry<'_>]| -> Result<Vec<Rule>> {
                    entries
                        .iter()
                        .filter(|r| r.language == info.language)
                        .map(|r| {
                            Rule::compile(info.language, &r.spec()).map_err(|e| {
                                Error::CorruptDatabase {
                                    section: "records",
                                    reason: format!(
                                        "pattern {} has a shape guard that does not compile: {e}",
                                        pattern.id
                                    ),
                                }
                            })
                        })
                        .collect()
                };
                Compiled::Shape {
                    threshold: shape.threshold,
                    refs,
                    require: guards(&shape.require)?,
                    exclude: guards(&shape.exclude)?,
                }
            }
        };
        let compiled = Arc::new(compiled);
        if let Ok(mut m) = self.compiled.write() {
            m.insert(info.entry, compiled.clone());
        }
        Ok(compiled)
    }
}

/// The byte ranges of the outermost nodes below the root that overlap (or touch) one of
/// `spots` and whose kind is in `kinds` (any kind when `None`): the ancestors whose subtree may
/// have changed that a context template can match. Nodes inside one are not listed, nor nodes
/// for which `skip` holds, nor anything under them.
fn outermost_context_nodes(
    tree: &tree_sitter::Tree,
    spots: &[Range<usize>],
    kinds: Option<&HashSet<u16>>,
    skip: &dyn Fn(tree_sitter::Node<'_>) -> bool,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let root = tree.root_node();
    let mut stack = Vec::new();
    for spot in spots {
        stack.clear();
        stack.push(root);
        while let Some(n) = stack.pop() {
            let mut c = n.walk();
            if !c.goto_first_child() {
                continue;
            }
            loop {
                let k = c.node();
                if k.start_byte() > spot.end {
                    break;
                }
                if k.end_byte() >= spot.start && !skip(k) {
                    if kinds.is_none_or(|set| set.contains(&k.kind_id())) {
                        out.push(k.byte_range());
                    } else {
                        stack.push(k);
                    }
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
    }
    out
}

/// Whether a node below `node` with the same bytes has its kind too (a unit's node is the
/// deepest of those, as [`Document::node_of`] finds it).
fn deeper_twin(node: tree_sitter::Node<'_>) -> bool {
    let mut n = node;
    loop {
        let mut c = n.walk();
        let same = n
            .children(&mut c)
            .find(|ch| ch.byte_range() == node.byte_range());
        match same {
            Some(ch) if ch.kind_id() == node.kind_id() => return true,
            Some(ch) => n = ch,
            None => return false,
        }
    }
}

/// The units (sorted by start, as a document keeps them) from the first that starts at or after
/// byte `start`.
/// True when a byte range of `m` (the match, a capture, a step, the source, the fix) overlaps
/// a unit nested in the unit whose nodes are `nodes`.
fn overlaps_nested(nodes: &UnitNodes<'_>, m: &Match) -> bool {
    std::iter::once(&m.byte_range)
        .chain(m.captures.iter().map(|c| &c.byte_range))
        .chain(&m.steps)
        .chain(&m.source)
        .chain(m.fix.as_ref().map(|f| &f.byte_range))
        .any(|r| nodes.touches_nested(r))
}

fn units_from(units: &[Unit], start: usize) -> &[Unit] {
    &units[units.partition_point(|u| u.byte_range.start < start)..]
}

/// Byte ranges where one of `names` occurs as a whole word (an identifier, not part of a
/// longer one), in order.
fn occurrences(text: &str, names: &[String]) -> Vec<Range<usize>> {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut out = Vec::new();
    for name in names.iter().filter(|n| !n.is_empty()) {
        for (at, _) in text.match_indices(name.as_str()) {
            let end = at + name.len();
            let before = text[..at].chars().next_back().is_some_and(word);
            let after = text[end..].chars().next().is_some_and(word);
            if !before && !after {
                out.push(at..end);
            }
        }
    }
    out.sort_unstable_by_key(|r| (r.start, r.end));
    out
}

pub(crate) fn sort_matches(v: &mut [Match]) {
    v.sort_by(|a, b| {
        (a.byte_range.start, a.byte_range.end, a.pattern, a.id).cmp(&(
            b.byte_range.start,
            b.byte_range.end,
            b.pattern,
            b.id,
        ))
    });
}

/// A host's current matches for one document, kept up to date with [`MatchDelta`]s.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatchSet {
    matches: Vec<Match>,
}

/// What applying a [`MatchDelta`] did, by match identity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchChanges {
    /// Matches that appeared.
    pub added: Vec<MatchId>,
    /// Matches that disappeared.
    pub removed: Vec<MatchId>,
}

impl MatchSet {
    /// A set holding `matches` (from [`Engine::analyze`]).
    pub fn new(mut matches: Vec<Match>) -> MatchSet {
        sort_matches(&mut matches);
        MatchSet { matches }
    }

    /// The matches, sorted by position then pattern.
    pub fn matches(&self) -> &[Match] {
        &self.matches
    }

    /// Applies a delta: drops the matches of recomputed units, shifts the others, adds the new.
    pub fn apply(&mut self, delta: &MatchDelta) -> MatchChanges {
        let redo: HashSet<UnitId> = delta.units.iter().copied().collect();
        let before: HashSet<MatchId> = self
            .matches
            .iter()
            .filter(|m| redo.contains(&m.unit))
            .map(|m| m.id)
            .collect();
        self.matches.retain(|m| !redo.contains(&m.unit));
        for m in &mut self.matches {
            for e in &delta.edits {
                m.byte_range = e.map_offset(m.byte_range.start)..e.map_offset(m.byte_range.end);
                m.start = e.map_position(m.start);
                m.end = e.map_position(m.end);
                for c in &mut m.captures {
                    c.byte_range = e.map_offset(c.byte_range.start)..e.map_offset(c.byte_range.end);
                }
                for s in &mut m.steps {
                    *s = e.map_offset(s.start)..e.map_offset(s.end);
                }
                if let Some(s) = &mut m.source {
                    *s = e.map_offset(s.start)..e.map_offset(s.end);
                }
                if let Some(f) = &mut m.fix {
                    f.byte_range = e.map_offset(f.byte_range.start)..e.map_offset(f.byte_range.end);
                }
            }
        }
        let after: HashSet<MatchId> = delta.matches.iter().map(|m| m.id).collect();
        self.matches.extend(delta.matches.iter().cloned());
        sort_matches(&mut self.matches);
        let mut changes = MatchChanges {
            added: after.difference(&before).copied().collect(),
            removed: before.difference(&after).copied().collect(),
        };
        changes.added.sort();
        changes.removed.sort();
        changes
    }
}
