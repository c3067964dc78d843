"""A project's configuration through the Python API (issue #16 item 5): ``Engine.for_project``
sets an engine up from the nearest ``codetable.toml`` / ``[tool.codetable]`` as ``codetable
scan`` does, and its scans honour the file's excludes, languages, contexts and per-path ignores."""

from __future__ import annotations

import pathlib
import pickle

import pytest

import codetable

MD5 = "import hashlib\n# é 日本\nh = hashlib.md5(b'')\ns = hashlib.sha1(b'')\n"

CONFIG = """\
ignore = ["security.weak-hash.sha1"]
exclude = ["build/**"]
severity = { "Md" = "critical" }

[per-path-ignores]
"legacy/**" = ["security.weak-hash"]

[context]
"tools/**" = "test"

[languages]
"*.recette" = "python"
"""


def project(root: pathlib.Path, config: str = CONFIG) -> pathlib.Path:
    (root / "codetable.toml").write_text(config, encoding="utf-8")
    for name in ["src/appé.py", "build/gen.py", "legacy/old.py", "tools/bench.py", "src/cuisine.recette"]:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MD5, encoding="utf-8")
    return root


def found(findings: list[codetable.Finding], root: pathlib.Path) -> list[tuple[str, str, str, str]]:
    out = []
    for f in findings:
        rel = pathlib.Path(f.path).resolve().relative_to(root.resolve()).as_posix()
        out.append((rel, f.pattern.symbol, f.severity, f.context))
    return sorted(out)


def test_for_project_scans_as_the_configuration_says(tmp_path: pathlib.Path) -> None:
    root = project(tmp_path)
    engine = codetable.Engine.for_project(root / "src")
    assert engine.config_file is not None
    assert pathlib.Path(engine.config_file).resolve() == (root / "codetable.toml").resolve()
    got = found(list(engine.scan_paths(root)), root)
    # build/ excluded, legacy/ ignores the weak hashes, sha1 ignored everywhere, the severity
    # override applied, tools/ is test code (one level lower), *.recette read as Python.
    assert got == [
        ("src/appé.py", "Md", "critical", "production"),
        ("src/cuisine.recette", "Md", "critical", "production"),
        ("tools/bench.py", "Md", "high", "test"),
    ]
    assert engine.scan_file(root / "legacy" / "old.py") == []
    by_source = engine.scan_source(MD5, "python", path=str(root / "tools" / "bench.py"))
    assert [(f.pattern.symbol, f.context) for f in by_source] == [("Md", "test")]
    # A plain engine knows nothing of the file: it reports every raw match everywhere.
    plain = found(list(codetable.Engine().scan_paths(root)), root)
    assert ("build/gen.py", "Md", "high", "production") in plain
    assert ("legacy/old.py", "Sh1", "medium", "production") in plain or any(
        r[0] == "legacy/old.py" and r[1] != "Md" for r in plain
    )


def test_the_callers_selection_is_merged_over_the_files(tmp_path: pathlib.Path) -> None:
    root = project(tmp_path)
    engine = codetable.Engine.for_project(root, ignore=["Md"])
    assert list(engine.scan_paths(root / "src")) == []
    engine = codetable.Engine.for_project(root, select=["security.weak-hash.sha1"])
    # The file's ignore still removes what the caller's select names (as --select does).
    assert list(engine.scan_paths(root / "src")) == []


def test_without_a_file_the_defaults_apply(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.py").write_text(MD5, encoding="utf-8")
    engine = codetable.Engine.for_project(tmp_path)
    assert engine.config_file is None
    got = {(f.pattern.symbol, f.severity) for f in engine.scan_file(tmp_path / "a.py")}
    assert ("Md", "high") in got


def test_pyproject_tool_table_is_read(tmp_path: pathlib.Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.codetable]\nignore = ["security.weak-hash"]\n',
        encoding="utf-8",
    )
    (tmp_path / "a.py").write_text(MD5, encoding="utf-8")
    engine = codetable.Engine.for_project(tmp_path / "a.py")
    assert engine.config_file is not None and engine.config_file.endswith("pyproject.toml")
    assert engine.scan_file(tmp_path / "a.py") == []


def test_bad_configurations_raise_config_error(tmp_path: pathlib.Path) -> None:
    (tmp_path / "codetable.toml").write_text('selct = ["security"]\n', encoding="utf-8")
    with pytest.raises(codetable.ConfigError, match="select") as e:
        codetable.Engine.for_project(tmp_path)
    assert isinstance(e.value, ValueError) and isinstance(e.value, codetable.Error)
    (tmp_path / "codetable.toml").write_text(
        '[per-path-ignores]\n"a/**" = ["Mdd"]\n', encoding="utf-8"
    )
    with pytest.raises(codetable.ConfigError, match="per-path-ignores.*Md"):
        codetable.Engine.for_project(tmp_path)
    (tmp_path / "codetable.toml").write_text("", encoding="utf-8")
    with pytest.raises(codetable.ConfigError, match="did you mean"):
        codetable.Engine.for_project(tmp_path, extend_select=["securty"])
    (tmp_path / "codetable.toml").write_text("select = [", encoding="utf-8")
    with pytest.raises(codetable.ConfigError, match="codetable.toml"):
        codetable.Engine.for_project(tmp_path)


def test_a_project_engine_pickles_as_its_call(tmp_path: pathlib.Path) -> None:
    root = project(tmp_path)
    engine = codetable.Engine.for_project(root, extend_select=["pedantic"])
    again = pickle.loads(pickle.dumps(engine))
    assert again.config_file == engine.config_file
    assert found(list(again.scan_paths(root)), root) == found(list(engine.scan_paths(root)), root)
