"""Fixtures of the end-to-end suite: the real `codetable lsp` binary, started by pytest-lsp's
client over stdio, and helpers that wait for what the server sends.

The binary is $CODETABLE_BIN (the Makefile passes the debug build), else target/debug/codetable.
"""

from __future__ import annotations

import asyncio
import tempfile
import os
import pathlib
import time
from typing import Any, Callable

import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

ROOT = pathlib.Path(__file__).resolve().parents[3]
BINARY = os.environ.get("CODETABLE_BIN", str(ROOT / "target" / "debug" / "codetable"))
PANIC_ENV = "CODETABLE_LSP_TEST_PANIC"
TIMEOUT = 10.0


def make_client() -> LanguageClient:
    """pytest-lsp's test client, which also keeps every publishDiagnostics in order (pytest-lsp
    keeps only the last per document, without its version)."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]

    def publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)  # type: ignore[attr-defined]

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    register_lsp_features(client, features)
    return client


# The servers' result cache (and explanations) go to a folder of the test run's, not ~/.cache.
RUN_CACHE = tempfile.mkdtemp(prefix="codetable-lsp-e2e-cache-")


def config(**env: str) -> ClientServerConfig:
    server_env = {k: v for k, v in os.environ.items() if k != PANIC_ENV}
    server_env["XDG_CACHE_HOME"] = RUN_CACHE
    server_env.update(env)
    return ClientServerConfig(
        server_command=[BINARY, "lsp", "--stdio"],
        client_factory=make_client,
        server_env=server_env,
    )


async def _stop(client: LanguageClient) -> None:
    server = client._server
    if server is not None and server.returncode is None:
        await client.shutdown_session()


@pytest_lsp.fixture(config=config())
async def client(lsp_client: LanguageClient):
    """A started server, not yet initialized (each test chooses its capabilities)."""
    yield
    await _stop(lsp_client)


@pytest_lsp.fixture(config=config(**{PANIC_ENV: types.TEXT_DOCUMENT_HOVER}))
async def panicky_client(lsp_client: LanguageClient):
    """A server whose hover handler panics on every request."""
    yield
    await _stop(lsp_client)


@pytest_lsp.fixture(config=config(**{PANIC_ENV: types.TEXT_DOCUMENT_DID_CHANGE}))
async def panicky_change_client(lsp_client: LanguageClient):
    """A server whose didChange handler panics on every notification."""
    yield
    await _stop(lsp_client)


# The suites read the `info` patterns too (SHA-256 is one: a strong hash, off by default as
# `codetable scan` has it): every client's settings extend the selection with the level.
INFO = {"extendSelect": ["info"]}


def init_params(
    *, utf8: bool = False, pull: bool = False, options: dict | None = INFO
) -> types.InitializeParams:
    """Initialize parameters of a client offering UTF-8 positions or not, pulling diagnostics
    or taking them pushed, with `options` as initializationOptions."""
    encodings = [types.PositionEncodingKind.Utf16]
    if utf8:
        encodings.insert(0, types.PositionEncodingKind.Utf8)
    text_document = types.TextDocumentClientCapabilities(
        synchronization=types.TextDocumentSyncClientCapabilities(),
        hover=types.HoverClientCapabilities(
            content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]
        ),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
            version_support=True, code_description_support=True, data_support=True
        ),
        diagnostic=types.DiagnosticClientCapabilities() if pull else None,
    )
    return types.InitializeParams(
        capabilities=types.ClientCapabilities(
            general=types.GeneralClientCapabilities(position_encodings=encodings),
            text_document=text_document,
        ),
        initialization_options=options,
    )


async def eventually(what: str, probe: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
    """Polls `probe` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def published(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    """The diagnostics the server publishes for `version` of `uri` (waits for them)."""

    def find():
        for p in client.published:  # type: ignore[attr-defined]
            if p.uri == uri and p.version == version:
                return [p]
        return None

    found = await eventually(f"diagnostics of {uri} version {version}", find)
    return list(found[0].diagnostics)


async def logged(client: LanguageClient, needle: str) -> types.LogMessageParams:
    """The first window/logMessage containing `needle` (waits for it)."""
    return await eventually(
        f"a log message containing {needle!r}",
        lambda: next((m for m in client.log_messages if needle in m.message), None),
    )


# Explanations are written under $XDG_CACHE_HOME/codetable/sheets: a folder of the test run's.
EXPLAIN_CACHE = tempfile.mkdtemp(prefix="codetable-lsp-e2e-")


@pytest_lsp.fixture(config=config(XDG_CACHE_HOME=EXPLAIN_CACHE))
async def explain_client(lsp_client: LanguageClient):
    """A server whose explanations go to EXPLAIN_CACHE."""
    yield
    await _stop(lsp_client)


def workspace_params(
    root: pathlib.Path | None = None,
    *,
    options: dict | None = None,
    progress: bool = False,
    show_document: bool = False,
) -> types.InitializeParams:
    """Initialize parameters (UTF-16, push) of a client with `root` as its one workspace folder,
    `options` as initializationOptions, and work-done progress and showDocument or not."""
    params = init_params()
    params.capabilities.window = types.WindowClientCapabilities(
        work_done_progress=progress,
        show_document=types.ShowDocumentClientCapabilities(support=show_document),
    )
    params.capabilities.text_document.code_action = types.CodeActionClientCapabilities(
        code_action_literal_support=types.ClientCodeActionLiteralOptions(
            code_action_kind=types.ClientCodeActionKindOptions(
                value_set=[types.CodeActionKind.QuickFix]
            )
        )
    )
    if root is not None:
        params.workspace_folders = [types.WorkspaceFolder(uri=root.as_uri(), name=root.name)]
    params.initialization_options = {**INFO, **(options or {})}
    return params


def publishes(client: LanguageClient, uri: str) -> list[types.PublishDiagnosticsParams]:
    """Every publishDiagnostics received for `uri`, in order."""
    return [p for p in client.published if p.uri == uri]  # type: ignore[attr-defined]


async def published_again(
    client: LanguageClient, uri: str, seen: int
) -> list[types.Diagnostic]:
    """The diagnostics of the first publish for `uri` after the `seen` first ones."""
    found = await eventually(
        f"publish {seen + 1} of {uri}", lambda: publishes(client, uri)[seen:]
    )
    return list(found[0].diagnostics)
