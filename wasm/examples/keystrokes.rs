//! Times the keystroke path natively (what the worker runs in wasm, without the conversion to
//! JavaScript objects): core's `Session::edit` in UTF-16 offsets, then `analyze_delta` and the
//! finding records of the current matches, typing into a 5,000-line Python file.
//! `cargo run --release -p codetable-wasm --example keystrokes`

use std::time::Instant;

use codetable::{Engine, Language, OffsetUnit, PatternDb, Session};

fn main() -> codetable::Result<()> {
    let block = |i: usize| {
        format!(
            "\n\ndef handler_{i}(request, payload):\n    \"\"\"Handle request {i}: 日本 ✓.\"\"\"\n    total = 0\n    for item in payload.items:\n        if item.price > {i}:\n            total += item.price * 2\n    return {{\"id\": {i}, \"total\": total}}\n"
        )
    };
    let mut text = String::from("import hashlib\n");
    let mut i = 0;
    while text.lines().count() < 5000 {
        text += &block(i);
        if i % 50 == 0 {
            text += &format!("\ndigest_{i} = hashlib.md5(b\"{i}\").hexdigest()\n");
        }
        i += 1;
    }
    let engine = Engine::new(PatternDb::default_catalog());
    let mut s = Session::new(Language::Python, text.clone(), OffsetUnit::Utf16)?;
    s.analyze(&engine)?;
    let lines: Vec<&str> = text.split('\n').collect();
    let mut pos = lines[..2500].join("\n").encode_utf16().count();
    s.edit(pos, pos, "\n    ")?;
    pos += 5;
    let typed = "x = simple + text * more - words and names or other things ".repeat(4);
    let (mut edit, mut analyze) = (Vec::new(), Vec::new());
    for ch in typed.chars() {
        let t0 = Instant::now();
        s.edit(pos, pos, &ch.to_string())?;
        pos += 1;
        let t1 = Instant::now();
        s.analyze_delta(&engine)?;
        let matches = s.matches()?.unwrap_or_default();
        s.records(&engine, matches, None)?;
        edit.push(t1 - t0);
        analyze.push(t1.elapsed());
    }
    for (name, mut xs) in [("edit", edit), ("analyze", analyze)] {
        xs.sort();
        println!(
            "{name}: median {:?} p95 {:?}",
            xs[xs.len() / 2],
            xs[xs.len() * 95 / 100]
        );
    }
    Ok(())
}
