#!/usr/bin/env python3
"""Fresh real-code corpora for the general families (issue #16, sessions 9 and 10): reliability,
performance, idioms, maintainability and crypto/config claims outside the injection families.

Owns: the package lists of each session's set (`--set s9|s10`, default s9), their split into a
tuning and a held-out half, and fetching the packages into
/tmp/cmpwork/general-<set>/<half>/<registry>-<name>-<version>/. The split is fixed BEFORE any
finding is read: per registry (Maven Java and Maven Kotlin apart), packages are ordered by
sha256 of their name (as written below) and taken alternately, tune first. `--write` records
the split and the fetched versions in patterns/general-corpora-<set>.tsv; patterns/report.py
--general-set <set> --general tune|held scans a half. `--first-scan` fetches the set's large
first-scan libraries (issue #16 item 3, outside the split) into <work>/first-scan/.

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


class CorpusSet:
    """One session's package lists: registry -> names, Maven versions, first-scan trees."""

    def __init__(self, name, packages, maven_versions, first_scan):
        self.name = name
        self.tsv = HERE / f"general-corpora-{name}.tsv"
        self.work = Path(f"/tmp/cmpwork/general-{name}")
        self.packages = packages
        self.maven_versions = maven_versions
        self.first_scan = first_scan


SETS = {
    # Session 9: never used by this project before (checked against patterns/*.tsv, report.py,
    # README.md and the closing notes of sessions 6-8). Spent: reviewed (verdicts/general-held-s9).
    "s9": CorpusSet("s9", {
        "pypi": ["marshmallow", "structlog", "boltons", "tabulate", "watchdog", "schedule",
                 "humanize", "python-dateutil"],
        "npm": ["fp-ts", "io-ts", "@tanstack/query-core", "neverthrow", "@reduxjs/toolkit",
                "superstruct", "commander", "yargs", "date-fns", "ts-pattern"],
        "go": ["github.com/spf13/cobra", "github.com/spf13/viper", "github.com/sirupsen/logrus",
               "go.uber.org/zap", "github.com/urfave/cli/v2", "github.com/BurntSushi/toml",
               "github.com/pelletier/go-toml/v2", "github.com/hashicorp/go-multierror"],
        "crates": ["petgraph", "dashmap", "csv", "serde_yaml", "crossterm", "hyper", "sled", "lru"],
        "maven-java": ["com.fasterxml.jackson.core:jackson-databind",
                       "org.apache.commons:commons-lang3", "org.apache.commons:commons-csv",
                       "info.picocli:picocli", "com.squareup:javapoet",
                       "org.apache.commons:commons-text"],
        "maven-kotlin": ["com.squareup.moshi:moshi", "org.jetbrains.kotlinx:kotlinx-datetime-jvm",
                         "io.insert-koin:koin-core-jvm", "com.github.ajalt.clikt:clikt-jvm",
                         "com.squareup:kotlinpoet-jvm", "com.squareup.wire:wire-runtime-jvm"],
    }, {
        # Maven's dependency:copy needs a version: known releases.
        "com.fasterxml.jackson.core:jackson-databind": "2.18.2",
        "org.apache.commons:commons-lang3": "3.17.0", "org.apache.commons:commons-csv": "1.12.0",
        "info.picocli:picocli": "4.7.6", "com.squareup:javapoet": "1.13.0",
        "org.apache.commons:commons-text": "1.12.0", "com.squareup.moshi:moshi": "1.15.1",
        "org.jetbrains.kotlinx:kotlinx-datetime-jvm": "0.6.1",
        "io.insert-koin:koin-core-jvm": "3.5.6", "com.github.ajalt.clikt:clikt-jvm": "4.4.0",
        "com.squareup:kotlinpoet-jvm": "1.18.1", "com.squareup.wire:wire-runtime-jvm": "4.9.9",
        "io.ktor:ktor-client-core-jvm": "3.0.3",
    }, [("npm", "@trpc/server"), ("maven-kotlin", "io.ktor:ktor-client-core-jvm")]),
    # Session 10: never used before (names checked against patterns/ -- every corpus TSV, script,
    # verdict sheet and README -- benches/ and Cargo.lock, whose crates are the `crates` corpus).
    "s10": CorpusSet("s10", {
        "pypi": ["more-itertools", "pluggy", "toolz", "pyparsing", "sortedcontainers",
                 "apscheduler", "fsspec"],
        "npm": ["xstate", "valibot", "p-queue", "@tiptap/core", "prosemirror-model", "undici",
                "bullmq", "@tanstack/table-core"],
        "go": ["github.com/samber/lo", "github.com/stretchr/testify", "github.com/spf13/afero",
               "github.com/fsnotify/fsnotify", "github.com/hashicorp/golang-lru/v2",
               "github.com/cenkalti/backoff/v4", "github.com/rs/zerolog",
               "github.com/go-playground/validator/v10"],
        "crates": ["arc-swap", "tokio-util", "ropey", "moka", "flume", "governor", "triomphe",
                   "backon"],
        "maven-java": ["com.github.ben-manes.caffeine:caffeine",
                       "org.apache.commons:commons-compress",
                       "org.apache.httpcomponents.client5:httpclient5", "io.netty:netty-buffer",
                       "com.auth0:java-jwt", "io.jsonwebtoken:jjwt-impl"],
        "maven-kotlin": ["io.github.oshai:kotlin-logging-jvm",
                         "org.jetbrains.kotlinx:kotlinx-io-core-jvm",
                         "org.jetbrains.kotlinx:kotlinx-collections-immutable-jvm",
                         "com.fasterxml.jackson.module:jackson-module-kotlin",
                         "io.mockk:mockk-jvm", "com.connectrpc:connect-kotlin"],
    }, {
        "com.github.ben-manes.caffeine:caffeine": "3.3.1",
        "org.apache.commons:commons-compress": "1.28.0",
        "org.apache.httpcomponents.client5:httpclient5": "5.4.4",
        "io.netty:netty-buffer": "4.1.115.Final", "com.auth0:java-jwt": "4.4.0",
        "io.jsonwebtoken:jjwt-impl": "0.13.0", "io.github.oshai:kotlin-logging-jvm": "8.0.7",
        "org.jetbrains.kotlinx:kotlinx-io-core-jvm": "0.9.3",
        "org.jetbrains.kotlinx:kotlinx-collections-immutable-jvm": "0.5.2",
        "com.fasterxml.jackson.module:jackson-module-kotlin": "2.18.2",
        "io.mockk:mockk-jvm": "1.14.12", "com.connectrpc:connect-kotlin": "0.10.0",
        # First-scan tree (issue #16 item 3), not part of the split.
        "org.jetbrains.kotlin:kotlin-stdlib": "2.4.21",
    }, [("npm", "viem"), ("maven-kotlin", "org.jetbrains.kotlin:kotlin-stdlib")]),
}
SET = SETS["s9"]


def split() -> list[tuple[str, str, str]]:
    """(registry, package, half): per registry, sha256 order, alternating tune/held."""
    return corpus_fetch.split(SET.packages)


def run(cmd, cwd=None, env=None):
    return corpus_fetch.run(cmd, cwd=cwd, env=env, fatal=False)


def fetch(registry: str, name: str, half: str, pin: str | None = None) -> str:
    """Fetch one package (the version pinned in the TSV, else the latest release) into its half;
    returns the version."""
    dl = SET.work / "dl" / registry
    dl.mkdir(parents=True, exist_ok=True)
    short = name.split(":")[-1].replace("/", "_")
    done = sorted((SET.work / half).glob(f"{registry}-{short}-*"))
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
        dest = SET.work / half / f"pypi-{short}-{version}"
        dest.mkdir(parents=True, exist_ok=True)
        run(["tar", "xzf", str(found[-1]), "-C", str(dest), "--strip-components=1"])
    elif registry == "npm":
        tgz = run(["npm", "pack", f"{name}@{pin}" if pin else name, "--silent"],
                  cwd=dl).strip().splitlines()[-1]
        version = tgz.removesuffix(".tgz").rsplit("-", 1)[1]
        dest = SET.work / half / f"npm-{short}-{version}"
        dest.mkdir(parents=True, exist_ok=True)
        run(["tar", "xzf", str(dl / tgz), "-C", str(dest), "--strip-components=1"])
    elif registry.startswith("maven"):
        version = pin or SET.maven_versions[name]
        run(["mvn", "-q", "dependency:copy", f"-Dartifact={name}:{version}:jar:sources",
             f"-DoutputDirectory={dl}"])
        artifact = name.split(":")[1]
        jar = dl / f"{artifact}-{version}-sources.jar"
        dest = SET.work / half / f"{registry}-{artifact}-{version}"
        with zipfile.ZipFile(jar) as z:
            z.extractall(dest)
    elif registry == "crates":
        # cargo's own client, with a CARGO_HOME of its own (the user's registry is a corpus).
        home = SET.work / "cargo-home"
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
        dest = SET.work / half / f"crates-{name}-{version}"
        subprocess.run(["cp", "-r", str(Path(pkg["manifest_path"]).parent), str(dest)],
                       check=True)
    else:
        env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPATH": str(SET.work / "gopath")}
        info = json.loads(run(["go", "mod", "download", "-json",
                               f"{name}@{pin or 'latest'}"], cwd=dl, env=env))
        version = info["Version"]
        dest = SET.work / half / f"go-{short}-{version}"
        if not dest.exists():
            subprocess.run(["cp", "-r", info["Dir"], str(dest)], check=True)
            subprocess.run(["chmod", "-R", "u+w", str(dest)], check=True)
    return version


def main() -> int:
    global SET
    if "--set" in sys.argv:
        SET = SETS[sys.argv[sys.argv.index("--set") + 1]]
    rows = split()
    if "--split" in sys.argv:
        for r in rows:
            print("\t".join(r))
        return 0
    if "--first-scan" in sys.argv:
        # The first-scan trees of issue #16 item 3 (outside the split).
        for registry, name in SET.first_scan:
            print(registry, name, fetch(registry, name, "first-scan"), file=sys.stderr)
        return 0
    session = SET.name.removeprefix("s")
    out = [f"# Fresh corpora of the general families (issue #16, session {session}): per registry (Maven Java",
           "# and Kotlin apart), packages ordered by sha256 of the package name and taken alternately",
           f"# (tune first), BEFORE any finding was read. Fetched by patterns/general_corpora.py --set {SET.name}",
           f"# into {SET.work}/<half>/; scanned by patterns/report.py --general-set {SET.name} --general tune|held.",
           "# A package that could not be fetched keeps its row (version `-`): its half is smaller.",
           "registry\tpackage\tversion\thalf"]
    pins = {}
    if SET.tsv.exists():
        for line in SET.tsv.read_text(encoding="utf-8").splitlines():
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
        SET.tsv.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
