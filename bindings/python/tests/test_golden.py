"""The cross-host golden files every host must reproduce through its own public API:

- tests/golden/sessions.json: edit scripts replayed through Document/Engine in Python string
  indices (code points), with exactly the expected added/updated/removed/current findings;
- tests/golden/scan.jsonl: `codetable scan --format json examples/project`, which scan_file and
  `python -m codetable scan` must reproduce byte for byte;
- core/schema/*.schema.json: every pattern and finding dict validates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

import codetable
from conftest import REPO, schema

SESSIONS = json.loads((REPO / "tests" / "golden" / "sessions.json").read_text(encoding="utf-8"))
SCAN = REPO / "tests" / "golden" / "scan.jsonl"
KEYS = ("id", "pattern", "bytes", "code_points", "line", "code_point_column")


def seen(f: codetable.Finding) -> dict[str, Any]:
    """A finding in the corpus's terms (its ranges as Python gives them)."""
    assert f.to_dict()["id"] == f"{f.id:016x}"
    return {
        "id": f"{f.id:016x}",
        "pattern": f.pattern.id,
        "bytes": [f.byte_start, f.byte_end],
        "code_points": [f.start_index, f.end_index],
        "line": f.start[0],
        "code_point_column": f.start[1],
    }


def expected(matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for m in matches:
        assert len(m["id"]) == 16 and int(m["id"], 16) >= 0
    return [{k: m[k] for k in KEYS} for m in matches]


def test_the_corpus_has_scripts() -> None:
    assert SESSIONS["version"] == 1
    assert len(SESSIONS["scripts"]) >= 5


@pytest.mark.parametrize("script", SESSIONS["scripts"], ids=lambda s: s["name"])
def test_edit_script(engine: codetable.Engine, script: dict[str, Any]) -> None:
    doc = codetable.Document(script["language"], script["text"])
    changed = 0
    for n, step in enumerate(script["steps"]):
        where = f"{script['name']} step {n} ({step['op']})"
        if step["op"] == "analyze":
            assert [seen(f) for f in engine.analyze(doc)] == expected(step["matches"]), where
            assert not doc.has_pending_edits
        elif step["op"] == "edit":
            start, end = step["code_points"]
            before = doc.text
            doc.edit(start, end, step["text"])
            assert doc.text == before[:start] + step["text"] + before[end:], where
            assert doc.has_pending_edits
        else:
            assert step["op"] == "analyze_delta", where
            changes = engine.analyze_delta(doc)
            assert doc.text == step["text"], where
            for kind in ("added", "updated", "removed"):
                got = getattr(changes, kind)
                assert isinstance(got, tuple)
                assert [seen(f) for f in got] == expected(step[kind]), f"{where}: {kind}"
                changed += len(got)
            assert changes.is_empty() == (not any(step[k] for k in ("added", "updated", "removed"))), where
            shown = doc.findings()
            assert shown is not None
            assert [seen(f) for f in shown] == expected(step["matches"]), f"{where}: matches"
            # The same text scanned from scratch gives the same findings.
            fresh = engine.scan_source(doc.text, script["language"])
            assert [f.to_json() for f in fresh] == [f.to_json() for f in shown], where
    assert changed, f"{script['name']} changes no finding"


def golden_lines() -> list[str]:
    lines = SCAN.read_text(encoding="utf-8").splitlines()
    assert lines, "tests/golden/scan.jsonl is empty"
    return lines


def test_scan_file_gives_the_golden_json(engine: codetable.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = golden_lines()
    paths = list(dict.fromkeys(json.loads(line)["path"] for line in lines))
    assert len(paths) >= 3
    monkeypatch.chdir(REPO)
    got = [f.to_json() for p in paths for f in engine.scan_file(p)]
    assert got == lines  # byte for byte: core serialises, whoever asks
    finding = schema("finding")
    for f in engine.scan_file(paths[0]):
        d = f.to_dict()
        finding.validate(d)
        assert json.loads(f.to_json()) == d


def test_python_m_codetable_gives_the_golden_json() -> None:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    # `python -m codetable` is the whole command line: -q keeps its summary off stderr.
    # The golden file holds every pattern's raw findings (what the engines give without a
    # profile): --select all --raw, as the CLI's own golden test runs it.
    r = subprocess.run([sys.executable, "-m", "codetable", "scan", "--format", "json", "-q", "--select", "all",
                        "--raw", "examples/project"],
                       cwd=REPO, env=env, capture_output=True, timeout=300)
    assert r.stderr == b""
    assert r.stdout == SCAN.read_bytes()
    # Examples never fail the build: their findings are not production code's.
    assert r.returncode == 0
    failing = REPO / "examples" / "project" / "go" / "inventory.go"
    r = subprocess.run([sys.executable, "-m", "codetable", "scan", "-q", "--pattern", "Md", str(failing)],
                       cwd=REPO, env=env, capture_output=True, timeout=300)
    assert r.returncode == 0 and b"context: example" in r.stdout, r.stdout


def test_every_pattern_dict_is_the_schema(db: codetable.Database) -> None:
    sheet = schema("pattern-sheet")
    kinds = set()
    for p in db:
        d = p.to_dict()
        sheet.validate(d)
        assert d == json.loads(p.to_json())
        assert (d["id"], d["number"], d["matcher"]["kind"]) == (p.id, p.number, p.matcher)
        kinds.add(p.matcher)
    assert kinds == {"rule", "shape"}


def test_finding_dicts_of_every_kind_are_the_schema(engine: codetable.Engine) -> None:
    finding = schema("finding")
    src = "# 日本 😀\nimport hashlib\nh = hashlib.new('md5', b'abc')\n"
    fs = engine.scan_source(src, "python", path="./k.py")
    assert fs
    for f in fs:
        d = f.to_dict()
        finding.validate(d)
        assert d["path"] == "k.py" and f.path == "k.py"
    no_path = engine.scan_source(src, "python")[0].to_dict()
    finding.validate(no_path)
    assert no_path["path"] is None
    bad = dict(no_path, extra=1)
    with pytest.raises(Exception, match="extra"):
        finding.validate(bad)
