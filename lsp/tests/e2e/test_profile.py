"""End-to-end tests of what the server reports: what `codetable scan` reports for the same file
(levels, the project's codetable.toml, code context from the document's path, suppression
comments), configuration changes on disk and in the settings, pull diagnostics for the whole
workspace with result ids, and a taint finding's source and steps as related information.

Folders have non-ASCII names and lines non-ASCII text before findings, so URIs are
percent-encoded and UTF-16 columns differ from bytes.
"""

from __future__ import annotations

import asyncio
import json
import pathlib
import subprocess

from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import BINARY, INFO, init_params, published, published_again, publishes

MD5 = "security.weak-hash.md5"
SHA256 = "security.strong-hash.sha256"
# "é😀" before the call: the call starts at UTF-16 column 12 (byte 15).
HASHES = "import hashlib\nh = ('é😀', hashlib.md5(b'x'))\ns = hashlib.sha256(b'y')\n"
TAINT = (
    "import os\n"
    "from django.http import HttpResponse\n"
    "def report(request):\n"
    "    name = request.GET.get('file')  # ø😀\n"
    "    path = os.path.join('/srv/réports', name)\n"
    "    with open(path) as f:\n"
    "        return f.read()\n"
)


def workspace(root: pathlib.Path, *, pull: bool = False, options: dict | None = None):
    params = init_params(pull=pull, options=options)
    params.workspace_folders = [types.WorkspaceFolder(uri=root.as_uri(), name=root.name)]
    if pull:
        params.capabilities.workspace = types.WorkspaceClientCapabilities(
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
        )
    return params


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    item = types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))


def insert(client: LanguageClient, uri: str, version: int, line: int, text: str) -> None:
    at = types.Position(line, 0)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=at, end=at), text=text
                )
            ],
        )
    )


def codes(diagnostics) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def scan(path: pathlib.Path) -> list[dict]:
    """What `codetable scan --format json` reports for `path`."""
    out = subprocess.run(
        [BINARY, "scan", "--no-cache", "--format", "json", str(path)],
        capture_output=True,
        text=True,
    )
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


async def test_documents_get_what_the_scan_reports(client: LanguageClient, tmp_path):
    root = tmp_path / "projet-ñ"
    (root / "src").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "codetable.toml").write_text('[per-path-ignores]\n"src/legacy/**" = ["Md"]\n')
    # The settings do not select the info level: the strong hash is not reported.
    await client.initialize_session(workspace(root, options={"workspaceScan": False}))
    app = (root / "src" / "app.py").as_uri()
    assert "%C3%B1" in app
    open_document(client, app, HASHES)
    (md5,) = await published(client, app, 1)
    assert md5.code == MD5 and md5.severity == types.DiagnosticSeverity.Error
    assert (md5.range.start.line, md5.range.start.character) == (1, 12)
    # The command agrees: same finding, same severity, for the file on disk.
    (root / "src" / "app.py").write_text(HASHES)
    (root / "tests" / "test_app.py").write_text(HASHES)
    by_path = {pathlib.Path(r["path"]).name: r for r in scan(root)}
    assert by_path["app.py"]["severity"] == "high"
    assert by_path["test_app.py"]["severity"] == "medium"

    # A test file: lowered to medium, a warning, as the command reports it.
    test = (root / "tests" / "test_app.py").as_uri()
    open_document(client, test, HASHES)
    (lowered,) = await published(client, test, 1)
    assert lowered.code == MD5 and lowered.severity == types.DiagnosticSeverity.Warning
    # The project's per-path ignores.
    legacy = (root / "src" / "legacy" / "old.py").as_uri()
    open_document(client, legacy, HASHES)
    assert await published(client, legacy, 1) == []

    # A suppression comment typed above the line hides the finding.
    insert(client, app, 2, 1, "# codetable: ignore[Md] -- checksum, naïve\n")
    assert await published(client, app, 2) == []

    # The configuration file changes on disk: select the info level, ignore MD5.
    seen = len(publishes(client, app))
    (root / "codetable.toml").write_text('extend-select = ["info"]\nignore = ["Md"]\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(root / "codetable.toml").as_uri(), type=types.FileChangeType.Changed
                )
            ]
        )
    )
    assert codes(await published_again(client, app, seen)) == [SHA256]
    # The settings change: they ignore the info level again (a tie with the file's selector
    # goes to ignore, as on the command line).
    seen = len(publishes(client, app))
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"codetable": {"ignore": ["info"], "workspaceScan": False}}
        )
    )
    assert await published_again(client, app, seen) == []


async def test_workspace_pull_with_result_ids_and_taint_steps(client: LanguageClient, tmp_path):
    root = tmp_path / "vues-ø"
    root.mkdir()
    (root / "views.py").write_text(TAINT)
    (root / "weak.py").write_text("import hashlib\nhashlib.md5(b'')\n")
    await client.initialize_session(
        workspace(root, pull=True, options={**INFO, "resultCache": False})
    )
    open_uri = (root / "open.py").as_uri()
    open_document(client, open_uri, HASHES, version=5)

    async def pull(previous: list[types.PreviousResultId]):
        return await client.workspace_diagnostic_async(
            types.WorkspaceDiagnosticParams(previous_result_ids=previous)
        )

    # The scan runs in the background: pull until it has reported both files.
    views_uri = (root / "views.py").as_uri()
    weak_uri = (root / "weak.py").as_uri()

    async def complete():
        report = await pull([])
        uris = {i.uri for i in report.items}
        return report if {views_uri, weak_uri, open_uri} <= uris else None

    report = None
    for _ in range(200):
        report = await complete()
        if report:
            break
        await asyncio.sleep(0.05)
    assert report, "the workspace pull never reported the scanned files"
    items = {i.uri: i for i in report.items}
    assert items[open_uri].kind == "full" and items[open_uri].version == 5
    assert codes(items[open_uri].items) == sorted([MD5, SHA256])
    assert codes(items[weak_uri].items) == [MD5]
    # The taint finding: the sink (open) with its source and steps, in UTF-16 positions.
    (sink,) = [d for d in items[views_uri].items if d.related_information]
    assert sink.range.start.line == 5
    related = sink.related_information
    assert related[0].message.startswith("taint source")
    assert related[0].location.uri == views_uri
    source_line = TAINT.splitlines()[3]
    assert related[0].location.range.start.line == 3
    assert related[0].location.range.start.character == source_line.index("request.GET")
    assert all(r.message.startswith("taint step") for r in related[1:]) and len(related) >= 2
    # The document pull agrees with the workspace's result id.
    doc = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=open_uri),
            previous_result_id=items[open_uri].result_id,
        )
    )
    assert doc.kind == "unchanged"

    # Pulled again with every id: all unchanged.
    previous = [types.PreviousResultId(uri=u, value=i.result_id) for u, i in items.items()]
    again = await pull(previous)
    assert {i.kind for i in again.items} == {"unchanged"}
    assert len(again.items) == len(items)
    # Once the client pulls the workspace, what the scan pushed before is cleared.
    pushed = publishes(client, weak_uri)
    assert not pushed or list(pushed[-1].diagnostics) == []

    # weak.py fixed on disk: the scan re-reads it; the next pull has it full and empty.
    (root / "weak.py").write_text("x = 1\n")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=weak_uri, type=types.FileChangeType.Changed)]
        )
    )

    async def fixed():
        after = await pull(previous)
        weak = next(i for i in after.items if i.uri == weak_uri)
        return after if weak.kind == "full" else None

    after = None
    for _ in range(200):
        after = await fixed()
        if after:
            break
        await asyncio.sleep(0.05)
    assert after
    for i in after.items:
        if i.uri == weak_uri:
            assert list(i.items) == []
        else:
            assert i.kind == "unchanged", i
