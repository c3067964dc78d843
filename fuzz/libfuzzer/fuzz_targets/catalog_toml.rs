#![no_main]
//! cargo-fuzz target `catalog_toml`: the body is `codetable_fuzz::catalog_toml`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| codetable_fuzz::catalog_toml(data));
