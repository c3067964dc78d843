// Robustness: random edits of random text in every language never throw (a wasm trap would
// surface as a WebAssembly.RuntimeError) and the document always equals the JavaScript model.
const test = require("node:test");
const assert = require("node:assert/strict");
const { ct } = require("./helpers.cjs");

const PIECES = [
  "(", ")", "{", "}", "[", "]", "\"", "'", "`", "\\", "/*", "*/", "//", "#", "\n", "\r\n", "\t", "\0",
  "😀", "👍🏽", "日本語", "é", " ", ";", ":", "=", "def ", "fn ", "class ", "func ", "import x\n",
  "hashlib.md5(b'x')", "md5.Sum(b)", "crypto.createHash('md5')", "<div>", "</div>", "template<", "unsafe {",
];

test("random edits in every language: no exception, text stays in sync", () => {
  const engine = new ct.Engine(ct.Database.default());
  let seed = 987654321;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  for (const lang of ct.languages()) {
    let text = "";
    const doc = new ct.Document(lang, text);
    engine.analyze(doc);
    for (let step = 0; step < 120; step++) {
      const cps = [...text];
      const a = rnd(cps.length + 1);
      const b = Math.min(cps.length, a + rnd(6));
      const start = cps.slice(0, a).join("").length;
      const end = cps.slice(0, b).join("").length;
      let insert = "";
      for (let k = rnd(4); k > 0; k--) insert += PIECES[rnd(PIECES.length)];
      doc.edit(start, end, insert);
      text = text.slice(0, start) + insert + text.slice(end);
      const c = engine.analyzeDelta(doc);
      assert.ok(Array.isArray(c.added) && Array.isArray(c.updated) && Array.isArray(c.removed));
      for (const f of engine.findings(doc)) {
        const u = f.utf16;
        assert.ok(0 <= u.start && u.start <= u.end && u.end <= text.length, `${lang}: ${JSON.stringify(f)}`);
        assert.equal(f.language, lang);
      }
    }
    assert.equal(doc.text, text, lang);
    assert.equal(doc.length, text.length, lang);
    doc.units();
  }
});
