// The cross-host scan check: tests/golden/scan.jsonl is `codetable scan --format json
// examples/project` (the CLI). Scanning the same files through this package — language detected,
// a Document opened, analysed, its findings as JSON Lines with the file's path — must give the
// same bytes: every host serialises findings with core's one record type.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ct } = require("./helpers.cjs");

const root = path.join(__dirname, "..", "..");
const golden = fs.readFileSync(path.join(root, "tests", "golden", "scan.jsonl"), "utf8");

test("scanning the golden files gives the CLI's JSON Lines byte for byte", () => {
  const lines = golden.split("\n").filter((l) => l !== "");
  assert.ok(lines.length >= 3, `${lines.length} findings in scan.jsonl`);
  const paths = [...new Set(lines.map((l) => JSON.parse(l).path))];
  assert.ok(paths.length >= 2, JSON.stringify(paths));
  const engine = new ct.Engine(ct.Database.default());
  let out = "";
  for (const p of paths) {
    const text = fs.readFileSync(path.join(root, p), "utf8");
    const language = ct.detectLanguage(p, text);
    assert.ok(language, `no language detected for ${p}`);
    const doc = new ct.Document(language, text);
    engine.analyze(doc);
    const json = engine.findingsJson(doc, p);
    // The objects are the same records (plus their UTF-16 span).
    const objects = engine.findings(doc, p).map(({ utf16, ...record }) => record);
    assert.deepEqual(json.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l)), objects, p);
    out += json;
    doc.free();
  }
  assert.equal(out, golden);
});
