"""Threads: shared engines give the same results from 4 threads as from one, and long work
runs with the GIL released (a Python counter thread keeps running meanwhile)."""

from __future__ import annotations

import pathlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import codetable

SOURCES = {
    "python": "import hashlib\n\ndef k(d):\n    return hashlib.md5(d).hexdigest()\n",
    "javascript": "const crypto = require('crypto');\nconst d = crypto.createHash('md5').update(b);\n",
    "go": 'package main\n\nimport "crypto/md5"\n\nfunc s(b []byte) [16]byte {\n\treturn md5.Sum(b)\n}\n',
    "java": 'import java.security.MessageDigest;\nclass H {\n  byte[] h(byte[] b) throws Exception {\n'
            '    return MessageDigest.getInstance("MD5").digest(b);\n  }\n}\n',
    "rust": "fn main() { let x = 1; }\n",
}
EXT = {"python": "py", "javascript": "js", "go": "go", "java": "java", "rust": "rs"}


def jobs() -> list[tuple[str, str]]:
    out = []
    for i in range(40):
        for lang, src in SOURCES.items():
            out.append((lang, f"// {i}\n" + src if lang != "python" else f"# {i}\n" + src))
    return out


def dicts(fs: list[codetable.Finding]) -> list[dict[str, object]]:
    return [f.to_dict() for f in fs]


def test_four_threads_same_as_one(engine: codetable.Engine) -> None:
    work = jobs()
    one = [dicts(engine.scan_source(src, lang)) for lang, src in work]
    assert sum(len(r) for r in one) >= 4 * 40
    fresh = codetable.Engine(engine.database)  # compiled lazily, concurrently
    with ThreadPoolExecutor(max_workers=4) as pool:
        four = list(pool.map(lambda j: dicts(fresh.scan_source(j[1], j[0])), work))
    assert four == one


def write_tree(root: pathlib.Path, copies: int, repeat: int = 1) -> None:
    for i in range(copies):
        for lang, src in SOURCES.items():
            (root / f"f{i}.{EXT[lang]}").write_text(src * repeat if lang == "python" else src)


def key(d: dict[str, object]) -> tuple[object, ...]:
    return (d["path"], d["byte_start"], d["byte_end"], d["pattern"])


def test_scan_paths_four_threads_same_as_one(engine: codetable.Engine, tmp_path: pathlib.Path) -> None:
    write_tree(tmp_path, 60)
    one = sorted(dicts(list(engine.scan_paths(tmp_path, threads=1))), key=key)
    four = sorted(dicts(list(engine.scan_paths(tmp_path, threads=4))), key=key)
    assert sum(1 for d in one if d["pattern"] == "security.weak-hash.md5") == 60 * 4
    assert four == one


def counter_during(work: Callable[[], object]) -> tuple[float, float]:
    """Increments per second of a Python counter thread: alone, and while `work` runs."""
    stop = threading.Event()
    count = [0]

    def spin() -> None:
        while not stop.is_set():
            count[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    time.sleep(0.05)
    c0, t0 = count[0], time.perf_counter()
    time.sleep(0.3)
    alone = (count[0] - c0) / (time.perf_counter() - t0)
    c1, t1 = count[0], time.perf_counter()
    work()
    during = (count[0] - c1) / (time.perf_counter() - t1)
    stop.set()
    t.join()
    return alone, during


def test_scan_paths_releases_the_gil(engine: codetable.Engine, tmp_path: pathlib.Path) -> None:
    write_tree(tmp_path, 100, repeat=20)
    started = time.perf_counter()
    alone, during = counter_during(lambda: list(engine.scan_paths(tmp_path, threads=1)))
    took = time.perf_counter() - started
    print(f"counter: {alone:.0f}/s alone, {during:.0f}/s during scan_paths ({took:.2f}s)")
    # Holding the GIL while scanning would starve the counter (rate near 0).
    assert during >= 0.25 * alone


def test_scan_source_releases_the_gil(engine: codetable.Engine) -> None:
    big = SOURCES["python"] * 2000
    alone, during = counter_during(lambda: [engine.scan_source(big, "python") for _ in range(2)])
    print(f"counter: {alone:.0f}/s alone, {during:.0f}/s during scan_source")
    assert during >= 0.25 * alone
