//! User patterns beside the shipped catalog, through the public API: the user level of the
//! catalog format, `[[patterns]]` files, layered databases (numbering, lookups, id collisions,
//! analysis and sessions over every layer), compiled rules cached by content, examples checked
//! before a database is accepted, and the ranked search.

use codetable::catalog::{compile, user_database, Catalog, Level};
use codetable::{
    build_database, Document, Engine, Error, Language, OffsetUnit, PatternDb, Session,
};

const HOUSE: &str = r#"
[[patterns]]
id = "house.no-print"
name = "print() left in code"
severity = "low"
[[patterns.rules]]
language = "python"
pattern = "print($$$)"
[[patterns.examples]]
language = "python"
expect = "match"
code = "print('débogage')"
[[patterns.examples]]
language = "python"
expect = "no-match"
code = "log.info('x')"

[[patterns]]
id = "house.no-console"
symbol = "Zq"
name = "console.log left in code"
severity = "medium"
summary = "Use the logger."
[[patterns.rules]]
languages = ["javascript", "typescript"]
pattern = "console.log($$$)"
[[patterns.examples]]
language = "javascript"
expect = "match"
code = "console.log('x')"
"#;

fn house() -> PatternDb {
    let c = Catalog::from_user_sources([("house.toml", HOUSE)]).expect("valid user patterns");
    PatternDb::from_bytes(compile(&c).expect("examples pass")).expect("opens")
}

#[test]
fn a_user_pattern_needs_only_id_name_severity_a_rule_and_examples() {
    let c = Catalog::from_user_sources([("house.toml", HOUSE)]).unwrap();
    let ps = c.patterns();
    let print = ps.iter().find(|p| p.id == "house.no-print").unwrap();
    assert_eq!(print.symbol, "");
    assert_eq!(print.group, codetable::catalog::USER_GROUP);
    assert_eq!(print.languages, [Language::Python]);
    let console = ps.iter().find(|p| p.id == "house.no-console").unwrap();
    assert_eq!(
        console.languages,
        [Language::JavaScript, Language::TypeScript]
    );
    // The shipped catalog's level still wants every field.
    let strict = Catalog::from_sources_at([("house.toml", HOUSE)], Level::Catalog);
    assert!(strict.is_err());
    let single = HOUSE
        .split("[[patterns]]")
        .nth(1)
        .unwrap()
        .replace("patterns.", "");
    let e = Catalog::from_sources([("print.toml", single.as_str())]).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("symbol: missing"), "{text}");
    assert!(text.contains("summary: must not be empty"), "{text}");
    assert!(text.contains("properties"), "{text}");
    // One pattern at the top level is a user file too.
    assert_eq!(
        Catalog::from_user_sources([("print.toml", single.as_str())])
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_user_pattern_without_a_match_example_or_with_unknown_keys_is_refused() {
    let no_example = r#"
id = "house.x"
name = "X"
severity = "low"
[[rules]]
language = "python"
pattern = "x()"
"#;
    let e = Catalog::from_user_sources([("x.toml", no_example)]).unwrap_err();
    assert!(e.to_string().contains("x.toml: examples"), "{e}");
    let unknown = format!("{no_example}colour = \"red\"\n");
    assert!(Catalog::from_user_sources([("x.toml", unknown)]).is_err());
    let missing_name = no_example.replace("name = \"X\"\n", "");
    let e = Catalog::from_user_sources([("x.toml", missing_name)]).unwrap_err();
    assert!(e.to_string().contains("name"), "{e}");
}

#[test]
fn compile_refuses_examples_that_fail() {
    let wrong = HOUSE.replace("code = \"log.info('x')\"", "code = \"print(1)\"");
    let c = Catalog::from_user_sources([("house.toml", wrong)]).unwrap();
    let e = compile(&c).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    assert_eq!(e.0[0].file, "house.toml: patterns[0]");
    assert_eq!(e.0[0].field, "examples[1]");
    assert!(e.0[0].message.contains("expected no match"), "{e}");
    let never = HOUSE.replace("code = \"console.log('x')\"", "code = \"alert('x')\"");
    let c = Catalog::from_user_sources([("house.toml", never)]).unwrap();
    let e = compile(&c).unwrap_err();
    assert!(e.0[0].message.contains("expected a match"), "{e}");
    // build_database alone does not run examples; compile does.
    assert!(build_database(&c).is_ok());
}

#[test]
fn layers_number_patterns_and_entries_after_the_base() {
    let base = PatternDb::default_catalog();
    let (nb, eb) = (base.len() as u32, base.entry_count());
    let user = house();
    let (nu, eu) = (user.len() as u32, user.entry_count());
    let db = PatternDb::layered(base, [user]).unwrap();
    assert_eq!(db.len() as u32, nb + nu);
    assert_eq!(db.entry_count(), eb + eu);
    assert_eq!(db.layer_count(), 2);
    let (n, p) = db.by_id("house.no-console").unwrap().unwrap();
    assert!(n >= nb);
    assert_eq!(db.layer_of(n), Some(1));
    assert_eq!(db.layer_of(0), Some(0));
    assert_eq!(db.layer_of(nb + nu), None);
    assert_eq!(p.symbol, "Zq");
    assert_eq!(db.by_symbol("Zq").unwrap().unwrap().0, n);
    assert_eq!(db.find("console.log left in code").unwrap().unwrap().0, n);
    assert_eq!(db.find("HOUSE.NO-CONSOLE").unwrap().unwrap().0, n);
    for e in eb..eb + eu {
        let info = db.entry(e).unwrap();
        assert_eq!(info.entry, e);
        assert!(info.pattern >= nb);
        assert!(!db.required(e).unwrap().is_empty());
    }
    assert!(db.pattern(nb + nu).is_err());
    assert!(db.entry(eb + eu).is_err());
    db.verify().unwrap();
    // Built-ins stay where they were.
    assert_eq!(
        db.by_id("security.weak-hash.md5").unwrap().unwrap().0,
        PatternDb::default_catalog()
            .by_id("security.weak-hash.md5")
            .unwrap()
            .unwrap()
            .0
    );
}

#[test]
fn a_user_id_that_collides_with_a_built_in_is_an_error() {
    let md5 = HOUSE.replace("house.no-print", "security.weak-hash.md5");
    let c = Catalog::from_user_sources([("house.toml", md5)]).unwrap();
    let user = PatternDb::from_bytes(compile(&c).unwrap()).unwrap();
    let e = PatternDb::layered(PatternDb::default_catalog(), [user]).unwrap_err();
    assert_eq!(
        e,
        Error::DuplicatePattern {
            id: "security.weak-hash.md5".into()
        }
    );
    // Nor a symbol.
    let hc = HOUSE.replace("symbol = \"Zq\"", "symbol = \"Md\"");
    let c = Catalog::from_user_sources([("house.toml", hc)]).unwrap();
    let user = PatternDb::from_bytes(compile(&c).unwrap()).unwrap();
    let e = PatternDb::layered(PatternDb::default_catalog(), [user]).unwrap_err();
    assert!(
        matches!(e, Error::DuplicateSymbol { ref symbol, .. } if symbol == "Md"),
        "{e}"
    );
    // Two user layers may not share an id either.
    let e = Engine::with_dbs([PatternDb::default_catalog(), house(), house()]).unwrap_err();
    assert!(matches!(e, Error::DuplicatePattern { .. }));
    assert!(Engine::with_dbs(Vec::<PatternDb>::new()).is_err());
}

#[test]
fn the_engine_finds_built_in_and_user_patterns_and_sessions_keep_both_in_step() {
    let engine = Engine::with_dbs([PatternDb::default_catalog(), house()]).unwrap();
    let print = engine.db().by_id("house.no-print").unwrap().unwrap().0;
    let md5 = engine
        .db()
        .by_id("security.weak-hash.md5")
        .unwrap()
        .unwrap()
        .0;
    let src = "import hashlib\n# écrit « ça »\nprint(hashlib.md5(b'x').hexdigest())\n";
    let doc = Document::new(Language::Python, src).unwrap();
    let found: Vec<u32> = engine
        .analyze(&doc)
        .unwrap()
        .iter()
        .map(|m| m.pattern)
        .collect();
    assert!(found.contains(&print) && found.contains(&md5), "{found:?}");
    assert_eq!(engine.sheet(print).unwrap().id, "house.no-print");

    let mut s = Session::new(Language::Python, src, OffsetUnit::Utf16).unwrap();
    s.analyze(&engine).unwrap();
    let at = src.find("print").unwrap();
    let at16 = src[..at].encode_utf16().count();
    s.edit(at16, at16 + 5, "len").unwrap();
    let changes = s.analyze_delta(&engine).unwrap();
    assert!(
        changes.removed.iter().any(|r| r.pattern == print),
        "{changes:?}"
    );
    let fresh = Session::new(Language::Python, s.text(), OffsetUnit::Utf16)
        .unwrap()
        .analyze(&engine)
        .unwrap()
        .len();
    assert_eq!(s.matches().unwrap().unwrap().len(), fresh);
}

#[test]
fn user_databases_are_cached_by_content_and_rebuilt_when_it_changes() {
    let dir = tempdir();
    let rules = dir.join("rules");
    std::fs::create_dir_all(rules.join("nested")).unwrap();
    std::fs::write(rules.join("nested/house.toml"), HOUSE).unwrap();
    std::fs::write(rules.join("notes.txt"), "not a rules file").unwrap();
    let cache = dir.join("cache");
    let db = user_database(&[&rules], Some(&cache)).unwrap();
    assert_eq!(db.len(), 2);
    let files: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("rules-") && files[0].ends_with(".ctdb"));
    let cached = cache.join(&files[0]);
    // The second run opens the cached file: corrupting it in a way `open` notices rebuilds.
    let again = user_database(&[&rules], Some(&cache)).unwrap();
    assert_eq!(again.as_bytes(), db.as_bytes());
    std::fs::write(&cached, b"garbage").unwrap();
    let rebuilt = user_database(&[&rules], Some(&cache)).unwrap();
    assert_eq!(rebuilt.as_bytes(), db.as_bytes());
    assert_eq!(std::fs::read(&cached).unwrap(), db.as_bytes());
    // Changed text: another cache file.
    let changed = HOUSE.replace("severity = \"low\"", "severity = \"high\"");
    std::fs::write(rules.join("nested/house.toml"), changed).unwrap();
    let db2 = user_database(&[rules.join("nested/house.toml")], Some(&cache)).unwrap();
    assert_ne!(db2.as_bytes(), db.as_bytes());
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 2);
    // No cache: compiled in memory. A missing path is an error naming it.
    assert_eq!(user_database(&[&rules], None).unwrap().len(), 2);
    let e = user_database(&[dir.join("absent.toml")], None).unwrap_err();
    assert!(e.to_string().contains("absent.toml"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn tempdir() -> std::path::PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let d = std::env::temp_dir().join(format!(
        "codetable-user-rules-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn ids(db: &PatternDb, query: &str) -> Vec<String> {
    db.search(query)
        .unwrap()
        .into_iter()
        .map(|n| db.pattern(n).unwrap().id.to_string())
        .collect()
}

#[test]
fn search_finds_substrings_typos_cwes_and_owasp_ranked() {
    let db = PatternDb::default_catalog();
    let injection = ids(&db, "injection");
    assert!(injection.len() >= 3, "{injection:?}");
    assert!(injection.iter().any(|i| i.contains("sql")), "{injection:?}");
    assert_eq!(ids(&db, "INJECTION"), injection);
    let typo = ids(&db, "injcetion");
    assert!(
        typo.len() >= 3 && typo.iter().all(|i| injection.contains(i)),
        "{typo:?}"
    );
    assert_eq!(ids(&db, "md5")[0], "security.weak-hash.md5");
    assert_eq!(ids(&db, "Md")[0], "security.weak-hash.md5");
    let sql = ids(&db, "sql injection");
    assert!(sql[0].contains("sql"), "{sql:?}");
    let cwe = ids(&db, "CWE-89");
    assert!(!cwe.is_empty());
    assert_eq!(ids(&db, "89"), cwe);
    assert_eq!(ids(&db, "cwe89"), cwe);
    for id in &cwe {
        assert!(db.by_id(id).unwrap().unwrap().1.cwe.contains(&89), "{id}");
    }
    let a02 = ids(&db, "A02:2021");
    assert!(a02.contains(&"security.weak-hash.md5".to_string()));
    assert!(ids(&db, "a02").contains(&"security.weak-hash.md5".to_string()));
    assert!(ids(&db, "zzqqxx").is_empty());
    assert_eq!(
        ids(&db, "  ").len(),
        db.len(),
        "an empty query lists everything"
    );
    let ranked = db.search_ranked("hash").unwrap();
    assert!(ranked.windows(2).all(|w| w[0].score >= w[1].score));
    // Every layer is searched.
    let layered = PatternDb::layered(PatternDb::default_catalog(), [house()]).unwrap();
    assert_eq!(ids(&layered, "console")[0], "house.no-console");
    assert!(ids(&layered, "prnt").contains(&"house.no-print".to_string()));
}
