# SQL injection (CWE-89), written after the vulnerable and fixed forms in
# https://cwe.mitre.org/data/definitions/89.html and
# https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html and
# https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html
import sqlite3
from sqlalchemy import text


def by_name_concat(cur, name):
    cur.execute("SELECT * FROM users WHERE name = '" + name + "'")  # codetable: expect security.sql-injection.string-built


def by_name_format(cur, name):
    cur.execute("SELECT * FROM users WHERE name = '{}'".format(name))  # codetable: expect security.sql-injection.string-built


def by_name_percent(cur, name):
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)  # codetable: expect security.sql-injection.string-built


def by_name_fstring(cur, name):
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")  # codetable: expect security.sql-injection.string-built


def by_id_executemany(cur, table, rows):
    cur.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows)  # codetable: expect security.sql-injection.string-built


def script(conn, table):
    conn.executescript("DROP TABLE " + table)  # codetable: expect security.sql-injection.string-built


def through_local(cur, item):
    query = "SELECT * FROM items WHERE owner = '" + item + "'"
    cur.execute(query)  # codetable: expect security.sql-injection.string-built


def through_local_fstring(cur, order):
    sql = f"SELECT id FROM orders ORDER BY {order}"
    cur.execute(sql)  # codetable: expect security.sql-injection.string-built


def built_in_pieces(cur, user, year):
    q = "SELECT * FROM sales WHERE 1=1"
    q += " AND seller = '" + user + "'"
    q += " AND year = " + year
    cur.execute(q)  # codetable: expect security.sql-injection.string-built


def connection_execute(name):
    conn = sqlite3.connect("app.db")
    conn.execute("DELETE FROM users WHERE name = '%s'" % name)  # codetable: expect security.sql-injection.string-built


def sqlalchemy_text(session, name):
    session.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))  # codetable: expect security.sql-injection.string-built


def sqlalchemy_text_local(engine, name):
    stmt = text("SELECT * FROM users WHERE name = '" + name + "'")
    with engine.connect() as c:
        c.execute(stmt)  # codetable: expect security.sql-injection.string-built


def django_raw(User, name):
    return User.objects.raw("SELECT * FROM auth_user WHERE username = '%s'" % name)  # codetable: expect security.sql-injection.string-built


def django_extra(Entry, clause):
    return Entry.objects.extra(where=["headline = '" + clause + "'"])  # codetable: expect security.sql-injection.string-built


def django_cursor(connection, pk):
    with connection.cursor() as c:
        c.execute("UPDATE t SET seen = 1 WHERE id = " + str(pk))  # codetable: expect security.sql-injection.string-built


def pandas_read(pd, conn, city):
    return pd.read_sql("SELECT * FROM shops WHERE city = '" + city + "'", conn)  # codetable: expect security.sql-injection.string-built


def kwargs_hidden(cur, **kwargs):
    cur.execute("SELECT * FROM t WHERE a = '%s'" % kwargs["a"])  # codetable: expect security.sql-injection.string-built


# Fixed forms: placeholders and bound parameters.
def fixed_qmark(cur, name):
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))  # codetable: ok security.sql-injection.string-built


def fixed_pyformat(cur, name):
    cur.execute("SELECT * FROM users WHERE name = %s", [name])  # codetable: ok security.sql-injection.string-built


def fixed_named(cur, name):
    cur.execute("SELECT * FROM users WHERE name = :name", {"name": name})  # codetable: ok security.sql-injection.string-built


def fixed_executemany(cur, rows):
    cur.executemany("INSERT INTO t VALUES (?, ?)", rows)  # codetable: ok security.sql-injection.string-built


def fixed_text_bind(session, name):
    session.execute(text("SELECT * FROM users WHERE name = :n"), {"n": name})  # codetable: ok security.sql-injection.string-built


def fixed_django_raw(User, name):
    return User.objects.raw("SELECT * FROM auth_user WHERE username = %s", [name])  # codetable: ok security.sql-injection.string-built


def constant_concat(cur):
    cur.execute("SELECT id, name " + "FROM users " + "WHERE active = 1")  # codetable: ok security.sql-injection.string-built


def constant_fstring(cur):
    cur.execute(f"SELECT count(*) FROM users")  # codetable: ok security.sql-injection.string-built


TABLE = "users"


def module_constant(cur, uid):
    cur.execute("SELECT * FROM " + TABLE + " WHERE id = ?", (uid,))  # codetable: ok security.sql-injection.string-built


def local_constant(cur, uid):
    q = "SELECT * FROM users WHERE id = ?"
    cur.execute(q, (uid,))  # codetable: ok security.sql-injection.string-built


def allow_listed_column(cur, order):
    column = {"name": "name", "date": "created"}.get(order, "id")
    cur.execute("SELECT * FROM t ORDER BY " + column)  # codetable: ok security.sql-injection.string-built


def psycopg_sql_module(cur, table, psql):
    cur.execute(psql.SQL("SELECT * FROM {} WHERE id = %s").format(psql.Identifier(table)), (1,))  # codetable: ok security.sql-injection.string-built


def int_cast(cur, limit):
    cur.execute("SELECT * FROM t LIMIT %d" % int(limit))  # codetable: ok security.sql-injection.string-built


def orm_filter(User, name):
    return User.objects.filter(username=name)  # codetable: ok security.sql-injection.string-built


def callproc(cur, name):
    cur.callproc("find_user", [name])  # codetable: ok security.sql-injection.string-built


def mogrify_then_concat(cur, name, where):
    cur.execute("SELECT * FROM users WHERE " + where + " AND name = %s", (name,))  # codetable: expect security.sql-injection.string-built


def async_driver(conn, name):
    return conn.fetch(f"SELECT * FROM users WHERE name = '{name}'")  # codetable: expect security.sql-injection.string-built
