# Open redirect (CWE-601), after https://cwe.mitre.org/data/definitions/601.html and
# https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
from urllib.parse import urlparse
from flask import Flask, redirect, request, url_for
from django.http import HttpResponseRedirect
from django.shortcuts import redirect as dj_redirect
from django.utils.http import url_has_allowed_host_and_scheme

app = Flask(__name__)


@app.route("/login")
def after_login():
    return redirect(request.args.get("next"))  # codetable: expect security.open-redirect.request-target


@app.route("/go")
def go():
    return redirect(request.args["url"])  # codetable: expect security.open-redirect.request-target


@app.route("/jump")
def jump():
    target = request.values.get("to")
    return redirect(target)  # codetable: expect security.open-redirect.request-target


def django_view(req):
    return HttpResponseRedirect(req.GET["next"])  # codetable: expect security.open-redirect.request-target


def django_shortcut(req):
    return dj_redirect(req.GET.get("next"))  # codetable: expect security.open-redirect.request-target


def django_local(req):
    nxt = req.POST.get("next", "/")
    return HttpResponseRedirect(nxt)  # codetable: expect security.open-redirect.request-target


# Fixed forms.
@app.route("/home")
def home():
    return redirect(url_for("index"))  # codetable: ok security.open-redirect.request-target


@app.route("/const")
def const():
    return redirect("/dashboard")  # codetable: ok security.open-redirect.request-target


def django_checked(req):
    nxt = req.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={req.get_host()}):
        nxt = "/"
    return HttpResponseRedirect(nxt)  # codetable: ok security.open-redirect.request-target


@app.route("/local-only")
def local_only():
    target = request.args.get("next", "/")
    if urlparse(target).netloc:
        target = "/"
    return redirect(target)  # codetable: ok security.open-redirect.request-target


@app.route("/named")
def named():
    return redirect(url_for(request.args.get("page", "index")))  # codetable: ok security.open-redirect.request-target


def django_named(req):
    return dj_redirect("home")  # codetable: ok security.open-redirect.request-target


# Session 10: request data after a prefix that fixes where the URL leads (a path with a first
# segment on this site, a configured scheme and host) or after its `?` / `#` only chooses a
# path, query or fragment there; a prefix of `/` alone, a scheme without a closed host, or a
# value in front still lets the sender choose the site
# (https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html).
SITE = "example.org"


@app.route("/tab")
def tab():
    return redirect("/accounts/" + request.args["tab"])  # codetable: ok security.open-redirect.request-target


@app.route("/relogin")
def relogin():
    return redirect("/login?next=" + request.args["next"])  # codetable: ok security.open-redirect.request-target


@app.route("/profile")
def profile():
    return redirect(f"https://{SITE}/profile/{request.args['u']}")  # codetable: ok security.open-redirect.request-target


@app.route("/anchor")
def anchor():
    target = "/docs#" + request.args["section"]
    return redirect(target)  # codetable: ok security.open-redirect.request-target


@app.route("/slash")
def slash():
    return redirect("/" + request.args["p"])  # codetable: expect security.open-redirect.request-target


@app.route("/host")
def host():
    return redirect("https://" + request.args["host"] + "/welcome")  # codetable: expect security.open-redirect.request-target


@app.route("/with-query")
def with_query():
    return redirect(request.args["to"] + "?ok=1")  # codetable: expect security.open-redirect.request-target


@app.route("/scheme-relative")
def scheme_relative():
    return redirect(f"//{request.args['h']}/home")  # codetable: expect security.open-redirect.request-target


# Session 10: headers and cookies are not open-redirect sources: a cross-site link sets only the
# URL (and a form's body), and the Referer is the page the victim came from.
@app.route("/back", methods=["POST"])
def back():
    return redirect(request.headers.get("Referer") or url_for("home"))  # codetable: ok security.open-redirect.request-target


@app.route("/back-form", methods=["POST"])
def back_form():
    return redirect(request.form.get("back") or url_for("home"))  # codetable: expect security.open-redirect.request-target
