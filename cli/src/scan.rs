//! The scan: walk paths (gitignore-aware), read and classify files, and analyse them in parallel.
//!
//! It owns which files are read and why others are skipped; it knows nothing about output
//! formats. A file that cannot be used is recorded as [`Skipped`] and never stops the scan; only
//! a path given on the command line that does not exist, or a failure of the engine (a database
//! or build problem, which would make every file find less), is an error.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codetable::cache::index::{FileStat, IndexFile};
use codetable::cache::{content_hash, CacheKey, ResultCache};
use codetable::project::{roles::RolePattern, DocumentModel, Project};
use codetable::source::{self, Intake, SkipReason};
use codetable::{Engine, FindingRecord, Language, OffsetUnit, Session, Severity};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// How far each file is taken: the benchmark floors (`Parse`, `Units`) and the real scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// tree-sitter parse only: the floor any tree-sitter tool pays.
    Parse,
    /// Parse, units and fingerprints, no matching.
    Units,
    /// Everything: units, fingerprints and pattern matching.
    Full,
}

/// What to walk and how.
#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// Files larger than this many bytes are skipped.
    pub max_file_size: u64,
    /// What parsing, walking and analysing one file may cost (a file past it is skipped as
    /// over budget).
    pub budget: codetable::Budget,
    /// Also walk hidden files and folders.
    pub hidden: bool,
    /// Do not honour `.gitignore`, `.ignore` and git excludes.
    pub no_ignore: bool,
    /// Follow symbolic links.
    pub follow: bool,
    /// Also scan vendored and generated code (core's walk leaves it out by default).
    pub include_vendored: bool,
    /// Only these languages (all when empty).
    pub languages: Vec<Language>,
    /// The language of files whose name and first line say nothing, and of standard input
    /// (`--lang` with one language).
    pub fallback: Option<Language>,
    /// Worker threads (rayon's default, one per core, when `None`).
    pub threads: Option<usize>,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// How far each file is taken.
    pub stage: Stage,
    /// The result cache, when one is used (full scans only).
    pub cache: Option<ScanCache>,
    /// The project configuration (excludes, language overrides, per-path ignores).
    pub config: std::sync::Arc<crate::config::Config>,
    /// The compilation database deciding the language of `.h` headers, when there is one
    /// (the configuration's `[languages]` wins over it).
    pub compile_commands: Option<std::sync::Arc<source::CompileCommands>>,
    /// The report shows the files' text (code frames, fixes): false lets a warm scan take an
    /// unchanged file's findings from the result cache without reading the file
    /// ([`ScannedFile::text`] is then empty).
    pub text_needed: bool,
}

/// The result cache of a scan: every finding of a file (before filters), by the file's content,
/// the database and this build of the command.
#[derive(Clone, Debug)]
pub struct ScanCache {
    /// The cache folder.
    pub store: ResultCache,
    /// The database's digest ([`codetable::cache::db_digest`]).
    pub db: u128,
    /// This build of the command (its executable's size and modification time), so that a
    /// rebuilt command never reads results of another build.
    pub build: String,
}

impl ScanCache {
    /// The key of one file's entry. Context, suppressions and grouping depend on the path
    /// and the engine's profile, so both are part of the scope with the language and build.
    /// The scope's version changes with the cached records' shape (3: findings carry a
    /// fingerprint), since inside Python's extension module the "build" is the interpreter's.
    /// `content` is the text's [`codetable::cache::content_hash`] and `len` its length.
    fn key(
        &self,
        content: u128,
        len: u64,
        language: Language,
        path: &str,
        profile: &str,
    ) -> CacheKey {
        let scope = format!(
            "cli-scan/3/{}/{}/{path}/{profile}",
            language.name(),
            self.build
        );
        CacheKey::of_hash(content, len, self.db, &scope)
    }

    /// The stat index of a scan of `paths` from the current folder (`None` when the folder
    /// cannot keep one): unchanged files whose cached result has no finding are not read.
    fn index(&self, paths: &[PathBuf]) -> Option<IndexFile> {
        let cwd = std::env::current_dir().ok()?;
        let name = format!("cli-scan/3/{}/{}/{paths:?}", self.build, cwd.display());
        IndexFile::open(&self.store, &name)
    }
}

/// What every file of a warm scan shares: the stat index and the engine's profile (as a
/// cache scope).
struct Warm<'i> {
    index: Option<&'i IndexFile>,
    profile: String,
}

/// The index flag of a cached result without findings or anything for the summary: an
/// unchanged file with it is counted without being read.
const EMPTY_RESULT: u8 = 1;

/// Whether a cached result (every finding, before filters, and the tally) is empty.
fn empty_result(all: &[Finding], tally: Option<&Tally>) -> u8 {
    let quiet = tally.is_none_or(|t| {
        t.suppressed == 0 && t.grouped == 0 && t.off_by_context == 0 && t.unused.is_empty()
    });
    if all.is_empty() && quiet {
        EMPTY_RESULT
    } else {
        0
    }
}

/// Which findings are kept.
#[derive(Clone, Debug, Default)]
pub struct FindingFilter {
    /// Allowed pattern numbers (`None`: all).
    pub patterns: Option<HashSet<u32>>,
    /// Minimum severity.
    pub min_severity: Option<Severity>,
}

impl FindingFilter {
    fn keeps(&self, pattern: u32, severity: Severity) -> bool {
        self.min_severity.is_none_or(|m| severity >= m)
            && self.patterns.as_ref().is_none_or(|p| p.contains(&pattern))
    }
}

/// One finding: core's record (what every host prints) and the pattern's number in the
/// database (for filters, SARIF rule indexes and sheets).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Finding {
    /// The pattern's number in the database.
    pub pattern: u32,
    /// The pattern's severity.
    pub severity: Severity,
    /// The finding as core renders it (JSON Lines, the fields of SARIF results).
    pub record: FindingRecord,
}

/// A scanned file that has findings (its text is kept for code frames).
#[derive(Debug)]
pub struct ScannedFile {
    /// The path as walked.
    pub path: PathBuf,
    /// Its text (empty when [`WalkOptions::text_needed`] is false and the findings came from
    /// the result cache without reading the file).
    pub text: String,
    /// Its findings, by position.
    pub findings: Vec<Finding>,
}

/// A file that was not scanned, and why.
#[derive(Clone, Debug)]
pub struct Skipped {
    /// The file, when known.
    pub path: Option<PathBuf>,
    /// The reason.
    pub reason: SkipReason,
    /// The details (the operating system's message, the size…).
    pub detail: String,
}

/// Everything a scan found.
#[derive(Debug, Default)]
pub struct ScanReport {
    /// Files with findings, sorted by path.
    pub files: Vec<ScannedFile>,
    /// Number of files scanned (with or without findings).
    pub scanned: usize,
    /// Bytes of source scanned.
    pub bytes: u64,
    /// Files skipped, sorted by path.
    pub skipped: Vec<Skipped>,
    /// Files that are not sources of a wanted language (unknown or excluded), and files and
    /// folders of vendored or generated code left out ([`SkipReason::Vendored`],
    /// [`SkipReason::Generated`]), sorted by path: counted and listed with `-v`, never an
    /// error.
    pub ignored: Vec<(PathBuf, SkipReason)>,
    /// Wall time of the scan.
    pub elapsed: Duration,
    /// Files whose findings came from the result cache.
    pub cached: usize,
    /// Findings hidden by `codetable: ignore` comments.
    pub suppressed: usize,
    /// Findings folded into another (one construct's duplicates).
    pub grouped: usize,
    /// Findings dropped by a pattern's context rule (off in tests…).
    pub off_by_context: usize,
    /// Suppressions that hid nothing: file and line.
    pub unused_suppressions: Vec<(String, u32)>,
    /// Findings left out because `--baseline` accepts them.
    pub baselined: usize,
    /// Findings left out because `--diff-since` did not change their lines.
    pub unchanged: usize,
}

impl ScanReport {
    /// Number of findings.
    pub fn finding_count(&self) -> usize {
        self.files.iter().map(|f| f.findings.len()).sum()
    }

    /// The most severe finding's severity, among findings in production code (findings in
    /// tests, benchmarks, examples, fuzzers, generated and vendored code never fail a build).
    pub fn worst(&self) -> Option<Severity> {
        self.files
            .iter()
            .flat_map(|f| {
                f.findings
                    .iter()
                    .filter(|m| m.record.context == codetable::CodeContext::Production)
                    .map(|m| m.severity)
            })
            .max()
    }

    /// "12 files scanned, 3 skipped (1 binary, 2 too large)".
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} finding{} in {} file{} scanned ({:.1} MB, {:.2} s)",
            self.finding_count(),
            plural(self.finding_count()),
            self.scanned,
            plural(self.scanned),
            self.bytes as f64 / 1e6,
            self.elapsed.as_secs_f64()
        );
        let mut kept = Vec::new();
        if self.suppressed > 0 {
            kept.push(format!("{} suppressed", self.suppressed));
        }
        if self.grouped > 0 {
            kept.push(format!(
                "{} duplicate{} grouped",
                self.grouped,
                plural(self.grouped)
            ));
        }
        if self.off_by_context > 0 {
            kept.push(format!(
                "{} off in tests/benches/examples",
                self.off_by_context
            ));
        }
        if self.baselined > 0 {
            kept.push(format!("{} in the baseline", self.baselined));
        }
        if self.unchanged > 0 {
            kept.push(format!("{} on unchanged lines", self.unchanged));
        }
        if !self.unused_suppressions.is_empty() {
            kept.push(format!(
                "{} unused suppression{}",
                self.unused_suppressions.len(),
                plural(self.unused_suppressions.len())
            ));
        }
        if !kept.is_empty() {
            s.push_str(&format!(" ({})", kept.join(", ")));
        }
        if !self.skipped.is_empty() {
            let mut counts: std::collections::BTreeMap<SkipReason, usize> = Default::default();
            for k in &self.skipped {
                *counts.entry(k.reason).or_default() += 1;
            }
            let parts: Vec<String> = counts
                .iter()
                .map(|(r, n)| format!("{n} {}", r.name()))
                .collect();
            s.push_str(&format!(
                "; {} skipped ({})",
                self.skipped.len(),
                parts.join(", ")
            ));
        }
        let third_party =
            |r: &SkipReason| matches!(r, SkipReason::Vendored | SkipReason::Generated);
        let left_out = self.ignored.iter().filter(|(_, r)| third_party(r)).count();
        if left_out > 0 {
            let count = |want| self.ignored.iter().filter(|(_, r)| *r == want).count();
            let parts: Vec<String> = [SkipReason::Vendored, SkipReason::Generated]
                .into_iter()
                .filter(|r| count(*r) > 0)
                .map(|r| format!("{} {}", count(r), r.name()))
                .collect();
            s.push_str(&format!(
                "; {left_out} vendored or generated path{} not scanned ({}; --include-vendored scans them)",
                plural(left_out),
                parts.join(", ")
            ));
        }
        let others = self.ignored.len() - left_out;
        if others > 0 {
            let mut counts: std::collections::BTreeMap<SkipReason, usize> = Default::default();
            for (_, r) in self.ignored.iter().filter(|(_, r)| !third_party(r)) {
                *counts.entry(*r).or_default() += 1;
            }
            let parts: Vec<String> = counts
                .iter()
                .map(|(r, n)| format!("{n} {}", r.name()))
                .collect();
            s.push_str(&format!(
                "; {others} other file{} ignored ({})",
                plural(others),
                parts.join(", ")
            ));
        }
        s
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A file the walk proposes: core's candidate (its path, context root, and whether generated
/// code is read: [`codetable::source::walk::Candidate::read`]).
type Candidate = codetable::source::walk::Candidate;

enum Outcome {
    /// Not a source file of a wanted language: counted apart.
    Ignored(SkipReason),
    Skipped(Skipped),
    Scanned {
        bytes: u64,
        file: Option<ScannedFile>,
        cached: bool,
        tally: Option<Tally>,
        /// The file's declarations, when the catalog has role-based design patterns.
        model: Option<DocumentModel>,
    },
    /// The engine failed (a database or build problem, not this file's content): the scan
    /// stops, since every later file would silently find less.
    Failed(String),
}

/// Walks `paths` and analyses every source file. Errors when a path does not exist, the thread
/// pool cannot be built, or the engine fails (an engine error is never a per-file skip).
pub fn scan(
    paths: &[PathBuf],
    options: &WalkOptions,
    engine: &Engine,
    filter: &FindingFilter,
) -> Result<ScanReport, String> {
    let started = Instant::now();
    let stdin = Path::new(STDIN);
    for p in paths {
        if p != stdin && std::fs::symlink_metadata(p).is_err() {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    let stdin_text = if paths.iter().any(|p| p == stdin) {
        if options.fallback.is_none() {
            return Err("scanning standard input (`-`) needs its language: --lang LANG".into());
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Some(bytes)
    } else {
        None
    };
    let walked: Vec<PathBuf> = paths.iter().filter(|p| *p != stdin).cloned().collect();
    let (mut candidates, mut skipped, mut ignored) = walk(&walked, options);
    if stdin_text.is_some() {
        candidates.push(Candidate {
            path: STDIN.into(),
            depth: 0,
            root: None,
            language: options.fallback,
            generated_wanted: true,
        });
    }
    candidates.sort_by(|a, b| a.path.cmp(&b.path));
    candidates.dedup_by(|a, b| a.path == b.path);

    let bar = (options.progress && std::io::stderr().is_terminal() && candidates.len() >= 50).then(
        || {
            let bar = indicatif::ProgressBar::new(candidates.len() as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} scanning {pos}/{len} files [{elapsed_precise}] {wide_msg}",
            ) {
                bar.set_style(style);
            }
            bar
        },
    );
    // Role-based design patterns need the project model of every file.
    // Only the ones the engine's profile selects (design patterns are `info`: off unless
    // selected), so a default scan pays nothing for the model.
    let roles = if options.stage == Stage::Full {
        codetable::project::design::selected_role_patterns(engine).map_err(|e| e.to_string())?
    } else {
        Vec::new()
    };
    let design = !roles.is_empty();
    // The stat index: only for scans that may read results from the cache.
    let index = options
        .cache
        .as_ref()
        .filter(|_| options.stage == Stage::Full && !design)
        .and_then(|c| c.index(paths));
    let warm = Warm {
        index: index.as_ref(),
        // The project's own sanitisers change what taint rules report, as the profile does.
        profile: format!(
            "{:?} sanitizers={:?}",
            engine.profile(),
            engine.sanitizers()
        ),
    };
    let work = || {
        candidates
            .par_iter()
            .map(|c| {
                let out = process(
                    c,
                    options,
                    engine,
                    filter,
                    stdin_text.as_deref(),
                    design,
                    &warm,
                );
                if let Some(b) = &bar {
                    b.inc(1);
                }
                out
            })
            .collect::<Vec<_>>()
    };
    let outcomes = match options.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| format!("cannot start {n} worker threads: {e}"))?
            .install(work),
        None => work(),
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mut report = ScanReport::default();
    let mut project = Project::new();
    let mut paths: HashMap<String, PathBuf> = HashMap::new();
    for (o, c) in outcomes.into_iter().zip(&candidates) {
        match o {
            Outcome::Failed(e) => {
                return Err(format!("analysis failed on {}: {e}", display_path(&c.path)))
            }
            Outcome::Ignored(reason) => ignored.push((c.path.clone(), reason)),
            Outcome::Skipped(s) => skipped.push(s),
            Outcome::Scanned {
                bytes,
                file,
                cached,
                tally,
                model,
            } => {
                report.scanned += 1;
                report.bytes += bytes;
                report.cached += usize::from(cached);
                report.files.extend(file);
                if let Some(t) = tally {
                    report.suppressed += t.suppressed;
                    report.grouped += t.grouped;
                    report.off_by_context += t.off_by_context;
                    let shown = display_path(&c.path);
                    report
                        .unused_suppressions
                        .extend(t.unused.iter().map(|&line| (shown.clone(), line)));
                }
                if let Some(m) = model {
                    let key = display_path(&c.path);
                    project.set_model(&key, m);
                    paths.insert(key, c.path.clone());
                }
            }
        }
    }
    if design {
        design_findings(&mut report, &project, &paths, &roles, engine, filter)?;
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    report.skipped = skipped;
    ignored.sort();
    report.ignored = ignored;
    if let Some(i) = index {
        // An index that cannot be written costs speed next time, never a result.
        let _ = i.save();
    }
    if let Some(c) = &options.cache {
        // Bounded: the least recently used entries go when what this run wrote may have pushed
        // the folder past its bound (a failure only leaves the folder larger).
        let _ = c.store.trim();
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Adds one finding per participant of every design-pattern instance in the project to the
/// report (files without other findings are read again for their text).
fn design_findings(
    report: &mut ScanReport,
    project: &Project,
    paths: &HashMap<String, PathBuf>,
    roles: &[RolePattern],
    engine: &Engine,
    filter: &FindingFilter,
) -> Result<(), String> {
    let instances = project.recognise(roles);
    if instances.is_empty() {
        return Ok(());
    }
    let mut texts: HashMap<String, String> = HashMap::new();
    for i in &instances {
        for p in &i.participants {
            if texts.contains_key(&p.id.doc) {
                continue;
            }
            let path = &paths[&p.id.doc];
            let known = report.files.iter().find(|f| &f.path == path);
            let text = match known {
                Some(f) => f.text.clone(),
                None => match source::read(path, &Intake::default()) {
                    Ok(f) => f.text,
                    Err(_) => continue,
                },
            };
            texts.insert(p.id.doc.clone(), text);
        }
    }
    let found = codetable::project::design::design_findings(engine, project, &instances, |key| {
        texts
            .get_key_value(key)
            .map(|(k, t)| (t.as_str(), Some(k.as_str())))
    })
    .map_err(|e| e.to_string())?;
    for f in found {
        let sheet = engine.sheet(f.pattern).map_err(|e| e.to_string())?;
        if !filter.keeps(f.pattern, sheet.severity) {
            continue;
        }
        // The record's path is the document's key, the display path the scan gave it.
        let Some(path) = f.record.path.as_deref().and_then(|k| paths.get(k)) else {
            continue;
        };
        let at = match report.files.iter().position(|x| &x.path == path) {
            Some(at) => at,
            None => {
                let text = f
                    .record
                    .path
                    .as_deref()
                    .and_then(|k| texts.get(k))
                    .cloned()
                    .unwrap_or_default();
                report.files.push(ScannedFile {
                    path: path.clone(),
                    text,
                    findings: Vec::new(),
                });
                report.files.len() - 1
            }
        };
        report.files[at].findings.push(Finding {
            pattern: f.pattern,
            severity: sheet.severity,
            record: f.record,
        });
    }
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    for f in &mut report.files {
        f.findings
            .sort_by_key(|x| (x.record.byte_start, x.record.byte_end, x.pattern));
    }
    Ok(())
}

/// What the walk found: candidate files, the entries that could not be walked, and the files it
/// left out by their name (an unknown extension, an unwanted language).
type Walked = (Vec<Candidate>, Vec<Skipped>, Vec<(PathBuf, SkipReason)>);

/// The path standard input is scanned under (`scan -`).
pub const STDIN: &str = "-";

/// The walk, core's ([`codetable::source::walk`]): see [`Walked`]. With a fallback language
/// (one `--lang`) a file with no extension is a candidate: its first line, else the fallback,
/// decides. A file of an unknown extension is ignored either way (README.md, notes.rst,
/// data.json are never read as the one --lang), unless the project configuration's
/// `[languages]` claims it.
fn walk(paths: &[PathBuf], options: &WalkOptions) -> Walked {
    use codetable::source::walk::{self as w, Walked as Entry};
    let mut candidates = Vec::new();
    let mut skipped = Vec::new();
    let mut ignored = Vec::new();
    let walk = w::WalkOptions {
        hidden: options.hidden,
        ignore_files: !options.no_ignore,
        follow_links: options.follow,
        languages: options.languages.clone(),
        vendored: options.include_vendored,
        ..w::WalkOptions::default()
    }
    .configured(&options.config);
    for entry in w::walk(paths, &walk) {
        match entry {
            Entry::Candidate(c) => candidates.push(c),
            Entry::Ignored { path, reason, .. } => ignored.push((path, reason)),
            Entry::Skipped {
                path,
                reason,
                detail,
            } => skipped.push(Skipped {
                path,
                reason,
                detail,
            }),
        }
    }
    (candidates, skipped, ignored)
}

fn process(
    c: &Candidate,
    options: &WalkOptions,
    engine: &Engine,
    filter: &FindingFilter,
    stdin: Option<&[u8]>,
    design: bool,
    warm: &Warm<'_>,
) -> Outcome {
    let skip = |s: source::Skip| {
        // A file whose name did not say it is a source (no extension) and that turned out not
        // to be one, or one of a language not asked for, is not counted.
        if s.language.is_none()
            || matches!(
                s.reason,
                SkipReason::UnknownLanguage | SkipReason::Excluded | SkipReason::Generated
            )
        {
            return Outcome::Ignored(match s.reason {
                SkipReason::Excluded | SkipReason::Generated => s.reason,
                _ => SkipReason::UnknownLanguage,
            });
        }
        Outcome::Skipped(Skipped {
            path: Some(c.path.clone()),
            reason: s.reason,
            detail: s.detail,
        })
    };
    let intake = Intake {
        max_file_size: options.max_file_size,
        language: options.config.language_of(&c.path).or_else(|| {
            // A header's language, as the build compiles it (content guesses come later).
            let cc = options.compile_commands.as_ref()?;
            c.path
                .extension()
                .and_then(|e| e.to_str())
                .filter(|e| source::is_ambiguous_extension(e))?;
            cc.header_language(&c.path)
        }),
        languages: options.languages.clone(),
        fallback: options.fallback,
        ..Intake::default()
    };
    let from_stdin = stdin.is_some() && c.path == Path::new(STDIN);
    // A scan that builds the project model (design patterns selected) reads every file: the
    // cache keeps findings, not models.
    let cache = options
        .cache
        .as_ref()
        .filter(|_| options.stage == Stage::Full && !design && !from_stdin);
    let index = warm.index.filter(|_| cache.is_some() && !from_stdin);
    // The context root changes findings' contexts, so it is part of what a cached result used.
    // So does the project's per-path context (`[context]` in codetable.toml).
    let context = options.config.context_of(&c.path);
    // So does whether generated code is read (a file read once with --include-vendored must be
    // read again, and left out, by a default scan).
    let profile = || {
        format!(
            "{} root={:?} context={:?} generated={}",
            warm.profile, c.root, context, c.generated_wanted
        )
    };
    // (Standard input's findings name it `<stdin>`.)
    let shown = display_path(if from_stdin {
        Path::new(STDIN_NAME)
    } else {
        &c.path
    });
    // The file's fields before it is read (what the index records), and the index's verdict: an
    // unchanged file whose cached result is empty is counted without being read or hashed.
    let stat = index.and_then(|_| FileStat::of_path(&c.path).ok());
    let trusted = index.zip(stat).and_then(|(i, s)| i.lookup(&shown, &s));
    if let (Some(store), Some(index), Some(stat)) = (cache, index, stat) {
        let known = trusted.filter(|e| {
            e.flags & EMPTY_RESULT != 0
                && stat.size <= options.max_file_size
                && source::language_by_name(&c.path, &intake).is_some_and(|l| {
                    store.key(e.content, e.len, l, &shown, &profile()).raw() == e.result
                })
        });
        if let Some(e) = known {
            index.keep(&shown, e);
            return Outcome::Scanned {
                bytes: stat.size,
                file: None,
                cached: true,
                tally: None,
                model: None,
            };
        }
        // An unchanged file with findings, for a report that does not show the text: its
        // findings from the cache entry, without reading the file.
        let unread = trusted
            .filter(|_| !options.text_needed && stat.size <= options.max_file_size)
            .and_then(|e| {
                let language = source::language_by_name(&c.path, &intake)?;
                let key = store.key(e.content, e.len, language, &shown, &profile());
                (key.raw() == e.result).then_some((e, key))
            })
            .and_then(|(e, key)| {
                // The result stored with the index entry (one file read for the whole tree),
                // else the result entry, then stored with the index entry from now on.
                let parse =
                    |b: &[u8]| serde_json::from_slice::<(Vec<Finding>, Option<Tally>)>(b).ok();
                if let Some((all, tally)) = index.stored(&shown).and_then(parse) {
                    index.keep(&shown, e);
                    return Some((all, tally));
                }
                let b = store.store.get(&key)?;
                let (all, tally) = parse(&b)?;
                index.keep_with(&shown, e, &b);
                Some((all, tally))
            });
        if let Some((all, tally)) = unread {
            let findings: Vec<Finding> = all
                .into_iter()
                .filter(|f| {
                    filter.keeps(f.pattern, f.severity)
                        && !engine
                            .sheet(f.pattern)
                            .is_ok_and(|sheet| options.config.ignores(&c.path, &sheet))
                })
                .map(|mut f| {
                    f.record.path = Some(shown.clone());
                    f
                })
                .collect();
            let file = (!findings.is_empty()).then(|| ScannedFile {
                path: c.path.clone(),
                text: String::new(),
                findings,
            });
            return Outcome::Scanned {
                bytes: stat.size,
                file,
                cached: true,
                tally,
                model: None,
            };
        }
    }
    let read = match stdin {
        Some(bytes) if c.path == Path::new(STDIN) => {
            let forced = Intake {
                language: options.fallback,
                ..intake
            };
            source::decode(Path::new(STDIN_NAME), bytes.to_vec(), &forced)
        }
        _ => c.read(&intake),
    };
    let file = match read {
        Ok(f) => f,
        Err(s) => return skip(s),
    };
    let bytes = file.size;
    let done = |f: Option<ScannedFile>, tally: Option<Tally>| Outcome::Scanned {
        bytes,
        file: f,
        cached: false,
        tally,
        model: None,
    };
    if options.stage == Stage::Parse {
        let mut parser = tree_sitter::Parser::new();
        if let Err(e) = parser.set_language(&file.language.grammar()) {
            return skip(unparsable(file.language, e.to_string()));
        }
        return match parser.parse(&file.text, None) {
            Some(_) => done(None, None),
            None => skip(unparsable(file.language, "the parser gave up".into())),
        };
    }
    let path = file.path.clone();
    let language = file.language;
    // A file the index knows unchanged is not hashed again, when it is still unchanged after
    // the read (else it may have changed in between: hashed).
    let len = file.text.len() as u64;
    let hashed = cache.map(|_| {
        match trusted.filter(|e| e.len == len && FileStat::of_path(&c.path).ok() == stat) {
            Some(e) => (e.content, e.len),
            None => (content_hash(file.text.as_bytes()), len),
        }
    });
    let key = cache
        .zip(hashed)
        .map(|(c, (h, len))| c.key(h, len, language, &shown, &profile()));
    // What the index learns about this file (when it has one and the file was stat'ed first),
    // with the cached result when it is not empty (read from the index by the next scan).
    let learn = |key: &CacheKey, flags: u8, payload: &[u8]| {
        if let (Some(index), Some(stat), Some((h, len))) = (index, stat, hashed) {
            let payload = (flags & EMPTY_RESULT == 0).then_some(payload);
            index.record_with(&shown, stat, h, len, key.raw(), flags, payload);
        }
    };
    let ignored_here = |n: u32| {
        engine
            .sheet(n)
            .is_ok_and(|sheet| options.config.ignores(&c.path, &sheet))
    };
    if let (Some(c), Some(key)) = (cache, &key) {
        // The result stored with the index's entry when the file is unchanged, else the entry.
        let stored = index
            .zip(trusted)
            .filter(|(_, e)| e.result == key.raw())
            .and_then(|(i, _)| i.stored(&shown))
            .map(<[u8]>::to_vec);
        let hit = stored.or_else(|| c.store.get(key)).and_then(|b| {
            let parsed = serde_json::from_slice::<(Vec<Finding>, Option<Tally>)>(&b).ok();
            parsed.map(|p| (p, b))
        });
        if let Some(((all, tally), stored)) = hit {
            learn(key, empty_result(&all, tally.as_ref()), &stored);
            let findings: Vec<Finding> = all
                .into_iter()
                .filter(|f| filter.keeps(f.pattern, f.severity) && !ignored_here(f.pattern))
                .map(|mut f| {
                    f.record.path = Some(shown.clone());
                    f
                })
                .collect();
            let file = (!findings.is_empty()).then_some(ScannedFile {
                path,
                text: file.text,
                findings,
            });
            return Outcome::Scanned {
                bytes,
                file,
                cached: true,
                tally,
                model: None,
            };
        }
    }
    let doc = match file.into_document_within(options.budget) {
        Ok(d) => d,
        Err(s) => return skip(s),
    };
    if options.stage == Stage::Units {
        return done(None, None);
    }
    let model = design.then(|| codetable::project::extract(&doc));
    let done = |f: Option<ScannedFile>, tally: Option<Tally>| Outcome::Scanned {
        bytes,
        file: f,
        cached: false,
        tally,
        model,
    };
    let mut session = Session::from_document(doc, OffsetUnit::Byte);
    session.set_path(Some(&shown));
    session.set_root(c.root.as_deref());
    session.set_context(context);
    let all: Vec<_> = match session.analyze(engine) {
        Ok(m) => m.to_vec(),
        // A file past its budget is skipped with that reason; any other engine error stops
        // the scan (a damaged database must never look like a file that did not parse).
        Err(e) => match source::Skip::over_budget(&e, language) {
            Some(s) => return skip(s),
            None => return Outcome::Failed(e.to_string()),
        },
    };
    let tally = session.applied().map(Tally::of);
    if let (Some(c), Some(key)) = (cache, &key) {
        // Every finding, before the filters, so that another filter can use the entry.
        if let Ok(records) = session.records(engine, &all, Some(&shown)) {
            let every: Vec<Finding> = all
                .iter()
                .zip(records)
                .map(|(m, record)| Finding {
                    pattern: m.pattern,
                    severity: m.severity,
                    record,
                })
                .collect();
            if let Ok(json) = serde_json::to_vec(&(&every, &tally)) {
                // A cache that cannot be written costs speed, never a result.
                if c.store.put(key, &json).is_ok() {
                    learn(key, empty_result(&every, tally.as_ref()), &json);
                }
            }
        }
    }
    let matches: Vec<_> = all
        .into_iter()
        .filter(|m| filter.keeps(m.pattern, m.severity) && !ignored_here(m.pattern))
        .collect();
    if matches.is_empty() {
        return done(None, tally);
    }
    let findings = match session.records(engine, &matches, Some(&shown)) {
        Ok(records) => matches
            .iter()
            .zip(records)
            .map(|(m, record)| Finding {
                pattern: m.pattern,
                severity: m.severity,
                record,
            })
            .collect(),
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    done(
        Some(ScannedFile {
            path,
            text: session.into_document().text().to_string(),
            findings,
        }),
        tally,
    )
}

/// What the profile did to one file's matches, as the summary counts it (kept in the result
/// cache with the findings, so a warm scan's summary is the cold one's).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
struct Tally {
    suppressed: usize,
    grouped: usize,
    off_by_context: usize,
    /// Lines of suppressions that hid nothing.
    unused: Vec<u32>,
}

impl Tally {
    fn of(a: &codetable::Applied) -> Tally {
        Tally {
            suppressed: a.suppressed,
            grouped: a.grouped,
            off_by_context: a.off_by_context,
            unused: a.unused.iter().map(|u| u.line).collect(),
        }
    }
}

fn unparsable(language: Language, detail: String) -> source::Skip {
    source::Skip {
        reason: SkipReason::Unparsable,
        detail,
        language: Some(language),
    }
}

/// How findings in standard input name their file.
pub const STDIN_NAME: &str = "<stdin>";

/// Where a path came from, for messages: the path as written, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}
