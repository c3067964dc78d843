//! The shared folder walk (`codetable::source::walk`): ignore files, hidden files, excludes,
//! languages, links and loops, explicit roots, and each file's code-context root, through the
//! public API; sequential and parallel walks agree.

#![cfg(feature = "walk")]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use codetable::context::{below_root, path_context};
use codetable::source::walk::{classify, walk, walk_parallel, Candidate, WalkOptions, Walked};
use codetable::source::SkipReason;
use codetable::Language;

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

/// A tree under a folder named `tests` (a checkout under `~/tests/`): what is walked, sorted.
fn tree() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("tests").join("projet-été");
    write(&root, "src/données.py", "import hashlib\n");
    write(&root, "src/main.go", "package main\n");
    write(&root, "bin/outil", "#!/usr/bin/env python3\nprint('é')\n");
    write(&root, "README.md", "# é\n");
    write(&root, "build/généré.py", "x = 1\n");
    write(&root, ".cache/h.py", "x = 1\n");
    write(&root, ".gitignore", "build/\n");
    write(&root, "vendor/lib.py", "x = 1\n");
    (t, root)
}

fn names(entries: &[Walked], root: &Path) -> Vec<String> {
    let mut out: Vec<String> = entries
        .iter()
        .map(|w| match w {
            Walked::Candidate(c) => format!("+{}", rel(&c.path, root)),
            Walked::Ignored { path, reason, .. } => {
                format!("-{} ({})", rel(path, root), reason.name())
            }
            Walked::Skipped { path, reason, .. } => format!(
                "!{} ({})",
                path.as_deref().map(|p| rel(p, root)).unwrap_or_default(),
                reason.name()
            ),
        })
        .collect();
    out.sort();
    out
}

fn rel(p: &Path, root: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

fn candidates(entries: &[Walked]) -> Vec<&Candidate> {
    entries
        .iter()
        .filter_map(|w| match w {
            Walked::Candidate(c) => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn gitignore_and_hidden_are_honoured_without_git_and_switchable() {
    let (_t, root) = tree();
    let all: Vec<Walked> = walk(std::slice::from_ref(&root), &WalkOptions::default()).collect();
    assert_eq!(
        names(&all, &root),
        [
            "+bin/outil",
            "+src/données.py",
            "+src/main.go",
            "-README.md (unknown language)",
            "-vendor (vendored)"
        ]
    );
    let every = WalkOptions {
        hidden: true,
        ignore_files: false,
        vendored: true,
        ..WalkOptions::default()
    };
    let got = names(
        &walk(std::slice::from_ref(&root), &every).collect::<Vec<_>>(),
        &root,
    );
    // `.gitignore` has no extension: its first line decides, once read.
    for f in [
        "+.cache/h.py",
        "+build/généré.py",
        "+.gitignore",
        "+vendor/lib.py",
    ] {
        assert!(got.iter().any(|g| g == f), "{f} in {got:?}");
    }
}

#[test]
fn excludes_languages_and_configured_languages() {
    let (_t, root) = tree();
    let options = WalkOptions {
        languages: vec![Language::Python],
        exclude: Some(Arc::new(|p: &Path| p.ends_with("vendor"))),
        language_of: Some(Arc::new(|p: &Path| {
            (p.extension().is_some_and(|e| e == "md")).then_some(Language::Python)
        })),
        ..WalkOptions::default()
    };
    let all: Vec<Walked> = walk(std::slice::from_ref(&root), &options).collect();
    assert_eq!(
        names(&all, &root),
        [
            "+README.md",
            "+bin/outil",
            "+src/données.py",
            "-src/main.go (excluded language)"
        ]
    );
    let cs = candidates(&all);
    let lang = |name: &str| cs.iter().find(|c| c.path.ends_with(name)).unwrap().language;
    assert_eq!(lang("README.md"), Some(Language::Python));
    assert_eq!(lang("outil"), None);
    assert_eq!(lang("données.py"), Some(Language::Python));
    // `.h` is C or C++: with only C++ wanted, its content decides.
    let cpp = WalkOptions {
        languages: vec![Language::Cpp],
        ..WalkOptions::default()
    };
    assert!(matches!(
        classify(Path::new("x/a.h"), 1, &cpp),
        Walked::Candidate(Candidate { language: None, .. })
    ));
}

#[test]
fn every_file_is_judged_below_the_walked_folder_not_above_it() {
    let (_t, root) = tree();
    let all: Vec<Walked> = walk(std::slice::from_ref(&root), &WalkOptions::default()).collect();
    let file = candidates(&all)
        .into_iter()
        .find(|c| c.path.ends_with("données.py"))
        .unwrap()
        .clone();
    assert_eq!(file.depth, 2);
    assert_eq!(file.root.as_deref(), Some(root.to_str().unwrap()));
    let path = file.path.to_str().unwrap();
    // The path as a whole leads through `tests/`; below its root it is production code.
    assert!(path_context(path).is_some());
    assert_eq!(path_context(below_root(path, file.root.as_deref())), None);
    // A file named explicitly is judged below its own folder.
    let one: Vec<Walked> =
        walk(std::slice::from_ref(&file.path), &WalkOptions::default()).collect();
    let c = candidates(&one)[0];
    assert_eq!(c.depth, 0);
    assert_eq!(c.root.as_deref(), Some(root.join("src").to_str().unwrap()));
}

#[test]
fn an_explicit_root_is_walked_even_when_ignored_or_hidden() {
    let (_t, root) = tree();
    let roots = [root.join("build/généré.py"), root.join(".cache")];
    let all: Vec<Walked> = walk(&roots, &WalkOptions::default()).collect();
    assert_eq!(names(&all, &root), ["+.cache/h.py", "+build/généré.py"]);
    // An explicit file no language claims is ignored by name, marked explicit by its depth.
    let md: Vec<Walked> = walk(&[root.join("README.md")], &WalkOptions::default()).collect();
    assert!(matches!(
        &md[..],
        [Walked::Ignored {
            depth: 0,
            reason: SkipReason::UnknownLanguage,
            ..
        }]
    ));
    let gone: Vec<Walked> = walk(&[root.join("nulle-part")], &WalkOptions::default()).collect();
    assert!(matches!(
        &gone[..],
        [Walked::Skipped {
            reason: SkipReason::Unreadable,
            ..
        }]
    ));
}

#[cfg(unix)]
#[test]
fn links_are_followed_only_when_asked_and_loops_end() {
    let (_t, root) = tree();
    std::os::unix::fs::symlink(&root, root.join("src/boucle")).unwrap();
    std::os::unix::fs::symlink("données.py", root.join("src/lien.py")).unwrap();
    std::os::unix::fs::symlink("absent.py", root.join("src/cassé.py")).unwrap();
    let plain: Vec<Walked> = walk(std::slice::from_ref(&root), &WalkOptions::default()).collect();
    // (vendor/ is left out: three candidates.)
    assert_eq!(candidates(&plain).len(), 3, "{:?}", names(&plain, &root));
    assert!(!plain.iter().any(|w| matches!(w, Walked::Skipped { .. })));
    let follow = WalkOptions {
        follow_links: true,
        ..WalkOptions::default()
    };
    let all: Vec<Walked> = walk(std::slice::from_ref(&root), &follow).collect();
    let got = names(&all, &root);
    assert!(got.contains(&"+src/lien.py".to_string()), "{got:?}");
    assert!(
        got.contains(&"!src/boucle (unreadable)".to_string()),
        "{got:?}"
    );
    assert!(
        got.contains(&"!src/cassé.py (unreadable)".to_string()),
        "{got:?}"
    );
}

#[test]
fn the_parallel_walk_finds_what_the_sequential_one_does_and_can_stop() {
    let (_t, root) = tree();
    for i in 0..40 {
        write(&root, &format!("many/m{i}_é.py"), "x = 1\n");
    }
    let seq: Vec<Walked> = walk(std::slice::from_ref(&root), &WalkOptions::default()).collect();
    let found = Mutex::new(Vec::new());
    walk_parallel(
        std::slice::from_ref(&root),
        &WalkOptions::default(),
        2,
        |w| {
            found.lock().unwrap().push(w);
            true
        },
    );
    let par = found.into_inner().unwrap();
    assert_eq!(names(&par, &root), names(&seq, &root));
    assert_eq!(seq.len(), 45);
    let seen = Mutex::new(0usize);
    walk_parallel(
        std::slice::from_ref(&root),
        &WalkOptions::default(),
        1,
        |_| {
            *seen.lock().unwrap() += 1;
            false
        },
    );
    assert!(*seen.lock().unwrap() < 45);
}

#[test]
fn vendored_and_generated_code_is_left_out_unless_asked_named_or_configured() {
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("projet-é");
    write(&root, "src/app.py", "import hashlib\n");
    write(&root, "src/schéma_pb2.py", "x = 1\n");
    write(&root, "web/app.min.js", "var é=1;\n");
    write(
        &root,
        "node_modules/left-pad/index.js",
        "module.exports = 1;\n",
    );
    write(&root, "third_party/ours/keep.py", "x = 1\n");
    write(&root, "third_party/zlib/z.c", "int z;\n");
    write(&root, "generated/api.go", "package api\n");
    let gen = "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage api\n";
    let header = write(&root, "src/api.go", gen);
    let bundle = format!("var a=\"{}\";\n", "é".repeat(700)).repeat(40);
    let minified = write(&root, "dist/bundle.js", &bundle);
    let defaults: Vec<Walked> =
        walk(std::slice::from_ref(&root), &WalkOptions::default()).collect();
    assert_eq!(
        names(&defaults, &root),
        [
            "+dist/bundle.js",
            "+src/api.go",
            "+src/app.py",
            "-generated (generated)",
            "-node_modules (vendored)",
            "-src/schéma_pb2.py (generated)",
            "-third_party (vendored)",
            "-web/app.min.js (generated)",
        ]
    );
    // Files whose content says generated are left out when read, as the walk proposes them.
    let cs = candidates(&defaults);
    let read = |name: &str| {
        let c = cs.iter().find(|c| c.path.ends_with(name)).unwrap();
        c.read(&codetable::source::Intake::default())
    };
    assert_eq!(read("bundle.js").unwrap_err().reason, SkipReason::Generated);
    assert_eq!(read("api.go").unwrap_err().reason, SkipReason::Generated);
    assert_eq!(read("app.py").unwrap().language, Language::Python);
    // Read by name (a host opening one file), generated code is read.
    let by_name = codetable::source::read(&header, &codetable::source::Intake::default());
    assert_eq!(by_name.unwrap().language, Language::Go);
    // Named explicitly, a vendored folder or generated file is walked and read.
    let named: Vec<Walked> = walk(
        &[root.join("node_modules"), minified.clone()],
        &WalkOptions::default(),
    )
    .collect();
    assert_eq!(
        names(&named, &root),
        ["+dist/bundle.js", "+node_modules/left-pad/index.js"]
    );
    let cs = candidates(&named);
    assert!(cs
        .iter()
        .all(|c| c.read(&codetable::source::Intake::default()).is_ok()));
    // Asked: everything is walked and read.
    let all = WalkOptions {
        vendored: true,
        ..WalkOptions::default()
    };
    let every: Vec<Walked> = walk(std::slice::from_ref(&root), &all).collect();
    assert_eq!(candidates(&every).len(), 9);
    assert!(candidates(&every)
        .iter()
        .all(|c| c.read(&codetable::source::Intake::default()).is_ok()));
    // A configured context wins over the path, file by file: `third_party/ours` is the
    // project's own code, `third_party/zlib` stays out.
    let configured = WalkOptions {
        context_of: Some(Arc::new(|p: &Path| {
            p.components()
                .any(|c| c.as_os_str() == "ours")
                .then_some(codetable::CodeContext::Production)
        })),
        ..WalkOptions::default()
    };
    let got = names(
        &walk(std::slice::from_ref(&root), &configured).collect::<Vec<_>>(),
        &root,
    );
    assert!(
        got.contains(&"+third_party/ours/keep.py".to_string()),
        "{got:?}"
    );
    assert!(
        got.contains(&"-third_party/zlib/z.c (vendored)".to_string()),
        "{got:?}"
    );
    assert!(
        got.contains(&"-node_modules/left-pad/index.js (vendored)".to_string()),
        "{got:?}"
    );
    // The parallel walk leaves out the same.
    let found = Mutex::new(Vec::new());
    walk_parallel(
        std::slice::from_ref(&root),
        &WalkOptions::default(),
        2,
        |w| {
            found.lock().unwrap().push(w);
            true
        },
    );
    assert_eq!(
        names(&found.into_inner().unwrap(), &root),
        names(&defaults, &root)
    );
}
