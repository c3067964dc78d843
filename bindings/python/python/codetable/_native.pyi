"""Type stubs of the Rust extension ``codetable._native`` (re-exported by ``codetable``)."""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator, Optional, Sequence, Tuple, Union, final

__version__: str

_StrPath = Union[str, "os.PathLike[str]"]
_Position = Tuple[int, int]

def languages() -> list[str]:
    """The canonical names of the supported languages."""

def _panic_for_test() -> None:
    """Panics inside the entry-point guard (for the test suite)."""

@final
class Property:
    """One thing known about a pattern, with the links backing it."""

    @property
    def kind(self) -> str:
        """security, performance, reliability or maintainability."""
    @property
    def text(self) -> str:
        """The property, in plain English."""
    @property
    def evidence(self) -> tuple[str, ...]:
        """Links (https) backing it."""

@final
class Relation:
    """A typed edge to another pattern."""

    @property
    def kind(self) -> str:
        """requires, conflicts, enhances or related."""
    @property
    def target(self) -> str:
        """The other pattern's id."""

@final
class Example:
    """One of a pattern's own tests."""

    @property
    def language(self) -> str:
        """The language of the code."""
    @property
    def expect(self) -> str:
        """``"match"`` or ``"no-match"``."""
    @property
    def expect_match(self) -> bool:
        """True when the pattern must find this code."""
    @property
    def code(self) -> str:
        """The code."""

@final
class Pattern:
    """One entry of the periodic table, with everything known about it. Immutable; equal by id."""

    @property
    def id(self) -> str:
        """Stable dotted id (``"security.weak-hash.md5"``)."""
    @property
    def symbol(self) -> str:
        """The periodic-table symbol (``"Md"``)."""
    @property
    def name(self) -> str:
        """Human name."""
    @property
    def group(self) -> str:
        """security, reliability, performance, concurrency, maintainability, design or idiom."""
    @property
    def severity(self) -> str:
        """info, low, medium, high or critical."""
    @property
    def languages(self) -> tuple[str, ...]:
        """Languages the pattern is written for."""
    @property
    def summary(self) -> str:
        """One-paragraph summary."""
    @property
    def key_property(self) -> Optional[str]:
        """The text of the property a one-line report shows."""
    @property
    def properties(self) -> tuple[Property, ...]:
        """What is known about the pattern."""
    @property
    def cwe(self) -> tuple[int, ...]:
        """CWE numbers."""
    @property
    def owasp(self) -> tuple[str, ...]:
        """OWASP Top 10 categories."""
    @property
    def common_issues(self) -> tuple[str, ...]:
        """Common issues seen with the pattern."""
    @property
    def alternatives(self) -> tuple[str, ...]:
        """Ids of better or safer alternatives."""
    @property
    def relations(self) -> tuple[Relation, ...]:
        """Typed relations to other patterns."""
    @property
    def references(self) -> tuple[str, ...]:
        """Reference links."""
    @property
    def matcher(self) -> str:
        """``"rule"`` or ``"shape"``."""
    @property
    def templates(self) -> tuple[tuple[str, str], ...]:
        """``(language, template)`` for rules; ``(language, reference code)`` for shapes."""
    @property
    def threshold(self) -> Optional[float]:
        """A shape's similarity threshold; ``None`` for a rule."""
    @property
    def require(self) -> tuple[tuple[str, str], ...]:
        """A shape's guards, ``(language, template)``: one must match inside the unit."""
    @property
    def exclude(self) -> tuple[tuple[str, str], ...]:
        """A shape's exclusions, ``(language, template)``: none may match inside the unit."""
    @property
    def examples(self) -> tuple[Example, ...]:
        """The pattern's own tests."""
    @property
    def message(self) -> str:
        """The one-line message of a finding: the key property's text."""
    @property
    def number(self) -> int:
        """The pattern's number in its database."""
    def to_dict(self) -> dict[str, Any]:
        """Core's pattern sheet (``core/schema/pattern-sheet.schema.json``) as plain data."""
    def to_json(self) -> str:
        """Core's pattern sheet as compact JSON text."""
    def to_markdown(self) -> str:
        """The property sheet as Markdown (CommonMark), rendered by core: the text every host shows."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class PatternIterator(Iterator[Pattern]):
    """Iterator over a database's patterns."""

    def __iter__(self) -> PatternIterator: ...
    def __next__(self) -> Pattern: ...

@final
class Database:
    """A compiled, immutable pattern database."""

    @staticmethod
    def default() -> Database:
        """The catalog built into the module."""
    @staticmethod
    def open(path: _StrPath, *, verify: bool = False) -> Database:
        """Opens a ``.ctdb`` file: read into memory and checked (``verify`` is kept for
        compatibility: opening always checks). Raises FileError (also for FIFOs, devices and
        folders) or DatabaseError."""
    @staticmethod
    def from_bytes(data: Union[bytes, bytearray, memoryview], *, verify: bool = True) -> Database:
        """Reads a database from bytes (copied). Raises DatabaseError."""
    @staticmethod
    def compile(sources: Union[_StrPath, dict[str, str]]) -> Database:
        """Compiles a catalog (a directory of pattern TOML files, or name → TOML text)."""
    @staticmethod
    def with_rules(paths: Sequence[_StrPath], base: Optional[Database] = None) -> Database:
        """Your rules files or folders (``.toml``) compiled, cached and stacked over ``base``
        (default: the built-in catalog). Raises DatabaseError naming the file and field."""
    @property
    def layers(self) -> int:
        """The number of stacked databases (2 after ``with_rules``)."""
    def to_bytes(self) -> bytes:
        """The database file's bytes."""
    def verify(self) -> None:
        """Checks every checksum; raises DatabaseError on the first problem."""
    def pattern(self, key: Union[str, int]) -> Pattern:
        """The pattern with this id or number; raises KeyError when there is none."""
    def by_symbol(self, symbol: str) -> Optional[Pattern]:
        """The pattern with this symbol, or None."""
    def find(self, query: str) -> Optional[Pattern]:
        """The pattern named by an id, a symbol or an exact name, or None."""
    def search(self, query: str) -> list[Pattern]:
        """Patterns matching ``query`` best first: words, prefixes, substrings and near misses
        of the id, symbol, name or summary (any case), a CWE (``"CWE-89"``, ``"89"``) or an
        OWASP category (``"A03"``)."""
    def info(self) -> dict[str, int]:
        """``{"patterns": n, "entries": n, "size": bytes}``."""
    def __len__(self) -> int: ...
    def __iter__(self) -> PatternIterator: ...
    def __getitem__(self, key: Union[str, int], /) -> Pattern: ...
    def __contains__(self, key: object, /) -> bool: ...

@final
class Capture:
    """A metavariable bound to code."""

    @property
    def name(self) -> str:
        """The metavariable (``"$X"``)."""
    @property
    def text(self) -> str:
        """The bound code."""
    @property
    def start_index(self) -> int:
        """Index of its first character in the scanned string."""
    @property
    def end_index(self) -> int:
        """Index just past its last character."""

@final
class Fix:
    """The edit a finding's rule proposes: ``text[:start_index] + replacement + text[end_index:]``."""

    @property
    def replacement(self) -> str:
        """The new code."""
    @property
    def start_index(self) -> int:
        """Index of the first replaced character in the scanned string."""
    @property
    def end_index(self) -> int:
        """Index just past the last replaced character."""
    @property
    def byte_start(self) -> int:
        """Byte offset of the start in the UTF-8 text."""
    @property
    def byte_end(self) -> int:
        """Byte offset of the end in the UTF-8 text."""

@final
class Finding:
    """One pattern found in code. Positions: zero-based (line, column) in code points; indices
    into the scanned ``str``."""

    @property
    def pattern(self) -> Pattern:
        """The pattern found."""
    @property
    def path(self) -> Optional[str]:
        """The file; None for source text and documents."""
    @property
    def language(self) -> str:
        """Canonical language name."""
    @property
    def id(self) -> int:
        """Identity, stable while the finding's unit is not edited."""
    @property
    def unit(self) -> int:
        """Id of the unit the finding is in."""
    @property
    def unit_name(self) -> str:
        """Qualified name of that unit."""
    @property
    def fingerprint(self) -> str:
        """Identity across edits (16 hex digits): the pattern, the unit's name, the matched
        code without whitespace and its occurrence in the unit; no line number, so edits above
        the finding keep it. What ``codetable scan --baseline`` matches on."""
    @property
    def start(self) -> _Position:
        """Zero-based (line, column) of the start."""
    @property
    def end(self) -> _Position:
        """Zero-based (line, column) of the end (exclusive)."""
    @property
    def start_index(self) -> int:
        """Index of the first matched character."""
    @property
    def end_index(self) -> int:
        """Index just past the last matched character."""
    @property
    def byte_start(self) -> int:
        """Byte offset of the start in the UTF-8 text."""
    @property
    def byte_end(self) -> int:
        """Byte offset of the end in the UTF-8 text."""
    @property
    def snippet(self) -> str:
        """The matched code."""
    @property
    def fix(self) -> Fix | None:
        """The edit the rule proposes, or ``None``."""
    @property
    def score(self) -> float:
        """1.0 for a rule match; the similarity for a shape match."""
    @property
    def severity(self) -> str:
        """The finding's severity: the pattern's, or one level lower outside production code
        when the engine has a selection (``Engine.select``)."""
    @property
    def context(self) -> str:
        """Where the code lives: production, test, bench, example, fuzz, generated or vendored."""
    @property
    def message(self) -> str:
        """The pattern's key property."""
    @property
    def captures(self) -> tuple[Capture, ...]:
        """Metavariable bindings of a rule match."""
    @property
    def role(self) -> Optional[str]:
        """For a participant of a design-pattern instance (``Project.findings()``): its role."""
    @property
    def instance(self) -> Optional[str]:
        """For a participant of a design-pattern instance: the instance's id."""
    @property
    def participants(self) -> list[Participant]:
        """For a participant of a design-pattern instance: every participant, role by role."""
    def to_dict(self) -> dict[str, Any]:
        """Core's finding record (``core/schema/finding.schema.json``) as plain data."""
    def to_json(self) -> str:
        """Core's finding JSON: the line ``codetable scan --format json`` prints."""

@final
class Changes:
    """What an analysis changed in a document's findings, by identity."""

    @property
    def added(self) -> tuple[Finding, ...]:
        """Findings that appeared."""
    @property
    def updated(self) -> tuple[Finding, ...]:
        """Findings recomputed with the same identity."""
    @property
    def removed(self) -> tuple[Finding, ...]:
        """Findings that disappeared (ranges mapped into the current text)."""
    def is_empty(self) -> bool:
        """True when nothing was added, updated or removed."""

@final
class Unit:
    """One code unit (module, class, function, method…)."""

    @property
    def id(self) -> int:
        """Identity, stable across edits that keep the unit."""
    @property
    def kind(self) -> str:
        """module, function, method, constructor, lambda, class, interface, struct, enum, impl, namespace or macro."""
    @property
    def name(self) -> str:
        """Own name (``""`` for the module)."""
    @property
    def qualified_name(self) -> str:
        """Dotted name with the enclosing units."""
    @property
    def start(self) -> _Position:
        """Zero-based (line, column) of the start."""
    @property
    def end(self) -> _Position:
        """Zero-based (line, column) of the end."""
    @property
    def start_index(self) -> int:
        """Index of the first character."""
    @property
    def end_index(self) -> int:
        """Index just past the last character."""
    @property
    def parent(self) -> Optional[int]:
        """Id of the enclosing unit; None for the module."""
    @property
    def depth(self) -> int:
        """Nesting depth (0 for the module)."""
    @property
    def fingerprint(self) -> int:
        """Structural hash (renamed clones share it)."""
    @property
    def feature_count(self) -> int:
        """Number of fingerprint features."""

@final
class Delta:
    """What one ``Document.edit`` changed, by unit id."""

    @property
    def added(self) -> tuple[int, ...]: ...
    @property
    def removed(self) -> tuple[int, ...]: ...
    @property
    def changed(self) -> tuple[int, ...]: ...
    @property
    def edited(self) -> tuple[int, ...]: ...
    def is_empty(self) -> bool:
        """True when no unit was added, removed or changed."""

@final
class Document:
    """A source text and its units, updated incrementally by ``edit``."""

    def __new__(cls, language: str, text: str) -> Document: ...
    @property
    def language(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def version(self) -> int:
        """Number of edits applied."""
    @property
    def has_syntax_errors(self) -> bool: ...
    @property
    def has_pending_edits(self) -> bool:
        """True when edits wait for ``Engine.analyze_delta``."""
    @property
    def context(self) -> Optional[str]:
        """The code context set for the whole document (a project's per-path setting), or None:
        decided from the code."""
    @context.setter
    def context(self, value: Optional[str]) -> None: ...
    @property
    def units(self) -> tuple[Unit, ...]: ...
    def unit_at_line(self, line: int) -> Unit:
        """The innermost unit containing zero-based ``line``."""
    def set_budget(
        self, seconds: Optional[float], max_nodes: Optional[int], max_memory: Optional[int] = ...
    ) -> None:
        """Time and syntax nodes each later edit or analysis may cost (None: no limit), and
        ``max_memory``: bytes of syntax tree the text may need after an edit, estimated from
        its tokens before parsing (None: no limit; kept when not given; default 64 MiB).

        A step past it raises BudgetError and changes nothing."""
    @property
    def budget(self) -> tuple[Optional[float], Optional[int]]:
        """``(seconds, max_nodes)``; None where there is no limit."""
    @property
    def memory_budget(self) -> Optional[int]:
        """The memory limit in bytes; None for no limit."""
    def edit(self, start: int, end: int, new_text: str) -> Delta:
        """Replaces ``text[start:end]`` with ``new_text``; waits for analyze_delta. Raises EditError."""
    def findings(self) -> Optional[list[Finding]]:
        """Findings of the last analysis with the analysed changes applied; None before one."""
    def __len__(self) -> int: ...

@final
class Scan(Iterator[Finding]):
    """Findings of a running ``Engine.scan_paths``, yielded as files finish."""

    def __iter__(self) -> Scan: ...
    def __next__(self) -> Finding: ...
    @property
    def skipped(self) -> list[tuple[str, str, str]]:
        """``(path, reason, detail)`` of files that could not be scanned."""
    @property
    def errors(self) -> list[tuple[str, str]]:
        """``(path, "reason: detail")`` of files that could not be scanned."""
    @property
    def files(self) -> int:
        """Files scanned so far."""
    @property
    def done(self) -> bool:
        """True once every finding has been yielded."""
    def close(self) -> None:
        """Stops the walk."""

@final
class Engine:
    """Finds the patterns of a Database in code; thread-safe."""

    def __new__(cls, database: Optional[Database] = None) -> Engine: ...
    @staticmethod
    def for_project(
        path: _StrPath,
        database: Optional[Database] = None,
        select: Optional[Sequence[str]] = None,
        extend_select: Optional[Sequence[str]] = None,
        ignore: Optional[Sequence[str]] = None,
    ) -> Engine:
        """An engine set up as ``codetable scan`` sets itself up for the project around ``path``:
        the nearest ``codetable.toml`` / ``[tool.codetable]`` gives selection, severities, rules,
        sanitisers, and for this engine's scans excludes, languages, contexts, per-path ignores
        and include-vendored. Raises ConfigError, DatabaseError."""
    @property
    def config_file(self) -> Optional[str]:
        """The configuration file ``for_project`` applied (None: none found, or a plain engine)."""
    @property
    def database(self) -> Database: ...
    def scan_source(self, text: str, language: str, *, path: Optional[str] = None) -> list[Finding]:
        """Findings in source text. Raises LanguageError."""
    def scan_file(
        self, path: _StrPath, *, language: Optional[str] = None, max_file_size: int = 10 << 20
    ) -> list[Finding]:
        """Findings in one file (core's intake). Raises FileError, LanguageError."""
    def scan_paths(
        self,
        paths: Union[_StrPath, Iterable[_StrPath]],
        *,
        threads: Optional[int] = None,
        max_file_size: int = 10 << 20,
        include_vendored: bool = False,
    ) -> Scan:
        """Walks and scans in Rust threads, GIL released; yields findings as they come. Vendored
        and generated code below a walked folder is left out unless ``include_vendored``."""
    def select(
        self, select: Optional[Sequence[str]] = None, ignore: Optional[Sequence[str]] = None
    ) -> None:
        """Reports only what ``select`` names (default: the ``default`` level) minus ``ignore``,
        with context rules, ``codetable: ignore`` comments and duplicate grouping. Raises
        ``ValueError`` for a selector that names nothing."""
    def similar(self, text: str, language: str, line: int) -> list[Finding]:
        """Shape matches for the unit at zero-based ``line``, best first."""
    def analyze(self, doc: Document) -> list[Finding]:
        """Every finding in a document, from scratch."""
    def analyze_delta(self, doc: Document) -> Changes:
        """What changed in a document's findings since its last analysis."""

@final
class Participant:
    """One participant of a design-pattern instance: role, type and where it is declared."""

    @property
    def role(self) -> str:
        """The role ("subject", "observer"…)."""
    @property
    def name(self) -> str:
        """The type's name."""
    @property
    def path(self) -> Optional[str]:
        """The document it is declared in."""
    @property
    def start(self) -> _Position:
        """Zero-based (line, column) of the declaration's start."""
    @property
    def end(self) -> _Position:
        """Zero-based (line, column) of its end (exclusive)."""
    @property
    def start_index(self) -> int:
        """Index of the declaration's first character in its document's text."""
    @property
    def end_index(self) -> int:
        """Index just past its last character."""
    @property
    def finding(self) -> int:
        """The id of the participant's own finding (as ``Finding.id``)."""

@final
class Instance:
    """One design-pattern instance: its pattern and every participant, role by role."""

    @property
    def id(self) -> str:
        """The instance id, the ``instance`` of its participants' findings."""
    @property
    def pattern(self) -> Pattern:
        """The pattern."""
    @property
    def summary(self) -> str:
        """The pattern's summary."""
    @property
    def participants(self) -> list[Participant]:
        """The participants, role by role in the pattern's order."""
    def participant_at(self, path: str, line: int) -> Optional[Participant]:
        """The participant whose declaration covers zero-based ``line`` of ``path``."""
    def to_dict(self) -> dict[str, Any]:
        """Core's instance view (``core/schema/instance.schema.json``) as plain data."""

@final
class Project:
    """Several documents by path and the design-pattern instances found across them."""

    def __new__(cls, engine: Optional[Engine] = None) -> Project: ...
    @property
    def engine(self) -> Engine:
        """The engine whose role patterns the project reports."""
    @property
    def paths(self) -> list[str]:
        """The paths of the documents held, sorted."""
    def set_document(self, path: str, text: str, *, language: Optional[str] = None) -> None:
        """Adds or replaces a document; the language is detected from the path unless given.
        Raises LanguageError."""
    def remove_document(self, path: str) -> bool:
        """Removes a document; False when there was none."""
    def text(self, path: str) -> Optional[str]:
        """A document's text, or None."""
    def findings(self) -> list[Finding]:
        """One finding per participant of every instance."""
    def instances(self) -> list[Instance]:
        """The design-pattern instances found."""
    def __len__(self) -> int: ...

def cli_main(argv: list[str]) -> int:
    """Runs the ``codetable`` command line (program name first); returns its exit code."""
