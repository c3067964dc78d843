//! `scan_paths`: a gitignore-aware parallel walk (the `ignore` crate's walker) that scans each
//! file on the walker's own threads and sends each file's findings through a bounded channel;
//! the `Scan` iterator waits on the channel with the GIL released.
//!
//! Dropping the iterator stops the walk: the stop flag is set and the next send fails.

use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codetable::Language;
use crossbeam_channel::{bounded, Receiver, RecvTimeoutError, Sender};
use ignore::{WalkBuilder, WalkState};
use pyo3::prelude::*;

use crate::engine::{language_of_name, Shared};
use crate::errors::{guard, panic_message};
use crate::finding::{display_path, Finding, FindingData};

enum Item {
    Findings(Vec<FindingData>),
    Error(String, String),
}

/// The findings of a running `Engine.scan_paths`, as an iterator. Findings arrive as files
/// finish; `errors` lists the files that could not be scanned, `files` counts those scanned.
#[pyclass(frozen, module = "codetable", name = "Scan")]
pub struct Scan {
    rx: Receiver<Item>,
    buffer: Mutex<VecDeque<FindingData>>,
    errors: Mutex<Vec<(String, String)>>,
    files: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    finished: AtomicBool,
}

impl Drop for Scan {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[pymethods]
impl Scan {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Finding>> {
        guard(|| loop {
            if let Some(data) = self.buffer.lock().ok().and_then(|mut b| b.pop_front()) {
                return Ok(Some(Finding { data }));
            }
            if self.finished.load(Ordering::Relaxed) {
                return Ok(None);
            }
            match py.detach(|| self.rx.recv_timeout(Duration::from_millis(100))) {
                Ok(Item::Findings(v)) => {
                    if let Ok(mut b) = self.buffer.lock() {
                        b.extend(v);
                    }
                }
                Ok(Item::Error(path, message)) => {
                    if let Ok(mut e) = self.errors.lock() {
                        e.push((path, message));
                    }
                }
                // Let Ctrl-C through while waiting on a long file.
                Err(RecvTimeoutError::Timeout) => py.check_signals()?,
                Err(RecvTimeoutError::Disconnected) => {
                    self.finished.store(true, Ordering::Relaxed);
                }
            }
        })
    }

    /// `(path, message)` for every file that could not be scanned so far (unreadable, not
    /// UTF-8, unknown language of a file named explicitly).
    #[getter]
    fn errors(&self) -> Vec<(String, String)> {
        self.errors.lock().map(|e| e.clone()).unwrap_or_default()
    }

    /// Number of files scanned so far.
    #[getter]
    fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// True once every file has been scanned and every finding yielded.
    #[getter]
    fn done(&self) -> bool {
        self.finished.load(Ordering::Relaxed)
            && self.buffer.lock().map(|b| b.is_empty()).unwrap_or(true)
    }

    /// Stops the walk; findings already delivered can still be iterated.
    fn close(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    fn __repr__(&self) -> String {
        format!(
            "<codetable.Scan: {} files scanned, {} errors{}>",
            self.files(),
            self.errors.lock().map(|e| e.len()).unwrap_or(0),
            if self.done() { ", done" } else { "" }
        )
    }
}

/// Starts the walk on its own thread and returns the iterator.
pub(crate) fn start(
    shared: Shared,
    roots: Vec<PathBuf>,
    threads: usize,
    max_file_size: u64,
) -> PyResult<Scan> {
    let (tx, rx) = bounded::<Item>(256);
    let files = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (files2, stop2) = (files.clone(), stop.clone());
    std::thread::Builder::new()
        .name("codetable-scan".into())
        .spawn(move || {
            let report = tx.clone();
            let walked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                walk(shared, roots, threads, max_file_size, tx, files2, stop2)
            }));
            if let Err(p) = walked {
                let _ = report.send(Item::Error(
                    String::new(),
                    format!(
                        "internal error in codetable (please report it): {}",
                        panic_message(&*p)
                    ),
                ));
            }
        })
        .map_err(|e| crate::errors::Error::new_err(format!("cannot start a scan thread: {e}")))?;
    Ok(Scan {
        rx,
        buffer: Mutex::new(VecDeque::new()),
        errors: Mutex::new(Vec::new()),
        files,
        stop,
        finished: AtomicBool::new(false),
    })
}

fn walk(
    shared: Shared,
    roots: Vec<PathBuf>,
    threads: usize,
    max_file_size: u64,
    tx: Sender<Item>,
    files: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
) {
    let mut builder = WalkBuilder::new(&roots[0]);
    for r in &roots[1..] {
        builder.add(r);
    }
    builder.threads(threads).require_git(false);
    builder.build_parallel().run(|| {
        let (shared, tx, files, stop) = (shared.clone(), tx.clone(), files.clone(), stop.clone());
        Box::new(move |entry| {
            if stop.load(Ordering::Relaxed) {
                return WalkState::Quit;
            }
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = match &e {
                        ignore::Error::WithPath { path, .. } => path.display().to_string(),
                        _ => String::new(),
                    };
                    return send(&tx, Item::Error(path, e.to_string()));
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let explicit = entry.depth() == 0;
            let item = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                scan_file(&shared, entry.path(), explicit, max_file_size)
            }))
            .unwrap_or_else(|p| {
                Some(Err(format!(
                    "internal error in codetable (please report it): {}",
                    panic_message(&*p)
                )))
            });
            match item {
                None => WalkState::Continue,
                Some(Ok(found)) => {
                    files.fetch_add(1, Ordering::Relaxed);
                    if found.is_empty() {
                        WalkState::Continue
                    } else {
                        send(&tx, Item::Findings(found))
                    }
                }
                Some(Err(message)) => send(
                    &tx,
                    Item::Error(entry.path().display().to_string(), message),
                ),
            }
        })
    });
}

fn send(tx: &Sender<Item>, item: Item) -> WalkState {
    match tx.send(item) {
        Ok(()) => WalkState::Continue,
        Err(_) => WalkState::Quit, // the iterator is gone
    }
}

/// Scans one file: `None` when it is not code (skipped), else its findings or an error message.
fn scan_file(
    shared: &Shared,
    path: &Path,
    explicit: bool,
    max_file_size: u64,
) -> Option<Result<Vec<FindingData>, String>> {
    let by_name = language_of_name(path);
    if by_name.is_none() && path.extension().is_some() && !explicit {
        return None;
    }
    match std::fs::metadata(path) {
        Ok(m) if m.len() > max_file_size => {
            return Some(Err(format!(
                "{} bytes > max_file_size {max_file_size}",
                m.len()
            )))
        }
        Ok(_) => {}
        Err(e) => return Some(Err(e.to_string())),
    }
    let bytes = match by_name {
        Some(_) => std::fs::read(path),
        // No telling extension: look for a #! line before reading the whole file.
        None => match head(path) {
            Ok(h) if Language::from_shebang(&h).is_some() => std::fs::read(path),
            Ok(_) if explicit => {
                return Some(Err(
                    "cannot tell the language from the name or a #! line".into()
                ))
            }
            Ok(_) => return None,
            Err(e) => Err(e),
        },
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return Some(Err(e.to_string())),
    };
    let lang = by_name.or_else(|| Language::from_shebang(&bytes))?;
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Some(Err("contains NUL bytes (binary)".into()));
    }
    let shown = display_path(path);
    let doc = match codetable::Document::from_bytes(lang, &bytes) {
        Ok(d) => d,
        Err(e) => return Some(Err(e.to_string())),
    };
    Some(
        shared
            .scan_document(&doc, Some(&shown))
            .map_err(|e| e.to_string()),
    )
}

fn head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(256);
    std::fs::File::open(path)?.take(256).read_to_end(&mut buf)?;
    Ok(buf)
}
