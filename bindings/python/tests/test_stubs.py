"""The type stubs describe the module as it is: every public class and member, no more."""

from __future__ import annotations

import ast
import importlib.resources

import codetable
from codetable import _native


def stub_classes() -> dict[str, set[str]]:
    tree = ast.parse(importlib.resources.files("codetable").joinpath("_native.pyi").read_text())
    out: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            out[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)
                              and (not n.name.startswith("_") or n.name in ("__init__",))}
    return out


def test_stubs_match_the_module() -> None:
    stubs = stub_classes()
    runtime = {name for name in dir(_native) if isinstance(getattr(_native, name), type)}
    assert set(stubs) == runtime
    for name, members in stubs.items():
        cls = getattr(_native, name)
        public = {m for m in vars(cls) if not m.startswith("_")}
        members.discard("__init__")
        assert members == public, name


def test_syntax_errors_are_reported() -> None:
    doc = codetable.Document("python", "def f(:\n    pass\n")
    assert doc.has_syntax_errors
