# Log injection from the request objects of Django, DRF, Starlette/FastAPI and aiohttp views
# (CWE-117), after https://cwe.mitre.org/data/definitions/117.html,
# https://docs.djangoproject.com/en/5.1/ref/request-response/#httprequest-objects,
# https://www.starlette.io/requests/ and https://docs.aiohttp.org/en/stable/web_reference.html#request-and-base-request
# (Django's own request logging fixed CVE-2025-48432 by escaping request.path).
import logging

from aiohttp import web
from django.http import HttpResponse
from django.views import View
from starlette.requests import Request

log = logging.getLogger(__name__)


def article(request, slug):
    log.info("article %s", slug)  # codetable: expect security.log-injection.request-data
    # A header: CR/LF cannot reach it: RFC 9110 5.5 makes a recipient reject or replace CR, LF and NUL in field values (session 10).
    log.info("agent %s", request.META.get("HTTP_USER_AGENT"))  # codetable: ok security.log-injection.request-data
    log.info("query %s", request.GET.get("q"))  # codetable: expect security.log-injection.request-data
    return HttpResponse("ok")


class Search(View):
    def get(self, request):
        log.warning("search %s", request.GET["q"])  # codetable: expect security.log-injection.request-data
        log.warning("again %s", self.request.GET["q"])  # codetable: expect security.log-injection.request-data
        return HttpResponse("ok")


async def homepage(request):
    log.info("q=%s", request.query_params.get("q"))  # codetable: expect security.log-injection.request-data
    return None


async def typed(req: Request):
    # Starlette's URL is split by urllib, which removes CR, LF and tab (Python 3.9.5+) (session 10).
    log.info("path=%s", req.url.path)  # codetable: ok security.log-injection.request-data
    return None


async def handle(request: web.Request):
    log.info("hello %s", request.match_info["name"])  # codetable: expect security.log-injection.request-data
    return web.Response(text="ok")


def article_safe(request, slug: int):
    log.info("article %d", slug)  # codetable: ok security.log-injection.request-data
    log.info("agent %r", repr(request.META.get("HTTP_USER_AGENT")))  # codetable: ok security.log-injection.request-data
    return HttpResponse("ok")


# The request object printed whole is Django's summary `<WSGIRequest: GET '/p'>`, which quotes
# the path with repr (CR/LF escaped; session 10); its decoded path read directly is not.
class Middleware:
    def process_response(self, request, response):
        log.error("no request model:\n" + str(request) + "\n\n" + str(response))  # codetable: ok security.log-injection.request-data
        log.error("no request model for " + str(request.path))  # codetable: expect security.log-injection.request-data
        return response
