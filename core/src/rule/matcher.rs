//! The matching engine: one compiled template node against one code node, with metavariable
//! bindings, backtracking over `$$$` sequences and keyword arguments, path comparison through
//! the file's imports, and `where` constraints checked as soon as a metavariable is bound.
//!
//! Recursion follows the *template* (whose depth is bounded at compile time), never the code:
//! parentheses, wrappers, paths and structural equality are walked with loops and cursors, and
//! a step budget bounds backtracking.

use std::ops::Range;

use regex::Regex;
use tree_sitter::{Node, TreeCursor};

use super::lang::{LangInfo, R_IDENT, R_OPTIONAL, R_PATH, R_SEP, R_SET, R_SKIP};
use super::template::{
    path_components, single_named_child, string_parts, Children, TNode, Template, VarId,
};
use super::UnitNodes;
use crate::language::ImportTable;
use crate::language::{F_LITERAL, F_PAREN, F_STRING};

/// Deepest recursion of one match attempt (template nesting plus backtracking frames).
const MAX_MATCH_DEPTH: u32 = 1_000;
/// Node comparisons one match attempt may make before it gives up (as a non-match).
const MAX_STEPS: u32 = 200_000;

/// A compiled `where` constraint on one metavariable.
#[derive(Clone, Debug)]
pub(crate) struct Constraint {
    pub regex: Option<std::sync::Arc<Regex>>,
    /// Allowed kind ids (indexed by kind id), when the constraint names kinds.
    pub kinds: Option<Box<[bool]>>,
    /// Whether the bound code must (or must not) be constant.
    pub constant: Option<bool>,
}

/// What a metavariable is bound to.
#[derive(Clone, Debug)]
pub(crate) enum Bound<'t> {
    One(Node<'t>),
    /// A sequence; `at` is where an empty sequence sits.
    Many {
        nodes: Vec<Node<'t>>,
        at: usize,
    },
}

impl Bound<'_> {
    pub(crate) fn range(&self) -> Range<usize> {
        match self {
            Bound::One(n) => n.byte_range(),
            Bound::Many { nodes, at } => match (nodes.first(), nodes.last()) {
                (Some(a), Some(b)) => a.start_byte()..b.end_byte(),
                _ => *at..*at,
            },
        }
    }
}

/// A sequence being matched: template items against code nodes.
struct Seq<'a, 't> {
    items: &'a [usize],
    code: &'a [Node<'t>],
    parent: Node<'t>,
    /// Succeed once every template item is used, even if code nodes remain (root sequences).
    prefix: bool,
}

/// Matching state for one document; reused across candidates.
pub(crate) struct Matcher<'r, 't> {
    info: &'static LangInfo,
    constraints: &'r [Vec<Constraint>],
    text: &'t str,
    imports: &'t ImportTable,
    pub binds: Vec<Option<Bound<'t>>>,
    trail: Vec<VarId>,
    steps: u32,
    depth: u32,
    pool: Vec<Vec<Node<'t>>>,
    comps: Vec<&'t str>,
    idents: Vec<bool>,
    canon: Vec<&'t str>,
    /// Code nodes consumed by the last successful sequence match.
    pub seq_end: usize,
    /// The unit's nodes, for flow through its locals (`None`: no flow).
    unit: Option<&'r UnitNodes<'t>>,
    /// Whether template nodes match through locals (see [`Matcher::via_local`]).
    through_locals: bool,
    /// Bytes of the definitions the current bindings went through (see [`Matcher::via_local`]).
    pub via: Vec<Range<usize>>,
    /// A cursor kept for [`Matcher::code_children`] (a new one allocates).
    cursor: Option<TreeCursor<'t>>,
}

/// A trail entry that stands for a step pushed on `via`, not a metavariable.
const STEP: VarId = VarId::MAX;

impl<'r, 't> Matcher<'r, 't> {
    pub(crate) fn new(
        info: &'static LangInfo,
        constraints: &'r [Vec<Constraint>],
        text: &'t str,
        imports: &'t ImportTable,
        vars: usize,
        unit: Option<&'r UnitNodes<'t>>,
        through_locals: bool,
    ) -> Self {
        Matcher {
            info,
            constraints,
            text,
            imports,
            binds: vec![None; vars],
            trail: Vec::new(),
            steps: 0,
            depth: 0,
            pool: Vec::new(),
            comps: Vec::new(),
            idents: Vec::new(),
            canon: Vec::new(),
            seq_end: 0,
            unit,
            through_locals,
            via: Vec::new(),
            cursor: None,
        }
    }

    /// Forgets all bindings and budgets before a new candidate.
    pub(crate) fn reset(&mut self) {
        for b in &mut self.binds {
            *b = None;
        }
        self.trail.clear();
        self.via.clear();
        self.steps = 0;
        self.depth = 0;
    }

    /// Gives the next match attempt a full step budget, keeping the bindings.
    pub(crate) fn renew_budget(&mut self) {
        self.steps = 0;
        self.depth = 0;
    }

    /// The current binding mark, for [`Matcher::undo`].
    pub(crate) fn mark(&self) -> usize {
        self.trail.len()
    }

    /// Unbinds every metavariable bound since `mark`.
    pub(crate) fn undo(&mut self, mark: usize) {
        while self.trail.len() > mark {
            match self.trail.pop() {
                Some(STEP) => {
                    self.via.pop();
                }
                Some(v) => self.binds[v] = None,
                None => {}
            }
        }
    }

    /// The document text.
    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    fn src(&self, n: Node<'_>) -> &'t str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    #[inline]
    fn exhausted(&self) -> bool {
        self.steps > MAX_STEPS
    }

    fn take_vec(&mut self) -> Vec<Node<'t>> {
        self.pool.pop().unwrap_or_default()
    }

    fn give_vec(&mut self, mut v: Vec<Node<'t>>) {
        v.clear();
        self.pool.push(v);
    }

    fn unwrap_parens(&self, mut c: Node<'t>) -> Node<'t> {
        while self.info.flags(c.kind_id()) & F_PAREN != 0 {
            match single_named_child(self.info, c) {
                Some(k) => c = k,
                None => break,
            }
        }
        c
    }

    /// Matches a template sequence (a root statement sequence) against `code`, which starts
    /// at the candidate node; on success `seq_end` is the number of code nodes used.
    pub(crate) fn match_root_seq(&mut self, tpl: &Template, code: &[Node<'t>]) -> bool {
        let Some(&first) = code.first() else {
            return false;
        };
        let s = Seq {
            items: &tpl.roots,
            code,
            parent: first,
            prefix: true,
        };
        self.seq(tpl, &s, 0, 0)
    }

    /// Matches template node `t` against code node `c`.
    // Matching recurses once per template level through `match_node` → `children` → `seq`;
    // the work of each case lives in separate non-inlined functions to keep those frames small.
    pub(crate) fn match_node(&mut self, tpl: &Template, t: usize, c: Node<'t>) -> bool {
        if self.exhausted() {
            return false;
        }
        self.steps += 1;
        let c = self.unwrap_parens(c);
        let mark = self.mark();
        let ok = match &tpl.nodes[t] {
            TNode::Inner(ch) => c.kind_id() == ch.kind && self.children(tpl, ch, c, None),
            TNode::SplitCall { callee, children } => {
                c.kind_id() == children.kind && self.split_call(tpl, callee, children, c)
            }
            other => self.terminal(other, c),
        };
        ok || self.via_local(tpl, t, c, mark)
    }

    /// Template node `t` failed on `c`: when `c` names a local of the unit, matches `t`
    /// against the values of the local's definitions before `c` (latest first), recording the
    /// definition as a step. Never for a metavariable (it binds the name itself) nor at a
    /// template's root (a match stays where the code is).
    #[inline(never)]
    fn via_local(&mut self, tpl: &Template, t: usize, c: Node<'t>, mark: usize) -> bool {
        if !self.through_locals
            || self.depth == 0
            || self.depth >= MAX_MATCH_DEPTH
            || c.child_count() != 0
        {
            return false;
        }
        if matches!(
            tpl.nodes[t],
            TNode::Single { .. } | TNode::Multi { .. } | TNode::Token { .. }
        ) {
            return false;
        }
        let Some(unit) = self.unit else {
            return false;
        };
        let Some(locals) = unit.locals(self.info, self.text) else {
            return false;
        };
        if !locals.is_local_use(c) {
            return false;
        }
        self.undo(mark);
        let name = self.src(c);
        let defs: Vec<(Range<usize>, Node<'t>)> = locals
            .reaching(name, c)
            .into_iter()
            .filter_map(|d| Some((d.range.clone(), d.value?)))
            .collect();
        self.depth += 1;
        let mut ok = false;
        for (range, value) in defs {
            if self.exhausted() {
                break;
            }
            let mark = self.mark();
            self.via.push(range);
            self.trail.push(STEP);
            if self.match_node(tpl, t, value) {
                ok = true;
                break;
            }
            self.undo(mark);
        }
        self.depth -= 1;
        ok
    }

    /// Matches the template nodes that do not recurse.
    #[inline(never)]
    fn terminal(&mut self, t: &TNode, c: Node<'t>) -> bool {
        match t {
            TNode::Single { var, wrappers } => {
                if !c.is_named() {
                    return false;
                }
                let mut c = c;
                for &w in wrappers.iter() {
                    if c.kind_id() != w {
                        break;
                    }
                    match self.single_named_before_tail(c) {
                        Some(k) => c = self.unwrap_parens(k),
                        None => return false,
                    }
                }
                self.bind_one(*var, c)
            }
            TNode::Token { kind } => !c.is_named() && c.kind_id() == *kind,
            TNode::Path { comps } => self.path_matches(comps, c),
            TNode::Leaf { kind, text, string } => {
                if c.kind_id() != *kind {
                    return false;
                }
                let ct = self.src(c);
                match string {
                    Some((prefix, content)) => {
                        let (p, body) = string_parts(ct);
                        body == &**content && p.eq_ignore_ascii_case(prefix)
                    }
                    None => ct == &**text,
                }
            }
            TNode::Multi { .. } | TNode::Inner(_) | TNode::SplitCall { .. } => false,
        }
    }

    /// The only named child of `c` that matching compares, leaving out an optional tail
    /// (Kotlin `var $F` unwraps `f: T` to `f`).
    fn single_named_before_tail(&self, c: Node<'t>) -> Option<Node<'t>> {
        let Some(tail) = self.info.tail_token(c.kind_id()) else {
            return single_named_child(self.info, c);
        };
        let mut cursor = c.walk();
        let mut only = None;
        if cursor.goto_first_child() {
            loop {
                let k = cursor.node();
                if !k.is_named() && self.info.canon(k.kind_id()) == tail {
                    break;
                }
                if k.is_named() && !self.info.ignored(k) {
                    if only.is_some() {
                        return None;
                    }
                    only = Some(k);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        only
    }

    fn split_call(
        &mut self,
        tpl: &Template,
        callee: &[Box<str>],
        children: &Children,
        c: Node<'t>,
    ) -> bool {
        let Some(sc) = self.info.split_call else {
            return false;
        };
        let Some(name) = c.child_by_field_name(sc.name) else {
            return false;
        };
        if self.info.rflags(name.kind_id()) & R_IDENT == 0 || name.child_count() > 0 {
            return false;
        }
        let object = c.child_by_field_name(sc.object);
        let mut comps = std::mem::take(&mut self.comps);
        comps.clear();
        self.idents.clear();
        let mut ok = match object {
            Some(o) => path_components(self.info, self.text, o, &mut comps, &mut self.idents),
            None => true,
        };
        if ok {
            comps.push(self.src(name));
            ok = self.path_eq(callee, &comps);
        }
        self.comps = comps;
        ok && self.children(
            tpl,
            children,
            c,
            Some([object.map(|o| o.id()), Some(name.id())]),
        )
    }

    /// True when code node `c` is an identifier or path equal to the template path `t`, as
    /// written or through the file's imports (see the module docs of `rule`).
    fn path_matches(&mut self, t: &[Box<str>], c: Node<'t>) -> bool {
        let rf = self.info.rflags(c.kind_id());
        let mut comps = std::mem::take(&mut self.comps);
        comps.clear();
        let ok = if c.child_count() == 0 {
            if rf & R_IDENT != 0 {
                comps.push(self.src(c));
                true
            } else {
                false
            }
        } else if rf & R_PATH != 0 {
            self.idents.clear();
            path_components(self.info, self.text, c, &mut comps, &mut self.idents)
        } else {
            false
        };
        let ok = ok && self.path_eq(t, &comps);
        self.comps = comps;
        ok
    }

    fn path_eq(&mut self, t: &[Box<str>], comps: &[&'t str]) -> bool {
        fn same(a: &[Box<str>], b: &[&str]) -> bool {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| &**x == *y)
        }
        if same(t, comps) {
            return true;
        }
        let Some(&first) = comps.first() else {
            return false;
        };
        let mut canon = std::mem::take(&mut self.canon);
        canon.clear();
        match self.imports.resolve(first) {
            Some(q) => {
                canon.extend(q.split(['.', '/', ':']).filter(|s| !s.is_empty()));
                canon.extend_from_slice(&comps[1..]);
            }
            None => canon.extend_from_slice(comps),
        }
        let ok = same(t, &canon)
            || (t.len() >= 2 && canon.len() >= t.len() && same(t, &canon[canon.len() - t.len()..]));
        self.canon = canon;
        ok
    }

    /// Matches the children of `c` (already known to have the template's kind).
    fn children(
        &mut self,
        tpl: &Template,
        ch: &Children,
        c: Node<'t>,
        split: Option<[Option<usize>; 2]>,
    ) -> bool {
        if self.depth >= MAX_MATCH_DEPTH {
            return false;
        }
        self.depth += 1;
        let kids = self.code_children(ch, c, split);
        let ok = if self.info.rflags(ch.kind) & R_SET != 0 {
            self.set(tpl, ch, c, &kids)
        } else if ch.kw.is_empty() && !kids.iter().any(|k| self.info.is_keyword(*k)) {
            let s = Seq {
                items: &ch.pos,
                code: &kids,
                parent: c,
                prefix: false,
            };
            self.seq(tpl, &s, 0, 0)
        } else {
            self.with_keywords(tpl, ch, c, &kids)
        };
        self.give_vec(kids);
        self.depth -= 1;
        ok
    }

    /// The children of code node `c` that matching compares against `ch`.
    #[inline(never)]
    fn code_children(
        &mut self,
        ch: &Children,
        c: Node<'t>,
        split: Option<[Option<usize>; 2]>,
    ) -> Vec<Node<'t>> {
        let mut kids = self.take_vec();
        // One cursor for every call: a new cursor allocates its stack.
        let mut cursor = match self.cursor.take() {
            Some(mut cursor) => {
                cursor.reset(c);
                cursor
            }
            None => c.walk(),
        };
        // The template left out this tail (`= value`): drop its token and the node after it.
        let tail = self
            .info
            .tail_token(c.kind_id())
            .filter(|t| !ch.opt_kinds.contains(t));
        let mut in_tail = false;
        if cursor.goto_first_child() {
            loop {
                let k = cursor.node();
                // Text the parser could not read (an ERROR node, which error recovery may mark
                // as an extra) is passed over like any extra, unless it holds a statement's
                // end or a brace: then the node around it spans two statements and is not what
                // the template says (`= delete; ~T()` recovered as `delete <ERROR ;> ~T()`),
                // while `delete [] *p` recovered as `delete <ERROR [] *> p` still is a delete.
                let spans_statements = k.is_error()
                    && self
                        .text
                        .get(k.byte_range())
                        .is_some_and(|t| t.contains([';', '{', '}']));
                let skip = !spans_statements && self.info.ignored(k)
                    || split.is_some_and(|ids| {
                        ids.contains(&Some(k.id()))
                            || (!k.is_named() && self.info.rflags(k.kind_id()) & R_SEP != 0)
                    });
                let starts_tail = !k.is_named() && Some(self.info.canon(k.kind_id())) == tail;
                let dropped = !skip && (in_tail || starts_tail || self.optional(ch, k, &cursor));
                if dropped && (in_tail || starts_tail) {
                    in_tail = !k.is_named();
                } else if dropped && k.is_named() {
                    // Also drop the tokens that introduce it (`else`, `->`, `:`); an optional
                    // token (TypeScript `static`) goes alone.
                    if let Some(last) = kids.iter().rposition(|l| l.is_named()) {
                        kids.truncate(last + 1);
                    }
                } else if !skip && !dropped {
                    kids.push(k);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        self.cursor = Some(cursor);
        kids
    }

    /// Children with keyword arguments: those match in any order, the rest in sequence.
    fn with_keywords(
        &mut self,
        tpl: &Template,
        ch: &Children,
        c: Node<'t>,
        kids: &[Node<'t>],
    ) -> bool {
        let mut pos = self.take_vec();
        let mut kws = self.take_vec();
        for &k in kids {
            if self.info.is_keyword(k) {
                kws.push(k);
            } else {
                pos.push(k);
            }
        }
        let ok = if ch.kw.len() > kws.len() || (!ch.has_multi && ch.kw.len() != kws.len()) {
            false
        } else {
            let mut used = vec![false; kws.len()];
            let s = Seq {
                items: &ch.pos,
                code: &pos,
                parent: c,
                prefix: false,
            };
            self.keywords(tpl, &ch.kw, &kws, &mut used, &s)
        };
        self.give_vec(pos);
        self.give_vec(kws);
        ok
    }

    /// Children that form a set (modifiers): every template child matches a distinct code
    /// child, in any order; the code may have more. `$$$` items add nothing.
    #[inline(never)]
    fn set(&mut self, tpl: &Template, ch: &Children, c: Node<'t>, kids: &[Node<'t>]) -> bool {
        let items: Vec<usize> = ch
            .pos
            .iter()
            .chain(ch.kw.iter())
            .copied()
            .filter(|&i| !matches!(tpl.nodes[i], TNode::Multi { .. }))
            .collect();
        if items.len() > kids.len() {
            return false;
        }
        let mut used = vec![false; kids.len()];
        let rest = Seq {
            items: &[],
            code: &[],
            parent: c,
            prefix: false,
        };
        self.keywords(tpl, &items, kids, &mut used, &rest)
    }

    /// True when code child `k` (under `cursor`, which gives its field) is something the
    /// template left out.
    fn optional(&self, ch: &Children, k: Node<'t>, cursor: &TreeCursor<'t>) -> bool {
        if !k.is_named() {
            return self.info.rflags(k.kind_id()) & R_OPTIONAL != 0
                && !ch.opt_kinds.contains(&k.kind_id());
        }
        // (The field only for named children: finding it costs a walk of the field map.)
        if let Some(f) = cursor.field_id() {
            if self.info.omittable(f.get()) && ch.fields.binary_search(&f.get()).is_err() {
                return true;
            }
        }
        self.info.rflags(k.kind_id()) & R_OPTIONAL != 0 && !ch.opt_kinds.contains(&k.kind_id())
    }

    /// Assigns each template keyword argument to a distinct code keyword argument (any
    /// order), then matches the positional items.
    fn keywords(
        &mut self,
        tpl: &Template,
        tkw: &[usize],
        kws: &[Node<'t>],
        used: &mut [bool],
        rest: &Seq<'_, 't>,
    ) -> bool {
        let Some((&first, others)) = tkw.split_first() else {
            return self.seq(tpl, rest, 0, 0);
        };
        if self.depth >= MAX_MATCH_DEPTH {
            return false;
        }
        self.depth += 1;
        let mut ok = false;
        for j in 0..kws.len() {
            if used[j] || self.exhausted() {
                continue;
            }
            let mark = self.mark();
            if self.match_node(tpl, first, kws[j]) {
                used[j] = true;
                if self.keywords(tpl, others, kws, used, rest) {
                    ok = true;
                    break;
                }
                used[j] = false;
            }
            self.undo(mark);
        }
        self.depth -= 1;
        ok
    }

    /// Matches `s.items[ti..]` against `s.code[ci..]`; `$$$` items try every length, shortest
    /// first, and skippable code nodes (catch clauses) are matched or passed over. Other items
    /// advance in a loop, so recursion only grows with `$$$`s and skippable nodes.
    fn seq(&mut self, tpl: &Template, s: &Seq<'_, 't>, mut ti: usize, mut ci: usize) -> bool {
        loop {
            if ti == s.items.len() {
                if s.prefix || ci == s.code.len() {
                    self.seq_end = ci;
                    return true;
                }
                if s.code[ci..].iter().all(|&k| self.skippable(k)) {
                    self.seq_end = s.code.len();
                    return true;
                }
                return false;
            }
            if let TNode::Multi { var } = tpl.nodes[s.items[ti]] {
                return self.multi(tpl, s, ti, ci, var);
            }
            if ci >= s.code.len() {
                return false;
            }
            if self.skippable(s.code[ci]) {
                // Match it or pass over it (another catch clause of the code may be the one).
                if self.depth >= MAX_MATCH_DEPTH {
                    return false;
                }
                let mark = self.mark();
                self.depth += 1;
                let ok = self.match_node(tpl, s.items[ti], s.code[ci])
                    && self.seq(tpl, s, ti + 1, ci + 1);
                self.depth -= 1;
                if ok {
                    return true;
                }
                self.undo(mark);
                ci += 1;
                continue;
            }
            if !self.match_node(tpl, s.items[ti], s.code[ci]) {
                return false;
            }
            ti += 1;
            ci += 1;
        }
    }

    /// True for code nodes a sequence may pass over (catch clauses).
    #[inline]
    fn skippable(&self, k: Node<'t>) -> bool {
        self.info.rflags(k.kind_id()) & R_SKIP != 0
    }

    /// `s.items[ti]` is a `$$$`: tries its possible lengths, shortest first.
    fn multi(
        &mut self,
        tpl: &Template,
        s: &Seq<'_, 't>,
        ti: usize,
        ci: usize,
        var: Option<VarId>,
    ) -> bool {
        let rest = &s.items[ti + 1..];
        let rest_min = rest
            .iter()
            .filter(|&&i| !matches!(tpl.nodes[i], TNode::Multi { .. }))
            .count();
        let avail = s.code.len() - ci;
        if avail < rest_min || self.depth >= MAX_MATCH_DEPTH {
            return false;
        }
        // Without another `$$$` after this one, its length is fixed by what is left.
        let fixed = !s.prefix && rest_min == rest.len();
        let lengths = if fixed {
            avail - rest_min..=avail - rest_min
        } else {
            0..=avail - rest_min
        };
        self.depth += 1;
        let at = empty_at(s.code, ci, s.parent);
        let mut ok = false;
        for k in lengths {
            if self.exhausted() {
                break;
            }
            self.steps += 1;
            let mark = self.mark();
            if self.bind_many(var, &s.code[ci..ci + k], at) && self.seq(tpl, s, ti + 1, ci + k) {
                ok = true;
                break;
            }
            self.undo(mark);
        }
        self.depth -= 1;
        ok
    }

    fn bind_one(&mut self, var: Option<VarId>, c: Node<'t>) -> bool {
        // A token tree-sitter invented to recover from a syntax error (zero width, not in the
        // text) is nothing a metavariable can stand for: `= delete;` in a member declaration
        // the grammar lost track of reads as `delete <MISSING>;`. Nor is an ERROR node, text
        // the parser could not read: after a macro line such as `ABSL_NAMESPACE_BEGIN`,
        // `operator=(…) = delete;` recovers as `delete <ERROR ;> ~Notification()`.
        if c.is_missing() || c.is_error() {
            return false;
        }
        let Some(v) = var else {
            return true;
        };
        if let Some(u) = self.unit {
            u.note_read(&c.byte_range());
        }
        match &self.binds[v] {
            Some(Bound::One(prev)) => {
                let prev = *prev;
                self.equal(&[prev], &[c])
            }
            Some(Bound::Many { .. }) => false,
            None => {
                if !self.check(v, &[c], c.byte_range()) {
                    return false;
                }
                self.binds[v] = Some(Bound::One(c));
                self.trail.push(v);
                true
            }
        }
    }

    fn bind_many(&mut self, var: Option<VarId>, nodes: &[Node<'t>], at: usize) -> bool {
        if nodes.iter().any(|n| n.is_missing()) {
            return false;
        }
        let Some(v) = var else {
            return true;
        };
        if let (Some(u), Some(a), Some(b)) = (self.unit, nodes.first(), nodes.last()) {
            u.note_read(&(a.start_byte()..b.end_byte()));
        }
        match &self.binds[v] {
            Some(Bound::Many { nodes: prev, .. }) => {
                let prev = prev.clone();
                prev.len() == nodes.len() && self.equal(&prev, nodes)
            }
            Some(Bound::One(_)) => false,
            None => {
                let range = match (nodes.first(), nodes.last()) {
                    (Some(a), Some(b)) => a.start_byte()..b.end_byte(),
                    _ => at..at,
                };
                if !self.check(v, nodes, range) {
                    return false;
                }
                self.binds[v] = Some(Bound::Many {
                    nodes: nodes.to_vec(),
                    at,
                });
                self.trail.push(v);
                true
            }
        }
    }

    /// The `where` constraints of metavariable `v` on a candidate binding.
    fn check(&self, v: VarId, nodes: &[Node<'t>], range: Range<usize>) -> bool {
        let Some(cons) = self.constraints.get(v) else {
            return true;
        };
        for con in cons {
            if let Some(want) = con.constant {
                let locals = self.unit.and_then(|u| u.locals(self.info, self.text));
                let constant = nodes
                    .iter()
                    .all(|&n| super::flow::is_constant(self.info, locals, self.text, n));
                if constant != want {
                    return false;
                }
                // Not constant, but only sanitised values besides constants: not dynamic either.
                let declared = self.unit.and_then(|u| u.sanitizer_names.as_deref());
                if !want
                    && nodes
                        .iter()
                        .all(|&n| super::flow::is_clean(self.info, locals, self.text, n, declared))
                {
                    return false;
                }
            }
            if let Some(kinds) = &con.kinds {
                let all = nodes
                    .iter()
                    .all(|n| kinds.get(n.kind_id() as usize).copied().unwrap_or(false));
                if !all {
                    return false;
                }
            }
            if let Some(re) = &con.regex {
                let text = self.text.get(range.clone()).unwrap_or("");
                let mut ok = re.is_match(text);
                if !ok {
                    if let [n] = nodes {
                        if self.info.flags(n.kind_id()) & F_STRING != 0 {
                            ok = re.is_match(string_parts(text).1);
                        }
                    }
                }
                if !ok {
                    return false;
                }
            }
        }
        true
    }

    /// Structural equality of two node lists: the same kinds in the same shape and the same
    /// leaf texts, ignoring comments, punctuation and parentheses around one expression.
    fn equal(&mut self, a: &[Node<'t>], b: &[Node<'t>]) -> bool {
        let mut x = Tokens::new(a);
        let mut y = Tokens::new(b);
        loop {
            self.steps += 1;
            match (x.next(self.info), y.next(self.info)) {
                (None, None) => return true,
                (Some(p), Some(q)) => {
                    if p.kind_id() != q.kind_id() {
                        return false;
                    }
                    let leaf_p =
                        p.child_count() == 0 || self.info.flags(p.kind_id()) & F_LITERAL != 0;
                    if leaf_p {
                        let (tp, tq) = (self.src(p), self.src(q));
                        let same = if self.info.flags(p.kind_id()) & F_STRING != 0 {
                            let (pp, cp) = string_parts(tp);
                            let (pq, cq) = string_parts(tq);
                            cp == cq && pp.eq_ignore_ascii_case(pq)
                        } else {
                            tp == tq
                        };
                        if !same {
                            return false;
                        }
                    }
                }
                _ => return false,
            }
        }
    }
}

/// Where an empty `$$$` between `code[ci - 1]` and `code[ci]` sits.
fn empty_at(code: &[Node<'_>], ci: usize, parent: Node<'_>) -> usize {
    if let Some(n) = code.get(ci) {
        return n.start_byte();
    }
    if ci > 0 {
        if let Some(n) = code.get(ci - 1) {
            return n.end_byte();
        }
    }
    let mut c = parent.walk();
    if c.goto_first_child() {
        let f = c.node();
        if !f.is_named() && matches!(f.kind(), "(" | "[" | "{") {
            return f.end_byte();
        }
    }
    parent.start_byte()
}

/// Pre-order stream of the significant nodes of a list of subtrees (see [`Matcher::equal`]).
struct Tokens<'a, 't> {
    roots: &'a [Node<'t>],
    next_root: usize,
    cursor: Option<TreeCursor<'t>>,
    depth: usize,
    /// Whether to descend into the node under the cursor when advancing.
    descend: bool,
}

impl<'a, 't> Tokens<'a, 't> {
    fn new(roots: &'a [Node<'t>]) -> Self {
        Tokens {
            roots,
            next_root: 0,
            cursor: None,
            depth: 0,
            descend: false,
        }
    }

    fn next(&mut self, info: &LangInfo) -> Option<Node<'t>> {
        loop {
            let node = match &mut self.cursor {
                None => {
                    let root = *self.roots.get(self.next_root)?;
                    self.next_root += 1;
                    self.cursor = Some(root.walk());
                    self.depth = 0;
                    root
                }
                Some(c) => {
                    let mut moved = self.descend && c.goto_first_child();
                    if moved {
                        self.depth += 1;
                    } else {
                        while self.depth > 0 {
                            if c.goto_next_sibling() {
                                moved = true;
                                break;
                            }
                            c.goto_parent();
                            self.depth -= 1;
                        }
                    }
                    if !moved {
                        self.cursor = None;
                        continue;
                    }
                    c.node()
                }
            };
            if info.ignored(node) {
                self.descend = false;
                continue;
            }
            let flags = info.flags(node.kind_id());
            if flags & F_PAREN != 0 && single_named_child(info, node).is_some() {
                self.descend = true;
                continue;
            }
            self.descend = node.child_count() > 0 && flags & F_LITERAL == 0;
            return Some(node);
        }
    }
}
