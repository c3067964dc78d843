//! The result records the host reads (matches, captures, ranges, arrays, owned strings), how
//! they are built from core's matches, and the functions that free them.
//!
//! Every range is given three ways, all computed from the document's current text through its
//! session's line index (core's one offset converter): UTF-8 bytes, UTF-16 code units (JVM,
//! JavaScript) and line/column. Results copy what they show: they stay valid after the handles
//! that produced them are freed, until their own free function is called.

use std::ops::Range;

use engine_core::{Match, OffsetUnit, Session, Severity};

use crate::args;
use crate::handles;
use crate::status::{codetable_status, guard};

/// A pattern's severity, from `INFO` to `CRITICAL` (ordered).
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum codetable_severity {
    /// Informational: a design or idiom pattern, not a problem.
    Info = 0,
    /// Worth knowing; rarely a defect.
    Low = 1,
    /// A likely defect or weakness.
    Medium = 2,
    /// A serious defect or an exploitable weakness.
    High = 3,
    /// Exploitable and commonly catastrophic.
    Critical = 4,
}

impl From<Severity> for codetable_severity {
    fn from(s: Severity) -> codetable_severity {
        match s {
            Severity::Info => codetable_severity::Info,
            Severity::Low => codetable_severity::Low,
            Severity::Medium => codetable_severity::Medium,
            Severity::High => codetable_severity::High,
            Severity::Critical => codetable_severity::Critical,
        }
    }
}

/// A range of the document's text, in UTF-8 bytes, in UTF-16 code units and as zero-based
/// line/column (columns both in UTF-16 code units and in bytes). Ends are exclusive.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct codetable_range {
    /// First byte.
    pub start_byte: u64,
    /// End byte (exclusive).
    pub end_byte: u64,
    /// First UTF-16 code unit.
    pub start_utf16: u64,
    /// End UTF-16 code unit (exclusive).
    pub end_utf16: u64,
    /// Zero-based line of the start.
    pub start_line: u32,
    /// Column of the start in UTF-16 code units.
    pub start_column_utf16: u32,
    /// Zero-based line of the end.
    pub end_line: u32,
    /// Column of the end in UTF-16 code units.
    pub end_column_utf16: u32,
    /// Column of the start in bytes.
    pub start_column_byte: u32,
    /// Column of the end in bytes.
    pub end_column_byte: u32,
}

/// A metavariable binding of a rule match (`$X` bound to `data`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct codetable_capture {
    /// The metavariable as written (`$X`, `$$$ARGS`), UTF-8, not NUL-terminated.
    pub name: *const u8,
    /// Length of `name` in bytes.
    pub name_len: u64,
    /// The bound text, UTF-8, not NUL-terminated; NULL when empty.
    pub text: *const u8,
    /// Length of `text` in bytes.
    pub text_len: u64,
    /// Where the bound text is.
    pub range: codetable_range,
}

/// One finding: a pattern found in the document.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct codetable_match {
    /// Identity, stable while the match's unit is untouched by edits (the key for deltas).
    pub id: u64,
    /// The unit (function, class, module…) the match is in.
    pub unit: u64,
    /// The matched code.
    pub range: codetable_range,
    /// Metavariable bindings (rules only); NULL when there are none.
    pub captures: *const codetable_capture,
    /// Number of captures.
    pub captures_len: u64,
    /// The pattern's number in the database (for `codetable_db_pattern_info` / `_json`).
    pub pattern: u32,
    /// The (pattern, language) matcher entry that matched.
    pub entry: u32,
    /// The pattern's severity.
    pub severity: codetable_severity,
    /// 1.0 for rules; the similarity score (0..1) for shapes.
    pub score: f32,
}

/// The edit a match's rule proposes (`codetable_matches_fix`): put `replacement` in place of
/// `range` of the document's text. Since ABI 2.3.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct codetable_fix {
    /// 1 when the match has a fix, 0 when it has none (the other fields are then empty).
    pub present: u32,
    /// The code replaced (the match's range).
    pub range: codetable_range,
    /// The new code, UTF-8, not NUL-terminated; NULL when empty.
    pub replacement: *const u8,
    /// Length of `replacement` in bytes.
    pub replacement_len: u64,
}

impl codetable_fix {
    pub(crate) const NONE: codetable_fix = codetable_fix {
        present: 0,
        range: codetable_range {
            start_byte: 0,
            end_byte: 0,
            start_utf16: 0,
            end_utf16: 0,
            start_line: 0,
            start_column_utf16: 0,
            end_line: 0,
            end_column_utf16: 0,
            start_column_byte: 0,
            end_column_byte: 0,
        },
        replacement: std::ptr::null(),
        replacement_len: 0,
    };
}

/// An owned array of matches, sorted by position then pattern. Free with
/// `codetable_matches_free`. Empty arrays have `items == NULL`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct codetable_matches {
    /// The matches.
    pub items: *const codetable_match,
    /// Number of matches.
    pub len: u64,
}

impl codetable_matches {
    pub(crate) const EMPTY: codetable_matches = codetable_matches {
        items: std::ptr::null(),
        len: 0,
    };
}

/// How a document's matches changed after edits, by match id (core's session contract): remove
/// `removed`, insert `added`, replace `updated` (same id, recomputed: its range or captures may
/// differ). Every other match kept by the host stays, shifted by the edits. Each list is sorted
/// by position then pattern. Free with `codetable_match_delta_free`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct codetable_match_delta {
    /// Matches that appeared.
    pub added: codetable_matches,
    /// Matches that were recomputed and kept their id (their range or captures may differ).
    pub updated: codetable_matches,
    /// Ids of matches that disappeared (the ids of `removed_matches`, in the same order); NULL
    /// when none.
    pub removed: *const u64,
    /// Number of removed ids.
    pub removed_len: u64,
    /// The matches that disappeared, with their last ranges carried into the current text (a
    /// host can find its highlight by range as well as by id). Since ABI 2.0.
    pub removed_matches: codetable_matches,
}

impl codetable_match_delta {
    pub(crate) const EMPTY: codetable_match_delta = codetable_match_delta {
        added: codetable_matches::EMPTY,
        updated: codetable_matches::EMPTY,
        removed: std::ptr::null(),
        removed_len: 0,
        removed_matches: codetable_matches::EMPTY,
    };
}

/// An owned array of pattern numbers. Free with `codetable_u32s_free`. Empty arrays have
/// `items == NULL`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct codetable_u32s {
    /// The numbers.
    pub items: *const u32,
    /// How many.
    pub len: u64,
}

/// An owned UTF-8 string (not NUL-terminated). Free with `codetable_string_free`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct codetable_string {
    /// The bytes; NULL when empty.
    pub ptr: *const u8,
    /// Length in bytes.
    pub len: u64,
}

/// The storage behind one `codetable_matches`: the records and everything they point to.
struct MatchStore {
    _items: Box<[codetable_match]>,
    _captures: Vec<Box<[codetable_capture]>>,
    _strings: Vec<String>,
    /// The fix of each match (in `_items` order); its text lives in `_strings`.
    fixes: Vec<codetable_fix>,
}

// SAFETY: the raw pointers in the records point into heap memory owned by this same store
// (`_captures`, `_strings`), which is never mutated after construction; moving the store to
// another thread moves that ownership with it.
unsafe impl Send for MatchStore {}

/// Converts byte ranges of a session's current text to host ranges, through the session's line
/// index.
fn range(session: &Session, r: &Range<usize>) -> codetable_range {
    let (text, idx) = (session.text(), session.line_index());
    let start = idx.position_in(text, r.start, OffsetUnit::Utf16);
    let end = idx.position_in(text, r.end, OffsetUnit::Utf16);
    codetable_range {
        start_byte: r.start as u64,
        end_byte: r.end as u64,
        start_utf16: idx.from_byte(text, r.start, OffsetUnit::Utf16) as u64,
        end_utf16: idx.from_byte(text, r.end, OffsetUnit::Utf16) as u64,
        start_line: start.line,
        start_column_utf16: start.column,
        end_line: end.line,
        end_column_utf16: end.column,
        start_column_byte: idx.position(r.start).column,
        end_column_byte: idx.position(r.end).column,
    }
}

fn str_parts(s: &str) -> (*const u8, u64) {
    if s.is_empty() {
        (std::ptr::null(), 0)
    } else {
        (s.as_ptr(), s.len() as u64)
    }
}

/// Copies matches of `session`'s current text into an owned array registered for
/// `codetable_matches_free`.
pub(crate) fn matches<'m>(
    found: impl IntoIterator<Item = &'m Match>,
    session: &Session,
) -> codetable_matches {
    let mut captures_store = Vec::new();
    let mut strings = Vec::new();
    let mut items = Vec::new();
    let mut fixes = Vec::new();
    for m in found {
        fixes.push(match &m.fix {
            Some(f) => {
                let replacement = f.replacement.clone();
                // As for captures: the heap buffer does not move with the `String`.
                let (ptr, len) = str_parts(&replacement);
                strings.push(replacement);
                codetable_fix {
                    present: 1,
                    range: range(session, &f.byte_range),
                    replacement: ptr,
                    replacement_len: len,
                }
            }
            None => codetable_fix::NONE,
        });
        let mut caps = Vec::with_capacity(m.captures.len());
        for c in &m.captures {
            let name = c.name.clone();
            let text = c.text.clone();
            // The heap buffers of `name` and `text` do not move when the `String`s move into
            // `strings`, so these pointers stay valid as long as the store lives.
            let (name_ptr, name_len) = str_parts(&name);
            let (text_ptr, text_len) = str_parts(&text);
            caps.push(codetable_capture {
                name: name_ptr,
                name_len,
                text: text_ptr,
                text_len,
                range: range(session, &c.byte_range),
            });
            strings.push(name);
            strings.push(text);
        }
        let caps = caps.into_boxed_slice();
        let (captures, captures_len) = if caps.is_empty() {
            (std::ptr::null(), 0)
        } else {
            (caps.as_ptr(), caps.len() as u64)
        };
        captures_store.push(caps);
        items.push(codetable_match {
            id: m.id.0,
            unit: m.unit.0,
            range: range(session, &m.byte_range),
            captures,
            captures_len,
            pattern: m.pattern,
            entry: m.entry,
            severity: m.severity.into(),
            score: m.score,
        });
    }
    if items.is_empty() {
        return codetable_matches::EMPTY;
    }
    let items = items.into_boxed_slice();
    let out = codetable_matches {
        items: items.as_ptr(),
        len: items.len() as u64,
    };
    handles::keep(
        out.items as usize,
        MatchStore {
            _items: items,
            _captures: captures_store,
            _strings: strings,
            fixes,
        },
    );
    out
}

/// The fix of match `index` of `matches` (`present == 0` when its rule proposes none). What it
/// points to lives until `codetable_matches_free(matches)`. Fails with
/// `CODETABLE_STATUS_INVALID_ARGUMENT` for an index past the end and
/// `CODETABLE_STATUS_INVALID_HANDLE` for a freed array. Since ABI 2.3.
///
/// # Safety
/// `matches` must be NULL or point to a readable `codetable_matches`; `out` must be NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_matches_fix(
    matches: *const codetable_matches,
    index: u64,
    out: *mut codetable_fix,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = codetable_fix::NONE;
        if matches.is_null() {
            return Err(crate::status::FfiError::invalid("matches is NULL"));
        }
        // SAFETY: not NULL, and readable by the caller's contract.
        let m = unsafe { &*matches };
        if index >= m.len {
            return Err(crate::status::FfiError::invalid(format!(
                "match index {index} is past the end of an array of {}",
                m.len
            )));
        }
        handles::with_kept::<MatchStore, _>(m.items as usize, "match array", |store| {
            *out = store.fixes[index as usize];
            Ok(())
        })
    })
}

/// An owned array of ids registered for freeing.
pub(crate) fn u64s(v: Vec<u64>) -> (*const u64, u64) {
    if v.is_empty() {
        return (std::ptr::null(), 0);
    }
    let b = v.into_boxed_slice();
    let out = (b.as_ptr(), b.len() as u64);
    handles::keep(out.0 as usize, b);
    out
}

/// An owned array of pattern numbers registered for `codetable_u32s_free`.
pub(crate) fn u32s(v: Vec<u32>) -> codetable_u32s {
    if v.is_empty() {
        return codetable_u32s {
            items: std::ptr::null(),
            len: 0,
        };
    }
    let b = v.into_boxed_slice();
    let out = codetable_u32s {
        items: b.as_ptr(),
        len: b.len() as u64,
    };
    handles::keep(out.items as usize, b);
    out
}

/// An owned string registered for `codetable_string_free`.
pub(crate) fn string(v: Vec<u8>) -> codetable_string {
    if v.is_empty() {
        return codetable_string {
            ptr: std::ptr::null(),
            len: 0,
        };
    }
    let b = v.into_boxed_slice();
    let out = codetable_string {
        ptr: b.as_ptr(),
        len: b.len() as u64,
    };
    handles::keep(out.ptr as usize, b);
    out
}

fn release_matches(m: &mut codetable_matches) -> crate::status::FfiResult {
    handles::release::<MatchStore>(m.items as usize, "match array")?;
    *m = codetable_matches::EMPTY;
    Ok(())
}

/// Frees a match array and sets it to empty (`items = NULL, len = 0`), so freeing the same
/// struct twice is harmless. An empty array is a no-op. A copy of an already freed array fails
/// with `CODETABLE_STATUS_INVALID_HANDLE` and frees nothing.
///
/// # Safety
/// `matches` must be NULL or point to a readable and writable `codetable_matches`.
#[no_mangle]
pub unsafe extern "C" fn codetable_matches_free(
    matches: *mut codetable_matches,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let m = unsafe { args::out(matches, "matches") }?;
        release_matches(m)
    })
}

/// Frees the arrays of a match delta and sets them to empty. Same rules as
/// `codetable_matches_free`; if one array is not live, the others are still freed.
///
/// # Safety
/// `delta` must be NULL or point to a readable and writable `codetable_match_delta`.
#[no_mangle]
pub unsafe extern "C" fn codetable_match_delta_free(
    delta: *mut codetable_match_delta,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let d = unsafe { args::out(delta, "delta") }?;
        let a = release_matches(&mut d.added);
        let u = release_matches(&mut d.updated);
        let r = handles::release::<Box<[u64]>>(d.removed as usize, "removed id array");
        if r.is_ok() {
            d.removed = std::ptr::null();
            d.removed_len = 0;
        }
        let rm = release_matches(&mut d.removed_matches);
        a.and(u).and(r).and(rm)
    })
}

/// Frees an array of pattern numbers and sets it to empty. Same rules as
/// `codetable_matches_free`.
///
/// # Safety
/// `array` must be NULL or point to a readable and writable `codetable_u32s`.
#[no_mangle]
pub unsafe extern "C" fn codetable_u32s_free(array: *mut codetable_u32s) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let a = unsafe { args::out(array, "array") }?;
        handles::release::<Box<[u32]>>(a.items as usize, "number array")?;
        a.items = std::ptr::null();
        a.len = 0;
        Ok(())
    })
}

/// Frees an owned string and sets it to empty. Same rules as `codetable_matches_free`.
///
/// # Safety
/// `string` must be NULL or point to a readable and writable `codetable_string`.
#[no_mangle]
pub unsafe extern "C" fn codetable_string_free(string: *mut codetable_string) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let s = unsafe { args::out(string, "string") }?;
        handles::release::<Box<[u8]>>(s.ptr as usize, "string")?;
        s.ptr = std::ptr::null();
        s.len = 0;
        Ok(())
    })
}
