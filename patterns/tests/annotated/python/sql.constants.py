# SQL injection (CWE-89): values that are constants or the server's own schema, after
# https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html
# (table and column names that cannot be bound come from the code, not from the user) and
# https://docs.djangoproject.com/en/stable/ref/models/meta/ (a model's `_meta` API).
from django.db import connection
from flask import Flask, request

app = Flask(__name__)


def truncate(model):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER;")  # codetable: ok security.sql-injection.string-built
        cursor.execute(f"TRUNCATE TABLE {table} CASCADE")  # codetable: ok security.sql-injection.string-built


def null_column(model, field_name):
    column = model._meta.get_field(field_name).column
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {column} IS NULL")  # codetable: ok security.sql-injection.string-built
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {field_name} IS NULL")  # codetable: expect security.sql-injection.string-built


@app.post("/vote")
def vote():
    db = connection.cursor()
    upvote = request.form["up"] == "1"
    column = "likes" if upvote else "dislikes"
    db.execute("UPDATE comments SET " + column + " = " + column + " + 1")  # codetable: ok security.sql-injection.string-built
    order = ("ASC", "DESC")[int(request.args["desc"])]
    db.execute("SELECT id FROM comments ORDER BY id " + order)  # codetable: ok security.sql-injection.string-built
    sort = {"new": "created DESC", "top": "likes DESC"}[request.args["sort"]]
    db.execute("SELECT id FROM comments ORDER BY " + sort)  # codetable: ok security.sql-injection.string-built
    chosen = request.args["column"] if upvote else "dislikes"
    db.execute("UPDATE comments SET " + chosen + " = 0")  # codetable: expect security.sql-injection.string-built
