//! Helpers shared by the integration tests that edit documents at generated positions.

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
