#![no_main]
//! cargo-fuzz target `database`: the body is `codetable_fuzz::database`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| codetable_fuzz::database(data));
