#!/usr/bin/env python3
"""Side-by-side comparison of codetable, ast-grep and Semgrep (run by hand, not by CI).

Installs ast-grep (PyPI ast-grep-cli) and Semgrep (PyPI semgrep) into a venv, writes the same
rule patterns from the codetable catalog in each tool's own rule format, and runs the three tools
on three corpora: the CPython standard library of this machine, the JavaScript of the
`typescript` npm package (lib/), and the Guava sources jar from Maven Central. Prints wall time,
peak memory, findings per rule per tool, ratios and disagreements; then measures scan time against
the number of rules (10 … 10,000) and draws benches/compare/rules-scaling.png.

    python3 benches/compare/compare.py                 # everything (~30-60 min on 2 cores)
    python3 benches/compare/compare.py --quick         # 1 run each, no scaling curve
    python3 benches/compare/compare.py --only scaling  # just the rules curve

Work files (venv, corpora, generated rules, raw results) go to $CODETABLE_COMPARE_DIR
(default ~/.cache/codetable-compare); nothing is written in the repository but the PNG.
"""

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORK = Path(os.environ.get("CODETABLE_COMPARE_DIR", Path.home() / ".cache" / "codetable-compare"))
VENV = WORK / "venv"
CAP = 300  # seconds: any single run longer than this is reported as "> 5 min"
TYPESCRIPT = "typescript@5.9.3"
GUAVA = "com.google.guava:guava:33.4.0-jre:jar:sources"
# Semgrep's metavariable-regex is anchored at the start (re.match): every regex starts with `.*`.
SQL = r"(?is).*\b(select|insert|update|delete)\b"

# ---------------------------------------------------------------------------------------------
# The rules: one catalog template each, written for every tool.
#   name, language, codetable template, {metavar: regex}, ast-grep rule body, Semgrep pattern.
# Keyword arguments are matched with `has` in ast-grep (a `f($$$A, kw=1, $$$B)` pattern misses
# the keyword when it is the last argument).


def trailing(pattern):
    """ast-grep: `f($A, $$$R)` does not match `f(a)`, so the empty tail is a second pattern."""
    return {"any": [{"pattern": pattern.replace(", $$$R)", ")")}, {"pattern": pattern}]}


def kw_call(function, name, value):
    return {
        "kind": "call",
        "all": [
            {"has": {"field": "function", "pattern": function}},
            {"has": {"field": "arguments", "has": {"kind": "keyword_argument", "all": [
                {"has": {"field": "name", "regex": f"^{name}$"}},
                {"has": {"field": "value", "regex": f"^{value}$"}},
            ]}}},
        ],
    }


RULES = {
    "python": [
        ("md5", "hashlib.md5($$$)", {}, {"pattern": "hashlib.md5($$$A)"}, "hashlib.md5(...)"),
        ("sha256", "hashlib.sha256($$$)", {}, {"pattern": "hashlib.sha256($$$A)"}, "hashlib.sha256(...)"),
        ("run-shell", "subprocess.run($$$ARGS, shell=True)", {}, kw_call("subprocess.run", "shell", "True"),
         "subprocess.run(..., shell=True, ...)"),
        ("popen-shell", "subprocess.Popen($$$ARGS, shell=True)", {}, kw_call("subprocess.Popen", "shell", "True"),
         "subprocess.Popen(..., shell=True, ...)"),
        ("os-system", "os.system($CMD)", {}, {"pattern": "os.system($CMD)"}, "os.system($CMD)"),
        ("eval", "eval($$$)", {}, {"pattern": "eval($$$A)"}, "eval(...)"),
        ("pickle-loads", "pickle.loads($X)", {}, {"pattern": "pickle.loads($X)"}, "pickle.loads($X)"),
        ("pickle-load", "pickle.load($X)", {}, {"pattern": "pickle.load($X)"}, "pickle.load($X)"),
        ("yaml-load", "yaml.load($$$)", {}, {"pattern": "yaml.load($$$A)"}, "yaml.load(...)"),
        ("sql-percent", "$CUR.execute($Q % $V, $$$)", {"Q": SQL}, trailing("$CUR.execute($Q % $V, $$$R)"),
         "$CUR.execute($Q % $V, ...)"),
    ],
    "javascript": [
        ("create-hash-md5", "crypto.createHash($ALG)", {"ALG": "(?i).*md5"}, {"pattern": "crypto.createHash($ALG)"},
         "crypto.createHash($ALG)"),
        ("exec", "child_process.exec($CMD, $$$)", {}, trailing("child_process.exec($CMD, $$$R)"),
         "child_process.exec($CMD, ...)"),
        ("exec-sync", "child_process.execSync($CMD, $$$)", {}, trailing("child_process.execSync($CMD, $$$R)"),
         "child_process.execSync($CMD, ...)"),
        ("exec-file", "child_process.execFile($FILE, [$$$ARGV], $$$)", {},
         trailing("child_process.execFile($FILE, [$$$ARGV], $$$R)"), "child_process.execFile($FILE, [...], ...)"),
        ("spawn", "child_process.spawn($FILE, [$$$ARGV], $$$)", {},
         trailing("child_process.spawn($FILE, [$$$ARGV], $$$R)"), "child_process.spawn($FILE, [...], ...)"),
        ("eval", "eval($X)", {}, {"pattern": "eval($X)"}, "eval($X)"),
        ("new-function", "new Function($$$ARGS)", {}, {"pattern": "new Function($$$ARGS)"}, "new Function(...)"),
        ("random-bytes", "crypto.randomBytes($$$)", {}, {"pattern": "crypto.randomBytes($$$A)"},
         "crypto.randomBytes(...)"),
        ("random-uuid", "crypto.randomUUID()", {}, {"pattern": "crypto.randomUUID()"}, "crypto.randomUUID()"),
        ("query-concat", "$DB.query($Q + $V, $$$)", {"Q": SQL}, trailing("$DB.query($Q + $V, $$$R)"),
         "$DB.query($Q + $V, ...)"),
    ],
    "java": [
        ("md5", "MessageDigest.getInstance($ALG)", {"ALG": '(?i).*"md5"'},
         {"pattern": "MessageDigest.getInstance($ALG)"}, "MessageDigest.getInstance($ALG)"),
        ("object-input-stream", "new ObjectInputStream($X)", {}, {"pattern": "new ObjectInputStream($X)"},
         "new ObjectInputStream($X)"),
        ("random", "new Random($$$)", {}, {"pattern": "new Random($$$A)"}, "new Random(...)"),
        ("secure-random", "new SecureRandom($$$)", {}, {"pattern": "new SecureRandom($$$A)"}, "new SecureRandom(...)"),
        ("execute-query", "$ST.executeQuery($Q + $V)", {"Q": SQL}, {"pattern": "$ST.executeQuery($Q + $V)"},
         "$ST.executeQuery($Q + $V)"),
        ("execute-update", "$ST.executeUpdate($Q + $V)", {"Q": SQL}, {"pattern": "$ST.executeUpdate($Q + $V)"},
         "$ST.executeUpdate($Q + $V)"),
        ("execute", "$ST.execute($Q + $V)", {"Q": SQL}, {"pattern": "$ST.execute($Q + $V)"}, "$ST.execute($Q + $V)"),
        ("prepare-statement", "$CONN.prepareStatement($Q)", {}, {"pattern": "$CONN.prepareStatement($Q)"},
         "$CONN.prepareStatement($Q)"),
    ],
}

SEMGREP_LANG = {"python": "python", "javascript": "javascript", "java": "java"}
EXAMPLE = {"python": "x = 1\n", "javascript": "const x = 1;\n", "java": "class A {}\n"}


def symbol(i):
    """A unique 1-3 letter element-like symbol for rule number i."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    first, rest = letters[i % 26].upper(), i // 26
    if rest == 0:
        return first
    rest -= 1
    if rest < 26:
        return first + letters[rest]
    rest -= 26
    return first + letters[(rest // 26) % 26] + letters[rest % 26]


def toml_str(s):
    return json.dumps(s)  # a JSON string is a valid TOML basic string


def write_codetable_catalog(rules, lang, folder):
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for i, (name, template, where, _, _) in enumerate(rules):
        body = [
            f'id = "bench.{lang}.{name}"', f'symbol = "{symbol(i)}"', f'name = "bench {lang} {name}"',
            'group = "security"', 'severity = "high"', f'languages = ["{lang}"]',
            'summary = "A benchmark rule."', "", "[[properties]]", 'kind = "security"', 'text = "Benchmark."',
            "", "[[rules]]", f'language = "{lang}"', f"pattern = {toml_str(template)}",
        ]
        for var, regex in where.items():
            body += ["[[rules.where]]", f'metavar = "${var}"', f"regex = {toml_str(regex)}"]
        body += ["", "[[examples]]", f'language = "{lang}"', 'expect = "no-match"', f"code = {toml_str(EXAMPLE[lang])}"]
        (folder / f"r{i:05d}.toml").write_text("\n".join(body) + "\n")


def write_astgrep_rules(rules, lang, path):
    docs = []
    for name, _, where, body, _ in rules:
        doc = {"id": name, "language": lang, "severity": "warning", "message": name, "rule": body}
        if where:
            doc["constraints"] = {var: {"regex": regex} for var, regex in where.items()}
        docs.append(json.dumps(doc))  # JSON is YAML
    path.write_text("\n---\n".join(docs) + "\n")


def write_semgrep_rules(rules, lang, path):
    out = []
    for name, _, where, _, pattern in rules:
        r = {"id": name, "languages": [SEMGREP_LANG[lang]], "severity": "WARNING", "message": name}
        if where:
            r["patterns"] = [{"pattern": pattern}] + [
                {"metavariable-regex": {"metavariable": f"${var}", "regex": regex}} for var, regex in where.items()
            ]
        else:
            r["pattern"] = pattern
        out.append(r)
    path.write_text(json.dumps({"rules": out}, indent=1))


def synthetic_rules(n):
    """The 10 real Python rules plus n-10 generated calls on real module names."""
    rules = list(RULES["python"])
    mods = ["os", "sys", "re", "json", "subprocess", "hashlib", "socket", "ssl"]
    for i in range(n - len(rules)):
        mod, fn = mods[i % len(mods)], f"gen_{i}"
        rules.append((f"gen-{i}", f"{mod}.{fn}($$$)", {}, {"pattern": f"{mod}.{fn}($$$A)"}, f"{mod}.{fn}(...)"))
    return rules[:n]


# ---------------------------------------------------------------------------------------------
# Setup.


def sh(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, **kw)


def setup():
    WORK.mkdir(parents=True, exist_ok=True)
    if not (VENV / "bin" / "semgrep").exists():
        sh([sys.executable, "-m", "venv", str(VENV)])
        sh([str(VENV / "bin" / "pip"), "install", "-q", "ast-grep-cli", "semgrep", "matplotlib", "psutil"])
    sh(["cargo", "build", "--release", "-q", "-p", "codetable-cli"], cwd=REPO)
    # The standard library without site-packages (installed third-party code is not Lib/).
    lib = WORK / "cpython-lib"
    if not lib.exists():
        shutil.copytree(sysconfig.get_paths()["stdlib"], lib, symlinks=True,
                        ignore=lambda d, names: [n for n in names if n in ("site-packages", "__pycache__")])
    corpora = {"cpython-lib": ("python", lib)}
    ts = WORK / "typescript"
    if not (ts / "package" / "lib").exists():
        ts.mkdir(exist_ok=True)
        sh(["npm", "pack", TYPESCRIPT, "--silent"], cwd=ts, stdout=subprocess.DEVNULL)
        with tarfile.open(next(ts.glob("typescript-*.tgz"))) as t:
            t.extractall(ts, filter="data")
    corpora["typescript-lib"] = ("javascript", ts / "package" / "lib")
    guava = WORK / "guava"
    if not (guava / "src").exists():
        guava.mkdir(exist_ok=True)
        sh(["mvn", "-q", "dependency:copy", f"-Dartifact={GUAVA}", f"-DoutputDirectory={guava}"])
        with zipfile.ZipFile(next(guava.glob("guava-*-sources.jar"))) as z:
            z.extractall(guava / "src")
    corpora["guava"] = ("java", guava / "src")
    return corpora


def tools():
    return {
        "codetable": REPO / "target" / "release" / "codetable",
        "ast-grep": VENV / "bin" / "ast-grep",
        "semgrep": VENV / "bin" / "semgrep",
    }


def corpus_size(path, lang):
    exts = {"python": (".py",), "javascript": (".js",), "java": (".java",)}[lang]
    files = [p for p in path.rglob("*") if p.is_file() and p.suffix in exts]
    return len(files), sum(p.stat().st_size for p in files)


# ---------------------------------------------------------------------------------------------
# Running.


def timed(cmd, out_path):
    """Runs cmd under /usr/bin/time -v with the cap.

    Returns (wall seconds or None when capped, CPU seconds (user + system), peak RSS in MB).
    CPU time is reported next to wall time because a shared 2-core machine makes wall time noisy.
    """
    tv = out_path.with_suffix(".time")
    start = time.perf_counter()
    with open(out_path, "wb") as out:
        try:
            p = subprocess.run(["/usr/bin/time", "-v", "-o", str(tv)] + [str(c) for c in cmd], stdout=out,
                               stderr=subprocess.PIPE, timeout=CAP)
        except subprocess.TimeoutExpired:
            return None, None, None
    wall = time.perf_counter() - start
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr.decode(errors="replace")[-2000:])
        raise SystemExit(f"{cmd[0]} failed with {p.returncode}")
    tvt = tv.read_text()
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", tvt)
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", tvt))
    return wall, cpu, (int(m.group(1)) / 1024 if m else None)


def command(tool, lang, corpus, rules_path, threads, out_fmt=True):
    t = tools()
    if tool == "codetable":
        return [t[tool], "scan", corpus, "--db", rules_path, "--lang", lang, "-j", threads, "--quiet",
                "--format", "json", "--max-file-size", "64M"]
    if tool in ("parse-only", "units-only"):
        return [t["codetable"], "scan", corpus, f"--{tool}", "--lang", lang, "-j", threads, "--quiet",
                "--max-file-size", "64M"]
    if tool == "ast-grep":
        return [t[tool], "scan", "-r", rules_path, "-j", threads, "--json=stream", corpus]
    if tool == "semgrep":
        return [t[tool], "scan", "--config", rules_path, "--metrics=off", "--x-ignore-semgrepignore-files",
                "--disable-version-check", "--jobs", threads, "--json", "--quiet", "--timeout", "0",
                "--max-target-bytes", "64000000", corpus]
    raise ValueError(tool)


def findings(tool, out_path, corpus):
    """(rule, file, line) triples from a tool's output."""
    text = out_path.read_text(errors="replace")
    rows = set()
    if tool == "codetable":
        for line in text.splitlines():
            d = json.loads(line)
            rows.add((d["pattern"].rsplit(".", 1)[-1], str(Path(d["path"]).resolve()), d["line"]))
    elif tool == "ast-grep":
        for line in text.splitlines():
            d = json.loads(line)
            rows.add((d["ruleId"], str((Path(corpus) / d["file"]).resolve()) if not os.path.isabs(d["file"])
                      else d["file"], d["range"]["start"]["line"] + 1))
    elif tool == "semgrep":
        d = json.loads(text)
        for r in d.get("results", []):
            rows.add((r["check_id"].rsplit(".", 1)[-1], str(Path(r["path"]).resolve()), r["start"]["line"]))
    return rows


def fmt_time(t):
    return "> 5 min" if t is None else f"{t:.2f} s"


def compare(corpora, runs, threads_list):
    rdir = WORK / "rules"
    rdir.mkdir(exist_ok=True)
    results = {}
    for cname, (lang, path) in corpora.items():
        rules = RULES[lang]
        write_codetable_catalog(rules, lang, rdir / f"{lang}-catalog")
        db = rdir / f"{lang}.ctdb"
        sh([tools()["codetable"], "db", "build", rdir / f"{lang}-catalog", "-o", db], stdout=subprocess.DEVNULL)
        write_astgrep_rules(rules, lang, rdir / f"{lang}-astgrep.yml")
        write_semgrep_rules(rules, lang, rdir / f"{lang}-semgrep.json")
        rule_files = {"codetable": db, "parse-only": None, "units-only": None, "ast-grep": rdir / f"{lang}-astgrep.yml",
                      "semgrep": rdir / f"{lang}-semgrep.json"}
        nfiles, nbytes = corpus_size(path, lang)
        print(f"\n## {cname}: {path} ({nfiles} {lang} files, {nbytes / 1e6:.1f} MB, {len(rules)} rules)\n")
        res = {"files": nfiles, "bytes": nbytes, "rules": len(rules), "runs": {}}
        found = {}
        for threads in threads_list:
            for tool in ["parse-only", "units-only", "codetable", "ast-grep", "semgrep"]:
                if tool == "semgrep" and threads != max(threads_list):
                    continue
                times, cpus, mems = [], [], []
                for r in range(runs):
                    out = WORK / f"out-{cname}-{tool}-{threads}.txt"
                    t, c, m = timed(command(tool, lang, path, rule_files[tool], threads), out)
                    times.append(t)
                    cpus.append(c)
                    mems.append(m)
                    print(f"  {tool:10} -j{threads} run {r + 1}: {fmt_time(t)}, cpu {c or 0:.2f} s, {m or 0:.0f} MB",
                          file=sys.stderr, flush=True)
                    if t is None:
                        break
                    if tool not in ("parse-only", "units-only") and tool not in found:
                        found[tool] = findings(tool, out, path)
                ok = [t for t in times if t is not None]
                res["runs"][f"{tool} -j{threads}"] = {
                    "median": statistics.median(ok) if len(ok) == len(times) else None,
                    "cpu": statistics.median(cpus) if len(ok) == len(times) else None,
                    "min": min(ok) if ok else None, "peak_mb": max((m for m in mems if m), default=None),
                }
        results[cname] = res
        print_corpus(cname, res, found, rules, threads_list)
        res["findings"] = {t: sorted(map(list, f)) for t, f in found.items()}
    return results


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "n/a"


def print_corpus(cname, res, found, rules, threads_list):
    print("| tool | threads | median wall | median CPU (user+sys) | peak memory |")
    print("|---|---|---|---|---|")
    for key, r in res["runs"].items():
        tool, j = key.rsplit(" -j", 1)
        cpu = "n/a" if r["cpu"] is None else f"{r['cpu']:.2f} s"
        print(f"| {tool} | {j} | {fmt_time(r['median'])} | {cpu} | {r['peak_mb'] or 0:.0f} MB |")
    for j in threads_list:
        for what in ("median", "cpu"):
            get = lambda t: res["runs"].get(f"{t} -j{j}", {}).get(what)  # noqa: E731
            ct, po, uo, ag, sg = (get(t) for t in ("codetable", "parse-only", "units-only", "ast-grep", "semgrep"))
            line = (f"\nratios at -j{j} ({'wall' if what == 'median' else 'CPU'}): codetable/parse-only "
                    f"{ratio(ct, po)}, units-only/parse-only {ratio(uo, po)}, codetable/ast-grep {ratio(ct, ag)}")
            if sg:
                line += f", codetable/semgrep {ratio(ct, sg)}"
            print(line)
    print("\n| rule | codetable | ast-grep | semgrep |")
    print("|---|---|---|---|")
    for name, *_ in rules:
        counts = [sum(1 for f in found.get(t, ()) if f[0] == name) for t in ("codetable", "ast-grep", "semgrep")]
        print(f"| {name} | " + " | ".join(map(str, counts)) + " |")
    tools_ = [t for t in ("codetable", "ast-grep", "semgrep") if t in found]
    union = set().union(*found.values()) if found else set()
    disagree = sorted(f for f in union if sum(f in found[t] for t in tools_) < len(tools_))
    print(f"\n{len(disagree)} findings on which the tools disagree (of {len(union)}):")
    for f in disagree[:25]:
        who = ", ".join(t for t in tools_ if f in found[t])
        print(f"  {f[0]:16} {f[1]}:{f[2]}  found by {who}")


def scaling(corpora, threads):
    lang, path = corpora["cpython-lib"]
    rdir = WORK / "scaling"
    rdir.mkdir(exist_ok=True)
    points = {"codetable": {}, "ast-grep": {}, "semgrep": {}}
    print(f"\n## Scan time against the number of rules (cpython-lib, -j{threads})\n")
    print("| rules | codetable | codetable db build | ast-grep | semgrep |")
    print("|---|---|---|---|---|")
    for n in [10, 100, 1000, 10000]:
        rules = synthetic_rules(n)
        write_codetable_catalog(rules, lang, rdir / f"catalog-{n}")
        db = rdir / f"rules-{n}.ctdb"
        t0 = time.perf_counter()
        sh([tools()["codetable"], "db", "build", rdir / f"catalog-{n}", "-o", db], stdout=subprocess.DEVNULL)
        build = time.perf_counter() - t0
        write_astgrep_rules(rules, lang, rdir / f"astgrep-{n}.yml")
        write_semgrep_rules(rules, lang, rdir / f"semgrep-{n}.json")
        row, cpu = {}, {}
        row["codetable"], cpu["codetable"], _ = timed(command("codetable", lang, path, db, threads),
                                                      rdir / f"out-ct-{n}.txt")
        row["ast-grep"], cpu["ast-grep"], _ = timed(command("ast-grep", lang, path, rdir / f"astgrep-{n}.yml",
                                                            threads), rdir / f"out-ag-{n}.txt")
        row["semgrep"] = "skip"
        if n <= 1000:
            row["semgrep"], cpu["semgrep"], _ = timed(command("semgrep", lang, path, rdir / f"semgrep-{n}.json",
                                                              threads), rdir / f"out-sg-{n}.txt")
        for k, v in row.items():
            if v != "skip":
                points[k][n] = v

        def cell(k):
            if row[k] == "skip":
                return "not run"
            return fmt_time(row[k]) + ("" if cpu.get(k) is None else f" (CPU {cpu[k]:.1f} s)")
        print(f"| {n:,} | {cell('codetable')} | {build:.2f} s | {cell('ast-grep')} | {cell('semgrep')} |",
              flush=True)
    plot(points, threads)
    return points


def plot(points, threads):
    sys.path.insert(0, str(next((VENV / "lib").glob("python3*/site-packages"))))
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for tool, pts in points.items():
        xs = sorted(pts)
        ys = [pts[x] if pts[x] is not None else CAP for x in xs]
        ax.plot(xs, ys, marker="o", label=tool)
        for x, y in zip(xs, ys):
            if pts[x] is None:
                ax.annotate("> 5 min", (x, y), textcoords="offset points", xytext=(4, 4))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rule patterns")
    ax.set_ylabel(f"scan time of CPython Lib/ (s, -j{threads})")
    ax.set_title("Scan time against the number of rules")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    out = REPO / "benches" / "compare" / "rules-scaling.png"
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"\nwrote {out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per tool and corpus (median reported)")
    ap.add_argument("--threads", default="1,2", help="thread counts to compare (comma-separated)")
    ap.add_argument("--quick", action="store_true", help="one run each and no scaling curve")
    ap.add_argument("--only", choices=["corpora", "scaling"], help="run only one half")
    a = ap.parse_args()
    threads = [int(t) for t in a.threads.split(",")]
    corpora = setup()
    runs = 1 if a.quick else a.runs
    summary = {}
    if a.only != "scaling":
        summary["corpora"] = compare(corpora, runs, threads)
    if a.only != "corpora" and not a.quick:
        summary["scaling"] = scaling(corpora, max(threads))
    (WORK / "results.json").write_text(json.dumps(summary, indent=1, default=str))
    print(f"\nraw results: {WORK / 'results.json'}")


if __name__ == "__main__":
    main()
