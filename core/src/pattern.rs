//! The pattern record: everything the periodic table knows about one pattern.
//!
//! [`Pattern`] is both what the database stores (bincode) and the typed view it hands out: its
//! strings borrow from the database bytes (a file read at open, a `&'static` embedded catalog, a buffer), so
//! reading a pattern's properties copies no text. The catalog loader builds these from TOML.

use serde::{Deserialize, Serialize};

use crate::language::Language;

/// How serious a finding of this pattern is, from `Info` to `Critical` (ordered).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: a design or idiom pattern, not a problem.
    Info,
    /// Worth knowing; rarely a defect.
    Low,
    /// A likely defect or weakness.
    Medium,
    /// A serious defect or an exploitable weakness.
    High,
    /// Exploitable and commonly catastrophic.
    Critical,
}

impl Severity {
    /// Every severity, least severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// Lowercase name (`"high"`).
    pub const fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a lowercase name.
    pub fn from_name(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.name() == s.to_ascii_lowercase())
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The groups of the periodic table: its columns.
pub const GROUPS: [&str; 7] = [
    "security",
    "reliability",
    "performance",
    "concurrency",
    "maintainability",
    "design",
    "idiom",
];

/// What a property is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PropertyKind {
    /// Confidentiality, integrity, availability.
    Security,
    /// Time and memory.
    Performance,
    /// Correctness under failure, load and time.
    Reliability,
    /// Cost of understanding and changing the code.
    Maintainability,
}

impl PropertyKind {
    /// Every kind, in the order the catalog documents them.
    pub const ALL: [PropertyKind; 4] = [
        PropertyKind::Security,
        PropertyKind::Performance,
        PropertyKind::Reliability,
        PropertyKind::Maintainability,
    ];

    /// Lowercase name (`"security"`): the one spelling every host prints.
    pub const fn name(self) -> &'static str {
        match self {
            PropertyKind::Security => "security",
            PropertyKind::Performance => "performance",
            PropertyKind::Reliability => "reliability",
            PropertyKind::Maintainability => "maintainability",
        }
    }
}

/// One thing known about a pattern, with the evidence for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Property<'a> {
    /// What the property is about.
    pub kind: PropertyKind,
    /// The property, in plain English.
    pub text: &'a str,
    /// Links (https) backing the property.
    #[serde(borrow)]
    pub evidence: Vec<&'a str>,
}

/// How two patterns relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RelationKind {
    /// This pattern needs the other one to be correct or useful.
    Requires,
    /// The two should not be combined.
    Conflicts,
    /// This pattern strengthens the other one: a good pattern makes it work better, a hazard
    /// makes its harm larger or more likely (a hardcoded key enhances a broken cipher's harm).
    Enhances,
    /// See also: the same kind of mistake or idiom in another form, for navigation.
    Related,
}

impl RelationKind {
    /// Every kind.
    pub const ALL: [RelationKind; 4] = [
        RelationKind::Requires,
        RelationKind::Conflicts,
        RelationKind::Enhances,
        RelationKind::Related,
    ];

    /// Lowercase name (`"requires"`): the one spelling every host prints.
    pub const fn name(self) -> &'static str {
        match self {
            RelationKind::Requires => "requires",
            RelationKind::Conflicts => "conflicts",
            RelationKind::Enhances => "enhances",
            RelationKind::Related => "related",
        }
    }
}

/// A typed edge to another pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Relation<'a> {
    /// The kind of edge.
    pub kind: RelationKind,
    /// The other pattern's id.
    pub target: &'a str,
}

/// A constraint on a metavariable of a rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhereClause<'a> {
    /// The metavariable (`$X`).
    pub metavar: &'a str,
    /// A regular expression its text must match.
    pub regex: Option<&'a str>,
    /// Node kinds or categories (`string`, `identifier`, `number`, `literal`, `call`) it must be.
    #[serde(borrow)]
    pub kind: Vec<&'a str>,
    /// Whether the bound code must (`Some(true)`) or must not (`Some(false)`) be a constant.
    pub constant: Option<bool>,
}

/// One rule template for one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleEntry<'a> {
    /// The language the template is written in.
    pub language: Language,
    /// The code template with metavariables.
    pub pattern: &'a str,
    /// Templates the match must be inside.
    #[serde(borrow)]
    pub inside: Vec<&'a str>,
    /// Templates the match must not be inside.
    #[serde(borrow)]
    pub not_inside: Vec<&'a str>,
    /// Metavariable constraints.
    #[serde(borrow)]
    pub where_: Vec<WhereClause<'a>>,
    /// Whether template nodes also match through the definitions of locals.
    pub through_locals: bool,
    /// Taint sources (templates or built-in `@sets`); non-empty for a taint rule, whose
    /// `pattern` is then its sink.
    #[serde(borrow)]
    pub sources: Vec<&'a str>,
    /// Taint sanitizers.
    #[serde(borrow)]
    pub sanitizers: Vec<&'a str>,
    /// Taint propagators (templates binding `$TO` and `$FROM`).
    #[serde(borrow)]
    pub propagators: Vec<&'a str>,
    /// The autofix template (see [`crate::fix`]), if the rule has one.
    #[serde(borrow)]
    pub fix: Option<&'a str>,
    /// C/C++ size reasoning: `[source, destination]` metavariables (see
    /// [`crate::rule::RuleSpec::fits`]); empty: none.
    #[serde(borrow)]
    pub fits: Vec<&'a str>,
    /// Metavariables that must not be bounded by a constant (see
    /// [`crate::rule::RuleSpec::unbounded`]).
    #[serde(borrow)]
    pub unbounded: Vec<&'a str>,
    /// The severity of a match no input reaches (see
    /// [`crate::rule::RuleSpec::severity_without_input`]).
    pub severity_without_input: Option<Severity>,
}

impl RuleEntry<'_> {
    /// The rule engine's spec for this entry.
    pub fn spec(&self) -> crate::rule::RuleSpec {
        crate::rule::RuleSpec {
            pattern: self.pattern.to_string(),
            inside: self.inside.iter().map(|s| s.to_string()).collect(),
            not_inside: self.not_inside.iter().map(|s| s.to_string()).collect(),
            where_: self
                .where_
                .iter()
                .map(|w| crate::rule::Where {
                    metavar: w.metavar.to_string(),
                    regex: w.regex.map(str::to_string),
                    kind: w.kind.iter().map(|s| s.to_string()).collect(),
                    constant: w.constant,
                })
                .collect(),
            through_locals: self.through_locals,
            sources: self.sources.iter().map(|s| s.to_string()).collect(),
            sanitizers: self.sanitizers.iter().map(|s| s.to_string()).collect(),
            propagators: self.propagators.iter().map(|s| s.to_string()).collect(),
            fix: self.fix.map(str::to_string),
            fits: self.fits.iter().map(|s| s.to_string()).collect(),
            unbounded: self.unbounded.iter().map(|s| s.to_string()).collect(),
            severity_without_input: self.severity_without_input,
        }
    }
}

/// A reference implementation of a shape pattern, with its weighted features.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShapeReference<'a> {
    /// The language of the reference implementation.
    pub language: Language,
    /// The reference implementation.
    pub code: &'a str,
    /// Its features with IDF weights, sorted by feature.
    pub features: Vec<(u64, f32)>,
}

/// A pattern matched by similarity to reference implementations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shape<'a> {
    /// Minimum weighted containment (0..=1) for a match.
    pub threshold: f32,
    /// Reference implementations, one or more per language.
    #[serde(borrow)]
    pub references: Vec<ShapeReference<'a>>,
    /// Guard templates: when the unit's language has any, a similar unit is a match only if one
    /// of them matches inside it (its nested units included). They say what similarity alone
    /// cannot: a factory instantiates what it looked up, a strategy delegates to what it was
    /// given.
    #[serde(borrow)]
    pub require: Vec<RuleEntry<'a>>,
    /// Exclusion templates: a similar unit inside which one of them matches is not a match (a
    /// lazy getter that is not `static` is not a singleton's access point).
    #[serde(borrow)]
    pub exclude: Vec<RuleEntry<'a>>,
}

/// How a pattern finds code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Matcher<'a> {
    /// Structural templates; any one matching is a match (none for a pattern that only has
    /// roles).
    #[serde(borrow)]
    Rules(Vec<RuleEntry<'a>>),
    /// Similarity to reference implementations.
    #[serde(borrow)]
    Shape(Shape<'a>),
}

impl Matcher<'_> {
    /// Which kind of matcher this is.
    pub fn kind(&self) -> crate::db::MatcherKind {
        match self {
            Matcher::Rules(_) => crate::db::MatcherKind::Rule,
            Matcher::Shape(_) => crate::db::MatcherKind::Shape,
        }
    }
}

/// Whether an example must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expect {
    /// The pattern must find this code.
    Match,
    /// The pattern must not find this code (a near miss, usually the safe variant).
    NoMatch,
}

impl Expect {
    /// The catalog's spelling: `"match"` or `"no-match"`.
    pub const fn name(self) -> &'static str {
        match self {
            Expect::Match => "match",
            Expect::NoMatch => "no-match",
        }
    }
}

/// An example: the pattern's own test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Example<'a> {
    /// Language of the code.
    pub language: Language,
    /// Whether the pattern must match it.
    pub expect: Expect,
    /// The code.
    pub code: &'a str,
    /// For a `match` example: the code after the pattern's fixes are applied (see
    /// [`crate::fix`]); checked by re-scanning it.
    #[serde(borrow)]
    pub fixed: Option<&'a str>,
}

/// Everything known about one pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pattern<'a> {
    /// Stable dotted id (`security.weak-hash.md5`).
    pub id: &'a str,
    /// The periodic-table symbol (1–3 letters, unique, never reused).
    pub symbol: &'a str,
    /// Human name.
    pub name: &'a str,
    /// Group: one of [`GROUPS`].
    pub group: &'a str,
    /// Severity.
    pub severity: Severity,
    /// Languages the pattern is written for.
    pub languages: Vec<Language>,
    /// One-paragraph summary.
    pub summary: &'a str,
    /// What is known, by kind.
    #[serde(borrow)]
    pub properties: Vec<Property<'a>>,
    /// CWE numbers.
    pub cwe: Vec<u32>,
    /// OWASP Top 10 categories (`A02:2021`).
    #[serde(borrow)]
    pub owasp: Vec<&'a str>,
    /// Common issues seen with the pattern.
    #[serde(borrow)]
    pub common_issues: Vec<&'a str>,
    /// Ids of better or safer alternatives.
    #[serde(borrow)]
    pub alternatives: Vec<&'a str>,
    /// Typed relations to other patterns.
    #[serde(borrow)]
    pub relations: Vec<Relation<'a>>,
    /// Reference links.
    #[serde(borrow)]
    pub references: Vec<&'a str>,
    /// How the pattern finds code.
    #[serde(borrow)]
    pub matcher: Matcher<'a>,
    /// Examples, both ways, per language.
    #[serde(borrow)]
    pub examples: Vec<Example<'a>>,
    /// Default level: whether a scan reports the pattern unless told otherwise.
    pub level: crate::profile::Level,
    /// How findings change outside production code (tests, benchmarks, generated code…).
    pub context: crate::context::ContextPolicy,
    /// Role lines of a role-based design pattern (`subject: has-collection-of(observer), …`),
    /// matched over a whole project by [`crate::project::Project::recognise`]; empty for
    /// patterns that match single units.
    #[serde(borrow, default)]
    pub roles: Vec<&'a str>,
    /// What an editor may show about the code found, from [`TAGS`]: `deprecated` (the code
    /// found uses an API its maintainers deprecated), `unnecessary` (the code found is unused
    /// or has no effect). Only what holds for every finding of the pattern.
    #[serde(borrow, default)]
    pub tags: Vec<&'a str>,
}

/// The tags a pattern may carry ([`Pattern::tags`]); the language server shows them as the
/// protocol's diagnostic tags (`Deprecated`: struck through, `Unnecessary`: faded). Checked by
/// the catalog loader, so unused in read-only builds (`--no-default-features`).
#[cfg_attr(not(feature = "catalog"), allow(dead_code))]
pub const TAGS: [&str; 2] = ["deprecated", "unnecessary"];

impl Pattern<'_> {
    /// The property a one-line report shows: the first one of the pattern's group's kind, or
    /// the first one.
    pub fn key_property(&self) -> Option<&Property<'_>> {
        let kind = match self.group {
            "security" => Some(PropertyKind::Security),
            "performance" => Some(PropertyKind::Performance),
            "reliability" | "concurrency" => Some(PropertyKind::Reliability),
            _ => None,
        };
        kind.and_then(|k| self.properties.iter().find(|p| p.kind == k))
            .or(self.properties.first())
    }
}
