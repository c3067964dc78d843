"""Database, Pattern and their satellites: every method, and every way bytes can be wrong."""

from __future__ import annotations

import json
import pathlib

import pytest

import codetable
from conftest import SHAPE_TOML


def test_default_has_md5(db: codetable.Database) -> None:
    assert len(db) >= 1
    p = db.pattern("security.weak-hash.md5")
    assert p.symbol == "Md"
    assert p.name == "MD5 hash"
    assert p.group == "security"
    assert p.severity == "high"
    assert "python" in p.languages and "go" in p.languages
    assert p.summary.startswith("MD5")
    assert 327 in p.cwe and 328 in p.cwe
    assert p.owasp == ("A02:2021",)
    assert any("password" in c for c in p.common_issues)
    assert p.alternatives == ("security.strong-hash.sha256",)
    assert p.relations == ()
    assert any("rfc6151" in r for r in p.references)
    assert p.matcher == "rule"
    assert p.threshold is None
    assert ("python", "hashlib.md5($$$ARGS)") in p.templates
    kinds = [q.kind for q in p.properties]
    assert kinds[0] == "security" and "maintainability" in kinds
    assert p.properties[0].evidence == ("https://www.rfc-editor.org/rfc/rfc6151",)
    assert p.message == p.properties[0].text
    assert any(e.expect_match for e in p.examples)
    assert any(not e.expect_match for e in p.examples)
    assert {e.expect for e in p.examples} == {"match", "no-match"}
    assert all(e.expect_match == (e.expect == "match") for e in p.examples)
    assert p.require == () and p.exclude == ()
    ex = p.examples[0]
    assert ex.language in p.languages and "md5" in ex.code
    assert db.pattern(p.number) == p


def test_pattern_is_frozen_with_readable_repr(db: codetable.Database) -> None:
    p = db.pattern("security.weak-hash.md5")
    with pytest.raises(AttributeError):
        p.severity = "low"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        p.new_attribute = 1  # type: ignore[attr-defined]
    r = repr(p)
    assert "Md" in r and "security.weak-hash.md5" in r and "MD5 hash" in r and "high" in r
    assert "security" in repr(p.properties[0])
    assert "Example(language=" in repr(p.examples[0])


def test_pattern_equality_and_hash(db: codetable.Database) -> None:
    a = db.pattern("security.weak-hash.md5")
    b = db.by_symbol("Md")
    assert a == b and hash(a) == hash(b)
    assert len({a, b}) == 1
    others = [p for p in db if p.id != a.id]
    if others:
        assert a != others[0]
    assert a != "security.weak-hash.md5"


def test_pattern_to_dict_is_the_sheet(db: codetable.Database) -> None:
    p = db.pattern("security.weak-hash.md5")
    d = p.to_dict()
    assert d["id"] == "security.weak-hash.md5" and d["number"] == p.number
    assert d["severity"] == "high"
    assert d["properties"][0]["kind"] == "security"
    assert d["cwe"] == [327, 328]
    assert d["key_property"] == p.key_property == p.message
    assert d["matcher"]["kind"] == "rule"
    assert [(r["language"], r["pattern"]) for r in d["matcher"]["rules"]] == list(p.templates)
    assert {e["expect"] for e in d["examples"]} == {"match", "no-match"}
    assert d == json.loads(p.to_json())


def test_pattern_to_markdown_is_cores_sheet(db: codetable.Database) -> None:
    p = db.pattern("security.weak-hash.md5")
    md = p.to_markdown()
    assert md.splitlines()[0] == "**Md** \u00b7 **MD5 hash** \u00b7 `security.weak-hash.md5`"
    assert "\nsecurity \u00b7 severity **high** \u00b7 python" in md
    assert "[CWE-327](https://cwe.mitre.org/data/definitions/327.html)" in md
    assert "OWASP A02:2021" in md
    assert "\n#### Properties\n\n- **security**: " in md
    assert all(f"- `{a}`\n" in md for a in p.alternatives)
    assert md.endswith("\n") and md == db.pattern(p.number).to_markdown()
    # Every sheet: its id, one bullet per property, prose escaped (no stray emphasis).
    for q in db:
        md = q.to_markdown()
        assert f"`{q.id}`" in md, q.id
        assert sum(line.startswith("- **") for line in md.splitlines()) == len(q.properties), q.id
    dunder = [q for q in db if any("__" in prop.text and "`" not in prop.text for prop in q.properties)]
    assert dunder, "some property names a dunder (__builtins__, __reduce__) in plain prose"
    for q in dunder:
        assert "\\_\\_" in q.to_markdown(), q.id


def test_shape_guards(db: codetable.Database) -> None:
    singleton = db.pattern("design.creational.singleton")
    assert singleton.matcher == "shape" and singleton.threshold is not None
    assert ("python", "cls.$F = cls($$$)") in singleton.require
    m = singleton.to_dict()["matcher"]
    assert m["kind"] == "shape"
    assert [(r["language"], r["pattern"]) for r in m["require"]] == list(singleton.require)
    assert [(r["language"], r["code"]) for r in m["references"]] == list(singleton.templates)
    assert any(r["inside"] for r in m["require"] if r["language"] == "java")
    strategy = db.pattern("design.behavioral.strategy")
    assert strategy.exclude and all(lang in strategy.languages for lang, _ in strategy.exclude)
    wheres = [w for r in strategy.to_dict()["matcher"]["exclude"] for w in r["where"]]
    assert any(w["metavar"] == "$$$B" and "codec" in (w["regex"] or "") for w in wheres)


def test_lookups(db: codetable.Database) -> None:
    assert db.by_symbol("Md").id == "security.weak-hash.md5"
    assert db.by_symbol("md") is None  # exact and case-sensitive
    assert db.by_symbol("Zzz") is None
    assert db.find("MD5 hash").id == "security.weak-hash.md5"
    assert db.find("md5 HASH").id == "security.weak-hash.md5"
    assert db.find("Md").id == "security.weak-hash.md5"
    assert db.find("no such pattern") is None
    found = db.search("security.weak")
    assert "security.weak-hash.md5" in [p.id for p in found]
    assert db.search("zzz-no-such-prefix") == []
    assert db["security.weak-hash.md5"].symbol == "Md"
    assert "security.weak-hash.md5" in db
    assert "nope" not in db
    with pytest.raises(KeyError, match="nope"):
        db.pattern("nope")
    with pytest.raises(KeyError):
        db.pattern(len(db))
    with pytest.raises(KeyError):
        db.pattern(-1)
    with pytest.raises(TypeError):
        db.pattern(1.5)  # type: ignore[arg-type]


def test_iteration_and_len(db: codetable.Database) -> None:
    patterns = list(db)
    assert len(patterns) == len(db)
    assert [p.number for p in patterns] == list(range(len(db)))
    assert len({p.symbol for p in patterns}) == len(db)
    it = iter(db)
    assert iter(it) is it
    list(it)
    with pytest.raises(StopIteration):
        next(it)
    info = db.info()
    assert info["patterns"] == len(db) and info["size"] == len(db.to_bytes())
    assert repr(db) == f"<codetable.Database: {len(db)} patterns>"


def test_open_and_from_bytes_round_trip(db: codetable.Database, tmp_path: pathlib.Path) -> None:
    data = db.to_bytes()
    f = tmp_path / "catalog.ctdb"
    f.write_bytes(data)
    for other in (
        codetable.Database.open(f),
        codetable.Database.open(str(f), verify=True),
        codetable.Database.from_bytes(data),
        codetable.Database.from_bytes(bytearray(data)),
        codetable.Database.from_bytes(memoryview(data), verify=False),
    ):
        assert len(other) == len(db)
        assert [p.id for p in other] == [p.id for p in db]
        other.verify()


def test_bad_paths(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "missing.ctdb"
    with pytest.raises(codetable.FileError, match="missing.ctdb") as e:
        codetable.Database.open(missing)
    assert isinstance(e.value, OSError) and isinstance(e.value, codetable.Error)
    empty = tmp_path / "empty.ctdb"
    empty.write_bytes(b"")
    with pytest.raises(codetable.DatabaseError, match="not a codetable pattern database"):
        codetable.Database.open(empty)
    with pytest.raises(codetable.FileError):
        codetable.Database.open(tmp_path)  # a directory


def test_corrupt_bytes(db: codetable.Database) -> None:
    data = db.to_bytes()
    with pytest.raises(codetable.DatabaseError, match="magic"):
        codetable.Database.from_bytes(b"")
    with pytest.raises(codetable.DatabaseError):
        codetable.Database.from_bytes(b"XXXXXXXX" + data[8:])
    for cut in (16, len(data) // 2, len(data) - 1):
        with pytest.raises(codetable.DatabaseError):
            codetable.Database.from_bytes(data[:cut])
    with pytest.raises(codetable.DatabaseError, match="version"):
        codetable.Database.from_bytes(data[:8] + b"\xff\xff\x00\x00" + data[12:])
    # A flipped byte anywhere in the sections is caught by the checksums: at once with
    # verification, or on use without it — never a crash.
    for at in list(range(0, len(data), max(1, len(data) // 60))) + [len(data) - 1]:
        bad = bytearray(data)
        bad[at] ^= 0x5A
        with pytest.raises(codetable.DatabaseError):
            codetable.Database.from_bytes(bytes(bad))
        try:
            lazy = codetable.Database.from_bytes(bytes(bad), verify=False)
            for p in lazy:
                p.to_dict()
            codetable.Engine(lazy).scan_source("import hashlib\nhashlib.md5(b'')\n", "python")
        except codetable.DatabaseError:
            pass
    with pytest.raises(TypeError):
        codetable.Database.from_bytes("not bytes")  # type: ignore[arg-type]


def test_compile(shape_db: codetable.Database, tmp_path: pathlib.Path) -> None:
    p = shape_db.pattern("design.singleton.test")
    assert p.matcher == "shape" and p.threshold == pytest.approx(0.8)
    assert p.templates[0][0] == "python" and "_instance" in p.templates[0][1]
    assert p.require == () and p.exclude == ()
    assert p.to_dict()["matcher"]["threshold"] == pytest.approx(0.8)
    (tmp_path / "design").mkdir()
    (tmp_path / "design" / "s.toml").write_text(SHAPE_TOML)
    assert len(codetable.Database.compile(tmp_path)) == 1
    with pytest.raises(codetable.DatabaseError, match="broken.toml"):
        codetable.Database.compile({"broken.toml": "id = 1"})
    with pytest.raises(codetable.FileError):
        codetable.Database.compile(tmp_path / "missing")


def test_exception_hierarchy() -> None:
    for cls in (codetable.DatabaseError, codetable.LanguageError, codetable.EditError,
                codetable.FileError):
        assert issubclass(cls, codetable.Error)
    assert issubclass(codetable.FileError, OSError)
    assert issubclass(codetable.LanguageError, ValueError)
    assert issubclass(codetable.EditError, ValueError)


def test_panic_becomes_codetable_error() -> None:
    from codetable import _native

    with pytest.raises(codetable.Error, match="internal error.*deliberate panic") as e:
        _native._panic_for_test()
    assert type(e.value) is codetable.Error


def test_languages() -> None:
    assert codetable.languages() == ["python", "javascript", "typescript", "tsx", "java",
                                     "kotlin", "go", "rust", "c", "cpp"]
    assert codetable.__version__


def test_typing_files_ship() -> None:
    import importlib.resources as r

    names = {p.name for p in r.files("codetable").iterdir()}
    assert {"py.typed", "_native.pyi", "__main__.py"} <= names


def test_docstrings_everywhere() -> None:
    for name in codetable.__all__:
        obj = getattr(codetable, name)
        if isinstance(obj, type):
            assert obj.__doc__, name
            for attr, member in vars(obj).items():
                if attr.startswith("_") or not callable(member) and not hasattr(member, "__get__"):
                    continue
                assert getattr(member, "__doc__", None), f"{name}.{attr}"



def test_opening_checks_everything_and_snapshots_the_file(
    db: codetable.Database, tmp_path: pathlib.Path
) -> None:
    """Issue #20: a damaged section is refused at open even without verify; the file may be
    truncated or rewritten after opening (a private snapshot, not a map that faults); FIFOs and
    folders are refused before opening (a FIFO would block: the alarm fails such a regression)."""
    import os
    import signal

    data = db.to_bytes()
    bad = bytearray(data)
    bad[len(data) // 3] ^= 0x10
    with pytest.raises(codetable.DatabaseError, match="corrupt"):
        codetable.Database.from_bytes(bytes(bad), verify=False)
    path = tmp_path / "db.ctdb"
    path.write_bytes(data)
    engine = codetable.Engine(codetable.Database.open(path))
    os.truncate(path, 0)
    source = "import hashlib\n# clé 🔑\nhashlib.md5(b'')\n"
    found = engine.scan_source(source, "python")
    assert any(f.pattern.id == "security.weak-hash.md5" for f in found)
    path.write_bytes(b"\0" * len(data))
    assert [f.pattern.id for f in engine.scan_source(source, "python")] == [
        f.pattern.id for f in found
    ]
    with pytest.raises(codetable.DatabaseError):
        codetable.Database.open(path)
    fifo = tmp_path / "pipe.ctdb"
    os.mkfifo(fifo)
    signal.alarm(30)
    try:
        with pytest.raises(codetable.FileError, match="not a regular file"):
            codetable.Database.open(fifo)
        with pytest.raises(codetable.FileError, match="not a regular file"):
            codetable.Database.open(tmp_path)
    finally:
        signal.alarm(0)
