//! `codetable._native`: the Python module's Rust half (PyO3, abi3-py39).
//!
//! It owns the translation between Python and the core crate: core's live `Session` counting code
//! points (Python string indices), core's views (pattern sheets, finding records) and file intake
//! as Python objects, core errors as the `codetable.Error` hierarchy, and the GIL: long work
//! (parsing, matching, walking) runs with the GIL released. It holds no analysis, offset or
//! naming logic of its own, and no Rust panic crosses into Python except as `codetable.Error`
//! (every entry point runs inside [`errors::guard`]).

use pyo3::prelude::*;

mod database;
mod document;
mod engine;
mod errors;
mod finding;
mod project;
mod scan;

/// The extension module: classes are re-exported by the `codetable` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<database::Database>()?;
    m.add_class::<database::Pattern>()?;
    m.add_class::<database::Property>()?;
    m.add_class::<database::Relation>()?;
    m.add_class::<database::Example>()?;
    m.add_class::<database::PatternIterator>()?;
    m.add_class::<document::Document>()?;
    m.add_class::<document::Unit>()?;
    m.add_class::<document::Delta>()?;
    m.add_class::<engine::Engine>()?;
    m.add_class::<finding::Finding>()?;
    m.add_class::<finding::Capture>()?;
    m.add_class::<finding::Fix>()?;
    m.add_class::<finding::Changes>()?;
    m.add_class::<scan::Scan>()?;
    m.add_class::<project::Project>()?;
    m.add_class::<project::Instance>()?;
    m.add_class::<project::Participant>()?;
    m.add_function(wrap_pyfunction!(languages, m)?)?;
    m.add_function(wrap_pyfunction!(cli_main, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

/// The canonical names of the supported languages.
#[pyfunction]
fn languages() -> Vec<&'static str> {
    codetable::Language::ALL.iter().map(|l| l.name()).collect()
}

/// Panics inside the guard every entry point uses; the tests check that the panic arrives as
/// `codetable.Error`. Not part of the API.
#[pyfunction]
fn _panic_for_test(py: Python<'_>) -> PyResult<()> {
    errors::guard(|| py.detach(|| panic!("deliberate panic for the test suite")))
}

/// Runs the `codetable` command line (the same one as the Rust binary: every subcommand and
/// format) with `argv` (program name first) and returns its exit code, 0, 1 or 2. It writes to
/// the process's standard output and error; the GIL is released while it runs. The console
/// script `codetable` and `python -m codetable` call it.
#[pyfunction]
fn cli_main(py: Python<'_>, argv: Vec<std::ffi::OsString>) -> PyResult<u8> {
    errors::guard(|| Ok(py.detach(|| codetable_cli::run(argv))))
}
