//! Sanitisers a project writes or a library provides, guards, and constants (issue #15,
//! session 9) through the public API, with the catalog as built from `patterns/`: calls
//! recognised by their names (`get_safe_redirect`, `escape_sqlite`, `DOMPurify.sanitize`) only
//! for the sink contexts they name, `if` checks that validate a value before its use, the
//! project's own sanitisers declared with [`Engine::set_sanitizers`], and code that constant
//! propagation proves fixed (`eval(compile("…"))`, a build script running its own version
//! file). Each form has a look-alike that is still reported. Non-ASCII text throughout.

mod common;

use codetable::{Document, Engine, Language};

/// An engine over the catalog as it is in `patterns/` (compiled once for all tests).
fn engine() -> Engine {
    common::patterns_engine()
}

/// The 1-based lines of `src` where `engine` reports pattern `id`; checks that the exhaustive
/// engine and an edit-by-edit session agree.
fn lines(engine: &Engine, lang: Language, src: &str, id: &str) -> Vec<usize> {
    let doc = Document::new(lang, src).expect("parses");
    let mut out: Vec<usize> = engine
        .analyze(&doc)
        .expect("analyses")
        .into_iter()
        .filter(|m| engine.sheet(m.pattern).map(|s| s.id == id).unwrap_or(false))
        .map(|m| src[..m.byte_range.start].matches('\n').count() + 1)
        .collect();
    out.sort();
    out.dedup();
    out
}

fn flask(body: &str) -> String {
    format!(
        "from flask import Flask, request, redirect\nimport sqlite3\napp = Flask(__name__)\nALLOWED = {{\"/accueil\", \"/profil\"}}\n\n{body}"
    )
}

#[test]
fn a_sanitiser_named_so_cleans_and_a_look_alike_does_not() {
    let e = engine();
    let id = "security.open-redirect.request-target";
    let src = flask(
        "@app.route(\"/connexion\")\ndef connexion():\n    nxt = get_safe_redirect(request.args[\"suivant\"])\n    return redirect(nxt)\n\n@app.route(\"/sortie\")\ndef sortie():\n    nxt = get_redirect(request.args[\"suivant\"])\n    return redirect(nxt)\n",
    );
    assert_eq!(lines(&e, Language::Python, &src, id), [14]);
    // Words must be whole: `unescape` and `mark_safe` say the opposite.
    let src = flask(
        "@app.route(\"/a\")\ndef a():\n    return redirect(unescape_url(request.args[\"à\"]))\n",
    );
    assert_eq!(lines(&e, Language::Python, &src, id), [8]);
}

#[test]
fn a_named_sanitiser_counts_only_for_the_context_it_names() {
    let e = engine();
    let id = "security.sql-injection.string-built";
    let src = flask(
        "@app.route(\"/t\")\ndef table():\n    db = sqlite3.connect(\"données.db\")\n    t = request.args[\"table\"]\n    db.execute(\"SELECT * FROM \" + escape_sqlite(t))\n    db.execute(\"SELECT * FROM \" + escape_html(t))\n    db.execute(\"SELECT * FROM \" + sanitize(t))\n",
    );
    // escape_sqlite and a context-free sanitize clean SQL; an HTML escape does not.
    assert_eq!(lines(&e, Language::Python, &src, id), [11]);
}

#[test]
fn guards_that_check_a_value_clean_it_afterwards() {
    let e = engine();
    let id = "security.open-redirect.request-target";
    let src = flask(
        "@app.route(\"/a\")\ndef a():\n    nxt = request.args[\"n\"]\n    if nxt not in ALLOWED:\n        abort(400)\n    return redirect(nxt)\n\n@app.route(\"/b\")\ndef b():\n    nxt = request.args[\"n\"]\n    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts=None):\n        return redirect(\"/\")\n    return redirect(nxt)\n\n@app.route(\"/c\")\ndef c():\n    nxt = request.args[\"n\"]\n    if nxt:\n        print(\"été\")\n    return redirect(nxt)\n",
    );
    // Only the `if` that checks nothing leaves the value tainted.
    assert_eq!(lines(&e, Language::Python, &src, id), [25]);
    let js = "const express = require(\"express\");\nconst app = express();\nconst ALLOWED = new Set([\"/accueil\"]);\napp.get(\"/a\", (req, res) => {\n  const n = req.query.n;\n  if (!ALLOWED.has(n)) return res.redirect(\"/\");\n  res.redirect(n);\n});\napp.get(\"/b\", (req, res) => {\n  const n = req.query.n;\n  if (n.length > 3) console.log(\"été\");\n  res.redirect(n);\n});\n";
    assert_eq!(lines(&e, Language::JavaScript, js, id), [12]);
}

#[test]
fn the_project_declares_its_own_sanitisers() {
    let e = engine();
    let id = "security.open-redirect.request-target";
    let src = flask(
        "@app.route(\"/a\")\ndef a():\n    return redirect(tidy_target(request.args[\"é\"]))\n\n@app.route(\"/b\")\ndef b():\n    nxt = request.args[\"é\"]\n    if not vet(nxt):\n        abort(400)\n    return redirect(nxt)\n",
    );
    assert_eq!(lines(&e, Language::Python, &src, id), [8, 15]);
    let before = e.id();
    e.set_sanitizers(&["monprojet.sécurité.tidy_target", "vet", " "]);
    assert_ne!(
        e.id(),
        before,
        "results change: sessions must analyse again"
    );
    assert_eq!(
        e.sanitizers(),
        [
            "monprojet.sécurité.tidy_target".to_string(),
            "vet".to_string()
        ]
    );
    assert!(lines(&e, Language::Python, &src, id).is_empty());
    // Another module's function of the same last name is not the declared one.
    let other = flask(
        "@app.route(\"/a\")\ndef a():\n    return redirect(autre.tidy_target(request.args[\"é\"]))\n",
    );
    assert_eq!(lines(&e, Language::Python, &other, id), [8]);
    e.set_sanitizers::<&str>(&[]);
    assert!(e.sanitizers().is_empty());
    assert_eq!(lines(&e, Language::Python, &src, id), [8, 15]);
}

#[test]
fn constant_code_is_not_evaluated_input() {
    let e = engine();
    let id = "security.code-injection.eval";
    let src = "def _raise():\n    eval(compile(\"def _r(*a): raise a[0]\", \"<été>\", \"exec\"))\n\ndef run(code):\n    eval(compile(code, \"<été>\", \"exec\"))\n";
    assert_eq!(lines(&e, Language::Python, src, id), [5]);
    // A build script running its own version file read from a constant path.
    let setup = "import os\nfrom setuptools import setup\nhere = os.path.abspath(os.path.dirname(__file__))\nabout = {}\nexec(open(os.path.join(here, \"paquet\", \"__about__.py\"), encoding=\"utf-8\").read(), about)\nsetup(name=\"paquet\", version=about[\"__version__\"])\n";
    assert!(lines(&e, Language::Python, setup, id).is_empty());
    // The same read outside a build script, or of a path given at run time, is still reported.
    let plain = setup.replace("from setuptools import setup\n", "");
    assert_eq!(lines(&e, Language::Python, &plain, id), [4]);
    let given = "from setuptools import setup\nimport sys\nexec(open(sys.argv[1]).read())\n";
    assert_eq!(lines(&e, Language::Python, given, id), [3]);
}

#[test]
fn markup_built_only_from_sanitised_parts_is_not_computed_markup() {
    let e = engine();
    let id = "security.xss.inner-html";
    let js = "function montre(el, nom) {\n  el.innerHTML = `<b>${escapeHtml(nom)}</b>`;\n  const propre = DOMPurify.sanitize(nom);\n  el.innerHTML = \"<i>\" + propre + \"</i>\";\n  el.innerHTML = `<b>${nom}</b>`;\n  el.innerHTML = `<b>${unescapeHtml(nom)}</b>`;\n}\n";
    assert_eq!(lines(&e, Language::JavaScript, js, id), [5, 6]);
}

#[test]
fn keyword_arguments_of_url_builders_are_query_data_but_format_keywords_are_text() {
    let e = engine();
    let id = "security.open-redirect.request-target";
    let src = flask(
        "@app.route(\"/a\")\ndef a():\n    return redirect(url_for(\"connexion\", suivant=request.url))\n\n@app.route(\"/b\")\ndef b():\n    return redirect(\"https://{hôte}/\".format(hôte=request.args[\"h\"]))\n",
    );
    assert_eq!(lines(&e, Language::Python, &src, id), [12]);
}
