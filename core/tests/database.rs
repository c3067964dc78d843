//! The database file: lookups by id, symbol and name prefix; mmap and bytes answer alike;
//! corrupt, truncated or foreign files give typed errors, never panics.

use std::io::Write;

use codetable::catalog::Catalog;
use codetable::{build_database, Error, Language, PatternDb, Section, Severity};
use proptest::prelude::*;

fn catalog() -> Catalog {
    Catalog::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../patterns"))
        .unwrap()
}

/// The catalog's database, built once (a proptest case must not rebuild 169 patterns).
fn bytes() -> Vec<u8> {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES
        .get_or_init(|| build_database(&catalog()).unwrap())
        .clone()
}

#[test]
fn lookups_by_id_symbol_and_prefix() {
    let db = PatternDb::from_bytes(bytes()).unwrap();
    let (n, p) = db.by_id("security.weak-hash.md5").unwrap().unwrap();
    assert_eq!(p.symbol, "Md");
    assert_eq!(p.severity, Severity::High);
    assert_eq!(p.group, "security");
    assert!(p.cwe.contains(&328));
    assert!(p.languages.contains(&Language::Python));
    assert!(!p.properties.is_empty() && !p.examples.is_empty());
    assert_eq!(db.by_symbol("Md").unwrap().unwrap().0, n);
    assert!(
        db.by_symbol("md").unwrap().is_none(),
        "symbols are case-sensitive"
    );
    assert!(db.by_id("no.such.pattern").unwrap().is_none());
    assert!(db.search("security.weak").unwrap().contains(&n));
    assert!(
        db.search("md5").unwrap().contains(&n),
        "name prefixes are case-insensitive"
    );
    assert_eq!(db.find("MD5 hash").unwrap().unwrap().0, n);
    assert_eq!(db.find("Md").unwrap().unwrap().0, n);
    assert!(db.search("zzz").unwrap().is_empty());
    let info = db.info().unwrap();
    assert_eq!(info.patterns as usize, db.len());
    assert_eq!(info.sections.len(), Section::ALL.len());
    assert!(info.meta.groups.get("security").copied().unwrap_or(0) >= 1);
    db.verify().unwrap();
}

#[test]
fn embedded_default_catalog_opens_and_verifies() {
    let db = PatternDb::default_catalog();
    db.verify().unwrap();
    assert_eq!(db.len(), catalog().len());
}

#[test]
fn mmap_and_bytes_answer_identically() {
    let data = bytes();
    let dir = std::env::temp_dir().join(format!("codetable-db-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cat.ctdb");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&data)
        .unwrap();
    let mapped = PatternDb::open(&path).unwrap();
    let owned = PatternDb::from_bytes(data.clone()).unwrap();
    assert_eq!(mapped.len(), owned.len());
    for n in 0..owned.len() as u32 {
        assert_eq!(mapped.pattern(n).unwrap(), owned.pattern(n).unwrap());
    }
    for e in 0..owned.entry_count() {
        assert_eq!(mapped.entry(e).unwrap(), owned.entry(e).unwrap());
        assert_eq!(mapped.required(e).unwrap(), owned.required(e).unwrap());
    }
    for q in ["s", "security", "M", "md", "z"] {
        assert_eq!(mapped.search(q).unwrap(), owned.search(q).unwrap());
    }
    assert_eq!(mapped.info().unwrap(), owned.info().unwrap());
    // An empty file cannot be mapped: it is reported as not a database.
    let empty = dir.join("empty.ctdb");
    std::fs::File::create(&empty).unwrap();
    assert!(matches!(
        PatternDb::open(&empty),
        Err(Error::NotADatabase(_))
    ));
    assert!(matches!(
        PatternDb::open(dir.join("missing.ctdb")),
        Err(Error::Io { .. })
    ));
    std::fs::remove_dir_all(&dir).ok();
}

/// Opens and exercises every reader; must never panic, whatever the bytes.
fn exercise(data: Vec<u8>) -> Result<(), Error> {
    let db = PatternDb::from_bytes(data)?;
    let _ = db.info();
    for n in 0..(db.len() as u32).min(64) {
        let _ = db.pattern(n);
    }
    for e in 0..db.entry_count().min(64) {
        let _ = db.entry(e);
        let _ = db.required(e);
    }
    let _ = db.search("s");
    let _ = db.by_id("security.weak-hash.md5");
    let _ = db.candidates(Language::Python, &[1, 2, 3]);
    db.verify()
}

#[test]
fn wrong_magic_and_version_are_typed_errors() {
    let data = bytes();
    let mut bad = data.clone();
    bad[0] = b'X';
    assert!(matches!(
        PatternDb::from_bytes(bad),
        Err(Error::NotADatabase(_))
    ));
    // A file of the previous format (shapes without guards) is refused, not misread.
    let mut old = data.clone();
    old[8..12].copy_from_slice(&1u32.to_le_bytes());
    assert!(matches!(
        PatternDb::from_bytes(old),
        Err(Error::UnsupportedVersion { found: 1, .. })
    ));
    let mut bad = data.clone();
    bad[8] = 99;
    assert!(matches!(
        PatternDb::from_bytes(bad),
        Err(Error::UnsupportedVersion {
            found: 99,
            supported: codetable::FORMAT_VERSION
        })
    ));
    assert!(matches!(
        PatternDb::from_bytes(Vec::new()),
        Err(Error::NotADatabase(_))
    ));
    assert!(matches!(
        PatternDb::from_bytes(b"hello".to_vec()),
        Err(Error::NotADatabase(_))
    ));
}

#[test]
fn truncation_at_every_section_boundary_is_an_error() {
    let data = bytes();
    let db = PatternDb::from_bytes(data.clone()).unwrap();
    let mut cuts = vec![0, 8, 31, 32, data.len() - 1, data.len() - 8];
    for (_, off, len) in db.info().unwrap().sections {
        cuts.extend([off as usize, (off + len) as usize, (off + len / 2) as usize]);
    }
    for cut in cuts {
        let r = exercise(data[..cut.min(data.len() - 1)].to_vec());
        assert!(r.is_err(), "truncated at {cut} must fail");
    }
}

#[test]
fn a_flip_in_every_section_is_caught_by_verify() {
    let data = bytes();
    let db = PatternDb::from_bytes(data.clone()).unwrap();
    for (section, off, len) in db.info().unwrap().sections {
        if len == 0 {
            continue;
        }
        for at in [off, off + len / 2, off + len - 1] {
            let mut bad = data.clone();
            bad[at as usize] ^= 0x5a;
            assert!(
                exercise(bad).is_err(),
                "flip at {at} in {section:?} must be reported"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_truncations_are_errors(cut in 0.0f64..1.0) {
        let data = bytes();
        let cut = ((data.len() as f64) * cut) as usize;
        prop_assert!(exercise(data[..cut].to_vec()).is_err());
    }

    #[test]
    fn random_byte_flips_never_panic_and_are_reported(at in 0.0f64..1.0, mask in 1u8..=255) {
        let mut data = bytes();
        let i = ((data.len() as f64) * at) as usize % data.len();
        data[i] ^= mask;
        prop_assert!(exercise(data).is_err());
    }
}
