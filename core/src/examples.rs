//! Running a pattern's examples: the tests every pattern carries.
//!
//! This module owns the one check that `codetable test`, `db build`, user rules and the
//! catalog's own test suite share: each example is analysed with the engine, and a `match`
//! example must contain a match of its pattern, a `no-match` example none. A `match` example
//! with a `fixed` form must turn into it when the pattern's fixes are applied, and the fixed
//! code must parse and lose the finding without gaining another. It reads patterns
//! from the engine's database (any layer); it does not load catalogs or print reports.

use crate::document::Document;
use crate::engine::Engine;
use crate::error::Result;
use crate::language::Language;
use crate::pattern::Expect;

/// One example that did not behave as its pattern says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The example's index in the pattern's `examples`.
    pub index: usize,
    /// The example's language.
    pub language: Language,
    /// What the example expects.
    pub expect: Expect,
    /// How many matches of the pattern were found.
    pub found: usize,
    /// The code of the first match found, for a `no-match` example that matched.
    pub first: Option<String>,
    /// Set when the example's code could not be analysed at all.
    pub error: Option<String>,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = self.index;
        let lang = self.language;
        match (&self.error, self.expect) {
            (Some(e), _) => write!(f, "examples[{i}] ({lang}): {e}"),
            (None, Expect::Match) => {
                write!(f, "examples[{i}] ({lang}): expected a match, found none")
            }
            (None, Expect::NoMatch) => write!(
                f,
                "examples[{i}] ({lang}): expected no match, found {}: {:?}",
                self.found,
                self.first.as_deref().unwrap_or("")
            ),
        }
    }
}

/// The examples of pattern `n` that fail, in order (empty: all pass). An error is returned only
/// when the pattern's record cannot be read; a pattern with no examples passes vacuously here
/// (the catalog lint and user-level loading demand examples).
///
/// ```
/// use codetable::{examples::check_examples, Engine, PatternDb};
///
/// let engine = Engine::new(PatternDb::default_catalog());
/// let (n, _) = engine.db().by_id("security.weak-hash.md5")?.expect("built in");
/// assert!(check_examples(&engine, n)?.is_empty());
/// # Ok::<(), codetable::Error>(())
/// ```
pub fn check_examples(engine: &Engine, n: u32) -> Result<Vec<ExampleFailure>> {
    let p = engine.db().pattern(n)?;
    if !p.roles.is_empty() {
        return check_role_examples(&p);
    }
    let mut failures = Vec::new();
    for (index, ex) in p.examples.iter().enumerate() {
        let mut failure = ExampleFailure {
            index,
            language: ex.language,
            expect: ex.expect,
            found: 0,
            first: None,
            error: None,
        };
        let matches = Document::new(ex.language, ex.code).and_then(|d| engine.analyze(&d));
        let matches = match matches {
            Ok(m) => m,
            Err(e) => {
                failure.error = Some(e.to_string());
                failures.push(failure);
                continue;
            }
        };
        let mine: Vec<_> = matches.iter().filter(|m| m.pattern == n).collect();
        failure.found = mine.len();
        match (ex.expect, mine.first()) {
            (Expect::Match, None) => failures.push(failure),
            (Expect::NoMatch, Some(m)) => {
                failure.first = ex.code.get(m.byte_range.clone()).map(str::to_string);
                failures.push(failure);
            }
            (Expect::Match, Some(_)) => {
                if let Some(fixed) = ex.fixed {
                    if let Some(problem) =
                        check_fixed(engine, n, ex.language, ex.code, fixed, &matches)?
                    {
                        failure.error = Some(problem);
                        failures.push(failure);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(failures)
}

/// Checks an example's `fixed` form: applying the fixes of pattern `n`'s matches to `code`
/// gives exactly `fixed`, which parses, and re-scanning it finds no match of `n` and no
/// finding above info of any pattern more often than `code` did (a good-practice pattern that
/// the fix brings, such as SHA-256 for MD5, is expected). The reason it fails, or `None`.
fn check_fixed(
    engine: &Engine,
    n: u32,
    language: Language,
    code: &str,
    fixed: &str,
    before: &[crate::engine::Match],
) -> Result<Option<String>> {
    let fixes: Vec<crate::fix::Fix> = before
        .iter()
        .filter(|m| m.pattern == n)
        .filter_map(|m| m.fix.clone())
        .collect();
    if fixes.is_empty() {
        return Ok(Some("`fixed` given, but no match has a fix".into()));
    }
    let out = crate::fix::apply(language, code, &fixes)?;
    if out.text != fixed {
        return Ok(Some(format!(
            "the fixes give {:?}, `fixed` says {:?}",
            out.text, fixed
        )));
    }
    if !out.parses {
        return Ok(Some("the fixed code does not parse".into()));
    }
    let after = match Document::new(language, fixed).and_then(|d| engine.analyze(&d)) {
        Ok(m) => m,
        Err(e) => return Ok(Some(format!("the fixed code cannot be analysed: {e}"))),
    };
    if let Some(m) = after.iter().find(|m| m.pattern == n) {
        return Ok(Some(format!(
            "the fixed code still matches: {:?}",
            fixed.get(m.byte_range.clone()).unwrap_or("")
        )));
    }
    let count = |ms: &[crate::engine::Match], p: u32| ms.iter().filter(|m| m.pattern == p).count();
    for m in after
        .iter()
        .filter(|m| m.severity > crate::pattern::Severity::Info)
    {
        if count(&after, m.pattern) > count(before, m.pattern) {
            let id = engine.db().pattern(m.pattern)?.id.to_string();
            return Ok(Some(format!(
                "the fixed code has a new finding of {id}: {:?}",
                fixed.get(m.byte_range.clone()).unwrap_or("")
            )));
        }
    }
    Ok(None)
}

/// The examples of a role-based design pattern: each is a project (its `// file:` parts),
/// recognised with this pattern alone; a `match` example must hold an instance, a `no-match`
/// example none.
fn check_role_examples(p: &crate::pattern::Pattern<'_>) -> Result<Vec<ExampleFailure>> {
    use crate::project::{example_project, roles::RolePattern};
    let mut failures = Vec::new();
    let rp = match RolePattern::parse(p.id, &p.roles) {
        Ok(rp) => rp,
        Err(e) => {
            // A role line the loader let through but the recogniser refuses: every example
            // fails with the reason.
            for (index, ex) in p.examples.iter().enumerate() {
                failures.push(ExampleFailure {
                    index,
                    language: ex.language,
                    expect: ex.expect,
                    found: 0,
                    first: None,
                    error: Some(e.to_string()),
                });
            }
            return Ok(failures);
        }
    };
    for (index, ex) in p.examples.iter().enumerate() {
        let found = example_project(ex.language, ex.code).recognise(std::slice::from_ref(&rp));
        let failed = match ex.expect {
            Expect::Match => found.is_empty(),
            Expect::NoMatch => !found.is_empty(),
        };
        if failed {
            failures.push(ExampleFailure {
                index,
                language: ex.language,
                expect: ex.expect,
                found: found.len(),
                first: found.first().map(|i| {
                    i.participants
                        .iter()
                        .map(|x| format!("{}={}", x.role, x.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
                error: None,
            });
        }
    }
    Ok(failures)
}

/// A marker comment in an annotated example file: `# codetable: expect <id>[, <id>…]` (this
/// line must be covered by a finding of each id) or `// codetable: ok <id>` (must not be).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// The 0-based line the marker is on.
    pub line: u32,
    /// `Match` for `expect`, `NoMatch` for `ok`.
    pub expect: Expect,
    /// The pattern ids it names.
    pub ids: Vec<String>,
}

/// One marker of an annotated file that the findings contradict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnotationFailure {
    /// The marker.
    pub annotation: Annotation,
    /// The id that failed.
    pub id: String,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for AnnotationFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}: {}: {}",
            self.annotation.line + 1,
            self.id,
            self.reason
        )
    }
}

fn marker() -> &'static regex::Regex {
    static MARKER: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    MARKER.get_or_init(|| {
        regex::Regex::new(r"(?:#|//)\s*codetable:\s*(expect|ok)\s+([\w.\-]+(?:\s*,\s*[\w.\-]+)*)")
            .expect("a valid regex")
    })
}

/// The markers of a file, in line order (the format of `patterns/tests/annotated`).
pub fn annotations(text: &str) -> Vec<Annotation> {
    let mut out = Vec::new();
    for (line, l) in text.lines().enumerate() {
        if let Some(c) = marker().captures(l) {
            out.push(Annotation {
                line: line as u32,
                expect: if &c[1] == "expect" {
                    Expect::Match
                } else {
                    Expect::NoMatch
                },
                ids: c[2].split(',').map(|s| s.trim().to_string()).collect(),
            });
        }
    }
    out
}

/// Checks an annotated document: every `expect` line covered by a finding of each id it names
/// (a finding covers the lines from its start to its end), no `ok` line covered by one, and
/// every id known to the engine's database. Empty: the file passes.
///
/// ```
/// use codetable::{examples::check_annotated, Document, Engine, Language, PatternDb};
///
/// let engine = Engine::new(PatternDb::default_catalog());
/// let src = "import hashlib\nhashlib.md5(b'x')  # codetable: expect security.weak-hash.md5\n\
///            hashlib.sha256(b'x')  # codetable: ok security.weak-hash.md5\n";
/// let doc = Document::new(Language::Python, src)?;
/// assert!(check_annotated(&engine, &doc)?.is_empty());
/// # Ok::<(), codetable::Error>(())
/// ```
pub fn check_annotated(engine: &Engine, doc: &Document) -> Result<Vec<AnnotationFailure>> {
    let marks = annotations(doc.text());
    if marks.is_empty() {
        return Ok(Vec::new());
    }
    let matches = engine.analyze(doc)?;
    let mut failures = Vec::new();
    for a in marks {
        for id in &a.ids {
            let fail = |reason: &str| AnnotationFailure {
                annotation: a.clone(),
                id: id.clone(),
                reason: reason.to_string(),
            };
            let Some((n, _)) = engine.db().by_id(id)? else {
                failures.push(fail("no pattern has this id"));
                continue;
            };
            let covered = matches
                .iter()
                .any(|m| m.pattern == n && m.start.line <= a.line && a.line <= m.end.line);
            match (a.expect, covered) {
                (Expect::Match, false) => failures.push(fail("expected a finding, found none")),
                (Expect::NoMatch, true) => failures.push(fail("found where the marker says `ok`")),
                _ => {}
            }
        }
    }
    Ok(failures)
}
