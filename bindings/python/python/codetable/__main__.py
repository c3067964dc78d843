"""``python -m codetable scan PATH…``: the JSON lines of ``codetable scan --format json``.

Findings are printed sorted as the command sorts them (by path, then position, then pattern),
one line of core's finding JSON each (``Finding.to_json()``, byte for byte the command's);
files that cannot be scanned are reported on stderr with core's skip reason.
Exit status as the command's: 0 without findings of severity low or above, 1 with, 2 on error.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from typing import Sequence

from . import Database, Engine, Error, Finding, __version__

_SEVERITIES = ("info", "low", "medium", "high", "critical")


def _order(f: Finding) -> tuple[object, ...]:
    return (pathlib.PurePath(f.path or "").parts, f.byte_start, f.byte_end, f.pattern.number, f.id)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m codetable",
        description="Find known code patterns (the codetable command, through the Python module).",
    )
    parser.add_argument("--version", action="version", version=f"codetable {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    scan = sub.add_parser(
        "scan",
        help="scan files and directories; print one JSON object per finding",
        description="Walks the paths (honouring .gitignore) and prints each finding as a JSON line.",
    )
    scan.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    scan.add_argument("--format", choices=["json"], default="json", help="output format (JSON lines only)")
    scan.add_argument("--db", metavar="FILE", help="pattern database (default: the built-in catalog)")
    scan.add_argument("-j", "--threads", type=int, default=None, help="scan threads (default: one per CPU)")
    scan.add_argument("-q", "--quiet", action="store_true", help="do not report unscannable files")
    args = parser.parse_args(argv)

    try:
        db = Database.open(args.db) if args.db else Database.default()
        scan_it = Engine(db).scan_paths(args.paths, threads=args.threads)
        findings = sorted(scan_it, key=_order)
        out = sys.stdout
        for finding in findings:
            out.write(finding.to_json())
            out.write("\n")
        out.flush()
        if not args.quiet:
            for path, reason, detail in scan_it.skipped:
                where = f"{path}: " if path else ""
                print(f"codetable: {where}{reason}: {detail}", file=sys.stderr)
    except Error as e:
        print(f"codetable: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    failing = [f for f in findings if _SEVERITIES.index(f.severity) >= 1]
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
