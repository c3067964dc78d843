"""Databases and engines pickle (multiprocessing, Ray, Dask and Spark ship them to workers)."""

from __future__ import annotations

import pathlib
import pickle
from concurrent.futures import ProcessPoolExecutor

import codetable
from conftest import MD5_PY


def test_database_pickles_by_origin(db: codetable.Database, shape_db: codetable.Database,
                                    tmp_path: pathlib.Path) -> None:
    default = pickle.dumps(db)
    assert len(default) < 200  # the built-in catalog travels as a call, not bytes
    assert [p.id for p in pickle.loads(default)] == [p.id for p in db]
    f = tmp_path / "c.ctdb"
    f.write_bytes(shape_db.to_bytes())
    opened = pickle.dumps(codetable.Database.open(f))
    assert len(opened) < 400 and str(f).encode() in opened  # a path every worker maps
    assert pickle.loads(opened).pattern("design.singleton.test").matcher == "shape"
    compiled = pickle.loads(pickle.dumps(shape_db))  # no file behind it: its bytes
    assert compiled.to_bytes() == shape_db.to_bytes()


def scan_in_worker(engine: codetable.Engine) -> list[str]:
    return [f.pattern.id for f in engine.scan_source(MD5_PY, "python")]


def test_engine_pickles_to_a_worker_process(engine: codetable.Engine) -> None:
    copy = pickle.loads(pickle.dumps(engine))
    assert [f.to_dict() for f in copy.scan_source(MD5_PY, "python")] == \
        [f.to_dict() for f in engine.scan_source(MD5_PY, "python")]
    with ProcessPoolExecutor(max_workers=1) as pool:
        assert "security.weak-hash.md5" in pool.submit(scan_in_worker, engine).result(timeout=120)
