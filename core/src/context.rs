//! Code context: whether a finding sits in production code or in a test, benchmark, example,
//! fuzzer, generated file or vendored copy, and how a pattern's findings change there.
//!
//! It owns the decision, from the file's path (folders such as `tests/`, `benches/`, `vendor/`,
//! names such as `*_test.go`, `test_*.py`, `*.spec.ts`), the file's content (a generated-file
//! header, a test framework's import) and the enclosing units (a `#[cfg(test)] mod tests` or
//! `#[test]` function in a production Rust file, a JUnit `@Test` method, a pytest `test_`
//! function, a JavaScript `it(…)` / `describe(…)` callback). The policy types
//! ([`ContextPolicy`], [`ContextRule`]) are what the catalog stores per pattern; applying them is
//! [`crate::Profile`]'s job.

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::language::Language;
use crate::pattern::Severity;
use crate::unit::{UnitId, UnitKind};

/// Where code lives, as far as findings are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeContext {
    /// Code that ships: everything not recognised as one of the others.
    Production,
    /// Tests: test folders and files, test functions, classes and modules.
    Test,
    /// Benchmarks.
    Bench,
    /// Examples, samples and demos.
    Example,
    /// Fuzz targets.
    Fuzz,
    /// Generated code (a "Code generated … DO NOT EDIT" or `@generated` header, `*_pb2.py`, minified
    /// JavaScript…).
    Generated,
    /// Third-party code copied into the tree (`vendor/`, `third_party/`, `node_modules/`).
    Vendored,
}

impl CodeContext {
    /// Every context, production first.
    pub const ALL: [CodeContext; 7] = [
        CodeContext::Production,
        CodeContext::Test,
        CodeContext::Bench,
        CodeContext::Example,
        CodeContext::Fuzz,
        CodeContext::Generated,
        CodeContext::Vendored,
    ];

    /// Lowercase name (`"test"`): the one spelling every host prints.
    pub const fn name(self) -> &'static str {
        match self {
            CodeContext::Production => "production",
            CodeContext::Test => "test",
            CodeContext::Bench => "bench",
            CodeContext::Example => "example",
            CodeContext::Fuzz => "fuzz",
            CodeContext::Generated => "generated",
            CodeContext::Vendored => "vendored",
        }
    }

    /// Parses a lowercase name.
    pub fn from_name(s: &str) -> Option<CodeContext> {
        CodeContext::ALL.into_iter().find(|c| c.name() == s)
    }

    /// Parses a name a host was given (a binding's `set_context`), or says what it accepts:
    /// the message lists the names and suggests the closest (`"tests"` → `test`).
    ///
    /// ```
    /// use codetable::context::CodeContext;
    /// assert_eq!(CodeContext::parse("bench"), Ok(CodeContext::Bench));
    /// assert!(CodeContext::parse("tests").unwrap_err().contains("did you mean `test`?"));
    /// ```
    pub fn parse(s: &str) -> std::result::Result<CodeContext, String> {
        CodeContext::from_name(s).ok_or_else(|| {
            let names: Vec<&str> = CodeContext::ALL.iter().map(|c| c.name()).collect();
            let hint = crate::profile::did_you_mean(s, names.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            format!(
                "`{s}` is not a code context: one of {}{hint}",
                names.join(", ")
            )
        })
    }
}

impl std::fmt::Display for CodeContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a pattern's findings become in one context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContextRule {
    /// Not reported there.
    Off,
    /// Reported one severity level lower (never below `info`), and never failing a build.
    Lower,
    /// Reported as in production (still never failing a build outside production).
    Same,
}

impl ContextRule {
    /// Lowercase name (`"lower"`).
    pub const fn name(self) -> &'static str {
        match self {
            ContextRule::Off => "off",
            ContextRule::Lower => "lower",
            ContextRule::Same => "same",
        }
    }

    /// Parses a lowercase name.
    pub fn from_name(s: &str) -> Option<ContextRule> {
        [ContextRule::Off, ContextRule::Lower, ContextRule::Same]
            .into_iter()
            .find(|c| c.name() == s)
    }
}

/// How a pattern's findings change outside production code: one rule per context, `None` for
/// the default ([`ContextPolicy::rule`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContextPolicy {
    /// In tests.
    pub test: Option<ContextRule>,
    /// In benchmarks.
    pub bench: Option<ContextRule>,
    /// In examples.
    pub example: Option<ContextRule>,
    /// In fuzz targets.
    pub fuzz: Option<ContextRule>,
    /// In generated code.
    pub generated: Option<ContextRule>,
    /// In vendored code.
    pub vendored: Option<ContextRule>,
}

impl ContextPolicy {
    /// The rule for `context`: the pattern's own, else the default — `same` in production and
    /// for `info` patterns (nothing to lower), `lower` elsewhere.
    pub fn rule(&self, context: CodeContext, severity: Severity) -> ContextRule {
        let own = match context {
            CodeContext::Production => return ContextRule::Same,
            CodeContext::Test => self.test,
            CodeContext::Bench => self.bench,
            CodeContext::Example => self.example,
            CodeContext::Fuzz => self.fuzz,
            CodeContext::Generated => self.generated,
            CodeContext::Vendored => self.vendored,
        };
        own.unwrap_or(if severity == Severity::Info {
            ContextRule::Same
        } else {
            ContextRule::Lower
        })
    }

    /// Sets the rule of a context by name (`"test"`); `false` for an unknown context or
    /// `production` (which always keeps its findings).
    pub fn set(&mut self, context: &str, rule: ContextRule) -> bool {
        let slot = match CodeContext::from_name(context) {
            Some(CodeContext::Test) => &mut self.test,
            Some(CodeContext::Bench) => &mut self.bench,
            Some(CodeContext::Example) => &mut self.example,
            Some(CodeContext::Fuzz) => &mut self.fuzz,
            Some(CodeContext::Generated) => &mut self.generated,
            Some(CodeContext::Vendored) => &mut self.vendored,
            _ => return false,
        };
        *slot = Some(rule);
        true
    }

    /// The rules the pattern sets, by context name (for sheets and documentation).
    pub fn entries(&self) -> Vec<(&'static str, ContextRule)> {
        [
            (CodeContext::Test, self.test),
            (CodeContext::Bench, self.bench),
            (CodeContext::Example, self.example),
            (CodeContext::Fuzz, self.fuzz),
            (CodeContext::Generated, self.generated),
            (CodeContext::Vendored, self.vendored),
        ]
        .into_iter()
        .filter_map(|(c, r)| Some((c.name(), r?)))
        .collect()
    }
}

/// A severity lowered one level (`info` stays `info`).
pub fn lower(severity: Severity) -> Severity {
    match severity {
        Severity::Critical => Severity::High,
        Severity::High => Severity::Medium,
        Severity::Medium => Severity::Low,
        Severity::Low | Severity::Info => Severity::Info,
    }
}

/// The part of `path` below the folder `root` (`path` itself when it is not below it, or
/// when there is no root): what [`path_context`] should read when the path leads through
/// folders that are not the project's (a home folder named `tests`, a temporary folder).
///
/// ```
/// use codetable::context::below_root;
/// assert_eq!(below_root("/tmp/test_x/app.py", Some("/tmp/test_x")), "app.py");
/// assert_eq!(below_root("/tmp/test_x/app.py", Some("/tmp/test_x/")), "app.py");
/// assert_eq!(below_root("/srv/app/tests/t.py", Some("/srv/app")), "tests/t.py");
/// assert_eq!(below_root("src/a.py", Some("/elsewhere")), "src/a.py");
/// assert_eq!(below_root("src/a.py", None), "src/a.py");
/// ```
pub fn below_root<'a>(path: &'a str, root: Option<&str>) -> &'a str {
    let Some(root) = root.map(|r| r.trim_end_matches(['/', '\\'])) else {
        return path;
    };
    if root.is_empty() {
        return path;
    }
    match path.strip_prefix(root) {
        Some(rest) if rest.starts_with(['/', '\\']) => rest.trim_start_matches(['/', '\\']),
        _ => path,
    }
}

/// The folder a file found by a folder walk is judged below for its code context (the `root`
/// of [`below_root`] and [`crate::Session::set_root`]); `depth` is how far below the walked
/// argument the file is (0: the argument itself). `None` for a relative path inside the current
/// folder: that path is the project's. Otherwise the walked argument (for a file argument, its
/// folder), so that `/tmp/test_run0/app.py` or a checkout under `~/tests/` is not a test.
pub fn walked_root(path: &std::path::Path, depth: usize) -> Option<String> {
    if !path.is_absolute() {
        let leaves = path
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir));
        if !leaves {
            return None;
        }
    } else if let Some(cwd) = std::env::current_dir()
        .ok()
        .filter(|d| path.starts_with(d) && d.parent().is_some())
    {
        // (A host started in `/`, as editors may start a language server, says nothing.)
        return Some(cwd.to_string_lossy().into_owned());
    }
    path.ancestors()
        .nth(depth.max(1))
        .map(|d| d.to_string_lossy().into_owned())
}

/// The context a path says, if any (`None`: the path says production, or nothing).
///
/// ```
/// use codetable::context::{path_context, CodeContext};
/// assert_eq!(path_context("src/foo_test.go"), Some(CodeContext::Test));
/// assert_eq!(path_context("third_party/zlib/tests/x.c"), Some(CodeContext::Vendored));
/// assert_eq!(path_context("crates/x/benches/parse.rs"), Some(CodeContext::Bench));
/// assert_eq!(path_context("src/lib.rs"), None);
/// ```
pub fn path_context(path: &str) -> Option<CodeContext> {
    let lower = path.replace('\\', "/").to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').filter(|p| !p.is_empty()).collect();
    let (file, dirs) = parts.split_last()?;
    let any_dir = |names: &[&str]| dirs.iter().any(|d| names.contains(d));
    let stem = file.split('.').next().unwrap_or(file);
    if any_dir(&[
        "vendor",
        "vendored",
        "third_party",
        "third-party",
        "thirdparty",
        "node_modules",
        "bower_components",
    ]) {
        return Some(CodeContext::Vendored);
    }
    if any_dir(&["generated", "__generated__", "gen-src", "generated-sources"])
        || file.ends_with(".pb.go")
        || file.ends_with("_pb2.py")
        || file.ends_with("_pb2_grpc.py")
        || file.ends_with(".pb.cc")
        || file.ends_with(".pb.h")
        || file.contains(".generated.")
        || file.ends_with(".min.js")
        || file.ends_with(".g.dart")
    {
        return Some(CodeContext::Generated);
    }
    if any_dir(&["fuzz", "fuzzing", "fuzzers", "fuzz_targets", "fuzztests"])
        || stem.starts_with("fuzz_")
        || stem.ends_with("_fuzz")
        || stem.ends_with("_fuzzer")
        || stem.ends_with("fuzztest")
    {
        return Some(CodeContext::Fuzz);
    }
    if any_dir(&["benches", "bench", "benchmark", "benchmarks", "jmh", "perf"])
        || stem.ends_with("_bench")
        || stem.starts_with("bench_")
        || stem.ends_with("_benchmark")
        || stem.ends_with("benchmark") && file.ends_with(".java")
        || lower.ends_with(".bench.ts")
        || lower.ends_with(".bench.js")
    {
        return Some(CodeContext::Bench);
    }
    let test_dir = |d: &&str| {
        matches!(
            *d,
            "test"
                | "tests"
                | "testing"
                | "__tests__"
                | "__mocks__"
                | "spec"
                | "specs"
                | "testdata"
                | "test-data"
                | "test_data"
                | "testfixtures"
                | "androidtest"
                | "integrationtest"
                | "e2e"
        ) || d.ends_with("_test")
            || d.ends_with("_tests")
            || d.starts_with("test_")
    };
    let test_file = stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_unittest")
        || stem == "conftest"
        || file.contains(".test.")
        || file.contains(".spec.")
        || (file.ends_with(".java") || file.ends_with(".kt"))
            && (stem.ends_with("test") || stem.ends_with("tests") || stem.ends_with("spec"));
    if dirs.iter().any(test_dir) || test_file {
        return Some(CodeContext::Test);
    }
    if any_dir(&["examples", "example", "samples", "sample", "demo", "demos"]) {
        return Some(CodeContext::Example);
    }
    None
}

/// The context a file's content says as a whole: a generated-file header in its first lines or
/// minified JavaScript/TypeScript (generated), or an import of a test framework (pytest,
/// unittest, JUnit, kotlin.test, Jest/Vitest/Mocha, GoogleTest, Catch2). `None`: nothing said.
pub fn content_context(language: Language, text: &str) -> Option<CodeContext> {
    let head = prefix(text, 2048).to_ascii_lowercase();
    let header = head.lines().take(12).any(|l| {
        l.contains("@generated")
            || l.contains("do not edit")
            || l.contains("auto-generated")
            || l.contains("autogenerated")
            || l.contains("automatically generated")
            || l.contains("code generated by")
            || l.contains("generated by the protocol buffer compiler")
    });
    if header || minified(language, text) {
        return Some(CodeContext::Generated);
    }
    let imports: &[&str] = match language {
        Language::Python => &[
            "import pytest",
            "import unittest",
            "from unittest",
            "from pytest",
        ],
        Language::Java => &["import org.junit", "import static org.junit"],
        Language::Kotlin => &["import org.junit", "import kotlin.test", "import io.kotest"],
        Language::JavaScript | Language::TypeScript | Language::Tsx => &[
            "from 'vitest'",
            "from \"vitest\"",
            "from '@jest/globals'",
            "from \"@jest/globals\"",
            "require('mocha')",
            "from 'node:test'",
            "from \"node:test\"",
        ],
        Language::C | Language::Cpp => &[
            "#include <gtest/",
            "#include \"gtest/",
            "#include <catch2/",
            "#include \"catch2/",
            "#include <boost/test/",
        ],
        Language::Go | Language::Rust => &[],
    };
    text.lines()
        .any(|l| {
            let l = l.trim_start();
            imports.iter().any(|i| l.starts_with(i))
                || (l.starts_with("import ") || l.starts_with("} from"))
                    && imports
                        .iter()
                        .any(|i| i.starts_with("from") && l.contains(i))
        })
        .then_some(CodeContext::Test)
}

/// JavaScript or TypeScript that a minifier wrote, whatever its name (bundles shipped as
/// `dist/x.js`): in its first 64 KiB, a line of over 1,000 bytes and lines of 300 bytes on
/// average. Hand-written code has neither; a long string or data line alone is not enough.
fn minified(language: Language, text: &str) -> bool {
    if !matches!(
        language,
        Language::JavaScript | Language::TypeScript | Language::Tsx
    ) {
        return false;
    }
    let head = prefix(text, 64 * 1024);
    let (mut lines, mut longest) = (0usize, 0usize);
    for line in head.split('\n') {
        lines += 1;
        longest = longest.max(line.len());
    }
    longest > 1_000 && head.len() / lines.max(1) >= 300
}

fn prefix(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The context the enclosing units say, innermost first: a Rust item under `#[cfg(test)]`,
/// `#[test]` or `#[bench]`, a Java/Kotlin method annotated `@Test` (or `@Benchmark`,
/// `@FuzzTest`), a Python `test_` function or `Test…` class, a JavaScript callback of
/// `it`/`test`/`describe`, a Go `TestX`/`BenchmarkX`/`FuzzX`/`ExampleX` function.
pub fn unit_context(doc: &Document, unit: UnitId) -> Option<CodeContext> {
    let text = doc.text();
    let mut next = Some(unit);
    while let Some(id) = next {
        let u = doc.unit(id)?;
        if u.kind == UnitKind::Module {
            return None;
        }
        let start = u.byte_range.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let before_on_line = &text[line_start..start];
        // The unit's own first line(s) up to its body, and the decoration lines above it.
        let head: &str = prefix(
            &text[start..],
            text[start..].find('{').unwrap_or(200).min(400),
        );
        let mut above = Vec::new();
        let mut cursor = line_start;
        while cursor > 0 && above.len() < 6 {
            let prev_start = text[..cursor - 1].rfind('\n').map_or(0, |i| i + 1);
            let line = text[prev_start..cursor - 1].trim();
            if line.starts_with("#[") || line.starts_with('@') || line.starts_with("//") {
                above.push(line);
                cursor = prev_start;
            } else {
                break;
            }
        }
        let decorated = |marks: &[&str]| {
            above
                .iter()
                .chain(std::iter::once(&before_on_line))
                .any(|l| marks.iter().any(|m| l.contains(m)))
                || marks.iter().any(|m| head.contains(m))
        };
        let name = &*u.name;
        let found = match doc.language() {
            Language::Rust => {
                if decorated(&["#[bench]"]) {
                    Some(CodeContext::Bench)
                } else if decorated(&["#[cfg(test)]", "#[test]", "::test]", "#[rstest"]) {
                    Some(CodeContext::Test)
                } else {
                    None
                }
            }
            Language::Java | Language::Kotlin => {
                if decorated(&["@Benchmark"]) {
                    Some(CodeContext::Bench)
                } else if decorated(&["@FuzzTest"]) {
                    Some(CodeContext::Fuzz)
                } else if decorated(&[
                    "@Test",
                    "@ParameterizedTest",
                    "@RepeatedTest",
                    "@TestFactory",
                    "@BeforeEach",
                    "@AfterEach",
                    "@Before\n",
                ]) {
                    Some(CodeContext::Test)
                } else {
                    None
                }
            }
            Language::Python => {
                let class_test = u.kind == UnitKind::Class
                    && (name.starts_with("Test") || head.contains("TestCase)"));
                (name.starts_with("test_") || class_test || decorated(&["@pytest."]))
                    .then_some(CodeContext::Test)
            }
            Language::Go => {
                let takes = |t: &str| head.contains(t);
                if name.starts_with("Benchmark") && takes("*testing.B") {
                    Some(CodeContext::Bench)
                } else if name.starts_with("Fuzz") && takes("*testing.F") {
                    Some(CodeContext::Fuzz)
                } else if name.starts_with("Test") && takes("*testing.T") {
                    Some(CodeContext::Test)
                } else {
                    None
                }
            }
            Language::JavaScript | Language::TypeScript | Language::Tsx => {
                let call = before_on_line.trim_start();
                let framework = [
                    "it(",
                    "it.",
                    "test(",
                    "test.",
                    "describe(",
                    "describe.",
                    "beforeEach(",
                    "afterEach(",
                    "beforeAll(",
                    "afterAll(",
                ];
                framework
                    .iter()
                    .any(|f| call.starts_with(f))
                    .then_some(CodeContext::Test)
            }
            Language::C | Language::Cpp => None,
        };
        if found.is_some() {
            return found;
        }
        next = u.parent;
    }
    None
}

/// The context of code at a unit of `doc` (from the file at `path`, when known): the path's
/// context when it says one, else the content's, else the enclosing units', else production.
///
/// ```
/// use codetable::context::{context_of, CodeContext};
/// use codetable::{Document, Language};
///
/// let src = "fn f() {}\n#[cfg(test)]\nmod tests {\n    fn g() { let é = 1; }\n}\n";
/// let doc = Document::new(Language::Rust, src)?;
/// let g = doc.units().iter().find(|u| &*u.name == "g").unwrap();
/// let f = doc.units().iter().find(|u| &*u.name == "f").unwrap();
/// assert_eq!(context_of(&doc, Some("src/lib.rs"), g.id), CodeContext::Test);
/// assert_eq!(context_of(&doc, Some("src/lib.rs"), f.id), CodeContext::Production);
/// assert_eq!(context_of(&doc, Some("benches/b.rs"), f.id), CodeContext::Bench);
/// # Ok::<(), codetable::Error>(())
/// ```
pub fn context_of(doc: &Document, path: Option<&str>, unit: UnitId) -> CodeContext {
    path.and_then(path_context)
        .or_else(|| doc.content_context())
        .or_else(|| unit_context(doc, unit))
        .unwrap_or(CodeContext::Production)
}

/// Like [`context_of`] for code at byte `at` of the unit: in JavaScript and TypeScript, where a
/// test's body is an anonymous callback rather than a unit, code inside the arguments of an
/// `it(…)`, `test(…)`, `describe(…)` (or `beforeEach`… ) call is a test's.
///
/// ```
/// use codetable::context::{context_at, CodeContext};
/// use codetable::{Document, Language};
///
/// let src = "// 日本\ndescribe('p', () => {\n  it('parses', () => { run(); });\n});\nrun();\n";
/// let doc = Document::new(Language::JavaScript, src)?;
/// let module = doc.module().id;
/// let inside = src.find("run()").unwrap();
/// let outside = src.rfind("run()").unwrap();
/// assert_eq!(context_at(&doc, None, module, inside), CodeContext::Test);
/// assert_eq!(context_at(&doc, None, module, outside), CodeContext::Production);
/// # Ok::<(), codetable::Error>(())
/// ```
pub fn context_at(doc: &Document, path: Option<&str>, unit: UnitId, at: usize) -> CodeContext {
    path.and_then(path_context)
        .or_else(|| doc.content_context())
        .or_else(|| unit_context(doc, unit))
        .or_else(|| call_context(doc, at))
        .unwrap_or(CodeContext::Production)
}

/// Test framework calls around byte `at` (JavaScript, TypeScript).
fn call_context(doc: &Document, at: usize) -> Option<CodeContext> {
    if !matches!(
        doc.language(),
        Language::JavaScript | Language::TypeScript | Language::Tsx
    ) {
        return None;
    }
    const FRAMEWORK: [&str; 8] = [
        "it",
        "test",
        "describe",
        "beforeEach",
        "afterEach",
        "beforeAll",
        "afterAll",
        "suite",
    ];
    let text = doc.text();
    let mut node = doc.tree().root_node().descendant_for_byte_range(at, at);
    while let Some(n) = node {
        if n.kind() == "call_expression" {
            if let Some(f) = n.child_by_field_name("function") {
                let name = text.get(f.byte_range()).unwrap_or("");
                let head = name.split('.').next().unwrap_or(name);
                if FRAMEWORK.contains(&head) {
                    return Some(CodeContext::Test);
                }
            }
        }
        node = n.parent();
    }
    None
}

/// The context of a whole file (no unit): path, then content.
pub fn file_context(doc: &Document, path: Option<&str>) -> Option<CodeContext> {
    path.and_then(path_context)
        .or_else(|| doc.content_context())
}
