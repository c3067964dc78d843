# Argument injection (CWE-88): request data as a whole argument of a program run without a
# shell, where a leading '-' makes it an option. After https://cwe.mitre.org/data/definitions/88.html,
# https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html#argument-injection,
# https://sonarsource.github.io/argument-injection-vectors/ and CVE-2022-24439 (GitPython clone URLs).
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/clone", methods=["POST"])
def clone():
    url = request.form["url"]
    subprocess.run(["git", "clone", url, "/srv/repo"], check=True)  # codetable: expect security.command-injection.argument-option
    return "ok"


@app.route("/archive")
def archive():
    name = request.args.get("name")
    out = subprocess.check_output(["tar", "-tf", name])  # codetable: expect security.command-injection.argument-option
    return out


@app.route("/ping")
def ping():
    subprocess.call(["ping", "-c", "1", request.args["host"]])  # codetable: expect security.command-injection.argument-option
    return "ok"


@app.route("/convert")
def convert():
    src = request.args["src"]
    proc = subprocess.Popen(["convert", src, "/tmp/out.png"])  # codetable: expect security.command-injection.argument-option
    return str(proc.wait())


# Fixed forms.
@app.route("/clone-safe", methods=["POST"])
def clone_safe():
    url = request.form["url"]
    subprocess.run(["git", "clone", "--", url, "/srv/repo"], check=True)  # codetable: ok security.command-injection.argument-option
    return "ok"


@app.route("/archive-checked")
def archive_checked():
    name = request.args.get("name", "")
    if name.startswith("-"):
        return "bad name", 400
    return subprocess.check_output(["tar", "-tf", name])  # codetable: ok security.command-injection.argument-option


@app.route("/branch")
def branch():
    b = request.args["b"]
    subprocess.run(["git", "checkout", "--detach", "refs/heads/" + b])  # codetable: ok security.command-injection.argument-option
    return "ok"


@app.route("/depth")
def depth():
    subprocess.run(["git", "fetch", "--depth", str(int(request.args["n"]))])  # codetable: ok security.command-injection.argument-option
    return "ok"


@app.route("/abs")
def absolute():
    path = os.path.abspath(request.args["p"])
    subprocess.run(["ls", "-l", path])  # codetable: ok security.command-injection.argument-option
    return "ok"


def cli_tool(argv):
    subprocess.run(["git", "clone", argv[1]])  # codetable: ok security.command-injection.argument-option


def constant():
    subprocess.run(["git", "status", "--porcelain"])  # codetable: ok security.command-injection.argument-option
