// Engine: analyze, analyzeDelta (added/updated/removed), findings and their JSON Lines, with
// UTF-16 spans in non-ASCII text.
const test = require("node:test");
const assert = require("node:assert/strict");
const { ct, MD5_PY, throwsError } = require("./helpers.cjs");

const engine = new ct.Engine(ct.Database.default());
const EMPTY = { added: [], updated: [], removed: [] };

test("analyze: the md5 finding is core's record plus its UTF-16 span", () => {
  const text = `# 日本語 😀 comment\n${MD5_PY}`;
  const doc = new ct.Document("python", text);
  const findings = engine.analyze(doc);
  assert.equal(findings.length, 1);
  const f = findings[0];
  assert.equal(Object.getPrototypeOf(f), Object.prototype);
  assert.equal(f.pattern, "security.weak-hash.md5");
  assert.equal(f.symbol, "Md");
  assert.equal(f.name, "MD5 hash");
  assert.equal(f.group, "security");
  assert.equal(f.severity, "high");
  assert.equal(f.language, "python");
  assert.equal(f.score, 1);
  assert.deepEqual(f.cwe, [327, 328]);
  assert.deepEqual(f.owasp, ["A02:2021"]);
  assert.equal(f.path, null);
  assert.equal(f.unit, "");
  assert.equal(f.snippet, 'hashlib.md5(b"x")');
  assert.equal(typeof f.key_property, "string");
  // 1-based line and code-point column; UTF-8 bytes.
  assert.deepEqual([f.line, f.column, f.end_line, f.end_column], [3, 1, 3, 18]);
  assert.equal(f.byte_start, Buffer.byteLength(text.slice(0, text.indexOf("hashlib.md5"))));
  assert.equal(f.byte_end - f.byte_start, 'hashlib.md5(b"x")'.length);
  // Zero-based, UTF-16.
  const u = f.utf16;
  assert.equal(u.start, text.indexOf("hashlib.md5"));
  assert.equal(text.slice(u.start, u.end), 'hashlib.md5(b"x")');
  assert.deepEqual([u.start_line, u.start_column, u.end_line, u.end_column], [2, 0, 2, 17]);
  assert.match(f.id, /^[0-9a-f]{16}$/);
  assert.deepEqual(engine.findings(doc), findings);
});

test("columns: UTF-16 in utf16, code points in the record, on a line with emoji", () => {
  const text = 'import hashlib\nx = "😀😀"; y = hashlib.new("md5", b"é")\n';
  const doc = new ct.Document("python", text);
  const [f] = engine.analyze(doc);
  const line = text.split("\n")[1];
  assert.equal(f.utf16.start, text.indexOf("hashlib.new"));
  assert.equal(f.utf16.start_column, line.indexOf("hashlib"));
  assert.equal(f.column, [...line.slice(0, line.indexOf("hashlib"))].length + 1);
  assert.equal(f.utf16.start_column - (f.column - 1), 2, "two emoji: two more UTF-16 units");
  assert.equal(text.slice(f.utf16.start, f.utf16.end), 'hashlib.new("md5", b"é")');
  assert.equal(f.utf16.end_column, line.length);
  const i = f.captures.findIndex((c) => c.name === "$NAME");
  assert.ok(i >= 0, JSON.stringify(f.captures));
  assert.equal(f.captures[i].text, '"md5"');
  assert.equal(f.utf16.captures.length, f.captures.length);
  const span = f.utf16.captures[i];
  assert.equal(text.slice(span.start, span.end), '"md5"');
  const bytes = Buffer.from(text);
  assert.equal(bytes.subarray(f.captures[i].byte_start, f.captures[i].byte_end).toString(), '"md5"');
});

test("findingsJson: one core record per line, the objects minus utf16; path as given", () => {
  const text = `# ☃\n${MD5_PY}import hashlib as h\nd = h.sha256(b"")\n`;
  const doc = new ct.Document("python", text);
  assert.equal(engine.findingsJson(doc), undefined, "no analysis yet");
  assert.equal(engine.findings(doc), undefined, "no analysis yet");
  engine.analyze(doc);
  const json = engine.findingsJson(doc, "./src/app.py");
  assert.ok(json.endsWith("\n"));
  const lines = json.split("\n").slice(0, -1);
  const objects = engine.findings(doc, "./src/app.py");
  assert.equal(lines.length, objects.length);
  assert.ok(lines.length >= 2, json);
  lines.forEach((l, i) => {
    const { utf16, ...record } = objects[i];
    assert.deepEqual(JSON.parse(l), record);
    assert.equal(record.path, "src/app.py", "a leading ./ is dropped");
    // The keys in the record's (sorted) order, as the CLI prints them.
    const keys = Object.keys(JSON.parse(l));
    assert.deepEqual(keys, [...keys].sort());
  });
  assert.equal(engine.findingsJson(doc, null), engine.findingsJson(doc));
  assert.match(engine.findingsJson(doc), /"path":null/);
  throwsError(assert, () => engine.findingsJson(doc, 3), /path must be a string, got number/);
  throwsError(assert, () => engine.findings(doc, {}), /path must be a string, got object/);
});

test("every language with md5 examples finds it; sha256 is a different pattern", () => {
  const cases = {
    javascript: "const crypto = require('crypto');\nconst d = crypto.createHash('md5').update(b).digest('hex');\n",
    java: 'import java.security.MessageDigest;\nclass H { byte[] h(byte[] b) throws Exception { return MessageDigest.getInstance("MD5").digest(b); } }\n',
    kotlin: 'import java.security.MessageDigest\nfun h(b: ByteArray): ByteArray = MessageDigest.getInstance("MD5").digest(b)\n',
    go: 'package main\n\nimport "crypto/md5"\n\nfunc sum(b []byte) [16]byte {\n\treturn md5.Sum(b)\n}\n',
  };
  for (const [lang, code] of Object.entries(cases)) {
    const found = engine.analyze(new ct.Document(lang, code));
    assert.ok(found.some((f) => f.pattern === "security.weak-hash.md5"), `${lang}: ${found.map((f) => f.pattern)}`);
    assert.ok(found.every((f) => f.language === lang));
  }
  const sha = engine.analyze(new ct.Document("python", "import hashlib\nhashlib.sha256(b'x')\n"));
  assert.ok(!sha.some((f) => f.symbol === "Md"));
});

test("analyzeDelta: typing the pattern adds it, edits move it, deleting removes it", () => {
  const doc = new ct.Document("python", "# ✓ start\n");
  assert.deepEqual(engine.analyze(doc), []);
  let text = doc.text;
  // Type the code one character at a time, analysing after each keystroke; the page's view
  // (added and updated replace by id, removed delete) always equals the engine's findings.
  const shown = new Map();
  for (const ch of MD5_PY) {
    doc.edit(text.length, text.length, ch);
    text += ch;
    const c = engine.analyzeDelta(doc);
    for (const f of c.removed) assert.ok(shown.delete(f.id), `removed ${f.id} was never shown`);
    for (const f of c.updated) assert.ok(shown.has(f.id), `updated ${f.id} was never shown`);
    for (const f of [...c.added, ...c.updated]) shown.set(f.id, f);
    assert.deepEqual([...shown.keys()].sort(), engine.findings(doc).map((f) => f.id).sort());
  }
  let current = engine.findings(doc);
  assert.equal(current.length, 1);
  assert.equal(current[0].symbol, "Md");
  assert.equal(text.slice(current[0].utf16.start, current[0].utf16.end), 'hashlib.md5(b"x")');
  // An edit before it (with a surrogate pair): the module's code is matched again and the
  // finding keeps its identity; it only moved (by 2 + 1), so core's delta does not list it
  // (updated is for findings changed beyond shifting with the edits).
  const before = current[0];
  doc.edit(0, 0, "😀\n");
  text = "😀\n" + text;
  assert.equal(doc.hasPendingEdits, true);
  throwsError(assert, () => engine.findings(doc), /edited since its last analysis/);
  throwsError(assert, () => engine.findingsJson(doc), /edited since its last analysis/);
  assert.deepEqual(engine.analyzeDelta(doc), EMPTY);
  current = engine.findings(doc);
  assert.equal(current.length, 1);
  assert.equal(current[0].id, before.id, "identity survives an edit elsewhere");
  assert.equal(current[0].utf16.start, before.utf16.start + 3);
  assert.equal(current[0].utf16.start_line, before.utf16.start_line + 1);
  assert.equal(current[0].line, before.line + 1);
  // Nothing pending: an empty delta.
  assert.deepEqual(engine.analyzeDelta(doc), EMPTY);
  // Change the call's argument: the same finding, its code edited (its snippet changed), so it
  // is listed as updated with its stretched range.
  const arg = text.indexOf('b"x"');
  doc.edit(arg, arg + 4, 'b"日本"');
  text = text.slice(0, arg) + 'b"日本"' + text.slice(arg + 4);
  const inside = engine.analyzeDelta(doc);
  assert.deepEqual([inside.added, inside.removed], [[], []]);
  assert.equal(inside.updated.length, 1);
  assert.equal(inside.updated[0].id, before.id);
  assert.equal(inside.updated[0].snippet, 'hashlib.md5(b"日本")');
  const [stretched] = engine.findings(doc);
  assert.equal(stretched.id, before.id);
  assert.equal(text.slice(stretched.utf16.start, stretched.utf16.end), 'hashlib.md5(b"日本")');
  // Delete the call: it is removed, reported at its (mapped) old place.
  const at = text.indexOf("hashlib.md5");
  doc.edit(at, text.length, "");
  const c = engine.analyzeDelta(doc);
  assert.deepEqual([c.added, c.updated], [[], []]);
  assert.equal(c.removed.length, 1);
  assert.equal(c.removed[0].id, before.id);
  assert.equal(c.removed[0].utf16.start, at);
  assert.equal(c.removed[0].utf16.end, at);
  assert.deepEqual(engine.findings(doc), []);
});

test("analyzeDelta: a changed capture updates the finding in place", () => {
  let text = '# 日本\nimport hashlib\nhashlib.new("md5", b"x")\n';
  const doc = new ct.Document("python", text);
  const [before] = engine.analyze(doc);
  assert.deepEqual(before.captures.map((c) => [c.name, c.text]), [["$NAME", '"md5"']]);
  const at = text.indexOf('"md5"');
  doc.edit(at, at + 5, "'MD5'");
  text = text.slice(0, at) + "'MD5'" + text.slice(at + 5);
  const u = engine.analyzeDelta(doc);
  assert.deepEqual([u.added, u.removed], [[], []]);
  assert.deepEqual(u.updated.map((f) => f.id), [before.id]);
  assert.deepEqual(u.updated[0].captures.map((c) => c.text), ["'MD5'"]);
  assert.deepEqual(u.updated, engine.findings(doc));
  assert.equal(text.slice(u.updated[0].utf16.start, u.updated[0].utf16.end), "hashlib.new('MD5', b\"x\")");
});

test("analyzeDelta: typing inside one function leaves the finding of a later one to move", () => {
  let text = 'import hashlib\n\ndef f(a):\n    return a + 1\n\ndef g():\n    return hashlib.md5(b"x")\n';
  const doc = new ct.Document("python", text);
  const [before] = engine.analyze(doc);
  const at = text.indexOf("a + 1");
  doc.edit(at, at, "'日本😀' * ");
  text = text.slice(0, at) + "'日本😀' * " + text.slice(at);
  assert.deepEqual(engine.analyzeDelta(doc), EMPTY, "only f was matched again");
  const [after] = engine.findings(doc);
  assert.equal(after.id, before.id);
  assert.equal(after.unit, "g");
  assert.equal(after.utf16.start, before.utf16.start + "'日本😀' * ".length);
  assert.equal(after.byte_start, before.byte_start + Buffer.byteLength("'日本😀' * "));
  assert.equal(text.slice(after.utf16.start, after.utf16.end), 'hashlib.md5(b"x")');
});

test("analyzeDelta without a previous analysis reports everything as added", () => {
  const doc = new ct.Document("python", MD5_PY);
  const c = engine.analyzeDelta(doc);
  assert.equal(c.added.length, 1);
  assert.deepEqual([c.updated, c.removed], [[], []]);
  // A second Engine over the same Database is the same engine: nothing to redo.
  const again = new ct.Engine(engine.database);
  assert.deepEqual(again.analyzeDelta(doc), EMPTY);
  // An engine over another database analyses afresh: its findings are added, the other's removed
  // (the same catalog gives the same identities).
  const other = new ct.Engine(ct.Database.default());
  throwsError(assert, () => other.findings(doc), /analysed by an engine over another Database/);
  throwsError(assert, () => other.findingsJson(doc), /analysed by an engine over another Database/);
  doc.edit(0, 0, "\n");
  const d = other.analyzeDelta(doc);
  assert.deepEqual([d.added.length, d.updated.length, d.removed.length], [1, 0, 1], JSON.stringify(d));
  assert.equal(d.added[0].id, d.removed[0].id);
  assert.equal(d.removed[0].utf16.start, MD5_PY.indexOf("hashlib.md5") + 1, "mapped into the current text");
  assert.equal(other.findings(doc)[0].utf16.start, MD5_PY.indexOf("hashlib.md5") + 1);
  throwsError(assert, () => engine.findings(doc), /another Database/);
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

test("analyze, analyzeDelta and findings check their arguments", () => {
  throwsError(assert, () => engine.analyze(null), /./);
  throwsError(assert, () => engine.analyzeDelta("python"), /./);
  throwsError(assert, () => engine.findings(undefined), /./);
  throwsError(assert, () => engine.findingsJson({}), /./);
});

test("a finding's fix: core's edit in bytes, and its UTF-16 range in utf16.fix", () => {
  const text = "import yaml\n# 😀\ndef r(f):\n    return ('😀é', yaml.load(f))\n";
  const doc = new ct.Document("python", text);
  const [f] = engine.analyze(doc).filter((x) => x.pattern === "security.deserialization.yaml-load");
  assert.equal(f.fix.replacement, "yaml.safe_load(f)");
  const bytes = Buffer.from(text, "utf8");
  assert.equal(bytes.subarray(f.fix.byte_start, f.fix.byte_end).toString(), "yaml.load(f)");
  assert.equal(text.slice(f.utf16.fix.start, f.utf16.fix.end), "yaml.load(f)");
  const fixed = text.slice(0, f.utf16.fix.start) + f.fix.replacement + text.slice(f.utf16.fix.end);
  assert.ok(fixed.endsWith("return ('😀é', yaml.safe_load(f))\n"));
  const plain = new ct.Document("python", "import hashlib as h\nh.md5(b'x')\n");
  const [g] = engine.analyze(plain);
  assert.equal(g.fix, undefined);
  assert.equal(g.utf16.fix, undefined);
});
