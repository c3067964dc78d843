"""Shared fixtures. The suite runs against the installed wheel, never the source tree."""

from __future__ import annotations

import json
import pathlib
from typing import Any

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


def find_repo_root() -> pathlib.Path:
    """The repository holding this suite: the nearest parent with the cross-host golden files."""
    here = pathlib.Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "tests" / "golden" / "sessions.json").is_file() and (parent / "core" / "schema").is_dir():
            return parent
    raise RuntimeError(f"no repository root (with tests/golden and core/schema) above {here}")


REPO = find_repo_root()


def schema(name: str) -> Any:
    """A validator for one of core's JSON schemas (core/schema/<name>.schema.json)."""
    import jsonschema

    data = json.loads((REPO / "core" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(data)  # the schema itself is valid draft 2020-12
    return jsonschema.Draft202012Validator(data)


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
