"""codetable — a periodic table of code patterns.

Find known patterns (a weak hash, a shell injection, a retry with backoff, a singleton…) in
Python, JavaScript, TypeScript, TSX, Java, Kotlin, Go, Rust, C and C++ code, with what is known
about each one: severity, CWE, performance and reliability notes, common issues, alternatives.

    >>> import codetable
    >>> engine = codetable.Engine()
    >>> [f.pattern.id for f in engine.scan_source("import hashlib\\nhashlib.md5(b'x')\\n", "python")]
    ['security.weak-hash.md5']

The work is done by a Rust engine (tree-sitter parsing, incremental fingerprints, a compiled,
checked pattern database) with the GIL released. Positions are Python's: string indices
count code points; lines and columns are zero-based (``to_dict()``/``to_json()`` give core's
one-based finding record, the JSON of the ``codetable`` command).
"""

from __future__ import annotations

from ._errors import (
    BudgetError,
    ConfigError,
    DatabaseError,
    EditError,
    Error,
    FileError,
    LanguageError,
)
from ._native import (
    Capture,
    Changes,
    Database,
    Delta,
    Document,
    Engine,
    Example,
    Finding,
    Fix,
    Instance,
    Participant,
    Pattern,
    Project,
    Property,
    Relation,
    Scan,
    Unit,
    __version__,
    languages,
)

__all__ = [
    "Capture",
    "Changes",
    "Database",
    "BudgetError",
    "ConfigError",
    "DatabaseError",
    "Delta",
    "Document",
    "EditError",
    "Engine",
    "Error",
    "Example",
    "FileError",
    "Finding",
    "Fix",
    "Instance",
    "LanguageError",
    "Participant",
    "Pattern",
    "Project",
    "Property",
    "Relation",
    "Scan",
    "Unit",
    "__version__",
    "languages",
]
