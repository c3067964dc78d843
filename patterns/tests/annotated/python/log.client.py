# Log injection needs an INCOMING request (CWE-117): the request a client builds and sends is the
# program's own data, whatever the variable is called. After https://cwe.mitre.org/data/definitions/117.html,
# https://docs.python.org/3/library/urllib.request.html#urllib.request.Request,
# https://requests.readthedocs.io/en/latest/user/advanced/#prepared-requests,
# https://www.python-httpx.org/advanced/clients/#request-instances and
# https://www.tornadoweb.org/en/stable/httpclient.html#request-objects
# No server framework is imported here: a parameter named `request` is not a view's.
import logging
import re
import urllib.request

import httpx
import requests
from tornado.httpclient import HTTPRequest

log = logging.getLogger(__name__)


def fetch(url):
    request = urllib.request.Request(url)
    log.info("fetching %s", request.full_url)  # codetable: ok security.log-injection.request-data
    log.info("fetching %s", request.data)  # codetable: ok security.log-injection.request-data
    return urllib.request.urlopen(request)


def prepared(url, body):
    request = requests.Request("POST", url, data=body)
    log.debug("sending %s %s", request.method, request.url)  # codetable: ok security.log-injection.request-data
    log.debug("headers %s", request.headers)  # codetable: ok security.log-injection.request-data
    return request.prepare()


def via_httpx(url):
    request = httpx.Request("GET", url)
    log.info("GET %s", request.url)  # codetable: ok security.log-injection.request-data
    return request


def tornado_request(url):
    request = HTTPRequest(url, method="GET")
    log.info("%s %s", request.method, request.url)  # codetable: ok security.log-injection.request-data
    return request


class CurlClient:
    def fetch_impl(self, request, callback):
        log.debug("fetch %s", request.url)  # codetable: ok security.log-injection.request-data
        callback(request)

    def _setup(self, curl, request, buffer):
        log.debug("%s %s", request.method, request.url)  # codetable: ok security.log-injection.request-data
        log.debug("body %s", request.body)  # codetable: ok security.log-injection.request-data


def send_all(requests_to_send):
    for request in requests_to_send:
        log.info("queued %s", request.path)  # codetable: ok security.log-injection.request-data


# Newlines stripped for purposes other than logging are not the neutralised-for-a-log variant.
def same_sql(expected, actual):
    return re.sub(r"[\n\t]", "", expected) == re.sub(r"[\n\t]", "", actual)  # codetable: ok security.log-injection.neutralized


def normalize_url(url):
    return url.replace("\t", "").replace("\n", "").replace("\r", "")  # codetable: ok security.log-injection.neutralized


def preview(text):
    one_line = text.replace("\n", " ")  # codetable: ok security.log-injection.neutralized
    return one_line[:80]


def logged_preview(text):
    one_line = text.replace("\n", " ")
    log.info("preview %s", one_line)  # codetable: expect security.log-injection.neutralized
