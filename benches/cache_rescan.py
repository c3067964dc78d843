#!/usr/bin/env python3
"""Item 5: cold, warm (index), warm without the index, one changed file, that file alone.
Interleaved runs; wall and CPU (user+sys) medians; load before and after."""
import os, re, shutil, statistics, subprocess, sys, time
# Usage: benches/cache_rescan.py TREE CHANGED_FILE [ROUNDS]  (e.g. a copy of CPython's Lib/ and
# its json/encoder.py: the file is appended to, so use a copy). The cache folder is TREE's
# sibling `cache-rescan`; the command is target/release/codetable or $CODETABLE_BIN.
HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("CODETABLE_BIN", os.path.join(HERE, "..", "target", "release", "codetable"))
TREE = os.path.abspath(sys.argv[1])
C = TREE.rstrip("/") + "-cache-rescan"
F = os.path.abspath(sys.argv[2])
N = int(sys.argv[3]) if len(sys.argv) > 3 else 7

def run(args):
    t0 = time.perf_counter()
    r0 = os.times()
    p = subprocess.run([BIN] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    r1 = os.times()
    wall = time.perf_counter() - t0
    cpu = (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system)
    return wall, cpu, p.stderr.decode()

scan = ["scan", TREE, "--cache", C, "--format", "json", "--fail-on", "never", "-v"]
print("load before:", open("/proc/loadavg").read().strip())
shutil.rmtree(C, ignore_errors=True)
cold = run(scan)
print(f"cold: wall {cold[0]:.2f} s, cpu {cold[1]:.2f} s")
run(scan)
res = {k: [] for k in ["warm", "noindex", "changed", "alone"]}
for i in range(N):
    res["warm"].append(run(scan)[:2])
    shutil.rmtree(C + "/index", ignore_errors=True)
    res["noindex"].append(run(scan)[:2])
    with open(F, "a") as f:
        f.write(f"# changed {time.time()}\n")
    w, c, err = run(scan)
    m = re.search(r"(\d+) of (\d+) files unchanged", err)
    assert m and int(m[1]) == int(m[2]) - 1, err[-300:]  # exactly the one file re-analysed
    res["changed"].append((w, c))
    res["alone"].append(run(["scan", F, "--no-cache", "--format", "json", "--fail-on", "never"])[:2])
med = {k: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v)) for k, v in res.items()}
for k, (w, c) in med.items():
    print(f"{k:8s}: wall median {w*1000:.0f} ms (min {min(x[0] for x in res[k])*1000:.0f}), cpu median {c*1000:.0f} ms")
print(f"cold/warm: wall {cold[0]/med['warm'][0]:.0f}x, cpu {cold[1]/max(med['warm'][1],1e-3):.0f}x")
print(f"one changed / alone: wall {med['changed'][0]/med['alone'][0]:.2f}x, cpu {med['changed'][1]/max(med['alone'][1],1e-3):.2f}x")
print(f"without index / alone (one unchanged rescan): wall {med['noindex'][0]/med['alone'][0]:.2f}x")
print("load after:", open("/proc/loadavg").read().strip())
