//! The node-kind table of a language: the vocabulary a language module fills in ([`Spec`]: which
//! kinds are units, identifiers, literals, calls, attributes, comparisons…) and its resolution to
//! tree-sitter kind ids ([`KindTable`]), so the hot loops do array lookups, not string compares.
//! No language is named here: the tables themselves live in the language modules.

use tree_sitter::Node;

use super::Language;
use crate::hash;
use crate::unit::UnitKind;

// ---------------------------------------------------------------------------------------------
// Static per-language specification.

/// Which child of a node a rule talks about.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Child {
    /// The child in this field.
    Field(&'static str),
    /// The first named child.
    FirstNamed,
    /// The last named child.
    LastNamed,
    /// The first named child, only when there are at least two (Kotlin `name = value`).
    FirstOfMany,
    /// The first named child of this kind.
    Kind(&'static str),
}

impl Child {
    /// Selects the child of `node` this rule names.
    pub(crate) fn select<'t>(self, node: Node<'t>) -> Option<Node<'t>> {
        match self {
            Child::Field(f) => node.child_by_field_name(f),
            Child::FirstNamed => node.named_child(0),
            Child::LastNamed => node.named_child(node.named_child_count().checked_sub(1)? as u32),
            Child::FirstOfMany => {
                if node.named_child_count() >= 2 {
                    node.named_child(0)
                } else {
                    None
                }
            }
            Child::Kind(k) => {
                let mut c = node.walk();
                let found = node.named_children(&mut c).find(|n| n.kind() == k);
                found
            }
        }
    }
}

/// How the name of a unit is found.
#[derive(Clone, Copy, Debug)]
pub(crate) enum NameRule {
    /// The text of a child (or its first identifier).
    Child(Child),
    /// Follow `declarator` fields (or first named children) down to the first node of one of
    /// these kinds: the declared name (C and C++ functions).
    Declarator(&'static [&'static str]),
    /// A fixed name (`constructor`, `<lambda>`).
    Fixed(&'static str),
    /// Named by the parent node (`f = lambda: …`); the unit only exists when named.
    FromParent,
}

/// One kind of node that forms a unit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UnitRule {
    pub kind: &'static str,
    pub unit: UnitKind,
    pub name: NameRule,
    /// The node is a unit only when this field is present (a struct *definition*, not a use).
    pub requires_field: Option<&'static str>,
    /// The node is a unit only when this field's node has the given kind (Go `type_spec`).
    pub field_kind: Option<(&'static str, &'static str)>,
}

/// A unit rule with no further condition.
pub(super) const fn unit(kind: &'static str, unit: UnitKind, name: NameRule) -> UnitRule {
    UnitRule {
        kind,
        unit,
        name,
        requires_field: None,
        field_kind: None,
    }
}
/// A unit rule for a definition: the node is a unit only when it has a `body` (a struct
/// definition, not a use of the struct type).
pub(super) const fn unit_with_body(kind: &'static str, unit: UnitKind, name: NameRule) -> UnitRule {
    UnitRule {
        kind,
        unit,
        name,
        requires_field: Some("body"),
        field_kind: None,
    }
}

/// A unit only when its node has the field `field` (a `#define` with a value).
pub(super) const fn unit_with_field(
    kind: &'static str,
    unit: UnitKind,
    name: NameRule,
    field: &'static str,
) -> UnitRule {
    UnitRule {
        kind,
        unit,
        name,
        requires_field: Some(field),
        field_kind: None,
    }
}

/// The common case: a unit named by its `name` field.
pub(super) const NAME: NameRule = NameRule::Child(Child::Field("name"));

/// What an anchored position means; all are kept by name in fingerprints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// The function part of a call.
    Callee,
    /// The name part of an attribute or member access.
    Attribute,
    /// A keyword-argument or option-key name.
    Keyword,
}

/// The per-language table. Node kind names are tree-sitter's.
pub(crate) struct Spec {
    pub units: &'static [UnitRule],
    pub identifiers: &'static [&'static str],
    /// Literal nodes, abstracted to their kind and never descended into.
    pub literals: &'static [&'static str],
    /// The string literals among `literals`.
    pub strings: &'static [&'static str],
    pub comments: &'static [&'static str],
    /// Wrappers that do not change meaning when they hold one expression.
    pub parens: &'static [&'static str],
    /// Call-like nodes and the child that names the callee.
    pub calls: &'static [(&'static str, Child)],
    /// Attribute-like nodes and the child that holds the attribute name.
    pub attributes: &'static [(&'static str, Child)],
    /// Keyword-argument-like nodes and the child that holds the keyword.
    pub keyword_args: &'static [(&'static str, Child)],
    /// Imports and includes: whole subtree anchored.
    pub imports: &'static [&'static str],
    /// Qualified paths, decorators, annotations: whole subtree anchored.
    pub paths: &'static [&'static str],
    /// Comparisons (`==`, `<`, `is`…): their operator tokens become features.
    pub comparisons: &'static [&'static str],
    /// Other operator nodes whose operator tokens become features.
    pub operators: &'static [&'static str],
    /// Parents that give a name to an anonymous function child (`f = lambda: …`).
    pub namers: &'static [(&'static str, Child)],
    /// Parents climbed through when looking for a namer (Go `expression_list`).
    pub namer_passthrough: &'static [&'static str],
    /// Method names that make a method a constructor.
    pub constructor_names: &'static [&'static str],
}

// ---------------------------------------------------------------------------------------------
// The resolved table: kind ids → flags, so the hot loop does array lookups, not string compares.

pub(crate) const F_IDENT: u16 = 1;
pub(crate) const F_LITERAL: u16 = 1 << 1;
pub(crate) const F_STRING: u16 = 1 << 2;
pub(crate) const F_COMMENT: u16 = 1 << 3;
pub(crate) const F_PAREN: u16 = 1 << 4;
pub(crate) const F_IMPORT: u16 = 1 << 5;
pub(crate) const F_PATH: u16 = 1 << 6;
pub(crate) const F_COMPARISON: u16 = 1 << 7;
pub(crate) const F_OPERATOR: u16 = 1 << 8;
pub(crate) const F_UNIT: u16 = 1 << 9;
pub(crate) const F_ANCHOR_PARENT: u16 = 1 << 10;
pub(crate) const F_NAMER: u16 = 1 << 11;
/// Code inside a string literal: an f-string `{…}`, a template literal `${…}`, a Kotlin `${…}`.
pub(crate) const F_SUBSTITUTION: u16 = 1 << 12;

/// Node kinds that hold code inside a string literal (in every grammar that has one).
const SUBSTITUTIONS: &[&str] = &["interpolation", "template_substitution"];

/// Kind-id–indexed view of a [`Spec`].
pub(crate) struct KindTable {
    pub language: Language,
    /// Flags per kind id.
    pub flags: Vec<u16>,
    /// Stable hash of each kind's name.
    pub kind_hash: Vec<u64>,
    /// Unit rules per kind id (usually zero or one).
    pub unit_rules: Vec<Vec<UnitRule>>,
    /// Anchor rules per parent kind id.
    pub anchor_rules: Vec<Vec<(Child, Anchor)>>,
    /// Namer rules per parent kind id.
    pub namer_rules: Vec<Option<Child>>,
    /// Kind ids of namer pass-through parents.
    pub passthrough: Vec<bool>,
    pub spec: &'static Spec,
}

impl KindTable {
    pub(super) fn build(language: Language) -> KindTable {
        let grammar = language.grammar();
        let spec = language.spec();
        let n = grammar.node_kind_count();
        let mut t = KindTable {
            language,
            flags: vec![0; n],
            kind_hash: Vec::with_capacity(n),
            unit_rules: vec![Vec::new(); n],
            anchor_rules: vec![Vec::new(); n],
            namer_rules: vec![None; n],
            passthrough: vec![false; n],
            spec,
        };
        for id in 0..n {
            let name = grammar.node_kind_for_id(id as u16).unwrap_or("");
            let named = grammar.node_kind_is_named(id as u16);
            t.kind_hash.push(hash::tagged(TAG_KIND, name));
            let has = |list: &[&str]| named && list.contains(&name);
            let mut f = 0;
            if has(spec.identifiers) {
                f |= F_IDENT;
            }
            if has(spec.literals) {
                f |= F_LITERAL;
            }
            if has(spec.strings) {
                f |= F_STRING;
            }
            if has(spec.comments) {
                f |= F_COMMENT;
            }
            if has(spec.parens) {
                f |= F_PAREN;
            }
            if has(spec.imports) {
                f |= F_IMPORT;
            }
            if has(spec.paths) {
                f |= F_PATH;
            }
            if has(spec.comparisons) {
                f |= F_COMPARISON;
            }
            if has(spec.operators) {
                f |= F_OPERATOR;
            }
            if has(SUBSTITUTIONS) {
                f |= F_SUBSTITUTION;
            }
            if named {
                for r in spec.units.iter().filter(|r| r.kind == name) {
                    t.unit_rules[id].push(*r);
                    f |= F_UNIT;
                }
                let anchors = spec
                    .calls
                    .iter()
                    .map(|&(k, c)| (k, c, Anchor::Callee))
                    .chain(
                        spec.attributes
                            .iter()
                            .map(|&(k, c)| (k, c, Anchor::Attribute)),
                    )
                    .chain(
                        spec.keyword_args
                            .iter()
                            .map(|&(k, c)| (k, c, Anchor::Keyword)),
                    );
                for (k, c, a) in anchors {
                    if k == name {
                        t.anchor_rules[id].push((c, a));
                        f |= F_ANCHOR_PARENT;
                    }
                }
                if let Some(&(_, c)) = spec.namers.iter().find(|(k, _)| *k == name) {
                    t.namer_rules[id] = Some(c);
                    f |= F_NAMER;
                }
                t.passthrough[id] = spec.namer_passthrough.contains(&name);
            }
            t.flags[id] = f;
        }
        t
    }

    #[inline]
    pub(crate) fn flags(&self, kind_id: u16) -> u16 {
        self.flags.get(kind_id as usize).copied().unwrap_or(0)
    }

    /// The unit kind of `node`, if it is a unit node (the name is resolved separately).
    pub(crate) fn unit_rule(&self, node: Node<'_>) -> Option<&UnitRule> {
        let rules = self.unit_rules.get(node.kind_id() as usize)?;
        rules.iter().find(|r| {
            r.requires_field
                .is_none_or(|f| node.child_by_field_name(f).is_some())
                && r.field_kind
                    .is_none_or(|(f, k)| node.child_by_field_name(f).is_some_and(|c| c.kind() == k))
        })
    }
}

/// Domain tags that keep the hash spaces of different feature families apart.
pub(crate) const TAG_KIND: u64 = 0x4b49_4e44; // "KIND"
