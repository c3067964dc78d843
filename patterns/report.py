#!/usr/bin/env python3
"""Catalog report: what the catalog holds and how precise it is on real code.

Regenerates two sections of patterns/README.md between marker comments:

- "The catalog today": one row per pattern (file, id, symbol, group, severity, languages,
  matcher summary), read from the TOML files;
- "Precision on real code": per pattern, the number of findings in each corpus (a scan with the
  release CLI and a database built from this folder) and the review of a sample of them, read
  from patterns/precision.tsv (id, sampled, false_alarms, note), with the corpus versions and
  the date of the run.

Usage (from anywhere; paths are relative to the repository):
  patterns/report.py                   # scan the three corpora, rewrite both sections
  patterns/report.py --go --crates     # also Go's standard library and the cargo registry
  patterns/report.py --ts              # also TypeScript sources (rxjs 7 `src/`, fetched with npm)
  patterns/report.py --kotlin          # also Kotlin sources jars (fetched with Maven)
  patterns/report.py --c               # also the C/C++ corpora, both halves (c-tune, c-held)
  patterns/report.py --c tune          # only the tuning half (what a pattern author may read)
  patterns/report.py --c-set s8 --c tune   # session 8's fresh C/C++ packages (c-corpora-s8.tsv)
  patterns/report.py --py              # also the Python files of those packages, same halves
  patterns/report.py --web held        # the web-application corpora (patterns/web-corpora.tsv:
                                       # PyPI, npm and Maven packages with request handlers), a half
  patterns/report.py --review-sheet OUT --only --web held --families 'injection|regex.user|ssrf|open-redirect|path-traversal|xss|xpath|ldap|header|template'
                                       # a sheet of the taint families' findings only
  patterns/report.py --general tune    # the fresh general corpora of session 9 (reliability,
                                       # performance, idioms), one half (general-corpora-s9.tsv)
  patterns/report.py --general-set s10 --general held   # session 10's (general-corpora-s10.tsv)
  patterns/report.py --claims tune     # also the fresh corpora of the widened security claims
                                       # (patterns/claims-corpora.tsv, session 8), one half
  patterns/report.py --only --c        # scan only the named corpora; the others keep the counts
                                       # of their last run (patterns/counts.json)
  patterns/report.py --catalog-only    # only "The catalog today" (no scan)
  patterns/report.py --sample ID       # print up to 10 findings of ID, spread over files
  patterns/report.py --import FILE     # merge review lines into precision.tsv
  patterns/report.py --review-sheet OUT --c held   # findings to judge, spread over patterns
                                       # and files, for a reviewer who did not tune (OUT.md +
                                       # OUT.tsv verdict template)
  patterns/report.py --import-verdicts FILE --half c-held   # per-finding verdicts (id, path,
                                       # line, verdict, reason): rates per half and per pattern

The C/C++ corpora (`--c`) are package sources from PyPI (sdists) and npm that vendor C or C++
libraries, listed in patterns/c-corpora.tsv with the half each package belongs to. The split was
made by package before any finding was read (packages ordered by sha256 of their name, taken
alternately); tune patterns on `c-tune` only and have `c-held` read by someone who did not tune.
Missing packages are fetched into /tmp/cmpwork/c-corpora with `pip download --no-binary :all:
--no-deps NAME==VERSION` and `npm pack NAME@VERSION`, each unpacked into `<half>/<registry>-<name>-
<version>/`.

Python 3.11+ standard library only. The CLI is target/release/codetable (`--codetable` or
$CODETABLE to use another); `make catalog-report` builds it first.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

PATTERNS = Path(__file__).resolve().parent
REPO = PATTERNS.parent
README = PATTERNS / "README.md"
PRECISION = PATTERNS / "precision.tsv"
WORK = REPO / "target" / "catalog-report"

PRECISION_HEADER = ["id", "sampled", "false_alarms", "note"]
COUNTS = PATTERNS / "counts.json"
C_CORPORA = PATTERNS / "c-corpora.tsv"
VERDICTS = PATTERNS / "verdicts"


class Corpus:
    def __init__(self, name, title, languages, path):
        self.name = name  # column name
        self.title = title  # human description (version added by describe())
        self.languages = languages  # codetable language names scanned
        self.path = Path(path).expanduser()

    def exists(self):
        return self.path.is_dir()


CMPWORK = Path("/tmp/cmpwork")
CORPORA = [
    Corpus("cpython", "CPython standard library", ["python"], CMPWORK / "cpython-lib"),
    Corpus("typescript", "TypeScript npm package, `lib/`", ["javascript"],
           CMPWORK / "typescript" / "package" / "lib"),
    Corpus("guava", "Guava sources jar", ["java"], CMPWORK / "guava" / "src"),
]
EXTRA = {
    "ts": Corpus("rxjs", "rxjs npm package, `src/` (TypeScript sources)", ["typescript"],
                 CMPWORK / "rxjs" / "package" / "src"),
    "kotlin": Corpus("kotlin", "Kotlin sources jars (okhttp, kotlinx.coroutines, ktor server)",
                     ["kotlin"], CMPWORK / "kotlin" / "src"),
    "go": Corpus("go", "Go standard library", ["go"], "/usr/local/go/src"),
    "crates": Corpus("crates", "crate sources in the cargo registry", ["rust", "c", "cpp"],
                     "~/.cargo/registry/src"),
}

RXJS = "rxjs@7.8.2"
C_WORK = CMPWORK / "c-corpora"
C_HALVES = {"tune": "c-tune", "held": "c-held"}
# The C/C++ corpus sets: session 7's (c-corpora.tsv, halves c-tune/c-held) and session 8's fresh
# one (c-corpora-s8.tsv, halves c8-tune/c8-held, unpacked under target/c-corpora-s8: a shared
# /tmp/cmpwork was emptied under it once).
C_SETS = {
    "s7": (C_CORPORA, CMPWORK / "c-corpora", {"tune": "c-tune", "held": "c-held"}),
    "s8": (PATTERNS / "c-corpora-s8.tsv", REPO / "target" / "c-corpora-s8",
           {"tune": "c8-tune", "held": "c8-held"}),
    "s9": (PATTERNS / "c-corpora-s9.tsv", CMPWORK / "c-corpora-s9",
           {"tune": "c9-tune", "held": "c9-held"}),
    "s10": (PATTERNS / "c-corpora-s10.tsv", CMPWORK / "c-corpora-s10",
            {"tune": "c10-tune", "held": "c10-held"}),
}


def is_c_corpus(corpus):
    """A half of any C/C++ corpus set (their packages' point is the vendored C code)."""
    return any(corpus.name in halves.values() for _, _, halves in C_SETS.values())


def use_c_set(name):
    """Point the C/C++ corpus functions at one set of C_SETS."""
    global C_CORPORA, C_WORK, C_HALVES
    C_CORPORA, C_WORK, C_HALVES = C_SETS[name]


def c_packages():
    """The rows of the corpus set's TSV: (registry, package, version, half)."""
    rows = []
    for n, line in enumerate(C_CORPORA.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("registry\t"):
            continue
        cells = line.split("\t")
        if len(cells) != 4 or cells[0] not in ("pypi", "npm") or cells[3] not in C_HALVES:
            die(f"{C_CORPORA.name}:{n}: expected registry (pypi|npm), package, version, "
                "half (tune|held)")
        rows.append(tuple(cells))
    return rows


PY_HALVES = {"tune": "py-tune", "held": "py-held"}
WEB_CORPORA = PATTERNS / "web-corpora.tsv"
WEB_WORK = CMPWORK / "web-corpora"
WEB_HALVES = {"tune": "web-tune", "held": "web-held"}


# The web corpus sets: session 8's (web-corpora.tsv, spent), session 9's (web-corpora-s9.tsv,
# spent) and session 10's fresh one (web-corpora-s10.tsv), the later two fetched by
# patterns/web_corpora.py --set <set> (Go modules too).
WEB_SETS = {
    "s8": (WEB_CORPORA, WEB_WORK, WEB_HALVES),
    "s9": (PATTERNS / "web-corpora-s9.tsv", CMPWORK / "web-corpora-s9",
           {"tune": "web9-tune", "held": "web9-held"}),
    "s10": (PATTERNS / "web-corpora-s10.tsv", CMPWORK / "web-corpora-s10",
            {"tune": "web10-tune", "held": "web10-held"}),
}


def use_web_set(name):
    """Point the web corpus functions at one set of WEB_SETS."""
    global WEB_CORPORA, WEB_WORK, WEB_HALVES
    WEB_CORPORA, WEB_WORK, WEB_HALVES = WEB_SETS[name]


def web_packages():
    """The rows of web-corpora.tsv: (registry, package, version, half)."""
    rows = []
    for n, line in enumerate(WEB_CORPORA.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("registry\t"):
            continue
        cells = line.split("\t")
        if len(cells) != 4 or cells[0] not in ("pypi", "npm", "maven", "go") or cells[3] not in WEB_HALVES:
            die(f"{WEB_CORPORA.name}:{n}: expected registry (pypi|npm|maven|go), package, version, "
                "half (tune|held)")
        rows.append(tuple(cells))
    return rows


def web_corpus(half):
    """Server-side web packages (handlers, middleware), split by package before any finding
    was read (see web-corpora.tsv)."""
    return Corpus(WEB_HALVES[half], f"web-application packages, {half} half",
                  ["python", "javascript", "typescript", "java", "kotlin", "go"], WEB_WORK / half)


def fetch_web(half):
    """The packages of one half of the web corpora, fetched and unpacked when missing: sdists
    (a wheel where no sdist builds), npm tarballs, Maven sources jars."""
    import zipfile
    if WEB_CORPORA != WEB_SETS["s8"][0]:
        # Later sets are fetched by their own script (versions pinned in their TSV).
        if not (WEB_WORK / half).is_dir():
            die(f"{WEB_WORK / half} is missing: run patterns/web_corpora.py --set <set> first")
        return
    dl = WEB_WORK / "dl"
    dl.mkdir(parents=True, exist_ok=True)
    for registry, name, version, h in web_packages():
        short = name.split(":")[-1]
        dest = WEB_WORK / h / f"{registry}-{short}-{version}"
        if h != half or dest.is_dir():
            continue
        if registry == "pypi":
            # The sdist of the package only: its build requirements (Cython, setuptools) come
            # as wheels, or pip's metadata step builds Cython from source for half an hour.
            r = subprocess.run(["pip", "download", "--no-binary", name, "--no-deps", "-q",
                                f"{name}=={version}", "-d", str(dl)], capture_output=True, text=True)
            found = sorted(dl.glob(f"{name.replace('-', '[-_]')}-{version}.tar.gz"))
            if not found:
                r = subprocess.run(["pip", "download", "--only-binary", ":all:", "--no-deps", "-q",
                                    f"{name}=={version}", "-d", str(dl)], capture_output=True,
                                   text=True)
                found = sorted(dl.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
        elif registry == "npm":
            r = subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=dl,
                               capture_output=True, text=True)
            found = [dl / r.stdout.strip().splitlines()[-1]] if r.stdout.strip() else []
        else:
            r = subprocess.run(["mvn", "-q", "dependency:copy",
                                f"-Dartifact={name}:{version}:jar:sources",
                                f"-DoutputDirectory={dl}"], capture_output=True, text=True)
            found = sorted(dl.glob(f"{short}-{version}-sources.jar"))
        if r.returncode != 0 or not found:
            die(f"fetching {registry} {name} {version} failed: {r.stderr.strip()}")
        dest.mkdir(parents=True)
        if found[0].suffix in (".whl", ".jar"):
            with zipfile.ZipFile(found[0]) as z:
                z.extractall(dest)
        else:
            subprocess.run(["tar", "xzf", str(found[0]), "-C", str(dest),
                            "--strip-components=1"], check=True)
CLAIMS_HALVES = {"tune": "claims-tune", "held": "claims-held"}
CLAIMS_WORK = REPO / "target" / "claims-corpora"


def claims_corpus(half):
    """The fresh PyPI/npm/Maven/Go packages of patterns/claims-corpora.tsv (session 8), split by
    sha256 of the package name before any finding was read; fetched by
    patterns/claims_corpora.py."""
    return Corpus(CLAIMS_HALVES[half], f"fresh security-claims packages, {half} half",
                  ["python", "javascript", "typescript", "java", "go"], CLAIMS_WORK / half)


# The general corpus sets (fetched by patterns/general_corpora.py --set NAME): session 9's
# (spent: reviewed) and session 10's fresh one.
GENERAL_SETS = {
    "s9": (CMPWORK / "general-s9", {"tune": "general-tune", "held": "general-held"}),
    "s10": (CMPWORK / "general-s10", {"tune": "general10-tune", "held": "general10-held"}),
}
GENERAL_SET = "s9"


def use_general_set(name):
    """Point general_corpus at one set of GENERAL_SETS."""
    global GENERAL_SET
    GENERAL_SET = name


def general_corpus(half):
    """The fresh packages of patterns/general-corpora-<set>.tsv (PyPI, npm, Go, crates, Maven
    Java and Kotlin), split by sha256 of the package name before any finding was read; fetched
    by patterns/general_corpora.py --set <set>."""
    work, halves = GENERAL_SETS[GENERAL_SET]
    session = GENERAL_SET.removeprefix("s")
    return Corpus(halves[half], f"fresh general packages (session {session}), {half} half",
                  ["python", "javascript", "typescript", "go", "rust", "java", "kotlin"],
                  work / half)


def c_corpus(half):
    return Corpus(C_HALVES[half], f"C/C++ package sources, {half} half", ["c", "cpp"],
                  C_WORK / half)


def py_corpus(half):
    """The Python files of the same packages, split the same way (a held-out Python corpus
    for patterns tuned on CPython)."""
    return Corpus(PY_HALVES[half], f"Python files of the same packages, {half} half",
                  ["python"], C_WORK / half)


def fetch_c(half):
    """The packages of one half of the C/C++ corpora, fetched and unpacked when missing."""
    dl = C_WORK / "dl"
    dl.mkdir(parents=True, exist_ok=True)
    for registry, name, version, h in c_packages():
        dest = C_WORK / h / f"{registry}-{name}-{version}"
        if h != half or dest.is_dir():
            continue
        if registry == "pypi":
            # The sdist of the package only: its build requirements (Cython, setuptools) come
            # as wheels, or pip's metadata step builds Cython from source for half an hour.
            r = subprocess.run(["pip", "download", "--no-binary", name, "--no-deps", "-q",
                                f"{name}=={version}", "-d", str(dl)],
                               capture_output=True, text=True)
            # Sdist file names spell the project name normalised (`posix_ipc`, `yara_python`).
            norm = lambda s: re.sub(r"[-_.]+", "-", s).lower()
            found = sorted(p for p in dl.glob("*.tar.gz")
                           if norm(p.name.removesuffix(".tar.gz")) == norm(f"{name}-{version}"))
        else:
            r = subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=dl,
                               capture_output=True, text=True)
            found = [dl / r.stdout.strip().splitlines()[-1]] if r.stdout.strip() else []
        if r.returncode != 0 or not found:
            # The package keeps its row and half (the split is fixed): the half is smaller.
            print(f"warning: fetching {registry} {name} {version} failed, left out: "
                  f"{r.stderr.strip()}", file=sys.stderr)
            continue
        dest.mkdir(parents=True)
        subprocess.run(["tar", "xzf", str(found[0]), "-C", str(dest), "--strip-components=1"],
                       check=True)


def fetch_rxjs():
    """The TypeScript corpus: the rxjs npm package, which ships its TypeScript sources."""
    if EXTRA["ts"].path.is_dir():
        return
    work = EXTRA["ts"].path.parent.parent
    work.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["npm", "pack", RXJS, "--silent"], cwd=work, capture_output=True,
                       text=True)
    if r.returncode != 0:
        die(f"npm pack {RXJS} failed: {r.stderr.strip()}")
    subprocess.run(["tar", "xzf", r.stdout.strip().splitlines()[-1]], cwd=work, check=True)


KOTLIN_JARS = [
    "com.squareup.okhttp3:okhttp-jvm:5.3.2",
    "org.jetbrains.kotlinx:kotlinx-coroutines-core-jvm:1.10.2",
    "io.ktor:ktor-server-core-jvm:3.5.2",
]


def fetch_kotlin():
    """The Kotlin corpus: sources jars from Maven Central, one folder each."""
    src = EXTRA["kotlin"].path
    if src.is_dir():
        return
    work = src.parent
    work.mkdir(parents=True, exist_ok=True)
    for coord in KOTLIN_JARS:
        r = subprocess.run(["mvn", "-q", "dependency:copy", f"-Dartifact={coord}:jar:sources",
                            f"-DoutputDirectory={work}"], capture_output=True, text=True)
        if r.returncode != 0:
            die(f"fetching {coord} failed: {r.stdout[-2000:]}{r.stderr[-2000:]}")
    import zipfile
    for jar in sorted(work.glob("*-sources.jar")):
        with zipfile.ZipFile(jar) as z:
            z.extractall(src / jar.name.removesuffix("-sources.jar"))


EXTENSIONS = {
    "python": (".py", ".pyw", ".pyi"),
    "javascript": (".js", ".mjs", ".cjs", ".jsx"),
    "typescript": (".ts", ".mts", ".cts"),
    "tsx": (".tsx",),
    "java": (".java",),
    "kotlin": (".kt", ".kts"),
    "go": (".go",),
    "rust": (".rs",),
    "c": (".c", ".h"),
    "cpp": (".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp"),
}


def die(msg):
    print(f"report.py: {msg}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------------------------------------
# The catalog


def load_catalog():
    """Every pattern file, sorted by id: dicts with file, id, symbol, group, severity, languages,
    matcher."""
    out = []
    for f in sorted(PATTERNS.rglob("*.toml")):
        rel = f.relative_to(PATTERNS).as_posix()
        try:
            src = tomllib.loads(f.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            die(f"{rel}: {e} (an author may be mid-edit: wait and rerun)")
        out.append({
            "file": rel,
            "id": src.get("id", "?"),
            "symbol": src.get("symbol", "?"),
            "group": src.get("group", "?"),
            "severity": src.get("severity", "?"),
            "languages": list(src.get("languages", [])),
            "matcher": matcher_summary(src),
            "summary": " ".join(str(src.get("summary", "")).split()),
        })
    out.sort(key=lambda p: p["id"])
    return out


SINGLE = re.compile(r"\$[A-Z][A-Z0-9_]*")
KEYWORD = re.compile(r"[(,]\s*[A-Za-z_]\w*\s*=(?!=)")


def matcher_summary(src):
    shape = src.get("shape")
    if shape is not None:
        return f"shape (threshold {shape.get('threshold')})"
    rules = src.get("rules", [])
    feats = []

    def add(f):
        if f not in feats:
            feats.append(f)

    for r in rules:
        pattern = r.get("pattern", "")
        text = pattern.replace("$$$", "")
        names = [m for m in SINGLE.findall(text)]
        if names:
            add("`$X`")
    for r in rules:
        if "$$$" in r.get("pattern", ""):
            add("`$$$`")
    for r in rules:
        if "$_" in r.get("pattern", "").replace("$$$", ""):
            add("`$_`")
    for r in rules:
        names = SINGLE.findall(r.get("pattern", "").replace("$$$", " "))
        if len(names) != len(set(names)):
            add("repeated metavariable")
    for r in rules:
        langs = r.get("languages", []) + ([r["language"]] if "language" in r else [])
        if "python" in langs and KEYWORD.search(r.get("pattern", "")):
            add("keyword args")
    for key, name in (("inside", "inside"), ("not_inside", "not_inside")):
        if any(r.get(key) for r in rules):
            add(name)
    if any(w.get("regex") for r in rules for w in r.get("where", [])):
        add("where regex")
    if any(w.get("kind") for r in rules for w in r.get("where", [])):
        add("where kind")
    return f"rules ({len(rules)}): " + ", ".join(feats) if feats else f"rules ({len(rules)})"


def catalog_section(catalog):
    groups = collections.Counter(p["group"] for p in catalog)
    langs = collections.Counter(l for p in catalog for l in p["languages"])
    lines = [
        f"{len(catalog)} patterns in {len(groups)} groups ("
        + ", ".join(f"{g} {n}" for g, n in sorted(groups.items(), key=lambda x: (-x[1], x[0])))
        + "); patterns per language: "
        + ", ".join(f"{l} {n}" for l, n in sorted(langs.items(), key=lambda x: (-x[1], x[0])))
        + ".",
        "",
        "| file | id | symbol | group | severity | languages | matcher |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in catalog:
        lines.append(
            f"| `{p['file']}` | `{p['id']}` | {p['symbol']} | {p['group']} | {p['severity']} "
            f"| {', '.join(p['languages'])} | {p['matcher']} |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Scanning


def codetable_bin(args):
    b = Path(args.codetable or os.environ.get("CODETABLE") or REPO / "target/release/codetable")
    if not b.is_file():
        die(f"{b}: no CLI (build it with `cargo build --release -p codetable-cli`)")
    return b


def build_db(bin_, prebuilt=None):
    """The catalog database: `prebuilt` (`--db`, e.g. the catalog of an earlier commit for a
    before/after count) or one built from this folder."""
    if prebuilt:
        return Path(prebuilt)
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / "catalog.ctdb"
    r = subprocess.run([str(bin_), "db", "build", str(PATTERNS), "-o", str(db)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        die(f"db build failed (an author may be mid-edit: wait and rerun):\n{r.stderr}")
    print(r.stdout.strip(), file=sys.stderr)
    return db


def scan(bin_, db, corpus, threads, patterns=None, every=True):
    """Findings (dicts) of one corpus, and the wall time. `every`: every pattern's raw matches
    (`--select all --raw`, what the counts measure: levels would hide info and pedantic
    patterns); otherwise what a user sees at default levels (review sheets)."""
    cmd = [str(bin_), "scan", "--db", str(db), "--format", "json", "-q", "-j", str(threads),
           "--fail-on", "never", "--lang", ",".join(corpus.languages),
           # No time limit per file: counts must not depend on the machine's load (a debug
           # build under load ran large files over the default 5 s and lost their findings), and
           # no memory limit: the counts cover the generated and amalgamated files (sqlite3.c,
           # zstd.c) that the default memory budget skips since session 7.
           "--file-timeout", "0", "--max-file-memory", "0"]
    # Every corpus is a package scanned as itself: the counts cover its vendored and generated
    # files (the C/C++ corpora are packages that vendor C libraries), which a user's folder
    # scan leaves out by default. Review sheets show what a user sees (vendored code left out),
    # except for the C/C++ sets, whose point is the vendored code.
    if every or is_c_corpus(corpus):
        cmd.append("--include-vendored")
    if every:
        cmd += ["--select", "all", "--raw"]
    if patterns:
        cmd += ["--pattern", ",".join(patterns)]
    cmd.append(str(corpus.path))
    print(f"+ {' '.join(cmd)}", file=sys.stderr)
    start = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - start
    if r.returncode != 0:
        die(f"scan of {corpus.path} failed ({r.returncode}):\n{r.stderr}")
    findings = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    # With one --lang the CLI reads extensionless files (LICENSE, PKG-INFO) as that language;
    # a corpus is its files of the languages' extensions, as describe() counts them.
    exts = tuple(e for l in corpus.languages for e in EXTENSIONS[l])
    findings = [f for f in findings if f["path"].endswith(exts)]
    print(f"  {corpus.name}: {len(findings)} findings in {wall:.1f} s", file=sys.stderr)
    return findings, wall


def describe(corpus):
    """The corpus with its version and its number of files of the scanned languages."""
    exts = tuple(e for l in corpus.languages for e in EXTENSIONS[l])
    n = 0
    for _, _, files in os.walk(corpus.path):
        n += sum(1 for f in files if f.endswith(exts))
    version = ""
    try:
        if corpus.name == "cpython":
            for f in corpus.path.glob("_sysconfigdata_*.py"):
                m = re.search(r"'VERSION': '([^']+)'", f.read_text(encoding="utf-8"))
                if m:
                    version = m.group(1)
            version = f"CPython {version} standard library" if version else corpus.title
        elif corpus.name == "typescript":
            pkg = json.loads((corpus.path.parent / "package.json").read_text(encoding="utf-8"))
            version = f"TypeScript {pkg['version']} npm package, `lib/`"
        elif corpus.name == "guava":
            jars = sorted(corpus.path.parent.glob("guava-*-sources.jar"))
            m = jars and re.match(r"guava-(.+)-sources\.jar", jars[0].name)
            version = f"Guava {m.group(1)} sources jar" if m else corpus.title
        elif corpus.name == "rxjs":
            pkg = json.loads((corpus.path.parent / "package.json").read_text(encoding="utf-8"))
            version = f"rxjs {pkg['version']} npm package, `src/`"
        elif corpus.name == "kotlin":
            jars = sorted(d.name for d in corpus.path.iterdir() if d.is_dir())
            version = f"Kotlin sources jars: {', '.join(jars)}"
        elif corpus.name == "go":
            v = (corpus.path.parent / "VERSION").read_text(encoding="utf-8").split()[0]
            version = f"Go {v.removeprefix('go')} standard library"
        elif corpus.name in C_HALVES.values():
            half = next(h for h, n in C_HALVES.items() if n == corpus.name)
            pk = [f"{n} {v}" for r, n, v, h in c_packages() if h == half]
            version = f"C/C++ {half} half: {', '.join(pk)}"
        elif corpus.name in PY_HALVES.values():
            half = next(h for h, n in PY_HALVES.items() if n == corpus.name)
            version = f"Python files of the C/C++ {half} half's packages"
        elif corpus.name == "crates":
            crates = sum(len(list(d.iterdir())) for d in corpus.path.iterdir() if d.is_dir())
            version = f"{crates} crate sources in the cargo registry"
    except (OSError, KeyError, ValueError, IndexError):
        version = corpus.title
    return f"{version or corpus.title} ({n} {'/'.join(corpus.languages)} files)"


# ---------------------------------------------------------------------------------------------
# Reviews


def read_precision():
    rows = {}
    if not PRECISION.exists():
        return rows
    for n, line in enumerate(PRECISION.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[:3] == PRECISION_HEADER[:3]:
            continue
        if len(cells) < 3:
            die(f"{PRECISION.name}:{n}: expected id, sampled, false_alarms, note")
        try:
            sampled, false_alarms = int(cells[1]), int(cells[2])
        except ValueError:
            die(f"{PRECISION.name}:{n}: sampled and false_alarms are integers")
        if false_alarms > sampled:
            die(f"{PRECISION.name}:{n}: more false alarms than findings sampled")
        rows[cells[0]] = (sampled, false_alarms, cells[3].strip() if len(cells) > 3 else "")
    return rows


def write_precision(rows):
    lines = ["\t".join(PRECISION_HEADER)]
    for id_ in sorted(rows):
        s, f, note = rows[id_]
        lines.append(f"{id_}\t{s}\t{f}\t{note}")
    PRECISION.write_text("\n".join(lines) + "\n", encoding="utf-8")


def import_reviews(path):
    """Merges review lines into precision.tsv: `id, sampled, false_alarms, note` or the authors'
    report lines `id, cpython, typescript, guava, other, sampled, false alarms, note`."""
    rows = read_precision()
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    n = 0
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) >= 7 and cells[5].isdigit() and cells[6].isdigit():
            id_, s, f, note = cells[0], int(cells[5]), int(cells[6]), "\t".join(cells[7:])
        elif len(cells) >= 3 and cells[1].isdigit() and cells[2].isdigit():
            id_, s, f, note = cells[0], int(cells[1]), int(cells[2]), " ".join(cells[3:])
        else:
            if line.strip():
                print(f"skipped: {line}", file=sys.stderr)
            continue
        rows[id_] = (s, f, note.replace("\t", " ").strip())
        n += 1
    write_precision(rows)
    print(f"{n} review(s) merged into {PRECISION.relative_to(REPO)}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# The precision section


ORDER = ["cpython", "typescript", "guava", "rxjs", "kotlin", "go", "crates", "c-tune", "c-held",
         "py-tune", "py-held"]


def read_counts():
    """The last run of every corpus ever scanned: name -> dict(description, languages, wall,
    run, commit, counts)."""
    if not COUNTS.exists():
        return {}
    return json.loads(COUNTS.read_text(encoding="utf-8"))


def write_counts(runs):
    ordered = dict(sorted(runs.items(), key=lambda kv: (
        ORDER.index(kv[0]) if kv[0] in ORDER else len(ORDER), kv[0])))
    for r in ordered.values():
        r["counts"] = dict(sorted(r["counts"].items()))
    COUNTS.write_text(json.dumps(ordered, indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")


def unmeasured(catalog, runs):
    """Patterns with no finding in any corpus ever scanned (their last run): nothing on real
    code says how precise they are."""
    return [p["id"] for p in catalog
            if not any(r["counts"].get(p["id"]) for r in runs.values())]


def precision_section(catalog, runs, reviews):
    claimed = lambda p, r: any(l in p["languages"] for l in r["languages"])
    names = list(runs)
    lines = [
        "Counts from the last run of each corpus (`patterns/report.py`, `codetable scan -j 1`, "
        "database built from this folder; kept in `patterns/counts.json`, so a run of some "
        "corpora keeps the others' last counts). Corpora:",
        "",
    ]
    for n, r in runs.items():
        lines.append(f"- **{n}**: {r['description']}, scanned in {r['wall']:.0f} s "
                     f"(run of {r['run']} on commit `{r['commit']}`)")
    lines += [
        "",
        "A count is the number of findings of the pattern in the corpus (`–`: the pattern does not "
        "claim the corpus's language). `sampled` findings were read in their code "
        "(`patterns/report.py --sample ID`, spread over files); a false alarm is a finding that is "
        "not an instance of what the pattern's summary says; a rate above 1 in 10 is in bold. "
        "Reviews live in `patterns/precision.tsv`. A pattern with no finding in any corpus is "
        "*unmeasured* (rate column): its precision on real code is unknown, whatever its sample "
        "column says about an earlier template or threshold.",
        "",
    ]
    reviewed = [p for p in catalog if p["id"] in reviews]
    total_s = sum(reviews[p["id"]][0] for p in reviewed)
    total_f = sum(reviews[p["id"]][1] for p in reviewed)
    none = unmeasured(catalog, runs)
    lines.append(
        f"{len(catalog) - len(none)} of {len(catalog)} patterns have findings; {len(none)} "
        f"unmeasured; {len(reviewed)} reviewed, "
        f"{total_f} false alarm(s) in {total_s} sampled findings"
        + (f" ({100 * total_f / total_s:.1f}%)." if total_s else ".")
    )
    if none:
        lines += ["", "Unmeasured (no finding in any corpus): "
                  + ", ".join(f"`{i}`" for i in none) + "."]
    lines += [
        "",
        "| id | symbol | " + " | ".join(names)
        + " | sampled | false alarms | rate | note |",
        "|---|---|" + "---:|" * len(names) + "---:|---:|---:|---|",
    ]
    for p in catalog:
        cells = [str(runs[n]["counts"].get(p["id"], 0)) if claimed(p, runs[n]) else "–"
                 for n in names]
        if p["id"] in reviews:
            s, f, note = reviews[p["id"]]
            rate = f"{100 * f / s:.0f}%" if s else "–"
            if s and f * 10 > s:  # more than 1 in 10: to be tightened
                rate = f"**{rate}**"
            review = [str(s), str(f), rate, note.replace("|", "\\|")]
        else:
            review = ["–", "–", "–", "not reviewed"]
        if p["id"] in none:
            review[2] = "unmeasured"
        lines.append(f"| `{p['id']}` | {p['symbol']} | " + " | ".join(cells + review) + " |")
    return "\n".join(lines)


def replace_section(text, name, body, heading):
    begin = f"<!-- BEGIN {name} (generated by patterns/report.py: do not edit) -->"
    end = f"<!-- END {name} -->"
    block = f"{begin}\n{body}\n{end}"
    if begin in text and end in text:
        i, j = text.index(begin), text.index(end) + len(end)
        return text[:i] + block + text[j:]
    if heading is None:
        die(f"README.md has no `{begin}` … `{end}` markers")
    return text.rstrip("\n") + f"\n\n{heading}\n\n{block}\n"


def git_head():
    r = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                       capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


# ---------------------------------------------------------------------------------------------
# Sampling


def spread(findings, limit):
    """Up to `limit` findings spread over files: evenly spaced files when there are many, one
    finding per file in turn when there are few."""
    by_file = collections.defaultdict(list)
    for f in findings:
        by_file[f["path"]].append(f)
    files = sorted(by_file)
    if not files or limit <= 0:
        return []
    if len(files) >= limit:
        step = len(files) / limit
        chosen = [files[int(i * step)] for i in range(limit)]
        return [by_file[f][len(by_file[f]) // 2] for f in chosen]
    out, round_ = [], 0
    while len(out) < limit and any(round_ < len(by_file[f]) for f in files):
        for f in files:
            if round_ < len(by_file[f]) and len(out) < limit:
                out.append(by_file[f][round_])
        round_ += 1
    return out


def source_lines(path):
    """A source file's lines as the engine numbers them: split at "\n" only (a trailing "\r"
    dropped). `str.splitlines()` also splits at form feeds, \x1c-\x1e, \x85 and U+2028, so
    a file with a form feed got excerpts one line off from the finding's line (c10-held sheet,
    robotjs snprintf.c rows 26-32 showed a `case` label or `#ifdef` next to the sprintf)."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    lines = [l[:-1] if l.endswith("\r") else l for l in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def show(f, context=3, max_match_lines=12):
    try:
        lines = source_lines(f["path"])
    except OSError as e:
        return f"  ({e})"
    start, end = f["line"], f["end_line"]
    first = max(1, start - context)
    last = min(len(lines), end + context)
    out = []
    for n in range(first, last + 1):
        in_match = start <= n <= end
        if in_match and n - start >= max_match_lines and n < end:
            if n - start == max_match_lines:
                out.append(f"  {'':>6} > … ({end - n} more lines of the match)")
            continue
        mark = ">" if in_match else " "
        out.append(f"  {n:>6} {mark} {lines[n - 1] if n <= len(lines) else ''}")
    return "\n".join(out)


def sample(args, catalog, corpora):
    ids = {p["id"]: p for p in catalog}
    pattern = ids.get(args.sample) or next(
        (p for p in catalog if p["symbol"] == args.sample), None)
    if pattern is None:
        die(f"no pattern has the id or symbol `{args.sample}`")
    mine = [c for c in corpora if any(l in pattern["languages"] for l in c.languages)]
    if not mine:
        die(f"{pattern['id']} claims no language of the corpora "
            f"({', '.join(pattern['languages'])}): try --go or --crates")
    bin_ = db = None
    per_corpus = {}
    for c in mine:
        cache = WORK / f"findings-{c.name}.jsonl"
        if args.cached and cache.exists():
            found = [f for f in map(json.loads, cache.read_text().splitlines())
                     if f["pattern"] == pattern["id"]]
        else:
            if bin_ is None:
                bin_ = codetable_bin(args)
                db = build_db(bin_, args.db)
            found, _ = scan(bin_, db, c, args.jobs, [pattern["id"]])
        per_corpus[c.name] = found
    # The slots go round the corpora that have findings, then spread within each corpus.
    slots = collections.Counter()
    left = {n: len(v) for n, v in per_corpus.items() if v}
    while sum(slots.values()) < args.limit and any(left[n] > slots[n] for n in left):
        for n in left:
            if left[n] > slots[n] and sum(slots.values()) < args.limit:
                slots[n] += 1
    counts = ", ".join(f"{n} {len(v)}" for n, v in per_corpus.items())
    print(f"{pattern['id']} ({pattern['symbol']}, {pattern['severity']}): findings: {counts}\n")
    k = 0
    for n, found in per_corpus.items():
        for f in spread(found, slots[n]):
            k += 1
            unit = f" in {f['unit']}" if f.get("unit") else ""
            score = f" score {f['score']:.2f}" if f.get("score", 1.0) < 1.0 else ""
            print(f"[{k}] {n}: {f['path']}:{f['line']}:{f['column']}{unit}{score}")
            print(show(f, args.context))
            print()
    if k == 0:
        print("no findings")


# ---------------------------------------------------------------------------------------------
# Held-out review


SHEET_HEADER = ["n", "id", "severity", "path", "line", "verdict", "reason"]
# What review_sheet writes (since session 10): the finding's code context (production, test,
# bench, example, fuzz, generated, vendored) after its severity, then the code line and a few
# lines around it. read_verdicts reads either layout by its header row.
SHEET_COLUMNS = ["n", "id", "severity", "context", "path", "line", "verdict", "reason", "code",
                 "excerpt"]
SEVERE = ("high", "critical")


def review_sheet(args, catalog, corpora):
    """Findings for a reviewer who did not tune the patterns: the non-info findings of the named
    corpora, up to --per-pattern per pattern spread over files, with code and the pattern's
    summary (OUT.md), and a verdict template (OUT.tsv)."""
    ids = {p["id"]: p for p in catalog}
    bin_ = codetable_bin(args)
    db = build_db(bin_, args.db)
    only = args.review_patterns.split(",") if args.review_patterns else None
    findings = []
    baseline = set()
    for c in corpora:
        if args.findings:
            # A scan already made of this corpus at default levels (`codetable scan --format
            # json`, vendored code left out): the sheet is written from it, not from a new scan.
            found = [json.loads(l) for l in Path(args.findings).read_text(encoding="utf-8")
                     .splitlines() if l.strip()]
            found = [f for f in found if f["path"].startswith(str(c.path))]
        else:
            found, _ = scan(bin_, db, c, args.jobs, every=False)
        findings += [f for f in found if f["severity"] != "info"
                     and (not args.families or re.search(args.families, f["pattern"]))]
        if only:
            # The named patterns, whatever their level (a second scan: --pattern enables them).
            found, _ = scan(bin_, db, c, args.jobs, patterns=only, every=False)
            findings += [f for f in found if f["severity"] != "info"]
        if args.baseline_db:
            # The same scan with an older catalog: findings it also has are marked `before`, the
            # others `new` (what a change added), without anyone reading them.
            old, _ = scan(bin_, Path(args.baseline_db), c, args.jobs, patterns=only, every=False)
            baseline |= {(f["path"], f["line"], f["pattern"]) for f in old}
    if args.baseline_db:
        for f in findings:
            f["change"] = "before" if (f["path"], f["line"], f["pattern"]) in baseline else "new"
    # A finding both scans returned (a pattern of --review-patterns that --families also
    # selects) is one finding.
    unique = {}
    for f in findings:
        unique.setdefault(json.dumps(f, sort_keys=True), f)
    findings = list(unique.values())
    by_pattern = collections.defaultdict(list)
    for f in findings:
        by_pattern[f["pattern"]].append(f)
    chosen = []
    for id_ in sorted(by_pattern):
        # --per-pattern 0: every finding (a whole half for an independent reviewer).
        fs = by_pattern[id_]
        chosen += (sorted(fs, key=lambda f: (f["path"], f["line"])) if args.per_pattern <= 0
                   else spread(fs, args.per_pattern))
    out = Path(args.review_sheet)
    md = [f"# Findings to judge ({len(chosen)} of {len(findings)} non-info findings in "
          f"{', '.join(c.name for c in corpora)})", "",
          "For each finding: `true` (an instance of what the pattern's summary says), `false` "
          "(not an instance: a false alarm), or `debatable` (the construct is there, but the "
          "hazard is ruled out by design or intent). Write the verdict and a short reason into "
          f"the matching row of `{out.name}.tsv`.", ""]
    # The code line and its context ride after the verdict columns (read_verdicts ignores them),
    # so the TSV alone can be judged: lines joined by " ⏎ ", tabs as spaces.
    tsv = ["\t".join(SHEET_COLUMNS + (["change"] if args.baseline_db else []))]
    for n, f in enumerate(chosen, 1):
        p = ids.get(f["pattern"], {})
        unit = f" in `{f['unit']}`" if f.get("unit") else ""
        md += [f"## [{n}] `{f['pattern']}` ({f['symbol']}, {f['severity']}, "
               f"{f.get('context', 'production')}): {f['path']}:{f['line']}{unit}"
               + (f" ({f['change']})" if "change" in f else ""), "",
               f"Summary: {p.get('summary', '')}", "", "```", show(f, args.context), "```", ""]
        code, context = code_and_context(f, args.context)
        tsv.append("\t".join([str(n), f["pattern"], f["severity"], f.get("context", "production"),
                               f["path"], str(f["line"]), "", "", code, context]
                              + ([f["change"]] if args.baseline_db else [])))
    Path(f"{out}.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    Path(f"{out}.tsv").write_text("\n".join(tsv) + "\n", encoding="utf-8")
    per = collections.Counter(f["pattern"] for f in chosen)
    print(f"wrote {out}.md and {out}.tsv: {len(chosen)} findings of {len(per)} patterns in "
          f"{len({f['path'] for f in chosen})} files", file=sys.stderr)


def code_and_context(f, context=3):
    """The finding's first line and the lines from `context` before to `context` after its
    match, for one TSV cell each (tabs as spaces, lines joined by " ⏎ ")."""
    try:
        lines = source_lines(f["path"])
    except OSError:
        return "", ""
    start, end = f["line"], f.get("end_line", f["line"])
    cell = lambda t: t.replace("\t", "    ").rstrip()
    code = cell(lines[start - 1]) if 0 < start <= len(lines) else ""
    around = lines[max(0, start - 1 - context):min(len(lines), min(end, start + 12) + context)]
    return code, " ⏎ ".join(cell(l) for l in around)


def read_verdicts(path):
    """Rows of a verdict sheet: dicts with id, severity, path, line, verdict, reason."""
    rows = []
    header = SHEET_HEADER
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        cells = line.split("\t")
        if cells[0] == "n":
            header = cells
            continue
        if not line.strip() or line.startswith("#"):
            continue
        if len(cells) < 6:
            die(f"{path}:{n}: expected {', '.join(header)}")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        row["verdict"] = row["verdict"].strip().lower()
        if row["verdict"] not in ("true", "false", "debatable"):
            die(f"{path}:{n}: verdict must be true, false or debatable, not `{row['verdict']}`")
        rows.append(row)
    return rows


def verdict_summary(rows):
    """(findings, false, debatable, severe, severe true) of verdict rows."""
    false = sum(r["verdict"] == "false" for r in rows)
    deb = sum(r["verdict"] == "debatable" for r in rows)
    severe = [r for r in rows if r["severity"] in SEVERE]
    return len(rows), false, deb, len(severe), sum(r["verdict"] == "true" for r in severe)


def import_verdicts(path, half):
    """Per-finding verdicts of one corpus half: prints the rates (overall, per pattern, the
    share of high/critical findings that are true), keeps the sheet in patterns/verdicts/ and
    adds each pattern's counts to its row of precision.tsv (the note says which half and
    reviewer saw what). Import a sheet once: a second import counts its findings twice."""
    rows = read_verdicts(path)
    VERDICTS.mkdir(exist_ok=True)
    kept = VERDICTS / f"{half}.tsv"
    if Path(path).resolve() != kept.resolve():
        kept.write_text(Path(path).read_text(encoding="utf-8"), encoding="utf-8")
    n, f, d, sev, sev_true = verdict_summary(rows)
    print(f"{half}: {n} findings judged, {f} false ({100 * f / max(n, 1):.1f}%), {d} debatable "
          f"({100 * d / max(n, 1):.1f}%); high/critical: {sev_true} of {sev} true")
    today = datetime.date.today().isoformat()
    reviews = read_precision()
    by_id = collections.defaultdict(list)
    for r in rows:
        by_id[r["id"]].append(r)
    for id_, rs in sorted(by_id.items()):
        n, f, d, _, _ = verdict_summary(rs)
        reasons = "; ".join(sorted({r["reason"].strip() for r in rs
                                    if r["verdict"] != "true" and r["reason"].strip()}))
        print(f"  {id_}: {n} judged, {f} false, {d} debatable")
        note = (f"{half} {today}: {f} of {n} false, {d} debatable"
                + (f" ({reasons})" if reasons else ""))
        s0, f0 = 0, 0
        if id_ in reviews:
            # The sample grows: earlier reads of the same templates stay counted.
            s0, f0, note0 = reviews[id_]
            note += f" | earlier: {f0} of {s0} false" + (f", {note0}" if note0 else "")
        reviews[id_] = (s0 + n, f0 + f, note.replace("\t", " "))
    write_precision(reviews)
    print(f"merged into {PRECISION.relative_to(REPO)}; sheet kept as "
          f"{kept.relative_to(REPO)}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n\n".join(__doc__.split("\n\n")[2:]))
    ap.add_argument("--codetable", help="the CLI (default: target/release/codetable)")
    ap.add_argument("--db", metavar="CTDB",
                    help="scan with this catalog database instead of one built from patterns/ "
                         "(with --codetable: counts of an earlier commit, before/after)")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="scan threads (default 1)")
    ap.add_argument("--ts", nargs="?", const=str(EXTRA["ts"].path), metavar="DIR",
                    help="also scan TypeScript sources (default: rxjs 7 src/, fetched with "
                         f"`npm pack {RXJS}` into {EXTRA['ts'].path.parent.parent} when missing)")
    ap.add_argument("--kotlin", nargs="?", const=str(EXTRA["kotlin"].path), metavar="DIR",
                    help="also scan Kotlin sources (default: the sources jars of "
                         f"{', '.join(KOTLIN_JARS)}, fetched with Maven when missing)")
    ap.add_argument("--go", nargs="?", const=str(EXTRA["go"].path), metavar="DIR",
                    help=f"also scan Go sources (default {EXTRA['go'].path})")
    ap.add_argument("--crates", nargs="?", const=str(EXTRA["crates"].path), metavar="DIR",
                    help="also scan Rust, C and C++ crate sources (default ~/.cargo/registry/src)")
    ap.add_argument("--c", nargs="?", const="both", choices=["both", "tune", "held"],
                    help="also scan the C/C++ corpora of patterns/c-corpora.tsv (both halves, "
                         "or only the tuning or the held-out half; fetched when missing)")
    ap.add_argument("--c-set", choices=sorted(C_SETS), default="s7",
                    help="which C/C++ corpus set --c and --py read (default s7: c-corpora.tsv; "
                    "s8: c-corpora-s8.tsv, session 8's fresh packages; s9: c-corpora-s9.tsv, session 9's)")
    ap.add_argument("--py", nargs="?", const="both", choices=["both", "tune", "held"],
                    help="also scan the Python files of the same packages, split the same way")
    ap.add_argument("--claims", nargs="?", const="both", choices=["both", "tune", "held"],
                    help="also scan the fresh corpora of patterns/claims-corpora.tsv (fetch them "
                         "with patterns/claims_corpora.py)")
    ap.add_argument("--only", action="store_true",
                    help="scan only the corpora named by flags (not the three default ones); "
                         "the README keeps the last counts of the others")
    ap.add_argument("--general", nargs="?", const="both", choices=["both", "tune", "held"],
                    help="also the fresh general corpora (patterns/general-corpora-<set>.tsv; "
                         "fetch them with patterns/general_corpora.py --set <set>), or one half")
    ap.add_argument("--general-set", choices=sorted(GENERAL_SETS), default="s9",
                    help="which session's general corpora --general scans (default s9)")
    ap.add_argument("--web", nargs="?", const="both", choices=["both", "tune", "held"],
                    help="also the web-application corpora (patterns/web-corpora.tsv), or one half")
    ap.add_argument("--web-set", choices=sorted(WEB_SETS), default="s8",
                    help="which web corpus set --web reads (default s8: web-corpora.tsv; s9, s10: "
                    "web-corpora-<set>.tsv, sessions 9 and 10's fresh packages)")
    ap.add_argument("--families", metavar="REGEX",
                    help="with --review-sheet: only patterns whose id matches REGEX")
    ap.add_argument("--review-sheet", metavar="OUT",
                    help="write findings to judge (OUT.md with code, OUT.tsv verdict template), "
                         "spread over the non-info patterns and files of the named corpora")
    ap.add_argument("--findings", metavar="JSONL",
                    help="with --review-sheet: the findings of a scan already made of the corpus "
                         "at default levels (codetable scan --format json), instead of scanning")
    ap.add_argument("--review-patterns", metavar="IDS",
                    help="with --review-sheet: only these pattern ids (comma-separated)")
    ap.add_argument("--baseline-db", metavar="CTDB",
                    help="with --review-sheet: mark each finding `new` or `before` by a scan with "
                         "this older database (a `change` column)")
    ap.add_argument("--per-pattern", type=int, default=12,
                    help="most findings of one pattern in a review sheet (default 12; 0: all)")
    ap.add_argument("--import-verdicts", metavar="FILE",
                    help="per-finding verdicts (id, path, line, verdict true|false|debatable, "
                         "reason): prints the rates and merges them into precision.tsv")
    ap.add_argument("--half", help="with --import-verdicts: the corpus the verdicts are on")
    ap.add_argument("--catalog-only", action="store_true",
                    help="only regenerate \"The catalog today\" (no scan)")
    ap.add_argument("--no-write", action="store_true",
                    help="print the generated sections instead of writing README.md")
    ap.add_argument("--sample", metavar="ID", help="print findings of one pattern (id or symbol)")
    ap.add_argument("--limit", type=int, default=10, help="findings --sample prints (default 10)")
    ap.add_argument("--context", type=int, default=3, help="lines of context around a finding")
    ap.add_argument("--cached", action="store_true",
                    help="--sample reads the findings of the last full run instead of scanning")
    ap.add_argument("--import", dest="import_", metavar="FILE",
                    help="merge review lines (TSV, `-` for stdin) into precision.tsv")
    args = ap.parse_args()

    use_c_set(args.c_set)
    use_web_set(args.web_set)
    use_general_set(args.general_set)
    if args.import_:
        import_reviews(args.import_)
        return
    if args.import_verdicts:
        import_verdicts(args.import_verdicts, args.half or "held-out")
        return
    corpora = [] if args.only else list(CORPORA)
    for key in ("ts", "kotlin", "go", "crates"):
        d = getattr(args, key)
        if d:
            c = EXTRA[key]
            if key == "ts" and Path(d) == EXTRA["ts"].path:
                fetch_rxjs()
            if key == "kotlin" and Path(d) == EXTRA["kotlin"].path:
                fetch_kotlin()
            corpora.append(Corpus(c.name, c.title, c.languages, d))
    if args.c:
        for half in (["tune", "held"] if args.c == "both" else [args.c]):
            fetch_c(half)
            corpora.append(c_corpus(half))
    if args.py:
        for half in (["tune", "held"] if args.py == "both" else [args.py]):
            fetch_c(half)
            corpora.append(py_corpus(half))
    if args.web:
        for half in (["tune", "held"] if args.web == "both" else [args.web]):
            fetch_web(half)
            corpora.append(web_corpus(half))
    if args.claims:
        for half in (["tune", "held"] if args.claims == "both" else [args.claims]):
            corpora.append(claims_corpus(half))
    if args.general:
        for half in (["tune", "held"] if args.general == "both" else [args.general]):
            corpora.append(general_corpus(half))
    catalog = load_catalog()
    if args.sample:
        sample(args, catalog, [c for c in corpora if c.exists()])
        return
    if args.review_sheet:
        review_sheet(args, catalog, [c for c in corpora if c.exists()])
        return

    text = README.read_text(encoding="utf-8")
    text = replace_section(text, "catalog", catalog_section(catalog), None)
    if not args.catalog_only:
        missing = [str(c.path) for c in corpora if not c.exists()]
        if missing:
            die(f"corpus folder(s) missing: {', '.join(missing)} "
                "(benches/compare/compare.py fetches the three default ones)")
        bin_ = codetable_bin(args)
        db = build_db(bin_, args.db)
        runs = read_counts()
        today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        head = git_head()
        for c in corpora:
            findings, wall = scan(bin_, db, c, args.jobs)
            with open(WORK / f"findings-{c.name}.jsonl", "w", encoding="utf-8") as out:
                for f in findings:
                    out.write(json.dumps(f) + "\n")
            runs[c.name] = {
                "description": describe(c), "languages": c.languages, "wall": round(wall, 1),
                "run": today, "commit": head,
                "counts": dict(collections.Counter(f["pattern"] for f in findings)),
            }
        write_counts(runs)
        runs = read_counts()
        reviews = read_precision()
        unknown = sorted(set(reviews) - {p["id"] for p in catalog})
        if unknown:
            print(f"precision.tsv: no pattern has the id(s) {', '.join(unknown)}", file=sys.stderr)
        body = precision_section(catalog, runs, reviews)
        text = replace_section(text, "precision", body, "## Precision on real code")
    if args.no_write:
        print(text)
    else:
        README.write_text(text, encoding="utf-8")
        print(f"wrote {README.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
