# Server-side template injection (CWE-1336), after https://cwe.mitre.org/data/definitions/1336.html,
# https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/18-Testing_for_Server-side_Template_Injection,
# https://flask.palletsprojects.com/en/stable/api/#flask.render_template_string and https://jinja.palletsprojects.com/en/stable/api/
import jinja2
from django.template import Template as DjangoTemplate, Context
from flask import Flask, render_template, render_template_string, request
from mako.template import Template as MakoTemplate

app = Flask(__name__)
env = jinja2.Environment(autoescape=True)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return render_template_string(f"<h1>Hello {name}!</h1>")  # codetable: expect security.template-injection.from-string


@app.route("/hello2")
def hello_concat():
    page = "<h1>Hello " + request.args["name"] + "</h1>"
    return render_template_string(page)  # codetable: expect security.template-injection.from-string


@app.route("/preview", methods=["POST"])
def preview():
    body = request.form["body"]
    return env.from_string(body).render(user="guest")  # codetable: expect security.template-injection.from-string


@app.route("/jinja")
def jinja_template():
    src = request.args["tpl"]
    return jinja2.Template(src).render()  # codetable: expect security.template-injection.from-string


@app.route("/mako")
def mako():
    greeting = "Hello ${name}, " + request.args["suffix"]
    return MakoTemplate(greeting).render(name="guest")  # codetable: expect security.template-injection.from-string


def django_view(request):
    tpl = DjangoTemplate("<p>" + request.GET["msg"] + "</p>")  # codetable: expect security.template-injection.from-string
    return tpl.render(Context({}))


@app.route("/error")
def error_page():
    template = """<h1>Not found</h1><p>%s was not found</p>""" % request.url
    return render_template_string(template), 404  # codetable: expect security.template-injection.from-string


# Fixed forms: a fixed template, the data as context.
@app.route("/hello-safe")
def hello_safe():
    return render_template_string("<h1>Hello {{ name }}!</h1>", name=request.args.get("name", ""))  # codetable: ok security.template-injection.from-string


@app.route("/preview-safe", methods=["POST"])
def preview_safe():
    return env.from_string("<div>{{ body }}</div>").render(body=request.form["body"])  # codetable: ok security.template-injection.from-string


@app.route("/file")
def file_template():
    return render_template("hello.html", name=request.args["name"])  # codetable: ok security.template-injection.from-string


@app.route("/mako-safe")
def mako_safe():
    return MakoTemplate("Hello ${name}").render(name=request.args["name"])  # codetable: ok security.template-injection.from-string


def django_safe(request):
    return DjangoTemplate("<p>{{ msg }}</p>").render(Context({"msg": request.GET["msg"]}))  # codetable: ok security.template-injection.from-string


@app.route("/error-safe")
def error_safe():
    return render_template_string("<p>{{ url }} was not found</p>", url=request.url), 404  # codetable: ok security.template-injection.from-string
