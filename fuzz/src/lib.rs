//! The fuzz targets of codetable, as plain functions over bytes: `fuzz/libfuzzer` wraps each in
//! a cargo-fuzz target (nightly, `make fuzz`), and `tests/smoke.rs` runs each for a few seconds
//! on the stable toolchain over mutated seeds (`make test`). A target fails by panicking: every
//! input must give a typed error or a result, and the incremental analysis must agree with a
//! fresh one. This crate owns the targets and the seed mutator; it adds no API to codetable.

use std::sync::OnceLock;

use codetable::{Engine, Language, OffsetUnit, PatternDb, Session};

/// Section table and footer geometry of the database format (see `core/src/db/format.rs`).
const SECTIONS: usize = 8;
const TABLE: usize = 32;
const FOOTER: usize = 56;

/// Recomputes the section and header checksums of database bytes, so that mutations reach the
/// structure behind them. Bytes too short or with a table pointing outside are left alone.
pub fn reseal(b: &mut [u8]) {
    if b.len() < TABLE + SECTIONS * 24 + FOOTER {
        return;
    }
    let footer = b.len() - FOOTER;
    for i in 0..SECTIONS {
        let at = TABLE + i * 24;
        let word = |o: usize| u64::from_le_bytes(b[at + o..at + o + 8].try_into().unwrap());
        let (off, len) = (word(8) as usize, word(16) as usize);
        let Some(bytes) = off.checked_add(len).and_then(|end| b.get(off..end)) else {
            continue;
        };
        let crc = crc32fast::hash(bytes);
        b[footer + i * 4..footer + i * 4 + 4].copy_from_slice(&crc.to_le_bytes());
    }
    let crc = crc32fast::hash(&b[..TABLE + SECTIONS * 24]);
    let at = b.len() - 24;
    b[at..at + 4].copy_from_slice(&crc.to_le_bytes());
}

/// Database bytes: opening, every reader and an analysis never panic. Inputs whose first byte
/// is odd are resealed first (checksums recomputed), the rest are taken as they are.
pub fn database(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut bytes = rest.to_vec();
    if mode & 1 == 1 {
        reseal(&mut bytes);
    }
    let Ok(db) = PatternDb::from_bytes(bytes) else {
        return;
    };
    // A database that opened must answer every reader without an error.
    for n in 0..db.len() as u32 {
        db.pattern(n)
            .expect("an opened database reads every record");
    }
    for q in ["s", "security.weak", "Md", "md5 hash", ""] {
        db.search(q).expect("search");
        db.find(q).expect("find");
    }
    db.info().expect("info");
    db.verify().expect("an opened database verifies");
    let engine = Engine::new(db);
    for (language, text) in [
        (
            Language::Python,
            "import hashlib\n# caf\u{e9}\nhashlib.md5(b'x')\n",
        ),
        (
            Language::Java,
            "class A { void f() throws Exception { Runtime.getRuntime().exec(\"ls\"); } }\n",
        ),
    ] {
        let doc = codetable::Document::new(language, text).expect("document");
        engine.analyze(&doc).expect("an opened database analyses");
    }
}

/// Catalog TOML: loading, building and opening the built database never panic, and a catalog
/// that loads builds a database that opens.
pub fn catalog_toml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(catalog) = codetable::catalog::Catalog::from_sources([("fuzz.toml", text.as_ref())])
    else {
        return;
    };
    if let Ok(bytes) = codetable::build_database(&catalog) {
        PatternDb::from_bytes(bytes).expect("a built database opens");
    }
}

/// Rule templates: compiling a rule from TOML fields and running it on source text never
/// panics. Input: language byte, then `pattern`, `inside`, source separated by `\0`.
pub fn rule_template(data: &[u8]) {
    let Some((&l, rest)) = data.split_first() else {
        return;
    };
    let language = Language::ALL[l as usize % Language::ALL.len()];
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.splitn(3, '\0');
    let pattern = parts.next().unwrap_or_default().to_string();
    let inside = parts.next().unwrap_or_default();
    let source = parts.next().unwrap_or_default();
    let spec = codetable::rule::RuleSpec {
        pattern,
        inside: if inside.is_empty() {
            Vec::new()
        } else {
            vec![inside.to_string()]
        },
        not_inside: Vec::new(),
        where_: Vec::new(),
        through_locals: l & 0x80 != 0,
        // Half the inputs are taint rules: the fuzzed template is then the sink, fed by every
        // parameter and the language's input APIs.
        sources: if l & 0x40 != 0 {
            vec!["@params".to_string(), "@input".to_string()]
        } else {
            Vec::new()
        },
        sanitizers: Vec::new(),
        propagators: Vec::new(),
        fix: None,
        ..Default::default()
    };
    let Ok(rule) = codetable::rule::Rule::compile(language, &spec) else {
        return;
    };
    let Ok(doc) = codetable::Document::new(language, source) else {
        return;
    };
    for unit in doc.units() {
        let _ = rule.find(&doc, unit);
    }
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(PatternDb::default_catalog()))
}

/// Builds the default engine and analyses every example of the catalog, so that the one-time
/// cost (each pattern's rules are compiled when a unit first reaches them) is not charged to
/// the first inputs of `edits` (a 30-minute run reported a seed input of 39 s under the
/// sanitizer, 23 ms when run again: the Java rules it reached were compiled on the way).
pub fn warm() {
    let db = PatternDb::default_catalog();
    for n in 0..db.len() as u32 {
        let Ok(pattern) = db.pattern(n) else { continue };
        for ex in pattern.examples {
            if let Ok(doc) = codetable::Document::new(ex.language, ex.code) {
                let _ = engine().analyze(&doc);
            }
        }
    }
}

/// Source text per language with random edits through `Session::edit`: after each
/// `analyze_delta`, the session's matches are exactly those of a fresh analysis. Input:
/// language byte, text length byte, text, then edits of (start, deleted, inserted length, text).
pub fn edits(data: &[u8]) {
    let [l, n, rest @ ..] = data else {
        return;
    };
    let language = Language::ALL[*l as usize % Language::ALL.len()];
    let n = (*n as usize * 4).min(rest.len());
    let text = String::from_utf8_lossy(&rest[..n]).into_owned();
    let Ok(mut session) = Session::new(language, text, OffsetUnit::Byte) else {
        return;
    };
    let engine = engine();
    if session.analyze(engine).is_err() {
        return;
    }
    let mut ops = &rest[n..];
    while let [a, d, k, tail @ ..] = ops {
        let k = (*k as usize % 16).min(tail.len());
        let insert = String::from_utf8_lossy(&tail[..k]).into_owned();
        ops = &tail[k..];
        let len = session.text().len();
        let start = (*a as usize * len / 255).min(len);
        let end = (start + *d as usize % 32).min(len);
        if session.edit(start, end, &insert).is_err() {
            continue; // not on a character boundary: a typed error, nothing changed
        }
        // The memory budget's token count, kept through edits, equals a recount.
        let text = session.text().as_bytes();
        assert_eq!(
            session.document().tokens(),
            codetable::budget::token_starts(text, 0, text.len()),
            "token count drifted on {:?}",
            session.text()
        );
        session.analyze_delta(engine).expect("analyze_delta");
        let fresh = engine.analyze(session.document()).expect("analyze");
        let key = |m: &codetable::Match| {
            let ranges: Vec<(usize, usize)> = m
                .captures
                .iter()
                .map(|c| (c.byte_range.start, c.byte_range.end))
                .collect();
            (m.pattern, m.byte_range.start, m.byte_range.end, ranges)
        };
        let mut held: Vec<_> = session
            .matches()
            .expect("matches")
            .expect("analysed")
            .iter()
            .map(key)
            .collect();
        let mut want: Vec<_> = fresh.iter().map(key).collect();
        held.sort();
        want.sort();
        assert_eq!(
            held,
            want,
            "analyze_delta disagrees with analyze on {:?}",
            session.text()
        );
    }
}

/// A small deterministic generator for the stable harness.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits (xorshift*).
    pub fn bits(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.bits() % n as u64) as usize
    }
}

/// A mutation of `seed` (bit flips, byte sets, interesting values, deletions, insertions,
/// duplications, splices with `other`), as a fuzzer's first stage would make.
pub fn mutate(seed: &[u8], other: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        if v.is_empty() {
            v.push(rng.bits() as u8);
            continue;
        }
        let at = rng.below(v.len());
        match rng.below(7) {
            0 => v[at] ^= 1 << rng.below(8),
            1 => v[at] = rng.bits() as u8,
            2 => v[at] = [0, 0xff, 0x7f, 0x80, b'$', b'\n', b'"'][rng.below(7)],
            3 => {
                let end = (at + 1 + rng.below(16)).min(v.len());
                v.drain(at..end);
            }
            4 => {
                let n = rng.below(8) + 1;
                let bytes: Vec<u8> = (0..n).map(|_| rng.bits() as u8).collect();
                v.splice(at..at, bytes);
            }
            5 => {
                let end = (at + 1 + rng.below(32)).min(v.len());
                let chunk = v[at..end].to_vec();
                let to = rng.below(v.len() + 1);
                v.splice(to..to, chunk);
            }
            _ if !other.is_empty() => {
                let from = rng.below(other.len());
                let end = (from + 1 + rng.below(64)).min(other.len());
                let to = rng.below(v.len() + 1);
                v.splice(to..to, other[from..end].iter().copied());
            }
            _ => v.truncate(at),
        }
    }
    v
}
