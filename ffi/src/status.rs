//! Status codes, the calling thread's last error, and the guard every entry point runs in.
//!
//! This module owns the rule that nothing unwinds into C: [`guard`] catches panics and turns
//! them, like every other failure, into a [`codetable_status`] plus a message the host reads
//! with `codetable_last_error_message`. It must not know about handles or results.
//!
//! It also owns the panic hook: from the first guarded call on, a panic inside a guarded call
//! prints nothing (the host's stderr is an IDE's log or a terminal); its message and location
//! become the calling thread's last error. A panic anywhere else goes to the hook that was
//! installed before ours (Rust's default one, or a Rust host's own).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

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
    /// The library panicked (caught: nothing was printed; the last error message is the panic's,
    /// with its place in the source). A document the call was using stays usable: its next call
    /// rebuilds it from its current text (an edit that panicked may or may not be in it) and it
    /// forgets its matches, so the next `codetable_engine_analyze_delta` reports every match as
    /// added, as for a new document. Please report it.
    Panic = 14,
    /// Any other failure inside the engine.
    Internal = 15,
    /// Building, editing or analysing a document ran over its budget (time or syntax nodes,
    /// see `codetable_document_set_budget`); nothing of that step is kept: the document is as
    /// it was, and an analysis reports nothing.
    OverBudget = 16,
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
            E::InvalidState(_) | E::DuplicatePattern { .. } | E::DuplicateSymbol { .. } => {
                S::InvalidArgument
            }
            E::ParseTimeout { .. } => S::ParseTimeout,
            E::OverBudget(_) => S::OverBudget,
            E::Io { .. } => S::Io,
            E::NotADatabase(_) => S::NotADatabase,
            E::UnsupportedVersion { .. } => S::UnsupportedVersion,
            E::CorruptDatabase { .. } => S::CorruptDatabase,
            E::UnknownSelector(_) => S::InvalidArgument,
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

thread_local! {
    /// How many guarded calls are running on this thread (more than one when a guarded call
    /// makes another): the panic hook is silent only inside one.
    static GUARD_DEPTH: Cell<u32> = const { Cell::new(0) };
    /// What the panic hook recorded of the last panic inside a guarded call, for [`guard`].
    static PANIC_NOTE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// One guarded call running on this thread, for as long as it lives.
struct Guarded;

impl Guarded {
    fn enter() -> Guarded {
        let _ = GUARD_DEPTH.try_with(|d| d.set(d.get().saturating_add(1)));
        Guarded
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        let _ = GUARD_DEPTH.try_with(|d| d.set(d.get().saturating_sub(1)));
    }
}

fn inside_guard() -> bool {
    GUARD_DEPTH.try_with(|d| d.get() > 0).unwrap_or(false)
}

fn take_panic_note() -> Option<String> {
    PANIC_NOTE
        .try_with(|n| n.try_borrow_mut().ok().and_then(|mut n| n.take()))
        .ok()
        .flatten()
}

/// Installs (once per process, from the first guarded call) the hook that keeps panics inside
/// guarded calls off the host's stderr. It wraps the hook installed before it, which still
/// handles every panic outside a guarded call. A host that installs its own hook afterwards
/// replaces ours (its hook then sees our panics too; they are still caught).
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if inside_guard() {
                record_panic(info);
            } else {
                previous(info);
            }
        }));
    });
}

/// The panic hook's work inside a guarded call: the message and its place, kept for [`guard`].
/// Nothing here may panic (a panic in a hook aborts).
fn record_panic(info: &PanicHookInfo<'_>) {
    let what = payload_text(info.payload());
    let note = match info.location() {
        Some(at) => format!("{what} (at {}:{}:{})", at.file(), at.line(), at.column()),
        None => what.to_string(),
    };
    let _ = PANIC_NOTE.try_with(|n| {
        if let Ok(mut n) = n.try_borrow_mut() {
            *n = Some(note);
        }
    });
}

/// The text of a panic's payload (`panic!` makes a `&str` or a `String`).
fn payload_text(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic payload")
}

/// Drops a caught panic's payload. Dropping it could itself panic (a payload with a panicking
/// `Drop`): that second payload is forgotten rather than unwound out of here (and leaks, which
/// only a payload type of our own could cause; none has a `Drop` that panics).
fn drop_payload(payload: Box<dyn Any + Send>) {
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        std::mem::forget(again);
    }
}

/// Runs the body of an entry point: resets the calling thread's last error, catches panics, and
/// records any failure as the last error. A panic's message and location (from the panic hook
/// this installs) become the last error; nothing is printed.
pub(crate) fn guard(body: impl FnOnce() -> FfiResult) -> codetable_status {
    install_panic_hook();
    set_last_error(codetable_status::Ok, String::new());
    let depth = Guarded::enter();
    take_panic_note();
    let caught = catch_unwind(AssertUnwindSafe(body));
    let status = match caught {
        Ok(Ok(())) => codetable_status::Ok,
        Ok(Err(e)) => {
            let status = e.status;
            set_last_error(status, e.message);
            status
        }
        Err(payload) => {
            // The hook's note has the location; without it (a host replaced our hook), the
            // payload's text.
            let what = take_panic_note().unwrap_or_else(|| payload_text(&*payload).to_string());
            drop_payload(payload);
            take_panic_note();
            set_last_error(
                codetable_status::Panic,
                format!("internal panic in codetable: {what}"),
            );
            codetable_status::Panic
        }
    };
    drop(depth);
    status
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
        // The message, then where it happened (this file).
        let m = message();
        assert!(
            m.starts_with("internal panic in codetable: boom 42 (at ffi/src/status.rs:"),
            "{m}"
        );
        // A panic inside a nested guarded call is caught by the inner guard.
        let outer = guard(|| {
            assert_eq!(guard(|| panic!("inner")), codetable_status::Panic);
            Ok(())
        });
        assert_eq!(outer, codetable_status::Ok);
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

    /// The panic hook, checked in a child process running only this test (a hook is global to
    /// the process, and other tests run in parallel threads): a panic inside a guarded call
    /// prints nothing and becomes the last error; one outside reaches the hook that was installed
    /// before ours (here a Rust host's own, which prints a line we look for).
    #[test]
    fn the_panic_hook_is_silent_inside_guarded_calls_only() {
        const CHILD: &str = "CODETABLE_FFI_TEST_HOOK_CHILD";
        const NAME: &str = "status::tests::the_panic_hook_is_silent_inside_guarded_calls_only";
        if std::env::var_os(CHILD).is_some() {
            std::panic::set_hook(Box::new(|info| {
                eprintln!("host hook: {}", payload_text(info.payload()));
            }));
            // The first guarded call of the process installs our hook over the host's.
            assert_eq!(
                guard(|| panic!("inside a guarded call")),
                codetable_status::Panic
            );
            assert!(message().contains("inside a guarded call"), "{}", message());
            let outside = std::thread::spawn(|| panic!("outside any guarded call")).join();
            assert!(outside.is_err());
            eprintln!("child done");
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", NAME, "--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "child failed: {stderr}");
        assert!(stderr.contains("child done"), "{stderr}");
        assert!(
            stderr.contains("host hook: outside any guarded call"),
            "{stderr}"
        );
        assert!(!stderr.contains("inside a guarded call"), "{stderr}");
        assert!(!stderr.contains("panicked at"), "{stderr}");
    }
}
