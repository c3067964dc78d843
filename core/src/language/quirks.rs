//! What a language may add to its node-kind table: how its units are told apart
//! ([`UnitQuirks`]), what rule matching must know ([`RuleFacts`]) and how rule templates are made
//! to parse ([`TemplateQuirks`]). The types only: the values live in the language modules, and
//! the unit walk and the rule matcher read them; no language is named here but as an example.

use tree_sitter::Node;

use crate::unit::UnitKind;

/// How the units of a language are told apart beyond the [`Spec`]'s unit rules.
pub(crate) struct UnitQuirks {
    /// Refines the kind a unit rule gave a node (Kotlin: a `class_declaration` that is an
    /// interface or an enum class).
    pub refine_kind: Option<fn(Node<'_>, UnitKind) -> UnitKind>,
    /// The text naming the type a method belongs to when the method is declared outside it (Go
    /// receivers), given the unit node and the file's text; the walk cuts it to a name and
    /// qualifies the method's name with it.
    pub owner: Option<for<'t> fn(Node<'_>, &'t str) -> Option<&'t str>>,
    /// A method named after the type that holds it is a constructor (C++).
    pub constructor_is_type_name: bool,
}

impl UnitQuirks {
    /// Units as the spec's unit rules say.
    pub(crate) const NONE: UnitQuirks = UnitQuirks {
        refine_kind: None,
        owner: None,
        constructor_is_type_name: false,
    };
}

/// What rule matching needs to know of a language beyond its [`Spec`]. The matching vocabulary
/// every grammar shares (punctuation, path kinds, omittable fields, optional modifiers…) lives in
/// `rule::lang`; these are the facts of one language only.
pub(crate) struct RuleFacts {
    /// A call whose callee is split over two fields (Java `a.b.C.m(x)`: `object` + `name`).
    pub split_call: Option<SplitCallRule>,
    /// Named kinds a template may leave out, besides the shared ones (TypeScript's
    /// `override_modifier`).
    pub optional_kinds: &'static [&'static str],
    /// Anonymous tokens a template may leave out (JavaScript and TypeScript member modifiers).
    pub optional_tokens: &'static [&'static str],
    /// How values flow through the locals of a unit.
    pub flow: FlowFacts,
    /// An upper-case name the unit does not define (`CMD`, `LOG_FMT`) is a constant: C and
    /// C++ spell object-like macros and enumerators that way, and a `#define` is never a unit's
    /// local, so this is read from the name alone.
    pub upper_case_constants: bool,
}

/// How values flow through the locals of a unit: what binds a name to a value, what binds it
/// to something flow does not follow, and what makes an expression constant (a string is
/// constant without substitutions, see `F_SUBSTITUTION`). Kinds a grammar
/// does not have are ignored.
pub(crate) struct FlowFacts {
    /// (kind, target field, value field) of assignments and declarations (`q = …`,
    /// `const q = …`, `q := …`). A target that is a list (`a, b = x, y`) pairs with the value
    /// list by position; a node with an `operator` field other than `=` / `:=` (`q += x`) binds
    /// its target to an unknown value.
    pub defs: &'static [(&'static str, &'static str, &'static str)],
    /// (kind, field) whose identifiers are bound to values flow does not know: parameters,
    /// loop variables, catch parameters, imports, `global`. An empty field means the whole node.
    pub binders: &'static [(&'static str, &'static str)],
    /// Kinds whose value is constant when all their named children are (concatenation and
    /// formatting operators, tuples of format arguments).
    pub operators: &'static [&'static str],
    /// Definitions whose grammar has no fields (Kotlin `val q: T = v`): (kind, target kinds,
    /// token). The target is the first named child of one of the target kinds (a wrapper whose
    /// first named child is the name, such as Kotlin's `variable_declaration`, names that
    /// local; any other kind binds the identifiers under it to an unknown value), the value
    /// is the first named child after the token.
    pub token_defs: &'static [(&'static str, &'static [&'static str], &'static str)],
    /// (kind, child kind): the identifiers under the node's children of that kind are bound to
    /// values flow does not know (Kotlin `for (x in xs)`, `catch (e: E)`), for grammars that
    /// name no field there.
    pub kind_binders: &'static [(&'static str, &'static str)],
    /// Kinds whose value is fixed at compile time whatever their operands (C `sizeof`,
    /// `_Alignof`, `offsetof`).
    pub constant_kinds: &'static [&'static str],
    /// Function-like macros whose value is a compile-time constant whatever their argument
    /// (`ArraySize(a)`, `ARRAY_SIZE(a)`, `countof(a)`: `sizeof(a)/sizeof(a[0])`), compared in
    /// lower case without underscores. With [`RuleFacts::upper_case_constants`], a call of an
    /// upper-case name over constants only (`ALIGN_UP(N + 2)`) is a constant too.
    pub constant_calls: &'static [&'static str],
}

impl FlowFacts {
    /// A language whose values flow nowhere.
    pub(crate) const NONE: FlowFacts = FlowFacts {
        defs: &[],
        binders: &[],
        operators: &[],
        token_defs: &[],
        kind_binders: &[],
        constant_kinds: &[],
        constant_calls: &[],
    };
}

impl RuleFacts {
    /// A language with no rule facts of its own.
    pub(crate) const NONE: RuleFacts = RuleFacts {
        split_call: None,
        optional_kinds: &[],
        optional_tokens: &[],
        flow: FlowFacts::NONE,
        upper_case_constants: false,
    };
}

/// A call kind whose callee is spread over two fields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SplitCallRule {
    /// The call's node kind.
    pub kind: &'static str,
    /// The field of the object the method is called on.
    pub object: &'static str,
    /// The field of the method name.
    pub name: &'static str,
}

/// How a rule template (a snippet with metavariables) is made to parse in a language: the
/// wrappers tried around it and the stand-ins written for metavariables where an expression
/// would not parse. `rule::template` spells the stand-ins; a language only chooses them.
pub(crate) struct TemplateQuirks {
    /// Tried in order until the snippet parses without errors.
    pub wrappers: &'static [Wrapper],
    /// The wrapper that places an annotation or decorator on a declaration; tried first for
    /// snippets starting with `@` or `#[`.
    pub annotation_wrapper: Option<Wrapper>,
    /// A wrapper tried before the others for the snippets that are members (Java: a snippet
    /// starting with a modifier only members carry is a member, not a local variable).
    pub member_wrapper: Option<MemberWrapper>,
    /// How metavariables standing for parameters are given a type, when the grammar needs one.
    pub param_type: Option<ParamType>,
    /// How a `$$$` standing among class members is written, when class bodies hold members
    /// only (Java, Kotlin).
    pub member_multi: Option<MemberMulti>,
    /// A `$$$` ending an item list is also tried as a macro invocation item (Rust `mod m { $$$ }`,
    /// `impl S { $$$ }`).
    pub macro_items: bool,
    /// True when a parse without errors still is not what the template means; given the
    /// snippet, the wrapped source and its tree (Kotlin).
    pub misread: Option<fn(&str, &str, &tree_sitter::Tree) -> bool>,
}

/// A (prefix, suffix) pair written around a snippet so that it parses (`("fn __ct() {\n", "\n}")`).
pub(crate) type Wrapper = (&'static str, &'static str);

/// The wrapper of [`TemplateQuirks::member_wrapper`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct MemberWrapper {
    /// True for the snippets the wrapper is for.
    pub applies: fn(&str) -> bool,
    /// Placed around them.
    pub wrapper: Wrapper,
}

impl TemplateQuirks {
    /// No wrappers and no quirks; languages fill in their wrappers and keep the rest.
    pub(crate) const NONE: TemplateQuirks = TemplateQuirks {
        wrappers: &[],
        annotation_wrapper: None,
        member_wrapper: None,
        param_type: None,
        member_multi: None,
        macro_items: false,
        misread: None,
    };
}

/// Where a placeholder in a parameter list gets a type so that it parses as a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamType {
    /// `name: Type` (Kotlin, Rust).
    Suffix,
    /// `Type name` (Java, C, C++).
    Prefix,
}

/// How a `$$$` among class members is written so that the class body parses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MemberMulti {
    /// A field of the placeholder type (Java `__ctmvt __ctmvs_A;`).
    Field,
    /// A property of the placeholder type (Kotlin `val __ctmvs_A: __ctmvt;`).
    Property,
}
