//! The engine handle: core's `Engine` over a database, made and freed. The engine is shareable
//! across threads; what it finds in a document is kept by the document's session (`analysis`).

use engine_core::Engine;

use crate::args;
use crate::handles::{self, arc_castable};
use crate::status::{codetable_status, guard};

/// A pattern engine over a database (opaque). Shareable across threads; free with
/// `codetable_engine_free`.
pub struct codetable_engine {
    _opaque: [u8; 0],
}

arc_castable!(codetable_engine => Engine, "engine");

/// Makes an engine over a database. The engine keeps its own reference to the database, so the
/// database handle may be freed first. On failure `*out` is set to NULL.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_engine_new(
    db: *const crate::db::codetable_db,
    out: *mut *mut codetable_engine,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = std::ptr::null_mut();
        let db = crate::db::get(db)?;
        *out = handles::new_arc::<codetable_engine>(Engine::from_arc(db));
        Ok(())
    })
}

/// Frees an engine handle. NULL is a no-op; a stale handle fails with
/// `CODETABLE_STATUS_INVALID_HANDLE`.
///
/// # Safety
/// None beyond passing a value this library returned (any value is checked).
#[no_mangle]
pub unsafe extern "C" fn codetable_engine_free(engine: *mut codetable_engine) -> codetable_status {
    guard(|| handles::free(engine))
}

/// Reports only what `select` names (instead of the patterns of the `default` level), minus
/// what `ignore` names, with context rules (hazards in tests, benchmarks, examples… one severity
/// lower; some patterns off there), `codetable: ignore` comments honoured and the duplicates of
/// one loop grouped. Both are UTF-8 lists of selectors separated by commas or spaces: pattern
/// ids, id prefixes, symbols, groups, levels (`default`, `pedantic`, `info`) or `all`; empty
/// `select` means the default level. A new engine reports every raw match until this is called.
/// Documents analysed before analyse again from scratch. An unknown selector fails with
/// `CODETABLE_STATUS_INVALID_ARGUMENT` (the message suggests the closest) and changes nothing.
///
/// # Safety
/// `select` and `ignore` must be valid for reads of their lengths (or NULL with length 0).
#[no_mangle]
pub unsafe extern "C" fn codetable_engine_select(
    engine: *const codetable_engine,
    select: *const u8,
    select_len: u64,
    ignore: *const u8,
    ignore_len: u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let select = unsafe { args::utf8(select, select_len, "select") }?;
        // SAFETY: the caller's contract.
        let ignore = unsafe { args::utf8(ignore, ignore_len, "ignore") }?;
        let engine = handles::arc(engine)?;
        engine.select(
            &engine_core::Profile::split_selectors(select),
            &engine_core::Profile::split_selectors(ignore),
        )?;
        Ok(())
    })
}
