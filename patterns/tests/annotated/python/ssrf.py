# Server-side request forgery (CWE-918), after https://cwe.mitre.org/data/definitions/918.html and
# https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
import urllib.request
import requests
import httpx
from flask import request

ALLOWED = {"api.example.com"}


def fetch():
    return requests.get(request.args["url"]).text  # codetable: expect security.ssrf.request-url


def fetch_post():
    return requests.post(request.form.get("callback"), json={"ok": True})  # codetable: expect security.ssrf.request-url


def fetch_local():
    target = request.args.get("url")
    return requests.get(target, timeout=5)  # codetable: expect security.ssrf.request-url


def fetch_urlopen():
    return urllib.request.urlopen(request.args["feed"]).read()  # codetable: expect security.ssrf.request-url


def fetch_httpx():
    return httpx.get(request.args["u"])  # codetable: expect security.ssrf.request-url


def fetch_session():
    s = requests.Session()
    return s.get(request.args["u"])  # codetable: expect security.ssrf.request-url


def fetch_built():
    host = request.args["host"]
    return requests.get("http://" + host + "/status")  # codetable: expect security.ssrf.request-url


def fetch_request_method():
    return requests.request("GET", request.args["u"])  # codetable: expect security.ssrf.request-url


# Fixed forms: constant URLs, allow-listed hosts.
def constant():
    return requests.get("https://api.example.com/v1/status", timeout=5)  # codetable: ok security.ssrf.request-url


def allow_listed(urlparse):
    url = request.args["url"]
    if urlparse(url).hostname not in ALLOWED:
        raise ValueError("host not allowed")
    return requests.get(url, timeout=5)  # codetable: ok security.ssrf.request-url


def fixed_path_only(item_id: int):
    return requests.get(f"https://api.example.com/items/{int(item_id)}", timeout=5)  # codetable: ok security.ssrf.request-url


def constant_session():
    return requests.Session().get("https://api.example.com/v1/me", timeout=5)  # codetable: ok security.ssrf.request-url


def config_url(settings):
    return requests.get(settings.BILLING_URL, timeout=5)  # codetable: ok security.ssrf.request-url


def constant_urlopen():
    return urllib.request.urlopen("https://example.com/feed.xml").read()  # codetable: ok security.ssrf.request-url


def aiohttp_fetch(session):
    return session.get(request.args["url"])  # codetable: expect security.ssrf.request-url
