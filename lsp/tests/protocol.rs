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

/// The handshake; the settings report the SHA-256 pattern (an `info` one, off by default).
fn initialize() -> Vec<Message> {
    vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {}, "initializationOptions": {"extendSelect": ["Sh"]}}),
        ),
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

/// The handshake with the test hook ([`initialize`]'s settings): every analysis first logs
/// `test: analysing <uri>` and waits `delay_ms`, so the test knows one is running.
fn initialize_slow(delay_ms: u64) -> Vec<Message> {
    vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {}, "initializationOptions": {
                "extendSelect": ["Sh"], "debounceMs": 0, "testAnalysisDelayMs": delay_ms}}),
        ),
        notification("initialized", json!({})),
    ]
}

fn is_analysing(m: &Message) -> bool {
    matches!(m, Message::Notification(n) if n.method == "window/logMessage"
        && n.params["message"].as_str().unwrap().starts_with("test: analysing "))
}

fn is_response(m: &Message, id: i32) -> bool {
    matches!(m, Message::Response(r) if r.id == RequestId::from(id))
}

fn publishes(ms: &[Message]) -> Vec<Option<i64>> {
    ms.iter()
        .filter(|m| method(m) == "textDocument/publishDiagnostics")
        .map(|m| published(m.clone()).0)
        .collect()
}

/// The keystrokes reach the server while the analysis of the opened text runs (the test hook
/// holds it): that analysis's answer is stale and dropped (never published), and the three
/// keystrokes are analysed once; a request cancelled while queued is answered as cancelled,
/// and a diagnostics request waits for the analysis of the latest text.
#[test]
fn queued_keystrokes_are_analysed_once_and_a_queued_request_can_be_cancelled() {
    let mut queued = initialize_slow(300);
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
    let (client, server) = serve(queued);

    assert!(result(response(&client)).is_object()); // initialize
    let cancelled = response(&client);
    assert_eq!(cancelled.id, RequestId::from(2));
    assert_eq!(error_code(cancelled), -32800); // RequestCancelled
    let seen = until(&client, |m| is_response(m, 3));
    // Two analyses (the opened text, stale by the time it answered; then version 4), one
    // publication: the one of version 4.
    assert_eq!(
        seen.iter().filter(|m| is_analysing(m)).count(),
        2,
        "{seen:?}"
    );
    assert_eq!(publishes(&seen), [Some(4)], "{seen:?}");
    let (_, codes) = published(
        seen.iter()
            .find(|m| method(m) == "textDocument/publishDiagnostics")
            .unwrap()
            .clone(),
    );
    assert_eq!(codes, ["security.weak-hash.md5"]);
    let Some(Message::Response(pulled)) = seen.last().cloned() else {
        panic!()
    };
    let report = result(pulled);
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"][0]["code"], "security.weak-hash.md5");
    shut_down(client, server);
}

/// An open document is analysed off the message thread. While its analysis runs (held by the
/// test hook): a hover is answered at once from the last analysis, its range carried over the
/// edit before it (non-ASCII text, UTF-16 columns); a code action, which waits for the
/// analysis, can be cancelled; a further keystroke makes the running analysis stale, so its
/// answer is never published; and `shutdown` is answered without waiting for the analysis.
#[test]
fn edits_hovers_cancellation_and_shutdown_never_wait_for_a_documents_analysis() {
    let mut queued = initialize_slow(1500);
    queued.push(open());
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    let first = until(&client, |m| method(m) == "textDocument/publishDiagnostics");
    assert_eq!(publishes(&first), [Some(1)]);
    // Version 2: "# ü😀" becomes "# ü😀😀" on line 1, before the finding on line 2.
    let edit = |version: i32, character: u32, text: &str| {
        notification(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version},
                   "contentChanges": [{"range": {"start": {"line": 1, "character": character},
                                                 "end": {"line": 1, "character": character}},
                                       "text": text}]}),
        )
    };
    client.sender.send(edit(2, 5, "😀")).unwrap();
    let _ = until(&client, is_analysing);
    let asked = Instant::now();
    client
        .sender
        .send(request(
            5,
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 14}}),
        ))
        .unwrap();
    let seen = until(&client, |m| is_response(m, 5));
    let hovered_in = asked.elapsed();
    assert!(publishes(&seen).is_empty(), "the hover waited: {seen:?}");
    assert!(hovered_in < Duration::from_millis(1000), "{hovered_in:?}");
    let Some(Message::Response(hover)) = seen.last().cloned() else {
        panic!()
    };
    let hover = result(hover);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**Sh**"),
        "{hover}"
    );
    // `hashlib.sha256(b'é')` on line 2 is where it was: UTF-16 columns 4 to 24.
    assert_eq!(hover["range"]["start"], json!({"line": 2, "character": 4}));
    assert_eq!(hover["range"]["end"], json!({"line": 2, "character": 24}));
    // A code action waits for the analysis: cancelled, it is answered at once.
    client
        .sender
        .send(request(
            6,
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI},
                   "range": {"start": {"line": 2, "character": 6}, "end": {"line": 2, "character": 6}},
                   "context": {"diagnostics": []}}),
        ))
        .unwrap();
    client
        .sender
        .send(notification("$/cancelRequest", json!({"id": 6})))
        .unwrap();
    let seen = until(&client, |m| is_response(m, 6));
    assert!(
        publishes(&seen).is_empty(),
        "the cancellation waited: {seen:?}"
    );
    let Some(Message::Response(cancelled)) = seen.last().cloned() else {
        panic!()
    };
    assert_eq!(error_code(cancelled), -32800);
    // Version 3 while version 2 is analysed: version 2's answer is stale, never published.
    client.sender.send(edit(3, 0, "é")).unwrap();
    let seen = until(&client, |m| method(m) == "textDocument/publishDiagnostics");
    assert_eq!(publishes(&seen), [Some(3)], "{seen:?}");
    // Version 4, and `shutdown` while it is analysed: answered first.
    client.sender.send(edit(4, 0, "x")).unwrap();
    let _ = until(&client, is_analysing);
    let asked = Instant::now();
    client
        .sender
        .send(request(99, "shutdown", Value::Null))
        .unwrap();
    let seen = until(&client, |m| is_response(m, 99));
    assert!(publishes(&seen).is_empty(), "shutdown waited: {seen:?}");
    assert!(asked.elapsed() < Duration::from_millis(1000));
    client
        .sender
        .send(notification("exit", Value::Null))
        .unwrap();
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

/// Messages from the server until one satisfies `last` (included); requests of the server's are
/// answered with `null` as they come (a client accepting every progress token).
fn until(client: &Connection, last: impl Fn(&Message) -> bool) -> Vec<Message> {
    let mut seen = Vec::new();
    loop {
        let m = receive(client);
        if let Message::Request(r) = &m {
            client
                .sender
                .send(Response::new_ok(r.id.clone(), Value::Null).into())
                .unwrap();
        }
        let done = last(&m);
        seen.push(m);
        if done {
            return seen;
        }
    }
}

fn method(m: &Message) -> &str {
    match m {
        Message::Request(r) => &r.method,
        Message::Notification(n) => &n.method,
        Message::Response(_) => "",
    }
}

fn is_scan_log(m: &Message) -> bool {
    matches!(m, Message::Notification(n) if n.method == "window/logMessage"
        && n.params["message"].as_str().unwrap().contains("workspace scan: "))
}

#[test]
fn workspace_scan_with_progress_and_settings_that_republish() {
    let root = std::env::temp_dir().join(format!("codetable-lsp-ws-é-{}", std::process::id()));
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("sub/weak.py"), TEXT.replace("sha256", "md5")).unwrap();
    std::fs::write(root.join("clean.py"), "x = 1\n").unwrap();
    let root_uri = format!("file://{}", root.display()).replace('é', "%C3%A9");
    let weak_uri = format!("{root_uri}/sub/weak.py");
    let queued = vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {"window": {"workDoneProgress": true}},
                   "workspaceFolders": [{"uri": root_uri, "name": "ws"}],
                   "initializationOptions": {"minSeverity": "nonsense"}}),
        ),
        notification("initialized", json!({})),
    ];
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    let first = until(&client, is_scan_log);
    let methods: Vec<&str> = first.iter().map(method).collect();
    // The bad option is logged first; then the token is asked for, and the scan reports
    // begin … end around the publication of the one file with a finding.
    let create = methods
        .iter()
        .position(|m| *m == "window/workDoneProgress/create")
        .unwrap();
    assert!(
        methods[..create].contains(&"window/logMessage"),
        "{methods:?}"
    );
    let progress: Vec<&str> = first
        .iter()
        .filter_map(|m| match m {
            Message::Notification(n) if n.method == "$/progress" => {
                n.params["value"]["kind"].as_str()
            }
            _ => None,
        })
        .collect();
    assert_eq!(progress.first(), Some(&"begin"), "{methods:?}");
    assert_eq!(progress.last(), Some(&"end"), "{methods:?}");
    let publishes: Vec<&Notification> = first
        .iter()
        .filter_map(|m| match m {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => Some(n),
            _ => None,
        })
        .collect();
    assert_eq!(publishes.len(), 1, "{publishes:?}");
    assert_eq!(publishes[0].params["uri"], weak_uri.as_str());
    assert_eq!(
        publishes[0].params["diagnostics"][0]["code"],
        "security.weak-hash.md5"
    );

    // Critical findings only: the scan runs again and takes the MD5 finding (high) away.
    client
        .sender
        .send(notification(
            "workspace/didChangeConfiguration",
            json!({"settings": {"codetable": {"minSeverity": "critical"}}}),
        ))
        .unwrap();
    let second = until(&client, is_scan_log);
    let cleared: Vec<&Notification> = second
        .iter()
        .filter_map(|m| match m {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => Some(n),
            _ => None,
        })
        .collect();
    assert_eq!(cleared.len(), 1);
    assert_eq!(cleared[0].params["uri"], weak_uri.as_str());
    assert_eq!(cleared[0].params["diagnostics"], json!([]));

    client
        .sender
        .send(request(9, "shutdown", Value::Null))
        .unwrap();
    client
        .sender
        .send(notification("exit", Value::Null))
        .unwrap();
    let _ = until(&client, |m| matches!(m, Message::Response(_)));
    server.join().unwrap().unwrap();
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn code_action_then_explanation_command() {
    let cache = std::env::temp_dir().join(format!("codetable-lsp-explain-{}", std::process::id()));
    std::env::set_var("XDG_CACHE_HOME", &cache);
    let mut queued = initialize();
    queued.push(open());
    let at = TEXT.lines().nth(2).unwrap().find("sha").unwrap() as u32;
    queued.push(request(
        2,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI},
               "range": {"start": {"line": 2, "character": at}, "end": {"line": 2, "character": at}},
               "context": {"diagnostics": []}}),
    ));
    queued.push(request(
        3,
        "workspace/executeCommand",
        json!({"command": "codetable.showExplanation", "arguments": ["security.strong-hash.sha256"]}),
    ));
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    // The code action waits for the document's analysis (the command does not: it may be
    // answered first).
    let seen = until(&client, |m| is_response(m, 2));
    let Some(Message::Response(r)) = seen.last().cloned() else {
        panic!()
    };
    let actions = result(r);
    assert_eq!(
        actions[0]["edit"]["changes"][URI][0]["newText"],
        "# codetable: ignore[Sh] -- <reason>\n"
    );
    assert_eq!(actions[1]["command"], "codetable.showExplanation");
    // No showDocument support: the explanation is announced as a message.
    let mut all = seen;
    if !all.iter().any(|m| is_response(m, 3)) {
        all.extend(until(&client, |m| is_response(m, 3)));
    }
    let Some(Message::Notification(n)) = all.iter().find(|m| method(m) == "window/showMessage")
    else {
        panic!("{all:?}")
    };
    assert!(n.params["message"]
        .as_str()
        .unwrap()
        .starts_with("Sh SHA-256 hash"));
    let Some(Message::Response(answer)) = all.into_iter().find(|m| is_response(m, 3)) else {
        panic!()
    };
    let uri = result(answer);
    assert!(uri
        .as_str()
        .unwrap()
        .ends_with("/sheets/security.strong-hash.sha256.md"));
    let written = cache.join("codetable/sheets/security.strong-hash.sha256.md");
    assert!(std::fs::read_to_string(written)
        .unwrap()
        .starts_with("**Sh**"));
    shut_down(client, server);
    std::fs::remove_dir_all(&cache).unwrap();
}

#[test]
fn the_debounce_is_a_setting() {
    let queued = vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {}, "initializationOptions": {"debounceMs": 600}}),
        ),
        notification("initialized", json!({})),
        open(),
    ];
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    assert_eq!(published(receive(&client)).0, Some(1));
    let sent = Instant::now();
    for k in keystrokes() {
        client.sender.send(k).unwrap();
    }
    assert_eq!(published(receive(&client)).0, Some(4));
    let waited = sent.elapsed();
    assert!(waited >= Duration::from_millis(600), "{waited:?}");
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
fn the_workspace_scan_walks_like_the_command() {
    // Core's walk, the CLI's: `.gitignore` honoured without git, hidden folders left out, a
    // file without an extension read when its `#!` line names a language, the project
    // configuration's excludes honoured.
    let root = std::env::temp_dir().join(format!("codetable-lsp-walk-ü-{}", std::process::id()));
    let weak = TEXT.replace("sha256", "md5");
    for (rel, text) in [
        ("bin/outil", format!("#!/usr/bin/env python3\n{weak}")),
        ("build/généré.py", weak.clone()),
        (".cache/h.py", weak.clone()),
        (".gitignore", "build/\n".to_string()),
        ("LICENSE", "MIT é\n".to_string()),
        ("src/données.py", weak.clone()),
        ("généré/g.py", weak.clone()),
        ("codetable.toml", "exclude = [\"généré\"]\n".to_string()),
    ] {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let root_uri = format!("file://{}", root.display()).replace('ü', "%C3%BC");
    let queued = vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {}, "workspaceFolders": [{"uri": root_uri, "name": "ws"}],
                   "initializationOptions": {"resultCache": false}}),
        ),
        notification("initialized", json!({})),
    ];
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    let seen = until(&client, is_scan_log);
    let mut published: Vec<String> = seen
        .iter()
        .filter_map(|m| match m {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                Some(n.params["uri"].as_str().unwrap().replace(&root_uri, ""))
            }
            _ => None,
        })
        .collect();
    published.sort();
    assert_eq!(published, ["/bin/outil", "/src/donn%C3%A9es.py"]);
    client
        .sender
        .send(request(9, "shutdown", Value::Null))
        .unwrap();
    client
        .sender
        .send(notification("exit", Value::Null))
        .unwrap();
    let _ = until(&client, |m| matches!(m, Message::Response(_)));
    server.join().unwrap().unwrap();
    std::fs::remove_dir_all(&root).unwrap();
}

/// The quick fix of a finding whose rule has a `fix`, after non-ASCII text on the same line:
/// `(encoding capabilities, expected start character of `yaml.load(f)`)`.
fn fix_action_at(capabilities: Value, character: u32) {
    let uri = "file:///w/fix.py";
    let text = "import yaml\n# ü\ndef r(f):\n    return (\"😀é\", yaml.load(f))\n";
    let queued = vec![
        request(1, "initialize", json!({"capabilities": capabilities})),
        notification("initialized", json!({})),
        notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
        ),
        request(
            2,
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri},
                   "range": {"start": {"line": 3, "character": character},
                             "end": {"line": 3, "character": character}},
                   "context": {"diagnostics": []}}),
        ),
    ];
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    let Some(Message::Response(r)) = until(&client, |m| matches!(m, Message::Response(_))).pop()
    else {
        panic!()
    };
    let actions = result(r);
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap_or("").starts_with("Fix "))
        .unwrap_or_else(|| panic!("no fix action in {actions}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let edit = &fix["edit"]["changes"][uri][0];
    assert_eq!(edit["newText"], "yaml.safe_load(f)");
    let end = character + "yaml.load(f)".len() as u32;
    assert_eq!(
        edit["range"],
        json!({"start": {"line": 3, "character": character}, "end": {"line": 3, "character": end}})
    );
    assert_eq!(
        fix["diagnostics"][0]["code"],
        "security.deserialization.yaml-load"
    );
    shut_down(client, server);
}

#[test]
fn a_rules_fix_is_a_preferred_quick_fix_in_the_negotiated_encoding() {
    // `    return ("😀é", ` is 19 UTF-16 code units and 22 UTF-8 bytes.
    fix_action_at(json!({}), 19);
    fix_action_at(json!({"general": {"positionEncodings": ["utf-8"]}}), 22);
}

/// The diagnostics of the next publication for `uri` (skipping other messages).
fn next_publish(client: &Connection, uri: &str) -> Vec<Value> {
    let seen = until(client, |m| {
        matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"
            && n.params["uri"] == uri)
    });
    let Some(Message::Notification(n)) = seen.last() else {
        panic!()
    };
    n.params["diagnostics"].as_array().unwrap().clone()
}

fn code_and_severity(diagnostics: &[Value]) -> Vec<(String, i64)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn shut_down(client: Connection, server: thread::JoinHandle<Result<(), Error>>) {
    client
        .sender
        .send(request(99, "shutdown", Value::Null))
        .unwrap();
    client
        .sender
        .send(notification("exit", Value::Null))
        .unwrap();
    let _ = until(
        &client,
        |m| matches!(m, Message::Response(r) if r.id == RequestId::from(99)),
    );
    server.join().unwrap().unwrap();
}

#[test]
fn open_documents_are_judged_like_the_scan_by_their_path_configuration_and_comments() {
    let root = std::env::temp_dir().join(format!("codetable-lsp-prof-ñ-{}", std::process::id()));
    std::fs::create_dir_all(root.join("tests")).unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    let config = root.join("codetable.toml");
    std::fs::write(
        &config,
        "[per-path-ignores]\n\"src/legacy/**\" = [\"Md\"]\n[context]\n\"outils/**\" = \"test\"\n",
    )
    .unwrap();
    let root_uri = format!("file://{}", root.display()).replace('ñ', "%C3%B1");
    let app = format!("{root_uri}/src/app.py");
    let test = format!("{root_uri}/tests/test_app.py");
    let legacy = format!("{root_uri}/src/legacy/old.py");
    // "é😀" before the call: UTF-16 columns differ from bytes.
    let text = "import hashlib\nh = ('é😀', hashlib.md5(b'x'))\n";
    let opened = |uri: &str, text: &str| {
        notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
        )
    };
    let queued = vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {}, "workspaceFolders": [{"uri": root_uri, "name": "ws"}],
                   "initializationOptions": {"workspaceScan": false}}),
        ),
        notification("initialized", json!({})),
        opened(&app, text),
    ];
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    let d = next_publish(&client, &app);
    assert_eq!(
        code_and_severity(&d),
        [("security.weak-hash.md5".to_string(), 1)]
    );
    // UTF-16: "é" is one unit, "😀" two (in bytes the call starts at 15).
    assert_eq!(d[0]["range"]["start"], json!({"line": 1, "character": 12}));

    // In a test file the scan lowers the finding (high -> medium): a warning.
    client.sender.send(opened(&test, text)).unwrap();
    assert_eq!(
        code_and_severity(&next_publish(&client, &test)),
        [("security.weak-hash.md5".to_string(), 2)]
    );
    // The configuration's per-path ignores leave it out of src/legacy/.
    client.sender.send(opened(&legacy, text)).unwrap();
    assert_eq!(next_publish(&client, &legacy), Vec::<Value>::new());
    // The configuration's per-path context makes a tool folder test code: lowered as well.
    let tool = format!("{root_uri}/outils/gen.py");
    client.sender.send(opened(&tool, text)).unwrap();
    assert_eq!(
        code_and_severity(&next_publish(&client, &tool)),
        [("security.weak-hash.md5".to_string(), 2)]
    );

    // A suppression comment typed above the line removes it.
    client
        .sender
        .send(notification(
            "textDocument/didChange",
            json!({"textDocument": {"uri": app, "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 1, "character": 0},
                                                 "end": {"line": 1, "character": 0}},
                                       "text": "# codetable: ignore[Md] -- checksum, naïve\n"}]}),
        ))
        .unwrap();
    assert_eq!(next_publish(&client, &app), Vec::<Value>::new());
    // Removed again: the finding is back.
    client
        .sender
        .send(notification(
            "textDocument/didChange",
            json!({"textDocument": {"uri": app, "version": 3},
                   "contentChanges": [{"range": {"start": {"line": 1, "character": 0},
                                                 "end": {"line": 2, "character": 0}},
                                       "text": ""}]}),
        ))
        .unwrap();
    assert_eq!(next_publish(&client, &app).len(), 1);

    // The configuration changes on disk: the file selects security minus weak hashes; every
    // open document is published again when the client reports the change.
    std::fs::write(
        &config,
        "select = [\"security\"]\nignore = [\"security.weak-hash\"]\n",
    )
    .unwrap();
    client
        .sender
        .send(notification(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": format!("{root_uri}/codetable.toml"), "type": 2}]}),
        ))
        .unwrap();
    assert_eq!(next_publish(&client, &app), Vec::<Value>::new());
    // The client's settings add to the file's: extendSelect names MD5, more specifically than
    // the file's ignore (as `--extend-select Md` on the command line).
    client
        .sender
        .send(notification(
            "workspace/didChangeConfiguration",
            json!({"settings": {"codetable": {"extendSelect": ["Md"], "workspaceScan": false}}}),
        ))
        .unwrap();
    assert_eq!(next_publish(&client, &app).len(), 1);
    shut_down(client, server);
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn pull_diagnostics_of_documents_and_the_workspace_with_unchanged_result_ids() {
    let root = std::env::temp_dir().join(format!("codetable-lsp-pull-ø-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    // A taint finding: request data reaches open() through two locals.
    let taint = "import os\nfrom django.http import HttpResponse\ndef report(request):\n    name = request.GET.get(\"file\")  # ø😀\n    path = os.path.join(\"/srv/reports\", name)\n    with open(path) as f:\n        return f.read()\n";
    std::fs::write(root.join("views.py"), taint).unwrap();
    std::fs::write(root.join("weak.py"), "import hashlib\nhashlib.md5(b'')\n").unwrap();
    let root_uri = format!("file://{}", root.display()).replace('ø', "%C3%B8");
    let open_uri = format!("{root_uri}/open.py");
    let queued = vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {"textDocument": {"diagnostic": {}},
                                    "workspace": {"diagnostics": {"refreshSupport": true}}},
                   "workspaceFolders": [{"uri": root_uri, "name": "ws"}],
                   "initializationOptions": {"resultCache": false}}),
        ),
        notification("initialized", json!({})),
        notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": open_uri, "languageId": "python", "version": 7,
                                    "text": "import hashlib\nhashlib.md5(b'')\n"}}),
        ),
    ];
    let (client, server) = serve(queued);
    let init = result(response(&client));
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    let _ = until(&client, is_scan_log);
    client
        .sender
        .send(request(
            2,
            "workspace/diagnostic",
            json!({"previousResultIds": []}),
        ))
        .unwrap();
    let seen = until(
        &client,
        |m| matches!(m, Message::Response(r) if r.id == RequestId::from(2)),
    );
    let Some(Message::Response(r)) = seen.last() else {
        panic!()
    };
    let report = result(r.clone());
    let items = report["items"].as_array().unwrap();
    let by_uri = |u: &str| items.iter().find(|i| i["uri"] == u).cloned().unwrap();
    let open = by_uri(&open_uri);
    assert_eq!(
        (open["kind"].as_str(), open["version"].as_i64()),
        (Some("full"), Some(7))
    );
    assert_eq!(open["items"][0]["code"], "security.weak-hash.md5");
    let views = by_uri(&format!("{root_uri}/views.py"));
    assert_eq!(views["kind"], "full");
    let sink = views["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["relatedInformation"].is_array())
        .unwrap_or_else(|| panic!("no taint finding with related information: {views:#}"));
    assert_eq!(sink["range"]["start"]["line"], 5);
    let related = sink["relatedInformation"].as_array().unwrap();
    // The source (request.GET.get on line 3, after no non-ASCII text), then the steps.
    assert!(related[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("taint source"));
    assert_eq!(related[0]["location"]["range"]["start"]["line"], 3);
    assert!(related[1..]
        .iter()
        .all(|r| r["message"].as_str().unwrap().starts_with("taint step")));
    assert!(related.len() >= 2, "{related:#?}");
    assert!(items
        .iter()
        .any(|i| i["uri"] == format!("{root_uri}/weak.py").as_str()));

    // Pulled again with the ids: every report is unchanged.
    let previous: Vec<Value> = items
        .iter()
        .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
        .collect();
    client
        .sender
        .send(request(
            3,
            "workspace/diagnostic",
            json!({"previousResultIds": previous}),
        ))
        .unwrap();
    let again = result(response(&client));
    let kinds: Vec<&str> = again["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), items.len());
    assert!(kinds.iter().all(|k| *k == "unchanged"), "{again:#}");
    // The document pull agrees with the workspace's id.
    client
        .sender
        .send(request(
            4,
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": open_uri}, "previousResultId": open["resultId"]}),
        ))
        .unwrap();
    assert_eq!(result(response(&client))["kind"], "unchanged");

    // weak.py fixed on disk: the scan re-reads it, asks the client to pull, and the pull
    // reports it full and empty, the others unchanged.
    std::fs::write(root.join("weak.py"), "x = 1\n").unwrap();
    client
        .sender
        .send(notification(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": format!("{root_uri}/weak.py"), "type": 2}]}),
        ))
        .unwrap();
    let _ = until(&client, |m| method(m) == "workspace/diagnostic/refresh");
    client
        .sender
        .send(request(
            5,
            "workspace/diagnostic",
            json!({"previousResultIds": previous}),
        ))
        .unwrap();
    let after = result(response(&client));
    for i in after["items"].as_array().unwrap() {
        if i["uri"] == format!("{root_uri}/weak.py").as_str() {
            assert_eq!(
                (i["kind"].as_str(), i["items"].clone()),
                (Some("full"), json!([]))
            );
        } else {
            assert_eq!(i["kind"], "unchanged", "{i:#}");
        }
    }
    shut_down(client, server);
    std::fs::remove_dir_all(&root).unwrap();
}

const HOUSE_RULE: &str = r#"
id = "house.no-print"
name = "print() left in code"
severity = "high"
[[rules]]
language = "python"
pattern = "print($$$)"
[[examples]]
language = "python"
expect = "match"
code = "print('débogage')"
"#;

/// The configuration's `rules` (a folder of the team's patterns) are stacked over the database
/// as `codetable scan` stacks them, for open and scanned documents; a changed rules file is
/// reported by the watcher and every document is judged again.
#[test]
fn the_configurations_rules_are_applied_like_the_scan() {
    let root = std::env::temp_dir().join(format!("codetable-lsp-rules-é-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("règles")).unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("codetable.toml"), "rules = [\"règles\"]\n").unwrap();
    let rule_file = root.join("règles/house.toml");
    std::fs::write(&rule_file, HOUSE_RULE).unwrap();
    let text = "x = 'é😀'\nprint(x)\n";
    std::fs::write(root.join("src/scanned.py"), text).unwrap();
    let root_uri = format!("file://{}", root.display())
        .replace('é', "%C3%A9")
        .replace('è', "%C3%A8");
    let app = format!("{root_uri}/src/app.py");
    let scanned = format!("{root_uri}/src/scanned.py");
    let queued = vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {}, "workspaceFolders": [{"uri": root_uri, "name": "ws"}],
                   "initializationOptions": {"resultCache": false}}),
        ),
        notification("initialized", json!({})),
        notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": app, "languageId": "python", "version": 1, "text": text}}),
        ),
    ];
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    let mut seen: std::collections::HashMap<String, Vec<(String, i64)>> = Default::default();
    let mut collect = |client: &Connection, want: usize| {
        seen.clear();
        while seen.len() < want {
            let d = next_publish_any(client);
            seen.insert(d.0, code_and_severity(&d.1));
        }
        seen.clone()
    };
    let both = collect(&client, 2);
    let expected = vec![("house.no-print".to_string(), 1)];
    assert_eq!(both[&app], expected, "{both:?}");
    assert_eq!(both[&scanned], expected, "{both:?}");
    // The rule now looks for eval(): print() is no longer a finding, in either document.
    std::fs::write(&rule_file, HOUSE_RULE.replace("print", "eval")).unwrap();
    client
        .sender
        .send(notification(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": format!("{root_uri}/r%C3%A8gles/house.toml"), "type": 2}]}),
        ))
        .unwrap();
    let after = collect(&client, 2);
    assert_eq!(after[&app], vec![], "{after:?}");
    assert_eq!(after[&scanned], vec![], "{after:?}");
    shut_down(client, server);
    std::fs::remove_dir_all(&root).unwrap();
}

/// The next publishDiagnostics, whatever its document: its URI and diagnostics.
fn next_publish_any(client: &Connection) -> (String, Vec<Value>) {
    let seen = until(
        client,
        |m| matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"),
    );
    let Some(Message::Notification(n)) = seen.last() else {
        panic!()
    };
    (
        n.params["uri"].as_str().unwrap().to_string(),
        n.params["diagnostics"].as_array().unwrap().clone(),
    )
}

/// The workspace scan analyses its files on a thread of its own: while a file is being analysed
/// (held by the test hook, so the test knows it is), a hover is answered, and `shutdown` and
/// `exit` end the server, without waiting for that file's diagnostics.
#[test]
fn requests_are_answered_while_the_scan_analyses_a_long_file() {
    let root = std::env::temp_dir().join(format!("codetable-lsp-long-ü-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let long = "import hashlib\ny = hashlib.md5('é')\n";
    std::fs::write(root.join("long.py"), long).unwrap();
    let root_uri = format!("file://{}", root.display()).replace('ü', "%C3%BC");
    let long_uri = format!("{root_uri}/long.py");
    let queued = vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {"window": {"workDoneProgress": true}},
                   "workspaceFolders": [{"uri": root_uri, "name": "ws"}],
                   "initializationOptions": {"resultCache": false, "extendSelect": ["Sh"],
                                             "testAnalysisDelayMs": 1000}}),
        ),
        notification("initialized", json!({})),
        open(),
    ];
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    // The scan asks for its progress token and waits for it (up to 2 s) before it analyses
    // long.py: the token is given once the open document is analysed (held 1 s).
    let mut create = None;
    loop {
        match receive(&client) {
            Message::Request(r) if r.method == "window/workDoneProgress/create" => {
                create = Some(r.id)
            }
            Message::Notification(n)
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == URI =>
            {
                break
            }
            _ => {}
        }
    }
    client
        .sender
        .send(Response::new_ok(create.expect("no progress token asked"), Value::Null).into())
        .unwrap();
    // The open document's analysis (held too), then the scan's of long.py.
    let long_analysed = |m: &Message| {
        matches!(m, Message::Notification(n) if n.method == "window/logMessage"
            && n.params["message"] == format!("test: analysing {long_uri}").as_str())
    };
    let _ = until(&client, long_analysed);
    let asked_at = Instant::now();
    client
        .sender
        .send(request(
            7,
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 14}}),
        ))
        .unwrap();
    let before = until(
        &client,
        |m| matches!(m, Message::Response(r) if r.id == RequestId::from(7)),
    );
    let answered_in = asked_at.elapsed();
    let long_published = |ms: &[Message]| {
        ms.iter().any(|m| {
            matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == long_uri.as_str())
        })
    };
    assert!(
        !long_published(&before),
        "the hover waited for the long file ({answered_in:?})"
    );
    let Some(Message::Response(hover)) = before.last() else {
        panic!()
    };
    assert!(hover.response_result.is_ok(), "{hover:?}");
    // Shutdown while the long file is still being analysed: the server ends first.
    client
        .sender
        .send(request(99, "shutdown", Value::Null))
        .unwrap();
    let shutdown = until(
        &client,
        |m| matches!(m, Message::Response(r) if r.id == RequestId::from(99)),
    );
    assert!(
        !long_published(&shutdown),
        "shutdown waited for the long file"
    );
    client
        .sender
        .send(notification("exit", Value::Null))
        .unwrap();
    let stopped = Instant::now();
    server.join().unwrap().unwrap();
    eprintln!(
        "hover answered in {answered_in:?}, server stopped in {:?}",
        stopped.elapsed()
    );
    std::fs::remove_dir_all(&root).unwrap();
}

/// A scan restarted while a file is being analysed (the settings changed) drops that file's
/// stale answer: the diagnostics found under the old settings are never published.
#[test]
fn a_restarted_scan_drops_the_stale_answer_of_the_file_being_analysed() {
    let root = std::env::temp_dir().join(format!("codetable-lsp-stale-ü-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let long = "import hashlib\ny = hashlib.md5('é')\n";
    std::fs::write(root.join("long.py"), long).unwrap();
    let root_uri = format!("file://{}", root.display()).replace('ü', "%C3%BC");
    let long_uri = format!("{root_uri}/long.py");
    let queued = vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {"window": {"workDoneProgress": true}},
                   "workspaceFolders": [{"uri": root_uri, "name": "ws"}],
                   "initializationOptions": {"resultCache": false, "testAnalysisDelayMs": 1000}}),
        ),
        notification("initialized", json!({})),
    ];
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    let asked = until(
        &client,
        |m| matches!(m, Message::Request(r) if r.method == "window/workDoneProgress/create"),
    );
    let Some(Message::Request(create)) = asked.last() else {
        panic!()
    };
    client
        .sender
        .send(Response::new_ok(create.id.clone(), Value::Null).into())
        .unwrap();
    // long.py is being analysed (held by the test hook for a second); weak hashes are now
    // hidden (only critical findings shown).
    let _ = until(&client, is_analysing);
    client
        .sender
        .send(notification(
            "workspace/didChangeConfiguration",
            json!({"settings": {"codetable": {"minSeverity": "critical", "resultCache": false,
                                              "testAnalysisDelayMs": 1000}}}),
        ))
        .unwrap();
    // The second run asks for its own token; answered, it ends with its summary.
    let seen = until(&client, |m| {
        if let Message::Request(r) = m {
            if r.method == "window/workDoneProgress/create" {
                client
                    .sender
                    .send(Response::new_ok(r.id.clone(), Value::Null).into())
                    .unwrap();
            }
        }
        matches!(m, Message::Notification(n) if n.method == "window/logMessage"
            && n.params["message"].as_str().unwrap().starts_with("codetable: workspace scan:"))
    });
    let summary = seen.last().unwrap();
    let Message::Notification(summary) = summary else {
        panic!()
    };
    assert!(
        summary.params["message"]
            .as_str()
            .unwrap()
            .contains("1 file scanned (0 unchanged, from the result cache), 0 findings"),
        "{summary:?}"
    );
    let stale: Vec<&Message> = seen
        .iter()
        .filter(|m| {
            matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == long_uri.as_str())
        })
        .collect();
    assert!(stale.is_empty(), "{stale:?}");
    shut_down(client, server);
    std::fs::remove_dir_all(&root).unwrap();
}

/// Design patterns, when selected, are recognised over the scanned files at the end of the
/// run: each participant's diagnostic names its role and lists the other participants (file,
/// declaration, role) as related information, in the negotiated encoding.
#[test]
fn design_participants_list_each_other_as_related_information() {
    let root = std::env::temp_dir().join(format!("codetable-lsp-design-ü-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("Listener.java"),
        "interface Listener { void fired(); }\n",
    )
    .unwrap();
    // "é😀" before the class: 10 UTF-16 units, 13 bytes.
    std::fs::write(
        root.join("Log.java"),
        "/* é😀 */ class Log implements Listener { public void fired() {} }\n",
    )
    .unwrap();
    std::fs::write(
        root.join("Button.java"),
        "class Button {\n  java.util.List<Listener> ls;\n  void on(Listener l) { ls.add(l); }\n  void off(Listener l) { ls.remove(l); }\n  void click() { for (Listener l : ls) l.fired(); }\n}\n",
    )
    .unwrap();
    let root_uri = format!("file://{}", root.display()).replace('ü', "%C3%BC");
    let uri = |f: &str| format!("{root_uri}/{f}");
    let queued = vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {},
                   "workspaceFolders": [{"uri": root_uri, "name": "ws"}],
                   "initializationOptions": {"resultCache": false,
                                             "extendSelect": ["design.gof.observer"]}}),
        ),
        notification("initialized", json!({})),
    ];
    let (client, server) = serve(queued);
    assert!(result(response(&client)).is_object());
    let seen = until(&client, |m| {
        matches!(m, Message::Notification(n) if n.method == "window/logMessage"
            && n.params["message"].as_str().unwrap().starts_with("codetable: workspace scan:"))
    });
    let mut by_file: std::collections::HashMap<String, Vec<Value>> = Default::default();
    for m in &seen {
        if let Message::Notification(n) = m {
            if n.method == "textDocument/publishDiagnostics" {
                by_file.insert(
                    n.params["uri"].as_str().unwrap().to_string(),
                    n.params["diagnostics"].as_array().unwrap().clone(),
                );
            }
        }
    }
    let role_of = |f: &str| -> (String, Vec<(String, String)>) {
        let ds = &by_file[&uri(f)];
        let d = ds
            .iter()
            .find(|d| d["code"] == "design.gof.observer")
            .unwrap_or_else(|| panic!("{f}: {ds:?}"));
        let related = d["relatedInformation"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["location"]["uri"].as_str().unwrap().to_string(),
                    r["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (d["data"]["role"].as_str().unwrap().to_string(), related)
    };
    let (role, related) = role_of("Button.java");
    assert_eq!(role, "subject");
    assert_eq!(related.len(), 2, "{related:?}");
    assert_eq!(related[0].0, uri("Listener.java"));
    assert!(
        related[0].1.starts_with("observer: `Listener`"),
        "{related:?}"
    );
    assert_eq!(related[1].0, uri("Log.java"));
    assert!(
        related[1].1.starts_with("concrete-observer: `Log`"),
        "{related:?}"
    );
    assert_eq!(role_of("Listener.java").0, "observer");
    let (role, related) = role_of("Log.java");
    assert_eq!(role, "concrete-observer");
    assert_eq!(
        related.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        [uri("Listener.java"), uri("Button.java")]
    );
    // The participant's range in UTF-16 units: the class after "/* é😀 */ ".
    let log = &by_file[&uri("Log.java")][0];
    assert_eq!(log["range"]["start"], json!({"line": 0, "character": 10}));
    // Log no longer implements Listener: once the watcher reports it, the instance is
    // recognised again and Log's diagnostics lose their participant.
    std::fs::write(
        root.join("Log.java"),
        "/* é😀 */ class Log { public void fired() {} }\n",
    )
    .unwrap();
    client
        .sender
        .send(notification(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri("Log.java"), "type": 2}]}),
        ))
        .unwrap();
    let mut log_now = next_publish(&client, &uri("Log.java"));
    while log_now
        .iter()
        .any(|d| d["data"]["role"] == "concrete-observer")
    {
        log_now = next_publish(&client, &uri("Log.java"));
    }
    assert!(
        log_now.iter().all(|d| d["code"] != "design.gof.observer"),
        "{log_now:?}"
    );
    // Opened in the editor and made to implement Listener again (not saved): the open text
    // is what the design model sees, so Log is a participant again, with the others as related
    // information, while the file on disk still says otherwise.
    let on_disk = "/* é😀 */ class Log { public void fired() {} }\n";
    client
        .sender
        .send(notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri("Log.java"), "languageId": "java",
                                    "version": 1, "text": on_disk}}),
        ))
        .unwrap();
    client
        .sender
        .send(notification(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri("Log.java"), "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 0, "character": 19},
                                                 "end": {"line": 0, "character": 19}},
                                       "text": " implements Listener"}]}),
        ))
        .unwrap();
    let mut open_now = next_publish(&client, &uri("Log.java"));
    let mut publishes = 1;
    while !open_now
        .iter()
        .any(|d| d["data"]["role"] == "concrete-observer")
    {
        publishes += 1;
        assert!(publishes < 10, "{open_now:?}");
        open_now = next_publish(&client, &uri("Log.java"));
    }
    let participant = open_now
        .iter()
        .find(|d| d["data"]["role"] == "concrete-observer")
        .unwrap();
    assert_eq!(
        participant["range"]["start"],
        json!({"line": 0, "character": 10})
    );
    let related: Vec<&str> = participant["relatedInformation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["location"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(related, [uri("Listener.java"), uri("Button.java")]);
    shut_down(client, server);
    std::fs::remove_dir_all(&root).unwrap();
}

/// A pattern's `tags` reach the client as diagnostic tags (`datetime.utcnow()` is deprecated
/// since Python 3.12: `Deprecated`, 2), others carry none; positions of a text whose lines end
/// with a lone "\r" (old Mac line ends, which the protocol counts as line ends; JavaScript,
/// whose grammar takes any of them as a line end) are the protocol's lines.
#[test]
fn pattern_tags_are_diagnostic_tags_and_a_lone_carriage_return_ends_a_line() {
    let text = "import hashlib\nfrom datetime import datetime\n# é😀\nh = hashlib.sha256(b'')\nt = datetime.utcnow()\n";
    let js = "const crypto = require('crypto');\n// é😀\n\nconst d = crypto.createHash('md5').update(b);\n";
    let lone_cr = js.replace('\n', "\r");
    let mut queued = initialize();
    queued.push(notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "python", "version": 1, "text": text}}),
    ));
    let (unix, mac) = ("file:///w/unix.js", "file:///w/mac.js");
    for (uri, text) in [(unix, js.to_string()), (mac, lone_cr)] {
        queued.push(notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "javascript", "version": 1, "text": text}}),
        ));
    }
    let (client, server) = serve(queued);
    let _ = response(&client);
    let by_code = |ds: &[Value], code: &str| {
        ds.iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {ds:?}"))
            .clone()
    };
    let mut published = std::collections::HashMap::new();
    while published.len() < 3 {
        let (uri, ds) = next_publish_any(&client);
        published.insert(uri, ds);
    }
    let py = &published[URI];
    let utc = by_code(py, "reliability.time.naive-utc");
    assert_eq!(utc["tags"], json!([2]), "{utc}");
    let sha = by_code(py, "security.strong-hash.sha256");
    assert!(sha.get("tags").is_none_or(Value::is_null), "{sha}");
    // The same finding on the same line and columns when every line ends with a lone "\r".
    let md5 = "security.weak-hash.md5";
    let range = by_code(&published[unix], md5)["range"].clone();
    assert_eq!(range["start"]["line"], 3, "{range}");
    assert_eq!(by_code(&published[mac], md5)["range"], range);
    // A keystroke after the lone "\r" lines: the edit lands where the client says.
    let typed = notification(
        "textDocument/didChange",
        json!({"textDocument": {"uri": mac, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 3, "character": 0},
                                             "end": {"line": 3, "character": 0}},
                                   "text": "  "}]}),
    );
    client.sender.send(typed).unwrap();
    loop {
        let (uri, ds) = next_publish_any(&client);
        if uri == mac {
            let moved = by_code(&ds, md5)["range"].clone();
            assert_eq!(moved["start"]["line"], 3);
            assert_eq!(
                moved["start"]["character"],
                range["start"]["character"].as_i64().unwrap() + 2
            );
            break;
        }
    }
    shut_down(client, server);
}
