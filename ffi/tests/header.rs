//! The committed C header must be exactly what cbindgen generates from the current sources.
//! `UPDATE_HEADER=1 cargo test -p codetable-ffi --test header` rewrites it.

use std::path::Path;

#[test]
fn committed_header_is_fresh() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = crate_dir.join("../include/codetable.h");
    if std::env::var_os("UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/codetable.h is stale: run `UPDATE_HEADER=1 cargo test -p codetable-ffi --test header` \
         and commit the result"
    );
    // Every exported function carries the prefix.
    for line in generated
        .lines()
        .filter(|l| l.contains('(') && !l.starts_with([' ', '/', '*', '#']))
    {
        if let Some(name) = line
            .split('(')
            .next()
            .and_then(|s| s.split_whitespace().last())
        {
            let name = name.trim_start_matches('*');
            assert!(name.starts_with("codetable_"), "unprefixed symbol `{name}`");
        }
    }
}
