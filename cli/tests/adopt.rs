//! Adopting codetable on an existing codebase, through the `codetable` binary (issue #16 items
//! 7 and 8): baselines (`--baseline`, `--write-baseline`) matched by fingerprints that survive
//! edits above a finding, `--diff-since GIT_REF` on a real temporary git repository, and SARIF
//! that follows GitHub code scanning's documented rules. Paths and code hold non-ASCII text.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn bin() -> Command {
    let mut c = Command::cargo_bin("codetable").unwrap();
    c.env_remove("NO_COLOR");
    c.env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join(format!("codetable-adopt-tests-{}", std::process::id())),
    );
    c
}

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `codetable scan ARGS --format json --select all` in `dir`: exit code and findings.
fn scan_json(dir: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let out = bin()
        .current_dir(dir)
        .args(["scan", "--format", "json", "--select", "all"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code() != Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap(), json_lines(&out.stdout))
}

fn patterns(findings: &[Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["pattern"].as_str().unwrap())
        .collect()
}

const MD5: &str = "security.weak-hash.md5";
const APP: &str =
    "import hashlib\n\n\ndef clé(données):\n    return hashlib.md5(données).hexdigest()\n";

#[test]
fn a_baseline_hides_accepted_findings_and_keeps_them_across_edits_above() {
    let tree = TempDir::new().unwrap();
    let app = write(tree.path(), "src/ça va.py", APP);
    // Adopt: write the baseline (exit 0 although there are findings).
    bin()
        .current_dir(tree.path())
        .args(["scan", "--select", "all", "--write-baseline", "base.jsonl"])
        .assert()
        .success()
        .stderr(predicate::str::contains("baseline written to base.jsonl"));
    let written = std::fs::read(tree.path().join("base.jsonl")).unwrap();
    let accepted = json_lines(&written);
    assert!(patterns(&accepted).contains(&MD5), "{accepted:?}");
    assert!(accepted
        .iter()
        .all(|f| f["fingerprint"].as_str().is_some_and(|s| s.len() == 16)));

    // The same tree against its baseline: nothing to report, exit 0, counted in the summary.
    bin()
        .current_dir(tree.path())
        .args(["scan", "--select", "all", "--baseline", "base.jsonl"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "{} in the baseline",
            accepted.len()
        )));

    // Unrelated lines and a new function above the finding: still in the baseline.
    std::fs::write(
        &app,
        APP.replace(
            "def clé",
            "# 説明: ハッシュ 😀\ndef autre(x):\n    return x * 2\n\n\ndef clé",
        ),
    )
    .unwrap();
    let (code, now) = scan_json(tree.path(), &["--baseline", "base.jsonl"]);
    assert_eq!((code, now.len()), (0, 0), "{now:?}");
    // Without the baseline the finding is there, on another line than before.
    let (_, all) = scan_json(tree.path(), &[]);
    let md5 = all.iter().find(|f| f["pattern"] == MD5).unwrap();
    let before = accepted.iter().find(|f| f["pattern"] == MD5).unwrap();
    assert_ne!(md5["line"], before["line"]);
    assert_eq!(md5["fingerprint"], before["fingerprint"]);

    // A second MD5 call in the same function is new; so is the old one once its code changes.
    std::fs::write(
        &app,
        APP.replace(
            "    return hashlib",
            "    h = hashlib.md5(b'sel')\n    return hashlib",
        ),
    )
    .unwrap();
    let (code, now) = scan_json(tree.path(), &["--baseline", "base.jsonl"]);
    assert_eq!(code, 1);
    assert_eq!(patterns(&now), vec![MD5], "{now:?}");
    assert_eq!(now[0]["snippet"], "hashlib.md5(b'sel')");
    assert_eq!(now[0]["path"], "src/ça va.py");

    std::fs::write(&app, APP.replace("md5(données)", "md5(données + b'!')")).unwrap();
    let (code, now) = scan_json(tree.path(), &["--baseline", "base.jsonl"]);
    assert_eq!(code, 1);
    assert_eq!(patterns(&now), vec![MD5]);

    // The same finding in another file is not covered by the baseline.
    std::fs::write(&app, APP).unwrap();
    write(tree.path(), "src/copie.py", APP);
    let (_, now) = scan_json(tree.path(), &["--baseline", "base.jsonl"]);
    assert!(now.iter().all(|f| f["path"] == "src/copie.py"), "{now:?}");
    assert!(patterns(&now).contains(&MD5));
}

#[test]
fn a_sarif_output_is_a_baseline_too() {
    let tree = TempDir::new().unwrap();
    write(tree.path(), "lib/naïve.py", APP);
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--select", "all", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    std::fs::write(tree.path().join("base.sarif"), &out.stdout).unwrap();
    let (code, now) = scan_json(tree.path(), &["--baseline", "base.sarif"]);
    assert_eq!((code, now.len()), (0, 0), "{now:?}");
    // A finding added after it is reported.
    write(
        tree.path(),
        "lib/naïve.py",
        format!("{APP}\n\ndef encore(x):\n    return hashlib.md5(x)\n"),
    );
    let (code, now) = scan_json(tree.path(), &["--baseline", "base.sarif"]);
    assert_eq!(code, 1);
    assert_eq!(patterns(&now), vec![MD5]);
    assert_eq!(now[0]["unit"], "encore");
}

#[test]
fn a_bad_baseline_is_a_usage_error() {
    let tree = TempDir::new().unwrap();
    write(tree.path(), "a.py", APP);
    bin()
        .current_dir(tree.path())
        .args(["scan", "--baseline", "missing.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read the baseline missing.jsonl",
        ));
    // A record without a fingerprint (an older codetable's output) says what to do.
    write(
        tree.path(),
        "old.jsonl",
        "{\"path\":\"a.py\",\"pattern\":\"security.weak-hash.md5\",\"line\":5}\n",
    );
    bin()
        .current_dir(tree.path())
        .args(["scan", "--baseline", "old.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 1: the finding has no fingerprint",
        ));
    write(tree.path(), "junk.jsonl", "not json\n");
    bin()
        .current_dir(tree.path())
        .args(["scan", "--baseline", "junk.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a JSON finding"));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Process::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn diff_since_reports_only_findings_on_changed_lines() {
    let tree = TempDir::new().unwrap();
    let t = tree.path();
    git(t, &["init", "-q", "-b", "main"]);
    git(t, &["config", "user.name", "Tëst Üser"]);
    git(t, &["config", "user.email", "test@example.com"]);
    git(t, &["config", "commit.gpgsign", "false"]);
    let old = write(t, "vieux/ancien.py", APP);
    write(t, "vieux/autre.py", APP);
    git(t, &["add", "."]);
    git(t, &["commit", "-q", "-m", "début"]);

    // Nothing changed: nothing reported, exit 0, counted in the summary.
    bin()
        .current_dir(t)
        .args(["scan", "--select", "all", "--diff-since", "HEAD"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("on unchanged lines"));

    // A line added above the old finding (uncommitted) leaves the finding unchanged; a new
    // call below it, a changed file and an untracked file are reported.
    std::fs::write(
        &old,
        format!("# 変更\n{APP}\n\ndef neuf(x):\n    return hashlib.md5(x)\n"),
    )
    .unwrap();
    write(t, "nouveau/été.py", APP);
    let (code, now) = scan_json(t, &["--diff-since", "HEAD"]);
    assert_eq!(code, 1);
    let md5: Vec<(&str, &str)> = now
        .iter()
        .filter(|f| f["pattern"] == MD5)
        .map(|f| (f["path"].as_str().unwrap(), f["unit"].as_str().unwrap()))
        .collect();
    assert_eq!(
        md5,
        vec![("nouveau/été.py", "clé"), ("vieux/ancien.py", "neuf")],
        "{now:?}"
    );

    // Once committed, a branch point before the commit still sees the changes; HEAD does not.
    git(t, &["add", "."]);
    git(t, &["commit", "-q", "-m", "suite"]);
    let (_, now) = scan_json(t, &["--diff-since", "HEAD~1"]);
    assert_eq!(now.iter().filter(|f| f["pattern"] == MD5).count(), 2);
    let (code, now) = scan_json(t, &["--diff-since", "HEAD"]);
    assert_eq!((code, now.len()), (0, 0));
    // Scanning a subfolder from inside the repository works the same.
    let (_, now) = scan_json(&t.join("vieux"), &["--diff-since", "HEAD~1", "."]);
    assert_eq!(patterns(&now), vec![MD5]);
    assert_eq!(now[0]["unit"], "neuf");

    // An unknown revision is a usage error that names it.
    bin()
        .current_dir(t)
        .args(["scan", "--diff-since", "pas-de-branche"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown git revision `pas-de-branche`",
        ));
}

#[test]
fn diff_since_outside_a_git_repository_is_a_usage_error() {
    let tree = TempDir::new().unwrap();
    write(tree.path(), "a.py", APP);
    bin()
        .current_dir(tree.path())
        .env("GIT_CEILING_DIRECTORIES", tree.path().parent().unwrap())
        .args(["scan", "--diff-since", "main"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not inside a git repository"));
}
