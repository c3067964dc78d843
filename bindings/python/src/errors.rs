//! Core errors to the `codetable.Error` hierarchy, and the panic guard around every entry point.
//!
//! The exception classes are defined in Python (`codetable/_errors.py`, so `FileError` can also
//! be an `OSError`); this module only raises them.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use codetable::source::{Skip, SkipReason};

use pyo3::prelude::*;

pyo3::import_exception!(codetable, Error);
pyo3::import_exception!(codetable, DatabaseError);
pyo3::import_exception!(codetable, LanguageError);
pyo3::import_exception!(codetable, EditError);
pyo3::import_exception!(codetable, FileError);
pyo3::import_exception!(codetable, BudgetError);
pyo3::import_exception!(codetable, ConfigError);

/// A core error as the matching Python exception.
pub(crate) fn to_py(e: codetable::Error) -> PyErr {
    let msg = e.to_string();
    raise(&e, msg)
}

/// A core error about a file, with the path in the message when the core error lacks it.
pub(crate) fn to_py_at(e: codetable::Error, path: &str) -> PyErr {
    match e {
        codetable::Error::Io { .. } => to_py(e),
        _ => raise(&e, format!("{path}: {e}")),
    }
}

/// A file core's intake skipped: `LanguageError` when its language is unknown, else
/// `FileError`; the exception's `reason` attribute is the skip reason's name.
pub(crate) fn skipped(py: Python<'_>, path: &Path, skip: &Skip) -> PyErr {
    let shown = codetable::view::display_path(&path.to_string_lossy());
    let err = match skip.reason {
        SkipReason::UnknownLanguage => {
            LanguageError::new_err(format!("{shown}: {skip} (pass language=)"))
        }
        _ => FileError::new_err(format!("{shown}: {skip}")),
    };
    match err.value(py).setattr("reason", skip.reason.name()) {
        Ok(()) => err,
        Err(e) => e,
    }
}

fn raise(e: &codetable::Error, msg: String) -> PyErr {
    use codetable::Error as E;
    match e {
        E::UnknownLanguage(_) => LanguageError::new_err(msg),
        E::EditOutOfRange { .. }
        | E::NotCharBoundary { .. }
        | E::OffsetOutOfRange { .. }
        | E::InsideSurrogatePair { .. }
        | E::InvalidState(_) => EditError::new_err(msg),
        E::Io { .. } => FileError::new_err(msg),
        E::OverBudget(_) | E::ParseTimeout { .. } => BudgetError::new_err(msg),
        E::NotADatabase(_)
        | E::UnsupportedVersion { .. }
        | E::CorruptDatabase { .. }
        | E::Catalog(_) => DatabaseError::new_err(msg),
        _ => Error::new_err(msg),
    }
}

/// Extension: `?` on core results inside the binding.
pub(crate) trait IntoPy<T> {
    /// The result with a Python exception.
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for codetable::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// The message of a panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

/// Runs an entry point; a panic becomes `codetable.Error` instead of crossing into Python.
pub(crate) fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => Err(Error::new_err(format!(
            "internal error in codetable (please report it): {}",
            panic_message(&*payload)
        ))),
    }
}
