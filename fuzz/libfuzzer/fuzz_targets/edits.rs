#![no_main]
//! cargo-fuzz target `edits`: the body is `codetable_fuzz::edits`.
libfuzzer_sys::fuzz_target!(
    init: codetable_fuzz::warm(),
    |data: &[u8]| codetable_fuzz::edits(data)
);
