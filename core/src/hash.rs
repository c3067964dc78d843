//! Stable 64-bit hashing for fingerprints and features.
//!
//! Hashes are persisted in pattern databases and pinned by golden tests, so they must not depend on
//! the platform, the pointer width, the process or the Rust version: no `std::hash::Hasher`, no
//! random seeds, only explicit `u64` arithmetic on bytes.

/// Final avalanche of MurmurHash3 (`fmix64`).
#[inline]
pub(crate) const fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Order-sensitive combination of an accumulator with one more value.
#[inline]
pub(crate) const fn combine(acc: u64, x: u64) -> u64 {
    fmix(
        acc.rotate_left(23)
            ^ x.wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .wrapping_add(0x632b_e59b_d9b4_e019),
    )
}

/// FNV-1a over bytes, then avalanched.
#[inline]
pub(crate) const fn bytes(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < data.len() {
        h ^= data[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    fmix(h)
}

/// Hash of a string tagged with a domain, so equal texts in different roles differ.
#[inline]
pub(crate) const fn tagged(tag: u64, text: &str) -> u64 {
    combine(tag, bytes(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Computed independently (a few lines of Python with explicit 64-bit masking).
    const PINNED_BYTES: u64 = 0x67e5_29de_7637_e873;
    const PINNED_COMBINE: u64 = 0xa18d_066f_5945_11b4;

    #[test]
    fn values_are_pinned() {
        // These constants are part of the database format: changing them invalidates every
        // compiled catalog. Update only together with the format version.
        assert_eq!(bytes(b"codetable"), PINNED_BYTES);
        assert_eq!(combine(1, 2), PINNED_COMBINE);
        assert_ne!(bytes(b"a"), bytes(b"b"));
        assert_ne!(combine(1, 2), combine(2, 1));
        assert_ne!(tagged(1, "x"), tagged(2, "x"));
    }
}
