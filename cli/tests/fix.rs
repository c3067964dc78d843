//! `scan --fix`, `scan --fix --dry-run`, the `fix` of JSON records and SARIF `fixes`, and
//! `fix`/`fixed` in user rules, through the binary.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn bin() -> Command {
    let mut c = Command::cargo_bin("codetable").unwrap();
    c.env_remove("NO_COLOR");
    c.env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join(format!("codetable-fix-tests-{}", std::process::id())),
    );
    c
}

fn write(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).unwrap();
}

/// Two fixable findings after a non-ASCII line, and one reached through an alias (no fix).
const APP: &str = "import hashlib\nimport hashlib as h\nimport yaml\n\n# résumé ☕\ndef read(f):\n    return yaml.load(f)\n\n\ndef key(data):\n    return hashlib.md5(data).hexdigest() + h.md5(data).hexdigest()\n";
const FIXED: &str = "import hashlib\nimport hashlib as h\nimport yaml\n\n# résumé ☕\ndef read(f):\n    return yaml.safe_load(f)\n\n\ndef key(data):\n    return hashlib.sha256(data).hexdigest() + h.md5(data).hexdigest()\n";

#[test]
fn dry_run_prints_a_unified_diff_and_writes_nothing() {
    let tree = TempDir::new().unwrap();
    write(tree.path(), "app.py", APP);
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--fix", "--dry-run"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 fixes in 1 files (dry run"))
        .get_output()
        .stdout
        .clone();
    let diff = String::from_utf8(out).unwrap();
    assert!(diff.starts_with("--- a/app.py\n+++ b/app.py\n"), "{diff}");
    assert!(diff.contains("\n-    return yaml.load(f)\n+    return yaml.safe_load(f)\n"));
    assert!(diff.contains("+    return hashlib.sha256(data).hexdigest() + h.md5(data)"));
    assert_eq!(
        std::fs::read_to_string(tree.path().join("app.py")).unwrap(),
        APP
    );
    // Nothing to fix: an empty diff and exit 0.
    write(tree.path(), "app.py", FIXED);
    bin()
        .current_dir(tree.path())
        .args(["scan", "--fix", "--dry-run", "--fail-on", "never"])
        .assert()
        .code(0)
        .stdout("");
    bin()
        .args(["scan", "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--fix"));
}

#[test]
fn fix_rewrites_the_file_and_reports_what_is_left() {
    let tree = TempDir::new().unwrap();
    write(tree.path(), "app.py", APP);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = tree.path().join("app.py");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--fix", "--format", "json"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("fixed 2 findings in 1 files"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        std::fs::read_to_string(tree.path().join("app.py")).unwrap(),
        FIXED
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(tree.path().join("app.py"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    // Left: the aliased md5, at its place in the fixed text, without a fix.
    let left: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["pattern"], "security.weak-hash.md5");
    assert!(left[0].get("fix").is_none());
    let start = left[0]["byte_start"].as_u64().unwrap() as usize;
    assert!(FIXED[start..].starts_with("h.md5(data)"));
    // The temporary file was renamed, not left behind.
    let names: Vec<_> = std::fs::read_dir(tree.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn json_records_and_sarif_results_carry_the_fix() {
    let tree = TempDir::new().unwrap();
    write(tree.path(), "app.py", APP);
    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let recs: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let yaml = recs
        .iter()
        .find(|r| r["pattern"] == "security.deserialization.yaml-load")
        .unwrap();
    let at = APP.find("yaml.load(f)").unwrap();
    assert_eq!(yaml["fix"]["byte_start"], at);
    assert_eq!(yaml["fix"]["byte_end"], at + "yaml.load(f)".len());
    assert_eq!(yaml["fix"]["replacement"], "yaml.safe_load(f)");

    let out = bin()
        .current_dir(tree.path())
        .args(["scan", "--format", "sarif"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let sarif: Value = serde_json::from_slice(&out).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "security.deserialization.yaml-load")
        .unwrap();
    let change = &r["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "app.py");
    let rep = &change["replacements"][0];
    assert_eq!(rep["insertedContent"]["text"], "yaml.safe_load(f)");
    assert_eq!(rep["deletedRegion"]["startLine"], 7);
    assert_eq!(rep["deletedRegion"]["startColumn"], 12);
    assert_eq!(rep["deletedRegion"]["byteOffset"], at);
    let aliased = results
        .iter()
        .filter(|r| r["ruleId"] == "security.weak-hash.md5")
        .filter(|r| r.get("fixes").is_none())
        .count();
    assert_eq!(aliased, 1);
}

const TEAM: &str = r#"
id = "team.none-compare"
symbol = "Nc"
name = "Comparison with None by equality"
group = "idiom"
severity = "low"
languages = ["python"]
summary = "x == None instead of x is None."

[[rules]]
language = "python"
pattern = "$X == None"
fix = "FIX"

[[examples]]
language = "python"
expect = "match"
code = "if naïve == None:\n    pass\n"
fixed = "FIXED"
"#;

#[test]
fn user_rules_carry_fixes_and_codetable_test_checks_fixed() {
    let tree = TempDir::new().unwrap();
    write(
        tree.path(),
        "team.toml",
        &TEAM
            .replace("FIXED", "if naïve is None:\\n    pass\\n")
            .replace("FIX", "$X is None"),
    );
    write(tree.path(), "a.py", "def f(é):\n    return é == None\n");
    bin()
        .current_dir(tree.path())
        .args(["test", "team.toml"])
        .assert()
        .success();
    bin()
        .current_dir(tree.path())
        .args([
            "scan",
            "a.py",
            "--rules",
            "team.toml",
            "--fix",
            "--fail-on",
            "never",
        ])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(tree.path().join("a.py")).unwrap(),
        "def f(é):\n    return é is None\n"
    );
    // A `fixed` the fix does not give fails `codetable test`.
    write(
        tree.path(),
        "team.toml",
        &TEAM
            .replace("FIXED", "if naïve is not None:\\n    pass\\n")
            .replace("FIX", "$X is None"),
    );
    bin()
        .current_dir(tree.path())
        .args(["test", "team.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("`fixed` says"));
}

#[test]
fn a_fix_that_would_not_parse_is_not_written() {
    let tree = TempDir::new().unwrap();
    let team = TEAM
        .replace("fixed = \"FIXED\"\n", "")
        .replace("FIX", "$X is (");
    write(tree.path(), "team.toml", &team);
    let src = "def f(x):\n    return x == None\n";
    write(tree.path(), "a.py", src);
    bin()
        .current_dir(tree.path())
        .args([
            "scan",
            "a.py",
            "--rules",
            "team.toml",
            "--fix",
            "--fail-on",
            "never",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "a.py: not fixed: the fixed code would not parse",
        ));
    assert_eq!(
        std::fs::read_to_string(tree.path().join("a.py")).unwrap(),
        src
    );
}
