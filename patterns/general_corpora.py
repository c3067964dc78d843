#!/usr/bin/env python3
"""Fresh real-code corpora for the general families (issue #16, session 9): reliability,
performance, idioms, maintainability and crypto/config claims outside the injection families.

Owns: the package list, its split into a tuning and a held-out half, and fetching the packages
into /tmp/cmpwork/general-s9/<half>/<registry>-<name>-<version>/. The split is fixed BEFORE any
finding is read: per registry (Maven Java and Maven Kotlin apart), packages are ordered by
sha256 of their name (as written below) and taken alternately, tune first. `--write` records
the split and the fetched versions in patterns/general-corpora-s9.tsv; patterns/report.py
--general tune|held scans a half.

Every package is a library shipped as sources: it is scanned as the package it is (its own
`vendor/`-like folders included), see report.py's `--include-vendored`.

Python 3.11 standard library; the registries' own clients (pip, npm, mvn, go, cargo).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_fetch  # noqa: E402

HERE = Path(__file__).resolve().parent
TSV = HERE / "general-corpora-s9.tsv"
WORK = Path("/tmp/cmpwork/general-s9")

# Never used by this project before (checked against patterns/*.tsv, report.py, README.md and
# the closing notes of sessions 6-8).
PACKAGES = {
    "pypi": ["marshmallow", "structlog", "boltons", "tabulate", "watchdog", "schedule",
             "humanize", "python-dateutil"],
    "npm": ["fp-ts", "io-ts", "@tanstack/query-core", "neverthrow", "@reduxjs/toolkit",
            "superstruct", "commander", "yargs", "date-fns", "ts-pattern"],
    "go": ["github.com/spf13/cobra", "github.com/spf13/viper", "github.com/sirupsen/logrus",
           "go.uber.org/zap", "github.com/urfave/cli/v2", "github.com/BurntSushi/toml",
           "github.com/pelletier/go-toml/v2", "github.com/hashicorp/go-multierror"],
    "crates": ["petgraph", "dashmap", "csv", "serde_yaml", "crossterm", "hyper", "sled", "lru"],
    "maven-java": ["com.fasterxml.jackson.core:jackson-databind", "org.apache.commons:commons-lang3",
                   "org.apache.commons:commons-csv", "info.picocli:picocli",
                   "com.squareup:javapoet", "org.apache.commons:commons-text"],
    "maven-kotlin": ["com.squareup.moshi:moshi", "org.jetbrains.kotlinx:kotlinx-datetime-jvm",
                     "io.insert-koin:koin-core-jvm", "com.github.ajalt.clikt:clikt-jvm",
                     "com.squareup:kotlinpoet-jvm", "com.squareup.wire:wire-runtime-jvm"],
}
# Maven's dependency:copy needs a version: known releases.
MAVEN_VERSIONS = {
    "com.fasterxml.jackson.core:jackson-databind": "2.18.2",
    "org.apache.commons:commons-lang3": "3.17.0", "org.apache.commons:commons-csv": "1.12.0",
    "info.picocli:picocli": "4.7.6", "com.squareup:javapoet": "1.13.0",
    "org.apache.commons:commons-text": "1.12.0", "com.squareup.moshi:moshi": "1.15.1",
    "org.jetbrains.kotlinx:kotlinx-datetime-jvm": "0.6.1",
    "io.insert-koin:koin-core-jvm": "3.5.6", "com.github.ajalt.clikt:clikt-jvm": "4.4.0",
    "com.squareup:kotlinpoet-jvm": "1.18.1", "com.squareup.wire:wire-runtime-jvm": "4.9.9",
    # First-scan trees (issue #16 item 3), not part of the split.
    "io.ktor:ktor-client-core-jvm": "3.0.3",
}


def split() -> list[tuple[str, str, str]]:
    """(registry, package, half): per registry, sha256 order, alternating tune/held."""
    return corpus_fetch.split(PACKAGES)


def run(cmd, cwd=None, env=None):
    return corpus_fetch.run(cmd, cwd=cwd, env=env, fatal=False)


def fetch(registry: str, name: str, half: str, pin: str | None = None) -> str:
    """Fetch one package (the version pinned in the TSV, else the latest release) into its half;
    returns the version."""
    dl = WORK / "dl" / registry
    dl.mkdir(parents=True, exist_ok=True)
    short = name.split(":")[-1].replace("/", "_")
    done = sorted((WORK / half).glob(f"{registry}-{short}-*"))
    if done:
        return done[-1].name.rsplit("-", 1)[1]
    if registry == "pypi":
        before = set(dl.glob("*.tar.gz"))
        run(["pip", "download", "--no-deps", "--no-binary", ":all:", "-q",
             f"{name}=={pin}" if pin else name, "-d", str(dl)])
        found = sorted(set(dl.glob("*.tar.gz")) - before) or sorted(
            p for p in dl.glob("*.tar.gz")
            if p.name.lower().replace("_", "-").startswith(name.lower() + "-"))
        version = found[-1].name.removesuffix(".tar.gz").rsplit("-", 1)[1]
        dest = WORK / half / f"pypi-{short}-{version}"
        dest.mkdir(parents=True, exist_ok=True)
        run(["tar", "xzf", str(found[-1]), "-C", str(dest), "--strip-components=1"])
    elif registry == "npm":
        tgz = run(["npm", "pack", f"{name}@{pin}" if pin else name, "--silent"],
                  cwd=dl).strip().splitlines()[-1]
        version = tgz.removesuffix(".tgz").rsplit("-", 1)[1]
        dest = WORK / half / f"npm-{short}-{version}"
        dest.mkdir(parents=True, exist_ok=True)
        run(["tar", "xzf", str(dl / tgz), "-C", str(dest), "--strip-components=1"])
    elif registry.startswith("maven"):
        version = pin or MAVEN_VERSIONS[name]
        run(["mvn", "-q", "dependency:copy", f"-Dartifact={name}:{version}:jar:sources",
             f"-DoutputDirectory={dl}"])
        artifact = name.split(":")[1]
        jar = dl / f"{artifact}-{version}-sources.jar"
        dest = WORK / half / f"{registry}-{artifact}-{version}"
        with zipfile.ZipFile(jar) as z:
            z.extractall(dest)
    elif registry == "crates":
        # cargo's own client, with a CARGO_HOME of its own (the user's registry is a corpus).
        home = WORK / "cargo-home"
        proj = dl / f"fetch-{name}"
        (proj / "src").mkdir(parents=True, exist_ok=True)
        (proj / "src" / "lib.rs").write_text("")
        req = f'"={pin}"' if pin else '"*"'
        (proj / "Cargo.toml").write_text(
            f'[package]\nname = "fetch-{name}"\nversion = "0.0.0"\nedition = "2021"\n'
            f'[dependencies]\n{name} = {req}\n')
        env = {**os.environ, "CARGO_HOME": str(home)}
        run(["cargo", "fetch", "--manifest-path", str(proj / "Cargo.toml")], env=env)
        meta = json.loads(run(["cargo", "metadata", "--format-version", "1", "--offline",
                               "--manifest-path", str(proj / "Cargo.toml")], env=env))
        pkg = next(p for p in meta["packages"] if p["name"] == name)
        version = pkg["version"]
        dest = WORK / half / f"crates-{name}-{version}"
        subprocess.run(["cp", "-r", str(Path(pkg["manifest_path"]).parent), str(dest)],
                       check=True)
    else:
        env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPATH": str(WORK / "gopath")}
        info = json.loads(run(["go", "mod", "download", "-json",
                               f"{name}@{pin or 'latest'}"], cwd=dl, env=env))
        version = info["Version"]
        dest = WORK / half / f"go-{short}-{version}"
        if not dest.exists():
            subprocess.run(["cp", "-r", info["Dir"], str(dest)], check=True)
            subprocess.run(["chmod", "-R", "u+w", str(dest)], check=True)
    return version


def main() -> int:
    rows = split()
    if "--split" in sys.argv:
        for r in rows:
            print("\t".join(r))
        return 0
    if "--first-scan" in sys.argv:
        # The first-scan trees of issue #16 item 3 (outside the split).
        for registry, name in [("npm", "@trpc/server"), ("maven-kotlin", "io.ktor:ktor-client-core-jvm")]:
            print(registry, name, fetch(registry, name, "first-scan"), file=sys.stderr)
        return 0
    out = ["# Fresh corpora of the general families (issue #16, session 9): per registry (Maven Java",
           "# and Kotlin apart), packages ordered by sha256 of the package name and taken alternately",
           "# (tune first), BEFORE any finding was read. Fetched by patterns/general_corpora.py into",
           "# /tmp/cmpwork/general-s9/<half>/; scanned by patterns/report.py --general tune|held.",
           "# A package that could not be fetched keeps its row (version `-`): its half is smaller.",
           "registry\tpackage\tversion\thalf"]
    pins = {}
    if TSV.exists():
        for line in TSV.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) == 4 and not line.startswith(("#", "registry\t")) and cells[2] != "-":
                pins[(cells[0], cells[1])] = cells[2]
    for registry, name, half in rows:
        try:
            version = fetch(registry, name, half, pins.get((registry, name)))
        except (RuntimeError, StopIteration, KeyError, IndexError, OSError) as e:
            print(f"warning: {registry} {name}: {e}", file=sys.stderr)
            version = "-"
        print(registry, name, version, half, file=sys.stderr)
        out.append("\t".join([registry, name, version, half]))
    if "--write" in sys.argv:
        TSV.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
