//! Rule matching: code templates with metavariables, matched structurally against a document.
//!
//! (Being written; see the module docs once it lands.)
