"""End-to-end tests of the server's second slice: code actions (suppression comment, explanation),
flow steps as related information, settings (initializationOptions and
workspace/didChangeConfiguration), the background workspace scan with $/progress, and
workspace/didChangeWatchedFiles. The real binary over stdio, as in test_server.py.

Folders and files have non-ASCII names and text, so URIs are percent-encoded and columns differ
between encodings.
"""

from __future__ import annotations

import pathlib
import subprocess

from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import (
    BINARY,
    EXPLAIN_CACHE,
    INFO,
    eventually,
    logged,
    published,
    published_again,
    publishes,
    workspace_params,
)

HERE = pathlib.Path(__file__).resolve().parent
MD5 = "security.weak-hash.md5"
SHA256 = "security.strong-hash.sha256"
PY = "import hashlib\n\ndef digest(data):\n    # café ☕\n    return hashlib.md5(data)  # 😀\n"
PY_URI = "file:///project/d%C3%A9j%C3%A0/digest.py"


def open_document(client: LanguageClient, uri: str, text: str, language: str = "python"):
    item = types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))


def codes(diagnostics) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


async def code_actions(client: LanguageClient, uri: str, line: int, character: int):
    at = types.Position(line, character)
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=at, end=at),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )


def configure(client: LanguageClient, settings: dict) -> None:
    """New settings (the info level still selected, as in every client of the suite)."""
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"codetable": {**INFO, **settings}})
    )


# ---- code actions -------------------------------------------------------------------------


async def test_suppression_comment_is_inserted_in_the_language_syntax(client: LanguageClient):
    await client.initialize_session(workspace_params())
    open_document(client, PY_URI, PY)
    assert MD5 in codes(await published(client, PY_URI, 1))
    line = PY.splitlines()[4]
    actions = await code_actions(client, PY_URI, 4, line.index("md5"))
    titles = [a.title for a in actions]
    assert titles == [
        "Fix Md MD5 hash: replace with `hashlib.sha256(data)`",
        "Suppress Md MD5 hash on this line (codetable: ignore)",
        "Show the explanation of Md MD5 hash",
    ], titles
    # The rule's fix first, preferred: core's edit over the call, in UTF-16 columns.
    fix = actions[0]
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    (edit,) = fix.edit.changes[PY_URI]
    start = line.index("hashlib.md5")
    assert edit.range == types.Range(
        start=types.Position(4, start), end=types.Position(4, start + len("hashlib.md5(data)"))
    )
    assert edit.new_text == "hashlib.sha256(data)"
    suppress = actions[1]
    assert suppress.kind == types.CodeActionKind.QuickFix
    assert [str(d.code) for d in suppress.diagnostics] == [MD5]
    (edit,) = suppress.edit.changes[PY_URI]
    assert edit.range.start == edit.range.end == types.Position(4, 0)
    assert edit.new_text == "    # codetable: ignore[Md] -- <reason>\n"
    # The explanation is the server's command, with the pattern's id.
    assert isinstance(actions[2], types.Command)
    assert actions[2].command == "codetable.showExplanation"
    assert list(actions[2].arguments) == [MD5]
    # Nowhere near a finding: no action; a kind the server does not offer: none either.
    assert list(await code_actions(client, PY_URI, 3, 5)) == []
    only_refactor = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=PY_URI),
            range=types.Range(start=types.Position(4, 20), end=types.Position(4, 20)),
            context=types.CodeActionContext(
                diagnostics=[], only=[types.CodeActionKind.Refactor]
            ),
        )
    )
    assert list(only_refactor) == []

    # A JavaScript file gets `//`, with its tab indentation.
    js_uri = "file:///project/hash.js"
    js = "const crypto = require('crypto');\nfunction f(x) {\n\treturn crypto.createHash('md5').update(x);\n}\n"
    open_document(client, js_uri, js, "javascript")
    assert MD5 in codes(await published(client, js_uri, 1))
    actions = await code_actions(client, js_uri, 2, js.splitlines()[2].index("md5"))
    (edit,) = actions[0].edit.changes[js_uri]
    assert edit.new_text == "crypto.createHash('sha256')"
    (edit,) = actions[1].edit.changes[js_uri]
    assert edit.new_text == "\t// codetable: ignore[Md] -- <reason>\n"
    assert edit.range.start == types.Position(2, 0)


async def test_show_explanation_opens_the_pattern_sheet(explain_client: LanguageClient):
    client = explain_client
    await client.initialize_session(workspace_params(show_document=True))
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="codetable.showExplanation", arguments=[MD5])
    )
    sheet = pathlib.Path(EXPLAIN_CACHE) / "codetable" / "sheets" / f"{MD5}.md"
    assert result == sheet.as_uri()
    shown = await eventually("a window/showDocument", lambda: client.shown_documents)
    assert shown[0].uri == sheet.as_uri() and shown[0].take_focus is True
    text = sheet.read_text(encoding="utf-8")
    assert text.startswith("**Md** · **MD5 hash**"), text[:80]
    assert "CWE" in text
    # By symbol too; an unknown pattern is an error answer, and the server goes on.
    assert await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="codetable.showExplanation", arguments=["Md"])
    ) == sheet.as_uri()
    try:
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="codetable.showExplanation", arguments=["no.such.pattern"]
            )
        )
        raise AssertionError("an unknown pattern was explained")
    except Exception as e:  # pygls raises JsonRpcInvalidParams
        assert "no pattern" in str(e), e


async def test_show_explanation_without_show_document_is_a_message(explain_client):
    client = explain_client
    await client.initialize_session(workspace_params(show_document=False))
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="codetable.showExplanation", arguments=[MD5])
    )
    message = await eventually("a window/showMessage", lambda: client.messages)
    assert message[0].message.startswith("Md MD5 hash (security.weak-hash.md5): ")
    assert client.shown_documents == []


# ---- related information, database setting -------------------------------------------------


def flow_database(tmp_path: pathlib.Path) -> pathlib.Path:
    """The one-pattern database of fixtures/flow-db (a rule that follows locals)."""
    out = tmp_path / "flow.ctdb"
    subprocess.run(
        [BINARY, "db", "build", str(HERE / "fixtures" / "flow-db"), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    return out


STEP = 'q = "SELECT " + x'
FLOW = f'def f(cur, x):\n    s = "é😀"; {STEP}\n    cur.execute(q)\n'
FLOW_URI = "file:///project/query.py"


async def test_flow_steps_are_related_information(client: LanguageClient, tmp_path):
    db = flow_database(tmp_path)
    await client.initialize_session(workspace_params(options={"database": str(db)}))
    open_document(client, FLOW_URI, FLOW)
    (finding,) = await published(client, FLOW_URI, 1)
    assert finding.code == "test.flow.query-concat"
    assert finding.range.start == types.Position(2, 4)
    (step,) = finding.related_information
    assert step.location.uri == FLOW_URI
    # `q = "SELECT " + x` on line 1, after "é😀" (2 code points, 3 UTF-16 units).
    line = FLOW.splitlines()[1]
    start = len(line[: line.index(STEP)].encode("utf-16-le")) // 2
    assert start == line.index(STEP) + 1
    assert step.location.range.start == types.Position(1, start)
    assert step.location.range.end == types.Position(1, start + len(STEP))
    assert step.message.startswith("flow step 1 of 1"), step.message


async def test_configuration_change_republishes(client: LanguageClient, tmp_path):
    await client.initialize_session(workspace_params())
    text = "import hashlib\nh = hashlib.md5(b'é')\ns = hashlib.sha256(b'😀')\n"
    uri = "file:///project/both.py"
    open_document(client, uri, text)
    assert codes(await published(client, uri, 1)) == [SHA256, MD5]
    # Only medium and worse: SHA-256 (info) goes.
    configure(client, {"minSeverity": "medium"})
    assert codes(await published_again(client, uri, 1)) == [MD5]
    hovered = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(2, 6),
        )
    )
    assert hovered is None  # a hidden finding has no hover either
    # Only the performance group: nothing.
    configure(client, {"groups": ["performance"]})
    assert codes(await published_again(client, uri, 2)) == []
    # Back to every finding; a bad value is logged and ignored.
    configure(client, {"minSeverity": "severe"})
    assert codes(await published_again(client, uri, 3)) == [SHA256, MD5]
    await logged(client, "`minSeverity`: \"severe\" is not a severity")
    # A database that cannot be opened is logged; the findings stay as they were.
    configure(client, {"database": str(tmp_path / "missing.ctdb")})
    await logged(client, "cannot open the database")
    # Another database: its findings replace the catalog's.
    configure(client, {"database": str(flow_database(tmp_path))})
    assert codes(await published_again(client, uri, 4)) == []


# ---- the workspace ---------------------------------------------------------------------------


def make_workspace(tmp_path: pathlib.Path) -> pathlib.Path:
    root = tmp_path / "données ☕"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "weak.py").write_text(PY, encoding="utf-8")
    (root / "pkg" / "clean.py").write_text("def f(x):\n    return x + 1\n")
    (root / "web.js").write_text("const c = require('crypto');\nc.createHash('md5');\n")
    (root / "ignored").mkdir()
    (root / "ignored" / "weak.py").write_text(PY, encoding="utf-8")
    (root / ".gitignore").write_text("ignored/\n")
    (root / "notes.txt").write_text("hashlib.md5\n")
    return root


async def test_workspace_scan_publishes_files_not_open(client: LanguageClient, tmp_path):
    root = make_workspace(tmp_path)
    await client.initialize_session(workspace_params(root, progress=True))
    done = await logged(client, "workspace scan: ")
    assert "3 files scanned (0 unchanged, from the result cache), 2 findings" in done.message, (
        done.message
    )
    weak = (root / "pkg" / "weak.py").as_uri()
    assert "%C3%A9" in weak  # the folder's name is percent-encoded
    assert codes(client.diagnostics[weak]) == [MD5]
    assert codes(client.diagnostics[(root / "web.js").as_uri()]) == [MD5]
    assert (root / "pkg" / "clean.py").as_uri() not in client.diagnostics
    assert (root / "ignored" / "weak.py").as_uri() not in client.diagnostics
    # $/progress: begin, maybe reports, end, with the token the server created.
    (token,) = client.progress_reports.keys()
    reports = client.progress_reports[token]
    assert reports[0].kind == "begin" and reports[0].title.startswith("codetable")
    assert reports[-1].kind == "end" and "3 files scanned" in reports[-1].message
    assert all(r.kind == "report" for r in reports[1:-1])
    # Opened, the editor's text counts; closed again, the file's text on disk.
    seen = len(publishes(client, weak))
    open_document(client, weak, "import hashlib\nh = hashlib.sha256(b'x')\n")
    assert codes(await published(client, weak, 1)) == [SHA256]
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=weak))
    )
    assert codes(await published_again(client, weak, seen + 2)) == [MD5]


async def test_watched_files_are_analysed_again(client: LanguageClient, tmp_path):
    root = make_workspace(tmp_path)
    await client.initialize_session(workspace_params(root))
    await logged(client, "workspace scan: ")
    weak = root / "pkg" / "weak.py"
    new = root / "pkg" / "nouveau é.py"
    seen = len(publishes(client, weak.as_uri()))
    weak.write_text("def digest(data):\n    return data\n")
    new.write_text(PY, encoding="utf-8")

    def changed(path: pathlib.Path, kind: types.FileChangeType) -> None:
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=path.as_uri(), type=kind)]
            )
        )

    changed(weak, types.FileChangeType.Changed)
    assert list(await published_again(client, weak.as_uri(), seen)) == []
    changed(new, types.FileChangeType.Created)
    assert codes(await published_again(client, new.as_uri(), 0)) == [MD5]
    new.unlink()
    changed(new, types.FileChangeType.Deleted)
    assert list(await published_again(client, new.as_uri(), 1)) == []
    # Outside the workspace, or not a source file: nothing.
    changed(tmp_path / "elsewhere.py", types.FileChangeType.Created)
    changed(root / "notes.txt", types.FileChangeType.Changed)
    configure(client, {"workspaceScan": True})  # unchanged settings: no new scan
    assert await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=weak.as_uri()),
            position=types.Position(0, 0),
        )
    ) is None
    assert (tmp_path / "elsewhere.py").as_uri() not in client.diagnostics
    assert (root / "notes.txt").as_uri() not in client.diagnostics
    assert sum("workspace scan: " in m.message for m in client.log_messages) == 1


async def test_workspace_scan_follows_the_setting(client: LanguageClient, tmp_path):
    root = make_workspace(tmp_path)
    await client.initialize_session(
        workspace_params(root, options={"codetable": {"workspaceScan": False}})
    )
    weak = (root / "pkg" / "weak.py").as_uri()
    configure(client, {"workspaceScan": True})
    assert codes(await published_again(client, weak, 0)) == [MD5]
    # The filter applies to the workspace too, and turning the scan off clears what it showed.
    configure(client, {"minSeverity": "critical"})
    assert list(await published_again(client, weak, 1)) == []
    configure(client, {})
    assert codes(await published_again(client, weak, 2)) == [MD5]
    configure(client, {"workspaceScan": False})
    assert list(await published_again(client, weak, 3)) == []
    assert not any("workspace scan: " in m.message and "0 files" in m.message
                   for m in client.log_messages)


async def test_a_rescan_reads_unchanged_files_from_the_result_cache(client, tmp_path):
    root = make_workspace(tmp_path)
    await client.initialize_session(workspace_params(root))
    weak = (root / "pkg" / "weak.py").as_uri()
    web = (root / "web.js").as_uri()

    def scans():
        return [m.message for m in client.log_messages if "workspace scan: " in m.message]

    await eventually("the first scan", lambda: len(scans()) == 1)
    first = {u: client.diagnostics[u] for u in (weak, web)}
    assert "(0 unchanged, from the result cache)" in scans()[0], scans()
    # Another filter is another result; the same filter again is read from the cache.
    configure(client, {"minSeverity": "low"})
    await eventually("the second scan", lambda: len(scans()) == 2)
    assert "(0 unchanged, from the result cache)" in scans()[1], scans()
    configure(client, {})
    await eventually("the third scan", lambda: len(scans()) == 3)
    assert "3 files scanned (3 unchanged, from the result cache), 2 findings" in scans()[2], scans()
    assert {u: client.diagnostics[u] for u in (weak, web)} == first
    # A file changed on disk is analysed again, not read from the cache.
    (root / "pkg" / "weak.py").write_text("def digest(data):\n    return data\n")
    configure(client, {"resultCache": True, "debounceMs": 80})  # a change, same filter
    await eventually("the fourth scan", lambda: len(scans()) == 4)
    assert "3 files scanned (2 unchanged, from the result cache), 1 finding" in scans()[3], scans()
    assert list(client.diagnostics[weak]) == []
