//! Code units: the functions, methods, classes… of a document, and the file's top level.
//!
//! This module owns the public description of a unit. Finding units and fingerprinting them is
//! `walk`'s job; keeping them up to date across edits is `document`'s.

use std::ops::Range;
use std::sync::Arc;

use crate::fingerprint::Fingerprint;

/// What kind of code a unit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitKind {
    /// The top level of a file. Every document has exactly one, and it is the root of the tree.
    Module,
    /// A free function.
    Function,
    /// A function defined inside a class, struct, interface, impl block or object.
    Method,
    /// A constructor (`__init__`, `constructor`, Java/Kotlin constructors).
    Constructor,
    /// A lambda or closure that is bound to a name (`f = lambda: …`, `const f = () => …`).
    Lambda,
    /// A class (or Kotlin `object`).
    Class,
    /// An interface, trait or annotation type.
    Interface,
    /// A struct or union.
    Struct,
    /// An enum.
    Enum,
    /// A Rust `impl` block.
    Impl,
    /// A namespace or nested module (C++ `namespace`, Rust `mod`, TypeScript `namespace`).
    Namespace,
    /// A C/C++ `#define` with a body (object-like or function-like): rules match the body's
    /// code when it parses as statements or an expression (see `macros`).
    Macro,
}

impl UnitKind {
    /// Lowercase name, as used in JSON and the bindings (`"method"`).
    pub const fn name(self) -> &'static str {
        match self {
            UnitKind::Module => "module",
            UnitKind::Function => "function",
            UnitKind::Method => "method",
            UnitKind::Constructor => "constructor",
            UnitKind::Lambda => "lambda",
            UnitKind::Class => "class",
            UnitKind::Interface => "interface",
            UnitKind::Struct => "struct",
            UnitKind::Enum => "enum",
            UnitKind::Impl => "impl",
            UnitKind::Namespace => "namespace",
            UnitKind::Macro => "macro",
        }
    }

    /// True for kinds whose functions are methods (classes, structs, interfaces, impls…).
    pub const fn is_type_like(self) -> bool {
        matches!(
            self,
            UnitKind::Class
                | UnitKind::Interface
                | UnitKind::Struct
                | UnitKind::Enum
                | UnitKind::Impl
        )
    }

    /// True for function-like kinds.
    pub const fn is_callable(self) -> bool {
        matches!(
            self,
            UnitKind::Function | UnitKind::Method | UnitKind::Constructor | UnitKind::Lambda
        )
    }
}

impl std::fmt::Display for UnitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A stable identity of a unit within one [`Document`](crate::Document): it survives edits that
/// do not remove the unit, so hosts can key highlights and caches on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(pub u64);

/// A zero-based line and a zero-based byte column within that line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    /// Zero-based line.
    pub line: u32,
    /// Zero-based column, in bytes from the start of the line.
    pub column: u32,
}

impl From<tree_sitter::Point> for Position {
    fn from(p: tree_sitter::Point) -> Self {
        Position {
            line: p.row as u32,
            column: p.column as u32,
        }
    }
}

impl From<Position> for tree_sitter::Point {
    fn from(p: Position) -> Self {
        tree_sitter::Point {
            row: p.line as usize,
            column: p.column as usize,
        }
    }
}

/// One code unit of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Identity, stable across edits.
    pub id: UnitId,
    /// What kind of unit this is.
    pub kind: UnitKind,
    /// The unit's own name (`method`); empty for the module.
    pub name: Arc<str>,
    /// Names of the enclosing units and this one, joined by `.` (`Outer.Inner.method`).
    pub qualified_name: Arc<str>,
    /// Byte range in the document's text.
    pub byte_range: Range<usize>,
    /// Start line and column.
    pub start: Position,
    /// End line and column (exclusive).
    pub end: Position,
    /// The enclosing unit; `None` only for the module.
    pub parent: Option<UnitId>,
    /// Nesting depth: 0 for the module.
    pub depth: u32,
    /// The unit's fingerprint.
    pub fingerprint: Fingerprint,
    /// tree-sitter kind id of the unit's node (to find it again in the tree).
    pub(crate) kind_id: u16,
    /// Depth-2 shape hash of the unit's node, reused by the parent when the unit is untouched.
    pub(crate) shape2: u64,
    /// Hash of the unit's own code (nested units reduced to markers): when it changes, the
    /// context of every nested unit changed.
    pub(crate) own_hash: u64,
}

impl Unit {
    /// The unit's source text within `text` (the document's text).
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.byte_range.clone()).unwrap_or("")
    }
}
