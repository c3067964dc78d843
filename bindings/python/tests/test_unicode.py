"""Non-ASCII text: every offset the module gives or takes is a Python string index."""

from __future__ import annotations

import pytest

import codetable

# CJK (3 bytes each), an emoji outside the BMP (4 bytes, 2 UTF-16 units), combining marks.
PREFIXES = [
    "# 日本語のコメント\n",
    "s = '😀😀'  # 😀\n",
    "n = 'e\u0301\u0301'  # cafe\u0301\n",
    "t = '漢字' ; u = '👩\u200d💻'\n",
]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_finding_offsets_are_code_points(engine: codetable.Engine, prefix: str) -> None:
    line = "x = 'ß中😀'; h = hashlib.md5(b'é')\n"
    src = "import hashlib\n" + prefix + line
    [f] = [f for f in engine.scan_source(src, "python") if f.pattern.symbol == "Md"]
    assert src[f.start_index:f.end_index] == "hashlib.md5(b'é')"
    lines = src.split("\n")
    row, col = f.start
    assert lines[row][col:].startswith("hashlib.md5")
    erow, ecol = f.end
    assert lines[erow][:ecol].endswith("md5(b'é')")
    # A capture after more non-ASCII text on the same line.
    src2 = src + "g = '🎉'; hashlib.new('md5', 'ü')  # 完\n"
    [_, g] = [f for f in engine.scan_source(src2, "python") if f.pattern.symbol == "Md"]
    assert src2[g.start_index:g.end_index] == "hashlib.new('md5', 'ü')"
    [c] = [c for c in g.captures if c.name == "$NAME"]
    assert src2[c.start_index:c.end_index] == c.text == "'md5'"
    assert g.start == (row + 1, 9)
    d = f.to_dict()
    assert (d["line"], d["column"]) == (row + 1, col + 1)
    assert (d["end_line"], d["end_column"]) == (erow + 1, ecol + 1)
    raw = src.encode()
    assert raw[d["byte_start"]:d["byte_end"]].decode() == d["snippet"] == "hashlib.md5(b'é')"
    assert d["byte_start"] > f.start_index
    assert len(src.encode()) != len(src)  # the offsets really differ from bytes


def test_document_edit_in_code_points(engine: codetable.Engine) -> None:
    text = "# 😀 日本 e\u0301\nimport hashlib\nh = hashlib.sha1(b'x')\n"
    doc = codetable.Document("python", text)
    at = text.index("sha1")
    doc.edit(at, at + 4, "md5")
    assert doc.text == text.replace("sha1", "md5")
    [f] = [f for f in engine.analyze(doc) if f.pattern.symbol == "Md"]
    assert doc.text[f.start_index:f.end_index] == "hashlib.md5(b'x')"
    # Replace the emoji (one code point) with CJK: indices stay in code points.
    doc.edit(2, 3, "中文")
    assert doc.text.startswith("# 中文 日本")
    [g] = [g for g in engine.analyze(doc) if g.pattern.symbol == "Md"]
    assert doc.text[g.start_index:g.end_index] == "hashlib.md5(b'x')"
    # Between a base letter and its combining mark is a code-point boundary: allowed.
    i = doc.text.index("e\u0301") + 1
    doc.edit(i, i, "\u0302")
    assert "e\u0302\u0301" in doc.text
    end = len(doc.text)
    doc.edit(end, end, "# 終わり 🎉\n")
    assert doc.text.endswith("# 終わり 🎉\n") and len(doc) == len(doc.text)
    with pytest.raises(codetable.EditError):
        doc.edit(len(doc.text) + 1, len(doc.text) + 1, "x")


def test_unit_offsets(engine: codetable.Engine) -> None:
    text = "'''模块 😀'''\ndef 函数(x):\n    return x\n"
    doc = codetable.Document("python", text)
    fn = [u for u in doc.units if u.kind == "function"][0]
    assert fn.name == "函数"
    assert text[fn.start_index:fn.end_index] == "def 函数(x):\n    return x"
    assert fn.start == (1, 0) and fn.end == (2, 12)
