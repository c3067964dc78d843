//! `PatternSheet`: a pattern's property sheet as JavaScript receives it (camelCase keys, plain
//! objects). It leaves out what only the matcher needs (shape feature hashes are 64-bit and
//! would not fit a JavaScript number), and keeps everything a reader wants to see.

use codetable::{Expect, Matcher, Pattern, PropertyKind, RelationKind, RuleEntry};
use serde::Serialize;

/// One property with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SheetProperty<'a> {
    /// `security`, `performance`, `reliability` or `maintainability`.
    pub kind: &'static str,
    /// The property.
    pub text: &'a str,
    /// Links backing it.
    pub evidence: Vec<&'a str>,
}

/// A typed relation to another pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SheetRelation<'a> {
    /// `requires`, `conflicts`, `enhances` or `related`.
    pub kind: &'static str,
    /// The other pattern's id.
    pub target: &'a str,
}

/// One rule template.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SheetRule<'a> {
    /// Language of the template.
    pub language: &'static str,
    /// The template.
    pub pattern: &'a str,
    /// Templates the match must be inside.
    pub inside: Vec<&'a str>,
    /// Templates the match must not be inside.
    pub not_inside: Vec<&'a str>,
}

impl<'a> SheetRule<'a> {
    fn new(r: &RuleEntry<'a>) -> SheetRule<'a> {
        SheetRule {
            language: r.language.name(),
            pattern: r.pattern,
            inside: r.inside.clone(),
            not_inside: r.not_inside.clone(),
        }
    }
}

/// One reference implementation of a shape.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SheetReference<'a> {
    /// Language of the code.
    pub language: &'static str,
    /// The code.
    pub code: &'a str,
}

/// How the pattern finds code.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SheetMatcher<'a> {
    /// Structural templates.
    Rules {
        /// The templates.
        rules: Vec<SheetRule<'a>>,
    },
    /// Similarity to reference implementations.
    Shape {
        /// Minimum similarity for a match.
        threshold: f32,
        /// The reference implementations.
        references: Vec<SheetReference<'a>>,
        /// Guards: one of these must match inside the unit (when any).
        require: Vec<SheetRule<'a>>,
        /// Guards: none of these may match inside the unit.
        exclude: Vec<SheetRule<'a>>,
    },
}

/// A positive or negative example.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SheetExample<'a> {
    /// Language of the code.
    pub language: &'static str,
    /// True when the pattern must find the code.
    pub matches: bool,
    /// The code.
    pub code: &'a str,
}

/// Everything known about one pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatternSheet<'a> {
    /// The pattern's number in the database.
    pub number: u32,
    /// Dotted id.
    pub id: &'a str,
    /// Periodic-table symbol.
    pub symbol: &'a str,
    /// Human name.
    pub name: &'a str,
    /// Group (column of the table).
    pub group: &'a str,
    /// Severity name.
    pub severity: &'static str,
    /// Language names.
    pub languages: Vec<&'static str>,
    /// Summary paragraph.
    pub summary: &'a str,
    /// What is known, by kind.
    pub properties: Vec<SheetProperty<'a>>,
    /// CWE numbers.
    pub cwe: Vec<u32>,
    /// OWASP Top 10 categories.
    pub owasp: Vec<&'a str>,
    /// Common issues.
    pub common_issues: Vec<&'a str>,
    /// Ids of better alternatives.
    pub alternatives: Vec<&'a str>,
    /// Relations to other patterns.
    pub relations: Vec<SheetRelation<'a>>,
    /// Reference links.
    pub references: Vec<&'a str>,
    /// How it finds code.
    pub matcher: SheetMatcher<'a>,
    /// Examples, both ways.
    pub examples: Vec<SheetExample<'a>>,
}

fn property_kind(k: PropertyKind) -> &'static str {
    match k {
        PropertyKind::Security => "security",
        PropertyKind::Performance => "performance",
        PropertyKind::Reliability => "reliability",
        PropertyKind::Maintainability => "maintainability",
    }
}

fn relation_kind(k: RelationKind) -> &'static str {
    match k {
        RelationKind::Requires => "requires",
        RelationKind::Conflicts => "conflicts",
        RelationKind::Enhances => "enhances",
        RelationKind::Related => "related",
    }
}

impl<'a> PatternSheet<'a> {
    /// The sheet of pattern number `number`.
    pub fn new(number: u32, p: &Pattern<'a>) -> PatternSheet<'a> {
        let matcher = match &p.matcher {
            Matcher::Rules(rules) => SheetMatcher::Rules {
                rules: rules.iter().map(SheetRule::new).collect(),
            },
            Matcher::Shape(s) => SheetMatcher::Shape {
                threshold: s.threshold,
                references: s
                    .references
                    .iter()
                    .map(|r| SheetReference {
                        language: r.language.name(),
                        code: r.code,
                    })
                    .collect(),
                require: s.require.iter().map(SheetRule::new).collect(),
                exclude: s.exclude.iter().map(SheetRule::new).collect(),
            },
        };
        PatternSheet {
            number,
            id: p.id,
            symbol: p.symbol,
            name: p.name,
            group: p.group,
            severity: p.severity.name(),
            languages: p.languages.iter().map(|l| l.name()).collect(),
            summary: p.summary,
            properties: p
                .properties
                .iter()
                .map(|q| SheetProperty {
                    kind: property_kind(q.kind),
                    text: q.text,
                    evidence: q.evidence.clone(),
                })
                .collect(),
            cwe: p.cwe.clone(),
            owasp: p.owasp.clone(),
            common_issues: p.common_issues.clone(),
            alternatives: p.alternatives.clone(),
            relations: p
                .relations
                .iter()
                .map(|r| SheetRelation {
                    kind: relation_kind(r.kind),
                    target: r.target,
                })
                .collect(),
            references: p.references.clone(),
            matcher,
            examples: p
                .examples
                .iter()
                .map(|e| SheetExample {
                    language: e.language.name(),
                    matches: e.expect == Expect::Match,
                    code: e.code,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codetable::PatternDb;

    #[test]
    fn md5_sheet_has_the_catalog_fields() {
        let db = PatternDb::default_any();
        let (n, p) = db.by_id("security.weak-hash.md5").unwrap().unwrap();
        let s = PatternSheet::new(n, &p);
        assert_eq!((s.symbol, s.group, s.severity), ("Md", "security", "high"));
        assert_eq!(s.cwe, [327, 328]);
        assert_eq!(s.alternatives, ["security.strong-hash.sha256"]);
        assert_eq!(s.properties[0].kind, "security");
        assert_eq!(s.properties[1].kind, "maintainability");
        assert!(
            matches!(&s.matcher, SheetMatcher::Rules { rules } if rules[0].language == "python")
        );
        assert!(s.examples.iter().any(|e| e.matches) && s.examples.iter().any(|e| !e.matches));
    }
}
