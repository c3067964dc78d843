//! The engine's shortcuts drop no finding (issue #15, performance): a rule template whose
//! required features a unit lacks is not tried there, and a taint rule runs no flow analysis in
//! a unit where no source matched and no parameter can be one. [`Engine::set_exhaustive`] turns
//! them off; every example of every catalog pattern, every annotated recall-suite file and every
//! sample fixture must give the same matches (captures, steps, sources, ids) both ways, in a
//! full analysis and after an edit (`analyze_delta`). Non-ASCII text is in the annotated files
//! and fixtures, and in the edit.

use std::path::{Path, PathBuf};

use codetable::catalog::Catalog;
use codetable::{build_database, Document, Engine, Language, Match, MatchSet, PatternDb};

fn engines() -> (Engine, Engine) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../patterns");
    let catalog = Catalog::load_dir(&root).expect("the catalog loads");
    let bytes = build_database(&catalog).expect("the catalog compiles");
    let fast = Engine::new(PatternDb::from_bytes(bytes.clone()).expect("opens"));
    let slow = Engine::new(PatternDb::from_bytes(bytes).expect("opens"));
    slow.set_exhaustive(true);
    assert!(slow.is_exhaustive() && !fast.is_exhaustive());
    (fast, slow)
}

/// Source files under `dir`, recursively, with their language (by extension).
fn files(dir: &Path, out: &mut Vec<(PathBuf, Language)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if let Some(lang) = p
            .extension()
            .and_then(|e| e.to_str())
            .and_then(Language::from_extension)
        {
            out.push((p, lang));
        }
    }
}

fn same(fast: &Engine, slow: &Engine, what: &str, lang: Language, code: &str) -> usize {
    let a: Vec<Match> = Document::new(lang, code)
        .and_then(|d| fast.analyze(&d))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let b: Vec<Match> = Document::new(lang, code)
        .and_then(|d| slow.analyze(&d))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(a, b, "{what}: the shortcuts changed the matches");
    a.len()
}

#[test]
fn every_catalog_example_gives_the_same_matches_without_the_shortcuts() {
    let (fast, slow) = engines();
    let (mut examples, mut found, mut taint) = (0, 0, 0);
    for n in 0..fast.db().len() as u32 {
        let p = fast.db().pattern(n).expect("record");
        for (i, ex) in p.examples.iter().enumerate() {
            let what = format!("{} example {i} ({})", p.id, ex.language);
            let matches = Document::new(ex.language, ex.code)
                .and_then(|d| fast.analyze(&d))
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            taint += matches.iter().filter(|m| m.source.is_some()).count();
            found += same(&fast, &slow, &what, ex.language, ex.code);
            examples += 1;
        }
    }
    // The comparison is about real findings, taint ones included.
    assert!(examples > 1_000, "{examples} examples");
    assert!(
        found > 1_000 && taint > 100,
        "{found} matches, {taint} taint"
    );
}

#[test]
fn every_annotated_suite_file_and_fixture_gives_the_same_matches_without_the_shortcuts() {
    let (fast, slow) = engines();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut list = Vec::new();
    files(&root.join("../patterns/tests/annotated"), &mut list);
    let suite = list.len();
    files(&root.join("tests/fixtures"), &mut list);
    assert!(suite > 100, "{suite} annotated files");
    let mut taint = 0;
    for (path, lang) in &list {
        let what = path.display().to_string();
        let code = std::fs::read_to_string(path).expect("reads");
        same(&fast, &slow, &what, *lang, &code);
        // After an edit in the middle of the file (a non-ASCII insert), the matches kept
        // incrementally too (the fast engine keeps the matches of units edited only inside a
        // nested unit, so its delta lists fewer units; what a host holds after it is the same).
        let mut docs = [&fast, &slow].map(|e| {
            let doc = Document::new(*lang, code.as_str()).expect("parses");
            let first = e.analyze(&doc).expect("analyses");
            taint += first.iter().filter(|m| m.source.is_some()).count();
            (doc, MatchSet::new(first))
        });
        let mut at = code.len() / 2;
        while !code.is_char_boundary(at) {
            at -= 1;
        }
        let kept: Vec<Vec<Match>> = docs
            .iter_mut()
            .zip([&fast, &slow])
            .map(|((doc, set), e)| {
                let delta = doc.edit(at, at, "é").expect("edits");
                set.apply(&e.analyze_delta(doc, &delta).expect("analyses"));
                set.matches().to_vec()
            })
            .collect();
        assert_eq!(
            kept[0], kept[1],
            "{what}: the shortcuts changed the matches after an edit"
        );
        assert_eq!(
            kept[0],
            fast.analyze(&docs[0].0).expect("analyses"),
            "{what}: the matches kept after an edit are not a full analysis"
        );
    }
    assert!(taint > 500, "{taint} taint findings over both engines");
}

/// Django-style views whose only tainted values are their URL parameters (no source call in the
/// unit): the taint shortcut must still analyse them, decorated, typed or not, typed through an
/// import alias (`r: Rq`: no parameter spells "req").
#[test]
fn python_views_tainted_only_by_their_parameters_keep_their_findings() {
    let (fast, slow) = engines();
    let code = r#"from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest as Rq
import os


def détail(request, slug):
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM t WHERE slug = '" + slug + "'")
    return HttpResponse("ok")


@login_required
def run(request, name):
    os.system("convert " + name)
    return HttpResponse("ok")


def typed(r: HttpRequest, path):
    return HttpResponse(open(path).read())


def aliased(r: Rq, chemin):
    os.system("ls " + chemin)
    return HttpResponse("ok")


def helper(slug):
    return slug.upper()
"#;
    let found = same(&fast, &slow, "views", Language::Python, code);
    let doc = Document::new(Language::Python, code).expect("parses");
    let taint = fast
        .analyze(&doc)
        .expect("analyses")
        .iter()
        .filter(|m| m.source.is_some() || !m.steps.is_empty())
        .count();
    assert!(found >= 4 && taint >= 4, "{found} matches, {taint} taint");
}

/// `Engine::set_selected_only` (the CLI scan's setting: unselected patterns are not matched)
/// changes nothing a session reports: the same matches and the same tally (suppressed,
/// grouped, off by context, unused suppressions), with the default profile (pedantic and info
/// patterns, shapes among them, skipped) and with `select = ["info"]` (shapes scored, most
/// rules skipped), on every catalog example, annotated suite file and fixture.
#[test]
fn selected_only_reports_what_a_full_analysis_reports() {
    use codetable::{OffsetUnit, Profile, Session};
    let (pruned, full) = engines();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut list: Vec<(String, Language, String)> = Vec::new();
    for n in 0..full.db().len() as u32 {
        let p = full.db().pattern(n).expect("record");
        for (i, ex) in p.examples.iter().enumerate() {
            list.push((
                format!("{} example {i}", p.id),
                ex.language,
                ex.code.to_string(),
            ));
        }
    }
    let mut paths = Vec::new();
    files(&root.join("../patterns/tests/annotated"), &mut paths);
    files(&root.join("tests/fixtures"), &mut paths);
    for (path, lang) in paths {
        let code = std::fs::read_to_string(&path).expect("reads");
        list.push((path.display().to_string(), lang, code));
    }
    pruned.set_selected_only(true);
    for select in [Vec::new(), vec!["info".to_string()]] {
        for e in [&pruned, &full] {
            e.set_profile(Some(Profile {
                select: select.clone(),
                ..Profile::default()
            }));
        }
        let mut reported = 0;
        for (what, lang, code) in &list {
            let mut a = Session::new(*lang, code.as_str(), OffsetUnit::Byte).expect("parses");
            let mut b = Session::new(*lang, code.as_str(), OffsetUnit::Byte).expect("parses");
            let (ma, mb) = (
                a.analyze(&pruned).expect("analyses").to_vec(),
                b.analyze(&full).expect("analyses").to_vec(),
            );
            assert_eq!(
                ma, mb,
                "{what} (select {select:?}): selected_only changed the matches"
            );
            assert_eq!(
                a.applied(),
                b.applied(),
                "{what}: selected_only changed the tally"
            );
            reported += ma.len();
        }
        let floor = if select.is_empty() { 1_000 } else { 20 };
        assert!(reported > floor, "select {select:?}: {reported} matches");
    }
    // The raw matches do lack the unselected patterns (the setting does something).
    let doc =
        Document::new(Language::Python, "import hashlib\nhashlib.md5(b'x')\n").expect("parses");
    pruned.set_profile(Some(Profile {
        select: vec!["info".into()],
        ..Profile::default()
    }));
    full.set_profile(None);
    assert!(
        pruned.analyze(&doc).expect("analyses").len() < full.analyze(&doc).expect("analyses").len()
    );
}
