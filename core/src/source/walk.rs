//! The folder walk every host shares (the CLI's scan, Python's `scan_paths`, the language
//! server's workspace scan): which files below the given roots are proposed for reading, which
//! are left out by their name and why, and which entries could not be walked.
//!
//! It runs on the `ignore` crate (ripgrep's walker): `.gitignore`, `.ignore` and git excludes
//! are honoured (in a folder that is not a git repository as well), hidden files and folders
//! are left out, symbolic links are not followed; each is switchable in [`WalkOptions`]. With
//! links followed, a link loop is reported once as an unreadable entry, never walked forever.
//! A root named explicitly is always walked, even when an ignore file or hidden-ness would
//! leave it out.
//!
//! Every proposed file carries its code-context root ([`crate::context::walked_root`]): the
//! folder it is judged below, so that folders above the scanned one (a checkout under
//! `~/tests/`, `/tmp/test_run0/`) never make its code `test`. Hosts pass it to
//! [`crate::Session::set_root`].
//!
//! It reads no file: [`crate::source::read`] decides, from the content, what a proposed file
//! really is.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::language::Language;
use crate::source::{is_ambiguous_extension, SkipReason};

/// A predicate over paths (excludes), shareable across the walker's threads.
pub type PathFilter = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// A language override by path (a project's `[languages]` table), shareable across threads.
pub type PathLanguage = Arc<dyn Fn(&Path) -> Option<Language> + Send + Sync>;

/// What to walk and how.
#[derive(Clone)]
pub struct WalkOptions {
    /// Also walk hidden files and folders (names starting with `.`). Default: no.
    pub hidden: bool,
    /// Honour `.gitignore`, `.ignore`, git's global and repository excludes, and those of
    /// parent folders. Default: yes.
    pub ignore_files: bool,
    /// Follow symbolic links (loops are reported, not walked). Default: no; an unfollowed
    /// link is neither proposed nor reported.
    pub follow_links: bool,
    /// Only files of these languages are proposed (all when empty); a file whose name says
    /// another language is [`SkipReason::Excluded`], except for names several languages share
    /// (`.h`), whose content decides.
    pub languages: Vec<Language>,
    /// Paths (files or folders) left out entirely: not proposed, not reported, and a folder's
    /// contents not walked.
    pub exclude: Option<PathFilter>,
    /// A language given to a path by configuration: such a file is proposed whatever its name.
    pub language_of: Option<PathLanguage>,
}

impl Default for WalkOptions {
    fn default() -> WalkOptions {
        WalkOptions {
            hidden: false,
            ignore_files: true,
            follow_links: false,
            languages: Vec::new(),
            exclude: None,
            language_of: None,
        }
    }
}

impl fmt::Debug for WalkOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WalkOptions")
            .field("hidden", &self.hidden)
            .field("ignore_files", &self.ignore_files)
            .field("follow_links", &self.follow_links)
            .field("languages", &self.languages)
            .field("exclude", &self.exclude.is_some())
            .field("language_of", &self.language_of.is_some())
            .finish()
    }
}

/// A file the walk proposes for reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The path as walked (relative when the root was).
    pub path: PathBuf,
    /// How far below its root the file was found (0: the root itself, a file named
    /// explicitly).
    pub depth: usize,
    /// The folder its code context is judged below ([`crate::context::walked_root`]).
    pub root: Option<String>,
    /// The language its name (or the configuration) says; `None` when its content must decide
    /// (no extension: a shebang, or a host's fallback language).
    pub language: Option<Language>,
}

/// One entry of the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Walked {
    /// A file to read.
    Candidate(Candidate),
    /// A file left out by its name: [`SkipReason::UnknownLanguage`] (an extension no language
    /// claims) or [`SkipReason::Excluded`] (a language not wanted). Hosts count these apart
    /// from skipped files; `depth` 0 means it was named explicitly.
    Ignored {
        /// The file.
        path: PathBuf,
        /// How far below its root (0: named explicitly).
        depth: usize,
        /// Why.
        reason: SkipReason,
    },
    /// An entry that could not be walked (permissions, a broken link, a link loop):
    /// always [`SkipReason::Unreadable`].
    Skipped {
        /// The entry, when the error names it.
        path: Option<PathBuf>,
        /// Why ([`SkipReason::Unreadable`]).
        reason: SkipReason,
        /// The walker's message.
        detail: String,
    },
}

/// What the walk makes of one file path found `depth` below its root, by its name alone (the
/// same rule the walk applies; a host uses it for a single file reported changed).
///
/// ```
/// use codetable::source::walk::{classify, Walked, WalkOptions};
/// use codetable::source::SkipReason;
/// use codetable::Language;
/// use std::path::Path;
/// let all = WalkOptions::default();
/// let Walked::Candidate(c) = classify(Path::new("src/données.py"), 1, &all) else { panic!() };
/// assert_eq!(c.language, Some(Language::Python));
/// let Walked::Candidate(c) = classify(Path::new("bin/tool"), 1, &all) else { panic!() };
/// assert_eq!(c.language, None); // the shebang decides
/// assert!(matches!(classify(Path::new("README.md"), 0, &all),
///                  Walked::Ignored { reason: SkipReason::UnknownLanguage, .. }));
/// let go_only = WalkOptions { languages: vec![Language::Go], ..WalkOptions::default() };
/// assert!(matches!(classify(Path::new("a.py"), 1, &go_only),
///                  Walked::Ignored { reason: SkipReason::Excluded, .. }));
/// ```
pub fn classify(path: &Path, depth: usize, options: &WalkOptions) -> Walked {
    let candidate = |language| {
        Walked::Candidate(Candidate {
            path: path.to_path_buf(),
            depth,
            root: crate::context::walked_root(path, depth),
            language,
        })
    };
    let ignored = |reason| Walked::Ignored {
        path: path.to_path_buf(),
        depth,
        reason,
    };
    if let Some(l) = options.language_of.as_ref().and_then(|f| f(path)) {
        return candidate(Some(l));
    }
    let Some(ext) = path.extension() else {
        return candidate(None); // no extension: the first line decides
    };
    // An extension that is not UTF-8 is no language's.
    match ext.to_str().and_then(Language::from_extension) {
        None => ignored(SkipReason::UnknownLanguage),
        Some(l) if options.languages.is_empty() || options.languages.contains(&l) => {
            candidate(Some(l))
        }
        // A name several languages share: the content decides whether it is wanted.
        Some(_) if ext.to_str().is_some_and(is_ambiguous_extension) => candidate(None),
        Some(_) => ignored(SkipReason::Excluded),
    }
}

fn builder(roots: &[PathBuf], options: &WalkOptions) -> Option<ignore::WalkBuilder> {
    let (first, rest) = roots.split_first()?;
    let mut b = ignore::WalkBuilder::new(first);
    for r in rest {
        b.add(r);
    }
    let respect = options.ignore_files;
    b.hidden(!options.hidden)
        .ignore(respect)
        .git_ignore(respect)
        .git_global(respect)
        .git_exclude(respect)
        .parents(respect)
        // A folder that is not a git repository still has its `.gitignore` honoured.
        .require_git(false)
        .follow_links(options.follow_links);
    if let Some(exclude) = options.exclude.clone() {
        b.filter_entry(move |e| !exclude(e.path()));
    }
    Some(b)
}

/// One entry of the walker as a [`Walked`], or `None` for what is not a file to talk about
/// (a folder, an unfollowed link).
fn entry(found: Result<ignore::DirEntry, ignore::Error>, options: &WalkOptions) -> Option<Walked> {
    match found {
        Ok(e) => {
            let ft = e.file_type()?;
            // An unfollowed link is not a file (as in ripgrep); a followed one has its
            // target's type.
            if ft.is_dir() || ft.is_symlink() {
                return None;
            }
            // Anything else (a FIFO, a device) is proposed: reading refuses it with a reason.
            Some(classify(e.path(), e.depth(), options))
        }
        Err(err) => Some(Walked::Skipped {
            path: error_path(&err),
            reason: SkipReason::Unreadable,
            detail: err.to_string(),
        }),
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.first().and_then(error_path),
        _ => None,
    }
}

/// Walks `roots` on the calling thread, in walk order (each folder's entries sorted by name).
/// A root that does not exist gives one [`Walked::Skipped`]; hosts that want an error check
/// their arguments first.
///
/// ```no_run
/// use codetable::source::walk::{walk, Walked, WalkOptions};
/// for w in walk(&["src".into()], &WalkOptions::default()) {
///     if let Walked::Candidate(c) = w {
///         println!("{} (context root {:?})", c.path.display(), c.root);
///     }
/// }
/// ```
pub fn walk(roots: &[PathBuf], options: &WalkOptions) -> impl Iterator<Item = Walked> {
    let options = options.clone();
    builder(roots, &options)
        .map(|mut b| b.sort_by_file_name(|a, b| a.cmp(b)).build())
        .into_iter()
        .flatten()
        .filter_map(move |found| entry(found, &options))
}

/// Walks `roots` on `threads` worker threads (the walker's own; `0`: its choice), calling
/// `visit` with every entry as it is found, in no particular order, on those threads.
/// `visit` answers whether to go on: `false` stops the walk soon (entries already being
/// visited still are). Returns when the walk is over.
pub fn walk_parallel<F>(roots: &[PathBuf], options: &WalkOptions, threads: usize, visit: F)
where
    F: Fn(Walked) -> bool + Sync,
{
    let Some(mut b) = builder(roots, options) else {
        return;
    };
    let visit = &visit;
    b.threads(threads).build_parallel().run(|| {
        Box::new(move |found| match entry(found, options).map(visit) {
            Some(false) => ignore::WalkState::Quit,
            _ => ignore::WalkState::Continue,
        })
    });
}
