//! The keystroke loop of `benches/db.rs` (`engine_table`): on the 5,000-line Python corpus, 300
//! random positions, each a keystroke typing `x` then one deleting it; each keystroke is
//! `Document::edit` + `Engine::analyze_delta`. Writes the corpus and the edit script for the
//! Kotlin (JNA) and C loops to replay, then times the loop in Rust.
//!
//! `codetable-kotlin-bench OUT_DIR [ROUNDS]`: ROUNDS passes over the script are measured, after a
//! warm-up of its first 100 edits (50 insert/delete pairs: the text is restored).

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use codetable::{Document, Engine, Language, PatternDb};

#[path = "../../../../benches/corpus.rs"]
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = std::path::PathBuf::from(args.get(1).expect("usage: codetable-kotlin-bench OUT_DIR [ROUNDS]"));
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let src = corpus::python(5_000);
    assert!(src.is_ascii(), "the script's byte offsets are UTF-16 offsets only for ASCII text");

    // The edit script: (start, end, text), in offsets of the text at that step.
    let mut script = Vec::new();
    {
        let len = src.len();
        let mut rng = Rng(99);
        for _ in 0..300 {
            let at = rng.below(len as u64) as usize;
            script.push((at, at, "x"));
            script.push((at, at + 1, ""));
        }
    }
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("corpus.py"), &src).unwrap();
    let mut s = String::new();
    for (a, b, t) in &script {
        writeln!(s, "{a}\t{b}\t{t}").unwrap();
    }
    std::fs::write(out.join("edits.tsv"), s).unwrap();

    let engine = Engine::new(PatternDb::default_catalog());
    let mut doc = Document::new(Language::Python, src.as_str()).unwrap();
    black_box(engine.analyze(&doc).unwrap());
    for (a, b, t) in &script[..100] {
        let delta = doc.edit(*a, *b, t).unwrap();
        black_box(engine.analyze_delta(&doc, &delta).unwrap());
    }
    let mut times = Vec::new();
    for _ in 0..rounds {
        for (a, b, t) in &script {
            let t0 = Instant::now();
            let delta = doc.edit(*a, *b, t).unwrap();
            let md = engine.analyze_delta(&doc, &delta).unwrap();
            let dt = t0.elapsed();
            black_box(md);
            times.push(dt);
        }
    }
    assert_eq!(doc.text(), src, "every keystroke pair restores the text");
    report("rust", times);
}

fn report(name: &str, mut v: Vec<Duration>) {
    let total: Duration = v.iter().sum();
    v.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{name}: keystrokes={} median_us={:.1} p99_us={:.1} mean_us={:.1}",
        v.len(),
        us(v[v.len() / 2]),
        us(v[(v.len() * 99 / 100).min(v.len() - 1)]),
        us(total) / v.len() as f64
    );
}
