#!/usr/bin/env python3
"""Fresh real-code corpora for the widened security claims (issue #15 item 6, session 8).

Owns: the package list, its split into a tuning and a held-out half, and fetching the packages
into target/claims-corpora/<half>/<registry>-<name>-<version>/. The split is fixed BEFORE any
finding is read: per registry, packages are ordered by sha256 of their name (as written below)
and taken alternately, tune first. `--write` records the split and the fetched versions in
patterns/claims-corpora.tsv; patterns/report.py --claims tune|held scans a half.

Python 3.11 standard library; the registries' own clients (pip, npm, mvn, go).
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
TSV = HERE / "claims-corpora.tsv"
WORK = HERE.parent / "target" / "claims-corpora"

# Chosen for the hazards the widened claims are about (TLS, tokens, credentials, evaluation) and
# never used by this project before (checked against README.md, c-corpora.tsv, report.py, notes).
PACKAGES = {
    "pypi": ["paramiko", "urllib3", "oauthlib", "pymysql", "redis", "celery", "kombu",
             "passlib", "itsdangerous", "pyjwt", "httplib2", "fabric"],
    "npm": ["axios", "node-fetch", "ws", "mongodb", "mysql2", "pg", "jsonwebtoken", "passport",
            "express-session", "nodemailer", "superagent", "tedious", "ioredis", "socket.io"],
    "maven": ["com.jcraft:jsch", "org.apache.httpcomponents:httpclient", "redis.clients:jedis",
              "commons-net:commons-net", "org.postgresql:postgresql", "com.mysql:mysql-connector-j",
              "com.squareup.retrofit2:retrofit", "org.apache.commons:commons-email"],
    "go": ["github.com/go-sql-driver/mysql", "github.com/lib/pq", "github.com/minio/minio-go/v7",
           "github.com/redis/go-redis/v9", "github.com/nats-io/nats.go",
           "github.com/hashicorp/vault/api", "github.com/go-resty/resty/v2",
           "github.com/gorilla/websocket"],
}
# Maven's dependency:copy needs a version (RELEASE does not resolve there): known releases.
MAVEN_VERSIONS = {
    "com.jcraft:jsch": "0.1.55", "org.apache.httpcomponents:httpclient": "4.5.14",
    "redis.clients:jedis": "5.1.0", "commons-net:commons-net": "3.10.0",
    "org.postgresql:postgresql": "42.7.3", "com.mysql:mysql-connector-j": "8.3.0",
    "com.squareup.retrofit2:retrofit": "2.9.0", "org.apache.commons:commons-email": "1.5",
}


def split() -> list[tuple[str, str, str]]:
    """(registry, package, half): per registry, sha256 order, alternating tune/held."""
    return corpus_fetch.split(PACKAGES)


run = corpus_fetch.run


def fetch(registry: str, name: str, half: str, pin: str | None = None) -> str:
    """Fetch one package (the version pinned in the TSV, else the latest release) into its half;
    returns the version."""
    dl = WORK / "dl" / registry
    dl.mkdir(parents=True, exist_ok=True)
    done = sorted((WORK / half).glob(f"{registry}-{name.split(':')[-1].replace('/', '_')}-*"))
    if done:
        return done[-1].name.rsplit("-", 1)[1]
    if registry == "pypi":
        before = set(dl.glob("*.whl"))
        run(["pip", "download", "--no-deps", "--only-binary", ":all:", "-q", f"{name}=={pin}" if pin else name, "-d", str(dl)])
        wheel = sorted(set(dl.glob("*.whl")) - before) or sorted(
            w for w in dl.glob("*.whl") if w.name.lower().startswith(name.lower().replace("-", "_")))
        version = wheel[-1].name.split("-")[1]
        dest = WORK / half / f"pypi-{name}-{version}"
        with zipfile.ZipFile(wheel[-1]) as z:
            z.extractall(dest)
    elif registry == "npm":
        tgz = run(["npm", "pack", f"{name}@{pin}" if pin else name, "--silent"], cwd=dl).strip().splitlines()[-1]
        version = tgz.removesuffix(".tgz").rsplit("-", 1)[1]
        dest = WORK / half / f"npm-{name.replace('/', '_')}-{version}"
        dest.mkdir(parents=True, exist_ok=True)
        run(["tar", "xzf", str(dl / tgz), "-C", str(dest), "--strip-components=1"])
    elif registry == "maven":
        run(["mvn", "-q", "dependency:copy", f"-Dartifact={name}:{MAVEN_VERSIONS[name]}:jar:sources",
             f"-DoutputDirectory={dl}"])
        artifact = name.split(":")[1]
        jar = sorted(dl.glob(f"{artifact}-*-sources.jar"))[-1]
        version = jar.name.removeprefix(f"{artifact}-").removesuffix("-sources.jar")
        dest = WORK / half / f"maven-{artifact}-{version}"
        with zipfile.ZipFile(jar) as z:
            z.extractall(dest)
    else:
        env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPATH": str(WORK / "gopath")}
        info = json.loads(subprocess.run(["go", "mod", "download", "-json", f"{name}@{pin or 'latest'}"],
                                         capture_output=True, text=True, env=env,
                                         cwd=dl).stdout)
        version = info["Version"]
        dest = WORK / half / f"go-{name.replace('/', '_')}-{version}"
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
    out = ["# Fresh corpora for the widened security claims (session 8): per registry, packages",
           "# ordered by sha256 of the package name and taken alternately (tune first), BEFORE",
           "# any finding was read. Fetched by patterns/claims_corpora.py into",
           "# target/claims-corpora/<half>/; scanned by patterns/report.py --claims tune|held.",
           "registry\tpackage\tversion\thalf"]
    pins = {}
    if TSV.exists():
        for line in TSV.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) == 4 and not line.startswith(("#", "registry\t")):
                pins[(cells[0], cells[1])] = cells[2]
    for registry, name, half in rows:
        version = fetch(registry, name, half, pins.get((registry, name)))
        print(registry, name, version, half, file=sys.stderr)
        out.append("\t".join([registry, name, version, half]))
    if "--write" in sys.argv:
        TSV.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
