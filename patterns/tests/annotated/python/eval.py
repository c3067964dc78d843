# Code injection through eval (CWE-94, CWE-95), after https://cwe.mitre.org/data/definitions/95.html
# and https://owasp.org/www-community/attacks/Code_Injection
import ast
import builtins


def calc(expr):
    return eval(expr)  # codetable: expect security.code-injection.eval


def run(source):
    exec(source)  # codetable: expect security.code-injection.eval


def run_with_globals(source, env):
    exec(source, {"__builtins__": {}}, env)  # codetable: expect security.code-injection.eval


def compiled(source):
    code = compile(source, "<input>", "exec")
    exec(code)  # codetable: expect security.code-injection.eval


def formatted(field):
    return eval("obj." + field)  # codetable: expect security.code-injection.eval


def f_string(name, obj):
    return eval(f"obj.{name}")  # codetable: expect security.code-injection.eval


def alias(expr):
    e = eval
    return e(expr)  # codetable: expect security.code-injection.eval


def via_builtins(expr):
    return builtins.eval(expr)  # codetable: expect security.code-injection.eval


def via_getattr(expr):
    return getattr(builtins, "eval")(expr)  # codetable: expect security.code-injection.eval


# Fixed forms.
def safe_literal(text):
    return ast.literal_eval(text)  # codetable: ok security.code-injection.eval


def constant():
    return eval("1 + 2")  # codetable: ok security.code-injection.eval


def constant_fstring():
    return eval(f"2 ** 10")  # codetable: ok security.code-injection.eval


def dispatch(name, handlers):
    return handlers[name]()  # codetable: ok security.code-injection.eval


def model_eval(model):
    model.eval()  # codetable: ok security.code-injection.eval


def json_parse(json, text):
    return json.loads(text)  # codetable: ok security.code-injection.eval


def regex_eval(re, pattern, text):
    return re.search(pattern, text)  # codetable: ok security.code-injection.eval


def operator_table(op, a, b):
    import operator
    return {"+": operator.add, "-": operator.sub}[op](a, b)  # codetable: ok security.code-injection.eval


def exec_file(path):
    exec(open(path).read())  # codetable: expect security.code-injection.eval
