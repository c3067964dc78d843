//! Taint rules: a rule whose `pattern` is a sink and whose `sources` are templates matches only
//! when code that a source produced reaches the sink's `$SINK` metavariable (every captured
//! metavariable when the sink has no `$SINK`) inside the same unit.
//!
//! This module owns compiling the taint parts of a [`RuleSpec`](super::RuleSpec) (sources,
//! sanitizers, propagators and the built-in sets named `@…`) and deciding, per sink match,
//! whether tainted code reaches it, with the path it took.
//!
//! Flow is intra-procedural and reads only the nodes the unit owns (as [`flow`] does), so a
//! unit's findings still depend on the unit alone. An expression is tainted when a node of it
//! (outside a nested unit, outside a sanitizer's match) is
//!
//! - a source match (same bytes), or
//! - with `@params` among the sources, any parameter of the unit's function (but `self`,
//!   `cls`, `this` and Go receivers): library code handed its input, or
//! - a use of a local one of whose definitions reaching the use has a tainted value (any
//!   number of hops, through assignments, declarations, `+=`, destructuring), or a
//!   parameter of a function a source template matched (request handlers; not a parameter
//!   declared with a numeric or boolean type, such as `@PathVariable long id`), or a loop
//!   variable over a tainted iterable, or
//! - a use of a local that a propagator match before the use fed with tainted code
//!   (`$TO.append($FROM)`, `$TO.push($FROM)`, `$TO.put($K, $FROM)`, …).
//!
//! Since every node under an expression counts, string building (concatenation, f-strings,
//! template literals, `format`, `join`, `%`), containers literals and calls pass taint from their
//! parts to the whole: **a call passes taint from its arguments and receiver to its result
//! unless a sanitizer template matches it**. Listed `propagators` add flows that are not
//! part of an expression (a container or builder mutated in place). The built-in sanitizers
//! (numeric conversions, `len`) apply to every taint rule. A use of a local after an `if`
//! whose condition names it and looks like validation (`startswith`, `HasPrefix`, allow-lists,
//! `is_safe_url`, `.has(`, `.includes(`) is taken as checked: flow is not path-sensitive, so
//! this trades the rare unchecked branch for the common early return.
//!
//! Sanitisers a project writes (issue #15, session 9): besides the templates a rule lists, a
//! call is clean when the project declared its function ([`crate::Engine::set_sanitizers`],
//! `codetable.toml`'s `sanitizers`) or when its name says it sanitises ([`named_sanitizer`]: a
//! heuristic on whole words, `get_safe_redirect`, `escape_sqlite`; a name that names another
//! context than the rule's `@context:` entries does not count). A declared function called in
//! an `if` condition guards the value as the words above do. For URL sinks (`@context:url`),
//! a keyword argument of a call (`url_for("login", next=request.url)`) carries query data,
//! not the target, unless the call is a string format.
//!
//! Review causes (session 10): for URL sinks, a URL built from pieces (`+`, f-strings, template
//! literals) is tainted only through the pieces before a `?`/`#` of its text or before a prefix
//! that fixes its origin (`/login/`, `https://` + a clean host + `/`). For log and header sinks
//! (`@context:log`, `@context:header`), whose hazard is the sender's CR/LF written as sent, a
//! call passes taint through its receiver only, unless it converts, formats, joins, decodes or
//! parses text (`str`, `format`, `join`, `Sprintf`, `parse_qs`…): a record looked up by a
//! request's id is not the request's text; Python's `{x!r}` escapes CR/LF in a log, and so
//! does `str(request)` of the handler's request object itself (a summary quoting the path). A function
//! literal with a block body inside a value (a callback handed to a builder) does not taint
//! the value. `!X` entries remove templates or sets from a rule's lists (see [`expand`]).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use tree_sitter::Node;

use super::flow::{embedded_names, Def, Locals};
use super::lang::LangInfo;
use super::request::Requests;
use super::{Rule, RuleError, RuleMatch, RuleSpec, UnitNodes};
use crate::budget::Meter;
use crate::document::Document;
use crate::language::Language;

/// How many definitions deep taint follows a name.
const MAX_HOPS: u32 = 12;
/// Nodes one sink check may visit before it gives up (as untainted).
const MAX_VISITS: u32 = 20_000;

/// The compiled taint parts of a rule.
#[derive(Clone)]
pub(crate) struct Taint {
    /// `where` regexes on `$SINK`: each must match the sink's code or the text of a step or
    /// the source of the path (the query text is often built on an earlier line).
    path_regex: Vec<Arc<regex::Regex>>,
    /// `@params`: every parameter of the unit's function is a source.
    params: bool,
    /// The sink template has `$$$` on both sides of `$SINK` (`f($$$A, $SINK, $$$B)`): the
    /// matcher binds `$SINK` to the first place it fits, so the later siblings are tried too.
    sink_spread: bool,
    /// `@input` or `@request`: handler parameters recognised by their types or annotations
    /// (see [`param_source`]) are sources.
    handlers: bool,
    /// How many of `sanitizers` the rule lists itself (the rest are the built-in `@numeric`).
    own_sanitizers: usize,
    /// The contexts of the rule's sink (`@context:sql` entries of `sanitizers`): a sanitiser
    /// recognised by its name that names another context only (`escape_html` for SQL) does not
    /// clean for this rule (see [`named_sanitizer`]).
    contexts: Vec<String>,
    /// Compiled once per process for every taint rule that lists the same template (see
    /// [`compile_all`]), so a unit's matches of one are found once for all of them.
    sources: Vec<Arc<Rule>>,
    sanitizers: Vec<Arc<Rule>>,
    propagators: Vec<Arc<Rule>>,
}

/// A path from a source to a sink argument.
#[derive(Clone, Debug)]
struct Flow {
    /// Bytes of the source (a source match, or a handler parameter).
    source: Range<usize>,
    /// Bytes of the definitions and propagator calls it went through, source side first.
    steps: Vec<Range<usize>>,
}

/// The built-in templates a `@name` entry stands for, per language.
fn builtin(language: Language, name: &str) -> Option<&'static [&'static str]> {
    use Language::*;
    Some(match (name, language) {
        ("@input", Python) => PY_INPUT,
        ("@input", JavaScript | TypeScript | Tsx) => JS_INPUT,
        ("@input", Java) => JAVA_INPUT,
        ("@input", Go) => GO_INPUT,
        ("@input", Kotlin) => KOTLIN_INPUT,
        ("@input", Rust) => RUST_INPUT,
        ("@numeric", Kotlin) => KOTLIN_NUMERIC,
        ("@numeric", Rust) => RUST_NUMERIC,
        ("@containers", Kotlin) => KOTLIN_CONTAINERS,
        ("@containers", Rust) => RUST_CONTAINERS,
        ("@numeric", Python) => PY_NUMERIC,
        ("@numeric", JavaScript | TypeScript | Tsx) => JS_NUMERIC,
        ("@numeric", Java) => JAVA_NUMERIC,
        ("@numeric", Go) => GO_NUMERIC,
        ("@containers", Python) => PY_CONTAINERS,
        ("@containers", JavaScript | TypeScript | Tsx) => JS_CONTAINERS,
        ("@containers", Java) => JAVA_CONTAINERS,
        ("@containers", Go) => &[],
        ("@browser", JavaScript | TypeScript | Tsx) => JS_BROWSER,
        ("@input" | "@numeric" | "@containers" | "@browser", _) => &[],
        _ => return None,
    })
}

/// Python input: request handlers of Flask and FastAPI (by their route decorators), the
/// request objects of Flask, Django, DRF, Starlette/FastAPI, aiohttp and Tornado (`$REQ`: only
/// where that code is a framework's incoming request, see `request`; the other parameters of a
/// Django-style view are found in [`Ctx::unvalued`]) and the process's arguments, environment
/// and standard input.
const PY_INPUT: &[&str] = &[
    "def $F($$$):\n    $$$ @inside @$A.route($$$)\ndef $F($$$):\n    $$$",
    "def $F($$$):\n    $$$ @inside @$A.get($$$)\ndef $F($$$):\n    $$$",
    "def $F($$$):\n    $$$ @inside @$A.post($$$)\ndef $F($$$):\n    $$$",
    "def $F($$$):\n    $$$ @inside @$A.put($$$)\ndef $F($$$):\n    $$$",
    "def $F($$$):\n    $$$ @inside @$A.delete($$$)\ndef $F($$$):\n    $$$",
    "def $F($$$):\n    $$$ @inside @$A.patch($$$)\ndef $F($$$):\n    $$$",
    "async def $F($$$):\n    $$$ @inside @$A.route($$$)\nasync def $F($$$):\n    $$$",
    "async def $F($$$):\n    $$$ @inside @$A.get($$$)\nasync def $F($$$):\n    $$$",
    "async def $F($$$):\n    $$$ @inside @$A.post($$$)\nasync def $F($$$):\n    $$$",
    "async def $F($$$):\n    $$$ @inside @$A.put($$$)\nasync def $F($$$):\n    $$$",
    "async def $F($$$):\n    $$$ @inside @$A.delete($$$)\nasync def $F($$$):\n    $$$",
    "$REQ.args",
    "$REQ.form",
    "$REQ.values",
    "$REQ.json",
    "$REQ.data",
    "$REQ.cookies",
    "$REQ.headers",
    "$REQ.files",
    "$REQ.get_json($$$)",
    "$REQ.get_data($$$)",
    "$REQ.GET",
    "$REQ.POST",
    "$REQ.body",
    "$REQ.COOKIES",
    "$REQ.META",
    "$REQ.FILES",
    "$REQ.query_params",
    "$REQ.path_params",
    "$REQ.path",
    "$REQ.full_path",
    "$REQ.url",
    "$REQ.query_string",
    "$REQ.query",
    "$REQ.uri",
    "$REQ.arguments",
    "$REQ.query_arguments",
    "$REQ.body_arguments",
    "$REQ.match_info",
    "$REQ.rel_url",
    "$REQ.json()",
    "$REQ.form()",
    "$REQ.body()",
    "$REQ.post()",
    "$REQ.text()",
    "$REQ.read()",
    "self.get_argument($$$)",
    "self.get_arguments($$$)",
    "self.get_query_argument($$$)",
    "self.get_body_argument($$$)",
    "self.get_cookie($$$)",
    "input($$$)",
    "sys.argv",
    "sys.stdin",
    "os.environ",
    "os.getenv($$$)",
    "os.environ.get($$$)",
];

const JS_INPUT: &[&str] = &[
    "$REQ.query",
    "$REQ.body",
    "$REQ.params",
    "$REQ.headers",
    "$REQ.cookies",
    "$REQ.signedCookies",
    "$REQ.url",
    "$REQ.originalUrl",
    "$REQ.path",
    "$REQ.hostname",
    "$REQ.files",
    "$REQ.file",
    "$REQ.get($$$)",
    "$REQ.header($$$)",
    "$REQ.param($$$)",
    "$REQ.request.body",
    "$REQ.request.query",
    "$REQ.request.files",
    "$REQ.querystring",
    "process.argv",
    "process.env",
    "location.hash",
    "location.search",
    "location.href",
    "location.pathname",
    "window.location",
    "document.location",
    "document.URL",
    "document.documentURI",
    "document.referrer",
    "document.cookie",
    "window.name",
    "$U.searchParams.get($$$)",
    "$E.target.value",
];

/// The browser's own inputs among [`JS_INPUT`] (the page's URL, referrer, cookies, window name,
/// a form field's value): `!@browser` removes them from a rule whose hazard is on the server
/// (a `fetch` in a page is no server-side request forgery).
const JS_BROWSER: &[&str] = &[
    "location.hash",
    "location.search",
    "location.href",
    "location.pathname",
    "window.location",
    "document.location",
    "document.URL",
    "document.documentURI",
    "document.referrer",
    "document.cookie",
    "window.name",
    "$E.target.value",
];

const JAVA_INPUT: &[&str] = &[
    "$REQ.getParameter($$$)",
    "$REQ.getParameterValues($$$)",
    "$REQ.getParameterMap()",
    "$REQ.getParameterNames()",
    "$REQ.getHeader($$$)",
    "$REQ.getHeaders($$$)",
    "$REQ.getQueryString()",
    "$REQ.getCookies()",
    "$REQ.getPathInfo()",
    "$REQ.getRequestURI()",
    "$REQ.getRequestURL()",
    "$REQ.getInputStream()",
    "$REQ.getReader()",
    "System.getenv($$$)",
    "System.getProperty($$$)",
    "@RequestMapping($$$)\n$R $M($$$) { $$$ }",
    "@GetMapping($$$)\n$R $M($$$) { $$$ }",
    "@PostMapping($$$)\n$R $M($$$) { $$$ }",
    "@PutMapping($$$)\n$R $M($$$) { $$$ }",
    "@DeleteMapping($$$)\n$R $M($$$) { $$$ }",
    "@PatchMapping($$$)\n$R $M($$$) { $$$ }",
    "@GET\n$R $M($$$) { $$$ }",
    "@POST\n$R $M($$$) { $$$ }",
    "@PUT\n$R $M($$$) { $$$ }",
    "@DELETE\n$R $M($$$) { $$$ }",
    "public static void main(String[] $A) { $$$ }",
];

const GO_INPUT: &[&str] = &[
    "func $F($W http.ResponseWriter, $R *http.Request) { $$$ }",
    "func ($S $T) $F($W http.ResponseWriter, $R *http.Request) { $$$ }",
    "func $F($C *gin.Context) { $$$ }",
    "func ($S $T) $F($C *gin.Context) { $$$ }",
    "func $F($C echo.Context) error { $$$ }",
    "func $F($C *fiber.Ctx) error { $$$ }",
    "os.Args",
    "os.Getenv($$$)",
    "os.LookupEnv($$$)",
    "flag.Arg($$$)",
    "flag.Args()",
    "mux.Vars($$$)",
    "$REQ.FormValue($$$)",
    "$REQ.PostFormValue($$$)",
    "$REQ.PathValue($$$)",
    "$REQ.URL.Query()",
    "$REQ.URL.RawQuery",
    "$REQ.URL.Path",
];

/// Kotlin input: Ktor's call (`call.parameters`, `call.receive…`, the request's query
/// parameters, headers and cookies), servlet requests read with property syntax, the process's
/// arguments, environment and standard input. Spring handler parameters are found by their
/// annotations (see [`param_source`]).
const KOTLIN_INPUT: &[&str] = &[
    "call.parameters",
    "call.receive<$T>()",
    "call.receiveNullable<$T>()",
    "call.receiveText()",
    "call.receiveParameters()",
    "call.receiveMultipart()",
    "call.receiveChannel()",
    "call.receiveStream()",
    "call.request.queryParameters",
    "call.request.headers",
    "call.request.cookies",
    "call.request.uri",
    "call.request.queryString()",
    "call.request.path()",
    "call.request.header($$$)",
    "$REQ.getParameter($$$)",
    "$REQ.getParameterValues($$$)",
    "$REQ.getHeader($$$)",
    "$REQ.getQueryString()",
    "$REQ.queryString",
    "$REQ.parameterMap",
    "$REQ.requestURI",
    "$REQ.pathInfo",
    "$REQ.inputStream",
    "$REQ.reader",
    "fun main($A: Array<String>) { $$$ }",
    "System.getenv($$$)",
    "System.getProperty($$$)",
    "readLine()",
    "readln()",
    "readlnOrNull()",
];

/// Rust input: the process's arguments, environment and standard input. Handler parameters of
/// axum, actix-web and rocket are found by their extractor types and route attributes (see
/// [`param_source`]).
const RUST_INPUT: &[&str] = &[
    "std::env::args()",
    "env::args()",
    "std::env::args_os()",
    "env::args_os()",
    "std::env::var($$$)",
    "env::var($$$)",
    "std::env::var_os($$$)",
    "env::var_os($$$)",
    "std::io::stdin()",
    "io::stdin()",
    "stdin()",
];

const KOTLIN_NUMERIC: &[&str] = &[
    "$X.toInt()",
    "$X.toLong()",
    "$X.toIntOrNull()",
    "$X.toLongOrNull()",
    "$X?.toInt()",
    "$X?.toLong()",
    "$X?.toIntOrNull()",
    "$X?.toLongOrNull()",
    "$X.toDouble()",
    "$X.toBoolean()",
    "Integer.parseInt($$$)",
    "java.lang.Long.parseLong($$$)",
    "UUID.fromString($X)",
    "$X.length",
    "$X.size",
];
const RUST_NUMERIC: &[&str] = &["$X.len()", "$X.parse::<$T>()", "Uuid::parse_str($X)"];

const KOTLIN_CONTAINERS: &[&str] = &[
    "$TO.add($FROM)",
    "$TO.append($FROM)",
    "$TO.put($K, $FROM)",
    "$TO.addAll($FROM)",
    "$TO[$K] = $FROM",
];
const RUST_CONTAINERS: &[&str] = &[
    "$TO.push($FROM)",
    "$TO.push_str($FROM)",
    "$TO.insert($K, $FROM)",
    "$TO.extend($FROM)",
];

const PY_NUMERIC: &[&str] = &[
    "int($X)",
    "float($X)",
    "bool($X)",
    "len($X)",
    "uuid.UUID($$$)",
];
const JS_NUMERIC: &[&str] = &[
    "parseInt($$$)",
    "parseFloat($X)",
    "Number($X)",
    "Boolean($X)",
    "$X.length",
];
const JAVA_NUMERIC: &[&str] = &[
    "Integer.parseInt($$$)",
    "Long.parseLong($$$)",
    "Integer.valueOf($$$)",
    "Long.valueOf($$$)",
    "Double.parseDouble($X)",
    "Boolean.parseBoolean($X)",
    "UUID.fromString($X)",
    "$X.length()",
];
const GO_NUMERIC: &[&str] = &[
    "strconv.Atoi($X)",
    "strconv.ParseInt($$$)",
    "strconv.ParseUint($$$)",
    "strconv.ParseFloat($$$)",
    "strconv.ParseBool($X)",
    "len($X)",
];

const PY_CONTAINERS: &[&str] = &[
    "$TO.append($FROM)",
    "$TO.extend($FROM)",
    "$TO.insert($I, $FROM)",
    "$TO.add($FROM)",
    "$TO.update($FROM)",
    "$TO.write($FROM)",
    "$TO[$K] = $FROM",
];
const JS_CONTAINERS: &[&str] = &[
    "$TO.push($FROM)",
    "$TO.unshift($FROM)",
    "$TO.set($K, $FROM)",
    "$TO.append($K, $FROM)",
    "$TO[$K] = $FROM",
];
const JAVA_CONTAINERS: &[&str] = &[
    "$TO.append($FROM)",
    "$TO.add($FROM)",
    "$TO.put($K, $FROM)",
    "$TO.addAll($FROM)",
    "$TO.insert($I, $FROM)",
];

/// True for an `@input` template that reads the process's own inputs (arguments, environment,
/// standard input) rather than a request.
fn process_input(template: &str) -> bool {
    const WORDS: &[&str] = &[
        "argv",
        "environ",
        "getenv",
        "Getenv",
        "LookupEnv",
        "process.env",
        "stdin",
        "input(",
        "getProperty",
        "os.Args",
        "flag.",
        "main(String",
        "Array<String>",
        "readLine",
        "readln",
        "env::",
    ];
    WORDS.iter().any(|w| template.contains(w))
}

/// Expands `@name` entries (built-in sets) and keeps templates as written. An entry `!X` (a
/// template or a set) removes `X` from what the other entries give, whatever their order:
/// `["@request", "!$REQ.headers", "!@browser"]` is the request sources without headers and
/// without the browser's own URL. Removing what no entry gives is an error (a typo would
/// otherwise remove nothing silently).
fn expand(
    language: Language,
    role: &'static str,
    list: &[String],
) -> Result<Vec<String>, RuleError> {
    let (removed, kept): (Vec<&String>, Vec<&String>) =
        list.iter().partition(|t| t.trim().starts_with('!'));
    let kept: Vec<String> = kept.into_iter().cloned().collect();
    let mut out = expand_kept(language, role, &kept)?;
    for r in removed {
        let r = r.trim().trim_start_matches('!').trim().to_string();
        let gone = expand_kept(language, role, std::slice::from_ref(&r))?;
        let before = out.len();
        out.retain(|t| !gone.contains(t));
        if out.len() == before {
            return Err(RuleError::RemovesNothing { role, name: r });
        }
    }
    Ok(out)
}

/// [`expand`] without removals.
fn expand_kept(
    language: Language,
    role: &'static str,
    list: &[String],
) -> Result<Vec<String>, RuleError> {
    let mut out = Vec::new();
    for t in list {
        let t = t.trim();
        if t == "@request" {
            // `@input` without the process's own inputs: for hazards where the command line,
            // the environment and standard input belong to the user running the program
            // (a CLI opening `$PYTHONSTARTUP` is not path traversal).
            let all = builtin(language, "@input").unwrap_or(&[]);
            out.extend(
                all.iter()
                    .filter(|s| !process_input(s))
                    .map(|s| s.to_string()),
            );
        } else if t.starts_with('@') && !t.contains(char::is_whitespace) {
            match builtin(language, t) {
                Some(set) => out.extend(set.iter().map(|s| s.to_string())),
                None => {
                    return Err(RuleError::UnknownSet {
                        role,
                        name: t.to_string(),
                    })
                }
            }
        } else {
            out.push(t.to_string());
        }
    }
    Ok(out)
}

/// Whether a sink template is `f($$$A, $SINK, $$$B)`-like: `$SINK` between two `$$$` sequence
/// metavariables, separated by commas (then every argument is tried as the sink). Written out
/// rather than as a process-wide regex, whose match caches would outlive every engine.
fn sink_between_spreads(pattern: &str) -> bool {
    pattern.match_indices("$SINK").any(|(at, sink)| {
        let after = &pattern[at + sink.len()..];
        if after.starts_with(|c: char| c == '_' || c.is_alphanumeric()) {
            return false;
        }
        let before = pattern[..at].trim_end();
        let Some(before) = before.strip_suffix(',') else {
            return false;
        };
        let before = before.trim_end();
        let name_start = before
            .trim_end_matches(|c: char| c == '_' || c.is_alphanumeric())
            .len();
        let spread_before = before[..name_start].ends_with("$$$");
        let after = after.trim_start();
        spread_before
            && after
                .strip_prefix(',')
                .is_some_and(|a| a.trim_start().starts_with("$$$"))
    })
}

/// Compiles the templates of one taint role. A template (with its `@inside` context) is
/// compiled once per language in the process and shared by every taint rule that lists it (a
/// family's sinks are one rule each, all with the same sources: compiling them per rule cost
/// most of a language's first use). Sharing the compiled rule also lets a unit find its matches
/// once for every taint rule (see [`UnitNodes::shared_matches`]).
fn compile_all(
    language: Language,
    role: &'static str,
    list: &[String],
) -> Result<Vec<Arc<Rule>>, RuleError> {
    list.iter()
        .map(|p| {
            // A built-in template may need its context: `pattern @inside context`.
            let (pattern, inside) = match p.split_once(" @inside ") {
                Some((a, b)) => (a.to_string(), vec![b.to_string()]),
                None => (p.clone(), Vec::new()),
            };
            shared_template(language, pattern, inside).map_err(|e| e.in_role(role))
        })
        .collect()
}

/// Key of a shared taint template: language, pattern and `inside` templates.
type TemplateKey = (Language, String, Vec<String>);
/// The shared templates (weak) and the size at which dead entries are swept next. A `BTreeMap`,
/// not a hash map (whose table is held by a pointer into its middle): what the process keeps
/// at exit stays plainly reachable to leak checkers (the C suite runs under valgrind).
type TemplateTable = (
    std::collections::BTreeMap<TemplateKey, std::sync::Weak<Rule>>,
    usize,
);

/// The compiled template rule for `pattern` with `inside`, shared while any taint rule holds it:
/// the process keeps weak references only, so templates of dropped engines are freed (a dead
/// entry is replaced when its template is compiled again, and dead entries are swept whenever
/// the table doubles).
fn shared_template(
    language: Language,
    pattern: String,
    inside: Vec<String>,
) -> Result<Arc<Rule>, RuleError> {
    use std::sync::{Mutex, OnceLock, Weak};
    static SHARED: OnceLock<Mutex<TemplateTable>> = OnceLock::new();
    let table = SHARED.get_or_init(|| Mutex::new((std::collections::BTreeMap::new(), 64)));
    let key = (language, pattern, inside);
    if let Some(rule) = table
        .lock()
        .ok()
        .and_then(|t| t.0.get(&key).and_then(Weak::upgrade))
    {
        return Ok(rule);
    }
    // Compiled outside the lock: two threads may both compile a template the first time; the
    // later one's copy replaces the earlier in the table (both are the same rule).
    let spec = RuleSpec {
        pattern: key.1.clone(),
        inside: key.2.clone(),
        ..RuleSpec::default()
    };
    let rule = Arc::new(Rule::compile(language, &spec)?);
    if let Ok(mut t) = table.lock() {
        let (map, sweep_at) = &mut *t;
        if map.len() >= *sweep_at {
            map.retain(|_, w| w.strong_count() > 0);
            *sweep_at = (map.len() * 2).max(64);
        }
        map.insert(key, Arc::downgrade(&rule));
    }
    Ok(rule)
}

impl Taint {
    /// The taint parts of `spec`, or `None` when it has no `sources` (a plain rule).
    pub(crate) fn compile(
        language: Language,
        spec: &RuleSpec,
        path_regex: Vec<Arc<regex::Regex>>,
    ) -> Result<Option<Taint>, RuleError> {
        if spec.sources.is_empty() {
            if let Some((role, _)) = [
                ("sanitizers", &spec.sanitizers),
                ("propagators", &spec.propagators),
            ]
            .into_iter()
            .find(|(_, l)| !l.is_empty())
            {
                return Err(RuleError::TaintWithoutSources { role });
            }
            return Ok(None);
        }
        let params = spec.sources.iter().any(|s| s.trim() == "@params");
        let handlers = spec
            .sources
            .iter()
            .any(|s| matches!(s.trim(), "@input" | "@request"));
        let listed: Vec<String> = spec
            .sources
            .iter()
            .filter(|s| s.trim() != "@params")
            .cloned()
            .collect();
        let sources = compile_all(language, "sources", &expand(language, "sources", &listed)?)?;
        let mut contexts = Vec::new();
        let mut listed_sanitizers = Vec::new();
        for s in &spec.sanitizers {
            match s.trim().strip_prefix("@context:") {
                Some(c) if CONTEXTS.iter().any(|(name, _)| *name == c.trim()) => {
                    contexts.push(c.trim().to_string())
                }
                Some(_) => {
                    return Err(RuleError::UnknownSet {
                        role: "sanitizers",
                        name: s.trim().to_string(),
                    })
                }
                None => listed_sanitizers.push(s.clone()),
            }
        }
        let own = expand(language, "sanitizers", &listed_sanitizers)?;
        let own_sanitizers = own.len();
        let mut san = own;
        san.extend(expand(language, "sanitizers", &["@numeric".to_string()])?);
        let sanitizers = compile_all(language, "sanitizers", &san)?;
        let mut props = spec.propagators.clone();
        props.push("@containers".into());
        let propagators = compile_all(
            language,
            "propagators",
            &expand(language, "propagators", &props)?,
        )?;
        for p in &propagators {
            for v in ["$TO", "$FROM"] {
                if !p.vars[..p.reported].iter().any(|d| d.key == v) {
                    return Err(RuleError::Propagator {
                        pattern: p.spec.pattern.clone(),
                    });
                }
            }
        }
        Ok(Some(Taint {
            path_regex,
            params,
            handlers,
            sink_spread: sink_between_spreads(&spec.pattern),
            own_sanitizers,
            contexts,
            sources,
            sanitizers,
            propagators,
        }))
    }

    /// Every compiled template rule of the taint parts.
    pub(crate) fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.sources
            .iter()
            .chain(&self.sanitizers)
            .chain(&self.propagators)
            .map(|r| &**r)
    }

    /// Keeps the sink matches that tainted code reaches, with their paths.
    pub(crate) fn filter<'t>(
        self: &Arc<Self>,
        doc: &'t Document,
        nodes: &UnitNodes<'t>,
        info: &'static LangInfo,
        sinks: Vec<RuleMatch>,
        meter: &Meter,
    ) -> Vec<RuleMatch> {
        let text = doc.text();
        let ranges = |rules: &[Arc<Rule>]| -> Vec<Range<usize>> {
            let mut v: Vec<Range<usize>> = Vec::new();
            for r in rules {
                v.extend(
                    nodes
                        .shared_matches(r, doc, meter)
                        .iter()
                        .map(|m| m.byte_range.clone()),
                );
            }
            v.sort_by_key(|r| (r.start, r.end));
            v.dedup();
            v
        };
        let requests = Requests {
            info,
            text,
            locals: nodes.locals(info, text),
            imports: doc.imports(),
        };
        // A source template naming the request `$REQ` counts only where that code is a web
        // framework's incoming request (see `request`).
        let mut sources: Vec<Range<usize>> = Vec::new();
        for r in &self.sources {
            let needs_request = r.vars[..r.reported].iter().any(|d| d.key == "$REQ");
            for m in nodes.shared_matches(r, doc, meter).iter() {
                if needs_request {
                    let req = m
                        .captures
                        .iter()
                        .find(|c| c.name == "$REQ")
                        .and_then(|c| node_at(nodes, c.byte_range.clone()));
                    if !req.is_some_and(|n| requests.is_request(n, 0)) {
                        continue;
                    }
                }
                sources.push(m.byte_range.clone());
            }
        }
        sources.sort_by_key(|r| (r.start, r.end));
        sources.dedup();
        // Without a source match, taint can only start at a parameter: any one with `@params`,
        // a handler's only where the request module says the unit can have some
        // (`Requests::may_have_handler_params`). Otherwise nothing in the unit is tainted.
        let from_params = self.params
            || (self.handlers
                && (nodes.exhaustive
                    || nodes
                        .entries
                        .first()
                        .is_some_and(|e| requests.may_have_handler_params(e.node))));
        if sources.is_empty() && !from_params {
            return Vec::new();
        }
        let clean = ranges(&self.sanitizers);
        // Only the rule's own sanitizers make a sink that is their receiver harmless
        // (`File(name).name` opens nothing); a number taken of a sink's result does not
        // (`xpath.select(q, doc).length` still runs the query).
        let own_clean = ranges(&self.sanitizers[..self.own_sanitizers]);
        let mut props = Vec::new();
        for p in &self.propagators {
            for m in nodes.shared_matches(p, doc, meter).iter() {
                let get = |k: &str| m.captures.iter().find(|c| c.name == k);
                if let (Some(to), Some(from)) = (get("$TO"), get("$FROM")) {
                    props.push((
                        to.text.clone(),
                        m.byte_range.clone(),
                        from.byte_range.clone(),
                    ));
                }
            }
        }
        // `if` conditions that check a value against a prefix or an allow-list.
        let guards = nodes.guards.get_or_init(|| {
            let mut guards = Vec::new();
            for &(_, e) in &nodes.in_order {
                let n = nodes.entries[e as usize].node;
                if !n.kind().contains("if") {
                    continue;
                }
                if let Some(c) = n.child_by_field_name("condition") {
                    nodes.note_read(&c.byte_range());
                    let t = text.get(c.byte_range()).unwrap_or("");
                    let declared = || {
                        nodes
                            .sanitizer_names
                            .as_ref()
                            .is_some_and(|names| names.iter().any(|d| mentions(t, last_segment(d))))
                    };
                    if guard_words().is_match(t) || declared() {
                        guards.push((c.start_byte(), t));
                    }
                }
            }
            guards
        });
        let mut ctx = Ctx {
            contexts: &self.contexts,
            requests,
            guards,
            params: self.params,
            handlers: self.handlers,
            info,
            text,
            nodes,
            locals: nodes.locals(info, text),
            sources,
            clean,
            props,
            memo: HashMap::new(),
            via_call: false,
            visits: 0,
        };
        let mut out = Vec::new();
        for mut m in sinks {
            // A sink that is the receiver of one of the rule's sanitizers only feeds the
            // sanitizer (`File(name).name` opens nothing: it keeps the last segment). A sink merely
            // nested in a sanitizer's argument still runs (`len(root.findall(q))`,
            // `str(bool(re.match(rx, s)))`): it is reported.
            let r = &m.byte_range;
            if own_clean
                .iter()
                .any(|c| c.start == r.start && r.end < c.end)
            {
                continue;
            }
            let has_sink = m.captures.iter().any(|c| c.name == "$SINK");
            let mut found = None;
            for c in &m.captures {
                if (has_sink && c.name != "$SINK") || c.byte_range.is_empty() {
                    continue;
                }
                ctx.visits = 0;
                if let Some(f) = ctx.tainted(c.byte_range.clone(), 0) {
                    found = Some(f);
                    break;
                }
            }
            if found.is_none() && has_sink && self.sink_spread {
                found = m
                    .captures
                    .iter()
                    .find(|c| c.name == "$SINK")
                    .and_then(|c| ctx.later_arguments(c.byte_range.clone()));
            }
            let found = match found {
                Some(f) if !self.path_regex.is_empty() => {
                    let sink = m
                        .captures
                        .iter()
                        .find(|c| c.name == "$SINK")
                        .map(|c| c.byte_range.clone());
                    let mut texts: Vec<Range<usize>> = sink.into_iter().collect();
                    texts.push(f.source.clone());
                    texts.extend(f.steps.iter().cloned());
                    texts.extend(m.steps.iter().cloned());
                    let near = ctx.definitions_in(&texts);
                    texts.extend(near);
                    let ok = self.path_regex.iter().all(|re| {
                        texts
                            .iter()
                            .any(|r| re.is_match(text.get(r.clone()).unwrap_or("")))
                    });
                    ok.then_some(f)
                }
                other => other,
            };
            if let Some(f) = found {
                // Source side first, then the definitions the sink's own match went through.
                let mut steps = f.steps;
                for s in std::mem::take(&mut m.steps) {
                    if !steps.contains(&s) {
                        steps.push(s);
                    }
                }
                steps.retain(|s| *s != f.source);
                steps.dedup();
                m.steps = steps;
                m.source = Some(f.source);
                out.push(m);
            }
        }
        out
    }
}

/// The taint state of one unit for one rule.
struct Ctx<'a, 't> {
    /// The rule's sink contexts (see [`Taint::contexts`]).
    contexts: &'a [String],
    /// Which code is an incoming request, and which parameters are a view's input.
    requests: Requests<'a, 't>,
    /// (start, text) of `if` conditions that look like validation (see [`guard_words`]).
    guards: &'a [(usize, &'t str)],
    params: bool,
    handlers: bool,
    info: &'static LangInfo,
    text: &'t str,
    nodes: &'a UnitNodes<'t>,
    locals: Option<&'a Locals<'t>>,
    sources: Vec<Range<usize>>,
    clean: Vec<Range<usize>>,
    /// (name fed, propagator call, the code that feeds it).
    props: Vec<(String, Range<usize>, Range<usize>)>,
    memo: HashMap<(usize, usize, bool), Option<Flow>>,
    /// The code being scanned reaches the sink through a call's argument (`fetch(url)` whose
    /// response is the redirect target): a URL's pieces no longer decide the sink's target.
    via_call: bool,
    visits: u32,
}

impl<'t> Ctx<'_, 't> {
    fn has(list: &[Range<usize>], r: &Range<usize>) -> bool {
        list.binary_search_by_key(&(r.start, r.end), |x| (x.start, x.end))
            .is_ok()
    }

    /// The definitions reaching the uses of locals in `ranges` (one hop): where a query's
    /// text often is (`q = "SELECT …%s"` … `cur.execute(q % name)`, a builder's constructor).
    fn definitions_in(&self, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
        let Some(locals) = self.locals else {
            return Vec::new();
        };
        let order = &self.nodes.in_order;
        let entries = &self.nodes.entries;
        let mut out = Vec::new();
        for range in ranges {
            let from = order
                .partition_point(|&(_, e)| entries[e as usize].node.start_byte() < range.start);
            for &(_, e) in order[from..].iter().take(2_000) {
                let n = entries[e as usize].node;
                if n.start_byte() >= range.end {
                    break;
                }
                if n.end_byte() > range.end {
                    continue;
                }
                let mut names = embedded_names(self.info.language, self.text, n);
                if locals.is_local_use(n) {
                    names.push(self.text.get(n.byte_range()).unwrap_or(""));
                }
                for name in names {
                    out.extend(
                        locals
                            .reaching(name, n)
                            .into_iter()
                            .map(|d| d.range.clone()),
                    );
                }
            }
        }
        out
    }

    /// The flow that taints one of the arguments after the one at `range` (for a sink whose
    /// `$SINK` sits between two `$$$`: any of them could have been bound).
    fn later_arguments(&mut self, range: Range<usize>) -> Option<Flow> {
        let order = &self.nodes.in_order;
        let entries = &self.nodes.entries;
        let from =
            order.partition_point(|&(_, e)| entries[e as usize].node.start_byte() < range.start);
        let mut node = order[from..]
            .iter()
            .map(|&(_, e)| entries[e as usize].node)
            .take_while(|n| n.start_byte() == range.start)
            .find(|n| n.end_byte() == range.end)?;
        // Up through wrappers of the same extent (Kotlin's `value_argument`).
        while let Some(p) = node
            .parent()
            .filter(|p| p.byte_range() == node.byte_range())
        {
            node = p;
        }
        let mut next = node.next_named_sibling();
        while let Some(k) = next {
            if !self.info.ignored(k) {
                self.visits = 0;
                if let Some(f) = self.tainted(k.byte_range(), 0) {
                    return Some(f);
                }
            }
            next = k.next_named_sibling();
        }
        None
    }

    /// The flow that taints the code in `range`, if any.
    fn tainted(&mut self, range: Range<usize>, hops: u32) -> Option<Flow> {
        let key = (range.start, range.end, self.via_call);
        if let Some(f) = self.memo.get(&key) {
            return f.clone();
        }
        // A cycle (`x = x + y` in a loop) reads as untainted on the way back.
        self.memo.insert(key, None);
        let f = self.scan(range, hops);
        self.memo.insert(key, f.clone());
        f
    }

    fn scan(&mut self, range: Range<usize>, hops: u32) -> Option<Flow> {
        let order = &self.nodes.in_order;
        let entries = &self.nodes.entries;
        let node_at = |i: usize| entries[order[i].1 as usize].node;
        let from =
            order.partition_point(|&(_, e)| entries[e as usize].node.start_byte() < range.start);
        let mut skip_to = 0usize;
        for i in from..order.len() {
            self.visits += 1;
            if self.visits > MAX_VISITS {
                return None;
            }
            let n = node_at(i);
            let r = n.byte_range();
            if r.start >= range.end {
                break;
            }
            if r.end > range.end || r.start < skip_to {
                continue;
            }
            if Self::has(&self.clean, &r) || self.constant_lookup(n) || self.sanitizer_call(n) {
                skip_to = r.end;
                continue;
            }
            // A function with a block body written inside the value (a callback handed to a
            // builder) is not data the value carries: what its body reads is checked at the
            // sinks in that body (`app = new Koa().use(async (ctx) => { … })` is no request
            // value). An expression body is what the function returns (`xs.map(x => q[x])`):
            // it is followed.
            let block_body = || {
                n.child_by_field_name("body")
                    .is_some_and(|b| b.kind().contains("block"))
            };
            if r != range && FUNCTION_LITERALS.contains(&n.kind()) && block_body() {
                skip_to = r.end;
                continue;
            }
            // A URL built with a request value as a keyword argument (`url_for("login",
            // next=request.url)`, `make_login_url(view, next_url=request.url)`) carries it in
            // its query string: where the URL leads is the positional arguments' business.
            // A string format's keywords fill the text itself (`"{host}/x".format(host=h)`).
            let format = || {
                n.parent()
                    .and_then(|args| args.parent())
                    .and_then(|call| callee_text(call, self.text))
                    .is_some_and(|c| matches!(last_segment(c), "format" | "format_map"))
            };
            if n.kind() == "keyword_argument"
                && self.contexts.iter().any(|c| c == "url")
                && !format()
            {
                skip_to = r.end;
                continue;
            }
            if Self::has(&self.sources, &r) {
                return Some(Flow {
                    source: r,
                    steps: Vec::new(),
                });
            }
            // A conditional expression's value is one of its branches: its condition only picks
            // which (`"ASC" if desc else "DESC"`, `up ? "a" : "b"`), so constant branches make
            // a constant whatever decides between them.
            if let Some(branches) = conditional_branches(n) {
                for b in branches {
                    if let Some(f) = self.tainted(b.byte_range(), hops) {
                        return Some(f);
                    }
                }
                skip_to = r.end;
                continue;
            }
            // A URL built from pieces: only the pieces that can still choose where it leads.
            if self.contexts.iter().any(|c| c == "url")
                && !self.via_call
                && !self.in_arguments(n, &range)
            {
                if let Some(found) = self.url_pieces(n, r == range, hops) {
                    if found.is_some() {
                        return found;
                    }
                    skip_to = r.end;
                    continue;
                }
            }
            // A log line or a response header, whose hazard is the sender's CR/LF written as
            // sent: `{x!r}` escapes them in a log, and a value computed by a call from request
            // data (a lookup, a reply) is not the request's text (see `log_call`).
            let log = self.contexts.iter().any(|c| c == "log");
            if log || self.contexts.iter().any(|c| c == "header") {
                if log && (repr_interpolation(n, self.text) || self.request_summary(n)) {
                    skip_to = r.end;
                    continue;
                }
                if let Some(receiver) = self.log_call(n) {
                    if let Some(f) = receiver.and_then(|rc| self.tainted(rc.byte_range(), hops)) {
                        return Some(f);
                    }
                    skip_to = r.end;
                    continue;
                }
            }
            if hops < MAX_HOPS {
                // A local used in a call's argument reaches the sink as that call's result.
                let outer = self.via_call;
                self.via_call = outer || self.in_arguments(n, &range);
                let mut found = self.through_local(n, hops);
                if found.is_none() {
                    for name in embedded_names(self.info.language, self.text, n) {
                        found = self.through_name(name, n, hops);
                        if found.is_some() {
                            break;
                        }
                    }
                }
                self.via_call = outer;
                if found.is_some() {
                    return found;
                }
            }
        }
        None
    }

    /// True when `n` sits in the arguments of a call (or `new`) inside the scanned `range`: the
    /// sink sees that call's result, not `n`.
    fn in_arguments(&self, n: Node<'t>, range: &Range<usize>) -> bool {
        let mut child = n;
        while let Some(p) = child.parent() {
            if p.start_byte() < range.start || p.end_byte() > range.end {
                return false;
            }
            if matches!(
                p.kind(),
                "arguments" | "argument_list" | "value_arguments" | "call_suffix"
            ) {
                return true;
            }
            child = p;
        }
        false
    }

    /// For a URL sink (`@context:url`): `n` built from pieces (`+` of strings, an f-string or a
    /// template literal) is tainted only through the pieces that can still choose where the URL
    /// leads. Pieces after a `?` or `#` of the text are its query or fragment; pieces after a
    /// prefix that fixes the origin are a path on it: a path with a first segment (`/login/`,
    /// not `/` alone nor `//`, `/\\`) or a scheme and host closed by `/`, `?` or `#` (`https://`
    /// then a clean value then `/`: a configured host). The origin rule needs `whole` (the piece
    /// is the sink's value or a definition's, so its text starts the URL). Neither applies to a
    /// URL that reaches the sink as a call's argument (`fetch(url)` whose response holds the
    /// target: see `via_call`). `None` when `n` is not such a string; `Some(None)` when no
    /// deciding piece is tainted.
    fn url_pieces(&mut self, n: Node<'t>, whole: bool, hops: u32) -> Option<Option<Flow>> {
        let mut pieces = Vec::new();
        if !self.flatten_url(n, &mut pieces, 0) || !pieces.iter().any(|p| p.0.is_some()) {
            return None;
        }
        // The URL's text so far, with NUL for a clean computed piece (a configured host, say);
        // a tainted piece ends the walk.
        let mut prefix = Some(String::new());
        for (text, code) in pieces {
            if let Some(t) = text {
                if let Some(p) = prefix.as_mut() {
                    p.push_str(t);
                    if whole && origin_fixed(p) {
                        return Some(None);
                    }
                }
                if t.contains(['?', '#']) {
                    return Some(None);
                }
            }
            if let Some(c) = code {
                if let Some(f) = self.tainted(c.byte_range(), hops) {
                    return Some(Some(f));
                }
                if let Some(p) = prefix.as_mut() {
                    p.push('\0');
                }
            }
        }
        Some(None)
    }

    /// The pieces of a URL built with `+`, f-strings or template literals, in text order:
    /// (literal text, computed code). False when `n` is not built that way (or names locals
    /// inside its text, as Kotlin's `$name`, which flow reads otherwise).
    fn flatten_url(
        &self,
        mut n: Node<'t>,
        out: &mut Vec<(Option<&'t str>, Option<Node<'t>>)>,
        depth: u32,
    ) -> bool {
        use crate::language::{F_PAREN, F_STRING, F_SUBSTITUTION};
        while self.info.flags(n.kind_id()) & F_PAREN != 0 && n.named_child_count() == 1 {
            match n.named_child(0) {
                Some(k) => n = k,
                None => break,
            }
        }
        if depth > 32 {
            return false;
        }
        let text = self.text;
        if self.info.flags(n.kind_id()) & F_STRING != 0 {
            let mut c = n.walk();
            let kids: Vec<Node<'t>> = n.children(&mut c).collect();
            if kids
                .iter()
                .any(|k| !embedded_names(self.info.language, text, *k).is_empty())
            {
                return false;
            }
            let mut at = n.start_byte();
            let mut first = true;
            let gap = |from: usize, to: usize, first: &mut bool| {
                let mut t = text.get(from..to).unwrap_or("");
                if *first {
                    t = t.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                    t = t.trim_start_matches(['"', '\'', '`']);
                    *first = false;
                }
                t
            };
            for k in kids {
                if self.info.flags(k.kind_id()) & F_SUBSTITUTION != 0 {
                    let t = gap(at, k.start_byte(), &mut first);
                    out.push((Some(t), Some(k)));
                    at = k.end_byte();
                }
            }
            let t = gap(at, n.end_byte(), &mut first).trim_end_matches(['"', '\'', '`']);
            out.push((Some(t), None));
            return true;
        }
        let is_plus = n
            .child_by_field_name("operator")
            .is_some_and(|o| text.get(o.byte_range()) == Some("+"));
        if is_plus {
            if let (Some(l), Some(r)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) {
                return self.flatten_url(l, out, depth + 1) && self.flatten_url(r, out, depth + 1);
            }
        }
        if depth == 0 {
            return false;
        }
        out.push((None, Some(n)));
        true
    }

    /// For a log or header sink (`@context:log`, `@context:header`): `Some(receiver)` when `n`
    /// is a call that computes a value rather than passing text on — any call but a string
    /// conversion, format, join or decode (`str`, `format`, `join`, `Sprintf`, `String.valueOf`,
    /// `toString`, `decodeURIComponent`…). Such a call's result is tainted through its receiver only
    /// (`name.strip()`, `request.args.get("q")`): a record fetched by a request's id or a
    /// worker's reply to a request is not the request's text, so it cannot carry the sender's
    /// CR/LF into the line. `None` when `n` is no call or one of those text calls.
    fn log_call(&self, n: Node<'t>) -> Option<Option<Node<'t>>> {
        if !matches!(n.kind(), "call" | "call_expression" | "method_invocation") {
            return None;
        }
        let callee = callee_text(n, self.text)?;
        if LOG_TEXT_CALLS.contains(&last_segment(callee)) {
            return None;
        }
        let function = n.child_by_field_name("function");
        let receiver = n
            .child_by_field_name("object")
            .or_else(|| {
                function.and_then(|f| {
                    f.child_by_field_name("object")
                        .or_else(|| f.child_by_field_name("operand"))
                })
            })
            .or_else(|| {
                // Kotlin: `a.b(…)` is a navigation expression called.
                function
                    .or_else(|| n.named_child(0))
                    .filter(|f| f.kind() == "navigation_expression")
                    .and_then(|f| f.named_child(0))
            });
        Some(receiver)
    }

    /// True for Python's `str(request)` / `repr(request)` where `request` (or `req`) is the
    /// handler's request parameter itself, never reassigned: the frameworks' request objects
    /// print as a summary that quotes the path with `repr` (Django's `<WSGIRequest: GET
    /// '/p'>`, Werkzeug's `<Request 'url' [GET]>`), so CR/LF arrive escaped in a log line.
    /// A middleware's `response` (or `resp`) prints as its status and content type, which the
    /// server set. A field of either (`str(request.path)`) is still the sender's text.
    fn request_summary(&self, n: Node<'t>) -> bool {
        if self.info.language != Language::Python || n.kind() != "call" {
            return false;
        }
        let Some(callee) = callee_text(n, self.text) else {
            return false;
        };
        if !matches!(callee, "str" | "repr") {
            return false;
        }
        let Some(args) = n.child_by_field_name("arguments") else {
            return false;
        };
        let mut c = args.walk();
        let kids: Vec<Node<'t>> = args.named_children(&mut c).collect();
        let [arg] = kids.as_slice() else {
            return false;
        };
        let name = self.text.get(arg.byte_range()).unwrap_or("");
        if arg.kind() != "identifier" || !matches!(name, "request" | "req" | "response" | "resp") {
            return false;
        }
        let Some(locals) = self.locals else {
            return false;
        };
        let defs = locals.all(name);
        !defs.is_empty()
            && defs.iter().all(|d| {
                d.node()
                    .parent()
                    .is_some_and(|p| p.kind().contains("parameter"))
            })
    }

    /// True when `n` calls a sanitiser the project declared ([`crate::Engine::set_sanitizers`])
    /// or one recognised by its name ([`named_sanitizer`]).
    fn sanitizer_call(&self, n: Node<'t>) -> bool {
        let Some(callee) = callee_text(n, self.text) else {
            return false;
        };
        let declared = self
            .nodes
            .sanitizer_names
            .as_ref()
            .is_some_and(|names| names.iter().any(|d| declared_call(d, callee)));
        declared || named_sanitizer(callee, self.contexts)
    }

    /// True when `n` looks a key up in a container of constants (`{"a": "x.txt"}[key]`,
    /// `ROUTES[req.query.to]`, `names.get(key, "a")`, Go `m[key]` of a map literal): whatever the
    /// key, the value is one of the constants, so the lookup is an allow-list and its result is
    /// clean. A container is constant when it is a dict, object or map literal whose values are
    /// all constants, a local whose every definition is one, or a name spelled like a module
    /// constant (`ROUTES`, `ALLOWED_TYPES`) that the unit does not define.
    fn constant_lookup(&self, n: Node<'t>) -> bool {
        let kind = n.kind();
        let container = if matches!(
            kind,
            "subscript" | "subscript_expression" | "index_expression"
        ) {
            n.child_by_field_name("value")
                .or_else(|| n.child_by_field_name("object"))
                .or_else(|| n.child_by_field_name("operand"))
                .or_else(|| n.named_child(0))
        } else if matches!(kind, "call" | "call_expression") {
            let Some(f) = n.child_by_field_name("function") else {
                return false;
            };
            let method = f
                .child_by_field_name("attribute")
                .or_else(|| f.child_by_field_name("property"));
            if method.is_none_or(|m| self.text.get(m.byte_range()) != Some("get")) {
                return false;
            }
            f.child_by_field_name("object")
        } else {
            return false;
        };
        container.is_some_and(|c| self.constant_container(c, 0))
    }

    fn constant_container(&self, c: Node<'t>, hops: u32) -> bool {
        let mut c = c;
        while c.kind() == "parenthesized_expression" {
            match c.named_child(0) {
                Some(k) => c = k,
                None => return false,
            }
        }
        let name = self.text.get(c.byte_range()).unwrap_or("");
        match c.kind() {
            "dictionary" | "object" | "literal_value" => {
                let mut cur = c.walk();
                let pairs: Vec<Node<'t>> = c.named_children(&mut cur).collect();
                !pairs.is_empty()
                    && pairs.iter().all(|p| {
                        let value = p.child_by_field_name("value").or_else(|| {
                            (p.kind() == "keyed_element")
                                .then(|| {
                                    p.named_child(p.named_child_count().saturating_sub(1) as u32)
                                })
                                .flatten()
                        });
                        matches!(p.kind(), "pair" | "keyed_element" | "comment")
                            && (p.kind() == "comment"
                                || value.is_some_and(|v| {
                                    // Go wraps each element: `"a": "x"` is two literal_elements.
                                    let v = match v.kind() {
                                        "literal_element" => v.named_child(0).unwrap_or(v),
                                        _ => v,
                                    };
                                    super::flow::is_constant(self.info, self.locals, self.text, v)
                                }))
                    })
            }
            // A tuple or list of constants indexed by any key (`("a", "b")[i]`).
            "tuple" | "list" | "array" => {
                let mut cur = c.walk();
                let items: Vec<Node<'t>> = c
                    .named_children(&mut cur)
                    .filter(|k| k.kind() != "comment")
                    .collect();
                !items.is_empty()
                    && items
                        .iter()
                        .all(|v| super::flow::is_constant(self.info, self.locals, self.text, *v))
            }
            "composite_literal" => c
                .child_by_field_name("body")
                .is_some_and(|b| self.constant_container(b, hops)),
            "identifier" => match self.locals {
                Some(l) if !l.all(name).is_empty() => {
                    hops < 4
                        && l.all(name).iter().all(|d| {
                            d.value
                                .is_some_and(|v| self.constant_container(v, hops + 1))
                        })
                }
                _ => {
                    name.len() > 1
                        && name.starts_with(|ch: char| ch.is_ascii_uppercase())
                        && name
                            .chars()
                            .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_')
                }
            },
            _ => false,
        }
    }

    /// Taint that reaches the use `n` of a local through its definitions or propagators.
    fn through_local(&mut self, n: Node<'t>, hops: u32) -> Option<Flow> {
        let locals = self.locals?;
        if !locals.is_local_use(n) {
            return None;
        }
        let name = self.text.get(n.byte_range()).unwrap_or("");
        self.through_name(name, n, hops)
    }

    /// Taint that reaches a use of the local `name` at `n` (the local's node, or the string
    /// piece that names it) through its definitions or propagators.
    fn through_name(&mut self, name: &str, n: Node<'t>, hops: u32) -> Option<Flow> {
        let locals = self.locals?;
        if locals.all(name).is_empty() {
            return None;
        }
        // A use after an `if` that validates the local (a prefix check, an allow-list, a
        // safe-URL helper) is taken as checked: flow does not see which branch returns.
        let pos = n.start_byte();
        let guards: Vec<usize> = self
            .guards
            .iter()
            .filter(|&&(at, cond)| at < pos && mentions(cond, name))
            .map(|&(at, _)| at)
            .collect();
        let checked = |from: usize| guards.iter().any(|&at| from <= at);
        let defs: Vec<Def<'t>> = locals.reaching(name, n).into_iter().cloned().collect();
        // A definition that a later `if name != "": name = quote(name)` replaces whenever it
        // is not empty reaches the use only as that constant.
        let replacing: Vec<usize> = defs
            .iter()
            .filter(|d2| d2.range.end <= pos)
            .filter_map(|d2| replaced_unless_empty(d2.node(), name, self.text))
            .collect();
        for d in defs {
            if checked(d.range.end) {
                continue;
            }
            if replacing.iter().any(|&at| d.range.end <= at) {
                continue;
            }
            let f = match d.value {
                Some(v) => self.tainted(v.byte_range(), hops + 1),
                None => self.unvalued(&d, hops + 1),
            };
            if let Some(mut f) = f {
                f.steps.push(d.range.clone());
                return Some(f);
            }
        }
        let feeds: Vec<(Range<usize>, Range<usize>)> = self
            .props
            .iter()
            .filter(|(to, call, _)| to == name && call.end <= pos)
            .map(|(_, call, from)| (call.clone(), from.clone()))
            .collect();
        for (call, from) in feeds.into_iter().rev() {
            if let Some(mut f) = self.tainted(from, hops + 1) {
                f.steps.push(call);
                return Some(f);
            }
        }
        None
    }

    /// A definition whose value flow does not pair: a parameter (tainted when a source
    /// template matched its function), a loop or walrus variable (tainted with its iterable
    /// or value), or a target of an assignment that does not pair (tainted with the whole
    /// assignment: `a, b = f(x)`, `q += x`).
    fn unvalued(&mut self, d: &Def<'t>, hops: u32) -> Option<Flow> {
        let node = d.node();
        if node.byte_range() != d.range || node.child_count() != 0 {
            return self.tainted(d.range.clone(), hops);
        }
        let mut p = node.parent();
        let mut up = 0;
        while let Some(a) = p {
            let kind = a.kind();
            if kind.contains("parameter") {
                let r = &d.range;
                let name = self.text.get(r.clone()).unwrap_or("");
                // A Go method's receiver is its object, not its input.
                let receiver = std::iter::successors(Some(a), |x| x.parent())
                    .take(3)
                    .any(|x| {
                        x.parent()
                            .and_then(|f| f.child_by_field_name("receiver"))
                            .is_some_and(|rc| rc.id() == x.id())
                    });
                // A parameter declared with a numeric or boolean type cannot carry a path,
                // a query fragment or markup (`@PathVariable long id`, `id: int`).
                if numeric_type(a, self.text) {
                    return None;
                }
                let param = self.params && !receiver && !matches!(name, "self" | "cls" | "this");
                let inside = self
                    .sources
                    .iter()
                    .any(|s| s.start <= r.start && r.end <= s.end && *s != *r);
                let handler = self.handlers
                    && (param_source(self.info.language, a, self.text)
                        || (self.info.language == Language::Python
                            && self.requests.python_view_param(node, a)));
                return (param || inside || handler).then(|| Flow {
                    source: r.clone(),
                    steps: Vec::new(),
                });
            }
            if kind.contains("for") || kind == "range_clause" || kind == "named_expression" {
                // Kotlin's `for (x in xs)` names no field: the iterable follows `in`.
                let after_in = || {
                    let mut c = a.walk();
                    let kids: Vec<Node<'t>> = a.children(&mut c).collect();
                    let i = kids
                        .iter()
                        .position(|k| !k.is_named() && k.kind() == "in")?;
                    kids[i + 1..].iter().find(|k| k.is_named()).copied()
                };
                let iter = a
                    .child_by_field_name("right")
                    .or_else(|| a.child_by_field_name("value"))
                    .or_else(after_in)?;
                if iter.start_byte() < d.range.end && kind != "named_expression" {
                    return None;
                }
                return self.tainted(iter.byte_range(), hops);
            }
            up += 1;
            if up > 4 || self.info.maybe_unit(a.kind_id()) {
                return None;
            }
            p = a.parent();
        }
        None
    }
}

/// Node kinds of functions written as values (JavaScript/TypeScript, Python, Java, Go, Kotlin,
/// Rust): a value holding one with a block body is not tainted by what that body reads.
const FUNCTION_LITERALS: &[&str] = &[
    "arrow_function",
    "function_expression",
    "function",
    "generator_function",
    "lambda",
    "lambda_expression",
    "func_literal",
    "anonymous_function",
    "lambda_literal",
    "closure_expression",
];

/// Calls whose result is their arguments' text, converted, formatted, joined, decoded or parsed
/// into its parts (`parse_qs`, `JSON.parse`, `json.loads`): a log
/// value built with one still carries request text (see [`Ctx::log_call`]).
const LOG_TEXT_CALLS: &[&str] = &[
    "str",
    "format",
    "format_map",
    "join",
    "decode",
    "unquote",
    "unquote_plus",
    "Sprintf",
    "Sprint",
    "Sprintln",
    "Errorf",
    "valueOf",
    "toString",
    "concat",
    "String",
    "decodeURIComponent",
    "decodeURI",
    "unescape",
    "parse",
    "parse_qs",
    "parse_qsl",
    "urlsplit",
    "urlparse",
    "loads",
];

/// True for a Python f-string piece `{x!r}` / `{x!a}`: `repr`/`ascii` escape CR and LF.
fn repr_interpolation(n: Node<'_>, text: &str) -> bool {
    if n.kind() != "interpolation" {
        return false;
    }
    let mut c = n.walk();
    let conversion = n
        .children(&mut c)
        .find(|k| k.kind() == "type_conversion")
        .and_then(|k| text.get(k.byte_range()));
    matches!(conversion, Some("!r" | "!a"))
}

/// True when a URL's leading text fixes its origin: a path with a first segment on this host
/// (`/x`, not `/`, `//` or `/\\`), or a scheme (or `//`) and a host closed by `/`, `?` or `#`.
fn origin_fixed(prefix: &str) -> bool {
    // A computed piece (NUL) may be empty: `"/" + lang + next` can still start `//`.
    if let Some(rest) = prefix.strip_prefix('/') {
        if !rest.starts_with(['/', '\\']) {
            return rest.starts_with(|c: char| c != '\0');
        }
    }
    let authority = if let Some(r) = prefix.strip_prefix("//") {
        r
    } else if let Some(i) = prefix.find("://") {
        let scheme = &prefix[..i];
        if scheme.is_empty()
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return false;
        }
        &prefix[i + 3..]
    } else {
        return false;
    };
    authority
        .find(['/', '?', '#', '\\'])
        .is_some_and(|e| e > 0 && authority.as_bytes()[e] != b'\\')
}

/// The text of the function a call calls (`utils.escape_sqlite`, `DOMPurify.sanitize`,
/// Java's `Encode.forHtml`), or `None` when `n` is not a call.
pub(crate) fn callee_text<'t>(n: Node<'_>, text: &'t str) -> Option<&'t str> {
    match n.kind() {
        "call" | "call_expression" => {
            let f = n
                .child_by_field_name("function")
                .or_else(|| n.named_child(0))?;
            text.get(f.byte_range())
        }
        "method_invocation" => {
            let name = n.child_by_field_name("name")?;
            text.get(n.start_byte()..name.end_byte())
        }
        _ => None,
    }
}

/// The last part of a qualified name (`escape` of `markupsafe.escape`, of `Foo::escape`).
fn last_segment(name: &str) -> &str {
    name.rsplit(['.', ':', '>'])
        .find(|p| !p.trim().is_empty())
        .unwrap_or(name)
        .trim()
        .trim_end_matches(['!', '?'])
}

/// True when the callee `callee` is the declared sanitiser `declared`: the same last part, and
/// either the same qualified name (its tail), or a plain call of the last part (imported by
/// name), or a declaration without qualification.
pub(crate) fn declared_call(declared: &str, callee: &str) -> bool {
    let last = last_segment(declared);
    last_segment(callee) == last
        && (!declared.contains(['.', ':'])
            || callee == last
            || callee == declared
            || callee.ends_with(&format!(".{declared}"))
            || callee.ends_with(&format!("::{declared}")))
}

/// The words of an identifier, lower-cased: split at `_`, `-`, `$`, digits and case changes
/// (`get_safe_redirect` → get, safe, redirect; `DOMPurify` → dom, purify; `escapeHTML` →
/// escape, html).
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let chars: Vec<char> = name.chars().collect();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphabetic() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase() || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Words that name what a sanitiser does (whole words of the callee's last part).
const SANITIZER_VERBS: &[&str] = &[
    "escape",
    "escaped",
    "escaper",
    "escapes",
    "sanitize",
    "sanitise",
    "sanitized",
    "sanitised",
    "sanitizer",
    "sanitiser",
    "purify",
    // A slug holds letters, digits and hyphens only (session 10: `slugify(form.id.data)`).
    "slugify",
    "quote",
    "quoted",
    "clean",
    "cleaned",
    "cleanse",
    "safe",
    "secure",
    "validate",
    "validated",
    "allowed",
    "allowlisted",
    "whitelisted",
];

/// Words that make a name say the opposite: marking a value as trusted, undoing an escape,
/// switching a protection off (`mark_safe`, `unescape`, `bypassSecurityTrustHtml`).
const NOT_SANITIZER: &[&str] = &[
    "mark",
    "marked",
    "unsafe",
    "bypass",
    "trust",
    "trusted",
    "dangerous",
    "dangerously",
    "raw",
    "unescape",
    "unquote",
    "skip",
    "disable",
    "without",
    "no",
    "not",
];

/// The contexts a name can be specific to, by the words that name them: a sanitiser whose
/// name names contexts (`escape_sqlite`, `html_escape`) cleans only for rules of one of those
/// contexts (a rule declares its own with `@context:NAME` among its `sanitizers`).
const CONTEXTS: &[(&str, &[&str])] = &[
    (
        "html",
        &[
            "html",
            "xml",
            "markup",
            "attr",
            "attribute",
            "script",
            "css",
            "entities",
            "entity",
            "tags",
            "tag",
            "js",
            "javascript",
        ],
    ),
    (
        "sql",
        &[
            "sql",
            "sqlite",
            "mysql",
            "postgres",
            "pg",
            "identifier",
            "ident",
            "column",
            "table",
            "db",
            "like",
        ],
    ),
    (
        "shell",
        &[
            "shell", "cmd", "command", "arg", "argv", "args", "shlex", "bash",
        ],
    ),
    (
        "url",
        &[
            "url", "uri", "redirect", "href", "link", "host", "hostname", "next", "domain",
            "origin", "location",
        ],
    ),
    (
        "path",
        &[
            "path",
            "filename",
            "file",
            "dir",
            "directory",
            "filepath",
            "basename",
        ],
    ),
    ("ldap", &["ldap", "dn", "rdn"]),
    ("xpath", &["xpath"]),
    ("regex", &["regex", "regexp", "re", "pattern"]),
    ("log", &["log", "crlf", "newline", "newlines"]),
    (
        "header",
        &["header", "headers", "crlf", "newline", "newlines"],
    ),
];

/// True when a callee's name says it sanitises (a heuristic, issue #15): its last part has a
/// whole word such as escape, sanitize, quote, clean, safe, validate or allowed
/// (`get_safe_redirect`, `escape_sqlite`, `DOMPurify.sanitize`, `shlex.quote`), no word that
/// says the opposite (`mark_safe`, `unescape`, `bypassSecurityTrustHtml`), and "safe" only in
/// a name that starts lower-case (`SafeString(x)` labels, it does not escape). A name that
/// names contexts counts only for rules of one of them when the rule declares any. The risk:
/// a function named so that does less than its name says (`safe_str` that only converts) hides
/// a real flow.
pub(crate) fn named_sanitizer(callee: &str, contexts: &[String]) -> bool {
    let last = last_segment(callee);
    let words = name_words(last);
    let verb = words.iter().any(|w| {
        SANITIZER_VERBS.contains(&w.as_str())
            && (w != "safe" || last.starts_with(|c: char| !c.is_uppercase()))
    });
    if !verb || words.iter().any(|w| NOT_SANITIZER.contains(&w.as_str())) {
        return false;
    }
    let named: Vec<&str> = CONTEXTS
        .iter()
        .filter(|(_, ws)| words.iter().any(|w| ws.contains(&w.as_str())))
        .map(|(c, _)| *c)
        .collect();
    named.is_empty() || contexts.is_empty() || named.iter().any(|c| contexts.iter().any(|r| r == c))
}

/// The owned node of the unit spanning exactly `range` (the outermost of that extent).
fn node_at<'t>(nodes: &UnitNodes<'t>, range: Range<usize>) -> Option<Node<'t>> {
    let order = &nodes.in_order;
    let entries = &nodes.entries;
    let from = order.partition_point(|&(_, e)| entries[e as usize].node.start_byte() < range.start);
    order[from..]
        .iter()
        .map(|&(_, e)| entries[e as usize].node)
        .take_while(|n| n.start_byte() == range.start)
        .find(|n| n.end_byte() == range.end)
}

/// Words of an `if` condition that validates a value: prefix checks, allow-lists (a helper named
/// so, `.has(`/`.contains(`/`.includes(`, `not in` a module constant or a literal collection),
/// safe-URL, host and sanitiser helpers (`is_safe_url`, `url_has_allowed_host_and_scheme`), a
/// whole-value regex match (`fullmatch`, `re.match`, `.test(`, `MatchString(`, `.matches(`), a
/// test of the URL's host part (`if urlparse(u).netloc: u = "/"`).
fn guard_words() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)(startswith|hasprefix|netloc|allow|safe|sanitiz|sanitis|permitted|whitelist|valid|islocal|is_relative_to|\.has\(|\.contains\(|\.includes\(|fullmatch|\bre\.match\(|\.test\(|matchstring\(|\.matches\(|\bnot\s+in\s+((?-i:[A-Z][A-Z0-9_]+)\b|[\(\[\{]))",
        )
        .expect("a valid regex")
    })
}

/// True when the parameter declaration `param` is a request handler's input that no source
/// template can name, because what makes it one is its type or an annotation:
///
/// - Kotlin: a parameter annotated `@RequestParam`, `@PathVariable`, `@RequestBody`,
///   `@RequestHeader`, `@CookieValue`, `@ModelAttribute`, `@RequestPart` (Spring) or
///   `@QueryParam`, `@PathParam`, `@FormParam`, `@HeaderParam`, `@CookieParam` (JAX-RS), or any
///   parameter of a function annotated `@GetMapping`… / `@RequestMapping` / `@GET`….
/// - Rust: a parameter whose type is an axum or actix-web extractor of request data
///   (`Query<T>`, `Path<T>`, `Json<T>`, `Form<T>`, `TypedHeader<T>`: generic, so `&Path` of
///   std is not one; `HttpRequest`, `Multipart`, `RawQuery`), or any parameter of a function
///   with a rocket route attribute (`#[get("/<name>")]`, `#[post]`…).
fn param_source(language: Language, param: Node<'_>, text: &str) -> bool {
    static KOTLIN_PARAM: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static KOTLIN_FN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static RUST_TYPE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static RUST_ROUTE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = |cell: &'static std::sync::OnceLock<regex::Regex>, src: &str| {
        cell.get_or_init(|| regex::Regex::new(src).expect("a valid regex"))
    };
    let src = |n: Node<'_>| text.get(n.byte_range()).unwrap_or("");
    match language {
        Language::Kotlin => {
            let annotated = param
                .prev_named_sibling()
                .filter(|m| m.kind() == "parameter_modifiers")
                .is_some_and(|m| {
                    re(
                        &KOTLIN_PARAM,
                        r"@(RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|ModelAttribute|RequestPart|MatrixVariable|QueryParam|PathParam|FormParam|HeaderParam|CookieParam)\b",
                    )
                    .is_match(src(m))
                });
            let handler = || {
                let f = param.parent().and_then(|p| p.parent());
                f.and_then(|f| {
                    let mut c = f.walk();
                    let m = f.named_children(&mut c).find(|k| k.kind() == "modifiers");
                    m
                })
                .is_some_and(|m| {
                    re(
                        &KOTLIN_FN,
                        r"@((Get|Post|Put|Delete|Patch|Request)Mapping|GET|POST|PUT|DELETE|PATCH)\b",
                    )
                    .is_match(src(m))
                })
            };
            annotated || handler()
        }
        Language::Rust => {
            let typed = param.child_by_field_name("type").is_some_and(|t| {
                re(
                    &RUST_TYPE,
                    r"^(\w+::)*((Query|Path|Json|Form|TypedHeader)\s*<|(HttpRequest|Multipart|RawQuery)\b)",
                )
                .is_match(src(t))
            });
            let route = || {
                let Some(f) = param.parent().and_then(|p| p.parent()) else {
                    return false;
                };
                let mut a = f.prev_named_sibling();
                while let Some(attr) = a.filter(|a| a.kind() == "attribute_item") {
                    if re(
                        &RUST_ROUTE,
                        r"^#\[\s*(rocket::)?(get|post|put|delete|patch|head|options|route)\s*\(",
                    )
                    .is_match(src(attr))
                    {
                        return true;
                    }
                    a = attr.prev_named_sibling();
                }
                false
            };
            typed || route()
        }
        _ => false,
    }
}

/// True when the parameter declaration `param` has a numeric or boolean type (Java
/// primitives and boxes, Python `int`/`float`/`bool`, TypeScript `number`/`boolean`, Go
/// integer and float kinds, Kotlin `Int`… and Rust `i32`…, also inside a Rust extractor:
/// `Path<u64>`, `Path<(u32, u32)>`).
fn numeric_type(param: Node<'_>, text: &str) -> bool {
    // Kotlin's grammar has no `type` field: the type is the last named child.
    let t = param.child_by_field_name("type").or_else(|| {
        let n = param.named_child_count();
        n.checked_sub(1)
            .and_then(|i| param.named_child(i as u32))
            .filter(|k| k.kind().ends_with("type"))
    });
    let Some(t) = t else {
        return false;
    };
    let ty = text
        .get(t.byte_range())
        .unwrap_or("")
        .trim_start_matches(':')
        .trim()
        .trim_end_matches('?');
    if let Some((outer, inner)) = ty.strip_suffix('>').and_then(|t| t.split_once('<')) {
        // An extractor of numbers only (`Path<u64>`, `Query<(i32, i32)>`).
        return outer
            .chars()
            .all(|c| c.is_alphanumeric() || c == ':' || c == '_')
            && inner
                .trim_matches(|c| c == '(' || c == ')')
                .split(',')
                .all(|p| numeric_name(p.trim()));
    }
    numeric_name(ty)
}

/// True for the name of a numeric or boolean type.
fn numeric_name(ty: &str) -> bool {
    matches!(
        ty,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "f32"
            | "f64"
            | "Int"
            | "UInt"
            | "ULong"
            | "Byte"
            | "UUID"
            | "Uuid"
            | "int"
            | "long"
            | "short"
            | "byte"
            | "double"
            | "float"
            | "boolean"
            | "bool"
            | "Integer"
            | "Long"
            | "Short"
            | "Double"
            | "Float"
            | "Boolean"
            | "number"
            | "bigint"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "float32"
            | "float64"
    )
}

/// True when `name` occurs in `text` as a whole word.
fn mentions(text: &str, name: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// The two branches of a conditional expression (Python's `a if c else b`, the `c ? a : b` of
/// JavaScript, TypeScript, Java and C), or `None` when `n` is not one.
pub(crate) fn conditional_branches(n: Node<'_>) -> Option<[Node<'_>; 2]> {
    if !matches!(n.kind(), "ternary_expression" | "conditional_expression") {
        return None;
    }
    match n.child_by_field_name("consequence") {
        // JavaScript, TypeScript, Java and C name the parts.
        Some(c) => Some([c, n.child_by_field_name("alternative")?]),
        // Python's `body if condition else alternative` does not.
        None if n.named_child_count() == 3 => Some([n.named_child(0)?, n.named_child(2)?]),
        None => None,
    }
}

/// For a definition `def` of `name` that is a statement of the body of an `if` without `else`
/// whose condition only says `name` is set (`name`, `name != ""`, `name is not None`,
/// `name !== null`…): the start of that `if`. An earlier definition reaches a use after it
/// only when the value is that empty constant (`if to_path != "": to_path = quote(to_path)`).
fn replaced_unless_empty(def: Node<'_>, name: &str, text: &str) -> Option<usize> {
    let mut node = def;
    for _ in 0..3 {
        let p = node.parent()?;
        if p.kind() == "if_statement" {
            if p.child_by_field_name("alternative").is_some() {
                return None;
            }
            let body = p.child_by_field_name("consequence")?;
            if node.id() != body.id() {
                return None;
            }
            let cond = p.child_by_field_name("condition")?;
            let t = text.get(cond.byte_range())?.trim();
            let t = t
                .strip_prefix('(')
                .and_then(|t| t.strip_suffix(')'))
                .unwrap_or(t)
                .trim();
            if t == name {
                return Some(p.start_byte());
            }
            let rest = t.strip_prefix(name)?.trim_start();
            let value = ["!==", "!=", "is not"]
                .iter()
                .find_map(|op| rest.strip_prefix(op))?
                .trim();
            let empty = matches!(
                value,
                "\"\"" | "''" | "None" | "null" | "undefined" | "nil" | "0"
            );
            return empty.then(|| p.start_byte());
        }
        node = p;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::sink_between_spreads;

    #[test]
    fn sink_between_spreads_is_what_the_template_says() {
        for yes in [
            "$F($$$A, $SINK, $$$B)",
            "exec($$$, $SINK , $$$REST)",
            "$C.run($$$A,$SINK,$$$B)",
            "f(x, $$$ARGS,\n  $SINK,\n  $$$MORE)",
        ] {
            assert!(sink_between_spreads(yes), "{yes}");
        }
        for no in [
            "$F($SINK)",
            "$F($$$A, $SINK)",
            "$F($SINK, $$$B)",
            "$F($$$A, $SINK_X, $$$B)",
            "$F($$$A, x, $SINK, $$$B)",
            "$F($A, $SINK, $$$B)",
            "é($$$A, $SINK.x, $$$B)",
        ] {
            assert!(!sink_between_spreads(no), "{no}");
        }
    }
}
