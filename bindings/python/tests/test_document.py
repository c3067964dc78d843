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
    assert doc.findings() is None  # not analysed yet
    assert md5(engine.analyze(doc)) == []
    shown = doc.findings()
    assert shown is not None and md5(shown) == []
    at = SRC.index("blake2b")
    delta = doc.edit(at, at + len("blake2b"), "md5")
    assert doc.version == 1 and doc.text == SRC.replace("blake2b", "md5")
    method = doc.units[2]
    assert method.id in delta.changed and delta.added == () and delta.removed == ()
    assert method.id in delta.edited and not delta.is_empty()
    assert "changed" in repr(delta)
    assert doc.has_pending_edits
    with pytest.raises(codetable.EditError, match="analyze_delta"):
        doc.findings()  # its ranges would refer to an older text
    changes = engine.analyze_delta(doc)
    assert not doc.has_pending_edits
    [f] = md5(list(changes.added))
    assert md5(list(changes.updated)) == [] and md5(list(changes.removed)) == []
    assert doc.text[f.start_index:f.end_index] == "hashlib.md5(data)"
    assert f.unit == method.id and f.unit_name == "Store.key"
    assert "1 added" in repr(changes) and not changes.is_empty()
    assert [g.to_json() for g in md5(doc.findings() or [])] == [f.to_json()]
    assert engine.analyze_delta(doc).is_empty()  # nothing since
    # Whitespace elsewhere: nothing changes, the finding keeps its identity and shifts.
    assert doc.edit(0, 0, "\n").is_empty()
    assert engine.analyze_delta(doc).is_empty()
    [f2] = md5(doc.findings() or [])
    assert f2.id == f.id and f2.start == (f.start[0] + 1, f.start[1])
    assert f2.start_index == f.start_index + 1
    # The edit is undone: the finding is removed, with its range in the current text.
    at = doc.text.index("md5")
    doc.edit(at, at + 3, "sha256")
    gone = engine.analyze_delta(doc)
    [r] = md5(list(gone.removed))
    assert r.id == f.id and doc.text[r.start_index:r.end_index] == "hashlib.sha256(data)"
    assert md5(doc.findings() or []) == []


def test_pending_edits_are_merged(engine: codetable.Engine) -> None:
    doc = codetable.Document("python", SRC)
    engine.analyze(doc)
    at = SRC.index("blake2b")
    doc.edit(at, at + len("blake2b"), "")
    for i, c in enumerate("md5"):  # typed one character at a time
        doc.edit(at + i, at + i, c)
    changes = engine.analyze_delta(doc)
    assert [f.snippet for f in md5(list(changes.added))] == ["hashlib.md5(data)"]
    # Typed and deleted again before any analysis: nothing to report.
    doc.edit(0, 0, "import os  # 😀\n")
    doc.edit(0, len("import os  # 😀\n"), "")
    assert engine.analyze_delta(doc).is_empty()


def test_another_engine_starts_over(engine: codetable.Engine, db: codetable.Database) -> None:
    doc = codetable.Document("python", MD5_PY)
    [f] = md5(engine.analyze(doc))
    other = codetable.Engine(db)
    changes = other.analyze_delta(doc)  # everything added, the first engine's removed
    assert [g.id for g in md5(list(changes.added))] == [f.id]
    assert [g.id for g in md5(list(changes.removed))] == [f.id]
    assert changes.updated == ()
    assert other.analyze_delta(doc).is_empty()


def test_edit_adds_and_removes_units(engine: codetable.Engine) -> None:
    doc = codetable.Document("python", "x = 1\n")
    d = doc.edit(len(doc), len(doc), "def f(data):\n    return hashlib.md5(data)\n")
    [added] = d.added
    assert doc.units[1].id == added and doc.units[1].name == "f"
    # No analysis yet: the first analyze_delta analyses everything.
    [f] = md5(list(engine.analyze_delta(doc).added))
    assert f.unit == added
    d2 = doc.edit(6, len(doc), "")
    assert d2.removed == (added,)
    [r] = md5(list(engine.analyze_delta(doc).removed))
    assert r.id == f.id and r.start_index == r.end_index == 6  # collapsed where the text went


def test_out_of_range_edits() -> None:
    doc = codetable.Document("python", "x = 1\n")
    for start, end in ((0, 7), (7, 7), (-1, 2), (3, 2), (0, 10**12)):
        with pytest.raises(codetable.EditError):
            doc.edit(start, end, "y")
    assert doc.text == "x = 1\n" and doc.version == 0
    with pytest.raises(ValueError):  # EditError is a ValueError
        doc.edit(5, 4, "")


def test_budget(engine: codetable.Engine) -> None:
    src = "import hashlib\n\nclass Café:\n    def h(self, x):\n        return hashlib.md5(x)\n"
    doc = codetable.Document("python", src)
    assert doc.budget == (5.0, 40_000_000)  # the default
    doc.set_budget(None, 3)
    assert doc.budget == (None, 3)
    with pytest.raises(codetable.BudgetError, match="budget of 3 syntax nodes"):
        engine.analyze(doc)
    # An edit past the budget changes nothing.
    with pytest.raises(codetable.BudgetError):
        doc.edit(0, 0, "import os\n")
    assert doc.text == src and doc.version == 0
    with pytest.raises(ValueError):
        doc.set_budget(-1.0, None)
    doc.set_budget(None, None)
    assert len(md5(engine.analyze(doc))) == 1
    # Memory, estimated from the text's tokens before each parse (200 bytes a token).
    assert doc.memory_budget == 64 << 20  # kept by set_budget when not given
    doc.set_budget(None, None, max_memory=2000)
    assert doc.memory_budget == 2000 and doc.budget == (None, None)
    with pytest.raises(codetable.BudgetError, match="memory budget"):
        doc.edit(0, 0, "é(1,2,3,4,5,6,7,8,9)\n")
    assert doc.text == src
    doc.set_budget(None, None, max_memory=None)
    assert doc.memory_budget is None
    doc.edit(0, 0, "é(1,2,3,4,5,6,7,8,9)\n")
    with pytest.raises(TypeError):
        doc.set_budget(None, None, max_memory="lots")
    with pytest.raises(TypeError, match="max_memroy"):
        doc.set_budget(None, None, max_memroy=1)



def test_fingerprint_survives_edits_above_the_finding(engine: codetable.Engine) -> None:
    src = "import hashlib\n\ndef clé(données):\n    return hashlib.md5(données).hexdigest()\n"
    before = md5(engine.analyze(codetable.Document("python", src)))
    assert len(before) == 1
    fp = before[0].fingerprint
    assert len(fp) == 16 and int(fp, 16) >= 0
    assert before[0].to_dict()["fingerprint"] == fp
    above = src.replace("def clé", "# 日本語 😀\ndef autre(x):\n    return x\n\n\ndef clé")
    moved = md5(engine.analyze(codetable.Document("python", above)))
    assert moved[0].start[0] != before[0].start[0]
    assert moved[0].fingerprint == fp
    changed = src.replace("md5(données)", "md5(données + b'!')")
    assert md5(engine.analyze(codetable.Document("python", changed)))[0].fingerprint != fp
