"""A finding's fix (the edit its rule proposes) in Python string indices, after non-ASCII text."""

from __future__ import annotations

import codetable


def test_fix_in_code_points(engine: codetable.Engine) -> None:
    src = "import yaml\n# ü😀\ndef r(f):\n    return ('😀é', yaml.load(f))\n"
    [f] = [f for f in engine.scan_source(src, "python") if f.pattern.id == "security.deserialization.yaml-load"]
    fix = f.fix
    assert isinstance(fix, codetable.Fix)
    assert fix.replacement == "yaml.safe_load(f)"
    assert src[fix.start_index : fix.end_index] == "yaml.load(f)"
    assert src.encode()[fix.byte_start : fix.byte_end] == b"yaml.load(f)"
    fixed = src[: fix.start_index] + fix.replacement + src[fix.end_index :]
    assert fixed.endswith("return ('😀é', yaml.safe_load(f))\n")
    assert f.to_dict()["fix"] == {
        "byte_end": fix.byte_end,
        "byte_start": fix.byte_start,
        "replacement": "yaml.safe_load(f)",
    }
    assert "yaml.safe_load(f)" in repr(fix)


def test_no_fix_is_none(engine: codetable.Engine) -> None:
    src = "import hashlib as h\nd = h.md5(b'x')\n"
    [f] = [f for f in engine.scan_source(src, "python") if f.pattern.symbol == "Md"]
    assert f.fix is None
    assert "fix" not in f.to_dict()
