//! The project configuration each file is judged by, as `codetable scan` judges it: the nearest
//! `codetable.toml` (or `pyproject.toml` with `[tool.codetable]`) above the file
//! ([`Config::discover`]), its selection merged with the client's settings
//! ([`Config::profile_with`]) into the profile of an engine of its own, over the server's
//! database with the configuration's `rules` stacked on it, and its per-path ignores.
//!
//! One [`Project`] per configuration file (and one for files without any), made on first use and
//! dropped when a configuration file or the settings change; the engines share the server's
//! database. Only the lookup and the caching are here: what a configuration means is core's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codetable::config::{Config, HostSelection};
use codetable::{Engine, PatternDb, PatternSheet};

/// File names whose change means the configuration of files below them may have changed.
pub(crate) const CONFIG_FILES: [&str; 2] = ["codetable.toml", "pyproject.toml"];

/// One configuration and the engine that applies its profile.
pub(crate) struct Project {
    /// The configuration (the defaults when no file was found or the file is broken).
    pub(crate) config: Config,
    /// The engine whose profile is the configuration's selection with the client's, over the
    /// server's database with the configuration's `rules` stacked on it.
    pub(crate) engine: Arc<Engine>,
    /// The digest of the compiled `rules` (0 without any), for cache keys.
    rules: u128,
}

impl Project {
    /// Whether a finding of `sheet` in the file at `path` is left out by `per-path-ignores`.
    pub(crate) fn ignores(&self, path: Option<&Path>, sheet: &PatternSheet) -> bool {
        path.is_some_and(|p| self.config.ignores(p, sheet))
    }

    /// What the profile and the per-path ignores depend on, for cache keys.
    pub(crate) fn stamp(&self, path: Option<&Path>) -> String {
        format!(
            "{:?}/{:?}/{:x}/{:?}/{:?}",
            self.engine.profile(),
            self.config.file,
            self.rules,
            path.map(|p| self.config.ignored_in(p)),
            path.and_then(|p| self.config.context_of(p))
        )
    }
}

/// The projects made so far.
#[derive(Default)]
pub(crate) struct Projects {
    /// By configuration file (`None`: files with none).
    by_file: HashMap<Option<PathBuf>, Arc<Project>>,
    /// The configuration file found from each folder looked at.
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
}

impl Projects {
    /// Forgets every project (a configuration file or the settings changed).
    pub(crate) fn clear(&mut self) {
        self.by_file.clear();
        self.by_dir.clear();
    }

    /// The project of the file at `path` (`None`: a document without a file, judged by the
    /// defaults), with engines over `base`'s database and `host`'s selection; and the problem
    /// with its configuration, when it could not be used (reported once per project).
    pub(crate) fn of(
        &mut self,
        path: Option<&Path>,
        base: &Engine,
        host: &HostSelection,
    ) -> (Arc<Project>, Option<String>) {
        let dir = path.and_then(Path::parent).map(Path::to_path_buf);
        let (config, mut problem) = match &dir {
            None => (Config::default(), None),
            Some(d) => match self.by_dir.get(d) {
                Some(file) => match self.by_file.get(file) {
                    Some(p) => return (p.clone(), None),
                    None => discover(d),
                },
                None => discover(d),
            },
        };
        let file = config.file.clone();
        if let Some(d) = dir {
            self.by_dir.insert(d, file.clone());
        }
        if let Some(p) = self.by_file.get(&file) {
            return (p.clone(), problem);
        }
        let profile = config.profile_with(host);
        let mut bad: Vec<String> = Vec::new();
        // The configuration's `rules` (files or folders of the team's patterns) are stacked
        // over the database as `codetable scan` stacks them; rules that do not compile leave
        // the project with the database alone, and say why.
        let (db, rules) = if config.rules.is_empty() {
            (base.db_arc().clone(), 0)
        } else {
            match with_rules(base.db(), &config.rules) {
                Ok((db, digest)) => (Arc::new(db), digest),
                Err(e) => {
                    bad.push(format!("rules: {e}"));
                    (base.db_arc().clone(), 0)
                }
            }
        };
        let engine = Engine::from_arc(db);
        if let Ok(problems) = config.configure(&engine, profile) {
            bad.extend(problems.iter().map(|p| p.to_string()));
        }
        if !bad.is_empty() {
            let from = file
                .as_deref()
                .map_or("settings".to_string(), |f| f.display().to_string());
            let joined = format!("{from}: {}", bad.join("; "));
            problem = Some(match problem {
                Some(p) => format!("{p}; {joined}"),
                None => joined,
            });
        }
        let project = Arc::new(Project {
            config,
            engine: Arc::new(engine),
            rules,
        });
        self.by_file.insert(file, project.clone());
        (project, problem)
    }
}

/// The configuration found from folder `dir`; a broken file gives the defaults and its error.
fn discover(dir: &Path) -> (Config, Option<String>) {
    match Config::discover(dir) {
        Ok(c) => (c, None),
        Err(e) => (
            Config::default(),
            Some(format!("{e} (the defaults apply until it is fixed)")),
        ),
    }
}

/// `base` (each of its layers) with the user rules of `paths` stacked over it (compiled, or
/// opened from the user cache folder as `codetable scan --rules` does), and the rules' digest.
fn with_rules(base: &PatternDb, paths: &[PathBuf]) -> Result<(PatternDb, u128), String> {
    let cache = codetable::catalog::user_cache_dir();
    let user =
        codetable::catalog::user_database(paths, cache.as_deref()).map_err(|e| e.to_string())?;
    let digest = user
        .layer_bytes()
        .fold(0, |acc, b| acc ^ codetable::cache::content_hash(b));
    let default = PatternDb::default_catalog();
    let reopen = |bytes: &[u8]| {
        // The embedded catalog is used as it is (no copy, no re-check); any other layer is
        // copied (the server's database stays as it is).
        if default
            .layer_bytes()
            .next()
            .is_some_and(|d| std::ptr::eq(d, bytes))
        {
            Ok(PatternDb::default_catalog())
        } else {
            PatternDb::from_bytes(bytes.to_vec())
        }
    };
    let mut layers = base.layer_bytes();
    let first = reopen(layers.next().ok_or("an empty database")?).map_err(|e| e.to_string())?;
    let rest = layers
        .map(reopen)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    PatternDb::layered(first, rest.into_iter().chain([user]))
        .map_err(|e| e.to_string())
        .map(|db| (db, digest))
}

impl Projects {
    /// Whether `path` is a rules file of a project made so far, or lies in one of its rules
    /// folders (its change means those projects must be made again).
    pub(crate) fn uses_rules(&self, path: &Path) -> bool {
        self.by_file
            .values()
            .any(|p| p.config.rules.iter().any(|r| path.starts_with(r)))
    }
}

/// Whether `path` names a configuration file (`codetable.toml`, `pyproject.toml`).
pub(crate) fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| CONFIG_FILES.contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_project_per_configuration_file_and_the_settings_merged_over_it() {
        let t = std::env::temp_dir().join(format!("codetable-proj-ü-{}", std::process::id()));
        std::fs::create_dir_all(t.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(t.join("other")).unwrap();
        std::fs::write(t.join("sub/codetable.toml"), "ignore = [\"Md\"]\n").unwrap();
        std::fs::write(t.join("other/codetable.toml"), "select = [\"nope-x\"]\n").unwrap();
        let base = Engine::new(PatternDb::default_catalog());
        let host = HostSelection {
            extend_select: vec!["pedantic".into()],
            ..HostSelection::default()
        };
        let mut projects = Projects::default();
        let (a, problem) = projects.of(Some(&t.join("sub/deeper/é.py")), &base, &host);
        assert!(problem.is_none(), "{problem:?}");
        let (b, _) = projects.of(Some(&t.join("sub/x.py")), &base, &host);
        assert!(Arc::ptr_eq(&a, &b));
        let profile = a.engine.profile().unwrap();
        assert_eq!(profile.ignore, ["Md"]);
        assert_eq!(profile.extend_select, ["pedantic"]);
        let (c, problem) = projects.of(Some(&t.join("other/y.py")), &base, &host);
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(problem.unwrap().contains("`nope-x`"));
        let (none, _) = projects.of(None, &base, &host);
        assert!(none.config.file.is_none());
        assert!(is_config_file(Path::new("/x/pyproject.toml")));
        assert!(!is_config_file(Path::new("/x/codetable.py")));
        std::fs::remove_dir_all(&t).unwrap();
    }
}
