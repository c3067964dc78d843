#!/usr/bin/env python3
"""Scan one half of a design corpus set (s8: patterns/design-corpora.tsv, unpacked in target/design8;
s9: patterns/design-corpora-s9.tsv, unpacked in /tmp/cmpwork/design9; s10: -s10.tsv in /tmp/cmpwork/design10), one project per package;
print instances compactly.
Usage: scan.py HALF [--set s8|s9|s10] [--quiet] [--bin PATH]"""
import json, subprocess, sys, os, collections
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SET = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "s8"
R = {"s8": os.path.join(REPO, "target", "design8"), "s9": "/tmp/cmpwork/design9", "s10": "/tmp/cmpwork/design10"}[SET]
half = sys.argv[1]
bin_ = sys.argv[sys.argv.index("--bin") + 1] if "--bin" in sys.argv else os.path.join(REPO, "target", "debug", "codetable")
quiet = "--quiet" in sys.argv
out_dir = f"{R}/out/{half}"
os.makedirs(out_dir, exist_ok=True)
root = f"{R}/{half}"
total = collections.Counter()
allinst = []
for pkg in sorted(os.listdir(root)):
    r = subprocess.run([bin_, "scan", "--no-config", "--no-cache", "--fail-on", "never", "--select", "design.gof,design.roles",
                        "--format", "json", "--lang", "java,kotlin,python,typescript,javascript,tsx", "."],
                       cwd=f"{root}/{pkg}", capture_output=True, text=True)
    if r.returncode not in (0, 1):
        print(pkg, "FAILED", r.stderr[-500:]); continue
    findings = [json.loads(l) for l in r.stdout.splitlines() if l.strip().startswith("{")]
    inst = collections.OrderedDict()
    for f in findings:
        if not f.get("instance"): continue
        inst.setdefault(f["instance"], []).append(f)
    for k, fs in inst.items():
        total[fs[0]["pattern"]] += 1
        allinst.append((pkg, k, [(f["role"], f["unit"], f["path"], f["line"]) for f in fs]))
    with open(f"{out_dir}/{pkg}.jsonl", "w") as fh:
        fh.write(r.stdout)
json.dump(allinst, open(f"{out_dir}/instances.json", "w"), indent=1)
print("instances per pattern:", dict(sorted(total.items())), "total", sum(total.values()))
if not quiet:
    for pkg, k, ps in allinst:
        print(f"== {k.split('@')[0]} [{pkg}] ({len(ps)})")
        for role, unit, path, line in ps[:8]:
            print(f"   {role:18} {unit:28} {path}:{line}")
        if len(ps) > 8: print(f"   … {len(ps)-8} more")
