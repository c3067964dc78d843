//! The database handle: opening a compiled pattern database (file, bytes, embedded default),
//! and reading what it knows about a pattern — a borrowed summary record for hot paths, core's
//! pattern sheet as JSON or as Markdown — plus lookup and prefix search. Read-only: safe to share across threads.

use std::sync::Arc;

use engine_core::{PatternDb, PatternSheet};

use crate::args;
use crate::handles::{self, arc_castable};
use crate::results::{self, codetable_severity, codetable_string, codetable_u32s};
use crate::status::{codetable_status, guard, FfiError, FfiResult};

/// An open pattern database (opaque). Shareable across threads; free with `codetable_db_free`.
pub struct codetable_db {
    _opaque: [u8; 0],
}

arc_castable!(codetable_db => PatternDb, "database");

/// The database behind a handle (the engines made from it share it).
pub(crate) fn get(db: *const codetable_db) -> FfiResult<Arc<PatternDb>> {
    handles::arc(db)
}

fn publish(out: &mut *mut codetable_db, db: PatternDb) {
    *out = handles::new_arc::<codetable_db>(db);
}

/// Opens a compiled database file: refuses FIFOs, devices and folders, reads the file into memory
/// (a private snapshot: the file may change afterwards) and checks all of it (a damaged or crafted
/// file is `CODETABLE_STATUS_CORRUPT_DATABASE` here, never later). `path` is UTF-8 (any bytes on Unix), not
/// NUL-terminated. On failure `*out` is set to NULL.
///
/// # Safety
/// `path` must be valid for reads of `path_len` bytes; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_db_open(
    path: *const u8,
    path_len: u64,
    out: *mut *mut codetable_db,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: the caller's contract.
        let path = unsafe { args::bytes(path, path_len, "path") }?;
        if path.is_empty() {
            return Err(FfiError::invalid("`path` is empty"));
        }
        #[cfg(unix)]
        let path = std::path::Path::new(
            <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(path),
        );
        #[cfg(not(unix))]
        let path =
            std::path::Path::new(std::str::from_utf8(path).map_err(|_| {
                FfiError::new(codetable_status::InvalidUtf8, "`path` is not UTF-8")
            })?);
        publish(out, PatternDb::open(path)?);
        Ok(())
    })
}

/// Reads a database from bytes, which are copied (the caller keeps its buffer). On failure
/// `*out` is set to NULL.
///
/// # Safety
/// `bytes` must be valid for reads of `len` bytes; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_db_from_bytes(
    bytes: *const u8,
    len: u64,
    out: *mut *mut codetable_db,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: the caller's contract.
        let bytes = unsafe { args::bytes(bytes, len, "bytes") }?;
        publish(out, PatternDb::from_bytes(bytes.to_vec())?);
        Ok(())
    })
}

/// Opens the default catalog embedded in the library (no I/O).
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_db_default(out: *mut *mut codetable_db) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = std::ptr::null_mut();
        publish(out, PatternDb::default_catalog());
        Ok(())
    })
}

/// Frees a database handle. NULL is a no-op. Engines made from it keep the database itself
/// alive, but strings borrowed through `codetable_db_pattern_info` on this handle become invalid.
/// A handle freed twice (or never created) fails with `CODETABLE_STATUS_INVALID_HANDLE`.
///
/// # Safety
/// None beyond passing a value this library returned (any value is checked).
#[no_mangle]
pub unsafe extern "C" fn codetable_db_free(db: *mut codetable_db) -> codetable_status {
    guard(|| handles::free(db))
}

/// Number of patterns in the database (pattern numbers are `0..count`).
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_db_pattern_count(
    db: *const codetable_db,
    out: *mut u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = get(db)?.len() as u64;
        Ok(())
    })
}

/// Checks every section's checksum (opening checks only the structure). Fails with
/// `CODETABLE_STATUS_CORRUPT_DATABASE` when the file is damaged.
///
/// # Safety
/// None beyond passing a value this library returned (any value is checked).
#[no_mangle]
pub unsafe extern "C" fn codetable_db_verify(db: *const codetable_db) -> codetable_status {
    guard(|| Ok(get(db)?.verify()?))
}

/// The summary of a pattern, for hot paths (a highlight's tooltip, a list row). Its strings are
/// UTF-8, not NUL-terminated, and borrowed from the database: valid until the database handle
/// is freed. Fields with no value are NULL with length 0.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct codetable_pattern_info {
    /// Stable dotted id (`security.weak-hash.md5`).
    pub id: *const u8,
    /// Length of `id`.
    pub id_len: u64,
    /// The periodic-table symbol (`Md`).
    pub symbol: *const u8,
    /// Length of `symbol`.
    pub symbol_len: u64,
    /// Human name.
    pub name: *const u8,
    /// Length of `name`.
    pub name_len: u64,
    /// Group (`security`, `performance`, `reliability`, `concurrency`, `maintainability`,
    /// `design`, `idiom`).
    pub group: *const u8,
    /// Length of `group`.
    pub group_len: u64,
    /// One-paragraph summary.
    pub summary: *const u8,
    /// Length of `summary`.
    pub summary_len: u64,
    /// The property a one-line report shows (the first of the group's kind); may be empty.
    pub key_property: *const u8,
    /// Length of `key_property`.
    pub key_property_len: u64,
    /// Severity.
    pub severity: codetable_severity,
    /// The first CWE number, 0 when none.
    pub cwe: u32,
}

fn borrowed(s: &str) -> (*const u8, u64) {
    if s.is_empty() {
        (std::ptr::null(), 0)
    } else {
        (s.as_ptr(), s.len() as u64)
    }
}

fn pattern_number(db: &PatternDb, n: u32) -> FfiResult<u32> {
    if (n as usize) < db.len() {
        Ok(n)
    } else {
        Err(FfiError::invalid(format!(
            "pattern number {n} is out of range (the database has {} patterns)",
            db.len()
        )))
    }
}

/// Fills `*out` with the summary of pattern number `pattern`.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_db_pattern_info(
    db: *const codetable_db,
    pattern: u32,
    out: *mut codetable_pattern_info,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        let db = get(db)?;
        let p = db.pattern(pattern_number(&db, pattern)?)?;
        // The strings of `p` borrow from the database bytes, which the handle in the registry
        // keeps alive and never moves: a static slice or a heap buffer.
        let (id, id_len) = borrowed(p.id);
        let (symbol, symbol_len) = borrowed(p.symbol);
        let (name, name_len) = borrowed(p.name);
        let (group, group_len) = borrowed(p.group);
        let (summary, summary_len) = borrowed(p.summary);
        let (key_property, key_property_len) = borrowed(p.key_property().map_or("", |k| k.text));
        *out = codetable_pattern_info {
            id,
            id_len,
            symbol,
            symbol_len,
            name,
            name_len,
            group,
            group_len,
            summary,
            summary_len,
            key_property,
            key_property_len,
            severity: p.severity.into(),
            cwe: p.cwe.first().copied().unwrap_or(0),
        };
        Ok(())
    })
}

/// Everything known about pattern number `pattern` as one JSON object (UTF-8): core's pattern
/// sheet, the same JSON as `codetable explain --format json` and every other host, described by
/// the JSON Schema `core/schema/pattern-sheet.schema.json` (`number`, `id`, `symbol`, `name`,
/// `group`, `severity`, `languages`, `summary`, `key_property`, `properties`, `cwe`, `owasp`,
/// `common_issues`, `alternatives`, `relations`, `references`, `matcher` — `{"kind": "rule",
/// "rules": [...]}` or `{"kind": "shape", "threshold", "references", "require", "exclude"}` —
/// and `examples`). Free with `codetable_string_free`.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_db_pattern_json(
    db: *const codetable_db,
    pattern: u32,
    out: *mut codetable_string,
) -> codetable_status {
    // SAFETY: the caller's contract.
    unsafe { write_sheet(db, pattern, out, PatternSheet::to_json) }
}

/// Pattern number `pattern`'s sheet as Markdown (CommonMark, UTF-8): core's
/// `PatternSheet::to_markdown`, the rendering every host shows (the language server's hover is
/// the same text) — symbol, name and id; group, severity, languages, CWE (linked) and OWASP;
/// the summary; properties with their evidence links; common issues; alternatives; relations;
/// references. Catalog prose is escaped for Markdown. Free with `codetable_string_free`.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_db_pattern_markdown(
    db: *const codetable_db,
    pattern: u32,
    out: *mut codetable_string,
) -> codetable_status {
    // SAFETY: the caller's contract.
    unsafe { write_sheet(db, pattern, out, PatternSheet::to_markdown) }
}

/// Writes pattern `pattern`'s sheet, rendered by `render`, to `out` (empty on failure).
///
/// # Safety
/// `out` must be NULL or writable.
unsafe fn write_sheet(
    db: *const codetable_db,
    pattern: u32,
    out: *mut codetable_string,
    render: fn(&PatternSheet) -> String,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = results::string(Vec::new());
        *out = results::string(render(&sheet(db, pattern)?).into_bytes());
        Ok(())
    })
}

/// Core's sheet of pattern number `pattern` of the database behind `db`.
fn sheet(db: *const codetable_db, pattern: u32) -> FfiResult<PatternSheet> {
    let db = get(db)?;
    let n = pattern_number(&db, pattern)?;
    Ok(PatternSheet::new(n, &db.pattern(n)?))
}

/// The number of the pattern named by `query`: an id, a symbol or an exact name
/// (case-insensitive), tried in that order. `CODETABLE_STATUS_NOT_FOUND` when none.
///
/// # Safety
/// `query` must be valid for reads of `query_len` bytes; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_db_find(
    db: *const codetable_db,
    query: *const u8,
    query_len: u64,
    out: *mut u32,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        // SAFETY: the caller's contract.
        let query = unsafe { args::utf8(query, query_len, "query") }?;
        match get(db)?.find(query)? {
            Some((n, _)) => {
                *out = n;
                Ok(())
            }
            None => Err(FfiError::new(
                codetable_status::NotFound,
                format!("no pattern has the id, symbol or name `{query}`"),
            )),
        }
    })
}

/// Numbers of the patterns matching `query`, best first: its words (any case) as words,
/// prefixes or substrings of the id, symbol, name or summary, within a typo or two, or a CWE
/// (`CWE-89`, `89`) or OWASP category (`A03`). An empty query lists every pattern. Free with
/// `codetable_u32s_free`.
///
/// # Safety
/// `prefix` must be valid for reads of `prefix_len` bytes; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_db_search(
    db: *const codetable_db,
    prefix: *const u8,
    prefix_len: u64,
    out: *mut codetable_u32s,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = results::u32s(Vec::new());
        // SAFETY: the caller's contract.
        let prefix = unsafe { args::utf8(prefix, prefix_len, "prefix") }?;
        *out = results::u32s(get(db)?.search(prefix)?);
        Ok(())
    })
}

/// Stacks databases: the first is the base (the built-in catalog, say), each next one (a team's
/// rules, compiled with `codetable db build --user rules/ -o rules.ctdb`) is layered over it.
/// Patterns are numbered in order: the base's first, then each layer's. An engine made from the
/// result finds the patterns of every layer. The handles stay the caller's; the embedded
/// catalog is shared, other databases are copied; a stacked database given as a layer brings
/// all its layers. Two layers with a common pattern id or symbol fail with
/// `CODETABLE_STATUS_INVALID_ARGUMENT` (the message names the id). On failure `*out` is NULL.
///
/// # Safety
/// `dbs` must be valid for reads of `count` handles; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_db_layered(
    dbs: *const *const codetable_db,
    count: u64,
    out: *mut *mut codetable_db,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = std::ptr::null_mut();
        if count == 0 {
            return Err(FfiError::invalid(
                "`count` is 0: stack at least one database",
            ));
        }
        if dbs.is_null() {
            return Err(FfiError::new(
                codetable_status::NullArgument,
                "`dbs` is NULL",
            ));
        }
        let count =
            usize::try_from(count).map_err(|_| FfiError::invalid("`count` is too large"))?;
        // SAFETY: the caller's contract: `dbs` points to `count` handles.
        let handles = unsafe { std::slice::from_raw_parts(dbs, count) };
        let mut layers = Vec::with_capacity(count);
        for &h in handles {
            layers.push(get(h)?.try_clone()?);
        }
        let mut layers = layers.into_iter();
        let base = layers
            .next()
            .ok_or_else(|| FfiError::invalid("no database"))?;
        publish(out, PatternDb::layered(base, layers)?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pattern's text through the C ABI: `codetable_db_pattern_json` or `_markdown`.
    fn sheet_text(
        f: unsafe extern "C" fn(
            *const codetable_db,
            u32,
            *mut codetable_string,
        ) -> codetable_status,
        db: *const codetable_db,
        n: u32,
    ) -> String {
        let mut s = results::string(Vec::new());
        assert_eq!(unsafe { f(db, n, &mut s) }, codetable_status::Ok);
        // SAFETY: a live string of this library, freed below.
        let json = unsafe { std::slice::from_raw_parts(s.ptr, s.len as usize) }.to_vec();
        assert_eq!(
            unsafe { results::codetable_string_free(&mut s) },
            codetable_status::Ok
        );
        String::from_utf8(json).unwrap()
    }

    /// Pattern `n`'s JSON through the C ABI.
    fn sheet_json(db: *const codetable_db, n: u32) -> String {
        sheet_text(codetable_db_pattern_json, db, n)
    }

    #[test]
    fn every_pattern_markdown_is_cores() {
        let mut db = std::ptr::null_mut();
        assert_eq!(
            unsafe { codetable_db_default(&mut db) },
            codetable_status::Ok
        );
        let core = PatternDb::default_catalog();
        for n in 0..core.len() as u32 {
            let md = sheet_text(codetable_db_pattern_markdown, db, n);
            let sheet = PatternSheet::new(n, &core.pattern(n).unwrap());
            assert_eq!(md, sheet.to_markdown(), "pattern {n}");
            assert!(md.contains(&format!("`{}`", sheet.id)), "{md}");
        }
        // A bad number or handle is an error, and the out string is left empty.
        let mut s = results::string(b"stale".to_vec());
        let stale = s;
        assert_eq!(
            unsafe { codetable_db_pattern_markdown(db, core.len() as u32, &mut s) },
            codetable_status::InvalidArgument
        );
        assert!(s.ptr.is_null() && s.len == 0);
        let mut msg = [0u8; 256];
        let len = unsafe {
            crate::status::codetable_last_error_message(msg.as_mut_ptr(), msg.len() as u64)
        };
        let msg = String::from_utf8_lossy(&msg[..(len as usize).min(msg.len())]);
        assert!(msg.contains("out of range"), "{msg}");
        assert_eq!(
            unsafe { codetable_db_pattern_markdown(db, 0, std::ptr::null_mut()) },
            codetable_status::NullArgument
        );
        assert_eq!(unsafe { codetable_db_free(db) }, codetable_status::Ok);
        assert_eq!(
            unsafe { codetable_db_pattern_markdown(db, 0, &mut s) },
            codetable_status::InvalidHandle
        );
        let mut stale = stale;
        assert_eq!(
            unsafe { results::codetable_string_free(&mut stale) },
            codetable_status::Ok
        );
    }

    #[test]
    fn every_pattern_json_is_a_valid_sheet() {
        let schema: serde_json::Value =
            serde_json::from_str(engine_core::view::PATTERN_SHEET_SCHEMA).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let mut db = std::ptr::null_mut();
        assert_eq!(
            unsafe { codetable_db_default(&mut db) },
            codetable_status::Ok
        );
        let core = PatternDb::default_catalog();
        let (mut shapes, mut guarded) = (0, 0);
        for n in 0..core.len() as u32 {
            let json = sheet_json(db, n);
            let v: serde_json::Value = serde_json::from_str(&json).unwrap();
            let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "pattern {n}: {errors:?}");
            // Core's serialisation, byte for byte.
            assert_eq!(
                json,
                PatternSheet::new(n, &core.pattern(n).unwrap()).to_json()
            );
            assert_eq!(v["number"], n);
            let matcher = &v["matcher"];
            assert!(
                matcher["kind"] == "rule" || matcher["kind"] == "shape",
                "{matcher}"
            );
            if matcher["kind"] == "shape" {
                shapes += 1;
                guarded += usize::from(
                    !matcher["require"].as_array().unwrap().is_empty()
                        || !matcher["exclude"].as_array().unwrap().is_empty(),
                );
            }
            assert!(!json.contains("\"NoMatch\"") && !json.contains("\"where_\""));
        }
        assert!(
            shapes > 0 && guarded > 0,
            "{shapes} shapes, {guarded} guarded"
        );
        assert_eq!(unsafe { codetable_db_free(db) }, codetable_status::Ok);
    }
}
