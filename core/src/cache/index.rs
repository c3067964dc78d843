//! The stat index of the result cache: what a host learnt about each file of a tree the last
//! time it scanned it (its content hash, the key of its cached result and whether that result is
//! empty), keyed by the file's path and `stat` fields, so that an unchanged file is neither read
//! nor hashed on the next scan.
//!
//! This module owns the index file's format, its trust rule and its safety:
//!
//! - An entry is trusted only when the file's size, modification and change times (nanoseconds),
//!   inode and device are those recorded, **and** the recorded modification time is older than
//!   the moment its scan started, read from the file system's own clock ([`IndexFile::stamp`]).
//!   This is git's rule for racily clean entries: a file written in the same clock tick as the
//!   scan that hashed it may change again without its times changing (Linux stamps files with a
//!   coarse clock, a few milliseconds a tick; some file systems with seconds), so such an entry is
//!   re-hashed by the next scan, which then records it as trustworthy.
//! - The file is written whole to a temporary name and renamed over the index, so a reader sees
//!   an old or a new index, never a torn one, also after a `kill -9`. Its body carries a CRC-32
//!   and its length: an index that does not check out (damaged, truncated, of another version)
//!   is ignored as if empty and replaced by the next write; it is never trusted.
//! - Several processes may scan the same tree at once: each writes a whole index of its own run
//!   and the last rename wins. What the other learnt is lost, which costs a re-hash, never a
//!   wrong result.
//! - The index files live in the cache folder's `index/` subfolder, counted and evicted with the
//!   entries by [`super::ResultCache::evict`] (a temporary index left by a killed writer is removed
//!   with the other stale temporary files).
//! - An entry may carry its cached result itself ([`IndexFile::stored`]): a warm scan of a tree
//!   then reads one file, the index, instead of one result entry per unchanged file with
//!   findings. The payloads of one index are bounded ([`MAX_PAYLOAD_BYTES`]); past the bound an
//!   entry carries none and the host reads the result entry as before. A payload is checked with
//!   the rest of the index (its CRC-32 and length), so a damaged index gives no payload at all.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::{content_hash, ResultCache, WRITES};

const MAGIC: &[u8; 8] = b"CTINDEX2";

/// The most bytes of cached results one index carries with its entries (what is past it stays
/// in the result entries only): a tree with more findings than that reads the rest one entry
/// at a time, as without payloads.
pub const MAX_PAYLOAD_BYTES: usize = 32 << 20;

type Payload = Option<Arc<[u8]>>;

/// The `stat` fields of a file that the index compares. On systems without inodes or change
/// times those fields are 0 (size and modification time remain).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileStat {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// Status change time, nanoseconds since the Unix epoch.
    pub ctime_ns: i64,
    /// Inode number.
    pub ino: u64,
    /// Device number.
    pub dev: u64,
}

impl FileStat {
    /// The fields of `meta`.
    pub fn of(meta: &std::fs::Metadata) -> FileStat {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileStat {
                size: meta.len(),
                mtime_ns: meta.mtime().saturating_mul(1_000_000_000) + meta.mtime_nsec(),
                ctime_ns: meta.ctime().saturating_mul(1_000_000_000) + meta.ctime_nsec(),
                ino: meta.ino(),
                dev: meta.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            let mtime_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i64);
            FileStat {
                size: meta.len(),
                mtime_ns,
                ctime_ns: 0,
                ino: 0,
                dev: 0,
            }
        }
    }

    /// The fields of the file at `path` (following symbolic links).
    pub fn of_path(path: &Path) -> std::io::Result<FileStat> {
        std::fs::metadata(path).map(|m| FileStat::of(&m))
    }
}

/// What the index knows about one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The file's `stat` fields when it was hashed.
    pub stat: FileStat,
    /// The start of the scan that hashed it ([`IndexFile::stamp`]): the entry is trusted only
    /// when `stat.mtime_ns` is older.
    pub stamp: i64,
    /// The host's hash of the content (of the text it analyses, e.g. after decoding).
    pub content: u128,
    /// The length of that content.
    pub len: u64,
    /// The key of the cached result the host computed for it ([`super::CacheKey::raw`]).
    pub result: u128,
    /// The host's flags about that result (e.g. "no finding": the result need not be read).
    pub flags: u8,
}

impl Entry {
    /// True when this entry describes the file whose fields are now `stat`: the fields agree and
    /// the file was last modified before the scan that recorded it began (else the file may have
    /// changed within the clock tick of its hashing, and must be hashed again).
    pub fn trusted(&self, stat: &FileStat) -> bool {
        self.stat == *stat && self.stat.mtime_ns < self.stamp
    }
}

/// One index file: the entries of the last scan of a tree, and the entries of the running scan.
#[derive(Debug)]
pub struct IndexFile {
    path: PathBuf,
    old: HashMap<String, (Entry, Payload)>,
    new: std::sync::Mutex<HashMap<String, (Entry, Payload)>>,
    /// Bytes of payloads in `new` (bounded by [`MAX_PAYLOAD_BYTES`]).
    payload_bytes: AtomicUsize,
    stamp: i64,
    cache: ResultCache,
}

impl IndexFile {
    /// Opens the index called `name` (any string: a host names a tree and its own scope) in
    /// `cache`, and takes the scan's start time from the file system's clock. A missing,
    /// damaged or unreadable index is empty. `None` when the folder cannot be written (no
    /// index can be kept, so none is read either).
    pub fn open(cache: &ResultCache, name: &str) -> Option<IndexFile> {
        let dir = cache.dir().join("index");
        std::fs::create_dir_all(&dir).ok()?;
        let path = dir.join(format!("{:032x}", content_hash(name.as_bytes())));
        let stamp = fs_now(&dir).ok()?;
        let old = std::fs::read(&path)
            .ok()
            .and_then(|b| decode(&b))
            .unwrap_or_default();
        Some(IndexFile {
            path,
            old,
            new: Default::default(),
            payload_bytes: AtomicUsize::new(0),
            stamp,
            cache: cache.clone(),
        })
    }

    /// The start of this scan on the file system's clock (nanoseconds since the Unix epoch):
    /// files modified from now on have a modification time at least this.
    pub fn stamp(&self) -> i64 {
        self.stamp
    }

    /// The last scan's entry for `path`, when it is trusted for the file's fields `stat`
    /// ([`Entry::trusted`]).
    pub fn lookup(&self, path: &str, stat: &FileStat) -> Option<Entry> {
        self.old
            .get(path)
            .map(|(e, _)| *e)
            .filter(|e| e.trusted(stat))
    }

    /// The last scan's entry for `path`, trusted or not.
    pub fn previous(&self, path: &str) -> Option<Entry> {
        self.old.get(path).map(|(e, _)| *e)
    }

    /// The cached result the last scan stored with its entry for `path` (its
    /// [`Entry::result`] key's payload), if it stored one. The host checks the entry first
    /// ([`IndexFile::lookup`], and that the key is the one it would compute now).
    pub fn stored(&self, path: &str) -> Option<&[u8]> {
        self.old.get(path).and_then(|(_, p)| p.as_deref())
    }

    /// Records what this scan learnt about `path` (its fields taken **before** its content was
    /// read), stamped with this scan's start.
    pub fn record(
        &self,
        path: &str,
        stat: FileStat,
        content: u128,
        len: u64,
        result: u128,
        flags: u8,
    ) {
        self.record_with(path, stat, content, len, result, flags, None);
    }

    /// [`IndexFile::record`], storing the cached result (`payload`, what the host stored under
    /// the key `result`) with the entry, while the index's payloads stay within
    /// [`MAX_PAYLOAD_BYTES`] (past it the entry is recorded without).
    #[allow(clippy::too_many_arguments)]
    pub fn record_with(
        &self,
        path: &str,
        stat: FileStat,
        content: u128,
        len: u64,
        result: u128,
        flags: u8,
        payload: Option<&[u8]>,
    ) {
        let entry = Entry {
            stat,
            stamp: self.stamp,
            content,
            len,
            result,
            flags,
        };
        let payload = payload.and_then(|p| self.admit(p.len()).then(|| Arc::from(p)));
        self.put(path, entry, payload);
    }

    /// Keeps the last scan's entry for `path` (found trusted by [`IndexFile::lookup`]) in this
    /// scan's index, with its original stamp and its stored result, if any.
    pub fn keep(&self, path: &str, entry: Entry) {
        let payload = self
            .old
            .get(path)
            .filter(|(e, _)| *e == entry)
            .and_then(|(_, p)| p.clone())
            .filter(|p| self.admit(p.len()));
        self.put(path, entry, payload);
    }

    /// [`IndexFile::keep`] with the cached result the host read from the result entry (the last
    /// index did not carry it), stored with the entry from now on.
    pub fn keep_with(&self, path: &str, entry: Entry, payload: &[u8]) {
        let payload = self.admit(payload.len()).then(|| Arc::from(payload));
        self.put(path, entry, payload);
    }

    /// Whether `n` more bytes of payload fit the bound (counted when they do).
    fn admit(&self, n: usize) -> bool {
        self.payload_bytes
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                (used + n <= MAX_PAYLOAD_BYTES).then_some(used + n)
            })
            .is_ok()
    }

    fn put(&self, path: &str, entry: Entry, payload: Payload) {
        if let Ok(mut new) = self.new.lock() {
            if let Some((_, Some(p))) = new.insert(path.to_string(), (entry, payload)) {
                self.payload_bytes.fetch_sub(p.len(), Ordering::Relaxed);
            }
        }
    }

    /// Writes this scan's entries (those recorded or kept; files not seen are dropped) over the
    /// index, atomically. When they are the last scan's, the index is only touched (its age
    /// counts for eviction).
    pub fn save(self) -> std::io::Result<()> {
        let new = self.new.into_inner().unwrap_or_default();
        if new == self.old {
            let f = std::fs::File::options().append(true).open(&self.path)?;
            return f.set_modified(std::time::SystemTime::now());
        }
        let body = encode(&new);
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let n = WRITES.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".tmp.{}.{n}", std::process::id()));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(MAGIC)?;
            f.write_all(&crc32fast::hash(&body).to_le_bytes())?;
            f.write_all(&(body.len() as u64).to_le_bytes())?;
            f.write_all(&body)?;
            drop(f);
            std::fs::rename(&tmp, &self.path)
        })();
        match &result {
            Ok(()) => self.cache.wrote(body.len() as u64 + 20),
            Err(_) => {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        result
    }

    /// The index file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The file system's current time in `dir`: the modification time of a file created there.
fn fs_now(dir: &Path) -> std::io::Result<i64> {
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let probe = dir.join(format!(".tmp.{}.{n}.clock", std::process::id()));
    let f = std::fs::File::create(&probe);
    let stat = f.and_then(|f| f.metadata()).map(|m| FileStat::of(&m));
    let _ = std::fs::remove_file(&probe);
    Ok(stat?.mtime_ns)
}

const ENTRY_BYTES: usize = 8 + 8 + 8 + 8 + 8 + 8 + 16 + 8 + 16 + 1 + 4;

fn encode(entries: &HashMap<String, (Entry, Payload)>) -> Vec<u8> {
    let payloads: usize = entries
        .values()
        .map(|(_, p)| p.as_ref().map_or(0, |p| p.len()))
        .sum();
    let mut out = Vec::with_capacity(entries.len() * (ENTRY_BYTES + 40) + payloads);
    let mut sorted: Vec<_> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (path, (e, payload)) in sorted {
        out.extend_from_slice(&(path.len() as u32).to_le_bytes());
        out.extend_from_slice(path.as_bytes());
        out.extend_from_slice(&e.stat.size.to_le_bytes());
        out.extend_from_slice(&e.stat.mtime_ns.to_le_bytes());
        out.extend_from_slice(&e.stat.ctime_ns.to_le_bytes());
        out.extend_from_slice(&e.stat.ino.to_le_bytes());
        out.extend_from_slice(&e.stat.dev.to_le_bytes());
        out.extend_from_slice(&e.stamp.to_le_bytes());
        out.extend_from_slice(&e.content.to_le_bytes());
        out.extend_from_slice(&e.len.to_le_bytes());
        out.extend_from_slice(&e.result.to_le_bytes());
        out.push(e.flags);
        // The stored result's length (0: none; a host never stores an empty result).
        let payload = payload.as_deref().unwrap_or_default();
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(payload);
    }
    out
}

/// The entries of an index file, if it is whole and of this version.
fn decode(bytes: &[u8]) -> Option<HashMap<String, (Entry, Payload)>> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (crc, rest) = rest.split_at_checked(4)?;
    let (len, body) = rest.split_at_checked(8)?;
    if u64::from_le_bytes(len.try_into().ok()?) != body.len() as u64
        || u32::from_le_bytes(crc.try_into().ok()?) != crc32fast::hash(body)
    {
        return None;
    }
    let mut entries = HashMap::new();
    let mut r = Reader(body);
    while !r.0.is_empty() {
        let n = u32::from_le_bytes(r.take()?) as usize;
        let (path, rest) = r.0.split_at_checked(n)?;
        r.0 = rest;
        let path = std::str::from_utf8(path).ok()?.to_string();
        let stat = FileStat {
            size: u64::from_le_bytes(r.take()?),
            mtime_ns: i64::from_le_bytes(r.take()?),
            ctime_ns: i64::from_le_bytes(r.take()?),
            ino: u64::from_le_bytes(r.take()?),
            dev: u64::from_le_bytes(r.take()?),
        };
        let entry = Entry {
            stat,
            stamp: i64::from_le_bytes(r.take()?),
            content: u128::from_le_bytes(r.take()?),
            len: u64::from_le_bytes(r.take()?),
            result: u128::from_le_bytes(r.take()?),
            flags: r.take::<1>()?[0],
        };
        let n = u32::from_le_bytes(r.take()?) as usize;
        let (payload, rest) = r.0.split_at_checked(n)?;
        r.0 = rest;
        let payload = (n > 0).then(|| Arc::from(payload));
        entries.insert(path, (entry, payload));
    }
    Some(entries)
}

struct Reader<'b>(&'b [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_at_checked(N)?;
        self.0 = rest;
        head.try_into().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("codetable-index-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn entries_round_trip_through_the_file() {
        let dir = temp("rt");
        let cache = ResultCache::open(&dir).unwrap();
        let index = IndexFile::open(&cache, "tree").unwrap();
        let stat = FileStat {
            size: 9,
            mtime_ns: index.stamp() - 1,
            ctime_ns: 5,
            ino: 6,
            dev: 7,
        };
        index.record("src/é.py", stat, 11, 9, 12, 1);
        index.save().unwrap();
        let again = IndexFile::open(&cache, "tree").unwrap();
        let e = again.lookup("src/é.py", &stat).unwrap();
        assert_eq!((e.content, e.len, e.result, e.flags), (11, 9, 12, 1));
        assert!(IndexFile::open(&cache, "other tree")
            .unwrap()
            .lookup("src/é.py", &stat)
            .is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn stat(size: u64, mtime_ns: i64) -> FileStat {
        FileStat {
            size,
            mtime_ns,
            ctime_ns: mtime_ns,
            ino: 42,
            dev: 1,
        }
    }

    /// A file system whose clock ticks coarsely (Linux stamps files with a clock of a few
    /// milliseconds a tick, some file systems with seconds): a file hashed in the tick its scan
    /// started can be rewritten, same size, without any of its fields changing. Its entry must
    /// not be trusted; once a later scan re-hashed it, it is.
    #[test]
    fn an_entry_modified_in_its_scans_clock_tick_is_hashed_again() {
        let dir = temp("racy");
        let cache = ResultCache::open(&dir).unwrap();
        let first = IndexFile::open(&cache, "t").unwrap();
        let tick = first.stamp();
        // Written in the same tick as the scan's start (or later): racy.
        let same_tick = stat(10, tick);
        let older = stat(10, tick - 1);
        first.record("a.py", same_tick, 1, 10, 2, 0);
        first.record("b.py", older, 3, 10, 4, 0);
        assert!(
            first.lookup("a.py", &same_tick).is_none(),
            "not the old index"
        );
        first.save().unwrap();
        let second = IndexFile::open(&cache, "t").unwrap();
        assert!(second.stamp() >= tick);
        // Same size, same times, other content: the entry is not trusted, so the host hashes it.
        assert_eq!(second.lookup("a.py", &same_tick), None);
        assert_eq!(second.previous("a.py").unwrap().content, 1);
        assert_eq!(second.lookup("b.py", &older).unwrap().content, 3);
        // Any field that differs: not trusted either.
        for changed in [
            FileStat { size: 11, ..older },
            FileStat {
                mtime_ns: tick - 2,
                ..older
            },
            FileStat {
                ctime_ns: 0,
                ..older
            },
            FileStat { ino: 43, ..older },
            FileStat { dev: 2, ..older },
        ] {
            assert_eq!(second.lookup("b.py", &changed), None, "{changed:?}");
        }
        // Re-hashed by a scan that started later, the entry is trusted.
        let later = FileStat {
            mtime_ns: tick,
            ..same_tick
        };
        let third_stamp = loop {
            let s = fs_now(&dir.join("index")).unwrap();
            if s > tick {
                break s;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        };
        let third = IndexFile::open(&cache, "t").unwrap();
        assert!(third.stamp() >= third_stamp);
        third.record("a.py", later, 5, 10, 6, 0);
        third.save().unwrap();
        let fourth = IndexFile::open(&cache, "t").unwrap();
        assert_eq!(fourth.lookup("a.py", &later).unwrap().content, 5);
        // b.py was not seen by the third scan: dropped.
        assert_eq!(fourth.previous("b.py"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_damaged_or_truncated_index_is_ignored_and_rebuilt() {
        let dir = temp("damaged");
        let cache = ResultCache::open(&dir).unwrap();
        let index = IndexFile::open(&cache, "t").unwrap();
        let old = stat(3, index.stamp() - 1_000);
        let path = index.path().to_path_buf();
        for i in 0..50 {
            index.record(&format!("d/{i}é.py"), old, i, 3, i, 1);
        }
        index.save().unwrap();
        let whole = std::fs::read(&path).unwrap();
        assert!(IndexFile::open(&cache, "t")
            .unwrap()
            .lookup("d/7é.py", &old)
            .is_some());
        let mut flipped = whole.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x40;
        for bad in [
            whole[..whole.len() - 1].to_vec(),
            whole[..whole.len() / 2].to_vec(),
            whole[..5].to_vec(),
            Vec::new(),
            flipped,
            [b"CTINDEX0".as_slice(), &whole[8..]].concat(),
        ] {
            std::fs::write(&path, &bad).unwrap();
            let index = IndexFile::open(&cache, "t").unwrap();
            assert_eq!(index.lookup("d/7é.py", &old), None);
            assert_eq!(index.previous("d/7é.py"), None);
            // The next scan writes a whole index again.
            index.record("d/7é.py", old, 7, 3, 7, 1);
            index.save().unwrap();
            let rebuilt = IndexFile::open(&cache, "t").unwrap();
            assert_eq!(rebuilt.lookup("d/7é.py", &old).unwrap().result, 7);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A result stored with its entry comes back with it, is kept by a scan that keeps the
    /// entry, and is gone with the whole index when the index is damaged or truncated anywhere
    /// (a clean miss: the host reads the result entry, or analyses the file).
    #[test]
    fn stored_results_round_trip_and_damage_is_a_clean_miss() {
        let dir = temp("payload");
        let cache = ResultCache::open(&dir).unwrap();
        let index = IndexFile::open(&cache, "t").unwrap();
        let old = stat(3, index.stamp() - 1_000);
        let path = index.path().to_path_buf();
        let result = "[[{\"é\": 1}], null]".as_bytes();
        index.record_with("with.py", old, 1, 3, 10, 0, Some(result));
        index.record_with("empty.py", old, 2, 3, 20, 1, None);
        index.record("plain.py", old, 3, 3, 30, 0);
        index.save().unwrap();
        let second = IndexFile::open(&cache, "t").unwrap();
        assert_eq!(second.stored("with.py"), Some(result));
        assert_eq!(second.stored("empty.py"), None);
        assert_eq!(second.stored("plain.py"), None);
        // Kept by the next scan, with its result; one read from the entry is stored from now on.
        let e = second.lookup("with.py", &old).unwrap();
        second.keep("with.py", e);
        let p = second.lookup("plain.py", &old).unwrap();
        second.keep_with("plain.py", p, b"[[], {}]");
        second.save().unwrap();
        let third = IndexFile::open(&cache, "t").unwrap();
        assert_eq!(third.stored("with.py"), Some(result));
        assert_eq!(third.stored("plain.py"), Some(&b"[[], {}]"[..]));
        assert_eq!(third.previous("empty.py"), None, "not seen: dropped");
        drop(third);
        let whole = std::fs::read(&path).unwrap();
        let at = whole
            .windows(result.len())
            .position(|w| w == result)
            .unwrap();
        let mut flipped = whole.clone();
        flipped[at + 3] ^= 0x01;
        for bad in [
            whole[..at + 4].to_vec(),
            whole[..whole.len() - 1].to_vec(),
            flipped,
            [b"CTINDEX1".as_slice(), &whole[8..]].concat(),
        ] {
            std::fs::write(&path, &bad).unwrap();
            let index = IndexFile::open(&cache, "t").unwrap();
            assert_eq!(index.stored("with.py"), None);
            assert_eq!(index.lookup("with.py", &old), None);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The payloads of one index stay within their bound: past it, entries are recorded without.
    #[test]
    fn stored_results_are_bounded() {
        let dir = temp("payload-bound");
        let cache = ResultCache::open(&dir).unwrap();
        let index = IndexFile::open(&cache, "t").unwrap();
        let old = stat(3, index.stamp() - 1_000);
        let big = vec![b'x'; MAX_PAYLOAD_BYTES / 2 + 1];
        index.record_with("a.py", old, 1, 3, 1, 0, Some(&big));
        index.record_with("b.py", old, 2, 3, 2, 0, Some(&big));
        // Replacing a.py's entry gives its bytes back: c.py's result fits again.
        index.record_with("a.py", old, 1, 3, 1, 0, None);
        index.record_with("c.py", old, 3, 3, 3, 0, Some(&big));
        index.save().unwrap();
        let again = IndexFile::open(&cache, "t").unwrap();
        assert_eq!(again.stored("a.py"), None);
        assert_eq!(again.stored("b.py"), None, "past the bound");
        assert!(
            again.lookup("b.py", &old).is_some(),
            "recorded without its result"
        );
        assert_eq!(again.stored("c.py").map(<[u8]>::len), Some(big.len()));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Writers race to save whole indexes while readers open it: every reader sees one whole
    /// index (one writer's entries, all of them) or none, and no temporary file is left.
    #[test]
    fn concurrent_writers_and_readers_see_whole_indexes() {
        let dir = temp("conc");
        let cache = ResultCache::open(&dir).unwrap();
        let old = stat(3, 1);
        std::thread::scope(|s| {
            for w in 0..4u128 {
                let cache = &cache;
                s.spawn(move || {
                    for round in 0..15 {
                        let index = IndexFile::open(cache, "shared").unwrap();
                        // Every entry this reader sees comes from one writer's whole save.
                        let seen: Vec<u128> = (0..200)
                            .filter_map(|i| index.previous(&format!("f{i}")))
                            .map(|e| e.content)
                            .collect();
                        assert!(seen.is_empty() || seen.len() == 200, "{}", seen.len());
                        assert!(seen.windows(2).all(|p| p[0] == p[1]));
                        for i in 0..200u128 {
                            let tag = (w << 64) | round;
                            index.record(&format!("f{i}"), old, tag, 3, i, 0);
                        }
                        index.save().unwrap();
                    }
                });
            }
        });
        let index = IndexFile::open(&cache, "shared").unwrap();
        assert!(index.previous("f199").is_some());
        let names: Vec<String> = std::fs::read_dir(dir.join("index"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The index folder is counted and evicted with the result entries.
    #[test]
    fn indexes_are_bounded_with_the_cache() {
        let dir = temp("bound");
        let cache = ResultCache::open(&dir).unwrap().with_max_bytes(4_000);
        let old = stat(3, 1);
        let index = IndexFile::open(&cache, "big").unwrap();
        for i in 0..100 {
            index.record(&format!("some/long/path/{i}.py"), old, i, 3, i, 0);
        }
        let path = index.path().to_path_buf();
        index.save().unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > 4_000);
        let (removed, _) = cache.evict().unwrap();
        assert_eq!(removed, 1);
        assert!(!path.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
