//! The crate's one error type.
//!
//! Every fallible public function returns [`Result`]; variants carry enough context to print a
//! precise message. Nothing in this crate panics on bad input.

use std::time::Duration;

/// Everything that can go wrong in `codetable`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A language name or file extension that no grammar is registered for.
    #[error("unknown language `{0}` (known: python, javascript, typescript, tsx, java, kotlin, go, rust, c, cpp)")]
    UnknownLanguage(String),

    /// The source bytes are not valid UTF-8. Core works on UTF-8 text only; offsets into a
    /// lossily decoded copy would not point back into the original bytes.
    #[error("source is not valid UTF-8 (first invalid byte at offset {valid_up_to})")]
    InvalidUtf8 {
        /// Length of the longest valid UTF-8 prefix.
        valid_up_to: usize,
    },

    /// An edit whose byte range does not lie inside the document, or whose end precedes its start.
    #[error("edit range {start}..{end} is out of bounds for a document of {len} bytes")]
    EditOutOfRange {
        /// Start byte of the rejected edit.
        start: usize,
        /// End byte (exclusive) of the rejected edit.
        end: usize,
        /// Length of the document in bytes at the time of the edit.
        len: usize,
    },

    /// An edit boundary that falls inside a multi-byte UTF-8 character.
    #[error("edit offset {offset} is not on a UTF-8 character boundary")]
    NotCharBoundary {
        /// The offending byte offset.
        offset: usize,
    },

    /// An edit or offset given in a host's unit (UTF-16 code units, code points) that does not
    /// lie inside the text, or whose end precedes its start.
    #[error("range {start}..{end} is out of bounds for a document of {len} {}", unit.name())]
    OffsetOutOfRange {
        /// Start of the rejected range, in `unit`.
        start: usize,
        /// End (exclusive) of the rejected range, in `unit`.
        end: usize,
        /// Length of the document in `unit`.
        len: usize,
        /// What the offsets count.
        unit: crate::text::OffsetUnit,
    },

    /// A UTF-16 offset that falls between the two halves of a surrogate pair.
    #[error("UTF-16 offset {offset} falls inside a surrogate pair (the middle of a character)")]
    InsideSurrogatePair {
        /// The offending UTF-16 offset.
        offset: usize,
    },

    /// A session analysed by one engine was asked for results of another.
    #[error("{0}")]
    InvalidState(&'static str),

    /// Parsing took longer than the document's time budget; the document is left unchanged.
    #[error("parse exceeded its time budget of {budget:?}")]
    ParseTimeout {
        /// The budget that was exceeded.
        budget: Duration,
    },

    /// A step over a file (parsing and finding its units, or one analysis) ran over the
    /// document's [`Budget`](crate::Budget); nothing of that step is kept or reported.
    #[error("over its {0}")]
    OverBudget(crate::budget::Exceeded),

    /// A file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's explanation.
        message: String,
    },

    /// The bytes are not a codetable pattern database (wrong magic, or too short to be one).
    #[error("not a codetable pattern database: {0}")]
    NotADatabase(String),

    /// A database written in a format version this build cannot read.
    #[error("pattern database format version {found} is not supported (this build reads version {supported})")]
    UnsupportedVersion {
        /// Version found in the file.
        found: u32,
        /// Version this build reads.
        supported: u32,
    },

    /// A database whose structure or checksums are wrong.
    #[error("corrupt pattern database ({section}): {reason}")]
    CorruptDatabase {
        /// The section (or `header` / `footer`) where the problem was found.
        section: &'static str,
        /// What is wrong.
        reason: String,
    },

    /// A catalog that cannot be compiled.
    #[error("{0}")]
    Catalog(String),

    /// A pattern selector (`--select`, a binding's `select`, a project configuration) that
    /// names no pattern id, symbol, group or level; the message suggests the closest.
    #[error("{0}")]
    UnknownSelector(String),

    /// Two stacked databases ([`crate::PatternDb::layered`]) that both hold a pattern id.
    #[error("pattern id `{id}` is in two layers (a user pattern may not reuse an id of the catalog or of another rules file)")]
    DuplicatePattern {
        /// The id.
        id: String,
    },

    /// Two stacked databases that both give a pattern the same symbol (a user pattern needs
    /// no symbol; one it has must be its own).
    #[error(
        "symbol `{symbol}` of pattern `{id}` is already the symbol of another layer's pattern"
    )]
    DuplicateSymbol {
        /// The symbol.
        symbol: String,
        /// The id of the overlay's pattern.
        id: String,
    },

    /// tree-sitter refused the grammar (an ABI mismatch); a build problem, not an input problem.
    #[error("grammar for {language} could not be loaded: {reason}")]
    Grammar {
        /// Language whose grammar failed to load.
        language: &'static str,
        /// tree-sitter's explanation.
        reason: String,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
