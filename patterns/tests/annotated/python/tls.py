# TLS certificate verification disabled (CWE-295), after https://cwe.mitre.org/data/definitions/295.html,
# https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification and
# https://docs.python.org/3/library/ssl.html#security-considerations
import ssl
import urllib.request
import requests
import httpx


def fetch(url):
    return requests.get(url, verify=False)  # codetable: expect security.tls.verification-disabled


def post(url, body):
    return requests.post(url, data=body, verify=False, timeout=5)  # codetable: expect security.tls.verification-disabled


def session_off():
    s = requests.Session()
    s.verify = False  # codetable: expect security.tls.verification-disabled
    return s


def unverified_context(url):
    ctx = ssl._create_unverified_context()  # codetable: expect security.tls.verification-disabled
    return urllib.request.urlopen(url, context=ctx)


def cert_none():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False  # codetable: expect security.tls.verification-disabled
    ctx.verify_mode = ssl.CERT_NONE  # codetable: expect security.tls.verification-disabled
    return ctx


def httpx_off(url):
    return httpx.get(url, verify=False)  # codetable: expect security.tls.verification-disabled


def httpx_client():
    return httpx.Client(verify=False)  # codetable: expect security.tls.verification-disabled


def kwargs_off(url):
    options = {"verify": False, "timeout": 5}
    return requests.get(url, **options)  # codetable: expect security.tls.verification-disabled


def global_default():
    ssl._create_default_https_context = ssl._create_unverified_context  # codetable: expect security.tls.verification-disabled


# Fixed forms.
def fixed(url):
    return requests.get(url, timeout=5)  # codetable: ok security.tls.verification-disabled


def fixed_ca(url):
    return requests.get(url, verify="/etc/ssl/internal-ca.pem", timeout=5)  # codetable: ok security.tls.verification-disabled


def fixed_context():
    ctx = ssl.create_default_context()
    ctx.verify_mode = ssl.CERT_REQUIRED  # codetable: ok security.tls.verification-disabled
    return ctx


def fixed_true(url):
    return httpx.get(url, verify=True)  # codetable: ok security.tls.verification-disabled


def fixed_session():
    s = requests.Session()
    s.verify = "/etc/ssl/internal-ca.pem"  # codetable: ok security.tls.verification-disabled
    return s


def fixed_client():
    return httpx.Client(timeout=5)  # codetable: ok security.tls.verification-disabled



# Session 8: sibling APIs and other call forms (Python ssl docs on CERT_NONE and
# _create_unverified_context; urllib3 "Certificate verification" cert_reqs; aiohttp client
# reference `ssl=False`; requests Session.verify; Bandit B501).
import aiohttp
import urllib3


def sibling_forms(url, session):
    pool = urllib3.PoolManager(cert_reqs="CERT_NONE")  # codetable: expect security.tls.verification-disabled
    sock = ssl.wrap_socket(socket_of(url), cert_reqs=ssl.CERT_NONE)  # codetable: expect security.tls.verification-disabled
    page = session.get(url, verify=False)  # codetable: expect security.tls.verification-disabled
    conn = aiohttp.TCPConnector(ssl=False)  # codetable: expect security.tls.verification-disabled
    unverified = ssl._create_unverified_context  # codetable: expect security.tls.verification-disabled
    return pool, sock, page, conn, unverified


async def aio(url):
    async with aiohttp.ClientSession() as s:
        return await s.get(url, ssl=False)  # codetable: expect security.tls.verification-disabled


def sibling_fixed(url, session):
    pool = urllib3.PoolManager(cert_reqs="CERT_REQUIRED")  # codetable: ok security.tls.verification-disabled
    page = session.get(url, verify="/etc/ssl/internal-ca.pem")  # codetable: ok security.tls.verification-disabled
    conn = aiohttp.TCPConnector(ssl=ssl.create_default_context())  # codetable: ok security.tls.verification-disabled
    cache = redis_client(ssl=False)  # codetable: ok security.tls.verification-disabled
    return pool, page, conn, cache


def socket_of(url):
    return url


def redis_client(**kw):
    return kw
