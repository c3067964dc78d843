# Log injection (CWE-117), after https://cwe.mitre.org/data/definitions/117.html,
# https://owasp.org/www-community/attacks/Log_Injection and
# https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html
import json
import logging
import re

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)
LOGGER = logging.getLogger("audit")


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    log.warning("failed login for %s", user)  # codetable: expect security.log-injection.request-data
    return "denied", 401


@app.route("/search")
def search():
    logging.info("search: " + request.args.get("q", ""))  # codetable: expect security.log-injection.request-data
    return "ok"


@app.route("/audit")
def audit():
    LOGGER.info(f"audit event {request.args['event']} by {request.remote_addr}")  # codetable: expect security.log-injection.request-data
    return "ok"


@app.route("/flask-logger")
def flask_logger():
    # A header: CR/LF cannot reach it: RFC 9110 5.5 makes a recipient reject or replace CR, LF and NUL in field values (session 10).
    app.logger.error("bad token %s from %s", request.headers.get("Authorization"), request.remote_addr)  # codetable: ok security.log-injection.request-data
    return "no", 403


@app.route("/debug")
def debug():
    data = request.get_json()
    log.debug("payload name=%s", data["name"])  # codetable: expect security.log-injection.request-data
    return "ok"


def django_view(request):
    log.error("Not Found: %s", request.path)  # codetable: expect security.log-injection.request-data
    return None


@app.route("/exc")
def with_exception():
    try:
        return int(request.args["n"])
    except ValueError:
        log.exception("bad number %r… from %s", 0, request.args["n"])  # codetable: expect security.log-injection.request-data
        return "bad", 400


# Fixed forms.
@app.route("/login-safe", methods=["POST"])
def login_safe():
    user = request.form["user"].replace("\r", "").replace("\n", "")
    log.warning("failed login for %s", user)  # codetable: ok security.log-injection.request-data  # codetable: expect security.log-injection.neutralized
    return "denied", 401


@app.route("/search-safe")
def search_safe():
    logging.info("search: %s", json.dumps(request.args.get("q", "")))  # codetable: ok security.log-injection.request-data
    return "ok"


@app.route("/audit-safe")
def audit_safe():
    event = re.sub(r"[\r\n]", "_", request.args["event"])
    LOGGER.info("audit event %s", event)  # codetable: ok security.log-injection.request-data  # codetable: expect security.log-injection.neutralized
    return "ok"


@app.route("/count")
def count():
    n = int(request.args["n"])
    log.info("count %d", n)  # codetable: ok security.log-injection.request-data
    return "ok"


@app.route("/repr")
def repr_value():
    log.info("value %s", repr(request.args["v"]))  # codetable: ok security.log-injection.request-data
    return "ok"


def helper(value):
    log.info("helper got %s", value)  # codetable: ok security.log-injection.request-data


# Session 10: what the logger escapes, and what is not the request's text. `%r` and `{x!r}`
# format the value's repr, which writes CR and LF as \r and \n
# (https://docs.python.org/3/library/functions.html#repr); a value a call computes from request
# data (a record looked up by its id, a worker's reply) is not the sender's text.
@app.route("/repr-format")
def repr_format():
    log.warning("unknown key %r", request.args["k"])  # codetable: ok security.log-injection.request-data
    log.warning("key %s value %r", "k", request.args["v"])  # codetable: ok security.log-injection.request-data
    log.info(f"lookup {request.args['k']!r}")  # codetable: ok security.log-injection.request-data
    log.info("hit %s", request.url)  # codetable: ok security.log-injection.request-data
    user = db.get_user(request.args["id"])
    log.info("found %s", user)  # codetable: ok security.log-injection.request-data
    return "ok"


@app.route("/repr-mixed")
def repr_mixed():
    log.warning("key %r value %s", "k", request.args["v"])  # codetable: expect security.log-injection.request-data
    log.info(f"lookup {request.args['k']}")  # codetable: expect security.log-injection.request-data
    name = str(request.args["name"]).strip()
    log.info("name %s", name)  # codetable: expect security.log-injection.request-data
    log.info("q=%s", ", ".join(request.args.getlist("q")))  # codetable: expect security.log-injection.request-data
    log.info("path %s", request.full_path)  # codetable: expect security.log-injection.request-data
    return "ok"
