//! The structural check of an FST section before the `fst` crate reads it.
//!
//! `fst` trusts its bytes: `Map::new` checks little and its node decoder indexes and subtracts
//! without checks, so crafted bytes (with recomputed checksums) panic inside it. This module
//! walks every node reachable from the root, decoding the layout of each (state byte, pack
//! sizes, transition count, index, outputs) exactly as `fst` 0.4 (format version 3) would, with
//! checked arithmetic, and proves what the reader relies on: every byte a node read touches lies
//! in the node area, every transition points strictly below its node (so the graph is acyclic and
//! every walk ends), inputs are strictly increasing, a dense node's index agrees with its inputs,
//! no sum of outputs along a path overflows, and the number of keys is the one the FST declares.
//! After [`check`] succeeds, `fst`'s lookups and streams on these bytes cannot panic or loop.
//! It must not be used for anything but checking: reading goes through `fst`.

use std::collections::HashMap;

use fst::raw::Fst;

/// The `fst` format version our builder writes (and the only one this check knows).
const FST_VERSION: u64 = 3;
/// Above this many transitions a node carries a 256-byte input index (`fst`'s threshold).
const TRANS_INDEX_THRESHOLD: usize = 32;
/// Header: version u64, type u64.
const HEADER: usize = 16;
/// Trailer: key count u64, root address u64, checksum u32.
const TRAILER: usize = 20;

/// What a node's layout says, decoded without trusting it.
struct Layout {
    /// Lowest byte of the node.
    end: usize,
    /// Transitions: 0 or 1 for the one-transition states.
    ntrans: usize,
    /// Size of a packed transition delta (1..=8 when there are transitions).
    tsize: usize,
    /// Whether the node is a state of the one-transition-next kind (target `end - 1`).
    next: bool,
    /// Whether the node has a 256-byte input index.
    indexed: bool,
}

fn u64_le(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// The layout of the node whose last byte is at `addr`, every subtraction checked.
fn layout(b: &[u8], addr: usize) -> Result<Layout, String> {
    let bad = || format!("node at {addr} does not fit in the node area");
    let below = |n: usize| addr.checked_sub(n).filter(|&x| x >= HEADER).ok_or_else(bad);
    let v = *b.get(addr).ok_or_else(bad)?;
    match v >> 6 {
        0b11 => {
            // One transition to the node written just before: input byte unless common.
            let input_len = usize::from(v & 0b11_1111 == 0);
            Ok(Layout {
                end: below(input_len)?,
                ntrans: 1,
                tsize: 0,
                next: true,
                indexed: false,
            })
        }
        0b10 => {
            let input_len = usize::from(v & 0b11_1111 == 0);
            let sizes = b[below(input_len + 1)?];
            let (tsize, osize) = ((sizes >> 4) as usize, (sizes & 0xf) as usize);
            if !(1..=8).contains(&tsize) || osize > 8 {
                return Err(format!("node at {addr} has pack sizes {tsize}/{osize}"));
            }
            Ok(Layout {
                end: below(input_len + 1 + tsize + osize)?,
                ntrans: 1,
                tsize,
                next: false,
                indexed: false,
            })
        }
        _ => {
            let is_final = v & 0b0100_0000 != 0;
            let (ntrans, ntrans_len) = match v & 0b11_1111 {
                0 => match b[below(1)?] {
                    1 => (256, 1),
                    n => (n as usize, 1),
                },
                n => (n as usize, 0),
            };
            let sizes = b[below(ntrans_len + 1)?];
            let (tsize, osize) = ((sizes >> 4) as usize, (sizes & 0xf) as usize);
            if (ntrans > 0 && !(1..=8).contains(&tsize)) || tsize > 8 || osize > 8 {
                return Err(format!("node at {addr} has pack sizes {tsize}/{osize}"));
            }
            let indexed = ntrans > TRANS_INDEX_THRESHOLD;
            let index = if indexed { 256 } else { 0 };
            let outputs = ntrans * osize + if is_final { osize } else { 0 };
            Ok(Layout {
                end: below(ntrans_len + 1 + index + ntrans * (1 + tsize) + outputs)?,
                ntrans,
                tsize,
                next: false,
                indexed,
            })
        }
    }
}

/// Checks the FST in `b`: header, trailer and every reachable node. Returns the key count.
pub(crate) fn check(b: &[u8]) -> Result<u64, String> {
    if b.len() < HEADER + TRAILER {
        return Err(format!("{} bytes is too short for an FST", b.len()));
    }
    let version = u64_le(b, 0).unwrap_or(0);
    if version != FST_VERSION {
        return Err(format!(
            "FST format version {version}, expected {FST_VERSION}"
        ));
    }
    let end = b.len() - 4;
    let declared = u64_le(b, end - 16).unwrap_or(u64::MAX);
    let root = usize::try_from(u64_le(b, end - 8).unwrap_or(u64::MAX))
        .map_err(|_| "root address out of range".to_string())?;
    let empty = root == 0;
    if (empty && b.len() != HEADER + TRAILER)
        || (!empty && root.checked_add(TRAILER + 1) != Some(b.len()))
    {
        return Err(format!("root address {root} does not end the node area"));
    }
    // The node area is [HEADER, root]; node reads never reach the trailer.
    let nodes = &b[..end - 16];
    let fst = Fst::new(b).map_err(|e| e.to_string())?;
    // Per node: (keys below it, largest output sum below it).
    let mut done: HashMap<usize, (u64, u64)> = HashMap::new();
    done.insert(0, (1, 0));
    let mut stack = vec![root];
    while let Some(&addr) = stack.last() {
        if done.contains_key(&addr) {
            stack.pop();
            continue;
        }
        let l = layout(nodes, addr)?;
        // Targets first: checked against the layout before `fst` decodes anything of them.
        let node = fst.node(addr);
        let mut pending = false;
        let mut prev: Option<u8> = None;
        for i in 0..l.ntrans {
            let t = if l.next {
                // One-transition-next: the target is the byte before the node.
                (node.transition(i).inp, 0, l.end - 1)
            } else {
                let delta = packed_delta(nodes, addr, &l, i)?;
                let to = match delta {
                    0 => 0,
                    d => l.end.checked_sub(d).ok_or_else(|| {
                        format!("node at {addr}: transition {i} points before the FST")
                    })?,
                };
                let t = node.transition(i);
                if t.addr != to {
                    return Err(format!(
                        "node at {addr}: transition {i} decodes inconsistently"
                    ));
                }
                (t.inp, t.out.value(), to)
            };
            if prev.is_some_and(|p| p >= t.0) {
                return Err(format!("node at {addr}: inputs out of order"));
            }
            prev = Some(t.0);
            if t.2 != 0 && !done.contains_key(&t.2) {
                stack.push(t.2);
                pending = true;
            }
        }
        if pending {
            continue;
        }
        if l.indexed {
            for byte in 0..=255u8 {
                if let Some(i) = node.find_input(byte) {
                    if node.transition(i).inp != byte {
                        return Err(format!("node at {addr}: input index disagrees"));
                    }
                }
            }
            for (i, t) in node.transitions().enumerate() {
                if node.find_input(t.inp) != Some(i) {
                    return Err(format!("node at {addr}: input index misses a transition"));
                }
            }
        }
        let mut keys = u64::from(node.is_final());
        let mut most = if node.is_final() {
            node.final_output().value()
        } else {
            0
        };
        for t in node.transitions() {
            let (k, m) = done[&t.addr];
            keys = keys.checked_add(k).ok_or("key count overflows")?;
            let sum = t.out.value().checked_add(m).ok_or("outputs overflow")?;
            most = most.max(sum);
        }
        done.insert(addr, (keys, most));
        stack.pop();
    }
    let keys = done[&root].0;
    if keys != declared {
        return Err(format!("FST declares {declared} keys, holds {keys}"));
    }
    Ok(keys)
}

/// The packed delta of transition `i` (not for one-transition-next nodes), read where `fst`
/// reads it.
fn packed_delta(b: &[u8], addr: usize, l: &Layout, i: usize) -> Result<usize, String> {
    let v = b[addr];
    let at = if l.ntrans == 1 && v >> 6 == 0b10 {
        let input_len = usize::from(v & 0b11_1111 == 0);
        addr - input_len - 1 - l.tsize
    } else {
        let ntrans_len = usize::from(v & 0b11_1111 == 0);
        let index = if l.indexed { 256 } else { 0 };
        addr - ntrans_len - 1 - index - l.ntrans - i * l.tsize - l.tsize
    };
    let mut n = 0u64;
    for (k, &byte) in b[at..at + l.tsize].iter().enumerate() {
        n |= u64::from(byte) << (8 * k);
    }
    usize::try_from(n).map_err(|_| format!("node at {addr}: transition {i} out of range"))
}
