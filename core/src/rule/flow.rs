//! Flow through the locals of one unit: which definitions bind a name ([`Locals`]) and whether
//! an expression is a constant ([`Locals::is_constant`]). It reads only the nodes the unit owns
//! (never a nested unit's, never the enclosing unit's), so a unit's matches still depend on the
//! unit alone and incremental results stay exact. No type or call analysis here.
//!
//! Definitions are flow-insensitive within the unit: for values, a use sees every definition
//! that ends before it in the text (a later assignment, or one later in a loop body, never
//! flows backwards); for constants, every definition of the name in the unit counts, so a loop
//! that reassigns a name after its use makes it non-constant.

use std::collections::HashMap;
use std::num::NonZeroU16;
use std::ops::Range;
use std::sync::OnceLock;

use tree_sitter::Node;

use super::lang::LangInfo;
use super::template::single_named_child;
use crate::language::{Language, F_IDENT, F_LITERAL, F_PAREN, F_STRING, F_SUBSTITUTION};

/// A grammar's field id.
type FieldId = NonZeroU16;

/// How many definitions deep constant evaluation follows a name (`a = "x"; b = a; c = b`).
const MAX_HOPS: u32 = 8;

/// Kinds that list several targets or values (`a, b = x, y`, Go `a, b := x, y`); targets and
/// values pair by position when both lists have the same length.
const LIST_KINDS: &[&str] = &[
    "pattern_list",
    "tuple_pattern",
    "expression_list",
    "list_pattern",
    "tuple_expression",
];

/// The language's [`FlowFacts`](crate::language::FlowFacts) by kind and field id.
pub(crate) struct FlowTable {
    /// Per kind id: (target field, value field) of a definition.
    defs: Vec<Option<(FieldId, FieldId)>>,
    /// Per kind id: a binder, with its field (`None`: the whole node).
    binders: Vec<Option<Option<FieldId>>>,
    /// Per kind id: constant when all named children are.
    operators: Vec<bool>,
    lists: Vec<bool>,
    operator_field: Option<FieldId>,
    /// Upper-case names no definition binds are constants (C/C++ macros and enumerators).
    upper_case_constants: bool,
    /// Per kind id: a definition without fields, (target kind ids, token name).
    token_defs: Vec<Option<(Vec<u16>, &'static str)>>,
    /// Per kind id: child kind ids whose identifiers are bound to an unknown value.
    kind_binders: Vec<Vec<u16>>,
    /// Per kind id: constant whatever its operands (`sizeof`).
    constant_kinds: Vec<bool>,
    /// Function-like macros that are constants whatever their argument (normalized names).
    constant_calls: &'static [&'static str],
    /// `call_expression`-like kinds: (function field, arguments field) per kind id.
    calls: Vec<Option<(FieldId, FieldId)>>,
}

impl FlowTable {
    /// The table of `language`, built once per process.
    pub(crate) fn get(language: Language) -> &'static FlowTable {
        static TABLES: [OnceLock<FlowTable>; Language::ALL.len()] =
            [const { OnceLock::new() }; Language::ALL.len()];
        TABLES[language as usize].get_or_init(|| FlowTable::build(language))
    }

    fn build(language: Language) -> FlowTable {
        let grammar = language.grammar();
        let facts = &language.def().rules.flow;
        let n = grammar.node_kind_count();
        let field = |f: &str| grammar.field_id_for_name(f);
        let ids = |name: &str| -> Vec<u16> {
            (0..n as u16)
                .filter(|&id| {
                    grammar.node_kind_for_id(id) == Some(name) && grammar.node_kind_is_named(id)
                })
                .collect()
        };
        let mut t = FlowTable {
            defs: vec![None; n],
            binders: vec![None; n],
            operators: vec![false; n],
            lists: vec![false; n],
            operator_field: field("operator"),
            upper_case_constants: language.def().rules.upper_case_constants,
            token_defs: vec![None; n],
            kind_binders: vec![Vec::new(); n],
            constant_kinds: vec![false; n],
            constant_calls: facts.constant_calls,
            calls: vec![None; n],
        };
        for &kind in facts.constant_kinds {
            for id in ids(kind) {
                t.constant_kinds[id as usize] = true;
            }
        }
        // Python and JavaScript: for the pure calls of constants (see `pure_call`).
        let pure = matches!(
            language,
            Language::Python | Language::JavaScript | Language::TypeScript | Language::Tsx
        );
        if !facts.constant_calls.is_empty() || t.upper_case_constants || pure {
            if let (Some(ff), Some(af)) = (field("function"), field("arguments")) {
                for id in ids("call_expression").into_iter().chain(ids("call")) {
                    t.calls[id as usize] = Some((ff, af));
                }
            }
        }
        for &(kind, targets, token) in facts.token_defs {
            let targets: Vec<u16> = targets.iter().flat_map(|t| ids(t)).collect();
            for id in ids(kind) {
                t.token_defs[id as usize] = Some((targets.clone(), token));
            }
        }
        for &(kind, child) in facts.kind_binders {
            let child = ids(child);
            for id in ids(kind) {
                t.kind_binders[id as usize].extend(child.iter().copied());
            }
        }
        for &(kind, target, value) in facts.defs {
            if let (Some(tf), Some(vf)) = (field(target), field(value)) {
                for id in ids(kind) {
                    t.defs[id as usize] = Some((tf, vf));
                }
            }
        }
        for &(kind, f) in facts.binders {
            let f = if f.is_empty() {
                None
            } else {
                match field(f) {
                    Some(f) => Some(f),
                    None => continue,
                }
            };
            for id in ids(kind) {
                t.binders[id as usize] = Some(f);
            }
        }
        for &kind in facts.operators {
            for id in ids(kind) {
                t.operators[id as usize] = true;
            }
        }
        for &kind in LIST_KINDS {
            for id in ids(kind) {
                t.lists[id as usize] = true;
            }
        }
        t
    }
}

/// One definition of a local.
#[derive(Clone, Debug)]
pub(crate) struct Def<'t> {
    /// Bytes of the definition (the assignment or declarator; the name for a binder).
    pub range: Range<usize>,
    /// The value it binds, when flow knows it.
    pub value: Option<Node<'t>>,
    /// The defining node (the assignment or declarator; the name for a binder).
    node: Node<'t>,
}

impl<'t> Def<'t> {
    /// The defining node (the assignment or declarator; the name for a binder).
    pub(crate) fn node(&self) -> Node<'t> {
        self.node
    }
}

/// The definitions of the locals of one unit, by name, in document order.
pub(crate) struct Locals<'t> {
    info: &'static LangInfo,
    table: &'static FlowTable,
    text: &'t str,
    by_name: HashMap<&'t str, Vec<Def<'t>>>,
    /// The file's imports, where a C/C++ file's constants are bound to
    /// [`crate::language::FILE_CONSTANT`] (a name no definition of the unit binds is constant
    /// when the file defines it so).
    file: Option<&'t crate::language::ImportTable>,
}

impl<'t> Locals<'t> {
    /// Collects the definitions among `owned`, the named nodes a unit owns in document order.
    pub(crate) fn collect(
        info: &'static LangInfo,
        text: &'t str,
        owned: impl Iterator<Item = Node<'t>>,
    ) -> Locals<'t> {
        let table = FlowTable::get(info.language);
        let mut l = Locals {
            info,
            table,
            text,
            by_name: HashMap::new(),
            file: None,
        };
        for node in owned {
            let k = node.kind_id() as usize;
            if let Some(Some((tf, vf))) = table.defs.get(k) {
                l.definition(node, *tf, *vf);
            } else if let Some(Some((targets, token))) = table.token_defs.get(k) {
                l.token_definition(node, targets, token);
            } else if let Some(kids) = table.kind_binders.get(k).filter(|v| !v.is_empty()) {
                let mut c = node.walk();
                let bound: Vec<Node<'t>> = node
                    .named_children(&mut c)
                    .filter(|n| kids.contains(&n.kind_id()))
                    .collect();
                for t in bound {
                    l.unknown(t, None);
                }
            } else if let Some(Some(field)) = table.binders.get(k) {
                match field {
                    None => l.unknown(node, None),
                    Some(f) => {
                        let mut c = node.walk();
                        let kids: Vec<Node<'t>> = node.children_by_field_id(*f, &mut c).collect();
                        for t in kids {
                            l.unknown(t, None);
                        }
                    }
                }
            }
        }
        l
    }

    /// The bytes every definition spans and every known value, in no order: what flow may
    /// read of the unit's code beyond the nodes a template visits.
    pub(crate) fn spans(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.by_name
            .values()
            .flatten()
            .flat_map(|d| std::iter::once(d.range.clone()).chain(d.value.map(|v| v.byte_range())))
    }

    /// The same locals, seeing the file's constants bound in `file` (see [`Locals::file`]).
    pub(crate) fn with_file(mut self, file: &'t crate::language::ImportTable) -> Locals<'t> {
        self.file = Some(file);
        self
    }

    fn src(&self, n: Node<'_>) -> &'t str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    fn is_ident(&self, n: Node<'_>) -> bool {
        n.child_count() == 0 && self.info.flags(n.kind_id()) & F_IDENT != 0
    }

    fn push(&mut self, name: Node<'t>, def: Def<'t>) {
        let key = self.src(name);
        if !key.is_empty() {
            self.by_name.entry(key).or_default().push(def);
        }
    }

    /// Every identifier under `n` is bound to an unknown value, by `def` (or by itself).
    fn unknown(&mut self, n: Node<'t>, def: Option<(Range<usize>, Node<'t>)>) {
        let mut c = n.walk();
        loop {
            let k = c.node();
            // `const { a, b } = obj`: JavaScript's shorthand pattern names a local too.
            if self.is_ident(k) || k.kind() == "shorthand_property_identifier_pattern" {
                let (range, node) = def.clone().unwrap_or((k.byte_range(), k));
                self.push(
                    k,
                    Def {
                        range,
                        value: None,
                        node,
                    },
                );
            }
            if c.goto_first_child() {
                continue;
            }
            loop {
                if c.node().id() == n.id() {
                    return;
                }
                if c.goto_next_sibling() {
                    break;
                }
                if !c.goto_parent() {
                    return;
                }
            }
        }
    }

    fn definition(&mut self, node: Node<'t>, tf: FieldId, vf: FieldId) {
        let mut c = node.walk();
        let targets: Vec<Node<'t>> = node.children_by_field_id(tf, &mut c).collect();
        let values: Vec<Node<'t>> = node.children_by_field_id(vf, &mut c).collect();
        let plain = match self
            .table
            .operator_field
            .and_then(|f| node.child_by_field_id(f.get()))
        {
            Some(op) => matches!(self.src(op), "=" | ":="),
            None => true,
        };
        let flatten = |list: Vec<Node<'t>>, table: &FlowTable| -> Vec<Node<'t>> {
            match list.as_slice() {
                [one] if table.lists[one.kind_id() as usize] => {
                    let mut c = one.walk();
                    one.named_children(&mut c).collect()
                }
                _ => list,
            }
        };
        let targets: Vec<Node<'t>> = flatten(targets, self.table)
            .into_iter()
            .map(|t| self.declared_name(t))
            .collect();
        let values = flatten(values, self.table);
        let range = node.byte_range();
        for (i, t) in targets.iter().enumerate() {
            let value = if plain && targets.len() == values.len() {
                Some(values[i])
            } else {
                None
            };
            if self.is_ident(*t) {
                self.push(
                    *t,
                    Def {
                        range: range.clone(),
                        value,
                        node,
                    },
                );
            } else {
                self.unknown(*t, Some((range.clone(), node)));
            }
        }
    }

    /// The name a C/C++ declarator declares, when the value it binds is the name's value:
    /// through a pointer declarator (`const char *fmt = "%d"`), and through an array declarator
    /// only in a `const` declaration (a mutable array's contents change without an
    /// assignment). Anything else is returned as it is (and binds an unknown value unless it is
    /// a plain identifier).
    fn declared_name(&self, mut t: Node<'t>) -> Node<'t> {
        loop {
            let inner = match t.kind() {
                "pointer_declarator" => t.child_by_field_name("declarator"),
                "array_declarator" if self.in_const_declaration(t) => {
                    t.child_by_field_name("declarator")
                }
                _ => None,
            };
            match inner {
                Some(i) => t = i,
                None => return t,
            }
        }
    }

    /// True when the declaration around `declarator` has a `const` qualifier.
    fn in_const_declaration(&self, declarator: Node<'t>) -> bool {
        let mut p = declarator.parent();
        while let Some(n) = p {
            if n.kind() == "declaration" {
                let mut c = n.walk();
                let found = n
                    .children(&mut c)
                    .any(|k| k.kind() == "type_qualifier" && self.src(k) == "const");
                return found;
            }
            p = n.parent();
        }
        false
    }

    /// A definition of a grammar without fields (see `FlowFacts::token_defs`).
    fn token_definition(&mut self, node: Node<'t>, targets: &[u16], token: &str) {
        let mut c = node.walk();
        let kids: Vec<Node<'t>> = node.children(&mut c).collect();
        let Some(target) = kids
            .iter()
            .find(|k| k.is_named() && targets.contains(&k.kind_id()))
        else {
            return;
        };
        let value = kids
            .iter()
            .position(|k| !k.is_named() && k.kind() == token)
            .and_then(|i| kids[i + 1..].iter().find(|k| k.is_named()).copied());
        let range = node.byte_range();
        let name = {
            let mut c = target.walk();
            let first = target.named_children(&mut c).next();
            first.filter(|f| self.is_ident(*f))
        };
        match name {
            Some(name) if !self.table.lists[target.kind_id() as usize] => {
                self.push(name, Def { range, value, node })
            }
            _ => self.unknown(*target, Some((range, node))),
        }
    }

    /// The definitions of `name` in the unit, in document order.
    pub(crate) fn all(&self, name: &str) -> &[Def<'t>] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The definitions of `name` that may reach `at`: those that end before it, latest first,
    /// down to the first that every path to `at` runs through (one in straight-line code
    /// around `at`, not in a branch or loop body of its own), which hides the earlier ones.
    pub(crate) fn reaching(&self, name: &str, at: Node<'t>) -> Vec<&Def<'t>> {
        let pos = at.start_byte();
        let mut out = Vec::new();
        // A definition inside a nested function (a callback folded into this unit) reaches
        // only uses inside that function: sibling handlers do not share locals.
        let encloses = |d: &Def<'t>| {
            let mut p = d.node.parent();
            while let Some(a) = p {
                if self.info.maybe_unit(a.kind_id()) {
                    return a.start_byte() <= pos && at.end_byte() <= a.end_byte();
                }
                p = a.parent();
            }
            true
        };
        // A comprehension's own target (`for k, v in …` of `[(k, v) for k, v in …]`) is the
        // only definition a use inside that comprehension sees, though it follows the use in
        // the text: earlier assignments of the name do not reach it.
        if let Some(d) = self.all(name).iter().rev().find(|d| {
            comprehension_of(d.node)
                .is_some_and(|c| c.start_byte() <= pos && at.end_byte() <= c.end_byte())
        }) {
            return vec![d];
        }
        for d in self
            .all(name)
            .iter()
            .rev()
            .filter(|d| d.range.end <= pos && encloses(d))
        {
            out.push(d);
            if dominates(d.node, at) {
                break;
            }
        }
        out
    }

    /// True when `n` is a use of a local the unit defines: an identifier, not the member
    /// part of a path (`q` in `x.q`).
    pub(crate) fn is_local_use(&self, n: Node<'t>) -> bool {
        if !self.is_ident(n) || !self.by_name.contains_key(self.src(n)) {
            return false;
        }
        match n.parent() {
            // The key of a `{key: value}` pair names a property, not the local.
            Some(p)
                if p.child_by_field_name("key")
                    .is_some_and(|k| k.id() == n.id()) =>
            {
                false
            }
            Some(p) if self.info.rflags(p.kind_id()) & super::lang::R_PATH != 0 => {
                let mut c = p.walk();
                let first = p.named_children(&mut c).find(|k| !self.info.ignored(*k));
                first.is_some_and(|f| f.id() == n.id())
            }
            _ => true,
        }
    }
}

/// True when `n` is a constant: a literal (a string without substitutions), an operator over
/// constants only, or (with `locals`) a local whose every definition in the unit is constant.
pub(crate) fn is_constant(
    info: &'static LangInfo,
    locals: Option<&Locals<'_>>,
    text: &str,
    n: Node<'_>,
) -> bool {
    constant(info, FlowTable::get(info.language), locals, text, n, 0)
}

fn constant(
    info: &LangInfo,
    table: &FlowTable,
    locals: Option<&Locals<'_>>,
    text: &str,
    mut n: Node<'_>,
    hops: u32,
) -> bool {
    while info.flags(n.kind_id()) & F_PAREN != 0 {
        match single_named_child(info, n) {
            Some(k) => n = k,
            None => break,
        }
    }
    let flags = info.flags(n.kind_id());
    if flags & F_STRING != 0 {
        return !has_substitution(info, text, n);
    }
    if flags & F_LITERAL != 0 || table.constant_kinds[n.kind_id() as usize] {
        return true;
    }
    if let Some((ff, af)) = table.calls[n.kind_id() as usize] {
        let name = n
            .child_by_field_id(ff.get())
            .and_then(|f| text.get(f.byte_range()))
            .unwrap_or("");
        let normalized: String = name
            .chars()
            .filter(|c| *c != '_')
            .flat_map(char::to_lowercase)
            .collect();
        if table.constant_calls.contains(&normalized.as_str()) {
            return true;
        }
        // A pure function of constants (a path joined from `__file__` and literals, `compile`
        // of a literal), or a build script reading the project's own file at such a path.
        // The call's arguments, without the ones the language ignores (comments).
        let arguments = || {
            let args = n.child_by_field_id(af.get())?;
            let mut c = args.walk();
            let kids: Vec<Node<'_>> = args
                .named_children(&mut c)
                .filter(|k| !info.ignored(*k))
                .collect();
            Some(kids)
        };
        if pure_call(info.language, name) || own_file_read(info, table, locals, text, n, hops) {
            let Some(kids) = arguments() else {
                return false;
            };
            return kids
                .into_iter()
                .all(|k| constant(info, table, locals, text, keyword_value(k), hops + 1));
        }
        if table.upper_case_constants && is_upper_case_name(name) {
            let Some(kids) = arguments() else {
                return false;
            };
            return !kids.is_empty()
                && kids
                    .into_iter()
                    .all(|k| constant(info, table, locals, text, k, hops + 1));
        }
        return false;
    }
    // A conditional picks one of its branches: constant branches make a constant.
    if let Some(branches) = super::taint::conditional_branches(n) {
        return branches
            .into_iter()
            .all(|b| constant(info, table, locals, text, b, hops));
    }
    if table.operators[n.kind_id() as usize] {
        let mut c = n.walk();
        let mut any = false;
        for k in n.named_children(&mut c) {
            if info.ignored(k) {
                continue;
            }
            if !constant(info, table, locals, text, k, hops) {
                return false;
            }
            any = true;
        }
        return any;
    }
    let Some(l) = locals else {
        return false;
    };
    if l.is_ident(n) && hops < MAX_HOPS {
        let name = l.src(n);
        let defs = l.all(name);
        if defs.is_empty() && own_location(info.language, name) {
            return true;
        }
        if defs.is_empty()
            && ((table.upper_case_constants && is_upper_case_name(name))
                || l.file
                    .and_then(|f| f.resolve(name))
                    .is_some_and(|q| q.starts_with(crate::language::FILE_CONSTANT)))
        {
            return true;
        }
        return !defs.is_empty()
            && defs.iter().all(|d| {
                d.value
                    .is_some_and(|v| constant(info, table, locals, text, v, hops + 1))
            });
    }
    false
}

/// True when `n` is constant or clean: every part of it that is not a constant is a call of a
/// sanitiser (one the project declared in `declared`, see [`crate::Engine::set_sanitizers`],
/// or one recognised by its name, see [`super::taint::named_sanitizer`]), through operators,
/// string substitutions and locals (`html = escapeHtml(name); el.innerHTML = "<b>" + html`).
/// A rule's `constant = false` does not match such code: it is not dynamic markup or code in
/// the sense of the injection families, whose taint rules treat the same calls as sanitizers.
pub(crate) fn is_clean(
    info: &'static LangInfo,
    locals: Option<&Locals<'_>>,
    text: &str,
    n: Node<'_>,
    declared: Option<&[String]>,
) -> bool {
    clean(
        info,
        FlowTable::get(info.language),
        locals,
        text,
        n,
        declared,
        0,
    )
}

fn clean(
    info: &LangInfo,
    table: &FlowTable,
    locals: Option<&Locals<'_>>,
    text: &str,
    mut n: Node<'_>,
    declared: Option<&[String]>,
    hops: u32,
) -> bool {
    while info.flags(n.kind_id()) & F_PAREN != 0 {
        match single_named_child(info, n) {
            Some(k) => n = k,
            None => break,
        }
    }
    if constant(info, table, locals, text, n, hops) {
        return true;
    }
    if hops >= MAX_HOPS {
        return false;
    }
    if numeric_value(info.language, n, text) {
        return true;
    }
    if let Some(callee) = super::taint::callee_text(n, text) {
        return declared.is_some_and(|d| {
            d.iter()
                .any(|name| super::taint::declared_call(name, callee))
        }) || super::taint::named_sanitizer(callee, &[]);
    }
    let flags = info.flags(n.kind_id());
    if flags & F_STRING != 0 {
        // Each substitution's expressions must be clean; the literal pieces are.
        return named(info, n).into_iter().all(|k| {
            info.flags(k.kind_id()) & F_SUBSTITUTION == 0
                || named(info, k)
                    .into_iter()
                    .all(|e| clean(info, table, locals, text, e, declared, hops + 1))
        }) && !named(info, n)
            .into_iter()
            .any(|k| !embedded_names(info.language, text, k).is_empty());
    }
    if table.operators[n.kind_id() as usize] {
        let kids = named(info, n);
        return !kids.is_empty()
            && kids
                .into_iter()
                .all(|k| clean(info, table, locals, text, k, declared, hops + 1));
    }
    let Some(l) = locals else {
        return false;
    };
    if l.is_ident(n) {
        let defs = l.all(l.src(n));
        return !defs.is_empty()
            && defs.iter().all(|d| {
                d.value
                    .is_some_and(|v| clean(info, table, locals, text, v, declared, hops + 1))
            });
    }
    false
}

/// True when `n` is a number by construction whatever its input (JavaScript and Python): a
/// length or size (`xs.length`, `len(xs)`), a numeric conversion or formatting (`Number(x)`,
/// `parseInt(x)`, `n.toFixed(2)`, `int(x)`, `float(x)`), `Math.*(…)`, a time (`Date.now()`,
/// `d.getTime()`). Markup or code holding such a value holds digits, not tags.
fn numeric_value(language: Language, n: Node<'_>, text: &str) -> bool {
    let is_js = matches!(
        language,
        Language::JavaScript | Language::TypeScript | Language::Tsx
    );
    if !is_js && language != Language::Python {
        return false;
    }
    if is_js && n.kind() == "member_expression" {
        let property = n
            .child_by_field_name("property")
            .and_then(|p| text.get(p.byte_range()));
        return matches!(
            property,
            Some("length" | "size" | "byteLength" | "childElementCount")
        );
    }
    let Some(callee) = super::taint::callee_text(n, text) else {
        return false;
    };
    let last = callee.rsplit('.').next().unwrap_or(callee);
    if is_js {
        callee.starts_with("Math.")
            || matches!(
                callee,
                "Number"
                    | "parseInt"
                    | "parseFloat"
                    | "Date.now"
                    | "Number.parseInt"
                    | "Number.parseFloat"
            )
            || (callee.contains('.')
                && matches!(
                    last,
                    "toFixed" | "toPrecision" | "toExponential" | "getTime"
                ))
    } else {
        matches!(callee, "len" | "int" | "float" | "round" | "abs")
    }
}

/// The named children of `n` that are not comments or other ignored nodes.
fn named<'a>(info: &LangInfo, n: Node<'a>) -> Vec<Node<'a>> {
    let mut c = n.walk();
    let kids: Vec<Node<'a>> = n
        .named_children(&mut c)
        .filter(|k| !info.ignored(*k))
        .collect();
    kids
}

/// True for a name that holds the location of the file's own source (`__file__`, Node's
/// `__dirname`): a constant of the project, not an input.
fn own_location(language: Language, name: &str) -> bool {
    match language {
        Language::Python => name == "__file__",
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            matches!(name, "__dirname" | "__filename")
        }
        _ => false,
    }
}

/// True for a call that is constant when its arguments are: path building over constants
/// (`os.path.join(os.path.dirname(__file__), "pkg", "__about__.py")`, Node's `path.join`),
/// `compile` of a literal, string conversion of a constant. Issue #15: `eval(compile("…",
/// "<x>", "exec"))` runs fixed code.
fn pure_call(language: Language, name: &str) -> bool {
    match language {
        Language::Python => matches!(
            name,
            "os.path.join"
                | "os.path.dirname"
                | "os.path.abspath"
                | "os.path.realpath"
                | "os.path.normpath"
                | "path.join"
                | "path.dirname"
                | "path.abspath"
                | "Path"
                | "pathlib.Path"
                | "compile"
                | "str"
        ),
        Language::JavaScript | Language::TypeScript | Language::Tsx => matches!(
            name,
            "path.join" | "path.resolve" | "path.dirname" | "String"
        ),
        _ => false,
    }
}

/// The value of a keyword argument (`encoding="utf-8"`), or the argument itself.
fn keyword_value(k: Node<'_>) -> Node<'_> {
    if k.kind() == "keyword_argument" {
        k.child_by_field_name("value").unwrap_or(k)
    } else {
        k
    }
}

/// True when `call` reads a file of the project's own in a build script: a Python file that
/// imports setuptools or distutils (`setup.py`), calling `.read()`/`.read_text()` on
/// `open(P)`, `io.open(P)`, `codecs.open(P)` or `Path(P)` where `P` is constant (a literal, or
/// built from `__file__` and literals). What it reads is the project's source (its version
/// file), as constant as a literal: `exec(open("pkg/__about__.py").read(), about)`.
fn own_file_read(
    info: &LangInfo,
    table: &FlowTable,
    locals: Option<&Locals<'_>>,
    text: &str,
    call: Node<'_>,
    hops: u32,
) -> bool {
    if info.language != Language::Python || hops >= MAX_HOPS {
        return false;
    }
    let Some(file) = locals.and_then(|l| l.file) else {
        return false;
    };
    let build = |q: &str| q.starts_with("setuptools") || q.starts_with("distutils");
    if !(file.modules().any(build) || file.iter().any(|(_, q)| build(q))) {
        return false;
    }
    let Some(f) = call.child_by_field_name("function") else {
        return false;
    };
    if f.kind() != "attribute"
        || !f
            .child_by_field_name("attribute")
            .and_then(|a| text.get(a.byte_range()))
            .is_some_and(|a| matches!(a, "read" | "read_text"))
    {
        return false;
    }
    let Some(opened) = f.child_by_field_name("object") else {
        return false;
    };
    if opened.kind() != "call" {
        return false;
    }
    let opener = opened
        .child_by_field_name("function")
        .and_then(|o| text.get(o.byte_range()))
        .unwrap_or("");
    if !matches!(
        opener,
        "open" | "io.open" | "codecs.open" | "Path" | "pathlib.Path"
    ) {
        return false;
    }
    let Some(args) = opened.child_by_field_name("arguments") else {
        return false;
    };
    let mut c = args.walk();
    let kids: Vec<Node<'_>> = args
        .named_children(&mut c)
        .filter(|k| !info.ignored(*k))
        .collect();
    !kids.is_empty()
        && kids
            .into_iter()
            .all(|k| constant(info, table, locals, text, keyword_value(k), hops + 1))
}

/// The comprehension (Python list, set, dict comprehension or generator expression) whose
/// `for … in` target binds `def` (the name itself, or inside a tuple of targets), if any.
fn comprehension_of(def: Node<'_>) -> Option<Node<'_>> {
    let mut n = def.parent()?;
    while matches!(n.kind(), "pattern_list" | "tuple_pattern" | "list_pattern") {
        n = n.parent()?;
    }
    let left = n.child_by_field_name("left")?;
    if n.kind() != "for_in_clause"
        || def.start_byte() < left.start_byte()
        || left.end_byte() < def.end_byte()
    {
        return None;
    }
    n.parent().filter(|c| {
        matches!(
            c.kind(),
            "list_comprehension"
                | "set_comprehension"
                | "dictionary_comprehension"
                | "generator_expression"
        )
    })
}

/// `CMD`, `LOG_FMT2`: at least two characters, an upper-case letter first, then upper-case
/// letters, digits and underscores, with at least one more letter.
fn is_upper_case_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_uppercase()
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
        && b[1..].iter().any(u8::is_ascii_uppercase)
}

/// True when `def` runs on every path to `at` that it precedes: below their closest common
/// ancestor, `def` lies in no block, clause, branch or loop of its own. Conservative by kind
/// names (a kind that looks like one counts as one), so in doubt a definition hides nothing.
fn dominates(def: Node<'_>, at: Node<'_>) -> bool {
    const BRANCHY: &[&str] = &[
        "block",
        "clause",
        "case",
        "if",
        "else",
        "for",
        "while",
        "do_",
        "try",
        "switch",
        "select",
        "ternary",
        "conditional",
        "with",
        "lambda",
        "function",
        "arrow",
    ];
    let (start, end) = (at.start_byte(), at.end_byte());
    let mut n = def;
    while let Some(p) = n.parent() {
        if p.start_byte() <= start && end <= p.end_byte() {
            return true;
        }
        let kind = p.kind();
        if BRANCHY.iter().any(|b| kind.contains(b)) {
            return false;
        }
        n = p;
    }
    false
}

/// True when a string literal holds code (an f-string field, a `${…}`, a Kotlin `$name`).
fn has_substitution(info: &LangInfo, text: &str, n: Node<'_>) -> bool {
    let mut c = n.walk();
    let mut depth = 0u32;
    loop {
        if info.flags(c.node().kind_id()) & F_SUBSTITUTION != 0
            || !embedded_names(info.language, text, c.node()).is_empty()
        {
            return true;
        }
        if c.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if depth == 0 {
                return false;
            }
            if c.goto_next_sibling() {
                break;
            }
            c.goto_parent();
            depth -= 1;
        }
    }
}

/// The names of locals a string piece `n` uses without a node of their own: Kotlin's `$name`
/// (this grammar reads it as the string pieces `$` and `name…`; the name is reported for the
/// piece `$`) and the names a Rust format string captures inline (`format!("{name}")`,
/// `{name:?}`; `{{` is an escaped brace). Empty for any other node.
pub(crate) fn embedded_names<'s>(language: Language, text: &'s str, n: Node<'_>) -> Vec<&'s str> {
    if n.kind() != "string_content" {
        return Vec::new();
    }
    let piece = text.get(n.byte_range()).unwrap_or("");
    let ident_len = |s: &str| {
        s.char_indices()
            .take_while(|&(i, ch)| {
                ch == '_' || ch.is_alphabetic() || (i > 0 && ch.is_alphanumeric())
            })
            .map(|(i, ch)| i + ch.len_utf8())
            .last()
            .unwrap_or(0)
    };
    match language {
        Language::Kotlin if piece == "$" => {
            let Some(next) = n.next_sibling().filter(|k| k.kind() == "string_content") else {
                return Vec::new();
            };
            let rest = text.get(next.byte_range()).unwrap_or("");
            match ident_len(rest) {
                0 => Vec::new(),
                len => vec![&rest[..len]],
            }
        }
        Language::Rust
            if n.parent()
                .and_then(|p| p.parent())
                .is_some_and(|g| g.kind() == "token_tree") =>
        {
            let mut out = Vec::new();
            let mut rest = piece;
            while let Some(i) = rest.find('{') {
                let after = &rest[i + 1..];
                if let Some(stripped) = after.strip_prefix('{') {
                    rest = stripped;
                    continue;
                }
                let len = ident_len(after);
                if len > 0 && after[len..].starts_with(['}', ':']) {
                    out.push(&after[..len]);
                }
                rest = after;
            }
            out
        }
        _ => Vec::new(),
    }
}
