#!/usr/bin/env python3
"""Writes the review sheet of a corpus set's held-out half from scan.py's output (instances.json),
without printing any finding: patterns/verdicts/design-held-SET-sheet.md (every instance with every
participant's role, type, path and line) and design-held-SET.tsv (a verdict template).
Usage: sheet.py [--set s8|s9|s10] (default s8)"""
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
open(f"{REPO}/patterns/verdicts/design-held-{SET}-sheet.md", "w").write("\n".join(md) + "\n")
with open(f"{REPO}/patterns/verdicts/design-held-{SET}.tsv", "w", newline="") as f:
    csv.writer(f, delimiter="\t", lineterminator="\n").writerows(tsv)
print(f"{len(inst)} instances written")
