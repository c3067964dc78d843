//! C ABI over the codetable engine (being written).
