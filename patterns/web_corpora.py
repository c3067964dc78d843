#!/usr/bin/env python3
"""Fresh web-application corpora for the injection/taint work of issue #15 (sessions 9 and 10).

Owns: the package list of each set, its split into a tuning and a held-out half, and fetching the
packages into /tmp/cmpwork/web-corpora-<set>/<half>/<registry>-<name>-<version>/. The split is
fixed BEFORE any finding is read: per registry, packages are ordered by sha256 of their name (as
written below) and taken alternately, tune first. `--set s9|s10` chooses the set (default s9);
`--write` records the split and the fetched versions in patterns/web-corpora-<set>.tsv;
patterns/report.py --web tune|held --web-set <set> scans a half.

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
SET = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "s9"
TSV = HERE / f"web-corpora-{SET}.tsv"
WORK = Path(f"/tmp/cmpwork/web-corpora-{SET}")

# Server-side web code (Flask/Django/FastAPI apps and plugins, Express/Koa middleware and apps,
# Java and Go web packages) never used by this project before (checked against README.md,
# report.py and every patterns/*corpora*.tsv on 2026-12-07). github.com/filebrowser/filebrowser/v2
# was on the list first; the Go proxy refuses it (403), so it was replaced, before anything was
# scanned, by github.com/go-chi/cors, which takes its place in the split.
PACKAGES_S9 = {
    "pypi": ["flask-login", "flask-wtf", "flask-cors", "flask-caching", "flask-smorest",
             "django-filter", "django-allauth", "djoser", "django-oauth-toolkit",
             "django-import-export", "sqlite-web", "changedetection.io", "flower",
             "starlette-admin", "fastapi-pagination", "calibreweb"],
    "npm": ["serve-index", "serve-handler", "koa-send", "@koa/router", "express-rate-limit",
            "http-proxy-middleware", "connect-history-api-fallback", "express-validator",
            "finalhandler", "body-parser", "cookie-parser", "express-handlebars", "koa-static",
            "live-server"],
    "maven": ["com.sparkjava:spark-core", "org.nanohttpd:nanohttpd"],
    "go": ["github.com/go-chi/chi/v5", "github.com/gorilla/handlers",
           "github.com/go-chi/cors", "github.com/labstack/echo/v4"],
}
# Session 10: again server-side web code never used before (checked against README.md,
# report.py, benches/ and every patterns/*.tsv on 2026-12-07), chosen for request handlers,
# redirects, logging and file serving: Flask/Django plugins and apps, WebDAV/CalDAV servers,
# Express/Koa middleware, two Java and four Go web packages.
PACKAGES_S10 = {
    "pypi": ["flask-session", "flask-limiter", "flask-jwt-extended", "flask-dance",
             "mozilla-django-oidc", "django-axes", "django-silk", "django-hijack",
             "django-rest-knox", "ihatemoney", "isso", "radicale", "wsgidav",
             "django-two-factor-auth"],
    "npm": ["express-winston", "express-openid-connect", "express-http-proxy", "method-override",
            "hexo-server", "webpack-dev-middleware", "koa-bodyparser", "koa-session", "koa-views",
            "express-basic-auth", "serve-static", "connect-flash"],
    "maven": ["io.vertx:vertx-web", "io.jooby:jooby"],
    "go": ["github.com/gorilla/mux", "github.com/gin-contrib/static", "github.com/justinas/nosurf",
           "github.com/unrolled/secure"],
}
PACKAGES = {"s9": PACKAGES_S9, "s10": PACKAGES_S10}[SET]
# Maven's dependency:copy needs a version (RELEASE does not resolve there): known releases with a
# sources jar (vertx-web 5.2.x publishes none).
MAVEN_VERSIONS = {"com.sparkjava:spark-core": "2.9.4", "org.nanohttpd:nanohttpd": "2.3.1",
                  "io.vertx:vertx-web": "5.0.0", "io.jooby:jooby": "3.11.5"}
# The header comment of each set's TSV.
HEADERS = {
    "s9": ["# Fresh web corpora for issue #15's sanitisers and constants (session 9): per registry,",
           "# packages ordered by sha256 of the package name and taken alternately (tune first),",
           "# BEFORE any finding was read. Fetched by patterns/web_corpora.py into",
           "# /tmp/cmpwork/web-corpora-s9/<half>/; scanned by report.py --web-set s9 --web tune|held.",
           "# PyPI packages are their wheels (the Python sources, without setup.py or tests).",
           "# github.com/filebrowser/filebrowser/v2 (refused by the Go proxy) was replaced by",
           "# github.com/go-chi/cors before anything was scanned."],
    "s10": ["# Fresh web corpora for issue #15's review causes (session 10): per registry, packages",
            "# ordered by sha256 of the package name and taken alternately (tune first), BEFORE any",
            "# finding was read. Fetched by patterns/web_corpora.py --set s10 into",
            "# /tmp/cmpwork/web-corpora-s10/<half>/; scanned by report.py --web-set s10 --web tune|held.",
            "# PyPI packages are their wheels (the Python sources, without setup.py or tests)."],
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
        # A wheel holds the package's Python sources (no build needed).
        run(["pip", "download", "--no-deps", "--only-binary", ":all:", "-q", f"{name}=={pin}" if pin else name, "-d", str(dl)])
        wheel = sorted(set(dl.glob("*.whl")) - before) or sorted(
            w for w in dl.glob("*.whl") if w.name.lower().startswith(name.lower().replace("-", "_")))
        version = wheel[-1].name.split("-")[1]
        name = name.replace("/", "_")
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
        if not dest.exists() and "Dir" in info:
            subprocess.run(["cp", "-r", info["Dir"], str(dest)], check=True)
            subprocess.run(["chmod", "-R", "u+w", str(dest)], check=True)
        elif not dest.exists():
            # A module needing a newer toolchain is downloaded but not extracted ("Error" set):
            # its zip holds the same sources under `<path>@<version>/`.
            with zipfile.ZipFile(info["Zip"]) as z:
                prefix = f"{name}@{version}/"
                for member in z.namelist():
                    if member.startswith(prefix) and not member.endswith("/"):
                        out = dest / member[len(prefix):]
                        out.parent.mkdir(parents=True, exist_ok=True)
                        out.write_bytes(z.read(member))
    return version


def main() -> int:
    rows = split()
    if "--split" in sys.argv:
        for r in rows:
            print("\t".join(r))
        return 0
    out = HEADERS[SET] + ["registry\tpackage\tversion\thalf"]
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
