"""The exceptions codetable raises: one base class, one subclass per kind of failure."""

from __future__ import annotations

from typing import Optional

__all__ = [
    "Error",
    "DatabaseError",
    "LanguageError",
    "EditError",
    "FileError",
    "BudgetError",
    "ConfigError",
]


class Error(Exception):
    """Base class of every codetable error (an internal error is raised as this class itself)."""


class DatabaseError(Error):
    """The bytes or file are not a valid pattern database (bad magic, version, checksum…)."""


class LanguageError(Error, ValueError):
    """A language name nobody registered, or a file whose language cannot be told.

    Raised by ``Engine.scan_file`` with ``reason == "unknown language"``.
    """

    reason: Optional[str] = None


class EditError(Error, ValueError):
    """An edit outside the document's text, or findings asked for while edits wait for analysis."""


class BudgetError(Error):
    """Parsing, editing or analysing a document ran over its budget (``Document.set_budget``).

    Nothing of that step is kept: an edit leaves the document as it was.
    """


class FileError(Error, OSError):
    """A file that cannot be scanned: unreadable, binary, too large, not UTF-8 or unparsable.

    Raised by ``Engine.scan_file`` with ``reason`` set to the name of core's skip reason
    (``"unreadable"``, ``"binary"``, ``"too large"``, ``"not UTF-8"``, ``"unparsable"``,
    ``"over budget"``).
    """

    reason: Optional[str] = None


class ConfigError(Error, ValueError):
    """A project configuration (``codetable.toml``, ``[tool.codetable]``) that cannot be used.

    Raised by ``Engine.for_project``: the file cannot be read or parsed, a key is unknown (the
    message names the file, line and closest key), or a selector names no pattern, group or level.
    """
