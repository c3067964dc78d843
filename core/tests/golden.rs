//! Golden fingerprints: the hashes of the fixtures' units are pinned, because pattern databases
//! store them. They must not change across runs, platforms or pointer widths; when a change is
//! intended (a new format version), regenerate with `UPDATE_GOLDEN=1 cargo test --test golden`.

use std::fmt::Write;

use codetable::{Document, Language};

const FIXTURES: &[(Language, &str, &str)] = &[
    (
        Language::Python,
        "sample.py",
        include_str!("fixtures/sample.py"),
    ),
    (
        Language::JavaScript,
        "sample.js",
        include_str!("fixtures/sample.js"),
    ),
    (
        Language::TypeScript,
        "sample.ts",
        include_str!("fixtures/sample.ts"),
    ),
    (
        Language::Tsx,
        "sample.tsx",
        include_str!("fixtures/sample.tsx"),
    ),
    (
        Language::Java,
        "Sample.java",
        include_str!("fixtures/Sample.java"),
    ),
    (
        Language::Kotlin,
        "sample.kt",
        include_str!("fixtures/sample.kt"),
    ),
    (
        Language::Go,
        "sample.go",
        include_str!("fixtures/sample.go"),
    ),
    (
        Language::Rust,
        "sample.rs",
        include_str!("fixtures/sample.rs"),
    ),
    (Language::C, "sample.c", include_str!("fixtures/sample.c")),
    (
        Language::Cpp,
        "sample.cpp",
        include_str!("fixtures/sample.cpp"),
    ),
];

/// FNV-1a over the little-endian bytes of the sorted features: a compact pin of the whole set.
fn digest(features: &[u64]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in features {
        for b in f.to_le_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

fn render() -> String {
    let mut out = String::new();
    for (lang, file, src) in FIXTURES {
        let doc = Document::new(*lang, *src).unwrap();
        for u in doc.units() {
            let name = if u.qualified_name.is_empty() {
                "<module>"
            } else {
                &u.qualified_name
            };
            writeln!(
                out,
                "{file} {} {name} hash={:016x} features={} digest={:016x}",
                u.kind,
                u.fingerprint.hash,
                u.fingerprint.features.len(),
                digest(&u.fingerprint.features)
            )
            .unwrap();
        }
    }
    out
}

#[test]
fn fingerprints_are_pinned() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/fingerprints.txt");
    let got = render();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &got).unwrap();
        return;
    }
    let want =
        std::fs::read_to_string(path).expect("golden file exists (UPDATE_GOLDEN=1 creates it)");
    for (g, w) in got.lines().zip(want.lines()) {
        assert_eq!(g, w, "fingerprint changed");
    }
    assert_eq!(got.lines().count(), want.lines().count());
}

#[test]
fn feature_sets_are_sorted_and_deduplicated() {
    for (lang, _, src) in FIXTURES {
        let doc = Document::new(*lang, *src).unwrap();
        for u in doc.units() {
            assert!(
                u.fingerprint.features.windows(2).all(|w| w[0] < w[1]),
                "{lang} {}",
                u.qualified_name
            );
            assert!(!u.fingerprint.features.is_empty());
        }
    }
}
