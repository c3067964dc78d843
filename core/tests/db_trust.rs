//! A database is checked before it is trusted (issue #20): a damaged section is refused when
//! the database is opened, not discovered (or missed) during a scan; a crafted file whose
//! checksums were recomputed is a typed error, never a panic; a file that changes or vanishes
//! after opening does not disturb the open database; FIFOs, devices and folders are refused
//! before they are opened.

use std::panic::{catch_unwind, AssertUnwindSafe};

use codetable::{Engine, Error, Language, PatternDb, Section};

/// The embedded catalog's bytes (a real, full-size database).
fn bytes() -> Vec<u8> {
    codetable::DEFAULT_CATALOG.to_vec()
}

/// (section, offset, length) of every section, read from the section table.
fn sections(b: &[u8]) -> Vec<(Section, usize, usize)> {
    Section::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let at = 32 + i * 24;
            let off = u64::from_le_bytes(b[at + 8..at + 16].try_into().unwrap()) as usize;
            let len = u64::from_le_bytes(b[at + 16..at + 24].try_into().unwrap()) as usize;
            (*s, off, len)
        })
        .collect()
}

/// Recomputes every section checksum in the footer, so that only the structure of the bytes
/// can betray a change: what an attacker who read the format would produce.
fn reseal(b: &mut [u8]) {
    let footer = b.len() - 56;
    for (i, (_, off, len)) in sections(b).into_iter().enumerate() {
        let crc = crc32fast::hash(&b[off..off + len]);
        b[footer + i * 4..footer + i * 4 + 4].copy_from_slice(&crc.to_le_bytes());
    }
}

/// A small deterministic generator (the test must be reproducible without a seed file).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Every reader a scan or a host uses, on a database opened from `data`.
fn exercise(data: Vec<u8>) -> Result<(), Error> {
    let db = PatternDb::from_bytes(data)?;
    db.info()?;
    for n in 0..db.len() as u32 {
        db.pattern(n)?;
    }
    for e in 0..db.entry_count() {
        db.entry(e)?;
        db.required(e)?;
    }
    for q in ["s", "security.weak", "M", "md", "Md", "z", "", "\u{ff}"] {
        db.search(q)?;
        db.find(q)?;
    }
    db.by_id("security.weak-hash.md5")?;
    db.by_symbol("Md")?;
    db.index_keys(1 << 20)?;
    for language in Language::ALL {
        db.candidates(language, &[1, 2, 3, u64::MAX - 20])?;
    }
    let engine = Engine::new(db);
    let doc = codetable::Document::new(
        Language::Python,
        "import hashlib\n# d\u{e9}j\u{e0} vu\nhashlib.md5(b'x')\n",
    )?;
    engine.analyze(&doc)?;
    engine.db().verify()
}

#[test]
fn a_flip_in_any_section_is_refused_when_the_database_is_opened() {
    let data = bytes();
    for (section, off, len) in sections(&data) {
        for at in [off, off + len / 2, off + len - 1] {
            let mut bad = data.clone();
            bad[at] ^= 0x10;
            match PatternDb::from_bytes(bad) {
                Err(Error::CorruptDatabase { .. }) => {}
                other => panic!(
                    "a flip at {at} in {} must be refused at open, got {other:?}",
                    section.name()
                ),
            }
        }
    }
}

#[test]
fn crafted_databases_with_recomputed_checksums_are_errors_not_panics() {
    let data = bytes();
    let mut rng = Lcg(0x5eed);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut panics = Vec::new();
    let mut refused = 0;
    let mut cases = 0;
    for (section, off, len) in sections(&data) {
        // The FSTs are where crafted bytes used to panic: they get most of the cases.
        let n = match section {
            Section::Features | Section::Names => 120,
            _ => 12,
        };
        for _ in 0..n {
            let mut bad = data.clone();
            for _ in 0..1 + rng.next() % 3 {
                let at = off + (rng.next() as usize) % len;
                match rng.next() % 3 {
                    0 => bad[at] ^= 1 << (rng.next() % 8),
                    1 => bad[at] = rng.next() as u8,
                    _ => bad[at] = [0, 0xff, 0x80, 0x7f, 1][rng.next() as usize % 5],
                }
            }
            reseal(&mut bad);
            cases += 1;
            match catch_unwind(AssertUnwindSafe(|| exercise(bad))) {
                Ok(Err(_)) => refused += 1,
                Ok(Ok(())) => {}
                Err(_) => panics.push(section.name()),
            }
        }
    }
    std::panic::set_hook(previous);
    assert!(
        panics.is_empty(),
        "{} of {cases} crafted databases panicked (sections: {panics:?})",
        panics.len()
    );
    assert!(refused > cases / 2, "only {refused} of {cases} refused");
}

#[test]
fn a_file_rewritten_or_truncated_after_opening_leaves_the_database_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cat.ctdb");
    std::fs::write(&path, bytes()).unwrap();
    let engine = Engine::new(PatternDb::open(&path).unwrap());
    // Truncated in place (not replaced): a mapped file would fault on the next read.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(0)
        .unwrap();
    let doc = codetable::Document::new(
        Language::Python,
        "import hashlib\nname = '\u{e9}t\u{e9}'\nhashlib.md5(b'x')\n",
    )
    .unwrap();
    let found = engine.analyze(&doc).unwrap();
    let md5 = engine
        .db()
        .by_id("security.weak-hash.md5")
        .unwrap()
        .unwrap()
        .0;
    assert!(found.iter().any(|m| m.pattern == md5));
    engine.db().verify().unwrap();
    // Rewritten with other bytes of the same length.
    std::fs::write(&path, vec![0u8; codetable::DEFAULT_CATALOG.len()]).unwrap();
    assert_eq!(engine.analyze(&doc).unwrap(), found);
    // And the rewritten file is refused by the next open.
    assert!(PatternDb::open(&path).is_err());
}

#[test]
fn fifos_devices_and_folders_are_refused_before_opening() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.ctdb");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    // Opening a FIFO for reading blocks until a writer comes: the check must come first.
    let (tx, rx) = std::sync::mpsc::channel();
    let f = fifo.clone();
    std::thread::spawn(move || tx.send(PatternDb::open(&f).map(|_| ())));
    let r = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("opening a FIFO must not block");
    match r {
        Err(Error::Io { message, .. }) => {
            assert!(message.contains("not a regular file"), "{message}")
        }
        other => panic!("a FIFO must be refused, got {other:?}"),
    }
    for path in [
        dir.path().to_path_buf(),
        "/dev/zero".into(),
        "/dev/null".into(),
    ] {
        match PatternDb::open(&path) {
            Err(Error::Io { message, .. }) => {
                assert!(message.contains("not a regular file"), "{message}")
            }
            other => panic!("{} must be refused, got {other:?}", path.display()),
        }
    }
}
