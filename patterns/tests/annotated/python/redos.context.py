# ReDoS on a user-supplied PATTERN (CWE-1333): the request must be the regex, not the subject
# string a developer's regex is run on. After https://cwe.mitre.org/data/definitions/1333.html,
# https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS and
# https://docs.python.org/3/library/re.html#re.match (pattern first, string second)
import re

from flask import Flask, request

app = Flask(__name__)
ITEM = re.compile(r"^/items/(\d+)$")
WORDS = "alpha beta gamma"


@app.route("/items/<path:rest>")
def item(rest):
    m = ITEM.match(request.path)  # codetable: ok security.regex.user-pattern
    return m.group(1) if m else "none"


class PathMatches:
    def __init__(self, pattern):
        self.regex = re.compile(pattern)

    def match(self, request):
        return self.regex.match(request.path)  # codetable: ok security.regex.user-pattern


@app.route("/subject")
def subject():
    found = re.search(r"\d+", request.args["q"])  # codetable: ok security.regex.user-pattern
    return str(bool(found))


@app.route("/grep")
def grep():
    found = re.search(request.args["q"], WORDS)  # codetable: expect security.regex.user-pattern
    return str(bool(found))


@app.route("/split")
def split():
    sep = request.args.get("sep", ",")
    return str(re.split(sep, WORDS))  # codetable: expect security.regex.user-pattern
