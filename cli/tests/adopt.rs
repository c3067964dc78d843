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

/// GitHub code scanning's documented rules for uploaded SARIF ("SARIF support for code
/// scanning"): every rule has an id, short and full descriptions and help (text and Markdown);
/// `precision` is one of GitHub's four values; `tags` are strings (at most 20); a security rule
/// is tagged `security` and has a `security-severity` between 0.1 and 10.0 that GitHub reads
/// as the rule's severity; every result names a rule of the run (`ruleId`, `ruleIndex`), has a
/// message, one location with a relative URI and a start line, and `partialFingerprints`.
fn github_violations(sarif: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let text = |v: &Value| v.as_str().is_some_and(|s| !s.trim().is_empty());
    if sarif["version"] != "2.1.0" {
        bad.push("version is not 2.1.0".to_string());
    }
    for (k, run) in sarif["runs"].as_array().unwrap().iter().enumerate() {
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for r in rules {
            let id = r["id"].as_str().unwrap_or("?");
            for field in ["shortDescription", "fullDescription"] {
                if !text(&r[field]["text"]) {
                    bad.push(format!("{id}: no {field}.text"));
                }
            }
            if !text(&r["help"]["text"]) || !text(&r["help"]["markdown"]) {
                bad.push(format!("{id}: help needs text and markdown"));
            }
            let props = &r["properties"];
            if !["very-high", "high", "medium", "low"]
                .contains(&props["precision"].as_str().unwrap_or(""))
            {
                bad.push(format!("{id}: precision {}", props["precision"]));
            }
            let tags: Vec<&str> = props["tags"]
                .as_array()
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if tags.is_empty() || tags.len() > 20 {
                bad.push(format!("{id}: {} tags", tags.len()));
            }
            let level = r["defaultConfiguration"]["level"].as_str().unwrap_or("");
            match props["security-severity"].as_str() {
                Some(s) => {
                    let score: f64 = s.parse().unwrap_or(-1.0);
                    if !(0.1..=10.0).contains(&score) {
                        bad.push(format!("{id}: security-severity {s}"));
                    }
                    if !tags.contains(&"security") {
                        bad.push(format!("{id}: security-severity without the security tag"));
                    }
                    // GitHub's bands must agree with the SARIF level we give.
                    let band_ok = match level {
                        "error" => score >= 7.0,
                        "warning" => (4.0..7.0).contains(&score),
                        _ => score < 4.0,
                    };
                    if !band_ok {
                        bad.push(format!("{id}: security-severity {s} vs level {level}"));
                    }
                }
                None if tags.contains(&"security") && r["properties"]["severity"] != "info" => {
                    bad.push(format!("{id}: a security rule without security-severity"));
                }
                None => {}
            }
        }
        for (i, res) in run["results"].as_array().unwrap().iter().enumerate() {
            let at = format!("runs[{k}].results[{i}]");
            let Some(ri) = res["ruleIndex"].as_u64() else {
                bad.push(format!("{at}: no ruleIndex"));
                continue;
            };
            if rules.get(ri as usize).map(|r| &r["id"]) != Some(&res["ruleId"]) {
                bad.push(format!("{at}: ruleIndex does not name ruleId"));
            }
            if !text(&res["message"]["text"]) {
                bad.push(format!("{at}: no message"));
            }
            let locations = res["locations"].as_array().map_or(0, Vec::len);
            if locations != 1 {
                bad.push(format!("{at}: {locations} locations"));
            }
            let loc = &res["locations"][0]["physicalLocation"];
            let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or("");
            if uri.is_empty() || uri.starts_with('/') || uri.contains("://") {
                bad.push(format!("{at}: uri {uri:?} is not relative"));
            }
            if loc["region"]["startLine"].as_u64().unwrap_or(0) < 1 {
                bad.push(format!("{at}: no startLine"));
            }
            let fps = res["partialFingerprints"].as_object();
            if fps.is_none_or(|f| f.is_empty() || !f.values().all(text)) {
                bad.push(format!("{at}: no partialFingerprints"));
            }
        }
    }
    bad
}

#[test]
fn sarif_follows_github_code_scanning_rules() {
    let tree = TempDir::new().unwrap();
    write(tree.path(), "src/ünïcode/app.py", APP);
    write(
        tree.path(),
        "src/ünïcode/rest.py",
        "import hashlib\n\ndef f(x):\n    try:\n        return hashlib.sha256(x)\n    except:\n        pass\n    s = ''\n    for w in x:\n        s += w\n    return eval(s)\n",
    );
    let out = bin()
        .current_dir(tree.path())
        .args([
            "scan",
            "--select",
            "all",
            "--format",
            "sarif",
            "--fail-on",
            "never",
        ])
        .assert()
        .success()
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
    assert!(validator.is_valid(&sarif));
    let bad = github_violations(&sarif);
    assert!(bad.is_empty(), "{bad:#?}");

    // Both kinds of rule are there, so both branches were checked.
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let security = |r: &&Value| {
        r["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&"security".into())
    };
    assert!(rules
        .iter()
        .any(|r| security(&r) && r["properties"]["security-severity"].is_string()));
    assert!(rules.iter().any(|r| !security(&r)), "{rules:#?}");
    assert!(rules
        .iter()
        .filter(|r| !security(r))
        .all(|r| r["properties"]["security-severity"].is_null()));
    // The Markdown help is core's sheet: symbol, name and id first, CWE linked.
    let md5 = rules.iter().find(|r| r["id"] == MD5).unwrap();
    let help = md5["help"]["markdown"].as_str().unwrap();
    assert!(
        help.starts_with("**Md** · **MD5 hash** · `security.weak-hash.md5`"),
        "{help}"
    );
    assert!(help.contains("](https://cwe.mitre.org/data/definitions/327.html)"));
    // The fingerprint is core's, the one JSON shows.
    let (_, json) = scan_json(tree.path(), &[]);
    let from_json = json.iter().find(|f| f["pattern"] == MD5).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == MD5)
        .unwrap();
    assert_eq!(
        result["partialFingerprints"]["codetable/v1"],
        from_json["fingerprint"]
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/%C3%BCn%C3%AFcode/app.py"
    );

    // The checker is not vacuous: each broken rule is caught.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("partialFingerprints");
    let i = rules.iter().position(|r| r["id"] == MD5).unwrap();
    broken["runs"][0]["tool"]["driver"]["rules"][i]["properties"]["security-severity"] =
        "0.0".into();
    broken["runs"][0]["tool"]["driver"]["rules"][i]["properties"]["precision"] = "exact".into();
    broken["runs"][0]["tool"]["driver"]["rules"][i]["help"]
        .as_object_mut()
        .unwrap()
        .remove("markdown");
    let found = github_violations(&broken);
    for expected in [
        "no partialFingerprints",
        "security-severity 0.0",
        "precision \"exact\"",
        "help needs text and markdown",
    ] {
        assert!(
            found.iter().any(|f| f.contains(expected)),
            "{expected}: {found:#?}"
        );
    }
}

/// The language findings in `rel` are reported in, scanning `dir` with `args`.
fn languages_of(dir: &Path, rel: &str, args: &[&str]) -> Vec<String> {
    let (_, findings) = scan_json(dir, args);
    let mut langs: Vec<String> = findings
        .iter()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(rel)))
        .map(|f| f["language"].as_str().unwrap().to_string())
        .collect();
    langs.dedup();
    langs
}

#[test]
fn compile_commands_decide_the_language_of_headers() {
    let tree = TempDir::new().unwrap();
    let t = tree.path();
    // Headers whose content says nothing either way, beside a C file: the content and the
    // neighbours say C.
    let header = "#include <string.h>\n/* en-tête partagé ✓ */\nstatic inline void copie(char *d, const char *s) { strcpy(d, s); }\n";
    write(t, "src/partagé.h", header);
    write(t, "src/inc/api.h", header);
    write(t, "src/legacy/old.h", header);
    write(t, "src/outil.c", "int outil(void) { return 0; }\n");
    write(
        t,
        "src/app.cpp",
        "#include \"partagé.h\"\n#include <api.h>\nint main() { return 0; }\n",
    );
    write(t, "src/legacy/old.c", "#include \"old.h\"\n");
    assert_eq!(languages_of(t, "src/partagé.h", &[]), vec!["c"]);
    assert_eq!(languages_of(t, "src/inc/api.h", &[]), vec!["c"]);

    // A compilation database given on the command line: headers included by the C++
    // translation unit (through its folder and its -I folder) are C++; the C unit's stays C.
    let db = format!(
        r#"[
  {{"directory": "{dir}", "file": "src/app.cpp", "arguments": ["/usr/bin/c++", "-Isrc/inc", "-c", "src/app.cpp"]}},
  {{"directory": "{dir}/src/legacy", "file": "old.c", "command": "cc -c old.c -o old.o"}}
]"#,
        dir = t.display()
    );
    write(t, "build/compile_commands.json", &db);
    let given = ["--compile-commands", "build/compile_commands.json"];
    assert_eq!(languages_of(t, "src/partagé.h", &given), vec!["cpp"]);
    assert_eq!(languages_of(t, "src/inc/api.h", &given), vec!["cpp"]);
    assert_eq!(languages_of(t, "src/legacy/old.h", &given), vec!["c"]);

    // Found without the flag: build/compile_commands.json above the scanned folder.
    assert_eq!(
        languages_of(&t.join("src"), "partagé.h", &["."]),
        vec!["cpp"]
    );
    // The project configuration's [languages] wins over the build.
    write(t, "codetable.toml", "[languages]\n\"partagé.h\" = \"c\"\n");
    assert_eq!(languages_of(t, "src/partagé.h", &[]), vec!["c"]);
    assert_eq!(languages_of(t, "src/inc/api.h", &[]), vec!["cpp"]);

    // A broken database given on the command line is a usage error.
    write(t, "bad.json", "{\"not\": \"a list\"}");
    bin()
        .current_dir(t)
        .args(["scan", "--compile-commands", "bad.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a compilation database"));
}

/// The hooks of `.pre-commit-hooks.yaml`, read as the flat list of `key: value` maps it is
/// (pre-commit's documented keys; lists kept as written).
fn hooks() -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../.pre-commit-hooks.yaml"),
    )
    .unwrap();
    let mut hooks: Vec<std::collections::BTreeMap<String, String>> = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if let Some(rest) = line.strip_prefix("- ") {
            hooks.push(Default::default());
            let (k, v) = rest.split_once(": ").unwrap();
            hooks.last_mut().unwrap().insert(k.into(), v.into());
        } else if let Some(rest) = line.strip_prefix("  ") {
            let (k, v) = rest.split_once(": ").unwrap();
            let dup = hooks.last_mut().unwrap().insert(k.into(), v.into());
            assert!(dup.is_none(), "{k} twice");
        } else {
            assert!(line.trim().is_empty(), "unexpected line {line:?}");
        }
    }
    hooks
}

/// Runs a command line that starts with `codetable` with this build's binary in `dir`.
fn run_entry(dir: &Path, command: &str, files: &[&str]) -> std::process::Output {
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "codetable", "{command}");
    bin()
        .current_dir(dir)
        .args(&words[1..])
        .args(files)
        .output()
        .unwrap()
}

/// A git repository in a temporary folder, with a user and no signing.
fn repository() -> TempDir {
    let tree = TempDir::new().unwrap();
    let t = tree.path();
    git(t, &["init", "-q", "-b", "main"]);
    git(t, &["config", "user.name", "Hoök Tëst"]);
    git(t, &["config", "user.email", "hook@example.com"]);
    git(t, &["config", "commit.gpgsign", "false"]);
    tree
}

#[test]
fn the_pre_commit_hooks_run_the_scan() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str()).collect();
    assert_eq!(ids, vec!["codetable", "codetable-changed-lines"]);
    // identify's tags for the languages codetable reads.
    let tags = [
        "python",
        "javascript",
        "jsx",
        "ts",
        "tsx",
        "java",
        "kotlin",
        "go",
        "rust",
        "c",
        "c++",
        "header",
    ];
    for h in &hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(h.contains_key(key), "{h:?} lacks {key}");
        }
        assert_eq!(h["language"], "system", "the installed console script runs");
        assert!(h["entry"].starts_with("codetable scan"));
        if let Some(t) = h.get("types_or") {
            let list = t.trim_start_matches('[').trim_end_matches(']');
            for tag in list.split(", ") {
                assert!(tags.contains(&tag), "unknown identify tag {tag}");
            }
        }
    }

    let tree = repository();
    let t = tree.path();
    write(t, "propre.py", "def somme(a, b):\n    return a + b\n");
    write(t, "haché.py", APP);
    git(t, &["add", "."]);
    git(t, &["commit", "-q", "-m", "un"]);

    // `codetable`: pre-commit appends the staged files.
    let scan = &hooks[0];
    assert_eq!(
        run_entry(t, &scan["entry"], &["propre.py"]).status.code(),
        Some(0)
    );
    let out = run_entry(t, &scan["entry"], &["propre.py", "haché.py"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("haché.py:5:12"));

    // `codetable-changed-lines`: no file names; committed findings pass, new ones fail.
    let changed = &hooks[1];
    assert_eq!(changed["pass_filenames"], "false");
    assert_eq!(run_entry(t, &changed["entry"], &[]).status.code(), Some(0));
    write(t, "nouveau.py", APP);
    let out = run_entry(t, &changed["entry"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("nouveau.py") && !stdout.contains("haché.py"),
        "{stdout}"
    );
}

#[test]
fn the_github_workflow_example_scans_uploads_and_gates() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/ci/github-code-scanning.yml"),
    )
    .unwrap();
    assert!(text.contains("security-events: write"));
    assert!(text.contains("uses: github/codeql-action/upload-sarif@v3"));
    assert!(text.contains("fetch-depth: 0"));
    let runs: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("run: codetable "))
        .collect();
    assert_eq!(runs.len(), 2, "{runs:?}");

    // Replay both commands in a repository with an `origin/main` to diff against.
    let tree = repository();
    let t = tree.path();
    write(t, "src/ancien.py", APP);
    git(t, &["add", "."]);
    git(t, &["commit", "-q", "-m", "base"]);
    git(t, &["update-ref", "refs/remotes/origin/main", "HEAD"]);

    // The SARIF step: exit 0 whatever it finds, into the file the upload step names.
    let (scan, target) = runs[0].split_once(" > ").unwrap();
    let sarif_file = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("sarif_file: "))
        .unwrap();
    assert_eq!(target, sarif_file);
    let out = run_entry(t, &format!("codetable {scan}"), &[]);
    assert_eq!(out.status.code(), Some(0));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(github_violations(&sarif).is_empty());
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());

    // The gate, as a pull request against main runs it: old findings pass, new ones fail.
    let gate = runs[1].replace("\"origin/${{ github.base_ref }}\"", "origin/main");
    assert_eq!(
        run_entry(t, &format!("codetable {gate}"), &[])
            .status
            .code(),
        Some(0)
    );
    write(t, "src/ajouté.py", APP);
    git(t, &["add", "."]);
    git(t, &["commit", "-q", "-m", "pr"]);
    assert_eq!(
        run_entry(t, &format!("codetable {gate}"), &[])
            .status
            .code(),
        Some(1)
    );
}
