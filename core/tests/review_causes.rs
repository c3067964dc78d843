//! The causes of false findings that independent reviews of held-out web code named (issue #15,
//! sessions 8 and 9), as general semantics, through the public API with the catalog as built
//! from `patterns/`: log values the logger escapes (`%r`, `{x!r}`) or that cannot hold CR/LF
//! (headers, raw URLs) or are not the request's text (a record a call computes), redirects whose
//! origin a prefix fixes, a shelf created empty, a browser's own `fetch`, numbers as markup,
//! and `!` removals in a rule's sources. Each form has a look-alike that is still reported, and
//! every case is also checked through a live session (`analyze_delta` after an edit must give
//! what `analyze` gives). Non-ASCII text throughout.

mod common;

use codetable::rule::{Rule, RuleError, RuleSpec};
use codetable::{Document, Engine, Language, OffsetUnit, Session};

/// An engine over the catalog as it is in `patterns/` (compiled once for all tests).
fn engine() -> Engine {
    common::patterns_engine()
}

/// The 1-based lines where `id` is reported in `src`, after checking that a session built by
/// an edit (an empty document, then the text inserted, then a line added on top) reports the
/// same matches as a fresh analysis.
fn lines(e: &Engine, lang: Language, src: &str, id: &str) -> Vec<usize> {
    let key = |ms: &[codetable::Match]| {
        let mut v: Vec<(u32, std::ops::Range<usize>)> = ms
            .iter()
            .map(|m| (m.pattern, m.byte_range.clone()))
            .collect();
        v.sort_by_key(|(p, r)| (*p, r.start, r.end));
        v
    };
    let comment = if lang == Language::Python {
        "# é\n"
    } else {
        "// é\n"
    };
    let full = format!("{comment}{src}");
    let mut s = Session::new(lang, "", OffsetUnit::Byte).expect("session");
    s.analyze_delta(e).expect("analyses");
    s.edit(0, 0, src).expect("edit");
    s.analyze_delta(e).expect("analyses");
    s.edit(0, 0, comment).expect("edit");
    s.analyze_delta(e).expect("analyses");
    let live = key(s.matches().expect("matches").expect("analysed"));
    let fresh = e
        .analyze(&Document::new(lang, &full).expect("parses"))
        .expect("analyses");
    assert_eq!(live, key(&fresh), "analyze_delta differs from analyze");
    let mut out: Vec<usize> = e
        .analyze(&Document::new(lang, src).expect("parses"))
        .expect("analyses")
        .into_iter()
        .filter(|m| e.sheet(m.pattern).map(|s| s.id == id).unwrap_or(false))
        .map(|m| src[..m.byte_range.start].matches('\n').count() + 1)
        .collect();
    out.sort();
    out.dedup();
    out
}

const FLASK: &str = "import logging\nfrom flask import Flask, request, redirect\napp = Flask(__name__)\nlog = logging.getLogger(__name__)\n";

#[test]
fn log_values_the_logger_escapes_or_that_cannot_hold_newlines_are_not_claimed() {
    let e = engine();
    let id = "security.log-injection.request-data";
    let src = format!(
        "{FLASK}@app.route(\"/é\")\ndef v():\n    log.warning(\"clé %r\", request.args[\"k\"])\n    log.warning(\"clé %s valeur %r\", \"k\", request.args[\"v\"])\n    log.info(f\"vu {{request.args['k']!r}}\")\n    log.info(\"agent %s\", request.headers.get(\"User-Agent\"))\n    log.info(\"url %s\", request.url)\n    row = db.find(request.args[\"id\"])\n    log.info(\"trouvé %s\", row)\n    log.warning(\"clé %r valeur %s\", \"k\", request.args[\"v\"])\n    log.info(f\"vu {{request.args['k']}}\")\n    log.info(\"nom %s\", str(request.args[\"n\"]).strip())\n    return \"ok\"\n"
    );
    // Lines 14-16: a second conversion `%s`, an f-string without `!r`, text passed on.
    assert_eq!(lines(&e, Language::Python, &src, id), [14, 15, 16]);
    let js = "const app = require(\"express\")();\napp.get(\"/é/:id\", (req, res) => {\n  console.log(\"vu \" + req.originalUrl, req.path, req.headers[\"user-agent\"]);\n  const item = store.find(req.params.id);\n  console.log(\"trouvé\", item);\n  console.log(\"id \" + String(req.params.id));\n  res.end();\n});\n";
    assert_eq!(lines(&e, Language::JavaScript, js, id), [6]);
}

#[test]
fn a_redirect_whose_origin_a_prefix_fixes_is_not_claimed() {
    let e = engine();
    let id = "security.open-redirect.request-target";
    let src = format!(
        "{FLASK}SITE = \"exemple.fr\"\n@app.route(\"/é\")\ndef v():\n    if request.args.get(\"a\"):\n        return redirect(\"/comptes/\" + request.args[\"onglet\"])\n    if request.args.get(\"b\"):\n        return redirect(\"/connexion?suite=\" + request.args[\"suite\"])\n    if request.args.get(\"c\"):\n        return redirect(f\"https://{{SITE}}/profil/{{request.args['u']}}\")\n    if request.args.get(\"d\"):\n        cible = \"/doc#\" + request.args[\"s\"]\n        return redirect(cible)\n    if request.args.get(\"e\"):\n        return redirect(\"/\" + request.args[\"p\"])\n    if request.args.get(\"f\"):\n        return redirect(\"https://\" + request.args[\"hôte\"] + \"/accueil\")\n    if request.args.get(\"g\"):\n        return redirect(request.args[\"vers\"] + \"?ok=1\")\n    return redirect(f\"//{{request.args['h']}}/\")\n"
    );
    assert_eq!(lines(&e, Language::Python, &src, id), [18, 20, 22, 23]);
    let js = "const app = require(\"express\")();\napp.get(\"/é/:id\", (req, res) => {\n  if (req.query.a) return res.redirect(\"/articles/\" + req.params.id + \"/vue\");\n  if (req.query.b) return res.redirect(`/cherche?q=${req.query.q}`);\n  if (req.query.c) return res.redirect(\"/\" + req.query.p);\n  res.redirect(req.query.base + \"#haut\");\n});\n";
    assert_eq!(lines(&e, Language::JavaScript, js, id), [5, 6]);
    // A URL's query does not choose the URL's site, but a response fetched with it may hold the
    // target: the query rule stops at the call.
    let page = "async function aller() {\n  const q = new URLSearchParams();\n  q.append(\"o\", location.search);\n  const url = \"/api/suppr?\" + q.toString();\n  const réponse = await fetch(url);\n  const data = await réponse.json();\n  window.location.href = data.redirect;\n  window.location.href = \"/liste?\" + q.toString();\n}\n";
    assert_eq!(lines(&e, Language::JavaScript, page, id), [7]);
}

#[test]
fn a_shelf_created_empty_is_not_unpickling() {
    let e = engine();
    let id = "security.deserialization.native-object";
    let src = "import shelve\n\ndef sauver(chemin, état):\n    with shelve.open(chemin, flag=\"n\") as db:\n        db[\"état\"] = état\n\ndef lire(chemin):\n    with shelve.open(chemin, \"r\") as db:\n        return db[\"état\"]\n";
    assert_eq!(lines(&e, Language::Python, src, id), [8]);
}

#[test]
fn a_pages_own_fetch_is_not_server_side_request_forgery() {
    let e = engine();
    let id = "security.ssrf.request-url";
    let js = "async function charger() {\n  return fetch(location.hash.slice(1) + \"é\");\n}\nconst app = require(\"express\")();\napp.get(\"/aperçu\", async (req, res) => {\n  res.send(await fetch(req.query.url));\n});\n";
    assert_eq!(lines(&e, Language::JavaScript, js, id), [6]);
}

#[test]
fn numbers_are_not_computed_markup() {
    let e = engine();
    let id = "security.xss.inner-html";
    let js = "function compteurs(items, total, n, libellé) {\n  document.getElementById(\"n\").innerHTML = items.length;\n  document.getElementById(\"p\").innerHTML = total.toFixed(2) + \" %\";\n  document.getElementById(\"c\").innerHTML = \"<b>\" + Number(n) + \"</b>\";\n  document.getElementById(\"l\").innerHTML = \"<i>\" + libellé + \"</i> \" + items.length;\n}\n";
    assert_eq!(lines(&e, Language::JavaScript, js, id), [5]);
}

#[test]
fn a_sources_entry_with_a_bang_removes_templates_and_sets() {
    let spec = |sources: &[&str]| RuleSpec {
        pattern: "log.info($SINK)".into(),
        sources: sources.iter().map(|s| s.to_string()).collect(),
        ..RuleSpec::default()
    };
    let src = "from flask import request\n\ndef v():\n    log.info(request.headers[\"é\"])\n    log.info(request.args[\"é\"])\n";
    let found = |s: &RuleSpec| {
        let rule = Rule::compile(Language::Python, s).expect("compiles");
        let doc = Document::new(Language::Python, src).expect("parses");
        let mut out = Vec::new();
        for unit in doc.units() {
            for m in rule.find(&doc, unit) {
                out.push(src[..m.byte_range.start].matches('\n').count() + 1);
            }
        }
        out.sort();
        out
    };
    assert_eq!(found(&spec(&["@request"])), [4, 5]);
    assert_eq!(found(&spec(&["!$REQ.headers", "@request"])), [5]);
    assert!(matches!(
        Rule::compile(
            Language::Python,
            &spec(&["@request", "!$REQ.nothing_like_this"])
        ),
        Err(RuleError::RemovesNothing {
            role: "sources",
            ..
        })
    ));
    // `!@browser`: the page's own URL is no source, a request's query still is.
    let js = RuleSpec {
        pattern: "fetch($SINK)".into(),
        sources: vec!["@input".into(), "!@browser".into()],
        ..RuleSpec::default()
    };
    let rule = Rule::compile(Language::JavaScript, &js).expect("compiles");
    let code = "function f() { fetch(location.href + \"é\"); }\napp.get(\"/\", (req, res) => { fetch(req.query.u); });\n";
    let doc = Document::new(Language::JavaScript, code).expect("parses");
    let n: usize = doc.units().iter().map(|u| rule.find(&doc, u).len()).sum();
    assert_eq!(n, 1);
}
