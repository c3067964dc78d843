//! The message loop: documents opened, changed and closed; diagnostics analysed and published
//! after the debounce (or pulled); hovers; `$/cancelRequest` for requests still queued; a
//! panicking handler answered with an error; `shutdown` and `exit`.
//!
//! One thread does everything, in message order: an analysis costs milliseconds, so nothing
//! waits long, and a document's session is never touched by two threads. Bad input (unknown
//! documents, out-of-range edits, unsupported languages, malformed parameters) is logged to the
//! client with `window/logMessage`, never fatal.

use std::collections::{HashMap, HashSet, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use codetable::{Engine, Language, OffsetUnit};
use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Exit, LogMessage,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{DocumentDiagnosticRequest, HoverRequest, Request as _, Shutdown};
use lsp_types::{
    CancelParams, DiagnosticOptions, DiagnosticServerCapabilities, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentDiagnosticParams,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, FullDocumentDiagnosticReport,
    HoverParams, HoverProviderCapability, LogMessageParams, MessageType, NumberOrString,
    PositionEncodingKind, PublishDiagnosticsParams, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, UnchangedDocumentDiagnosticReport, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::document::{language_of, negotiate, OpenDocument};
use crate::findings;
use crate::{Error, DEBOUNCE, TEST_PANIC_ENV};

/// A request that failed: the JSON-RPC error code and message of its response.
struct Failure {
    code: ErrorCode,
    message: String,
}

impl Failure {
    fn new(code: ErrorCode, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

/// The server's state between messages.
pub(crate) struct Server<'c> {
    engine: &'c Engine,
    connection: &'c Connection,
    encoding: PositionEncodingKind,
    unit: OffsetUnit,
    /// Publish diagnostics; false when the client pulls them (`textDocument/diagnostic` in its
    /// capabilities), so that it does not show every finding twice.
    push: bool,
    /// Hovers in Markdown (else plain text, for a client that says it cannot render Markdown).
    markdown: bool,
    documents: HashMap<Uri, OpenDocument>,
    /// Open documents in languages codetable does not analyse.
    unsupported: HashSet<Uri>,
    /// Documents whose diagnostics are due, and when.
    due: HashMap<Uri, Instant>,
    /// Messages read but not yet handled (so that a cancellation can reach a queued request).
    inbox: VecDeque<Message>,
    shutting_down: bool,
    debounce: Duration,
    /// The method whose handler panics ([`TEST_PANIC_ENV`]).
    panic_on: Option<String>,
}

impl<'c> Server<'c> {
    /// A server for the client whose `initialize` parameters are `params`.
    pub(crate) fn new(
        engine: &'c Engine,
        connection: &'c Connection,
        params: &Value,
    ) -> Server<'c> {
        let (encoding, unit) = negotiate(params);
        let caps = |p: &str| params.pointer(&format!("/capabilities/textDocument{p}"));
        let markdown = caps("/hover/contentFormat")
            .and_then(Value::as_array)
            .is_none_or(|formats| formats.iter().any(|f| f == "markdown"));
        Server {
            engine,
            connection,
            encoding,
            unit,
            push: caps("/diagnostic").is_none(),
            markdown,
            documents: HashMap::new(),
            unsupported: HashSet::new(),
            due: HashMap::new(),
            inbox: VecDeque::new(),
            shutting_down: false,
            debounce: DEBOUNCE,
            panic_on: std::env::var(TEST_PANIC_ENV).ok().filter(|m| !m.is_empty()),
        }
    }

    /// The `InitializeResult`: capabilities and server info.
    pub(crate) fn initialize_result(&self) -> Value {
        let capabilities = ServerCapabilities {
            position_encoding: Some(self.encoding.clone()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(findings::SOURCE.to_string()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })),
            ..ServerCapabilities::default()
        };
        serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": {"name": "codetable", "version": env!("CARGO_PKG_VERSION")},
        })
    }

    /// Handles messages until `exit`.
    pub(crate) fn serve(mut self) -> Result<(), Error> {
        loop {
            if let Some(message) = self.next_message()? {
                match message {
                    Message::Request(r) => self.on_request(r)?,
                    Message::Notification(n) if n.method == Exit::METHOD => {
                        return if self.shutting_down {
                            Ok(())
                        } else {
                            Err(Error::ExitWithoutShutdown)
                        };
                    }
                    Message::Notification(n) => self.on_notification(n)?,
                    // Answers to requests of ours: the server sends none yet.
                    Message::Response(_) => {}
                }
            }
            self.publish_due()?;
        }
    }

    // ---- messages in and out -----------------------------------------------------------

    /// The next message to handle, or `None` when a document's debounce ran out first.
    fn next_message(&mut self) -> Result<Option<Message>, Error> {
        if self.inbox.is_empty() {
            let receiver = &self.connection.receiver;
            let message = match self.due.values().min() {
                Some(&at) => {
                    match receiver.recv_timeout(at.saturating_duration_since(Instant::now())) {
                        Ok(m) => m,
                        Err(RecvTimeoutError::Timeout) => return Ok(None),
                        Err(RecvTimeoutError::Disconnected) => return Err(Error::Disconnected),
                    }
                }
                None => receiver.recv().map_err(|_| Error::Disconnected)?,
            };
            self.queue(message)?;
        }
        // Whatever else has arrived is queued too: a `$/cancelRequest` for a request still
        // waiting is answered at once.
        while let Ok(m) = self.connection.receiver.try_recv() {
            self.queue(m)?;
        }
        Ok(self.inbox.pop_front())
    }

    fn queue(&mut self, message: Message) -> Result<(), Error> {
        let Message::Notification(n) = &message else {
            self.inbox.push_back(message);
            return Ok(());
        };
        if n.method != Cancel::METHOD {
            self.inbox.push_back(message);
            return Ok(());
        }
        // A request that is already answered cannot be cancelled: nothing to do.
        let Ok(CancelParams { id }) = serde_json::from_value(n.params.clone()) else {
            return Ok(());
        };
        let id: RequestId = match id {
            NumberOrString::Number(n) => n.into(),
            NumberOrString::String(s) => s.into(),
        };
        let queued = self
            .inbox
            .iter()
            .position(|m| matches!(m, Message::Request(r) if r.id == id));
        if let Some(i) = queued {
            self.inbox.remove(i);
            let message = "cancelled before it was handled".to_string();
            self.send(Response::new_err(
                id,
                ErrorCode::RequestCanceled as i32,
                message,
            ))?;
        }
        Ok(())
    }

    fn send(&self, message: impl Into<Message>) -> Result<(), Error> {
        self.connection
            .sender
            .send(message.into())
            .map_err(|_| Error::Disconnected)
    }

    fn notify<P: serde::Serialize>(&self, method: &str, params: P) -> Result<(), Error> {
        self.send(Notification::new(method.to_string(), params))
    }

    /// A `window/logMessage` to the client.
    fn log(&self, typ: MessageType, message: impl Into<String>) -> Result<(), Error> {
        let message = format!("codetable: {}", message.into());
        self.notify(LogMessage::METHOD, LogMessageParams { typ, message })
    }

    // ---- requests ----------------------------------------------------------------------

    fn on_request(&mut self, request: Request) -> Result<(), Error> {
        let id = request.id.clone();
        if self.shutting_down {
            let message = format!("{}: the server is shutting down", request.method);
            return self.send(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                message,
            ));
        }
        if request.method == Shutdown::METHOD {
            self.shutting_down = true;
            return self.send(Response::new_ok(id, ()));
        }
        let uri = document_uri(&request.params);
        let outcome = catch_unwind(AssertUnwindSafe(|| self.handle_request(&request)));
        let response = match outcome {
            Ok(Ok(Ok(value))) => Response::new_ok(id, value),
            Ok(Ok(Err(failure))) => Response::new_err(id, failure.code as i32, failure.message),
            Ok(Err(gone)) => return Err(gone),
            Err(panic) => {
                let message = format!(
                    "{} failed with an internal error: {}",
                    request.method,
                    panic_message(&*panic)
                );
                self.recover(uri.as_ref())?;
                self.log(MessageType::ERROR, message.clone())?;
                Response::new_err(id, ErrorCode::InternalError as i32, message)
            }
        };
        self.send(response)
    }

    fn handle_request(&mut self, request: &Request) -> Result<Result<Value, Failure>, Error> {
        if self.panic_on.as_deref() == Some(request.method.as_str()) {
            panic!("{TEST_PANIC_ENV} asked {} to panic", request.method);
        }
        match request.method.as_str() {
            HoverRequest::METHOD => match params::<HoverParams>(request) {
                Ok(p) => self.hover(p),
                Err(f) => Ok(Err(f)),
            },
            DocumentDiagnosticRequest::METHOD => {
                match params::<DocumentDiagnosticParams>(request) {
                    Ok(p) => self.pull_diagnostics(p),
                    Err(f) => Ok(Err(f)),
                }
            }
            method => Ok(Err(Failure::new(
                ErrorCode::MethodNotFound,
                format!("codetable does not handle {method}"),
            ))),
        }
    }

    fn hover(&mut self, p: HoverParams) -> Result<Result<Value, Failure>, Error> {
        let uri = p.text_document_position_params.text_document.uri;
        let position = p.text_document_position_params.position;
        if self.unsupported.contains(&uri) {
            return Ok(Ok(Value::Null));
        }
        if !self.documents.contains_key(&uri) {
            self.log(
                MessageType::WARNING,
                format!("hover in {}: the document is not open", uri.as_str()),
            )?;
            return Ok(Ok(Value::Null));
        }
        self.analyse(&uri)?;
        let doc = &self.documents[&uri];
        let at = match doc.offset(position) {
            Ok(at) => at,
            Err(e) => {
                self.log(
                    MessageType::WARNING,
                    format!("hover in {}: {e}", uri.as_str()),
                )?;
                return Ok(Ok(Value::Null));
            }
        };
        match findings::hover(self.engine, doc, at, self.markdown) {
            Ok(h) => Ok(Ok(serde_json::to_value(h).unwrap_or(Value::Null))),
            Err(e) => Ok(Err(Failure::new(ErrorCode::InternalError, e.to_string()))),
        }
    }

    fn pull_diagnostics(
        &mut self,
        p: DocumentDiagnosticParams,
    ) -> Result<Result<Value, Failure>, Error> {
        let uri = p.text_document.uri;
        let full = |result_id, items| {
            DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
                RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id,
                        items,
                    },
                },
            ))
        };
        if self.unsupported.contains(&uri) {
            return Ok(Ok(to_value(full(None, Vec::new()))));
        }
        if !self.documents.contains_key(&uri) {
            let message = format!("diagnostics of {}: the document is not open", uri.as_str());
            self.log(MessageType::WARNING, message.clone())?;
            return Ok(Err(Failure::new(ErrorCode::InvalidParams, message)));
        }
        self.analyse(&uri)?;
        let doc = &self.documents[&uri];
        let result_id = doc.revision.to_string();
        if p.previous_result_id.as_ref() == Some(&result_id) {
            let unchanged =
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                });
            return Ok(Ok(to_value(DocumentDiagnosticReportResult::Report(
                unchanged,
            ))));
        }
        match findings::diagnostics(self.engine, doc) {
            Ok(items) => Ok(Ok(to_value(full(Some(result_id), items)))),
            Err(e) => Ok(Err(Failure::new(ErrorCode::InternalError, e.to_string()))),
        }
    }

    // ---- notifications -----------------------------------------------------------------

    fn on_notification(&mut self, n: Notification) -> Result<(), Error> {
        let uri = document_uri(&n.params);
        match catch_unwind(AssertUnwindSafe(|| self.handle_notification(&n))) {
            Ok(r) => r,
            Err(panic) => {
                self.recover(uri.as_ref())?;
                let message = format!(
                    "{} failed with an internal error: {}",
                    n.method,
                    panic_message(&*panic)
                );
                self.log(MessageType::ERROR, message)
            }
        }
    }

    fn handle_notification(&mut self, n: &Notification) -> Result<(), Error> {
        if self.panic_on.as_deref() == Some(n.method.as_str()) {
            panic!("{TEST_PANIC_ENV} asked {} to panic", n.method);
        }
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Some(p) = self.parsed(n)? {
                    self.open(p)?;
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(p) = self.parsed(n)? {
                    self.change(p)?;
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(p) = self.parsed(n)? {
                    self.close(p)?;
                }
            }
            // `initialized`, `$/cancelRequest` for a request already answered, `$/setTrace`
            // and the notifications of features the server does not offer.
            _ => {}
        }
        Ok(())
    }

    /// A notification's parameters; malformed ones are logged (`None`).
    fn parsed<P: DeserializeOwned>(&self, n: &Notification) -> Result<Option<P>, Error> {
        match serde_json::from_value(n.params.clone()) {
            Ok(p) => Ok(Some(p)),
            Err(e) => self
                .log(
                    MessageType::ERROR,
                    format!("{}: bad parameters: {e}", n.method),
                )
                .map(|()| None),
        }
    }

    fn open(&mut self, p: DidOpenTextDocumentParams) -> Result<(), Error> {
        let item = p.text_document;
        let uri = item.uri;
        self.documents.remove(&uri);
        self.unsupported.remove(&uri);
        let Some(language) = language_of(&item.language_id, &uri, &item.text) else {
            let names: Vec<&str> = Language::ALL.iter().map(|l| l.name()).collect();
            self.log(
                MessageType::INFO,
                format!(
                    "{} is not analysed: language `{}` is not supported (supported: {})",
                    uri.as_str(),
                    item.language_id,
                    names.join(", ")
                ),
            )?;
            self.unsupported.insert(uri);
            return Ok(());
        };
        match OpenDocument::new(language, item.text, self.unit, item.version) {
            Ok(doc) => {
                self.documents.insert(uri.clone(), doc);
                self.due.insert(uri, Instant::now());
                Ok(())
            }
            Err(e) => self.log(
                MessageType::ERROR,
                format!("{} is not analysed: {e}", uri.as_str()),
            ),
        }
    }

    fn change(&mut self, p: DidChangeTextDocumentParams) -> Result<(), Error> {
        let uri = p.text_document.uri;
        if self.unsupported.contains(&uri) {
            return Ok(());
        }
        let Some(doc) = self.documents.get_mut(&uri) else {
            return self.log(
                MessageType::WARNING,
                format!(
                    "change to {} ignored: the document is not open",
                    uri.as_str()
                ),
            );
        };
        doc.version = p.text_document.version;
        let mut failed = None;
        for (i, change) in p.content_changes.iter().enumerate() {
            if let Err(e) = doc.apply(change) {
                failed = Some(format!(
                    "change {} of {} to {} (version {}) ignored, with the ones after it: {e}; \
                     the server's text may now differ from the editor's until the document \
                     is reopened",
                    i + 1,
                    p.content_changes.len(),
                    uri.as_str(),
                    p.text_document.version
                ));
                break;
            }
        }
        self.due.insert(uri, Instant::now() + self.debounce);
        match failed {
            Some(message) => self.log(MessageType::ERROR, message),
            None => Ok(()),
        }
    }

    fn close(&mut self, p: DidCloseTextDocumentParams) -> Result<(), Error> {
        let uri = p.text_document.uri;
        self.due.remove(&uri);
        self.unsupported.remove(&uri);
        if self.documents.remove(&uri).is_some() && self.push {
            let clear = PublishDiagnosticsParams::new(uri, Vec::new(), None);
            self.notify(PublishDiagnostics::METHOD, clear)?;
        }
        Ok(())
    }

    // ---- analysis ----------------------------------------------------------------------

    /// Analyses and publishes every document whose debounce has run out.
    fn publish_due(&mut self) -> Result<(), Error> {
        let now = Instant::now();
        let ready: Vec<Uri> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in ready {
            match catch_unwind(AssertUnwindSafe(|| self.analyse(&uri))) {
                Ok(r) => r?,
                Err(panic) => {
                    self.recover(Some(&uri))?;
                    let message = format!(
                        "analysis of {} failed with an internal error: {}; it is retried after \
                         the next change",
                        uri.as_str(),
                        panic_message(&*panic)
                    );
                    self.log(MessageType::ERROR, message)?;
                }
            }
        }
        Ok(())
    }

    /// Brings a document's findings up to date with its text (an incremental
    /// `analyze_delta`) and, when the client takes pushed diagnostics and they may have moved,
    /// publishes them.
    fn analyse(&mut self, uri: &Uri) -> Result<(), Error> {
        let was_due = self.due.remove(uri).is_some();
        let engine = self.engine;
        let Some(doc) = self.documents.get_mut(uri) else {
            return Ok(());
        };
        let stale =
            doc.session.has_pending_edits() || doc.session.analyzed_by() != Some(engine.id());
        if stale && !(doc.poisoned && was_due) {
            if let Err(e) = doc.session.analyze_delta(engine) {
                let message = format!("analysis of {} failed: {e}", uri.as_str());
                return self.log(MessageType::ERROR, message);
            }
        }
        if !self.push || !(stale || was_due) {
            return Ok(());
        }
        let doc = &self.documents[uri];
        match findings::diagnostics(engine, doc) {
            Ok(items) => {
                let params = PublishDiagnosticsParams::new(uri.clone(), items, Some(doc.version));
                self.notify(PublishDiagnostics::METHOD, params)
            }
            Err(e) => self.log(
                MessageType::ERROR,
                format!("diagnostics of {}: {e}", uri.as_str()),
            ),
        }
    }

    /// After a panic while handling `uri`: its session is rebuilt from its text, in case the
    /// panic left it half-updated, and marked so that a failing analysis is not retried in a
    /// loop.
    fn recover(&mut self, uri: Option<&Uri>) -> Result<(), Error> {
        let Some(uri) = uri else {
            return Ok(());
        };
        let Some(doc) = self.documents.get(uri) else {
            return Ok(());
        };
        match catch_unwind(AssertUnwindSafe(|| doc.rebuilt())) {
            Ok(Ok(mut fresh)) => {
                fresh.poisoned = true;
                self.documents.insert(uri.clone(), fresh);
                Ok(())
            }
            _ => {
                self.documents.remove(uri);
                self.unsupported.insert(uri.clone());
                self.log(
                    MessageType::ERROR,
                    format!(
                        "{} is no longer analysed: it could not be re-read",
                        uri.as_str()
                    ),
                )
            }
        }
    }
}

/// A request's parameters, or an `InvalidParams` failure.
fn params<P: DeserializeOwned>(request: &Request) -> Result<P, Failure> {
    serde_json::from_value(request.params.clone()).map_err(|e| {
        Failure::new(
            ErrorCode::InvalidParams,
            format!("{}: bad parameters: {e}", request.method),
        )
    })
}

fn to_value(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The document a message is about (`params.textDocument.uri`), if any.
fn document_uri(params: &Value) -> Option<Uri> {
    params
        .pointer("/textDocument/uri")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}
