//! The views every host prints or serialises: a pattern's property sheet ([`PatternSheet`]) and
//! one finding ([`FindingRecord`]), owned and serde-serialisable, with one JSON schema.
//!
//! It owns the spelling of everything a host shows (enum names through their `name()`), so the
//! CLI's JSON and SARIF, the C ABI's JSON, Python's `to_dict`, the wasm objects and the Kotlin
//! model are the same values. It does no I/O and knows nothing about offsets other than bytes and
//! the one column convention of the schema (1-based, Unicode code points).
//!
//! The JSON schemas are checked in at `core/schema/` and versioned by [`SCHEMA_VERSION`]; adding
//! an optional field keeps the version, renaming or removing one bumps it.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::engine::Match;
use crate::pattern::{Matcher, Pattern, PropertyKind, RelationKind, RuleEntry, Severity};
use crate::text::{LineIndex, OffsetUnit};

/// Version of the JSON schemas of [`FindingRecord`] and [`PatternSheet`]
/// (`core/schema/finding.schema.json`, `core/schema/pattern-sheet.schema.json`).
pub const SCHEMA_VERSION: u32 = 1;

/// The finding schema, as checked in (JSON Schema draft 2020-12).
pub const FINDING_SCHEMA: &str = include_str!("../schema/finding.schema.json");

/// The pattern sheet schema, as checked in (JSON Schema draft 2020-12).
pub const PATTERN_SHEET_SCHEMA: &str = include_str!("../schema/pattern-sheet.schema.json");

/// The design-pattern instance schema ([`InstanceView`]), as checked in.
pub const INSTANCE_SCHEMA: &str = include_str!("../schema/instance.schema.json");

/// One property of a pattern, with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetProperty {
    /// What the property is about.
    pub kind: PropertyKind,
    /// The property, in plain English.
    pub text: String,
    /// Links (https) backing it.
    pub evidence: Vec<String>,
}

/// A typed relation to another pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetRelation {
    /// The kind of edge.
    pub kind: RelationKind,
    /// The other pattern's id.
    pub target: String,
}

/// A constraint on a metavariable of a rule template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetWhere {
    /// The metavariable (`$X`).
    pub metavar: String,
    /// A regular expression its text must match.
    pub regex: Option<String>,
    /// Node kinds or categories it must be.
    pub kind: Vec<String>,
}

/// One rule template of a pattern (or a shape's guard).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetRule {
    /// Language of the template (a [`crate::Language::name`]).
    pub language: String,
    /// The template.
    pub pattern: String,
    /// Templates the match must be inside.
    pub inside: Vec<String>,
    /// Templates the match must not be inside.
    pub not_inside: Vec<String>,
    /// Metavariable constraints.
    #[serde(rename = "where")]
    pub where_: Vec<SheetWhere>,
}

impl SheetRule {
    fn new(r: &RuleEntry<'_>) -> SheetRule {
        SheetRule {
            language: r.language.name().to_string(),
            pattern: r.pattern.to_string(),
            inside: owned(&r.inside),
            not_inside: owned(&r.not_inside),
            where_: r
                .where_
                .iter()
                .map(|w| SheetWhere {
                    metavar: w.metavar.to_string(),
                    regex: w.regex.map(str::to_string),
                    kind: owned(&w.kind),
                })
                .collect(),
        }
    }
}

/// One reference implementation of a shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetReference {
    /// Language of the code.
    pub language: String,
    /// The code.
    pub code: String,
}

/// How a pattern finds code: `{"kind": "rule", "rules": […]}` or `{"kind": "shape", …}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SheetMatcher {
    /// Structural templates; any one matching is a match.
    Rule {
        /// The templates.
        rules: Vec<SheetRule>,
    },
    /// Similarity to reference implementations.
    Shape {
        /// Minimum similarity (0..=1) for a match.
        threshold: f32,
        /// The reference implementations.
        references: Vec<SheetReference>,
        /// Guards: when the unit's language has any, one must match inside the unit.
        require: Vec<SheetRule>,
        /// Guards: none may match inside the unit.
        exclude: Vec<SheetRule>,
    },
}

impl SheetMatcher {
    /// `"rule"` or `"shape"` (as [`crate::MatcherKind::name`]).
    pub fn kind_name(&self) -> &'static str {
        match self {
            SheetMatcher::Rule { .. } => crate::db::MatcherKind::Rule.name(),
            SheetMatcher::Shape { .. } => crate::db::MatcherKind::Shape.name(),
        }
    }
}

/// A positive or negative example of a pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetExample {
    /// Language of the code.
    pub language: String,
    /// `"match"` (the pattern must find the code) or `"no-match"` (a near miss).
    pub expect: String,
    /// The code.
    pub code: String,
}

/// Everything known about one pattern, as every host shows it: the catalog entry without what
/// only the matcher needs (shape feature hashes). Build one with [`crate::Engine::sheet`]
/// (cached) or [`PatternSheet::new`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatternSheet {
    /// The pattern's number in its database.
    pub number: u32,
    /// Stable dotted id (`security.weak-hash.md5`).
    pub id: String,
    /// Periodic-table symbol (`Md`).
    pub symbol: String,
    /// Human name.
    pub name: String,
    /// Group: a column of the table (one of [`crate::GROUPS`]).
    pub group: String,
    /// Severity.
    pub severity: Severity,
    /// Language names.
    pub languages: Vec<String>,
    /// One-paragraph summary.
    pub summary: String,
    /// The property a one-line report shows (see [`Pattern::key_property`]).
    pub key_property: Option<String>,
    /// What is known, by kind.
    pub properties: Vec<SheetProperty>,
    /// CWE numbers.
    pub cwe: Vec<u32>,
    /// OWASP Top 10 categories (`A02:2021`).
    pub owasp: Vec<String>,
    /// Common issues seen with the pattern.
    pub common_issues: Vec<String>,
    /// Ids of better or safer alternatives.
    pub alternatives: Vec<String>,
    /// Typed relations to other patterns.
    pub relations: Vec<SheetRelation>,
    /// Reference links.
    pub references: Vec<String>,
    /// How the pattern finds code.
    pub matcher: SheetMatcher,
    /// Examples, both ways, per language.
    pub examples: Vec<SheetExample>,
    /// Default level (`default`, `pedantic`, `info`): whether a scan reports the pattern
    /// unless told otherwise.
    #[serde(default)]
    pub level: crate::profile::Level,
    /// How findings change outside production code: `off`, `lower` or `same` per context
    /// (`test`, `bench`, `example`, `fuzz`, `generated`, `vendored`); unset contexts follow
    /// the default (lower a hazard one severity level).
    #[serde(default)]
    pub context: crate::context::ContextPolicy,
    /// What an editor may show about the code found: `deprecated`, `unnecessary`
    /// ([`crate::pattern::TAGS`]).
    #[serde(default)]
    pub tags: Vec<String>,
}

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl PatternSheet {
    /// The sheet of pattern number `number`, read from its record.
    pub fn new(number: u32, p: &Pattern<'_>) -> PatternSheet {
        let matcher = match &p.matcher {
            Matcher::Rules(rules) => SheetMatcher::Rule {
                rules: rules.iter().map(SheetRule::new).collect(),
            },
            Matcher::Shape(s) => SheetMatcher::Shape {
                threshold: s.threshold,
                references: s
                    .references
                    .iter()
                    .map(|r| SheetReference {
                        language: r.language.name().to_string(),
                        code: r.code.to_string(),
                    })
                    .collect(),
                require: s.require.iter().map(SheetRule::new).collect(),
                exclude: s.exclude.iter().map(SheetRule::new).collect(),
            },
        };
        PatternSheet {
            number,
            id: p.id.to_string(),
            symbol: p.symbol.to_string(),
            name: p.name.to_string(),
            group: p.group.to_string(),
            severity: p.severity,
            languages: p.languages.iter().map(|l| l.name().to_string()).collect(),
            summary: p.summary.to_string(),
            key_property: p.key_property().map(|k| k.text.to_string()),
            properties: p
                .properties
                .iter()
                .map(|q| SheetProperty {
                    kind: q.kind,
                    text: q.text.to_string(),
                    evidence: owned(&q.evidence),
                })
                .collect(),
            cwe: p.cwe.clone(),
            owasp: owned(&p.owasp),
            common_issues: owned(&p.common_issues),
            alternatives: owned(&p.alternatives),
            relations: p
                .relations
                .iter()
                .map(|r| SheetRelation {
                    kind: r.kind,
                    target: r.target.to_string(),
                })
                .collect(),
            references: owned(&p.references),
            matcher,
            examples: p
                .examples
                .iter()
                .map(|e| SheetExample {
                    language: e.language.name().to_string(),
                    expect: e.expect.name().to_string(),
                    code: e.code.to_string(),
                })
                .collect(),
            level: p.level,
            context: p.context,
            tags: owned(&p.tags),
        }
    }

    /// The key property itself (its kind and evidence as well as its text).
    pub fn key(&self) -> Option<&SheetProperty> {
        let text = self.key_property.as_ref()?;
        self.properties.iter().find(|p| &p.text == text)
    }

    /// The one-line message of a finding of this pattern: its key property, else its summary.
    pub fn message(&self) -> &str {
        self.key_property.as_deref().unwrap_or(&self.summary)
    }

    /// The sheet as JSON (the schema's form).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The sheet as Markdown (CommonMark), for hovers and documentation pages: symbol, name and
    /// id; group, severity, languages, CWE (linked) and OWASP; the summary; properties with their
    /// evidence links; common issues; alternatives; relations; references. Catalog prose is
    /// escaped (its `` `code` `` spans are kept), so `__init__` or `a * b` print as written.
    ///
    /// ```
    /// use codetable::{Engine, PatternDb};
    ///
    /// let engine = Engine::new(PatternDb::default_catalog());
    /// let (n, _) = engine.db().by_id("security.weak-hash.md5")?.unwrap();
    /// let md = engine.sheet(n)?.to_markdown();
    /// assert!(md.starts_with("**Md** · **MD5 hash** · `security.weak-hash.md5`"));
    /// assert!(md.contains("[CWE-327](https://cwe.mitre.org/data/definitions/327.html)"));
    /// # Ok::<(), codetable::Error>(())
    /// ```
    pub fn to_markdown(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "**{}** · **{}** · `{}`\n",
            markdown_prose(&self.symbol),
            markdown_prose(&self.name),
            self.id
        );
        let mut facts = vec![
            markdown_prose(&self.group),
            format!("severity **{}**", self.severity.name()),
        ];
        if !self.languages.is_empty() {
            facts.push(self.languages.join(", "));
        }
        facts.extend(
            self.cwe
                .iter()
                .map(|c| format!("[CWE-{c}](https://cwe.mitre.org/data/definitions/{c}.html)")),
        );
        if !self.owasp.is_empty() {
            facts.push(format!("OWASP {}", self.owasp.join(", ")));
        }
        let _ = writeln!(s, "{}\n", facts.join(" · "));
        let _ = writeln!(s, "{}", markdown_prose(&self.summary));
        let section = |s: &mut String, title: &str, items: Vec<String>| {
            if !items.is_empty() {
                let _ = writeln!(s, "\n#### {title}\n");
                for i in items {
                    let _ = writeln!(s, "- {i}");
                }
            }
        };
        let properties = self
            .properties
            .iter()
            .map(|p| {
                let mut line = format!("**{}**: {}", p.kind.name(), markdown_prose(&p.text));
                if !p.evidence.is_empty() {
                    let links: Vec<String> = p
                        .evidence
                        .iter()
                        .map(|e| format!("[{}]({})", markdown_prose(link_host(e)), link_target(e)))
                        .collect();
                    let _ = write!(line, " ({})", links.join(", "));
                }
                line
            })
            .collect();
        section(&mut s, "Properties", properties);
        let issues = self
            .common_issues
            .iter()
            .map(|i| markdown_prose(i))
            .collect();
        section(&mut s, "Common issues", issues);
        let alternatives = self.alternatives.iter().map(|a| format!("`{a}`")).collect();
        section(&mut s, "Alternatives", alternatives);
        let relations = self
            .relations
            .iter()
            .map(|r| format!("{} `{}`", r.kind.name(), r.target))
            .collect();
        section(&mut s, "Relations", relations);
        let references = self.references.iter().map(|r| format!("<{r}>")).collect();
        section(&mut s, "References", references);
        s
    }
}

/// The host of a link (`https://cwe.mitre.org/x` -> `cwe.mitre.org`), its label in Markdown.
fn link_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// A link as a Markdown link destination: parentheses and spaces percent-encoded.
fn link_target(url: &str) -> String {
    url.replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20")
}

/// Catalog prose as Markdown text: characters Markdown would read as markup are escaped outside
/// `` `code` `` spans, which are kept as written.
fn markdown_prose(text: &str) -> String {
    // An odd number of backticks: none of them opens a span, all are text.
    let spans = text.matches('`').count().is_multiple_of(2);
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' && spans {
            in_code = !in_code;
        } else if !in_code && "\\`*_<>[]#&|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A metavariable bound by a rule match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaptureRecord {
    /// The metavariable as written in the template (`$X`).
    pub name: String,
    /// The bound code.
    pub text: String,
    /// Start of the bound code, in UTF-8 bytes.
    pub byte_start: usize,
    /// End (exclusive), in UTF-8 bytes.
    pub byte_end: usize,
}

/// A definition a match went through (`q = "SELECT " + x` for `cur.execute(q)`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    /// End of the definition, in UTF-8 bytes (exclusive).
    pub byte_end: usize,
    /// Start of the definition, in UTF-8 bytes.
    pub byte_start: usize,
    /// Its start line, 1-based.
    pub line: u32,
    /// Taint findings only: `source` for where the tainted code came from (always the first
    /// step), `step` for a definition or propagator call on its way to the sink (the finding
    /// itself). Omitted for the steps of other rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<StepRole>,
}

/// The role of a taint finding's step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepRole {
    /// Where the tainted code came from.
    Source,
    /// A definition or propagator call the taint went through.
    Step,
}

/// A span of code a finding refers to besides its own (a folded duplicate).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpanRecord {
    /// End, in UTF-8 bytes (exclusive).
    pub byte_end: usize,
    /// Start, in UTF-8 bytes.
    pub byte_start: usize,
    /// Start line, 1-based.
    pub line: u32,
}

/// One participant of a design-pattern instance, as each of the instance's findings lists it:
/// its role, the type playing it and where that type is declared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantRecord {
    /// End of the type's declaration, in UTF-8 bytes (exclusive).
    pub byte_end: usize,
    /// Start of the type's declaration, in UTF-8 bytes.
    pub byte_start: usize,
    /// Start column, 1-based, in code points.
    pub column: u32,
    /// End column (exclusive), 1-based, in code points.
    pub end_column: u32,
    /// End line, 1-based.
    pub end_line: u32,
    /// The id of the participant's own finding.
    pub finding: String,
    /// Start line, 1-based.
    pub line: u32,
    /// The file the type is declared in, when known.
    pub path: Option<String>,
    /// The role (`subject`, `observer`…).
    pub role: String,
    /// The type's name.
    pub unit: String,
}

impl ParticipantRecord {
    /// The participant a design finding (one with a `role`) stands for; `None` for other
    /// findings.
    pub fn of(r: &FindingRecord) -> Option<ParticipantRecord> {
        Some(ParticipantRecord {
            byte_end: r.byte_end,
            byte_start: r.byte_start,
            column: r.column,
            end_column: r.end_column,
            end_line: r.end_line,
            finding: r.id.clone(),
            line: r.line,
            path: r.path.clone(),
            role: r.role.clone()?,
            unit: r.unit.clone(),
        })
    }
}

/// Fills the `participants` of every design finding of `records` with all the participants of
/// its instance (findings sharing its `instance`), in the order they appear in `records`.
/// Other findings are left alone.
pub fn link_participants(records: &mut [FindingRecord]) {
    let mut by_instance: std::collections::HashMap<String, Vec<ParticipantRecord>> =
        std::collections::HashMap::new();
    for r in records.iter() {
        if let (Some(i), Some(p)) = (&r.instance, ParticipantRecord::of(r)) {
            by_instance.entry(i.clone()).or_default().push(p);
        }
    }
    for r in records.iter_mut() {
        if let Some(ps) = r.instance.as_ref().and_then(|i| by_instance.get(i)) {
            r.participants.clone_from(ps);
        }
    }
}

/// A design-pattern instance as hosts show it: the pattern (id, symbol, name and its sheet's
/// summary) and every participant with its role and place. `codetable explain` of an instance
/// prints it; the bindings return it from their project API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstanceView {
    /// The instance's id (the `instance` of its findings).
    pub id: String,
    /// The pattern's name.
    pub name: String,
    /// The participants, role by role in the pattern's order.
    pub participants: Vec<ParticipantRecord>,
    /// The pattern's id.
    pub pattern: String,
    /// The pattern's one-paragraph summary.
    pub summary: String,
    /// The pattern's symbol.
    pub symbol: String,
}

impl InstanceView {
    /// The instances of the design findings of `records`, in the order their first participant
    /// appears, participants in role order when the findings were linked
    /// ([`link_participants`]); `summary` gives a pattern's summary by its id. Findings without an `instance`
    /// are skipped.
    pub fn of_records(
        records: &[FindingRecord],
        summary: impl Fn(&str) -> String,
    ) -> Vec<InstanceView> {
        let mut out: Vec<InstanceView> = Vec::new();
        for r in records {
            let (Some(i), Some(p)) = (&r.instance, ParticipantRecord::of(r)) else {
                continue;
            };
            match out.iter_mut().find(|v| &v.id == i) {
                Some(v) => {
                    if !v.participants.iter().any(|q| q.finding == p.finding) {
                        v.participants.push(p);
                    }
                }
                None => out.push(InstanceView {
                    id: i.clone(),
                    name: r.name.clone(),
                    // A linked finding lists the instance in role order already.
                    participants: if r.participants.iter().any(|q| q.finding == p.finding) {
                        r.participants.clone()
                    } else {
                        vec![p]
                    },
                    pattern: r.pattern.clone(),
                    summary: summary(&r.pattern),
                    symbol: r.symbol.clone(),
                }),
            }
        }
        out
    }

    /// The participant whose declaration covers 1-based `line` of the file `path`, if any.
    pub fn participant_at(&self, path: &str, line: u32) -> Option<&ParticipantRecord> {
        self.participants
            .iter()
            .find(|p| p.path.as_deref() == Some(path) && p.line <= line && line <= p.end_line)
    }
}

/// The edit a finding's rule proposes (see [`crate::fix`]): replace the bytes
/// `byte_start..byte_end` of the file by `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixRecord {
    /// End of the replaced code, in UTF-8 bytes (exclusive).
    pub byte_end: usize,
    /// Start of the replaced code, in UTF-8 bytes.
    pub byte_start: usize,
    /// The new code.
    pub replacement: String,
}

/// One finding as every host prints or serialises it: where (1-based line and code-point column,
/// and bytes), what (the pattern's id, symbol, name, group, severity, key property, CWE, OWASP)
/// and why (the matched code and the metavariable bindings). Fields are in the JSON's order
/// (sorted), so every writer gives the same bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingRecord {
    /// End of the match, in UTF-8 bytes (exclusive).
    pub byte_end: usize,
    /// Start of the match, in UTF-8 bytes.
    pub byte_start: usize,
    /// Metavariable bindings of a rule match.
    pub captures: Vec<CaptureRecord>,
    /// Start column, 1-based, in Unicode code points.
    pub column: u32,
    /// Where the code lives: `production`, `test`, `bench`, `example`, `fuzz`, `generated` or
    /// `vendored` ([`crate::context`]). Findings outside production never fail a build.
    pub context: crate::context::CodeContext,
    /// The pattern's CWE numbers.
    pub cwe: Vec<u32>,
    /// Other occurrences of the same pattern in the same loop, folded into this finding
    /// (omitted when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<SpanRecord>,
    /// End column (exclusive), 1-based, in code points.
    pub end_column: u32,
    /// End line, 1-based.
    pub end_line: u32,
    /// The finding's fingerprint (16 hex digits, [`finding_fingerprint`]): the pattern, the
    /// unit's qualified name, the matched code with its whitespace collapsed and the number of
    /// earlier occurrences of that code in the unit. No line, column or offset goes in, so it
    /// survives edits above the finding; baselines (`codetable scan --baseline`) and SARIF's
    /// `partialFingerprints` match findings by it. Empty only in records written before it
    /// existed.
    #[serde(default)]
    pub fingerprint: String,
    /// The edit the rule proposes (omitted when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixRecord>,
    /// The pattern's group.
    pub group: String,
    /// The match's stable identity (16 hex digits): kept while its unit is untouched.
    pub id: String,
    /// For a participant of a design-pattern instance: the instance's id, shared by all its
    /// participants (omitted otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The pattern's key property.
    pub key_property: Option<String>,
    /// The code's language (a [`crate::Language::name`]).
    pub language: String,
    /// Start line, 1-based.
    pub line: u32,
    /// The pattern's name.
    pub name: String,
    /// The pattern's OWASP categories.
    pub owasp: Vec<String>,
    /// For a participant of a design-pattern instance: every participant of the instance (this
    /// one included), role by role in the pattern's order (omitted otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<ParticipantRecord>,
    /// The file, when the code came from one (as given, without a leading `./`).
    pub path: Option<String>,
    /// The pattern's id.
    pub pattern: String,
    /// For a participant of a design-pattern instance: its role (`subject`, `observer`…;
    /// omitted otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// 1 for a rule match; the similarity (0..1) for a shape match.
    pub score: f32,
    /// The pattern's severity.
    pub severity: Severity,
    /// The matched code (the whole unit for a shape match).
    pub snippet: String,
    /// Flow steps: the definitions of locals the match went through, in document order; for
    /// a taint finding, its source then the steps to the sink, each with its `role`
    /// (omitted when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepRecord>,
    /// The pattern's symbol.
    pub symbol: String,
    /// Qualified name of the unit holding the match (empty at module level).
    pub unit: String,
}

impl FindingRecord {
    /// The record of match `m` of `doc` (whose line index is `lines`), found by pattern `sheet`.
    pub fn new(
        doc: &Document,
        lines: &LineIndex,
        path: Option<&str>,
        m: &Match,
        sheet: &PatternSheet,
    ) -> FindingRecord {
        Self::build(doc, lines, path, m, sheet, None)
    }

    /// [`FindingRecord::new`] with the match's occurrence number already counted (see
    /// [`finding_records`], which counts them for all matches of a document at once).
    fn build(
        doc: &Document,
        lines: &LineIndex,
        path: Option<&str>,
        m: &Match,
        sheet: &PatternSheet,
        occurrence: Option<usize>,
    ) -> FindingRecord {
        let text = doc.text();
        let human = |byte: usize| {
            let p = lines.position_in(text, byte, OffsetUnit::CodePoint);
            (p.line + 1, p.column + 1)
        };
        let (line, column) = human(m.byte_range.start);
        let (end_line, end_column) = human(m.byte_range.end);
        let unit = doc.unit(m.unit);
        let unit_name = unit
            .map(|u| u.qualified_name.to_string())
            .unwrap_or_default();
        let snippet = text.get(m.byte_range.clone()).unwrap_or("").to_string();
        let occurrence = occurrence.unwrap_or_else(|| {
            occurrence_start(doc, m).map_or(0, |from| {
                text.get(from..m.byte_range.start)
                    .map_or(0, |before| before.matches(snippet.as_str()).count())
            })
        });
        let fingerprint = finding_fingerprint(&sheet.id, &unit_name, &snippet, occurrence);
        FindingRecord {
            byte_end: m.byte_range.end,
            byte_start: m.byte_range.start,
            captures: m
                .captures
                .iter()
                .map(|c| CaptureRecord {
                    name: c.name.clone(),
                    text: c.text.clone(),
                    byte_start: c.byte_range.start,
                    byte_end: c.byte_range.end,
                })
                .collect(),
            column,
            context: crate::context::context_at(doc, path, m.unit, m.byte_range.start),
            cwe: sheet.cwe.clone(),
            duplicates: m
                .duplicates
                .iter()
                .map(|r| SpanRecord {
                    byte_end: r.end,
                    byte_start: r.start,
                    line: human(r.start).0,
                })
                .collect(),
            end_column,
            end_line,
            fingerprint,
            fix: m.fix.as_ref().map(|f| FixRecord {
                byte_end: f.byte_range.end,
                byte_start: f.byte_range.start,
                replacement: f.replacement.clone(),
            }),
            group: sheet.group.clone(),
            id: format!("{:016x}", m.id.0),
            instance: None,
            key_property: sheet.key_property.clone(),
            language: doc.language().name().to_string(),
            line,
            name: sheet.name.clone(),
            owasp: sheet.owasp.clone(),
            participants: Vec::new(),
            path: path.map(display_path),
            pattern: sheet.id.clone(),
            role: None,
            score: m.score,
            severity: m.severity,
            snippet,
            steps: {
                let role = |r| m.source.is_some().then_some(r);
                m.source
                    .iter()
                    .map(|r| (r, role(StepRole::Source)))
                    .chain(m.steps.iter().map(|r| (r, role(StepRole::Step))))
                    .map(|(r, role)| StepRecord {
                        byte_end: r.end,
                        byte_start: r.start,
                        line: human(r.start).0,
                        role,
                    })
                    .collect()
            },
            symbol: sheet.symbol.clone(),
            unit: unit_name,
        }
    }

    /// The record as one line of JSON (the schema's form; `codetable scan --format json` prints
    /// one per line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Domain tag of finding fingerprints (`"finding/v1"` as bytes), so they never equal another
/// hash of the same text.
const FINGERPRINT_TAG: u64 = 0x6669_6e64_696e_6731;

/// The fingerprint of a finding (16 hex digits): pattern `pattern` matched `snippet` as the
/// `occurrence`-th (0-based) occurrence of that code in the unit named `unit`. The snippet's
/// whitespace is dropped first (one space kept between two word characters), so re-indenting
/// or re-wrapping the code keeps the fingerprint; lines and offsets never go in, so edits above the finding keep it too.
/// Changing the matched code, moving it to another unit or renaming the unit changes it.
///
/// ```
/// use codetable::finding_fingerprint;
///
/// let a = finding_fingerprint("security.weak-hash.md5", "Cache.key", "hashlib.md5(b)", 0);
/// assert_eq!(a, finding_fingerprint("security.weak-hash.md5", "Cache.key", "hashlib.md5(\n    b)", 0));
/// assert_ne!(a, finding_fingerprint("security.weak-hash.md5", "Cache.key", "hashlib.md5(c)", 0));
/// assert_ne!(a, finding_fingerprint("security.weak-hash.md5", "Cache.key", "hashlib.md5(b)", 1));
/// assert_eq!(a.len(), 16);
/// ```
pub fn finding_fingerprint(pattern: &str, unit: &str, snippet: &str, occurrence: usize) -> String {
    use crate::hash::{combine, tagged};
    let mut h = tagged(FINGERPRINT_TAG, pattern);
    h = combine(h, tagged(FINGERPRINT_TAG, unit));
    // Whitespace goes, except one space between two word characters (`return x`).
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut normal = String::with_capacity(snippet.len());
    let mut gap = false;
    for c in snippet.chars() {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        if gap && word(c) && normal.chars().next_back().is_some_and(word) {
            normal.push(' ');
        }
        gap = false;
        normal.push(c);
    }
    h = combine(h, tagged(FINGERPRINT_TAG, &normal));
    h = combine(h, occurrence as u64);
    format!("{h:016x}")
}

/// Records of `matches` of `doc`, with pattern sheets from `sheet` (usually
/// [`crate::Engine::sheet`]).
pub fn finding_records(
    doc: &Document,
    lines: &LineIndex,
    path: Option<&str>,
    matches: &[Match],
    mut sheet: impl FnMut(u32) -> crate::Result<Arc<PatternSheet>>,
) -> crate::Result<Vec<FindingRecord>> {
    let occurrences = occurrences(doc, matches);
    matches
        .iter()
        .zip(occurrences)
        .map(|(m, n)| {
            Ok(FindingRecord::build(
                doc,
                lines,
                path,
                m,
                &*sheet(m.pattern)?,
                Some(n),
            ))
        })
        .collect()
}

/// Where the count of a match's earlier occurrences starts: the start of its unit (or the
/// match's own start when it begins before it); `None` when the match has no unit or no text.
fn occurrence_start(doc: &Document, m: &Match) -> Option<usize> {
    let unit = doc.unit(m.unit)?;
    (!m.byte_range.is_empty()).then(|| unit.byte_range.start.min(m.byte_range.start))
}

/// For each match, how many times its code occurs (whole, not overlapping, left to right) in
/// its unit before it, so two identical calls in one function keep distinct fingerprints and
/// edits outside the unit never change the count. The matches whose count starts at the same
/// unit start are counted together: one Aho-Corasick pass over the text up to the last of them
/// finds every occurrence of all their codes, so a file with thousands of findings costs one
/// scan per unit, not one per finding.
fn occurrences(doc: &Document, matches: &[Match]) -> Vec<usize> {
    let text = doc.text();
    let mut out = vec![0; matches.len()];
    // unit start -> code -> the matches with that code
    let mut groups: HashMap<usize, HashMap<&str, Vec<usize>>> = HashMap::new();
    for (i, m) in matches.iter().enumerate() {
        let Some(from) = occurrence_start(doc, m) else {
            continue;
        };
        let Some(code) = text.get(m.byte_range.clone()) else {
            continue;
        };
        groups
            .entry(from)
            .or_default()
            .entry(code)
            .or_default()
            .push(i);
    }
    for (from, by_code) in groups {
        let codes: Vec<&str> = by_code.keys().copied().collect();
        let last = by_code
            .values()
            .flatten()
            .map(|&i| matches[i].byte_range.start)
            .max()
            .unwrap_or(from);
        let Some(window) = text.get(from..last) else {
            continue;
        };
        // Every occurrence of every code (overlapping), by start.
        let mut found: Vec<Vec<usize>> = vec![Vec::new(); codes.len()];
        match aho_corasick::AhoCorasick::new(&codes) {
            Ok(ac) => {
                for hit in ac.find_overlapping_iter(window) {
                    found[hit.pattern().as_usize()].push(hit.start());
                }
            }
            Err(_) => {
                for (k, code) in codes.iter().enumerate() {
                    found[k] = window.match_indices(code).map(|(at, _)| at).collect();
                }
            }
        }
        for (k, code) in codes.iter().enumerate() {
            // The ends of the non-overlapping occurrences taken left to right (what
            // `str::matches` counts); those ending inside a prefix are the prefix's.
            let mut ends = Vec::new();
            let mut next = 0;
            for &at in &found[k] {
                if at >= next {
                    next = at + code.len();
                    ends.push(from + next);
                }
            }
            for &i in &by_code[code] {
                let start = matches[i].byte_range.start;
                out[i] = ends.partition_point(|&end| end <= start);
            }
        }
    }
    out
}

/// JSON Lines of records: one record a line, each ending with a newline.
pub fn to_json_lines(records: &[FindingRecord]) -> String {
    let mut out = String::new();
    for r in records {
        out.push_str(&r.to_json());
        out.push('\n');
    }
    out
}

/// A path as findings show it: as given, without a leading `./`.
pub fn display_path(path: &str) -> String {
    path.strip_prefix("./").unwrap_or(path).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Language, PatternDb};

    #[test]
    fn every_sheet_round_trips_through_json() {
        let engine = Engine::new(PatternDb::default_catalog());
        for n in 0..engine.db().len() as u32 {
            let sheet = engine.sheet(n).unwrap();
            let back: PatternSheet = serde_json::from_str(&sheet.to_json()).unwrap();
            assert_eq!(*sheet, back);
        }
        let (n, _) = engine
            .db()
            .by_id("security.weak-hash.md5")
            .unwrap()
            .unwrap();
        let md5 = engine.sheet(n).unwrap();
        assert_eq!((md5.symbol.as_str(), md5.severity), ("Md", Severity::High));
        let v: serde_json::Value = serde_json::from_str(&md5.to_json()).unwrap();
        assert_eq!(v["matcher"]["kind"], "rule");
        assert_eq!(v["properties"][0]["kind"], "security");
        assert!(v["examples"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["expect"] == "no-match"));
    }

    #[test]
    fn markdown_sheet_escapes_prose_and_keeps_code_spans() {
        assert_eq!(
            markdown_prose("`from m import *` binds __all__ or a * b <T> [x]"),
            "`from m import *` binds \\_\\_all\\_\\_ or a \\* b \\<T\\> \\[x\\]"
        );
        assert_eq!(markdown_prose("it's `odd"), "it's \\`odd");
        assert_eq!(
            link_host("https://cwe.mitre.org/data/x.html"),
            "cwe.mitre.org"
        );
        assert_eq!(
            link_target("https://en.wikipedia.org/wiki/Key_(cryptography)"),
            "https://en.wikipedia.org/wiki/Key_%28cryptography%29"
        );

        let engine = Engine::new(PatternDb::default_catalog());
        let (n, _) = engine
            .db()
            .by_id("security.weak-hash.md5")
            .unwrap()
            .unwrap();
        let sheet = engine.sheet(n).unwrap();
        let md = sheet.to_markdown();
        let first = md.lines().next().unwrap();
        assert_eq!(first, "**Md** · **MD5 hash** · `security.weak-hash.md5`");
        assert!(md.contains("security · severity **high** · python"), "{md}");
        assert!(md.contains("[CWE-327](https://cwe.mitre.org/data/definitions/327.html)"));
        assert!(md.contains("OWASP A02:2021"), "{md}");
        for title in ["Properties", "Common issues", "Alternatives", "References"] {
            assert!(
                md.contains(&format!("\n#### {title}\n\n- ")),
                "{title}: {md}"
            );
        }
        let evidence = &sheet.properties[0].evidence[0];
        assert!(md.contains(&format!("]({evidence})")), "{md}");
        assert!(md.contains(&format!("- `{}`", sheet.alternatives[0])));

        // Every sheet renders, with its id and one bullet per property.
        for n in 0..engine.db().len() as u32 {
            let sheet = engine.sheet(n).unwrap();
            let md = sheet.to_markdown();
            assert!(md.contains(&format!("`{}`", sheet.id)));
            let bullets = md.lines().filter(|l| l.starts_with("- **")).count();
            assert_eq!(bullets, sheet.properties.len(), "{}", sheet.id);
        }
    }

    #[test]
    fn finding_record_columns_count_code_points() {
        let engine = Engine::new(PatternDb::default_catalog());
        let doc = Document::new(
            Language::Python,
            "import hashlib\nx = '\u{1f600}'; h = hashlib.md5(b'')\n",
        )
        .unwrap();
        let lines = LineIndex::new(doc.text());
        let m = engine.analyze(&doc).unwrap();
        let records =
            finding_records(&doc, &lines, Some("./a.py"), &m, |n| engine.sheet(n)).unwrap();
        let r = records
            .iter()
            .find(|r| r.pattern == "security.weak-hash.md5")
            .unwrap();
        assert_eq!((r.line, r.column), (2, 14));
        assert_eq!(r.path.as_deref(), Some("a.py"));
        assert_eq!(r.snippet, "hashlib.md5(b'')");
        assert_eq!(&doc.text()[r.byte_start..r.byte_end], r.snippet);
        let back: FindingRecord = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(&back, r);
    }

    #[test]
    fn records_of_a_document_equal_records_made_one_at_a_time() {
        // Identical findings at module level and in a function (occurrence counts 0, 1, 2…),
        // one inside a string that also holds its code, non-ASCII text around them.
        let mut src = String::from("import hashlib\ns = 'é hashlib.md5(b\"x\")'\n");
        for i in 0..40 {
            src.push_str(&format!("h{i} = hashlib.md5(b\"x\")  # ü\n"));
        }
        src.push_str("def f():\n    a = hashlib.md5(b\"x\"); b = hashlib.md5(b\"x\")\n");
        src.push_str("    return hashlib.md5(b\"y\")\n");
        let engine = Engine::new(PatternDb::default_catalog());
        let doc = Document::new(Language::Python, src.as_str()).unwrap();
        let lines = LineIndex::new(doc.text());
        let m = engine.analyze(&doc).unwrap();
        let all = finding_records(&doc, &lines, None, &m, |n| engine.sheet(n)).unwrap();
        let one: Vec<FindingRecord> = m
            .iter()
            .map(|m| FindingRecord::new(&doc, &lines, None, m, &engine.sheet(m.pattern).unwrap()))
            .collect();
        assert_eq!(all, one);
        let md5: Vec<&FindingRecord> = all
            .iter()
            .filter(|r| r.pattern == "security.weak-hash.md5")
            .collect();
        assert!(md5.len() >= 43, "{} md5 findings", md5.len());
        let prints: std::collections::HashSet<&str> =
            md5.iter().map(|r| r.fingerprint.as_str()).collect();
        assert_eq!(
            prints.len(),
            md5.len(),
            "identical findings keep distinct fingerprints"
        );
    }
}
