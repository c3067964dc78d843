//! Project configuration: core's (`codetable::config`), which the scan and the language server
//! share; the command line's options win over it (merged in `run_scan`).

pub use codetable::config::Config;
