# HTTP response splitting (CWE-113), after https://cwe.mitre.org/data/definitions/113.html,
# https://owasp.org/www-community/attacks/HTTP_Response_Splitting,
# https://docs.python.org/3/library/http.server.html (send_header writes "name: value\r\n" unchecked) and
# https://peps.python.org/pep-3333/ (start_response). Werkzeug, Django, Tornado and aiohttp reject CR/LF in
# header values, so their lines below must not be flagged.
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, quote, urlsplit
import re

from flask import Flask, make_response, redirect, request
from django.http import HttpResponse
import tornado.web

app = Flask(__name__)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        lang = query.get("lang", ["en"])[0]
        self.send_response(200)
        self.send_header("Set-Cookie", "lang=" + lang)  # codetable: expect security.header-injection.request-value
        self.end_headers()

    def do_HEAD(self):
        self.send_response(301)
        self.send_header("Location", "https://www.example.com" + self.path)  # codetable: expect security.header-injection.request-value
        self.end_headers()

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        name = self.rfile.read(length).decode()
        self.send_response(201)
        self.send_header("X-Created", name)  # codetable: expect security.header-injection.request-value
        self.end_headers()

    def do_PUT(self):
        trace = self.headers.get("X-Trace-Id")
        self.send_response(204)
        self.send_header("X-Trace-Id", trace)  # codetable: expect security.header-injection.request-value
        self.end_headers()

    def do_OPTIONS(self):
        origin = self.headers["Origin"]
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", f"{origin}")  # codetable: expect security.header-injection.request-value
        self.end_headers()

    def do_DELETE(self):
        fname = parse_qs(urlsplit(self.path).query)["name"][0]
        self.send_response(200)
        self.send_header("Content-Disposition", 'attachment; filename="%s"' % fname)  # codetable: expect security.header-injection.request-value
        self.end_headers()

    def redirect_to_host(self):
        host = self.headers.get("Host", "localhost")
        self.send_response(302)
        self.send_header("Location", "https://%s/login" % host)  # codetable: expect security.header-injection.request-value
        self.end_headers()

    def refresh(self):
        target = parse_qs(urlsplit(self.path).query)["to"][0]
        self.send_response(200)
        self.send_header("Refresh", "0; url=" + target)  # codetable: expect security.header-injection.request-value
        self.end_headers()

    def echo_etag(self):
        tag = self.headers["If-None-Match"]
        self.send_response(304)
        self.send_header("ETag", tag)  # codetable: expect security.header-injection.request-value
        self.end_headers()

    # Fixed forms.
    def do_PATCH(self):
        lang = parse_qs(urlsplit(self.path).query).get("lang", ["en"])[0]
        self.send_response(200)
        self.send_header("Set-Cookie", "lang=" + quote(lang))  # codetable: ok security.header-injection.request-value
        self.end_headers()

    def do_TRACE(self):
        trace = self.headers.get("X-Trace-Id", "").replace("\r", "").replace("\n", "")
        self.send_response(204)
        self.send_header("X-Trace-Id", trace)  # codetable: ok security.header-injection.request-value
        self.end_headers()

    def do_CONNECT(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")  # codetable: ok security.header-injection.request-value
        self.send_header("Content-Length", str(len(self.path)))  # codetable: ok security.header-injection.request-value
        self.end_headers()


def wsgi_app(environ, start_response):
    target = parse_qs(environ["QUERY_STRING"]).get("next", ["/"])[0]
    start_response("302 Found", [("Location", target)])  # codetable: expect security.header-injection.request-value
    return [b""]


def wsgi_cookie(environ, start_response):
    theme = environ.get("HTTP_X_THEME", "light")
    headers = [("Content-Type", "text/html"), ("Set-Cookie", "theme=" + theme)]
    start_response("200 OK", headers)  # codetable: expect security.header-injection.request-value
    return [b"ok"]


def wsgi_path(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    start_response("301 Moved Permanently", [("Location", "/v2" + path)])  # codetable: expect security.header-injection.request-value
    return [b""]


def wsgi_safe(environ, start_response):
    theme = re.sub(r"[^a-z]", "", environ.get("HTTP_X_THEME", "light"))
    start_response("200 OK", [("Set-Cookie", "theme=" + theme)])  # codetable: ok security.header-injection.request-value
    return [b"ok"]


# Frameworks that refuse CR/LF in header values: not response splitting.
@app.route("/lang")
def flask_header():
    resp = make_response("ok")
    resp.headers["Content-Language"] = request.args.get("lang", "en")  # codetable: ok security.header-injection.request-value
    return resp


@app.route("/cookie")
def flask_cookie():
    resp = make_response("ok")
    resp.set_cookie("lang", request.args.get("lang", "en"))  # codetable: ok security.header-injection.request-value
    return resp


def django_view(request):
    resp = HttpResponse("ok")
    resp["X-Trace-Id"] = request.headers.get("X-Trace-Id", "")  # codetable: ok security.header-injection.request-value
    return resp


class TornadoHandler(tornado.web.RequestHandler):
    def get(self):
        self.set_header("X-Trace-Id", self.get_argument("trace"))  # codetable: ok security.header-injection.request-value
