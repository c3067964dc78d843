//! Finding patterns by what a person types: `injection`, `md5`, `CWE-89`, `89`, `A03`, `sql injcetion`.
//!
//! This module owns the one search every host uses ([`PatternDb::search`],
//! [`PatternDb::search_ranked`]): case-insensitive, by word, prefix and substring, tolerant of a
//! typo or two, over a pattern's id, symbol, name, summary, CWE numbers and OWASP categories,
//! ranked best first. It reads every record of every layer (a linear scan: fine for catalogs of
//! thousands of patterns, the size people search by hand); exact lookups are `find`'s, over the
//! name index.

use super::PatternDb;
use crate::error::Result;
use crate::pattern::Pattern;

/// One search result: a pattern number and how well it matched (higher is better).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchHit {
    /// The pattern's number.
    pub pattern: u32,
    /// The score: the sum over the query's words of how well each matched (an exact id,
    /// symbol or name 100, a CWE 90, an OWASP category 80, a word of the id or name 70, a
    /// prefix of one (or of the symbol) 60, a substring 50, a word of the summary 25, a near miss 15 or 8).
    pub score: u32,
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Edits allowed for a word of this many characters to still count as a near miss.
fn tolerance(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

fn near(token: &str, word: &str) -> bool {
    let t = tolerance(token.chars().count());
    t > 0 && strsim::damerau_levenshtein(token, word) <= t
}

/// How well one lowercase query word matches a pattern (0: not at all).
fn token_score(t: &str, p: &Pattern<'_>, id: &str, name: &str, summary: &str) -> u32 {
    if p.symbol.eq_ignore_ascii_case(t) || id == t || name == t {
        return 100;
    }
    let digits = t
        .strip_prefix("cwe-")
        .or_else(|| t.strip_prefix("cwe"))
        .unwrap_or(t);
    if let Ok(n) = digits.parse::<u32>() {
        if p.cwe.contains(&n) {
            return 90;
        }
    }
    if t.len() >= 3
        && p.owasp
            .iter()
            .any(|o| o.to_lowercase() == t || o.to_lowercase().starts_with(&format!("{t}:")))
    {
        return 80;
    }
    let title = || words(id).chain(words(name));
    if title().any(|w| w == t) {
        return 70;
    }
    if p.symbol.to_lowercase().starts_with(t) || title().any(|w| w.starts_with(t)) {
        return 60;
    }
    if t.chars().count() >= 3 && (id.contains(t) || name.contains(t)) {
        return 50;
    }
    if t.chars().count() >= 3 && words(summary).any(|w| w == t || w.starts_with(t)) {
        return 25;
    }
    if title().any(|w| near(t, w)) {
        return 15;
    }
    if words(summary).any(|w| near(t, w)) {
        return 8;
    }
    0
}

/// The score of a pattern for a whole query (0: not a hit). Every word of the query must match
/// somewhere; a query found as a phrase in the name or summary earns a bonus.
fn score(query: &str, p: &Pattern<'_>) -> u32 {
    let (id, name, summary) = (
        p.id.to_lowercase(),
        p.name.to_lowercase(),
        p.summary.to_lowercase(),
    );
    if query == id || query == name || p.symbol.eq_ignore_ascii_case(query) {
        return 1000;
    }
    let mut total = 0;
    let mut count = 0;
    for t in query.split_whitespace() {
        let s = token_score(t, p, &id, &name, &summary);
        if s == 0 {
            return 0;
        }
        total += s;
        count += 1;
    }
    if count > 1 && (name.contains(query) || summary.contains(query)) {
        total += 50;
    }
    total
}

impl PatternDb {
    /// Pattern numbers matching `query`, best first (see [`PatternDb::search_ranked`]).
    pub fn search(&self, query: &str) -> Result<Vec<u32>> {
        Ok(self
            .search_ranked(query)?
            .into_iter()
            .map(|h| h.pattern)
            .collect())
    }

    /// Patterns matching `query`, best first (ties by pattern number), over every layer.
    ///
    /// The query is lowercased and split into words; each word must match the pattern's id,
    /// symbol, name, summary, a CWE (`CWE-89`, `cwe89` or `89`) or an OWASP category (`A03`,
    /// `A03:2021`): exactly, as a word, as a prefix or substring, or within one typo (words of
    /// 4–6 letters) or two (longer words). An empty query lists every pattern, in number
    /// order (score 0).
    ///
    /// ```
    /// use codetable::PatternDb;
    ///
    /// let db = PatternDb::default_catalog();
    /// let name_of = |n: u32| db.pattern(n).map(|p| p.id.to_string());
    /// let best = db.search("MD5")?;
    /// assert_eq!(name_of(best[0])?, "security.weak-hash.md5");
    /// assert!(!db.search("injection")?.is_empty());
    /// assert!(!db.search("injcetion")?.is_empty());   // a typo
    /// assert!(db.search("CWE-89")?.iter().all(|&n| db.pattern(n).is_ok_and(|p| p.cwe.contains(&89))));
    /// # Ok::<(), codetable::Error>(())
    /// ```
    pub fn search_ranked(&self, query: &str) -> Result<Vec<SearchHit>> {
        let query = query.trim().to_lowercase();
        if query.is_empty() {
            return Ok((0..self.len() as u32)
                .map(|pattern| SearchHit { pattern, score: 0 })
                .collect());
        }
        let mut hits = Vec::new();
        for n in 0..self.len() as u32 {
            let s = score(&query, &self.pattern(n)?);
            if s > 0 {
                hits.push(SearchHit {
                    pattern: n,
                    score: s,
                });
            }
        }
        hits.sort_by_key(|h| (std::cmp::Reverse(h.score), h.pattern));
        Ok(hits)
    }
}
