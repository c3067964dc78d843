//! What an engine finds in a document, through the document's session (core's one contract):
//! a whole analysis, the delta since the last one (added, updated, removed), the matches the
//! document holds, and those matches as core's finding records (JSON Lines). This module only
//! translates: the session decides what changed and keeps the matches.

use engine_core::view;

use crate::args;
use crate::document::{self, codetable_document};
use crate::engine::codetable_engine;
use crate::handles;
use crate::results::{self, codetable_match_delta, codetable_matches, codetable_string};
use crate::status::{codetable_status, guard, FfiError};

/// The environment variable that arms the test panic (any non-empty value): read once, on the
/// first analysis. Documented in `ffi/README.md` ("Panics"); the C test sets it.
pub(crate) const TEST_PANIC_ENV: &str = "CODETABLE_FFI_TEST_PANIC";

/// The text that, in a document analyzed while the test panic is armed, makes the analysis panic
/// under the document's lock, after core has updated the session — the worst place for a
/// panic, so that hosts' tests can check it is caught, silent, leak-free and recovered from.
pub(crate) const TEST_PANIC_MARKER: &str = "codetable-ffi-test-panic";

/// Panics when the test panic is armed and `text` contains [`TEST_PANIC_MARKER`]. Unit tests
/// are always armed (their documents never contain the marker by accident).
fn test_panic(text: &str) {
    static ARMED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let armed = *ARMED.get_or_init(|| {
        cfg!(test) || std::env::var_os(TEST_PANIC_ENV).is_some_and(|v| !v.is_empty())
    });
    if armed && text.contains(TEST_PANIC_MARKER) {
        panic!("{TEST_PANIC_ENV}: the document contains `{TEST_PANIC_MARKER}`");
    }
}

/// Every match in the document. The document remembers them (for `codetable_document_matches`
/// and the next `codetable_engine_analyze_delta`). Free the result with
/// `codetable_matches_free`; on failure `*out` is empty.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_engine_analyze(
    engine: *const codetable_engine,
    doc: *mut codetable_document,
    out: *mut codetable_matches,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = codetable_matches::EMPTY;
        let engine = handles::arc(engine)?;
        document::with(doc, |session| {
            session.analyze(&engine)?;
            test_panic(session.text());
            let found = session.matches()?.unwrap_or_default();
            *out = results::matches(found, session);
            Ok(())
        })
    })
}

/// What changed in the document's matches since its last analysis: only units touched by the
/// edits since then are matched again. Apply it to the matches from the last analysis (see
/// `codetable_match_delta`); ranges refer to the current text, those of removed matches too. If
/// the document was never analyzed, or last analyzed by another engine, the whole document is
/// analyzed and every match is reported as added (and the previous ones, if any, as removed).
/// On failure `*out` is empty and the document's state is unchanged (the call can be retried).
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_engine_analyze_delta(
    engine: *const codetable_engine,
    doc: *mut codetable_document,
    out: *mut codetable_match_delta,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = codetable_match_delta::EMPTY;
        let engine = handles::arc(engine)?;
        document::with(doc, |session| {
            let changes = session.analyze_delta(&engine)?;
            test_panic(session.text());
            let (removed, removed_len) =
                results::u64s(changes.removed.iter().map(|m| m.id.0).collect());
            *out = codetable_match_delta {
                added: results::matches(&changes.added, session),
                updated: results::matches(&changes.updated, session),
                removed,
                removed_len,
                removed_matches: results::matches(&changes.removed, session),
            };
            Ok(())
        })
    })
}

/// The matches the document holds after its last analysis (`codetable_engine_analyze`, then
/// every `codetable_engine_analyze_delta` applied), with ranges in the current text — what a
/// host should be showing. Empty before the first analysis; fails with
/// `CODETABLE_STATUS_INVALID_ARGUMENT` while edits are waiting for `analyze_delta`. Free with
/// `codetable_matches_free`.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_document_matches(
    doc: *const codetable_document,
    out: *mut codetable_matches,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = codetable_matches::EMPTY;
        document::with(doc, |session| {
            if let Some(found) = session.matches()? {
                *out = results::matches(found, session);
            }
            Ok(())
        })
    })
}

/// The matches the document holds (as `codetable_document_matches`) as core's finding records,
/// JSON Lines: one JSON object a line, each line ending with `\n`, in position order — the same
/// bytes as `codetable scan --format json` and every other host for the same file, described by
/// the JSON Schema `core/schema/finding.schema.json`. `path` (UTF-8) is the file the text came
/// from, shown as the records' `"path"`; NULL or empty gives `"path": null`. `engine` must be
/// the engine of the document's last analysis (its database names the patterns), else
/// `CODETABLE_STATUS_INVALID_ARGUMENT`. Empty before the first analysis; fails with
/// `CODETABLE_STATUS_INVALID_ARGUMENT` while edits are waiting for `analyze_delta`. Free with
/// `codetable_string_free`.
///
/// # Safety
/// `path` must be valid for reads of `path_len` bytes (or NULL with length 0); `out` must be
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_document_findings_json(
    engine: *const codetable_engine,
    doc: *const codetable_document,
    path: *const u8,
    path_len: u64,
    out: *mut codetable_string,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = results::string(Vec::new());
        // SAFETY: the caller's contract.
        let path = unsafe { args::utf8(path, path_len, "path") }?;
        let path = (!path.is_empty()).then_some(path);
        let engine = handles::arc(engine)?;
        document::with(doc, |session| {
            let Some(found) = session.matches()? else {
                return Ok(());
            };
            if session.analyzed_by() != Some(engine.id()) {
                return Err(FfiError::invalid(
                    "the document was last analyzed by another engine: its findings' pattern \
                     numbers belong to that engine's database",
                ));
            }
            let records = session.records(&engine, found, path)?;
            *out = results::string(view::to_json_lines(&records).into_bytes());
            Ok(())
        })
    })
}

#[cfg(test)]
mod tests {
    use std::ptr::{null, null_mut};

    use super::*;
    use crate::db::codetable_db_default;
    use crate::document::{
        codetable_document_edit, codetable_document_free, codetable_document_new,
    };
    use crate::engine::{codetable_engine_free, codetable_engine_new};
    use crate::results::codetable_string_free;

    fn findings_json(
        engine: *const codetable_engine,
        doc: *const codetable_document,
        path: &str,
    ) -> Result<String, codetable_status> {
        let mut s = codetable_string {
            ptr: null(),
            len: 0,
        };
        let status = unsafe {
            codetable_document_findings_json(engine, doc, path.as_ptr(), path.len() as u64, &mut s)
        };
        if status != codetable_status::Ok {
            assert!(s.ptr.is_null());
            return Err(status);
        }
        let text = if s.ptr.is_null() {
            String::new()
        } else {
            let bytes = unsafe { std::slice::from_raw_parts(s.ptr, s.len as usize) };
            String::from_utf8(bytes.to_vec()).unwrap()
        };
        assert_eq!(
            unsafe { codetable_string_free(&mut s) },
            codetable_status::Ok
        );
        Ok(text)
    }

    #[test]
    fn findings_json_is_cores_records_and_valid() {
        let text = "# é 😀\nimport hashlib\nh = hashlib.md5(b'x')\n";
        let (mut db, mut engine, mut other, mut doc) =
            (null_mut(), null_mut(), null_mut(), null_mut());
        unsafe {
            assert_eq!(codetable_db_default(&mut db), codetable_status::Ok);
            assert_eq!(codetable_engine_new(db, &mut engine), codetable_status::Ok);
            assert_eq!(codetable_engine_new(db, &mut other), codetable_status::Ok);
            let lang = "python";
            let st = codetable_document_new(
                lang.as_ptr(),
                lang.len() as u64,
                text.as_ptr(),
                text.len() as u64,
                &mut doc,
            );
            assert_eq!(st, codetable_status::Ok);
        }
        // Nothing analysed yet: no records.
        assert_eq!(findings_json(engine, doc, "a.py").unwrap(), "");
        let mut m = codetable_matches::EMPTY;
        unsafe {
            assert_eq!(
                codetable_engine_analyze(engine, doc, &mut m),
                codetable_status::Ok
            );
            results::codetable_matches_free(&mut m);
        }
        let json = findings_json(engine, doc, "./src/a.py").unwrap();
        // The same bytes as core's own records of the same text.
        let core_engine = engine_core::Engine::new(engine_core::PatternDb::default_catalog());
        let mut s = engine_core::Session::new(
            engine_core::Language::Python,
            text,
            engine_core::OffsetUnit::Byte,
        )
        .unwrap();
        let found = s.analyze(&core_engine).unwrap().to_vec();
        let expected =
            view::to_json_lines(&s.records(&core_engine, &found, Some("./src/a.py")).unwrap());
        assert_eq!(json, expected);
        assert!(json.contains(r#""path":"src/a.py""#), "{json}");
        assert!(
            json.contains(r#""pattern":"security.weak-hash.md5""#),
            "{json}"
        );
        assert!(json.contains(r#""column":5"#), "code-point columns: {json}");
        let schema: serde_json::Value = serde_json::from_str(view::FINDING_SCHEMA).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        for line in json.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{line}: {errors:?}");
        }
        // No path: "path": null.
        assert!(findings_json(engine, doc, "")
            .unwrap()
            .contains(r#""path":null"#));
        // Another engine than the last analysis' is refused; so is asking with pending edits.
        assert_eq!(
            findings_json(other, doc, "a.py"),
            Err(codetable_status::InvalidArgument)
        );
        let x = "x";
        unsafe {
            assert_eq!(
                codetable_document_edit(doc, 0, 0, x.as_ptr(), 1),
                codetable_status::Ok
            );
        }
        assert_eq!(
            findings_json(engine, doc, "a.py"),
            Err(codetable_status::InvalidArgument)
        );
        let mut out = codetable_string {
            ptr: null(),
            len: 0,
        };
        let bad =
            unsafe { codetable_document_findings_json(engine, doc, [0xff].as_ptr(), 1, &mut out) };
        assert_eq!(bad, codetable_status::InvalidUtf8);
        unsafe {
            codetable_document_free(doc);
            codetable_engine_free(engine);
            codetable_engine_free(other);
            crate::db::codetable_db_free(db);
        }
    }

    /// (id, pattern, byte start, byte end, UTF-16 start) of each match, sorted; frees them.
    fn take(m: &mut codetable_matches) -> Vec<(u64, u32, u64, u64, u64)> {
        let items = if m.items.is_null() {
            &[][..]
        } else {
            unsafe { std::slice::from_raw_parts(m.items, m.len as usize) }
        };
        let mut out: Vec<_> = items
            .iter()
            .map(|m| {
                let r = &m.range;
                (m.id, m.pattern, r.start_byte, r.end_byte, r.start_utf16)
            })
            .collect();
        out.sort_unstable();
        assert_eq!(
            unsafe { results::codetable_matches_free(m) },
            codetable_status::Ok
        );
        out
    }

    fn last_message() -> String {
        let len = unsafe { crate::status::codetable_last_error_message(null_mut(), 0) };
        let mut buf = vec![0u8; len as usize];
        unsafe { crate::status::codetable_last_error_message(buf.as_mut_ptr(), len) };
        String::from_utf8(buf).unwrap()
    }

    fn edit(doc: *mut codetable_document, start: usize, end: usize, text: &str) {
        let st = unsafe {
            codetable_document_edit(
                doc,
                start as u64,
                end as u64,
                text.as_ptr(),
                text.len() as u64,
            )
        };
        assert_eq!(st, codetable_status::Ok, "{}", last_message());
    }

    #[test]
    fn a_panicking_analysis_leaves_the_document_usable() {
        let text = "# é 日本 😀\nimport hashlib\nh = hashlib.md5(b'x')\n";
        let marked = format!("{text}# {TEST_PANIC_MARKER}\n");
        let (mut db, mut engine, mut doc, mut fresh) =
            (null_mut(), null_mut(), null_mut(), null_mut());
        let lang = "python";
        unsafe {
            assert_eq!(codetable_db_default(&mut db), codetable_status::Ok);
            assert_eq!(codetable_engine_new(db, &mut engine), codetable_status::Ok);
            for (out, t) in [(&mut doc, marked.as_str()), (&mut fresh, text)] {
                let st = codetable_document_new(
                    lang.as_ptr(),
                    lang.len() as u64,
                    t.as_ptr(),
                    t.len() as u64,
                    out,
                );
                assert_eq!(st, codetable_status::Ok);
            }
        }
        // What a fresh document of the same text finds.
        let mut m = codetable_matches::EMPTY;
        let st = unsafe { codetable_engine_analyze(engine, fresh, &mut m) };
        assert_eq!(st, codetable_status::Ok);
        let expected = take(&mut m);
        assert!(!expected.is_empty());
        let expected_json = findings_json(engine, fresh, "a.py").unwrap();
        let marker_line = text.len()..marked.len();

        // 1. A whole analysis panics (after core updated the session, under the lock).
        let st = unsafe { codetable_engine_analyze(engine, doc, &mut m) };
        assert_eq!(st, codetable_status::Panic);
        assert!(m.items.is_null() && m.len == 0);
        let message = last_message();
        assert!(
            message.starts_with("internal panic in codetable: "),
            "{message}"
        );
        assert!(message.contains(TEST_PANIC_MARKER), "{message}");
        assert!(message.contains("(at ffi/src/analysis.rs:"), "{message}");
        // The document works again: held matches (forgotten, as before a first analysis),
        // edits, text, the delta (everything added, as for a fresh document), its findings.
        let st = unsafe { codetable_document_matches(doc, &mut m) };
        assert_eq!(st, codetable_status::Ok, "{}", last_message());
        assert!(take(&mut m).is_empty());
        edit(doc, marker_line.start, marker_line.end, "");
        let (mut p, mut n) = (null(), 0u64);
        let st = unsafe { crate::document::codetable_document_text(doc, &mut p, &mut n) };
        assert_eq!(st, codetable_status::Ok);
        assert_eq!(
            unsafe { std::slice::from_raw_parts(p, n as usize) },
            text.as_bytes()
        );
        let mut d = codetable_match_delta::EMPTY;
        let st = unsafe { codetable_engine_analyze_delta(engine, doc, &mut d) };
        assert_eq!(st, codetable_status::Ok, "{}", last_message());
        assert_eq!(take(&mut d.added), expected);
        assert!(d.updated.len == 0 && d.removed_len == 0);
        assert_eq!(
            unsafe { results::codetable_match_delta_free(&mut d) },
            codetable_status::Ok
        );
        assert_eq!(findings_json(engine, doc, "a.py").unwrap(), expected_json);

        // 2. An incremental analysis panics: same recovery; then a whole analysis.
        edit(doc, text.len(), text.len(), &marked[marker_line.clone()]);
        let st = unsafe { codetable_engine_analyze_delta(engine, doc, &mut d) };
        assert_eq!(st, codetable_status::Panic);
        assert!(d.added.items.is_null() && d.removed.is_null());
        assert!(last_message().contains(TEST_PANIC_MARKER));
        edit(doc, marker_line.start, marker_line.end, "");
        let st = unsafe { codetable_engine_analyze(engine, doc, &mut m) };
        assert_eq!(st, codetable_status::Ok, "{}", last_message());
        assert_eq!(take(&mut m), expected);
        assert_eq!(findings_json(engine, doc, "a.py").unwrap(), expected_json);
        // And the next delta, with no edit, is empty.
        let st = unsafe { codetable_engine_analyze_delta(engine, doc, &mut d) };
        assert_eq!(st, codetable_status::Ok);
        assert!(d.added.len == 0 && d.updated.len == 0 && d.removed_len == 0);
        unsafe {
            results::codetable_match_delta_free(&mut d);
            assert_eq!(codetable_document_free(doc), codetable_status::Ok);
            assert_eq!(codetable_document_free(fresh), codetable_status::Ok);
            codetable_engine_free(engine);
            crate::db::codetable_db_free(db);
        }
    }
}
