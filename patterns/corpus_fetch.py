"""What the corpus scripts (claims_corpora.py, web_corpora_s9.py, general_corpora.py) share: the
split of a package list into a tuning and a held-out half, fixed before anything is fetched, and
running a fetch command."""
from __future__ import annotations

import hashlib
import subprocess
import sys


def split(packages: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(registry, package, half): per registry, sha256 order of the name, alternating tune/held."""
    rows = []
    for registry, names in packages.items():
        ordered = sorted(names, key=lambda n: hashlib.sha256(n.encode()).hexdigest())
        rows += [(registry, n, "tune" if i % 2 == 0 else "held") for i, n in enumerate(ordered)]
    return rows


def run(cmd, cwd=None, env=None, fatal=True) -> str:
    """The command's standard output; on failure, exit with its output (`fatal`) or raise
    RuntimeError so that the caller can skip one package."""
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        message = f"{' '.join(cmd)} failed:\n{r.stdout[-1500:]}{r.stderr[-1500:]}"
        if fatal:
            sys.exit(message)
        raise RuntimeError(message)
    return r.stdout
