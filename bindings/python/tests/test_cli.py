"""The ``codetable`` console script and ``python -m codetable``: the whole Rust command line."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

SUBCOMMANDS = ("scan", "explain", "search", "test", "table", "similar", "db", "lsp")


def script() -> str:
    """The console script installed beside this interpreter (the test venv's bin/)."""
    path = pathlib.Path(sys.executable).parent / "codetable"
    assert path.exists(), f"no console script at {path}"
    return str(path)


def run(*args: str, cwd: pathlib.Path = REPO, **env: str) -> subprocess.CompletedProcess[str]:
    e = dict(os.environ, **env)
    e.pop("PYTHONPATH", None)
    return subprocess.run([script(), *args], cwd=cwd, env=e, capture_output=True, text=True, timeout=300)


def test_the_script_has_every_subcommand_of_the_binary() -> None:
    r = run("--help")
    assert r.returncode == 0, r.stderr
    for sub in SUBCOMMANDS:
        assert f"\n  {sub}" in r.stdout, sub
    assert run("--version").stdout.strip() == "codetable 0.1.0"
    bad = run("scan", "--no-such-flag")
    assert bad.returncode == 2 and "--no-such-flag" in bad.stderr


def test_scan_explain_search_and_test_through_the_script(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "app.py"
    src.write_text("import hashlib\n# « débogage »\nprint(hashlib.md5(b'x'))\n", encoding="utf-8")
    r = run("scan", "--format", "json", "-q", "--rules", str(REPO / "examples" / "rules"), str(src),
            CODETABLE_CACHE_DIR=str(tmp_path / "cache"))
    assert r.returncode == 1, r.stderr
    ids = {json.loads(line)["pattern"] for line in r.stdout.splitlines()}
    assert {"security.weak-hash.md5", "house.debug.print-call"} <= ids
    sarif = json.loads(run("scan", "--format", "sarif", "-q", str(src)).stdout)
    assert sarif["version"] == "2.1.0"
    assert run("explain", "MD5", "--color", "never").stdout.startswith("Md  MD5 hash")
    assert "security.sql-injection.string-built" in run("search", "injcetion").stdout
    t = run("test", "--color", "never", "examples/rules", CODETABLE_CACHE_DIR=str(tmp_path / "cache"))
    assert t.returncode == 0 and "test result: ok. 3 passed; 0 failed" in t.stdout, t.stdout + t.stderr
    db = tmp_path / "rules.ctdb"
    b = run("db", "build", "--user", "examples/rules", "-o", str(db))
    assert b.returncode == 0 and db.stat().st_size > 0, b.stderr


def test_python_m_codetable_is_the_same_command() -> None:
    e = dict(os.environ)
    e.pop("PYTHONPATH", None)
    r = subprocess.run([sys.executable, "-m", "codetable", "explain", "md", "--format", "json"],
                       cwd=REPO, env=e, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["id"] == "security.weak-hash.md5"
    from codetable.__main__ import main
    assert main(["search", "zzqqxx-nothing"]) == 1
