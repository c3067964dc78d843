"""Selection, code context and inline suppressions through the Python API (issue #16): a new
engine reports every raw match; ``Engine.select`` sets what is reported; the path and the code
decide each finding's context."""

from __future__ import annotations

import pytest

import codetable

SRC = (
    "import hashlib\n"
    "# é 日本\n"
    "h = hashlib.md5(b'')\n"
    "d = hashlib.md5(b'x')  # codetable: ignore[Md] -- checksum, naïve\n"
    "s = hashlib.sha256(b'')\n"
    "\n"
    "def test_vectors():\n"
    "    return hashlib.md5(b'abc')\n"
)


def summary(findings: list[codetable.Finding]) -> list[tuple[str, int, str, str]]:
    return [(f.pattern.symbol, f.start[0] + 1, f.severity, f.context) for f in findings]


def test_a_new_engine_reports_raw_matches_with_their_context() -> None:
    engine = codetable.Engine()
    got = summary(engine.scan_source(SRC, "python", path="src/app.py"))
    assert ("Md", 4, "high", "production") in got  # not suppressed without a selection
    assert ("Sh", 5, "info", "production") in got
    assert ("Md", 8, "high", "test") in got  # a pytest test_ function
    assert engine.scan_source(SRC, "python")[0].to_dict()["context"] == "production"


def test_select_applies_levels_context_and_suppressions() -> None:
    engine = codetable.Engine()
    engine.select()
    got = summary(engine.scan_source(SRC, "python", path="src/app.py"))
    assert got == [("Md", 3, "high", "production"), ("Md", 8, "medium", "test")]
    got = summary(engine.scan_source(SRC, "python", path="tests/test_app.py"))
    assert got == [("Md", 3, "medium", "test"), ("Md", 8, "medium", "test")]
    engine.select(["security", "info"], ignore=["security.weak-hash"])
    assert summary(engine.scan_source(SRC, "python", path="src/app.py")) == [
        ("Sh", 5, "info", "production")
    ]
    with pytest.raises(ValueError, match="did you mean `Md`"):
        engine.select(["Mdd"])
    # The failed call changed nothing.
    assert [f.pattern.symbol for f in engine.scan_source(SRC, "python")] == ["Sh"]


def test_documents_follow_the_engines_selection() -> None:
    engine = codetable.Engine()
    doc = codetable.Document("python", SRC)
    assert len(engine.analyze(doc)) == 4
    engine.select(["Md"])
    assert [f.start[0] + 1 for f in engine.analyze(doc)] == [3, 8]


def test_a_documents_context_is_set_by_name_and_wins() -> None:
    """A project's per-path context (``[context]`` in codetable.toml) reaches a document."""
    engine = codetable.Engine()
    engine.select()
    doc = codetable.Document("python", SRC)
    assert doc.context is None
    assert summary(engine.analyze(doc)) == [("Md", 3, "high", "production"), ("Md", 8, "medium", "test")]
    doc.context = "test"
    assert doc.context == "test"
    assert summary(engine.analyze(doc)) == [("Md", 3, "medium", "test"), ("Md", 8, "medium", "test")]
    assert [f.context for f in doc.findings() or []] == ["test", "test"]
    with pytest.raises(ValueError, match="did you mean `test`"):
        doc.context = "tests"
    assert doc.context == "test"  # the failed call changed nothing
    doc.context = None
    assert summary(engine.analyze(doc))[0] == ("Md", 3, "high", "production")
