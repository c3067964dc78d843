"""The README's examples run as written (against the installed module)."""

from __future__ import annotations

import os
import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    block = re.search(r"## Example\n\n```python\n(.*?)```", README.read_text(), re.S)
    assert block, "README.md has an Example section with a python block"
    code = block.group(1)
    assert len(code.strip().splitlines()) <= 12
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "k.py").write_text("import hashlib\n\ndef k(d):\n    return hashlib.md5(d)\n")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(compile(code, str(README), "exec"), {})
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert "src/k.py:4: Md MD5 hash [high, CWE (327, 328)]" in out


def test_readme_editing_example_runs() -> None:
    block = re.search(r"\*\*Editing a document\.\*\*.*?```python\n(.*?)```", README.read_text(), re.S)
    assert block, "README.md shows how to edit a document"
    import codetable

    exec(compile(block.group(1), str(README), "exec"), {"codetable": codetable, "engine": codetable.Engine()})
