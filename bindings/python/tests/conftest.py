"""Shared fixtures. The suite runs against the installed wheel, never the source tree."""

from __future__ import annotations

import pathlib

import pytest

import codetable

MD5_PY = "import hashlib\n\ndef key(data):\n    return hashlib.md5(data).hexdigest()\n"

SHAPE_TOML = '''
id = "design.singleton.test"
symbol = "Sgt"
name = "Test singleton"
group = "design"
severity = "info"
languages = ["python"]
summary = "A class that hands out one shared instance."

[[properties]]
kind = "maintainability"
text = "Global state in disguise."

[shape]
threshold = 0.8
[[shape.reference]]
language = "python"
code = """
class Config:
    _instance = None
    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance
"""

[[examples]]
language = "python"
expect = "match"
code = """
class Registry:
    _inst = None
    def __new__(cls):
        if cls._inst is None:
            cls._inst = super().__new__(cls)
        return cls._inst
"""

[[examples]]
language = "python"
expect = "no-match"
code = """
def add(a, b):
    return a + b
"""
'''


def test_runs_against_installed_module() -> None:
    """The package under test is the installed one, not bindings/python/python."""
    here = pathlib.Path(__file__).resolve().parents[1]
    assert here not in pathlib.Path(codetable.__file__).resolve().parents


@pytest.fixture(scope="session")
def db() -> codetable.Database:
    return codetable.Database.default()


@pytest.fixture(scope="session")
def engine(db: codetable.Database) -> codetable.Engine:
    return codetable.Engine(db)


@pytest.fixture(scope="session")
def shape_db() -> codetable.Database:
    return codetable.Database.compile({"design/singleton.toml": SHAPE_TOML})
