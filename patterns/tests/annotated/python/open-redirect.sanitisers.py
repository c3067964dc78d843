# Open redirect (CWE-601): a project's own checks and sanitisers, after
# https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
# ("validate the URL against an allow-list", "use a mapping of allowed destinations") and Django's
# `url_has_allowed_host_and_scheme` (https://docs.djangoproject.com/en/stable/ref/utils/).
from flask import Flask, abort, redirect, request, url_for
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

app = Flask(__name__)
ALLOWED_TARGETS = {"/accueil", "/profil", "/réglages"}


def get_safe_redirect(url):
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={"example.org"}):
        return url
    return "/"


@app.route("/a")
def sanitised_by_name():
    return redirect(get_safe_redirect(request.args.get("next")))  # codetable: ok security.open-redirect.request-target


@app.route("/b")
def look_alike_getter():
    return redirect(get_redirect(request.args.get("next")))  # codetable: expect security.open-redirect.request-target


@app.route("/c")
def allow_list_guard():
    target = request.args.get("next", "/")
    if target not in ALLOWED_TARGETS:
        abort(400)
    return redirect(target)  # codetable: ok security.open-redirect.request-target


@app.route("/d")
def literal_allow_list_guard():
    target = request.args.get("next", "/")
    if target not in ("/accueil", "/profil"):
        return redirect("/")
    return redirect(target)  # codetable: ok security.open-redirect.request-target


@app.route("/e")
def check_that_checks_nothing():
    target = request.args.get("next", "/")
    if target:
        print("redirection vers", target)
    return redirect(target)  # codetable: expect security.open-redirect.request-target


def django_guard(request):
    nxt = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=True):
        return HttpResponseRedirect("/")
    return HttpResponseRedirect(nxt)  # codetable: ok security.open-redirect.request-target


@app.route("/f")
def next_in_the_query_string():
    return redirect(url_for("login", next=request.url))  # codetable: ok security.open-redirect.request-target


@app.route("/g")
def unescape_is_no_sanitiser():
    return redirect(unescape_url(request.args.get("next")))  # codetable: expect security.open-redirect.request-target


@app.route("/h")
def mark_safe_is_no_sanitiser():
    return redirect(mark_safe_url(request.args.get("next")))  # codetable: expect security.open-redirect.request-target
