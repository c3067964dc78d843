//! The `codetable` command: scans code for known patterns and explains them.
//!
//! This file owns the command line (clap derive), opening the database and the exit codes
//! (0 clean, 1 findings at or above `--fail-on` or a failed check, 2 usage or I/O error). The
//! walk and analysis live in `scan`, output formats in `report`, the property sheet in `sheet`,
//! the periodic table in `table` and `codetable test` in `testing`. A library so that other
//! hosts can ship the same command: the binary (`main.rs`) and the Python console script both
//! call [`run`].

/// `eprintln!` that never panics: a closed or full standard error (`2>&1 | true`, `2>/dev/full`)
/// must not turn a scan's result into a crash.
macro_rules! warn {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod baseline;
mod config;
mod fix;
mod report;
mod scan;
mod sheet;
mod since;
mod style;
mod table;
mod testing;

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use codetable::cache::ResultCache;
use codetable::{Document, Engine, Language, PatternDb, Severity, GROUPS};

use crate::scan::{FindingFilter, Stage, WalkOptions};
use crate::style::{printable, ColorChoice, Style};

/// A periodic table of code patterns: find known patterns in code and explain them.
#[derive(Parser)]
#[command(
    name = "codetable",
    version,
    after_help = "Examples:\n  codetable scan src/\n  codetable explain Md\n  codetable table src/\n\nExit codes: 0 nothing at or above --fail-on, 1 findings (or a failed check), 2 usage or I/O error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and folders for known patterns.
    #[command(
        after_help = "Examples:\n  codetable scan                                   # the current folder\n  codetable scan src/ --min-severity medium\n  codetable scan . --format sarif > codetable.sarif\n  codetable scan . --group security --lang py,js --format json\n  codetable scan --write-baseline .codetable-baseline.jsonl   # accept today's findings\n  codetable scan --baseline .codetable-baseline.jsonl         # then fail on new ones only\n  codetable scan --diff-since origin/main                     # findings on changed lines"
    )]
    Scan(Box<ScanArgs>),
    /// Show the whole property sheet of a pattern, by id, symbol or name (any case), or the
    /// clear best search hit.
    #[command(
        after_help = "Examples:\n  codetable explain Md\n  codetable explain security.weak-hash.md5\n  codetable explain md5 --format json"
    )]
    Explain(ExplainArgs),
    /// Find patterns by id, symbol, name, summary, CWE or OWASP category, best first: words,
    /// prefixes, substrings and near misses, any case (exit 1 when none).
    #[command(
        after_help = "Examples:\n  codetable search injection\n  codetable search CWE-89\n  codetable search A03\n  codetable search \"sql injcetion\""
    )]
    Search(SearchArgs),
    /// Run every pattern's examples, and the markers of annotated source files, like `cargo
    /// test` (exit 1 on a failure).
    #[command(
        after_help = "PATHS are rules files or folders (their patterns are tested) and annotated source files or\nfolders: a line ending in `# codetable: expect <id>` must be covered by a finding of that id,\none ending in `// codetable: ok <id>` must not. Without rules in PATHS, every pattern of the\ndatabase in use (--db, --rules) is tested.\n\nExamples:\n  codetable test rules/\n  codetable test rules/house.toml tests/annotated/\n  codetable test --rules rules/"
    )]
    Test(TestArgs),
    /// Draw the periodic table of the catalog; with paths, highlight the patterns found there.
    #[command(after_help = "Examples:\n  codetable table\n  codetable table src/")]
    Table(TableArgs),
    /// List shape patterns similar to the unit at FILE:LINE, best first.
    #[command(after_help = "Example:\n  codetable similar src/config.py:12")]
    Similar(SimilarArgs),
    /// Build, inspect and check pattern database files.
    #[command(subcommand)]
    Db(DbCommand),
    /// Run the language server over standard input and output (for editors: findings as
    /// diagnostics, property sheets on hover).
    #[command(
        after_help = "Editors start it themselves; see lsp/README.md for their configurations.\n\nExamples:\n  codetable lsp\n  codetable lsp --db my.ctdb"
    )]
    Lsp(LspArgs),
}

/// `--format` of `scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// path:line:col, symbol, name, severity, key property and a code frame.
    Text,
    /// One JSON object per finding per line (schema in cli/README.md).
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

/// `--format` of `explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum SheetFormat {
    /// The property sheet as text.
    Text,
    /// The pattern record as JSON.
    Json,
}

#[derive(Args)]
struct DbArg {
    /// Pattern database file to use instead of the embedded default catalog.
    #[arg(long, value_name = "FILE", global = true)]
    db: Option<PathBuf>,
    /// Your own patterns beside the catalog: a rules file (`.toml`) or a folder of them
    /// (repeatable). Compiled on the fly, cached by content, stacked over the database.
    #[arg(long = "rules", value_name = "FILE|DIR", global = true)]
    rules: Vec<PathBuf>,
}

#[derive(Args)]
struct ColorArg {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

#[derive(Args)]
struct WalkArgs {
    /// Only files of these languages (comma-separated names or extensions: py,js,java,go…). With
    /// one language, files with no extension (their #! line first) and standard input are read
    /// as that language; a file of an unknown extension never is.
    #[arg(long = "lang", value_delimiter = ',', value_parser = parse_language, value_name = "LANG")]
    languages: Vec<Language>,
    /// Skip files larger than this (bytes, or with a K, M or G suffix).
    #[arg(long, default_value = "10M", value_parser = parse_size, value_name = "SIZE")]
    max_file_size: u64,
    /// Skip a file whose parse and units, or whose analysis, take longer than this (seconds,
    /// or with an ms or s suffix; 0: no limit). Skipped files are counted as "over budget".
    #[arg(long, default_value = "5s", value_parser = parse_duration, value_name = "TIME")]
    file_timeout: std::time::Duration,
    /// Skip a file whose parse and units, or whose analysis, visit more syntax nodes than this
    /// (the bound on a file's memory; 0: no limit).
    #[arg(long, default_value_t = codetable::budget::DEFAULT_NODES, value_name = "N")]
    max_file_nodes: u64,
    /// Skip a file whose syntax tree would need more memory than this, estimated from its
    /// tokens before parsing (bytes, or with a K, M or G suffix; 0: no limit).
    #[arg(long, default_value = "64M", value_parser = parse_size, value_name = "SIZE")]
    max_file_memory: u64,
    /// Also scan hidden files and folders.
    #[arg(long)]
    hidden: bool,
    /// Do not honour .gitignore, .ignore and git's exclude files.
    #[arg(long)]
    no_ignore: bool,
    /// Follow symbolic links.
    #[arg(short = 'L', long)]
    follow: bool,
    /// Also scan vendored and generated code (vendor/, third_party/, node_modules/, *.min.js,
    /// files with a generated-file header…), which a folder scan leaves out by default
    /// (`include-vendored = true` in codetable.toml does the same).
    #[arg(long)]
    include_vendored: bool,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    /// No progress bar and no summary on standard error.
    #[arg(short, long)]
    quiet: bool,
    /// The result cache's folder (default: $XDG_CACHE_HOME/codetable/results, else
    /// ~/.cache/codetable/results): an unchanged file is not analysed again.
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    cache: Option<PathBuf>,
    /// Do not read or write the result cache.
    #[arg(long)]
    no_cache: bool,
}

impl WalkArgs {
    fn options(&self, stage: Stage) -> WalkOptions {
        WalkOptions {
            max_file_size: self.max_file_size,
            budget: codetable::Budget {
                time: (!self.file_timeout.is_zero()).then_some(self.file_timeout),
                nodes: (self.max_file_nodes != 0).then_some(self.max_file_nodes),
                memory: (self.max_file_memory != 0).then_some(self.max_file_memory),
            },
            hidden: self.hidden,
            no_ignore: self.no_ignore,
            follow: self.follow,
            include_vendored: self.include_vendored,
            languages: self.languages.clone(),
            fallback: match self.languages.as_slice() {
                [one] => Some(*one),
                _ => None,
            },
            threads: self.threads,
            progress: !self.quiet,
            stage,
            cache: None,
            config: Default::default(),
            compile_commands: None,
            text_needed: true,
        }
    }

    /// The result cache these arguments ask for, for a scan with `db`: none with `--no-cache`
    /// or when the folder cannot be made (a warning: the scan goes on without it).
    fn cache(&self, db: &PatternDb) -> Option<scan::ScanCache> {
        if self.no_cache {
            return None;
        }
        let dir = self.cache.clone().or_else(ResultCache::default_dir)?;
        let store = match ResultCache::open(&dir) {
            Ok(s) => s,
            Err(e) => {
                warn!("the result cache {} cannot be used: {e}", dir.display());
                return None;
            }
        };
        Some(scan::ScanCache {
            store,
            db: codetable::cache::db_digest(db),
            build: codetable::cache::build_stamp(),
        })
    }
}

#[derive(Args)]
struct ScanArgs {
    /// Files and folders to scan; `-` reads standard input (with `--lang LANG`).
    #[arg(default_value = ".", value_name = "PATHS")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Only patterns of these groups (comma-separated: security,reliability…).
    #[arg(long = "group", value_delimiter = ',', value_name = "GROUP")]
    groups: Vec<String>,
    /// Only findings at or above this severity.
    #[arg(long, value_parser = parse_severity, value_name = "SEVERITY")]
    min_severity: Option<Severity>,
    /// Only these patterns: ids, symbols, names or id prefixes (comma-separated).
    #[arg(long = "pattern", value_delimiter = ',', value_name = "PATTERN")]
    patterns: Vec<String>,
    /// Report these patterns instead of the default level (ruff's `--select`): ids, id
    /// prefixes, symbols, groups, levels (`default`, `pedantic`, `info`) or `all`,
    /// comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    select: Vec<String>,
    /// Report these patterns too, on top of the selection (ruff's `--extend-select`).
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    extend_select: Vec<String>,
    /// Do not report these patterns (ruff's `--ignore`; the most specific selector wins).
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    ignore: Vec<String>,
    /// Report findings as found: no context rules (tests keep their severity), no
    /// `codetable: ignore` comments, no grouping of duplicates.
    #[arg(long)]
    raw: bool,
    /// Do not read codetable.toml or [tool.codetable] in pyproject.toml.
    #[arg(long)]
    no_config: bool,
    /// List the `codetable: ignore` comments that hid nothing on standard error (exit 1
    /// when there are any and `--fail-on` is not `never`).
    #[arg(long)]
    report_unused_suppressions: bool,
    /// Exit with 1 when a finding is at or above this severity (`never`: always exit 0).
    #[arg(long, default_value = "low", value_parser = parse_fail_on, value_name = "SEVERITY")]
    fail_on: FailOn,
    /// Report (and fail on) only findings that are not in this earlier output of
    /// `codetable scan` (`--format json`, `--format sarif` or `--write-baseline`), matched by
    /// path and fingerprint, so edits above a finding keep it matched.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every finding of this scan to FILE as a baseline (JSON Lines) and exit 0: the
    /// findings it holds are accepted.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Report (and fail on) only findings on lines changed since this git revision (the
    /// working tree against it, untracked files included; runs `git diff`).
    #[arg(long, value_name = "GIT_REF")]
    diff_since: Option<String>,
    /// The compilation database that decides whether `.h` headers are C or C++ (a header
    /// included only by C++ translation units is C++). Default: the nearest
    /// `compile_commands.json` (or `build/compile_commands.json`) in the scanned folder or
    /// above, up to the repository's root.
    #[arg(long, value_name = "FILE")]
    compile_commands: Option<PathBuf>,
    /// Apply the fixes of the findings that have one (rules with a `fix`), writing each file
    /// atomically; the findings fixed are not reported. Overlapping fixes: the first wins, run
    /// again for the rest. A file whose fixed code would not parse is left alone.
    #[arg(long)]
    fix: bool,
    /// With --fix: print the fixes as a unified diff instead of writing them (exit 1 when
    /// there is any).
    #[arg(long, requires = "fix")]
    dry_run: bool,
    /// List every skipped file on standard error.
    #[arg(short, long)]
    verbose: bool,
    #[command(flatten)]
    walk: WalkArgs,
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    color: ColorArg,
    /// Benchmark floor: only parse each file with tree-sitter.
    #[arg(long, hide = true, conflicts_with = "units_only")]
    parse_only: bool,
    /// Benchmark floor: parse, cut units and fingerprint, but match nothing.
    #[arg(long, hide = true)]
    units_only: bool,
}

#[derive(Args)]
struct ExplainArgs {
    /// Pattern id (`security.weak-hash.md5`), symbol (`Md`) or exact name (`MD5 hash`); or a
    /// design-pattern instance: its id (`design.gof.observer@src/Bus.java#Listener`, the
    /// `instance` of its findings) or FILE:LINE of one of its participants.
    #[arg(value_name = "ID|SYMBOL|NAME|INSTANCE|FILE:LINE")]
    query: String,
    /// Where to look for an instance (default: the current folder).
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    walk: WalkArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SheetFormat::Text)]
    format: SheetFormat,
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    color: ColorArg,
}

#[derive(Args)]
struct TestArgs {
    /// Rules files or folders, and annotated source files or folders.
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    color: ColorArg,
}

#[derive(Args)]
struct SearchArgs {
    /// Words to look for (any case): `injection`, `md5`, `CWE-89`, `89`, `A03:2021`; empty
    /// lists every pattern.
    #[arg(default_value = "", value_name = "QUERY")]
    query: String,
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    color: ColorArg,
}

#[derive(Args)]
struct TableArgs {
    /// Files and folders to scan; the cells of patterns found there are highlighted.
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    walk: WalkArgs,
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    color: ColorArg,
}

#[derive(Args)]
struct SimilarArgs {
    /// A file and a 1-based line: the innermost unit (function, class…) on that line is compared.
    #[arg(value_name = "FILE:LINE")]
    target: String,
    /// Show at most this many patterns.
    #[arg(long, default_value_t = 10)]
    top: usize,
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    color: ColorArg,
}

#[derive(Args)]
struct LspArgs {
    /// Talk over standard input and output: the default and only transport (accepted because
    /// many clients pass it).
    #[arg(long)]
    stdio: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Subcommand)]
enum DbCommand {
    /// Compile a folder of TOML pattern files into a database file (every pattern's examples
    /// must pass).
    #[command(
        after_help = "With --user, PATH is a rules file or folder at the user level (what --rules reads), and the\nfile is a layer to stack over the catalog (C: codetable_db_layered, wasm: Database.layered).\n\nExamples:\n  codetable db build patterns/ -o my.ctdb\n  codetable db build --user rules/ -o rules.ctdb"
    )]
    Build {
        /// The catalog folder (TOML files, searched recursively); with --user, a rules file or
        /// folder.
        #[arg(value_name = "PATH")]
        dir: PathBuf,
        /// Read PATH as user rules: id, name, severity, a rule and a `match` example are enough.
        #[arg(long)]
        user: bool,
        /// The database file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Follow symbolic links that lead out of the catalog folder (refused by default).
        #[arg(long)]
        follow_links: bool,
    },
    /// Show counts, section sizes, version and checksum state (exit 1 when a check fails).
    #[command(
        after_help = "Examples:\n  codetable db info my.ctdb\n  codetable db info            # the embedded default catalog"
    )]
    Info {
        /// The database file (default: the embedded catalog).
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Check a catalog folder against the catalog's rules and its symbol list (exit 1 on issues).
    #[command(
        after_help = "Checks what `db build` checks, then the catalog lint: every symbol reserved with its id in\nDIR/symbols.txt (no duplicates), examples both ways in every claimed language, CWE numbers\nand OWASP categories, https links, an alternative for every security, reliability and\nperformance pattern, one connected graph of alternatives and relations.\nOne line per issue on standard output.\n\nExamples:\n  codetable db lint             # patterns/\n  codetable db lint my-catalog/"
    )]
    Lint {
        /// The catalog folder (TOML files, searched recursively, and symbols.txt).
        #[arg(default_value = "patterns", value_name = "DIR")]
        dir: PathBuf,
        /// Follow symbolic links that lead out of the catalog folder (refused by default).
        #[arg(long)]
        follow_links: bool,
    },
    /// Check every checksum and record (exit 1 when the file is corrupt).
    #[command(after_help = "Example:\n  codetable db verify my.ctdb")]
    Verify {
        /// The database file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// `--fail-on`: the severity that makes a scan exit with 1.
#[derive(Clone, Copy, Debug)]
enum FailOn {
    At(Severity),
    Never,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::from_name(s)
        .ok_or_else(|| format!("unknown severity `{s}` (info, low, medium, high, critical)"))
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    if s.eq_ignore_ascii_case("never") {
        return Ok(FailOn::Never);
    }
    parse_severity(s)
        .map(FailOn::At)
        .map_err(|e| format!("{e} or never"))
}

fn parse_language(s: &str) -> Result<Language, String> {
    Language::from_name(s)
        .ok()
        .or_else(|| Language::from_extension(s))
        .ok_or_else(|| format!("unknown language `{s}` (python, javascript, typescript, tsx, java, kotlin, go, rust, c, cpp)"))
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, mult) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1u64 << 10),
        Some((i, 'm' | 'M')) => (&t[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("`{s}` is not a size (bytes, or a number with K, M or G)"))
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let (digits, millis) = if let Some(d) = t.strip_suffix("ms") {
        (d, true)
    } else {
        (t.strip_suffix('s').unwrap_or(t), false)
    };
    let n: f64 = digits
        .trim()
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)
        .ok_or_else(|| format!("`{s}` is not a duration (seconds, or a number with ms or s)"))?;
    let secs = if millis { n / 1000.0 } else { n };
    std::time::Duration::try_from_secs_f64(secs).map_err(|e| format!("`{s}`: {e}"))
}

/// A failure that ends the command with exit code 2.
struct Failure(String);

impl From<codetable::Error> for Failure {
    fn from(e: codetable::Error) -> Self {
        Failure(e.to_string())
    }
}

impl From<String> for Failure {
    fn from(e: String) -> Self {
        Failure(e)
    }
}

type Outcome = Result<ExitCode, Failure>;

/// Runs the command line `args` (the program name first, as `std::env::args_os` gives it) and
/// returns the exit code: 0, 1 or 2 (see the module docs). Output goes to the process's standard
/// output and error; `--help` and `--version` print and return 0, a usage error prints and
/// returns 2 — it never exits the process.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let code = run_command(cli);
    if code == ExitCode::SUCCESS {
        0
    } else if code == ExitCode::from(1) {
        1
    } else {
        2
    }
}

fn run_command(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Scan(a) => run_scan(*a),
        Command::Explain(a) => run_explain(a),
        Command::Search(a) => run_search(a),
        Command::Test(a) => run_test(a),
        Command::Table(a) => run_table(a),
        Command::Similar(a) => run_similar(a),
        Command::Db(c) => run_db(c),
        Command::Lsp(a) => run_lsp(a),
    };
    match result {
        Ok(code) => code,
        Err(Failure(message)) => {
            warn!("codetable: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The database a command uses: `--db` or the embedded catalog, with the `--rules` files
/// compiled (cached in the user's cache folder) and stacked over it.
fn open_db(arg: &DbArg) -> Result<PatternDb, Failure> {
    let base = match &arg.db {
        None => PatternDb::default_catalog(),
        Some(path) => PatternDb::open(path)
            .map_err(|e| Failure(format!("cannot open database {}: {e}", path.display())))?,
    };
    if arg.rules.is_empty() {
        return Ok(base);
    }
    let cache = codetable::catalog::user_cache_dir();
    let user = codetable::catalog::user_database(&arg.rules, cache.as_deref())
        .map_err(|e| Failure(format!("--rules: {e}")))?;
    PatternDb::layered(base, [user]).map_err(|e| Failure(format!("--rules: {e}")))
}

/// Writes to standard output; a closed pipe (`| head`) ends quietly.
fn emit(f: impl FnOnce(&mut dyn Write) -> Result<(), String>) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let r = f(&mut out).and_then(|()| out.flush().map_err(|e| format!("cannot write: {e}")));
    match r {
        Err(e) if e.contains("Broken pipe") => Ok(()),
        Err(e) => Err(Failure(e)),
        Ok(()) => Ok(()),
    }
}

/// The pattern numbers `--group` and `--pattern` allow (`None`: all).
fn allowed_patterns(
    db: &PatternDb,
    groups: &[String],
    patterns: &[String],
) -> Result<Option<HashSet<u32>>, Failure> {
    let mut allowed: Option<HashSet<u32>> = None;
    if !patterns.is_empty() {
        let mut set = HashSet::new();
        for q in patterns {
            if let Some((n, _)) = db.find(q)? {
                set.insert(n);
                continue;
            }
            let mut found = Vec::new();
            for n in 0..db.len() as u32 {
                if db.pattern(n)?.id.starts_with(q.as_str()) {
                    found.push(n);
                }
            }
            if found.is_empty() {
                return Err(Failure(format!(
                    "no pattern has the id, symbol, name or prefix `{q}` (see `codetable search`)"
                )));
            }
            set.extend(found);
        }
        allowed = Some(set);
    }
    if !groups.is_empty() {
        let meta = db.meta()?;
        for g in groups {
            if !GROUPS.contains(&g.as_str()) && !meta.groups.contains_key(g) {
                return Err(Failure(format!(
                    "unknown group `{g}` (groups: {})",
                    GROUPS.join(", ")
                )));
            }
        }
        let mut set = HashSet::new();
        for n in 0..db.len() as u32 {
            let group = db.pattern(n)?.group;
            if groups.iter().any(|g| g == group) {
                set.insert(n);
            }
        }
        allowed = Some(match allowed {
            Some(a) => a.intersection(&set).copied().collect(),
            None => set,
        });
    }
    Ok(allowed)
}

fn run_scan(a: ScanArgs) -> Outcome {
    let config = if a.no_config {
        config::Config::default()
    } else {
        let start = a
            .paths
            .iter()
            .find(|p| p.as_os_str() != scan::STDIN)
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        config::Config::discover(&start).map_err(Failure)?
    };
    // The configuration's rules stack with --rules (the command line's first).
    let db = open_db(&DbArg {
        db: a.db.db.clone(),
        rules: a.db.rules.iter().chain(&config.rules).cloned().collect(),
    })?;
    let filter = FindingFilter {
        patterns: allowed_patterns(&db, &a.groups, &a.patterns)?,
        min_severity: a.min_severity,
    };
    // Patterns named with --pattern are reported whatever their level.
    let named: Vec<String> = match allowed_patterns(&db, &[], &a.patterns)? {
        Some(set) => {
            let mut ids = Vec::new();
            for n in set {
                ids.push(db.pattern(n)?.id.to_string());
            }
            ids
        }
        None => Vec::new(),
    };
    let stage = if a.parse_only {
        Stage::Parse
    } else if a.units_only {
        Stage::Units
    } else {
        Stage::Full
    };
    let mut options = a.walk.options(stage);
    options.cache = a.walk.cache(&db);
    // JSON Lines shows no text; code frames, SARIF fixes and --fix do.
    options.text_needed = !matches!(a.format, Format::Json) || a.fix;
    let options_cache_dir = options.cache.as_ref().map(|c| c.store.dir().to_path_buf());
    let engine = Engine::new(db);
    // The command line wins: --select replaces the file's selection, the others add to it.
    let mut profile = config.profile_with(&codetable::config::HostSelection {
        select: a.select.clone(),
        extend_select: a.extend_select.iter().cloned().chain(named).collect(),
        ignore: a.ignore.clone(),
    });
    if a.raw {
        profile.context_rules = false;
        profile.suppressions = false;
        profile.group_duplicates = false;
    }
    if let Some(bad) = config.configure(&engine, profile)?.first() {
        return Err(Failure(if bad.per_path {
            let file = config
                .file
                .as_deref()
                .unwrap_or(std::path::Path::new("configuration"));
            format!("{}: {bad}", file.display())
        } else {
            bad.unknown.to_string()
        }));
    }
    // A scan reports what the profile selects only: the other patterns are not matched.
    engine.set_selected_only(true);
    options.include_vendored |= config.include_vendored;
    options.config = std::sync::Arc::new(config);
    // Read the baseline and the git diff before the scan: a wrong file or revision fails fast.
    let accepted = match &a.baseline {
        Some(b) => Some(baseline::Baseline::read(b).map_err(Failure)?),
        None => None,
    };
    let changed = match &a.diff_since {
        Some(rev) => {
            let at = match a.paths.first() {
                Some(p) if p.as_os_str() == scan::STDIN => {
                    return Err(Failure(
                        "--diff-since cannot filter standard input: scan files".to_string(),
                    ))
                }
                Some(p) => p.clone(),
                None => PathBuf::from("."),
            };
            Some(since::ChangedLines::since(rev, &at).map_err(Failure)?)
        }
        None => None,
    };
    let compile_commands = match &a.compile_commands {
        Some(p) => Some((
            p.clone(),
            codetable::source::CompileCommands::load(p).map_err(|e| Failure(e.to_string()))?,
        )),
        None => a
            .paths
            .iter()
            .find(|p| p.as_os_str() != scan::STDIN)
            .and_then(|p| find_compile_commands(p))
            .and_then(|p| match codetable::source::CompileCommands::load(&p) {
                Ok(cc) => Some((p, cc)),
                Err(e) => {
                    warn!(
                        "ignoring the compilation database {}",
                        printable(&e.to_string())
                    );
                    None
                }
            }),
    };
    if let Some((path, cc)) = compile_commands {
        if a.verbose {
            warn!(
                "compilation database {}: {} C/C++ translation units",
                printable(&path.display().to_string()),
                cc.translation_units()
            );
        }
        options.compile_commands = Some(std::sync::Arc::new(cc));
    }
    let mut report = scan::scan(&a.paths, &options, &engine, &filter)?;
    if let Some(path) = &a.write_baseline {
        baseline::write(path, &report).map_err(Failure)?;
    }
    if let Some(changed) = &changed {
        report.unchanged = changed.filter(&mut report);
    }
    if let Some(accepted) = &accepted {
        report.baselined = accepted.filter(&mut report);
    }
    if a.fix {
        let plans = fix::plan(&report)?;
        for p in plans.iter().filter(|p| !p.parses) {
            warn!(
                "{}: not fixed: the fixed code would not parse",
                printable(&scan::display_path(&p.path))
            );
        }
        let count: usize = plans
            .iter()
            .filter(|p| p.parses)
            .map(|p| p.applied.len())
            .sum();
        let left: usize = plans.iter().map(|p| p.overlapping.len()).sum();
        let files = plans
            .iter()
            .filter(|p| p.parses && p.before != p.after)
            .count();
        if a.dry_run {
            let diff = fix::diff(&plans);
            emit(|out| out.write_all(diff.as_bytes()).map_err(|e| e.to_string()))?;
            if !a.walk.quiet {
                warn!("{count} fixes in {files} files (dry run: nothing written); {left} overlapping fixes wait for another run");
            }
            return Ok(ExitCode::from(u8::from(!diff.is_empty())));
        }
        let mut written = 0;
        for p in plans.iter().filter(|p| p.parses && p.before != p.after) {
            match fix::write(p) {
                Ok(()) => written += p.applied.len(),
                Err(e) => warn!("{}", printable(&e)),
            }
        }
        // What is left is reported from the files as they are now (offsets and lines of the
        // fixed text; unchanged files come from the result cache).
        if written > 0 {
            report = scan::scan(&a.paths, &options, &engine, &filter)?;
            if let Some(changed) = &changed {
                report.unchanged = changed.filter(&mut report);
            }
            if let Some(accepted) = &accepted {
                report.baselined = accepted.filter(&mut report);
            }
        }
        if !a.walk.quiet {
            warn!("fixed {written} findings in {files} files; {left} overlapping fixes wait for another run");
        }
    }
    emit(|out| match a.format {
        Format::Text => report::write_text(out, &report, &engine, Style::stdout(a.color.color)),
        Format::Json => report::write_json(out, &report),
        Format::Sarif => report::write_sarif(out, &report, &engine),
    })?;
    if a.verbose {
        for s in &report.skipped {
            let path = s
                .path
                .as_deref()
                .map(scan::display_path)
                .unwrap_or_default();
            warn!(
                "skipped ({}): {}: {}",
                s.reason.name(),
                printable(&path),
                printable(&s.detail)
            );
        }
        for (path, reason) in &report.ignored {
            warn!(
                "ignored ({}): {}",
                reason.name(),
                printable(&scan::display_path(path))
            );
        }
        if let Some(c) = &options_cache_dir {
            warn!(
                "result cache {}: {} of {} files unchanged",
                c.display(),
                report.cached,
                report.scanned
            );
        }
    }
    if !a.walk.quiet {
        let err = Style::stderr(a.color.color);
        warn!("{}", err.dim(&report.summary()));
    }
    if a.report_unused_suppressions {
        for (path, line) in &report.unused_suppressions {
            warn!(
                "{}:{line}: unused suppression (it hides no finding)",
                printable(path)
            );
        }
    }
    let unused = a.report_unused_suppressions && !report.unused_suppressions.is_empty();
    let failed = match (a.fail_on, report.worst()) {
        (FailOn::At(min), Some(worst)) => worst >= min,
        _ => false,
    } || (unused && !matches!(a.fail_on, FailOn::Never));
    if let Some(path) = &a.write_baseline {
        if !a.walk.quiet {
            warn!(
                "baseline written to {}: a scan with --baseline {} reports only new findings",
                printable(&path.display().to_string()),
                printable(&path.display().to_string())
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    Ok(ExitCode::from(u8::from(failed)))
}

/// The nearest `compile_commands.json` (or `build/compile_commands.json`) in `start`'s folder
/// or above, not above the folder holding `.git`.
fn find_compile_commands(start: &std::path::Path) -> Option<PathBuf> {
    let abs = std::path::absolute(start).ok()?;
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        for candidate in [
            d.join("compile_commands.json"),
            d.join("build/compile_commands.json"),
        ] {
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

fn run_explain(a: ExplainArgs) -> Outcome {
    let db = open_db(&a.db)?;
    if let Some(target) = instance_target(&db, &a.query)? {
        return explain_instance(a, db, target);
    }
    let mut found = db.find(&a.query)?;
    if found.is_none() {
        // A clear winner of the search (a word of its id or name, ahead of the rest) is shown.
        let hits = db.search_ranked(&a.query)?;
        if let Some(best) = hits.first() {
            let second = hits.get(1).map_or(0, |h| h.score);
            if best.score >= 60 && best.score > second {
                let p = db.pattern(best.pattern)?;
                warn!("codetable: best match for `{}`: {}", a.query, p.id);
                found = Some((best.pattern, p));
            }
        }
    }
    let Some((number, p)) = found else {
        let near = db.search(&a.query)?;
        let hint = if near.is_empty() {
            "see `codetable search`".to_string()
        } else {
            let ids: Vec<String> = near
                .iter()
                .take(5)
                .filter_map(|n| db.pattern(*n).ok().map(|p| p.id.to_string()))
                .collect();
            format!("did you mean {}?", ids.join(", "))
        };
        return Err(Failure(format!(
            "no pattern has the id, symbol or name `{}` ({hint})",
            a.query
        )));
    };
    let p = codetable::PatternSheet::new(number, &p);
    let text = match a.format {
        SheetFormat::Text => sheet::sheet(&db, &p, Style::stdout(a.color.color)),
        SheetFormat::Json => serde_json::to_string_pretty(&p).map_err(|e| e.to_string())? + "\n",
    };
    emit(|out| out.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}

/// What `explain` was asked about when it names a design-pattern instance.
enum InstanceTarget {
    /// An instance id (`pattern@document#Type`).
    Id(String),
    /// A participant's file and 1-based line.
    At(PathBuf, u32),
}

/// The instance `query` names: an id whose part before `@` is a role pattern of `db`, or
/// FILE:LINE of an existing file. `None` for a pattern query.
fn instance_target(db: &PatternDb, query: &str) -> Result<Option<InstanceTarget>, Failure> {
    if let Some((pattern, _)) = query.split_once('@') {
        if let Some((_, p)) = db.find(pattern)? {
            if !p.roles.is_empty() {
                return Ok(Some(InstanceTarget::Id(query.to_string())));
            }
        }
    }
    if let Some((file, line)) = query.rsplit_once(':') {
        if let Ok(line) = line.parse::<u32>() {
            if line > 0 && std::path::Path::new(file).is_file() {
                return Ok(Some(InstanceTarget::At(PathBuf::from(file), line)));
            }
        }
    }
    Ok(None)
}

/// `explain` of a design-pattern instance: scans the paths with the role patterns and prints
/// the instance's pattern, summary and every participant with its role and place.
fn explain_instance(a: ExplainArgs, db: PatternDb, target: InstanceTarget) -> Outcome {
    let engine = Engine::new(db);
    let roles = codetable::project::design::selected_role_patterns(&engine)?;
    let ids: Vec<String> = roles.iter().map(|r| r.id.clone()).collect();
    engine.select(&ids, &[])?;
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths.clone()
    };
    let mut options = a.walk.options(Stage::Full);
    options.progress = false;
    let report = scan::scan(&paths, &options, &engine, &FindingFilter::default())?;
    let records: Vec<codetable::FindingRecord> = report
        .files
        .iter()
        .flat_map(|f| f.findings.iter().map(|x| x.record.clone()))
        .collect();
    let views = codetable::InstanceView::of_records(&records, |id| {
        engine
            .db()
            .by_id(id)
            .ok()
            .flatten()
            .and_then(|(n, _)| engine.sheet(n).ok())
            .map(|s| s.summary.clone())
            .unwrap_or_default()
    });
    let same_file = |shown: &str, file: &std::path::Path| {
        let shown = std::path::Path::new(shown);
        shown == file
            || matches!(
                (std::fs::canonicalize(shown), std::fs::canonicalize(file)),
                (Ok(x), Ok(y)) if x == y
            )
    };
    let chosen: Vec<&codetable::InstanceView> = match &target {
        InstanceTarget::Id(id) => views.iter().filter(|v| &v.id == id).collect(),
        InstanceTarget::At(file, line) => views
            .iter()
            .filter(|v| {
                v.participants.iter().any(|p| {
                    p.path.as_deref().is_some_and(|s| same_file(s, file))
                        && p.line <= *line
                        && *line <= p.end_line
                })
            })
            .collect(),
    };
    if chosen.is_empty() {
        let what = match &target {
            InstanceTarget::Id(id) => format!("no instance `{id}`"),
            InstanceTarget::At(file, line) => format!(
                "no design-pattern participant is declared at {}:{line}",
                file.display()
            ),
        };
        let known: Vec<&str> = views.iter().take(5).map(|v| v.id.as_str()).collect();
        let hint = if known.is_empty() {
            "no instance found there".to_string()
        } else {
            format!("instances found: {}", known.join(", "))
        };
        return Err(Failure(format!(
            "{what} in {} ({hint})",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let style = Style::stdout(a.color.color);
    let text = match a.format {
        SheetFormat::Json => chosen
            .iter()
            .map(|v| serde_json::to_string_pretty(v).map(|j| j + "\n"))
            .collect::<Result<String, _>>()
            .map_err(|e| e.to_string())?,
        SheetFormat::Text => chosen
            .iter()
            .map(|v| instance_text(v, style))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    emit(|out| out.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}

/// An instance as `explain` prints it.
fn instance_text(v: &codetable::InstanceView, style: Style) -> String {
    let mut out = format!(
        "{} {} ({})\n{} {}\n\n{}\n\n{}\n",
        style.bold(&v.symbol),
        style.bold(&v.name),
        v.pattern,
        style.bold("instance:"),
        v.id,
        v.summary.trim(),
        style.bold("participants:")
    );
    let width = v
        .participants
        .iter()
        .map(|p| p.role.len())
        .max()
        .unwrap_or(0);
    let unit_width = v
        .participants
        .iter()
        .map(|p| p.unit.chars().count())
        .max()
        .unwrap_or(0);
    for p in &v.participants {
        out.push_str(&format!(
            "  {:<width$}  {:<unit_width$}  {}:{}:{}\n",
            p.role,
            printable(&p.unit),
            printable(p.path.as_deref().unwrap_or("-")),
            p.line,
            p.column
        ));
    }
    out
}

/// Exit code 0 after `shutdown` and `exit`, 1 otherwise (as the protocol asks).
fn run_lsp(a: LspArgs) -> Outcome {
    let engine = Engine::new(open_db(&a.db)?);
    match codetable_lsp::run_stdio(&engine) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            warn!("codetable lsp: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

fn run_search(a: SearchArgs) -> Outcome {
    let db = open_db(&a.db)?;
    let found = if a.query.trim().is_empty() {
        (0..db.len() as u32).collect()
    } else {
        db.search(&a.query)?
    };
    let style = Style::stdout(a.color.color);
    let mut text = String::new();
    for n in &found {
        text.push_str(sheet::line(&db.pattern(*n)?, style).trim_end());
        text.push('\n');
    }
    emit(|out| out.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
    if found.is_empty() {
        warn!("codetable: no pattern matches `{}`", a.query);
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn run_test(a: TestArgs) -> Outcome {
    let base = open_db(&a.db)?;
    testing::run(&a.paths, base, Style::stdout(a.color.color))
}

fn run_table(a: TableArgs) -> Outcome {
    let db = open_db(&a.db)?;
    let style = Style::stdout(a.color.color);
    if a.paths.is_empty() {
        let text = table::render(&db, None, style)?;
        emit(|out| out.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut options = a.walk.options(Stage::Full);
    options.cache = a.walk.cache(&db);
    let engine = Engine::new(db);
    let report = scan::scan(&a.paths, &options, &engine, &FindingFilter::default())?;
    // A design pattern counts its instances, not its participants' findings.
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    let mut design: BTreeMap<u32, (HashSet<String>, usize)> = BTreeMap::new();
    for f in report.files.iter().flat_map(|f| &f.findings) {
        match &f.record.instance {
            Some(i) => {
                let d = design.entry(f.pattern).or_default();
                d.0.insert(i.clone());
                d.1 += 1;
            }
            None => *counts.entry(f.pattern).or_default() += 1,
        }
    }
    for (n, (instances, _)) in &design {
        counts.insert(*n, instances.len());
    }
    let mut text = table::render(engine.db(), Some(&counts), style)?;
    let design: Vec<(u32, usize, usize)> = design
        .into_iter()
        .map(|(n, (i, p))| (n, i.len(), p))
        .collect();
    text.push_str(&table::design(engine.db(), &design, style)?);
    emit(|out| out.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
    if !a.walk.quiet {
        warn!("{}", Style::stderr(a.color.color).dim(&report.summary()));
    }
    Ok(ExitCode::SUCCESS)
}

fn run_similar(a: SimilarArgs) -> Outcome {
    let (file, line) = a
        .target
        .rsplit_once(':')
        .and_then(|(f, l)| Some((f, l.parse::<u32>().ok().filter(|&l| l > 0)?)))
        .ok_or_else(|| {
            Failure(format!(
                "`{}` is not FILE:LINE (a 1-based line number after the last colon)",
                a.target
            ))
        })?;
    let path = PathBuf::from(file);
    let bytes = std::fs::read(&path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    let language = Language::detect(&path, &bytes).ok_or_else(|| {
        Failure(format!(
            "{}: unknown language (no known extension or shebang)",
            path.display()
        ))
    })?;
    let doc = Document::from_bytes(language, &bytes)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    let lines = doc.text().lines().count().max(1) as u32;
    if line > lines {
        return Err(Failure(format!(
            "{}: line {line} is past the end of the file ({lines} lines)",
            path.display()
        )));
    }
    let unit = doc.unit_at_line(line - 1);
    let engine = Engine::new(open_db(&a.db)?);
    let matches = engine.similar(&doc, unit)?;
    let style = Style::stdout(a.color.color);
    let name = if unit.qualified_name.is_empty() {
        "(module)".to_string()
    } else {
        unit.qualified_name.to_string()
    };
    let mut text = format!(
        "{} {} {} (lines {}–{}, {})\n",
        style.bold("unit:"),
        unit.kind.name(),
        name,
        unit.start.line + 1,
        unit.end.line + 1,
        language.name()
    );
    if matches.is_empty() {
        text.push_str("no shape pattern of this language in the database is similar to it\n");
    }
    for m in matches.iter().take(a.top) {
        let p = engine.db().pattern(m.pattern)?;
        text.push_str(&format!(
            "  {:.2}  {}\n",
            m.score,
            sheet::line(&p, style).trim_end()
        ));
    }
    emit(|out| out.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}

fn run_db(c: DbCommand) -> Outcome {
    match c {
        DbCommand::Build {
            dir,
            output,
            user,
            follow_links,
        } => {
            // Renaming over a FIFO or a device node (`-o /dev/null`) would replace it.
            if let Ok(meta) = std::fs::metadata(&output) {
                if !meta.is_file() {
                    return Err(Failure(format!(
                        "{}: not a regular file; the database is written to a new file",
                        output.display()
                    )));
                }
            }
            let catalog = if user {
                let sources = codetable::catalog::load_user(std::slice::from_ref(&dir))
                    .map_err(|e| Failure(e.to_string()))?;
                codetable::catalog::Catalog::from_user_sources(sources)
            } else {
                if !dir.is_dir() {
                    return Err(Failure(format!("{}: not a folder", dir.display())));
                }
                let options = codetable::catalog::LoadOptions { follow_links };
                codetable::catalog::Catalog::load_dir_with(&dir, &options)
            };
            let catalog = catalog.map_err(|e| Failure(e.to_string()))?;
            // Examples are tests: a pattern whose examples fail is not written.
            let bytes =
                codetable::catalog::compile(&catalog).map_err(|e| Failure(e.to_string()))?;
            // Written beside the target and renamed over it, so that a scan mapping the old
            // file never sees a half-written one.
            let mut tmp = output.clone().into_os_string();
            tmp.push(format!(".{}.tmp", std::process::id()));
            let tmp = std::path::PathBuf::from(tmp);
            std::fs::write(&tmp, &bytes)
                .and_then(|()| std::fs::rename(&tmp, &output))
                .map_err(|e| {
                    std::fs::remove_file(&tmp).ok();
                    Failure(format!("{}: {e}", output.display()))
                })?;
            let size = bytes.len();
            let db = PatternDb::from_bytes(bytes)?;
            println!(
                "wrote {}: {} patterns, {} entries, {size} bytes",
                output.display(),
                db.len(),
                db.entry_count(),
            );
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Lint { dir, follow_links } => {
            if !dir.is_dir() {
                return Err(Failure(format!("{}: not a folder", dir.display())));
            }
            let list = dir.join(codetable::catalog::SYMBOLS_FILE);
            if std::fs::metadata(&list).is_ok_and(|m| !m.is_file()) {
                return Err(Failure(format!("{}: not a regular file", list.display())));
            }
            let symbols = std::fs::read_to_string(&list)
                .map_err(|e| Failure(format!("{}: {e}", list.display())))?;
            let options = codetable::catalog::LoadOptions { follow_links };
            let lines: Vec<String> =
                match codetable::catalog::Catalog::load_dir_with(&dir, &options) {
                    Ok(catalog) => {
                        let issues = codetable::catalog::lint(&catalog, &symbols);
                        if issues.is_empty() {
                            println!(
                                "{}: {} patterns, no lint issues",
                                dir.display(),
                                catalog.len()
                            );
                            return Ok(ExitCode::SUCCESS);
                        }
                        issues.iter().map(ToString::to_string).collect()
                    }
                    Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
                };
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            emit(|out| out.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
            warn!("codetable: {}: {} issue(s)", dir.display(), lines.len());
            Ok(ExitCode::from(1))
        }
        DbCommand::Info { file } => {
            let db = match &file {
                None => PatternDb::default_catalog(),
                Some(path) => match PatternDb::open(path) {
                    Ok(db) => db,
                    Err(e @ codetable::Error::Io { .. }) => {
                        return Err(Failure(format!(
                            "cannot open database {}: {e}",
                            path.display()
                        )))
                    }
                    // Opening checks everything: a damaged file has no figures to show, only why.
                    Err(e) => {
                        let s = format!("file:      {}\nchecksums: FAILED: {e}\n", path.display());
                        emit(|out| out.write_all(s.as_bytes()).map_err(|e| e.to_string()))?;
                        return Ok(ExitCode::from(1));
                    }
                },
            };
            let info = db.info()?;
            let check = db.verify();
            let mut s = String::new();
            let name = file
                .map(|f| f.display().to_string())
                .unwrap_or_else(|| "(embedded default catalog)".into());
            s.push_str(&format!("file:      {name}\n"));
            s.push_str(&format!("version:   {}\n", info.version));
            s.push_str(&format!("patterns:  {}\n", info.patterns));
            s.push_str(&format!("entries:   {}\n", info.entries));
            s.push_str(&format!("size:      {} bytes\n", info.size));
            s.push_str(&format!("built by:  {}\n", info.meta.built_by));
            s.push_str(&format!("digest:    {:016x}\n", info.meta.catalog_digest));
            let groups: Vec<String> = info
                .meta
                .groups
                .iter()
                .map(|(g, n)| format!("{g} {n}"))
                .collect();
            s.push_str(&format!("groups:    {}\n", groups.join(", ")));
            match &check {
                Ok(()) => s.push_str("checksums: ok\n"),
                Err(e) => s.push_str(&format!("checksums: FAILED: {e}\n")),
            }
            s.push_str("sections:\n  name         offset     length\n");
            for (section, off, len) in &info.sections {
                s.push_str(&format!("  {:<10} {off:>8} {len:>10}\n", section.name()));
            }
            emit(|out| out.write_all(s.as_bytes()).map_err(|e| e.to_string()))?;
            Ok(ExitCode::from(u8::from(check.is_err())))
        }
        DbCommand::Verify { file } => {
            let db = match PatternDb::open(&file) {
                Ok(db) => db,
                Err(e @ codetable::Error::Io { .. }) => return Err(e.into()),
                Err(e) => {
                    println!("{}: corrupt: {e}", file.display());
                    return Ok(ExitCode::from(1));
                }
            };
            match db.verify() {
                Ok(()) => {
                    println!(
                        "{}: ok ({} patterns, {} entries, {} bytes)",
                        file.display(),
                        db.len(),
                        db.entry_count(),
                        db.as_bytes().len()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("{}: corrupt: {e}", file.display());
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
