//! Prints a file's syntax tree: `cargo run --example tree_dump -- FILE`.
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let lang = codetable::Language::detect(std::path::Path::new(&path), text.as_bytes()).unwrap();
    let doc = codetable::Document::new(lang, text).unwrap();
    println!("{}", doc.tree().root_node().to_sexp());
}
