//! Rule matching: code templates with metavariables, matched structurally against the units of
//! a [`Document`].
//!
//! This module owns the rule format ([`RuleSpec`], [`Where`]), compiling it ([`Rule::compile`],
//! typed [`RuleError`]s), the features an index may use to skip units ([`Rule::required_features`])
//! and finding matches in one unit ([`Rule::find`]).
//!
//! A template is a snippet of the rule's language in which metavariables stand for code:
//!
//! - `$X` (an uppercase name) matches exactly one named node; used twice, both occurrences must
//!   bind structurally equal code (comments, whitespace and redundant parentheses ignored).
//! - `$_` matches any one node without binding it.
//! - `$$$ARGS` and the anonymous `$$$` match zero or more consecutive siblings (arguments,
//!   statements…), at any position.
//!
//! Templates are parsed with the language's grammar (wrapped in a function or class body when
//! they do not parse on their own) and compared node by node: kinds and significant tokens
//! (operators, keywords) must agree, punctuation around sequences, comments and whitespace do
//! not matter, a parenthesized single expression is the expression, string literals compare by
//! content whatever the quotes. Keyword arguments (Python `kw=…`, Kotlin named arguments,
//! JavaScript object pairs, Go keyed elements, Rust field initializers) match in any order;
//! without a `$$$` beside them the counts must agree.
//!
//! Identifiers and dotted paths in a template (`hashlib.md5`, `MessageDigest.getInstance`,
//! `exec.Command`) also match code that reaches the same name through the file's imports
//! (`import hashlib as h; h.md5(…)`, `from hashlib import md5 as m; m(…)`, Go
//! `import ex "os/exec"; ex.Command(…)`): the code path's first component is resolved with
//! [`ImportTable::resolve`](crate::ImportTable::resolve) and the result must equal the template
//! path or, for templates of two or more components, end with it.
//!
//! A template may leave out optional parts that the code has: `else` branches, return types,
//! superclasses, type annotations and arguments, modifiers (`public`, `pub`, C storage classes,
//! TypeScript `static` / `readonly`), Go `if` initializers, a declaration's initializer
//! (`$T $F;` matches `T f = null;`), a try's catch and finally clauses. What it does say must
//! be there: Java and Kotlin modifier lists match as sets (each modifier or annotation of the
//! template somewhere in the code's, in any order), and a template's catch clauses match some
//! of the code's, in order. A modifier that must be absent is said with a `not_inside`
//! template, which is also tested against the match node.
//!
//! A `$$$` may stand among the members of a Java or Kotlin class body
//! (`class $C { $$$A private static $T $F; $$$B }`).
//!
//! Constraints: every `inside` template must match the match node or one of its ancestors,
//! no `not_inside` template may, and `where` clauses restrict what a metavariable may bind
//! (a regex on its text, node kinds or the categories `string`, `identifier`, `number`,
//! `literal`, `call`). Metavariables are shared between `pattern` and `inside`; constraints are
//! checked as soon as a metavariable is bound, so backtracking finds bindings that satisfy them.
//!
//! A template of several statements matches consecutive sibling statements; the match spans
//! them, from a node the unit owns.
//!
//! # Flow through locals
//!
//! Within one unit (never across functions, so a unit's matches depend on the unit alone):
//! a rule with [`RuleSpec::through_locals`] lets a template node that fails on an identifier
//! naming a local match the values of the local's definitions that end before the use
//! (assignments and declarations; any number of hops; a later assignment, even in a loop, never
//! flows backwards), and reports them as [`RuleMatch::steps`]. A `where` with
//! [`constant`](Where::constant) asks whether the bound code is a constant: a literal, an
//! operator over constants, or a local whose every definition in the unit is constant
//! (flow-insensitive, so a loop reassigning it after the use makes it non-constant). Parameters,
//! loop variables, compound assignments and imports bind values flow does not follow.
//! Definitions and binders are listed per language (Python, JavaScript, TypeScript, Java, Go).
//!
//! # Taint rules
//!
//! A rule with [`RuleSpec::sources`] is a taint rule: its `pattern` (with `inside`,
//! `not_inside`, `where`) is the sink, and a sink match is kept only when code a source
//! matched reaches the code bound to `$SINK` (every metavariable when the sink has none) in
//! the same unit: through the definitions of locals (any number of hops, `+=`, destructuring),
//! loop variables over a tainted iterable, handler parameters (a source template that matches
//! the function), and any expression containing tainted code (string building, containers,
//! calls: **a call passes taint from its arguments and receiver to its result unless a
//! sanitizer matches it**). Propagators (`$TO.append($FROM)`) feed a local in place. A `where`
//! regex on `$SINK` in a taint rule is tested against the sink's code, the path's source and
//! steps and the definitions their locals come from. A source template that binds the reserved
//! metavariable `$REQ` (`$REQ.args`, `$REQ.getParameter($$$)`) matches only where that code is a
//! web framework's incoming request, judged from the unit and the file's imports (an outgoing
//! request a client builds is not one; see `rule/request.rs`). The match carries
//! [`RuleMatch::source`] and, in [`RuleMatch::steps`], the path source side first. Built-in
//! sets: `@input` (request handlers' parameters and request objects of Flask, Django, FastAPI,
//! Tornado, Express, Koa, Next, servlets, Spring, JAX-RS, net/http, Gin, Echo, Fiber; process
//! arguments, environment, stdin, DOM locations), `@params` (every parameter of the unit's
//! function but `self`/`cls`/`this` and Go receivers), `@numeric` (conversions to numbers and
//! `len`, always sanitizers) and `@containers` (container and builder mutations, always
//! propagators). Python, JavaScript, TypeScript, Java and Go.
//!
//! # C/C++ size reasoning
//!
//! Three rule keys ask `rule/csize.rs` about sizes and inputs inside the unit (C and C++):
//! [`RuleSpec::fits`] drops a copy whose source is known to fit its destination (declared
//! array sizes of locals and array parameters, struct fields of the file, `#define` numbers,
//! constant allocations, literal sources, `sprintf` conversions of bounded width, a check of
//! the source's length before the copy that exits, or the destination allocated or grown for
//! the source's length, or a check against the destination's size); [`RuleSpec::unbounded`]
//! drops a match where a metavariable is bounded by a constant (a constant, a local of bounded
//! definitions, a value checked or asserted against a constant before, a type of at most 16
//! bits, a `static` function's parameter every call in the file gives a constant, a length in
//! memory for heap sizes); [`RuleSpec::severity_without_input`] lowers a match that no process or
//! network input reaches within the unit. What cannot be shown stays unknown, and is reported.
//!
//! Matching recurses only along the template (at most 200 syntax levels deep), never
//! along the code, and gives up (as a non-match) after a bounded number of steps per candidate,
//! so no input can overflow the stack or stall a keystroke.
//!
//! ```
//! use codetable::rule::{Rule, RuleSpec};
//! use codetable::{Document, Language};
//!
//! let spec = RuleSpec { pattern: "hashlib.md5($X)".into(), ..RuleSpec::default() };
//! let rule = Rule::compile(Language::Python, &spec)?;
//! let doc = Document::new(Language::Python, "from hashlib import md5 as m\nm(data)\n")?;
//! let found = rule.find(&doc, doc.module());
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].captures[0].text, "data");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod csize;
mod flow;
mod lang;
mod matcher;
mod request;
mod taint;
mod template;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use tree_sitter::Node;

use crate::budget::{Budget, Meter};
use crate::document::Document;
use crate::language::Language;
use crate::unit::{Unit, UnitKind};
use lang::LangInfo;
use matcher::{Constraint, Matcher};
use template::{RootFilter, Template, VarDef, VarId};

/// One metavariable constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Where {
    /// The constrained metavariable as written in the pattern (`"$X"`, `"$$$ARGS"`).
    pub metavar: String,
    /// A regular expression (Rust `regex` syntax, unanchored: use `^…$` for a whole match)
    /// that the bound text must match. For a string literal, matching its content without
    /// quotes is enough. For a `$$$` metavariable, the text of the whole sequence is tested
    /// (from its first node to its last; the empty string for an empty sequence).
    pub regex: Option<String>,
    /// Node kinds the bound node must have: tree-sitter kind names, or the categories
    /// `string`, `identifier`, `number`, `literal` and `call`. Empty means any kind. For a
    /// `$$$` metavariable, every node of the sequence must qualify.
    pub kind: Vec<String>,
    /// `Some(true)`: the bound code must be a constant; `Some(false)`: it must not be. A
    /// constant is a literal (a string without interpolations), an operator over constants
    /// only (`"a" + "b"`, `"%s" % "x"`), or a local of the unit whose every definition in the
    /// unit is constant (see [flow through locals](crate::rule#flow-through-locals)). For a `$$$` metavariable,
    /// every node of the sequence is tested.
    pub constant: Option<bool>,
}

/// A rule as written in a catalog file, for one language.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSpec {
    /// The template a match must have.
    pub pattern: String,
    /// Templates that must each match the match node or one of its ancestors. Their
    /// metavariables are shared with `pattern` and reported in the captures.
    pub inside: Vec<String>,
    /// Templates that must match neither the match node nor any of its ancestors.
    pub not_inside: Vec<String>,
    /// Constraints on metavariables of `pattern` or `inside`.
    #[serde(rename = "where", default)]
    pub where_: Vec<Where>,
    /// When a template node fails on an identifier that names a local of the unit, also try
    /// it against the values of the local's definitions before the use, in the same unit
    /// (`q = "SELECT " + x; cur.execute(q)` matches `$C.execute("SELECT " + $X)`; see
    /// the module docs). The match stays at the use; the definitions are its
    /// [`steps`](RuleMatch::steps). Off by default: a rule says when a value that reaches its
    /// code through a local is the same hazard.
    pub through_locals: bool,
    /// Taint sources: when non-empty the rule is a taint rule, `pattern` (with `inside`,
    /// `not_inside` and `where`) is its sink, and a sink match is kept only when code a
    /// source template matched reaches the code bound to `$SINK` (every metavariable of
    /// the pattern when it has no `$SINK`) within the unit (see the [taint rules](crate::rule#taint-rules)).
    /// `@input` stands for the language's built-in sources (request handlers' parameters and
    /// request objects of the main web frameworks, process arguments, environment, stdin).
    pub sources: Vec<String>,
    /// Taint rules only: templates whose matches are clean whatever they contain
    /// (`shlex.quote($X)`). Numeric conversions (`@numeric`) are always sanitizers.
    pub sanitizers: Vec<String>,
    /// Taint rules only: templates binding `$TO` (a local) and `$FROM`: a match feeds `$TO`
    /// with `$FROM` from there on (`$TO.append($FROM)`). Container and builder mutations
    /// (`@containers`) are always propagators.
    pub propagators: Vec<String>,
    /// The code that replaces a match (see [`crate::fix`]): the pattern's and `inside`'s
    /// metavariables (`$X`, `$$$ARGS`) stand for the code they bound. `None`: no autofix.
    pub fix: Option<String>,
    /// C/C++ copies: `[source, destination]` metavariables; a match is dropped when size
    /// reasoning within the unit shows the source fits the destination (see
    /// [C/C++ size reasoning](crate::rule#cc-size-reasoning)). For `sprintf` the source is the
    /// format (the arguments after it count too). Empty: no size reasoning.
    pub fits: Vec<String>,
    /// C/C++ sizes: metavariables whose value must not be bounded by a constant (a constant,
    /// `sizeof`, a local of constant definitions, or a value checked against a constant
    /// before the match); a match where one of them is bounded is dropped.
    pub unbounded: Vec<String>,
    /// C/C++: the severity of a match no process or network input reaches within the unit
    /// (`argv`, `getenv`, buffers filled by `fgets`/`read`/`recv`/`scanf`…, through locals);
    /// `None`: the pattern's severity whatever the evidence.
    pub severity_without_input: Option<crate::pattern::Severity>,
}

/// Why a rule does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// A template is empty or only whitespace.
    #[error("{role} is empty")]
    Empty {
        /// `pattern`, `inside` or `not_inside`.
        role: &'static str,
    },
    /// A template does not parse in the rule's language, alone or wrapped in a body.
    #[error("{role} does not parse as {language}: {pattern}")]
    Parse {
        /// `pattern`, `inside` or `not_inside`.
        role: &'static str,
        /// The rule's language.
        language: Language,
        /// The template as written.
        pattern: String,
    },
    /// A template is nothing but a metavariable, and would match every node.
    #[error("{role} is only a metavariable and would match every node: {pattern}")]
    OnlyMetavariable {
        /// `pattern`, `inside` or `not_inside`.
        role: &'static str,
        /// The template as written.
        pattern: String,
    },
    /// A metavariable is part of a larger token (`foo_$X`, `"$X.txt"` in a language whose
    /// strings are single tokens) instead of standing for a whole node.
    #[error("{role} uses a metavariable as part of a token; a metavariable must stand for a whole node: {pattern}")]
    PartialMetavariable {
        /// `pattern`, `inside` or `not_inside`.
        role: &'static str,
        /// The template as written.
        pattern: String,
    },
    /// An `inside` or `not_inside` template is a sequence of statements, not one node.
    #[error("{role} must be a single syntax node, not a sequence of statements: {pattern}")]
    NotSingleNode {
        /// `inside` or `not_inside`.
        role: &'static str,
        /// The template as written.
        pattern: String,
    },
    /// A template nests deeper than the matcher accepts.
    #[error("{role} is nested too deeply (more than {limit} levels)")]
    TooDeep {
        /// `pattern`, `inside` or `not_inside`.
        role: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A template has more nodes than the matcher accepts.
    #[error("{role} is too large (more than {limit} syntax nodes)")]
    TooLarge {
        /// `pattern`, `inside` or `not_inside`.
        role: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A `where` names a metavariable that `pattern`, `inside` and `not_inside` do not bind.
    #[error("`where` names metavariable {metavar:?}, which the pattern does not bind")]
    UnknownMetavariable {
        /// The name as written in the `where`.
        metavar: String,
    },
    /// A `where` regex does not compile.
    #[error("`where` regex for {metavar} is invalid: {reason}")]
    BadRegex {
        /// The constrained metavariable.
        metavar: String,
        /// The regex compiler's message.
        reason: String,
    },
    /// A `where` kind is neither a node kind of the language nor a category.
    #[error("`where` kind {kind:?} for {metavar} is not a {language} node kind nor one of string, identifier, number, literal, call")]
    UnknownKind {
        /// The constrained metavariable.
        metavar: String,
        /// The unknown kind.
        kind: String,
        /// The rule's language.
        language: Language,
    },
    /// A `@name` in a taint list is not a built-in set.
    #[error("{role} names {name:?}, which is not a built-in set (@input, @params, @numeric, @containers)")]
    UnknownSet {
        /// `sources`, `sanitizers` or `propagators`.
        role: &'static str,
        /// The name as written.
        name: String,
    },
    /// A `!X` entry of a taint list removes nothing the other entries give.
    #[error("{role} entry \"!{name}\" removes nothing: no other entry gives {name:?}")]
    RemovesNothing {
        /// `sources`, `sanitizers` or `propagators`.
        role: &'static str,
        /// The removed template or set, as written after `!`.
        name: String,
    },
    /// `sanitizers` or `propagators` without `sources`.
    #[error("{role} given without sources: a taint rule needs sources")]
    TaintWithoutSources {
        /// `sanitizers` or `propagators`.
        role: &'static str,
    },
    /// A `fix` names a metavariable that `pattern` and `inside` do not bind.
    #[error("`fix` names metavariable {metavar:?}, which the pattern does not bind")]
    FixMetavariable {
        /// The name as written in the `fix`.
        metavar: String,
    },
    /// A propagator does not bind both `$TO` and `$FROM`.
    #[error("propagator must bind $TO and $FROM: {pattern}")]
    Propagator {
        /// The template as written.
        pattern: String,
    },
}

impl RuleError {
    /// The same error, said of a template in `role` (a taint rule's sources, sanitizers or
    /// propagators, compiled as patterns of their own).
    fn in_role(self, role: &'static str) -> RuleError {
        use RuleError::*;
        match self {
            Empty { .. } => Empty { role },
            Parse {
                language, pattern, ..
            } => Parse {
                role,
                language,
                pattern,
            },
            OnlyMetavariable { pattern, .. } => OnlyMetavariable { role, pattern },
            PartialMetavariable { pattern, .. } => PartialMetavariable { role, pattern },
            NotSingleNode { pattern, .. } => NotSingleNode { role, pattern },
            TooDeep { limit, .. } => TooDeep { role, limit },
            TooLarge { limit, .. } => TooLarge { role, limit },
            other => other,
        }
    }
}

/// A compiled rule for one language. Cheap to share across threads.
#[derive(Clone)]
pub struct Rule {
    language: Language,
    info: &'static LangInfo,
    spec: RuleSpec,
    vars: Vec<VarDef>,
    /// Metavariables reported in captures: those of `pattern` and `inside`.
    reported: usize,
    pattern: Template,
    inside: Vec<Template>,
    not_inside: Vec<Template>,
    constraints: Vec<Vec<Constraint>>,
    required: Vec<u64>,
    /// The taint parts, for a taint rule.
    taint: Option<Arc<taint::Taint>>,
    /// True when a node of `pattern` below its root (any node of a sequence) has a kind that
    /// may be a unit's (a function or class template, a wrapper of that kind): matching it
    /// against a nested unit's node reads that unit's code (see [`UnitNodes::saw_nested`]).
    /// A single root is only tried on nodes the unit owns.
    unit_kinds: bool,
    /// The same for the `inside` / `not_inside` templates (tried on a match's ancestors).
    context_unit_kinds: bool,
    /// `fits`: (source, destination) metavariables.
    fits: Option<(VarId, VarId)>,
    /// `unbounded` metavariables.
    unbounded: Vec<VarId>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("language", &self.language)
            .field("spec", &self.spec)
            .finish_non_exhaustive()
    }
}

/// One match of a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMatch {
    /// Bytes of the matched code (from the first to the last statement for a sequence).
    pub byte_range: Range<usize>,
    /// Bound metavariables, in order of first appearance in the pattern, then in `inside`.
    pub captures: Vec<Capture>,
    /// Bytes of the definitions of locals the match went through (`q = "…" + x` for
    /// `cur.execute(q)`), in document order; empty for a purely syntactic match.
    pub steps: Vec<Range<usize>>,
    /// Taint rules: bytes of the source the tainted code came from (a source match or a
    /// request handler's parameter); `steps` are then the path from it to the sink, source
    /// side first. `None` for other rules.
    pub source: Option<Range<usize>>,
    /// The match's own severity when the rule sets one from evidence
    /// ([`RuleSpec::severity_without_input`]); `None`: the pattern's.
    pub severity: Option<crate::pattern::Severity>,
}

/// The code a metavariable is bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capture {
    /// The metavariable as written (`"$X"`, `"$$$ARGS"`).
    pub name: String,
    /// Bytes of the bound code; empty (at the position of the sequence) for an empty `$$$`.
    pub byte_range: Range<usize>,
    /// The bound text.
    pub text: String,
}

impl Rule {
    /// Compiles `spec` for `language`.
    pub fn compile(language: Language, spec: &RuleSpec) -> Result<Rule, RuleError> {
        let info = LangInfo::get(language);
        let mut vars = Vec::new();
        let (pattern, required) = template::compile(info, "pattern", &spec.pattern, &mut vars)?;
        let mut inside = Vec::with_capacity(spec.inside.len());
        for p in &spec.inside {
            inside.push(single(
                template::compile(info, "inside", p, &mut vars)?.0,
                "inside",
                p,
            )?);
        }
        let reported = vars.len();
        let mut not_inside = Vec::with_capacity(spec.not_inside.len());
        for p in &spec.not_inside {
            let t = template::compile(info, "not_inside", p, &mut vars)?.0;
            not_inside.push(single(t, "not_inside", p)?);
        }
        let mut constraints = vec![Vec::new(); vars.len()];
        let mut path_regex = Vec::new();
        for w in &spec.where_ {
            // A taint rule's regex on `$SINK` is about the text the sink's value was built
            // from (see `taint`), not only the sink's own code.
            if !spec.sources.is_empty()
                && w.metavar.trim() == "$SINK"
                && w.kind.is_empty()
                && w.constant.is_none()
            {
                if let Some(r) = &w.regex {
                    path_regex.push(shared_regex(r).map_err(|e| RuleError::BadRegex {
                        metavar: w.metavar.clone(),
                        reason: e.to_string(),
                    })?);
                    if resolve_var(&vars[..reported], "$SINK").is_none() {
                        return Err(RuleError::UnknownMetavariable {
                            metavar: w.metavar.clone(),
                        });
                    }
                    continue;
                }
            }
            // A `where` may also restrict a metavariable only a `not_inside` binds: the
            // exclusion then holds only for code that satisfies it.
            let v =
                resolve_var(&vars, &w.metavar).ok_or_else(|| RuleError::UnknownMetavariable {
                    metavar: w.metavar.clone(),
                })?;
            let regex = match &w.regex {
                Some(r) => Some(shared_regex(r).map_err(|e| RuleError::BadRegex {
                    metavar: w.metavar.clone(),
                    reason: e.to_string(),
                })?),
                None => None,
            };
            let kinds = if w.kind.is_empty() {
                None
            } else {
                Some(kind_set(info, &w.metavar, &w.kind)?)
            };
            constraints[v].push(Constraint {
                regex,
                kinds,
                constant: w.constant,
            });
        }
        if let Some(fix) = &spec.fix {
            for v in crate::fix::template_metavariables(fix) {
                if !vars[..reported]
                    .iter()
                    .any(|d| crate::fix::refers_to(v, &d.key))
                {
                    return Err(RuleError::FixMetavariable {
                        metavar: v.to_string(),
                    });
                }
            }
        }
        let taint = taint::Taint::compile(language, spec, path_regex)?.map(Arc::new);
        let unit_kinds = pattern.has_kind_below_root(|k| info.maybe_unit(k));
        let context_unit_kinds = inside
            .iter()
            .chain(&not_inside)
            .any(|t| t.has_kind(|k| info.maybe_unit(k)));
        let var = |name: &String| {
            resolve_var(&vars[..reported], name).ok_or_else(|| RuleError::UnknownMetavariable {
                metavar: name.clone(),
            })
        };
        let fits = match spec.fits.as_slice() {
            [] => None,
            [a, b] => Some((var(a)?, var(b)?)),
            _ => {
                return Err(RuleError::UnknownMetavariable {
                    metavar: spec.fits.join(", "),
                })
            }
        };
        let unbounded = spec
            .unbounded
            .iter()
            .map(var)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rule {
            language,
            info,
            spec: spec.clone(),
            vars,
            reported,
            pattern,
            inside,
            not_inside,
            constraints,
            required,
            taint,
            unit_kinds,
            context_unit_kinds,
            fits,
            unbounded,
        })
    }

    /// The rule's language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// True when the rule has `inside` or `not_inside` templates: its matches depend on the
    /// ancestors of the match node, not only on the node.
    pub fn has_context(&self) -> bool {
        !self.inside.is_empty()
            || !self.not_inside.is_empty()
            || self
                .taint
                .as_ref()
                .is_some_and(|t| t.rules().any(Rule::has_context))
    }

    /// True for a taint rule (one with `sources`).
    pub fn is_taint(&self) -> bool {
        self.taint.is_some()
    }

    /// The node kinds the rule's `inside` / `not_inside` templates can match (an ancestor of a
    /// match of another kind never changes the result), or `None` when a template can match
    /// nodes of any kind. Empty when the rule has no context templates.
    pub fn context_kinds(&self) -> Option<Vec<u16>> {
        let mut kinds = Vec::new();
        for t in self.inside.iter().chain(&self.not_inside) {
            match t.filter {
                RootFilter::Kind(k) => kinds.push(k),
                RootFilter::Any | RootFilter::Path => return None,
            }
        }
        if let Some(taint) = &self.taint {
            for r in taint.rules() {
                kinds.extend(r.context_kinds()?);
            }
        }
        kinds.sort_unstable();
        kinds.dedup();
        Some(kinds)
    }

    /// Features (see [`features`](crate::features)) that the fingerprint of any unit
    /// containing a match is guaranteed to contain: the names of the template's identifiers in
    /// anchor positions (callees, attribute names, keyword names, import and qualified paths)
    /// and the operators of its comparison and operator nodes, outside nested units. Sorted,
    /// deduplicated; possibly empty. An index may skip units lacking any of them.
    pub fn required_features(&self) -> Vec<u64> {
        self.required.clone()
    }

    /// The edit the rule's `fix` proposes for match `m` (see [`crate::fix`]); `None` when the
    /// rule has no fix or `m` binds a metavariable the fix names outside its own bytes.
    /// `text` is the text of the document `m` was found in.
    pub fn fix(&self, text: &str, m: &RuleMatch) -> Option<crate::fix::Fix> {
        crate::fix::for_match(
            self.spec.fix.as_deref()?,
            &self.spec.pattern,
            text,
            &m.byte_range,
            &m.captures,
        )
    }

    /// All matches rooted at nodes owned by `unit`: inside its node but not inside a nested
    /// unit's node (a nested unit's own node belongs to the nested unit; the module owns the
    /// top level). Matches come in document order; a node is reported at most once.
    pub fn find(&self, doc: &Document, unit: &Unit) -> Vec<RuleMatch> {
        if doc.language() != self.language {
            return Vec::new();
        }
        let meter = Meter::new(Budget::UNLIMITED);
        match UnitNodes::collect(doc, unit, &meter) {
            Some(nodes) => self.find_in(doc, &nodes, &meter),
            None => Vec::new(),
        }
    }

    /// [`find`](Rule::find) over nodes collected once for every rule of a unit: a rule whose
    /// template root has one kind only visits the nodes of that kind. Each candidate node and
    /// each ancestor an `inside` template looks at is charged to `meter`; once it runs over,
    /// the rest is skipped (the caller turns [`Meter::check`] into the error).
    pub(crate) fn find_in<'t>(
        &self,
        doc: &'t Document,
        nodes: &UnitNodes<'t>,
        meter: &Meter,
    ) -> Vec<RuleMatch> {
        let mut out = Vec::new();
        if doc.language() != self.language || nodes.entries.is_empty() || nodes.rules_out(self) {
            return out;
        }
        if self.unit_kinds {
            nodes.note_nested_kinds();
        }
        let mut m = Matcher::new(
            self.info,
            &self.constraints,
            doc.text(),
            doc.imports(),
            self.vars.len(),
            Some(nodes),
            self.spec.through_locals,
        );
        // A sequence template (several statements) starts at a unit's own node only in the
        // enclosing unit, which holds the siblings it runs into; there, the nodes of nested units
        // are candidate starts too.
        let sequence = self.pattern.roots.len() > 1;
        let mut visit = |i: u32| {
            if !meter.ok(1) {
                return;
            }
            let node = nodes.entries[i as usize].node;
            if sequence && i == 0 {
                return;
            }
            if node.is_named() && self.candidate(node, nodes.parent_node(i)) {
                self.try_at(&mut m, nodes, i, &mut out, meter);
            }
        };
        let nested = if sequence { &nodes.nested[..] } else { &[] };
        match self.pattern.filter {
            RootFilter::Kind(k) => {
                for list in [&nodes.by_kind[..], nested] {
                    let from = list.partition_point(|e| e.0 < k);
                    for &(_, i) in list[from..].iter().take_while(|e| e.0 == k) {
                        visit(i);
                    }
                }
            }
            RootFilter::Any | RootFilter::Path => {
                for list in [&nodes.in_order[..], nested] {
                    for &(_, i) in list {
                        visit(i);
                    }
                }
            }
        }
        if !nested.is_empty() {
            out.sort_by_key(|m| (m.byte_range.start, m.byte_range.end));
        }
        match &self.taint {
            Some(t) if !out.is_empty() => t.filter(doc, nodes, self.info, out, meter),
            _ => out,
        }
    }

    /// Cheap pre-filter: can the pattern's root match `node` at all?
    fn candidate(&self, node: Node<'_>, parent: Option<Node<'_>>) -> bool {
        root_candidate(self.info, &self.pattern, node, parent)
    }

    fn try_at<'t>(
        &self,
        m: &mut Matcher<'_, 't>,
        nodes: &UnitNodes<'t>,
        at: u32,
        out: &mut Vec<RuleMatch>,
        meter: &Meter,
    ) {
        let node = nodes.entries[at as usize].node;
        m.reset();
        let tpl = &self.pattern;
        let end = if tpl.roots.len() == 1 {
            if !m.match_node(tpl, tpl.roots[0], node) {
                return;
            }
            node.end_byte()
        } else {
            // The first item alone rules out most candidates before siblings are collected.
            let first_ok = m.match_node(tpl, tpl.roots[0], node);
            m.reset();
            if !first_ok {
                return;
            }
            let code = siblings_from(self.info, nodes, at, tpl);
            if !m.match_root_seq(tpl, &code) {
                return;
            }
            match m.seq_end.checked_sub(1).and_then(|i| code.get(i)) {
                Some(last) => last.end_byte(),
                None => node.end_byte(),
            }
        };
        let chain = || nodes.chain(at);
        for t in &self.inside {
            let mut found = false;
            for a in chain() {
                if !meter.ok(1) {
                    return;
                }
                if !root_candidate(self.info, t, a, None) {
                    continue;
                }
                if self.context_unit_kinds {
                    nodes.note_read(&a.byte_range());
                }
                let mark = m.mark();
                m.renew_budget();
                if m.match_node(t, t.roots[0], a) && !runs_once_in_loop(a, node.start_byte(), end) {
                    found = true;
                    break;
                }
                m.undo(mark);
            }
            if !found {
                return;
            }
        }
        for t in &self.not_inside {
            for a in chain() {
                if !meter.ok(1) {
                    return;
                }
                if !root_candidate(self.info, t, a, None) {
                    continue;
                }
                if self.context_unit_kinds {
                    nodes.note_read(&a.byte_range());
                }
                let mark = m.mark();
                m.renew_budget();
                let hit = m.match_node(t, t.roots[0], a);
                m.undo(mark);
                if hit {
                    return;
                }
            }
        }
        let mut severity = None;
        if self.fits.is_some()
            || !self.unbounded.is_empty()
            || self.spec.severity_without_input.is_some()
        {
            let bound = |v: VarId| match m.binds.get(v) {
                Some(Some(matcher::Bound::One(n))) => Some(*n),
                _ => None,
            };
            let sizes = csize::Sizes::new(m.text(), nodes.imports, nodes.entries[0].node);
            if let Some((src, dst)) = self.fits {
                if let (Some(s), Some(d)) = (bound(src), bound(dst)) {
                    if sizes.copy_fits(node, s, d) {
                        return;
                    }
                }
            }
            if !self.unbounded.is_empty() {
                let locals = nodes.locals(self.info, m.text());
                let constant = |n: Node<'t>| flow::is_constant(self.info, locals, m.text(), n);
                if self
                    .unbounded
                    .iter()
                    .any(|&v| bound(v).is_some_and(|n| sizes.bounded(n, &constant, node)))
                {
                    return;
                }
            }
            if let Some(lower) = self.spec.severity_without_input {
                let caught: Vec<Node<'t>> = m
                    .binds
                    .iter()
                    .take(self.reported)
                    .flatten()
                    .flat_map(|b| match b {
                        matcher::Bound::One(n) => vec![*n],
                        matcher::Bound::Many { nodes, .. } => nodes.clone(),
                    })
                    .collect();
                if !sizes.input_reaches(node, &caught) {
                    severity = Some(lower);
                }
            }
        }
        let text = m.text();
        let captures = self.vars[..self.reported]
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let b = m.binds.get(i)?.as_ref()?;
                let range = b.range();
                Some(Capture {
                    name: v.key.clone(),
                    text: text.get(range.clone()).unwrap_or("").to_string(),
                    byte_range: range,
                })
            })
            .collect();
        if !m.via.is_empty() {
            let Some(fp) = nodes.fingerprint else {
                return;
            };
            if !self.required.iter().all(|&f| fp.contains(f)) {
                return;
            }
        }
        let mut steps = m.via.clone();
        steps.sort_by_key(|r| (r.start, r.end));
        steps.dedup();
        out.push(RuleMatch {
            byte_range: node.start_byte()..end,
            captures,
            steps,
            source: None,
            severity,
        });
    }
}

/// (start, end, kind id) of the units directly nested in `unit`, by start.
fn nested_units(doc: &Document, unit: &Unit) -> Vec<(usize, usize, u16)> {
    doc.children_of(unit)
        .map(|u| (u.byte_range.start, u.byte_range.end, u.kind_id))
        .collect()
}

/// Can the root of `tpl` match `node`? `parent` (when known) rules out path roots on the
/// member-name part of a larger path (`md5` in `x.md5`).
fn root_candidate(
    info: &LangInfo,
    tpl: &Template,
    node: Node<'_>,
    parent: Option<Node<'_>>,
) -> bool {
    match tpl.filter {
        RootFilter::Kind(k) => node.kind_id() == k,
        RootFilter::Any => node.is_named() && !info.ignored(node),
        RootFilter::Path => {
            let rf = info.rflags(node.kind_id());
            let is_path = if node.child_count() == 0 {
                rf & lang::R_IDENT != 0
            } else {
                rf & lang::R_PATH != 0
            };
            if !is_path {
                return false;
            }
            match parent {
                Some(p) if info.rflags(p.kind_id()) & lang::R_PATH != 0 => {
                    let mut c = p.walk();
                    let first = p.named_children(&mut c).find(|k| !info.ignored(*k));
                    first.is_some_and(|f| f.id() == node.id())
                }
                _ => true,
            }
        }
    }
}

/// The node at `at` and its following named siblings, as many as a sequence template can use.
fn siblings_from<'t>(
    info: &LangInfo,
    nodes: &UnitNodes<'t>,
    at: u32,
    tpl: &Template,
) -> Vec<Node<'t>> {
    const MAX_SEQ: usize = 1_000;
    let want = if tpl.roots_multi {
        MAX_SEQ
    } else {
        tpl.roots.len()
    };
    let node = nodes.entries[at as usize].node;
    let mut code = vec![node];
    let keep = |n: Node<'_>| n.is_named() && !info.ignored(n);
    // The unit's own node (entry 0) has no siblings here: they belong to the enclosing unit,
    // and a match of this unit that ran into them would change with code the unit does not
    // hold (an edit there would not re-analyze it).
    let mut i = nodes.entries[at as usize].next;
    while code.len() < want && i != NONE {
        let e = &nodes.entries[i as usize];
        if keep(e.node) {
            code.push(e.node);
        }
        i = e.next;
    }
    code
}

/// No entry.
const NONE: u32 = u32::MAX;

/// A shared taint template (kept alive) and its matches in one unit.
type SharedMatches = (Arc<Rule>, std::rc::Rc<Vec<RuleMatch>>);

/// One node of a [`UnitNodes`].
struct NodeEntry<'t> {
    node: Node<'t>,
    /// The parent's entry; `NONE` for the unit's own node.
    parent: u32,
    /// The next sibling's entry; `NONE` for the last child.
    next: u32,
}

/// The nodes a unit owns, collected in one walk so that each of the unit's candidate rules
/// scans them without walking the tree again: pre-order entries (a nested unit's node is an
/// entry, for sibling sequences, but nothing under it), parent and next-sibling links, and the
/// named owned nodes by kind.
pub(crate) struct UnitNodes<'t> {
    /// Ancestors of the unit's node, from the tree root down to its parent (none for the
    /// module).
    outer: std::borrow::Cow<'t, [Node<'t>]>,
    entries: Vec<NodeEntry<'t>>,
    /// (kind id, entry) of the named owned nodes, by kind then document order.
    by_kind: Vec<(u16, u32)>,
    /// The same, in document order.
    in_order: Vec<(u16, u32)>,
    /// (kind id, entry) of the nodes of directly nested units, by kind then document order:
    /// where sequence templates may start.
    nested: Vec<(u16, u32)>,
    /// The definitions of the unit's locals, collected on first use; `None` inside when the
    /// walk is deep (flow stays within one unit).
    locals: std::cell::OnceCell<Option<flow::Locals<'t>>>,
    deep: bool,
    /// The unit's fingerprint, when the unit is the document's: a match that went through a
    /// local is kept only when the unit has the rule's required features (a value may bring
    /// them from a definition where they play another role), so the index stays sound.
    fingerprint: Option<&'t crate::Fingerprint>,
    /// Matches of the taint templates shared by several taint rules (see
    /// [`UnitNodes::shared_matches`]), by the address of their compiled rule (kept alive here).
    shared: std::cell::RefCell<HashMap<usize, SharedMatches>>,
    /// `if` conditions of the unit that look like validation (start, text), for taint rules;
    /// found on first use.
    pub(crate) guards: std::cell::OnceCell<Vec<(usize, &'t str)>>,
    /// No shortcut that skips a rule's matching by what the unit lacks (required features,
    /// taint without any source): see [`crate::Engine::set_exhaustive`].
    pub(crate) exhaustive: bool,
    /// The project's own sanitiser functions (`codetable.toml`'s `sanitizers`, see
    /// [`crate::Engine::set_sanitizers`]), for taint rules.
    pub(crate) sanitizer_names: Option<std::sync::Arc<[String]>>,
    /// The document's imports (C/C++ file constants among them) for flow.
    imports: &'t crate::language::ImportTable,
    /// (start, end) of the directly nested units, by start (disjoint).
    nested_ranges: Vec<(usize, usize)>,
    /// Whether the unit's analysis so far may have read code inside a nested unit (see
    /// [`UnitNodes::saw_nested`]).
    saw_nested: std::cell::Cell<bool>,
}

impl<'t> UnitNodes<'t> {
    /// Whether the rules run over these nodes so far may have depended on code inside a nested
    /// unit: a metavariable bound to code that overlaps one (its text is captured, compared or
    /// constrained), a template node of a unit's kind (matching it reads the nested unit), a
    /// local's definition or a validation condition that overlaps one (flow reads it). When
    /// false, the matches are a function of the unit's own code and of where its nested units
    /// lie, not of what they hold: an edit inside a nested unit leaves them as they were,
    /// shifted (`Engine::analyze_delta` keeps them). The engine adds what it reports itself
    /// (matches whose bytes overlap a nested unit).
    pub(crate) fn saw_nested(&self) -> bool {
        self.saw_nested.get()
    }

    /// True when `range` overlaps (or, empty, lies inside) a directly nested unit.
    pub(crate) fn touches_nested(&self, range: &Range<usize>) -> bool {
        let n = &self.nested_ranges;
        let i = n.partition_point(|u| u.1 <= range.start);
        n.get(i)
            .is_some_and(|u| u.0 < range.end.max(range.start + 1))
    }

    /// Records that code in `range` was read by a rule: see [`UnitNodes::saw_nested`].
    pub(crate) fn note_read(&self, range: &Range<usize>) {
        if !self.saw_nested.get() && self.touches_nested(range) {
            self.saw_nested.set(true);
        }
    }

    /// Records that a rule with template nodes of a unit's kind ran here.
    fn note_nested_kinds(&self) {
        if !self.nested_ranges.is_empty() {
            self.saw_nested.set(true);
        }
    }

    /// Walks the nodes `unit` owns; `None` when the unit has no node in the tree.
    /// Each node walked (and each ancestor of the unit's node) is charged to `meter`; the walk
    /// stops with `None` once it runs over.
    pub(crate) fn collect(doc: &'t Document, unit: &Unit, meter: &Meter) -> Option<UnitNodes<'t>> {
        Self::collect_with(doc, unit, None, false, meter)
    }

    /// [`UnitNodes::collect`] for a unit whose node and ancestors (root first) the caller
    /// already holds: a walk over the whole tree passes them in, so finding them costs nothing
    /// (looking a node up from the root costs its depth).
    pub(crate) fn collect_at(
        doc: &'t Document,
        unit: &Unit,
        node: Node<'t>,
        ancestors: &'t [Node<'t>],
        meter: &Meter,
    ) -> Option<UnitNodes<'t>> {
        Self::collect_with(doc, unit, Some((node, ancestors)), false, meter)
    }

    /// Walks every node of `unit`'s subtree, nested units included, as if the unit were the
    /// whole tree: context templates see the unit's own node and what lies below it, nothing
    /// above. Shape guards use this: they are about the unit alone, so a change outside it
    /// cannot change their verdict.
    pub(crate) fn collect_deep(
        doc: &'t Document,
        unit: &Unit,
        meter: &Meter,
    ) -> Option<UnitNodes<'t>> {
        Self::collect_with(doc, unit, None, true, meter)
    }

    fn collect_with(
        doc: &'t Document,
        unit: &Unit,
        at: Option<(Node<'t>, &'t [Node<'t>])>,
        deep: bool,
        meter: &Meter,
    ) -> Option<UnitNodes<'t>> {
        let root = match at {
            Some((node, _)) => node,
            None => doc.node_of(unit)?,
        };
        let info = LangInfo::get(doc.language());
        let nested = if deep {
            Vec::new()
        } else {
            nested_units(doc, unit)
        };
        let is_nested = |n: Node<'_>| {
            if !info.maybe_unit(n.kind_id()) {
                return false;
            }
            let start = n.start_byte();
            let i = nested.partition_point(|u| u.0 < start);
            nested[i..]
                .iter()
                .take_while(|u| u.0 == start)
                .any(|u| u.1 == n.end_byte() && u.2 == n.kind_id())
        };
        let fingerprint = {
            let units = doc.units();
            let from = units.partition_point(|u| u.byte_range.start < unit.byte_range.start);
            units[from..]
                .iter()
                .take_while(|u| u.byte_range.start == unit.byte_range.start)
                .find(|u| u.id == unit.id)
                .map(|u| &u.fingerprint)
        };
        let outer = if unit.kind == UnitKind::Module || deep {
            std::borrow::Cow::Borrowed(&[][..])
        } else if let Some((_, ancestors)) = at {
            std::borrow::Cow::Borrowed(ancestors)
        } else {
            std::borrow::Cow::Owned(ancestors_of(doc.tree().root_node(), root, meter)?)
        };
        let mut entries: Vec<NodeEntry<'t>> = Vec::new();
        let mut in_order = Vec::new();
        let mut nested_at = Vec::new();
        // The entry of each open node on the path from the root, and of its last child so far.
        let mut path: Vec<(u32, u32)> = Vec::new();
        let mut cursor = root.walk();
        loop {
            if !meter.ok(1) {
                return None;
            }
            let node = cursor.node();
            let at = entries.len() as u32;
            let (parent, prev) = path.last().copied().unwrap_or((NONE, NONE));
            if prev != NONE {
                entries[prev as usize].next = at;
            }
            if let Some(top) = path.last_mut() {
                top.1 = at;
            }
            entries.push(NodeEntry {
                node,
                parent,
                next: NONE,
            });
            let skip = at > 0 && is_nested(node);
            if skip && node.is_named() {
                nested_at.push((node.kind_id(), at));
            }
            if !skip {
                if node.is_named() {
                    in_order.push((node.kind_id(), at));
                }
                if cursor.goto_first_child() {
                    path.push((at, NONE));
                    continue;
                }
            }
            loop {
                if path.is_empty() {
                    let mut by_kind = in_order.clone();
                    by_kind.sort_unstable();
                    nested_at.sort_unstable();
                    let nested_ranges = nested.iter().map(|u| (u.0, u.1)).collect();
                    return Some(UnitNodes {
                        nested_ranges,
                        saw_nested: std::cell::Cell::new(false),
                        outer,
                        entries,
                        by_kind,
                        in_order,
                        nested: nested_at,
                        locals: std::cell::OnceCell::new(),
                        deep,
                        fingerprint,
                        shared: Default::default(),
                        guards: std::cell::OnceCell::new(),
                        exhaustive: false,
                        sanitizer_names: None,
                        imports: doc.imports(),
                    });
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                cursor.goto_parent();
                path.pop();
            }
        }
    }

    /// The definitions of the unit's locals (see [`flow`]); `None` for a deep walk.
    pub(crate) fn locals(
        &self,
        info: &'static LangInfo,
        text: &'t str,
    ) -> Option<&flow::Locals<'t>> {
        self.locals
            .get_or_init(|| {
                (!self.deep).then(|| {
                    let locals = flow::Locals::collect(
                        info,
                        text,
                        self.in_order
                            .iter()
                            .map(|&(_, i)| self.entries[i as usize].node),
                    )
                    .with_file(self.imports);
                    // Flow reads the values of definitions: one that holds a nested unit
                    // (`h = lambda: …`) makes the unit's matches depend on its code.
                    for r in locals.spans() {
                        self.note_read(&r);
                    }
                    locals
                })
            })
            .as_ref()
    }

    /// The matches of `rule` in the unit, found on the first call and shared by later ones:
    /// taint rules that list the same template (a family's sink rules, all with the same
    /// sources and sanitizers) hold the same compiled rule, so its matches are found once.
    pub(crate) fn shared_matches(
        &self,
        rule: &Arc<Rule>,
        doc: &'t Document,
        meter: &Meter,
    ) -> std::rc::Rc<Vec<RuleMatch>> {
        let key = Arc::as_ptr(rule) as usize;
        if let Some((_, found)) = self.shared.borrow().get(&key) {
            return found.clone();
        }
        let found = std::rc::Rc::new(rule.find_in(doc, self, meter));
        self.shared
            .borrow_mut()
            .insert(key, (rule.clone(), found.clone()));
        found
    }

    /// True when no match of `rule` can lie in the unit because the unit's fingerprint lacks
    /// one of the rule's required features (those are guaranteed in any unit holding a
    /// match). Only for the unit's own nodes (not a deep walk, whose nested units' features
    /// are not in the fingerprint), and never when the walk is exhaustive.
    fn rules_out(&self, rule: &Rule) -> bool {
        if self.exhaustive || self.deep {
            return false;
        }
        self.fingerprint
            .is_some_and(|fp| !rule.required.iter().all(|&f| fp.contains(f)))
    }

    /// The parent of the entry's node: the unit's parent node for the unit's own node.
    fn parent_node(&self, at: u32) -> Option<Node<'t>> {
        match self.entries[at as usize].parent {
            NONE => self.outer.last().copied(),
            p => Some(self.entries[p as usize].node),
        }
    }

    /// The entry's node, then its ancestors up to the tree root.
    fn chain(&self, at: u32) -> impl Iterator<Item = Node<'t>> + '_ {
        let mut i = at;
        std::iter::from_fn(move || {
            if i == NONE {
                return None;
            }
            let e = &self.entries[i as usize];
            i = e.parent;
            Some(e.node)
        })
        .chain(self.outer.iter().rev().copied())
    }
}

/// The ancestors of `target`, from the tree root down to its parent; `None` when `meter`
/// runs over (one node charged per ancestor).
fn ancestors_of<'t>(top: Node<'t>, target: Node<'t>, meter: &Meter) -> Option<Vec<Node<'t>>> {
    let mut out = Vec::new();
    let mut n = top;
    while n.id() != target.id() {
        if !meter.ok(1) {
            return None;
        }
        out.push(n);
        match n.child_with_descendant(target) {
            Some(c) => n = c,
            None => return Some(Vec::new()),
        }
    }
    Some(out)
}

/// The compiled `regex`, shared with every rule of the process that wrote the same one (a
/// taint family's sink rules all carry its `where` regexes): compiling a regex costs far more
/// than sharing one. The process keeps weak references only, so the regexes (and the match
/// caches they grow) of dropped engines are freed; dead entries are swept whenever the table
/// doubles, so rules compiled over a long life cannot grow it without bound. A `BTreeMap`, not a
/// hash map (whose table is held by a pointer into its middle): what the process keeps at exit
/// stays plainly reachable to leak checkers (the C suite runs under valgrind).
fn shared_regex(source: &str) -> Result<Arc<regex::Regex>, regex::Error> {
    use std::collections::BTreeMap;
    use std::sync::{Mutex, OnceLock, Weak};
    type Table = (BTreeMap<String, Weak<regex::Regex>>, usize);
    static SHARED: OnceLock<Mutex<Table>> = OnceLock::new();
    let table = SHARED.get_or_init(|| Mutex::new((BTreeMap::new(), 64)));
    if let Some(re) = table
        .lock()
        .ok()
        .and_then(|t| t.0.get(source).and_then(Weak::upgrade))
    {
        return Ok(re);
    }
    let re = Arc::new(regex::Regex::new(source)?);
    if let Ok(mut t) = table.lock() {
        let (map, sweep_at) = &mut *t;
        if map.len() >= *sweep_at {
            map.retain(|_, w| w.strong_count() > 0);
            *sweep_at = (map.len() * 2).max(64);
        }
        map.insert(source.to_string(), Arc::downgrade(&re));
    }
    Ok(re)
}

/// True when `loop` is a loop and the code at `start..end` lies in a part of it that runs once,
/// not once per iteration: the iterable of a for-each loop (Python `for … in`, JS/TS `for … of` /
/// `for … in`, Java enhanced `for`, Kotlin `for (… in …)`, Go `range`, Rust `for … in`, C++
/// range-`for`), the initializer of a C-style `for`, and Python's `else` clause of a loop. An
/// `inside` template that matches such a loop does not hold for that code there (an enclosing
/// loop may still hold): `for row in conn.execute(q):` issues one query, not one per row.
fn runs_once_in_loop(loop_node: Node<'_>, start: usize, end: usize) -> bool {
    let within = |n: Node<'_>| n.start_byte() <= start && end <= n.end_byte();
    let field = |name: &str| loop_node.child_by_field_name(name).is_some_and(within);
    match loop_node.kind() {
        // Python (`alternative` is the loop's `else`), C/C++ range-for and JS/TS for-of/in.
        "for_statement" | "while_statement" if field("alternative") => true,
        "for_in_statement" | "for_range_loop" => field("right") || field("initializer"),
        "enhanced_for_statement" | "for_expression" => field("value"),
        "for_statement" => {
            if field("right") || field("initializer") || field("init") {
                return true;
            }
            let mut cursor = loop_node.walk();
            let kids: Vec<Node<'_>> = loop_node.children(&mut cursor).collect();
            for (i, k) in kids.iter().enumerate() {
                match k.kind() {
                    // Go: `for k, v := range xs` and `for i := f(); …; …`.
                    "range_clause" => return k.child_by_field_name("right").is_some_and(within),
                    "for_clause" => {
                        return k.child_by_field_name("initializer").is_some_and(within);
                    }
                    // Kotlin (no fields): the expression right after `in`. Python's `in` has
                    // its `right` field, handled above.
                    "in" if !k.is_named() && loop_node.child_by_field_name("body").is_none() => {
                        return kids[i + 1..]
                            .iter()
                            .find(|n| n.is_named() && n.kind() != "comment")
                            .is_some_and(|n| within(*n));
                    }
                    _ => {}
                }
            }
            false
        }
        _ => false,
    }
}

/// Inside and not-inside templates are matched against single ancestors.
fn single(t: Template, role: &'static str, pattern: &str) -> Result<Template, RuleError> {
    if t.roots.len() == 1 {
        Ok(t)
    } else {
        Err(RuleError::NotSingleNode {
            role,
            pattern: pattern.to_string(),
        })
    }
}

/// The variable a `where` names: `$X` or `$$$X` exactly, or a bare `X`.
fn resolve_var(vars: &[VarDef], name: &str) -> Option<usize> {
    let name = name.trim();
    if let Some(i) = vars.iter().position(|v| v.key == name) {
        return Some(i);
    }
    let bare = name.trim_start_matches('$');
    if bare.is_empty() || bare.starts_with('_') {
        return None;
    }
    vars.iter()
        .position(|v| v.key.trim_start_matches('$') == bare)
}

/// The kind ids allowed by a `where kind` list.
fn kind_set(info: &LangInfo, metavar: &str, kinds: &[String]) -> Result<Box<[bool]>, RuleError> {
    let grammar = info.language.grammar();
    let mut set = vec![false; grammar.node_kind_count()];
    for k in kinds {
        let k = k.trim();
        if let Some(mask) = info.category(k) {
            for id in info.kinds_with(mask) {
                set[id as usize] = true;
            }
            continue;
        }
        let id = grammar.id_for_node_kind(k, true);
        if id == 0 || !grammar.node_kind_is_named(id) {
            return Err(RuleError::UnknownKind {
                metavar: metavar.to_string(),
                kind: k.to_string(),
                language: info.language,
            });
        }
        // Aliased kinds can have several ids with the same name.
        for (other, slot) in set.iter_mut().enumerate() {
            let other = other as u16;
            if grammar.node_kind_for_id(other) == Some(k) && grammar.node_kind_is_named(other) {
                *slot = true;
            }
        }
    }
    Ok(set.into())
}
