//! Keystroke and throughput benchmarks for the core engine (issue: core engine part 1).
//!
//! (a) One-character inserts and deletes at random positions in a generated 5,000-line Python
//!     file and 10,000-line Java file: `Document::edit` (reparse + fingerprints + delta) against
//!     `Document::new` from scratch and against tree-sitter's own edit + incremental reparse of
//!     the same edit (the floor). Median and p99 per keystroke, and their ratios.
//! (b) Fingerprinting throughput: `Document::new` (parse + units + fingerprints) against
//!     tree-sitter parsing alone, in MB/s.
//! (c) The project model's update after each keystroke (`Project::set_document`), median and p99.
//!
//! Run: `cargo bench -p codetable --bench edit` (`-- --model-only` prints table (c) alone). The percentile table is printed first; the
//! criterion groups follow. Figures are recorded in benches/README.md.

#![allow(missing_docs)] // criterion_group! generates an undocumented function.

use std::hint::black_box;
use std::time::{Duration, Instant};

use codetable::{Document, Language};
use criterion::{criterion_group, Criterion, Throughput};
use tree_sitter::{InputEdit, Parser, Point};

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
}

fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let col = offset
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
    Point { row, column: col }
}

/// Keystrokes: alternately insert `x` at a random ASCII position and delete it again, so the
/// file stays the same size. Each element is (start, old_end, inserted text).
fn keystrokes(text: &str, n: usize, seed: u64) -> Vec<(usize, usize, &'static str)> {
    let mut rng = Rng(seed);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let at = (rng.next() % text.len() as u64) as usize;
        if !text.is_char_boundary(at) {
            continue;
        }
        out.push((at, at, "x"));
        out.push((at, at + 1, ""));
    }
    out
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    let med = v[v.len() / 2];
    let p99 = v[(v.len() * 99 / 100).min(v.len() - 1)];
    (med, p99)
}

fn floor_times(lang: Language, src: &str, keys: &[(usize, usize, &str)]) -> Vec<Duration> {
    let mut parser = Parser::new();
    parser.set_language(&lang.grammar()).unwrap();
    let mut text = src.to_string();
    let mut tree = parser.parse(&text, None).unwrap();
    let mut out = Vec::with_capacity(keys.len());
    for &(s, e, ins) in keys {
        let t = Instant::now();
        let sp = point_at(&text, s);
        let ep = point_at(&text, e);
        text.replace_range(s..e, ins);
        let np = Point {
            row: sp.row,
            column: sp.column + ins.len(),
        };
        tree.edit(&InputEdit {
            start_byte: s,
            old_end_byte: e,
            new_end_byte: s + ins.len(),
            start_position: sp,
            old_end_position: ep,
            new_end_position: np,
        });
        tree = parser.parse(&text, Some(&tree)).unwrap();
        out.push(t.elapsed());
        black_box(&tree);
    }
    out
}

fn incremental_times(lang: Language, src: &str, keys: &[(usize, usize, &str)]) -> Vec<Duration> {
    let mut doc = Document::new(lang, src).unwrap();
    keys.iter()
        .map(|&(s, e, ins)| {
            let t = Instant::now();
            let delta = doc.edit(s, e, ins).unwrap();
            let d = t.elapsed();
            black_box(delta);
            d
        })
        .collect()
}

fn scratch_times(lang: Language, src: &str, keys: &[(usize, usize, &str)]) -> Vec<Duration> {
    let mut text = src.to_string();
    keys.iter()
        .map(|&(s, e, ins)| {
            text.replace_range(s..e, ins);
            let t = Instant::now();
            let doc = Document::new(lang, text.as_str()).unwrap();
            let d = t.elapsed();
            black_box(doc);
            d
        })
        .collect()
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn keystroke_table() {
    let files = [
        (
            "python, 5,000 lines",
            Language::Python,
            corpus::python(5_000),
            600,
        ),
        (
            "java, 10,000 lines",
            Language::Java,
            corpus::java(10_000),
            600,
        ),
    ];
    println!("\n## Keystroke edit + delta (µs per keystroke)\n");
    println!("| file | floor median | floor p99 | incremental median | incremental p99 | scratch median | incr/floor (median) | incr/floor (p99) | scratch/incr |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, lang, src, n) in files {
        let keys = keystrokes(&src, n, 0x9e37_79b9);
        // Warm-up, then interleave runs so drift affects all three alike.
        let _ = incremental_times(lang, &src, &keys[..40]);
        let (fm, fp) = percentiles(floor_times(lang, &src, &keys));
        let (im, ip) = percentiles(incremental_times(lang, &src, &keys));
        let (sm, _) = percentiles(scratch_times(lang, &src, &keys[..60]));
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2}× | {:.2}× | {:.1}× |",
            us(fm),
            us(fp),
            us(im),
            us(ip),
            us(sm),
            us(im) / us(fm),
            us(ip) / us(fp),
            us(sm) / us(im)
        );
    }
}

/// The project model's update after each keystroke: `Project::set_document` of the edited
/// document (the top-level declarations whose text changed are read again, the others reused),
/// against the document edit itself and against a full extraction of the edited document
/// (`project::extract`, what the update cost before it reused declarations), in the same run.
fn model_table() {
    use codetable::project::Project;
    let files = [
        (
            "python, 5,000 lines",
            Language::Python,
            corpus::python(5_000),
            400,
        ),
        (
            "java, 10,000 lines",
            Language::Java,
            corpus::java(10_000),
            400,
        ),
    ];
    println!("\n## Project model update after a keystroke (µs)\n");
    println!(
        "| file | edit median | model update median | model update p99 | model/edit (median) | full extraction median | update/full (median) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, lang, src, n) in files {
        let keys = keystrokes(&src, n, 0x51_7cc1);
        let mut doc = Document::new(lang, src.as_str()).unwrap();
        let mut project = Project::new();
        project.set_document("f", &doc);
        let mut edits = Vec::with_capacity(keys.len());
        let mut models = Vec::with_capacity(keys.len());
        let mut fulls = Vec::with_capacity(keys.len());
        for &(s, e, ins) in &keys {
            let t = Instant::now();
            black_box(doc.edit(s, e, ins).unwrap());
            edits.push(t.elapsed());
            let t = Instant::now();
            project.set_document("f", &doc);
            models.push(t.elapsed());
            let t = Instant::now();
            black_box(codetable::project::extract(&doc));
            fulls.push(t.elapsed());
        }
        black_box(&project);
        let (em, _) = percentiles(edits);
        let (mm, mp) = percentiles(models);
        let (xm, _) = percentiles(fulls);
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} | {:.2}× | {:.0} | {:.3}× |",
            us(em),
            us(mm),
            us(mp),
            us(mm) / us(em),
            us(xm),
            us(mm) / us(xm)
        );
    }
}

fn throughput_table() {
    println!("\n## Fingerprinting throughput (whole file)\n");
    println!("| file | size | parse only | parse + units + fingerprints | ratio |");
    println!("|---|---|---|---|---|");
    for (name, lang, src) in [
        (
            "python, 5,000 lines",
            Language::Python,
            corpus::python(5_000),
        ),
        ("java, 10,000 lines", Language::Java, corpus::java(10_000)),
    ] {
        let mut parser = Parser::new();
        parser.set_language(&lang.grammar()).unwrap();
        let runs = 15;
        let mut parse = Vec::new();
        let mut full = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            black_box(parser.parse(&src, None).unwrap());
            parse.push(t.elapsed());
            let t = Instant::now();
            black_box(Document::new(lang, src.as_str()).unwrap());
            full.push(t.elapsed());
        }
        let (pm, _) = percentiles(parse);
        let (fm, _) = percentiles(full);
        let mb = src.len() as f64 / 1e6;
        println!(
            "| {name} | {:.0} KB | {:.1} ms ({:.1} MB/s) | {:.1} ms ({:.1} MB/s) | {:.2}× |",
            src.len() as f64 / 1e3,
            pm.as_secs_f64() * 1e3,
            mb / pm.as_secs_f64(),
            fm.as_secs_f64() * 1e3,
            mb / fm.as_secs_f64(),
            fm.as_secs_f64() / pm.as_secs_f64()
        );
    }
}

fn criterion_benches(c: &mut Criterion) {
    let src = corpus::python(5_000);
    let mut g = c.benchmark_group("python-5k");
    g.throughput(Throughput::Bytes(src.len() as u64));
    g.bench_function("parse only", |b| {
        let mut parser = Parser::new();
        parser.set_language(&Language::Python.grammar()).unwrap();
        b.iter(|| parser.parse(&src, None).unwrap())
    });
    g.bench_function("Document::new", |b| {
        b.iter(|| Document::new(Language::Python, src.as_str()).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("python-5k-keystroke");
    let keys = keystrokes(&src, 2_000, 7);
    g.bench_function("Document::edit", |b| {
        let mut doc = Document::new(Language::Python, src.as_str()).unwrap();
        let mut i = 0;
        b.iter(|| {
            let (s, e, ins) = keys[i % keys.len()];
            i += 1;
            doc.edit(s, e, ins).unwrap()
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = criterion_benches
}

fn main() {
    if std::env::args().any(|a| a == "--model-only") {
        model_table();
        return;
    }
    keystroke_table();
    model_table();
    throughput_table();
    if std::env::args().any(|a| a == "--tables-only") {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
