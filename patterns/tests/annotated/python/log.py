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
    app.logger.error("bad token %s from %s", request.headers.get("Authorization"), request.remote_addr)  # codetable: expect security.log-injection.request-data
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
