//! Fingerprints of units and the feature vocabulary they are made of.
//!
//! A [`Fingerprint`] is an exact structural hash (local names and literal values abstracted,
//! callee / attribute / import / keyword names kept as anchors) plus a sorted set of 64-bit
//! features. The feature constructors here are the one tokenizer of features: the pattern
//! database derives a template's required features with the same functions.

use std::sync::Arc;

use crate::hash;

/// The fingerprint of a unit.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// Exact structural hash of the whole unit (nested units included). Two units with the same
    /// hash are clones up to renaming of locals and changes of literal values.
    pub hash: u64,
    /// Sorted, deduplicated features of the nodes the unit owns (nested units contribute one
    /// marker each): depth-2 and depth-3 subtree shapes and anchor tokens.
    pub features: Arc<[u64]>,
}

impl Fingerprint {
    /// True when `feature` is in the set (binary search).
    pub fn contains(&self, feature: u64) -> bool {
        self.features.binary_search(&feature).is_ok()
    }
}

pub(crate) const TAG_SHAPE2: u64 = 0x5348_4132; // "SHA2"
pub(crate) const TAG_SHAPE3: u64 = 0x5348_4133; // "SHA3"
pub(crate) const TAG_NAME: u64 = 0x4e41_4d45; // "NAME"
pub(crate) const TAG_OP: u64 = 0x4f50_4552; // "OPER"
pub(crate) const TAG_LIT: u64 = 0x4c49_5445; // "LITE"
pub(crate) const TAG_UNIT: u64 = 0x554e_4954; // "UNIT"
pub(crate) const TAG_LEAF: u64 = 0x4c45_4146; // "LEAF"

/// Feature constructors shared by units and pattern templates.
pub mod features {
    use super::*;

    /// The feature of a name in an anchor position (callee, attribute, import, keyword argument,
    /// qualified path): `hashlib`, `md5`, `verify`.
    pub fn name(text: &str) -> u64 {
        hash::tagged(TAG_NAME, text)
    }

    /// The feature of an operator token in a comparison or operator expression (`==`, `is`).
    pub fn operator(op: &str) -> u64 {
        hash::tagged(TAG_OP, op)
    }

    /// The features of every component of a qualified name (`a.b.C`, `crypto/md5`, `std::fs`).
    pub fn qualified_name(path: &str) -> impl Iterator<Item = u64> + '_ {
        path.split(['.', '/', ':'])
            .filter(|s| !s.is_empty())
            .map(name)
    }

    pub(crate) fn literal_kind(kind_hash: u64) -> u64 {
        hash::combine(TAG_LIT, kind_hash)
    }

    pub(crate) fn unit_marker(kind_hash: u64) -> u64 {
        hash::combine(TAG_UNIT, kind_hash)
    }
}
