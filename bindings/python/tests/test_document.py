"""Document: units, incremental edits in string indices, analyze and analyze_delta."""

from __future__ import annotations

import pytest

import codetable
from conftest import MD5_PY

def md5(fs: list[codetable.Finding]) -> list[codetable.Finding]:
    return [f for f in fs if f.pattern.id == "security.weak-hash.md5"]


SRC = "import hashlib\n\nclass Store:\n    def key(self, data):\n        return hashlib.blake2b(data).hexdigest()\n"


def test_units(engine: codetable.Engine) -> None:
    doc = codetable.Document("python", SRC)
    assert doc.language == "python" and doc.text == SRC and len(doc) == len(SRC)
    assert doc.version == 0 and not doc.has_syntax_errors
    kinds = [(u.kind, u.qualified_name) for u in doc.units]
    assert kinds == [("module", ""), ("class", "Store"), ("method", "Store.key")]
    module, cls, method = doc.units
    assert module.parent is None and module.depth == 0
    assert cls.parent == module.id and method.parent == cls.id and method.depth == 2
    assert method.name == "key"
    assert SRC[method.start_index:method.end_index].startswith("def key")
    assert method.start == (3, 4) and method.end[0] == 4
    assert isinstance(method.fingerprint, int) and method.feature_count > 0
    assert doc.unit_at_line(4).id == method.id
    assert doc.unit_at_line(0).id == module.id
    assert "Store.key" in repr(method) and "python" in repr(doc)
    with pytest.raises(AttributeError):
        method.name = "x"  # type: ignore[misc]


def test_edit_and_analyze_delta(engine: codetable.Engine) -> None:
    doc = codetable.Document("python", SRC)
    assert md5(engine.analyze(doc)) == []
    at = SRC.index("blake2b")
    delta = doc.edit(at, at + len("blake2b"), "md5")
    assert doc.version == 1 and doc.text == SRC.replace("blake2b", "md5")
    method = doc.units[2]
    assert method.id in delta.changed and delta.added == () and delta.removed == ()
    assert method.id in delta.edited and not delta.is_empty()
    assert "changed" in repr(delta)
    fd = engine.analyze_delta(doc, delta)
    assert method.id in fd.units
    [f] = md5(fd.findings)
    assert f.pattern.id == "security.weak-hash.md5"
    assert doc.text[f.start_index:f.end_index] == "hashlib.md5(data)"
    assert [g.to_dict() for g in md5(engine.analyze(doc))] == [f.to_dict()]
    assert "FindingDelta" in repr(fd)
    # Whitespace elsewhere: no unit changes, the finding keeps its identity.
    d2 = doc.edit(0, 0, "\n")
    assert d2.changed == () and d2.is_empty()
    [f2] = md5(engine.analyze(doc))
    assert f2.id == f.id and f2.start == (f.start[0] + 1, f.start[1])
    # A delta is good for its document's latest edit only.
    with pytest.raises(codetable.EditError, match="latest edit"):
        engine.analyze_delta(doc, delta)
    other = codetable.Document("python", doc.text)
    with pytest.raises(codetable.EditError):
        engine.analyze_delta(other, d2)


def test_edit_adds_and_removes_units(engine: codetable.Engine) -> None:
    doc = codetable.Document("python", "x = 1\n")
    d = doc.edit(len(doc), len(doc), "def f(data):\n    return hashlib.md5(data)\n")
    [added] = d.added
    assert doc.units[1].id == added and doc.units[1].name == "f"
    fd = engine.analyze_delta(doc, d)
    assert added in fd.units
    d2 = doc.edit(6, len(doc), "")
    assert d2.removed == (added,)
    assert added in engine.analyze_delta(doc, d2).units


def test_out_of_range_edits() -> None:
    doc = codetable.Document("python", "x = 1\n")
    for start, end in ((0, 7), (7, 7), (-1, 2), (3, 2), (0, 10**12)):
        with pytest.raises(codetable.EditError):
            doc.edit(start, end, "y")
    assert doc.text == "x = 1\n" and doc.version == 0
    with pytest.raises(ValueError):  # EditError is a ValueError
        doc.edit(5, 4, "")
