//! The registries of live handles and live result buffers: what makes a stale pointer an error
//! code instead of undefined behaviour.
//!
//! A handle the host holds is a number, never an address we dereference: handles are drawn from
//! a counter that never repeats (so a freed handle stays invalid for the life of the process)
//! and looked up in a map under a mutex, which hands out a reference-counted clone of the object.
//! Freeing removes the entry; a call already running on another thread keeps its clone, so even
//! a free racing a call cannot free memory in use. Result buffers are keyed by their address and
//! owned by the map until the host frees them. The maps are B-trees rather than hash tables so
//! that memory checkers see their memory as reachable at exit (a hash table's pointer into the
//! middle of its allocation reads as "possibly lost"). This module must not know what the
//! objects do.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::status::{codetable_status, FfiError, FfiResult};

/// What a handle names.
pub(crate) enum Handle {
    Db(Arc<crate::db::DbObject>),
    Engine(Arc<crate::engine::EngineObject>),
    Document(Arc<crate::document::DocumentObject>),
}

impl Handle {
    fn kind(&self) -> &'static str {
        match self {
            Handle::Db(_) => "database",
            Handle::Engine(_) => "engine",
            Handle::Document(_) => "document",
        }
    }
}

/// Handle values start high and step by 16, so they look like (and are as aligned as) heap
/// addresses to a host that prints or stores them, and NULL is never one.
const FIRST_HANDLE: usize = 0x1000_0000;
const HANDLE_STEP: usize = 16;
static NEXT_HANDLE: AtomicUsize = AtomicUsize::new(FIRST_HANDLE);

fn handles() -> MutexGuard<'static, BTreeMap<usize, Handle>> {
    static MAP: OnceLock<Mutex<BTreeMap<usize, Handle>>> = OnceLock::new();
    // A panic cannot leave the map half-updated (each operation is one insert or remove), so a
    // poisoned lock is still consistent.
    MAP.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Registers an object and returns its new handle value.
pub(crate) fn register(handle: Handle) -> usize {
    let id = NEXT_HANDLE.fetch_add(HANDLE_STEP, Ordering::Relaxed);
    handles().insert(id, handle);
    id
}

fn stale(kind: &str, id: usize) -> FfiError {
    FfiError::new(
        codetable_status::InvalidHandle,
        format!("{kind} handle {id:#x} is not live (freed, never created, or of another kind)"),
    )
}

/// Looks a handle up, checking its kind.
pub(crate) fn get<T>(
    id: usize,
    kind: &str,
    pick: impl FnOnce(&Handle) -> Option<Arc<T>>,
) -> FfiResult<Arc<T>> {
    if id == 0 {
        return Err(FfiError::null(kind));
    }
    handles()
        .get(&id)
        .and_then(pick)
        .ok_or_else(|| stale(kind, id))
}

/// Removes a handle of the given kind. NULL (0) is a no-op; a stale handle is an error. The
/// object is dropped after the lock is released (dropping a document frees a syntax tree).
pub(crate) fn remove(id: usize, kind: &str) -> FfiResult {
    if id == 0 {
        return Ok(());
    }
    let removed = {
        let mut map = handles();
        match map.get(&id) {
            Some(h) if h.kind() == kind => map.remove(&id),
            _ => None,
        }
    };
    match removed {
        Some(h) => {
            drop(h);
            Ok(())
        }
        None => Err(stale(kind, id)),
    }
}

/// Memory handed to the host, owned here until the host frees it. The fields are never read:
/// holding them is the point.
#[allow(dead_code)]
pub(crate) enum Buffer {
    Matches(crate::results::MatchStore),
    U64s(Box<[u64]>),
    U32s(Box<[u32]>),
    Bytes(Box<[u8]>),
}

fn buffers() -> MutexGuard<'static, BTreeMap<usize, Buffer>> {
    static MAP: OnceLock<Mutex<BTreeMap<usize, Buffer>>> = OnceLock::new();
    MAP.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Keeps a non-empty buffer alive under its address (the pointer the host is given).
pub(crate) fn keep(address: usize, buffer: Buffer) {
    buffers().insert(address, buffer);
}

/// Frees the buffer at `address`. NULL is a no-op; an address that is not a live buffer of the
/// kind `is_kind` accepts is an error and frees nothing.
pub(crate) fn release(address: usize, what: &str, is_kind: fn(&Buffer) -> bool) -> FfiResult {
    if address == 0 {
        return Ok(());
    }
    let removed = {
        let mut map = buffers();
        match map.get(&address) {
            Some(b) if is_kind(b) => map.remove(&address),
            _ => None,
        }
    };
    match removed {
        Some(b) => {
            drop(b);
            Ok(())
        }
        None => Err(FfiError::new(
            codetable_status::InvalidHandle,
            format!("{what} at {address:#x} is not a live result of this library (already freed?)"),
        )),
    }
}

/// Counts of live handles and live result buffers: zero and zero once a host has freed
/// everything it was given (a leak check for host tests; the registries hide such leaks from
/// memory checkers, as the memory stays reachable).
///
/// # Safety
/// `out_handles` and `out_buffers` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_live_objects(
    out_handles: *mut u64,
    out_buffers: *mut u64,
) -> codetable_status {
    crate::status::guard(|| {
        // SAFETY: the caller's contract.
        let h = unsafe { crate::args::out(out_handles, "out_handles") }?;
        // SAFETY: the caller's contract.
        let b = unsafe { crate::args::out(out_buffers, "out_buffers") }?;
        *h = handles().len() as u64;
        *b = buffers().len() as u64;
        Ok(())
    })
}
