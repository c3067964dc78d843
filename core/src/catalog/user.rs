//! A team's own patterns: the single-file format, its defaults, and compiling rules files into a
//! database cached by content.
//!
//! This module owns what differs between user rules and the shipped catalog: a file may hold
//! several patterns (`[[patterns]]`), most fields are optional ([`super::Level::User`]),
//! examples are run before a database is accepted ([`compile`]), and [`user_database`] keeps
//! compiled rules in a cache keyed by a digest of their text, written atomically. Stacking the
//! result over the shipped catalog is `PatternDb::layered`'s.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Catalog, CatalogError, CatalogErrors, PatternSource};
use crate::db::{build, PatternDb, FORMAT_VERSION};
use crate::engine::Engine;
use crate::examples::check_examples;
use crate::language::Language;

/// The group of a user pattern that names none.
pub const USER_GROUP: &str = "maintainability";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManyPatterns {
    patterns: Vec<PatternSource>,
}

/// The patterns of one user file: one at the top level, or several as `[[patterns]]`.
pub(super) fn parse_user_file(
    file: &str,
    text: &str,
) -> Result<Vec<(String, PatternSource)>, toml::de::Error> {
    let many = toml::from_str::<toml::Table>(text)?.contains_key("patterns");
    if many {
        let m: ManyPatterns = toml::from_str(text)?;
        Ok(m.patterns
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("{file}: patterns[{i}]"), p))
            .collect())
    } else {
        Ok(vec![(file.to_string(), toml::from_str(text)?)])
    }
}

/// Fills what a user pattern may leave out: the group, and the languages (those its rules,
/// shape references and examples name).
pub(super) fn fill_defaults(src: &mut PatternSource) {
    if src.group.is_empty() {
        src.group = USER_GROUP.to_string();
    }
    if src.languages.is_empty() {
        let mut named: Vec<String> = Vec::new();
        for r in &src.rules {
            named.extend(r.language.iter().cloned());
            named.extend(r.languages.iter().cloned());
        }
        if let Some(shape) = &src.shape {
            named.extend(shape.reference.iter().map(|r| r.language.clone()));
        }
        named.extend(src.examples.iter().map(|e| e.language.clone()));
        let mut languages: Vec<Language> = Vec::new();
        for l in named {
            // An unknown name is reported where it is written (the rule, the example).
            if let Ok(l) = Language::from_name(&l) {
                if !languages.contains(&l) {
                    languages.push(l);
                }
            }
        }
        src.languages = languages.iter().map(|l| l.name().to_string()).collect();
    }
}

fn io_error(path: &Path, e: std::io::Error) -> CatalogErrors {
    CatalogErrors(vec![CatalogError {
        file: path.display().to_string(),
        field: "-".into(),
        message: e.to_string(),
    }])
}

/// Reads rules files: each path is a `.toml` file, or a folder whose `*.toml` files (at any
/// depth, in path order) are read. Returns `(file name, text)` pairs for
/// [`Catalog::from_user_sources`]; names are the paths as given.
pub fn load_user(paths: &[impl AsRef<Path>]) -> Result<Vec<(String, String)>, CatalogErrors> {
    let mut files = Vec::new();
    for path in paths {
        let path = path.as_ref();
        if path.is_dir() {
            let mut found = Vec::new();
            let mut stack = vec![path.to_path_buf()];
            while let Some(d) = stack.pop() {
                for entry in std::fs::read_dir(&d).map_err(|e| io_error(&d, e))? {
                    let p = entry.map_err(|e| io_error(&d, e))?.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|e| e == "toml") {
                        found.push(p);
                    }
                }
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.to_path_buf());
        }
    }
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| io_error(&f, e))?;
        out.push((f.display().to_string(), text));
    }
    Ok(out)
}

/// Compiles a catalog into database bytes, after running every pattern's examples: a `match`
/// example without a match or a `no-match` example with one is an error naming the file and
/// the example, and nothing is written.
pub fn compile(catalog: &Catalog) -> Result<Vec<u8>, CatalogErrors> {
    let whole = |e: crate::Error| {
        CatalogErrors(vec![CatalogError {
            file: "(catalog)".into(),
            field: "-".into(),
            message: e.to_string(),
        }])
    };
    let bytes = build(catalog).map_err(whole)?;
    let engine = Engine::new(PatternDb::from_bytes(bytes.clone()).map_err(whole)?);
    let mut errors = Vec::new();
    for n in 0..engine.db().len() as u32 {
        for f in check_examples(&engine, n).map_err(whole)? {
            errors.push(CatalogError {
                file: catalog.file_of(n as usize).unwrap_or("-").to_string(),
                field: format!("examples[{}]", f.index),
                message: f
                    .to_string()
                    .split_once(": ")
                    .map_or(f.to_string(), |(_, m)| m.to_string()),
            });
        }
    }
    if errors.is_empty() {
        Ok(bytes)
    } else {
        Err(CatalogErrors(errors))
    }
}

/// Where compiled user rules are cached: `$CODETABLE_CACHE_DIR`, else `$XDG_CACHE_HOME/codetable`,
/// else `~/.cache/codetable` (`%LOCALAPPDATA%\codetable` on Windows); `None` when none is known.
pub fn user_cache_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = var("CODETABLE_CACHE_DIR") {
        return Some(d);
    }
    if let Some(d) = var("XDG_CACHE_HOME") {
        return Some(d.join("codetable"));
    }
    if cfg!(windows) {
        if let Some(d) = var("LOCALAPPDATA") {
            return Some(d.join("codetable"));
        }
    }
    var("HOME").map(|h| h.join(".cache").join("codetable"))
}

/// The database of rules files (`.toml` files or folders of them, [`load_user`]) at
/// [`super::Level::User`], examples checked ([`compile`]).
///
/// With a `cache` folder, the database is kept there as `rules-<digest>.ctdb`, the digest
/// covering this build's format version and the names and text of every file, so unchanged
/// rules are opened (memory-mapped) instead of compiled; a new file is written to a temporary
/// name and renamed into place, so concurrent runs never see half a file, and a cached file
/// that does not open is rebuilt. A cache that cannot be written is not an error.
pub fn user_database(
    paths: &[impl AsRef<Path>],
    cache: Option<&Path>,
) -> Result<PatternDb, CatalogErrors> {
    let sources = load_user(paths)?;
    let mut digest = crate::hash::bytes(&FORMAT_VERSION.to_le_bytes());
    digest = crate::hash::combine(
        digest,
        crate::hash::bytes(env!("CARGO_PKG_VERSION").as_bytes()),
    );
    for (name, text) in &sources {
        digest = crate::hash::combine(digest, crate::hash::bytes(name.as_bytes()));
        digest = crate::hash::combine(digest, crate::hash::bytes(text.as_bytes()));
    }
    let cached = cache.map(|d| d.join(format!("rules-{digest:016x}.ctdb")));
    if let Some(db) = cached.as_ref().and_then(|p| PatternDb::open(p).ok()) {
        return Ok(db);
    }
    let catalog = Catalog::from_user_sources(sources)?;
    let bytes = compile(&catalog)?;
    if let (Some(dir), Some(path)) = (cache, &cached) {
        let tmp = dir.join(format!(".rules-{digest:016x}.{}.tmp", std::process::id()));
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&tmp, &bytes))
            .and_then(|()| std::fs::rename(&tmp, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
    PatternDb::from_bytes(bytes).map_err(|e| {
        CatalogErrors(vec![CatalogError {
            file: "(rules)".into(),
            field: "-".into(),
            message: e.to_string(),
        }])
    })
}
