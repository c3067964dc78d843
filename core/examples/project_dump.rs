//! Prints the project model of one file as JSON: `cargo run --example project_dump -- FILE`.
use codetable::{Document, Language};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = &args[1];
    let text = std::fs::read_to_string(path).unwrap();
    let lang = Language::detect(std::path::Path::new(path), text.as_bytes()).unwrap();
    let doc = Document::new(lang, text).unwrap();
    let m = codetable::project::extract(&doc);
    println!("{}", serde_json::to_string_pretty(&m).unwrap());
}
