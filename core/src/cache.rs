//! The result cache: what a host computed for a file's content, kept on disk so that scanning an
//! unchanged file again costs a read instead of a parse and a match.
//!
//! This module owns the cache folder's layout, its keys and its safety; what is stored is the
//! host's (the CLI stores its findings as JSON). A key is the content's 128-bit hash and length,
//! the pattern database's digest ([`db_digest`]), the engine's version ([`ENGINE_VERSION`]) and
//! a host scope string (the host's own format and build, so that a rebuilt host never reads a
//! stale result).
//!
//! - Writes are atomic: a temporary file in the same folder, renamed over the entry. A reader
//!   sees a whole entry or none, also after a `kill -9` in the middle of a write; each entry
//!   carries its key and a CRC-32 of its payload, and one that does not check out is a miss
//!   (and is removed).
//! - Several processes may share a folder: temporary names are unique per process and write, an
//!   entry deleted under a reader is a miss, and two writers of the same key write the same
//!   bytes.
//! - The folder is bounded: [`ResultCache::evict`] removes the least recently used entries
//!   (by modification time, which a hit refreshes) until the total is under the limit. Hosts call
//!   [`ResultCache::trim`] after a run instead, which costs nothing when the run wrote nothing
//!   and otherwise reads a small usage ledger (`usage`: the total the last eviction measured,
//!   then the bytes each run wrote since, appended), so that the folder is only listed when the
//!   ledger says it may be past its bound. A ledger that is missing, damaged (torn by a
//!   `kill -9`) or long is not trusted: the folder is listed and the ledger rewritten.
//!
//! Content hashes are not cryptographic: the cache trusts the files it reads, as a build cache
//! does. Accidental collisions need 128 bits and the same length to agree.

use std::collections::BTreeMap;
use std::io::Read;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::SystemTime;

use crate::hash;

pub mod index;

/// The engine's version in cache keys: the crate version and the cache layout's version.
pub const ENGINE_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "/cache-1");

/// The default bound of a cache folder: 512 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 512 << 20;

const MAGIC: &[u8; 8] = b"CTCACHE1";

/// The usage ledger's header.
const USAGE_MAGIC: &[u8; 8] = b"CTUSAGE1";

/// A ledger with more records than this is measured again (it also bounds the drift of
/// appends lost to a concurrent rewrite).
const USAGE_RECORDS: usize = 4096;

/// Bytes this process wrote to each cache folder since its last [`ResultCache::trim`] there.
static WRITTEN: Mutex<BTreeMap<PathBuf, u64>> = Mutex::new(BTreeMap::new());

/// A 128-bit hash of `bytes` (two independent 64-bit hashes).
pub fn content_hash(bytes: &[u8]) -> u128 {
    let a = hash::bytes(bytes);
    let mut b: u64 = 0x243f_6a88_85a3_08d3 ^ bytes.len() as u64;
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        b = hash::combine(b, u64::from_le_bytes(word));
    }
    ((a as u128) << 64) | hash::fmix(b) as u128
}

/// The digest of a pattern database (computed once per database by the host): the bytes of
/// each of its layers, so that results found with a user's rules stacked over the catalog are
/// never read back by a scan without them (their pattern numbers would name other patterns).
pub fn db_digest(db: &crate::PatternDb) -> u128 {
    let mut layers = db.layer_bytes();
    let base = layers.next().map_or(0, content_hash);
    layers.fold(base, |acc, bytes| {
        let h = content_hash(bytes);
        ((hash::combine(acc as u64, h as u64) as u128) << 64)
            | hash::combine((acc >> 64) as u64, (h >> 64) as u64) as u128
    })
}

/// This build of the running program, for cache scopes: a digest of the engine's sources (made
/// by the crate's build script) and the executable's size and modification time (`"unknown"`
/// when the system does not say), so that a rebuilt host never reads results of another build of
/// itself, even when the executable is an interpreter that loads the engine as a library.
pub fn build_stamp() -> String {
    static STAMP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    STAMP.get_or_init(stamp_of_this_build).clone()
}

fn stamp_of_this_build() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}-{modified}", m.len())
        })
        .unwrap_or_else(|_| "unknown".to_string());
    format!("{}-{exe}", env!("CODETABLE_SOURCE_STAMP"))
}

/// The key of one cached result.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CacheKey(u128);

impl CacheKey {
    /// The key of the result for `content` under database `db` (its [`db_digest`]) and host
    /// `scope`.
    pub fn new(content: &[u8], db: u128, scope: &str) -> CacheKey {
        CacheKey::of_hash(content_hash(content), content.len() as u64, db, scope)
    }

    /// The key [`CacheKey::new`] gives a content whose [`content_hash`] is `c` and length
    /// `len` (a host that kept the hash in the [`index`] need not read the content again).
    pub fn of_hash(c: u128, len: u64, db: u128, scope: &str) -> CacheKey {
        let s = content_hash(scope.as_bytes());
        let v = content_hash(ENGINE_VERSION.as_bytes());
        let mut parts = Vec::with_capacity(72);
        for x in [c, db, s, v] {
            parts.extend_from_slice(&x.to_le_bytes());
        }
        parts.extend_from_slice(&len.to_le_bytes());
        CacheKey(content_hash(&parts))
    }

    /// The key as a number (what the [`index`] records).
    pub fn raw(&self) -> u128 {
        self.0
    }

    fn hex(&self) -> String {
        format!("{:032x}", self.0)
    }
}

/// A cache folder.
#[derive(Clone, Debug)]
pub struct ResultCache {
    dir: PathBuf,
    max_bytes: u64,
}

static WRITES: AtomicU64 = AtomicU64::new(0);

impl ResultCache {
    /// The cache in folder `dir` (created when missing), bounded by [`DEFAULT_MAX_BYTES`].
    pub fn open(dir: impl Into<PathBuf>) -> std::io::Result<ResultCache> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(ResultCache {
            dir,
            max_bytes: DEFAULT_MAX_BYTES,
        })
    }

    /// The same cache bounded by `max_bytes` instead.
    pub fn with_max_bytes(mut self, max_bytes: u64) -> ResultCache {
        self.max_bytes = max_bytes;
        self
    }

    /// The default folder: `$XDG_CACHE_HOME/codetable/results`, else
    /// `~/.cache/codetable/results` (`None` without either variable).
    pub fn default_dir() -> Option<PathBuf> {
        let xdg = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute());
        let home = || {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|h| h.join(".cache"))
        };
        xdg.or_else(home)
            .map(|c| c.join("codetable").join("results"))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &CacheKey) -> PathBuf {
        let hex = key.hex();
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// The payload stored under `key`, if a whole, valid entry is there (a hit refreshes the
    /// entry's age for eviction). A damaged entry is removed and is a miss.
    pub fn get(&self, key: &CacheKey) -> Option<Vec<u8>> {
        let path = self.path(key);
        let bytes = std::fs::read(&path).ok()?;
        match decode(&bytes, key) {
            Some(payload) => {
                if let Ok(f) = std::fs::File::options().append(true).open(&path) {
                    let _ = f.set_modified(SystemTime::now());
                }
                Some(payload.to_vec())
            }
            None => {
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores `payload` under `key`, atomically.
    pub fn put(&self, key: &CacheKey, payload: &[u8]) -> std::io::Result<()> {
        let path = self.path(key);
        let parent = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent)?;
        let n = WRITES.fetch_add(1, Ordering::Relaxed);
        let tmp = parent.join(format!(".tmp.{}.{n}", std::process::id()));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(MAGIC)?;
            f.write_all(&key.0.to_le_bytes())?;
            f.write_all(&crc32fast::hash(payload).to_le_bytes())?;
            f.write_all(&(payload.len() as u64).to_le_bytes())?;
            f.write_all(payload)?;
            drop(f);
            std::fs::rename(&tmp, &path)
        })();
        match &result {
            Ok(()) => self.wrote(payload.len() as u64 + 36),
            Err(_) => {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        result
    }

    /// Counts `bytes` written to the folder by this process (for [`ResultCache::trim`]).
    pub(crate) fn wrote(&self, bytes: u64) {
        if let Ok(mut w) = WRITTEN.lock() {
            *w.entry(self.dir.clone()).or_default() += bytes;
        }
    }

    fn ledger(&self) -> PathBuf {
        self.dir.join("usage")
    }

    /// The folder's size by its ledger, `None` when the ledger is missing, damaged or long.
    fn ledger_total(&self) -> Option<u64> {
        let mut bytes = Vec::new();
        std::fs::File::open(self.ledger())
            .ok()?
            .take(8 * (USAGE_RECORDS as u64 + 2))
            .read_to_end(&mut bytes)
            .ok()?;
        let records = bytes.strip_prefix(USAGE_MAGIC)?;
        if records.is_empty() || records.len() % 8 != 0 || records.len() / 8 > USAGE_RECORDS {
            return None;
        }
        records.chunks_exact(8).try_fold(0u64, |sum, r| {
            sum.checked_add(u64::from_le_bytes(r.try_into().ok()?))
        })
    }

    /// Rewrites the ledger with the size just measured (atomically).
    fn write_ledger(&self, total: u64) -> std::io::Result<()> {
        let n = WRITES.fetch_add(1, Ordering::Relaxed);
        let tmp = self
            .dir
            .join(format!(".tmp.{}.{n}.usage", std::process::id()));
        let result = std::fs::write(&tmp, [&USAGE_MAGIC[..], &total.to_le_bytes()].concat())
            .and_then(|()| std::fs::rename(&tmp, self.ledger()));
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// After a run: keeps the folder within its bound at the cost of what the run wrote. Nothing
    /// is read when this process wrote nothing to the folder since its last trim; otherwise the
    /// usage ledger decides whether the folder must be listed ([`ResultCache::evict`], which
    /// rewrites the ledger) or only gets the bytes written appended. Returns what
    /// [`ResultCache::evict`] removed (none when it did not run).
    pub fn trim(&self) -> std::io::Result<(usize, u64)> {
        let written = WRITTEN
            .lock()
            .ok()
            .and_then(|mut w| w.remove(&self.dir))
            .unwrap_or(0);
        if written == 0 {
            return Ok((0, 0));
        }
        match self.ledger_total() {
            Some(total) if total.saturating_add(written) <= self.max_bytes => {
                // One small append (atomic): a concurrent rewrite may lose it, which only
                // delays the next listing until the ledger is long.
                let mut f = std::fs::File::options().append(true).open(self.ledger())?;
                f.write_all(&written.to_le_bytes())?;
                Ok((0, 0))
            }
            _ => self.evict(),
        }
    }

    /// Removes the least recently used entries until the folder holds at most its bound (down to
    /// nine tenths of it, so that eviction does not run at every write), and temporary files
    /// older than an hour (left by killed writers); records the size left in the usage ledger
    /// ([`ResultCache::trim`]). Returns the entries and bytes removed.
    pub fn evict(&self) -> std::io::Result<(usize, u64)> {
        let mut entries = Vec::new();
        let mut total = 0u64;
        let hour = std::time::Duration::from_secs(3600);
        let now = SystemTime::now();
        let stale = |name: &std::ffi::OsStr, meta: &std::fs::Metadata| {
            name.to_string_lossy().starts_with(".tmp.")
                && now
                    .duration_since(meta.modified().unwrap_or(now))
                    .unwrap_or_default()
                    > hour
        };
        for shard in std::fs::read_dir(&self.dir)?.flatten() {
            let Ok(files) = std::fs::read_dir(shard.path()) else {
                // A file beside the shards: the ledger, or a ledger's temporary file.
                if shard
                    .metadata()
                    .is_ok_and(|m| stale(&shard.file_name(), &m))
                {
                    let _ = std::fs::remove_file(shard.path());
                }
                continue;
            };
            for file in files.flatten() {
                let Ok(meta) = file.metadata() else { continue };
                let modified = meta.modified().unwrap_or(now);
                if file.file_name().to_string_lossy().starts_with(".tmp.") {
                    if now.duration_since(modified).unwrap_or_default() > hour {
                        let _ = std::fs::remove_file(file.path());
                    }
                    continue;
                }
                total += meta.len();
                entries.push((modified, meta.len(), file.path()));
            }
        }
        if total <= self.max_bytes {
            self.write_ledger(total)?;
            return Ok((0, 0));
        }
        entries.sort();
        let target = self.max_bytes / 10 * 9;
        let (mut removed, mut freed) = (0, 0);
        for (_, len, path) in entries {
            if total - freed <= target {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                removed += 1;
                freed += len;
            }
        }
        self.write_ledger(total - freed)?;
        Ok((removed, freed))
    }
}

/// The payload of an entry, if the entry is whole and for `key`.
fn decode<'b>(bytes: &'b [u8], key: &CacheKey) -> Option<&'b [u8]> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (k, rest) = rest.split_at_checked(16)?;
    let (crc, rest) = rest.split_at_checked(4)?;
    let (len, payload) = rest.split_at_checked(8)?;
    let ok = u128::from_le_bytes(k.try_into().ok()?) == key.0
        && u64::from_le_bytes(len.try_into().ok()?) == payload.len() as u64
        && u32::from_le_bytes(crc.try_into().ok()?) == crc32fast::hash(payload);
    ok.then_some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stamp names the engine's sources, not only the executable: inside Python or a JVM
    /// the executable is the interpreter, the same before and after a rebuilt library.
    #[test]
    fn the_build_stamp_names_the_engine_sources() {
        let stamp = build_stamp();
        let source = env!("CODETABLE_SOURCE_STAMP");
        assert_eq!(source.len(), 16);
        assert!(source.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(stamp.starts_with(&format!("{source}-")), "{stamp}");
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("codetable-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn keys_depend_on_content_database_and_scope() {
        let k = CacheKey::new("é😀".as_bytes(), 1, "cli");
        assert_eq!(k, CacheKey::new("é😀".as_bytes(), 1, "cli"));
        assert_ne!(k, CacheKey::new("é😁".as_bytes(), 1, "cli"));
        assert_ne!(k, CacheKey::new("é😀".as_bytes(), 2, "cli"));
        assert_ne!(k, CacheKey::new("é😀".as_bytes(), 1, "lsp"));
        assert_ne!(content_hash(b"a\0"), content_hash(b"a"));
    }

    #[test]
    fn round_trip_and_damaged_entries_are_misses() {
        let dir = temp("rt");
        let cache = ResultCache::open(&dir).unwrap();
        let key = CacheKey::new(b"x = 1\n", 7, "test");
        assert_eq!(cache.get(&key), None);
        cache.put(&key, "[\"é\"]".as_bytes()).unwrap();
        assert_eq!(cache.get(&key).as_deref(), Some("[\"é\"]".as_bytes()));
        // A torn entry (as after a crash without the rename's guarantee) is a miss, and removed.
        let path = cache.path(&key);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert_eq!(cache.get(&key), None);
        assert!(!path.exists());
        // An entry of another key at this path (a hand-copied file) is a miss.
        let other = CacheKey::new(b"y", 7, "test");
        cache.put(&other, b"1").unwrap();
        std::fs::copy(cache.path(&other), &path).unwrap();
        assert_eq!(cache.get(&key), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn concurrent_writers_and_readers_see_whole_entries() {
        let dir = temp("conc");
        let cache = ResultCache::open(&dir).unwrap();
        let key = CacheKey::new(b"shared", 1, "test");
        let payload = vec![b'z'; 200_000];
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..20 {
                        cache.put(&key, &payload).unwrap();
                        if let Some(p) = cache.get(&key) {
                            assert_eq!(p, payload);
                        }
                    }
                });
            }
        });
        assert_eq!(cache.get(&key).unwrap(), payload);
        // No temporary file is left behind.
        let shard = cache.path(&key).parent().unwrap().to_path_buf();
        let names: Vec<String> = std::fs::read_dir(shard)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// `trim` reads nothing when the process wrote nothing, appends to the ledger while the
    /// folder stays within its bound, lists (and evicts) once the ledger says it may be past
    /// it, and does not trust a missing, torn or damaged ledger.
    #[test]
    fn trim_lists_the_folder_only_when_the_ledger_says_it_may_be_full() {
        let dir = temp("trim");
        let cache = ResultCache::open(&dir).unwrap().with_max_bytes(10_000);
        let ledger = cache.ledger();
        // Nothing written: nothing read or written, not even a ledger.
        assert_eq!(cache.trim().unwrap(), (0, 0));
        assert!(!ledger.exists());
        let key = |i: u32| CacheKey::new(&i.to_le_bytes(), 1, "test");
        cache.put(&key(0), &[0u8; 1_000]).unwrap();
        // No ledger yet: the folder is listed and the ledger written with its size.
        assert_eq!(cache.trim().unwrap(), (0, 0));
        assert_eq!(cache.ledger_total(), Some(1_036));
        // Within the bound: one record appended per trim.
        for i in 1..5 {
            cache.put(&key(i), &[0u8; 1_000]).unwrap();
            assert_eq!(cache.trim().unwrap(), (0, 0));
        }
        assert_eq!(cache.ledger_total(), Some(5 * 1_036));
        // A writer in another process (another `ResultCache` of the same folder counts with
        // this one here; the ledger is what processes share).
        let other = ResultCache::open(&dir).unwrap().with_max_bytes(10_000);
        for i in 5..12 {
            other.put(&key(i), &[0u8; 1_000]).unwrap();
        }
        let (removed, _) = other.trim().unwrap();
        assert!(removed >= 3, "{removed}");
        let total = cache.ledger_total().unwrap();
        assert!(total <= 9_000, "{total}");
        // A torn append (kill -9) or a damaged header: not trusted, the folder is listed again.
        for bad in [
            [&USAGE_MAGIC[..], &[1, 2, 3]].concat(),
            b"CTUSAGE0\0\0\0\0\0\0\0\0".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&ledger, &bad).unwrap();
            assert_eq!(cache.ledger_total(), None);
            cache.put(&key(99), &[0u8; 10]).unwrap();
            cache.trim().unwrap();
            assert_eq!(cache.ledger_total(), Some(total + 46), "measured again");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn eviction_keeps_the_bound_and_the_recently_used() {
        let dir = temp("evict");
        let cache = ResultCache::open(&dir).unwrap().with_max_bytes(10_000);
        let keys: Vec<CacheKey> = (0..10u8).map(|i| CacheKey::new(&[i], 1, "test")).collect();
        let old = SystemTime::now() - std::time::Duration::from_secs(1000);
        for (i, k) in keys.iter().enumerate() {
            cache.put(k, &[0u8; 2_000]).unwrap();
            // Oldest first: entry i was last used i seconds after `old`.
            let f = std::fs::File::options()
                .append(true)
                .open(cache.path(k))
                .unwrap();
            f.set_modified(old + std::time::Duration::from_secs(i as u64))
                .unwrap();
        }
        // A hit makes entry 0 the most recently used.
        assert!(cache.get(&keys[0]).is_some());
        let (removed, freed) = cache.evict().unwrap();
        assert!(removed >= 5 && freed >= 10_000, "{removed} {freed}");
        assert!(cache.get(&keys[0]).is_some(), "the entry just used is kept");
        assert!(
            cache.get(&keys[1]).is_none(),
            "the least recently used is gone"
        );
        assert!(cache.get(&keys[9]).is_some());
        assert_eq!(cache.evict().unwrap(), (0, 0));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
