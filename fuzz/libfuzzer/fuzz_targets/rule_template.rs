#![no_main]
//! cargo-fuzz target `rule_template`: the body is `codetable_fuzz::rule_template`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| codetable_fuzz::rule_template(data));
