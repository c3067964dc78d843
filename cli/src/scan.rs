//! The scan: walk paths (gitignore-aware), read and classify files, and analyse them in parallel.
//!
//! It owns which files are read and why others are skipped; it knows nothing about output
//! formats. A file that cannot be used is recorded as [`Skipped`] and never stops the scan; only
//! a path given on the command line that does not exist is an error.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use codetable::{Document, Engine, Error, Language, Position, Severity};
use rayon::prelude::*;

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
    /// Also walk hidden files and folders.
    pub hidden: bool,
    /// Do not honour `.gitignore`, `.ignore` and git excludes.
    pub no_ignore: bool,
    /// Follow symbolic links.
    pub follow: bool,
    /// Only these languages (all when empty).
    pub languages: Vec<Language>,
    /// Worker threads (rayon's default, one per core, when `None`).
    pub threads: Option<usize>,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// How far each file is taken.
    pub stage: Stage,
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

/// One finding, resolved enough to be printed without the document.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The pattern's number in the database.
    pub pattern: u32,
    /// The pattern's severity.
    pub severity: Severity,
    /// Byte range of the matched code.
    pub byte_range: Range<usize>,
    /// Start line and byte column (zero-based).
    pub start: Position,
    /// End line and byte column (zero-based).
    pub end: Position,
    /// 1.0 for rules, the similarity for shapes.
    pub score: f32,
    /// Qualified name of the unit holding the match (empty for the module).
    pub unit: Arc<str>,
    /// Metavariable bindings: (name, text).
    pub captures: Vec<(String, String)>,
}

/// A scanned file that has findings (its text is kept for code frames).
#[derive(Debug)]
pub struct ScannedFile {
    /// The path as walked.
    pub path: PathBuf,
    /// Its language.
    pub language: Language,
    /// Its text.
    pub text: String,
    /// Its findings, by position.
    pub findings: Vec<Finding>,
}

/// Why a file was not scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// It contains NUL bytes.
    Binary,
    /// It is larger than `--max-file-size`.
    TooLarge,
    /// It could not be read (permissions, a FIFO, a broken link, a symlink loop…).
    Unreadable,
    /// It is not valid UTF-8.
    NotUtf8,
    /// The parser gave up on it.
    Unparsable,
}

impl SkipReason {
    /// Short name used in summaries and JSON.
    pub fn name(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too large",
            SkipReason::Unreadable => "unreadable",
            SkipReason::NotUtf8 => "not UTF-8",
            SkipReason::Unparsable => "unparsable",
        }
    }
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
    /// Wall time of the scan.
    pub elapsed: Duration,
}

impl ScanReport {
    /// Number of findings.
    pub fn finding_count(&self) -> usize {
        self.files.iter().map(|f| f.findings.len()).sum()
    }

    /// The most severe finding's severity.
    pub fn worst(&self) -> Option<Severity> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(|m| m.severity))
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

/// A file the walk proposes: its path and, when the extension tells, its language.
struct Candidate {
    path: PathBuf,
    language: Option<Language>,
}

enum Outcome {
    /// Not a source file of a wanted language: not counted.
    Ignored,
    Skipped(Skipped),
    Scanned {
        bytes: u64,
        file: Option<ScannedFile>,
    },
}

/// Walks `paths` and analyses every source file. Errors only when a path does not exist or the
/// thread pool cannot be built.
pub fn scan<D: AsRef<[u8]> + Send + Sync>(
    paths: &[PathBuf],
    options: &WalkOptions,
    engine: &Engine<D>,
    filter: &FindingFilter,
) -> Result<ScanReport, String> {
    let started = Instant::now();
    for p in paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    let (mut candidates, mut skipped) = walk(paths, options);
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
    let work = || {
        candidates
            .par_iter()
            .map(|c| {
                let out = process(c, options, engine, filter);
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
    for o in outcomes {
        match o {
            Outcome::Ignored => {}
            Outcome::Skipped(s) => skipped.push(s),
            Outcome::Scanned { bytes, file } => {
                report.scanned += 1;
                report.bytes += bytes;
                report.files.extend(file);
            }
        }
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    report.skipped = skipped;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The walk: candidate files, plus the entries that could not be walked.
fn walk(paths: &[PathBuf], options: &WalkOptions) -> (Vec<Candidate>, Vec<Skipped>) {
    let mut candidates = Vec::new();
    let mut skipped = Vec::new();
    let Some((first, rest)) = paths.split_first() else {
        return (candidates, skipped);
    };
    let mut builder = ignore::WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    let respect = !options.no_ignore;
    builder
        .hidden(!options.hidden)
        .ignore(respect)
        .git_ignore(respect)
        .git_global(respect)
        .git_exclude(respect)
        .parents(respect)
        .require_git(false)
        .follow_links(options.follow);
    let wanted = |l: Language| options.languages.is_empty() || options.languages.contains(&l);
    for entry in builder.build() {
        match entry {
            Ok(e) => {
                let Some(ft) = e.file_type() else { continue };
                if ft.is_dir() {
                    continue;
                }
                if ft.is_symlink() {
                    // Not followed (without --follow): like ripgrep, a link is not a file.
                    continue;
                }
                let path = e.into_path();
                let language = path
                    .extension()
                    .and_then(|x| x.to_str())
                    .map(Language::from_extension);
                match language {
                    // A known extension of an unwanted language, or an unknown extension.
                    Some(Some(l)) if !wanted(l) => {}
                    Some(None) => {}
                    Some(Some(l)) => candidates.push(Candidate {
                        path,
                        language: Some(l),
                    }),
                    // No extension: the shebang decides, once the file is read.
                    None => candidates.push(Candidate {
                        path,
                        language: None,
                    }),
                }
            }
            Err(err) => skipped.push(Skipped {
                path: error_path(&err),
                reason: SkipReason::Unreadable,
                detail: err.to_string(),
            }),
        }
    }
    (candidates, skipped)
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.first().and_then(error_path),
        _ => None,
    }
}

fn process<D: AsRef<[u8]>>(
    c: &Candidate,
    options: &WalkOptions,
    engine: &Engine<D>,
    filter: &FindingFilter,
) -> Outcome {
    let skip = |reason, detail: String| {
        Outcome::Skipped(Skipped {
            path: Some(c.path.clone()),
            reason,
            detail,
        })
    };
    let meta = match std::fs::metadata(&c.path) {
        Ok(m) => m,
        Err(e) if c.language.is_some() => return skip(SkipReason::Unreadable, e.to_string()),
        Err(_) => return Outcome::Ignored,
    };
    if !meta.is_file() {
        // A FIFO or a device would block or never end: never open one.
        return match c.language {
            Some(_) => skip(SkipReason::Unreadable, "not a regular file".into()),
            None => Outcome::Ignored,
        };
    }
    if meta.len() > options.max_file_size {
        return match c.language {
            Some(_) => skip(
                SkipReason::TooLarge,
                format!(
                    "{} bytes > --max-file-size {}",
                    meta.len(),
                    options.max_file_size
                ),
            ),
            None => Outcome::Ignored,
        };
    }
    let bytes = match std::fs::read(&c.path) {
        Ok(b) => b,
        Err(e) if c.language.is_some() => return skip(SkipReason::Unreadable, e.to_string()),
        Err(_) => return Outcome::Ignored,
    };
    let language = match c.language.or_else(|| Language::from_shebang(&bytes)) {
        Some(l) if options.languages.is_empty() || options.languages.contains(&l) => l,
        _ => return Outcome::Ignored,
    };
    if bytes.len() as u64 > options.max_file_size {
        return skip(
            SkipReason::TooLarge,
            format!(
                "{} bytes > --max-file-size {}",
                bytes.len(),
                options.max_file_size
            ),
        );
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return skip(SkipReason::Binary, "contains NUL bytes".into());
    }
    let scanned = |file| Outcome::Scanned {
        bytes: bytes.len() as u64,
        file,
    };
    if options.stage == Stage::Parse {
        return match std::str::from_utf8(&bytes) {
            Err(e) => skip(
                SkipReason::NotUtf8,
                format!("first invalid byte at offset {}", e.valid_up_to()),
            ),
            Ok(text) => {
                let mut parser = tree_sitter::Parser::new();
                if let Err(e) = parser.set_language(&language.grammar()) {
                    return skip(SkipReason::Unparsable, e.to_string());
                }
                match parser.parse(text, None) {
                    Some(_) => scanned(None),
                    None => skip(SkipReason::Unparsable, "the parser gave up".into()),
                }
            }
        };
    }
    let doc = match Document::from_bytes(language, &bytes) {
        Ok(d) => d,
        Err(Error::InvalidUtf8 { valid_up_to }) => {
            return skip(
                SkipReason::NotUtf8,
                format!("first invalid byte at offset {valid_up_to}"),
            )
        }
        Err(e) => return skip(SkipReason::Unparsable, e.to_string()),
    };
    if options.stage == Stage::Units {
        return scanned(None);
    }
    let matches = match engine.analyze(&doc) {
        Ok(m) => m,
        Err(e) => return skip(SkipReason::Unparsable, e.to_string()),
    };
    let findings: Vec<Finding> = matches
        .into_iter()
        .filter(|m| filter.keeps(m.pattern, m.severity))
        .map(|m| Finding {
            pattern: m.pattern,
            severity: m.severity,
            unit: doc
                .unit(m.unit)
                .map(|u| u.qualified_name.clone())
                .unwrap_or_else(|| Arc::from("")),
            byte_range: m.byte_range,
            start: m.start,
            end: m.end,
            score: m.score,
            captures: m.captures.into_iter().map(|c| (c.name, c.text)).collect(),
        })
        .collect();
    if findings.is_empty() {
        return scanned(None);
    }
    let text = doc.text().to_string();
    scanned(Some(ScannedFile {
        path: c.path.clone(),
        language,
        text,
        findings,
    }))
}

/// Where a path came from, for messages: the path as written, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}
