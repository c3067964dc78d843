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
//! Vendored and generated code is not walked by default (as Semgrep's default ignores):
//! below a walked root, a folder whose path says vendored or generated code (`vendor/`,
//! `third_party/`, `node_modules/`, `generated/`…, [`crate::context::path_context`]) is not
//! descended into and a file whose name says generated (`*.min.js`, `*_pb2.py`, `*.pb.go`…) is
//! not proposed: each is reported once as [`Walked::Ignored`] with [`SkipReason::Vendored`] or
//! [`SkipReason::Generated`], so hosts count what they left out. A project's `[context]`
//! ([`WalkOptions::context_of`]) wins over the path (`"third_party/ours/**" = "production"`
//! is walked; with it, vendored folders are walked and their files left out one by one), [`WalkOptions::vendored`] walks everything, and a root named explicitly is
//! always walked. Files whose *content* says generated (a generated-file header, minified
//! JavaScript) are left out when read through [`Candidate::read`].
//!
//! It reads no file: [`crate::source::read`] decides, from the content, what a proposed file
//! really is.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::context::{path_context, CodeContext};
use crate::language::Language;
use crate::source::{is_ambiguous_extension, Intake, Skip, SkipReason, SourceFile};

/// A predicate over paths (excludes), shareable across the walker's threads.
pub type PathFilter = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// A language override by path (a project's `[languages]` table), shareable across threads.
pub type PathLanguage = Arc<dyn Fn(&Path) -> Option<Language> + Send + Sync>;

/// A code context given by path (a project's `[context]` table), shareable across threads.
pub type PathContext = Arc<dyn Fn(&Path) -> Option<CodeContext> + Send + Sync>;

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
    /// Also walk vendored and generated code (see the [module docs](self)). Default: no.
    pub vendored: bool,
    /// The code context configuration gives a path (`[context]`), which wins over what the
    /// path says when deciding whether it is vendored or generated code. With it, vendored
    /// folders are walked and each file judged (else a vendored folder is not descended into).
    pub context_of: Option<PathContext>,
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
            vendored: false,
            context_of: None,
        }
    }
}

#[cfg(feature = "config")]
impl WalkOptions {
    /// These options with a project configuration's path settings: its `exclude` globs, its
    /// `[languages]` overrides, its `[context]` (when it has one) and `include-vendored`
    /// (added to [`WalkOptions::vendored`]). What every host walking a project applies, so
    /// that the CLI's scan, Python's `scan_paths` and the language server's workspace scan
    /// propose the same files.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use codetable::config::Config;
    /// use codetable::source::walk::WalkOptions;
    /// let options = WalkOptions::default().configured(&Arc::new(Config::default()));
    /// assert!(options.exclude.is_some() && !options.vendored && options.context_of.is_none());
    /// ```
    pub fn configured(mut self, config: &Arc<crate::config::Config>) -> WalkOptions {
        let (excludes, languages, contexts) = (config.clone(), config.clone(), config.clone());
        self.exclude = Some(Arc::new(move |p: &Path| excludes.excludes(p)));
        self.language_of = Some(Arc::new(move |p: &Path| languages.language_of(p)));
        if config.has_contexts() {
            self.context_of = Some(Arc::new(move |p: &Path| contexts.context_of(p)));
        }
        self.vendored |= config.include_vendored;
        self
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
            .field("vendored", &self.vendored)
            .field("context_of", &self.context_of.is_some())
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
    /// Whether it is read even when its content says it is generated (a generated-file
    /// header, minified JavaScript): when named explicitly, when the walk includes vendored
    /// and generated code, or when the configuration gives it a context.
    pub generated_wanted: bool,
}

impl Candidate {
    /// Reads the file ([`crate::source::read`]), leaving it out as [`SkipReason::Generated`]
    /// when its content says generated and the walk does not want generated code
    /// ([`Candidate::generated_wanted`]): what every host that walks reads its files with.
    pub fn read(&self, intake: &Intake) -> Result<SourceFile, Skip> {
        let intake = Intake {
            generated: intake.generated && self.generated_wanted,
            ..intake.clone()
        };
        crate::source::read(&self.path, &intake)
    }
}

/// One entry of the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Walked {
    /// A file to read.
    Candidate(Candidate),
    /// A file left out by its name: [`SkipReason::UnknownLanguage`] (an extension no language
    /// claims) or [`SkipReason::Excluded`] (a language not wanted); or a file or folder of
    /// vendored or generated code ([`SkipReason::Vendored`], [`SkipReason::Generated`]: a
    /// folder's contents are not walked). Hosts count these apart from skipped files; `depth`
    /// 0 means it was named explicitly.
    Ignored {
        /// The file (or folder).
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
    let configured = options.context_of.as_ref().and_then(|f| f(path));
    let candidate = |language| {
        Walked::Candidate(Candidate {
            path: path.to_path_buf(),
            depth,
            root: crate::context::walked_root(path, depth),
            language,
            generated_wanted: depth == 0 || options.vendored || configured.is_some(),
        })
    };
    let ignored = |reason| Walked::Ignored {
        path: path.to_path_buf(),
        depth,
        reason,
    };
    if let Some(reason) = third_party(path, depth, false, options) {
        return ignored(reason);
    }
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

/// Why the walk leaves out `path` (a file, or a folder when `folder`), found `depth` below its
/// root, as vendored or generated code: `None` when it is walked. What decides is the part of
/// the path below the root (a root named explicitly is always walked), unless the
/// configuration gives the path a context.
fn third_party(
    path: &Path,
    depth: usize,
    folder: bool,
    options: &WalkOptions,
) -> Option<SkipReason> {
    if depth == 0 || options.vendored {
        return None;
    }
    // With per-path contexts, a folder is walked and each file judged: a context given deeper
    // (`"third_party/ours/**" = "production"`) must still reach its files.
    if folder && options.context_of.is_some() {
        return None;
    }
    // A folder is judged as a file inside it would be (by its folders' names only).
    let probe = |p: &Path| if folder { p.join("_") } else { p.to_path_buf() };
    let context = match options.context_of.as_ref().and_then(|f| f(&probe(path))) {
        Some(c) => c,
        None => {
            let root = path.ancestors().nth(depth)?;
            let below = path.strip_prefix(root).ok()?;
            path_context(&probe(below).to_string_lossy())?
        }
    };
    match context {
        CodeContext::Vendored => Some(SkipReason::Vendored),
        CodeContext::Generated => Some(SkipReason::Generated),
        _ => None,
    }
}

/// Folders the walk left out as vendored or generated code, in the order found.
type Pruned = Arc<std::sync::Mutex<Vec<(PathBuf, usize, SkipReason)>>>;

fn builder(
    roots: &[PathBuf],
    options: &WalkOptions,
    pruned: &Pruned,
) -> Option<ignore::WalkBuilder> {
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
    let exclude = options.exclude.clone();
    let (third, pruned) = (options.clone(), pruned.clone());
    b.filter_entry(move |e| {
        if exclude.as_ref().is_some_and(|x| x(e.path())) {
            return false;
        }
        if !e.file_type().is_some_and(|t| t.is_dir()) {
            return true;
        }
        match third_party(e.path(), e.depth(), true, &third) {
            Some(reason) => {
                if let Ok(mut p) = pruned.lock() {
                    p.push((e.path().to_path_buf(), e.depth(), reason));
                }
                false
            }
            None => true,
        }
    });
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
    let pruned = Pruned::default();
    let left_out = pruned.clone();
    let mut rest: Option<std::vec::IntoIter<_>> = None;
    builder(roots, &options, &pruned)
        .map(|mut b| b.sort_by_file_name(|a, b| a.cmp(b)).build())
        .into_iter()
        .flatten()
        .filter_map(move |found| entry(found, &options))
        // The folders left out, once the walk is over.
        .chain(std::iter::from_fn(move || {
            let rest = rest.get_or_insert_with(|| {
                left_out
                    .lock()
                    .map(|mut p| std::mem::take(&mut *p))
                    .unwrap_or_default()
                    .into_iter()
            });
            rest.next().map(|(path, depth, reason)| Walked::Ignored {
                path,
                depth,
                reason,
            })
        }))
}

/// Walks `roots` on `threads` worker threads (the walker's own; `0`: its choice), calling
/// `visit` with every entry as it is found, in no particular order, on those threads.
/// `visit` answers whether to go on: `false` stops the walk soon (entries already being
/// visited still are). Returns when the walk is over.
pub fn walk_parallel<F>(roots: &[PathBuf], options: &WalkOptions, threads: usize, visit: F)
where
    F: Fn(Walked) -> bool + Sync,
{
    let pruned = Pruned::default();
    let Some(mut b) = builder(roots, options, &pruned) else {
        return;
    };
    let go_on = std::sync::atomic::AtomicBool::new(true);
    let (visit, go_on_ref) = (&visit, &go_on);
    b.threads(threads).build_parallel().run(|| {
        Box::new(move |found| match entry(found, options).map(visit) {
            Some(false) => {
                go_on_ref.store(false, std::sync::atomic::Ordering::Relaxed);
                ignore::WalkState::Quit
            }
            _ => ignore::WalkState::Continue,
        })
    });
    let left_out = pruned
        .lock()
        .map(|mut p| std::mem::take(&mut *p))
        .unwrap_or_default();
    for (path, depth, reason) in left_out {
        if !go_on.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        if !visit(Walked::Ignored {
            path,
            depth,
            reason,
        }) {
            break;
        }
    }
}
