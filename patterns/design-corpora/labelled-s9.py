#!/usr/bin/env python3
"""File-level precision, recall and F1 of the design patterns on the labelled teaching modules of
patterns/design-corpora-s9.tsv (section `labelled`), one half at a time. Prints figures only (no
finding), so the held-out half can be measured without being read.
Usage: labelled-s9.py HALF [--show] [--bin PATH]   (--show lists the tuning half's pairs)"""
import json, os, subprocess, sys, collections
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ROOT = "/tmp/cmpwork/design9/labelled"
half = sys.argv[1]
bin_ = sys.argv[sys.argv.index("--bin") + 1] if "--bin" in sys.argv else os.path.join(REPO, "target", "debug", "codetable")
rows = [l.rstrip("\n").split("\t") for l in open(f"{REPO}/patterns/design-corpora-s9.tsv")]
labels = {r[1]: set(r[2].split("|")) for r in rows if r[0] == "labelled" and r[3] == half}
if "--show" in sys.argv and half == "held":
    sys.exit("the held-out half is not shown")
reported = collections.defaultdict(set)  # path -> patterns with a participant there
for pkg in sorted({p.split("/")[0] for p in labels}):
    r = subprocess.run([bin_, "scan", "--no-config", "--no-cache", "--fail-on", "never", "--select", "design",
                        "--format", "json", "."], cwd=f"{ROOT}/{pkg}", capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if not line.startswith("{"):
            continue
        f = json.loads(line)
        path = f"{pkg}/{f['path']}"
        if path in labels and f["pattern"].startswith("design."):
            reported[path].add(f["pattern"])
pairs = [(p, pat) for p, pats in reported.items() for pat in pats]
right = sum(1 for p, pat in pairs if pat in labels[p])
found = sum(1 for p in labels if reported[p] & labels[p])
prec = right / len(pairs) if pairs else 0.0
rec = found / len(labels) if labels else 0.0
f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
print(f"{half}: {len(labels)} labelled files, {len(pairs)} (file, pattern) pairs reported, {right} right; "
      f"precision {prec:.2f}, recall {rec:.2f} ({found}/{len(labels)}), F1 {f1:.2f}")
if "--show" in sys.argv:
    for p in sorted(labels):
        print(f"  {p}: label {sorted(labels[p])} reported {sorted(reported[p])}")
