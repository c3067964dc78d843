//! Status codes, the calling thread's last error, and the guard every entry point runs in.
//!
//! This module owns the rule that nothing unwinds into C: [`guard`] catches panics and turns
//! them, like every other failure, into a [`codetable_status`] plus a message the host reads
//! with `codetable_last_error_message`. It must not know about handles or results.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What a call did. Every function that can fail returns one; `CODETABLE_STATUS_OK` is zero.
/// New codes may be added in a minor ABI version: treat an unknown non-zero code as an error.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum codetable_status {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL (or a NULL buffer came with a non-zero length).
    NullArgument = 1,
    /// An argument is out of its domain (a pattern number past the end, a length that does not
    /// fit in memory, matches asked while edits are pending, findings asked of another engine
    /// than the document's last analysis…).
    InvalidArgument = 2,
    /// A handle or result buffer that is not live: never created by this library, already freed,
    /// or of another kind (a database passed as a document).
    InvalidHandle = 3,
    /// Text, a language name, a query or a path that is not valid UTF-8.
    InvalidUtf8 = 4,
    /// A language name (or file) no grammar is registered for.
    UnknownLanguage = 5,
    /// An edit range outside the document, or whose end precedes its start.
    EditOutOfRange = 6,
    /// An edit offset inside a multi-byte UTF-8 character, or (UTF-16 offsets) between the two
    /// halves of a surrogate pair.
    NotCharBoundary = 7,
    /// Parsing ran over its time budget.
    ParseTimeout = 8,
    /// A file could not be read.
    Io = 9,
    /// The bytes are not a codetable pattern database.
    NotADatabase = 10,
    /// A pattern database written in a format version this library cannot read.
    UnsupportedVersion = 11,
    /// A pattern database whose structure or checksums are wrong.
    CorruptDatabase = 12,
    /// Nothing has that name (a pattern query, a language for a file).
    NotFound = 13,
    /// The library panicked; the call had no effect, except that a document in use is unusable
    /// afterwards (every later call on it fails with this code). Please report it.
    Panic = 14,
    /// Any other failure inside the engine.
    Internal = 15,
}

/// A failure on its way to the host: a status and a message.
#[derive(Debug)]
pub(crate) struct FfiError {
    pub(crate) status: codetable_status,
    pub(crate) message: String,
}

impl FfiError {
    pub(crate) fn new(status: codetable_status, message: impl Into<String>) -> FfiError {
        FfiError {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn null(what: &str) -> FfiError {
        FfiError::new(codetable_status::NullArgument, format!("`{what}` is NULL"))
    }

    pub(crate) fn invalid(message: impl Into<String>) -> FfiError {
        FfiError::new(codetable_status::InvalidArgument, message)
    }
}

impl From<engine_core::Error> for FfiError {
    fn from(e: engine_core::Error) -> FfiError {
        use codetable_status as S;
        use engine_core::Error as E;
        let status = match &e {
            E::UnknownLanguage(_) => S::UnknownLanguage,
            E::InvalidUtf8 { .. } => S::InvalidUtf8,
            E::EditOutOfRange { .. } | E::OffsetOutOfRange { .. } => S::EditOutOfRange,
            E::NotCharBoundary { .. } | E::InsideSurrogatePair { .. } => S::NotCharBoundary,
            E::InvalidState(_) => S::InvalidArgument,
            E::ParseTimeout { .. } => S::ParseTimeout,
            E::Io { .. } => S::Io,
            E::NotADatabase(_) => S::NotADatabase,
            E::UnsupportedVersion { .. } => S::UnsupportedVersion,
            E::CorruptDatabase { .. } => S::CorruptDatabase,
            _ => S::Internal,
        };
        FfiError::new(status, e.to_string())
    }
}

pub(crate) type FfiResult<T = ()> = Result<T, FfiError>;

thread_local! {
    static LAST_ERROR: RefCell<(codetable_status, String)> =
        const { RefCell::new((codetable_status::Ok, String::new())) };
}

fn set_last_error(status: codetable_status, message: String) {
    // `try_with`: during thread teardown the slot may be gone; the status is still returned.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = (status, message);
        }
    });
}

/// Runs the body of an entry point: resets the calling thread's last error, catches panics, and
/// records any failure as the last error.
pub(crate) fn guard(body: impl FnOnce() -> FfiResult) -> codetable_status {
    set_last_error(codetable_status::Ok, String::new());
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => codetable_status::Ok,
        Ok(Err(e)) => {
            let status = e.status;
            set_last_error(status, e.message);
            status
        }
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_string());
            // Dropping the payload could itself panic (a payload with a panicking Drop): forget
            // it rather than risk unwinding out of here.
            std::mem::forget(payload);
            set_last_error(
                codetable_status::Panic,
                format!("internal panic in codetable: {what}"),
            );
            codetable_status::Panic
        }
    }
}

/// Status of the calling thread's last call: `CODETABLE_STATUS_OK` after a success. Reading it
/// does not change it.
#[no_mangle]
pub extern "C" fn codetable_last_error_code() -> codetable_status {
    LAST_ERROR
        .try_with(|slot| {
            slot.try_borrow()
                .map(|s| s.0)
                .unwrap_or(codetable_status::Ok)
        })
        .unwrap_or(codetable_status::Ok)
}

/// Copies the message of the calling thread's last failed call (UTF-8, no terminating NUL) into
/// `buf` — at most `capacity` bytes — and returns its full length in bytes; 0 after a success.
/// Call with `buf = NULL, capacity = 0` to learn the length, then again with a buffer that
/// large. A truncated copy may end inside a UTF-8 character. Reading it does not change it.
///
/// # Safety
/// `buf` must be NULL or valid for writes of `capacity` bytes.
#[no_mangle]
pub unsafe extern "C" fn codetable_last_error_message(buf: *mut u8, capacity: u64) -> u64 {
    let copy = |slot: &RefCell<(codetable_status, String)>| -> u64 {
        let Ok(slot) = slot.try_borrow() else {
            return 0;
        };
        let msg = slot.1.as_bytes();
        if !buf.is_null() {
            let n = usize::try_from(capacity)
                .unwrap_or(usize::MAX)
                .min(msg.len());
            // SAFETY: the caller guarantees `buf` is valid for `capacity` bytes and n <= capacity;
            // `msg` is a live Rust string of at least n bytes; the regions cannot overlap (ours
            // is thread-local Rust memory the host never sees).
            unsafe { std::ptr::copy_nonoverlapping(msg.as_ptr(), buf, n) };
        }
        msg.len() as u64
    };
    catch_unwind(AssertUnwindSafe(|| LAST_ERROR.try_with(copy).unwrap_or(0))).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> String {
        let len = unsafe { codetable_last_error_message(std::ptr::null_mut(), 0) };
        let mut buf = vec![0u8; len as usize];
        let n = unsafe { codetable_last_error_message(buf.as_mut_ptr(), buf.len() as u64) };
        assert_eq!(n, len);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let status = guard(|| panic!("boom {}", 42));
        assert_eq!(status, codetable_status::Panic);
        assert_eq!(codetable_last_error_code(), codetable_status::Panic);
        assert_eq!(message(), "internal panic in codetable: boom 42");
        // The next successful call clears it.
        assert_eq!(guard(|| Ok(())), codetable_status::Ok);
        assert_eq!(codetable_last_error_code(), codetable_status::Ok);
        assert_eq!(message(), "");
    }

    #[test]
    fn errors_map_to_their_codes() {
        let status = guard(|| Err(engine_core::Error::NotCharBoundary { offset: 3 }.into()));
        assert_eq!(status, codetable_status::NotCharBoundary);
        assert!(message().contains("offset 3"));
        let mut small = [0u8; 4];
        let full = unsafe { codetable_last_error_message(small.as_mut_ptr(), 4) };
        assert!(full > 4);
        assert_eq!(&small, b"edit");
        // The session's errors, with core's messages.
        use engine_core::{Error, OffsetUnit};
        let cases = [
            (
                Error::OffsetOutOfRange {
                    start: 9,
                    end: 12,
                    len: 10,
                    unit: OffsetUnit::Utf16,
                },
                codetable_status::EditOutOfRange,
            ),
            (
                Error::InsideSurrogatePair { offset: 4 },
                codetable_status::NotCharBoundary,
            ),
            (
                Error::InvalidState("edited since its last analysis"),
                codetable_status::InvalidArgument,
            ),
        ];
        for (error, expected) in cases {
            let text = error.to_string();
            assert_eq!(guard(|| Err(error.into())), expected);
            assert_eq!(message(), text);
        }
    }

    #[test]
    fn last_error_is_per_thread() {
        guard(|| Err(FfiError::invalid("here")));
        std::thread::spawn(|| assert_eq!(codetable_last_error_code(), codetable_status::Ok))
            .join()
            .unwrap();
        assert_eq!(
            codetable_last_error_code(),
            codetable_status::InvalidArgument
        );
    }
}
