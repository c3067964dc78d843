"""End-to-end tests of `codetable lsp`: the real binary, driven over stdio by pytest-lsp's client.

Positions are checked in both encodings the server speaks, on a line whose text before the
finding is non-ASCII ("é" is 2 UTF-8 bytes and 1 UTF-16 unit, "😀" 4 bytes and 2 units,
"☕" 3 bytes and 1 unit), so a column counted in the wrong unit fails.
"""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pytest_lsp import LanguageClient

from conftest import init_params, logged, published

LINE = "x = 'é😀 ☕'; h = hashlib.sha256(b'ü')"
TEXT = f"import hashlib\n# naïve café\n{LINE}\n"
SHA256 = "security.strong-hash.sha256"
MD5 = "security.weak-hash.md5"
URI = "file:///project/hashes.py"


def column(line: str, index: int, utf8: bool) -> int:
    """The LSP character of `line[index]` in the negotiated encoding."""
    prefix = line[:index]
    return len(prefix.encode("utf-8")) if utf8 else len(prefix.encode("utf-16-le")) // 2


def open_document(
    client: LanguageClient, text: str = TEXT, uri: str = URI, language: str = "python"
) -> None:
    item = types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))


def change(
    client: LanguageClient,
    version: int,
    start: tuple[int, int],
    end: tuple[int, int],
    text: str,
    uri: str = URI,
) -> None:
    """One didChange with one ranged content change."""
    edit = types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=text
    )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[edit],
        )
    )


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


def only(diagnostics: list[types.Diagnostic], code: str) -> types.Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, codes(diagnostics)
    return found[0]


async def hover(client: LanguageClient, line: int, character: int, uri: str = URI):
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
    )


async def pull(client: LanguageClient, uri: str = URI, previous: str | None = None):
    return await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous
        )
    )


# ---- initialize -------------------------------------------------------------------------


async def test_initialize_defaults_to_utf16(client: LanguageClient):
    result = await client.initialize_session(init_params(utf8=False))
    caps = result.capabilities
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert caps.text_document_sync.open_close is True
    assert caps.hover_provider is True
    assert caps.diagnostic_provider.identifier == "codetable"
    assert result.server_info.name == "codetable"


async def test_initialize_chooses_utf8_when_offered(client: LanguageClient):
    result = await client.initialize_session(init_params(utf8=True))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8


# ---- push diagnostics -------------------------------------------------------------------


@pytest.mark.parametrize("utf8", [False, True], ids=["utf-16", "utf-8"])
async def test_diagnostic_range_counts_the_negotiated_encoding(client: LanguageClient, utf8):
    await client.initialize_session(init_params(utf8=utf8))
    open_document(client)
    sha = only(await published(client, URI, 1), SHA256)
    start = LINE.index("hashlib.sha256")
    end = LINE.index(")") + 1
    assert sha.range.start == types.Position(2, column(LINE, start, utf8))
    assert sha.range.end == types.Position(2, column(LINE, end, utf8))
    # Different columns in the two encodings, so the check above can tell them apart.
    assert column(LINE, start, True) != column(LINE, start, False)
    assert sha.severity == types.DiagnosticSeverity.Hint  # an informational pattern
    assert sha.source == "codetable"
    assert sha.message.startswith("Sh SHA-256 hash: "), sha.message
    assert sha.code_description.href.startswith("https://")
    assert sha.data["symbol"] == "Sh" and len(sha.data["id"]) == 16


@pytest.mark.parametrize("utf8", [False, True], ids=["utf-16", "utf-8"])
async def test_typing_md5_over_sha256_keystroke_by_keystroke(client: LanguageClient, utf8):
    await client.initialize_session(init_params(utf8=utf8))
    open_document(client)
    assert SHA256 in codes(await published(client, URI, 1))
    at = column(LINE, LINE.index("sha256"), utf8)
    version = 1
    seen = {}
    # Backspace six times from the end of "sha256", then type "m", "d", "5", waiting for the
    # diagnostics of each keystroke (the debounce runs out between them).
    for k in range(6, 0, -1):
        version += 1
        change(client, version, (2, at + k - 1), (2, at + k), "")
        seen[version] = codes(await published(client, URI, version))
    for i, ch in enumerate("md5"):
        version += 1
        change(client, version, (2, at + i), (2, at + i), ch)
        seen[version] = codes(await published(client, URI, version))
    assert SHA256 not in seen[2], seen  # "sha25" is no longer SHA-256
    assert all(MD5 not in seen[v] for v in range(2, version)), seen
    final = await published(client, URI, version)
    md5 = only(final, MD5)
    assert SHA256 not in codes(final)
    assert md5.severity == types.DiagnosticSeverity.Error
    assert md5.message.startswith("Md MD5 hash: "), md5.message
    start = LINE.index("hashlib.sha256")
    assert md5.range.start == types.Position(2, column(LINE, start, utf8))
    end = LINE.replace("sha256", "md5").index(")") + 1
    assert md5.range.end == types.Position(2, column(LINE.replace("sha256", "md5"), end, utf8))


async def test_a_burst_of_keystrokes_is_analysed_once_it_settles(client: LanguageClient):
    await client.initialize_session(init_params())
    open_document(client)
    await published(client, URI, 1)
    at = column(LINE, LINE.index("sha256"), False)
    change(client, 2, (2, at), (2, at + 6), "")
    for i, ch in enumerate("md5"):
        change(client, 3 + i, (2, at + i), (2, at + i), ch)
    assert MD5 in codes(await published(client, URI, 5))
    # Every published version is one the client sent, in order.
    versions = [p.version for p in client.published if p.uri == URI]
    assert versions == sorted(versions) and set(versions) <= {1, 2, 3, 4, 5}, versions


async def test_closing_a_document_clears_its_diagnostics(client: LanguageClient):
    await client.initialize_session(init_params())
    open_document(client)
    assert await published(client, URI, 1)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    cleared = await published(client, URI, None)
    assert cleared == []


# ---- pull diagnostics -------------------------------------------------------------------


async def test_pull_diagnostics_with_result_ids(client: LanguageClient):
    await client.initialize_session(init_params(utf8=True, pull=True))
    open_document(client)
    first = await pull(client)
    assert first.kind == types.DocumentDiagnosticReportKind.Full
    sha = only(first.items, SHA256)
    assert sha.range.start.character == column(LINE, LINE.index("hashlib"), True)
    again = await pull(client, previous=first.result_id)
    assert again.kind == types.DocumentDiagnosticReportKind.Unchanged
    assert again.result_id == first.result_id
    at = column(LINE, LINE.index("sha256"), True)
    change(client, 2, (2, at), (2, at + 6), "md5")
    after = await pull(client, previous=first.result_id)
    assert after.kind == types.DocumentDiagnosticReportKind.Full
    assert after.result_id != first.result_id
    assert codes(after.items).count(MD5) == 1 and SHA256 not in codes(after.items)
    # A client that pulls is not also pushed to (it would show every finding twice).
    await asyncio.sleep(0.4)
    assert client.published == []


# ---- hover ------------------------------------------------------------------------------


@pytest.mark.parametrize("utf8", [False, True], ids=["utf-16", "utf-8"])
async def test_hover_shows_the_property_sheet(client: LanguageClient, utf8):
    await client.initialize_session(init_params(utf8=utf8))
    text = TEXT.replace("sha256", "md5")
    line = LINE.replace("sha256", "md5")
    open_document(client, text)
    md5 = only(await published(client, URI, 1), MD5)
    result = await hover(client, 2, column(line, line.index("md5"), utf8))
    assert result.contents.kind == types.MarkupKind.Markdown
    sheet = result.contents.value
    assert sheet.startswith("**Md** · **MD5 hash** · `security.weak-hash.md5`"), sheet
    assert "severity **high**" in sheet
    assert "[CWE-327](https://cwe.mitre.org/data/definitions/327.html)" in sheet
    assert "OWASP A02:2021" in sheet
    for section in ["#### Properties", "#### Common issues", "#### Alternatives"]:
        assert section in sheet, sheet
    assert "](https://" in sheet.split("#### Properties")[1]  # evidence links
    assert result.range == md5.range
    # Outside every finding: nothing.
    assert await hover(client, 0, 0) is None
    # Past the end of a line is the end of that line (no finding there).
    assert await hover(client, 1, 500) is None


# ---- bad input --------------------------------------------------------------------------


async def test_unsupported_language_is_logged_not_fatal(client: LanguageClient):
    await client.initialize_session(init_params())
    uri = "file:///project/README.md"
    open_document(client, "# Title\n\nsome *text*\n", uri=uri, language="markdown")
    message = await logged(client, "README.md is not analysed")
    assert "`markdown` is not supported" in message.message
    assert "python" in message.message
    change(client, 2, (0, 0), (0, 0), "x", uri=uri)
    assert await hover(client, 0, 0, uri=uri) is None
    report = await pull(client, uri=uri)
    assert list(report.items) == []
    # The server still analyses the documents it supports.
    open_document(client)
    assert SHA256 in codes(await published(client, URI, 1))


async def test_out_of_range_edit_is_logged_and_the_server_goes_on(client: LanguageClient):
    await client.initialize_session(init_params())
    open_document(client)
    await published(client, URI, 1)
    change(client, 2, (40, 0), (40, 3), "boom")
    message = await logged(client, "past the end of the document")
    assert message.type == types.MessageType.Error
    assert "version 2" in message.message
    # An edit whose end is before its start, and one to a document that is not open.
    change(client, 3, (2, 5), (2, 1), "")
    await logged(client, "ends before it starts")
    change(client, 1, (0, 0), (0, 0), "x", uri="file:///project/never-opened.py")
    await logged(client, "never-opened.py ignored: the document is not open")
    # The text is as it was, and the next requests are answered.
    report = await pull(client)
    assert SHA256 in codes(report.items)
    at = column(LINE, LINE.index("sha256"), False)
    change(client, 4, (2, at), (2, at + 6), "md5")
    assert MD5 in codes(await published(client, URI, 4))


async def test_a_panicking_request_is_answered_with_an_error(panicky_client: LanguageClient):
    client = panicky_client
    await client.initialize_session(init_params())
    open_document(client)
    await published(client, URI, 1)
    with pytest.raises(JsonRpcInternalError) as failed:
        await hover(client, 2, 20)
    assert "textDocument/hover failed with an internal error" in str(failed.value)
    await logged(client, "textDocument/hover failed")
    # The server is alive: other requests and notifications still work, and so does a second
    # request to the failing handler (answered with an error again).
    assert SHA256 in codes((await pull(client)).items)
    at = column(LINE, LINE.index("sha256"), False)
    change(client, 2, (2, at), (2, at + 6), "md5")
    assert MD5 in codes(await published(client, URI, 2))
    with pytest.raises(JsonRpcInternalError):
        await hover(client, 2, 20)


async def test_a_panicking_notification_is_logged(panicky_change_client: LanguageClient):
    client = panicky_change_client
    await client.initialize_session(init_params())
    open_document(client)
    await published(client, URI, 1)
    at = column(LINE, LINE.index("sha256"), False)
    change(client, 2, (2, at), (2, at + 6), "md5")
    message = await logged(client, "textDocument/didChange failed with an internal error")
    assert message.type == types.MessageType.Error
    # The change was not applied, the document is still analysed, requests are answered.
    assert codes((await pull(client)).items) == [SHA256]
    assert (await hover(client, 2, at)).contents.value.startswith("**Sh**")


async def test_cancel_request_is_accepted(client: LanguageClient):
    await client.initialize_session(init_params())
    open_document(client)
    await published(client, URI, 1)
    msg_id = "hover-to-cancel"
    params = types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        position=types.Position(line=2, character=20),
    )
    future = client.protocol.send_request(types.TEXT_DOCUMENT_HOVER, params, msg_id=msg_id)
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
    # Either the hover was already being answered, or it was cancelled while queued.
    try:
        result = await asyncio.wait_for(asyncio.wrap_future(future), 10)
        assert result is not None
    except JsonRpcException as e:
        assert e.code == types.LSPErrorCodes.RequestCancelled, e
    # A cancellation of a request answered long ago is a no-op.
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="long-gone"))
    assert SHA256 in codes((await pull(client)).items)


async def test_unknown_request_is_method_not_found(client: LanguageClient):
    await client.initialize_session(init_params())
    with pytest.raises(JsonRpcException) as failed:
        await client.protocol.send_request_async("codetable/noSuchMethod", {})
    assert failed.value.code == -32601


# ---- shutdown ---------------------------------------------------------------------------


async def test_shutdown_then_exit_ends_with_code_0(client: LanguageClient):
    await client.initialize_session(init_params())
    open_document(client)
    await published(client, URI, 1)
    assert await client.shutdown_async(None) is None
    # After shutdown, requests are refused.
    with pytest.raises(JsonRpcException) as refused:
        await hover(client, 2, 20)
    assert refused.value.code == -32600
    client.exit(None)
    assert await asyncio.wait_for(client._server.wait(), 10) == 0


async def test_exit_without_shutdown_ends_with_code_1(client: LanguageClient):
    await client.initialize_session(init_params())
    client.exit(None)
    assert await asyncio.wait_for(client._server.wait(), 10) == 1
