#!/usr/bin/env python3
"""Recall and precision of the catalog on the annotated suite (patterns/tests/annotated).

Owns: reading the marker comments, matching `codetable scan --format json` findings to them,
the per-family / per-language table and the regression floor. It must not tune anything: it
only counts. Python 3.11 standard library only.

Markers (a trailing comment, `#` or `//`):
    codetable: expect <pattern-id>[, <pattern-id>…]   this line must be covered by a finding of the id
    codetable: ok <pattern-id>[, <pattern-id>…]       this line must not be covered by one
Counting, per file (family = file name up to its first dot, so `log.client.py` counts for
`log`; language = folder):
    TP  an `expect` line covered by a finding of its id (the finding's line..end_line spans it)
    FN  an `expect` line no such finding covers
    FP  a finding of a scored id (one named by any marker in the suite) that covers no `expect`
        line of that id: on an `ok` line or on an unannotated line alike (counted once per finding)
Findings of ids no marker names (other groups, safe-variant `info` patterns) are ignored.
A marker naming an id the catalog (patterns/*/*.toml) does not have is an error. `--self-test`
checks all of this on a built-in fixture; `make recall-test` runs it before the suite.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUITE = HERE / "annotated"
FLOOR = SUITE / "floor.json"
MARKER = re.compile(r"(?:#|//)\s*codetable:\s*(expect|ok)\s+([\w.\-]+(?:\s*,\s*[\w.\-]+)*)")
SOURCE_EXTS = {".py", ".js", ".ts", ".tsx", ".java", ".go", ".kt", ".c", ".cpp", ".h", ".rs"}


@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    expect: int = 0
    ok: int = 0
    fp_on_ok: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("tp", "fn", "fp", "expect", "ok", "fp_on_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.false_alarms += other.false_alarms

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def read_markers(path: Path) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Line number → ids, for `expect` and for `ok` markers."""
    expect: dict[int, set[str]] = defaultdict(set)
    ok: dict[int, set[str]] = defaultdict(set)
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for kind, ids in MARKER.findall(text):
            target = expect if kind == "expect" else ok
            target[number].update(i.strip() for i in ids.split(","))
    return expect, ok


def suite_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in SOURCE_EXTS and p.parent != root
    )


def score(root: Path, findings: list[dict]) -> dict[tuple[str, str], Tally]:
    """(language, family) → tally. `findings` carry `path` relative to `root` or absolute."""
    by_path: dict[Path, list[dict]] = defaultdict(list)
    for f in findings:
        p = Path(f["path"])
        by_path[(p if p.is_absolute() else (root / p)).resolve()].append(f)
    files = suite_files(root)
    markers = {p: read_markers(p) for p in files}
    scored = {i for expect, ok in markers.values() for ids in (*expect.values(), *ok.values()) for i in ids}
    table: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for path in files:
        expect, ok = markers[path]
        rel = path.relative_to(root)
        tally = table[(path.parent.name, path.name.split(".")[0])]
        tally.expect += sum(len(ids) for ids in expect.values())
        tally.ok += sum(len(ids) for ids in ok.values())
        hits = [f for f in by_path.get(path.resolve(), []) if f["pattern"] in scored]
        for line, ids in sorted(expect.items()):
            for pid in sorted(ids):
                if any(f["pattern"] == pid and f["line"] <= line <= f["end_line"] for f in hits):
                    tally.tp += 1
                else:
                    tally.fn += 1
                    tally.misses.append(f"{rel}:{line} {pid}")
        for f in hits:
            span = range(f["line"], f["end_line"] + 1)
            if any(f["pattern"] in expect.get(n, ()) for n in span):
                continue
            tally.fp += 1
            on_ok = any(f["pattern"] in ok.get(n, ()) for n in span)
            tally.fp_on_ok += on_ok
            where = "ok line" if on_ok else "unannotated"
            tally.false_alarms.append(f"{rel}:{f['line']} {f['pattern']} ({where})")
    return table


def catalog_ids(catalog: Path) -> set[str]:
    """The `id` of every pattern file under `catalog` (patterns/<group>/<name>.toml)."""
    ids = set()
    for toml in catalog.glob("*/*.toml"):
        match = re.search(r'^id\s*=\s*"([^"]+)"', toml.read_text(encoding="utf-8"), re.MULTILINE)
        if match:
            ids.add(match.group(1))
    return ids


def unknown_ids(root: Path, known: set[str]) -> list[str]:
    """`path:line id` for every marker naming an id the catalog does not have."""
    bad = []
    for path in suite_files(root):
        expect, ok = read_markers(path)
        for line, ids in sorted([*expect.items(), *ok.items()]):
            bad += [f"{path.relative_to(root)}:{line} {i}" for i in sorted(ids - known)]
    return bad


def run_scan(binary: str, root: Path) -> list[dict]:
    proc = subprocess.run(
        # Every pattern, as matched: the suite measures patterns, not a project's defaults
        # (levels, the context of its test folder, suppressions, grouping).
        [binary, "scan", "--format", "json", "--select", "all", "--raw", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode not in (0, 1) or (proc.returncode != 0 and not lines):
        sys.exit(f"score.py: `{binary} scan` failed ({proc.returncode}): {proc.stderr.strip()}")
    return [json.loads(line) for line in lines]


def summarise(table: dict[tuple[str, str], Tally]) -> tuple[dict[str, Tally], dict[str, Tally], Tally]:
    families: dict[str, Tally] = defaultdict(Tally)
    languages: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    for (language, family), t in table.items():
        families[family].add(t)
        languages[language].add(t)
        total.add(t)
    return families, languages, total


def print_table(title: str, rows: dict[str, Tally], total: Tally) -> None:
    print(f"{title:<16} {'expect':>6} {'ok':>4} {'TP':>4} {'FN':>4} {'FP':>4} {'FP@ok':>5} {'prec':>6} {'recall':>6}")
    for name, t in sorted(rows.items()) + [("TOTAL", total)]:
        print(
            f"{name:<16} {t.expect:>6} {t.ok:>4} {t.tp:>4} {t.fn:>4} {t.fp:>4} {t.fp_on_ok:>5}"
            f" {t.precision:>6.2f} {t.recall:>6.2f}"
        )
    print()


def check_floor(floor: dict, families: dict[str, Tally], total: Tally) -> list[str]:
    failures = []
    current = {**families, "TOTAL": total}
    for name, minimum in sorted(floor.items()):
        t = current.get(name)
        if t is None:
            failures.append(f"{name}: in the floor but no longer in the suite")
            continue
        for metric in ("precision", "recall"):
            if round(getattr(t, metric), 4) < minimum[metric]:
                failures.append(f"{name}: {metric} {getattr(t, metric):.4f} < floor {minimum[metric]:.4f}")
        if t.tp < minimum.get("tp", 0):
            failures.append(f"{name}: {t.tp} lines found < floor {minimum['tp']}")
    return failures


def floor_of(families: dict[str, Tally], total: Tally) -> dict:
    rows = {**families, "TOTAL": total}
    return {
        name: {"precision": round(t.precision, 4), "recall": round(t.recall, 4), "tp": t.tp}
        for name, t in sorted(rows.items())
    }


SELF_TEST_FILES = {
    "python/sql.py": (
        "cur.execute(q)  # codetable: expect p.sql\n"      # 1: TP (finding spans 1..2)
        "cur.execute(r)  # codetable: expect p.sql\n"      # 2: TP (same finding)
        "cur.execute(s)  # codetable: expect p.sql, p.x\n" # 3: p.sql FN, p.x TP
        "cur.execute('k')  # codetable: ok p.sql\n"        # 4: FP on an ok line
        "pass\n"                                           # 5: FP unannotated
        "pass\n"                                           # 6: other pattern, ignored
    ),
    "go/sql.go": "db.Query(q) // codetable: expect p.sql\n",  # FN: no finding
}
SELF_TEST_FINDINGS = [
    {"path": "python/sql.py", "line": 1, "end_line": 2, "pattern": "p.sql"},
    {"path": "python/sql.py", "line": 3, "end_line": 3, "pattern": "p.x"},
    {"path": "python/sql.py", "line": 4, "end_line": 4, "pattern": "p.sql"},
    {"path": "python/sql.py", "line": 5, "end_line": 5, "pattern": "p.sql"},
    {"path": "python/sql.py", "line": 6, "end_line": 6, "pattern": "reliability.unrelated"},
]


def self_test() -> int:
    """Known findings on a tiny suite must give known numbers, and the floor must bite."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, text in SELF_TEST_FILES.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        families, languages, total = summarise(score(root, SELF_TEST_FINDINGS))
        got = {
            "total": (total.expect, total.ok, total.tp, total.fn, total.fp, total.fp_on_ok),
            "python": (languages["python"].tp, languages["python"].fn, languages["python"].fp),
            "go": (languages["go"].tp, languages["go"].fn, languages["go"].fp),
            "families": sorted(families),
        }
        want = {
            "total": (5, 1, 3, 2, 2, 1),
            "python": (3, 1, 2),
            "go": (0, 1, 0),
            "families": ["sql"],
        }
        failures = [f"{k}: got {got[k]}, want {want[k]}" for k in want if got[k] != want[k]]
        if (round(total.precision, 4), round(total.recall, 4)) != (0.6, 0.6):
            failures.append(f"precision/recall {total.precision}/{total.recall}, want 0.6/0.6")
        floor = floor_of(families, total)
        if check_floor(floor, families, total):
            failures.append("today's figures fail their own floor")
        floor["sql"]["recall"] = 0.61
        if not check_floor(floor, families, total):
            failures.append("a recall below the floor passed")
        floor = floor_of(families, total)
        floor["TOTAL"]["precision"] = 0.7
        if not check_floor(floor, families, total):
            failures.append("a precision below the floor passed")
        if not check_floor({"gone": {"precision": 0, "recall": 0}}, families, total):
            failures.append("a family missing from the suite passed")
        if unknown_ids(root, {"p.sql"}) != ["python/sql.py:3 p.x"]:
            failures.append(f"unknown ids not reported: {unknown_ids(root, {'p.sql'})}")
        if score(root, [])[("python", "sql")].tp != 0:
            failures.append("no findings still counted a hit")
    for failure in failures:
        print("score.py self-test:", failure, file=sys.stderr)
    if not failures:
        print("score.py self-test: passed")
    return 1 if failures else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/debug/codetable", help="codetable CLI to run")
    ap.add_argument("--suite", type=Path, default=SUITE, help="folder of <lang>/<family>.<ext> files")
    ap.add_argument("--findings", type=Path, help="read JSON-lines findings from this file instead of scanning")
    ap.add_argument("--floor", type=Path, default=FLOOR, help="floor file (minimum figures per family)")
    ap.add_argument("--update-floor", action="store_true", help="write today's figures as the floor")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every miss and false alarm")
    ap.add_argument("--self-test", action="store_true", help="check the scorer on a built-in fixture, then stop")
    args = ap.parse_args()
    if args.self_test:
        return self_test()

    root = args.suite.resolve()
    started = time.monotonic()
    unknown = unknown_ids(root, catalog_ids(HERE.parent))
    if unknown:
        for line in unknown:
            print("score.py: marker names no catalog pattern:", line, file=sys.stderr)
        return 1
    if args.findings:
        findings = [json.loads(l) for l in args.findings.read_text().splitlines() if l.strip()]
    else:
        findings = run_scan(args.bin, root)
    table = score(root, findings)
    families, languages, total = summarise(table)
    print_table("family", families, total)
    print_table("language", languages, total)
    if args.verbose:
        for line in total.misses:
            print("miss        ", line)
        for line in total.false_alarms:
            print("false alarm ", line)
    print(f"{total.expect} must-flag and {total.ok} must-not lines in {len(suite_files(root))} files, "
          f"{time.monotonic() - started:.2f} s")

    if args.update_floor:
        args.floor.write_text(json.dumps(floor_of(families, total), indent=2) + "\n")
        print(f"floor written to {args.floor}")
        return 0
    if not args.floor.exists():
        print(f"score.py: no floor file {args.floor} (run with --update-floor)", file=sys.stderr)
        return 1
    failures = check_floor(json.loads(args.floor.read_text()), families, total)
    for failure in failures:
        print("below floor:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
