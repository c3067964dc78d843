//! Build script of the `codetable` crate: stamps the build with a digest of the crate's own
//! sources (`CODETABLE_SOURCE_STAMP`), so that the result cache ([`crate::cache::build_stamp`])
//! never serves results of another build of the engine, whatever host loads it (a Python
//! interpreter or a JVM is the same executable before and after the library is rebuilt).

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    let mut files = Vec::new();
    collect(Path::new("src"), &mut files);
    files.sort();
    // SipHash with its fixed default keys: the same sources give the same stamp on every build.
    let mut h = DefaultHasher::new();
    for f in files
        .iter()
        .map(|p| p.as_path())
        .chain([Path::new("Cargo.toml")])
    {
        h.write(f.to_string_lossy().as_bytes());
        h.write(&std::fs::read(f).unwrap_or_default());
    }
    println!("cargo:rustc-env=CODETABLE_SOURCE_STAMP={:016x}", h.finish());
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}
