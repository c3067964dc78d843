//! Units found in each language's fixture: kinds, qualified names, ranges, parents; language
//! detection by extension and shebang.

use std::path::Path;

use codetable::{Document, Language, UnitKind::*};

fn units(lang: Language, src: &str) -> Vec<(codetable::UnitKind, String)> {
    let doc = Document::new(lang, src).unwrap();
    doc.units()
        .iter()
        .map(|u| (u.kind, u.qualified_name.to_string()))
        .collect()
}

fn expect(lang: Language, src: &str, want: &[(codetable::UnitKind, &str)]) {
    let got = units(lang, src);
    let want: Vec<_> = want.iter().map(|(k, n)| (*k, n.to_string())).collect();
    assert_eq!(got, want, "{lang}");
}

#[test]
fn python() {
    expect(
        Language::Python,
        include_str!("fixtures/sample.py"),
        &[
            (Module, ""),
            (Class, "Cache"),
            (Constructor, "Cache.__init__"),
            (Method, "Cache.get"),
            (Method, "Cache.digest"),
            (Function, "load"),
            (Lambda, "square"),
        ],
    );
}

#[test]
fn javascript() {
    expect(
        Language::JavaScript,
        include_str!("fixtures/sample.js"),
        &[
            (Module, ""),
            (Class, "Runner"),
            (Constructor, "Runner.constructor"),
            (Method, "Runner.run"),
            (Function, "digest"),
            (Lambda, "double"),
        ],
    );
}

#[test]
fn typescript() {
    expect(
        Language::TypeScript,
        include_str!("fixtures/sample.ts"),
        &[
            (Module, ""),
            (Interface, "Store"),
            (Enum, "Level"),
            (Class, "MemoryStore"),
            (Constructor, "MemoryStore.constructor"),
            (Method, "MemoryStore.get"),
            (Function, "token"),
            (Lambda, "isEqual"),
        ],
    );
}

#[test]
fn tsx() {
    expect(
        Language::Tsx,
        include_str!("fixtures/sample.tsx"),
        &[
            (Module, ""),
            (Function, "Greeting"),
            (Class, "Panel"),
            (Method, "Panel.render"),
            (Lambda, "Empty"),
        ],
    );
}

#[test]
fn java() {
    expect(
        Language::Java,
        include_str!("fixtures/Sample.java"),
        &[
            (Module, ""),
            (Class, "Sample"),
            (Constructor, "Sample.Sample"),
            (Method, "Sample.getInstance"),
            (Method, "Sample.digest"),
            (Interface, "Sample.Visitor"),
            (Method, "Sample.Visitor.visit"),
            (Enum, "Sample.Color"),
        ],
    );
}

#[test]
fn kotlin() {
    expect(
        Language::Kotlin,
        include_str!("fixtures/sample.kt"),
        &[
            (Module, ""),
            (Class, "Registry"),
            (Interface, "Shape"),
            (Method, "Shape.area"),
            (Class, "Circle"),
            (Constructor, "Circle.constructor"),
            (Method, "Circle.area"),
            (Method, "Circle.digest"),
            (Function, "roll"),
            (Lambda, "twice"),
        ],
    );
}

#[test]
fn go() {
    expect(
        Language::Go,
        include_str!("fixtures/sample.go"),
        &[
            (Module, ""),
            (Struct, "Server"),
            (Interface, "Handler"),
            (Method, "Server.Start"),
            (Function, "Digest"),
            (Function, "run"),
            (Function, "main"),
            (Lambda, "main.double"),
        ],
    );
}

#[test]
fn rust() {
    expect(
        Language::Rust,
        include_str!("fixtures/sample.rs"),
        &[
            (Module, ""),
            (Struct, "Cache"),
            (Enum, "Mode"),
            (Interface, "Store"),
            (Impl, "Cache"),
            (Method, "Cache.new"),
            (Method, "Cache.get"),
            (Namespace, "shell"),
            (Function, "shell.run"),
            (Function, "main"),
            (Lambda, "main.square"),
        ],
    );
}

#[test]
fn c() {
    expect(
        Language::C,
        include_str!("fixtures/sample.c"),
        &[
            (Module, ""),
            (Struct, "point"),
            (Enum, "color"),
            (Function, "copy_name"),
            (Function, "main"),
        ],
    );
}

#[test]
fn cpp() {
    expect(
        Language::Cpp,
        include_str!("fixtures/sample.cpp"),
        &[
            (Module, ""),
            (Namespace, "app"),
            (Class, "app.Runner"),
            (Constructor, "app.Runner.Runner"),
            (Method, "app.Runner.run"),
            (Struct, "app.Point"),
            (Function, "app_main"),
            (Lambda, "app_main.twice"),
        ],
    );
}

#[test]
fn ranges_positions_and_parents() {
    let src = include_str!("fixtures/sample.py");
    let doc = Document::new(Language::Python, src).unwrap();
    let get = doc
        .units()
        .iter()
        .find(|u| &*u.qualified_name == "Cache.get")
        .unwrap();
    assert!(get.text(src).starts_with("def get(self, key):"));
    assert!(get.text(src).ends_with("return None"));
    assert_eq!((get.start.line, get.start.column), (11, 4));
    assert_eq!((get.end.line, get.end.column), (14, 19));
    let class = doc.unit(get.parent.unwrap()).unwrap();
    assert_eq!(&*class.qualified_name, "Cache");
    assert_eq!(class.parent, Some(doc.module().id));
    assert_eq!(doc.unit_at(get.byte_range.start + 5).id, get.id);
    assert_eq!(doc.unit_at_line(13).id, get.id);
    assert_eq!(doc.unit_at(0).kind, Module);
    let node = doc.node_of(get).unwrap();
    assert_eq!(node.kind(), "function_definition");
}

#[test]
fn named_lambdas_only() {
    // An anonymous lambda passed as an argument is part of its enclosing unit.
    let got = units(
        Language::Python,
        "items.sort(key=lambda x: x[0])\nf = lambda: 1\n",
    );
    assert_eq!(got, vec![(Module, String::new()), (Lambda, "f".into())]);
    let got = units(
        Language::JavaScript,
        "xs.map((x) => x * 2);\nconst g = function () {};\n",
    );
    assert_eq!(got, vec![(Module, String::new()), (Lambda, "g".into())]);
}

#[test]
fn detection_by_extension_and_shebang() {
    let cases = [
        ("a.py", Language::Python),
        ("a.pyi", Language::Python),
        ("a.mjs", Language::JavaScript),
        ("a.jsx", Language::JavaScript),
        ("a.ts", Language::TypeScript),
        ("a.tsx", Language::Tsx),
        ("A.java", Language::Java),
        ("a.kts", Language::Kotlin),
        ("a.go", Language::Go),
        ("a.rs", Language::Rust),
        ("a.h", Language::C),
        ("a.hpp", Language::Cpp),
        ("a.CC", Language::Cpp),
    ];
    for (path, lang) in cases {
        assert_eq!(Language::detect(Path::new(path), b""), Some(lang), "{path}");
    }
    assert_eq!(
        Language::detect(Path::new("script"), b"#!/usr/bin/env python3\nprint(1)\n"),
        Some(Language::Python)
    );
    assert_eq!(
        Language::detect(Path::new("tool"), b"#!/usr/bin/node\n"),
        Some(Language::JavaScript)
    );
    assert_eq!(
        Language::detect(Path::new("tool"), b"#!/usr/bin/env -S deno run\n"),
        Some(Language::JavaScript)
    );
    assert_eq!(Language::detect(Path::new("tool"), b"#!/bin/sh\n"), None);
    assert_eq!(Language::detect(Path::new("README"), b"hello"), None);
    for lang in Language::ALL {
        assert_eq!(Language::from_name(lang.name()).unwrap(), lang);
        assert_eq!(lang.name().parse::<Language>().unwrap(), lang);
    }
    assert_eq!(Language::from_name("C++").unwrap(), Language::Cpp);
}

#[test]
fn imports_and_aliases() {
    let doc = Document::new(Language::Python, include_str!("fixtures/sample.py")).unwrap();
    assert_eq!(doc.imports().resolve("h"), Some("hashlib"));
    assert_eq!(doc.imports().resolve("loads"), Some("pickle.loads"));
    // The aliased call `h.md5(...)` carries the features of the real module name.
    let digest = doc
        .units()
        .iter()
        .find(|u| &*u.qualified_name == "Cache.digest")
        .unwrap();
    assert!(digest
        .fingerprint
        .contains(codetable::features::name("hashlib")));
    assert!(digest
        .fingerprint
        .contains(codetable::features::name("md5")));
    let load = doc
        .units()
        .iter()
        .find(|u| &*u.qualified_name == "load")
        .unwrap();
    assert!(load
        .fingerprint
        .contains(codetable::features::name("pickle")));

    let js = Document::new(Language::JavaScript, include_str!("fixtures/sample.js")).unwrap();
    assert_eq!(js.imports().resolve("cp"), Some("child_process"));
    assert_eq!(js.imports().resolve("hash"), Some("crypto.createHash"));
    let go = Document::new(Language::Go, include_str!("fixtures/sample.go")).unwrap();
    assert_eq!(go.imports().resolve("ex"), Some("os/exec"));
    assert_eq!(go.imports().resolve("md5"), Some("crypto/md5"));
    let java = Document::new(Language::Java, include_str!("fixtures/Sample.java")).unwrap();
    assert_eq!(
        java.imports().resolve("MessageDigest"),
        Some("java.security.MessageDigest")
    );
    let kt = Document::new(Language::Kotlin, include_str!("fixtures/sample.kt")).unwrap();
    assert_eq!(kt.imports().resolve("Rnd"), Some("kotlin.random.Random"));
    let rs = Document::new(Language::Rust, include_str!("fixtures/sample.rs")).unwrap();
    assert_eq!(rs.imports().resolve("Cmd"), Some("std::process::Command"));
    assert_eq!(
        rs.imports().resolve("HashMap"),
        Some("std::collections::HashMap")
    );
}
