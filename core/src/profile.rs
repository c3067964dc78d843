//! What a scan reports, beyond what the engine matches: pattern levels and selection (as ruff's
//! `select` / `extend-select` / `ignore`), severity overrides, code context
//! ([`crate::context`]), inline suppressions (`codetable: ignore[…]` comments) and the grouping
//! of duplicate findings of one construct.
//!
//! It owns [`Profile`] and its one entry point [`Profile::apply`], which every host reaches
//! through [`crate::Session`] (the engine's profile, [`crate::Engine::set_profile`]) or calls
//! itself. The engine's raw matches are never changed here; `apply` returns the reported ones.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::context::{self, CodeContext, ContextRule};
use crate::document::Document;
use crate::engine::{Engine, Match};
use crate::language::Language;
use crate::pattern::{Severity, GROUPS};
use crate::unit::{UnitId, UnitKind};
use crate::view::PatternSheet;
use crate::Result;

/// A pattern's default level, as clippy's lint groups: which patterns a scan reports unless
/// told otherwise.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// On by default: hazards and likely defects.
    #[default]
    Default,
    /// Off by default: idioms and style points that are often deliberate, noisy on real code.
    Pedantic,
    /// Off by default: safe or design patterns, shown on request (`--select info`).
    Info,
}

impl Level {
    /// Every level.
    pub const ALL: [Level; 3] = [Level::Default, Level::Pedantic, Level::Info];

    /// Lowercase name (`"pedantic"`).
    pub const fn name(self) -> &'static str {
        match self {
            Level::Default => "default",
            Level::Pedantic => "pedantic",
            Level::Info => "info",
        }
    }

    /// Parses a lowercase name.
    pub fn from_name(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == s)
    }
}

/// Which patterns are reported and how: selection, severity overrides, suppressions and
/// grouping. [`Profile::default`] is what `codetable scan` does with no options: patterns of
/// level `default`, context rules of the catalog, inline suppressions honoured, duplicates
/// grouped.
///
/// Selectors (in `select`, `extend_select`, `ignore` and severity overrides) are, from least to
/// most specific: `all`; a level (`default`, `pedantic`, `info`); a group (`security`); an id
/// prefix ending at a dot boundary (`security.weak-hash`); a full id or a symbol (`Md`). As in
/// ruff, a pattern is reported when the most specific selector naming it is in `select` or
/// `extend_select` rather than in `ignore` (a tie goes to `ignore`).
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// The base selection (empty: `["default"]`).
    pub select: Vec<String>,
    /// Selectors added to the base selection.
    pub extend_select: Vec<String>,
    /// Selectors removed.
    pub ignore: Vec<String>,
    /// Severity overrides: the most specific selector naming a pattern wins.
    pub severity: Vec<(String, Severity)>,
    /// Apply the catalog's context rules (lower or drop findings outside production).
    pub context_rules: bool,
    /// Honour `codetable: ignore` comments.
    pub suppressions: bool,
    /// Group findings of one pattern inside one loop of one unit into one finding.
    pub group_duplicates: bool,
}

impl Default for Profile {
    fn default() -> Profile {
        Profile {
            select: Vec::new(),
            extend_select: Vec::new(),
            ignore: Vec::new(),
            severity: Vec::new(),
            context_rules: true,
            suppressions: true,
            group_duplicates: true,
        }
    }
}

/// One `codetable: ignore` comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// Start of the comment's `codetable:` marker, in UTF-8 bytes.
    pub byte_start: usize,
    /// Its line, 1-based.
    pub line: u32,
    /// The selectors in brackets (empty: every pattern).
    pub selectors: Vec<String>,
    /// The reason after `--`, if any.
    pub reason: Option<String>,
    /// Byte range it covers: a unit's range, else the lines it sits on and before.
    #[serde(skip)]
    pub covers: Range<usize>,
}

/// What [`Profile::apply`] reports about one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    /// The reported matches, with severities as reported and `duplicates` filled in.
    pub matches: Vec<Match>,
    /// Matches hidden by an inline suppression.
    pub suppressed: usize,
    /// Suppressions that hid nothing (of the patterns selected).
    pub unused: Vec<Suppression>,
    /// Matches folded into another (duplicates of one construct).
    pub grouped: usize,
    /// Matches dropped by a context rule (`off` in tests, benchmarks…).
    pub off_by_context: usize,
}

/// Why a selector is not valid: it names no pattern, level or group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSelector {
    /// The selector as written.
    pub selector: String,
    /// The closest id, symbol, group or level, if one is close.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is no pattern id, symbol, group or level",
            self.selector
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

/// How specifically `selector` names the pattern of `sheet` (`None`: it does not).
pub fn specificity(selector: &str, sheet: &PatternSheet) -> Option<u32> {
    if selector == sheet.id || selector == sheet.symbol {
        return Some(1000);
    }
    if selector.eq_ignore_ascii_case("all") {
        return Some(0);
    }
    if let Some(l) = Level::from_name(selector) {
        return (l == sheet.level).then_some(1);
    }
    if GROUPS.contains(&selector) && selector == sheet.group {
        return Some(2);
    }
    let prefix = selector.trim_end_matches('.');
    if !prefix.is_empty()
        && sheet.id.starts_with(prefix)
        && sheet.id[prefix.len()..].starts_with('.')
    {
        return Some(3 + prefix.matches('.').count() as u32);
    }
    None
}

impl Profile {
    /// A profile that reports every pattern's raw matches: no selection, no context rules,
    /// suppressions or grouping (what [`Engine::analyze`] returns).
    pub fn raw() -> Profile {
        Profile {
            select: vec!["all".into()],
            context_rules: false,
            suppressions: false,
            group_duplicates: false,
            ..Profile::default()
        }
    }

    /// Selectors written as one string, separated by commas or white space (`"Md, security"`):
    /// how the C ABI and the command line pass them.
    pub fn split_selectors(text: &str) -> Vec<String> {
        text.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Whether the pattern of `sheet` is reported.
    pub fn selects(&self, sheet: &PatternSheet) -> bool {
        let default = ["default".to_string()];
        let select = if self.select.is_empty() {
            &default[..]
        } else {
            &self.select[..]
        };
        let on = select
            .iter()
            .chain(&self.extend_select)
            .filter_map(|s| specificity(s, sheet))
            .max();
        let off = self
            .ignore
            .iter()
            .filter_map(|s| specificity(s, sheet))
            .max();
        match (on, off) {
            (Some(a), Some(b)) => a > b,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// The severity the pattern of `sheet` is reported with before context rules: the most
    /// specific override, else the catalog's.
    pub fn severity_of(&self, sheet: &PatternSheet) -> Severity {
        self.severity
            .iter()
            .filter_map(|(s, v)| Some((specificity(s, sheet)?, *v)))
            .max_by_key(|(k, _)| *k)
            .map_or(sheet.severity, |(_, v)| v)
    }

    /// Every selector of the profile that names nothing in `engine`'s database, with a
    /// suggestion.
    pub fn unknown_selectors(&self, engine: &Engine) -> Result<Vec<UnknownSelector>> {
        let sheets = (0..engine.db().len() as u32)
            .map(|n| engine.sheet(n))
            .collect::<Result<Vec<_>>>()?;
        let mut names: Vec<String> = vec!["all".into()];
        names.extend(Level::ALL.iter().map(|l| l.name().to_string()));
        names.extend(GROUPS.iter().map(|g| g.to_string()));
        for s in &sheets {
            names.push(s.id.clone());
            names.push(s.symbol.clone());
        }
        let mut out = Vec::new();
        let all = self
            .select
            .iter()
            .chain(&self.extend_select)
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(s, _)| s));
        for sel in all {
            if !sheets.iter().any(|s| specificity(sel, s).is_some())
                && !sel.eq_ignore_ascii_case("all")
                && Level::from_name(sel).is_none()
            {
                out.push(UnknownSelector {
                    selector: sel.clone(),
                    suggestion: did_you_mean(sel, names.iter().map(String::as_str)),
                });
            }
        }
        Ok(out)
    }

    /// The reported matches of `doc` (from the file at `path`, when known) among `matches`
    /// (the engine's raw matches of some or all of its units): selection, severity overrides,
    /// context rules, suppressions, then grouping, in that order.
    pub fn apply(
        &self,
        engine: &Engine,
        doc: &Document,
        path: Option<&str>,
        matches: Vec<Match>,
    ) -> Result<Applied> {
        self.apply_in(engine, doc, path, None, matches)
    }

    /// [`Profile::apply`] with the file's code context given (`Some`: a project's per-path
    /// setting, see [`crate::config::Config::context_of`]), instead of what its path, content
    /// and code say.
    pub fn apply_in(
        &self,
        engine: &Engine,
        doc: &Document,
        path: Option<&str>,
        context: Option<CodeContext>,
        matches: Vec<Match>,
    ) -> Result<Applied> {
        let mut out = Applied::default();
        // Read from the whole text (imports, a generated header): only when a match needs it,
        // so that a keystroke whose re-analysed units have no match does not scan the file. A
        // context given by the project (per-path setting) is used as it is.
        let mut file_context: Option<Option<CodeContext>> = context.map(Some);
        let mut unit_contexts: HashMap<UnitId, Option<CodeContext>> = HashMap::new();
        let mut suppressions = if self.suppressions {
            suppressions(doc)
        } else {
            Vec::new()
        };
        let mut used = vec![false; suppressions.len()];
        let mut kept = Vec::with_capacity(matches.len());
        for mut m in matches {
            let sheet = engine.sheet(m.pattern)?;
            if !self.selects(&sheet) {
                continue;
            }
            // A configured override wins; otherwise the match's own severity: the pattern's,
            // or the one its rule chose from evidence (`RuleSpec::severity_without_input`).
            let overridden = self
                .severity
                .iter()
                .any(|(s, _)| specificity(s, &sheet).is_some());
            let mut severity = if overridden {
                self.severity_of(&sheet)
            } else {
                m.severity
            };
            if self.context_rules {
                let whole = *file_context.get_or_insert_with(|| context::file_context(doc, path));
                let ctx = match whole {
                    Some(c) => c,
                    None => match *unit_contexts
                        .entry(m.unit)
                        .or_insert_with(|| context::unit_context(doc, m.unit))
                    {
                        Some(c) => c,
                        None => context::context_at(doc, None, m.unit, m.byte_range.start),
                    },
                };
                match sheet.context.rule(ctx, sheet.severity) {
                    ContextRule::Off => {
                        out.off_by_context += 1;
                        continue;
                    }
                    ContextRule::Lower => severity = context::lower(severity),
                    ContextRule::Same => {}
                }
            }
            m.severity = severity;
            let mut hidden = false;
            for (i, s) in suppressions.iter().enumerate() {
                if s.covers.start <= m.byte_range.start
                    && m.byte_range.start < s.covers.end.max(s.covers.start + 1)
                    && (s.selectors.is_empty()
                        || s.selectors
                            .iter()
                            .any(|sel| specificity(sel, &sheet).is_some()))
                {
                    used[i] = true;
                    hidden = true;
                }
            }
            if hidden {
                out.suppressed += 1;
                continue;
            }
            kept.push(m);
        }
        if self.group_duplicates {
            out.grouped = group_duplicates(doc, &mut kept);
        }
        out.matches = kept;
        out.unused = suppressions
            .drain(..)
            .zip(used)
            .filter(|(_, u)| !u)
            .map(|(s, _)| s)
            .collect();
        Ok(out)
    }
}

impl Engine {
    /// Reports what `select` names instead of the default level, minus what `ignore` names
    /// (selectors as in [`Profile`]; `select` empty: the `default` level), with the default
    /// context rules, suppressions and grouping: sets a [`Profile`] on the engine
    /// ([`Engine::set_profile`]). Fails with [`crate::Error::UnknownSelector`] (the engine
    /// unchanged) when a selector names nothing.
    ///
    /// ```
    /// use codetable::{Engine, Language, OffsetUnit, PatternDb, Session};
    ///
    /// let engine = Engine::new(PatternDb::default_catalog());
    /// engine.select(&["security".into()], &["Md".into()])?;
    /// let mut s = Session::new(Language::Python, "import hashlib\n# é\nhashlib.md5(b'')\n", OffsetUnit::Byte)?;
    /// assert!(s.analyze(&engine)?.is_empty());
    /// assert!(engine.select(&["Mdd".into()], &[]).unwrap_err().to_string().contains("`Md`"));
    /// # Ok::<(), codetable::Error>(())
    /// ```
    pub fn select(&self, select: &[String], ignore: &[String]) -> Result<()> {
        let profile = Profile {
            select: select.to_vec(),
            ignore: ignore.to_vec(),
            ..Profile::default()
        };
        if let Some(bad) = profile.unknown_selectors(self)?.first() {
            return Err(crate::Error::UnknownSelector(bad.to_string()));
        }
        self.set_profile(Some(profile));
        Ok(())
    }
}

/// Folds matches of one pattern inside one loop of one unit into the first (the others' ranges
/// go to its `duplicates`); returns how many were folded.
fn group_duplicates(doc: &Document, matches: &mut Vec<Match>) -> usize {
    let root = doc.tree().root_node();
    let mut first: HashMap<(u32, UnitId, usize), usize> = HashMap::new();
    let mut drop = HashSet::new();
    for i in 0..matches.len() {
        let m = &matches[i];
        let unit_start = doc.unit(m.unit).map_or(0, |u| u.byte_range.start);
        let mut node = root.descendant_for_byte_range(m.byte_range.start, m.byte_range.end);
        let mut lp = None;
        while let Some(n) = node {
            if n.start_byte() < unit_start {
                break;
            }
            if is_loop(n.kind()) {
                lp = Some(n.start_byte());
                break;
            }
            node = n.parent();
        }
        let Some(lp) = lp else { continue };
        match first.get(&(m.pattern, m.unit, lp)) {
            Some(&j) => {
                let r = matches[i].byte_range.clone();
                matches[j].duplicates.push(r);
                drop.insert(i);
            }
            None => {
                first.insert((m.pattern, m.unit, lp), i);
            }
        }
    }
    let n = drop.len();
    let mut i = 0;
    matches.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
    n
}

fn is_loop(kind: &str) -> bool {
    kind.starts_with("for_")
        || kind.starts_with("while_")
        || kind.starts_with("do_")
        || kind.starts_with("loop_")
        || kind == "enhanced_for_statement"
        || kind == "range_based_for_statement"
}

/// The marker every suppression comment starts with.
pub(crate) const SUPPRESSION_MARK: &str = "codetable:";

/// A suppression comment line for `language`, as [`suppressions`] reads it: its line comment,
/// `codetable: ignore[selectors]` (every pattern when `selectors` is empty) and `-- reason`
/// when a reason is given. Hosts that write suppressions (the language server's code action)
/// use it, so that what they write is what the profile honours.
///
/// ```
/// use codetable::{profile::suppression_comment, Language};
/// assert_eq!(suppression_comment(Language::Python, &["Md"], Some("checksum, naïve")),
///            "# codetable: ignore[Md] -- checksum, naïve");
/// assert_eq!(suppression_comment(Language::Go, &[], None), "// codetable: ignore");
/// ```
pub fn suppression_comment(language: Language, selectors: &[&str], reason: Option<&str>) -> String {
    let mut out = format!("{} {SUPPRESSION_MARK} ignore", language.line_comment());
    if !selectors.is_empty() {
        out.push_str(&format!("[{}]", selectors.join(", ")));
    }
    if let Some(r) = reason {
        out.push_str(&format!(" -- {r}"));
    }
    out
}

/// The `codetable: ignore` comments of `doc`, each with the code it covers: the unit that
/// starts on the next code line (a comment above a function or class covers all of it), else
/// the comment's line and the next code line.
///
/// The syntax, in any comment of the language: `codetable: ignore` (every pattern) or
/// `codetable: ignore[Md, security.weak-hash]` (symbols, ids, id prefixes or groups), with an
/// optional reason after `--`.
pub fn suppressions(doc: &Document) -> Vec<Suppression> {
    const MARK: &str = SUPPRESSION_MARK;
    let text = doc.text();
    let root = doc.tree().root_node();
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |b: usize| lines.partition_point(|&s| s <= b) - 1;
    let line_end = |l: usize| lines.get(l + 1).map_or(text.len(), |&s| s);
    let mut out = Vec::new();
    for (at, _) in text.match_indices(MARK) {
        let Some(node) = root.descendant_for_byte_range(at, at + MARK.len()) else {
            continue;
        };
        if !node.kind().contains("comment") {
            continue;
        }
        let rest = text[at + MARK.len()..].trim_start();
        let Some(rest) = rest.strip_prefix("ignore") else {
            continue;
        };
        let comment_end = node.end_byte();
        let rest_end = rest
            .find('\n')
            .unwrap_or(rest.len())
            .min(comment_end.saturating_sub(text.len() - rest.len()));
        let rest = &rest[..rest_end];
        let (selectors, after) = match rest.strip_prefix('[') {
            Some(r) => match r.split_once(']') {
                Some((inside, after)) => (
                    inside
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    after,
                ),
                None => continue,
            },
            None if rest.is_empty() || rest.starts_with(char::is_whitespace) => (Vec::new(), rest),
            None => continue,
        };
        let reason = after.split_once("--").map(|(_, r)| {
            r.trim()
                .trim_end_matches("*/")
                .trim_end_matches("-->")
                .trim()
                .to_string()
        });
        let line = line_of(at);
        // The first line after the comment that holds code (not blank, not only a comment).
        let own_line_code = text[lines[line]..node.start_byte()].trim().is_empty();
        let mut next = line_of(comment_end.min(text.len().saturating_sub(1))) + 1;
        while next < lines.len() {
            let l = text[lines[next]..line_end(next)].trim();
            let p = lines[next] + first_non_space(&text[lines[next]..]);
            let comment_only = root
                .descendant_for_byte_range(p, p)
                .is_some_and(|n| n.kind().contains("comment"));
            if l.is_empty() || comment_only {
                next += 1;
            } else {
                break;
            }
        }
        // Decorations (`@decorator`, `#[attr]`, `@Annotation`) between the comment and a
        // unit's declaration belong to the unit.
        let mut decl = next;
        while decl + 1 < lines.len() {
            let l = text[lines[decl]..line_end(decl)].trim_start();
            if l.starts_with('@') || l.starts_with("#[") {
                decl += 1;
            } else {
                break;
            }
        }
        let covers = if own_line_code && next < lines.len() {
            let unit = doc.units().iter().find(|u| {
                u.kind != UnitKind::Module
                    && u.start.line as usize > line
                    && u.start.line as usize <= decl
            });
            match unit {
                Some(u) => lines[line]..u.byte_range.end,
                None => lines[line]..line_end(next),
            }
        } else {
            lines[line]..line_end(line)
        };
        out.push(Suppression {
            byte_start: at,
            line: line as u32 + 1,
            selectors,
            reason,
            covers,
        });
    }
    out
}

fn first_non_space(s: &str) -> usize {
    s.find(|c: char| !c.is_whitespace() || c == '\n')
        .unwrap_or(0)
}

/// The candidate closest to `word` by edit distance (a transposition of two neighbouring letters
/// counts as one edit, so `tset` suggests `test`), when close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let w = word.to_ascii_lowercase();
    let common = |c: &str| {
        w.chars()
            .zip(c.to_ascii_lowercase().chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    // Closest first; among equals, the longest common start, then the shortest (`Mdd` is a
    // typo of `Md` rather than of `Mda`).
    candidates
        .map(|c| (strsim::osa_distance(&w, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1))
        .min_by_key(|(d, c)| (*d, std::cmp::Reverse(common(c)), c.len()))
        .map(|(_, c)| c.to_string())
}
