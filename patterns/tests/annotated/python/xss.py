# Cross-site scripting (CWE-79), after https://cwe.mitre.org/data/definitions/79.html,
# https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html,
# https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe and
# https://flask.palletsprojects.com/en/stable/templating/#controlling-autoescaping
from django.utils.safestring import mark_safe
from django.utils.html import escape, format_html
from markupsafe import Markup
from jinja2 import Environment, FileSystemLoader, select_autoescape
from flask import request


def greet(name):
    return mark_safe("<b>Hello " + name + "</b>")  # codetable: expect security.xss.marked-safe


def greet_fstring(name):
    return mark_safe(f"<p>{name}</p>")  # codetable: expect security.xss.marked-safe


def greet_markup(name):
    return Markup("<i>%s</i>" % name)  # codetable: expect security.xss.marked-safe


def greet_local(comment):
    html = "<div>" + comment + "</div>"
    return mark_safe(html)  # codetable: expect security.xss.marked-safe


def from_request():
    return Markup(request.args["q"])  # codetable: expect security.xss.marked-safe


def env_default():
    return Environment(loader=FileSystemLoader("templates"))  # codetable: expect security.xss.autoescape-disabled


def env_off():
    return Environment(loader=FileSystemLoader("templates"), autoescape=False)  # codetable: expect security.xss.autoescape-disabled


def env_kwargs(**options):
    return Environment(**options)  # codetable: expect security.xss.autoescape-disabled


# Fixed forms.
def fixed_format_html(name):
    return format_html("<b>Hello {}</b>", name)  # codetable: ok security.xss.marked-safe


def fixed_escape(name):
    return mark_safe("<b>" + escape(name) + "</b>")  # codetable: ok security.xss.marked-safe


def constant_markup():
    return Markup("<hr>")  # codetable: ok security.xss.marked-safe


def fixed_env():
    return Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())  # codetable: ok security.xss.autoescape-disabled


def fixed_env_true():
    return Environment(autoescape=True)  # codetable: ok security.xss.autoescape-disabled


def fixed_markup_escape(name):
    return Markup("<b>{}</b>").format(name)  # codetable: ok security.xss.marked-safe


def constant_mark_safe():
    return mark_safe("<br>")  # codetable: ok security.xss.marked-safe


# Session 10: WTForms' html_params escapes every attribute value it writes
# (https://wtforms.readthedocs.io/en/3.1.x/widgets/#wtforms.widgets.html_params); a value
# formatted into the markup beside it is still computed markup.
from wtforms.widgets import html_params


def badge(title):
    return Markup("<span %s></span>" % html_params(title=title))  # codetable: ok security.xss.marked-safe


def badge_text(title, text):
    return Markup("<span %s>%s</span>" % (html_params(title=title), text))  # codetable: expect security.xss.marked-safe
