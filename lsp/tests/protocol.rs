//! The server over an in-memory connection, where the order in which messages reach it is fixed:
//! keystrokes that arrive together are analysed once (the debounce), a request cancelled while
//! queued is answered as cancelled, and the ways a session ends. The end-to-end suite
//! (lsp/tests/e2e, `make lsp-test`) drives the real binary over stdio.

use std::thread;
use std::time::{Duration, Instant};

use codetable::{Engine, PatternDb};
use codetable_lsp::lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use codetable_lsp::{Error, DEBOUNCE};
use serde_json::{json, Value};

const URI: &str = "file:///w/a.py";
const TEXT: &str = "import hashlib\n# ü😀\nh = hashlib.sha256(b'é')\n";

fn request(id: i32, method: &str, params: Value) -> Message {
    Request::new(RequestId::from(id), method.to_string(), params).into()
}

fn notification(method: &str, params: Value) -> Message {
    Notification::new(method.to_string(), params).into()
}

fn initialize() -> Vec<Message> {
    vec![
        request(1, "initialize", json!({"capabilities": {}})),
        notification("initialized", json!({})),
    ]
}

fn open() -> Message {
    notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "python", "version": 1, "text": TEXT}}),
    )
}

/// Types "md5" over "sha256" in three didChange notifications (versions 2 to 4): "mha256",
/// "mda256", "md5".
fn keystrokes() -> Vec<Message> {
    let at = TEXT.lines().nth(2).unwrap().find("sha").unwrap() as u32;
    (0..3u32)
        .map(|i| {
            let (start, end) = (at + i, at + i + if i == 2 { 4 } else { 1 });
            let text = &"md5"[i as usize..=i as usize];
            notification(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": URI, "version": 2 + i},
                    "contentChanges": [{
                        "range": {"start": {"line": 2, "character": start},
                                  "end": {"line": 2, "character": end}},
                        "text": text,
                    }],
                }),
            )
        })
        .collect()
}

/// Starts a server on its own thread with `queued` already waiting for it.
fn serve(queued: Vec<Message>) -> (Connection, thread::JoinHandle<Result<(), Error>>) {
    let (server, client) = Connection::memory();
    for m in queued {
        client.sender.send(m).unwrap();
    }
    let handle = thread::spawn(move || {
        let engine = Engine::new(PatternDb::default_catalog());
        codetable_lsp::run(&server, &engine)
    });
    (client, handle)
}

fn receive(client: &Connection) -> Message {
    client
        .receiver
        .recv_timeout(Duration::from_secs(20))
        .expect("the server answers")
}

fn response(client: &Connection) -> Response {
    match receive(client) {
        Message::Response(r) => r,
        other => panic!("expected a response, got {other:?}"),
    }
}

fn result(r: Response) -> Value {
    r.response_result.expect("a successful response")
}

fn error_code(r: Response) -> i32 {
    r.response_result.expect_err("an error response").code
}

/// The version and pattern ids of a publishDiagnostics.
fn published(m: Message) -> (Option<i64>, Vec<String>) {
    let Message::Notification(n) = m else {
        panic!("expected a notification, got {m:?}")
    };
    assert_eq!(n.method, "textDocument/publishDiagnostics", "{n:?}");
    let codes = n.params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    (n.params["version"].as_i64(), codes)
}

#[test]
fn queued_keystrokes_are_analysed_once_and_a_queued_request_can_be_cancelled() {
    let mut queued = initialize();
    queued.push(open());
    queued.extend(keystrokes());
    queued.push(request(
        2,
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 6}}),
    ));
    queued.push(notification("$/cancelRequest", json!({"id": 2})));
    queued.push(request(
        3,
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": URI}}),
    ));
    queued.push(request(4, "shutdown", Value::Null));
    queued.push(notification("exit", Value::Null));
    let (client, server) = serve(queued);

    assert!(result(response(&client)).is_object()); // initialize
    let cancelled = response(&client);
    assert_eq!(cancelled.id, RequestId::from(2));
    assert_eq!(error_code(cancelled), -32800); // RequestCancelled
    let (version, codes) = published(receive(&client));
    assert_eq!(version, Some(1));
    assert!(codes.contains(&"security.strong-hash.sha256".to_string()));
    // The pull flushes the debounce: one analysis of the three keystrokes, published once.
    let (version, codes) = published(receive(&client));
    assert_eq!(version, Some(4));
    assert_eq!(codes, ["security.weak-hash.md5"]);
    let pulled = response(&client);
    assert_eq!(pulled.id, RequestId::from(3));
    let report = result(pulled);
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"][0]["code"], "security.weak-hash.md5");
    let shutdown = response(&client);
    assert_eq!(shutdown.id, RequestId::from(4));
    assert_eq!(result(shutdown), Value::Null);
    server.join().unwrap().unwrap();
}

#[test]
fn diagnostics_wait_for_the_debounce_after_the_last_keystroke() {
    let mut queued = initialize();
    queued.push(open());
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    assert_eq!(published(receive(&client)).0, Some(1));
    let sent = Instant::now();
    for k in keystrokes() {
        client.sender.send(k).unwrap();
    }
    let (version, codes) = published(receive(&client));
    assert!(sent.elapsed() >= DEBOUNCE, "{:?}", sent.elapsed());
    assert_eq!(
        (version, codes),
        (Some(4), vec!["security.weak-hash.md5".to_string()])
    );
    client
        .sender
        .send(request(9, "shutdown", Value::Null))
        .unwrap();
    assert_eq!(response(&client).id, RequestId::from(9));
    client
        .sender
        .send(notification("exit", Value::Null))
        .unwrap();
    server.join().unwrap().unwrap();
}

#[test]
fn requests_after_shutdown_are_refused() {
    let mut queued = initialize();
    queued.push(request(2, "shutdown", Value::Null));
    queued.push(request(
        3,
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": URI}}),
    ));
    queued.push(notification("exit", Value::Null));
    let (client, server) = serve(queued);
    response(&client);
    assert_eq!(result(response(&client)), Value::Null);
    let refused = response(&client);
    assert_eq!(error_code(refused), -32600); // InvalidRequest
    server.join().unwrap().unwrap();
}

#[test]
fn exit_without_shutdown_and_a_vanished_client_are_errors() {
    let mut queued = initialize();
    queued.push(notification("exit", Value::Null));
    let (client, server) = serve(queued);
    response(&client);
    assert!(matches!(
        server.join().unwrap(),
        Err(Error::ExitWithoutShutdown)
    ));

    let (client, server) = serve(initialize());
    response(&client);
    drop(client);
    assert!(matches!(server.join().unwrap(), Err(Error::Disconnected)));
}
