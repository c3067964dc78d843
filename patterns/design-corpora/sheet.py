#!/usr/bin/env python3
"""Writes the review sheet of a corpus set's held-out half from scan.py's output (instances.json),
without printing any finding: patterns/verdicts/design-held-SET-sheet.md (every instance with every
participant's role, type, path and line) and design-held-SET.tsv (a verdict template).
Usage: sheet.py [--set s8|s9|s10] (default s8; from s10 on with severity, excerpts and participants per row)"""
import json, csv, os, sys
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SET = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "s8"
R = {"s8": os.path.join(REPO, "target", "design8"), "s9": "/tmp/cmpwork/design9", "s10": "/tmp/cmpwork/design10"}[SET]
TSV = {"s8": "design-corpora.tsv", "s9": "design-corpora-s9.tsv", "s10": "design-corpora-s10.tsv"}[SET]
SESSION = SET[1:]

rows = [r for r in (l.rstrip("\n").split("\t") for l in open(f"{REPO}/patterns/{TSV}") if not l.startswith("#"))
        if r[0] in ("maven", "pypi", "npm")]
coord = {f"{r[0]}-{r[1]}": r[2] for r in rows if r[3] == "held"}
inst = json.load(open(f"{R}/out/held/instances.json"))
md = [f"# Design-pattern instances of the held-out half (session {SESSION}, issue #17)", "",
      "Produced by `codetable scan --no-config --no-cache --select design.gof,design.roles --format json .` run in each",
      f"package's root (one project per package), debug CLI of branch {SET}-design at commit COMMIT; not read by the helper who tuned.",
      f"Packages (patterns/{TSV}, half `held`): Maven sources jars, PyPI sdists, npm tarballs,",
      "fetched with `mvn dependency:copy -Dartifact=COORD:jar:sources`, `pip download --no-binary :all: --no-deps`,",
      "`npm pack`; paths are relative to the unpacked package root.", "",
      "Judge each instance: `right` when its key and main participants play the pattern as the library uses them,",
      "`partly` when the pattern is there but participants are wrong or missing, `wrong` otherwise; write the verdict",
      f"and a reason into design-held-{SET}.tsv.", ""]
for p in sorted(coord): md.append(f"- `{p}`: {coord[p]}")
md.append("")
tsv = [["pattern", "instance", "package", "participants", "verdict", "reason"]]
for n, (pkg, k, ps) in enumerate(inst, 1):
    pat = k.split("@")[0]
    md.append(f"## {n}. {pat} — {pkg}")
    md.append(f"instance `{k}`")
    md.append("")
    md.append("| role | type | where |")
    md.append("|---|---|---|")
    for role, unit, path, line in ps:
        md.append(f"| {role} | `{unit}` | `{path}:{line}` |")
    md.append("")
    tsv.append([pat, k, pkg, str(len(ps)), "", ""])
if SET not in ("s8", "s9"):
    # From session 10 on, a sheet a reviewer can judge without opening the package: per instance
    # its severity, the key's file:line, every participant with a code excerpt (the first lines of
    # its declaration), and a TSV row per instance with the participants spelled out.
    sev = {}
    for pkg in coord:
        try:
            for line in open(f"{R}/out/held/{pkg}.jsonl"):
                if line.startswith("{"):
                    f = json.loads(line)
                    if f.get("instance"):
                        sev[f["instance"]] = f.get("severity", "")
        except FileNotFoundError:
            pass

    def excerpt(pkg, path, line, n=4):
        try:
            lines = open(f"{R}/held/{pkg}/{path}", encoding="utf-8", errors="replace").read().splitlines()
        except OSError:
            return ""
        return "\n".join(l.rstrip()[:160] for l in lines[line - 1:line - 1 + n])

    md = [f"# Design-pattern instances of the held-out half (session {SESSION}, issue #17)", "",
          "Produced by `patterns/design-corpora/scan.py held --set " + SET + "` (`codetable scan --no-config --no-cache",
          "--select design.gof,design.roles --format json .` in each package's root, one project per package), debug CLI",
          f"of branch {SET}-design at commit COMMIT, from the final patterns; not read by the helper who tuned.",
          f"Packages (patterns/{TSV}, half `held`): Maven sources jars, PyPI sdists, npm tarballs; paths are relative",
          "to the unpacked package root.", "",
          "Judge each instance: `right` when its key and main participants play the pattern as the library uses them,",
          "`partly` when the pattern is there but participants are wrong or missing, `wrong` otherwise; write the verdict",
          f"and a reason into design-held-{SET}.tsv (one row per instance, same ids).", ""]
    for p_ in sorted(coord):
        md.append(f"- `{p_}`: {coord[p_]}")
    md.append("")
    tsv = [["id", "pattern", "severity", "package", "key", "participants", "excerpt", "verdict", "reason"]]
    for n, (pkg, k, ps) in enumerate(inst, 1):
        pat = k.split("@")[0]
        key = f"{ps[0][2]}:{ps[0][3]}"
        md.append(f"## {n}. {pat} — {pkg}")
        md.append(f"instance `{k}`, severity {sev.get(k, '')}, key `{key}`")
        md.append("")
        md.append("| role | type | where |")
        md.append("|---|---|---|")
        for role, unit, path, line in ps:
            md.append(f"| {role} | `{unit}` | `{path}:{line}` |")
        md.append("")
        for role, unit, path, line in ps[:6]:
            md.append(f"{role} `{unit}` (`{path}:{line}`):")
            md.append("```")
            md.append(excerpt(pkg, path, line))
            md.append("```")
        if len(ps) > 6:
            md.append(f"(and {len(ps) - 6} more participants, listed above)")
        md.append("")
        parts = "; ".join(f"{role}={unit}@{path}:{line}" for role, unit, path, line in ps)
        first = excerpt(pkg, ps[0][2], ps[0][3], 3).replace("\t", " ").replace("\n", " ⏎ ")
        tsv.append([str(n), pat, sev.get(k, ""), pkg, key, parts, first, "", ""])
open(f"{REPO}/patterns/verdicts/design-held-{SET}-sheet.md", "w").write("\n".join(md) + "\n")
with open(f"{REPO}/patterns/verdicts/design-held-{SET}.tsv", "w", newline="") as f:
    csv.writer(f, delimiter="\t", lineterminator="\n").writerows(tsv)
print(f"{len(inst)} instances written")
