"""The exceptions codetable raises: one base class, one subclass per kind of failure."""

from __future__ import annotations

__all__ = ["Error", "DatabaseError", "LanguageError", "EditError", "FileError"]


class Error(Exception):
    """Base class of every codetable error (an internal error is raised as this class itself)."""


class DatabaseError(Error):
    """The bytes or file are not a valid pattern database (bad magic, version, checksum…)."""


class LanguageError(Error, ValueError):
    """A language name nobody registered, or a file whose language cannot be told."""


class EditError(Error, ValueError):
    """An edit outside the document's text, or a delta that is not the document's latest."""


class FileError(Error, OSError):
    """A file that cannot be read, or is not UTF-8 text."""
