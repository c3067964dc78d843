//! The one pass over a syntax tree that finds units and fingerprints them.
//!
//! The walk is iterative (an explicit frame stack, never recursion), so nesting depth only costs
//! heap. Node hashes are Merkle-style: a node's hash combines its kind with its children's
//! hashes, so a unit that an edit did not touch is not walked again: its stored hash and shape
//! stand in for its whole subtree (see [`Reuse`]).

use std::collections::HashMap;
use std::sync::Arc;

use tree_sitter::Node;

use crate::budget::Meter;
use crate::error::Result;
use crate::fingerprint::{features, Fingerprint, TAG_LEAF, TAG_SHAPE2, TAG_SHAPE3};
use crate::hash;
use crate::language::{
    ImportTable, KindTable, Language, NameRule, F_ANCHOR_PARENT, F_COMMENT, F_COMPARISON, F_IDENT,
    F_IMPORT, F_LITERAL, F_OPERATOR, F_PAREN, F_PATH, F_STRING, F_SUBSTITUTION, F_UNIT,
};
use crate::unit::{Position, Unit, UnitId, UnitKind};

/// A unit as the walk finds it, before the document gives it an identity.
#[derive(Clone, Debug)]
pub(crate) struct RawUnit {
    pub kind: UnitKind,
    pub name: Arc<str>,
    /// Prefix for the qualified name that does not come from nesting (Go method receivers).
    pub qual_prefix: Option<String>,
    pub byte_range: std::ops::Range<usize>,
    pub start: Position,
    pub end: Position,
    pub parent: Option<usize>,
    pub depth: u32,
    pub fingerprint: Fingerprint,
    pub kind_id: u16,
    pub shape2: u64,
    pub own_hash: u64,
    /// Index of the old unit this one was copied from, when reused untouched.
    pub reused: Option<usize>,
}

/// Untouched units of the previous version of a document, already shifted to new coordinates.
pub(crate) struct Reuse<'a> {
    pub old: &'a [Unit],
    /// (start byte, end byte, kind id) → index in `old`, for units no edit touched.
    pub clean: HashMap<(usize, usize, u16), usize>,
    pub index_of: &'a HashMap<UnitId, usize>,
    /// Old qualified-name prefixes (Go receivers) by old index.
    pub qual_prefix: &'a [Option<String>],
}

#[derive(Clone, Copy)]
struct Res {
    merkle: u64,
    /// Hash of the node with nested units reduced to a marker: what changes when the code
    /// around a nested unit changes, but not its inside.
    own: u64,
    token: u64,
    shape2: u64,
}

struct Frame {
    kind_hash: u64,
    anchored: bool,
    import_ctx: bool,
    op: bool,
    paren: bool,
    named_children: u32,
    last_named: Option<Res>,
    anchor_children: [usize; 2],
    merkle: u64,
    own: u64,
    shape2: u64,
    shape3: u64,
    named: bool,
    has_children: bool,
    unit: Option<usize>,
    /// Inside a string literal that holds code: the walk only collects the code's name and
    /// operator features (what rules are filed under), which join the unit's features; the
    /// literal hashes as a leaf, as any literal does, so the structural hash does not change.
    in_literal: bool,
    /// The leaf result of a literal that holds code, returned when its frame finishes.
    literal: Option<Res>,
}

/// Finds and fingerprints every unit under `root` (the module is unit 0), charging `meter`
/// one node per tree node walked and per unit reused; fails when the meter runs over.
pub(crate) fn walk(
    language: Language,
    root: Node<'_>,
    text: &str,
    imports: &ImportTable,
    reuse: Option<&Reuse<'_>>,
    meter: &Meter,
) -> Result<Vec<RawUnit>> {
    let table = language.table();
    let mut w = Walker {
        table,
        text,
        imports,
        reuse,
        meter,
        units: Vec::new(),
        unit_stack: Vec::new(),
        pool: Vec::new(),
    };
    w.run(root);
    meter.check()?;
    Ok(w.units)
}

struct Walker<'a> {
    table: &'static KindTable,
    text: &'a str,
    imports: &'a ImportTable,
    reuse: Option<&'a Reuse<'a>>,
    meter: &'a Meter,
    units: Vec<RawUnit>,
    /// (unit index, its own features so far)
    unit_stack: Vec<(usize, Vec<u64>)>,
    pool: Vec<Vec<u64>>,
}

impl<'a> Walker<'a> {
    fn src(&self, n: Node<'_>) -> &'a str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    fn run(&mut self, root: Node<'_>) {
        let kind_hash = self.kind_hash(root.kind_id());
        self.units.push(RawUnit {
            kind: UnitKind::Module,
            name: Arc::from(""),
            qual_prefix: None,
            byte_range: 0..self.text.len(),
            start: Position::default(),
            end: root.end_position().into(),
            parent: None,
            depth: 0,
            fingerprint: Fingerprint {
                hash: 0,
                features: Arc::from([]),
            },
            kind_id: root.kind_id(),
            shape2: 0,
            own_hash: 0,
            reused: None,
        });
        self.unit_stack.push((0, Vec::new()));
        let mut frames: Vec<Frame> = vec![self.frame(root, kind_hash, false, false, Some(0))];
        // The ancestors of the current node, root first: `Node::parent` walks down from the
        // root (linear in depth), so lookups upwards read this path instead.
        let mut path: Vec<Node<'_>> = vec![root];
        let mut cursor = root.walk();
        if cursor.goto_first_child() {
            'outer: loop {
                if !self.meter.ok(1) {
                    // The caller reports the error; what was walked is dropped.
                    return;
                }
                let node = cursor.node();
                let parent = frames
                    .last_mut()
                    .expect("a parent frame while inside the tree");
                if let Some(frame) = self.enter(node, parent, &path) {
                    frames.push(frame);
                    path.push(node);
                    if cursor.goto_first_child() {
                        continue;
                    }
                    path.pop();
                    let f = frames.pop().expect("frame just pushed");
                    let res = self.finish(f);
                    let parent = frames.last_mut().expect("parent frame");
                    fold(parent, res, node.is_named());
                }
                loop {
                    if cursor.goto_next_sibling() {
                        continue 'outer;
                    }
                    if !cursor.goto_parent() {
                        break 'outer;
                    }
                    path.pop();
                    let f = frames.pop().expect("one frame per ancestor");
                    let named = f.named;
                    let res = self.finish(f);
                    match frames.last_mut() {
                        Some(parent) => fold(parent, res, named),
                        None => break 'outer,
                    }
                }
            }
        }
        // The root's frame is finished here when the loop ended without popping it.
        if let Some(f) = frames.pop() {
            debug_assert!(frames.is_empty());
            let _ = self.finish(f);
        }
    }

    #[inline]
    fn kind_hash(&self, kind_id: u16) -> u64 {
        self.table
            .kind_hash
            .get(kind_id as usize)
            .copied()
            .unwrap_or(0)
    }

    fn frame(
        &self,
        node: Node<'_>,
        kind_hash: u64,
        anchored: bool,
        import_ctx: bool,
        unit: Option<usize>,
    ) -> Frame {
        let flags = self.table.flags(node.kind_id());
        let mut anchor_children = [usize::MAX; 2];
        if flags & F_ANCHOR_PARENT != 0 {
            let rules = &self.table.anchor_rules[node.kind_id() as usize];
            for (slot, (child, _anchor)) in anchor_children.iter_mut().zip(rules.iter()) {
                if let Some(c) = child.select(node) {
                    *slot = c.id();
                }
            }
        }
        Frame {
            kind_hash,
            anchored: anchored || flags & F_PATH != 0,
            import_ctx: import_ctx || flags & F_IMPORT != 0,
            op: flags & (F_COMPARISON | F_OPERATOR) != 0,
            paren: flags & F_PAREN != 0,
            named_children: 0,
            last_named: None,
            anchor_children,
            merkle: kind_hash,
            own: kind_hash,
            shape2: hash::combine(TAG_SHAPE2, kind_hash),
            shape3: hash::combine(TAG_SHAPE3, kind_hash),
            named: node.is_named(),
            has_children: false,
            unit,
            in_literal: false,
            literal: None,
        }
    }

    fn push_feature(&mut self, f: u64) {
        if let Some((_, feats)) = self.unit_stack.last_mut() {
            feats.push(f);
        }
    }

    fn push_name(&mut self, text: &str) {
        self.push_feature(features::name(text));
        if let Some(q) = self.imports.resolve(text) {
            let fs: Vec<u64> = features::qualified_name(q).collect();
            for f in fs {
                self.push_feature(f);
            }
        }
    }

    /// Enters `node`; returns a frame when the walk must descend into it, and otherwise folds
    /// the node's result into `parent` itself.
    fn enter(&mut self, node: Node<'_>, parent: &mut Frame, path: &[Node<'_>]) -> Option<Frame> {
        let kind_id = node.kind_id();
        let flags = self.table.flags(kind_id);
        if flags & F_COMMENT != 0 {
            return None;
        }
        let kind_hash = self.kind_hash(kind_id);
        let id = node.id();
        let mut anchored =
            parent.anchored || (parent.anchor_children[0] == id || parent.anchor_children[1] == id);
        let mut import_ctx = parent.import_ctx;

        let mut unit = None;
        if flags & F_UNIT != 0 && !parent.in_literal {
            if let Some(res) = self.try_reuse(node, path) {
                fold(parent, res, true);
                self.push_feature(features::unit_marker(kind_hash));
                return None;
            }
            if let Some((kind, name, qual_prefix)) = self.unit_of(node, path) {
                anchored = false;
                import_ctx = false;
                let parent_unit = self.unit_stack.last().map(|(i, _)| *i);
                let depth = parent_unit.map(|p| self.units[p].depth + 1).unwrap_or(0);
                let idx = self.units.len();
                self.units.push(RawUnit {
                    kind,
                    name: Arc::from(name),
                    qual_prefix,
                    byte_range: node.byte_range(),
                    start: node.start_position().into(),
                    end: node.end_position().into(),
                    parent: parent_unit,
                    depth,
                    fingerprint: Fingerprint {
                        hash: 0,
                        features: Arc::from([]),
                    },
                    kind_id,
                    shape2: 0,
                    own_hash: 0,
                    reused: None,
                });
                let feats = self.pool.pop().unwrap_or_default();
                self.unit_stack.push((idx, feats));
                unit = Some(idx);
            }
        }

        let is_leaf = flags & F_LITERAL != 0 || node.child_count() == 0;
        if is_leaf && unit.is_none() {
            let res = self.leaf(node, flags, kind_hash, anchored, import_ctx, parent.op);
            if flags & F_LITERAL != 0 && !import_ctx && self.holds_code(node) {
                // Walk the code inside for its features; the literal stays a leaf.
                let mut f = self.frame(node, kind_hash, false, false, None);
                f.in_literal = true;
                f.literal = Some(res);
                return Some(f);
            }
            fold(parent, res, node.is_named());
            return None;
        }
        let mut f = self.frame(node, kind_hash, anchored, import_ctx, unit);
        f.in_literal = parent.in_literal;
        Some(f)
    }

    fn leaf(
        &mut self,
        node: Node<'_>,
        flags: u16,
        kind_hash: u64,
        anchored: bool,
        import_ctx: bool,
        parent_op: bool,
    ) -> Res {
        if flags & F_LITERAL != 0 {
            if import_ctx && flags & F_STRING != 0 {
                let text = self
                    .src(node)
                    .trim_matches(|c| c == '"' || c == '\'' || c == '`');
                let m = hash::combine(kind_hash, hash::bytes(text.as_bytes()));
                self.push_feature(features::name(text));
                let fs: Vec<u64> = features::qualified_name(text).collect();
                for f in fs {
                    self.push_feature(f);
                }
                return Res {
                    merkle: m,
                    own: m,
                    token: m,
                    shape2: m,
                };
            }
            self.push_feature(features::literal_kind(kind_hash));
            let m = hash::combine(TAG_LEAF, kind_hash);
            return Res {
                merkle: m,
                own: m,
                token: kind_hash,
                shape2: kind_hash,
            };
        }
        if flags & F_IDENT != 0 && (anchored || import_ctx) {
            let text = self.src(node);
            let m = hash::combine(kind_hash, hash::bytes(text.as_bytes()));
            self.push_name(text);
            return Res {
                merkle: m,
                own: m,
                token: m,
                shape2: m,
            };
        }
        if parent_op && !node.is_named() {
            self.push_feature(features::operator(node.kind()));
        }
        Res {
            merkle: kind_hash,
            own: kind_hash,
            token: kind_hash,
            shape2: kind_hash,
        }
    }

    /// Whether a literal node has code in it: a substitution child, or a literal child that has
    /// one (Python's implicit concatenation `f"{a}" "b"` is a literal of string literals).
    fn holds_code(&self, node: Node<'_>) -> bool {
        let mut c = node.walk();
        let found = node.named_children(&mut c).any(|k| {
            let flags = self.table.flags(k.kind_id());
            flags & F_SUBSTITUTION != 0 || (flags & F_LITERAL != 0 && self.holds_code(k))
        });
        found
    }

    fn finish(&mut self, f: Frame) -> Res {
        if let Some(res) = f.literal {
            return res;
        }
        if f.in_literal {
            return Res {
                merkle: f.merkle,
                own: f.own,
                token: f.kind_hash,
                shape2: f.shape2,
            };
        }
        let transparent = if f.paren && f.named_children == 1 {
            f.last_named
        } else {
            None
        };
        let mut res = match transparent {
            Some(inner) => inner,
            None => {
                if f.named && f.has_children {
                    self.push_feature(f.shape2);
                    self.push_feature(f.shape3);
                }
                Res {
                    merkle: f.merkle,
                    own: f.own,
                    token: f.kind_hash,
                    shape2: f.shape2,
                }
            }
        };
        if let Some(idx) = f.unit {
            let (i, mut feats) = self.unit_stack.pop().expect("unit frame has a unit entry");
            debug_assert_eq!(i, idx);
            feats.sort_unstable();
            feats.dedup();
            let u = &mut self.units[idx];
            u.fingerprint = Fingerprint {
                hash: res.merkle,
                features: Arc::from(feats.as_slice()),
            };
            u.shape2 = res.shape2;
            u.own_hash = res.own;
            res.own = features::unit_marker(f.kind_hash);
            feats.clear();
            self.pool.push(feats);
            if idx != 0 {
                self.push_feature(features::unit_marker(f.kind_hash));
            }
        }
        res
    }

    /// Reuses an untouched unit of the previous version: copies it and its nested units.
    fn try_reuse(&mut self, node: Node<'_>, path: &[Node<'_>]) -> Option<Res> {
        let reuse = self.reuse?;
        let &oi = reuse
            .clean
            .get(&(node.start_byte(), node.end_byte(), node.kind_id()))?;
        // tree-sitter may rebuild error regions differently without reporting a changed range,
        // so units containing syntax errors are always walked again.
        if node.has_error() {
            return None;
        }
        let rule = *self.table.unit_rule(node)?;
        let old = &reuse.old[oi];
        // The name lies inside the untouched node, except for lambdas named by their parent.
        let name = match rule.name {
            NameRule::FromParent => Arc::from(self.name_from_parent(node, path)?),
            _ => old.name.clone(),
        };
        let parent_unit = self.unit_stack.last().map(|(i, _)| *i);
        let kind = if old.kind.is_callable() && old.kind != UnitKind::Lambda {
            self.refine_callable(rule.unit, &name, parent_unit)
        } else {
            old.kind
        };
        let depth = parent_unit.map(|p| self.units[p].depth + 1).unwrap_or(0);
        let base = self.units.len();
        self.units.push(RawUnit {
            kind,
            name,
            qual_prefix: reuse.qual_prefix.get(oi).cloned().flatten(),
            byte_range: node.byte_range(),
            start: node.start_position().into(),
            end: node.end_position().into(),
            parent: parent_unit,
            depth,
            fingerprint: old.fingerprint.clone(),
            kind_id: old.kind_id,
            shape2: old.shape2,
            own_hash: old.own_hash,
            reused: Some(oi),
        });
        let mut k = oi + 1;
        while k < reuse.old.len() && reuse.old[k].depth > old.depth {
            if !self.meter.ok(1) {
                break;
            }
            let u = &reuse.old[k];
            // Nested units are contiguous in pre-order: the parent's new index is its offset.
            let parent = u
                .parent
                .and_then(|p| reuse.index_of.get(&p))
                .map(|&pi| base + (pi - oi));
            self.units.push(RawUnit {
                kind: u.kind,
                name: u.name.clone(),
                qual_prefix: reuse.qual_prefix.get(k).cloned().flatten(),
                byte_range: u.byte_range.clone(),
                start: u.start,
                end: u.end,
                parent,
                depth: depth + (u.depth - old.depth),
                fingerprint: u.fingerprint.clone(),
                kind_id: u.kind_id,
                shape2: u.shape2,
                own_hash: u.own_hash,
                reused: Some(k),
            });
            k += 1;
        }
        let kind_hash = self.kind_hash(node.kind_id());
        Some(Res {
            merkle: old.fingerprint.hash,
            own: features::unit_marker(kind_hash),
            token: kind_hash,
            shape2: old.shape2,
        })
    }

    /// Function → method inside a type, method → constructor by name.
    fn refine_callable(&self, base: UnitKind, name: &str, parent_unit: Option<usize>) -> UnitKind {
        let parent = parent_unit.map(|p| &self.units[p]);
        let mut kind = base;
        if kind == UnitKind::Function && parent.is_some_and(|p| p.kind.is_type_like()) {
            kind = UnitKind::Method;
        }
        if kind == UnitKind::Method {
            let is_ctor = self.table.spec.constructor_names.contains(&name)
                || (self.table.language.def().units.constructor_is_type_name
                    && parent.is_some_and(|p| &*p.name == name));
            if is_ctor {
                kind = UnitKind::Constructor;
            }
        }
        kind
    }

    /// Decides whether `node` is a unit: its kind, name and (Go) qualified-name prefix.
    fn unit_of(
        &self,
        node: Node<'_>,
        path: &[Node<'_>],
    ) -> Option<(UnitKind, String, Option<String>)> {
        let rule = *self.table.unit_rule(node)?;
        let name = match rule.name {
            NameRule::Child(c) => c
                .select(node)
                .map(|n| self.name_text(n))
                .unwrap_or_default(),
            NameRule::Declarator(names) => self.declarator_name(node, names).unwrap_or_default(),
            NameRule::Fixed(s) => s.to_string(),
            NameRule::FromParent => self.name_from_parent(node, path)?,
        };
        let mut kind = rule.unit;
        let mut qual_prefix = None;
        let quirks = &self.table.language.def().units;
        if let Some(refine) = quirks.refine_kind {
            kind = refine(node, kind);
        }
        if kind.is_callable() && kind != UnitKind::Lambda {
            kind = self.refine_callable(kind, &name, self.unit_stack.last().map(|(i, _)| *i));
        }
        if let Some(owner) = quirks.owner {
            qual_prefix = owner(node, self.text).map(|s| cut_name(s).to_string());
        }
        Some((kind, name, qual_prefix))
    }

    fn name_text(&self, n: Node<'_>) -> String {
        let text = self.src(n).replace("::", ".");
        cut_name(&text).to_string()
    }

    fn declarator_name(&self, node: Node<'_>, names: &[&str]) -> Option<String> {
        let mut n = node.child_by_field_name("declarator")?;
        for _ in 0..16 {
            if names.contains(&n.kind()) {
                return Some(self.name_text(n));
            }
            n = n
                .child_by_field_name("declarator")
                .or_else(|| n.named_child(0))?;
        }
        None
    }

    /// The name a parent gives a lambda (`f = lambda: …`); `path` holds `node`'s ancestors,
    /// root first.
    fn name_from_parent(&self, node: Node<'_>, path: &[Node<'_>]) -> Option<String> {
        let mut up = path.iter().rev();
        let mut parent = *up.next()?;
        for _ in 0..2 {
            if self
                .table
                .passthrough
                .get(parent.kind_id() as usize)
                .copied()
                .unwrap_or(false)
            {
                parent = *up.next()?;
            }
        }
        let rule = self
            .table
            .namer_rules
            .get(parent.kind_id() as usize)
            .copied()
            .flatten()?;
        let target = rule.select(parent)?;
        if target.start_byte() <= node.start_byte() && target.end_byte() >= node.end_byte() {
            return None;
        }
        let name = self.name_text(target);
        let name = name.trim_matches(|c| c == '"' || c == '\'');
        (!name.is_empty()).then(|| name.to_string())
    }
}

/// Cuts a declared name at the first character that cannot be part of it (generics, params…).
fn cut_name(s: &str) -> &str {
    let s = s.trim();
    let end = s
        .find(|c: char| {
            matches!(
                c,
                '<' | '(' | '{' | '=' | ',' | ':' | '\n' | ' ' | '\t' | '['
            )
        })
        .unwrap_or(s.len());
    s[..end].trim()
}

#[inline]
fn fold(parent: &mut Frame, res: Res, named: bool) {
    parent.has_children = true;
    parent.merkle = hash::combine(parent.merkle, res.merkle);
    parent.own = hash::combine(parent.own, res.own);
    parent.shape2 = hash::combine(parent.shape2, res.token);
    parent.shape3 = hash::combine(parent.shape3, res.shape2);
    if named {
        parent.named_children += 1;
        parent.last_named = Some(res);
    }
}
