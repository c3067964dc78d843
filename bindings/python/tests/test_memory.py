"""100,000 create/scan/drop cycles leave resident memory flat (within 10% after warm-up)."""

from __future__ import annotations

import gc
import os
import sys

import pytest

import codetable

SMALL = "import hashlib\nh = hashlib.md5(b'\u00e9')\n"


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_rss_flat_over_100k_cycles(db: codetable.Database) -> None:
    engine = codetable.Engine(db)

    def cycle(i: int) -> None:
        # Every cycle creates a document, findings and their Python objects and drops them;
        # every 10th also edits a Document, every 1000th also creates and drops an Engine.
        nonlocal engine
        if i % 1000 == 0:
            engine = codetable.Engine(db)
        [f] = engine.scan_source(SMALL, "python")
        f.to_dict()
        if i % 10 == 0:
            doc = codetable.Document("python", SMALL)
            doc.edit(0, 0, "#\n")
            assert engine.analyze(doc)[0].pattern.symbol == "Md"
            del doc
        del f

    for i in range(10_000):  # warm-up: allocator pools, interned strings, caches
        cycle(i)
    gc.collect()
    before = rss_bytes()
    for i in range(90_000):
        cycle(i)
    gc.collect()
    after = rss_bytes()
    print(f"RSS after warm-up {before / 2**20:.1f} MiB, after 100k cycles {after / 2**20:.1f} MiB "
          f"({after / before:.3f}x)")
    assert after <= before * 1.10
