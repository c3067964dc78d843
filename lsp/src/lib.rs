//! The codetable language server: `codetable lsp` speaks the Language Server Protocol over
//! standard input and output, so every LSP editor shows codetable's findings as diagnostics and a
//! pattern's property sheet as a hover.
//!
//! This crate owns the protocol: the handshake (position encoding negotiation), the message loop
//! (debounced diagnostics, cancellation, panics answered as errors, shutdown) and the translation
//! of LSP positions, edits and results. Everything about documents and findings is core's: each
//! open document is a [`codetable::Session`] in the negotiated offset unit, diagnostics come from
//! [`codetable::Session::analyze_delta`] and hovers from [`codetable::PatternSheet::to_markdown`].
//!
//! ```no_run
//! use codetable::{Engine, PatternDb};
//!
//! let engine = Engine::new(PatternDb::default_catalog());
//! codetable_lsp::run_stdio(&engine)?;
//! # Ok::<(), codetable_lsp::Error>(())
//! ```
//!
//! For tests and embedding, [`run`] serves any [`lsp_server::Connection`] (an in-memory pair from
//! [`lsp_server::Connection::memory`], a socket).

mod actions;
mod config;
mod document;
mod findings;
mod project;
mod server;
mod transport;
mod workspace;

use std::time::Duration;

use codetable::Engine;
use lsp_server::Connection;

pub use lsp_server;
pub use lsp_types;

/// How long the server waits after a document's last change before it analyses it and publishes
/// its diagnostics: a burst of keystrokes (or the many changes of one paste or refactoring) costs
/// one analysis, and a single keystroke is still answered well within a frame of typing.
pub const DEBOUNCE: Duration = Duration::from_millis(75);

/// Environment variable for the end-to-end tests: when it names a method (`textDocument/hover`),
/// the handler of that method panics, so a test can check that the panic is answered with an
/// error and the server keeps running. Unset in normal use.
pub const TEST_PANIC_ENV: &str = "CODETABLE_LSP_TEST_PANIC";

/// Why the server stopped other than by `shutdown` then `exit`.
#[derive(Debug)]
pub enum Error {
    /// The handshake failed (no `initialize` request, or the connection closed before it).
    Protocol(lsp_server::ProtocolError),
    /// The client closed the connection without `exit`.
    Disconnected,
    /// The client sent `exit` without `shutdown` first (LSP asks for exit code 1).
    ExitWithoutShutdown,
    /// Reading or writing the stream failed (a malformed message header, a closed pipe).
    Io(std::io::Error),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Protocol(e) => write!(f, "language server handshake failed: {e}"),
            Error::Disconnected => f.write_str("the client closed the connection without `exit`"),
            Error::ExitWithoutShutdown => f.write_str("the client sent `exit` without `shutdown`"),
            Error::Io(e) => write!(f, "language server connection failed: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Protocol(e) => Some(e),
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<lsp_server::ProtocolError> for Error {
    fn from(e: lsp_server::ProtocolError) -> Self {
        Error::Protocol(e)
    }
}

/// Serves one client over standard input and output until it sends `shutdown` and `exit`
/// (`Ok`) or goes away (`Err`), with `engine`'s patterns.
pub fn run_stdio(engine: &Engine) -> Result<(), Error> {
    // lsp_server's transport, whose writer also writes diagnostics kept as JSON text.
    let (connection, io) = transport::stdio();
    let result = serve(&connection, engine, true);
    drop(connection);
    // The reader thread ends at `exit` or at the end of the input, the writer when the
    // connection is dropped: joining flushes what is still being written.
    let joined = io.join();
    match (result, joined) {
        (Ok(()), Ok(())) => Ok(()),
        (Ok(()), Err(e)) => Err(Error::Io(e)),
        // A malformed message ends the reader with an I/O error: that is the better reason.
        (Err(Error::Disconnected), Err(e)) => Err(Error::Io(e)),
        (Err(e), _) => Err(e),
    }
}

/// Serves one client over `connection`: waits for `initialize`, answers it, then handles
/// messages until `exit`.
pub fn run(connection: &Connection, engine: &Engine) -> Result<(), Error> {
    serve(connection, engine, false)
}

/// [`run`]; `raw`: the connection's writer takes messages as JSON text ([`transport`]).
fn serve(connection: &Connection, engine: &Engine, raw: bool) -> Result<(), Error> {
    let (id, params) = connection.initialize_start()?;
    let server = server::Server::new(engine, connection, &params, raw);
    let reply = lsp_server::Response::new_ok(id, server.initialize_result());
    connection
        .sender
        .send(reply.into())
        .map_err(|_| Error::Disconnected)?;
    server.serve()
}
