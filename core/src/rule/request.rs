//! Which code is a web framework's incoming request: the context that makes `request.args` or
//! `req.query` request data rather than a field of any object that happens to be named
//! `request` (an outgoing request a client builds, `request = Request(url)`, is not one).
//!
//! This module owns that test. Source templates of taint rules name the request object with
//! the reserved metavariable `$REQ` (`$REQ.args`, `$REQ.getParameter($$$)`); a match counts as a
//! source only when the code bound to `$REQ` is an incoming request ([`Requests::is_request`]).
//! It also decides which parameters of a function are request-handler input in Python
//! ([`Requests::python_view_param`]): the other parameters of a Django-style view.
//!
//! What counts, per language (read from the unit and the file's imports only, so a unit's
//! findings still depend on the unit and the import table, which `analyze_delta` watches):
//!
//! - Python: `request` imported from Flask, Quart or Bottle (`from flask import request`,
//!   `flask.request`); `self.request` in a file that imports a server framework (Django, DRF,
//!   Starlette, FastAPI, aiohttp.web, Tornado's `web`, Werkzeug, Sanic, Falcon, Pyramid…); a
//!   parameter annotated with a framework's request type (`request: Request` imported from
//!   starlette/fastapi/django/aiohttp/…, `HttpRequest`); the first parameter (after `self`)
//!   named `request` or `req` in a file that imports a server framework (Django and DRF views,
//!   Starlette and aiohttp handlers); a local whose definitions are one of these.
//! - JavaScript/TypeScript: a parameter of a route callback: a function with a response
//!   parameter beside it (`(req, res)`, `(err, req, res, next)`, `(request, reply)`,
//!   `(request, h)`), or passed to a router call (`app.get('/x', ctx => …)`, `app.use(…)`,
//!   `router.post(…)`), or annotated with a request type (`Request`, `NextApiRequest`,
//!   `FastifyRequest`, Koa `Context`, `IncomingMessage`), or an untyped parameter named `req` or
//!   `ctx` (the names Express and Koa give it; an outgoing request is built into a local).
//! - Java and Kotlin: a local or parameter declared with a servlet-style request type
//!   (`HttpServletRequest`, `ServletRequest`, `…RequestWrapper`, `WebRequest`,
//!   `ServerHttpRequest`); a name the unit does not declare (a field) spelled `request`, `req`,
//!   `httpRequest`, `servletRequest`; a `getRequest()` call.
//! - Go: a parameter of type `*http.Request` (a handler's or a helper's), except in a
//!   transport's `RoundTrip` (a client's); a request built with `http.NewRequest` is a local.

use tree_sitter::Node;

use super::flow::Locals;
use super::lang::LangInfo;
use crate::language::{ImportTable, Language};

/// How many local definitions deep `is_request` follows a name (`r = request; q = r`).
const MAX_HOPS: u32 = 4;

/// The request test for one unit.
pub(crate) struct Requests<'a, 't> {
    pub info: &'static LangInfo,
    pub text: &'t str,
    pub locals: Option<&'a Locals<'t>>,
    pub imports: &'a ImportTable,
}

/// Python modules whose import marks a file as server-side web code.
fn python_server_module(q: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"^(django|rest_framework|ninja|starlette|fastapi|flask|quart|werkzeug|sanic|litestar|falcon|pyramid|bottle|cherrypy|aiohttp\.web|tornado\.web|tornado\.websocket)(\.|$)",
        )
        .expect("a valid regex")
    })
    .is_match(q)
}

impl<'t> Requests<'_, 't> {
    fn src(&self, n: Node<'_>) -> &'t str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    /// True when the file imports a Python server framework.
    fn python_server_file(&self) -> bool {
        self.imports.iter().any(|(_, q)| python_server_module(q))
            || self.imports.modules().any(python_server_module)
    }

    /// True when the code `n` (the code a source template bound to `$REQ`) is an incoming
    /// request of a web framework (see the module docs).
    pub(crate) fn is_request(&self, n: Node<'t>, hops: u32) -> bool {
        let mut n = n;
        while n.kind() == "parenthesized_expression" {
            match n.named_child(0) {
                Some(k) => n = k,
                None => return false,
            }
        }
        let src = self.src(n);
        let language = self.info.language;
        if language == Language::Python {
            // `request` imported from Flask, Quart or Bottle, or written out.
            let first = src.split('.').next().unwrap_or("");
            let canon = match self.imports.resolve(first) {
                Some(q) => format!("{q}{}", &src[first.len()..]),
                None => src.to_string(),
            };
            if matches!(
                canon.as_str(),
                "flask.request" | "flask.globals.request" | "quart.request" | "bottle.request"
            ) {
                return true;
            }
            if src == "self.request" {
                return self.python_server_file();
            }
        }
        if matches!(language, Language::Java | Language::Kotlin) {
            if n.kind().contains("call") || n.kind() == "method_invocation" {
                return src.ends_with("getRequest()");
            }
            if src == "this.request" || src == "this.req" {
                return true;
            }
        }
        let ident = self.info.rflags(n.kind_id()) & super::lang::R_IDENT != 0
            || n.kind().ends_with("identifier");
        if !ident || n.child_count() != 0 {
            return false;
        }
        let Some(locals) = self.locals else {
            return false;
        };
        if locals.all(src).is_empty() {
            // Not a local of the unit: a field (Java, Kotlin) named like a request.
            return matches!(language, Language::Java | Language::Kotlin)
                && matches!(
                    src,
                    "request" | "req" | "httpRequest" | "servletRequest" | "httpServletRequest"
                );
        }
        for d in locals.reaching(src, n) {
            if let Some(v) = d.value {
                if hops < MAX_HOPS && self.is_request(v, hops + 1) {
                    return true;
                }
                if self.declared_request_type(d.node()) {
                    return true;
                }
                continue;
            }
            let node = d.node();
            let Some(param) = self.parameter_of(node) else {
                if self.declared_request_type(node) {
                    return true;
                }
                continue;
            };
            if self.request_param(node, param) {
                return true;
            }
        }
        false
    }

    /// The parameter declaration `name` (a binder's identifier) belongs to, if it is one.
    fn parameter_of(&self, name: Node<'t>) -> Option<Node<'t>> {
        let mut p = name.parent();
        let mut up = 0;
        while let Some(a) = p {
            if a.kind().contains("parameter") {
                return Some(a);
            }
            up += 1;
            if up > 3 || self.info.maybe_unit(a.kind_id()) {
                return None;
            }
            p = a.parent();
        }
        None
    }

    /// The function whose parameter list holds `param`.
    fn function_of(&self, param: Node<'t>) -> Option<Node<'t>> {
        let mut p = Some(param);
        while let Some(a) = p {
            if self.info.maybe_unit(a.kind_id())
                || matches!(
                    a.kind(),
                    "arrow_function"
                        | "function_expression"
                        | "function"
                        | "function_declaration"
                        | "method_definition"
                        | "function_definition"
                        | "func_literal"
                        | "method_declaration"
                        | "lambda"
                )
            {
                return Some(a);
            }
            p = a.parent();
        }
        None
    }

    /// The parameter names of `func`, in order, each with its declaration.
    fn parameters(&self, func: Node<'t>) -> Vec<(&'t str, Node<'t>)> {
        let Some(list) = func
            .child_by_field_name("parameters")
            .or_else(|| func.child_by_field_name("parameter"))
        else {
            return Vec::new();
        };
        if list.kind() == "identifier" {
            return vec![(self.src(list), list)];
        }
        let mut c = list.walk();
        list.named_children(&mut c)
            .filter(|p| p.kind() != "comment")
            .map(|p| {
                let name = if p.kind() == "identifier" {
                    Some(p)
                } else {
                    p.child_by_field_name("name")
                        .or_else(|| p.child_by_field_name("pattern"))
                        .or_else(|| p.named_child(0))
                };
                (name.map(|n| self.src(n)).unwrap_or(""), p)
            })
            .collect()
    }

    /// The declared type's text of the declaration holding `node` (a parameter or a local).
    fn declared_type(&self, decl: Node<'t>) -> Option<&'t str> {
        let mut p = Some(decl);
        for _ in 0..3 {
            let a = p?;
            if let Some(t) = a.child_by_field_name("type") {
                return Some(self.src(t));
            }
            // Kotlin: `name: Type` without a `type` field.
            let mut c = a.walk();
            if let Some(t) = a
                .named_children(&mut c)
                .find(|k| matches!(k.kind(), "user_type" | "nullable_type"))
            {
                return Some(self.src(t));
            }
            p = a.parent();
        }
        None
    }

    /// True when a Java/Kotlin declaration holding `node` is typed as an incoming request.
    fn declared_request_type(&self, node: Node<'t>) -> bool {
        if !matches!(self.info.language, Language::Java | Language::Kotlin) {
            return false;
        }
        self.declared_type(node).is_some_and(java_request_type)
    }

    /// True when the parameter `name` (declared by `param`) is a framework's incoming request.
    fn request_param(&self, name: Node<'t>, param: Node<'t>) -> bool {
        let pname = self.src(name);
        match self.info.language {
            Language::Python => {
                if let Some(t) = param.child_by_field_name("type") {
                    return self.python_request_type(t);
                }
                self.python_first_request_param(name, param)
            }
            Language::JavaScript | Language::TypeScript | Language::Tsx => {
                let typed = param.child_by_field_name("type").map(|t| self.src(t));
                if typed.is_some_and(js_request_type) {
                    return true;
                }
                // `req` and `ctx` are the names Express and Koa give the request; an
                // outgoing request is built into a local, not handed in as a parameter.
                let untyped = typed.is_none_or(|t| t.trim_start_matches(':').trim() == "any");
                if untyped && matches!(pname, "req" | "ctx") {
                    return true;
                }
                let Some(func) = self.function_of(param) else {
                    return false;
                };
                let params = self.parameters(func);
                let responses = params.iter().any(|(n, _)| {
                    *n != pname && matches!(*n, "res" | "resp" | "response" | "reply" | "h")
                });
                responses
                    || (params.first().is_some_and(|(n, _)| *n == pname)
                        && self.route_argument(func))
            }
            Language::Java | Language::Kotlin => {
                self.declared_type(param).is_some_and(java_request_type)
            }
            Language::Go => {
                let typed = param
                    .child_by_field_name("type")
                    .is_some_and(|t| self.src(t).replace(' ', "") == "*http.Request");
                // A transport's `RoundTrip(req *http.Request)` sends the request it is given.
                typed
                    && self.function_of(param).is_none_or(|f| {
                        f.child_by_field_name("name")
                            .is_none_or(|n| self.src(n) != "RoundTrip")
                    })
            }
            _ => false,
        }
    }

    /// True when the JS function `func` is an argument of a router call (`app.get('/', f)`,
    /// `router.use(f)`, `app.all(…)`).
    fn route_argument(&self, func: Node<'t>) -> bool {
        let Some(call) = func
            .parent()
            .filter(|a| a.kind() == "arguments")
            .and_then(|a| a.parent())
        else {
            return false;
        };
        let Some(callee) = call.child_by_field_name("function") else {
            return false;
        };
        let Some(prop) = callee.child_by_field_name("property") else {
            return false;
        };
        matches!(
            self.src(prop),
            "get"
                | "post"
                | "put"
                | "delete"
                | "del"
                | "patch"
                | "all"
                | "use"
                | "options"
                | "head"
                | "route"
                | "handle"
                | "handler"
        )
    }

    /// Python: an annotation naming a framework's request type.
    fn python_request_type(&self, t: Node<'t>) -> bool {
        let ty = self.src(t).trim();
        let first = ty.split('.').next().unwrap_or("");
        let canon = match self.imports.resolve(first) {
            Some(q) => format!("{q}{}", &ty[first.len()..]),
            None => ty.to_string(),
        };
        let last = canon.rsplit('.').next().unwrap_or("");
        if matches!(last, "HttpRequest" | "WSGIRequest" | "ASGIRequest") {
            return true;
        }
        matches!(last, "Request" | "BaseRequest" | "HTTPServerRequest")
            && python_server_module(&canon)
    }

    /// Python: the first parameter after `self`/`cls`, named `request` or `req`, in a file
    /// that imports a server framework (the Django/DRF/Starlette/aiohttp view convention).
    fn python_first_request_param(&self, name: Node<'t>, param: Node<'t>) -> bool {
        let pname = self.src(name);
        if !matches!(pname, "request" | "req") || !self.python_server_file() {
            return false;
        }
        let Some(func) = self.function_of(param) else {
            return false;
        };
        if func.kind() != "function_definition" {
            return false;
        }
        self.parameters(func)
            .into_iter()
            .map(|(n, _)| n)
            .find(|n| !matches!(*n, "self" | "cls"))
            == Some(pname)
    }

    /// Whether any parameter of the unit whose node is `root` can be request-handler input
    /// that no source template names (the parameters the taint rules' `handlers` take as
    /// sources: by annotation or type in Kotlin and Rust, `param_source` in `taint`; a
    /// Django-style view's other parameters in Python, [`Requests::python_view_param`]). False
    /// means no parameter the unit's flow can reach is one, so a taint rule without any source
    /// match in the unit has nothing to follow. It must never be false where one of those
    /// tests could be true (`core/tests/exhaustive.rs` compares with the shortcut off):
    ///
    /// - Python: the unit is a function (decorated or not) whose first parameter other than
    ///   `self`/`cls` is typed with a framework request type (through the imports:
    ///   `r: Rq` after `from django.http import HttpRequest as Rq`), or is an untyped
    ///   `request`/`req` in a file that imports a server framework: exactly the condition
    ///   `python_view_param` puts on the function that holds the parameter (a lambda's
    ///   parameter belongs to the function around it, the unit's own).
    /// - Kotlin and Rust: always (the annotations and extractor types are read per
    ///   parameter, and a route attribute may precede the unit's node).
    /// - Other languages: never (their handler parameters are named by source templates).
    pub(crate) fn may_have_handler_params(&self, root: Node<'t>) -> bool {
        match self.info.language {
            Language::Kotlin | Language::Rust => true,
            Language::Python => {
                let mut func = root;
                if func.kind() == "decorated_definition" {
                    match func.child_by_field_name("definition") {
                        Some(d) => func = d,
                        None => return false,
                    }
                }
                if func.kind() != "function_definition" {
                    return false;
                }
                let params = self.parameters(func);
                let Some((first, decl)) = params
                    .into_iter()
                    .find(|(n, _)| !matches!(*n, "self" | "cls"))
                else {
                    return false;
                };
                match decl.child_by_field_name("type") {
                    Some(t) => self.python_request_type(t),
                    None => {
                        decl.kind() == "identifier"
                            && matches!(first, "request" | "req")
                            && self.python_server_file()
                    }
                }
            }
            _ => false,
        }
    }

    /// Python: true when `param` is a parameter of a view function whose request parameter
    /// is a framework request (`def detail(request, slug)`: `slug` comes from the URL), other
    /// than the request itself, `self` and `cls`.
    pub(crate) fn python_view_param(&self, name: Node<'t>, param: Node<'t>) -> bool {
        let pname = self.src(name);
        if matches!(pname, "self" | "cls" | "request" | "req") {
            return false;
        }
        let Some(func) = self.function_of(param) else {
            return false;
        };
        if func.kind() != "function_definition" {
            return false;
        }
        let params = self.parameters(func);
        let Some((first, decl)) = params
            .into_iter()
            .find(|(n, _)| !matches!(*n, "self" | "cls"))
        else {
            return false;
        };
        if first == pname {
            return false;
        }
        // A parameter annotated with a class of the project (`sociallogin: SocialLogin`) is an
        // object a helper was handed, not a URL parameter: those are strings (or numbers, left
        // out by the caller).
        if param.kind().starts_with("typed")
            && param
                .child_by_field_name("type")
                .is_some_and(|t| !python_text_type(self.src(t)))
        {
            return false;
        }
        match decl.child_by_field_name("type") {
            Some(t) => self.python_request_type(t),
            None => {
                let ident = decl.kind() == "identifier";
                ident && matches!(first, "request" | "req") && self.python_server_file()
            }
        }
    }
}

/// Python: an annotation a URL parameter can have (`str`, `Optional[str]`, `str | None`,
/// `Any`, `Text`, a path converter's `uuid.UUID` is numeric-like and left to the caller).
fn python_text_type(ty: &str) -> bool {
    let ty: String = ty.chars().filter(|c| !c.is_whitespace()).collect();
    let ty = ty
        .strip_prefix("Optional[")
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(&ty);
    let ty = ty.strip_suffix("|None").unwrap_or(ty);
    let last = ty.rsplit('.').next().unwrap_or(ty);
    matches!(
        last,
        "str" | "Text" | "Any" | "object" | "bytes" | "\"str\""
    )
}

/// Java/Kotlin: a type naming an incoming request.
fn java_request_type(ty: &str) -> bool {
    let ty = ty
        .trim()
        .trim_start_matches(':')
        .trim()
        .trim_end_matches('?');
    let last = ty.rsplit('.').next().unwrap_or(ty);
    let last = last.split('<').next().unwrap_or(last);
    // A client's request (java.net.http's and Apache HttpClient's `HttpRequest`,
    // `ClassicHttpRequest`, `ClientHttpRequest`) is not one; Spring's `ServerHttpRequest` is.
    let client = (last.ends_with("HttpRequest") && !last.ends_with("ServerHttpRequest"))
        || last.ends_with("ClientRequest")
        || last.starts_with("Outgoing");
    (last.ends_with("Request") || last.ends_with("RequestWrapper")) && !client
}

/// JavaScript/TypeScript: a type annotation naming an incoming request or a Koa context.
fn js_request_type(ty: &str) -> bool {
    let ty = ty.trim().trim_start_matches(':').trim();
    let last = ty.rsplit('.').next().unwrap_or(ty);
    let last = last.split('<').next().unwrap_or(last);
    matches!(
        last,
        "Request"
            | "NextApiRequest"
            | "NextRequest"
            | "FastifyRequest"
            | "IncomingMessage"
            | "Context"
            | "ParameterizedContext"
            | "RouterContext"
            | "HonoRequest"
    )
}
