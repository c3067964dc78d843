//! The C API called from Rust threads: shared engines, a document freed while other threads use
//! it, handles that never come back to life. (The C test in `tests/c/` covers every function
//! under valgrind; this module covers what is awkward in C: many threads racing.) It lives in the
//! library rather than `tests/` because the crate builds no rlib: an rlib named `codetable`
//! would collide with core's in `target/`.

use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::analysis::*;
use crate::db::*;
use crate::document::*;
use crate::engine::*;
use crate::results::*;
use crate::status::*;

const SOURCE: &str =
    "# 日本 😀\nimport hashlib\n\ndef key(data):\n    return hashlib.md5(data).hexdigest()\n";

fn empty_matches() -> codetable_matches {
    codetable_matches {
        items: null(),
        len: 0,
    }
}

fn new_engine() -> (*mut codetable_db, *mut codetable_engine) {
    let mut db = null_mut();
    let mut engine = null_mut();
    unsafe {
        assert_eq!(codetable_db_default(&mut db), codetable_status::Ok);
        assert_eq!(codetable_engine_new(db, &mut engine), codetable_status::Ok);
    }
    (db, engine)
}

fn new_document(text: &str) -> *mut codetable_document {
    let mut doc = null_mut();
    let lang = "python";
    let status = unsafe {
        codetable_document_new(
            lang.as_ptr(),
            lang.len() as u64,
            text.as_ptr(),
            text.len() as u64,
            &mut doc,
        )
    };
    assert_eq!(status, codetable_status::Ok);
    doc
}

fn analyze(engine: *const codetable_engine, doc: *mut codetable_document) -> Vec<(u32, u64, u64)> {
    let mut m = empty_matches();
    assert_eq!(
        unsafe { codetable_engine_analyze(engine, doc, &mut m) },
        codetable_status::Ok
    );
    let items = if m.items.is_null() {
        &[][..]
    } else {
        unsafe { std::slice::from_raw_parts(m.items, m.len as usize) }
    };
    let out = items
        .iter()
        .map(|m| (m.pattern, m.range.start_utf16, m.range.end_utf16))
        .collect();
    assert_eq!(
        unsafe { codetable_matches_free(&mut m) },
        codetable_status::Ok
    );
    out
}

#[test]
fn one_engine_many_threads() {
    let (db, engine) = new_engine();
    let (db_addr, engine_addr) = (db as usize, engine as usize);
    let expected = {
        let doc = new_document(SOURCE);
        let m = analyze(engine, doc);
        unsafe { codetable_document_free(doc) };
        m
    };
    assert!(!expected.is_empty());
    // UTF-16 offsets, not bytes: "# 日本 😀\n" is 8 code units and 12 bytes.
    let md5 = SOURCE.find("hashlib.md5").unwrap();
    let utf16: u64 = SOURCE[..md5].encode_utf16().count() as u64;
    assert!(expected.iter().any(|&(_, start, _)| start == utf16));
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                let engine = engine_addr as *mut codetable_engine;
                for _ in 0..10 {
                    let doc = new_document(SOURCE);
                    assert_eq!(analyze(engine, doc), expected);
                    assert_eq!(
                        unsafe { codetable_document_free(doc) },
                        codetable_status::Ok
                    );
                }
            });
        }
    });
    unsafe {
        assert_eq!(
            codetable_engine_free(engine_addr as *mut _),
            codetable_status::Ok
        );
        assert_eq!(codetable_db_free(db_addr as *mut _), codetable_status::Ok);
    }
}

#[test]
fn freeing_a_document_while_other_threads_use_it_is_safe() {
    let (db, engine) = new_engine();
    let doc = new_document(SOURCE);
    let (engine_addr, doc_addr) = (engine as usize, doc as usize);
    let done_ok = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for t in 0..4 {
            let done_ok = &done_ok;
            s.spawn(move || {
                let engine = engine_addr as *mut codetable_engine;
                let doc = doc_addr as *mut codetable_document;
                // Each thread uses the document until it sees it freed.
                for i in 0.. {
                    assert!(i < 1_000_000, "the document was never freed");
                    let status = if (t + i) % 2 == 0 {
                        let mut d = codetable_match_delta {
                            added: empty_matches(),
                            updated: empty_matches(),
                            removed: null(),
                            removed_len: 0,
                            removed_matches: empty_matches(),
                        };
                        let st = unsafe { codetable_engine_analyze_delta(engine, doc, &mut d) };
                        assert_eq!(
                            unsafe { codetable_match_delta_free(&mut d) },
                            codetable_status::Ok
                        );
                        st
                    } else {
                        let text = "# x\n";
                        unsafe {
                            codetable_document_edit(doc, 0, 0, text.as_ptr(), text.len() as u64)
                        }
                    };
                    match status {
                        codetable_status::Ok => {
                            done_ok.fetch_add(1, Ordering::Relaxed);
                        }
                        codetable_status::InvalidHandle => break,
                        other => panic!("unexpected status {other:?}"),
                    }
                }
            });
        }
        // Free while the threads are busy with it.
        while done_ok.load(Ordering::Relaxed) < 40 {
            std::thread::yield_now();
        }
        assert_eq!(
            unsafe { codetable_document_free(doc) },
            codetable_status::Ok
        );
    });
    unsafe {
        assert_eq!(
            codetable_document_free(doc),
            codetable_status::InvalidHandle
        );
        codetable_engine_free(engine);
        codetable_db_free(db);
    }
}

#[test]
fn handles_are_never_reused() {
    let (db, engine) = new_engine();
    let first = new_document("x = 1\n");
    unsafe { codetable_document_free(first) };
    for _ in 0..100 {
        let doc = new_document("y = 2\n");
        assert_ne!(doc, first);
        unsafe { codetable_document_free(doc) };
    }
    let (mut text, mut len) = (null(), 0u64);
    unsafe {
        assert_eq!(
            codetable_document_text(first, &mut text, &mut len),
            codetable_status::InvalidHandle
        );
        // A handle of one kind is never accepted as another.
        assert_eq!(
            codetable_document_text(engine as *const codetable_document, &mut text, &mut len),
            codetable_status::InvalidHandle
        );
        codetable_engine_free(engine);
        codetable_db_free(db);
    }
}
