# Code evaluation (CWE-95) of code fixed in the source, after
# https://docs.python.org/3/library/functions.html#compile and the packaging guide's "single-
# sourcing the package version" (https://packaging.python.org/en/latest/discussions/single-source-version/):
# a setup script that runs its own version file, read from a path built from __file__ and literals.
import os
import sys
from setuptools import setup

here = os.path.abspath(os.path.dirname(__file__))
about = {}
exec(open(os.path.join(here, "paquet", "__about__.py"), encoding="utf-8").read(), about)  # codetable: ok security.code-injection.eval
eval(compile("def _raise(*a): raise a[0]", "<py3fix>", "exec"))  # codetable: ok security.code-injection.eval
exec(open(sys.argv[1]).read())  # codetable: expect security.code-injection.eval
eval(compile(sys.stdin.read(), "<stdin>", "exec"))  # codetable: expect security.code-injection.eval
setup(name="paquet", version=about["__version__"])
