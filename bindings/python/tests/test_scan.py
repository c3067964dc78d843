"""Engine: scan_source, scan_file, scan_paths, similar; findings and their dict form."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

import codetable
from conftest import MD5_PY


def md5_findings(fs: list[codetable.Finding]) -> list[codetable.Finding]:
    return [f for f in fs if f.pattern.id == "security.weak-hash.md5"]


def test_scan_source_finding_fields(engine: codetable.Engine) -> None:
    [f] = md5_findings(engine.scan_source(MD5_PY, "python"))
    assert f.path is None
    assert f.language == "python"
    assert f.pattern.symbol == "Md"
    assert f.severity == "high"
    assert f.message == f.pattern.message
    assert f.start == (3, 11) and f.end == (3, 28)
    assert MD5_PY[f.start_index:f.end_index] == "hashlib.md5(data)"
    assert f.score == 1.0
    assert f.unit_name == "key"
    assert isinstance(f.unit, int) and isinstance(f.id, int)
    assert "Md" in repr(f) and "4:12" in repr(f)
    with pytest.raises(AttributeError):
        f.score = 0.5  # type: ignore[misc]


def test_captures(engine: codetable.Engine) -> None:
    src = "import hashlib\nh = hashlib.new('md5', b'abc')\n"
    [f] = md5_findings(engine.scan_source(src, "python"))
    [c] = [c for c in f.captures if c.name == "$NAME"]
    assert c.text == "'md5'" and src[c.start_index:c.end_index] == "'md5'"
    assert "Capture(name=" in repr(c)
    with pytest.raises(AttributeError):
        c.text = "x"  # type: ignore[misc]


def test_scan_source_aliases_and_path(engine: codetable.Engine) -> None:
    src = 'const crypto = require("crypto");\nconst d = crypto.createHash("md5");\n'
    for lang in ("javascript", "js", "JS"):
        [f] = md5_findings(engine.scan_source(src, lang, path="a.js"))
        assert f.path == "a.js" and f.language == "javascript"
    assert engine.scan_source("x = 1\n", "python") == []
    assert engine.scan_source("", "python") == []


def test_unknown_language(engine: codetable.Engine) -> None:
    with pytest.raises(codetable.LanguageError, match="unknown language `cobol`"):
        engine.scan_source("x", "cobol")
    with pytest.raises(ValueError):
        codetable.Document("brainfuck", "+")


def test_to_dict_is_core_finding_record(engine: codetable.Engine) -> None:
    src = "import hashlib\nh = hashlib.new('md5', b'abc')\n"
    [f] = md5_findings(engine.scan_source(src, "python", path="k.py"))
    d = f.to_dict()
    assert list(d) == sorted(d)  # core's field order: the keys sorted
    p = f.pattern
    raw = src.encode()
    assert d == {
        "path": "k.py",
        "language": "python",
        "line": 2, "column": 5, "end_line": 2, "end_column": 31,
        "byte_start": 19, "byte_end": 45,
        "id": f"{f.id:016x}",
        "fingerprint": f.fingerprint,
        "pattern": "security.weak-hash.md5", "symbol": "Md", "name": "MD5 hash",
        "group": "security", "severity": "high",
        "context": "production",
        "score": 1.0,
        "unit": "",
        "key_property": p.key_property,
        "cwe": [327, 328],
        "owasp": ["A02:2021"],
        "snippet": "hashlib.new('md5', b'abc')",
        "captures": [{"name": c.name, "text": c.text,
                      "byte_start": len(src[:c.start_index].encode()),
                      "byte_end": len(src[:c.end_index].encode())} for c in f.captures],
    }
    assert p.key_property == p.properties[0].text == f.message
    [name] = [c for c in d["captures"] if c["name"] == "$NAME"]
    assert name["text"] == "'md5'" and raw[name["byte_start"]:name["byte_end"]] == b"'md5'"
    assert (f.byte_start, f.byte_end) == (19, 45) and f.snippet == d["snippet"]
    assert f.to_json() == json.dumps(d, ensure_ascii=False, separators=(",", ":"))


def test_scan_file(engine: codetable.Engine, tmp_path: pathlib.Path) -> None:
    p = tmp_path / "k.py"
    p.write_text(MD5_PY)
    [f] = md5_findings(engine.scan_file(p))
    assert f.path == str(p)
    assert md5_findings(engine.scan_file(str(p)))[0].start == f.start
    script = tmp_path / "tool"
    script.write_text("#!/usr/bin/env python3\n" + MD5_PY)
    [g] = md5_findings(engine.scan_file(script))
    assert g.start[0] == f.start[0] + 1
    odd = tmp_path / "k.txt"
    odd.write_text(MD5_PY)
    with pytest.raises(codetable.LanguageError, match="k.txt: unknown language") as e:
        engine.scan_file(odd)
    assert e.value.reason == "unknown language"
    assert md5_findings(engine.scan_file(odd, language="python"))
    with pytest.raises(codetable.LanguageError):
        engine.scan_file(p, language="nope")


def scan_file_reason(engine: codetable.Engine, path: pathlib.Path, **kw: int) -> str | None:
    with pytest.raises(codetable.FileError) as e:
        engine.scan_file(path, **kw)  # type: ignore[arg-type]
    assert isinstance(e.value, OSError) and path.name in str(e.value)
    return e.value.reason


def test_scan_file_skip_reasons(engine: codetable.Engine, tmp_path: pathlib.Path) -> None:
    assert scan_file_reason(engine, tmp_path / "missing.py") == "unreadable"
    bad = tmp_path / "latin1.py"
    bad.write_bytes(b"s = '\xe9t\xe9'\n")
    assert scan_file_reason(engine, bad) == "not UTF-8"
    assert scan_file_reason(engine, tmp_path) == "unreadable"  # a directory
    binary = tmp_path / "blob.py"
    binary.write_bytes(b"x = 1\n\0\0\0")
    assert scan_file_reason(engine, binary) == "binary"
    big = tmp_path / "big.py"
    big.write_text(MD5_PY)
    assert scan_file_reason(engine, big, max_file_size=10) == "too large"
    assert md5_findings(engine.scan_file(big, max_file_size=len(MD5_PY)))


def test_scan_file_decodes_boms(engine: codetable.Engine, tmp_path: pathlib.Path) -> None:
    text = "# é 😀\n" + MD5_PY
    [plain] = md5_findings(engine.scan_file(write(tmp_path / "plain.py", text.encode())))
    for name, data in (("bom8.py", b"\xef\xbb\xbf" + text.encode()),
                       ("le16.py", b"\xff\xfe" + text.encode("utf-16-le")),
                       ("be16.py", b"\xfe\xff" + text.encode("utf-16-be"))):
        [f] = md5_findings(engine.scan_file(write(tmp_path / name, data)))
        # Offsets refer to the decoded text (without the mark), as editors show it.
        assert (f.start, f.start_index, f.byte_start) == (plain.start, plain.start_index, plain.byte_start)
        assert text[f.start_index:f.end_index] == f.snippet == "hashlib.md5(data)"


def write(path: pathlib.Path, data: bytes) -> pathlib.Path:
    path.write_bytes(data)
    return path


def make_tree(root: pathlib.Path) -> None:
    (root / "pkg").mkdir()
    (root / "pkg" / "a.py").write_text(MD5_PY)
    (root / "pkg" / "b.go").write_text(
        'package main\n\nimport "crypto/md5"\n\nfunc s(b []byte) [16]byte {\n\treturn md5.Sum(b)\n}\n')
    (root / "pkg" / "notes.txt").write_text(MD5_PY)
    (root / "ignored").mkdir()
    (root / "ignored" / "c.py").write_text(MD5_PY)
    (root / ".hidden.py").write_text(MD5_PY)
    (root / ".gitignore").write_text("ignored/\n")
    (root / "bad.py").write_bytes(b"x = '\xff'\n")


def test_scan_paths_walks_like_git(engine: codetable.Engine, tmp_path: pathlib.Path) -> None:
    make_tree(tmp_path)
    scan = engine.scan_paths(tmp_path)
    assert iter(scan) is scan
    found = md5_findings(list(scan))
    assert sorted(pathlib.Path(f.path).name for f in found) == ["a.py", "b.go"]
    assert scan.done and scan.files == 2
    assert [pathlib.Path(p).name for p, _ in scan.errors] == ["bad.py"]
    [(path, reason, detail)] = scan.skipped
    assert pathlib.Path(path).name == "bad.py" and reason == "not UTF-8" and "offset 5" in detail
    assert scan.errors[0][1] == f"{reason}: {detail}"
    assert "done" in repr(scan)
    with pytest.raises(StopIteration):
        next(scan)


def test_scan_paths_leaves_vendored_and_generated_code_out(
        engine: codetable.Engine, tmp_path: pathlib.Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(MD5_PY)
    (tmp_path / "src" / "gen.py").write_text("# Code generated by tool. DO NOT EDIT.\n" + MD5_PY)
    (tmp_path / "src" / "schéma_pb2.py").write_text(MD5_PY)
    (tmp_path / "vendor" / "lib").mkdir(parents=True)
    (tmp_path / "vendor" / "lib" / "copié.py").write_text(MD5_PY)
    names = lambda fs: sorted(pathlib.Path(f.path).name for f in md5_findings(fs))
    assert names(list(engine.scan_paths(tmp_path))) == ["app.py"]
    every = md5_findings(list(engine.scan_paths(tmp_path, include_vendored=True)))
    assert names(every) == ["app.py", "copié.py", "gen.py", "schéma_pb2.py"]
    assert sorted({f.context for f in every}) == ["generated", "production", "vendored"]
    # A file named explicitly is scanned whatever it is.
    assert names(list(engine.scan_paths(tmp_path / "src" / "gen.py"))) == ["gen.py"]


def test_scan_paths_arguments(engine: codetable.Engine, tmp_path: pathlib.Path) -> None:
    make_tree(tmp_path)
    a, b = tmp_path / "pkg" / "a.py", tmp_path / "pkg" / "b.go"
    assert len(md5_findings(list(engine.scan_paths(str(a))))) == 1
    assert len(md5_findings(list(engine.scan_paths([a, str(b)], threads=1)))) == 2
    assert len(md5_findings(list(engine.scan_paths(p for p in (a, b))))) == 2
    # A file named explicitly is scanned even when ignored; its language must be knowable.
    ignored = tmp_path / "ignored" / "c.py"
    assert len(md5_findings(list(engine.scan_paths(ignored)))) == 1
    s = engine.scan_paths(tmp_path / "pkg" / "notes.txt")
    assert list(s) == [] and s.skipped[0][1] == "unknown language"
    big = engine.scan_paths(tmp_path / "pkg", max_file_size=20)
    assert list(big) == [] and {r for _, r, _ in big.skipped} == {"too large"} and big.files == 0
    with pytest.raises(codetable.FileError, match="nowhere"):
        engine.scan_paths(tmp_path / "nowhere")
    with pytest.raises(ValueError):
        engine.scan_paths(tmp_path, threads=0)
    with pytest.raises(ValueError):
        engine.scan_paths([])
    with pytest.raises(TypeError):
        engine.scan_paths(42)  # type: ignore[arg-type]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_scan_paths_walks_like_the_command(engine: codetable.Engine, tmp_path: pathlib.Path) -> None:
    # Core's walk, shared with `codetable scan`: a FIFO is reported as unreadable (never
    # opened), a file without an extension is read when its `#!` line names a language, a
    # folder above the scanned one never makes its code a test's.
    root = tmp_path / "tests" / "projet-été"
    (root / "bin").mkdir(parents=True)
    (root / "bin" / "outil").write_text("#!/usr/bin/env python3\n" + MD5_PY)
    (root / "LICENSE").write_text("MIT é\n")
    os.mkfifo(root / "tube.py")
    scan = engine.scan_paths(root)
    found = md5_findings(list(scan))
    assert [pathlib.Path(f.path).name for f in found] == ["outil"]
    assert found[0].context == "production"
    [(path, reason, detail)] = scan.skipped
    assert pathlib.Path(path).name == "tube.py" and reason == "unreadable", detail


def test_scan_paths_can_stop_early(engine: codetable.Engine, tmp_path: pathlib.Path) -> None:
    # More files than the scan's queue holds (256 files' findings), so the walk must wait for
    # the reader: once closed, at most what was queued (and one file per thread) arrives.
    for i in range(800):
        (tmp_path / f"m{i}.py").write_text(MD5_PY)
    scan = engine.scan_paths(tmp_path, threads=2)
    first = next(scan)
    assert first.pattern.id == "security.weak-hash.md5"
    scan.close()
    rest = list(scan)
    assert len({f.path for f in rest}) <= 256 + 2 + 1 < 799
    del scan


def test_similar(shape_db: codetable.Database) -> None:
    engine = codetable.Engine(shape_db)
    src = (
        "class Registry:\n"
        "    _inst = None\n"
        "    def __new__(cls):\n"
        "        if cls._inst is None:\n"
        "            cls._inst = super().__new__(cls)\n"
        "        return cls._inst\n"
    )
    best = engine.similar(src, "python", 0)
    assert best and best[0].pattern.id == "design.singleton.test"
    assert 0.8 <= best[0].score <= 1.0
    assert best[0].start == (0, 0)
    assert [f.pattern.id for f in engine.scan_source(src, "python")] == ["design.singleton.test"]
    assert engine.similar("def add(a, b):\n    return a + b\n", "python", 0) == [] or \
        engine.similar("def add(a, b):\n    return a + b\n", "python", 0)[0].score < 0.8
    with pytest.raises(codetable.LanguageError):
        engine.similar(src, "nope", 0)


def test_engine_defaults_and_repr(db: codetable.Database) -> None:
    e = codetable.Engine()
    assert len(e.database) == len(db)
    assert "patterns" in repr(e)
    assert md5_findings(e.scan_source(MD5_PY, "py"))


def run_module(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable, "-m", "codetable", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_python_m_codetable_scan(engine: codetable.Engine, tmp_path: pathlib.Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path)
    (tmp_path / "pkg" / "z.py").write_text("import hashlib\n# 日本\nhashlib.md5(b'é'); hashlib.md5(b'')\n")
    # The whole command line: JSON when asked, skipped files listed with -v.
    r = run_module("scan", "--format", "json", "-v", "./pkg", "bad.py", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    monkeypatch.chdir(tmp_path)
    found = list(engine.scan_paths("./pkg"))
    found.sort(key=lambda f: (pathlib.PurePath(f.path).parts, f.byte_start, f.byte_end, f.pattern.number))
    expected = [f.to_json() for f in found]
    assert r.stdout.splitlines() == expected  # sorted, core's JSON, paths without "./"
    assert sum(1 for line in expected if '"path":"pkg/z.py"' in line) >= 2
    assert "skipped (not UTF-8): bad.py: first invalid byte" in r.stderr, r.stderr
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "ok.py").write_text("x = 1\n")
    ok = run_module("scan", "--format", "json", "-q", "clean", cwd=tmp_path)
    assert (ok.returncode, ok.stdout) == (0, "")
    missing = run_module("scan", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere" in missing.stderr
    assert run_module("--version", cwd=tmp_path).stdout.startswith("codetable ")
