//! Latency of the language server over the protocol (issue 18): the real `codetable lsp`
//! process, spoken to over its standard input and output as an editor does.
//!
//! (a) Keystrokes on the generated 5,000-line Python file (`corpus::python`, the file of the
//!     edit bench): a one-character insert at a random position, or the delete that undoes it,
//!     as `didChange`; the time until the `publishDiagnostics` of that version arrives. The
//!     server runs with `debounceMs: 0`, so the figure excludes the debounce (75 ms by default).
//! (a') Bursts: six keystrokes sent back to back (`CODETABLE_BENCH_BURST`), timed from the last
//!     one to the `publishDiagnostics` of its version (the server reparses them together).
//! (b) Hover requests at the start of random findings and at random positions of the same file:
//!     request to response.
//! (c) With `CODETABLE_BENCH_WORKSPACE=<folder>` (e.g. CPython's `Lib/`): the workspace scan of
//!     that folder (initialize to the scan's end) and the server's peak memory (`VmHWM`).
//!
//! Run (the server is the release binary, or `CODETABLE_BIN`):
//!
//! ```sh
//! cargo build --release -p codetable-cli
//! cargo bench -p codetable-lsp --bench lsp
//! CODETABLE_BENCH_WORKSPACE=/usr/lib/python3.11 cargo bench -p codetable-lsp --bench lsp
//! ```
//!
//! Figures are recorded in benches/README.md.

use std::io::{BufReader, BufWriter};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use codetable::OffsetUnit;
use codetable_lsp::lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{json, Value};

#[path = "corpus.rs"]
mod corpus;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The server process and its pipes.
struct Server {
    child: Child,
    input: BufWriter<ChildStdin>,
    output: BufReader<ChildStdout>,
    next_id: i32,
}

impl Server {
    fn start(binary: &PathBuf, initialize: Value) -> Server {
        let mut child = Command::new(binary)
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let input = BufWriter::new(child.stdin.take().unwrap());
        let output = BufReader::new(child.stdout.take().unwrap());
        let mut server = Server {
            child,
            input,
            output,
            next_id: 0,
        };
        server.request("initialize", initialize);
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, m: Message) {
        m.write(&mut self.input).unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Notification::new(method.to_string(), params).into());
    }

    /// Sends a request and waits for its answer (answering the server's own requests with
    /// `null` meanwhile); returns the result.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Request::new(id.clone(), method.to_string(), params).into());
        loop {
            match self.receive() {
                Message::Response(r) if r.id == id => return r.response_result.unwrap(),
                _ => {}
            }
        }
    }

    fn receive(&mut self) -> Message {
        let m = Message::read(&mut self.output)
            .unwrap()
            .expect("the server answers");
        if let Message::Request(r) = &m {
            let ok = codetable_lsp::lsp_server::Response::new_ok(r.id.clone(), Value::Null);
            self.send(ok.into());
        }
        m
    }

    /// Waits for the `publishDiagnostics` of `version` of `uri`; returns its diagnostics.
    fn published(&mut self, uri: &str, version: i32) -> Vec<Value> {
        loop {
            if let Message::Notification(n) = self.receive() {
                if n.method == "textDocument/publishDiagnostics"
                    && n.params["uri"] == uri
                    && n.params["version"] == version
                {
                    return n.params["diagnostics"].as_array().unwrap().clone();
                }
            }
        }
    }

    /// Waits for a `window/logMessage` containing `needle`.
    fn logged(&mut self, needle: &str) -> String {
        loop {
            if let Message::Notification(n) = self.receive() {
                if n.method == "window/logMessage" {
                    let text = n.params["message"].as_str().unwrap_or("").to_string();
                    if text.contains(needle) {
                        return text;
                    }
                }
            }
        }
    }

    /// The process's peak resident memory (`VmHWM`), in MB, where /proc tells.
    fn peak_mb(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        drop(self.input);
        let _ = self.child.wait();
    }
}

/// The LSP position (UTF-16) of byte `offset` of `text`.
fn position(text: &str, offset: usize) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count();
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn report(what: &str, mut samples: Vec<Duration>) {
    if samples.is_empty() {
        println!("| {what} | 0 | | | | |");
        return;
    }
    samples.sort();
    println!(
        "| {what} | {} | {} | {} | {} | {} |",
        samples.len(),
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.9)),
        ms(percentile(&samples, 0.99)),
        ms(*samples.last().unwrap())
    );
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is not ours.
    let binary = std::env::var_os("CODETABLE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/codetable")
        });
    let text = corpus::python(5_000);
    let uri = "file:///bench/module.py";
    let keystrokes: usize = std::env::var("CODETABLE_BENCH_KEYSTROKES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);

    println!(
        "server: {} · file: python, {} lines, {} KB",
        binary.display(),
        text.lines().count(),
        text.len() / 1000
    );
    println!();
    println!("| what | samples | median | p90 | p99 | max |");
    println!("|---|---|---|---|---|---|");

    // The patterns reported: every one by default (`select = ["all"]`: the generated file's
    // ~600 findings, session 5's heavy case); `CODETABLE_BENCH_SELECT=default` measures what
    // `codetable scan` reports by default (no finding in this file).
    let select = std::env::var("CODETABLE_BENCH_SELECT").unwrap_or_else(|_| "all".to_string());
    println!("selection: {select}");
    let initialize = json!({
        "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
        "initializationOptions": {"debounceMs": 0, "workspaceScan": false, "select": [select]},
    });
    let mut server = Server::start(&binary, initialize);
    let opened = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
    );
    let findings = server.published(uri, 1);
    let open_time = opened.elapsed();

    // (a) keystrokes: insert "x" at a random char boundary, then delete it. The edits are
    // drawn first (as bytes of the text before each), so that the in-process baseline below
    // replays the very same ones.
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let mut edits: Vec<(usize, usize, &str)> = Vec::with_capacity(keystrokes);
    {
        let mut current = text.clone();
        let mut inserted: Option<usize> = None;
        for _ in 0..keystrokes {
            let edit = match inserted.take() {
                Some(at) => (at, at + 1, ""),
                None => {
                    let mut at = (rng.next() as usize) % current.len();
                    while !current.is_char_boundary(at) {
                        at -= 1;
                    }
                    inserted = Some(at);
                    (at, at, "x")
                }
            };
            current.replace_range(edit.0..edit.1, edit.2);
            edits.push(edit);
        }
    }
    let mut current = text.clone();
    let mut version = 1;
    let mut samples = Vec::with_capacity(keystrokes);
    for &(start, end, new_text) in &edits {
        let range = json!({"start": position(&current, start), "end": position(&current, end)});
        current.replace_range(start..end, new_text);
        version += 1;
        let sent = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": range, "text": new_text}]}),
        );
        server.published(uri, version);
        samples.push(sent.elapsed());
    }
    report(
        "didChange → publishDiagnostics (debounce 0)",
        samples.clone(),
    );
    // (a') bursts: `burst` keystrokes sent back to back (typing faster than an analysis, or a
    // client that batches), each its own didChange; the time from the last one to the
    // `publishDiagnostics` of its version. The edits are the same kind (an insert, then its
    // delete), drawn after the ones above.
    let burst: usize = std::env::var("CODETABLE_BENCH_BURST")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let mut bursts = Vec::new();
    for _ in 0..keystrokes / burst.max(1) / 3 {
        let mut last = None;
        let mut inserted: Option<usize> = None;
        for _ in 0..burst {
            let (start, end, new_text) = match inserted.take() {
                Some(at) => (at, at + 1, ""),
                None => {
                    let mut at = (rng.next() as usize) % current.len();
                    while !current.is_char_boundary(at) {
                        at -= 1;
                    }
                    inserted = Some(at);
                    (at, at, "x")
                }
            };
            let range = json!({"start": position(&current, start), "end": position(&current, end)});
            current.replace_range(start..end, new_text);
            version += 1;
            last = Some(Instant::now());
            server.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version},
                       "contentChanges": [{"range": range, "text": new_text}]}),
            );
        }
        server.published(uri, version);
        bursts.push(last.unwrap().elapsed());
    }
    report(
        &format!("burst of {burst} didChange → publishDiagnostics of the last"),
        bursts,
    );
    // The baseline, in this process and in the same run (so at the same load): the core work of
    // each keystroke without the protocol — `Session::edit` (the incremental reparse) then
    // `analyze_delta`, with the profile the server applies (the same selection).
    let engine = codetable::Engine::new(codetable::PatternDb::default_catalog());
    engine.set_profile(Some(codetable::Profile {
        select: vec![select.clone()],
        ..codetable::Profile::default()
    }));
    let mut session =
        codetable::Session::new(codetable::Language::Python, text.clone(), OffsetUnit::Utf16)
            .unwrap();
    session.analyze(&engine).unwrap();
    let (mut core, mut delta_only) = (Vec::new(), Vec::new());
    for &(start, end, new_text) in &edits {
        let t = Instant::now();
        session
            .edit_in(OffsetUnit::Byte, start, end, new_text)
            .unwrap();
        let d = Instant::now();
        session.analyze_delta(&engine).unwrap();
        delta_only.push(d.elapsed());
        core.push(t.elapsed());
    }
    report("in process: edit + analyze_delta (baseline)", core.clone());
    report("in process: analyze_delta alone", delta_only.clone());
    let (mut a, mut b, mut c) = (samples.clone(), core, delta_only);
    a.sort();
    b.sort();
    c.sort();
    let ratio = |x: &[Duration], y: &[Duration], p: f64| {
        percentile(x, p).as_secs_f64() / percentile(y, p).as_secs_f64().max(1e-9)
    };
    println!();
    println!(
        "protocol / (edit + analyze_delta): median {:.2}×, p99 {:.2}×; protocol / analyze_delta \
         alone: median {:.2}×, p99 {:.2}×",
        ratio(&a, &b, 0.5),
        ratio(&a, &b, 0.99),
        ratio(&a, &c, 0.5),
        ratio(&a, &c, 0.99)
    );
    println!();
    println!("| what | samples | median | p90 | p99 | max |");
    println!("|---|---|---|---|---|---|");

    // (b) hovers: at the start of findings (a property sheet to render) and anywhere.
    let starts: Vec<Value> = findings
        .iter()
        .map(|d| d["range"]["start"].clone())
        .collect();
    let mut on_findings = Vec::new();
    let mut anywhere = Vec::new();
    for i in 0..400 {
        let (at, on) = if i % 2 == 0 && !starts.is_empty() {
            (starts[(rng.next() as usize) % starts.len()].clone(), true)
        } else {
            let mut b = (rng.next() as usize) % current.len();
            while !current.is_char_boundary(b) {
                b -= 1;
            }
            (position(&current, b), false)
        };
        let sent = Instant::now();
        let result = server.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at}),
        );
        let took = sent.elapsed();
        if on {
            assert!(!result.is_null(), "no hover at a finding's start");
            on_findings.push(took);
        } else {
            anywhere.push(took);
        }
    }
    report("hover on a finding", on_findings);
    report("hover anywhere", anywhere);
    println!();
    println!(
        "didOpen → first publishDiagnostics (full analysis, {} findings): {}",
        findings.len(),
        ms(open_time)
    );
    if let Some(mb) = server.peak_mb() {
        println!("server peak memory with the file open: {mb:.0} MB");
    }
    server.stop();

    // (c) the workspace scan of a folder.
    if let Some(folder) = std::env::var_os("CODETABLE_BENCH_WORKSPACE") {
        let folder = PathBuf::from(folder);
        let root = format!("file://{}", folder.display());
        let started = Instant::now();
        let mut server = Server::start(
            &binary,
            json!({"capabilities": {"window": {"workDoneProgress": true}},
                   "workspaceFolders": [{"uri": root, "name": "bench"}]}),
        );
        let summary = server.logged("workspace scan: ");
        let took = started.elapsed();
        println!();
        println!(
            "workspace scan of {}: {summary}; {} from initialize; server peak memory {}",
            folder.display(),
            ms(took),
            server
                .peak_mb()
                .map_or("unknown".to_string(), |mb| format!("{mb:.0} MB"))
        );
        server.stop();
    }
}
