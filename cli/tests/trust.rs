//! Hostile databases and catalog folders through the `codetable` binary (issue #20): a damaged
//! or crafted database stops the scan with exit 2 and a clear message (never a silent scan that
//! finds less, never a panic); a database file rewritten or truncated during scans kills none of
//! them; FIFOs, devices and folders given as databases, FIFOs named `*.toml` and symbolic-link
//! loops in catalog folders give an error or are walked once, and never hang (every run here has
//! a timeout, so a regression fails instead of hanging).

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

const TIMEOUT: Duration = Duration::from_secs(30);
const MD5_PY: &str = "import hashlib\n# cl\u{e9} \u{1f511}\ndef key(data):\n    return hashlib.md5(data).hexdigest()\n";

fn bin() -> Command {
    let mut c = Command::cargo_bin("codetable").unwrap();
    c.timeout(TIMEOUT);
    c
}

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

/// A folder with `db.ctdb` (the embedded catalog's bytes) and `app.py` (one MD5 finding).
fn setup() -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("db.ctdb");
    std::fs::write(&db, codetable::DEFAULT_CATALOG).unwrap();
    let src = dir.path().join("app.py");
    std::fs::write(&src, MD5_PY).unwrap();
    (dir, db, src)
}

/// (offset, length) of every section of a database, from its section table.
fn sections(b: &[u8]) -> Vec<(usize, usize)> {
    (0..8)
        .map(|i| {
            let at = 32 + i * 24;
            let off = u64::from_le_bytes(b[at + 8..at + 16].try_into().unwrap()) as usize;
            let len = u64::from_le_bytes(b[at + 16..at + 24].try_into().unwrap()) as usize;
            (off, len)
        })
        .collect()
}

/// Recomputes every section checksum: only the structure can betray the change.
fn reseal(b: &mut [u8]) {
    let footer = b.len() - 56;
    for (i, (off, len)) in sections(b).into_iter().enumerate() {
        let crc = crc32fast::hash(&b[off..off + len]);
        b[footer + i * 4..footer + i * 4 + 4].copy_from_slice(&crc.to_le_bytes());
    }
}

#[test]
fn a_flip_in_any_section_stops_the_scan_with_exit_2() {
    let (_dir, db, src) = setup();
    let good = std::fs::read(&db).unwrap();
    for (i, (off, len)) in sections(&good).into_iter().enumerate() {
        let mut bad = good.clone();
        bad[off + len / 2] ^= 0x08;
        std::fs::write(&db, &bad).unwrap();
        let out = bin()
            .args(["scan", "--db"])
            .arg(&db)
            .arg(&src)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("corrupt pattern database"),
            "section {i}: {stderr}"
        );
        assert!(
            out.stdout.is_empty(),
            "section {i}: no findings from a corrupt database"
        );
    }
}

#[test]
fn crafted_databases_with_recomputed_checksums_never_panic() {
    let (_dir, db, src) = setup();
    let good = std::fs::read(&db).unwrap();
    // The root node of each FST (its last bytes before the 20-byte trailer) set to extremes,
    // checksums recomputed: scans (feature index) and searches (name index) used to panic
    // inside `fst`.
    for (section, command) in [(0, "scan"), (2, "search")] {
        let (off, len) = sections(&good)[section];
        for k in 21..27 {
            for value in [0xff, 0x00, 0x3f, 0xc0] {
                let mut bad = good.clone();
                bad[off + len - k] = value;
                reseal(&mut bad);
                std::fs::write(&db, &bad).unwrap();
                let mut cmd = bin();
                cmd.args([command, "--db"]).arg(&db);
                if command == "scan" {
                    cmd.arg(&src);
                } else {
                    cmd.arg("s");
                }
                let out = cmd.output().unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr);
                let case = format!("section {section}, byte -{k} = {value:#x}");
                assert!(!stderr.contains("panicked"), "{case}: {stderr}");
                match out.status.code() {
                    Some(2) => {
                        assert!(
                            stderr.contains("corrupt pattern database"),
                            "{case}: {stderr}"
                        )
                    }
                    // A change the structure cannot betray (the same byte, or a value that still
                    // makes a valid FST) must give a database that verifies.
                    Some(0 | 1) => {
                        bin().args(["db", "verify"]).arg(&db).assert().success();
                    }
                    other => panic!("{case}: exit {other:?}: {stderr}"),
                }
            }
        }
    }
}

#[test]
fn fifos_devices_and_folders_are_refused_as_databases() {
    let (dir, _db, src) = setup();
    let fifo = dir.path().join("pipe.ctdb");
    mkfifo(&fifo);
    let others: [PathBuf; 3] = [fifo, "/dev/zero".into(), dir.path().to_path_buf()];
    for path in &others {
        for args in [
            vec!["scan", "--db"],
            vec!["db", "info"],
            vec!["db", "verify"],
        ] {
            let mut cmd = bin();
            cmd.args(&args).arg(path);
            if args[0] == "scan" {
                cmd.arg(&src);
            }
            let out = cmd.assert().code(2).get_output().clone();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains("not a regular file"),
                "{args:?} {}: {stderr}",
                path.display()
            );
        }
    }
}

/// A copy of the test catalog (`tests/data/catalog`) in a temporary folder.
fn catalog_copy() -> TempDir {
    let dir = TempDir::new().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/catalog");
    let mut stack = vec![from.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let to = dir.path().join(p.strip_prefix(&from).unwrap());
            if p.is_dir() {
                std::fs::create_dir_all(&to).unwrap();
                stack.push(p);
            } else {
                std::fs::copy(&p, &to).unwrap();
            }
        }
    }
    dir
}

#[test]
fn symlink_loops_in_a_catalog_folder_are_walked_once() {
    let cat = catalog_copy();
    let reference = TempDir::new().unwrap();
    let plain = reference.path().join("plain.ctdb");
    bin()
        .args(["db", "build"])
        .arg(cat.path())
        .arg("-o")
        .arg(&plain)
        .assert()
        .success();
    // Two loops: every path through them is a new path, so a walk that follows links without
    // remembering where it has been grows without bound.
    std::os::unix::fs::symlink(".", cat.path().join("again")).unwrap();
    std::os::unix::fs::symlink("..", cat.path().join("security/up")).unwrap();
    let looped = reference.path().join("looped.ctdb");
    bin()
        .args(["db", "build"])
        .arg(cat.path())
        .arg("-o")
        .arg(&looped)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&plain).unwrap(),
        std::fs::read(&looped).unwrap(),
        "the loops add nothing"
    );
}

#[test]
fn links_out_of_a_catalog_folder_need_follow_links() {
    let cat = catalog_copy();
    let elsewhere = catalog_copy();
    std::fs::remove_dir_all(cat.path().join("design")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("design"), cat.path().join("design")).unwrap();
    let out_dir = TempDir::new().unwrap();
    let out = out_dir.path().join("o.ctdb");
    let refused = bin()
        .args(["db", "build"])
        .arg(cat.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("out of the catalog folder"), "{stderr}");
    assert!(!out.exists());
    bin()
        .args(["db", "build", "--follow-links"])
        .arg(cat.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn db_build_never_writes_over_a_fifo_or_a_device() {
    let cat = catalog_copy();
    let out_dir = TempDir::new().unwrap();
    let fifo = out_dir.path().join("out.ctdb");
    mkfifo(&fifo);
    for target in [fifo.clone(), out_dir.path().to_path_buf()] {
        let out = bin()
            .args(["db", "build"])
            .arg(cat.path())
            .arg("-o")
            .arg(&target)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("not a regular file"), "{stderr}");
    }
    let still_fifo = std::os::unix::fs::FileTypeExt::is_fifo(
        &std::fs::symlink_metadata(&fifo).unwrap().file_type(),
    );
    assert!(still_fifo, "the FIFO was replaced");
}

#[test]
fn a_fifo_named_toml_in_a_catalog_is_refused() {
    let cat = catalog_copy();
    mkfifo(&cat.path().join("security/x.toml"));
    std::fs::write(cat.path().join("symbols.txt"), "").unwrap();
    let out_dir = TempDir::new().unwrap();
    for args in [vec!["db", "build"], vec!["db", "lint"]] {
        let mut cmd = bin();
        cmd.args(&args).arg(cat.path());
        if args[1] == "build" {
            cmd.arg("-o").arg(out_dir.path().join("o.ctdb"));
        }
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{args:?}: {:?} {text}",
            out.status
        );
        assert!(
            text.contains("x.toml") && text.contains("a FIFO"),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn a_database_rewritten_and_truncated_during_scans_kills_none() {
    let (dir, db, _src) = setup();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    for i in 0..300 {
        std::fs::write(tree.join(format!("f{i}.py")), MD5_PY.repeat(20)).unwrap();
    }
    let good = std::fs::read(&db).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, db, good) = (stop.clone(), db.clone(), good.clone());
        std::thread::spawn(move || {
            use std::io::Write;
            let mut rounds = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // In place, not by rename: the open file itself shrinks and changes.
                let mut f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
                f.set_len(0).unwrap();
                std::thread::sleep(Duration::from_millis(2));
                f.write_all(&good[..good.len() / 2]).unwrap();
                std::thread::sleep(Duration::from_millis(1));
                f.write_all(&good[good.len() / 2..]).unwrap();
                drop(f);
                std::thread::sleep(Duration::from_millis(3));
                rounds += 1;
            }
            rounds
        })
    };
    let mut codes = Vec::new();
    for _ in 0..12 {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("codetable"))
            .args(["scan", "--format", "json", "--db"])
            .arg(&db)
            .arg(&tree)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!stderr.contains("panicked"), "{stderr}");
        match out.status.code() {
            // Opened a whole snapshot: every file has its findings.
            Some(1) => assert_eq!(
                out.stdout.iter().filter(|&&b| b == b'\n').count(),
                300 * 20,
                "{stderr}"
            ),
            // Opened while the file was being rewritten: a clean refusal.
            Some(2) => assert!(stderr.contains("database"), "{stderr}"),
            other => panic!("scan ended with {other:?} (a signal?): {stderr}"),
        }
        codes.push(out.status.code());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(writer.join().unwrap() > 0);
    assert!(
        codes.contains(&Some(1)),
        "no scan opened a whole file: {codes:?}"
    );
}
