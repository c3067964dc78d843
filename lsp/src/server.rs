//! The message loop: documents opened, changed and closed; diagnostics analysed and published
//! after the debounce (or pulled); hovers; code actions and the explanation command; settings
//! (`initializationOptions`, `workspace/didChangeConfiguration`); the background workspace scan
//! with `$/progress` and `workspace/didChangeWatchedFiles`; `$/cancelRequest` for requests still
//! queued; a panicking handler answered with an error; `shutdown` and `exit`.
//!
//! One thread handles the messages, in order, and owns the open documents. A keystroke only edits
//! their text there: the edits wait, and the incremental reparse of all that arrived since the
//! last analysis is made once, by that analysis ([`OpenDocument::flush`]). Analyses run on two
//! other threads, so that hovers, edits, cancellations and `shutdown` never wait for a reparse or
//! an analysis: an open document due for analysis is copied ([`codetable::Session::try_clone`],
//! with its pending edits) and reparsed and analysed on the document thread ([`DocJob`],
//! [`DocDone`]), one analysis per document at a time; its answer is published only when the
//! document has not changed since it was copied. Otherwise its session is still taken (the text
//! as it was then, parsed and analysed) under the edits made since, which stay pending, and the
//! document is due again: keystrokes that arrive during an analysis are reparsed together by the
//! next one. A hover on a document whose latest edits are not analysed yet is answered
//! from its last analysis (positions carried over the unchanged text before and after the
//! edits); a code action or diagnostics request waits, parked, for the analysis it needs
//! (cancellable, and refused at `shutdown`). The workspace scan's files are analysed on the scan
//! thread, one at a time ([`ScanJob`], [`ScanDone`]); the answer for a file of a run that was
//! restarted since (settings or configuration changed) is dropped as stale. Bad input (unknown documents,
//! out-of-range edits, unsupported languages, malformed parameters or settings) is logged to the
//! client with `window/logMessage`, never fatal.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Deref;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use codetable::cache::{CacheKey, ResultCache};
use codetable::source::walk::Candidate;
use codetable::source::Intake;
use codetable::{Engine, Language, OffsetUnit, PatternDb};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeConfiguration, DidChangeTextDocument, DidChangeWatchedFiles,
    DidCloseTextDocument, DidOpenTextDocument, Exit, Initialized, LogMessage, Notification as _,
    Progress as ProgressNotification, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, DocumentDiagnosticRequest, ExecuteCommand, HoverRequest, RegisterCapability,
    Request as _, ShowDocument, Shutdown, WorkDoneProgressCreate, WorkspaceDiagnosticRefresh,
    WorkspaceDiagnosticRequest,
};
use lsp_types::{
    CancelParams, CodeActionKind, CodeActionOptions, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, DiagnosticOptions, DiagnosticServerCapabilities,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentDiagnosticParams,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, ExecuteCommandOptions,
    ExecuteCommandParams, FileChangeType, FileSystemWatcher, FullDocumentDiagnosticReport,
    GlobPattern, HoverParams, HoverProviderCapability, LogMessageParams, MessageType,
    NumberOrString, PositionEncodingKind, ProgressParams, ProgressParamsValue,
    PublishDiagnosticsParams, Registration, RegistrationParams,
    RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
    ServerCapabilities, ShowDocumentParams, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, UnchangedDocumentDiagnosticReport, Uri,
    WorkDoneProgress, WorkDoneProgressBegin, WorkDoneProgressCreateParams, WorkDoneProgressEnd,
    WorkDoneProgressReport, WorkspaceDiagnosticParams, WorkspaceDiagnosticReport,
    WorkspaceDiagnosticReportResult, WorkspaceDocumentDiagnosticReport,
    WorkspaceFullDocumentDiagnosticReport, WorkspaceUnchangedDocumentDiagnosticReport,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::actions;
use crate::config::Settings;
use crate::document::{language_of, negotiate, OpenDocument};
use crate::findings::{self, DiagnosticCache};
use crate::project::{self, Project, Projects};
use crate::workspace::{self, Progress, Scan, Workspace};
use crate::{Error, TEST_PANIC_ENV};

/// How long the scan waits for the client to answer `window/workDoneProgress/create` before
/// it goes on without showing progress.
const PROGRESS_WAIT: Duration = Duration::from_secs(2);

/// The engine in use: the one the server was started with, or one over the database the
/// client's settings name.
#[derive(Clone)]
enum EngineHandle<'c> {
    Base(&'c Engine),
    Custom(Arc<Engine>),
}

impl Deref for EngineHandle<'_> {
    type Target = Engine;
    fn deref(&self) -> &Engine {
        match self {
            EngineHandle::Base(e) => e,
            EngineHandle::Custom(e) => e,
        }
    }
}

/// What the client can do, from its `initialize` capabilities.
struct ClientCaps {
    /// `window.workDoneProgress`: the scan shows `$/progress`.
    progress: bool,
    /// `window.showDocument.support`: explanations are opened, not only announced.
    show_document: bool,
    /// `workspace.didChangeWatchedFiles.dynamicRegistration`: the server registers its watchers.
    watch_registration: bool,
    /// `workspace.diagnostics.refreshSupport`: a pulling client is asked to pull again after the
    /// settings change.
    diagnostic_refresh: bool,
}

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
    /// The engine the server was started with.
    base: &'c Engine,
    /// The engine in use (the base, or the settings' database).
    engine: EngineHandle<'c>,
    connection: &'c Connection,
    caps: ClientCaps,
    settings: Settings,
    /// Problems found before `initialized` (in `initializationOptions`), logged then.
    early_problems: Vec<String>,
    workspace: Workspace,
    /// The project configurations of the files seen, each with the engine applying its profile.
    projects: Projects,
    /// Documents opened so far (numbers their result ids).
    opened: u32,
    /// The connection's writer takes messages as JSON text ([`crate::transport`]).
    raw: bool,
    /// The JSON of the diagnostics last pushed for each open document.
    pushed: HashMap<Uri, findings::DiagnosticCache>,
    /// Numbers the requests the server sends.
    sent_requests: u32,
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
    /// The method whose handler panics ([`TEST_PANIC_ENV`]).
    panic_on: Option<String>,
    /// The analysis thread's inbox (`None` when it could not be started: files are then
    /// analysed on this thread).
    jobs: Option<crossbeam_channel::Sender<Work>>,
    /// Its answers.
    answers: crossbeam_channel::Receiver<Answer>,
    /// What the analysis thread keeps, when there is none (files analysed on this thread).
    inline: Analyst,
    /// The generation of the file the analysis thread is analysing, if any (one at a time,
    /// so that a restarted scan or a changed file waits for one file at most).
    in_flight: Option<u64>,
    /// The document thread's inbox (`None` when it could not be started: documents are then
    /// analysed on this thread).
    doc_jobs: Option<crossbeam_channel::Sender<DocJob>>,
    /// Its answers.
    doc_answers: crossbeam_channel::Receiver<DocDone>,
    /// The open documents being analysed on the document thread: the revision and version
    /// of the copy handed over.
    analysing: HashMap<Uri, (u64, i32)>,
    /// Requests waiting for the analysis of the documents they are about.
    parked: Vec<Request>,
    /// Open documents whose current text the design model has not seen yet.
    design_due: HashSet<Uri>,
    /// Documents whose analysis a parked request waits for (analysed even when a panic in
    /// their last analysis keeps the debounce from retrying them).
    requested: HashSet<Uri>,
}

impl<'c> Server<'c> {
    /// A server for the client whose `initialize` parameters are `params`.
    pub(crate) fn new(
        engine: &'c Engine,
        connection: &'c Connection,
        params: &Value,
        raw: bool,
    ) -> Server<'c> {
        let (encoding, unit) = negotiate(params);
        let caps = |p: &str| params.pointer(&format!("/capabilities/textDocument{p}"));
        let markdown = caps("/hover/contentFormat")
            .and_then(Value::as_array)
            .is_none_or(|formats| formats.iter().any(|f| f == "markdown"));
        let flag = |p: &str| params.pointer(p).and_then(Value::as_bool) == Some(true);
        let client = ClientCaps {
            progress: flag("/capabilities/window/workDoneProgress"),
            show_document: flag("/capabilities/window/showDocument/support"),
            watch_registration: flag(
                "/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration",
            ),
            diagnostic_refresh: flag("/capabilities/workspace/diagnostics/refreshSupport"),
        };
        let options = params
            .get("initializationOptions")
            .cloned()
            .unwrap_or(Value::Null);
        let (mut settings, mut early_problems) = Settings::from_json(&options);
        let base = engine;
        let handle = match &settings.database {
            None => EngineHandle::Base(base),
            Some(path) => match load_engine(path) {
                Ok(custom) => EngineHandle::Custom(custom),
                Err(e) => {
                    early_problems.push(e);
                    settings.database = None;
                    EngineHandle::Base(base)
                }
            },
        };
        let (jobs, answers) = match analysis_thread(connection.sender.clone()) {
            Some((jobs, answers)) => (Some(jobs), answers),
            None => (None, crossbeam_channel::never()),
        };
        let (doc_jobs, doc_answers) = match document_thread(connection.sender.clone()) {
            Some((jobs, answers)) => (Some(jobs), answers),
            None => (None, crossbeam_channel::never()),
        };
        Server {
            jobs,
            answers,
            doc_jobs,
            doc_answers,
            analysing: HashMap::new(),
            parked: Vec::new(),
            requested: HashSet::new(),
            design_due: HashSet::new(),
            inline: Analyst::default(),
            in_flight: None,
            base,
            engine: handle,
            connection,
            caps: client,
            settings,
            early_problems,
            workspace: Workspace {
                roots: workspace::roots(params),
                ..Workspace::default()
            },
            projects: Projects::default(),
            opened: 0,
            raw,
            pushed: HashMap::new(),
            sent_requests: 0,
            encoding,
            unit,
            push: caps("/diagnostic").is_none(),
            markdown,
            documents: HashMap::new(),
            unsupported: HashSet::new(),
            due: HashMap::new(),
            inbox: VecDeque::new(),
            shutting_down: false,
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
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: vec![actions::SHOW_EXPLANATION.to_string()],
                ..ExecuteCommandOptions::default()
            }),
            diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(findings::SOURCE.to_string()),
                inter_file_dependencies: false,
                workspace_diagnostics: true,
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
                    Message::Response(r) => self.on_response(r)?,
                }
            }
            while let Ok(answer) = self.answers.try_recv() {
                self.answered(answer)?;
            }
            while let Ok(done) = self.doc_answers.try_recv() {
                self.document_done(done)?;
            }
            self.publish_due()?;
            if self.inbox.is_empty() && self.connection.receiver.is_empty() {
                self.scan_step()?;
            }
        }
    }

    // ---- messages in and out -----------------------------------------------------------

    /// The next message to handle, or `None` when a document's debounce ran out first.
    fn next_message(&mut self) -> Result<Option<Message>, Error> {
        if self.inbox.is_empty() {
            let receiver = &self.connection.receiver;
            let wake = self.due.values().min().copied();
            let wake = match (wake, self.scan_wake()) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            // A message, or the analysis thread's answer (handled by the loop), or the wake-up.
            let mut select = crossbeam_channel::Select::new();
            let from_client = select.recv(receiver);
            select.recv(&self.answers);
            select.recv(&self.doc_answers);
            let ready = match wake {
                Some(at) => match select.ready_deadline(at) {
                    Ok(i) => i,
                    Err(_) => return Ok(None),
                },
                None => select.ready(),
            };
            if ready != from_client {
                return Ok(None);
            }
            let message = match receiver.try_recv() {
                Ok(m) => m,
                Err(crossbeam_channel::TryRecvError::Empty) => return Ok(None),
                Err(crossbeam_channel::TryRecvError::Disconnected) => {
                    return Err(Error::Disconnected)
                }
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
        let parked = self.parked.iter().position(|r| r.id == id);
        if let Some(i) = parked {
            self.parked.remove(i);
        }
        if queued.is_some() || parked.is_some() {
            if let Some(i) = queued {
                self.inbox.remove(i);
            }
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

    /// Sends a request of the server's to the client; returns its id (`codetable/<n>`).
    fn ask<P: serde::Serialize>(&mut self, method: &str, params: P) -> Result<String, Error> {
        self.sent_requests += 1;
        let id = format!("codetable/{}", self.sent_requests);
        self.send(Request::new(
            RequestId::from(id.clone()),
            method.to_string(),
            params,
        ))?;
        Ok(id)
    }

    /// An answer to a request of the server's: only the progress token's matters (the scan
    /// waits for it); the others (registrations, showDocument, refresh) are logged when they
    /// failed.
    fn on_response(&mut self, r: Response) -> Result<(), Error> {
        if let Some(scan) = &mut self.workspace.scan {
            if let Progress::Asked(id, _) = &scan.progress {
                if RequestId::from(id.clone()) == r.id {
                    if r.response_result.is_err() {
                        scan.progress = Progress::None;
                        return Ok(());
                    }
                    let (done, total) = (scan.done, scan.total);
                    scan.progress = Progress::Shown(percent(done, total));
                    let begin = WorkDoneProgress::Begin(WorkDoneProgressBegin {
                        title: "codetable: scanning the workspace".to_string(),
                        cancellable: Some(false),
                        message: Some(format!("{done}/{total} files")),
                        percentage: Some(percent(done, total)),
                    });
                    let token = NumberOrString::String(scan.token.clone());
                    return self.progress(token, begin);
                }
            }
        }
        if let Err(e) = r.response_result {
            let id = r.id;
            self.log(
                MessageType::WARNING,
                format!("the client refused request {id}: {}", e.message),
            )?;
        }
        Ok(())
    }

    fn progress(&self, token: NumberOrString, value: WorkDoneProgress) -> Result<(), Error> {
        self.notify(
            ProgressNotification::METHOD,
            ProgressParams {
                token,
                value: ProgressParamsValue::WorkDone(value),
            },
        )
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
            // Requests still waiting for an analysis are not answered by one.
            for parked in std::mem::take(&mut self.parked) {
                let message = format!("{}: the server is shutting down", parked.method);
                self.send(Response::new_err(
                    parked.id,
                    ErrorCode::RequestCanceled as i32,
                    message,
                ))?;
            }
            return self.send(Response::new_ok(id, ()));
        }
        if self.park(&request) {
            self.parked.push(request);
            return Ok(());
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
            WorkspaceDiagnosticRequest::METHOD => {
                match params::<WorkspaceDiagnosticParams>(request) {
                    Ok(p) => self.pull_workspace(p),
                    Err(f) => Ok(Err(f)),
                }
            }
            CodeActionRequest::METHOD => match params::<CodeActionParams>(request) {
                Ok(p) => self.code_actions(p),
                Err(f) => Ok(Err(f)),
            },
            ExecuteCommand::METHOD => match params::<ExecuteCommandParams>(request) {
                Ok(p) => self.execute_command(p),
                Err(f) => Ok(Err(f)),
            },
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
        let doc = &self.documents[&uri];
        // Edited since its last analysis: answered from that analysis (the document's session,
        // under the pending edits), at the same place in the text as it was (none when the
        // place is inside the edited text).
        let current = is_current(doc);
        let at = match () {
            _ if current => at,
            _ if analysed(doc) => match carry(doc.text(), doc.session.text(), at) {
                Some(at) => at,
                None => return Ok(Ok(Value::Null)),
            },
            _ => return Ok(Ok(Value::Null)), // its analysis failed
        };
        let Some(engine) = doc.project.as_ref().map(|p| p.engine.clone()) else {
            return Ok(Ok(Value::Null));
        };
        match findings::hover(&engine, doc, at, self.markdown, &self.settings) {
            Ok(Some((contents, bytes))) => {
                let (now, then) = (doc.text(), doc.session.text());
                let carried = |b: usize| {
                    if current {
                        Some(b)
                    } else {
                        carry(then, now, b)
                    }
                };
                let range = match (carried(bytes.start), carried(bytes.end)) {
                    (Some(a), Some(b)) => Some(doc.range(&(a..b))),
                    _ => None,
                };
                let hover = lsp_types::Hover { contents, range };
                Ok(Ok(serde_json::to_value(hover).unwrap_or(Value::Null)))
            }
            Ok(None) => Ok(Ok(Value::Null)),
            Err(e) => Ok(Err(Failure::new(ErrorCode::InternalError, e.to_string()))),
        }
    }

    /// Whether `request` must wait for an analysis (it is then parked, and the analysis made
    /// due): a hover on a document never analysed, a code action or a document's diagnostics
    /// on a document edited (or re-placed) since its last analysis, the workspace's diagnostics
    /// while any open document is. A document whose analysis failed is not waited for again:
    /// the request then answers from what there is.
    fn park(&mut self, request: &Request) -> bool {
        let uris: Vec<Uri> = match request.method.as_str() {
            HoverRequest::METHOD
            | CodeActionRequest::METHOD
            | DocumentDiagnosticRequest::METHOD => {
                document_uri(&request.params).into_iter().collect()
            }
            WorkspaceDiagnosticRequest::METHOD => self.documents.keys().cloned().collect(),
            _ => return false,
        };
        let hover = request.method == HoverRequest::METHOD;
        let mut waits = false;
        for uri in uris {
            let Some(doc) = self.documents.get(&uri) else {
                continue;
            };
            let ready = is_current(doc) || (hover && analysed(doc));
            if ready || doc.failed {
                continue;
            }
            waits = true;
            self.requested.insert(uri.clone());
            self.due.insert(uri, Instant::now());
        }
        waits
    }

    /// Handles the parked requests again after an analysis was adopted or failed: those whose
    /// documents are ready are answered, the others wait on.
    fn unpark(&mut self) -> Result<(), Error> {
        for request in std::mem::take(&mut self.parked) {
            self.on_request(request)?;
        }
        Ok(())
    }

    fn code_actions(&mut self, p: CodeActionParams) -> Result<Result<Value, Failure>, Error> {
        let uri = p.text_document.uri;
        let wanted = p.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|k| {
                let k = k.as_str();
                k.is_empty() || CodeActionKind::QUICKFIX.as_str().starts_with(k)
            })
        });
        if !wanted || self.unsupported.contains(&uri) {
            return Ok(Ok(Value::Array(Vec::new())));
        }
        if !self.documents.contains_key(&uri) {
            self.log(
                MessageType::WARNING,
                format!("code actions in {}: the document is not open", uri.as_str()),
            )?;
            return Ok(Ok(Value::Array(Vec::new())));
        }
        let engine = self.engine_of(&uri)?;
        let doc = &self.documents[&uri];
        match findings::shown(&engine, doc, &self.settings) {
            Ok(shown) => Ok(Ok(to_value(actions::code_actions(
                doc, &uri, p.range, &shown,
            )))),
            Err(e) => Ok(Err(Failure::new(ErrorCode::InternalError, e.to_string()))),
        }
    }

    /// `codetable.showExplanation <pattern id or symbol>`: writes the pattern's sheet as a
    /// Markdown file and asks the client to show it (`window/showDocument`), or, when the client
    /// cannot, shows its summary as a message. Answers the file's URI.
    fn execute_command(
        &mut self,
        p: ExecuteCommandParams,
    ) -> Result<Result<Value, Failure>, Error> {
        if p.command != actions::SHOW_EXPLANATION {
            return Ok(Err(Failure::new(
                ErrorCode::InvalidParams,
                format!("codetable has no command {}", p.command),
            )));
        }
        let Some(query) = p.arguments.first().and_then(Value::as_str) else {
            return Ok(Err(Failure::new(
                ErrorCode::InvalidParams,
                format!("{}: the argument is a pattern id", p.command),
            )));
        };
        let number = match self.engine.db().find(query) {
            Ok(Some((n, _))) => n,
            Ok(None) => {
                return Ok(Err(Failure::new(
                    ErrorCode::InvalidParams,
                    format!("{}: no pattern {query:?}", p.command),
                )))
            }
            Err(e) => return Ok(Err(Failure::new(ErrorCode::InternalError, e.to_string()))),
        };
        let sheet = match self.engine.sheet(number) {
            Ok(s) => s,
            Err(e) => return Ok(Err(Failure::new(ErrorCode::InternalError, e.to_string()))),
        };
        let path = match actions::write_explanation(&actions::explanation_dir(), &sheet) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Err(Failure::new(
                    ErrorCode::InternalError,
                    format!("cannot write the explanation of {}: {e}", sheet.id),
                )))
            }
        };
        let Some(uri) = workspace::uri_of(&path) else {
            return Ok(Err(Failure::new(
                ErrorCode::InternalError,
                format!("{} has no file URI", path.display()),
            )));
        };
        if self.caps.show_document {
            let show = ShowDocumentParams {
                uri: uri.clone(),
                external: Some(false),
                take_focus: Some(true),
                selection: None,
            };
            self.ask(ShowDocument::METHOD, show)?;
        } else {
            let message = format!(
                "{} {} ({}): {} (explanation: {})",
                sheet.symbol,
                sheet.name,
                sheet.id,
                sheet.summary,
                path.display()
            );
            self.notify(
                ShowMessage::METHOD,
                ShowMessageParams {
                    typ: MessageType::INFO,
                    message,
                },
            )?;
        }
        Ok(Ok(Value::String(uri.as_str().to_string())))
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
        let engine = self.engine_of(&uri)?;
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
        match findings::diagnostics(&engine, doc, &uri, &self.settings) {
            Ok(mut items) => {
                items.extend(
                    self.workspace
                        .design
                        .get(&uri)
                        .into_iter()
                        .flatten()
                        .cloned(),
                );
                Ok(Ok(to_value(full(Some(result_id), items))))
            }
            Err(e) => Ok(Err(Failure::new(ErrorCode::InternalError, e.to_string()))),
        }
    }

    /// `workspace/diagnostic`: the diagnostics of every open document and of every file the
    /// workspace scan analysed, each as `unchanged` when the client's previous result id is
    /// still current. From the first such request on, the scan's results are only pulled (the
    /// ones pushed before are cleared), and a client with `refreshSupport` is asked to pull
    /// again when the scan changed some.
    fn pull_workspace(
        &mut self,
        p: WorkspaceDiagnosticParams,
    ) -> Result<Result<Value, Failure>, Error> {
        if !self.workspace.pulled {
            self.workspace.pulled = true;
            for uri in std::mem::take(&mut self.workspace.published) {
                let clear = PublishDiagnosticsParams::new(uri, Vec::new(), None);
                self.notify(PublishDiagnostics::METHOD, clear)?;
            }
        }
        self.workspace.changed = false;
        let previous: HashMap<String, String> = p
            .previous_result_ids
            .into_iter()
            .map(|r| (r.uri.as_str().to_string(), r.value))
            .collect();
        let mut items = Vec::new();
        let mut report = |uri: Uri, version: Option<i64>, id: String, diagnostics| {
            let same = previous.get(uri.as_str()) == Some(&id);
            items.push(if same {
                WorkspaceDocumentDiagnosticReport::Unchanged(
                    WorkspaceUnchangedDocumentDiagnosticReport {
                        uri,
                        version,
                        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                            result_id: id,
                        },
                    },
                )
            } else {
                WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: Some(id),
                        items: diagnostics,
                    },
                })
            });
        };
        let mut open: Vec<Uri> = self.documents.keys().cloned().collect();
        open.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        for uri in &open {
            let engine = self.engine_of(uri)?;
            let doc = &self.documents[uri];
            let id = doc.revision.to_string();
            let version = Some(i64::from(doc.version));
            let diagnostics = if previous.get(uri.as_str()) == Some(&id) {
                Vec::new()
            } else {
                match findings::diagnostics(&engine, doc, uri, &self.settings) {
                    Ok(mut d) => {
                        d.extend(
                            self.workspace
                                .design
                                .get(uri)
                                .into_iter()
                                .flatten()
                                .cloned(),
                        );
                        d
                    }
                    Err(e) => {
                        return Ok(Err(Failure::new(ErrorCode::InternalError, e.to_string())))
                    }
                }
            };
            report(uri.clone(), version, id, diagnostics);
        }
        let mut scanned: Vec<(&Uri, &(String, Vec<Diagnostic>))> = self
            .workspace
            .results
            .iter()
            .filter(|(uri, _)| !self.documents.contains_key(*uri))
            .collect();
        scanned.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        let mut known: HashSet<&str> = open.iter().map(|u| u.as_str()).collect();
        for (uri, (id, diagnostics)) in scanned {
            known.insert(uri.as_str());
            report(uri.clone(), None, id.clone(), diagnostics.clone());
        }
        // Files the client has results for that are gone (deleted, excluded): cleared.
        let mut gone: Vec<&String> = previous
            .keys()
            .filter(|u| !known.contains(u.as_str()))
            .collect();
        gone.sort();
        for uri in gone {
            if let Ok(uri) = uri.parse::<Uri>() {
                self.workspace.result_ids += 1;
                report(
                    uri,
                    None,
                    format!("w{}", self.workspace.result_ids),
                    Vec::new(),
                );
            }
        }
        Ok(Ok(to_value(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))))
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
            Initialized::METHOD => self.initialized()?,
            DidChangeConfiguration::METHOD => {
                if let Some(p) = self.parsed::<DidChangeConfigurationParams>(n)? {
                    self.configure(&p.settings)?;
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Some(p) = self.parsed(n)? {
                    self.watched(p)?;
                }
            }
            // `$/cancelRequest` for a request already answered, `$/setTrace`
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
        if self.workspace.published.remove(&uri) && !self.push {
            // The scan's diagnostics from disk would show beside the pulled ones.
            let clear = PublishDiagnosticsParams::new(uri.clone(), Vec::new(), None);
            self.notify(PublishDiagnostics::METHOD, clear)?;
        }
        match OpenDocument::new(language, item.text, self.unit, item.version) {
            Ok(mut doc) => {
                // Result ids stay unique when a document is closed and opened again.
                self.opened += 1;
                doc.revision = u64::from(self.opened) << 32;
                self.documents.insert(uri.clone(), doc);
                self.place(&uri)?;
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
        // Only the text is edited here: the reparse waits for the next analysis, on the
        // document thread (the session keeps the last analysis, for hovers meanwhile).
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
        self.due
            .insert(uri, Instant::now() + self.settings.debounce);
        match failed {
            Some(message) => self.log(MessageType::ERROR, message),
            None => Ok(()),
        }
    }

    fn close(&mut self, p: DidCloseTextDocumentParams) -> Result<(), Error> {
        let uri = p.text_document.uri;
        self.due.remove(&uri);
        self.unsupported.remove(&uri);
        self.pushed.remove(&uri);
        self.requested.remove(&uri);
        self.design_due.remove(&uri);
        // Requests parked for it are answered (the document is no longer open).
        self.unpark()?;
        if self.documents.remove(&uri).is_some() && self.push {
            let clear = PublishDiagnosticsParams::new(uri.clone(), Vec::new(), None);
            self.notify(PublishDiagnostics::METHOD, clear)?;
        }
        // A file of the workspace shows its diagnostics from disk again.
        if let Some(path) = self.scannable(&uri) {
            self.workspace.pending.push_back(path);
        }
        Ok(())
    }

    // ---- analysis ----------------------------------------------------------------------

    /// Hands every document whose debounce has run out (or that a parked request waits for)
    /// to the document thread, unless one of its analyses is already there (it is handed over
    /// when that one answers); a document whose analysis is current is published here.
    fn publish_due(&mut self) -> Result<(), Error> {
        let now = Instant::now();
        let ready: Vec<Uri> = self
            .due
            .iter()
            .filter(|(uri, at)| **at <= now && !self.analysing.contains_key(*uri))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in ready {
            self.due.remove(&uri);
            let requested = self.requested.remove(&uri);
            let engine = self.engine_of(&uri)?;
            let Some(doc) = self.documents.get(&uri) else {
                continue;
            };
            let stale = !is_fresh(doc) || doc.session.analyzed_by() != Some(engine.id());
            if !stale {
                self.publish(&uri)?;
                continue;
            }
            if doc.poisoned && !requested {
                continue; // its analysis panicked: retried after the next change
            }
            let copy = match catch_unwind(AssertUnwindSafe(|| doc.try_clone())) {
                Ok(Ok(copy)) => copy,
                _ => {
                    let message = format!(
                        "analysis of {}: the document cannot be copied",
                        uri.as_str()
                    );
                    self.log(MessageType::ERROR, message)?;
                    continue;
                }
            };
            let job = DocJob {
                revision: copy.revision,
                version: copy.version,
                uri: uri.clone(),
                doc: copy,
                engine,
                cache: self.pushed.remove(&uri).unwrap_or_default(),
                settings: self.settings.clone(),
                push: self.push,
                extra: self.workspace.design.get(&uri).cloned().unwrap_or_default(),
            };
            self.analysing.insert(uri, (job.revision, job.version));
            let job = match &self.doc_jobs {
                Some(jobs) => match jobs.send(job) {
                    Ok(()) => continue,
                    Err(crossbeam_channel::SendError(job)) => job,
                },
                None => job,
            };
            // No document thread (it could not be started, or it ended): analysed here.
            self.doc_jobs = None;
            let done = analyse_document(job, &self.connection.sender);
            self.document_done(done)?;
        }
        Ok(())
    }

    /// The document thread's answer: adopted when the document is still the text that was
    /// analysed (its diagnostics published, parked requests answered), else dropped as stale
    /// (the document is due again, and analysed once this answer is in).
    fn document_done(&mut self, done: DocDone) -> Result<(), Error> {
        let DocDone {
            uri,
            revision,
            version,
            outcome,
        } = done;
        self.analysing.remove(&uri);
        let current = self
            .documents
            .get(&uri)
            .is_some_and(|d| d.revision == revision && d.version == version);
        if !current {
            if let Some(doc) = self.documents.get_mut(&uri) {
                if let Ok(Ok((analysed, cache, _))) = outcome {
                    // Edited since the copy: its session (the text as it was then, reparsed and
                    // analysed) is taken under the edits made since, unless the document was
                    // reopened or placed elsewhere meanwhile.
                    let same_opening = doc.revision >> 32 == revision >> 32;
                    if same_opening && revision < doc.revision && same_place(doc, &analysed) {
                        doc.rebase(analysed, revision);
                    }
                    self.pushed.insert(uri.clone(), cache);
                }
                if !is_current(doc) {
                    // Analysed next (after its debounce when a change set one).
                    self.due.entry(uri.clone()).or_insert_with(Instant::now);
                }
            }
            return Ok(());
        }
        match outcome {
            Ok(Ok((doc, cache, json))) => {
                if self.workspace.design_engine.is_some() && doc.path.is_some() {
                    self.design_due.insert(uri.clone());
                }
                self.documents.insert(uri.clone(), doc);
                self.pushed.insert(uri.clone(), cache);
                match json {
                    Some(Ok(json)) => self.send_json(json)?,
                    Some(Err(e)) => self.log(
                        MessageType::ERROR,
                        format!("diagnostics of {}: {e}", uri.as_str()),
                    )?,
                    None => {}
                }
            }
            Ok(Err(e)) => {
                if let Some(doc) = self.documents.get_mut(&uri) {
                    doc.failed = true;
                }
                let message = format!("analysis of {} failed: {e}", uri.as_str());
                self.log(MessageType::ERROR, message)?;
            }
            Err(panic) => {
                self.recover(Some(&uri))?;
                if let Some(doc) = self.documents.get_mut(&uri) {
                    doc.failed = true;
                }
                let message = format!(
                    "analysis of {} failed with an internal error: {panic}; it is retried after \
                     the next change",
                    uri.as_str(),
                );
                self.log(MessageType::ERROR, message)?;
            }
        }
        self.unpark()
    }

    /// Publishes the diagnostics of an open document whose analysis is current (when the
    /// client takes pushed diagnostics).
    fn publish(&mut self, uri: &Uri) -> Result<(), Error> {
        if !self.push {
            return Ok(());
        }
        let engine = self.engine_of(uri)?;
        let Some(doc) = self.documents.get(uri) else {
            return Ok(());
        };
        let cache = self.pushed.entry(uri.clone()).or_default();
        let extra = self
            .workspace
            .design
            .get(uri)
            .map_or(&[][..], Vec::as_slice);
        match cache.publish_json(&engine, doc, uri, &self.settings, extra) {
            Ok((json, _)) => self.send_json(json),
            Err(e) => self.log(
                MessageType::ERROR,
                format!("diagnostics of {}: {e}", uri.as_str()),
            ),
        }
    }

    /// Sends a notification written as JSON text.
    fn send_json(&self, json: String) -> Result<(), Error> {
        if self.raw {
            return self.send(crate::transport::raw(json));
        }
        // Over another connection, an ordinary message (the text parsed back).
        match serde_json::from_str::<Message>(&json) {
            Ok(message) => self.send(message),
            Err(e) => self.log(MessageType::ERROR, format!("diagnostics: {e}")),
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

    // ---- settings ----------------------------------------------------------------------

    /// After the handshake: the problems of `initializationOptions` are logged, the file
    /// watchers registered and the workspace scan started.
    fn initialized(&mut self) -> Result<(), Error> {
        for problem in std::mem::take(&mut self.early_problems) {
            self.log(
                MessageType::WARNING,
                format!("initializationOptions: {problem}"),
            )?;
        }
        if self.caps.watch_registration {
            let glob = format!("**/*.{{{}}}", WATCHED_EXTENSIONS.join(","));
            let options = lsp_types::DidChangeWatchedFilesRegistrationOptions {
                // TOML files: the configuration files, and the rules files they name.
                watchers: [glob, "**/*.toml".to_string()]
                    .into_iter()
                    .map(|glob| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(glob),
                        kind: None,
                    })
                    .collect(),
            };
            let registration = Registration {
                id: "codetable/watched-files".to_string(),
                method: DidChangeWatchedFiles::METHOD.to_string(),
                register_options: Some(to_value(options)),
            };
            self.ask(
                RegisterCapability::METHOD,
                RegistrationParams {
                    registrations: vec![registration],
                },
            )?;
        }
        self.start_scan()
    }

    /// `workspace/didChangeConfiguration`: the new settings replace the old ones (missing keys
    /// take their defaults), the database is reopened when it changed, and every diagnostic is
    /// published again under them (open documents at once, the workspace by a new scan).
    fn configure(&mut self, value: &Value) -> Result<(), Error> {
        let (mut settings, problems) = Settings::from_json(value);
        for problem in problems {
            self.log(MessageType::WARNING, format!("settings: {problem}"))?;
        }
        if settings.database != self.settings.database {
            match &settings.database {
                None => self.engine = EngineHandle::Base(self.base),
                Some(path) => match load_engine(path) {
                    Ok(custom) => self.engine = EngineHandle::Custom(custom),
                    Err(e) => {
                        self.log(MessageType::ERROR, format!("settings: {e}"))?;
                        settings.database = self.settings.database.clone();
                    }
                },
            }
        }
        if settings == self.settings {
            return Ok(());
        }
        self.settings = settings;
        self.reconfigure()
    }

    /// The configuration files or the settings changed: every open document is placed again
    /// (in a new project, so analysed from scratch) and its diagnostics published again, a
    /// pulling client is asked to pull again, and the workspace is scanned again.
    fn reconfigure(&mut self) -> Result<(), Error> {
        self.projects.clear();
        let now = Instant::now();
        let open: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in open {
            self.place(&uri)?;
            if let Some(doc) = self.documents.get_mut(&uri) {
                doc.revision += 1; // pulled results change too
            }
            self.due.insert(uri, now);
        }
        if !self.push && self.caps.diagnostic_refresh {
            self.ask(WorkspaceDiagnosticRefresh::METHOD, ())?;
        }
        self.start_scan()
    }

    // ---- projects ----------------------------------------------------------------------

    /// The project of the file at `path` (`None`: a document without a file); a problem with
    /// its configuration is logged when the project is made.
    fn project_of(&mut self, path: Option<&std::path::Path>) -> Result<Arc<Project>, Error> {
        let (project, problem) = self
            .projects
            .of(path, &self.engine, &self.settings.selection);
        if let Some(problem) = problem {
            self.log(MessageType::WARNING, format!("configuration: {problem}"))?;
        }
        Ok(project)
    }

    /// The folder the code context of the file at `path` is judged below, as the command
    /// judges a scanned folder's files: the innermost workspace folder holding it, else the
    /// folder of its configuration file, else its own folder.
    fn root_of(&self, path: &std::path::Path, project: &Project) -> Option<std::path::PathBuf> {
        let folder = self
            .workspace
            .roots
            .iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.as_os_str().len());
        let config = project.config.file.as_deref().and_then(|f| f.parent());
        folder
            .map(|r| r.to_path_buf())
            .or_else(|| {
                config
                    .filter(|c| path.starts_with(c))
                    .map(|c| c.to_path_buf())
            })
            .or_else(|| path.parent().map(|p| p.to_path_buf()))
    }

    /// Gives the open document `uri` its file, code-context root and project.
    fn place(&mut self, uri: &Uri) -> Result<(), Error> {
        let path = workspace::path_of(uri);
        let project = self.project_of(path.as_deref())?;
        let root = path.as_deref().and_then(|p| self.root_of(p, &project));
        if let Some(doc) = self.documents.get_mut(uri) {
            doc.place(path, root, project);
        }
        Ok(())
    }

    /// The engine of the open document `uri`'s project.
    fn engine_of(&mut self, uri: &Uri) -> Result<Arc<Engine>, Error> {
        if let Some(p) = self.documents.get(uri).and_then(|d| d.project.as_ref()) {
            return Ok(p.engine.clone());
        }
        Ok(self.project_of(None)?.engine.clone())
    }

    // ---- the workspace -----------------------------------------------------------------

    /// The path of `uri` when the scan should analyse it: the scan is on, the file is not
    /// open, lies in a root folder and is a source file.
    fn scannable(&self, uri: &Uri) -> Option<Candidate> {
        if !self.settings.workspace_scan || self.documents.contains_key(uri) {
            return None;
        }
        self.workspace.candidate(&workspace::path_of(uri)?)
    }

    /// `workspace/didChangeWatchedFiles`: files created or changed are analysed again, deleted
    /// ones lose their diagnostics. Open documents are the editor's: their text on disk does
    /// not matter.
    fn watched(&mut self, p: DidChangeWatchedFilesParams) -> Result<(), Error> {
        let configuration = p.changes.iter().any(|c| {
            workspace::path_of(&c.uri).is_some_and(|path| {
                project::is_config_file(&path) || self.projects.uses_rules(&path)
            })
        });
        if configuration {
            // Every file's findings may change: all are analysed again.
            return self.reconfigure();
        }
        for change in p.changes {
            if change.typ == FileChangeType::DELETED {
                if self.workspace.results.remove(&change.uri).is_some() {
                    self.workspace.changed = true;
                }
                if self.workspace.published.remove(&change.uri) {
                    let clear = PublishDiagnosticsParams::new(change.uri, Vec::new(), None);
                    self.notify(PublishDiagnostics::METHOD, clear)?;
                }
            } else if let Some(file) = self.scannable(&change.uri) {
                if !self.workspace.pending.contains(&file) {
                    self.workspace.pending.push_back(file);
                }
            }
        }
        Ok(())
    }

    /// Starts a run of the workspace scan over the root folders (ending the one going on), or,
    /// with the scan turned off, clears what it published.
    fn start_scan(&mut self) -> Result<(), Error> {
        // What the analysis thread answers for files handed to it before is stale.
        self.workspace.generation += 1;
        if let Some(old) = self.workspace.scan.take() {
            self.end_progress(&old, "restarted")?;
        }
        if !self.settings.workspace_scan || self.workspace.roots.is_empty() {
            for uri in std::mem::take(&mut self.workspace.published) {
                let clear = PublishDiagnosticsParams::new(uri, Vec::new(), None);
                self.notify(PublishDiagnostics::METHOD, clear)?;
            }
            self.workspace.pending.clear();
            return Ok(());
        }
        let files = workspace::source_files(&self.workspace.roots);
        // Files published before that are no longer there (deleted while the server was not
        // watching) lose their diagnostics.
        let listed: HashSet<String> = files
            .iter()
            .filter_map(|c| workspace::uri_of(&c.path))
            .map(|u| u.as_str().to_string())
            .collect();
        let gone: Vec<Uri> = self
            .workspace
            .published
            .iter()
            .filter(|u| !listed.contains(u.as_str()))
            .cloned()
            .collect();
        for uri in gone {
            self.workspace.published.remove(&uri);
            self.notify(
                PublishDiagnostics::METHOD,
                PublishDiagnosticsParams::new(uri, Vec::new(), None),
            )?;
        }
        self.workspace.runs += 1;
        // Design patterns (when the first folder's project selects some) are recognised over
        // the files of the run, at its end.
        let first = self.workspace.roots[0].join("*");
        let engine = self.project_of(Some(&first))?.engine.clone();
        self.workspace.design_engine = codetable::project::design::selected_role_patterns(&engine)
            .is_ok_and(|r| !r.is_empty())
            .then_some(engine);
        let token = format!("codetable/scan/{}", self.workspace.runs);
        let progress = if self.caps.progress {
            let create = WorkDoneProgressCreateParams {
                token: NumberOrString::String(token.clone()),
            };
            Progress::Asked(
                self.ask(WorkDoneProgressCreate::METHOD, create)?,
                Instant::now(),
            )
        } else {
            Progress::None
        };
        self.workspace.scan = Some(Scan {
            recognised: false,
            cached: 0,
            total: files.len(),
            queue: files.into(),
            done: 0,
            findings: 0,
            token,
            progress,
            started: Instant::now(),
        });
        Ok(())
    }

    /// When the scan wants to run again: now when it has files to analyse and none is being
    /// analysed, at the end of the wait for the progress token, or never (the analysis
    /// thread's answer wakes the loop).
    fn scan_wake(&self) -> Option<Instant> {
        if self.in_flight.is_some() {
            return None;
        }
        if !self.workspace.pending.is_empty()
            || (!self.design_due.is_empty() && self.workspace.scan.is_none())
        {
            return Some(Instant::now());
        }
        let scan = self.workspace.scan.as_ref()?;
        match &scan.progress {
            Progress::Asked(_, at) => Some(*at + PROGRESS_WAIT),
            _ => Some(Instant::now()),
        }
    }

    /// Hands the next file of the workspace to the analysis thread (unless one is being
    /// analysed): the pending single files first, then the run's; ends the run when its
    /// queue is empty and its last file answered.
    fn scan_step(&mut self) -> Result<(), Error> {
        if self.in_flight.is_some() {
            return Ok(());
        }
        while let Some(file) = self.workspace.pending.pop_front() {
            if self.dispatch(file, false)? {
                return Ok(());
            }
        }
        if self.workspace.scan.is_none() && !self.design_due.is_empty() {
            if let Some(engine) = self.workspace.design_engine.clone() {
                let mut texts = Vec::new();
                for uri in std::mem::take(&mut self.design_due) {
                    let Some(doc) = self.documents.get(&uri) else {
                        continue;
                    };
                    let Some(path) = &doc.path else {
                        continue;
                    };
                    texts.push(OpenText {
                        key: path.to_string_lossy().into_owned(),
                        language: doc.session.document().language(),
                        text: doc.text().to_string(),
                        uri,
                    });
                }
                if !texts.is_empty() {
                    let work = Work::Open(self.workspace.generation, texts, engine, self.unit);
                    return self.hand_over(work);
                }
            } else {
                self.design_due.clear();
            }
        }
        if self.workspace.scan.is_none() && self.workspace.design_stale {
            // Files changed on disk since the run: their design patterns are recognised again.
            self.workspace.design_stale = false;
            if let Some(engine) = self.workspace.design_engine.clone() {
                let work = Work::Design(self.workspace.generation, engine, self.unit);
                return self.hand_over(work);
            }
        }
        let Some(scan) = &mut self.workspace.scan else {
            return self.refresh_pulled();
        };
        if let Progress::Asked(_, at) = &scan.progress {
            if at.elapsed() < PROGRESS_WAIT {
                return Ok(());
            }
            scan.progress = Progress::None; // the client never answered
        }
        while let Some(file) = self
            .workspace
            .scan
            .as_mut()
            .and_then(|s| s.queue.pop_front())
        {
            if self.dispatch(file, true)? {
                return Ok(());
            }
            if let Some(scan) = &mut self.workspace.scan {
                scan.done += 1; // open in the editor, or not a file URI: nothing to analyse
            }
        }
        self.recognise_or_end()
    }

    /// At the end of a run's files: the design patterns of the workspace are recognised (on the
    /// analysis thread) when its engine selects some, else the run ends.
    fn recognise_or_end(&mut self) -> Result<(), Error> {
        let recognised = self.workspace.scan.as_ref().is_none_or(|s| s.recognised);
        match self.workspace.design_engine.clone() {
            Some(engine) if !recognised => {
                self.hand_over(Work::Design(self.workspace.generation, engine, self.unit))
            }
            _ => self.end_scan(),
        }
    }

    /// Reports the run's progress, or ends it when its queue is empty and nothing is being
    /// analysed.
    fn scan_progress(&mut self) -> Result<(), Error> {
        let Some(scan) = &mut self.workspace.scan else {
            return Ok(());
        };
        if scan.queue.is_empty() {
            if self.in_flight.is_some() {
                return Ok(());
            }
            return self.recognise_or_end();
        }
        let now = percent(scan.done, scan.total);
        if let Progress::Shown(last) = scan.progress {
            if now > last {
                scan.progress = Progress::Shown(now);
                let report = WorkDoneProgress::Report(WorkDoneProgressReport {
                    cancellable: Some(false),
                    message: Some(format!("{}/{} files", scan.done, scan.total)),
                    percentage: Some(now),
                });
                let token = NumberOrString::String(scan.token.clone());
                self.progress(token, report)?;
            }
        }
        Ok(())
    }

    /// Ends the run: progress, summary, cache eviction, refresh of a pulling client.
    fn end_scan(&mut self) -> Result<(), Error> {
        let Some(scan) = self.workspace.scan.take() else {
            return Ok(());
        };
        let summary = format!(
            "{} file{} scanned ({} unchanged, from the result cache), {} finding{} ({:.2} s)",
            scan.done,
            if scan.done == 1 { "" } else { "s" },
            scan.cached,
            scan.findings,
            if scan.findings == 1 { "" } else { "s" },
            scan.started.elapsed().as_secs_f64()
        );
        if let Some((store, _)) = self.result_cache() {
            let _ = store.trim(); // bounded; a failure only leaves the folder larger
        }
        self.end_progress(&scan, &summary)?;
        self.log(MessageType::INFO, format!("workspace scan: {summary}"))?;
        // The run's model has the files on disk; the open documents' texts go in now.
        if self.workspace.design_engine.is_some() {
            self.design_due.extend(self.documents.keys().cloned());
        }
        self.refresh_pulled()
    }

    /// Asks a client that pulls the workspace's diagnostics to pull again when the scan
    /// changed some since its last pull (and it supports `workspace/diagnostic/refresh`).
    fn refresh_pulled(&mut self) -> Result<(), Error> {
        if self.workspace.pulled && self.workspace.changed && self.caps.diagnostic_refresh {
            self.workspace.changed = false;
            self.ask(WorkspaceDiagnosticRefresh::METHOD, ())?;
        }
        Ok(())
    }

    fn end_progress(&self, scan: &Scan, message: &str) -> Result<(), Error> {
        if !matches!(scan.progress, Progress::Shown(_)) {
            return Ok(());
        }
        let end = WorkDoneProgress::End(WorkDoneProgressEnd {
            message: Some(message.to_string()),
        });
        self.progress(NumberOrString::String(scan.token.clone()), end)
    }

    /// The result cache of the workspace scan and the digest of the database in use, unless the
    /// settings turn it off or no cache folder can be made.
    fn result_cache(&mut self) -> Option<(ResultCache, u128)> {
        if !self.settings.result_cache {
            return None;
        }
        let engine_id = self.engine.id();
        if self
            .workspace
            .db_digest
            .is_none_or(|(id, _)| id != engine_id)
        {
            let digest = codetable::cache::db_digest(self.engine.db());
            self.workspace.db_digest = Some((engine_id, digest));
        }
        let dir = ResultCache::default_dir()?;
        let store = ResultCache::open(dir).ok()?;
        Some((store, self.workspace.db_digest?.1))
    }

    /// Hands the file to the analysis thread (with everything its analysis depends on) unless
    /// it is open in the editor or has no URI; answers whether it did. Without an analysis
    /// thread, the file is analysed here.
    fn dispatch(&mut self, file: Candidate, counted: bool) -> Result<bool, Error> {
        let Some(uri) = workspace::uri_of(&file.path) else {
            return Ok(false);
        };
        if self.documents.contains_key(&uri) {
            return Ok(false);
        }
        let project = self.project_of(Some(&file.path))?;
        let job = ScanJob {
            generation: self.workspace.generation,
            design: self.workspace.design_engine.clone(),
            counted,
            stamp: project.stamp(Some(&file.path)),
            project,
            cache: self.result_cache(),
            settings: self.settings.clone(),
            unit: self.unit,
            uri,
            file,
        };
        self.hand_over(Work::File(Box::new(job)))?;
        Ok(true)
    }

    /// Hands `work` to the analysis thread, or, without one, does it here.
    fn hand_over(&mut self, work: Work) -> Result<(), Error> {
        self.in_flight = Some(self.workspace.generation);
        let work = match &self.jobs {
            Some(jobs) => match jobs.send(work) {
                Ok(()) => return Ok(()),
                Err(crossbeam_channel::SendError(work)) => work,
            },
            None => work,
        };
        // No analysis thread (it could not be started, or it ended): done here.
        self.jobs = None;
        let answer = self.inline.handle(work, &self.connection.sender);
        self.answered(answer)
    }

    /// An answer of the analysis thread.
    fn answered(&mut self, answer: Answer) -> Result<(), Error> {
        match answer {
            Answer::File(done) => self.scan_done(done),
            Answer::Design(generation, found) => self.design_done(generation, found),
            Answer::Open(generation, found) => self.open_design_done(generation, found),
        }
    }

    /// The design-pattern diagnostics of the workspace's files, recognised at the end of a run:
    /// every file whose participants changed is published again (its own diagnostics with
    /// them).
    // `Uri` caches its parse inside; its hash and equality are its text's.
    #[allow(clippy::mutable_key_type)]
    fn design_done(
        &mut self,
        generation: u64,
        found: HashMap<Uri, Vec<Diagnostic>>,
    ) -> Result<(), Error> {
        self.in_flight = None;
        if generation != self.workspace.generation {
            return Ok(());
        }
        if let Some(scan) = &mut self.workspace.scan {
            scan.recognised = true;
            scan.findings += found.values().map(Vec::len).sum::<usize>();
        }
        self.republish_design(found)?;
        self.scan_progress()
    }

    /// The participants recognised with the open documents' texts in the model (after
    /// [`Work::Open`]): published like those of a run's end.
    // `Uri` caches its parse inside; its hash and equality are its text's.
    #[allow(clippy::mutable_key_type)]
    fn open_design_done(
        &mut self,
        generation: u64,
        found: HashMap<Uri, Vec<Diagnostic>>,
    ) -> Result<(), Error> {
        self.in_flight = None;
        if generation != self.workspace.generation {
            return Ok(());
        }
        self.republish_design(found)
    }

    /// Replaces the participants' diagnostics with `found` and publishes again every file whose
    /// participants changed: a scanned file with its own diagnostics from the scan, an open
    /// document (when its analysis is current; else at its next one) with its findings.
    // `Uri` caches its parse inside; its hash and equality are its text's.
    #[allow(clippy::mutable_key_type)]
    fn republish_design(&mut self, found: HashMap<Uri, Vec<Diagnostic>>) -> Result<(), Error> {
        let old = std::mem::replace(&mut self.workspace.design, found);
        let mut uris: Vec<Uri> = old
            .keys()
            .chain(self.workspace.design.keys())
            .cloned()
            .collect();
        uris.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        uris.dedup();
        for uri in uris {
            if old.get(&uri) == self.workspace.design.get(&uri) {
                continue;
            }
            if let Some(doc) = self.documents.get_mut(&uri) {
                doc.revision += 1; // pulled results change too
                if self.analysing.contains_key(&uri) {
                    // That analysis's answer is now stale: the document is analysed again.
                    self.due.insert(uri, Instant::now());
                } else if is_current(doc) {
                    self.publish(&uri)?;
                }
                continue;
            }
            let own: Vec<Diagnostic> = self
                .workspace
                .results
                .get(&uri)
                .map(|(_, items)| {
                    items
                        .iter()
                        .filter(|d| !findings::is_participant(d))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            self.publish_scanned(uri, own)?;
        }
        Ok(())
    }

    /// Keeps and (unless the client pulls) publishes a scanned file's diagnostics: its own
    /// `items` and its design-pattern participants.
    fn publish_scanned(&mut self, uri: Uri, mut items: Vec<Diagnostic>) -> Result<(), Error> {
        if let Some(design) = self.workspace.design.get(&uri) {
            items.extend(design.iter().cloned());
        }
        self.workspace.keep(&uri, &items);
        if self.workspace.pulled {
            return Ok(());
        }
        let had = if items.is_empty() {
            self.workspace.published.remove(&uri)
        } else {
            self.workspace.published.insert(uri.clone());
            true
        };
        if had {
            let params = PublishDiagnosticsParams::new(uri, items, None);
            self.notify(PublishDiagnostics::METHOD, params)?;
        }
        Ok(())
    }

    /// The analysis thread's answer for one file: its diagnostics are kept and published
    /// (when it has some or had some), unless the run it belonged to was superseded (the
    /// settings or configuration changed) or the file was opened meanwhile.
    fn scan_done(&mut self, done: ScanDone) -> Result<(), Error> {
        self.in_flight = None;
        if done.generation != self.workspace.generation {
            return Ok(()); // stale: a newer run analyses the file again
        }
        let items = match done.outcome {
            Ok(Ok(items)) => items,
            Ok(Err(_)) => Vec::new(), // gone, unreadable, too large, binary: nothing to show
            Err(panic) => {
                let message = format!(
                    "workspace scan of {} failed with an internal error: {panic}",
                    done.path.display(),
                );
                self.log(MessageType::ERROR, message)?;
                Vec::new()
            }
        };
        let count = items.len();
        if !done.counted && self.workspace.design_engine.is_some() {
            self.workspace.design_stale = true;
        }
        if done.counted {
            if let Some(scan) = &mut self.workspace.scan {
                scan.done += 1;
                scan.findings += count;
                scan.cached += usize::from(done.from_cache);
            }
        }
        let uri = done.uri;
        if !self.documents.contains_key(&uri) {
            self.publish_scanned(uri, items)?;
        }
        if done.counted {
            self.scan_progress()?;
        }
        Ok(())
    }
}

/// One file of the workspace for the analysis thread, with what its diagnostics depend on.
pub(crate) struct ScanJob {
    /// The scan generation it belongs to ([`Workspace::generation`]).
    generation: u64,
    /// The engine recognising design patterns, when the run recognises them: the file's
    /// model is kept for it.
    design: Option<Arc<Engine>>,
    /// Part of the run's count (else a single file changed on disk).
    counted: bool,
    file: Candidate,
    uri: Uri,
    project: Arc<Project>,
    stamp: String,
    cache: Option<(ResultCache, u128)>,
    settings: Settings,
    unit: OffsetUnit,
}

/// The analysis thread's answer for one [`ScanJob`].
pub(crate) struct ScanDone {
    generation: u64,
    counted: bool,
    uri: Uri,
    path: std::path::PathBuf,
    /// The diagnostics, why the file could not be read, or the panic's message.
    outcome: Result<Result<Vec<Diagnostic>, String>, String>,
    from_cache: bool,
}

/// Work for the analysis thread.
pub(crate) enum Work {
    /// Analyse one file.
    File(Box<ScanJob>),
    /// Recognise the design patterns of the files of this generation, with this engine, and
    /// give their participants' diagnostics in this unit.
    Design(u64, Arc<Engine>, OffsetUnit),
    /// Put the open documents' texts (key, language, text, URI) in the model of this
    /// generation in place of the files on disk, then recognise as [`Work::Design`] does.
    Open(u64, Vec<OpenText>, Arc<Engine>, OffsetUnit),
}

/// An open document's text for the design model ([`Work::Open`]).
pub(crate) struct OpenText {
    key: String,
    language: Language,
    text: String,
    uri: Uri,
}

/// The analysis thread's answers.
pub(crate) enum Answer {
    /// A file's diagnostics.
    File(ScanDone),
    /// The participants' diagnostics of a generation, by file.
    Design(u64, HashMap<Uri, Vec<Diagnostic>>),
    /// The same, recognised with the open documents' texts ([`Work::Open`]).
    Open(u64, HashMap<Uri, Vec<Diagnostic>>),
}

/// What the analysis thread keeps between jobs: the design model of the current generation's
/// files.
#[derive(Default)]
pub(crate) struct Analyst {
    generation: u64,
    design: codetable::project::design::DesignProject,
    /// The URI of each file in the model, by its key there.
    uris: HashMap<String, Uri>,
}

impl Analyst {
    // `Uri` caches its parse inside; its hash and equality are its text's.
    #[allow(clippy::mutable_key_type)]
    fn handle(&mut self, work: Work, client: &crossbeam_channel::Sender<Message>) -> Answer {
        match work {
            Work::File(job) => {
                if job.generation != self.generation {
                    // A new run: its files make a new model.
                    *self = Analyst {
                        generation: job.generation,
                        ..Analyst::default()
                    };
                }
                test_delay(&job.settings, client, &job.uri);
                Answer::File(analyse_file(*job, self))
            }
            Work::Open(generation, texts, engine, unit) => {
                if generation != self.generation {
                    *self = Analyst {
                        generation,
                        ..Analyst::default()
                    };
                }
                let found = catch_unwind(AssertUnwindSafe(|| {
                    for t in texts {
                        if self
                            .design
                            .set_document(&engine, &t.key, t.language, &t.text)
                            .is_ok()
                        {
                            self.uris.insert(t.key, t.uri);
                        }
                    }
                    findings::participants(&engine, &self.design, &self.uris, unit)
                }))
                .unwrap_or_default();
                Answer::Open(generation, found)
            }
            Work::Design(generation, engine, unit) => {
                let found = catch_unwind(AssertUnwindSafe(|| {
                    findings::participants(&engine, &self.design, &self.uris, unit)
                }))
                .unwrap_or_default();
                Answer::Design(generation, found)
            }
        }
    }
}

/// A worker thread named `name` that answers the jobs it is handed with `handle`, in order,
/// until the server drops its end of the job channel (at `exit`: a job being handled then is
/// finished and its answer dropped). `None` when no thread can be started.
fn worker<J: Send + 'static, A: Send + 'static>(
    name: &str,
    mut handle: impl FnMut(J) -> A + Send + 'static,
) -> Option<(crossbeam_channel::Sender<J>, crossbeam_channel::Receiver<A>)> {
    let (jobs, todo) = crossbeam_channel::unbounded::<J>();
    let (answers, done) = crossbeam_channel::unbounded::<A>();
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            for job in todo {
                if answers.send(handle(job)).is_err() {
                    break;
                }
            }
        })
        .ok()?;
    Some((jobs, done))
}

/// The analysis thread: the workspace scan's work, in order. `None` when no thread can be
/// started.
fn analysis_thread(
    client: crossbeam_channel::Sender<Message>,
) -> Option<(
    crossbeam_channel::Sender<Work>,
    crossbeam_channel::Receiver<Answer>,
)> {
    let mut analyst = Analyst::default();
    worker("codetable-scan", move |work| analyst.handle(work, &client))
}

/// An open document's analysis for the document thread: a copy of the document, with what its
/// diagnostics depend on.
pub(crate) struct DocJob {
    uri: Uri,
    /// The document's revision and version when it was copied: the answer is stale when they
    /// changed since.
    revision: u64,
    version: i32,
    doc: OpenDocument,
    engine: Arc<Engine>,
    /// The JSON of the diagnostics last pushed for the document (reused where unchanged).
    cache: DiagnosticCache,
    settings: Settings,
    /// Publish the diagnostics (the client does not pull them).
    push: bool,
    /// The document's design-pattern participants, published after its findings.
    extra: Vec<Diagnostic>,
}

/// The document thread's answer for one [`DocJob`].
pub(crate) struct DocDone {
    uri: Uri,
    revision: u64,
    version: i32,
    /// The analysed document, its diagnostic cache and (when pushed) the notification's JSON
    /// or why it could not be written; the analysis's error; or the panic's message.
    #[allow(clippy::type_complexity)]
    outcome: Result<
        Result<
            (
                OpenDocument,
                DiagnosticCache,
                Option<Result<String, String>>,
            ),
            String,
        >,
        String,
    >,
}

/// The document thread: analyses the open documents it is handed, in order, until the server
/// drops its end of the channel. `None` when no thread can be started.
fn document_thread(
    client: crossbeam_channel::Sender<Message>,
) -> Option<(
    crossbeam_channel::Sender<DocJob>,
    crossbeam_channel::Receiver<DocDone>,
)> {
    worker("codetable-documents", move |job| {
        analyse_document(job, &client)
    })
}

/// Brings a copy of an open document's findings up to date with its text (an incremental
/// `analyze_delta`) and writes its `publishDiagnostics` notification. A panic is caught and
/// answered as an error.
fn analyse_document(job: DocJob, client: &crossbeam_channel::Sender<Message>) -> DocDone {
    let DocJob {
        uri,
        revision,
        version,
        mut doc,
        engine,
        mut cache,
        settings,
        push,
        extra,
    } = job;
    test_delay(&settings, client, &uri);
    let shown_as = uri.clone();
    let outcome = catch_unwind(AssertUnwindSafe(move || {
        // The edits since the last analysis, reparsed together, then analysed.
        if let Err(e) = doc.flush() {
            return Err(e.to_string());
        }
        if let Err(e) = doc.session.analyze_delta(&engine) {
            return Err(e.to_string());
        }
        let json = push.then(|| {
            cache
                .publish_json(&engine, &doc, &shown_as, &settings, &extra)
                .map(|(json, _)| json)
                .map_err(|e| e.to_string())
        });
        Ok((doc, cache, json))
    }))
    .map_err(|panic| panic_message(&*panic));
    DocDone {
        uri,
        revision,
        version,
        outcome,
    }
}

/// Analyses one file from disk (from the result cache when it is there): its diagnostics.
/// A panic is caught and answered as an error.
fn analyse_file(job: ScanJob, analyst: &mut Analyst) -> ScanDone {
    let ScanJob {
        generation,
        design,
        counted,
        file,
        uri,
        project,
        stamp,
        cache,
        settings,
        unit,
    } = job;
    let path = file.path.as_path();
    let mut from_cache = false;
    let root = file.root.as_deref();
    let engine = project.engine.clone();
    let analysed = catch_unwind(AssertUnwindSafe(|| -> Result<_, String> {
        // Generated content found by the walk is left out as `codetable scan` leaves it out.
        let file = file.read(&Intake::default()).map_err(|s| s.detail)?;
        if let Some(engine) = &design {
            // The file's declarations, for the design patterns recognised at the run's end.
            let key = path.to_string_lossy();
            if analyst
                .design
                .set_document(engine, &key, file.language, &file.text)
                .is_ok()
            {
                analyst.uris.insert(key.into_owned(), uri.clone());
            }
        }
        // The diagnostics depend on the text, the database, the settings' filter, the
        // position unit, the file's URI (related information names it) and the folder its
        // code context is judged below.
        let key = cache.as_ref().map(|(_, db)| {
            let scope = format!(
                "lsp-scan/3/{}/{:?}/{:?}/{:?}/{:?}/{}/{}/{stamp}",
                file.language.name(),
                root,
                unit,
                settings.groups,
                settings.min_severity,
                uri.as_str(),
                codetable::cache::build_stamp()
            );
            CacheKey::new(file.text.as_bytes(), *db, &scope)
        });
        if let (Some((store, _)), Some(key)) = (&cache, &key) {
            let hit = store
                .get(key)
                .and_then(|b| serde_json::from_slice::<Vec<Diagnostic>>(&b).ok());
            if let Some(items) = hit {
                from_cache = true;
                return Ok(items);
            }
        }
        let mut doc =
            OpenDocument::new(file.language, file.text, unit, 0).map_err(|e| e.to_string())?;
        // Judged below its workspace folder, never by the folders above it.
        doc.place(
            Some(path.to_path_buf()),
            root.map(std::path::PathBuf::from),
            project.clone(),
        );
        doc.session.analyze(&engine).map_err(|e| e.to_string())?;
        let items =
            findings::diagnostics(&engine, &doc, &uri, &settings).map_err(|e| e.to_string())?;
        if let (Some((store, _)), Some(key)) = (&cache, &key) {
            if let Ok(json) = serde_json::to_vec(&items) {
                // A cache that cannot be written costs speed, never a result.
                let _ = store.put(key, &json);
            }
        }
        Ok(items)
    }));
    ScanDone {
        generation,
        counted,
        path: file.path.clone(),
        uri,
        outcome: analysed.map_err(|panic| panic_message(&*panic)),
        from_cache,
    }
}

/// The extensions the file watchers registered with the client cover.
const WATCHED_EXTENSIONS: &[&str] = &[
    "py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "java", "kt", "kts", "go",
    "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "hxx",
];

/// An engine over the database file at `path`, or why it cannot be opened.
fn load_engine(path: &std::path::Path) -> Result<Arc<Engine>, String> {
    PatternDb::open(path)
        .map(|db| Arc::new(Engine::new(db)))
        .map_err(|e| format!("cannot open the database {}: {e}", path.display()))
}

/// `done` of `total` as a whole percentage (100 for an empty run).
fn percent(done: usize, total: usize) -> u32 {
    (done * 100).checked_div(total).map_or(100, |p| p as u32)
}

/// The test hook ([`Settings::analysis_delay`]): logs `test: analysing <uri>` to the client,
/// then waits. Nothing without the hook.
fn test_delay(settings: &Settings, client: &crossbeam_channel::Sender<Message>, uri: &Uri) {
    if settings.analysis_delay.is_zero() {
        return;
    }
    let message = format!("test: analysing {}", uri.as_str());
    let params = LogMessageParams {
        typ: MessageType::LOG,
        message,
    };
    let _ = client.send(Notification::new(LogMessage::METHOD.to_string(), params).into());
    std::thread::sleep(settings.analysis_delay);
}

/// Whether the document's findings belong to its current text (no edit since its analysis).
fn is_fresh(doc: &OpenDocument) -> bool {
    doc.pending.is_empty()
        && !doc.session.has_pending_edits()
        && doc.session.analyzed_by().is_some()
}

/// Whether the document's session holds an analysis of its text by its project's engine (the
/// last one: edits may be pending on top of it).
fn analysed(doc: &OpenDocument) -> bool {
    !doc.session.has_pending_edits()
        && doc.session.analyzed_by().is_some()
        && doc.session.analyzed_by() == doc.project.as_ref().map(|p| p.engine.id())
}

/// Whether the document's findings are current: of its text, by its project's engine.
fn is_current(doc: &OpenDocument) -> bool {
    doc.pending.is_empty() && analysed(doc)
}

/// Whether an analysed copy was placed as the document is now (same file, folder and project).
fn same_place(doc: &OpenDocument, copy: &OpenDocument) -> bool {
    doc.path == copy.path
        && doc.root == copy.root
        && match (&doc.project, &copy.project) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        }
}

/// Carries byte offset `at` of text `from` to the same place in text `to`, the two texts
/// differing by edits in one stretch: an offset before the stretch (in their common prefix)
/// stays, one after it (in their common suffix) moves by the difference of the lengths, one
/// inside it has no place (`None`). The offsets are at char boundaries of both texts.
fn carry(from: &str, to: &str, at: usize) -> Option<usize> {
    let (a, b) = (from.as_bytes(), to.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let moved = if at <= prefix {
        at
    } else if at >= a.len() - suffix {
        at + b.len() - a.len()
    } else {
        return None;
    };
    to.is_char_boundary(moved).then_some(moved)
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

#[cfg(test)]
mod tests {
    use super::carry;

    #[test]
    fn offsets_are_carried_over_the_unchanged_text_around_an_edit() {
        // "😀" inserted after "ü" on the first line: 4 bytes.
        let before = "# ü\nh = sha256(b'é')\n";
        let after = "# ü😀\nh = sha256(b'é')\n";
        let at = before.find("sha").unwrap();
        assert_eq!(carry(before, after, at), Some(at + 4));
        assert_eq!(carry(after, before, at + 4), Some(at));
        assert_eq!(carry(before, after, 1), Some(1));
        assert_eq!(carry(before, after, before.len()), Some(after.len()));
        // Inside a replaced stretch: no place.
        let typed = "# ü\nh = md5(b'é')\n";
        assert_eq!(carry(before, typed, before.find("256").unwrap()), None);
        assert_eq!(
            carry(before, typed, before.find("(b").unwrap()),
            Some(typed.find("(b").unwrap())
        );
        // Identical texts: every offset stays.
        assert_eq!(carry(before, before, 7), Some(7));
    }
}
