"""User rules stacked over the catalog (`Database.with_rules`) and the search that finds."""

from __future__ import annotations

import pathlib
import pickle

import pytest

import codetable
from conftest import REPO

RULES = REPO / "examples" / "rules"


@pytest.fixture(autouse=True)
def cache(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    monkeypatch.setenv("CODETABLE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_rules_stack_over_the_catalog(cache: pathlib.Path) -> None:
    db = codetable.Database.with_rules([RULES])
    base = codetable.Database.default()
    assert db.layers == 2 and base.layers == 1
    assert len(db) == len(base) + 2
    p = db.pattern("house.debug.print-call")
    assert p.symbol == "" and p.group == "maintainability" and p.languages == ("python",)
    assert db.find("cl").id == "house.debug.console-log"
    assert db.search("console")[0].id == "house.debug.console-log"
    assert len(list(cache.glob("rules-*.ctdb"))) == 1
    engine = codetable.Engine(db)
    doc = codetable.Document("python", "import hashlib\n# « débogage »\nprint(hashlib.md5(b'x'))\n")
    found = {f.pattern.id for f in engine.analyze(doc)}
    assert {"house.debug.print-call", "security.weak-hash.md5"} <= found
    # Pickled for a worker: the paths and the base travel, the worker compiles (or reuses).
    again = pickle.loads(pickle.dumps(db))
    assert again.layers == 2 and len(again) == len(db)


def test_rules_errors_name_the_file(tmp_path: pathlib.Path) -> None:
    text = (RULES / "house.toml").read_text(encoding="utf-8")
    clash = tmp_path / "clash.toml"
    clash.write_text(text.replace("house.debug.print-call", "security.weak-hash.md5"), encoding="utf-8")
    with pytest.raises(codetable.DatabaseError, match="security.weak-hash.md5"):
        codetable.Database.with_rules([clash])
    failing = tmp_path / "failing.toml"
    failing.write_text(text.replace("logger.debug(", "console.log("), encoding="utf-8")
    with pytest.raises(codetable.DatabaseError, match=r"failing.toml: patterns\[1\]: examples\[1\]"):
        codetable.Database.with_rules([failing])
    # Over another database.
    small = codetable.Database.from_bytes(codetable.Database.default().to_bytes())
    assert codetable.Database.with_rules([RULES], small).layers == 2


def test_search_finds_words_typos_cwes_and_owasp(db: codetable.Database) -> None:
    ids = lambda q: [p.id for p in db.search(q)]  # noqa: E731
    injection = ids("injection")
    assert "security.sql-injection.string-built" in injection
    assert "security.sql-injection.string-built" in ids("INJCETION")
    assert ids("md5")[0] == "security.weak-hash.md5"
    cwe = ids("CWE-89")
    assert cwe and cwe == ids("89")
    assert all(89 in db.pattern(i).cwe for i in cwe)
    assert "security.weak-hash.md5" in ids("a02")
    assert ids("zzqqxx") == []
