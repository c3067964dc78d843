//! Project configuration: `codetable.toml`, or `[tool.codetable]` in `pyproject.toml`, found by
//! walking up from a scanned path (the CLI's first path, the language server's file or
//! workspace folder).
//!
//! It owns the file's format (serde, unknown keys refused with the file, line and a did-you-mean
//! suggestion), where it is looked for, and how its settings become a host's: selectors for
//! core's [`Profile`] ([`Config::profile`]), severity overrides, path excludes, per-path
//! ignores, per-path code contexts ([`Config::context_of`]) and language overrides (globs
//! relative to the file's folder), and the team's rules files. A host's own options (the
//! command line) win over the file; that merge is the host's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::context::CodeContext;
use crate::language::Language;
use crate::pattern::Severity;
use crate::profile::{specificity, Profile};
use crate::view::PatternSheet;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

/// The settings of `codetable.toml` (also the `[tool.codetable]` table of `pyproject.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    /// Base selection (as `--select`).
    #[serde(default)]
    select: Vec<String>,
    /// Added to the selection (as `--extend-select`).
    #[serde(default)]
    extend_select: Vec<String>,
    /// Removed from the selection (as `--ignore`).
    #[serde(default)]
    ignore: Vec<String>,
    /// Selector -> severity.
    #[serde(default)]
    severity: BTreeMap<String, String>,
    /// Globs of files and folders not scanned.
    #[serde(default)]
    exclude: Vec<String>,
    /// Glob -> selectors not reported in those files (as ruff's `per-file-ignores`).
    #[serde(default)]
    per_path_ignores: BTreeMap<String, Vec<String>>,
    /// Glob -> language (`"*.h" = "cpp"`).
    #[serde(default)]
    languages: BTreeMap<String, String>,
    /// Extra pattern folders, compiled on the fly.
    #[serde(default)]
    rules: Vec<String>,
    /// Glob -> code context (`"tools/**" = "test"`): the context of every finding in those
    /// files, whatever their path, content or code would say.
    #[serde(default)]
    context: BTreeMap<String, String>,
    /// Also scan vendored and generated code (as `--include-vendored`).
    #[serde(default)]
    include_vendored: bool,
    /// The project's own sanitiser functions, for every taint rule (see
    /// [`crate::Engine::set_sanitizers`]).
    #[serde(default)]
    sanitizers: Vec<String>,
}

/// `pyproject.toml`: only `[tool.codetable]` is read; everything else is someone else's.
#[derive(Deserialize)]
struct PyProject {
    tool: Option<PyTool>,
}

#[derive(Deserialize)]
struct PyTool {
    codetable: Option<toml::Value>,
}

/// A project configuration, ready for the scan.
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from (`None`: no file found).
    pub file: Option<PathBuf>,
    /// Base selection.
    pub select: Vec<String>,
    /// Added selectors.
    pub extend_select: Vec<String>,
    /// Removed selectors.
    pub ignore: Vec<String>,
    /// Severity overrides.
    pub severity: Vec<(String, Severity)>,
    /// The team's own patterns (`rules = [...]`: rules files or folders, resolved against the
    /// configuration's folder), stacked over the database like `--rules`.
    pub rules: Vec<PathBuf>,
    /// Whether folder scans also read vendored and generated code (`include-vendored = true`;
    /// hosts pass it to the walk's `vendored`). Default: no.
    pub include_vendored: bool,
    /// The project's own sanitiser functions (`sanitizers = ["myapp.security.clean_html",
    /// "is_allowed_host"]`): a call of one is clean for every taint rule, and an `if` that calls
    /// one on a value checks that value. Give them to [`crate::Engine::set_sanitizers`].
    pub sanitizers: Vec<String>,
    /// Folder the globs are relative to.
    root: PathBuf,
    exclude: Option<GlobSet>,
    per_path: Vec<(GlobSet, Vec<String>)>,
    languages: Vec<(GlobSet, Language)>,
    contexts: Vec<(GlobSet, CodeContext)>,
}

/// A host's own selection (the command line's `--select`, `--extend-select` and `--ignore`, an
/// editor's settings), merged over the configuration file's by [`Config::profile_with`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostSelection {
    /// Replaces the file's base selection when not empty.
    pub select: Vec<String>,
    /// Added to the file's (and reported whatever the base selection).
    pub extend_select: Vec<String>,
    /// Removed, with the file's.
    pub ignore: Vec<String>,
}

/// A selector of a configuration (or of the host's selection merged over it) that names no
/// pattern, group or level of the engine's database: what [`Config::configure`] reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    /// Whether the selector comes from `per-path-ignores` (else from the selection).
    pub per_path: bool,
    /// The selector and the closest name.
    pub unknown: crate::profile::UnknownSelector,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.per_path {
            write!(f, "per-path-ignores: {}", self.unknown)
        } else {
            write!(f, "{}", self.unknown)
        }
    }
}

/// The key names the file accepts, for suggestions.
const KEYS: [&str; 11] = [
    "context",
    "include-vendored",
    "sanitizers",
    "select",
    "extend-select",
    "ignore",
    "severity",
    "exclude",
    "per-path-ignores",
    "languages",
    "rules",
];

impl Config {
    /// Finds and reads the configuration for a scan of `start` (a file or folder): the nearest
    /// `codetable.toml`, or `pyproject.toml` with a `[tool.codetable]` table, in `start`'s
    /// folder or above. No file: the defaults.
    pub fn discover(start: &Path) -> Result<Config, String> {
        let abs = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let mut dir = if abs.is_dir() {
            Some(abs.as_path())
        } else {
            abs.parent()
        };
        while let Some(d) = dir {
            let own = d.join("codetable.toml");
            if own.is_file() {
                return Config::load(&own);
            }
            let py = d.join("pyproject.toml");
            if py.is_file() {
                let text = read(&py)?;
                let parsed: PyProject = toml::from_str(&text).map_err(|e| located(&py, &e))?;
                if parsed.tool.is_some_and(|t| t.codetable.is_some()) {
                    // Parsed again, typed, so errors point at the table's own lines.
                    return Config::from_pyproject(&py, &text);
                }
            }
            dir = d.parent();
        }
        Ok(Config::default())
    }

    /// Reads a `codetable.toml`.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = read(path)?;
        let file: ConfigFile = toml::from_str(&text).map_err(|e| located(path, &e))?;
        Config::build(path, file)
    }

    fn from_pyproject(path: &Path, text: &str) -> Result<Config, String> {
        #[derive(Deserialize)]
        struct Outer {
            tool: Tool,
        }
        #[derive(Deserialize)]
        struct Tool {
            codetable: ConfigFile,
        }
        let outer: Outer = toml::from_str(text).map_err(|e| located(path, &e))?;
        Config::build(path, outer.tool.codetable)
    }

    fn build(path: &Path, file: ConfigFile) -> Result<Config, String> {
        let shown = path.display();
        let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        // Rules files and folders, relative to the configuration's folder; each must exist.
        let mut rules = Vec::new();
        for r in &file.rules {
            let p = root.join(r);
            if !p.exists() {
                return Err(format!(
                    "{shown}: rules: `{r}` does not exist ({})",
                    p.display()
                ));
            }
            rules.push(p);
        }
        let set = |globs: &[&String], what: &str| -> Result<GlobSet, String> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(Glob::new(g).map_err(|e| format!("{shown}: {what} `{g}`: {e}"))?);
            }
            b.build().map_err(|e| format!("{shown}: {what}: {e}"))
        };
        let exclude = if file.exclude.is_empty() {
            None
        } else {
            Some(set(&file.exclude.iter().collect::<Vec<_>>(), "exclude")?)
        };
        let mut per_path = Vec::new();
        for (glob, selectors) in &file.per_path_ignores {
            per_path.push((set(&[glob], "per-path-ignores")?, selectors.clone()));
        }
        let mut languages = Vec::new();
        for (glob, name) in &file.languages {
            let l = Language::from_name(name)
                .map_err(|_| format!("{shown}: languages.\"{glob}\": unknown language `{name}`"))?;
            languages.push((set(&[glob], "languages")?, l));
        }
        // In file order would be nicer, but a table's keys are sorted: the most specific glob
        // (the longest) is tried first, so `"tools/**" = "test"` and `"tools/release/**" =
        // "production"` mean what they say.
        let mut contexts = Vec::new();
        for (glob, name) in &file.context {
            let c = CodeContext::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = CodeContext::ALL.iter().map(|c| c.name()).collect();
                let hint = crate::profile::did_you_mean(name, names.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                format!(
                    "{shown}: context.\"{glob}\": `{name}` is not one of {}{hint}",
                    names.join(", ")
                )
            })?;
            contexts.push((glob.len(), set(&[glob], "context")?, c));
        }
        contexts.sort_by_key(|c| std::cmp::Reverse(c.0));
        let contexts = contexts.into_iter().map(|(_, g, c)| (g, c)).collect();
        let mut severity = Vec::new();
        for (sel, name) in &file.severity {
            let s = Severity::from_name(name).ok_or_else(|| {
                format!(
                    "{shown}: severity.\"{sel}\": `{name}` is not one of info, low, medium, high, critical"
                )
            })?;
            severity.push((sel.clone(), s));
        }
        // A sanitiser is a function name: dotted or `::` parts of identifier characters.
        for name in &file.sanitizers {
            let ok = !name.trim().is_empty()
                && name.split(['.', ':']).filter(|p| !p.is_empty()).all(|p| {
                    p.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
                });
            if !ok {
                return Err(format!(
                    "{shown}: sanitizers: `{name}` is not a function name (`clean_html`, `myapp.security.clean_html`)"
                ));
            }
        }
        Ok(Config {
            sanitizers: file.sanitizers,
            file: Some(path.to_path_buf()),
            select: file.select,
            extend_select: file.extend_select,
            ignore: file.ignore,
            severity,
            rules,
            include_vendored: file.include_vendored,
            root,
            exclude,
            per_path,
            languages,
            contexts,
        })
    }

    /// `path` relative to the configuration's folder, when it is inside it.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        // The root first: without a configuration file it is empty and nothing is inside it,
        // and a scan asks this of every file (`absolute` of a relative path reads the current
        // folder, a system call each time).
        let root = std::path::absolute(&self.root).ok()?;
        let abs = std::path::absolute(path).ok()?;
        abs.strip_prefix(&root).ok().map(Path::to_path_buf)
    }

    /// Whether `path` (a file or folder) is excluded.
    pub fn excludes(&self, path: &Path) -> bool {
        match (&self.exclude, self.relative(path)) {
            (Some(set), Some(rel)) => rel
                .ancestors()
                .any(|a| !a.as_os_str().is_empty() && set.is_match(a)),
            _ => false,
        }
    }

    /// The language the configuration gives `path`, if any.
    pub fn language_of(&self, path: &Path) -> Option<Language> {
        let rel = self.relative(path)?;
        let name = rel.file_name().map(PathBuf::from);
        self.languages
            .iter()
            .find(|(set, _)| set.is_match(&rel) || name.as_ref().is_some_and(|n| set.is_match(n)))
            .map(|(_, l)| *l)
    }

    /// The code context the configuration gives `path` (its `[context]` table, most specific
    /// glob first), if any: hosts pass it to [`crate::Session::set_context`].
    pub fn context_of(&self, path: &Path) -> Option<CodeContext> {
        let rel = self.relative(path)?;
        self.contexts
            .iter()
            .find(|(set, _)| {
                rel.ancestors()
                    .any(|a| !a.as_os_str().is_empty() && set.is_match(a))
            })
            .map(|(_, c)| *c)
    }

    /// Whether the configuration gives any path a code context (`[context]`): a folder walk
    /// then judges vendored and generated code file by file.
    pub fn has_contexts(&self) -> bool {
        !self.contexts.is_empty()
    }

    /// The selectors not reported in `path`.
    pub fn ignored_in(&self, path: &Path) -> Vec<&str> {
        let Some(rel) = self.relative(path) else {
            return Vec::new();
        };
        self.per_path
            .iter()
            .filter(|(set, _)| set.is_match(&rel))
            .flat_map(|(_, s)| s.iter().map(String::as_str))
            .collect()
    }

    /// The file's selection as a [`Profile`] (select, extend-select, ignore, severity; the
    /// rest of core's defaults): what a host without options of its own applies.
    pub fn profile(&self) -> Profile {
        Profile {
            select: self.select.clone(),
            extend_select: self.extend_select.clone(),
            ignore: self.ignore.clone(),
            severity: self.severity.clone(),
            ..Profile::default()
        }
    }

    /// The profile a host with its own options applies: the file's selection with `host`'s
    /// merged over it (a non-empty `select` replaces the file's; `extend_select` and `ignore`
    /// add to the file's), the file's severity overrides, core's defaults for the rest. What
    /// `codetable scan` and the language server both report.
    ///
    /// ```
    /// use codetable::config::{Config, HostSelection};
    /// let host = HostSelection { select: vec!["security".into()], ignore: vec!["Md".into()], ..HostSelection::default() };
    /// let p = Config::default().profile_with(&host);
    /// assert_eq!((p.select, p.ignore), (vec!["security".to_string()], vec!["Md".to_string()]));
    /// ```
    pub fn profile_with(&self, host: &HostSelection) -> Profile {
        let mut p = self.profile();
        if !host.select.is_empty() {
            p.select.clone_from(&host.select);
        }
        p.extend_select.extend(host.extend_select.iter().cloned());
        p.ignore.extend(host.ignore.iter().cloned());
        p
    }

    /// Applies the configuration to `engine`: `profile` (usually [`Config::profile_with`] the
    /// host's own selection) becomes its profile and the configuration's sanitisers its
    /// sanitisers. Returns the selectors that name nothing in the engine's database, the
    /// profile's first, then those of `per-path-ignores`; the settings are applied either
    /// way (a host decides whether a problem is fatal: the CLI stops, an editor shows it).
    pub fn configure(
        &self,
        engine: &crate::Engine,
        profile: Profile,
    ) -> crate::Result<Vec<ConfigProblem>> {
        let checked = self.problems(engine, &profile);
        engine.set_profile(Some(profile));
        if !self.sanitizers.is_empty() {
            engine.set_sanitizers(&self.sanitizers);
        }
        checked
    }

    /// The selectors of `profile` and of `per-path-ignores` that name nothing in `engine`'s
    /// database (see [`Config::configure`]).
    fn problems(
        &self,
        engine: &crate::Engine,
        profile: &Profile,
    ) -> crate::Result<Vec<ConfigProblem>> {
        let unknown = |p: &Profile, per_path: bool| -> crate::Result<Vec<ConfigProblem>> {
            Ok(p.unknown_selectors(engine)?
                .into_iter()
                .map(|unknown| ConfigProblem { per_path, unknown })
                .collect())
        };
        let per_path = Profile {
            ignore: self.selectors().cloned().collect(),
            ..Profile::default()
        };
        let mut problems = unknown(profile, false)?;
        problems.extend(unknown(&per_path, true)?);
        Ok(problems)
    }

    /// Whether findings of the pattern of `sheet` are left out in `path` (`per-path-ignores`).
    pub fn ignores(&self, path: &Path, sheet: &PatternSheet) -> bool {
        if self.per_path.is_empty() {
            return false;
        }
        self.ignored_in(path)
            .iter()
            .any(|s| specificity(s, sheet).is_some())
    }

    /// Whether `path` is the configuration file itself (a host watching files re-reads the
    /// configuration when it changes).
    pub fn is_file(&self, path: &Path) -> bool {
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        self.file.as_deref().is_some_and(|f| abs(f) == abs(path))
    }

    /// Every selector the file names (to check them against the database).
    pub fn selectors(&self) -> impl Iterator<Item = &String> {
        self.per_path.iter().flat_map(|(_, s)| s.iter())
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// A TOML error with the file's name, its line and column, and for an unknown key the closest
/// known one.
fn located(path: &Path, e: &toml::de::Error) -> String {
    let mut msg = format!("{}: {}", path.display(), e.message());
    if let Some(span) = e.span() {
        if let Ok(text) = std::fs::read_to_string(path) {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            msg = format!("{}:{line}:{column}: {}", path.display(), e.message());
        }
    }
    if let Some(rest) = e.message().strip_prefix("unknown field `") {
        if let Some((key, _)) = rest.split_once('`') {
            if let Some(s) = crate::profile::did_you_mean(key, KEYS.into_iter()) {
                msg.push_str(&format!(" (did you mean `{s}`?)"));
            }
        }
    }
    msg
}
