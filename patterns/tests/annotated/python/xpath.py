# XPath injection (CWE-643), after https://cwe.mitre.org/data/definitions/643.html,
# https://owasp.org/www-community/attacks/XPATH_Injection and
# https://lxml.de/xpathxslt.html (xpath() variables, XPath class, ElementPath find)
from lxml import etree
from flask import Flask, request

app = Flask(__name__)
USERS = etree.parse("users.xml")
ROOT = USERS.getroot()


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    pw = request.form["password"]
    q = "//user[name/text()='" + user + "' and password/text()='" + pw + "']"
    return "ok" if USERS.xpath(q) else "denied"  # codetable: expect security.xpath-injection.request-expression


@app.route("/email")
def email():
    name = request.args.get("name")
    return str(ROOT.xpath(f"/users/user[@name='{name}']/email/text()"))  # codetable: expect security.xpath-injection.request-expression


@app.route("/compiled")
def compiled():
    find = etree.XPath("//book[@isbn='%s']" % request.args["isbn"])  # codetable: expect security.xpath-injection.request-expression
    return str(find(ROOT))


@app.route("/find")
def element_find():
    node = ROOT.find(".//user[@id='{}']".format(request.args["id"]))  # codetable: expect security.xpath-injection.request-expression
    return etree.tostring(node)


@app.route("/findall")
def element_findall():
    role = request.values.get("role")
    return str(len(ROOT.findall(".//user[@role='" + role + "']")))  # codetable: expect security.xpath-injection.request-expression


def django_view(request):
    tag = request.GET["tag"]
    expr = "//item[category='" + tag + "']"
    return ROOT.xpath(expr)  # codetable: expect security.xpath-injection.request-expression


@app.route("/raw")
def raw_expression():
    return str(ROOT.xpath(request.args["expr"]))  # codetable: expect security.xpath-injection.request-expression


# Fixed forms.
@app.route("/login-safe", methods=["POST"])
def login_safe():
    found = USERS.xpath("//user[name/text()=$u and password/text()=$p]", u=request.form["user"], p=request.form["password"])  # codetable: ok security.xpath-injection.request-expression
    return "ok" if found else "denied"


@app.route("/compiled-safe")
def compiled_safe():
    find = etree.XPath("//book[@isbn=$isbn]")  # codetable: ok security.xpath-injection.request-expression
    return str(find(ROOT, isbn=request.args["isbn"]))


@app.route("/constant")
def constant():
    return str(ROOT.xpath("count(//user)"))  # codetable: ok security.xpath-injection.request-expression


@app.route("/find-safe")
def find_by_loop():
    wanted = request.args["id"]
    return str([u for u in ROOT.findall(".//user") if u.get("id") == wanted])  # codetable: ok security.xpath-injection.request-expression


@app.route("/str-find")
def string_find():
    return str(request.args["q"].find("[@"))  # codetable: ok security.xpath-injection.request-expression
