//! The workspace: its root folders (from `initialize`), `file:` URIs to paths and back, and the
//! background scan's state: the source files still to analyse (walked once, honouring
//! `.gitignore`), the files whose diagnostics were published from disk, and the progress token.
//!
//! The scan's files are analysed on the server's analysis thread, one at a time, so no edit,
//! request, cancellation or shutdown waits for a file's analysis.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use codetable::config::Config;
use codetable::source::walk::{classify, walk, Candidate, WalkOptions, Walked};
use lsp_types::Uri;
use serde_json::Value;

/// The root folders of the client's workspace: `workspaceFolders`, else `rootUri`, else
/// `rootPath`; only local (`file:`) folders.
pub(crate) fn roots(initialize: &Value) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = initialize
        .get("workspaceFolders")
        .and_then(Value::as_array)
        .map(|fs| {
            fs.iter()
                .filter_map(|f| f.get("uri").and_then(Value::as_str))
                .filter_map(path_of_str)
                .collect()
        })
        .unwrap_or_default();
    if !folders.is_empty() {
        return folders;
    }
    if let Some(p) = initialize
        .get("rootUri")
        .and_then(Value::as_str)
        .and_then(path_of_str)
    {
        return vec![p];
    }
    initialize
        .get("rootPath")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .into_iter()
        .collect()
}

/// The local path of a `file:` URI (percent-decoded), if it is one.
pub(crate) fn path_of(uri: &Uri) -> Option<PathBuf> {
    path_of_str(uri.as_str())
}

fn path_of_str(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///p` (empty authority) or `file://localhost/p`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    // A Windows drive (`/c:/x`) keeps its letter without the leading slash.
    let windows = path.len() > 2 && path.as_bytes()[2] == b':';
    Some(PathBuf::from(if windows { &path[1..] } else { &path[..] }))
}

/// The `file:` URI of an absolute path, with every byte outside the unreserved set and `/`
/// percent-encoded (as VS Code writes them).
pub(crate) fn uri_of(path: &Path) -> Option<Uri> {
    let s = path.to_str()?;
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b'\\' => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out.parse().ok()
}

/// Every file under `roots` the scan should read, sorted: core's folder walk
/// ([`codetable::source::walk`], the CLI's) with its defaults: `.gitignore`, `.ignore` and git
/// excludes honoured, hidden files and folders left out, symbolic links not followed; and the
/// project configuration's `exclude` and `[languages]` ([`walk_options`]). Each carries its
/// code-context root (the workspace folder it was found in).
pub(crate) fn source_files(roots: &[PathBuf]) -> Vec<Candidate> {
    let mut files: Vec<Candidate> = roots
        .iter()
        .flat_map(|r| walk(std::slice::from_ref(r), &walk_options(r)))
        .filter_map(|w| match w {
            Walked::Candidate(c) => Some(c),
            _ => None,
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    files
}

/// How a root folder is walked: core's defaults, with the excludes and language overrides of
/// the project configuration found from it (`codetable.toml`, `[tool.codetable]`; none when
/// it cannot be read).
pub(crate) fn walk_options(root: &Path) -> WalkOptions {
    let Ok(config) = Config::discover(root) else {
        return WalkOptions::default();
    };
    if config.file.is_none() {
        return WalkOptions::default();
    }
    WalkOptions::default().configured(&Arc::new(config))
}

/// Whether a work-done progress is being shown for the scan.
#[derive(Debug, PartialEq)]
pub(crate) enum Progress {
    /// The client did not offer `window.workDoneProgress`.
    None,
    /// `window/workDoneProgress/create` was sent (with this request id, at this time); the scan
    /// waits for the answer before it reports.
    Asked(String, Instant),
    /// `begin` was sent; the last percentage reported.
    Shown(u32),
}

/// One run of the background scan.
pub(crate) struct Scan {
    /// Files still to analyse, in order.
    pub(crate) queue: VecDeque<Candidate>,
    /// Files in this run (for the percentage).
    pub(crate) total: usize,
    /// Files analysed so far in this run.
    pub(crate) done: usize,
    /// Findings published so far in this run.
    pub(crate) findings: usize,
    /// Files of this run whose diagnostics came from the result cache.
    pub(crate) cached: usize,
    /// The design patterns of its files were recognised (or need not be).
    pub(crate) recognised: bool,
    /// The progress token (`codetable/scan/<n>`).
    pub(crate) token: String,
    pub(crate) progress: Progress,
    pub(crate) started: Instant,
}

/// The scan's state across runs.
#[derive(Default)]
pub(crate) struct Workspace {
    pub(crate) roots: Vec<PathBuf>,
    /// The current run, if one is going on.
    pub(crate) scan: Option<Scan>,
    /// Single files to analyse again (changed on disk, or closed in the editor), before the
    /// run's own files and without progress.
    pub(crate) pending: VecDeque<Candidate>,
    /// Files whose diagnostics (non-empty) were published from disk: cleared when the file is
    /// deleted, opened or the settings hide them.
    pub(crate) published: HashSet<Uri>,
    /// The last diagnostics of every file the scan analysed, with their result id (what
    /// `workspace/diagnostic` answers for files that are not open).
    pub(crate) results: HashMap<Uri, (String, Vec<lsp_types::Diagnostic>)>,
    /// Numbers result ids.
    pub(crate) result_ids: u64,
    /// The client pulls workspace diagnostics (it sent `workspace/diagnostic`): the scan's
    /// results are no longer pushed.
    pub(crate) pulled: bool,
    /// A result changed since the client last pulled the workspace's diagnostics.
    pub(crate) changed: bool,
    /// Runs started (numbers progress tokens).
    pub(crate) runs: u32,
    /// Bumped when the scan restarts (settings or configuration changed): answers of the
    /// analysis thread for an older generation are dropped.
    pub(crate) generation: u64,
    /// The engine recognising design patterns over the scanned files (that of the first
    /// folder's project, when it selects some).
    pub(crate) design_engine: Option<Arc<codetable::Engine>>,
    /// The design-pattern participants' diagnostics of the last recognition, by file.
    pub(crate) design: HashMap<Uri, Vec<lsp_types::Diagnostic>>,
    /// A file changed on disk was analysed since the last recognition.
    pub(crate) design_stale: bool,
    /// The digest of the database in use, with the id of the engine it was computed for.
    pub(crate) db_digest: Option<(u64, u128)>,
}

impl Workspace {
    /// Keeps the diagnostics of the file at `uri`; answers whether they changed.
    pub(crate) fn keep(&mut self, uri: &Uri, items: &[lsp_types::Diagnostic]) -> bool {
        if self.results.get(uri).is_some_and(|(_, old)| old == items)
            || (items.is_empty() && !self.results.contains_key(uri))
        {
            return false;
        }
        self.result_ids += 1;
        let id = format!("w{}", self.result_ids);
        self.results.insert(uri.clone(), (id, items.to_vec()));
        self.changed = true;
        true
    }

    /// What the walk makes of one file of a root folder (by the same rule as
    /// [`source_files`], its context root the root folder's): `None` when it is outside
    /// every root folder or its name says it is no source.
    pub(crate) fn candidate(&self, path: &Path) -> Option<Candidate> {
        let root = self.roots.iter().find(|r| path.starts_with(r))?;
        let depth = path.strip_prefix(root).ok()?.components().count();
        let options = walk_options(root);
        if options.exclude.as_ref().is_some_and(|x| x(path)) {
            return None;
        }
        match classify(path, depth, &options) {
            Walked::Candidate(c) => Some(c),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn uris_and_paths_round_trip_with_non_ascii_names() {
        let p = Path::new("/w/données é/a b#.py");
        let uri = uri_of(p).unwrap();
        assert_eq!(uri.as_str(), "file:///w/donn%C3%A9es%20%C3%A9/a%20b%23.py");
        assert_eq!(path_of(&uri).unwrap(), p);
        assert_eq!(
            path_of_str("file://localhost/x/y.py"),
            Some(PathBuf::from("/x/y.py"))
        );
        assert_eq!(path_of_str("untitled:Untitled-1"), None);
        assert_eq!(path_of_str("file:///bad%zz"), None);
        assert_eq!(
            path_of_str("file:///trunc%4"),
            Some(PathBuf::from("/trunc%4"))
        );
    }

    #[test]
    fn a_changed_file_is_classified_like_the_walk_with_its_configuration() {
        let t = std::env::temp_dir().join(format!("codetable-ws-ç-{}", std::process::id()));
        std::fs::create_dir_all(t.join("généré")).unwrap();
        std::fs::write(t.join("codetable.toml"), "exclude = [\"généré\"]\n").unwrap();
        let ws = Workspace {
            roots: vec![t.clone()],
            ..Workspace::default()
        };
        let c = ws.candidate(&t.join("src/données.py")).unwrap();
        assert_eq!(c.depth, 2);
        assert_eq!(c.root.as_deref(), Some(t.to_str().unwrap()));
        assert!(ws.candidate(&t.join("généré/g.py")).is_none());
        assert!(ws.candidate(&t.join("notes.md")).is_none());
        assert!(ws.candidate(Path::new("/elsewhere/a.py")).is_none());
        std::fs::remove_dir_all(&t).unwrap();
    }

    #[test]
    fn roots_from_folders_then_root_uri_then_root_path() {
        let folders = json!({"workspaceFolders": [{"uri": "file:///a", "name": "a"},
                                                  {"uri": "file:///b", "name": "b"}],
                             "rootUri": "file:///c"});
        assert_eq!(roots(&folders), [PathBuf::from("/a"), PathBuf::from("/b")]);
        assert_eq!(
            roots(&json!({"rootUri": "file:///c", "workspaceFolders": null})),
            [PathBuf::from("/c")]
        );
        assert_eq!(roots(&json!({"rootPath": "/d"})), [PathBuf::from("/d")]);
        assert!(roots(&json!({})).is_empty());
    }
}
