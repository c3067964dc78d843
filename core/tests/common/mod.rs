//! Helpers shared by the integration tests: edits at generated positions, and an engine over the
//! catalog as it stands in `patterns/`.

#![allow(dead_code)]

use codetable::{Delta, Document};

/// `at` clamped to the text and moved back to a character boundary.
pub fn snap(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Replaces up to `del` bytes at relative position `pos` (0.0–1.0) of `doc`'s text with
/// `insert`, both ends snapped to character boundaries.
pub fn edit_at(doc: &mut Document, pos: f64, del: usize, insert: &str) -> Delta {
    let text = doc.text();
    let start = snap(text, (pos * text.len() as f64) as usize);
    let end = snap(text, start + del).max(start);
    doc.edit(start, end, insert).unwrap()
}

/// An engine over the catalog as it is in `patterns/` (compiled once per test binary), so that a
/// test of a pattern change runs before `make catalog` rebuilds the embedded database.
#[cfg(feature = "catalog")]
pub fn patterns_engine() -> codetable::Engine {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let bytes = BYTES.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../patterns");
        let catalog = codetable::catalog::Catalog::load_dir(&root).expect("the catalog loads");
        codetable::build_database(&catalog).expect("the catalog compiles")
    });
    codetable::Engine::new(codetable::PatternDb::from_bytes(bytes.clone()).expect("opens"))
}
