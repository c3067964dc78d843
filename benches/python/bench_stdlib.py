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
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import time

import codetable

REPO = pathlib.Path(__file__).resolve().parents[2]


def best(runs: int, f) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


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
    lib = args.lib
    engine = codetable.Engine()

    scan = engine.scan_paths(lib, threads=args.threads)
    findings = list(scan)  # warm-up (page cache, compiled matchers)
    print(f"{lib}: {scan.files} files, {len(findings)} findings, {len(scan.errors)} unreadable "
          f"(threads={args.threads}, best of {args.runs})")

    t_module = best(args.runs, lambda: list(engine.scan_paths(lib, threads=args.threads)))
    print(f"module  list(Engine().scan_paths(Lib))         {t_module:7.3f} s")

    exe = cli_binary()
    if exe is not None:
        def run_cli() -> None:
            with open(os.devnull, "w") as null:
                subprocess.run([exe, "scan", lib], stdout=null, stderr=subprocess.DEVNULL)
        run_cli()
        t_rust = best(args.runs, run_cli)
        label = "codetable scan Lib > /dev/null (CLI)"

        def run_module_cli() -> None:
            with open(os.devnull, "w") as null:
                subprocess.run([sys.executable, "-m", "codetable", "scan", "-j", str(args.threads), lib],
                               stdout=null, stderr=subprocess.DEVNULL)
        t_module_cli = best(args.runs, run_module_cli)
        print(f"module  python -m codetable scan Lib > /dev/null {t_module_cli:7.3f} s")
    else:
        loop = rust_loop()
        out = subprocess.run([loop, str(args.threads), lib], capture_output=True, text=True,
                             check=True).stdout.split()
        print(f"rust loop: {out[0]} files, {out[1]} findings, {out[2]} unreadable")
        t_rust = best(args.runs, lambda: subprocess.run([loop, str(args.threads), lib],
                                                       capture_output=True, check=True))
        label = "rust-loop (no CLI yet: Rust-only baseline)"
        t_module_cli = None
    print(f"rust    {label:40s} {t_rust:7.3f} s")
    print(f"overhead ratio module / rust: {t_module / t_rust:.3f}x (target <= 1.1x)")
    if t_module_cli is not None:
        print(f"overhead ratio python -m codetable / CLI: {t_module_cli / t_rust:.3f}x")


if __name__ == "__main__":
    if shutil.which("cargo") is None:
        sys.exit("cargo is needed to build the Rust baseline")
    main()
