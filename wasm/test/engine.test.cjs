// Engine: analyze, analyzeDelta and findings, with UTF-16 ranges in non-ASCII text.
const test = require("node:test");
const assert = require("node:assert/strict");
const { ct, MD5_PY, throwsError } = require("./helpers.cjs");

const engine = new ct.Engine(ct.Database.default());

test("analyze: the md5 finding with UTF-16 range, line/column and captures", () => {
  const text = `# 日本語 😀 comment\n${MD5_PY}`;
  const doc = new ct.Document("python", text);
  const findings = engine.analyze(doc);
  assert.equal(findings.length, 1);
  const f = findings[0];
  assert.equal(f.patternId, "security.weak-hash.md5");
  assert.equal(f.symbol, "Md");
  assert.equal(f.name, "MD5 hash");
  assert.equal(f.group, "security");
  assert.equal(f.severity, "high");
  assert.equal(f.score, 1);
  assert.equal(f.start, text.indexOf("hashlib.md5"));
  assert.equal(text.slice(f.start, f.end), 'hashlib.md5(b"x")');
  assert.deepEqual([f.startLine, f.startColumn, f.endLine, f.endColumn], [2, 0, 2, 17]);
  assert.match(f.id, /^[0-9a-f]{16}$/);
  assert.equal(f.pattern, engine.database.byId("security.weak-hash.md5").number);
  assert.deepEqual(engine.findings(doc), findings);
});

test("columns are UTF-16 code units on a line with emoji before the finding", () => {
  const text = 'import hashlib\nx = "😀😀"; y = hashlib.new("md5", b"é")\n';
  const doc = new ct.Document("python", text);
  const [f] = engine.analyze(doc);
  assert.equal(f.start, text.indexOf("hashlib.new"));
  assert.equal(f.startColumn, text.split("\n")[1].indexOf("hashlib"));
  assert.equal(text.slice(f.start, f.end), 'hashlib.new("md5", b"é")');
  assert.equal(f.endColumn, text.split("\n")[1].length);
  const cap = f.captures.find((c) => c.name === "$NAME");
  assert.ok(cap, JSON.stringify(f.captures));
  assert.equal(cap.text, '"md5"');
  assert.equal(text.slice(cap.start, cap.end), '"md5"');
});

test("every language with md5 examples finds it; sha256 is a different pattern", () => {
  const cases = {
    javascript: "const crypto = require('crypto');\nconst d = crypto.createHash('md5').update(b).digest('hex');\n",
    java: 'import java.security.MessageDigest;\nclass H { byte[] h(byte[] b) throws Exception { return MessageDigest.getInstance("MD5").digest(b); } }\n',
    kotlin: 'import java.security.MessageDigest\nfun h(b: ByteArray): ByteArray = MessageDigest.getInstance("MD5").digest(b)\n',
    go: 'package main\n\nimport "crypto/md5"\n\nfunc sum(b []byte) [16]byte {\n\treturn md5.Sum(b)\n}\n',
  };
  for (const [lang, code] of Object.entries(cases)) {
    const ids = engine.analyze(new ct.Document(lang, code)).map((f) => f.patternId);
    assert.ok(ids.includes("security.weak-hash.md5"), `${lang}: ${ids}`);
  }
  const sha = engine.analyze(new ct.Document("python", "import hashlib\nhashlib.sha256(b'x')\n"));
  assert.ok(!sha.some((f) => f.symbol === "Md"));
});

test("analyzeDelta: typing the pattern adds it, edits elsewhere keep it, deleting removes it", () => {
  const doc = new ct.Document("python", "# ✓ start\n");
  assert.deepEqual(engine.analyze(doc), []);
  let text = doc.text;
  // Type the code one character at a time, analysing after each keystroke.
  const added = [];
  for (const ch of MD5_PY) {
    doc.edit(text.length, text.length, ch);
    text += ch;
    const c = engine.analyzeDelta(doc);
    added.push(...c.added);
    assert.deepEqual(c.removed.filter((r) => !added.some((a) => a.id === r.id)), []);
  }
  let current = engine.findings(doc);
  assert.equal(current.length, 1);
  assert.equal(current[0].symbol, "Md");
  assert.equal(text.slice(current[0].start, current[0].end), 'hashlib.md5(b"x")');
  // An edit before it (with a surrogate pair): no change, the finding moves by 2 + 1.
  const before = current[0];
  doc.edit(0, 0, "😀\n");
  text = "😀\n" + text;
  assert.deepEqual(engine.analyzeDelta(doc), { added: [], removed: [] });
  current = engine.findings(doc);
  assert.equal(current[0].id, before.id, "identity survives an edit elsewhere");
  assert.equal(current[0].start, before.start + 3);
  assert.equal(current[0].startLine, before.startLine + 1);
  // Nothing pending: an empty delta.
  assert.deepEqual(engine.analyzeDelta(doc), { added: [], removed: [] });
  // Delete the call: it is removed, reported at its (mapped) old place.
  const at = text.indexOf("hashlib.md5");
  doc.edit(at, text.length, "");
  const c = engine.analyzeDelta(doc);
  assert.deepEqual(c.added, []);
  assert.equal(c.removed.length, 1);
  assert.equal(c.removed[0].id, before.id);
  assert.equal(c.removed[0].start, at);
  assert.deepEqual(engine.findings(doc), []);
});

test("analyzeDelta without a previous analysis reports everything as added", () => {
  const doc = new ct.Document("python", MD5_PY);
  assert.deepEqual(engine.findings(doc), [], "no analysis yet");
  const c = engine.analyzeDelta(doc);
  assert.equal(c.added.length, 1);
  assert.deepEqual(c.removed, []);
  // A second engine over the same Database shares the findings' identity.
  const again = new ct.Engine(engine.database);
  assert.deepEqual(again.analyzeDelta(doc), { added: [], removed: [] });
  // An engine over another database analyses afresh; the same catalog gives the same ids.
  const other = new ct.Engine(ct.Database.default());
  doc.edit(0, 0, "\n");
  const d = other.analyzeDelta(doc);
  assert.deepEqual([d.added.length, d.removed.length], [0, 0], JSON.stringify(d));
  assert.equal(other.findings(doc)[0].start, MD5_PY.indexOf("hashlib.md5") + 1);
});

test("findings() maps the last analysis through pending edits", () => {
  const doc = new ct.Document("python", MD5_PY);
  const [f] = engine.analyze(doc);
  doc.edit(0, 0, "日本\n");
  const [g] = engine.findings(doc);
  assert.equal(g.start, f.start + 3);
  assert.equal(g.startLine, 1 + f.startLine);
});

test("random edits: incremental findings equal a fresh analysis of the same text", () => {
  // A small deterministic PRNG, so a failure is reproducible.
  let seed = 12345;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const pieces = ["hashlib.md5(b'x')\n", "import hashlib\n", "😀", "日本", "def f():\n    ", "\n", "x = 1\n", "(", "hashlib.sha256(d)\n"];
  let text = MD5_PY;
  const doc = new ct.Document("python", text);
  engine.analyze(doc);
  for (let step = 0; step < 300; step++) {
    // A random range on code-point boundaries (never splitting a surrogate pair).
    const cps = [...text];
    const a = rnd(cps.length + 1);
    const b = Math.min(cps.length, a + rnd(4));
    const start = cps.slice(0, a).join("").length;
    const end = cps.slice(0, b).join("").length;
    const insert = rnd(3) === 0 ? "" : pieces[rnd(pieces.length)];
    doc.edit(start, end, insert);
    text = text.slice(0, start) + insert + text.slice(end);
    if (rnd(3) === 0) continue; // sometimes several edits before an analysis
    engine.analyzeDelta(doc);
    const strip = (fs) => fs.map(({ id, ...rest }) => rest);
    const fresh = engine.analyze(new ct.Document("python", text));
    assert.deepEqual(strip(engine.findings(doc)), strip(fresh), `step ${step}: ${JSON.stringify(text)}`);
  }
  assert.equal(doc.text, text);
});

test("analyze and analyzeDelta check their argument", () => {
  throwsError(assert, () => engine.analyze(null), /./);
  throwsError(assert, () => engine.analyzeDelta("python"), /./);
  throwsError(assert, () => engine.findings(undefined), /./);
});
