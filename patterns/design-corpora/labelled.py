#!/usr/bin/env python3
"""File-level precision, recall and F1 of the design patterns on the labelled teaching modules of a
corpus set (section `labelled` of patterns/design-corpora-s9.tsv or -s10.tsv), one half at a time,
overall and per label. A (file, pattern) pair reported is right when the pattern is one of the file's
labels; a file is found when one of its labels is reported on it. Prints figures only (no finding),
so the held-out half can be measured without being read.
Usage: labelled.py HALF [--set s9|s10] [--show] [--bin PATH]   (--show lists the tuning half's pairs)"""
import json, os, subprocess, sys, collections
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SET = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "s9"
ROOT = {"s9": "/tmp/cmpwork/design9/labelled", "s10": "/tmp/cmpwork/design10/labelled"}[SET]
half = sys.argv[1]
bin_ = sys.argv[sys.argv.index("--bin") + 1] if "--bin" in sys.argv else os.path.join(REPO, "target", "debug", "codetable")
rows = [l.rstrip("\n").split("\t") for l in open(f"{REPO}/patterns/design-corpora-{SET}.tsv")]
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
# per label (the file's first label names its pattern): files, found, pairs reported with that label
per = collections.defaultdict(lambda: [0, 0, 0, 0])  # files, found, pairs reported of it, right
for p, labs in labels.items():
    main = sorted(labs)[0] if len(labs) == 1 else [l for l in sorted(labs) if l.startswith("design.gof") or l.startswith("design.roles")][0]
    per[main][0] += 1
    per[main][1] += bool(reported[p] & labs)
for p, pat in pairs:
    per[pat][2] += 1
    per[pat][3] += pat in labels[p]
for pat in sorted(per):
    n, fnd, rep, ok = per[pat]
    print(f"  {pat:40} files {n} found {fnd}  reported {rep} right {ok}")
if "--show" in sys.argv:
    for p in sorted(labels):
        print(f"  {p}: label {sorted(labels[p])} reported {sorted(reported[p])}")
