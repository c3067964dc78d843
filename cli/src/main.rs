//! The `codetable` command (being written).

fn main() {}
