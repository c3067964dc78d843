//! The standard input and output transport, as `lsp_server`'s (a reader thread that stops after
//! `exit`, a writer thread), with one addition: a message already written as JSON text.
//!
//! The server writes a document's diagnostics from the JSON of each diagnostic, kept between
//! publications ([`crate::findings::DiagnosticCache`]): a keystroke no longer builds, serialises
//! and frees a `serde_json::Value` tree of every finding of the file. Such a message travels the
//! same channel as the others (so the order of messages is kept) as a notification of method
//! [`RAW`] whose parameter is the message's text; the writer writes that text as it is. Only this
//! transport knows the convention: over any other connection the server sends ordinary messages.

use std::io::{self, BufRead, Write};
use std::thread;

use crossbeam_channel::bounded;
use lsp_server::{Connection, Message, Notification};
use serde_json::Value;

/// The method of a notification carrying a whole message's JSON text (never sent as such).
pub(crate) const RAW: &str = "$/codetable/raw";

/// A message of JSON text `body` (a whole JSON-RPC message), for [`RAW`]-aware writers.
pub(crate) fn raw(body: String) -> Message {
    Notification::new(RAW.to_string(), Value::String(body)).into()
}

/// The reader and writer threads of [`stdio`].
pub(crate) struct IoThreads {
    reader: thread::JoinHandle<io::Result<()>>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both threads: the reader ends at `exit` or the end of the input, the writer
    /// when the connection is dropped (everything sent is written first).
    pub(crate) fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the reader thread panicked")));
        let writer = self
            .writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")));
        reader.and(writer)
    }
}

/// A connection over standard input and output whose writer understands [`RAW`] messages.
pub(crate) fn stdio() -> (Connection, IoThreads) {
    let (writer_sender, writer_receiver) = bounded::<Message>(0);
    let writer = thread::spawn(move || {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        for message in writer_receiver {
            write(&message, &mut out)?;
        }
        Ok(())
    });
    let (reader_sender, reader_receiver) = bounded::<Message>(0);
    let reader = thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        read_into(&mut input, &reader_sender)
    });
    let connection = Connection {
        sender: writer_sender,
        receiver: reader_receiver,
    };
    (connection, IoThreads { reader, writer })
}

/// Reads messages into `to` until `exit`, the end of the input or a closed channel.
fn read_into(input: &mut impl BufRead, to: &crossbeam_channel::Sender<Message>) -> io::Result<()> {
    while let Some(message) = Message::read(input)? {
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if to.send(message).is_err() || exit {
            break;
        }
    }
    Ok(())
}

/// Writes one message: a [`RAW`] one as its text, any other as `lsp_server` does.
pub(crate) fn write(message: &Message, out: &mut impl Write) -> io::Result<()> {
    match message {
        Message::Notification(n) if n.method == RAW => {
            let body = n.params.as_str().unwrap_or("");
            write!(out, "Content-Length: {}\r\n\r\n", body.len())?;
            out.write_all(body.as_bytes())?;
            out.flush()
        }
        other => other.write(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raw_message_is_written_as_its_text_and_read_back_as_the_message() {
        let body = r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///w/é.py","diagnostics":[]}}"#;
        let mut out = Vec::new();
        write(&raw(body.to_string()), &mut out).unwrap();
        let mut read = &out[..];
        let Some(Message::Notification(n)) = Message::read(&mut read).unwrap() else {
            panic!("{}", String::from_utf8_lossy(&out))
        };
        assert_eq!(n.method, "textDocument/publishDiagnostics");
        assert_eq!(n.params["uri"], "file:///w/é.py");
        // Ordinary messages are written as lsp_server writes them.
        let mut plain = Vec::new();
        let m: Message = Notification::new("x".into(), Value::Null).into();
        write(&m, &mut plain).unwrap();
        let mut theirs = Vec::new();
        m.write(&mut theirs).unwrap();
        assert_eq!(plain, theirs);
        // The reader stops after `exit`.
        let mut input = Vec::new();
        Message::from(Notification::new("exit".into(), Value::Null))
            .write(&mut input)
            .unwrap();
        m.write(&mut input).unwrap();
        let (tx, rx) = crossbeam_channel::unbounded();
        read_into(&mut &input[..], &tx).unwrap();
        assert_eq!(rx.try_iter().count(), 1);
    }
}
