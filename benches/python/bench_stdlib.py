"""Overhead of the Python binding: scan the CPython standard library (`Lib/`) through the
module and through Rust alone, on the same files with the same number of threads.

    python benches/python/bench_stdlib.py [LIB_DIR] [--threads N] [--runs N]

The Rust side is the `codetable` command (`target/release/codetable scan LIB`) when it exists
and has a `scan` subcommand; otherwise `rust-loop/`, a Rust program doing the binding's work
(parallel gitignore-aware walk, parse, analyze, positions in code points) with no Python. The
module side is `list(Engine().scan_paths(LIB))` (findings as Python objects) and, for the
command's exact output, `python -m codetable scan LIB` to /dev/null.
Run it with the interpreter of a venv where the wheel is installed (see README.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import time

import codetable

REPO = pathlib.Path(__file__).resolve().parents[2]


def measure(f) -> tuple[float, float]:  # noqa: ANN001
    """Wall and CPU seconds (user + system, this process's threads and its children)."""
    def cpu() -> float:
        a = resource.getrusage(resource.RUSAGE_SELF)
        b = resource.getrusage(resource.RUSAGE_CHILDREN)
        return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
    c, t = cpu(), time.perf_counter()
    f()
    return time.perf_counter() - t, cpu() - c


def cli_binary() -> pathlib.Path | None:
    exe = REPO / "target" / "release" / "codetable"
    if not exe.exists():
        return None
    r = subprocess.run([exe, "scan", "--help"], capture_output=True, text=True)
    return exe if r.returncode == 0 else None


def rust_loop() -> pathlib.Path:
    env = dict(os.environ, CARGO_TARGET_DIR=str(REPO / "target" / "python"))
    subprocess.run(
        ["cargo", "build", "--release", "-q", "--manifest-path",
         str(REPO / "benches" / "python" / "rust-loop" / "Cargo.toml")],
        check=True, env=env,
    )
    return REPO / "target" / "python" / "release" / "codetable-rust-loop"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("lib", nargs="?", default=sysconfig.get_paths()["stdlib"])
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    lib, threads = args.lib, args.threads
    engine = codetable.Engine()

    def module() -> None:
        scan = engine.scan_paths(lib, threads=threads)
        n = sum(1 for _ in scan)
        stats["module"] = (scan.files, n, len(scan.errors))

    exe = cli_binary()
    if exe is not None:
        label = "codetable scan --format json Lib > /dev/null"

        def rust() -> None:
            with open(os.devnull, "w") as null:
                subprocess.run([exe, "scan", "--format", "json", "-q", "-j", str(threads), lib],
                               stdout=null, stderr=subprocess.DEVNULL)
    else:
        loop = rust_loop()
        label = "rust-loop (no CLI yet: Rust-only baseline)"

        def rust() -> None:
            out = subprocess.run([loop, str(threads), lib], capture_output=True, text=True,
                                 check=True).stdout.split()
            stats["rust"] = tuple(int(x) for x in out)

    stats: dict[str, tuple[int, ...]] = {}
    results: dict[str, list[tuple[float, float]]] = {"module": [], "rust": []}
    for _ in range(args.runs):  # alternate, so load on the machine hits both alike
        results["module"].append(measure(module))
        results["rust"].append(measure(rust))
    print(f"{lib}, threads={threads}, {args.runs} alternating runs (best wall, best CPU)")
    for name, (files, n, errors) in stats.items():
        print(f"  {name}: {files} files scanned, {n} findings, {errors} unreadable")
    wall = {k: min(w for w, _ in v) for k, v in results.items()}
    cpu = {k: min(c for _, c in v) for k, v in results.items()}
    print(f"module  list(Engine().scan_paths(Lib))   wall {wall['module']:7.2f} s  cpu {cpu['module']:7.2f} s")
    print(f"rust    {label:32s} wall {wall['rust']:7.2f} s  cpu {cpu['rust']:7.2f} s")
    print(f"overhead ratio module / rust: wall {wall['module'] / wall['rust']:.3f}x, "
          f"cpu {cpu['module'] / cpu['rust']:.3f}x (target <= 1.1x)")


if __name__ == "__main__":
    if shutil.which("cargo") is None:
        sys.exit("cargo is needed to build the Rust baseline")
    main()
