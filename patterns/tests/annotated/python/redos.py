# Regular expressions from request data (CWE-1333, CWE-400), after https://cwe.mitre.org/data/definitions/1333.html,
# https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS and
# https://docs.python.org/3/library/re.html#re.escape
import re
import regex
from flask import Flask, request

app = Flask(__name__)
NAMES = ["ada", "grace", "edsger"]


@app.route("/search")
def search():
    pattern = re.compile(request.args["q"], re.IGNORECASE)  # codetable: expect security.regex.user-pattern
    return str([n for n in NAMES if pattern.search(n)])


@app.route("/match")
def match():
    rx = request.args.get("rx")
    return str(bool(re.match(rx, request.args.get("s", ""))))  # codetable: expect security.regex.user-pattern


@app.route("/grep", methods=["POST"])
def grep():
    body = request.get_json()
    return str(re.findall(body["pattern"], body["text"]))  # codetable: expect security.regex.user-pattern


@app.route("/replace")
def replace():
    word = request.values["word"]
    return re.sub("(^|\\s)" + word + "(\\s|$)", " *** ", request.values["text"])  # codetable: expect security.regex.user-pattern


@app.route("/split")
def split():
    return str(re.split(request.args["sep"], request.args["data"]))  # codetable: expect security.regex.user-pattern


@app.route("/fullmatch")
def validate():
    rule = f"^{request.form['prefix']}[0-9]+$"
    return str(bool(re.fullmatch(rule, request.form["code"])))  # codetable: expect security.regex.user-pattern


def django_filter(request):
    q = request.GET.get("q", "")
    return [n for n in NAMES if regex.search(q, n)]  # codetable: expect security.regex.user-pattern


# Fixed forms.
@app.route("/search-safe")
def search_safe():
    pattern = re.compile(re.escape(request.args["q"]), re.IGNORECASE)  # codetable: ok security.regex.user-pattern
    return str([n for n in NAMES if pattern.search(n)])


@app.route("/replace-safe")
def replace_safe():
    word = re.escape(request.values["word"])
    return re.sub("(^|\\s)" + word + "(\\s|$)", " *** ", request.values["text"])  # codetable: ok security.regex.user-pattern


@app.route("/subject")
def subject_only():
    return str(bool(re.match(r"^[a-z0-9_]{3,32}$", request.args["user"])))  # codetable: ok security.regex.user-pattern


@app.route("/contains")
def contains():
    return str([n for n in NAMES if request.args["q"].lower() in n])  # codetable: ok security.regex.user-pattern


def cli(argv):
    import sys
    return re.compile(sys.argv[1])  # codetable: ok security.regex.user-pattern
