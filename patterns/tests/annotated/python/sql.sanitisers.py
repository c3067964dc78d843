# SQL injection (CWE-89): escaping named for its context, after
# https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html
# ("escaping all user-supplied input" for the database in use; an HTML escape is the wrong
# context) and datasette's `escape_sqlite` for identifiers.
import sqlite3

from flask import Flask, request

app = Flask(__name__)


def escape_sqlite(name):
    return '"' + name.replace('"', '""') + '"'


@app.route("/table")
def table():
    db = sqlite3.connect("données.db")
    name = request.args["table"]
    db.execute("SELECT * FROM " + escape_sqlite(name))  # codetable: ok security.sql-injection.string-built
    db.execute("SELECT * FROM " + quote_identifier(name))  # codetable: ok security.sql-injection.string-built
    db.execute("SELECT * FROM " + escape_html(name))  # codetable: expect security.sql-injection.string-built
    db.execute("SELECT * FROM " + escape_url(name))  # codetable: expect security.sql-injection.string-built
    db.execute("SELECT * FROM t WHERE n = '" + normalise(name) + "'")  # codetable: expect security.sql-injection.string-built
    db.execute("SELECT * FROM t WHERE n = ?", (name,))  # codetable: ok security.sql-injection.string-built
