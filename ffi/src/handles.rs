//! Handles and result buffers the host holds, and what makes a stale one an error code instead of
//! undefined behaviour. It knows no handle or result type: each declares itself where it is
//! defined ([`Castable`] through [`arc_castable!`] or [`box_castable!`], as rustls-ffi does), so
//! this module depends on nothing but the status codes.
//!
//! A handle the host holds is a number, never an address we dereference: handles are drawn from
//! a counter that never repeats (so a freed handle stays invalid for the life of the process)
//! and looked up in a map under a mutex, keyed with the handle's C type, which hands out a
//! reference-counted clone of the object. Freeing removes the entry; a call already running on
//! another thread keeps its clone, so even a free racing a call cannot free memory in use. Result
//! buffers are keyed by their address and owned by the map until the host frees them. The maps
//! are B-trees rather than hash tables so that memory checkers see their memory as reachable at
//! exit (a hash table's pointer into the middle of its allocation reads as "possibly lost").

use std::any::{Any, TypeId};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::status::{codetable_status, FfiError, FfiResult};

/// Ownership of a handle whose object any number of threads may use at once (`&T`): a database,
/// an engine. Like rustls-ffi's `OwnershipArc`.
pub(crate) struct Shared;

/// Ownership of a handle whose object one call at a time may use (`&mut T`, under a lock the
/// handle carries): a document. Like rustls-ffi's `OwnershipBox`, plus the lock that turns misuse
/// from several threads into waiting instead of a data race.
pub(crate) struct Exclusive;

/// Marks the two ownerships (and only them).
pub(crate) trait Ownership {}
impl Ownership for Shared {}
impl Ownership for Exclusive {}

/// An opaque C handle type (`codetable_db`…) and the Rust object behind it. Implemented with
/// [`arc_castable!`] or [`box_castable!`] next to the type, never here.
pub(crate) trait Castable: 'static {
    /// [`Shared`] or [`Exclusive`].
    type Ownership: Ownership;
    /// The object a handle of this type names.
    type RustType: Send + 'static;
    /// What the handle is called in error messages (`"document"`).
    const KIND: &'static str;
}

/// Declares a C handle type whose object is [`Shared`]: `arc_castable!(codetable_db => PatternDb, "database");`.
macro_rules! arc_castable {
    ($c:ty => $rust:ty, $kind:literal) => {
        impl $crate::handles::Castable for $c {
            type Ownership = $crate::handles::Shared;
            type RustType = $rust;
            const KIND: &'static str = $kind;
        }
    };
}
pub(crate) use arc_castable;

/// An [`Exclusive`] handle type, whose object a panic can interrupt mid-update (under its lock):
/// it says how to make the object consistent again. Implemented by [`box_castable!`].
pub(crate) trait Recover: Castable<Ownership = Exclusive> {
    /// Restores a consistent object after a call panicked while using it (run by the next call,
    /// under the lock). An error leaves the object unusable for this call; the next one retries.
    fn recover(object: &mut Self::RustType) -> FfiResult;
}

/// Declares a C handle type whose object is [`Exclusive`], and the function that makes its object
/// consistent after a panic (see [`Recover`]):
/// `box_castable!(codetable_document => Session, "document", recover = rebuild);`.
macro_rules! box_castable {
    ($c:ty => $rust:ty, $kind:literal, recover = $recover:path) => {
        impl $crate::handles::Castable for $c {
            type Ownership = $crate::handles::Exclusive;
            type RustType = $rust;
            const KIND: &'static str = $kind;
        }
        impl $crate::handles::Recover for $c {
            fn recover(object: &mut $rust) -> $crate::status::FfiResult {
                $recover(object)
            }
        }
    };
}
pub(crate) use box_castable;

/// A live handle: its C type, and its object (`Arc<T>` for [`Shared`], `Arc<Mutex<T>>` for
/// [`Exclusive`]).
struct Entry {
    kind: TypeId,
    object: Arc<dyn Any + Send + Sync>,
}

/// Handle values start high and step by 16, so they look like (and are as aligned as) heap
/// addresses to a host that prints or stores them, and NULL is never one.
const FIRST_HANDLE: usize = 0x1000_0000;
const HANDLE_STEP: usize = 16;
static NEXT_HANDLE: AtomicUsize = AtomicUsize::new(FIRST_HANDLE);

fn handles() -> MutexGuard<'static, BTreeMap<usize, Entry>> {
    static MAP: OnceLock<Mutex<BTreeMap<usize, Entry>>> = OnceLock::new();
    // A panic cannot leave the map half-updated (each operation is one insert or remove), so a
    // poisoned lock is still consistent.
    MAP.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn register<C: Castable>(object: Arc<dyn Any + Send + Sync>) -> *mut C {
    let id = NEXT_HANDLE.fetch_add(HANDLE_STEP, Ordering::Relaxed);
    let kind = TypeId::of::<C>();
    handles().insert(id, Entry { kind, object });
    id as *mut C
}

fn stale<C: Castable>(id: usize) -> FfiError {
    FfiError::new(
        codetable_status::InvalidHandle,
        format!(
            "{} handle {id:#x} is not live (freed, never created, or of another kind)",
            C::KIND
        ),
    )
}

/// The object behind a live handle of type `C`, as stored (see [`Entry`]).
fn lookup<C: Castable>(handle: *const C) -> FfiResult<Arc<dyn Any + Send + Sync>> {
    let id = handle as usize;
    if id == 0 {
        return Err(FfiError::null(C::KIND));
    }
    handles()
        .get(&id)
        .filter(|e| e.kind == TypeId::of::<C>())
        .map(|e| e.object.clone())
        .ok_or_else(|| stale::<C>(id))
}

fn downcast<T: Any + Send + Sync, C: Castable>(
    object: Arc<dyn Any + Send + Sync>,
) -> FfiResult<Arc<T>> {
    // The entry's kind was checked, and only `new_*::<C>` register under that kind, with this
    // type: a failure here is a bug of this crate, reported rather than trusted.
    object.downcast::<T>().map_err(|_| {
        FfiError::new(
            codetable_status::Internal,
            format!("{} handle holds an object of another type", C::KIND),
        )
    })
}

/// Registers a shared object and returns its new handle.
pub(crate) fn new_arc<C>(object: C::RustType) -> *mut C
where
    C: Castable<Ownership = Shared>,
    C::RustType: Sync,
{
    register::<C>(Arc::new(object))
}

/// Registers an object used by one call at a time and returns its new handle.
pub(crate) fn new_box<C: Castable<Ownership = Exclusive>>(object: C::RustType) -> *mut C {
    register::<C>(Arc::new(Mutex::new(object)))
}

/// The shared object behind a handle: NULL is `NULL_ARGUMENT`; a freed handle, or one of
/// another type, `INVALID_HANDLE`. The clone keeps the object alive through a racing free.
pub(crate) fn arc<C>(handle: *const C) -> FfiResult<Arc<C::RustType>>
where
    C: Castable<Ownership = Shared>,
    C::RustType: Sync,
{
    downcast::<C::RustType, C>(lookup(handle)?)
}

/// Runs `f` on the object behind a handle, under the handle's lock (errors as [`arc`]). If an
/// earlier call panicked under the lock (the lock is poisoned), the object is first made
/// consistent with [`Recover::recover`] and the lock cleared; if that fails, the call fails with
/// `PANIC` and the next one tries again.
pub(crate) fn with_mut<C, T>(
    handle: *const C,
    f: impl FnOnce(&mut C::RustType) -> FfiResult<T>,
) -> FfiResult<T>
where
    C: Recover,
{
    let cell = downcast::<Mutex<C::RustType>, C>(lookup(handle)?)?;
    let mut object = match cell.lock() {
        Ok(object) => object,
        Err(poisoned) => {
            let mut object = poisoned.into_inner();
            C::recover(&mut object).map_err(|e| {
                FfiError::new(
                    codetable_status::Panic,
                    format!(
                        "this {} could not be restored after an earlier call panicked while \
                         using it: {}",
                        C::KIND,
                        e.message
                    ),
                )
            })?;
            cell.clear_poison();
            object
        }
    };
    f(&mut object)
}

/// Unregisters a handle of type `C`. NULL is a no-op; a stale handle, or one of another type,
/// is an error and frees nothing. The object is dropped after the lock is released (dropping a
/// document frees a syntax tree), or later by a call still using it.
pub(crate) fn free<C: Castable>(handle: *mut C) -> FfiResult {
    let id = handle as usize;
    if id == 0 {
        return Ok(());
    }
    let removed = {
        let mut map = handles();
        match map.get(&id) {
            Some(e) if e.kind == TypeId::of::<C>() => map.remove(&id),
            _ => None,
        }
    };
    match removed {
        Some(entry) => {
            drop(entry);
            Ok(())
        }
        None => Err(stale::<C>(id)),
    }
}

/// Memory handed to the host, owned here until the host frees it: its Rust type (what the
/// free function accepts) and the storage, which is never read — holding it is the point.
struct Buffer {
    kind: TypeId,
    _storage: Box<dyn Any + Send>,
}

fn buffers() -> MutexGuard<'static, BTreeMap<usize, Buffer>> {
    static MAP: OnceLock<Mutex<BTreeMap<usize, Buffer>>> = OnceLock::new();
    MAP.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Keeps a non-empty buffer alive under its address (the pointer the host is given).
pub(crate) fn keep<T: Send + 'static>(address: usize, storage: T) {
    let buffer = Buffer {
        kind: TypeId::of::<T>(),
        _storage: Box::new(storage),
    };
    buffers().insert(address, buffer);
}

/// Runs `f` on the buffer of type `T` kept at `address`; an address that is not a live buffer
/// of that type is an error.
pub(crate) fn with_kept<T: 'static, R>(
    address: usize,
    what: &str,
    f: impl FnOnce(&T) -> FfiResult<R>,
) -> FfiResult<R> {
    let map = buffers();
    match map
        .get(&address)
        .filter(|b| b.kind == TypeId::of::<T>())
        .and_then(|b| b._storage.downcast_ref::<T>())
    {
        Some(t) => f(t),
        None => Err(FfiError::new(
            codetable_status::InvalidHandle,
            format!("{what} at {address:#x} is not a live result of this library (already freed?)"),
        )),
    }
}

/// Frees the buffer of type `T` at `address`. NULL is a no-op; an address that is not a live
/// buffer of that type is an error and frees nothing.
pub(crate) fn release<T: 'static>(address: usize, what: &str) -> FfiResult {
    if address == 0 {
        return Ok(());
    }
    let removed = {
        let mut map = buffers();
        match map.get(&address) {
            Some(b) if b.kind == TypeId::of::<T>() => map.remove(&address),
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

#[cfg(test)]
mod tests {
    use super::*;

    struct Apple {
        _opaque: [u8; 0],
    }
    arc_castable!(Apple => String, "apple");

    struct Pear {
        _opaque: [u8; 0],
    }
    box_castable!(Pear => Vec<u32>, "pear", recover = keep_complete);

    /// A pear's vector is consistent when its length is even (pushes come in pairs): a panic
    /// between the two pushes of a pair is undone by dropping the odd one. Every recovery also
    /// pushes 100, so the test sees it ran once.
    fn keep_complete(v: &mut Vec<u32>) -> FfiResult {
        if v.len() % 2 == 1 {
            v.pop();
        }
        if v.contains(&99) {
            return Err(FfiError::invalid("a 99 cannot be recovered"));
        }
        v.extend([100, 100]);
        Ok(())
    }

    #[test]
    fn handles_are_typed_and_die_once() {
        let apple = new_arc::<Apple>("red".to_string());
        let pear = new_box::<Pear>(vec![1]);
        assert_eq!(*arc(apple).unwrap(), "red");
        with_mut(pear, |v| {
            v.push(2);
            Ok(())
        })
        .unwrap();
        assert_eq!(with_mut(pear, |v| Ok(v.clone())).unwrap(), [1, 2]);
        // A pear is not an apple, in lookups and in frees.
        let wrong = arc(pear as *const Apple).unwrap_err();
        assert_eq!(wrong.status, codetable_status::InvalidHandle);
        assert!(wrong.message.contains("apple handle"), "{}", wrong.message);
        assert!(free(pear as *mut Apple).is_err());
        assert!(arc(std::ptr::null::<Apple>())
            .is_err_and(|e| e.status == codetable_status::NullArgument));
        // A clone outlives the free; the handle does not.
        let kept = arc(apple).unwrap();
        free(apple).unwrap();
        assert_eq!(*kept, "red");
        assert_eq!(
            free(apple).unwrap_err().status,
            codetable_status::InvalidHandle
        );
        assert!(arc(apple).is_err());
        free(pear).unwrap();
        assert!(with_mut(pear, |_| Ok(())).is_err());
        assert!(free(std::ptr::null_mut::<Pear>()).is_ok());
    }

    #[test]
    fn a_panic_under_the_lock_is_recovered_by_the_next_call() {
        let pear = new_box::<Pear>(Vec::new());
        let status = crate::status::guard(|| {
            with_mut(pear, |v| {
                v.push(1);
                panic!("inside, half-way through a pair")
            })
        });
        assert_eq!(status, codetable_status::Panic);
        // The next call sees the object recovered (the half pair dropped), once.
        assert_eq!(with_mut(pear, |v| Ok(v.clone())).unwrap(), [100, 100]);
        assert_eq!(with_mut(pear, |v| Ok(v.clone())).unwrap(), [100, 100]);
        // A recovery that fails is a PANIC status, retried by the next call.
        let status = crate::status::guard(|| {
            with_mut(pear, |v| {
                v.extend([99, 99]);
                panic!("again")
            })
        });
        assert_eq!(status, codetable_status::Panic);
        for _ in 0..2 {
            let e = with_mut(pear, |_| Ok(())).unwrap_err();
            assert_eq!(e.status, codetable_status::Panic);
            assert!(e.message.contains("could not be restored"), "{}", e.message);
            assert!(e.message.contains("a 99 cannot"), "{}", e.message);
        }
        free(pear).unwrap();
    }

    #[test]
    fn buffers_are_freed_once_and_by_type() {
        let data: Box<[u32]> = vec![7, 8].into_boxed_slice();
        let address = data.as_ptr() as usize;
        keep(address, data);
        assert!(release::<Box<[u64]>>(address, "array").is_err());
        release::<Box<[u32]>>(address, "array").unwrap();
        assert!(release::<Box<[u32]>>(address, "array").is_err());
        assert!(release::<Box<[u32]>>(0, "array").is_ok());
    }
}
