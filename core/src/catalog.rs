//! The catalog sources: one TOML file per pattern, loaded and validated.
//!
//! This module owns the source format (documented in `patterns/README.md`) and every check made
//! before a catalog is compiled: unknown keys, duplicate ids or symbols, dangling references,
//! templates or examples that do not parse. Each error names the file and the field. It does not
//! write databases (that is `db`) and does not match code (that is `rule` and `engine`). The
//! standards a shipped catalog keeps beyond loading (the committed symbol list, examples both
//! ways, one connected graph…) are checked by [`lint()`]. Build time only: behind the `catalog`
//! feature, with the database writer.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::document::Document;
use crate::error::Error;
use crate::language::Language;
use crate::pattern::{
    Example, Expect, Matcher, Pattern, Property, PropertyKind, Relation, RelationKind, RuleEntry,
    Severity, Shape, ShapeReference, WhereClause, GROUPS,
};
use crate::rule::Rule;
use crate::shape;

mod lint;
mod user;

pub use lint::{
    lint, lint_patterns, LintIssue, LintProblem, CATALOG_FILE, CWE_MAX,
    GROUPS_NEEDING_ALTERNATIVES, OWASP_EDITIONS, SYMBOLS_FILE,
};
pub use user::{compile, load_user, user_cache_dir, user_database, USER_GROUP};

/// One problem in a catalog source, located by file and field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {field}: {message}")]
pub struct CatalogError {
    /// The source file (relative to the catalog directory).
    pub file: String,
    /// The field (`rules[0].pattern`, `symbol`…).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// All the problems found in a catalog.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} catalog error(s):\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct CatalogErrors(pub Vec<CatalogError>);

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct PatternSource {
    id: String,
    // Optional for user patterns (`Level::User`); the shipped catalog requires them.
    #[serde(default)]
    symbol: String,
    name: String,
    #[serde(default)]
    group: String,
    severity: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    cwe: Vec<u32>,
    #[serde(default)]
    owasp: Vec<String>,
    #[serde(default)]
    common_issues: Vec<String>,
    #[serde(default)]
    alternatives: Vec<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    properties: Vec<PropertySource>,
    #[serde(default)]
    relations: Vec<RelationSource>,
    #[serde(default)]
    rules: Vec<RuleSource>,
    #[serde(default)]
    shape: Option<ShapeSource>,
    #[serde(default)]
    examples: Vec<ExampleSource>,
    /// `default` (the default for severities above info), `pedantic` or `info` (the default
    /// for info patterns).
    #[serde(default)]
    level: Option<String>,
    /// Per context (`test`, `bench`, `example`, `fuzz`, `generated`, `vendored`): `off`,
    /// `lower` or `same`.
    #[serde(default)]
    context: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    roles: Vec<String>,
    /// What an editor may show about the code found ([`crate::pattern::TAGS`]).
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct PropertySource {
    kind: String,
    text: String,
    #[serde(default)]
    evidence: Vec<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct RelationSource {
    kind: String,
    target: String,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct RuleSource {
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    pattern: String,
    #[serde(default)]
    sinks: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    sanitizers: Vec<String>,
    #[serde(default)]
    propagators: Vec<String>,
    #[serde(default)]
    inside: Vec<String>,
    #[serde(default)]
    not_inside: Vec<String>,
    #[serde(default, rename = "where")]
    where_: Vec<WhereSource>,
    #[serde(default)]
    through_locals: bool,
    #[serde(default)]
    fix: Option<String>,
    #[serde(default)]
    fits: Vec<String>,
    #[serde(default)]
    unbounded: Vec<String>,
    #[serde(default)]
    severity_without_input: Option<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct WhereSource {
    metavar: String,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    kind: Vec<String>,
    #[serde(default)]
    constant: Option<bool>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct ShapeSource {
    threshold: f32,
    reference: Vec<ShapeRefSource>,
    #[serde(default)]
    require: Vec<RuleSource>,
    #[serde(default)]
    exclude: Vec<RuleSource>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct ShapeRefSource {
    language: String,
    code: String,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct ExampleSource {
    language: String,
    expect: String,
    code: String,
    #[serde(default)]
    fixed: Option<String>,
}

/// Features with their IDF weights.
type WeightedFeatures = Vec<(u64, f32)>;

/// A validated pattern in owned form (the catalog owns the text the records borrow).
#[derive(Debug, Clone)]
struct Entry {
    file: String,
    src: PatternSource,
    languages: Vec<Language>,
    severity: Severity,
    level: crate::profile::Level,
    context: crate::context::ContextPolicy,
    rules: Vec<(Language, RuleSource)>,
    shape_refs: Vec<(Language, String, WeightedFeatures)>,
    /// The shape's `require` and `exclude` templates, one per language.
    shape_require: Vec<(Language, RuleSource)>,
    shape_exclude: Vec<(Language, RuleSource)>,
    examples: Vec<(Language, Expect)>,
}

/// How [`Catalog::load_dir_with`] walks a catalog folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Follow symbolic links that lead out of the catalog folder (off: such a link is an error,
    /// so that a catalog never silently reads files from elsewhere).
    pub follow_links: bool,
}

/// The `*.toml` files of a catalog folder, sorted: each folder and file once (by its canonical
/// path), links out of `dir` refused unless asked for, non-regular `*.toml` files refused.
fn catalog_files(
    dir: &Path,
    options: &LoadOptions,
) -> Result<Vec<std::path::PathBuf>, (String, String)> {
    let fail = |p: &Path, m: String| (p.display().to_string(), m);
    let meta = std::fs::metadata(dir).map_err(|e| fail(dir, e.to_string()))?;
    if !meta.is_dir() {
        return Err(fail(dir, "not a folder".into()));
    }
    let root = dir.canonicalize().map_err(|e| fail(dir, e.to_string()))?;
    let mut seen_dirs = HashSet::from([root.clone()]);
    let mut seen_files = HashSet::new();
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(&d).map_err(|e| fail(&d, e.to_string()))? {
            entries.push(entry.map_err(|e| fail(&d, e.to_string()))?.path());
        }
        entries.sort();
        for path in entries.into_iter().rev() {
            let link = std::fs::symlink_metadata(&path)
                .map_err(|e| fail(&path, e.to_string()))?
                .file_type()
                .is_symlink();
            let is_toml = path.extension().is_some_and(|e| e == "toml");
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                // A broken link: an error only where a pattern file was meant.
                Err(_) if link && !is_toml => continue,
                Err(e) => return Err(fail(&path, e.to_string())),
            };
            if !meta.is_dir() && !is_toml {
                continue;
            }
            let real = path
                .canonicalize()
                .map_err(|e| fail(&path, e.to_string()))?;
            if link && !real.starts_with(&root) && !options.follow_links {
                return Err(fail(
                    &path,
                    format!(
                        "a link out of the catalog folder (to {}); pass --follow-links to follow it",
                        real.display()
                    ),
                ));
            }
            if meta.is_dir() {
                if seen_dirs.insert(real) {
                    stack.push(path);
                }
            } else if let Err(Error::Io { message, .. }) =
                crate::db::require_regular_file(&path, &meta)
            {
                return Err(fail(&path, message));
            } else if seen_files.insert(real) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// How much a catalog source must say about each pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// The shipped catalog: every field of `patterns/README.md` marked required (symbol, group,
    /// languages, summary, properties); `db lint` checks more on top.
    Catalog,
    /// A team's own patterns: id, name, severity, a rule (or shape) and at least one `match`
    /// example. Symbol, group (default [`USER_GROUP`]), languages (default: those of the rules),
    /// summary and properties are optional.
    User,
}

/// A loaded, validated catalog, ready to be compiled into a database.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<Entry>,
}

impl Catalog {
    /// Loads every `*.toml` file under `dir` (recursively, in path order), following no
    /// symbolic link out of the folder (see [`Catalog::load_dir_with`]).
    pub fn load_dir(dir: &Path) -> Result<Catalog, CatalogErrors> {
        Catalog::load_dir_with(dir, &LoadOptions::default())
    }

    /// Loads every `*.toml` file under `dir` (recursively, in path order). Every folder and file
    /// is read once, however many links lead to it (so link loops end); a link that leads out of
    /// `dir` is an error unless `options.follow_links`; a `*.toml` that is not a regular file (a
    /// FIFO, a device) is an error before it is opened.
    pub fn load_dir_with(dir: &Path, options: &LoadOptions) -> Result<Catalog, CatalogErrors> {
        let files = catalog_files(dir, options).map_err(|(file, message)| {
            CatalogErrors(vec![CatalogError {
                file,
                field: "-".into(),
                message,
            }])
        })?;
        let mut sources = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| {
                CatalogErrors(vec![CatalogError {
                    file: f.display().to_string(),
                    field: "-".into(),
                    message: e.to_string(),
                }])
            })?;
            let rel = f
                .strip_prefix(dir)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            sources.push((rel, text));
        }
        Catalog::from_sources(sources)
    }

    /// Loads a catalog from `(file name, TOML text)` pairs.
    pub fn from_sources<I, S, T>(files: I) -> Result<Catalog, CatalogErrors>
    where
        I: IntoIterator<Item = (S, T)>,
        S: Into<String>,
        T: AsRef<str>,
    {
        Catalog::from_sources_at(files, Level::Catalog)
    }

    /// Loads a team's own patterns from `(file name, TOML text)` pairs, at [`Level::User`]: a
    /// file holds one pattern (the catalog's format) or several as `[[patterns]]` tables.
    pub fn from_user_sources<I, S, T>(files: I) -> Result<Catalog, CatalogErrors>
    where
        I: IntoIterator<Item = (S, T)>,
        S: Into<String>,
        T: AsRef<str>,
    {
        Catalog::from_sources_at(files, Level::User)
    }

    /// Loads `(file name, TOML text)` pairs at a level.
    pub fn from_sources_at<I, S, T>(files: I, level: Level) -> Result<Catalog, CatalogErrors>
    where
        I: IntoIterator<Item = (S, T)>,
        S: Into<String>,
        T: AsRef<str>,
    {
        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        for (file, text) in files {
            let file = file.into();
            let text = text.as_ref();
            let sources = match level {
                Level::Catalog => {
                    toml::from_str::<PatternSource>(text).map(|s| vec![(file.clone(), s)])
                }
                Level::User => user::parse_user_file(&file, text),
            };
            match sources {
                Ok(srcs) => parsed.extend(srcs),
                Err(e) => {
                    let field = e
                        .span()
                        .and_then(|s| text.get(s))
                        .map(|s| s.trim().chars().take(60).collect::<String>())
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| "-".into());
                    errors.push(CatalogError {
                        file,
                        field,
                        message: e.message().trim().to_string(),
                    });
                }
            }
        }
        let mut entries = Vec::new();
        for (file, src) in parsed {
            if let Some(e) = validate(&file, src, level, &mut errors) {
                entries.push(e);
            }
        }
        cross_check(&entries, &mut errors);
        if !errors.is_empty() {
            return Err(CatalogErrors(errors));
        }
        entries.sort_by(|a, b| a.src.id.cmp(&b.src.id));
        compute_shape_weights(&mut entries);
        Ok(Catalog { entries })
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the catalog has no patterns.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The patterns, sorted by id (their pattern numbers in a compiled database).
    pub fn patterns(&self) -> Vec<Pattern<'_>> {
        self.entries.iter().map(to_pattern).collect()
    }

    /// The source file of pattern `i` (relative to the catalog directory).
    pub fn file_of(&self, i: usize) -> Option<&str> {
        self.entries.get(i).map(|e| e.file.as_str())
    }
}

fn err(
    errors: &mut Vec<CatalogError>,
    file: &str,
    field: impl Into<String>,
    message: impl Into<String>,
) {
    errors.push(CatalogError {
        file: file.to_string(),
        field: field.into(),
        message: message.into(),
    });
}

fn valid_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !p.starts_with('-')
        })
}

fn valid_symbol(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=3).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b[1..].iter().all(u8::is_ascii_lowercase)
}

fn validate(
    file: &str,
    mut src: PatternSource,
    level: Level,
    errors: &mut Vec<CatalogError>,
) -> Option<Entry> {
    let before = errors.len();
    let user = level == Level::User;
    if user {
        user::fill_defaults(&mut src);
    }
    if !valid_id(&src.id) {
        err(
            errors,
            file,
            "id",
            format!(
                "`{}` is not a dotted lowercase id (like `security.weak-hash.md5`)",
                src.id
            ),
        );
    }
    if src.symbol.is_empty() && !user {
        err(errors, file, "symbol", "missing (1–3 letters, like `Md`)");
    } else if !src.symbol.is_empty() && !valid_symbol(&src.symbol) {
        err(
            errors,
            file,
            "symbol",
            format!(
                "`{}` is not 1–3 letters, capitalised like an element (`Md`, `Sqi`)",
                src.symbol
            ),
        );
    }
    for (field, v) in [("name", &src.name), ("summary", &src.summary)] {
        if v.trim().is_empty() && !(user && field == "summary") {
            err(errors, file, field, "must not be empty");
        }
    }
    if !GROUPS.contains(&src.group.as_str()) {
        err(
            errors,
            file,
            "group",
            format!("`{}` is not one of {}", src.group, GROUPS.join(", ")),
        );
    }
    let severity = Severity::from_name(&src.severity);
    if severity.is_none() {
        err(
            errors,
            file,
            "severity",
            format!(
                "`{}` is not one of info, low, medium, high, critical",
                src.severity
            ),
        );
    }
    for r in &src.rules {
        if let Some(s) = r.severity_without_input.as_deref() {
            if Severity::from_name(s).is_none() {
                err(
                    errors,
                    file,
                    "rules.severity_without_input",
                    format!("`{s}` is not one of info, low, medium, high, critical"),
                );
            }
        }
    }
    let level = match src.level.as_deref() {
        None if severity == Some(Severity::Info) => crate::profile::Level::Info,
        None => crate::profile::Level::Default,
        Some(l) => crate::profile::Level::from_name(l).unwrap_or_else(|| {
            err(
                errors,
                file,
                "level",
                format!("`{l}` is not one of default, pedantic, info"),
            );
            crate::profile::Level::Default
        }),
    };
    let mut seen_tags = std::collections::HashSet::new();
    for t in &src.tags {
        if !crate::pattern::TAGS.contains(&t.as_str()) {
            err(
                errors,
                file,
                "tags",
                format!("`{t}` is not one of {}", crate::pattern::TAGS.join(", ")),
            );
        } else if !seen_tags.insert(t) {
            err(errors, file, "tags", format!("`{t}` is given twice"));
        }
    }
    let mut context = crate::context::ContextPolicy::default();
    for (k, v) in &src.context {
        match crate::context::ContextRule::from_name(v) {
            Some(rule) if context.set(k, rule) => {}
            Some(_) => err(
                errors,
                file,
                format!("context.{k}"),
                "not one of test, bench, example, fuzz, generated, vendored",
            ),
            None => err(
                errors,
                file,
                format!("context.{k}"),
                format!("`{v}` is not one of off, lower, same"),
            ),
        }
    }
    let mut languages = Vec::new();
    for (i, l) in src.languages.iter().enumerate() {
        match Language::from_name(l) {
            Ok(l) if !languages.contains(&l) => languages.push(l),
            Ok(_) => err(
                errors,
                file,
                format!("languages[{i}]"),
                format!("`{l}` is listed twice"),
            ),
            Err(e) => err(errors, file, format!("languages[{i}]"), e.to_string()),
        }
    }
    if src.languages.is_empty() {
        err(errors, file, "languages", "must list at least one language");
    }
    for (i, p) in src.properties.iter().enumerate() {
        if parse_property_kind(&p.kind).is_none() {
            err(
                errors,
                file,
                format!("properties[{i}].kind"),
                format!(
                    "`{}` is not one of security, performance, reliability, maintainability",
                    p.kind
                ),
            );
        }
        if p.text.trim().is_empty() {
            err(
                errors,
                file,
                format!("properties[{i}].text"),
                "must not be empty",
            );
        }
        for (j, link) in p.evidence.iter().enumerate() {
            if !link.starts_with("https://") {
                err(
                    errors,
                    file,
                    format!("properties[{i}].evidence[{j}]"),
                    format!("`{link}` is not an https link"),
                );
            }
        }
    }
    if src.properties.is_empty() && !user {
        err(
            errors,
            file,
            "properties",
            "must have at least one property",
        );
    }
    for (j, link) in src.references.iter().enumerate() {
        if !link.starts_with("https://") {
            err(
                errors,
                file,
                format!("references[{j}]"),
                format!("`{link}` is not an https link"),
            );
        }
    }
    for (i, r) in src.relations.iter().enumerate() {
        if parse_relation_kind(&r.kind).is_none() {
            err(
                errors,
                file,
                format!("relations[{i}].kind"),
                format!(
                    "`{}` is not one of requires, conflicts, enhances, related",
                    r.kind
                ),
            );
        }
    }
    for (i, c) in src.cwe.iter().enumerate() {
        if *c == 0 || *c > 9999 {
            err(
                errors,
                file,
                format!("cwe[{i}]"),
                format!("{c} is not a CWE number"),
            );
        }
    }
    for (i, o) in src.owasp.iter().enumerate() {
        // Bytes, not string slices: a non-ASCII character must not split (a fuzzed catalog did).
        let b = o.as_bytes();
        let ok = b.len() >= 8
            && b[0] == b'A'
            && b[1..3].iter().all(u8::is_ascii_digit)
            && b[3..].starts_with(b":20");
        if !ok {
            err(
                errors,
                file,
                format!("owasp[{i}]"),
                format!("`{o}` is not an OWASP Top 10 category like `A03:2021`"),
            );
        }
    }

    // Roles: each line parses, and names only roles of the pattern.
    if !src.roles.is_empty() {
        if let Err(e) = crate::project::roles::RolePattern::parse(&src.id, &src.roles) {
            err(errors, file, "roles", e);
        }
    }

    // The matcher: rules or a shape, not both (or neither, for a pattern of roles only).
    match (src.rules.is_empty(), &src.shape) {
        (true, None) if !src.roles.is_empty() => {}
        (true, None) => err(
            errors,
            file,
            "rules",
            "a pattern needs `[[rules]]`, a `[shape]` or `roles`",
        ),
        (false, Some(_)) => err(
            errors,
            file,
            "shape",
            "a pattern has `[[rules]]` or a `[shape]`, not both",
        ),
        _ => {}
    }
    let rules = validate_rules(errors, file, "rules", &src.rules, &languages);
    let mut shape_refs = Vec::new();
    let mut shape_require = Vec::new();
    let mut shape_exclude = Vec::new();
    if let Some(shape) = &src.shape {
        shape_require = validate_rules(errors, file, "shape.require", &shape.require, &languages);
        shape_exclude = validate_rules(errors, file, "shape.exclude", &shape.exclude, &languages);
        if !(shape.threshold > 0.0 && shape.threshold <= 1.0) {
            err(
                errors,
                file,
                "shape.threshold",
                format!("{} is not in (0, 1]", shape.threshold),
            );
        }
        if shape.reference.is_empty() {
            err(
                errors,
                file,
                "shape.reference",
                "a shape needs at least one reference implementation",
            );
        }
        for (i, r) in shape.reference.iter().enumerate() {
            match Language::from_name(&r.language) {
                Ok(lang) => {
                    if !languages.contains(&lang) {
                        err(
                            errors,
                            file,
                            format!("shape.reference[{i}].language"),
                            format!("`{lang}` is not in the pattern's languages"),
                        );
                    }
                    match Document::new(lang, r.code.as_str()) {
                        Ok(d) if d.has_syntax_errors() => err(
                            errors,
                            file,
                            format!("shape.reference[{i}].code"),
                            format!("does not parse as {lang}"),
                        ),
                        Ok(_) => shape_refs.push((lang, r.code.clone(), Vec::new())),
                        Err(e) => err(
                            errors,
                            file,
                            format!("shape.reference[{i}].code"),
                            e.to_string(),
                        ),
                    }
                }
                Err(e) => err(
                    errors,
                    file,
                    format!("shape.reference[{i}].language"),
                    e.to_string(),
                ),
            }
        }
        // A guard in a language without a reference would never be consulted.
        for (field, guards) in [
            ("shape.require", &shape_require),
            ("shape.exclude", &shape_exclude),
        ] {
            for (lang, _) in guards.iter() {
                if !shape_refs.iter().any(|(l, _, _)| l == lang) {
                    err(
                        errors,
                        file,
                        field,
                        format!("a `{lang}` guard but no `{lang}` reference"),
                    );
                }
            }
        }
    }
    let mut examples = Vec::new();
    for (i, ex) in src.examples.iter().enumerate() {
        let expect = match ex.expect.as_str() {
            "match" => Some(Expect::Match),
            "no-match" => Some(Expect::NoMatch),
            other => {
                err(
                    errors,
                    file,
                    format!("examples[{i}].expect"),
                    format!("`{other}` is not `match` or `no-match`"),
                );
                None
            }
        };
        match Language::from_name(&ex.language) {
            Ok(lang) => {
                if !languages.contains(&lang) {
                    err(
                        errors,
                        file,
                        format!("examples[{i}].language"),
                        format!("`{lang}` is not in the pattern's languages"),
                    );
                }
                // A multi-file example (`// file: name` lines) parses file by file.
                for (name, code) in crate::project::example_files(lang, &ex.code) {
                    let at = if name.is_empty() {
                        String::new()
                    } else {
                        format!(" (file {name})")
                    };
                    match Document::new(lang, code.as_str()) {
                        Ok(d) if d.has_syntax_errors() => err(
                            errors,
                            file,
                            format!("examples[{i}].code"),
                            format!("does not parse as {lang}{at}"),
                        ),
                        Err(e) => err(errors, file, format!("examples[{i}].code"), e.to_string()),
                        Ok(_) => {}
                    }
                }
                if ex.fixed.is_some() {
                    if expect != Some(Expect::Match) {
                        err(
                            errors,
                            file,
                            format!("examples[{i}].fixed"),
                            "only a `match` example has a fixed form",
                        );
                    }
                    if !rules.iter().any(|(l, r)| *l == lang && r.fix.is_some()) {
                        err(
                            errors,
                            file,
                            format!("examples[{i}].fixed"),
                            format!("no {lang} rule of the pattern has a `fix`"),
                        );
                    }
                }
                if let Some(expect) = expect {
                    examples.push((lang, expect));
                }
            }
            Err(e) => err(
                errors,
                file,
                format!("examples[{i}].language"),
                e.to_string(),
            ),
        }
    }
    if user && !examples.iter().any(|(_, e)| *e == Expect::Match) {
        err(
            errors,
            file,
            "examples",
            "a user pattern needs at least one `match` example (its test)",
        );
    }
    if errors.len() > before {
        return None;
    }
    Some(Entry {
        file: file.to_string(),
        severity: severity.unwrap_or(Severity::Info),
        level,
        context,
        languages,
        rules,
        shape_refs,
        shape_require,
        shape_exclude,
        examples,
        src,
    })
}

/// Checks rule templates (`[[rules]]`, `shape.require`, `shape.exclude`): languages named and
/// claimed by the pattern, templates that compile. Returns one entry per language.
fn validate_rules(
    errors: &mut Vec<CatalogError>,
    file: &str,
    field: &str,
    sources: &[RuleSource],
    languages: &[Language],
) -> Vec<(Language, RuleSource)> {
    let mut rules = Vec::new();
    for (i, r) in sources.iter().enumerate() {
        let mut langs: Vec<String> = r.languages.clone();
        langs.extend(r.language.clone());
        if langs.is_empty() {
            err(
                errors,
                file,
                format!("{field}[{i}].language"),
                "a rule names its language",
            );
        }
        for l in langs {
            let lang = match Language::from_name(&l) {
                Ok(lang) => lang,
                Err(e) => {
                    err(
                        errors,
                        file,
                        format!("{field}[{i}].language"),
                        e.to_string(),
                    );
                    continue;
                }
            };
            if !languages.contains(&lang) {
                err(
                    errors,
                    file,
                    format!("{field}[{i}].language"),
                    format!("`{lang}` is not in the pattern's languages"),
                );
            }
            // A taint rule's `sinks` are alternatives: one rule per sink, sharing the rest.
            let expanded: Vec<RuleSource> = if r.sinks.is_empty() {
                vec![r.clone()]
            } else {
                if !r.pattern.is_empty() {
                    err(
                        errors,
                        file,
                        format!("{field}[{i}].sinks"),
                        "a rule has `pattern` or `sinks`, not both",
                    );
                }
                if r.sources.is_empty() {
                    err(
                        errors,
                        file,
                        format!("{field}[{i}].sinks"),
                        "`sinks` make a taint rule, which needs `sources`",
                    );
                }
                r.sinks
                    .iter()
                    .map(|s| RuleSource {
                        pattern: s.clone(),
                        sinks: Vec::new(),
                        ..r.clone()
                    })
                    .collect()
            };
            for r in expanded {
                let entry = rule_entry(lang, &r);
                if let Err(e) = Rule::compile(lang, &entry.spec()) {
                    let at = match e {
                        crate::rule::RuleError::FixMetavariable { .. } => "fix",
                        _ => "pattern",
                    };
                    err(errors, file, format!("{field}[{i}].{at}"), e.to_string());
                }
                if r.fix.is_some() && field != "rules" {
                    err(
                        errors,
                        file,
                        format!("{field}[{i}].fix"),
                        "only a `[[rules]]` entry may carry a fix",
                    );
                }
                rules.push((lang, r));
            }
        }
    }
    rules
}

fn cross_check(entries: &[Entry], errors: &mut Vec<CatalogError>) {
    let mut ids: HashMap<&str, &str> = HashMap::new();
    let mut symbols: HashMap<&str, &str> = HashMap::new();
    for e in entries {
        if let Some(other) = ids.insert(&e.src.id, &e.file) {
            err(
                errors,
                &e.file,
                "id",
                format!("`{}` is also the id of {other}", e.src.id),
            );
        }
        if e.src.symbol.is_empty() {
            continue;
        }
        if let Some(other) = symbols.insert(&e.src.symbol, &e.file) {
            err(
                errors,
                &e.file,
                "symbol",
                format!("`{}` is also the symbol of {other}", e.src.symbol),
            );
        }
    }
    let known: HashSet<&str> = entries.iter().map(|e| e.src.id.as_str()).collect();
    for e in entries {
        // `unless:` names patterns with roles.
        if let Ok(rp) = crate::project::roles::RolePattern::parse(&e.src.id, &e.src.roles) {
            for u in &rp.unless {
                let has_roles = entries
                    .iter()
                    .any(|o| o.src.id == *u && !o.src.roles.is_empty());
                if !has_roles {
                    err(
                        errors,
                        &e.file,
                        "roles",
                        format!("`unless: {u}`: no pattern with roles has that id"),
                    );
                }
            }
        }
        for (i, a) in e.src.alternatives.iter().enumerate() {
            if !known.contains(a.as_str()) {
                err(
                    errors,
                    &e.file,
                    format!("alternatives[{i}]"),
                    format!("no pattern has the id `{a}`"),
                );
            }
        }
        for (i, r) in e.src.relations.iter().enumerate() {
            if !known.contains(r.target.as_str()) {
                err(
                    errors,
                    &e.file,
                    format!("relations[{i}].target"),
                    format!("no pattern has the id `{}`", r.target),
                );
            }
        }
    }
}

fn parse_property_kind(s: &str) -> Option<PropertyKind> {
    Some(match s {
        "security" => PropertyKind::Security,
        "performance" => PropertyKind::Performance,
        "reliability" => PropertyKind::Reliability,
        "maintainability" => PropertyKind::Maintainability,
        _ => return None,
    })
}

fn parse_relation_kind(s: &str) -> Option<RelationKind> {
    Some(match s {
        "requires" => RelationKind::Requires,
        "conflicts" => RelationKind::Conflicts,
        "enhances" => RelationKind::Enhances,
        "related" => RelationKind::Related,
        _ => return None,
    })
}

fn rule_entry(language: Language, r: &RuleSource) -> RuleEntry<'_> {
    RuleEntry {
        language,
        pattern: &r.pattern,
        inside: r.inside.iter().map(String::as_str).collect(),
        not_inside: r.not_inside.iter().map(String::as_str).collect(),
        where_: r
            .where_
            .iter()
            .map(|w| WhereClause {
                metavar: &w.metavar,
                regex: w.regex.as_deref(),
                kind: w.kind.iter().map(String::as_str).collect(),
                constant: w.constant,
            })
            .collect(),
        through_locals: r.through_locals,
        sources: r.sources.iter().map(String::as_str).collect(),
        sanitizers: r.sanitizers.iter().map(String::as_str).collect(),
        propagators: r.propagators.iter().map(String::as_str).collect(),
        fix: r.fix.as_deref(),
        fits: r.fits.iter().map(String::as_str).collect(),
        unbounded: r.unbounded.iter().map(String::as_str).collect(),
        severity_without_input: r
            .severity_without_input
            .as_deref()
            .and_then(crate::pattern::Severity::from_name),
    }
}

fn to_pattern(e: &Entry) -> Pattern<'_> {
    let s = &e.src;
    let matcher = if let Some(shape) = &s.shape {
        Matcher::Shape(Shape {
            threshold: shape.threshold,
            references: e
                .shape_refs
                .iter()
                .map(|(language, code, features)| ShapeReference {
                    language: *language,
                    code,
                    features: features.clone(),
                })
                .collect(),
            require: e
                .shape_require
                .iter()
                .map(|(l, r)| rule_entry(*l, r))
                .collect(),
            exclude: e
                .shape_exclude
                .iter()
                .map(|(l, r)| rule_entry(*l, r))
                .collect(),
        })
    } else {
        Matcher::Rules(e.rules.iter().map(|(l, r)| rule_entry(*l, r)).collect())
    };
    Pattern {
        id: &s.id,
        symbol: &s.symbol,
        name: &s.name,
        group: &s.group,
        severity: e.severity,
        languages: e.languages.clone(),
        summary: &s.summary,
        properties: s
            .properties
            .iter()
            .filter_map(|p| {
                Some(Property {
                    kind: parse_property_kind(&p.kind)?,
                    text: &p.text,
                    evidence: p.evidence.iter().map(String::as_str).collect(),
                })
            })
            .collect(),
        cwe: s.cwe.clone(),
        owasp: s.owasp.iter().map(String::as_str).collect(),
        common_issues: s.common_issues.iter().map(String::as_str).collect(),
        alternatives: s.alternatives.iter().map(String::as_str).collect(),
        relations: s
            .relations
            .iter()
            .filter_map(|r| {
                Some(Relation {
                    kind: parse_relation_kind(&r.kind)?,
                    target: &r.target,
                })
            })
            .collect(),
        references: s.references.iter().map(String::as_str).collect(),
        matcher,
        examples: s
            .examples
            .iter()
            .zip(&e.examples)
            .map(|(x, (language, expect))| Example {
                language: *language,
                expect: *expect,
                code: &x.code,
                fixed: x.fixed.as_deref(),
            })
            .collect(),
        level: e.level,
        context: e.context,
        roles: s.roles.iter().map(String::as_str).collect(),
        tags: s.tags.iter().map(String::as_str).collect(),
    }
}

/// IDF weights of every shape reference's features, over a small corpus: every example and
/// reference unit in the catalog.
fn compute_shape_weights(entries: &mut [Entry]) {
    if entries.iter().all(|e| e.shape_refs.is_empty()) {
        return;
    }
    let mut idf = shape::Idf::default();
    let mut add = |lang: Language, code: &str| {
        if let Ok(doc) = Document::new(lang, code) {
            idf.add(&doc);
        }
    };
    for e in entries.iter() {
        for (ex, (lang, _)) in e.src.examples.iter().zip(&e.examples) {
            add(*lang, &ex.code);
        }
        for (lang, code, _) in &e.shape_refs {
            add(*lang, code);
        }
    }
    for e in entries.iter_mut() {
        for (lang, code, features) in e.shape_refs.iter_mut() {
            if let Ok(doc) = Document::new(*lang, code.as_str()) {
                *features = idf.weigh_reference(&doc);
            }
        }
    }
}
