//! Reading the host's arguments: (pointer, length) pairs into slices and strings, out-pointers
//! into writable slots. Every raw pointer the host hands us is turned into a reference here and
//! nowhere else, after the NULL and length checks; this module must not allocate or keep them.

use crate::status::{codetable_status, FfiError, FfiResult};

/// The bytes `ptr[0..len]`; NULL is accepted only with `len == 0`.
///
/// # Safety
/// When `len > 0`, `ptr` must be valid for reads of `len` bytes for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: u64, what: &str) -> FfiResult<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(FfiError::null(what));
    }
    let len = usize::try_from(len)
        .ok()
        .filter(|&l| l <= isize::MAX as usize)
        .ok_or_else(|| {
            FfiError::invalid(format!("`{what}` length {len} does not fit in memory"))
        })?;
    // SAFETY: non-NULL, length checked against isize::MAX; validity for reads is the caller's
    // contract (documented on every entry point).
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The UTF-8 string `ptr[0..len]`.
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn utf8<'a>(ptr: *const u8, len: u64, what: &str) -> FfiResult<&'a str> {
    // SAFETY: forwarded contract.
    let b = unsafe { bytes(ptr, len, what) }?;
    std::str::from_utf8(b).map_err(|e| {
        FfiError::new(
            codetable_status::InvalidUtf8,
            format!(
                "`{what}` is not valid UTF-8 (first invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// The slot behind an out-pointer.
///
/// # Safety
/// `out` must be NULL or valid for reads and writes of a `T` for `'a`.
pub(crate) unsafe fn out<'a, T>(out: *mut T, what: &str) -> FfiResult<&'a mut T> {
    // SAFETY: NULL is rejected by `as_mut`; the rest is the caller's contract.
    unsafe { out.as_mut() }.ok_or_else(|| FfiError::null(what))
}
