//! `scan_paths`: core's gitignore-aware parallel walk (`codetable::source::walk::walk_parallel`,
//! the same walk as the `codetable` command's) that scans each file on the walker's own threads and sends each file's findings through a bounded channel;
//! the `Scan` iterator waits on the channel with the GIL released.
//!
//! Each file is read by core's intake (`codetable::source::read`), so files are skipped for the
//! same reasons, with the same names, as by the `codetable` command. Dropping the iterator stops
//! the walk: the stop flag is set and the next send fails.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codetable::config::Config;
use codetable::source::walk::{walk_parallel, WalkOptions, Walked};
use codetable::source::{self, Intake, Skip, SkipReason};
use crossbeam_channel::{bounded, Receiver, RecvTimeoutError, Sender};
use pyo3::prelude::*;

use crate::engine::{scan_document, CoreEngine};
use crate::errors::{guard, panic_message};
use crate::finding::{Finding, FindingData};

/// The reason given for a file whose scan panicked (a bug in codetable, never a property of
/// the file).
const INTERNAL_ERROR: &str = "internal error";

/// A file that could not be scanned: path, reason name, detail.
type Skipped = (String, &'static str, String);

enum Item {
    Findings(Vec<FindingData>),
    Skipped(Skipped),
}

/// Reads, parses and analyses one file whose code context is judged below the folder `root`
/// (see `codetable::context::walked_root`): its findings, or why it was skipped.
pub(crate) fn read_file(
    engine: &CoreEngine,
    path: &Path,
    root: Option<&str>,
    intake: &Intake,
    config: Option<&Config>,
) -> Result<Vec<FindingData>, Skip> {
    let configured = config.and_then(|c| c.language_of(path));
    let file = match configured {
        Some(language) if intake.language.is_none() => source::read(
            path,
            &Intake {
                language: Some(language),
                ..intake.clone()
            },
        )?,
        _ => source::read(path, intake)?,
    };
    let language = file.language;
    let doc = file.into_document()?;
    scan_document(engine, doc, Some(&path.to_string_lossy()), root, config).map_err(|e| {
        Skip::over_budget(&e, language).unwrap_or_else(|| Skip {
            reason: SkipReason::Unparsable,
            detail: e.to_string(),
            language: Some(language),
        })
    })
}

fn internal(payload: &(dyn std::any::Any + Send)) -> String {
    format!(
        "internal error in codetable (please report it): {}",
        panic_message(payload)
    )
}

/// The findings of a running `Engine.scan_paths`, as an iterator. Findings arrive as files
/// finish; `skipped` (and `errors`) list the files that could not be scanned, `files` counts
/// those scanned.
#[pyclass(frozen, module = "codetable", name = "Scan")]
pub struct Scan {
    rx: Receiver<Item>,
    buffer: Mutex<VecDeque<FindingData>>,
    skipped: Mutex<Vec<Skipped>>,
    files: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    finished: AtomicBool,
}

impl Drop for Scan {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Scan {
    fn skipped_so_far(&self) -> Vec<Skipped> {
        self.skipped.lock().map(|e| e.clone()).unwrap_or_default()
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
                Ok(Item::Skipped(s)) => {
                    if let Ok(mut e) = self.skipped.lock() {
                        e.push(s);
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

    /// `(path, reason, detail)` for every file that could not be scanned so far: `reason` is
    /// the name of core's skip reason (`"unreadable"`, `"binary"`, `"too large"`,
    /// `"not UTF-8"`, `"unknown language"` for a file named explicitly, `"unparsable"`), or
    /// `"internal error"` for a bug in codetable.
    #[getter]
    fn skipped(&self) -> Vec<Skipped> {
        self.skipped_so_far()
    }

    /// `(path, message)` for every file that could not be scanned so far, the message being
    /// `"reason: detail"` (the earlier form of `skipped`, kept for compatibility).
    #[getter]
    fn errors(&self) -> Vec<(String, String)> {
        self.skipped_so_far()
            .into_iter()
            .map(|(path, reason, detail)| (path, format!("{reason}: {detail}")))
            .collect()
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
            "<codetable.Scan: {} files scanned, {} skipped{}>",
            self.files(),
            self.skipped.lock().map(|e| e.len()).unwrap_or(0),
            if self.done() { ", done" } else { "" }
        )
    }
}

/// Starts the walk on its own thread and returns the iterator.
pub(crate) fn start(
    engine: Arc<CoreEngine>,
    roots: Vec<PathBuf>,
    threads: usize,
    intake: Intake,
    vendored: bool,
    config: Option<Arc<Config>>,
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
                walk(
                    engine, roots, threads, intake, vendored, config, tx, files2, stop2,
                )
            }));
            if let Err(p) = walked {
                let _ = report.send(Item::Skipped((
                    String::new(),
                    INTERNAL_ERROR,
                    internal(&*p),
                )));
            }
        })
        .map_err(|e| crate::errors::Error::new_err(format!("cannot start a scan thread: {e}")))?;
    Ok(Scan {
        rx,
        buffer: Mutex::new(VecDeque::new()),
        skipped: Mutex::new(Vec::new()),
        files,
        stop,
        finished: AtomicBool::new(false),
    })
}

#[allow(clippy::too_many_arguments)]
fn walk(
    engine: Arc<CoreEngine>,
    roots: Vec<PathBuf>,
    threads: usize,
    intake: Intake,
    vendored: bool,
    config: Option<Arc<Config>>,
    tx: Sender<Item>,
    files: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
) {
    let mut options = WalkOptions {
        languages: intake.languages.clone(),
        vendored,
        ..WalkOptions::default()
    };
    if let Some(config) = &config {
        options = options.configured(config);
    }
    walk_parallel(&roots, &options, threads, |walked| {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let c = match walked {
            Walked::Candidate(c) => c,
            // A file named explicitly is reported when its name says no wanted language;
            // one found in a folder is not a source, and not worth a word.
            Walked::Ignored {
                path,
                depth: 0,
                reason,
            } => {
                let detail = match reason {
                    SkipReason::Excluded => "not a wanted language",
                    _ => "no known extension",
                };
                let shown = path.display().to_string();
                return send(&tx, Item::Skipped((shown, reason.name(), detail.into())));
            }
            Walked::Ignored { .. } => return true,
            Walked::Skipped {
                path,
                reason,
                detail,
            } => {
                let shown = path.map(|p| p.display().to_string()).unwrap_or_default();
                return send(&tx, Item::Skipped((shown, reason.name(), detail)));
            }
        };
        let scanned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // Generated content is left out as the walk says (core's `Candidate::read` rule).
            let intake = Intake {
                generated: intake.generated && c.generated_wanted,
                ..intake.clone()
            };
            read_file(
                &engine,
                &c.path,
                c.root.as_deref(),
                &intake,
                config.as_deref(),
            )
        }));
        let shown = || c.path.display().to_string();
        match scanned {
            Err(p) => send(&tx, Item::Skipped((shown(), INTERNAL_ERROR, internal(&*p)))),
            // A file whose name said nothing (no extension) that is no source: not a word.
            Ok(Err(skip)) if skip.language.is_none() && c.depth > 0 => true,
            Ok(Err(skip)) => send(
                &tx,
                Item::Skipped((shown(), skip.reason.name(), skip.detail)),
            ),
            Ok(Ok(found)) => {
                files.fetch_add(1, Ordering::Relaxed);
                found.is_empty() || send(&tx, Item::Findings(found))
            }
        }
    });
}

/// Sends `item` to the iterator: false (stop the walk) when the iterator is gone.
fn send(tx: &Sender<Item>, item: Item) -> bool {
    tx.send(item).is_ok()
}
