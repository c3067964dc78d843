//! Bounded cost per file: building units and analysing stay linear in nesting (the node budget
//! is the work counter: a budget proportional to the tree holds at every depth), and a file past
//! its budget fails with a typed error that hosts report as an `OverBudget` skip; nothing is
//! kept of a step over budget.

use std::time::Duration;

use codetable::budget::Exceeded;
use codetable::source::{self, Intake, SkipReason};
use codetable::{
    Budget, Document, Engine, Error, Language, OffsetUnit, PatternDb, Session, UnitKind,
    MAX_QUALIFIED_NAME,
};

fn engine() -> Engine {
    Engine::new(PatternDb::default_catalog())
}

/// Code nesting `n` units, one shape per language (named classes and modules, lambdas named
/// by their parent, anonymous closures), with non-ASCII names where the language allows them.
fn nested(language: Language, n: usize) -> String {
    let rep = |open: &dyn Fn(usize) -> String, close: &str| {
        let mut s: String = (0..n).map(open).collect();
        s.push_str(&close.repeat(n));
        s
    };
    match language {
        Language::Java => rep(&|i| format!("class Ça{i} {{ "), "}") + "\n",
        Language::Kotlin => format!("val x = {}1{}\n", "run { ".repeat(n), " }".repeat(n)),
        Language::JavaScript => rep(&|i| format!("function f{i}() {{ "), "}") + "\n",
        Language::TypeScript => format!("const x = {}1;\n", "() => ".repeat(n)),
        Language::Go => format!(
            "package main\nfunc main() {{\n{}{}\n}}\n",
            "func() { ".repeat(n),
            " }()".repeat(n)
        ),
        Language::Rust => rep(&|i| format!("mod m{i} {{ "), "}") + "\n",
        Language::Cpp => rep(&|i| format!("namespace n{i} {{ "), "}") + "\n",
        Language::Python => (0..n)
            .map(|i| format!("{}def f{i}():\n", " ".repeat(i)))
            .chain([format!("{}pass\n", " ".repeat(n))])
            .collect(),
        _ => unreachable!("no nested shape for {language:?}"),
    }
}

const LANGUAGES: [Language; 8] = [
    Language::Java,
    Language::Kotlin,
    Language::JavaScript,
    Language::TypeScript,
    Language::Go,
    Language::Rust,
    Language::Cpp,
    Language::Python,
];

/// A budget linear in the tree: `per_node` nodes of work per syntax node.
fn linear(doc: &Document, per_node: u64) -> Budget {
    let nodes = doc.tree().root_node().descendant_count() as u64;
    Budget::UNLIMITED.with_nodes(Some(per_node * nodes + 10_000))
}

/// At 1,000 levels, work quadratic in depth (each unit looking its node up from the root,
/// copying its ancestors, its parent's name, its descendants' features) is about
/// 1,000² / 2 = 500,000 steps, far above 40 per syntax node; linear work fits at every depth.
#[test]
fn units_and_analysis_cost_linear_work_in_nesting() {
    let engine = engine();
    for language in LANGUAGES {
        for n in [500, 1000] {
            let text = nested(language, n);
            let doc = Document::with_budget(language, text.as_str(), Budget::UNLIMITED).unwrap();
            let budget = linear(&doc, 40);
            // Building the document within a budget linear in its tree…
            let mut doc = Document::with_budget(language, text.as_str(), budget)
                .unwrap_or_else(|e| panic!("{language:?} at depth {n}: {e}"));
            // …and analysing it.
            engine
                .analyze(&doc)
                .unwrap_or_else(|e| panic!("{language:?} analysis at depth {n}: {e}"));
            // The same budget holds for an edit in the innermost unit and its delta.
            let mut session = {
                doc.set_budget(budget);
                Session::from_document(doc, OffsetUnit::Byte)
            };
            session.analyze(&engine).unwrap();
            let at = session.text().len() / 2;
            let at = (at..)
                .find(|&i| session.text().is_char_boundary(i))
                .unwrap();
            session.edit(at, at, " ").unwrap();
            session.analyze_delta(&engine).unwrap();
        }
    }
}

#[test]
fn qualified_names_are_capped_and_keep_their_innermost_parts() {
    let doc = Document::new(Language::Java, nested(Language::Java, 400)).unwrap();
    let last = doc.units().last().unwrap();
    assert_eq!(last.kind, UnitKind::Class);
    let q = &*last.qualified_name;
    assert!(q.starts_with("….") && q.ends_with(".Ça398.Ça399"), "{q}");
    assert!(
        q.len() <= MAX_QUALIFIED_NAME + "….".len(),
        "{} bytes",
        q.len()
    );
    // Shallow names are whole.
    assert_eq!(&*doc.units()[2].qualified_name, "Ça0.Ça1");
}

#[test]
fn a_document_over_its_node_budget_is_a_typed_error() {
    let text = nested(Language::Java, 200);
    let tight = Budget::UNLIMITED.with_nodes(Some(100));
    assert_eq!(
        Document::with_budget(Language::Java, text.as_str(), tight).unwrap_err(),
        Error::OverBudget(Exceeded::Nodes(100))
    );
    let msg = Error::OverBudget(Exceeded::Nodes(100)).to_string();
    assert_eq!(msg, "over its budget of 100 syntax nodes");
}

#[test]
fn an_analysis_over_budget_reports_nothing_and_an_edit_over_budget_changes_nothing() {
    let engine = engine();
    let text =
        "import hashlib\n\nclass Café:\n    def h(self, x):\n        return hashlib.md5(x)\n";
    let mut session = Session::new(Language::Python, text, OffsetUnit::Utf16).unwrap();
    assert_eq!(session.budget(), Budget::default());
    session.set_budget(Budget::UNLIMITED.with_nodes(Some(3)));
    assert_eq!(
        session.analyze(&engine).unwrap_err(),
        Error::OverBudget(Exceeded::Nodes(3))
    );
    assert_eq!(session.matches().unwrap(), None);
    let units = session.document().units().to_vec();
    assert_eq!(
        session.edit(0, 0, "import os\n").unwrap_err(),
        Error::OverBudget(Exceeded::Nodes(3))
    );
    assert_eq!(session.text(), text);
    assert_eq!(session.document().units(), &units[..]);
    assert!(!session.has_pending_edits());
    // Without a limit the same steps go through, and equal a fresh document's.
    session.set_budget(Budget::UNLIMITED);
    session.edit(0, 0, "import os\n").unwrap();
    let changes = session.analyze_delta(&engine).unwrap();
    let fresh = engine
        .analyze(&Document::new(Language::Python, format!("import os\n{text}")).unwrap())
        .unwrap();
    assert_eq!(changes.added, fresh);
    assert_eq!(fresh.len(), 1);
}

#[test]
fn a_zero_time_budget_stops_a_large_analysis_with_the_time_reason() {
    let engine = engine();
    let text: String = (0..3000)
        .map(|i| format!("def f{i}(x):\n    return hashlib.md5(x + {i})\n"))
        .collect();
    let mut doc = Document::new(Language::Python, text).unwrap();
    doc.set_budget(Budget::UNLIMITED.with_time(Some(Duration::ZERO)));
    assert_eq!(
        engine.analyze(&doc).unwrap_err(),
        Error::OverBudget(Exceeded::Time(Duration::ZERO))
    );
}

#[test]
fn a_file_over_budget_is_skipped_with_the_over_budget_reason() {
    let dir = std::env::temp_dir().join(format!("codetable-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("deep.java");
    std::fs::write(&path, nested(Language::Java, 300)).unwrap();
    let file = source::read(&path, &Intake::default()).unwrap();
    let skip = file
        .clone()
        .into_document_within(Budget::UNLIMITED.with_nodes(Some(500)))
        .unwrap_err();
    assert_eq!(skip.reason, SkipReason::OverBudget);
    assert_eq!(skip.reason.name(), "over budget");
    assert_eq!(skip.language, Some(Language::Java));
    assert!(skip.detail.contains("500 syntax nodes"), "{}", skip.detail);
    // A parse out of time is over budget too.
    let skip = file
        .clone()
        .into_document_within(Budget::UNLIMITED.with_time(Some(Duration::ZERO)))
        .unwrap_err();
    assert_eq!(skip.reason, SkipReason::OverBudget);
    // Within the default budget the file is read.
    assert!(file.into_document().is_ok());
    // Errors that are not about cost are not over budget.
    assert_eq!(
        source::Skip::over_budget(&Error::InvalidState("x"), Language::Java),
        None
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_parse_timeout_names_the_whole_time_budget() {
    let big: String = (0..200_000)
        .map(|i| format!("x{i} = [{i}, 'é']\n"))
        .collect();
    let budget = Budget::UNLIMITED.with_time(Some(Duration::from_millis(1)));
    assert_eq!(
        Document::with_budget(Language::Python, big, budget).unwrap_err(),
        Error::ParseTimeout {
            budget: Duration::from_millis(1)
        }
    );
}

/// A one-line array of `n` numbers (issue #20's worst flat input, scaled down).
fn flat_array(n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| (i % 1000).to_string()).collect();
    format!("const é = [{}];\n", items.join(","))
}

#[test]
fn a_text_over_its_memory_budget_is_refused_before_parsing() {
    use codetable::budget::{token_starts, BYTES_PER_TOKEN};
    let text = flat_array(50_000);
    let tokens = token_starts(text.as_bytes(), 0, text.len());
    // const, é, =, [, the numbers and their commas, ], ;
    assert_eq!(tokens, 2 * 50_000 + 5);
    let fits = Budget::UNLIMITED.with_memory(Some(tokens * BYTES_PER_TOKEN));
    assert!(Document::with_budget(Language::JavaScript, text.as_str(), fits).is_ok());
    let tight = Budget::UNLIMITED.with_memory(Some(tokens * BYTES_PER_TOKEN - 1));
    let err = Document::with_budget(Language::JavaScript, text.as_str(), tight).unwrap_err();
    assert_eq!(
        err,
        Error::OverBudget(Exceeded::Memory(tokens * BYTES_PER_TOKEN - 1))
    );
    assert!(err.to_string().contains("memory budget of"), "{err}");
    // The default budget takes the 10 MB one-line array of the issue.
    let huge = flat_array(1_700_000);
    assert!(huge.len() > 6_000_000);
    assert!(matches!(
        Document::new(Language::JavaScript, huge).unwrap_err(),
        Error::OverBudget(Exceeded::Memory(_))
    ));
}

#[test]
fn an_edit_past_the_memory_budget_changes_nothing_and_the_count_stays_exact() {
    use codetable::budget::{token_starts, BYTES_PER_TOKEN};
    let text = "let a = [1, 2, 3]; // «café»\n";
    let mut session = Session::new(Language::JavaScript, text, OffsetUnit::Utf16).unwrap();
    // Room for 40 tokens: a few edits in, then one that would grow past it.
    session.set_budget(Budget::default().with_memory(Some(40 * BYTES_PER_TOKEN)));
    session.edit(9, 10, "10, 11").unwrap(); // UTF-16 offsets (ASCII so far)
    session.edit(0, 3, "const").unwrap();
    let now = session.text().to_string();
    assert_eq!(
        session
            .edit(0, 0, "x(1,2,3,4,5,6,7,8,9,10,11,12);\n")
            .unwrap_err(),
        Error::OverBudget(Exceeded::Memory(40 * BYTES_PER_TOKEN))
    );
    assert_eq!(session.text(), now);
    // After the refused edit, the count is still exact: an edit that fits goes through, one
    // that is one token too many does not.
    let tokens = token_starts(now.as_bytes(), 0, now.len());
    let room = 40 - tokens as usize;
    let fits = "y;".repeat(room / 2);
    session.edit(0, 0, &fits).unwrap();
    let left = 40 - token_starts(session.text().as_bytes(), 0, session.text().len());
    assert!(left <= 1, "{left}");
    assert!(session.edit(0, 0, "(+)").is_err());
    session.set_budget(Budget::default());
    session.edit(0, 0, "(+)").unwrap();
}
