//! Clone semantics of the structural hash, per language: renaming locals or parameters and
//! changing literal values keep a unit's hash; changing a callee, an operator, a keyword-argument
//! name or the order of statements changes it.

use codetable::{Document, Language, UnitKind};

struct Case {
    lang: Language,
    base: &'static str,
    renamed: &'static str,
    literal: &'static str,
    callee: &'static str,
    operator: &'static str,
    keyword: Option<&'static str>,
    reordered: &'static str,
}

fn function_hash(lang: Language, src: &str) -> u64 {
    let doc = Document::new(lang, src).unwrap_or_else(|e| panic!("{lang}: {e}"));
    assert!(
        !doc.has_syntax_errors(),
        "{lang}: fixture has syntax errors:\n{src}"
    );
    let f = doc
        .units()
        .iter()
        .find(|u| u.kind.is_callable())
        .unwrap_or_else(|| panic!("{lang}: no function unit in\n{src}"));
    f.fingerprint.hash
}

fn check(c: &Case) {
    let base = function_hash(c.lang, c.base);
    assert_eq!(
        base,
        function_hash(c.lang, c.renamed),
        "{}: renaming locals must keep the hash",
        c.lang
    );
    assert_eq!(
        base,
        function_hash(c.lang, c.literal),
        "{}: changing literals must keep the hash",
        c.lang
    );
    assert_ne!(
        base,
        function_hash(c.lang, c.callee),
        "{}: changing the callee must change the hash",
        c.lang
    );
    assert_ne!(
        base,
        function_hash(c.lang, c.operator),
        "{}: changing an operator must change the hash",
        c.lang
    );
    if let Some(k) = c.keyword {
        assert_ne!(
            base,
            function_hash(c.lang, k),
            "{}: changing a keyword name must change the hash",
            c.lang
        );
    }
    assert_ne!(
        base,
        function_hash(c.lang, c.reordered),
        "{}: reordering statements must change the hash",
        c.lang
    );
}

#[test]
fn python() {
    check(&Case {
        lang: Language::Python,
        base: "def f(a, b):\n    x = a + 1\n    y = send(x, timeout=5)\n    return x == b\n",
        renamed: "def g(p, q):\n    z = p + 1\n    w = send(z, timeout=5)\n    return z == q\n",
        literal: "def f(a, b):\n    x = a + 42\n    y = send(x, timeout=99)\n    return x == b\n",
        callee: "def f(a, b):\n    x = a + 1\n    y = post(x, timeout=5)\n    return x == b\n",
        operator: "def f(a, b):\n    x = a + 1\n    y = send(x, timeout=5)\n    return x != b\n",
        keyword: Some(
            "def f(a, b):\n    x = a + 1\n    y = send(x, retries=5)\n    return x == b\n",
        ),
        reordered: "def f(a, b):\n    y = send(x, timeout=5)\n    x = a + 1\n    return x == b\n",
    });
}

#[test]
fn javascript() {
    check(&Case {
        lang: Language::JavaScript,
        base: "function f(a, b) {\n  let x = a + 1;\n  let y = send(x, { timeout: 5 });\n  return x === b;\n}\n",
        renamed: "function g(p, q) {\n  let z = p + 1;\n  let w = send(z, { timeout: 5 });\n  return z === q;\n}\n",
        literal: "function f(a, b) {\n  let x = a + 7;\n  let y = send(x, { timeout: 9 });\n  return x === b;\n}\n",
        callee: "function f(a, b) {\n  let x = a + 1;\n  let y = post(x, { timeout: 5 });\n  return x === b;\n}\n",
        operator: "function f(a, b) {\n  let x = a + 1;\n  let y = send(x, { timeout: 5 });\n  return x !== b;\n}\n",
        keyword: Some("function f(a, b) {\n  let x = a + 1;\n  let y = send(x, { retries: 5 });\n  return x === b;\n}\n"),
        reordered: "function f(a, b) {\n  let y = send(x, { timeout: 5 });\n  let x = a + 1;\n  return x === b;\n}\n",
    });
}

#[test]
fn typescript_and_tsx() {
    for lang in [Language::TypeScript, Language::Tsx] {
        check(&Case {
            lang,
            base: "function f(a: number, b: number): boolean {\n  const x = a + 1;\n  send(x, { timeout: 5 });\n  return x === b;\n}\n",
            renamed: "function g(p: number, q: number): boolean {\n  const z = p + 1;\n  send(z, { timeout: 5 });\n  return z === q;\n}\n",
            literal: "function f(a: number, b: number): boolean {\n  const x = a + 3;\n  send(x, { timeout: 8 });\n  return x === b;\n}\n",
            callee: "function f(a: number, b: number): boolean {\n  const x = a + 1;\n  post(x, { timeout: 5 });\n  return x === b;\n}\n",
            operator: "function f(a: number, b: number): boolean {\n  const x = a + 1;\n  send(x, { timeout: 5 });\n  return x !== b;\n}\n",
            keyword: Some("function f(a: number, b: number): boolean {\n  const x = a + 1;\n  send(x, { retries: 5 });\n  return x === b;\n}\n"),
            reordered: "function f(a: number, b: number): boolean {\n  send(x, { timeout: 5 });\n  const x = a + 1;\n  return x === b;\n}\n",
        });
    }
}

#[test]
fn java() {
    check(&Case {
        lang: Language::Java,
        base: "class A {\n  boolean f(int a, int b) {\n    int x = a + 1;\n    send(x);\n    return x == b;\n  }\n}\n",
        renamed: "class A {\n  boolean g(int p, int q) {\n    int z = p + 1;\n    send(z);\n    return z == q;\n  }\n}\n",
        literal: "class A {\n  boolean f(int a, int b) {\n    int x = a + 100;\n    send(x);\n    return x == b;\n  }\n}\n",
        callee: "class A {\n  boolean f(int a, int b) {\n    int x = a + 1;\n    post(x);\n    return x == b;\n  }\n}\n",
        operator: "class A {\n  boolean f(int a, int b) {\n    int x = a + 1;\n    send(x);\n    return x != b;\n  }\n}\n",
        keyword: None,
        reordered: "class A {\n  boolean f(int a, int b) {\n    send(x);\n    int x = a + 1;\n    return x == b;\n  }\n}\n",
    });
}

#[test]
fn kotlin() {
    check(&Case {
        lang: Language::Kotlin,
        base: "fun f(a: Int, b: Int): Boolean {\n    val x = a + 1\n    send(x, timeout = 5)\n    return x == b\n}\n",
        renamed: "fun g(p: Int, q: Int): Boolean {\n    val z = p + 1\n    send(z, timeout = 5)\n    return z == q\n}\n",
        literal: "fun f(a: Int, b: Int): Boolean {\n    val x = a + 2\n    send(x, timeout = 50)\n    return x == b\n}\n",
        callee: "fun f(a: Int, b: Int): Boolean {\n    val x = a + 1\n    post(x, timeout = 5)\n    return x == b\n}\n",
        operator: "fun f(a: Int, b: Int): Boolean {\n    val x = a + 1\n    send(x, timeout = 5)\n    return x != b\n}\n",
        keyword: Some("fun f(a: Int, b: Int): Boolean {\n    val x = a + 1\n    send(x, retries = 5)\n    return x == b\n}\n"),
        reordered: "fun f(a: Int, b: Int): Boolean {\n    send(x, timeout = 5)\n    val x = a + 1\n    return x == b\n}\n",
    });
}

#[test]
fn go() {
    check(&Case {
        lang: Language::Go,
        base: "package p\n\nfunc f(a int, b int) bool {\n\tx := a + 1\n\tsend(Opts{Timeout: 5})\n\treturn x == b\n}\n",
        renamed: "package p\n\nfunc g(p int, q int) bool {\n\tz := p + 1\n\tsend(Opts{Timeout: 5})\n\treturn z == q\n}\n",
        literal: "package p\n\nfunc f(a int, b int) bool {\n\tx := a + 9\n\tsend(Opts{Timeout: 6})\n\treturn x == b\n}\n",
        callee: "package p\n\nfunc f(a int, b int) bool {\n\tx := a + 1\n\tpost(Opts{Timeout: 5})\n\treturn x == b\n}\n",
        operator: "package p\n\nfunc f(a int, b int) bool {\n\tx := a + 1\n\tsend(Opts{Timeout: 5})\n\treturn x != b\n}\n",
        keyword: Some("package p\n\nfunc f(a int, b int) bool {\n\tx := a + 1\n\tsend(Opts{Retries: 5})\n\treturn x == b\n}\n"),
        reordered: "package p\n\nfunc f(a int, b int) bool {\n\tsend(Opts{Timeout: 5})\n\tx := a + 1\n\treturn x == b\n}\n",
    });
}

#[test]
fn rust() {
    check(&Case {
        lang: Language::Rust,
        base: "fn f(a: i32, b: i32) -> bool {\n    let x = a + 1;\n    send(Opts { timeout: 5 });\n    x == b\n}\n",
        renamed: "fn g(p: i32, q: i32) -> bool {\n    let z = p + 1;\n    send(Opts { timeout: 5 });\n    z == q\n}\n",
        literal: "fn f(a: i32, b: i32) -> bool {\n    let x = a + 4;\n    send(Opts { timeout: 3 });\n    x == b\n}\n",
        callee: "fn f(a: i32, b: i32) -> bool {\n    let x = a + 1;\n    post(Opts { timeout: 5 });\n    x == b\n}\n",
        operator: "fn f(a: i32, b: i32) -> bool {\n    let x = a + 1;\n    send(Opts { timeout: 5 });\n    x != b\n}\n",
        keyword: Some("fn f(a: i32, b: i32) -> bool {\n    let x = a + 1;\n    send(Opts { retries: 5 });\n    x == b\n}\n"),
        reordered: "fn f(a: i32, b: i32) -> bool {\n    send(Opts { timeout: 5 });\n    let x = a + 1;\n    x == b\n}\n",
    });
}

#[test]
fn c_and_cpp() {
    for lang in [Language::C, Language::Cpp] {
        check(&Case {
            lang,
            base:
                "int f(int a, int b) {\n    int x = a + 1;\n    send(x);\n    return x == b;\n}\n",
            renamed:
                "int g(int p, int q) {\n    int z = p + 1;\n    send(z);\n    return z == q;\n}\n",
            literal:
                "int f(int a, int b) {\n    int x = a + 77;\n    send(x);\n    return x == b;\n}\n",
            callee:
                "int f(int a, int b) {\n    int x = a + 1;\n    post(x);\n    return x == b;\n}\n",
            operator:
                "int f(int a, int b) {\n    int x = a + 1;\n    send(x);\n    return x != b;\n}\n",
            keyword: None,
            reordered:
                "int f(int a, int b) {\n    send(x);\n    int x = a + 1;\n    return x == b;\n}\n",
        });
    }
}

#[test]
fn attribute_names_are_anchors() {
    let a = function_hash(Language::Python, "def f(o):\n    return o.read()\n");
    let b = function_hash(Language::Python, "def f(o):\n    return o.write()\n");
    let c = function_hash(Language::Python, "def f(p):\n    return p.read()\n");
    assert_ne!(a, b);
    // `o` is part of the callee chain, so it is kept as an anchor too.
    assert_ne!(a, c);
    let d = function_hash(Language::Python, "def f(o):\n    return o.size\n");
    let e = function_hash(Language::Python, "def f(p):\n    return p.size\n");
    assert_eq!(
        d, e,
        "the object of a plain attribute access is a local name"
    );
}

#[test]
fn comments_and_redundant_parentheses_do_not_matter() {
    let a = function_hash(Language::Python, "def f(a):\n    return a + 1\n");
    let b = function_hash(
        Language::Python,
        "def f(a):\n    # note\n    return (a) + (1)  # why\n",
    );
    assert_eq!(a, b);
    let k = Document::new(
        Language::Python,
        "class K:\n    def m(self):\n        pass\n",
    )
    .unwrap();
    assert_eq!(k.units()[1].kind, UnitKind::Class);
}
