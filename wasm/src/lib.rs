//! WebAssembly bindings over the codetable engine (being written).
