//! Project configuration (`codetable::config`) through its public API: found upward from a file
//! or folder, `codetable.toml` before `pyproject.toml`'s `[tool.codetable]`, globs relative to
//! the file's folder, errors with the file, line and a suggestion; non-ASCII paths throughout.

#![cfg(feature = "config")]

use std::path::Path;

use codetable::config::Config;
use codetable::{Language, Severity};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn found_upward_with_globs_relative_to_its_folder() {
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("projet-été");
    write(
        &root,
        "codetable.toml",
        r#"select = ["security"]
extend-select = ["Sh"]
ignore = ["security.weak-hash.sha1"]
exclude = ["généré/**", "vendor"]
rules = ["règles"]
[severity]
"Md" = "low"
[per-path-ignores]
"tests/**" = ["Md"]
[languages]
"*.tpl" = "python"
"#,
    );
    write(&root, "règles/r.toml", "");
    write(&root, "src/deep/données.py", "x = 1\n");
    let c = Config::discover(&root.join("src/deep/données.py")).unwrap();
    assert_eq!(
        c.file.as_deref(),
        Some(root.join("codetable.toml").as_path())
    );
    assert!(c.is_file(&root.join("codetable.toml")));
    assert!(!c.is_file(&root.join("src/deep/données.py")));
    assert_eq!(c.rules, [root.join("règles")]);
    let p = c.profile();
    assert_eq!(p.select, ["security"]);
    assert_eq!(p.extend_select, ["Sh"]);
    assert_eq!(p.ignore, ["security.weak-hash.sha1"]);
    assert_eq!(p.severity, [("Md".to_string(), Severity::Low)]);
    assert!(c.excludes(&root.join("généré/a.py")));
    assert!(c.excludes(&root.join("vendor/lib/x.py")));
    assert!(!c.excludes(&root.join("src/deep/données.py")));
    assert_eq!(c.ignored_in(&root.join("tests/unit/t_é.py")), ["Md"]);
    assert!(c.ignored_in(&root.join("src/a.py")).is_empty());
    assert_eq!(
        c.language_of(&root.join("src/page.tpl")),
        Some(Language::Python)
    );
    assert_eq!(c.language_of(&root.join("src/page.txt")), None);
    // Outside its folder, nothing applies.
    assert!(!c.excludes(&t.path().join("vendor")));
}

#[test]
fn pyproject_only_with_its_table_and_codetable_toml_first() {
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("über");
    write(&root, "pyproject.toml", "[tool.black]\nline-length = 100\n");
    write(
        &root,
        "pkg/pyproject.toml",
        "[tool.codetable]\nselect = [\"Md\"]\n",
    );
    write(&root, "pkg/sub/a.py", "");
    let c = Config::discover(&root.join("pkg/sub/a.py")).unwrap();
    assert_eq!(c.select, ["Md"]);
    assert_eq!(
        c.file.as_deref(),
        Some(root.join("pkg/pyproject.toml").as_path())
    );
    // A pyproject without the table is someone else's: the search goes on (and finds none).
    let none = Config::discover(&root.join("pyproject.toml")).unwrap();
    assert!(none.file.is_none() && none.profile().select.is_empty());
    write(&root, "pkg/codetable.toml", "ignore = [\"Md\"]\n");
    let c = Config::discover(&root.join("pkg")).unwrap();
    assert_eq!(c.ignore, ["Md"]);
    assert!(c.select.is_empty());
}

#[test]
fn errors_name_the_file_line_and_a_suggestion() {
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("ß");
    write(
        &root,
        "codetable.toml",
        "select = [\"Md\"]\nextend-selekt = []\n",
    );
    let e = Config::discover(&root).unwrap_err();
    assert!(e.contains("codetable.toml:2:1"), "{e}");
    assert!(e.contains("did you mean `extend-select`?"), "{e}");
    write(&root, "codetable.toml", "[severity]\nMd = \"sévère\"\n");
    let e = Config::discover(&root).unwrap_err();
    assert!(e.contains("`sévère` is not one of"), "{e}");
    write(&root, "codetable.toml", "rules = [\"nulle-part\"]\n");
    let e = Config::discover(&root).unwrap_err();
    assert!(e.contains("rules: `nulle-part` does not exist"), "{e}");
}

#[test]
fn a_hosts_selection_merges_over_the_files_and_per_path_ignores_name_patterns() {
    use codetable::config::HostSelection;
    use codetable::{Engine, PatternDb};
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("dépôt");
    write(
        &root,
        "codetable.toml",
        "select = [\"security\"]\nextend-select = [\"Sh\"]\nignore = [\"Sa\"]\n\
         [severity]\n\"Md\" = \"low\"\n[per-path-ignores]\n\"tests/**\" = [\"security.weak-hash\"]\n",
    );
    let c = Config::discover(&root).unwrap();
    // No options of the host: the file's profile.
    assert_eq!(c.profile_with(&HostSelection::default()), c.profile());
    // --select replaces, --extend-select and --ignore add (after the file's).
    let p = c.profile_with(&HostSelection {
        select: vec!["pedantic".into()],
        extend_select: vec!["Md".into()],
        ignore: vec!["info".into()],
    });
    assert_eq!(p.select, ["pedantic"]);
    assert_eq!(p.extend_select, ["Sh", "Md"]);
    assert_eq!(p.ignore, ["Sa", "info"]);
    assert_eq!(p.severity, [("Md".to_string(), Severity::Low)]);
    let engine = Engine::new(PatternDb::default_catalog());
    let (md5, _) = engine.db().find("Md").unwrap().unwrap();
    let md5 = engine.sheet(md5).unwrap();
    assert!(c.ignores(&root.join("tests/unit/é_test.py"), &md5));
    assert!(!c.ignores(&root.join("src/é.py"), &md5));
    assert!(!Config::default().ignores(&root.join("tests/x.py"), &md5));
}

#[test]
fn per_path_contexts_most_specific_glob_first_and_through_a_session() {
    use codetable::context::CodeContext;
    use codetable::{Engine, OffsetUnit, PatternDb, Profile, Session};
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("projet-ñ");
    write(
        &root,
        "codetable.toml",
        "[context]\n\"outils/**\" = \"test\"\n\"outils/publication/**\" = \"production\"\n\"tests/réel/**\" = \"production\"\n",
    );
    let c = Config::discover(&root).unwrap();
    assert_eq!(
        c.context_of(&root.join("outils/gen/é.py")),
        Some(CodeContext::Test)
    );
    assert_eq!(
        c.context_of(&root.join("outils/publication/p.py")),
        Some(CodeContext::Production)
    );
    // A path the file does not name keeps what its path says (None: no override).
    assert_eq!(c.context_of(&root.join("src/app.py")), None);
    assert_eq!(
        c.context_of(&root.join("tests/réel/t.py")),
        Some(CodeContext::Production)
    );

    // Through a session: a test folder the project calls production keeps the severity; a
    // tool folder it calls test is lowered, and the records say so.
    let engine = Engine::new(PatternDb::default_catalog());
    engine.set_profile(Some(Profile {
        select: vec!["Md".into()],
        ..Profile::default()
    }));
    let src = "import hashlib\n# ünï\nh = hashlib.md5(b'x')\n";
    let finding = |path: &str, ctx: Option<CodeContext>| {
        let mut s = Session::new(Language::Python, src, OffsetUnit::Utf16).unwrap();
        s.set_path(Some(path));
        s.set_context(ctx);
        assert_eq!(s.context(), ctx);
        let m = s.analyze(&engine).unwrap().to_vec();
        let r = s.records(&engine, &m, None).unwrap();
        assert_eq!(r.len(), 1);
        (r[0].context, r[0].severity)
    };
    let (_, high) = finding("src/app.py", None);
    assert_eq!(
        finding("tests/réel/t.py", None),
        (CodeContext::Test, codetable::context::lower(high))
    );
    assert_eq!(
        finding(
            "tests/réel/t.py",
            c.context_of(&root.join("tests/réel/t.py"))
        ),
        (CodeContext::Production, high)
    );
    assert_eq!(
        finding(
            "outils/gen/é.py",
            c.context_of(&root.join("outils/gen/é.py"))
        ),
        (CodeContext::Test, codetable::context::lower(high))
    );
}

#[test]
fn per_path_context_errors_name_the_value_and_a_suggestion() {
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("ø");
    write(
        &root,
        "codetable.toml",
        "[context]\n\"tools/**\" = \"tests\"\n",
    );
    let e = Config::discover(&root).unwrap_err();
    assert!(
        e.contains("context.\"tools/**\": `tests` is not one of"),
        "{e}"
    );
    assert!(e.contains("did you mean `test`?"), "{e}");
    write(
        &root,
        "codetable.toml",
        "[contexts]\n\"tools/**\" = \"test\"\n",
    );
    let e = Config::discover(&root).unwrap_err();
    assert!(e.contains("codetable.toml:1:"), "{e}");
    assert!(e.contains("did you mean `context`?"), "{e}");
    // Two neighbouring letters swapped are one typo, not two.
    write(
        &root,
        "codetable.toml",
        "[context]\n\"tools/**\" = \"tset\"\n",
    );
    let e = Config::discover(&root).unwrap_err();
    assert!(e.contains("did you mean `test`?"), "{e}");
}

#[test]
fn the_projects_own_sanitisers_are_function_names() {
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("projet-sûr");
    write(
        &root,
        "codetable.toml",
        "sanitizers = [\"monprojet.sécurité.nettoie\", \"est_autorisé\"]\n",
    );
    let c = Config::discover(&root).unwrap();
    assert_eq!(c.sanitizers, ["monprojet.sécurité.nettoie", "est_autorisé"]);
    // A template or an expression is not a function name.
    write(&root, "codetable.toml", "sanitizers = [\"clean($X)\"]\n");
    let e = Config::discover(&root).unwrap_err();
    assert!(
        e.contains("sanitizers: `clean($X)` is not a function name"),
        "{e}"
    );
    // A misspelt key is refused with a suggestion.
    write(&root, "codetable.toml", "sanitizer = [\"nettoie\"]\n");
    let e = Config::discover(&root).unwrap_err();
    assert!(e.contains("sanitizers"), "{e}");
    // No key: none.
    write(&root, "codetable.toml", "select = [\"security\"]\n");
    assert!(Config::discover(&root).unwrap().sanitizers.is_empty());
}

#[test]
fn configure_applies_selection_and_sanitisers_and_names_unknown_selectors() {
    use codetable::config::HostSelection;
    use codetable::{Document, Engine, PatternDb};
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("projet-réglé");
    write(
        &root,
        "codetable.toml",
        "ignore = [\"security.weak-hash.sha1\"]\nsanitizers = [\"nettoie\"]\n[per-path-ignores]\n\"vieux/**\" = [\"Mdd\"]\n",
    );
    let c = Config::discover(&root).unwrap();
    let engine = Engine::new(PatternDb::default_catalog());
    let host = HostSelection {
        ignore: vec!["securty".into()],
        ..HostSelection::default()
    };
    let problems = c.configure(&engine, c.profile_with(&host)).unwrap();
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 2, "{shown:?}");
    assert!(
        !problems[0].per_path && shown[0].contains("did you mean `security`"),
        "{shown:?}"
    );
    assert!(
        problems[1].per_path && shown[1].starts_with("per-path-ignores: "),
        "{shown:?}"
    );
    assert!(shown[1].contains("`Md`"), "{shown:?}");
    // Applied either way: the sanitisers, and the profile (sha1 no longer reported).
    assert_eq!(engine.sanitizers(), ["nettoie"]);
    let doc = Document::new(
        codetable::Language::Python,
        "import hashlib\nh = hashlib.sha1(b'')\nm = hashlib.md5(b'')\n",
    )
    .unwrap();
    let mut session = codetable::Session::from_document(doc, codetable::OffsetUnit::Byte);
    let reported: Vec<String> = session
        .analyze(&engine)
        .unwrap()
        .iter()
        .map(|m| engine.sheet(m.pattern).unwrap().symbol.to_string())
        .collect();
    assert_eq!(reported, ["Md"]);
    // A configuration with nothing wrong reports nothing.
    let fine = Config::default();
    assert!(fine
        .configure(&engine, fine.profile_with(&HostSelection::default()))
        .unwrap()
        .is_empty());
}

#[cfg(feature = "walk")]
#[test]
fn configured_walks_leave_out_excluded_paths_and_read_claimed_languages() {
    use codetable::source::walk::{walk, WalkOptions, Walked};
    use std::sync::Arc;
    let t = tempfile::TempDir::new().unwrap();
    let root = t.path().join("arbre-été");
    write(
        &root,
        "codetable.toml",
        "exclude = [\"généré/**\"]\n[languages]\n\"*.recette\" = \"python\"\n[context]\n\"vendor/nôtre/**\" = \"production\"\n",
    );
    for f in [
        "a.py",
        "généré/b.py",
        "c.recette",
        "vendor/nôtre/d.py",
        "vendor/autre/e.py",
    ] {
        write(&root, f, "x = 1\n");
    }
    let config = Arc::new(Config::discover(&root).unwrap());
    let names = |options: &WalkOptions| -> Vec<String> {
        let mut v: Vec<String> = walk(std::slice::from_ref(&root), options)
            .filter_map(|w| match w {
                Walked::Candidate(c) => Some(
                    c.path
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                ),
                _ => None,
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names(&WalkOptions::default().configured(&config)),
        ["a.py", "c.recette", "vendor/nôtre/d.py"]
    );
    assert_eq!(names(&WalkOptions::default()), ["a.py", "généré/b.py"]);
}
