// Selection, code context and inline suppressions (issue #16): a new engine reports every raw
// match; Engine.select sets what is reported; Document.setPath and the code decide the context.
const test = require("node:test");
const assert = require("node:assert/strict");
const { ct } = require("./helpers.cjs");

const SRC = [
  "import hashlib",
  "# 日本語 😀",
  "h = hashlib.md5(b'')",
  "d = hashlib.md5(b'x')  # codetable: ignore[Md] -- checksum, naïve",
  "s = hashlib.sha256(b'')",
  "",
  "def test_vectors():",
  "    return hashlib.md5(b'abc')",
  "",
].join("\n");

const seen = (fs) => fs.map((f) => [f.symbol, f.line, f.severity, f.context]);

test("a new engine reports raw matches, each with its context", () => {
  const engine = new ct.Engine(ct.Database.default());
  const doc = new ct.Document("python", SRC);
  const got = seen(engine.analyze(doc));
  assert.equal(got.length, 4);
  assert.deepEqual(got[1], ["Md", 4, "high", "production"]);
  assert.deepEqual(got[3], ["Md", 8, "high", "test"]);
});

test("select applies levels, context rules and suppressions; setPath sets the context", () => {
  const engine = new ct.Engine(ct.Database.default());
  engine.select();
  const doc = new ct.Document("python", SRC);
  assert.deepEqual(seen(engine.analyze(doc)), [
    ["Md", 3, "high", "production"],
    ["Md", 8, "medium", "test"],
  ]);
  doc.setPath("src/__tests__/hash.test.py");
  const found = engine.analyze(doc);
  assert.deepEqual(seen(found), [
    ["Md", 3, "medium", "test"],
    ["Md", 8, "medium", "test"],
  ]);
  assert.equal(found[0].path, "src/__tests__/hash.test.py");
  // UTF-16 span after the astral character is still right.
  assert.equal(SRC.slice(found[0].utf16.start, found[0].utf16.end), "hashlib.md5(b'')");
  engine.select(["security", "info"], ["security.weak-hash"]);
  assert.deepEqual(seen(engine.analyze(doc)).map((f) => f[0]), ["Sh"]);
  assert.throws(() => engine.select(["Mdd"]), /did you mean `Md`/);
  assert.throws(() => engine.select("Md"), /must be an array of strings/);
  doc.setPath(null);
  assert.equal(engine.analyze(doc)[0].context, "production");
});

test("setContext: a project's per-path context wins over the path; unknown names throw", () => {
  const engine = new ct.Engine(ct.Database.default());
  engine.select();
  const doc = new ct.Document("python", SRC);
  assert.equal(doc.context, undefined);
  doc.setPath("src/__tests__/hash.test.py");
  doc.setContext("production");
  assert.equal(doc.context, "production");
  assert.deepEqual(seen(engine.analyze(doc)), [
    ["Md", 3, "high", "production"],
    ["Md", 8, "high", "production"],
  ]);
  assert.throws(() => doc.setContext("tests"), /did you mean `test`/);
  assert.equal(doc.context, "production");
  doc.setContext(null);
  assert.equal(doc.context, undefined);
  assert.deepEqual(seen(engine.analyze(doc))[0], ["Md", 3, "medium", "test"]);
});
