#!/usr/bin/env python3
"""Writes the review sheet of the held-out half from scan.py's output (instances.json), without
printing any finding: patterns/verdicts/design-held-s9-sheet.md (every instance with every
participant's role, type, path and line) and design-held-s9.tsv (a verdict template)."""
import json, csv, os
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
R = "/tmp/cmpwork/design9"

rows = [r for r in (l.rstrip("\n").split("\t") for l in open(f"{REPO}/patterns/design-corpora-s9.tsv") if not l.startswith("#")) if r[0] in ("maven", "pypi", "npm")]
coord = {f"{r[0]}-{r[1]}": r[2] for r in rows if r[3] == "held"}
inst = json.load(open(f"{R}/out/held/instances.json"))
md = ["# Design-pattern instances of the held-out half (session 9, issue #17)", "",
      "Produced by `codetable scan --no-config --no-cache --select design.gof,design.roles --format json .` run in each",
      "package's root (one project per package), debug CLI of branch s9-design at commit COMMIT; not read by the helper who tuned.",
      "Packages (patterns/design-corpora-s9.tsv, half `held`): Maven sources jars, PyPI sdists, npm tarballs,",
      "fetched with `mvn dependency:copy -Dartifact=COORD:jar:sources`, `pip download --no-binary :all: --no-deps`,",
      "`npm pack`; paths are relative to the unpacked package root.", "",
      "Judge each instance: `right` when its key and main participants play the pattern as the library uses them,",
      "`partly` when the pattern is there but participants are wrong or missing, `wrong` otherwise; write the verdict",
      "and a reason into design-held-s9.tsv.", ""]
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
open(f"{REPO}/patterns/verdicts/design-held-s9-sheet.md", "w").write("\n".join(md) + "\n")
with open(f"{REPO}/patterns/verdicts/design-held-s9.tsv", "w", newline="") as f:
    csv.writer(f, delimiter="\t", lineterminator="\n").writerows(tsv)
print(f"{len(inst)} instances written")
