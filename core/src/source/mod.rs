//! File intake: from a path (or bytes) to a [`SourceFile`] ready to parse, or a typed [`Skip`]
//! saying why not — binary sniffing, size limits, encodings (UTF-8 with or without BOM, UTF-16
//! with a BOM), language detection and filters.
//!
//! Every host that reads files (the CLI's scan, Python's `scan_file`/`scan_paths`, the language
//! server's workspace scan) goes through [`read`], so they skip the same files for the same
//! reasons. It never panics on what it reads: FIFOs and devices are refused before they are
//! opened. Which files of a folder are proposed is [`walk`]'s (feature `walk`).

use std::path::{Path, PathBuf};

use crate::budget::Budget;
use crate::document::Document;
use crate::error::Error;
use crate::language::Language;

mod compile_db;
mod header;
#[cfg(feature = "walk")]
pub mod walk;

pub use compile_db::CompileCommands;
pub use header::is_ambiguous_extension;

/// The largest file read by default: 10 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 << 20;

/// How many leading bytes are sniffed for NUL bytes (as git and ripgrep do).
const SNIFF: usize = 8192;

/// What to read and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intake {
    /// Files larger than this many bytes are skipped ([`SkipReason::TooLarge`]).
    pub max_file_size: u64,
    /// Read every file as this language instead of detecting it.
    pub language: Option<Language>,
    /// Only these languages ([`SkipReason::Excluded`] for others); all when empty.
    pub languages: Vec<Language>,
    /// The language of a file whose name and first line say nothing (a CLI's single `--lang`);
    /// without it such a file is [`SkipReason::UnknownLanguage`].
    pub fallback: Option<Language>,
    /// Read a file whose content says it is generated (a generated-file header, minified
    /// JavaScript: [`crate::context::content_context`]); when `false` it is
    /// [`SkipReason::Generated`]. Default: yes (a file asked for by name is read); a folder
    /// walk leaves generated code out ([`walk::Candidate::read`]).
    pub generated: bool,
}

impl Default for Intake {
    fn default() -> Intake {
        Intake {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            language: None,
            languages: Vec::new(),
            fallback: None,
            generated: true,
        }
    }
}

/// Why a file was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Its language could not be told from its name or its first line.
    UnknownLanguage,
    /// Its language is not among the wanted ones.
    Excluded,
    /// It is written in a language core does not parse although its name suggests one it does
    /// (an Objective-C `.h` header).
    Unsupported,
    /// It contains NUL bytes.
    Binary,
    /// It is larger than the limit.
    TooLarge,
    /// It could not be read (permissions, a FIFO or device, a broken link, a symlink loop…).
    Unreadable,
    /// It is not valid UTF-8 (nor UTF-16 with a byte-order mark).
    NotUtf8,
    /// The parser gave up on it.
    Unparsable,
    /// Parsing, walking or analysing it ran over its [`Budget`] (time or syntax nodes).
    OverBudget,
    /// It is (or, for a folder, holds) third-party code copied into the tree (`vendor/`,
    /// `third_party/`, `node_modules/`): a folder walk leaves it out unless asked.
    Vendored,
    /// It is generated code (by its name, `*.min.js`, `*_pb2.py`, or its content, a
    /// generated-file header or minified JavaScript): a folder walk leaves it out unless asked.
    Generated,
}

impl SkipReason {
    /// Every reason.
    pub const ALL: [SkipReason; 11] = [
        SkipReason::UnknownLanguage,
        SkipReason::Excluded,
        SkipReason::Unsupported,
        SkipReason::Binary,
        SkipReason::TooLarge,
        SkipReason::Unreadable,
        SkipReason::NotUtf8,
        SkipReason::Unparsable,
        SkipReason::OverBudget,
        SkipReason::Vendored,
        SkipReason::Generated,
    ];

    /// Short name used in summaries and JSON (`"binary"`, `"too large"`…).
    pub const fn name(self) -> &'static str {
        match self {
            SkipReason::UnknownLanguage => "unknown language",
            SkipReason::Excluded => "excluded language",
            SkipReason::Unsupported => "unsupported language",
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too large",
            SkipReason::Unreadable => "unreadable",
            SkipReason::NotUtf8 => "not UTF-8",
            SkipReason::Unparsable => "unparsable",
            SkipReason::OverBudget => "over budget",
            SkipReason::Vendored => "vendored",
            SkipReason::Generated => "generated",
        }
    }
}

/// A file that was not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    /// The reason.
    pub reason: SkipReason,
    /// The details (the operating system's message, the size…).
    pub detail: String,
    /// The file's language when it was known (from its name, or forced) before the problem
    /// appeared: a walk may stay silent about files that were never sources to begin with.
    pub language: Option<Language>,
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.reason.name(), self.detail)
    }
}

impl std::error::Error for Skip {}

impl Skip {
    /// The skip a host reports for a file whose parse, walk or analysis failed with `error`
    /// when that failure is about the file's cost ([`Error::OverBudget`],
    /// [`Error::ParseTimeout`]): [`SkipReason::OverBudget`]. `None` for any other error, which
    /// is not about the file.
    pub fn over_budget(error: &Error, language: Language) -> Option<Skip> {
        matches!(error, Error::OverBudget(_) | Error::ParseTimeout { .. }).then(|| Skip {
            reason: SkipReason::OverBudget,
            detail: error.to_string(),
            language: Some(language),
        })
    }
}

/// How a file's text was encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (removed from the text).
    Utf8Bom,
    /// UTF-16 little-endian with a byte-order mark (decoded).
    Utf16Le,
    /// UTF-16 big-endian with a byte-order mark (decoded).
    Utf16Be,
}

impl Encoding {
    /// Lowercase name (`"utf-8"`, `"utf-8-bom"`, `"utf-16le"`, `"utf-16be"`).
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }
}

/// A source file read and decoded: its text is what the document will hold. Byte offsets of
/// findings refer to this text (without a byte-order mark; UTF-8 even when the file was
/// UTF-16), which is also what editors show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The file.
    pub path: PathBuf,
    /// Its language.
    pub language: Language,
    /// Its text.
    pub text: String,
    /// Its size on disk, in bytes.
    pub size: u64,
    /// How it was encoded.
    pub encoding: Encoding,
}

impl SourceFile {
    /// Parses the text.
    pub fn parse(&self) -> Result<Document, Skip> {
        Document::new(self.language, self.text.as_str()).map_err(|e| Skip {
            reason: SkipReason::Unparsable,
            detail: e.to_string(),
            language: Some(self.language),
        })
    }

    /// Parses the text, keeping it without a copy.
    pub fn into_document(self) -> Result<Document, Skip> {
        self.into_document_within(Budget::default())
    }

    /// [`SourceFile::into_document`] within `budget` (kept by the document for its analyses);
    /// a file past it is skipped as [`SkipReason::OverBudget`].
    pub fn into_document_within(self, budget: Budget) -> Result<Document, Skip> {
        let language = self.language;
        Document::with_budget(language, self.text, budget).map_err(|e| {
            Skip::over_budget(&e, language).unwrap_or_else(|| Skip {
                reason: SkipReason::Unparsable,
                detail: e.to_string(),
                language: Some(language),
            })
        })
    }
}

/// The language a file's name says, or the forced one. A `.h` file says C until its content
/// is read (see [`decode`]).
fn named_language(path: &Path, intake: &Intake) -> Option<Language> {
    intake.language.or_else(|| {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Language::from_extension)
    })
}

/// The language [`read`] would give the file at `path` without reading it, when its name (or
/// the forced language) decides it and the intake wants it: `None` when only its content can
/// tell (a `.h` header, a file without a known extension) or the language is not wanted. A host
/// that knows the file is unchanged (the result cache's stat index) uses this instead of
/// reading it.
pub fn language_by_name(path: &Path, intake: &Intake) -> Option<Language> {
    if decided_by_content(path, intake) {
        return None;
    }
    named_language(path, intake)
        .filter(|l| intake.languages.is_empty() || intake.languages.contains(l))
}

/// True when the file's language is decided from its content (a `.h` file, no forced language).
fn decided_by_content(path: &Path, intake: &Intake) -> bool {
    intake.language.is_none()
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(is_ambiguous_extension)
}

/// Reads the file at `path`: see the [module docs](self).
pub fn read(path: &Path, intake: &Intake) -> Result<SourceFile, Skip> {
    let language = named_language(path, intake);
    let skip = |reason, detail: String| Skip {
        reason,
        detail,
        language,
    };
    let meta = std::fs::metadata(path).map_err(|e| skip(SkipReason::Unreadable, e.to_string()))?;
    if !meta.is_file() {
        // A FIFO or a device would block or never end: never open one.
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file"
        };
        return Err(skip(SkipReason::Unreadable, what.into()));
    }
    if meta.len() > intake.max_file_size {
        return Err(skip(
            SkipReason::TooLarge,
            too_large(meta.len(), intake.max_file_size),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| skip(SkipReason::Unreadable, e.to_string()))?;
    decode(path, bytes, intake)
}

fn too_large(size: u64, max: u64) -> String {
    format!("{size} bytes > the limit of {max} bytes")
}

/// Decodes `bytes` read from `path` (which names the file, for its language): the checks of
/// [`read`] after the read itself. Hosts that get bytes from elsewhere (an editor buffer, a
/// network) use this.
///
/// A `.h` file is C, C++ or Objective-C: C++-only constructs in its code decide C++, Objective-C
/// directives skip it ([`SkipReason::Unsupported`]), and a header that says nothing either way
/// follows the sources beside it (C++ when its folder holds C++ sources and no C ones), else C.
pub fn decode(path: &Path, bytes: Vec<u8>, intake: &Intake) -> Result<SourceFile, Skip> {
    let by_content = decided_by_content(path, intake);
    let named = named_language(path, intake);
    let size = bytes.len() as u64;
    let (text_bytes, encoding) = strip_bom(&bytes);
    let language = match named
        .or_else(|| Language::from_shebang(text_bytes))
        .or(intake.fallback)
    {
        Some(l) => l,
        None => {
            return Err(Skip {
                reason: SkipReason::UnknownLanguage,
                detail: "no known extension or #! line".into(),
                language: None,
            })
        }
    };
    let skip = |reason, detail: String| Skip {
        reason,
        detail,
        language: Some(language),
    };
    let excluded = |l: Language| !intake.languages.is_empty() && !intake.languages.contains(&l);
    // A header may be C++ even when only C++ is wanted: decide after reading it.
    let may_be_wanted = by_content && !excluded(Language::Cpp);
    if excluded(language) && !may_be_wanted {
        return Err(skip(SkipReason::Excluded, language.name().to_string()));
    }
    if size > intake.max_file_size {
        return Err(skip(
            SkipReason::TooLarge,
            too_large(size, intake.max_file_size),
        ));
    }
    let text = match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => {
            decode_utf16(text_bytes, encoding == Encoding::Utf16Le).ok_or_else(|| {
                skip(
                    SkipReason::NotUtf8,
                    format!("invalid {} text", encoding.name()),
                )
            })?
        }
        Encoding::Utf8 | Encoding::Utf8Bom => {
            if text_bytes[..text_bytes.len().min(SNIFF)].contains(&0) {
                return Err(skip(SkipReason::Binary, "contains NUL bytes".into()));
            }
            let start = bytes.len() - text_bytes.len();
            let mut bytes = bytes;
            bytes.drain(..start);
            String::from_utf8(bytes).map_err(|e| {
                skip(
                    SkipReason::NotUtf8,
                    format!(
                        "first invalid byte at offset {}",
                        e.utf8_error().valid_up_to() + start
                    ),
                )
            })?
        }
    };
    if encoding != Encoding::Utf8 && text.contains('\0') {
        return Err(skip(SkipReason::Binary, "contains NUL characters".into()));
    }
    let language = if by_content {
        match header::classify(path, &text) {
            header::Header::Lang(l) => l,
            header::Header::ObjectiveC => {
                return Err(skip(
                    SkipReason::Unsupported,
                    "an Objective-C header".into(),
                ))
            }
        }
    } else {
        language
    };
    if excluded(language) {
        return Err(skip(SkipReason::Excluded, language.name().to_string()));
    }
    if !intake.generated
        && crate::context::content_context(language, &text)
            == Some(crate::context::CodeContext::Generated)
    {
        return Err(skip(
            SkipReason::Generated,
            "its content says generated code (a generated-file header or minified code)".into(),
        ));
    }
    Ok(SourceFile {
        path: path.to_path_buf(),
        language,
        text,
        size,
        encoding,
    })
}

/// The text after a byte-order mark, and the encoding the mark (or its absence) says.
fn strip_bom(bytes: &[u8]) -> (&[u8], Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (rest, Encoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (rest, Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (rest, Encoding::Utf16Be)
    } else {
        (bytes, Encoding::Utf8)
    }
}

fn decode_utf16(bytes: &[u8], little: bool) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intake() -> Intake {
        Intake::default()
    }

    #[test]
    fn boms_are_removed_and_utf16_is_decoded() {
        let p = Path::new("a.py");
        let f = decode(p, b"\xEF\xBB\xBFx = 1\n".to_vec(), &intake()).unwrap();
        assert_eq!(
            (f.text.as_str(), f.encoding),
            ("x = 1\n", Encoding::Utf8Bom)
        );
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("é = 1\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let f = decode(p, le, &intake()).unwrap();
        assert_eq!(
            (f.text.as_str(), f.encoding),
            ("é = 1\n", Encoding::Utf16Le)
        );
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("x\n".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(p, be, &intake()).unwrap().text, "x\n");
        let odd = decode(p, vec![0xFF, 0xFE, 0x41], &intake()).unwrap_err();
        assert_eq!(odd.reason, SkipReason::NotUtf8);
    }

    #[test]
    fn typed_reasons() {
        let p = Path::new("a.py");
        let r = |bytes: &[u8], i: &Intake| decode(p, bytes.to_vec(), i).unwrap_err().reason;
        assert_eq!(r(b"a\0b", &intake()), SkipReason::Binary);
        assert_eq!(r(b"x = '\xff'", &intake()), SkipReason::NotUtf8);
        let small = Intake {
            max_file_size: 2,
            ..intake()
        };
        assert_eq!(r(b"x = 1", &small), SkipReason::TooLarge);
        let only_go = Intake {
            languages: vec![Language::Go],
            ..intake()
        };
        assert_eq!(r(b"x = 1", &only_go), SkipReason::Excluded);
        let unknown = decode(Path::new("README"), b"hello".to_vec(), &intake()).unwrap_err();
        assert_eq!(
            (unknown.reason, unknown.language),
            (SkipReason::UnknownLanguage, None)
        );
        let shebang = decode(
            Path::new("tool"),
            b"#!/usr/bin/env python3\n".to_vec(),
            &intake(),
        );
        assert_eq!(shebang.unwrap().language, Language::Python);
        let forced = Intake {
            language: Some(Language::Go),
            ..intake()
        };
        assert_eq!(
            decode(Path::new("x.txt"), b"package x\n".to_vec(), &forced)
                .unwrap()
                .language,
            Language::Go
        );
    }

    #[test]
    fn headers_are_c_cpp_or_skipped() {
        let h = Path::new("/nonexistent/x.h");
        let lang = |text: &str, i: &Intake| decode(h, text.as_bytes().to_vec(), i);
        let cpp = "namespace n {\nclass A { public: A() = delete; };\n}\n";
        assert_eq!(lang(cpp, &intake()).unwrap().language, Language::Cpp);
        assert_eq!(
            lang("int f(void);\n", &intake()).unwrap().language,
            Language::C
        );
        let objc = lang("@interface A : NSObject\n@end\n", &intake()).unwrap_err();
        assert_eq!(objc.reason, SkipReason::Unsupported);
        // Asking for C++ only still takes a C++ header, and leaves a C one out.
        let only_cpp = Intake {
            languages: vec![Language::Cpp],
            ..intake()
        };
        assert_eq!(lang(cpp, &only_cpp).unwrap().language, Language::Cpp);
        assert_eq!(
            lang("int f(void);\n", &only_cpp).unwrap_err().reason,
            SkipReason::Excluded
        );
        // A forced language wins over the content.
        let forced = Intake {
            language: Some(Language::C),
            ..intake()
        };
        assert_eq!(lang(cpp, &forced).unwrap().language, Language::C);
    }
}
