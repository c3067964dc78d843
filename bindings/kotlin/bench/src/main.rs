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

/// CPU time of the calling thread (Linux `CLOCK_THREAD_CPUTIME_ID`): unlike wall time, it does not
/// count the time other processes hold the CPU, so runs on a loaded machine stay comparable.
fn thread_cpu() -> Duration {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; clock 3 is CLOCK_THREAD_CPUTIME_ID on Linux.
    let rc = unsafe { clock_gettime(3, &mut ts) };
    assert_eq!(rc, 0);
    Duration::new(ts.sec as u64, ts.nsec as u32)
}

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
    let (mut times, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        for (a, b, t) in &script {
            let (t0, c0) = (Instant::now(), thread_cpu());
            let delta = doc.edit(*a, *b, t).unwrap();
            let md = engine.analyze_delta(&doc, &delta).unwrap();
            let (dt, dc) = (t0.elapsed(), thread_cpu() - c0);
            black_box(md);
            times.push(dt);
            cpu.push(dc);
        }
    }
    assert_eq!(doc.text(), src, "every keystroke pair restores the text");
    report("rust", times, cpu);
}

fn report(name: &str, wall: Vec<Duration>, cpu: Vec<Duration>) {
    let stats = |mut v: Vec<Duration>| {
        let total: Duration = v.iter().sum();
        v.sort();
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        let p99 = v[(v.len() * 99 / 100).min(v.len() - 1)];
        (us(v[v.len() / 2]), us(p99), us(total) / v.len() as f64)
    };
    let n = wall.len();
    let (wm, wp, wa) = stats(wall);
    let (cm, cp, ca) = stats(cpu);
    println!(
        "{name}: keystrokes={n} median_us={wm:.1} p99_us={wp:.1} mean_us={wa:.1} cpu_median_us={cm:.1} cpu_p99_us={cp:.1} cpu_mean_us={ca:.1}"
    );
}
