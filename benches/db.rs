//! Pattern-database and engine benchmarks (issue: core engine part 2).
//!
//! (a) A synthetic database of 1,000,000 patterns (generated here, never committed) whose
//!     required-feature sets are drawn, with a skew, from the features of real units: build time,
//!     file size, open time, candidate lookup for typical units (median, p99), resident memory
//!     after 10,000 lookups.
//! (b) The 5,000-line Python file against the default catalog: full analyze, and per-keystroke
//!     edit + analyze_delta (median, p99), and the same keystrokes through a host's `Session`
//!     (UTF-16 offsets, match set kept, added/updated/removed).
//!
//! Run: `cargo bench -p codetable --bench db` (`-- --patterns N` for a smaller database,
//! `-- --engine-only` for (b) alone, `-- --analyze-loop` to run 40 full analyses under a
//! profiler, `-- --per-rule DIR` to rank the default catalog's rules by the time they take on
//! the files under DIR (each unit's index candidates, as the engine tries them), `-- --first-use` for what a fresh engine's first analysis of each language's
//! annotated recall-suite files costs against the second; `CODETABLE_BENCH_VERBOSE=1` lists
//! what the slowest deltas re-matched,
//! `CODETABLE_BENCH_SPLIT=1` splits the host path into the engine's delta and the match set).

#![allow(missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use codetable::{
    DbBuilder, Document, Engine, Language, Matcher, MatcherKind, Pattern, PatternDb, Property,
    PropertyKind, RuleEntry, Severity,
};

#[path = "corpus.rs"]
mod corpus;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[(v.len() * 99 / 100).min(v.len() - 1)])
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

const VOCAB: usize = 200_000;

fn synthetic(n: usize, pool: &[u64]) -> Vec<u8> {
    let mut rng = Rng(0x5eed_1234_abcd);
    let mut b = DbBuilder::new();
    let langs = [
        Language::Python,
        Language::Java,
        Language::JavaScript,
        Language::Go,
    ];
    for i in 0..n {
        let id = format!("synthetic.family{}.p{i}", i % 977);
        let symbol = format!("X{i}");
        let name = format!("Synthetic pattern {i}");
        let p = Pattern {
            id: &id,
            symbol: &symbol,
            name: &name,
            group: "security",
            severity: Severity::ALL[i % 5],
            languages: vec![langs[i % 4]],
            summary: "A generated pattern for benchmarks.",
            properties: vec![Property {
                kind: PropertyKind::Security,
                text: "Generated.",
                evidence: vec![],
            }],
            cwe: vec![(i % 900) as u32 + 1],
            owasp: vec![],
            common_issues: vec![],
            alternatives: vec![],
            relations: vec![],
            references: vec![],
            matcher: Matcher::Rules(vec![RuleEntry {
                language: langs[i % 4],
                pattern: "f($X)",
                inside: vec![],
                not_inside: vec![],
                where_: vec![],
                through_locals: false,
                sources: vec![],
                sanitizers: vec![],
                propagators: vec![],
                fix: None,
                fits: vec![],
                unbounded: vec![],
                severity_without_input: None,
            }]),
            examples: vec![],
            level: Default::default(),
            context: Default::default(),
            roles: vec![],
            tags: vec![],
        };
        // Two required anchors per pattern, as a rule like `obj.method($X)` has, drawn from a
        // Zipf-distributed vocabulary of 200,000 names. One rank in a hundred (50, 150, …) is
        // a feature of the real units looked up below, so real code hits the index at every
        // popularity level; the rest are names real code does not contain.
        let mut req: Vec<u64> = (0..2)
            .map(|_| {
                let u = (rng.below(1 << 30) as f64) / (1u64 << 30) as f64;
                let k = ((u * (VOCAB as f64 + 1.0).ln()).exp() as usize)
                    .saturating_sub(1)
                    .min(VOCAB - 1);
                if k % 100 == 50 {
                    pool[(k / 100 * 7919) % pool.len()]
                } else {
                    codetable::features::name(&format!("callee_{k}"))
                }
            })
            .collect();
        req.sort_unstable();
        req.dedup();
        b.add(&p, [(langs[i % 4], MatcherKind::Rule, 0, req)])
            .unwrap();
    }
    b.finish().unwrap()
}

fn database_table(n: usize) {
    let src = corpus::python(5_000);
    let doc = Document::new(Language::Python, src.as_str()).unwrap();
    let units: Vec<Vec<u64>> = doc
        .units()
        .iter()
        .skip(1)
        .map(|u| u.fingerprint.features.to_vec())
        .collect();
    let mut pool: Vec<u64> = units.iter().flatten().copied().collect();
    pool.sort_unstable();
    pool.dedup();

    let t = Instant::now();
    let bytes = synthetic(n, &pool);
    let build = t.elapsed();
    let path = std::env::temp_dir().join(format!("codetable-bench-{}.ctdb", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let size = bytes.len();
    drop(bytes);

    let mut opens = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        black_box(PatternDb::open(&path).unwrap());
        opens.push(t.elapsed());
    }
    let (open_med, open_p99) = percentiles(opens);

    let rss_before = rss_kb();
    let db = PatternDb::open(&path).unwrap();
    let t = Instant::now();
    let first = db.candidates(Language::Python, &units[0]).unwrap().len();
    let first_lookup = t.elapsed();
    let mut times = Vec::with_capacity(10_000);
    let mut candidates = 0usize;
    for i in 0..10_000 {
        let f = &units[i % units.len()];
        let t = Instant::now();
        let c = db.candidates(Language::Python, f).unwrap();
        times.push(t.elapsed());
        candidates += c.len();
    }
    let rss_after = rss_kb();
    let (lk_med, lk_p99) = percentiles(times);
    println!("\n## Synthetic database: {n} patterns\n");
    println!("| build | file size | open median | open p99 | first lookup (checks index checksums) | lookup median | lookup p99 | candidates per unit | resident after 10,000 lookups | per 1,000 patterns |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {:.1} s | {:.1} MB | {:.1} µs | {:.1} µs | {:.1} ms | {:.1} µs | {:.1} µs | {:.2} | {:.1} MB | {:.3} MB |",
        build.as_secs_f64(),
        size as f64 / 1e6,
        us(open_med),
        us(open_p99),
        first_lookup.as_secs_f64() * 1e3,
        us(lk_med),
        us(lk_p99),
        candidates as f64 / 10_000.0,
        (rss_after.saturating_sub(rss_before)) as f64 / 1024.0,
        (rss_after.saturating_sub(rss_before)) as f64 / 1024.0 / (n as f64 / 1000.0),
    );
    let _ = first;
    std::fs::remove_file(&path).ok();
}

/// What opening costs now that opening checks everything: the embedded catalog (checked once
/// per process: the first open, then every later one) and a file of the same bytes (read into
/// memory and checked at every open).
fn open_table() {
    let t = Instant::now();
    black_box(PatternDb::default_catalog());
    let cold = t.elapsed();
    let mut warm = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        black_box(PatternDb::default_catalog());
        warm.push(t.elapsed());
    }
    let path = std::env::temp_dir().join(format!("codetable-open-{}.ctdb", std::process::id()));
    std::fs::write(&path, codetable::DEFAULT_CATALOG).unwrap();
    let mut file = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        black_box(PatternDb::open(&path).unwrap());
        file.push(t.elapsed());
    }
    std::fs::remove_file(&path).ok();
    let (warm_med, _) = percentiles(warm);
    let (file_med, file_p99) = percentiles(file);
    println!(
        "\n## Opening the default catalog ({} bytes)\n",
        codetable::DEFAULT_CATALOG.len()
    );
    println!("| embedded, first open (full check) | embedded, later opens | file open median (read + full check) | file open p99 |");
    println!("|---|---|---|---|");
    println!(
        "| {:.2} ms | {:.1} µs | {:.2} ms | {:.2} ms |",
        cold.as_secs_f64() * 1e3,
        us(warm_med),
        file_med.as_secs_f64() * 1e3,
        file_p99.as_secs_f64() * 1e3,
    );
}

fn engine_table() {
    let engine = Engine::new(PatternDb::default_catalog());
    let src = corpus::python(5_000);
    let mut times = Vec::new();
    for _ in 0..10 {
        let doc = Document::new(Language::Python, src.as_str()).unwrap();
        let t = Instant::now();
        black_box(engine.analyze(&doc).unwrap());
        times.push(t.elapsed());
    }
    let (full, _) = percentiles(times);
    let mut doc = Document::new(Language::Python, src.as_str()).unwrap();
    // A host analyses a document before it asks for deltas (`analyze_delta` is relative to
    // the matches of the last analysis, and keeps what it can of them).
    black_box(engine.analyze(&doc).unwrap());
    let mut rng = Rng(99);
    let mut edit_only = Vec::new();
    let mut with_analysis = Vec::new();
    let mut analysis_only = Vec::new();
    let mut redone = Vec::new();
    // Thread CPU time of `analyze_delta` (what a loaded machine's scheduling leaves out) and
    // how many keystrokes matched the module unit again.
    let mut analysis_cpu = Vec::new();
    let mut module_redone = 0usize;
    for _ in 0..300 {
        let mut at = rng.below(doc.text().len() as u64) as usize;
        while !doc.text().is_char_boundary(at) {
            at -= 1;
        }
        for (s, e, ins) in [(at, at, "x"), (at, at + 1, "")] {
            let t = Instant::now();
            let delta = doc.edit(s, e, ins).unwrap();
            let d1 = t.elapsed();
            let c1 = thread_cpu();
            let md = engine.analyze_delta(&doc, &delta).unwrap();
            analysis_cpu.push(thread_cpu().saturating_sub(c1));
            let d2 = t.elapsed();
            module_redone += usize::from(md.units.contains(&doc.units()[0].id));
            redone.push((
                d2 - d1,
                md.units.len(),
                format!(
                    "changed {} added {} edited {} relocated {} context {} imports {}; redone: {}",
                    delta.changed.len(),
                    delta.added.len(),
                    delta.edited.len(),
                    delta.relocated.len(),
                    delta.context_changed.len(),
                    delta.imports_changed,
                    md.units
                        .iter()
                        .take(4)
                        .filter_map(|id| doc.units().iter().find(|u| u.id == *id))
                        .map(|u| format!("{:?} {} ({} bytes)", u.kind, u.name, u.byte_range.len()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            black_box(md);
            edit_only.push(d1);
            with_analysis.push(d2);
            analysis_only.push(d2 - d1);
        }
    }
    let keystrokes = analysis_cpu.len();
    let (cm, cp) = percentiles(analysis_cpu);
    let (em, ep) = percentiles(edit_only);
    let (am, ap) = percentiles(with_analysis);
    let (om, op) = percentiles(analysis_only);
    // The same keystrokes through a host's Session (what the C ABI, Python, wasm and the language
    // server call): UTF-16 offsets, the match set kept, added/updated/removed computed.
    let mut session =
        codetable::Session::new(Language::Python, src.as_str(), codetable::OffsetUnit::Utf16)
            .unwrap();
    session.analyze(&engine).unwrap();
    let mut rng = Rng(99);
    let mut host = Vec::new();
    for _ in 0..300 {
        let mut at = rng.below(session.text().len() as u64) as usize;
        while !session.text().is_char_boundary(at) {
            at -= 1;
        }
        let at = session.to_host(at);
        for (s, e, ins) in [(at, at, "x"), (at, at + 1, "")] {
            session.edit(s, e, ins).unwrap();
            let t = Instant::now();
            black_box(session.analyze_delta(&engine).unwrap());
            host.push(t.elapsed());
        }
    }
    let (hm, hp) = percentiles(host);
    if std::env::var_os("CODETABLE_BENCH_SPLIT").is_some() {
        // Where the host path's time goes: the engine's delta, then the match set.
        let mut doc = Document::new(Language::Python, src.as_str()).unwrap();
        let mut set = codetable::MatchSet::new(engine.analyze(&doc).unwrap());
        eprintln!("matches in the file: {}", set.matches().len());
        let mut rng = Rng(99);
        let (mut eng, mut app) = (Vec::new(), Vec::new());
        for _ in 0..300 {
            let mut at = rng.below(doc.text().len() as u64) as usize;
            while !doc.text().is_char_boundary(at) {
                at -= 1;
            }
            for (s, e, ins) in [(at, at, "x"), (at, at + 1, "")] {
                let delta = doc.edit(s, e, ins).unwrap();
                let t = Instant::now();
                let md = engine.analyze_delta(&doc, &delta).unwrap();
                let t1 = t.elapsed();
                black_box(set.apply(&md));
                app.push(t.elapsed() - t1);
                eng.push(t1);
            }
        }
        eprintln!("engine {:?} apply {:?}", percentiles(eng), percentiles(app));
    }
    if std::env::var_os("CODETABLE_BENCH_VERBOSE").is_some() {
        // What re-analysing one unit costs: the module, and the most expensive other unit.
        let mut per_unit: Vec<(Duration, String)> = doc
            .units()
            .iter()
            .map(|u| {
                let t = Instant::now();
                for _ in 0..5 {
                    black_box(engine.analyze_unit(&doc, u).unwrap());
                }
                (t.elapsed() / 5, format!("{:?} {}", u.kind, u.name))
            })
            .collect();
        eprintln!("analyze_unit of the module: {:.0} µs", us(per_unit[0].0));
        per_unit.sort_by_key(|r| std::cmp::Reverse(r.0));
        for (d, what) in per_unit.iter().take(3) {
            eprintln!("analyze_unit, slowest: {:.0} µs {what}", us(*d));
        }
        redone.sort_by_key(|r| std::cmp::Reverse(r.0));
        for (d, n, what) in redone.iter().take(12) {
            eprintln!(
                "slowest analyze_delta: {:.0} µs, {n} units redone: {what}",
                us(*d)
            );
        }
    }
    println!(
        "\n## Default catalog ({} patterns) on the 5,000-line Python file\n",
        engine.db().len()
    );
    println!(
        "`analyze_delta` thread CPU time: median {:.0} µs, p99 {:.0} µs; the module unit matched again after {module_redone} of {keystrokes} keystrokes\n",
        us(cm),
        us(cp)
    );
    println!("| full analyze | keystroke: edit + delta median | p99 | analyze_delta alone median | p99 | edit + delta + analyze_delta median | p99 | Session::analyze_delta median | p99 |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {:.1} ms | {:.0} µs | {:.0} µs | {:.0} µs | {:.0} µs | {:.0} µs | {:.0} µs | {:.0} µs | {:.0} µs |",
        full.as_secs_f64() * 1e3,
        us(em),
        us(ep),
        us(om),
        us(op),
        us(am),
        us(ap),
        us(hm),
        us(hp)
    );
}

/// A fresh engine per language analyses the language's annotated suite files twice: the first
/// pass compiles every rule it reaches, the second finds them compiled.
fn first_use_table() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../patterns/tests/annotated");
    println!("\n## First use of the default catalog's rules (annotated suite files, a fresh engine per language)\n");
    println!("| language | files | engine built | first pass | second pass |");
    println!("|---|---|---|---|---|");
    for dir in ["java", "python", "javascript", "go", "kotlin", "rust"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut docs = Vec::new();
        for e in entries.flatten() {
            let p = e.path();
            let lang = p
                .extension()
                .and_then(|x| x.to_str())
                .and_then(Language::from_extension);
            if let (Some(lang), Ok(code)) = (lang, std::fs::read_to_string(&p)) {
                docs.push(Document::new(lang, code).unwrap());
            }
        }
        let t = Instant::now();
        let engine = Engine::new(PatternDb::default_catalog());
        let built = t.elapsed();
        let pass = || {
            let t = Instant::now();
            for d in &docs {
                black_box(engine.analyze(d).unwrap());
            }
            t.elapsed()
        };
        let (first, second) = (pass(), pass());
        println!(
            "| {dir} | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
            docs.len(),
            built.as_secs_f64() * 1e3,
            first.as_secs_f64() * 1e3,
            second.as_secs_f64() * 1e3
        );
    }
}

/// Every rule the index makes a candidate in each unit of the files under `dir`, timed alone
/// (`Rule::find`, less what a rule that never matches costs there: `find` walks the unit's
/// nodes, which the engine walks once per unit for all its rules), summed per pattern and
/// language, most expensive first.
fn per_rule_table(dir: &str) {
    use std::collections::HashMap;
    let engine = Engine::new(PatternDb::default_catalog());
    let db = engine.db();
    let mut paths = vec![std::path::PathBuf::from(dir)];
    let mut files = Vec::new();
    while let Some(p) = paths.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).into_iter().flatten().flatten() {
                paths.push(e.path());
            }
        } else if let Some(lang) = p
            .extension()
            .and_then(|x| x.to_str())
            .and_then(Language::from_extension)
        {
            files.push((p, lang));
        }
    }
    files.sort();
    let mut rules: HashMap<u32, Option<codetable::rule::Rule>> = HashMap::new();
    let mut floor_rules: HashMap<Language, Option<codetable::rule::Rule>> = HashMap::new();
    let mut cost: HashMap<(u32, Language), (Duration, u64, u64)> = HashMap::new();
    let mut total = Duration::ZERO;
    // What `Rule::find` costs in a unit before any matching (the walk of the unit's nodes), taken
    // off each rule's time: a rule that never matches, whose root kind is the call.
    let mut floor_per_unit: HashMap<(usize, usize), Duration> = HashMap::new();
    for (fi, (path, lang)) in files.iter().enumerate() {
        let Ok(code) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(doc) = Document::new(*lang, code) else {
            continue;
        };
        let Some(floor) = floor_rules
            .entry(*lang)
            .or_insert_with(|| {
                let spec = codetable::rule::RuleSpec {
                    pattern: "zz_never_called_zz($X)".into(),
                    ..Default::default()
                };
                codetable::rule::Rule::compile(*lang, &spec).ok()
            })
            .clone()
        else {
            continue;
        };
        for (ui, unit) in doc.units().iter().enumerate() {
            let t = Instant::now();
            for _ in 0..3 {
                black_box(floor.find(&doc, unit));
            }
            floor_per_unit.insert((fi, ui), t.elapsed() / 3);
        }
    }
    for (fi, (path, lang)) in files.iter().enumerate() {
        let Ok(code) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(doc) = Document::new(*lang, code) else {
            continue;
        };
        for (ui, unit) in doc.units().iter().enumerate() {
            let floor = floor_per_unit.get(&(fi, ui)).copied().unwrap_or_default();
            let Ok(cands) = db.candidates(*lang, &unit.fingerprint.features) else {
                continue;
            };
            for info in cands {
                if info.matcher != MatcherKind::Rule {
                    continue;
                }
                let rule = rules.entry(info.entry).or_insert_with(|| {
                    let p = db.pattern(info.pattern).ok()?;
                    let Matcher::Rules(rs) = &p.matcher else {
                        return None;
                    };
                    let r = rs.get(info.rule as usize)?;
                    codetable::rule::Rule::compile(info.language, &r.spec()).ok()
                });
                let Some(rule) = rule else {
                    continue;
                };
                let t = Instant::now();
                let found = black_box(rule.find(&doc, unit)).len();
                let d = t.elapsed().saturating_sub(floor);
                total += d;
                let c = cost.entry((info.pattern, info.language)).or_default();
                c.0 += d;
                c.1 += 1;
                c.2 += found as u64;
            }
        }
    }
    let mut rows: Vec<_> = cost.into_iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1 .0));
    println!(
        "\n## Rules by time on {dir} ({} files, {:.2} s in all)\n",
        files.len(),
        total.as_secs_f64()
    );
    println!("| pattern | language | time | share | units tried | matches |");
    println!("|---|---|---|---|---|---|");
    for ((n, lang), (d, tried, found)) in rows.iter().take(25) {
        let id = db.pattern(*n).map(|p| p.id.to_string()).unwrap_or_default();
        println!(
            "| {id} | {lang} | {:.3} s | {:.1}% | {tried} | {found} |",
            d.as_secs_f64(),
            100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-9)
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(dir) = args
        .iter()
        .position(|a| a == "--per-rule")
        .and_then(|i| args.get(i + 1))
    {
        per_rule_table(dir);
        return;
    }
    if args.iter().any(|a| a == "--first-use") {
        first_use_table();
        return;
    }
    let n = args
        .iter()
        .position(|a| a == "--patterns")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    if args.iter().any(|a| a == "--analyze-loop") {
        // For profilers: full analyses of the 5k-line file and nothing else.
        let engine = Engine::new(PatternDb::default_catalog());
        let doc = Document::new(Language::Python, corpus::python(5_000)).unwrap();
        for _ in 0..40 {
            black_box(engine.analyze(&doc).unwrap());
        }
        return;
    }
    if args.iter().any(|a| a == "--open-only") {
        open_table();
        return;
    }
    engine_table();
    if !args.iter().any(|a| a == "--engine-only") {
        database_table(n);
    }
}

/// CPU time of the calling thread (what the scheduler gave it, not the wall clock).
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant Linux supports.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
