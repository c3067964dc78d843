# LDAP injection (CWE-90), after https://cwe.mitre.org/data/definitions/90.html,
# https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html,
# https://www.python-ldap.org/en/python-ldap-3.4.3/reference/ldap-filter.html and
# https://ldap3.readthedocs.io/en/latest/searches.html
import ldap
import ldap.filter
from ldap.filter import escape_filter_chars, filter_format
from ldap.dn import escape_dn_chars
from ldap3 import Connection, Server, SUBTREE
from ldap3.utils.conv import escape_filter_chars as l3_escape
from ldap3.utils.dn import escape_rdn
from flask import Flask, request

app = Flask(__name__)
BASE = "ou=people,dc=example,dc=com"
l = ldap.initialize("ldap://directory.example")


@app.route("/user")
def search_concat():
    name = request.args.get("name")
    return str(l.search_s(BASE, ldap.SCOPE_SUBTREE, "(uid=" + name + ")"))  # codetable: expect security.ldap-injection.request-filter


@app.route("/user2")
def search_fstring():
    name = request.args["name"]
    flt = f"(&(objectClass=person)(cn={name}))"
    return str(l.search_s(BASE, ldap.SCOPE_SUBTREE, flt, ["mail"]))  # codetable: expect security.ldap-injection.request-filter


@app.route("/user3")
def search_percent():
    flt = "(mail=%s)" % request.form["mail"]
    msgid = l.search(BASE, ldap.SCOPE_SUBTREE, flt)  # codetable: expect security.ldap-injection.request-filter
    return str(l.result(msgid))


@app.route("/user4")
def search_ext_keyword():
    user = request.values.get("user", "")
    res = l.search_ext_s(BASE, ldap.SCOPE_SUBTREE, filterstr="(sAMAccountName={})".format(user))  # codetable: expect security.ldap-injection.request-filter
    return str(res)


@app.route("/login", methods=["POST"])
def login_bind():
    user = request.form["user"]
    dn = "uid=" + user + ",ou=people,dc=example,dc=com"
    l.simple_bind_s(dn, request.form["password"])  # codetable: expect security.ldap-injection.request-filter
    return "ok"


@app.route("/l3")
def ldap3_search():
    conn = Connection(Server("ldap://directory.example"), auto_bind=True)
    who = request.args.get("who")
    conn.search(BASE, "(&(objectClass=person)(uid=%s))" % who, attributes=["cn"])  # codetable: expect security.ldap-injection.request-filter
    return str(conn.entries)


@app.route("/l3kw")
def ldap3_keywords():
    conn = Connection(Server("ldap://directory.example"), auto_bind=True)
    group = request.args["group"]
    conn.search(search_base=BASE, search_filter="(memberOf=cn=" + group + ",ou=groups,dc=example,dc=com)", search_scope=SUBTREE)  # codetable: expect security.ldap-injection.request-filter
    return str(conn.entries)


@app.route("/l3bind", methods=["POST"])
def ldap3_bind():
    user = request.form["user"]
    conn = Connection(Server("ldap://directory.example"), "cn=" + user + ",ou=people,dc=example,dc=com", request.form["pw"])  # codetable: expect security.ldap-injection.request-filter
    return str(conn.bind())


def django_view(request):
    uid = request.GET.get("uid")
    return l.search_s(BASE, ldap.SCOPE_ONELEVEL, "(uid={})".format(uid))  # codetable: expect security.ldap-injection.request-filter


# Fixed forms.
@app.route("/safe1")
def escaped():
    name = escape_filter_chars(request.args.get("name"))
    return str(l.search_s(BASE, ldap.SCOPE_SUBTREE, "(uid=" + name + ")"))  # codetable: ok security.ldap-injection.request-filter


@app.route("/safe2")
def formatted():
    flt = filter_format("(&(objectClass=person)(uid=%s))", [request.args["name"]])
    return str(l.search_s(BASE, ldap.SCOPE_SUBTREE, flt))  # codetable: ok security.ldap-injection.request-filter


@app.route("/safe3")
def escaped_inline():
    return str(l.search_s(BASE, ldap.SCOPE_SUBTREE, "(cn=%s)" % ldap.filter.escape_filter_chars(request.args["cn"])))  # codetable: ok security.ldap-injection.request-filter


@app.route("/safe4", methods=["POST"])
def dn_escaped():
    dn = "uid=" + escape_dn_chars(request.form["user"]) + ",ou=people,dc=example,dc=com"
    l.simple_bind_s(dn, request.form["password"])  # codetable: ok security.ldap-injection.request-filter
    return "ok"


@app.route("/safe5")
def ldap3_escaped():
    conn = Connection(Server("ldap://directory.example"), auto_bind=True)
    conn.search(BASE, "(uid=%s)" % l3_escape(request.args["who"]))  # codetable: ok security.ldap-injection.request-filter
    return str(conn.entries)


@app.route("/safe6", methods=["POST"])
def ldap3_rdn():
    dn = "cn=" + escape_rdn(request.form["user"]) + ",ou=people,dc=example,dc=com"
    conn = Connection(Server("ldap://directory.example"), dn, request.form["pw"])  # codetable: ok security.ldap-injection.request-filter
    return str(conn.bind())


@app.route("/safe7")
def constant_filter():
    return str(l.search_s(BASE, ldap.SCOPE_SUBTREE, "(objectClass=person)"))  # codetable: ok security.ldap-injection.request-filter


@app.route("/safe8")
def regex_search():
    import re
    return str(re.search("(uid=)", request.args["q"]))  # codetable: ok security.ldap-injection.request-filter


def helper(conn, flt):
    return conn.search_s(BASE, ldap.SCOPE_SUBTREE, flt)  # codetable: ok security.ldap-injection.request-filter
