//! Taint rules through the public API (issue #15 item 3): sources (templates, handler
//! parameters, the built-in `@input` set), flow through locals, string building, containers,
//! calls, sanitizers and propagators, and the path each finding carries. Non-ASCII text keeps
//! byte offsets honest.

use codetable::rule::{Rule, RuleError, RuleSpec};
use codetable::{Document, Language, Language::*};

fn taint(sink: &str, sources: &[&str]) -> RuleSpec {
    RuleSpec {
        pattern: sink.into(),
        sources: sources.iter().map(|s| s.to_string()).collect(),
        ..RuleSpec::default()
    }
}

/// (sink text, source text, step texts) of every finding, checking required features.
fn findings(lang: Language, s: &RuleSpec, src: &str) -> Vec<(String, String, Vec<String>)> {
    let rule = Rule::compile(lang, s).unwrap_or_else(|e| panic!("{lang}: {e}"));
    let doc = Document::new(lang, src).unwrap();
    let req = rule.required_features();
    let mut out = Vec::new();
    for unit in doc.units() {
        for m in rule.find(&doc, unit) {
            for f in &req {
                assert!(unit.fingerprint.contains(*f), "unsound required feature");
            }
            let source = m.source.clone().expect("a taint finding has a source");
            out.push((
                src[m.byte_range.clone()].to_string(),
                src[source].to_string(),
                m.steps.iter().map(|r| src[r.clone()].to_string()).collect(),
            ));
        }
    }
    out.sort();
    out
}

fn sinks(lang: Language, s: &RuleSpec, src: &str) -> Vec<String> {
    findings(lang, s, src).into_iter().map(|f| f.0).collect()
}

#[test]
fn python_source_through_locals_and_string_building() {
    let s = taint("$C.execute($SINK, $$$)", &["@input"]);
    let src = "from flask import request\n\
def view(cur):\n\
    name = request.args.get(\"名前\")\n\
    q = f\"SELECT * FROM t WHERE n = '{name}'\"\n\
    cur.execute(q)\n\
    cur.execute(\"SELECT 1\")\n\
    cur.execute(\"SELECT * FROM t WHERE n = %s\", (name,))\n";
    assert_eq!(
        findings(Python, &s, src),
        [(
            "cur.execute(q)".to_string(),
            "request.args".to_string(),
            vec![
                "name = request.args.get(\"名前\")".to_string(),
                "q = f\"SELECT * FROM t WHERE n = '{name}'\"".to_string()
            ]
        )]
    );
}

#[test]
fn python_untainted_parts_do_not_match() {
    let s = taint("$C.execute($SINK, $$$)", &["@input"]);
    // A parameter of a function that is not a handler, and a constant built query.
    let src = "def helper(cur, table):\n    q = \"SELECT * FROM \" + table\n    cur.execute(q)\n";
    assert!(sinks(Python, &s, src).is_empty());
}

#[test]
fn python_handler_parameters_are_sources() {
    let s = taint("os.system($SINK)", &["@input"]);
    let src = "import os\n@app.route(\"/ping/<host>\")\ndef ping(host):\n    cmd = \"ping -c1 \" + host\n    os.system(cmd)\n\ndef other(host):\n    os.system(\"ping \" + host)\n";
    assert_eq!(
        findings(Python, &s, src),
        [(
            "os.system(cmd)".to_string(),
            "host".to_string(),
            vec!["cmd = \"ping -c1 \" + host".to_string()]
        )]
    );
}

#[test]
fn sanitizers_and_numeric_conversions_clean() {
    let s = RuleSpec {
        sanitizers: vec!["shlex.quote($X)".into()],
        ..taint("os.system($SINK)", &["@input"])
    };
    let src = "import os, shlex, sys\n\
def a():\n    os.system(\"ls \" + shlex.quote(sys.argv[1]))\n\
def b():\n    n = int(sys.argv[1])\n    os.system(\"kill %d\" % n)\n\
def c():\n    os.system(\"ls \" + sys.argv[1])\n";
    assert_eq!(sinks(Python, &s, src), ["os.system(\"ls \" + sys.argv[1])"]);
}

#[test]
fn containers_loops_and_propagators() {
    let s = taint("subprocess.call($SINK)", &["@input"]);
    let src = "import subprocess, sys\n\
def a():\n    args = [\"ls\"]\n    args.append(sys.argv[1])\n    subprocess.call(args)\n\
def b():\n    for x in sys.argv:\n        subprocess.call(x)\n\
def c():\n    args = [\"ls\"]\n    args.append(\"-l\")\n    subprocess.call(args)\n";
    let f = findings(Python, &s, src);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(f[0].0, "subprocess.call(args)");
    assert_eq!(f[0].2, ["args.append(sys.argv[1])"]);
    assert_eq!(f[1].0, "subprocess.call(x)");
    // A custom propagator.
    let s = RuleSpec {
        propagators: vec!["$TO.feed($FROM)".into()],
        ..taint("run($SINK)", &["input($$$)"])
    };
    let src = "def f(b):\n    b.feed(input())\n    run(b)\n";
    assert_eq!(sinks(Python, &s, src), ["run(b)"]);
}

#[test]
fn javascript_express_and_template_literals() {
    let s = taint("$C.query($SINK, $$$)", &["@input"]);
    let src = "app.get('/u', (req, res) => {\n  const id = req.query.id;\n  const sql = `SELECT * FROM u WHERE id = ${id} -- é`;\n  db.query(sql);\n  db.query('SELECT * FROM u WHERE id = ?', [id]);\n});\n";
    assert_eq!(
        findings(JavaScript, &s, src),
        [(
            "db.query(sql)".to_string(),
            "req.query".to_string(),
            vec![
                "id = req.query.id".to_string(),
                "sql = `SELECT * FROM u WHERE id = ${id} -- é`".to_string()
            ]
        )]
    );
    assert_eq!(sinks(TypeScript, &s, src), ["db.query(sql)"]);
}

#[test]
fn java_servlet_and_string_builder() {
    let s = taint("$S.executeQuery($SINK)", &["@input"]);
    let src = "class A {\n  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {\n    String id = request.getParameter(\"id\");\n    StringBuilder sb = new StringBuilder(\"SELECT * FROM t WHERE id = \");\n    sb.append(id);\n    stmt.executeQuery(sb.toString());\n    stmt.executeQuery(\"SELECT 1\");\n  }\n}\n";
    let f = findings(Java, &s, src);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "stmt.executeQuery(sb.toString())");
    assert_eq!(f[0].1, "request.getParameter(\"id\")");
}

#[test]
fn go_handler_parameters() {
    let s = taint("exec.Command($$$A, $SINK)", &["@input"]);
    let src = "package main\nimport (\"net/http\"; \"os/exec\")\nfunc h(w http.ResponseWriter, r *http.Request) {\n\thost := r.URL.Query().Get(\"host\")\n\texec.Command(\"ping\", host)\n}\nfunc g(host string) {\n\texec.Command(\"ping\", host)\n}\n";
    let f = findings(Go, &s, src);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "exec.Command(\"ping\", host)");
    // The request accessor is the most specific source (the handler's `r` also is one).
    assert_eq!(f[0].1, "r.URL.Query()");
}

#[test]
fn go_request_accessors_outside_handlers() {
    let s = taint("os.Open($SINK)", &["@input"]);
    let src = r#"package main
import ("net/http"; "os")
func open(r *http.Request) {
	os.Open("/srv/ファイル/" + r.FormValue("path"))
	os.Open(r.PathValue("name"))
	os.Open("/etc/app.yaml")
}
"#;
    let f = findings(Go, &s, src);
    assert_eq!(
        f.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
        ["r.FormValue(\"path\")", "r.PathValue(\"name\")"],
        "{f:?}"
    );
}

#[test]
fn javascript_destructured_locals_carry_taint() {
    let s = taint("$M.findOne($SINK)", &["req.body"]);
    let src = "app.post('/login', async (req, res) => {\n  const { email, password } = req.body; // é\n  await User.findOne({ email, password });\n  const { a: renamed } = req.body;\n  await User.findOne({ renamed });\n  const { other } = config;\n  await User.findOne({ other });\n});\n";
    let f = findings(JavaScript, &s, src);
    assert_eq!(
        f.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        [
            "User.findOne({ email, password })",
            "User.findOne({ renamed })"
        ],
        "{f:?}"
    );
    assert_eq!(f[0].2, ["{ email, password } = req.body"]);
}

#[test]
fn numeric_typed_parameters_carry_no_taint() {
    let s = taint("new File($B, $SINK)", &["@input"]);
    let src = "class C {\n  @GetMapping(\"/f/{id}\")\n  File byId(@PathVariable long id) { return new File(\"/srv/é\", id + \".pdf\"); }\n  @GetMapping(\"/g/{name}\")\n  File byName(@PathVariable String name) { return new File(\"/srv/é\", name); }\n}\n";
    assert_eq!(sinks(Java, &s, src), ["new File(\"/srv/é\", name)"]);
    let s = taint("open($SINK)", &["@params"]);
    let src = "def f(n: int, name: str):
    open(\"/srv/é/%d\" % n)
    open(\"/srv/é/\" + name)
";
    assert_eq!(sinks(Python, &s, src), ["open(\"/srv/é/\" + name)"]);
    let s = taint("fs.readFileSync($SINK)", &["@params"]);
    let src = "function f(n: number, name: string) {
  fs.readFileSync(`/srv/é/${n}`);
  fs.readFileSync(`/srv/é/${name}`);
}
";
    assert_eq!(
        sinks(TypeScript, &s, src),
        ["fs.readFileSync(`/srv/é/${name}`)"]
    );
}

#[test]
fn taint_errors() {
    let bad = RuleSpec {
        sources: vec!["@nope".into()],
        ..RuleSpec {
            pattern: "f($SINK)".into(),
            ..RuleSpec::default()
        }
    };
    assert!(matches!(
        Rule::compile(Python, &bad),
        Err(RuleError::UnknownSet { .. })
    ));
    let no_sources = RuleSpec {
        pattern: "f($X)".into(),
        sanitizers: vec!["g($X)".into()],
        ..RuleSpec::default()
    };
    assert!(matches!(
        Rule::compile(Python, &no_sources),
        Err(RuleError::TaintWithoutSources { role: "sanitizers" })
    ));
    let prop = RuleSpec {
        propagators: vec!["$A.add($B)".into()],
        ..taint("f($SINK)", &["input()"])
    };
    assert!(matches!(
        Rule::compile(Python, &prop),
        Err(RuleError::Propagator { .. })
    ));
    let parse = taint("f($SINK)", &["def ("]);
    assert!(matches!(
        Rule::compile(Python, &parse),
        Err(RuleError::Parse {
            role: "sources",
            ..
        })
    ));
}

#[test]
fn sink_regex_reads_the_text_the_value_was_built_from() {
    let s = RuleSpec {
        where_: vec![codetable::rule::Where {
            metavar: "$SINK".into(),
            regex: Some("(?i)select".into()),
            ..Default::default()
        }],
        ..taint("$ST.executeQuery($SINK)", &["@input", "@params"])
    };
    // The query text is in the builder's constructor, off the taint path.
    let builder = "class A {\n  void doGet(HttpServletRequest request) {\n    String id = request.getParameter(\"id\");\n    StringBuilder sb = new StringBuilder(\"SELECT * FROM t WHERE id = \");\n    sb.append(id);\n    stmt.executeQuery(sb.toString());\n  }\n}\n";
    assert_eq!(
        sinks(Java, &s, builder),
        ["stmt.executeQuery(sb.toString())"]
    );
    // A helper that runs the query it was handed: a parameter, but no SQL text built here.
    let helper = "class A {\n  ResultSet run(Statement st, String sql) {\n    return st.executeQuery(sql);\n  }\n}\n";
    assert!(sinks(Java, &s, helper).is_empty());
    // A parameter spliced into SQL text held by a local.
    let spliced = "class A {\n  ResultSet by(Statement st, String ñame) {\n    String q = \"SELECT * FROM t WHERE n = '%s'\";\n    return st.executeQuery(String.format(q, ñame));\n  }\n}\n";
    assert_eq!(
        sinks(Java, &s, spliced),
        ["st.executeQuery(String.format(q, ñame))"]
    );
}

#[test]
fn validated_locals_are_taken_as_checked() {
    let s = taint("$RES.redirect($SINK)", &["@input"]);
    let src = "app.get('/a', (req, res) => {\n  const next = req.query.next;\n  if (!next.startsWith('/') || next.startsWith('//')) return res.redirect('/');\n  res.redirect(next);\n});\napp.get('/b', (req, res) => {\n  const next = req.query.next;\n  if (next.length > 2000) return res.redirect('/');\n  res.redirect(next);\n});\n";
    assert_eq!(findings(JavaScript, &s, src).len(), 1);
    assert_eq!(findings(JavaScript, &s, src)[0].1, "req.query");
}

#[test]
fn sibling_callbacks_do_not_share_locals() {
    // Two Express handlers in one module: a local of the first never reaches the second, and
    // an object key that spells a tainted local's name is not a use of it.
    let s = taint("$M.findOne($SINK)", &["req.body"]);
    let src = "app.post('/a', (req, res) => {\n  const q = req.body.q; // ü\n  const { username } = req.body;\n});\napp.post('/b', (req, res) => {\n  User.findOne(q);\n  User.findOne({ username: 'x' });\n});\n";
    assert_eq!(sinks(JavaScript, &s, src), Vec::<String>::new());
    let src =
        "app.post('/a', (req, res) => {\n  const q = req.body.q; // ü\n  User.findOne(q);\n});\n";
    assert_eq!(sinks(JavaScript, &s, src), ["User.findOne(q)"]);
}

#[test]
fn request_set_leaves_out_process_inputs() {
    let src = "import os, sys\nfrom flask import request\ndef f():\n    open(os.environ.get(\"PYTHONSTARTUP\"))\n    open(sys.argv[1])\n    open(\"/srv/ü/\" + request.args[\"name\"])\n";
    let all = taint("open($SINK)", &["@input"]);
    assert_eq!(sinks(Python, &all, src).len(), 3);
    let web = taint("open($SINK)", &["@request"]);
    assert_eq!(
        sinks(Python, &web, src),
        ["open(\"/srv/ü/\" + request.args[\"name\"])"]
    );
    let js = "function f(req) {\n  fs.readFileSync(process.env.HOME + '/é');\n  fs.readFileSync(req.query.p);\n}\n";
    let web = taint("fs.readFileSync($SINK)", &["@request"]);
    assert_eq!(
        sinks(JavaScript, &web, js),
        ["fs.readFileSync(req.query.p)"]
    );
}

#[test]
fn kotlin_ktor_sources_flow_through_vals_and_string_templates() {
    let s = taint("$ST.executeQuery($SINK)", &["@input"]);
    let src = "fun Route.users(stmt: Statement) {\n\
    get(\"/u\") {\n\
        val név = call.parameters[\"név\"] ?: \"\"\n\
        val q = \"SELECT * FROM u WHERE n = '$név'\"\n\
        stmt.executeQuery(q)\n\
        val n = call.request.queryParameters[\"n\"]!!.toInt()\n\
        stmt.executeQuery(\"SELECT * FROM u WHERE id = $n\")\n\
        stmt.executeQuery(\"SELECT 1\")\n\
    }\n\
}\n";
    assert_eq!(
        findings(Kotlin, &s, src),
        [(
            "stmt.executeQuery(q)".to_string(),
            "call.parameters".to_string(),
            vec![
                "val név = call.parameters[\"név\"] ?: \"\"".to_string(),
                "val q = \"SELECT * FROM u WHERE n = '$név'\"".to_string(),
            ]
        )]
    );
}

#[test]
fn kotlin_spring_parameters_loops_and_numeric_types() {
    let s = taint("File($SINK)", &["@request"]);
    let src = "package app\n\
class C {\n\
@GetMapping(\"/f\")\n\
fun read(@RequestParam name: String, id: Int, other: String): String {\n\
    File(name)\n\
    File(\"/d/\" + id)\n\
    File(other)\n\
    for (p in listOf(name)) { File(p) }\n\
    return \"\"\n\
}\n\
fun plain(@RequestParam name: String) { File(name) }\n\
fun helper(name: String) { File(name) }\n\
}\n";
    assert_eq!(
        sinks(Kotlin, &s, src),
        ["File(name)", "File(name)", "File(other)", "File(p)"]
    );
    // A `$name` with no local of that name, and `$5`, are plain text.
    let c = RuleSpec {
        pattern: "f($X)".into(),
        where_: vec![codetable::rule::Where {
            metavar: "$X".into(),
            constant: Some(true),
            ..Default::default()
        }],
        ..RuleSpec::default()
    };
    let rule = Rule::compile(Kotlin, &c).unwrap();
    let doc = Document::new(
        Kotlin,
        "fun g(a: String) {\n  f(\"costs $5\")\n  f(\"hi $a\")\n  val k = \"x\"\n  f(k)\n}\n",
    )
    .unwrap();
    let got: Vec<String> = doc
        .units()
        .iter()
        .flat_map(|u| rule.find(&doc, u))
        .map(|m| doc.text()[m.byte_range].to_string())
        .collect();
    assert_eq!(got, ["f(\"costs $5\")", "f(k)"]);
}

#[test]
fn rust_extractors_route_attributes_and_inline_format_names() {
    let s = taint("sqlx::query($SINK)", &["@input"]);
    let src =
        "async fn list(Query(q): Query<Params>, Path(id): Path<u64>, State(db): State<Pool>) {\n\
    let sql = format!(\"SELECT * FROM t WHERE n = '{}'\", q.name);\n\
    sqlx::query(&sql);\n\
    sqlx::query(&format!(\"SELECT * FROM t WHERE id = {id}\"));\n\
    let mut s = String::from(\"SELECT * FROM t WHERE a = '\");\n\
    s.push_str(&db.name);\n\
    sqlx::query(&s);\n\
}\n\
#[get(\"/n/<név>\")]\n\
fn named(név: &str) { let w = format!(\"SELECT {név:?}\"); sqlx::query(&w); }\n\
fn helper(név: &str) { let w = format!(\"SELECT {név}\"); sqlx::query(&w); }\n\
fn main() { let a: Vec<String> = std::env::args().collect(); for x in a { sqlx::query(&x); } }\n";
    assert_eq!(
        sinks(Rust, &s, src),
        ["sqlx::query(&sql)", "sqlx::query(&w)", "sqlx::query(&x)"]
    );
}

#[test]
fn sink_between_two_spreads_tries_every_argument() {
    let s = taint("$P.join($$$A, $SINK, $$$B)", &["@input"]);
    let src = "from flask import request\n\
def v():\n\
    os.path.join(\"/srv\", \"files\", request.args[\"名\"], \"x\")\n\
    os.path.join(\"/srv\", \"files\", \"x\")\n";
    assert_eq!(
        sinks(Python, &s, src),
        ["os.path.join(\"/srv\", \"files\", request.args[\"名\"], \"x\")"]
    );
}

#[test]
fn constant_map_lookups_are_allow_lists() {
    let s = taint("redirect($SINK)", &["@input"]);
    let src = "from flask import request\n\
ROUTES = {\"home\": \"/\"}\n\
def v():\n\
    names = {\"1\": \"a\", \"2\": \"b\"}\n\
    redirect(names.get(request.args[\"id\"], \"a\"))\n\
    redirect(ROUTES[request.args[\"to\"]])\n\
    redirect({\"x\": \"/x\"}[request.args[\"k\"]])\n\
    dyn = {\"x\": request.args[\"u\"]}\n\
    redirect(dyn[\"x\"])\n\
    redirect(routes[request.args[\"to\"]])\n";
    assert_eq!(
        sinks(Python, &s, src),
        [
            "redirect(dyn[\"x\"])",
            "redirect(routes[request.args[\"to\"]])"
        ]
    );
}

#[test]
fn a_host_test_on_the_url_is_a_guard() {
    let s = taint("redirect($SINK)", &["@input"]);
    let src = "from flask import request\n\
def v():\n\
    t = request.args.get(\"next\", \"/\")\n\
    if urlparse(t).netloc:\n\
        t = \"/\"\n\
    return redirect(t)\n\
def w():\n\
    t = request.args.get(\"next\", \"/\")\n\
    return redirect(t)\n";
    assert_eq!(sinks(Python, &s, src), ["redirect(t)"]);
}

/// Sources from the handler context, not the name (issue #15, session 8): `request` is request
/// data only where it is a web framework's incoming request.
#[test]
fn python_request_is_a_source_only_in_a_framework_context() {
    let s = taint("$L.info($F, $SINK, $$$)", &["@request"]);
    // An outgoing request a client builds, and a parameter named `request` in a file that
    // imports no server framework: not sources.
    let client = "import urllib.request\n\
def fetch(url):\n    request = urllib.request.Request(url)\n    log.info(\"GET «%s»\", request.full_url)\n    log.info(\"GET «%s»\", request.data)\n\n\
class Client:\n    def fetch_impl(self, request, callback):\n        log.info(\"fetch %s\", request.url)\n";
    assert!(sinks(Python, &s, client).is_empty());
    // Flask's global, a Django view's request and its URL parameter, a Starlette request by
    // its annotation, `self.request` in a view class.
    let server = "from flask import request\n\
def search():\n    log.info(\"q «%s»\", request.args[\"q\"])\n";
    assert_eq!(
        findings(Python, &s, server),
        [(
            "log.info(\"q «%s»\", request.args[\"q\"])".to_string(),
            "request.args".to_string(),
            vec![]
        )]
    );
    let django = "from django.http import HttpResponse\n\
def article(request, slug):\n    log.info(\"a %s\", slug)\n    log.info(\"b %s\", request.GET[\"q\"])\n    log.info(\"c %s\", request.user)\n\n\
class V(View):\n    def get(self, request):\n        log.info(\"d %s\", self.request.META[\"HTTP_X\"])\n";
    assert_eq!(
        sinks(Python, &s, django),
        [
            "log.info(\"a %s\", slug)",
            "log.info(\"b %s\", request.GET[\"q\"])",
            "log.info(\"d %s\", self.request.META[\"HTTP_X\"])",
        ]
    );
    let starlette = "from starlette.requests import Request\n\
async def page(req: Request):\n    log.info(\"p %s\", req.query_params[\"q\"])\n\n\
def not_first(client, request):\n    log.info(\"x %s\", request.query_params)\n";
    assert_eq!(
        sinks(Python, &s, starlette),
        ["log.info(\"p %s\", req.query_params[\"q\"])"]
    );
}

#[test]
fn javascript_java_go_request_objects_need_a_handler_context() {
    let s = taint("console.log($SINK)", &["@request"]);
    let src = "async function send(url) {\n  const request = new Request(url);\n  console.log(request.url);\n}\n\
fastify.get('/é', async (request, reply) => {\n  console.log(request.query.name);\n});\n\
function retry(request) {\n  console.log(request.url);\n}\n";
    assert_eq!(
        sinks(JavaScript, &s, src),
        ["console.log(request.query.name)"]
    );

    let s = taint("$L.info($F, $SINK)", &["@request"]);
    let src = "class C {\n  HttpServletRequest request;\n\
  void a(ClassicHttpRequest out) { log.info(\"é {}\", out.getHeader(\"Host\")); }\n\
  void b(HttpGet get) { log.info(\"é {}\", get.getHeaders(\"Accept\")); }\n\
  void c() { log.info(\"é {}\", request.getParameter(\"q\")); }\n\
  void d(HttpServletRequest in) { String a = in.getHeader(\"A\"); log.info(\"é {}\", a); }\n}\n";
    assert_eq!(
        sinks(Java, &s, src),
        [
            "log.info(\"é {}\", a)",
            "log.info(\"é {}\", request.getParameter(\"q\"))"
        ]
    );

    let s = taint("log.Printf($F, $SINK)", &["@request"]);
    let src = "package main\n\
func (t tr) RoundTrip(req *http.Request) (*http.Response, error) {\n\tlog.Printf(\"é %s\", req.URL.Path)\n\treturn nil, nil\n}\n\
func send(url string) {\n\treq, _ := http.NewRequest(\"GET\", url, nil)\n\tlog.Printf(\"é %s\", req.URL.RawQuery)\n}\n\
func reg() {\n\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) {\n\t\tlog.Printf(\"é %s\", r.URL.RawQuery)\n\t})\n}\n";
    assert_eq!(sinks(Go, &s, src), ["log.Printf(\"é %s\", r.URL.RawQuery)"]);
}

/// A sink whose result only feeds a built-in numeric sanitizer still runs (`.length` of the
/// nodes an XPath query selected); a rule's own sanitizer around it still clears it.
#[test]
fn a_sink_under_a_numeric_sanitizer_is_reported() {
    let s = taint("xpath.select($SINK, $$$)", &["@request"]);
    let src = "app.get('/é', (req, res) => {\n  const q = \"//user[name='\" + req.query.name + \"']\";\n  res.sendStatus(xpath.select(q, doc).length ? 200 : 401);\n});\n";
    assert_eq!(sinks(JavaScript, &s, src), ["xpath.select(q, doc)"]);
    let mut s = taint("xpath.select($SINK, $$$)", &["@request"]);
    s.sanitizers = vec!["$X.length".into()];
    assert!(sinks(JavaScript, &s, src).is_empty());
}

/// A server framework imported as a bare module (`import tornado.web`) marks the file too; the
/// import table records it, so adding or removing that import re-analyses every unit.
#[test]
fn a_bare_framework_import_marks_a_server_file() {
    let s = taint("$L.info($F, $SINK, $$$)", &["@request"]);
    let handler = "class H(tornado.web.RequestHandler):\n    def get(self):\n        log.info(\"é %s\", self.request.uri)\n";
    assert!(sinks(Python, &s, handler).is_empty());
    let with_import = format!("import tornado.web\n{handler}");
    assert_eq!(
        sinks(Python, &s, &with_import),
        ["log.info(\"é %s\", self.request.uri)"]
    );
    let doc = codetable::Document::new(Python, &with_import).unwrap();
    assert!(doc.imports().modules().any(|m| m == "tornado.web"));
}

/// Review causes of session 10: a conditional's condition only picks a branch, a constant
/// picked from a tuple or array by a tainted key is a constant, and a definition that an `if`
/// replaces whenever the value is set reaches later uses only as the empty constant.
#[test]
fn conditions_keys_and_replaced_definitions_do_not_carry_taint() {
    let s = taint("$C.execute($SINK)", &["@params"]);
    let src = "def vote(cur, up, i, col, **kw):
    cur.execute(\"UPDATE c SET \" + (\"likes\" if up else \"dislikes\"))
    word = (\"ASC\", \"DESC\")[i]
    cur.execute(\"SELECT 1 ORDER BY id \" + word)
    cur.execute(\"UPDATE c SET \" + (col if up else \"dislikes\"))
    p = kw.get(\"p\", \"\")
    if p != \"\":
        p = quote(p)
    cur.execute(\"SELECT \" + p)
    q = kw.get(\"q\", \"\")
    if q != \"\":
        log(q)
    cur.execute(\"SELECT \" + q)\n";
    let s = RuleSpec {
        sanitizers: vec!["quote($X)".into()],
        ..s
    };
    assert_eq!(
        sinks(Python, &s, src),
        [
            "cur.execute(\"SELECT \" + q)",
            "cur.execute(\"UPDATE c SET \" + (col if up else \"dislikes\"))",
        ]
    );
    let js = taint("$DB.query($SINK)", &["@params"]);
    let src = "function list(db, desc, i, col) {
  db.query(\"SELECT 1 ORDER BY id \" + (desc ? \"DESC\" : \"ASC\"));
  const dir = [\"ASC\", \"DESC\"][i];
  db.query(\"SELECT 1 ORDER BY id \" + dir);
  db.query(\"SELECT 1 ORDER BY \" + (desc ? col : \"id\"));
}\n";
    assert_eq!(
        sinks(JavaScript, &js, src),
        ["db.query(\"SELECT 1 ORDER BY \" + (desc ? col : \"id\"))"]
    );
}
