//! The catalog lint: the rules a shipped catalog keeps beyond what the loader requires.
//!
//! The loader ([`Catalog::from_sources`]) rejects sources that cannot be compiled; the lint
//! checks a loaded catalog against the committed symbol list (`patterns/symbols.txt`: a symbol
//! once shipped keeps its meaning) and the catalog's own standards: examples both ways in every
//! claimed language, CWE numbers in the real range, OWASP categories in their published form,
//! https links, an alternative for every security, reliability and performance pattern (or a
//! relation, for a safe variant of `info` severity) and one connected graph of alternatives and
//! relations. `make test` runs it on `patterns/` (core/tests/catalog_lint.rs) and
//! `codetable db lint` runs it from the command line.

use std::collections::{BTreeMap, HashMap};

use crate::language::Language;
use crate::pattern::{Expect, Matcher, Pattern, Severity};

use super::Catalog;

/// The highest CWE number the lint accepts. Weaknesses and categories are numbered from 1 to
/// about 1430 (CWE 4.x); the 2000s are views, which a pattern does not cite.
pub const CWE_MAX: u32 = 1500;

/// The OWASP Top 10 editions the lint accepts in `owasp` entries (`A01:2021`).
pub const OWASP_EDITIONS: [&str; 3] = ["2017", "2021", "2025"];

/// Groups whose every pattern names at least one alternative (a safer or better pattern); a safe
/// variant (`info` severity) of these groups may name a relation instead (usually `conflicts`
/// with its hazard, which names it as the alternative).
pub const GROUPS_NEEDING_ALTERNATIVES: [&str; 3] = ["security", "reliability", "performance"];

/// The file name [`LintIssue::file`] gives to problems of the symbol list.
pub const SYMBOLS_FILE: &str = "symbols.txt";

/// The file name [`LintIssue::file`] gives to problems of the catalog as a whole.
pub const CATALOG_FILE: &str = "(catalog)";

/// One lint problem, located by file and field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintIssue {
    /// The pattern's source file (relative to the catalog folder), [`SYMBOLS_FILE`] for the
    /// symbol list, or [`CATALOG_FILE`] for the graph of the whole catalog.
    pub file: String,
    /// The field (`symbol`, `examples`, `cwe[0]`, `properties[1].evidence[0]`, `line 12`…).
    pub field: String,
    /// What is wrong.
    pub problem: LintProblem,
}

impl std::fmt::Display for LintIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.field, self.problem)
    }
}

/// What a [`LintIssue`] is about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LintProblem {
    /// A line of the symbol list is not `Symbol<TAB>id` with a well-formed symbol and id.
    MalformedSymbolLine {
        /// The line as written.
        text: String,
    },
    /// The symbol list gives a symbol twice (compared case-insensitively).
    DuplicateSymbol {
        /// The symbol as written on the later line.
        symbol: String,
        /// The 1-based line that lists it first.
        first_line: usize,
    },
    /// The symbol list gives an id twice.
    DuplicateId {
        /// The id.
        id: String,
        /// The 1-based line that lists it first.
        first_line: usize,
    },
    /// Neither the pattern's symbol nor its id is in the symbol list.
    SymbolNotReserved {
        /// The pattern's symbol.
        symbol: String,
        /// The pattern's id.
        id: String,
    },
    /// The symbol list gives the pattern's symbol to another id (a symbol never changes meaning).
    SymbolOfAnotherId {
        /// The pattern's symbol.
        symbol: String,
        /// The id the list gives it to.
        listed_id: String,
    },
    /// The symbol list gives the pattern's id another symbol (a shipped symbol is never changed).
    IdHasAnotherSymbol {
        /// The pattern's id.
        id: String,
        /// The symbol the list gives it.
        listed_symbol: String,
    },
    /// A claimed language has no example of one kind.
    MissingExample {
        /// The language.
        language: Language,
        /// The missing kind of example.
        expect: Expect,
    },
    /// An example, rule or shape reference is in a language the pattern does not claim.
    UnclaimedLanguage {
        /// The language.
        language: Language,
    },
    /// A CWE number outside 1..=[`CWE_MAX`].
    CweOutOfRange {
        /// The number.
        cwe: u32,
    },
    /// An OWASP entry that is not a Top 10 category like `A01:2021`.
    OwaspNotCategory {
        /// The entry as written.
        entry: String,
    },
    /// A link that is not a well-formed https URL.
    NotHttps {
        /// The link as written.
        link: String,
    },
    /// A pattern of a group in [`GROUPS_NEEDING_ALTERNATIVES`] names no alternative (or, for a
    /// safe variant of `info` severity, no alternative and no relation).
    NoAlternative {
        /// The pattern's group.
        group: String,
        /// The pattern's severity.
        severity: Severity,
    },
    /// An alternative or relation names an id no pattern has.
    UnknownTarget {
        /// The id.
        target: String,
    },
    /// The undirected graph of alternatives and relations has more than one component.
    Disconnected {
        /// The pattern ids of each component (sorted), smallest component first.
        components: Vec<Vec<String>>,
    },
}

impl std::fmt::Display for LintProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LintProblem::MalformedSymbolLine { text } => write!(
                f,
                "`{text}` is not `Symbol<TAB>id` (a 1–3 letter symbol capitalised like an element, a dotted lowercase id)"
            ),
            LintProblem::DuplicateSymbol { symbol, first_line } => write!(
                f,
                "symbol `{symbol}` is already listed on line {first_line} (symbols are unique, case-insensitively)"
            ),
            LintProblem::DuplicateId { id, first_line } => {
                write!(f, "id `{id}` is already listed on line {first_line}")
            }
            LintProblem::SymbolNotReserved { symbol, id } => write!(
                f,
                "`{symbol}` is not in the symbol list: reserve it with `patterns/reserve-symbol {symbol} {id}`"
            ),
            LintProblem::SymbolOfAnotherId { symbol, listed_id } => write!(
                f,
                "the symbol list gives `{symbol}` to `{listed_id}` (a symbol never changes meaning: pick another)"
            ),
            LintProblem::IdHasAnotherSymbol { id, listed_symbol } => write!(
                f,
                "the symbol list gives `{id}` the symbol `{listed_symbol}` (a shipped symbol never changes)"
            ),
            LintProblem::MissingExample { language, expect } => {
                let kind = match expect {
                    Expect::Match => "match",
                    Expect::NoMatch => "no-match",
                };
                write!(f, "no `expect = \"{kind}\"` example in {language}")
            }
            LintProblem::UnclaimedLanguage { language } => {
                write!(f, "`{language}` is not in the pattern's languages")
            }
            LintProblem::CweOutOfRange { cwe } => {
                write!(f, "{cwe} is not a CWE number (1–{CWE_MAX})")
            }
            LintProblem::OwaspNotCategory { entry } => write!(
                f,
                "`{entry}` is not an OWASP Top 10 category like `A01:2021` (A01–A10, editions {})",
                OWASP_EDITIONS.join(", ")
            ),
            LintProblem::NotHttps { link } => {
                write!(f, "`{link}` is not an https link")
            }
            LintProblem::NoAlternative { group, severity } => match severity {
                Severity::Info => write!(
                    f,
                    "a safe variant (info) in {group} names an alternative or a relation (a sibling, or `conflicts` with the hazard)"
                ),
                _ => write!(
                    f,
                    "a {severity} {group} pattern names at least one alternative (the id of a safer or better pattern)"
                ),
            },
            LintProblem::UnknownTarget { target } => {
                write!(f, "no pattern has the id `{target}`")
            }
            LintProblem::Disconnected { components } => {
                write!(
                    f,
                    "alternatives and relations do not connect the catalog: {} components, smallest first: ",
                    components.len()
                )?;
                for (i, c) in components.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "[{}]", c.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

/// Lints a loaded catalog against a symbol list (the text of `patterns/symbols.txt`).
///
/// The list has `#` comment lines and `Symbol<TAB>id` lines; ids it lists that no pattern has
/// any more are allowed (a retired symbol is never reused). An empty result means the catalog
/// passes.
pub fn lint(catalog: &Catalog, symbols: &str) -> Vec<LintIssue> {
    let patterns = catalog.patterns();
    let sources: Vec<(&str, Pattern<'_>)> = patterns
        .into_iter()
        .enumerate()
        .map(|(i, p)| (catalog.file_of(i).unwrap_or("-"), p))
        .collect();
    lint_patterns(&sources, symbols)
}

/// Lints pattern records from any source (a catalog, a compiled database…), each with the file
/// it is reported under, against a symbol list. See [`lint`].
pub fn lint_patterns(patterns: &[(&str, Pattern<'_>)], symbols: &str) -> Vec<LintIssue> {
    let mut issues = Vec::new();
    let list = SymbolList::parse(symbols, &mut issues);
    for (file, p) in patterns {
        lint_pattern(file, p, &list, &mut issues);
    }
    lint_graph(patterns, &mut issues);
    issues
}

struct SymbolList {
    /// Lowercased symbol → (symbol, id).
    by_symbol: HashMap<String, (String, String)>,
    /// Id → symbol.
    by_id: HashMap<String, String>,
}

impl SymbolList {
    fn parse(text: &str, issues: &mut Vec<LintIssue>) -> SymbolList {
        let mut list = SymbolList {
            by_symbol: HashMap::new(),
            by_id: HashMap::new(),
        };
        let mut symbol_lines: HashMap<String, usize> = HashMap::new();
        let mut id_lines: HashMap<String, usize> = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let n = n + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut issue = |problem| {
                issues.push(LintIssue {
                    file: SYMBOLS_FILE.into(),
                    field: format!("line {n}"),
                    problem,
                })
            };
            let fields: Vec<&str> = line.split('\t').collect();
            let (symbol, id) = match fields.as_slice() {
                [s, i] if super::valid_symbol(s) && super::valid_id(i) => (*s, *i),
                _ => {
                    issue(LintProblem::MalformedSymbolLine { text: line.into() });
                    match fields.as_slice() {
                        [s, i] if !s.is_empty() && !i.is_empty() => (*s, *i),
                        _ => continue,
                    }
                }
            };
            let key = symbol.to_lowercase();
            if let Some(&first_line) = symbol_lines.get(&key) {
                issue(LintProblem::DuplicateSymbol {
                    symbol: symbol.into(),
                    first_line,
                });
            } else {
                symbol_lines.insert(key.clone(), n);
                list.by_symbol.insert(key, (symbol.into(), id.into()));
            }
            if let Some(&first_line) = id_lines.get(id) {
                issue(LintProblem::DuplicateId {
                    id: id.into(),
                    first_line,
                });
            } else {
                id_lines.insert(id.into(), n);
                list.by_id.insert(id.into(), symbol.into());
            }
        }
        list
    }
}

fn lint_pattern(file: &str, p: &Pattern<'_>, list: &SymbolList, issues: &mut Vec<LintIssue>) {
    let mut issue = |field: String, problem| {
        issues.push(LintIssue {
            file: file.into(),
            field,
            problem,
        })
    };

    // The symbol list: the pair must be listed as is.
    let listed_symbol = list.by_id.get(p.id);
    let listed_owner = list.by_symbol.get(&p.symbol.to_lowercase());
    match (listed_symbol, listed_owner) {
        (Some(s), Some((_, owner))) if s == p.symbol && owner == p.id => {}
        (None, None) => issue(
            "symbol".into(),
            LintProblem::SymbolNotReserved {
                symbol: p.symbol.into(),
                id: p.id.into(),
            },
        ),
        (listed_symbol, listed_owner) => {
            if let Some((_, owner)) = listed_owner.filter(|(_, owner)| owner != p.id) {
                issue(
                    "symbol".into(),
                    LintProblem::SymbolOfAnotherId {
                        symbol: p.symbol.into(),
                        listed_id: owner.clone(),
                    },
                );
            }
            if let Some(s) = listed_symbol.filter(|s| *s != p.symbol) {
                issue(
                    "id".into(),
                    LintProblem::IdHasAnotherSymbol {
                        id: p.id.into(),
                        listed_symbol: s.clone(),
                    },
                );
            }
        }
    }

    // Examples both ways in every claimed language; nothing in an unclaimed one.
    for &language in &p.languages {
        for expect in [Expect::Match, Expect::NoMatch] {
            if !p
                .examples
                .iter()
                .any(|e| e.language == language && e.expect == expect)
            {
                issue(
                    "examples".into(),
                    LintProblem::MissingExample { language, expect },
                );
            }
        }
    }
    let claimed = |l: &Language| p.languages.contains(l);
    for (i, e) in p.examples.iter().enumerate() {
        if !claimed(&e.language) {
            issue(
                format!("examples[{i}].language"),
                LintProblem::UnclaimedLanguage {
                    language: e.language,
                },
            );
        }
    }
    match &p.matcher {
        Matcher::Rules(rules) => {
            for r in rules.iter().filter(|r| !claimed(&r.language)) {
                issue(
                    format!("rules ({})", r.language),
                    LintProblem::UnclaimedLanguage {
                        language: r.language,
                    },
                );
            }
        }
        Matcher::Shape(shape) => {
            for (i, r) in shape.references.iter().enumerate() {
                if !claimed(&r.language) {
                    issue(
                        format!("shape.reference[{i}].language"),
                        LintProblem::UnclaimedLanguage {
                            language: r.language,
                        },
                    );
                }
            }
        }
    }

    // Classifications and links.
    for (i, &cwe) in p.cwe.iter().enumerate() {
        if !(1..=CWE_MAX).contains(&cwe) {
            issue(format!("cwe[{i}]"), LintProblem::CweOutOfRange { cwe });
        }
    }
    for (i, o) in p.owasp.iter().enumerate() {
        if !owasp_category(o) {
            issue(
                format!("owasp[{i}]"),
                LintProblem::OwaspNotCategory { entry: (*o).into() },
            );
        }
    }
    for (j, link) in p.references.iter().enumerate() {
        if !https_link(link) {
            issue(
                format!("references[{j}]"),
                LintProblem::NotHttps {
                    link: (*link).into(),
                },
            );
        }
    }
    for (i, prop) in p.properties.iter().enumerate() {
        for (j, link) in prop.evidence.iter().enumerate() {
            if !https_link(link) {
                issue(
                    format!("properties[{i}].evidence[{j}]"),
                    LintProblem::NotHttps {
                        link: (*link).into(),
                    },
                );
            }
        }
    }

    // A hazard names a safer pattern; a safe variant (info) may instead point at its hazard.
    let linked =
        !p.alternatives.is_empty() || (p.severity == Severity::Info && !p.relations.is_empty());
    if GROUPS_NEEDING_ALTERNATIVES.contains(&p.group) && !linked {
        issue(
            "alternatives".into(),
            LintProblem::NoAlternative {
                group: p.group.into(),
                severity: p.severity,
            },
        );
    }
}

/// `A01:2021`: A01–A10 and a published edition.
fn owasp_category(o: &str) -> bool {
    let Some((cat, year)) = o.split_once(':') else {
        return false;
    };
    let n = cat
        .strip_prefix('A')
        .filter(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse::<u32>().ok());
    matches!(n, Some(1..=10)) && OWASP_EDITIONS.contains(&year)
}

/// `https://host.tld/…` with no whitespace.
fn https_link(link: &str) -> bool {
    let Some(rest) = link.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let name = host.split(':').next().unwrap_or("");
    !link.chars().any(char::is_whitespace)
        && name.contains('.')
        && !name.starts_with('.')
        && !name.ends_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

fn lint_graph(patterns: &[(&str, Pattern<'_>)], issues: &mut Vec<LintIssue>) {
    let index: HashMap<&str, usize> = patterns
        .iter()
        .enumerate()
        .map(|(i, (_, p))| (p.id, i))
        .collect();
    let mut parent: Vec<usize> = (0..patterns.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (i, (file, p)) in patterns.iter().enumerate() {
        let targets = p
            .alternatives
            .iter()
            .enumerate()
            .map(|(j, t)| (format!("alternatives[{j}]"), *t))
            .chain(
                p.relations
                    .iter()
                    .enumerate()
                    .map(|(j, r)| (format!("relations[{j}].target"), r.target)),
            );
        for (field, target) in targets {
            match index.get(target) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a] = b;
                }
                None => issues.push(LintIssue {
                    file: (*file).into(),
                    field,
                    problem: LintProblem::UnknownTarget {
                        target: target.into(),
                    },
                }),
            }
        }
    }
    let mut components: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, (_, p)) in patterns.iter().enumerate() {
        let root = find(&mut parent, i);
        components.entry(root).or_default().push(p.id.to_string());
    }
    if components.len() > 1 {
        let mut components: Vec<Vec<String>> = components
            .into_values()
            .map(|mut c| {
                c.sort();
                c
            })
            .collect();
        components.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        issues.push(LintIssue {
            file: CATALOG_FILE.into(),
            field: "alternatives, relations".into(),
            problem: LintProblem::Disconnected { components },
        });
    }
}
