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
