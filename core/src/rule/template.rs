//! Templates: metavariable substitution, parsing a snippet with the language's grammar (trying
//! wrappers until it parses), finding the template root, and compiling the syntax tree into a
//! small arena of [`TNode`]s. The required features of a rule are derived here too, in the same
//! pass, by mirroring the fingerprint walk's notion of anchored positions.

use tree_sitter::{Node, Parser, Tree};

use super::lang::{LangInfo, R_IDENT, R_OPTIONAL, R_PATH, R_SEP};
use super::RuleError;
use crate::fingerprint::features;
use crate::language::{
    MemberMulti, ParamType, F_COMPARISON, F_IDENT, F_IMPORT, F_LITERAL, F_OPERATOR, F_PAREN,
    F_PATH, F_STRING,
};

/// Deepest template nesting (in syntax-tree levels) accepted; deeper templates are rejected
/// with [`RuleError::TooDeep`], never recursed into. Matching a template this deep takes about
/// half a megabyte of stack in an unoptimised build.
pub(crate) const MAX_TEMPLATE_DEPTH: usize = 200;
/// Most nodes a template may have.
const MAX_TEMPLATE_NODES: usize = 20_000;
/// Most components of a path (longer chains are not treated as paths).
pub(crate) const MAX_PATH: usize = 64;

const PH_SINGLE: &str = "__ctmv_";
const PH_MULTI: &str = "__ctmvs_";
/// Common prefix of every placeholder.
const PH: &str = "__ctmv";

/// Index of a metavariable in a rule's variable table.
pub(crate) type VarId = usize;

/// A named metavariable, by its written form (`$X`, `$$$ARGS`).
#[derive(Clone, Debug)]
pub(crate) struct VarDef {
    pub key: String,
}

/// One compiled template node.
#[derive(Clone, Debug)]
pub(crate) enum TNode {
    /// `$X` or `$_`: exactly one named node. `wrappers` are the kinds of the single-child
    /// nodes the grammar put around the placeholder (expression statements, Kotlin value
    /// arguments), outermost first; a code node of the same kind is unwrapped before binding.
    Single {
        var: Option<VarId>,
        wrappers: Box<[u16]>,
    },
    /// `$$$X` or `$$$`: zero or more consecutive siblings.
    Multi { var: Option<VarId> },
    /// An anonymous token that matters (operator, keyword).
    Token { kind: u16 },
    /// An identifier or a chain of identifiers (`hashlib.md5`), matched through imports.
    Path { comps: Box<[Box<str>]> },
    /// A leaf compared by kind and text (strings by prefix and content, ignoring quotes).
    Leaf {
        kind: u16,
        text: Box<str>,
        /// For string literals: lowercase prefix and content without quotes.
        string: Option<(Box<str>, Box<str>)>,
    },
    /// A node compared by kind and children.
    Inner(Children),
    /// A call whose callee is spread over two fields (Java `object.name(args)`), compared as
    /// one path plus the other children.
    SplitCall {
        callee: Box<[Box<str>]>,
        children: Children,
    },
}

/// The children of an inner node: positional items (in order) and keyword items (any order).
#[derive(Clone, Debug)]
pub(crate) struct Children {
    pub kind: u16,
    pub pos: Box<[usize]>,
    pub kw: Box<[usize]>,
    pub has_multi: bool,
    /// True when this node is itself a keyword argument.
    pub keyword: bool,
    /// Field ids used by the template's children (sorted). A code child in another field is
    /// optional: the template left it out (`else` branches, return types, type arguments).
    pub fields: Box<[u16]>,
    /// Kinds of the template's children that are optional kinds (modifiers…) or start an
    /// optional tail (the `=` of a declarator).
    pub opt_kinds: Box<[u16]>,
}

/// What a candidate code node must look like before a template root is tried on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RootFilter {
    /// The node's kind id.
    Kind(u16),
    /// An identifier or path node.
    Path,
    /// Any named node (sequences starting with a metavariable).
    Any,
}

/// A compiled template.
#[derive(Clone, Debug)]
pub(crate) struct Template {
    pub nodes: Vec<TNode>,
    /// One root, or several for a statement sequence.
    pub roots: Box<[usize]>,
    pub filter: RootFilter,
    /// True when `roots` contains a `$$$` (sequence roots only).
    pub roots_multi: bool,
}

impl Template {
    /// True when a node of the template has a kind `kind` accepts (an inner node, a leaf, a
    /// split call, or a wrapper a placeholder unwraps).
    pub(crate) fn has_kind(&self, kind: impl Fn(u16) -> bool) -> bool {
        self.nodes.iter().any(|n| Self::node_has_kind(n, &kind))
    }

    /// [`Template::has_kind`] for the nodes a match reaches below where it starts: every node
    /// of a sequence template (its items start at siblings), every node but the root of a
    /// single-node template (the root is only tried on nodes the unit owns).
    pub(crate) fn has_kind_below_root(&self, kind: impl Fn(u16) -> bool) -> bool {
        let root = match &*self.roots {
            [r] => Some(*r),
            _ => None,
        };
        self.nodes
            .iter()
            .enumerate()
            .any(|(i, n)| Some(i) != root && Self::node_has_kind(n, &kind))
    }

    fn node_has_kind(n: &TNode, kind: &impl Fn(u16) -> bool) -> bool {
        match n {
            TNode::Single { wrappers, .. } => wrappers.iter().any(|&w| kind(w)),
            TNode::Leaf { kind: k, .. } | TNode::Token { kind: k } => kind(*k),
            TNode::Inner(ch) | TNode::SplitCall { children: ch, .. } => kind(ch.kind),
            TNode::Multi { .. } | TNode::Path { .. } => false,
        }
    }
}

/// Compiles one template. `vars` is the rule-wide variable table (shared by `pattern`,
/// `inside` and `not_inside`, so that a name means the same binding everywhere). Returns the
/// template and the features any unit containing a match must have.
pub(crate) fn compile(
    info: &'static LangInfo,
    role: &'static str,
    pattern: &str,
    vars: &mut Vec<VarDef>,
) -> Result<(Template, Vec<u64>), RuleError> {
    let snippet = pattern.trim();
    if snippet.is_empty() {
        return Err(RuleError::Empty { role });
    }
    let text = substitute(snippet);
    let mut parser = Parser::new();
    parser
        .set_language(&info.language.grammar())
        .map_err(|_| parse_error(info, role, pattern))?;
    let texts = variants(info, &text);
    let quirks = info.templates;
    let annotation = quirks
        .annotation_wrapper
        .filter(|_| snippet.starts_with('@') || snippet.starts_with("#["));
    let member = quirks
        .member_wrapper
        .as_ref()
        .filter(|m| (m.applies)(snippet))
        .map(|m| &m.wrapper);
    let wrappers: Vec<&(&str, &str)> = annotation
        .iter()
        .chain(member)
        .chain(quirks.wrappers)
        .collect();
    let attempts = texts
        .iter()
        .flat_map(|t| wrappers.iter().map(move |w| (t, *w)));
    for (text, &(prefix, suffix)) in attempts {
        let indent = prefix.ends_with(":\n");
        let body = if indent { indent4(text) } else { text.clone() };
        let source = format!("{prefix}{body}{suffix}");
        let Some(tree) = parser.parse(&source, None) else {
            continue;
        };
        let misread = quirks
            .misread
            .is_some_and(|misread| misread(snippet, &source, &tree));
        if tree.root_node().has_error() || misread {
            continue;
        }
        let start = prefix.len() + if indent { 4 } else { 0 };
        let end = prefix.len() + body.len();
        let Some(roots) = find_roots(info, &tree, start, end) else {
            continue;
        };
        let mut c = Compiler {
            info,
            src: &source,
            role,
            pattern,
            vars,
            nodes: Vec::new(),
            features: Vec::new(),
        };
        return c.finish(&roots);
    }
    Err(parse_error(info, role, pattern))
}

fn parse_error(info: &LangInfo, role: &'static str, pattern: &str) -> RuleError {
    RuleError::Parse {
        role,
        language: info.language,
        pattern: pattern.to_string(),
    }
}

fn indent4(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str("    ");
        }
        out.push_str(line);
    }
    out
}

/// The substituted snippet, then fallbacks tried when it does not parse: `;` after `$$$`s
/// that end a block (Java, C, C++ statements need one), and typed placeholders in parameter
/// lists (`fun f($$$)` → `fun f(__ctmvs_: __ctmvt)`), for each subset of the parameter sites.
fn variants(info: &LangInfo, text: &str) -> Vec<String> {
    let mut out = vec![text.to_string()];
    let mut add = |t: String| {
        let terminated = terminate_multis(&t);
        for v in [t, terminated] {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    };
    add(text.to_string());
    if let Some(style) = info.templates.param_type {
        let sites = param_sites(text);
        let k = sites.len().min(4);
        for mask in 1u32..(1 << k) {
            let mut t = String::with_capacity(text.len() + 16 * k);
            let mut copied = 0;
            for (i, site) in sites.iter().enumerate().take(k) {
                if mask & (1 << i) == 0 {
                    continue;
                }
                t.push_str(&text[copied..site.start]);
                let ph = &text[site.clone()];
                match style {
                    ParamType::Suffix => {
                        t.push_str(ph);
                        t.push_str(": ");
                        t.push_str(PH_TYPE);
                    }
                    ParamType::Prefix => {
                        t.push_str(PH_TYPE);
                        t.push(' ');
                        t.push_str(ph);
                    }
                }
                copied = site.end;
            }
            t.push_str(&text[copied..]);
            add(t);
        }
    }
    // Java and Kotlin class bodies hold members, not expressions: a field declaration typed
    // with the placeholder type stands in for the sequence there (`__ctmvt __ctmvs_A;`,
    // `val __ctmvs_A: __ctmvt;`).
    if let Some(member) = info.templates.member_multi.map(|m| match m {
        MemberMulti::Field => member_field as fn(&str) -> String,
        MemberMulti::Property => member_property as fn(&str) -> String,
    }) {
        for i in 0..out.len() {
            let v = member_multis(&out[i], member);
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    // Rust item lists (`mod m { $$$ }`, `impl S { $$$ }`) hold items, not expressions: a macro
    // invocation item stands in for the sequence there.
    if info.templates.macro_items {
        for i in 0..out.len() {
            let v = end_multis(&out[i], MACRO_ITEM);
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// Placeholders that stand alone in a parenthesized list: `(` or `,` before, `)` or `,` after.
fn param_sites(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut sites = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(PH_SINGLE.trim_end_matches('_')) {
        let start = from + i;
        let len = text[start..]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
            .count();
        let end = start + len;
        from = end.max(start + 1);
        let before = text[..start].trim_end().chars().next_back();
        let after = text[end..].trim_start().chars().next();
        if matches!(before, Some('(' | ',')) && matches!(after, Some(')' | ',')) {
            sites.push(start..end);
        }
    }
    sites
}

/// [`MemberMulti::Field`]: `__ctmvt __ctmvs_A;`.
fn member_field(ph: &str) -> String {
    format!("{PH_TYPE} {ph};")
}

/// [`MemberMulti::Property`]: `val __ctmvs_A: __ctmvt;`.
fn member_property(ph: &str) -> String {
    format!("{PROPERTY_MEMBER}{ph}: {PH_TYPE};")
}

/// Property member placeholders are declared with `val` (Kotlin `val __ctmvs_A: __ctmvt`).
const PROPERTY_MEMBER: &str = "val ";

/// The macro invocation written after a `$$$` that ends an item list
/// ([`TemplateQuirks::macro_items`](crate::language::TemplateQuirks::macro_items)).
const MACRO_ITEM: &str = "!{}";

/// The end of the `$$$` placeholder (with its name) that starts at byte `i` of `text`.
fn multi_end(text: &str, i: usize) -> usize {
    let name_len = text[i + PH_MULTI.len()..]
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    i + PH_MULTI.len() + name_len
}

/// Rewrites every `$$$` placeholder that stands where a member or statement would (not
/// inside parentheses or brackets, not part of an expression) with `member(placeholder)`;
/// a `;` written after the placeholder is dropped.
fn member_multis(text: &str, member: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(i) = rest.find(PH_MULTI) {
        let end = multi_end(rest, i);
        // The last character before the placeholder, and whether a line break comes between.
        let mut newline = false;
        let prev = rest[..i].chars().rev().chain(out.chars().rev()).find(|ch| {
            newline |= *ch == '\n';
            !ch.is_whitespace()
        });
        let next = rest[end..].trim_start().chars().next();
        let standalone = newline || matches!(prev, None | Some('{' | '}' | ';'));
        let in_list = matches!(prev, Some('(' | '[' | ',' | '<' | '.'))
            || matches!(next, Some(')' | ']' | ',' | '>' | '.' | '(' | '='));
        if standalone && !in_list {
            out.push_str(&rest[..i]);
            out.push_str(&member(&rest[i..end]));
            rest = &rest[end..];
            if let Some(t) = rest.trim_start().strip_prefix(';') {
                rest = t;
            }
        } else {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Adds `;` after every `$$$` placeholder that ends a block (`{ $$$ }` → `{ __ctmvs_; }`).
fn terminate_multis(text: &str) -> String {
    end_multis(text, ";")
}

/// Appends `end` to every `$$$` placeholder that ends a block or the snippet.
fn end_multis(text: &str, end_with: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(i) = rest.find(PH_MULTI) {
        let end = multi_end(rest, i);
        out.push_str(&rest[..end]);
        let tail = rest[end..].trim_start();
        if tail.starts_with('}') || tail.is_empty() {
            out.push_str(end_with);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Replaces metavariables with placeholder identifiers: `$X` → `__ctmv_X`, `$_` → `__ctmv__`,
/// `$$$ARGS` → `__ctmvs_ARGS`, `$$$` → `__ctmvs_`. Other `$`s are left alone.
pub(crate) fn substitute(p: &str) -> String {
    let b = p.as_bytes();
    let mut out = String::with_capacity(p.len() + 16);
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        let run = b[i..].iter().take_while(|&&c| c == b'$').count();
        let name_start = i + run;
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count();
        let name = &p[name_start..name_start + name_len];
        let valid_name = name
            .bytes()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c == b'_')
            && name
                .bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_');
        let replacement = match run {
            3 if name.is_empty() || valid_name => Some(PH_MULTI),
            1 if valid_name => Some(PH_SINGLE),
            _ => None,
        };
        match replacement {
            Some(ph) => {
                out.push_str(&p[copied..i]);
                out.push_str(ph);
                out.push_str(name);
                i = name_start + name_len;
                copied = i;
            }
            None => i = name_start + name_len,
        }
    }
    out.push_str(&p[copied..]);
    out
}

/// The type given to placeholders in parameter positions so that they parse (`__ctmvt`).
const PH_TYPE: &str = "__ctmvt";

/// A node's text without a trailing `;` and without a parameter-type decoration.
fn strip_decoration(text: &str) -> &str {
    let t = text.trim().trim_end_matches(';').trim_end();
    let t = t.strip_suffix(MACRO_ITEM).unwrap_or(t);
    if let Some(rest) = t.strip_suffix(PH_TYPE) {
        let rest = rest.trim_end().trim_end_matches(':').trim_end();
        // A property member placeholder (Kotlin `val __ctmvs_A: __ctmvt`).
        return match rest.strip_prefix(PROPERTY_MEMBER) {
            Some(ph) if ph.starts_with(PH_MULTI) => ph,
            _ => rest,
        };
    }
    if let Some(rest) = t.strip_prefix(PH_TYPE) {
        return rest.trim_start();
    }
    t
}

/// A decoded placeholder: multi or single, and its name (`None` when anonymous).
fn decode_placeholder(text: &str) -> Option<(bool, Option<&str>)> {
    if !text.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        return None;
    }
    let (multi, rest) = if let Some(rest) = text.strip_prefix(PH_MULTI) {
        (true, rest)
    } else if let Some(rest) = text.strip_prefix(PH_SINGLE) {
        if rest.is_empty() {
            return None;
        }
        (false, rest)
    } else {
        return None;
    };
    let name = (!rest.is_empty() && !rest.starts_with('_')).then_some(rest);
    Some((multi, name))
}

/// The template roots for the snippet at `start..end` of the wrapped source.
fn find_roots<'t>(
    info: &LangInfo,
    tree: &'t Tree,
    start: usize,
    end: usize,
) -> Option<Vec<Node<'t>>> {
    let top = tree.root_node();
    let n = top.named_descendant_for_byte_range(start, end)?;
    if n.id() != top.id() && n.start_byte() == start && n.end_byte() == end {
        return Some(vec![unwrap_root(info, n)]);
    }
    let mut c = n.walk();
    let kids: Vec<Node<'t>> = n
        .named_children(&mut c)
        .filter(|k| !info.ignored(*k) && k.start_byte() >= start && k.end_byte() <= end)
        .collect();
    match kids.len() {
        0 => None,
        1 => Some(vec![unwrap_root(info, kids[0])]),
        _ => Some(kids),
    }
}

/// Unwraps single-child wrappers whose other tokens are only `;` or parentheses
/// (expression statements, parenthesized expressions).
fn unwrap_root<'t>(info: &LangInfo, mut n: Node<'t>) -> Node<'t> {
    loop {
        let mut only = None;
        let mut count = 0;
        let mut other_tokens = false;
        let mut c = n.walk();
        for k in n.children(&mut c) {
            if k.is_extra() || info.ignored(k) && k.is_named() {
                continue;
            }
            if k.is_named() {
                count += 1;
                only = Some(k);
            } else if !matches!(k.kind(), ";" | "(" | ")") && k.start_byte() != k.end_byte() {
                other_tokens = true;
            }
        }
        match only {
            Some(k) if count == 1 && !other_tokens => n = k,
            _ => return n,
        }
    }
}

/// Where a template node sits, as the fingerprint walk would see the matched code node.
#[derive(Clone, Copy)]
struct Ctx {
    /// In an anchor position (callee, attribute name, keyword, path), from the parent's view.
    anchored: bool,
    /// Inside an import statement.
    import: bool,
    /// The parent is a comparison or operator node.
    op_parent: bool,
    /// Features from here down are not guaranteed (nested units, literals).
    excluded: bool,
    /// This node is the (unit) root of the match.
    is_root: bool,
}

/// The children of a node to compile and the context they share.
struct Plan<'t> {
    kids: Vec<(Node<'t>, bool)>,
    ctx: Ctx,
    fields: Vec<u16>,
    opt_kinds: Vec<u16>,
}

struct Compiler<'a> {
    info: &'static LangInfo,
    src: &'a str,
    role: &'static str,
    pattern: &'a str,
    vars: &'a mut Vec<VarDef>,
    nodes: Vec<TNode>,
    features: Vec<u64>,
}

impl<'a> Compiler<'a> {
    fn finish(&mut self, roots: &[Node<'_>]) -> Result<(Template, Vec<u64>), RuleError> {
        let seq = roots.len() > 1;
        let first_is_unit = self.info.maybe_unit(roots[0].kind_id());
        let mut ids = Vec::with_capacity(roots.len());
        for (i, &r) in roots.iter().enumerate() {
            // In a sequence, later items belong to the unit owning the first one, unless the
            // first one is itself a unit (then they belong to its parent) or they are units.
            let excluded = seq && i > 0 && (first_is_unit || self.info.maybe_unit(r.kind_id()));
            let ctx = Ctx {
                anchored: false,
                import: false,
                op_parent: false,
                excluded,
                is_root: !excluded,
            };
            ids.push(self.node(r, ctx, 0)?);
        }
        // Leading `$$$` in a sequence match nothing useful: the match starts at the first node.
        let lead = ids
            .iter()
            .take_while(|&&i| matches!(self.nodes[i], TNode::Multi { .. }))
            .count();
        let ids = &ids[lead..];
        let Some(&first) = ids.first() else {
            return Err(RuleError::OnlyMetavariable {
                role: self.role,
                pattern: self.pattern.to_string(),
            });
        };
        let filter = match &self.nodes[first] {
            TNode::Single { .. } | TNode::Multi { .. } if ids.len() == 1 => {
                return Err(RuleError::OnlyMetavariable {
                    role: self.role,
                    pattern: self.pattern.to_string(),
                })
            }
            TNode::Single { .. } | TNode::Multi { .. } => RootFilter::Any,
            TNode::Token { kind } | TNode::Leaf { kind, .. } => RootFilter::Kind(*kind),
            TNode::Inner(ch) | TNode::SplitCall { children: ch, .. } => RootFilter::Kind(ch.kind),
            TNode::Path { .. } => RootFilter::Path,
        };
        if let TNode::Token { .. } = self.nodes[first] {
            return Err(RuleError::Parse {
                role: self.role,
                language: self.info.language,
                pattern: self.pattern.to_string(),
            });
        }
        let roots_multi = ids
            .iter()
            .any(|&i| matches!(self.nodes[i], TNode::Multi { .. }));
        let mut features = std::mem::take(&mut self.features);
        features.sort_unstable();
        features.dedup();
        Ok((
            Template {
                nodes: std::mem::take(&mut self.nodes),
                roots: ids.into(),
                filter,
                roots_multi,
            },
            features,
        ))
    }

    fn text(&self, n: Node<'_>) -> &'a str {
        self.src.get(n.byte_range()).unwrap_or("")
    }

    fn push(&mut self, t: TNode) -> Result<usize, RuleError> {
        if self.nodes.len() >= MAX_TEMPLATE_NODES {
            return Err(RuleError::TooLarge {
                role: self.role,
                limit: MAX_TEMPLATE_NODES,
            });
        }
        self.nodes.push(t);
        Ok(self.nodes.len() - 1)
    }

    fn var(&mut self, multi: bool, name: Option<&str>) -> Option<VarId> {
        let name = name?;
        let key = if multi {
            format!("$$${name}")
        } else {
            format!("${name}")
        };
        if let Some(i) = self.vars.iter().position(|v| v.key == key) {
            return Some(i);
        }
        self.vars.push(VarDef { key });
        Some(self.vars.len() - 1)
    }

    fn misplaced(&self) -> RuleError {
        RuleError::PartialMetavariable {
            role: self.role,
            pattern: self.pattern.to_string(),
        }
    }

    // Compiling recurses once per template level through `node` → `inner` → `children`;
    // everything else lives in separate non-inlined functions to keep those frames small.
    fn node(&mut self, n: Node<'_>, ctx: Ctx, depth: usize) -> Result<usize, RuleError> {
        if depth > MAX_TEMPLATE_DEPTH {
            return Err(self.too_deep());
        }
        if let Some(done) = self.terminal(n, ctx) {
            return done;
        }
        // Parentheses around one expression are transparent.
        if self.info.flags(n.kind_id()) & F_PAREN != 0 {
            if let Some(k) = single_named_child(self.info, n) {
                let inner = Ctx {
                    op_parent: false,
                    ..ctx
                };
                return self.node(k, inner, depth + 1);
            }
        }
        self.inner(n, ctx, depth)
    }

    #[inline(never)]
    fn too_deep(&self) -> RuleError {
        RuleError::TooDeep {
            role: self.role,
            limit: MAX_TEMPLATE_DEPTH,
        }
    }

    /// Compiles `n` when it needs no recursion: tokens, metavariables, paths, leaves.
    #[inline(never)]
    fn terminal(&mut self, n: Node<'_>, ctx: Ctx) -> Option<Result<usize, RuleError>> {
        let info = self.info;
        let kind = n.kind_id();
        let flags = info.flags(kind);
        if !n.is_named() {
            if ctx.op_parent && !ctx.excluded && n.child_count() == 0 {
                self.features.push(features::operator(n.kind()));
            }
            return Some(self.push(TNode::Token { kind }));
        }
        let text = self.text(n);
        // A metavariable, possibly wrapped (`$X;` as a statement, Kotlin value arguments) or
        // decorated with a type to parse as a parameter (`$$$: __ctmvt`).
        if let Some((multi, name)) = decode_placeholder(strip_decoration(text)) {
            let var = self.var(multi, name);
            if multi {
                return Some(self.push(TNode::Multi { var }));
            }
            let mut wrappers = Vec::new();
            let mut w = n;
            while w.child_count() > 0 {
                match single_named_child(info, w) {
                    Some(k) => {
                        wrappers.push(w.kind_id());
                        w = k;
                    }
                    None => break,
                }
            }
            return Some(self.push(TNode::Single {
                var,
                wrappers: wrappers.into(),
            }));
        }
        if flags & F_PAREN != 0 && single_named_child(info, n).is_some() {
            return None;
        }
        if n.child_count() == 0 && text.contains(PH) {
            return Some(Err(self.misplaced()));
        }
        // Identifiers and chains of identifiers.
        let mut comps = Vec::new();
        let mut idents = Vec::new();
        if path_components(info, self.src, n, &mut comps, &mut idents) {
            if comps.iter().any(|c| c.contains(PH)) {
                if n.child_count() == 0 {
                    return Some(Err(self.misplaced()));
                }
            } else {
                if (ctx.anchored || ctx.import) && !ctx.excluded {
                    for (c, ident) in comps.iter().zip(&idents) {
                        if *ident {
                            self.features.push(features::name(c));
                        }
                    }
                }
                let comps: Vec<Box<str>> = comps.iter().map(|s| Box::from(*s)).collect();
                return Some(self.push(TNode::Path {
                    comps: comps.into(),
                }));
            }
        }
        // Leaves and literals (unless a literal holds a metavariable: then it is compared
        // structurally, like Python f-strings or `"$X"` contents).
        if n.child_count() == 0 || (flags & F_LITERAL != 0 && !text.contains(PH)) {
            let string = (flags & F_STRING != 0).then(|| {
                let (prefix, content) = string_parts(text);
                (Box::from(prefix.to_ascii_lowercase()), Box::from(content))
            });
            return Some(self.push(TNode::Leaf {
                kind,
                text: text.into(),
                string,
            }));
        }
        None
    }

    /// Compiles a node compared by its children (recursing into them).
    fn inner(&mut self, n: Node<'_>, ctx: Ctx, depth: usize) -> Result<usize, RuleError> {
        // Java `object.name(args)`: the callee is two fields of the call.
        let (callee, skip) = self.split(n, ctx);
        let children = self.children(n, ctx, depth, &skip)?;
        match callee {
            Some(callee) => self.push(TNode::SplitCall { callee, children }),
            None => self.push(TNode::Inner(children)),
        }
    }

    /// For a split call with a path callee: the callee and the ids of the callee's children.
    #[inline(never)]
    #[allow(clippy::type_complexity)]
    fn split(&mut self, n: Node<'_>, ctx: Ctx) -> (Option<Box<[Box<str>]>>, [Option<usize>; 2]) {
        let none = (None, [None, None]);
        let Some(sc) = self.info.split_call.filter(|sc| sc.kind == n.kind_id()) else {
            return none;
        };
        let Some((callee, idents)) = self.split_callee(n, sc) else {
            return none;
        };
        if !ctx.excluded {
            for (c, ident) in callee.iter().zip(&idents) {
                if *ident {
                    self.features.push(features::name(c));
                }
            }
        }
        let skip = [
            n.child_by_field_name(sc.object).map(|o| o.id()),
            n.child_by_field_name(sc.name).map(|o| o.id()),
        ];
        (Some(callee.into()), skip)
    }

    /// The callee path of a split call, when the object is absent or a path.
    #[allow(clippy::type_complexity)]
    fn split_callee(
        &self,
        n: Node<'_>,
        sc: super::lang::SplitCall,
    ) -> Option<(Vec<Box<str>>, Vec<bool>)> {
        let name = n.child_by_field_name(sc.name)?;
        let mut comps = Vec::new();
        let mut idents = Vec::new();
        if let Some(o) = n.child_by_field_name(sc.object) {
            if !path_components(self.info, self.src, o, &mut comps, &mut idents) {
                return None;
            }
        }
        if self.info.rflags(name.kind_id()) & R_IDENT == 0 || name.child_count() > 0 {
            return None;
        }
        comps.push(self.text(name));
        idents.push(self.info.flags(name.kind_id()) & F_IDENT != 0);
        if comps.iter().any(|c| c.contains(PH)) {
            return None;
        }
        Some((comps.iter().map(|s| Box::from(*s)).collect(), idents))
    }

    fn children(
        &mut self,
        n: Node<'_>,
        ctx: Ctx,
        depth: usize,
        skip: &[Option<usize>; 2],
    ) -> Result<Children, RuleError> {
        let plan = self.plan(n, ctx, skip);
        let mut ids = Vec::with_capacity(plan.kids.len());
        for &(k, anchored) in &plan.kids {
            ids.push(self.node(
                k,
                Ctx {
                    anchored,
                    ..plan.ctx
                },
                depth + 1,
            )?);
        }
        Ok(self.assemble(n, plan, ids))
    }

    /// The children of `n` that matching compares, each with its anchoring, and the context
    /// they share.
    #[inline(never)]
    fn plan<'t>(&self, n: Node<'t>, ctx: Ctx, skip: &[Option<usize>; 2]) -> Plan<'t> {
        let info = self.info;
        let kind = n.kind_id();
        let flags = info.flags(kind);
        let is_unit = info.maybe_unit(kind);
        // The walk resets anchoring at unit nodes; path kinds anchor their whole subtree.
        let (anchored, import) = if is_unit {
            (false, false)
        } else {
            (ctx.anchored || flags & F_PATH != 0, ctx.import)
        };
        let shared = Ctx {
            anchored,
            import: import || flags & F_IMPORT != 0,
            op_parent: flags & (F_COMPARISON | F_OPERATOR) != 0,
            excluded: ctx.excluded || (is_unit && !ctx.is_root) || flags & F_LITERAL != 0,
            is_root: false,
        };
        let anchor_ids: Vec<usize> = info
            .table
            .anchor_rules
            .get(kind as usize)
            .map(|rules| {
                rules
                    .iter()
                    .filter_map(|(c, _)| c.select(n).map(|k| k.id()))
                    .collect()
            })
            .unwrap_or_default();
        let mut plan = Plan {
            kids: Vec::new(),
            ctx: shared,
            fields: Vec::new(),
            opt_kinds: Vec::new(),
        };
        let mut cursor = n.walk();
        if cursor.goto_first_child() {
            loop {
                let k = cursor.node();
                let keep = !info.ignored(k) && !skip.contains(&Some(k.id()));
                if keep {
                    if let Some(f) = cursor.field_id() {
                        plan.fields.push(f.get());
                    }
                    if info.rflags(k.kind_id()) & R_OPTIONAL != 0 {
                        plan.opt_kinds.push(k.kind_id());
                    } else if info.tail_token(kind) == Some(info.canon(k.kind_id())) {
                        plan.opt_kinds.push(info.canon(k.kind_id()));
                    }
                    // The `.` between a split call's object and name goes with them.
                    let split_dot =
                        skip[1].is_some() && !k.is_named() && info.rflags(k.kind_id()) & R_SEP != 0;
                    if !split_dot {
                        plan.kids
                            .push((k, anchored || anchor_ids.contains(&k.id())));
                    }
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        plan
    }

    /// Sorts compiled children into positional and keyword items.
    #[inline(never)]
    fn assemble(&self, n: Node<'_>, plan: Plan<'_>, ids: Vec<usize>) -> Children {
        let mut pos = Vec::new();
        let mut kw = Vec::new();
        let mut has_multi = false;
        for id in ids {
            match &self.nodes[id] {
                TNode::Multi { .. } => {
                    has_multi = true;
                    pos.push(id);
                }
                TNode::Inner(ch) if ch.keyword => kw.push(id),
                _ => pos.push(id),
            }
        }
        let mut fields = plan.fields;
        fields.sort_unstable();
        fields.dedup();
        Children {
            kind: n.kind_id(),
            pos: pos.into(),
            kw: kw.into(),
            has_multi,
            keyword: self.info.is_keyword(n),
            fields: fields.into(),
            opt_kinds: plan.opt_kinds.into(),
        }
    }
}

/// The only named child of `n` that matching looks at, if there is exactly one.
pub(crate) fn single_named_child<'t>(info: &LangInfo, n: Node<'t>) -> Option<Node<'t>> {
    let mut c = n.walk();
    let mut only = None;
    if c.goto_first_child() {
        loop {
            let k = c.node();
            if k.is_named() && !info.ignored(k) {
                if only.is_some() {
                    return None;
                }
                only = Some(k);
            }
            if !c.goto_next_sibling() {
                break;
            }
        }
    }
    only
}

/// The components of `n` when it is an identifier or a chain of identifiers joined by
/// separators (parentheses around one part are transparent). `idents` says, per component,
/// whether its leaf is an identifier kind the fingerprint walk records. Iterative; gives up on
/// chains longer than [`MAX_PATH`].
pub(crate) fn path_components<'s>(
    info: &LangInfo,
    src: &'s str,
    n: Node<'_>,
    comps: &mut Vec<&'s str>,
    idents: &mut Vec<bool>,
) -> bool {
    let mut stack = vec![n];
    let mut steps = 0;
    while let Some(n) = stack.pop() {
        steps += 1;
        if steps > 4 * MAX_PATH || comps.len() > MAX_PATH {
            return false;
        }
        let kind = n.kind_id();
        let rf = info.rflags(kind);
        if n.child_count() == 0 {
            if rf & R_IDENT == 0 {
                return false;
            }
            comps.push(src.get(n.byte_range()).unwrap_or(""));
            idents.push(info.flags(kind) & F_IDENT != 0);
            continue;
        }
        let paren = info.flags(kind) & F_PAREN != 0;
        if rf & R_PATH == 0 && !paren {
            return false;
        }
        if paren {
            match single_named_child(info, n) {
                Some(k) => stack.push(k),
                None => return false,
            }
            continue;
        }
        let start = stack.len();
        let mut c = n.walk();
        let mut named = 0;
        if c.goto_first_child() {
            loop {
                let k = c.node();
                if !info.ignored(k) {
                    if info.rflags(k.kind_id()) & R_SEP != 0 {
                        // separator token or JavaScript's `?.` node
                    } else if k.is_named() {
                        named += 1;
                        stack.push(k);
                    } else {
                        return false;
                    }
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        if named < 2 {
            return false;
        }
        stack[start..].reverse();
    }
    !comps.is_empty()
}

/// A string literal's prefix (`r`, `b`, `f`, `L`…) and content without its quotes.
pub(crate) fn string_parts(text: &str) -> (&str, &str) {
    let q = text.find(['"', '\'', '`']).unwrap_or(0);
    let (prefix, rest) = text.split_at(q);
    let content = rest
        .trim_start_matches(['"', '\'', '`'])
        .trim_end_matches(['"', '\'', '`']);
    (prefix, content)
}
