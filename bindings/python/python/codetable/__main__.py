"""``codetable`` (the console script) and ``python -m codetable``: the whole command line.

The same command as the Rust binary, shipped inside the extension module: every subcommand
(``scan``, ``explain``, ``search``, ``test``, ``table``, ``similar``, ``db``, ``lsp``), flag and
format, and the same exit codes (0 clean, 1 findings at or above ``--fail-on`` or a failed check,
2 usage or I/O error). See ``codetable --help``.
"""

from __future__ import annotations

import sys
from typing import Sequence

from ._native import cli_main


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line (``argv`` without the program name; default ``sys.argv[1:]``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    sys.stdout.flush()
    sys.stderr.flush()
    return cli_main(["codetable", *args])


def console_script() -> None:
    """The ``codetable`` console script."""
    sys.exit(main())


if __name__ == "__main__":
    sys.exit(main())
