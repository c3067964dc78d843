//! The catalog lint: each rule a shipped catalog keeps is checked on small synthetic catalogs
//! (one test per rule, failing when the rule stops being enforced), and the real `patterns/`
//! folder is linted against its committed symbol list.

use codetable::catalog::{lint, lint_patterns, Catalog, LintIssue, LintProblem, CATALOG_FILE};
use codetable::{Expect, Language, Matcher, Pattern};

/// A pattern source: `id`, `symbol`, `group`, `severity`, the `languages` list (TOML) and extra
/// top-level TOML (alternatives, cwe…); one rule and one example each way per language.
fn source(
    id: &str,
    symbol: &str,
    group: &str,
    severity: &str,
    langs: &[&str],
    extra: &str,
) -> String {
    let languages = langs
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = format!(
        r#"id = "{id}"
symbol = "{symbol}"
name = "{id} name"
group = "{group}"
severity = "{severity}"
languages = [{languages}]
summary = "A synthetic pattern."
{extra}

[[properties]]
kind = "security"
text = "Something true."
evidence = ["https://cwe.mitre.org/data/definitions/327.html"]
"#
    );
    for l in langs {
        let (pattern, yes, no) = match *l {
            "python" => (
                "hashlib.md5($$$)",
                "hashlib.md5(b)\n",
                "hashlib.sha256(b)\n",
            ),
            "javascript" => ("eval($X)", "eval(s);\n", "JSON.parse(s);\n"),
            "java" => (
                "MessageDigest.getInstance(\"MD5\")",
                "class A { void f() { MessageDigest.getInstance(\"MD5\"); } }\n",
                "class A { void f() { MessageDigest.getInstance(\"SHA-256\"); } }\n",
            ),
            other => panic!("no fixture for {other}"),
        };
        s.push_str(&format!(
            "\n[[rules]]\nlanguage = \"{l}\"\npattern = '''{pattern}'''\n\
             \n[[examples]]\nlanguage = \"{l}\"\nexpect = \"match\"\ncode = '''{yes}'''\n\
             \n[[examples]]\nlanguage = \"{l}\"\nexpect = \"no-match\"\ncode = '''{no}'''\n"
        ));
    }
    s
}

/// A hazard (`Wh`) whose alternative is a safe variant (`Sh`, info) that conflicts with it.
fn good_files() -> Vec<(String, String)> {
    vec![
        (
            "security/weak.toml".into(),
            source(
                "security.hash.weak",
                "Wh",
                "security",
                "high",
                &["python", "java"],
                "cwe = [327, 328]\nowasp = [\"A02:2021\"]\nalternatives = [\"security.hash.strong\"]\nreferences = [\"https://www.rfc-editor.org/rfc/rfc6151\"]",
            ),
        ),
        (
            "security/strong.toml".into(),
            source(
                "security.hash.strong",
                "Sh",
                "security",
                "info",
                &["python"],
                "[[relations]]\nkind = \"conflicts\"\ntarget = \"security.hash.weak\"",
            ),
        ),
    ]
}

const GOOD_SYMBOLS: &str =
    "# symbols ever shipped\nWh\tsecurity.hash.weak\nSh\tsecurity.hash.strong\n";

fn load(files: &[(String, String)]) -> Catalog {
    Catalog::from_sources(files.iter().cloned()).unwrap_or_else(|e| panic!("{e}"))
}

fn lint_files(files: &[(String, String)], symbols: &str) -> Vec<LintIssue> {
    lint(&load(files), symbols)
}

/// `files` with the text of `file` edited by `f`.
fn edit(
    mut files: Vec<(String, String)>,
    file: &str,
    f: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let entry = files.iter_mut().find(|(n, _)| n == file).unwrap();
    entry.1 = f(&entry.1);
    files
}

fn assert_one(issues: &[LintIssue], file: &str, field: &str, problem: &LintProblem) {
    assert!(
        issues
            .iter()
            .any(|i| i.file == file && i.field == field && &i.problem == problem),
        "no issue {file} / {field} / {problem:?} in {issues:#?}"
    );
}

#[test]
fn a_good_catalog_has_no_issues() {
    assert_eq!(lint_files(&good_files(), GOOD_SYMBOLS), vec![]);
    // Retired ids stay listed, and their symbols stay taken.
    let symbols = format!("{GOOD_SYMBOLS}Old\tsecurity.hash.retired\n\n# end\n");
    assert_eq!(lint_files(&good_files(), &symbols), vec![]);
}

#[test]
fn every_symbol_must_be_reserved_with_its_id() {
    let issues = lint_files(&good_files(), "Wh\tsecurity.hash.weak\n");
    assert_eq!(
        issues,
        vec![LintIssue {
            file: "security/strong.toml".into(),
            field: "symbol".into(),
            problem: LintProblem::SymbolNotReserved {
                symbol: "Sh".into(),
                id: "security.hash.strong".into(),
            },
        }]
    );
    assert!(issues[0]
        .to_string()
        .contains("patterns/reserve-symbol Sh security.hash.strong"));
}

#[test]
fn a_symbol_never_changes_meaning() {
    // The list gives `Sh` to another (retired) id: the pattern took a used symbol.
    let issues = lint_files(
        &good_files(),
        "Wh\tsecurity.hash.weak\nSh\tsecurity.hash.sha1\n",
    );
    assert_one(
        &issues,
        "security/strong.toml",
        "symbol",
        &LintProblem::SymbolOfAnotherId {
            symbol: "Sh".into(),
            listed_id: "security.hash.sha1".into(),
        },
    );
    assert_eq!(issues.len(), 1, "{issues:#?}");
    // The pattern's id is listed with another symbol: its symbol was changed.
    let issues = lint_files(
        &good_files(),
        "Wh\tsecurity.hash.weak\nStr\tsecurity.hash.strong\n",
    );
    assert_one(
        &issues,
        "security/strong.toml",
        "id",
        &LintProblem::IdHasAnotherSymbol {
            id: "security.hash.strong".into(),
            listed_symbol: "Str".into(),
        },
    );
    assert_eq!(issues.len(), 1, "{issues:#?}");
}

#[test]
fn the_symbol_list_has_no_duplicates_and_no_malformed_lines() {
    let symbols = format!(
        "{GOOD_SYMBOLS}SH\tsecurity.hash.other\nXy\tsecurity.hash.weak\nbad line\nZz\tNot An Id\n"
    );
    let issues = lint_files(&good_files(), &symbols);
    assert_one(
        &issues,
        "symbols.txt",
        "line 4",
        &LintProblem::DuplicateSymbol {
            symbol: "SH".into(),
            first_line: 3,
        },
    );
    assert_one(
        &issues,
        "symbols.txt",
        "line 5",
        &LintProblem::DuplicateId {
            id: "security.hash.weak".into(),
            first_line: 2,
        },
    );
    for (line, text) in [
        (4, "SH\tsecurity.hash.other"),
        (6, "bad line"),
        (7, "Zz\tNot An Id"),
    ] {
        assert_one(
            &issues,
            "symbols.txt",
            &format!("line {line}"),
            &LintProblem::MalformedSymbolLine { text: text.into() },
        );
    }
    // The first listing wins: the patterns themselves are fine.
    assert!(
        issues.iter().all(|i| i.file == "symbols.txt"),
        "{issues:#?}"
    );
}

#[test]
fn every_claimed_language_has_examples_both_ways() {
    // Drop the java no-match example of the hazard.
    let files = edit(good_files(), "security/weak.toml", |t| {
        let cut = t.rfind("[[examples]]").unwrap();
        t[..cut].to_string()
    });
    let issues = lint_files(&files, GOOD_SYMBOLS);
    assert_eq!(
        issues,
        vec![LintIssue {
            file: "security/weak.toml".into(),
            field: "examples".into(),
            problem: LintProblem::MissingExample {
                language: Language::Java,
                expect: Expect::NoMatch,
            },
        }]
    );
    // A claimed language with no example at all misses both kinds.
    let files = edit(good_files(), "security/strong.toml", |t| {
        t.replace(
            "languages = [\"python\"]",
            "languages = [\"python\", \"go\"]",
        )
    });
    let issues = lint_files(&files, GOOD_SYMBOLS);
    for expect in [Expect::Match, Expect::NoMatch] {
        assert_one(
            &issues,
            "security/strong.toml",
            "examples",
            &LintProblem::MissingExample {
                language: Language::Go,
                expect,
            },
        );
    }
    assert_eq!(issues.len(), 2, "{issues:#?}");
}

#[test]
fn no_example_or_rule_in_an_unclaimed_language() {
    // The loader already refuses these sources; the lint also checks records from elsewhere.
    let catalog = load(&good_files());
    let mut records: Vec<(&str, Pattern<'_>)> = catalog
        .patterns()
        .into_iter()
        .enumerate()
        .map(|(i, p)| (catalog.file_of(i).unwrap(), p))
        .collect();
    assert_eq!(lint_patterns(&records, GOOD_SYMBOLS), vec![]);
    let weak = records
        .iter_mut()
        .find(|(_, p)| p.id == "security.hash.weak")
        .unwrap();
    weak.1.languages.retain(|l| *l == Language::Python);
    let issues = lint_patterns(&records, GOOD_SYMBOLS);
    let unclaimed = LintProblem::UnclaimedLanguage {
        language: Language::Java,
    };
    assert_one(
        &issues,
        "security/weak.toml",
        "examples[2].language",
        &unclaimed,
    );
    assert_one(
        &issues,
        "security/weak.toml",
        "examples[3].language",
        &unclaimed,
    );
    assert_one(&issues, "security/weak.toml", "rules (java)", &unclaimed);
    assert_eq!(issues.len(), 3, "{issues:#?}");
}

#[test]
fn shape_references_are_in_claimed_languages() {
    let shape = r#"id = "design.creational.singleton"
symbol = "Sg"
name = "Singleton"
group = "design"
severity = "info"
languages = ["python"]
summary = "One instance."
alternatives = ["security.hash.weak"]

[[properties]]
kind = "maintainability"
text = "Global state."

[shape]
threshold = 0.5
[[shape.reference]]
language = "python"
code = '''
class C:
    _i = None
    def __new__(cls):
        if cls._i is None:
            cls._i = super().__new__(cls)
        return cls._i
'''

[[examples]]
language = "python"
expect = "match"
code = '''
class D:
    _inst = None
    def __new__(cls):
        if cls._inst is None:
            cls._inst = super().__new__(cls)
        return cls._inst
'''

[[examples]]
language = "python"
expect = "no-match"
code = '''
class E:
    count = 0
'''
"#;
    let mut files = good_files();
    files.push(("design/singleton.toml".into(), shape.into()));
    let symbols = format!("{GOOD_SYMBOLS}Sg\tdesign.creational.singleton\n");
    let catalog = load(&files);
    assert_eq!(lint(&catalog, &symbols), vec![]);
    let mut records: Vec<(&str, Pattern<'_>)> = catalog
        .patterns()
        .into_iter()
        .enumerate()
        .map(|(i, p)| (catalog.file_of(i).unwrap(), p))
        .collect();
    let singleton = records
        .iter_mut()
        .find(|(_, p)| p.id == "design.creational.singleton")
        .unwrap();
    let Matcher::Shape(shape) = &mut singleton.1.matcher else {
        panic!("a shape")
    };
    shape.references[0].language = Language::Java;
    assert_eq!(
        lint_patterns(&records, &symbols),
        vec![LintIssue {
            file: "design/singleton.toml".into(),
            field: "shape.reference[0].language".into(),
            problem: LintProblem::UnclaimedLanguage {
                language: Language::Java
            },
        }]
    );
}

#[test]
fn cwe_numbers_are_in_the_real_range() {
    let files = edit(good_files(), "security/weak.toml", |t| {
        t.replace("cwe = [327, 328]", "cwe = [327, 1600]")
    });
    assert_eq!(
        lint_files(&files, GOOD_SYMBOLS),
        vec![LintIssue {
            file: "security/weak.toml".into(),
            field: "cwe[1]".into(),
            problem: LintProblem::CweOutOfRange { cwe: 1600 },
        }]
    );
    // Zero is refused by the loader; the lint refuses it in records too.
    let catalog = load(&good_files());
    let mut records: Vec<(&str, Pattern<'_>)> = catalog
        .patterns()
        .into_iter()
        .enumerate()
        .map(|(i, p)| (catalog.file_of(i).unwrap(), p))
        .collect();
    for (_, p) in &mut records {
        if p.id == "security.hash.weak" {
            p.cwe = vec![0, 1, 1426];
        }
    }
    let issues = lint_patterns(&records, GOOD_SYMBOLS);
    assert_eq!(issues.len(), 1, "{issues:#?}");
    assert_one(
        &issues,
        "security/weak.toml",
        "cwe[0]",
        &LintProblem::CweOutOfRange { cwe: 0 },
    );
}

#[test]
fn owasp_entries_are_top_ten_categories() {
    for (bad, ok) in [
        ("A11:2021", false),
        ("A00:2021", false),
        ("A01:2030", false),
        ("A10:2017", true),
        ("A05:2025", true),
    ] {
        let files = edit(good_files(), "security/weak.toml", |t| {
            t.replace(
                "owasp = [\"A02:2021\"]",
                &format!("owasp = [\"A02:2021\", \"{bad}\"]"),
            )
        });
        let issues = lint_files(&files, GOOD_SYMBOLS);
        if ok {
            assert_eq!(issues, vec![], "{bad}");
        } else {
            assert_eq!(
                issues,
                vec![LintIssue {
                    file: "security/weak.toml".into(),
                    field: "owasp[1]".into(),
                    problem: LintProblem::OwaspNotCategory { entry: bad.into() },
                }],
                "{bad}"
            );
        }
    }
}

#[test]
fn every_link_is_https() {
    let files = edit(good_files(), "security/weak.toml", |t| {
        t.replace(
            "references = [\"https://www.rfc-editor.org/rfc/rfc6151\"]",
            "references = [\"https://www.rfc-editor.org/rfc/rfc6151\", \"https://\", \"https://example.org/a b\", \"https://localhost/x\"]",
        )
        .replace(
            "evidence = [\"https://cwe.mitre.org/data/definitions/327.html\"]",
            "evidence = [\"https://cwe.mitre.org/data/definitions/327.html\", \"https://cwe mitre org\"]",
        )
    });
    let issues = lint_files(&files, GOOD_SYMBOLS);
    for (field, link) in [
        ("references[1]", "https://"),
        ("references[2]", "https://example.org/a b"),
        ("references[3]", "https://localhost/x"),
        ("properties[0].evidence[1]", "https://cwe mitre org"),
    ] {
        assert_one(
            &issues,
            "security/weak.toml",
            field,
            &LintProblem::NotHttps { link: link.into() },
        );
    }
    assert_eq!(issues.len(), 4, "{issues:#?}");
    // Plain http is refused by the loader; the lint refuses it in records too.
    let catalog = load(&good_files());
    let mut records: Vec<(&str, Pattern<'_>)> = catalog
        .patterns()
        .into_iter()
        .enumerate()
        .map(|(i, p)| (catalog.file_of(i).unwrap(), p))
        .collect();
    records[0].1.references = vec!["http://www.rfc-editor.org/rfc/rfc6151"];
    records[1].1.properties[0].evidence = vec!["https://owasp.org:443/x?y#z", "ftp://x.org"];
    let issues = lint_patterns(&records, GOOD_SYMBOLS);
    assert_eq!(issues.len(), 2, "{issues:#?}");
    assert_one(
        &issues,
        records[0].0,
        "references[0]",
        &LintProblem::NotHttps {
            link: "http://www.rfc-editor.org/rfc/rfc6151".into(),
        },
    );
    assert_one(
        &issues,
        records[1].0,
        "properties[0].evidence[1]",
        &LintProblem::NotHttps {
            link: "ftp://x.org".into(),
        },
    );
}

/// The hazard's source with an `enhances` relation to the safe variant instead of an alternative.
fn relation_instead_of_alternative(t: &str) -> String {
    let t = t.replace("alternatives = [\"security.hash.strong\"]", "");
    let cut = t.find("[[properties]]").unwrap();
    format!(
        "{}[[relations]]\nkind = \"enhances\"\ntarget = \"security.hash.strong\"\n\n{}",
        &t[..cut],
        &t[cut..]
    )
}

#[test]
fn hazards_name_an_alternative_and_safe_variants_a_link() {
    // The hazard loses its alternative; the safe variant still conflicts with it (connected).
    let files = edit(good_files(), "security/weak.toml", |t| {
        t.replace("alternatives = [\"security.hash.strong\"]", "")
    });
    assert_eq!(
        lint_files(&files, GOOD_SYMBOLS),
        vec![LintIssue {
            file: "security/weak.toml".into(),
            field: "alternatives".into(),
            problem: LintProblem::NoAlternative {
                group: "security".into(),
                severity: codetable::Severity::High,
            },
        }]
    );
    // A safe variant with neither an alternative nor a relation (the hazard still points to it).
    let files = edit(good_files(), "security/strong.toml", |t| {
        let cut = t.find("[[relations]]").unwrap();
        let end = t.find("[[properties]]").unwrap();
        format!("{}{}", &t[..cut], &t[end..])
    });
    assert_eq!(
        lint_files(&files, GOOD_SYMBOLS),
        vec![LintIssue {
            file: "security/strong.toml".into(),
            field: "alternatives".into(),
            problem: LintProblem::NoAlternative {
                group: "security".into(),
                severity: codetable::Severity::Info,
            },
        }]
    );
    // A relation is not enough above info; reliability and performance are held to the same rule.
    for group in ["reliability", "performance"] {
        let files = edit(good_files(), "security/weak.toml", |t| {
            relation_instead_of_alternative(t)
                .replace("group = \"security\"", &format!("group = \"{group}\""))
        });
        assert_eq!(
            lint_files(&files, GOOD_SYMBOLS),
            vec![LintIssue {
                file: "security/weak.toml".into(),
                field: "alternatives".into(),
                problem: LintProblem::NoAlternative {
                    group: group.into(),
                    severity: codetable::Severity::High,
                },
            }],
            "{group}"
        );
    }
    // Other groups need no alternative (only a place in the graph).
    let files = edit(good_files(), "security/weak.toml", |t| {
        relation_instead_of_alternative(t).replace("group = \"security\"", "group = \"design\"")
    });
    assert_eq!(lint_files(&files, GOOD_SYMBOLS), vec![]);
}

#[test]
fn alternatives_and_relations_connect_the_whole_catalog() {
    let mut files = good_files();
    // A pair linked to each other but not to the hash pair, and a lone design pattern.
    files.push((
        "reliability/a.toml".into(),
        source(
            "reliability.x.a",
            "Ra",
            "reliability",
            "medium",
            &["javascript"],
            "alternatives = [\"reliability.x.b\"]",
        ),
    ));
    files.push((
        "reliability/b.toml".into(),
        source(
            "reliability.x.b",
            "Rb",
            "reliability",
            "info",
            &["javascript"],
            "alternatives = [\"reliability.x.a\"]",
        ),
    ));
    files.push((
        "design/lone.toml".into(),
        source("design.x.lone", "Lo", "design", "info", &["python"], ""),
    ));
    let symbols =
        format!("{GOOD_SYMBOLS}Ra\treliability.x.a\nRb\treliability.x.b\nLo\tdesign.x.lone\n");
    let issues = lint_files(&files, &symbols);
    let components = vec![
        vec!["design.x.lone".to_string()],
        vec!["reliability.x.a".into(), "reliability.x.b".into()],
        vec!["security.hash.strong".into(), "security.hash.weak".into()],
    ];
    assert_eq!(
        issues,
        vec![LintIssue {
            file: CATALOG_FILE.into(),
            field: "alternatives, relations".into(),
            problem: LintProblem::Disconnected {
                components: components.clone()
            },
        }]
    );
    assert!(issues[0].to_string().ends_with(
        "3 components, smallest first: [design.x.lone]; [reliability.x.a, reliability.x.b]; [security.hash.strong, security.hash.weak]"
    ));
    // One relation (either direction) joins two components.
    let files = edit(files, "design/lone.toml", |t| {
        t.replace(
            "summary = \"A synthetic pattern.\"",
            "summary = \"A synthetic pattern.\"\nalternatives = [\"reliability.x.a\", \"security.hash.weak\"]",
        )
    });
    assert_eq!(lint_files(&files, &symbols), vec![]);
}

#[test]
fn alternatives_and_relations_name_existing_patterns() {
    let catalog = load(&good_files());
    let mut records: Vec<(&str, Pattern<'_>)> = catalog
        .patterns()
        .into_iter()
        .enumerate()
        .map(|(i, p)| (catalog.file_of(i).unwrap(), p))
        .collect();
    for (_, p) in &mut records {
        if p.id == "security.hash.strong" {
            p.relations[0].target = "security.hash.gone";
            p.alternatives = vec!["security.hash.weak"];
        }
    }
    assert_eq!(
        lint_patterns(&records, GOOD_SYMBOLS),
        vec![LintIssue {
            file: "security/strong.toml".into(),
            field: "relations[0].target".into(),
            problem: LintProblem::UnknownTarget {
                target: "security.hash.gone".into()
            },
        }]
    );
}

/// The shipped catalog keeps every lint rule: this is what makes `make test` enforce the lint.
#[test]
fn the_shipped_catalog_passes_the_lint() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../patterns");
    let catalog = Catalog::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let symbols = std::fs::read_to_string(dir.join("symbols.txt")).unwrap();
    let issues = lint(&catalog, &symbols);
    assert!(
        issues.is_empty(),
        "{} lint issue(s) in patterns/ (also `codetable db lint patterns/`):\n{}",
        issues.len(),
        issues
            .iter()
            .map(|i| format!("  {i}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
