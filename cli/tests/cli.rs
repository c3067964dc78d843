//! End-to-end tests of the `codetable` command through its public interface: the binary.
//!
//! Most tests use a small catalog of their own (`tests/data/catalog`, built with
//! `codetable db build` into a temporary folder) so they do not change when patterns are added to
//! the shipped catalog; the few that use the embedded catalog assert on `security.weak-hash.md5`
//! only. Golden files live in `tests/golden/` (`UPDATE_GOLDEN=1` rewrites them).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn bin() -> Command {
    let mut c = Command::cargo_bin("codetable").unwrap();
    c.env_remove("NO_COLOR");
    // The default result cache of every test run is a folder of its own (shared by its tests:
    // the golden outputs then also hold when a file's findings come from the cache).
    c.env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join(format!("codetable-cli-tests-{}", std::process::id())),
    );
    c
}

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

/// A temporary folder holding `test.ctdb`, compiled from `tests/data/catalog`.
fn test_db() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("test.ctdb");
    bin()
        .args(["db", "build"])
        .arg(data("catalog"))
        .arg("-o")
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("3 patterns"));
    (dir, db)
}

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

const MD5_PY: &str =
    "import hashlib\n\n\ndef key(data):\n    return hashlib.md5(data).hexdigest()\n";
const CLEAN_PY: &str = "def add(a, b):\n    return a + b\n";

fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(actual, expected, "golden file {name} differs");
}

// ---------------------------------------------------------------------------------------------
// scan

#[test]
fn scan_of_the_sample_project_finds_md5_in_four_languages() {
    let out = bin()
        .current_dir(repo(""))
        .args([
            "scan",
            "examples/project",
            "--format",
            "json",
            "--pattern",
            "Md",
        ])
        .assert()
        // The sample project lives under examples/: its findings are example code, which
        // never fails a build.
        .code(0)
        .get_output()
        .stdout
        .clone();
    let findings = json_lines(&out);
    let mut langs: Vec<&str> = findings
        .iter()
        .map(|f| f["language"].as_str().unwrap())
        .collect();
    langs.sort();
    langs.dedup();
    assert_eq!(langs, ["go", "java", "javascript", "python"]);
    assert!(findings
        .iter()
        .all(|f| f["pattern"] == "security.weak-hash.md5" && f["context"] == "example"));
}

#[test]
fn json_lines_follow_the_documented_schema() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    // A non-ASCII character before the match on its line: columns count code points.
    write(
        tree.path(),
        "app.py",
        "import hashlib\n\ndef key(data):\n    s = 'é'; return hashlib.md5(data)\n",
    );
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "json", "--db"])
        .arg(&db)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let f = &json_lines(&out)[0];
    assert_eq!(f["path"], "./app.py".trim_start_matches("./"));
    assert_eq!(f["language"], "python");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(4), Some(21))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(4), Some(38))
    );
    assert_eq!(f["snippet"], "hashlib.md5(data)");
    let line = "    s = 'é'; return hashlib.md5(data)";
    let start =
        f["byte_start"].as_u64().unwrap() as usize - "import hashlib\n\ndef key(data):\n".len();
    assert_eq!(&line[start..], "hashlib.md5(data)");
    assert_eq!(f["pattern"], "security.weak-hash.md5");
    assert_eq!(f["symbol"], "Md");
    assert_eq!(f["name"], "MD5 hash");
    assert_eq!(f["group"], "security");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["score"], 1.0);
    assert_eq!(f["unit"], "key");
    assert!(f["key_property"].as_str().unwrap().contains("collision"));
    assert_eq!(f["cwe"], serde_json::json!([327, 328]));
    assert_eq!(f["owasp"], serde_json::json!(["A02:2021"]));
    assert!(f["captures"].is_array());
    assert_eq!(f["id"].as_str().unwrap().len(), 16);
    let schema = schema("finding.schema.json");
    for f in json_lines(&out) {
        let errors: Vec<String> = schema.iter_errors(&f).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{f}: {errors:?}");
    }
}

/// A validator for one of core's checked-in JSON Schemas.
fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo("core/schema").join(name)).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

/// The cross-host golden scan: `tests/golden/scan.jsonl` is this command's JSON for the sample
/// project, and the C, Python, Node and JUnit suites must print the same bytes for the same files
/// (`UPDATE_GOLDEN=1 cargo test -p codetable-cli --test cli` rewrites it). Every record follows
/// the finding schema.
#[test]
fn scan_json_is_the_cross_host_golden_file() {
    let out = bin()
        .current_dir(repo(""))
        // Every pattern's raw findings, as the bindings' engines (no profile) give them.
        .args([
            "scan",
            "examples/project",
            "--format",
            "json",
            "--select",
            "all",
            "--raw",
            "--fail-on",
            "never",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let path = repo("tests/golden/scan.jsonl");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let schema = schema("finding.schema.json");
    let findings = json_lines(text.as_bytes());
    assert!(findings.len() > 20, "{text}");
    for f in &findings {
        let errors: Vec<String> = schema.iter_errors(f).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{f}: {errors:?}");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        text == expected,
        "tests/golden/scan.jsonl differs from the CLI's JSON: rerun with UPDATE_GOLDEN=1, review"
    );
}

#[test]
fn text_report_matches_the_golden_file() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    write(tree.path(), "src/app.py", MD5_PY);
    write(tree.path(), "src/tabs.go", "package main\n\nimport \"crypto/md5\"\n\nfunc sum(b []byte) [16]byte {\n\treturn md5.Sum(b)\n}\n");
    write(tree.path(), "src/clean.py", CLEAN_PY);
    let assert = bin()
        .current_dir(tree.path())
        .args(["scan", "src", "--color", "never", "--db"])
        .arg(&db)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 findings in 3 files scanned"));
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(!stdout.contains('\x1b'), "no colour on a pipe");
    golden("scan.txt", &stdout);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    write(tree.path(), "a.py", MD5_PY);
    bin()
        .current_dir(tree.path())
        .args(["scan", "--color", "always", "--db"])
        .arg(&db)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\x1b[31m"));
    bin()
        .current_dir(tree.path())
        .args(["scan", "--db"])
        .arg(&db)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\x1b").not());
}

#[test]
fn exit_codes_follow_fail_on() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    write(tree.path(), "a.py", MD5_PY); // high
    write(tree.path(), "clean/b.py", CLEAN_PY);
    let run = |args: &[&str]| {
        bin()
            .current_dir(tree.path())
            .arg("scan")
            .args(args)
            .arg("--db")
            .arg(&db)
            .arg("-q")
            .assert()
    };
    run(&[]).code(1);
    run(&["clean"]).code(0).stdout("");
    run(&["--fail-on", "high"]).code(1);
    run(&["--fail-on", "critical"]).code(0);
    run(&["--fail-on", "never"]).code(0);
    run(&["--min-severity", "critical"]).code(0).stdout("");
    // Info findings (SHA-256) do not fail the default --fail-on low.
    write(
        tree.path(),
        "sha/c.py",
        "import hashlib\nd = hashlib.sha256(b'x')\n",
    );
    run(&["sha"]).code(0).stdout("");
    run(&["sha", "--select", "info"])
        .code(0)
        .stdout(predicate::str::contains("Sh SHA-256 hash"));
    run(&["sha", "--select", "info", "--fail-on", "info"]).code(1);
}

#[test]
fn usage_and_io_errors_exit_with_2() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    write(tree.path(), "a.py", MD5_PY);
    let run = |args: &[&str]| bin().current_dir(tree.path()).args(args).assert();
    run(&["scan", "--min-severity", "huge"])
        .code(2)
        .stderr(predicate::str::contains("unknown severity"));
    run(&["scan", "--lang", "cobol"])
        .code(2)
        .stderr(predicate::str::contains("unknown language"));
    run(&["scan", "--group", "nonsense"])
        .code(2)
        .stderr(predicate::str::contains("unknown group `nonsense`"));
    run(&["scan", "--pattern", "no.such.pattern"])
        .code(2)
        .stderr(predicate::str::contains("no pattern has the id"));
    run(&["scan", "missing-folder"])
        .code(2)
        .stderr(predicate::str::contains("missing-folder: no such file"));
    run(&["scan", "--max-file-size", "ten"])
        .code(2)
        .stderr(predicate::str::contains("not a size"));
    run(&["scan", "--db", "a.py"])
        .code(2)
        .stderr(predicate::str::contains("cannot open database a.py"));
    run(&["frobnicate"]).code(2);
    let _ = db;
}

#[test]
fn filters_select_groups_languages_and_patterns() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    write(tree.path(), "a.py", MD5_PY);
    write(tree.path(), "b.go", "package main\n\nimport \"crypto/md5\"\n\nfunc s(b []byte) [16]byte { return md5.Sum(b) }\n");
    write(
        tree.path(),
        "c.py",
        "import hashlib\nd = hashlib.sha256(b'x')\n",
    );
    let count = |args: &[&str]| {
        let out = bin()
            .current_dir(tree.path())
            .args(["scan", "--format", "json", "--fail-on", "never", "--db"])
            .arg(&db)
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        json_lines(&out)
            .iter()
            .map(|f| {
                format!(
                    "{}:{}",
                    f["path"].as_str().unwrap(),
                    f["symbol"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    // Sh is an info pattern: off by default, reported when selected or named.
    assert_eq!(count(&[]), ["a.py:Md", "b.go:Md"]);
    assert_eq!(
        count(&["--select", "all"]),
        ["a.py:Md", "b.go:Md", "c.py:Sh"]
    );
    assert_eq!(count(&["--lang", "go"]), ["b.go:Md"]);
    assert_eq!(count(&["--lang", "py,go", "--pattern", "Sh"]), ["c.py:Sh"]);
    assert_eq!(
        count(&["--pattern", "security.weak"]),
        ["a.py:Md", "b.go:Md"]
    );
    assert_eq!(count(&["--group", "design"]), Vec::<String>::new());
    assert_eq!(
        count(&["--group", "security", "--min-severity", "high"]),
        ["a.py:Md", "b.go:Md"]
    );
}

#[test]
fn gitignore_hidden_files_and_shebangs() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    write(tree.path(), ".gitignore", "ignored.py\n");
    write(tree.path(), "ignored.py", MD5_PY);
    write(tree.path(), ".hidden/h.py", MD5_PY);
    write(
        tree.path(),
        "tool",
        format!("#!/usr/bin/env python3\n{MD5_PY}"),
    );
    write(tree.path(), "notes.txt", "hashlib.md5(x)\n");
    let paths = |args: &[&str]| {
        let out = bin()
            .current_dir(tree.path())
            .args(["scan", "--format", "json", "--db"])
            .arg(&db)
            .args(args)
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        json_lines(&out)
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(&[]), ["tool"]);
    assert_eq!(paths(&["--no-ignore"]), ["ignored.py", "tool"]);
    assert_eq!(paths(&["--hidden"]), [".hidden/h.py", "tool"]);
    // A path given explicitly is scanned even when ignored.
    assert_eq!(paths(&["ignored.py"]), ["ignored.py"]);
}

/// A tree with everything that must be skipped, never fatal: a binary file, invalid UTF-8, a
/// 20 MB file, a symlink loop, a FIFO (unreadable: never opened) and a file without read
/// permission (unreadable only when the tests do not run as root: root reads it anyway, and the
/// test then expects it scanned).
#[cfg(unix)]
#[test]
fn hostile_tree_is_summarised_never_fatal() {
    use std::os::unix::fs::PermissionsExt;
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    let t = tree.path();
    write(t, "good.py", MD5_PY);
    write(t, "binary.py", b"import os\x00\x01\x02\xff\n");
    write(
        t,
        "latin1.py",
        b"name = '\xe9t\xe9'\nimport hashlib\nhashlib.md5(b'x')\n",
    );
    let big = "x = 1\n".repeat(20 * 1024 * 1024 / 6 + 1);
    write(t, "big.py", big);
    std::os::unix::fs::symlink(".", t.join("loop")).unwrap();
    std::os::unix::fs::symlink("self.py", t.join("self.py")).unwrap();
    let fifo = t.join("pipe.py");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let locked = write(t, "locked.py", CLEAN_PY);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let locked_is_unreadable = std::fs::read(&locked).is_err();

    let out = bin()
        .current_dir(t)
        .args(["scan", "-L", "--verbose", "--format", "json", "--db"])
        .arg(&db)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let findings = json_lines(&out.stdout);
    assert_eq!(findings.len(), 1, "{stderr}");
    assert_eq!(findings[0]["path"], "good.py");
    assert!(stderr.contains("skipped (binary): binary.py"), "{stderr}");
    assert!(
        stderr.contains("skipped (not UTF-8): latin1.py"),
        "{stderr}"
    );
    assert!(stderr.contains("skipped (too large): big.py"), "{stderr}");
    assert!(
        stderr.contains("skipped (unreadable): pipe.py: not a regular file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("self.py"),
        "the self-referencing link is reported: {stderr}"
    );
    assert!(
        stderr.to_lowercase().contains("loop"),
        "the directory loop is reported: {stderr}"
    );
    let unreadable = 2 + usize::from(locked_is_unreadable) + 1;
    assert!(
        stderr.contains(&format!(
            "1 binary, 1 too large, {unreadable} unreadable, 1 not UTF-8"
        )),
        "{stderr}"
    );
    let scanned = if locked_is_unreadable { 1 } else { 2 };
    assert!(
        stderr.contains(&format!("in {scanned} files scanned")),
        "{stderr}"
    );

    // Without -L the links are not followed: not reported, and the rest is the same.
    bin()
        .current_dir(t)
        .args(["scan", "--db"])
        .arg(&db)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("1 binary, 1 too large")
                .and(predicate::str::contains("loop").not()),
        );
    // A larger limit lets the 20 MB file through.
    bin()
        .current_dir(t)
        .args(["scan", "--max-file-size", "32M", "--db"])
        .arg(&db)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("too large").not());
}

#[test]
fn sarif_output_validates_against_the_vendored_schema() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    write(tree.path(), "src/app one.py", MD5_PY);
    write(
        tree.path(),
        "src/b.py",
        "import hashlib\nd = hashlib.sha256(b'x')\n",
    );
    write(tree.path(), "src/bin.py", b"\x00\x01");
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "sarif", "--select", "all", "--db"])
        .arg(&db)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let sarif: Value = serde_json::from_slice(&out).unwrap();
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(data("sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator is not vacuous: a broken log fails.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));

    let run = &sarif["runs"][0];
    assert_eq!(sarif["version"], "2.1.0");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let md5 = rules
        .iter()
        .find(|r| r["id"] == "security.weak-hash.md5")
        .unwrap();
    assert_eq!(md5["defaultConfiguration"]["level"], "error");
    assert!(md5["help"]["text"].as_str().unwrap().contains("collision"));
    let tags = md5["properties"]["tags"].as_array().unwrap();
    assert!(tags.contains(&"external/cwe/cwe-327".into()));
    assert_eq!(md5["properties"]["security-severity"], "7.5");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let r = &results[0];
    assert_eq!(r["ruleId"], "security.weak-hash.md5");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "src/app%20one.py");
    assert_eq!(loc["region"]["startLine"], 5);
    assert_eq!(loc["region"]["startColumn"], 12);
    assert_eq!(results[1]["level"], "note");
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("binary"));
}

#[test]
fn parse_only_floor_reads_and_parses_but_reports_nothing() {
    let tree = TempDir::new().unwrap();
    write(tree.path(), "a.py", MD5_PY);
    bin()
        .current_dir(tree.path())
        .args(["scan", "--parse-only"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("0 findings in 1 file scanned"));
    bin()
        .current_dir(tree.path())
        .args(["scan", "--units-only", "-j", "1"])
        .assert()
        .success()
        .stdout("");
}

// ---------------------------------------------------------------------------------------------
// explain, search, table, similar

/// `codetable explain QUERY --color never --db DB`, which must succeed: its standard output.
fn explain(db: &Path, query: &str) -> String {
    let out = bin()
        .args(["explain", query, "--color", "never", "--db"])
        .arg(db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn explain_shows_the_whole_property_sheet() {
    let (_d, db) = test_db();
    let text = explain(&db, "Md");
    golden("explain-md.txt", &text);
    for part in [
        "security.weak-hash.md5",
        "severity:  high",
        "CWE-327, CWE-328",
        "A02:2021",
        "Properties",
        "evidence: https://www.rfc-editor.org/rfc/rfc6151",
        "Common issues",
        "Sh SHA-256 hash (security.strong-hash.sha256)",
        "rule (python): hashlib.md5($$$)",
        "where $ALG matches",
        "Examples",
    ] {
        assert!(text.contains(part), "missing {part:?} in\n{text}");
    }
    // By id and by name (case-insensitive) it is the same sheet; JSON is the record.
    bin()
        .args([
            "explain",
            "security.weak-hash.md5",
            "--color",
            "never",
            "--db",
        ])
        .arg(&db)
        .assert()
        .success()
        .stdout(text.clone());
    bin()
        .args(["explain", "md5 HASH", "--color", "never", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(text);
    let json = bin()
        .args(["explain", "Md", "--format", "json", "--db"])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["id"], "security.weak-hash.md5");
    assert_eq!(v["cwe"], serde_json::json!([327, 328]));
    assert_eq!(v["matcher"]["kind"], "rule");
    let errors: Vec<String> = schema("pattern-sheet.schema.json")
        .iter_errors(&v)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    bin()
        .args(["explain", "security.weak", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean security.weak-hash.md5",
        ));
    bin()
        .args(["explain", "Zz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no pattern has the id, symbol or name `Zz`",
        ));
}

#[test]
fn explain_shows_a_shapes_guards() {
    let (_d, db) = test_db();
    let text = explain(&db, "Sg");
    assert!(
        text.contains("shape: similarity ≥ 0.80 to 1 reference implementation(s) (python)"),
        "{text}"
    );
    assert!(
        text.contains("  requires (python): super().__new__($$$A)\n    inside: def __new__($$$P):"),
        "{text}"
    );
}

#[test]
fn explain_and_search_use_the_embedded_catalog_by_default() {
    bin()
        .args(["explain", "security.weak-hash.md5"])
        .assert()
        .success()
        .stdout(predicate::str::contains("MD5 hash"));
    bin()
        .args(["search", "security.weak-hash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("security.weak-hash.md5"));
}

#[test]
fn search_lists_one_line_per_pattern() {
    let (_d, db) = test_db();
    let run = |q: &str| {
        bin()
            .args(["search", q, "--color", "never", "--db"])
            .arg(&db)
            .assert()
    };
    let out = run("security.").success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    golden("search-security.txt", &text);
    assert_eq!(text.lines().count(), 2);
    run("S")
        .success()
        .stdout(predicate::str::contains("Sg").and(predicate::str::contains("Sh")));
    run("single")
        .success()
        .stdout(predicate::str::contains("design.singleton.new"));
    run("zzz")
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("no pattern matches `zzz`"));
}

#[test]
fn table_draws_the_catalog_and_highlights_findings() {
    let (_d, db) = test_db();
    let plain = bin()
        .args(["table", "--color", "never", "--db"])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let plain = String::from_utf8(plain).unwrap();
    golden("table.txt", &plain);
    let header = plain.lines().next().unwrap();
    assert!(header.starts_with("security") && header.contains("design"));
    // Md (high) sits above Sh (info) in the security column; Sg in the design column.
    let md = plain.find("Md").unwrap();
    let sh = plain.find("Sh").unwrap();
    assert!(md < sh);
    let design_col = header.find("design").unwrap();
    let sg_line = plain.lines().find(|l| l.contains("Sg")).unwrap();
    assert_eq!(sg_line.find("Sg"), Some(design_col));

    let tree = TempDir::new().unwrap();
    write(tree.path(), "a.py", MD5_PY);
    write(tree.path(), "b.py", MD5_PY);
    let scanned = bin()
        .current_dir(tree.path())
        .args(["table", ".", "--color", "never", "--db"])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let scanned = String::from_utf8(scanned).unwrap();
    assert!(scanned.contains("[Md    2]"), "{scanned}");
    assert!(!scanned.contains("[Sh"), "{scanned}");
    assert!(scanned.contains("1 of them found"), "{scanned}");
    let coloured = bin()
        .current_dir(tree.path())
        .args(["table", ".", "--color", "always", "--db"])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let coloured = String::from_utf8(coloured).unwrap();
    assert!(
        coloured.contains("\x1b[1;30;41m Md    2 \x1b[0m"),
        "{coloured:?}"
    );
}

#[test]
fn similar_ranks_shape_patterns_for_the_unit_at_a_line() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    let f = write(
        tree.path(),
        "registry.py",
        "import threading\n\n\nclass Settings:\n    _instance = None\n\n    def __new__(cls):\n        if cls._instance is None:\n            cls._instance = super().__new__(cls)\n        return cls._instance\n\n\ndef helper():\n    return 1\n",
    );
    let target = |line: u32| format!("{}:{line}", f.display());
    let out = bin()
        .args(["similar", &target(5), "--color", "never", "--db"])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "unit: class Settings (lines 4–10, python)");
    assert!(lines[1].contains("design.singleton.new"), "{text}");
    let score: f32 = lines[1].split_whitespace().next().unwrap().parse().unwrap();
    assert!(score >= 0.8, "{text}");
    bin()
        .args(["similar", &target(14), "--color", "never", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("function helper"));
    bin()
        .args(["similar", &f.display().to_string()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not FILE:LINE"));
    bin()
        .args(["similar", &target(99)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("past the end"));
    bin()
        .args(["similar", "nowhere.py:1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere.py"));
}

// ---------------------------------------------------------------------------------------------
// db

#[test]
fn db_build_info_and_verify() {
    let (dir, db) = test_db();
    let info = bin()
        .args(["db", "info"])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let info = String::from_utf8(info).unwrap();
    for part in [
        &format!("version:   {}", codetable::FORMAT_VERSION),
        "patterns:  3",
        "groups:    design 1, security 2",
        "checksums: ok",
        "records",
        "features",
    ] {
        assert!(info.contains(part), "missing {part:?} in\n{info}");
    }
    bin()
        .args(["db", "verify"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("ok (3 patterns"));
    bin()
        .args(["db", "info"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(embedded default catalog)"));

    // Flip one byte inside the records section: opening refuses it; verify and info say so with 1.
    let records = info
        .lines()
        .find(|l| l.trim_start().starts_with("records"))
        .unwrap();
    let nums: Vec<usize> = records
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[nums[0] + nums[1] / 2] ^= 0xff;
    let corrupt = dir.path().join("corrupt.ctdb");
    std::fs::write(&corrupt, &bytes).unwrap();
    bin()
        .args(["db", "verify"])
        .arg(&corrupt)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("corrupt"));
    bin()
        .args(["db", "info"])
        .arg(&corrupt)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("checksums: FAILED"));
    // Truncated: not even a database.
    let short = dir.path().join("short.ctdb");
    std::fs::write(&short, &bytes[..100]).unwrap();
    bin()
        .args(["db", "verify"])
        .arg(&short)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("corrupt"));
    bin()
        .args(["db", "verify", "no-such.ctdb"])
        .assert()
        .code(2);
    // A scan with a corrupt database stops at once with 2 (never a scan that finds less).
    let tree = TempDir::new().unwrap();
    write(tree.path(), "a.py", MD5_PY);
    bin()
        .current_dir(tree.path())
        .args(["scan", "--db"])
        .arg(&corrupt)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("corrupt pattern database"));
}

#[test]
fn db_build_replaces_the_file_without_touching_what_readers_have_open() {
    let (dir, db) = test_db();
    let before = std::fs::read(&db).unwrap();
    // A reader's view of the old file: a second name for the same inode.
    let reader = dir.path().join("reader.ctdb");
    std::fs::hard_link(&db, &reader).unwrap();
    // Rebuild from a smaller catalog (one self-contained pattern) into the same path.
    let smaller = dir.path().join("smaller");
    let one = "design/singleton.toml";
    write(
        &smaller,
        one,
        std::fs::read(data("catalog").join(one)).unwrap(),
    );
    bin()
        .args(["db", "build"])
        .arg(&smaller)
        .arg("-o")
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 patterns"));
    assert_eq!(std::fs::read(&reader).unwrap(), before);
    assert_ne!(std::fs::read(&db).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn db_build_errors_name_the_file_and_field() {
    let dir = TempDir::new().unwrap();
    let bad = std::fs::read_to_string(data("catalog/security/weak-hash-md5.toml"))
        .unwrap()
        .replace("symbol = \"Md\"", "symbol = \"md5!\"");
    write(dir.path(), "cat/md5.toml", bad);
    bin()
        .args(["db", "build"])
        .arg(dir.path().join("cat"))
        .arg("-o")
        .arg(dir.path().join("x.ctdb"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("md5.toml: symbol"));
    assert!(!dir.path().join("x.ctdb").exists());
    bin()
        .args(["db", "build", "no-such-dir", "-o", "x.ctdb"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a folder"));
}

#[test]
fn db_lint_prints_one_line_per_issue() {
    let dir = TempDir::new().unwrap();
    let cat = dir.path().join("cat");
    for rel in [
        "security/weak-hash-md5.toml",
        "security/strong-hash-sha256.toml",
    ] {
        write(&cat, rel, std::fs::read(data("catalog").join(rel)).unwrap());
    }
    // The safe variant points back at the hazard: the test catalog then passes the lint.
    let sha = cat.join("security/strong-hash-sha256.toml");
    let text = std::fs::read_to_string(&sha).unwrap().replace(
        "alternatives = []",
        "alternatives = [\"security.weak-hash.md5\"]",
    );
    std::fs::write(&sha, text).unwrap();
    // No symbol list: an I/O error.
    bin()
        .args(["db", "lint"])
        .arg(&cat)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("symbols.txt"));
    write(
        &cat,
        "symbols.txt",
        "# shipped symbols\nMd\tsecurity.weak-hash.md5\nSh\tsecurity.strong-hash.sha256\n",
    );
    bin()
        .args(["db", "lint"])
        .arg(&cat)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 patterns, no lint issues"));
    // Two issues: a symbol taken from another id, and the graph falls apart with a new pattern.
    write(
        &cat,
        "symbols.txt",
        "Md\tsecurity.weak-hash.md5\nSh\tsecurity.weak-hash.sha1\n",
    );
    write(
        &cat,
        "design/singleton.toml",
        std::fs::read(data("catalog/design/singleton.toml")).unwrap(),
    );
    let out = bin()
        .args(["db", "lint"])
        .arg(&cat)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("3 issue(s)"))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines.iter().any(|l| l.starts_with(
        "security/strong-hash-sha256.toml: symbol: the symbol list gives `Sh` to `security.weak-hash.sha1`"
    )), "{out}");
    assert!(lines.iter().any(|l| l.starts_with("design/singleton.toml: symbol: `Sg` is not in the symbol list")), "{out}");
    assert!(lines.iter().any(|l| l.ends_with(
        "2 components, smallest first: [design.singleton.new]; [security.strong-hash.sha256, security.weak-hash.md5]"
    )), "{out}");
    // Load errors are issues too, one line each.
    write(&cat, "design/broken.toml", "id = 3\n");
    bin()
        .args(["db", "lint"])
        .arg(&cat)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("design/broken.toml: "));
    bin()
        .args(["db", "lint", "no-such-dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a folder"));
}

#[test]
fn every_subcommand_help_has_an_example() {
    for sub in [
        &["scan"][..],
        &["explain"],
        &["search"],
        &["test"],
        &["table"],
        &["similar"],
        &["db", "build"],
        &["db", "info"],
        &["db", "verify"],
        &["db", "lint"],
    ] {
        bin()
            .args(sub)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
    bin()
        .arg("scan")
        .arg("--help")
        .assert()
        .stdout(predicate::str::contains("--parse-only").not());
}

/// `.h` headers: C++ content is parsed as C++ (and kept by `--lang cpp`), a C header with
/// `extern "C"` guards stays C, an Objective-C header is skipped with its reason (issue #16).
#[test]
fn headers_are_read_as_c_or_cpp_from_their_content() {
    let tree = TempDir::new().unwrap();
    write(
        tree.path(),
        "buf.h",
        "namespace util {\nclass Buf {\n public:\n  void set(char *d, const char *s) { strcpy(d, s); }\n};\n}\n",
    );
    write(
        tree.path(),
        "c.h",
        "#ifdef __cplusplus\nextern \"C\" {\n#endif\nstatic inline void set(char *d, const char *s) { strcpy(d, s); }\n#ifdef __cplusplus\n}\n#endif\n",
    );
    write(
        tree.path(),
        "objc.h",
        "#import <Foundation/Foundation.h>\n@interface A : NSObject\n@end\n",
    );
    let scan = |extra: &[&str]| {
        let out = bin()
            .current_dir(tree.path())
            .args(["scan", "--format", "json"])
            .args(extra)
            .assert()
            .code(1)
            .get_output()
            .clone();
        let mut langs: Vec<(String, String)> = json_lines(&out.stdout)
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().into(),
                    f["language"].as_str().unwrap().into(),
                )
            })
            .collect();
        langs.sort();
        (langs, String::from_utf8(out.stderr).unwrap())
    };
    let (all, stderr) = scan(&[]);
    assert_eq!(
        all,
        [("buf.h".into(), "cpp".into()), ("c.h".into(), "c".into())],
        "{stderr}"
    );
    assert!(stderr.contains("1 unsupported language"), "{stderr}");
    let (cpp, _) = scan(&["--lang", "cpp"]);
    assert_eq!(cpp, [("buf.h".to_string(), "cpp".to_string())]);
}

/// Intake from the command line (issue #19): `scan -` reads standard input as `--lang`, one
/// `--lang` reads files of no known extension as that language, files left out are counted in
/// the summary and listed with `-v`.
#[test]
fn stdin_fallback_language_and_ignored_files() {
    let md5 = "import hashlib\nhashlib.md5(b'')\n";
    let out = bin()
        .args(["scan", "-", "--lang", "py", "--format", "json"])
        .write_stdin(md5)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let f = &json_lines(&out)[0];
    assert_eq!(
        (f["path"].as_str(), f["line"].as_u64()),
        (Some("<stdin>"), Some(2))
    );
    bin()
        .args(["scan", "-"])
        .write_stdin(md5)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs its language: --lang"));

    let tree = TempDir::new().unwrap();
    write(tree.path(), "build-script", md5);
    write(tree.path(), "notes.txt", "hello\n");
    write(tree.path(), "a.go", "package a\n");
    // Without --lang: the extensionless file and the text file are ignored, counted and listed.
    bin()
        .current_dir(tree.path())
        .args(["scan", "-v", "--color", "never"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("1 file scanned"))
        .stderr(predicate::str::contains(
            "2 other files ignored (2 unknown language)",
        ))
        .stderr(predicate::str::contains(
            "ignored (unknown language): build-script",
        ));
    // One --lang: the extensionless file is read as Python; the Go file is excluded, and a
    // file of an unknown extension stays unknown (prose is not read as Python).
    write(tree.path(), "README.md", format!("Café, naïve:\n\n{md5}"));
    bin()
        .current_dir(tree.path())
        .args(["scan", "-v", "--lang", "python", "--color", "never"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("build-script:2:1"))
        .stdout(predicate::str::contains("README.md").not())
        .stderr(predicate::str::contains(
            "ignored (excluded language): a.go",
        ))
        .stderr(predicate::str::contains(
            "ignored (unknown language): README.md",
        ));
}

/// Output hygiene (issue #20): a full or closed standard error never turns the result into a
/// crash, and control characters in paths and code are escaped in the text report.
#[test]
fn closed_stderr_and_control_characters() {
    let tree = TempDir::new().unwrap();
    write(
        tree.path(),
        "a\u{1b}[31mred.py",
        "import hashlib\nx = '\u{1b}]0;pwned\u{7}'; hashlib.md5(b'')\n",
    );
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let status = std::process::Command::new(bin().get_program())
        .current_dir(tree.path())
        .args(["scan", "-v"])
        .stdout(std::process::Stdio::null())
        .stderr(full)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "a panic exits with 101");
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--color", "never"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("a\\u{1b}[31mred.py:2:"), "{text}");
    // The caret still sits under the call, past the escaped characters.
    let lines: Vec<&str> = text.lines().collect();
    let code = lines
        .iter()
        .position(|l| l.contains("hashlib.md5(b'')"))
        .unwrap();
    let at = lines[code].find("hashlib.md5").unwrap();
    assert_eq!(lines[code + 1].find('^'), Some(at), "{text}");
    // JSON stays exact.
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_lines(&out)[0]["path"], "a\u{1b}[31mred.py");
}

// ---------------------------------------------------------------------------------------------
// context, levels, suppressions (issue #16 items 3, 4, 6)

/// JSON findings of `scan ARGS` in `dir` with the default catalog, as (path, symbol, severity,
/// context) and the standard error.
#[test]
fn taint_findings_carry_their_path_in_text_json_and_sarif() {
    let tree = TempDir::new().unwrap();
    write(
        tree.path(),
        "views.py",
        "from flask import request\n\ndef search(cur):\n    término = request.args.get(\"q\")\n    sql = f\"SELECT id FROM t WHERE a = '{término}'\"\n    cur.execute(sql)\n",
    );
    let text = bin()
        .current_dir(tree.path())
        .args(["scan", "--color", "never"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("flow: source line 4 `request.args` → line 4 `término = request.args.get(\"q\")` → line 5"),
        "{text}"
    );
    assert!(text.contains("→ sink line 6"), "{text}");
    let json = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let rec: Value = serde_json::from_slice(json.split(|&b| b == b'\n').next().unwrap()).unwrap();
    let roles: Vec<&str> = rec["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["source", "step", "step"]);
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "sarif"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let sarif: Value = serde_json::from_slice(&out).unwrap();
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(data("sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let r = &sarif["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "security.sql-injection.string-built");
    let related = r["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 3);
    assert_eq!(related[0]["message"]["text"], "source");
    let src = "from flask import request\n\ndef search(cur):\n    término = ";
    assert_eq!(
        related[0]["physicalLocation"]["region"]["byteOffset"],
        src.len()
    );
    let flow = r["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap();
    let lines: Vec<i64> = flow
        .iter()
        .map(|l| {
            l["location"]["physicalLocation"]["region"]["startLine"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(lines, [4, 4, 5, 6]);
    assert_eq!(flow[3]["location"]["message"]["text"], "sink");
}

#[test]
fn a_file_over_its_budget_is_skipped_as_over_budget() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    let t = tree.path();
    write(t, "a.py", MD5_PY);
    let deep: String = (0..300)
        .map(|i| format!("class Ça{i} {{ "))
        .collect::<String>()
        + &"}".repeat(300);
    write(t, "deep.java", deep);
    // A node budget the deep file runs over: it is skipped with its reason, the other file is
    // scanned, and the finding still fails the scan.
    let out = bin()
        .current_dir(t)
        .args(["scan", "-v", "--max-file-nodes", "2000", "--db"])
        .arg(&db)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("skipped (over budget): deep.java: over its budget of 2000 syntax nodes"),
        "{stderr}"
    );
    assert!(stderr.contains("1 over budget"), "{stderr}");
    // "0" lifts a limit: nothing is over budget.
    bin()
        .current_dir(t)
        .args([
            "scan",
            "--max-file-nodes",
            "0",
            "--file-timeout",
            "0",
            "--db",
        ])
        .arg(&db)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("over budget").not());
    bin()
        .args(["scan", "--file-timeout", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a duration"));
}

#[test]
fn a_file_whose_syntax_tree_would_not_fit_its_memory_budget_is_skipped_before_parsing() {
    let (_d, db) = test_db();
    let tree = TempDir::new().unwrap();
    let t = tree.path();
    write(t, "a.py", MD5_PY);
    // 20,000 numbers on one line: about 40,000 tokens, 8 MB at 200 bytes a token.
    let items: Vec<String> = (0..20_000).map(|i| (i % 977).to_string()).collect();
    write(
        t,
        "flat.js",
        format!("const «données» = [{}];\n", items.join(",")),
    );
    // (One line of 100 KB reads as minified, generated code: --include-vendored scans it.)
    let out = bin()
        .current_dir(t)
        .args([
            "scan",
            "-v",
            "--include-vendored",
            "--max-file-memory",
            "2M",
            "--db",
        ])
        .arg(&db)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("skipped (over budget): flat.js: over its memory budget of 2 MiB"),
        "{stderr}"
    );
    // The default (64 MiB) and "0" (no limit) both read it.
    for limit in [None, Some("0")] {
        let mut cmd = bin();
        cmd.current_dir(t)
            .args(["scan", "-v", "--include-vendored"]);
        if let Some(l) = limit {
            cmd.args(["--max-file-memory", l]);
        }
        cmd.arg("--db")
            .arg(&db)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("over budget").not());
    }
    bin()
        .args(["scan", "--max-file-memory", "lots"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a size"));
}

#[test]
fn a_warm_rescan_from_the_result_cache_gives_the_same_output() {
    let work = TempDir::new().unwrap();
    let cache = work.path().join("cache");
    let src = work.path().join("src");
    let weak = write(
        &src,
        "pkg/weak.py",
        "import hashlib\n# é😀\nh = hashlib.md5(b'x')\n",
    );
    write(
        &src,
        "web.js",
        "const c = require('crypto');\nc.createHash('md5');\n",
    );
    write(&src, "clean.py", "x = 1\n");
    let scan = |extra: &[&str]| {
        let out = bin()
            .args(["scan", "--format", "json", "-v", "--fail-on", "never"])
            .arg(&src)
            .arg("--cache")
            .arg(&cache)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (cold, cold_err) = scan(&[]);
    assert!(cold_err.contains(": 0 of 3 files unchanged"), "{cold_err}");
    assert_eq!(json_lines(cold.as_bytes()).len(), 2);
    let (warm, warm_err) = scan(&[]);
    assert!(warm_err.contains(": 3 of 3 files unchanged"), "{warm_err}");
    assert_eq!(warm, cold);
    // Filters apply to cached results as to fresh ones.
    let (filtered, _) = scan(&["--group", "performance"]);
    assert!(json_lines(filtered.as_bytes()).is_empty());
    // A changed file is analysed again; the others still come from the cache.
    std::fs::write(&weak, "import hashlib\nh = hashlib.sha256(b'x')\n").unwrap();
    let (changed, changed_err) = scan(&["--min-severity", "low"]);
    assert!(
        changed_err.contains(": 2 of 3 files unchanged"),
        "{changed_err}"
    );
    let lines = json_lines(changed.as_bytes());
    assert_eq!(lines.len(), 1, "{changed}");
    assert!(lines[0]["path"].as_str().unwrap().ends_with("web.js"));
    // Damaged entries (a torn write) are misses: the output is still right.
    for shard in std::fs::read_dir(&cache).unwrap() {
        let shard = shard.unwrap().path();
        if !shard.is_dir() {
            continue; // the usage ledger
        }
        for entry in std::fs::read_dir(shard).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        }
    }
    std::fs::write(&weak, "import hashlib\n# é😀\nh = hashlib.md5(b'x')\n").unwrap();
    let (repaired, repaired_err) = scan(&[]);
    assert!(
        repaired_err.contains(": 0 of 3 files unchanged"),
        "{repaired_err}"
    );
    assert_eq!(repaired, cold);
    // --no-cache neither reads nor writes it.
    let other = work.path().join("unused");
    let out = bin()
        .args([
            "scan",
            "--format",
            "json",
            "--no-cache",
            "--fail-on",
            "never",
        ])
        .arg(&src)
        .env("XDG_CACHE_HOME", &other)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), cold);
    assert!(!other.exists());
}

fn scan_json(dir: &Path, args: &[&str]) -> (Vec<Value>, String) {
    let out = bin()
        .current_dir(dir)
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    (
        json_lines(&out.stdout),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn findings_in_tests_are_lowered_and_never_fail_the_build() {
    let tree = TempDir::new().unwrap();
    write(tree.path(), "src/a.py", MD5_PY);
    write(tree.path(), "tests/test_a.py", MD5_PY);
    write(
        tree.path(),
        "src/lib.rs",
        "use md5;\nfn f() {}\n#[cfg(test)]\nmod tests {\n    // é\n    fn g() { let _ = md5::compute(b\"x\"); }\n}\n",
    );
    let (found, _) = scan_json(tree.path(), &["--pattern", "Md"]);
    let seen: Vec<(String, String, String)> = found
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["context"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(seen.contains(&("src/a.py".into(), "high".into(), "production".into())));
    assert!(seen.contains(&("tests/test_a.py".into(), "medium".into(), "test".into())));
    // Only the test file: findings, but exit 0 (the default --fail-on low ignores tests).
    bin()
        .current_dir(tree.path())
        .args(["scan", "tests", "-q"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("context: test"));
    bin()
        .current_dir(tree.path())
        .args(["scan", "src/a.py", "-q"])
        .assert()
        .code(1);
    // --raw keeps the catalog severity (the context is still shown).
    let (raw, _) = scan_json(tree.path(), &["tests", "--raw", "--pattern", "Md"]);
    assert_eq!(raw[0]["severity"], "high");
    assert_eq!(raw[0]["context"], "test");
    // SARIF carries the context in the result's properties.
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "tests", "--format", "sarif", "--fail-on", "never"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let sarif: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["properties"]["context"],
        "test"
    );
}

/// Folders above the scanned one say nothing about the code: a project checked out under a
/// folder named `tests` (or pytest's `test_something0` temporary folders) is production code,
/// while its own `tests/` folder still is a test.
#[test]
fn context_is_read_below_the_scanned_folder_not_above_it() {
    let outer = TempDir::new().unwrap();
    let project = outer.path().join("tests").join("test_checkout0");
    write(&project, "src/a.py", MD5_PY);
    write(&project, "tests/helper_é.py", MD5_PY);
    let elsewhere = TempDir::new().unwrap();
    let contexts = |target: &Path| -> Vec<(String, String)> {
        let out = bin()
            .current_dir(elsewhere.path())
            .args([
                "scan",
                "--format",
                "json",
                "--pattern",
                "Md",
                "--fail-on",
                "never",
            ])
            .arg(target)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let mut v: Vec<(String, String)> = json_lines(&out)
            .iter()
            .map(|f| {
                let path = f["path"].as_str().unwrap();
                let tail = path.rsplit(['/', '\\']).next().unwrap().to_string();
                (tail, f["context"].as_str().unwrap().to_string())
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        contexts(&project),
        vec![
            ("a.py".to_string(), "production".to_string()),
            ("helper_é.py".to_string(), "test".to_string())
        ]
    );
    // A single file outside the current folder: only its name counts.
    assert_eq!(
        contexts(&project.join("src/a.py")),
        vec![("a.py".to_string(), "production".to_string())]
    );
    // And a production finding there fails the build, as it would in the project itself.
    bin()
        .current_dir(elsewhere.path())
        .args(["scan", "-q"])
        .arg(project.join("src/a.py"))
        .assert()
        .code(1);
    // Inside the current folder, the relative path decides (`tests/` is a test folder).
    bin()
        .current_dir(&project)
        .args(["scan", "-q", "tests"])
        .assert()
        .code(0);
}

#[test]
fn select_extend_select_and_ignore_follow_ruffs_conventions() {
    let tree = TempDir::new().unwrap();
    write(
        tree.path(),
        "a.py",
        "import hashlib\nh = hashlib.md5(b'x')\nd = hashlib.sha256(b'x')\n",
    );
    let symbols = |args: &[&str]| {
        let mut s: Vec<String> = scan_json(tree.path(), args)
            .0
            .iter()
            .map(|f| f["symbol"].as_str().unwrap().to_string())
            .collect();
        s.sort();
        s.dedup();
        s
    };
    // Default level: hazards; the info pattern (Sh) is off.
    assert!(symbols(&[]).contains(&"Md".to_string()));
    assert!(!symbols(&[]).contains(&"Sh".to_string()));
    assert!(symbols(&["--extend-select", "info"]).contains(&"Sh".to_string()));
    assert_eq!(symbols(&["--select", "Sh"]), ["Sh"]);
    // The more specific selector wins: a group ignored, one of its patterns selected.
    assert_eq!(
        symbols(&[
            "--select",
            "all",
            "--ignore",
            "security",
            "--extend-select",
            "Md"
        ]),
        ["Md"]
    );
    assert!(!symbols(&["--ignore", "security.weak-hash"]).contains(&"Md".to_string()));
    bin()
        .current_dir(tree.path())
        .args(["scan", "--ignore", "security.weak-hash.mdd5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `security.weak-hash.md5`?",
        ));
}

#[test]
fn inline_suppressions_hide_findings_and_are_counted() {
    let tree = TempDir::new().unwrap();
    write(
        tree.path(),
        "a.py",
        "import hashlib\n\
         h1 = hashlib.md5(b'x')  # codetable: ignore[Md] -- checksum only, naïve\n\
         # codetable: ignore[security.weak-hash.md5] -- légacy\n\
         h2 = hashlib.md5(b'y')\n\
         h3 = hashlib.md5(b'z')\n\
         # codetable: ignore[Sx] -- matches nothing\n\
         h4 = 1\n",
    );
    write(
        tree.path(),
        "b.js",
        "const crypto = require('crypto');\n// codetable: ignore -- 日本\nfunction f(x) {\n  return crypto.createHash('md5').update(x);\n}\nconst y = crypto.createHash('md5');\n",
    );
    let (found, err) = scan_json(tree.path(), &["--pattern", "Md"]);
    let lines: Vec<(String, u64)> = found
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [("a.py".to_string(), 5), ("b.js".to_string(), 6)]);
    assert!(err.contains("3 suppressed"), "{err}");
    assert!(err.contains("1 unused suppression"), "{err}");
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--pattern", "Md", "--report-unused-suppressions"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("a.py:6: unused suppression"), "{err}");
}

#[test]
fn duplicates_in_one_loop_are_one_finding() {
    let tree = TempDir::new().unwrap();
    write(
        tree.path(),
        "a.py",
        "import hashlib\n\ndef f(xs):\n    for x in xs:\n        a = hashlib.md5(x)\n        b = hashlib.md5(x + b'é')\n    return hashlib.md5(b'')\n",
    );
    let (found, err) = scan_json(tree.path(), &["--pattern", "Md"]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0]["line"], 5);
    assert_eq!(found[0]["duplicates"][0]["line"], 6);
    assert!(found[1].get("duplicates").is_none());
    assert!(err.contains("1 duplicate grouped"), "{err}");
    let (raw, _) = scan_json(tree.path(), &["--pattern", "Md", "--raw"]);
    assert_eq!(raw.len(), 3);
}

#[test]
fn project_configuration_is_found_above_the_scanned_path() {
    let tree = TempDir::new().unwrap();
    write(
        tree.path(),
        "codetable.toml",
        "# é\nextend-select = [\"info\"]\nignore = [\"Sh\"]\nexclude = [\"build\", \"*.gen.py\"]\n\n[severity]\n\"security.weak-hash\" = \"low\"\n\n[per-path-ignores]\n\"legacy/**\" = [\"Md\"]\n\n[languages]\n\"*.inc\" = \"python\"\n",
    );
    let hashes = "import hashlib\nh = hashlib.md5(b'é')\nd = hashlib.sha256(b'x')\nx = open('f')\n";
    write(tree.path(), "src/a.py", hashes);
    write(tree.path(), "src/b.inc", hashes);
    write(tree.path(), "src/c.gen.py", hashes);
    write(tree.path(), "build/d.py", hashes);
    write(tree.path(), "legacy/e.py", hashes);
    let seen = |dir: &Path, args: &[&str]| {
        scan_json(dir, &[&["--pattern", "Md,Sh"], args].concat())
            .0
            .iter()
            .map(|f| {
                format!(
                    "{}:{}:{}",
                    f["path"].as_str().unwrap(),
                    f["symbol"].as_str().unwrap(),
                    f["severity"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    // From the root and from a subfolder (the file is found walking up).
    let expect = ["src/a.py:Md:low", "src/b.inc:Md:low"];
    assert_eq!(seen(tree.path(), &[]), expect);
    assert_eq!(
        seen(&tree.path().join("src"), &[]),
        ["a.py:Md:low", "b.inc:Md:low"]
    );
    // --no-config: everything, catalog severities.
    let all = seen(tree.path(), &["--no-config"]);
    assert!(all.contains(&"build/d.py:Md:high".to_string()), "{all:?}");
    assert!(all.contains(&"legacy/e.py:Sh:info".to_string()), "{all:?}");

    // pyproject.toml's [tool.codetable], when there is no codetable.toml.
    let py = TempDir::new().unwrap();
    write(
        py.path(),
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.codetable]\nignore = [\"security.weak-hash.md5\"]\n",
    );
    write(py.path(), "pkg/a.py", hashes);
    assert_eq!(seen(py.path(), &[]), ["pkg/a.py:Sh:info"]);

    // Unknown keys: file, line and a suggestion; unknown selectors; rules not yet supported.
    let bad = |text: &str, needle: &str| {
        let d = TempDir::new().unwrap();
        write(d.path(), "codetable.toml", text);
        write(d.path(), "a.py", hashes);
        bin()
            .current_dir(d.path())
            .arg("scan")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle));
    };
    bad(
        "# ü\nselect = [\"Md\"]\nexclud = [\"x\"]\n",
        "codetable.toml:3:1: unknown field `exclud`",
    );
    bad("exclud = [\"x\"]\n", "(did you mean `exclude`?)");
    bad(
        "[per-path-ignores]\n\"t/**\" = [\"Mdd\"]\n",
        "did you mean `Md`?",
    );
    bad("[severity]\nMd = \"huge\"\n", "`huge` is not one of");
    bad(
        "rules = [\"my-patterns\"]\n",
        "rules: `my-patterns` does not exist",
    );

    // `rules = [...]`: a team's patterns, relative to the file, stacked over the catalog, found
    // when scanning a subfolder too.
    let team = TempDir::new().unwrap();
    write(
        team.path(),
        "codetable.toml",
        "rules = [\"house\"]\nextend-select = [\"house\"]\n",
    );
    write(
        team.path(),
        "house/print.toml",
        "id = \"house.print\"\nname = \"print() left in code\"\nseverity = \"low\"\n\n[[rules]]\nlanguage = \"python\"\npattern = \"print($$$A)\"\n\n[[examples]]\nlanguage = \"python\"\nexpect = \"match\"\ncode = \"print('é')\\n\"\n",
    );
    write(
        team.path(),
        "src/app.py",
        "def f(x):\n    print('débogage', x)\n",
    );
    let (found, _) = scan_json(&team.path().join("src"), &[]);
    let ids: Vec<&str> = found
        .iter()
        .map(|f| f["pattern"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["house.print"], "{found:?}");
    let d = TempDir::new().unwrap();
    write(
        d.path(),
        "pyproject.toml",
        "[tool.codetable]\nselec = [\"Md\"]\n",
    );
    bin()
        .current_dir(d.path())
        .arg("scan")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pyproject.toml:2:1: unknown field `selec`",
        ))
        .stderr(predicate::str::contains("did you mean `select`?"));
}

fn bin_cached(cache: &Path) -> Command {
    let mut c = bin();
    c.env("CODETABLE_CACHE_DIR", cache);
    c
}

/// Results found with user rules stacked over the catalog are never read back by a scan
/// without them: their pattern numbers would name patterns the plain catalog does not have
/// (it failed with "corrupt pattern database" before the cache key covered every layer).
#[test]
fn the_result_cache_keeps_scans_with_and_without_user_rules_apart() {
    let dir = TempDir::new().unwrap();
    let results = dir.path().join("results");
    let src = write(
        dir.path(),
        "app/report.py",
        "import hashlib\n# « débogage »\nprint(hashlib.md5(b'x'))\n",
    );
    let scan = |rules: bool| {
        let mut c = bin_cached(&dir.path().join("rules-cache"));
        c.args(["scan", "--format", "json", "-q", "--cache"])
            .arg(&results);
        if rules {
            c.arg("--rules").arg(repo("examples/rules"));
        }
        let out = c.arg(&src).assert().code(1).get_output().stdout.clone();
        let mut ids: Vec<String> = json_lines(&out)
            .iter()
            .map(|v| v["pattern"].as_str().unwrap_or_default().to_string())
            .collect();
        ids.sort();
        ids
    };
    let with = scan(true);
    assert!(
        with.contains(&"house.debug.print-call".to_string()),
        "{with:?}"
    );
    let without = scan(false);
    assert_eq!(without, vec!["security.weak-hash.md5".to_string()]);
    // And each is served from the cache on the next run, unchanged.
    assert_eq!(scan(true), with);
    assert_eq!(scan(false), without);
}

#[test]
fn rules_stack_user_patterns_over_the_catalog() {
    let dir = TempDir::new().unwrap();
    let cache = dir.path().join("cache");
    let src = write(
        dir.path(),
        "app/report.py",
        "import hashlib\n# « débogage »\nprint(hashlib.md5(b'x').hexdigest())\n",
    );
    let out = bin_cached(&cache)
        .args(["scan", "--format", "json", "--rules"])
        .arg(repo("examples/rules"))
        .arg(&src)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let ids: Vec<String> = json_lines(&out)
        .iter()
        .map(|v| v["pattern"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        ids.contains(&"house.debug.print-call".to_string()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"security.weak-hash.md5".to_string()),
        "{ids:?}"
    );
    // The compiled rules are cached by content: one file, reused by the next run.
    let cached: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
    assert_eq!(cached.len(), 1);
    // Over another database, and by id, symbol or name in explain, search and table.
    let (_d, db) = test_db();
    bin_cached(&cache)
        .args(["explain", "CL", "--color", "never", "--db"])
        .arg(&db)
        .arg("--rules")
        .arg(repo("examples/rules/house.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("house.debug.console-log"));
    bin_cached(&cache)
        .args(["search", "console", "--color", "never", "--rules"])
        .arg(repo("examples/rules"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Cl"));
    bin_cached(&cache)
        .args(["table", "--color", "never", "--rules"])
        .arg(repo("examples/rules"))
        .assert()
        .success()
        .stdout(predicate::str::contains("Cl"));
    // Repeated: the same rules twice collide; a built-in id may not be reused.
    bin_cached(&cache)
        .args(["search", "x", "--rules"])
        .arg(repo("examples/rules"))
        .arg("--rules")
        .arg(repo("examples/rules/house.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("house.debug"));
    let clash = std::fs::read_to_string(repo("examples/rules/house.toml"))
        .unwrap()
        .replace("house.debug.print-call", "security.weak-hash.md5");
    let clash = write(dir.path(), "clash.toml", clash);
    bin_cached(&cache)
        .args(["scan", "--rules"])
        .arg(&clash)
        .arg(&src)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pattern id `security.weak-hash.md5` is in two layers",
        ));
    // A rules file with an error names the file and field.
    let bad = write(
        dir.path(),
        "bad.toml",
        "id = \"house.x\"\nname = \"X\"\nseverity = \"dire\"\n",
    );
    bin_cached(&cache)
        .args(["scan", "--rules"])
        .arg(&bad)
        .arg(&src)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml: severity"));
}

#[test]
fn test_runs_examples_and_annotated_files_like_cargo_test() {
    let dir = TempDir::new().unwrap();
    let cache = dir.path().join("cache");
    bin_cached(&cache)
        .args(["test", "--color", "never"])
        .arg(repo("examples/rules"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("running 3 tests")
                .and(predicate::str::contains(
                    "test pattern::house.debug.print-call ... ok",
                ))
                .and(predicate::str::contains("test file::"))
                .and(predicate::str::contains(
                    "test result: ok. 3 passed; 0 failed",
                )),
        );
    // A `no-match` example that matches, and an annotated line nothing covers.
    let house = std::fs::read_to_string(repo("examples/rules/house.toml"))
        .unwrap()
        .replace("logger.debug(", "console.log(");
    let rules = write(dir.path(), "rules/house.toml", house);
    write(
        dir.path(),
        "rules/tests/a.py",
        "def f():\n    return 1  # codetable: expect house.debug.print-call\n",
    );
    write(dir.path(), "rules/tests/plain.py", "print(1)\n");
    bin_cached(&cache)
        .args(["test", "--color", "never"])
        .arg(rules.parent().unwrap())
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("test pattern::house.debug.console-log ... FAILED")
                .and(predicate::str::contains(
                    "examples[1] (typescript): expected no match, found 1",
                ))
                .and(predicate::str::contains(
                    "line 2: house.debug.print-call: expected a finding, found none",
                ))
                .and(predicate::str::contains("plain.py").not())
                .and(predicate::str::contains(
                    "test result: FAILED. 1 passed; 2 failed",
                )),
        );
    // Without PATHS: every pattern of the database in use.
    let (_d, db) = test_db();
    bin_cached(&cache)
        .args(["test", "--color", "never", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "test result: ok. 3 passed; 0 failed",
        ));
    bin_cached(&cache)
        .args(["test", "no/such/path"])
        .assert()
        .code(2);
}

#[test]
fn db_build_refuses_a_pattern_whose_examples_fail() {
    let dir = TempDir::new().unwrap();
    let src = std::fs::read_to_string(data("catalog/security/strong-hash-sha256.toml")).unwrap();
    assert!(src.contains("expect = \"no-match\""));
    // The Python no-match example made to call sha256: it now matches.
    let broken = src.replace("hashlib.sha1(", "hashlib.sha256(");
    assert_ne!(broken, src);
    let catalog = dir.path().join("catalog");
    write(&catalog, "security/sha.toml", broken);
    let out = dir.path().join("x.ctdb");
    bin()
        .args(["db", "build"])
        .arg(&catalog)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("security/sha.toml: examples[")
                .and(predicate::str::contains("expected no match")),
        );
    assert!(!out.exists());
}

#[test]
fn search_and_explain_find_what_people_type() {
    let first_id = |q: &str| {
        let out = bin()
            .args(["search", q, "--color", "never"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let injection = first_id("injection");
    assert!(injection.lines().count() >= 3, "{injection}");
    assert!(injection.contains("security.sql-injection.string-built"));
    assert!(first_id("INJCETION").contains("security.sql-injection.string-built"));
    let cwe = first_id("CWE-89");
    assert!(cwe.contains("security.sql-injection.string-built"), "{cwe}");
    assert_eq!(first_id("89"), cwe);
    assert!(first_id("A02:2021").contains("security.weak-hash.md5"));
    assert!(first_id("md5").starts_with("Md "));
    // explain: any case, then the clear best hit, then did-you-mean.
    for q in ["md", "MD", "SECURITY.WEAK-HASH.MD5", "md5"] {
        bin()
            .args(["explain", q, "--color", "never"])
            .assert()
            .success()
            .stdout(predicate::str::starts_with("Md  MD5 hash"));
    }
    bin()
        .args(["explain", "injection"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean "))
        .stderr(predicate::str::contains("security.command-injection.shell"));
}

fn design_tree() -> TempDir {
    let tree = TempDir::new().unwrap();
    write(
        tree.path(),
        "io/Source.java",
        "package io;\n/** Quelle — « source » */\npublic interface Source { String read(); }\n",
    );
    write(
        tree.path(),
        "io/FileSource.java",
        "package io;\npublic class FileSource implements Source { public String read() { return \"é\"; } }\n",
    );
    write(
        tree.path(),
        "io/Trimmed.java",
        "package io;\npublic class Trimmed implements Source {\n    private final Source inner;\n    public Trimmed(Source inner) { this.inner = inner; }\n    public String read() { return inner.read().trim(); }\n}\n",
    );
    write(
        tree.path(),
        "weather/observer.py",
        "from abc import ABC, abstractmethod\n\nclass Observer(ABC):\n    @abstractmethod\n    def update(self, t: float) -> None: ...\n",
    );
    write(
        tree.path(),
        "weather/station.py",
        "from .observer import Observer\n\nclass Station:\n    def __init__(self):\n        self._obs = []\n\n    def attach(self, o: Observer) -> None:\n        self._obs.append(o)\n\n    def detach(self, o: Observer) -> None:\n        self._obs.remove(o)\n\n    def measure(self, v: float) -> None:\n        for o in self._obs:\n            o.update(v)\n",
    );
    tree
}

#[test]
fn scan_reports_design_instances_one_finding_per_participant() {
    let tree = design_tree();
    // Design patterns are `info`: a default scan builds no model and reports none.
    let plain = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "json", "--group", "design", "."])
        .assert()
        .get_output()
        .stdout
        .clone();
    assert!(
        json_lines(&plain).iter().all(|r| r["instance"].is_null()),
        "design instances without selecting them"
    );
    let out = bin()
        .current_dir(tree.path())
        .args([
            "scan",
            "--format",
            "json",
            "--group",
            "design",
            "--extend-select",
            "design",
            ".",
        ])
        .assert()
        .get_output()
        .stdout
        .clone();
    let records = json_lines(&out);
    let validator = schema("finding.schema.json");
    for r in &records {
        let errors: Vec<String> = validator.iter_errors(r).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{r}: {errors:?}");
    }
    let mut roles: Vec<(String, String, String)> = records
        .iter()
        .filter(|r| r["instance"].is_string())
        .map(|r| {
            (
                r["pattern"].as_str().unwrap().to_string(),
                r["role"].as_str().unwrap().to_string(),
                r["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    roles.sort();
    assert_eq!(
        roles,
        [
            (
                "design.gof.decorator".into(),
                "component".into(),
                "io/Source.java".into()
            ),
            (
                "design.gof.decorator".into(),
                "concrete-component".into(),
                "io/FileSource.java".into()
            ),
            (
                "design.gof.decorator".into(),
                "decorator".into(),
                "io/Trimmed.java".into()
            ),
            (
                "design.gof.observer".into(),
                "observer".into(),
                "weather/observer.py".into()
            ),
            (
                "design.gof.observer".into(),
                "subject".into(),
                "weather/station.py".into()
            ),
        ]
    );
    // Participants of one instance share its id; the two instances differ.
    let ids: std::collections::BTreeSet<&str> = records
        .iter()
        .filter_map(|r| r["instance"].as_str())
        .collect();
    assert_eq!(ids.len(), 2);
    // The interface's finding starts at its declaration, after the non-ASCII comment.
    let source = records.iter().find(|r| r["role"] == "component").unwrap();
    assert_eq!(
        (source["line"].as_u64(), source["column"].as_u64()),
        (Some(3), Some(1))
    );

    // SARIF: each participant's result points at the others.
    let out = bin()
        .current_dir(tree.path())
        .args([
            "scan",
            "--format",
            "sarif",
            "--group",
            "design",
            "--extend-select",
            "design",
            ".",
        ])
        .assert()
        .get_output()
        .stdout
        .clone();
    let sarif: Value = serde_json::from_slice(&out).unwrap();
    let sarif_schema: Value =
        serde_json::from_str(&std::fs::read_to_string(data("sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&sarif_schema).unwrap();
    assert!(validator.is_valid(&sarif));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let subject = results
        .iter()
        .find(|r| r["properties"]["role"] == "subject")
        .unwrap();
    let related = subject["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    assert_eq!(
        related[0]["physicalLocation"]["artifactLocation"]["uri"],
        "weather/observer.py"
    );
    assert_eq!(related[0]["message"]["text"], "observer");

    // Text names the role; the table lights the patterns found.
    bin()
        .current_dir(tree.path())
        .args([
            "scan",
            "--group",
            "design",
            "--extend-select",
            "design",
            ".",
        ])
        .assert()
        .stdout(predicate::str::contains(
            "role: decorator in design.gof.decorator@",
        ));
    bin()
        .current_dir(tree.path())
        .args(["table", "."])
        .assert()
        .stdout(predicate::str::contains("[Dec").and(predicate::str::contains("[Obr")));
}

#[test]
fn per_path_contexts_from_the_project_configuration() {
    let tree = TempDir::new().unwrap();
    write(
        tree.path(),
        "codetable.toml",
        "# é\n[context]\n\"outils/**\" = \"test\"\n\"tests/intégration/**\" = \"production\"\n",
    );
    let hashes = "import hashlib\nh = hashlib.md5(b'é')\n";
    write(tree.path(), "outils/gen.py", hashes);
    write(tree.path(), "tests/intégration/t.py", hashes);
    write(tree.path(), "tests/unit/t.py", hashes);
    write(tree.path(), "src/a.py", hashes);
    let seen = |args: &[&str]| {
        let mut v: Vec<String> = scan_json(tree.path(), &[&["--pattern", "Md"], args].concat())
            .0
            .iter()
            .map(|f| {
                format!(
                    "{}:{}:{}",
                    f["path"].as_str().unwrap(),
                    f["context"].as_str().unwrap(),
                    f["severity"].as_str().unwrap()
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        seen(&[]),
        [
            "outils/gen.py:test:medium",
            "src/a.py:production:high",
            "tests/intégration/t.py:production:high",
            "tests/unit/t.py:test:medium",
        ]
    );
    // Without the file, the paths decide: `outils/` is production, `tests/` test.
    assert_eq!(
        seen(&["--no-config"]),
        [
            "outils/gen.py:production:high",
            "src/a.py:production:high",
            "tests/intégration/t.py:test:medium",
            "tests/unit/t.py:test:medium",
        ]
    );
    // A context name that does not exist: the value and a suggestion, exit 2.
    write(
        tree.path(),
        "codetable.toml",
        "[context]\n\"outils/**\" = \"bench-mark\"\n",
    );
    bin()
        .current_dir(tree.path())
        .arg("scan")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "context.\"outils/**\": `bench-mark` is not one of",
        ));
}

/// Each participant's JSON lists the whole instance; `explain` of an instance (by id, by
/// FILE:LINE of any participant) prints the pattern, its summary and every participant; the
/// table counts instances in a design-pattern section.
#[test]
fn design_instances_are_explained_and_tabled() {
    let tree = design_tree();
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "json", "--select", "design", "."])
        .assert()
        .get_output()
        .stdout
        .clone();
    let records = json_lines(&out);
    let trimmed = records.iter().find(|r| r["unit"] == "Trimmed").unwrap();
    let id = trimmed["instance"].as_str().unwrap().to_string();
    let parts = trimmed["participants"].as_array().unwrap();
    let listed: Vec<(&str, &str, u64)> = parts
        .iter()
        .map(|p| {
            (
                p["role"].as_str().unwrap(),
                p["path"].as_str().unwrap(),
                p["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("component", "io/Source.java", 3),
            ("decorator", "io/Trimmed.java", 2),
            ("concrete-component", "io/FileSource.java", 2),
        ]
    );
    // Every participant id is the id of a finding of the same instance.
    for p in parts {
        let f = records.iter().find(|r| r["id"] == p["finding"]).unwrap();
        assert_eq!(f["instance"].as_str(), Some(id.as_str()));
        assert_eq!(f["role"], p["role"]);
    }

    // By id: text names the pattern, summary and each participant with its place.
    let text = bin()
        .current_dir(tree.path())
        .args(["explain", &id, "--color", "never"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("(design.gof.decorator)"), "{text}");
    assert!(text.contains(&format!("instance: {id}")), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| *l == "participants:").unwrap();
    assert!(
        lines[2..at].iter().any(|l| l.len() > 20),
        "no summary: {text}"
    );
    let rows: Vec<Vec<&str>> = lines[at + 1..]
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["component", "Source", "io/Source.java:3:1"],
            vec!["decorator", "Trimmed", "io/Trimmed.java:2:1"],
            vec!["concrete-component", "FileSource", "io/FileSource.java:2:1"],
        ]
    );

    // By FILE:LINE of a participant (a line inside its declaration), as JSON: the instance schema.
    let out = bin()
        .current_dir(tree.path())
        .args(["explain", "io/Trimmed.java:4", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let view: Value = serde_json::from_slice(&out).unwrap();
    let errors: Vec<String> = schema("instance.schema.json")
        .iter_errors(&view)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{view}: {errors:?}");
    assert_eq!(view["id"].as_str(), Some(id.as_str()));
    assert_eq!(view["participants"].as_array().unwrap().len(), 3);
    // The Python observer by its subject, from another folder given as PATHS.
    bin()
        .current_dir(tree.path().join("weather"))
        .args(["explain", "station.py:11", "."])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("design.gof.observer")
                .and(predicate::str::contains("observer.py:3:1")),
        );
    // A line no participant covers, and an unknown id, fail with a hint naming what was found.
    bin()
        .current_dir(tree.path())
        .args(["explain", "io/Trimmed.java:7"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no design-pattern participant")
                .and(predicate::str::contains(id.as_str())),
        );
    bin()
        .current_dir(tree.path())
        .args(["explain", "design.gof.observer@nowhere#X"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no instance `design.gof.observer@nowhere#X`",
        ));

    // The table: a row per design pattern with its instance and participant counts.
    let out = bin()
        .current_dir(tree.path())
        .args(["table", "--color", "never", "."])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("2 design pattern(s) found, 2 instance(s)"),
        "{text}"
    );
    let row = |id: &str| {
        text.lines()
            .find(|l| l.contains("instance(s),") && l.contains(id))
            .map(|l| l.split_whitespace().take(5).collect::<Vec<_>>().join(" "))
    };
    assert_eq!(
        row("design.gof.decorator").as_deref(),
        Some("Dec 1 instance(s), 3 participant(s)")
    );
    assert_eq!(
        row("design.gof.observer").as_deref(),
        Some("Obr 1 instance(s), 2 participant(s)")
    );
}

/// The result cache's stat index: an unchanged file whose cached result is empty is counted
/// without its entry (or itself) being read; a file modified in the future of the scan (racy),
/// a same-size edit that keeps the modification time, a damaged index and concurrent scans all
/// give the cold scan's output.
#[test]
fn the_stat_index_skips_unchanged_files_and_never_hides_a_change() {
    let work = TempDir::new().unwrap();
    let cache = work.path().join("cache");
    let src = work.path().join("src");
    write(
        &src,
        "pkg/weak.py",
        "import hashlib\n# é😀\nh = hashlib.md5(b'x')\n",
    );
    let clean = write(
        &src,
        "clean.py",
        "import hashlib\nh = hashlib.sha256(b'x')\n",
    );
    let future = write(&src, "future.py", "y = 'é'\n");
    let in_an_hour = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    let set_mtime = |p: &Path, t: std::time::SystemTime| {
        std::fs::File::options()
            .append(true)
            .open(p)
            .unwrap()
            .set_modified(t)
            .unwrap();
    };
    set_mtime(&future, in_an_hour);
    let scan = || {
        let out = bin()
            .args(["scan", "--format", "json", "-v", "--fail-on", "never"])
            .arg(&src)
            .arg("--cache")
            .arg(&cache)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let drop_entries = || {
        for shard in std::fs::read_dir(&cache).unwrap() {
            let shard = shard.unwrap().path();
            if shard.is_dir() && shard.file_name().unwrap() != "index" {
                std::fs::remove_dir_all(shard).unwrap();
            }
        }
    };
    let (cold, cold_err) = scan();
    assert!(cold_err.contains(": 0 of 3 files unchanged"), "{cold_err}");
    assert_eq!(json_lines(cold.as_bytes()).len(), 1, "{cold}");
    let (warm, warm_err) = scan();
    assert!(warm_err.contains(": 3 of 3 files unchanged"), "{warm_err}");
    assert_eq!(warm, cold);
    // JSON Lines takes the unchanged file's findings from the cache without its text; the
    // text report, whose code frames show it, still reads it.
    let text = bin()
        .args(["scan", "--fail-on", "never", "--color", "never"])
        .arg(&src)
        .arg("--cache")
        .arg(&cache)
        .output()
        .unwrap();
    let frames = String::from_utf8(text.stdout).unwrap();
    assert!(frames.contains("h = hashlib.md5(b'x')"), "{frames}");
    // Without the result entries, only the index can say clean.py is unchanged and empty, and
    // give the file with a finding its result (stored with its index entry); the file whose
    // modification time is not older than the scans' start is analysed again (never trusted).
    drop_entries();
    let (indexed, indexed_err) = scan();
    assert!(
        indexed_err.contains(": 2 of 3 files unchanged"),
        "{indexed_err}"
    );
    assert_eq!(indexed, cold);
    // An edit of clean.py that keeps its size and modification time is found.
    let before = std::fs::metadata(&clean).unwrap();
    let mtime = before.modified().unwrap();
    std::fs::write(&clean, "import hashlib\nh = hashlib.md5(b'xyzw')\n").unwrap();
    set_mtime(&clean, mtime);
    let after = std::fs::metadata(&clean).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (before.len(), mtime)
    );
    let (edited, edited_err) = scan();
    assert!(
        edited_err.contains(": 2 of 3 files unchanged"),
        "{edited_err}"
    );
    let paths: Vec<String> = json_lines(edited.as_bytes())
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert!(paths.iter().any(|p| p.ends_with("clean.py")), "{paths:?}");
    std::fs::write(&clean, "import hashlib\nh = hashlib.sha256(b'x')\n").unwrap();
    assert_eq!(scan().0, cold);
    // A damaged index is ignored: with the entries gone too, nothing is taken as unchanged.
    let index_dir = cache.join("index");
    for f in std::fs::read_dir(&index_dir).unwrap() {
        let f = f.unwrap().path();
        let bytes = std::fs::read(&f).unwrap();
        std::fs::write(&f, &bytes[..bytes.len() - 3]).unwrap();
    }
    drop_entries();
    let (damaged, damaged_err) = scan();
    assert!(
        damaged_err.contains(": 0 of 3 files unchanged"),
        "{damaged_err}"
    );
    assert_eq!(damaged, cold);
    // Several scans at once over the same cache: each gives the cold output, and so does the
    // next one, from whatever index the last of them left.
    drop_entries();
    let outputs: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..4).map(|_| s.spawn(|| scan().0)).collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert!(outputs.iter().all(|o| *o == cold));
    let (after, after_err) = scan();
    assert_eq!(after, cold);
    assert!(
        after_err.contains(": 3 of 3 files unchanged"),
        "{after_err}"
    );
}

#[test]
fn vendored_and_generated_code_is_left_out_counted_and_scanned_when_asked() {
    let tree = TempDir::new().unwrap();
    let md5 = "import hashlib\nh = hashlib.md5(b\"é\")\n";
    write(tree.path(), "src/app.py", md5);
    write(tree.path(), "vendor/lib/copié.py", md5);
    write(tree.path(), "node_modules/x/i.py", md5);
    write(tree.path(), "src/api_pb2.py", md5);
    write(
        tree.path(),
        "src/gen.py",
        format!("# Code generated by tool. DO NOT EDIT.\n{md5}"),
    );
    let paths = |out: &[u8]| {
        let mut p: Vec<String> = json_lines(out)
            .iter()
            .map(|f| f["path"].as_str().unwrap().replace('\\', "/"))
            .collect();
        p.sort();
        p
    };
    // Default: only the project's own code; the rest is counted in the summary.
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "json", "--no-cache", "-v", "."])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "4 vendored or generated paths not scanned (2 vendored, 2 generated; --include-vendored scans them)",
        ))
        .stderr(predicate::str::contains("ignored (vendored): vendor"))
        .stderr(predicate::str::contains("ignored (generated): src/gen.py"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(paths(&out), ["src/app.py"]);
    // Asked on the command line, or in codetable.toml: everything, each with its context.
    let all = bin()
        .current_dir(tree.path())
        .args([
            "scan",
            "--format",
            "json",
            "--no-cache",
            "--include-vendored",
            ".",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        paths(&all),
        [
            "node_modules/x/i.py",
            "src/api_pb2.py",
            "src/app.py",
            "src/gen.py",
            "vendor/lib/copié.py"
        ]
    );
    let contexts: Vec<String> = json_lines(&all)
        .iter()
        .map(|f| f["context"].as_str().unwrap().to_string())
        .collect();
    assert!(contexts.contains(&"vendored".to_string()), "{contexts:?}");
    assert!(contexts.contains(&"generated".to_string()), "{contexts:?}");
    write(tree.path(), "codetable.toml", "include-vendored = true\n");
    let configured = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "json", "--no-cache", "."])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(paths(&configured), paths(&all));
    // A file named explicitly is scanned whatever it is.
    std::fs::remove_file(tree.path().join("codetable.toml")).unwrap();
    let named = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "json", "--no-cache", "src/gen.py"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(paths(&named), ["src/gen.py"]);
}

#[test]
fn the_projects_own_sanitisers_come_from_its_configuration() {
    let tree = TempDir::new().unwrap();
    let app = "from flask import Flask, request, redirect\napp = Flask(__name__)\n\n@app.route(\"/é\")\ndef vue():\n    return redirect(tidy_target(request.args[\"suivant\"]))\n";
    write(tree.path(), "app/vues.py", app);
    let lines = |dir: &Path| {
        scan_json(dir, &["--pattern", "security.open-redirect.request-target"])
            .0
            .iter()
            .map(|f| f["line"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(tree.path()), [6]);
    write(
        tree.path(),
        "codetable.toml",
        "sanitizers = [\"monprojet.cibles.tidy_target\"]\n",
    );
    assert!(lines(tree.path()).is_empty());
}
