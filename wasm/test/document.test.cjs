// Document: construction, UTF-16 edits (emoji surrogate pairs, CJK), argument checks, units.
const test = require("node:test");
const assert = require("node:assert/strict");
const { ct, throwsError } = require("./helpers.cjs");

test("construction: languages, aliases and getters", () => {
  const text = "def f(x):\n    return '日本😀'\n";
  const doc = new ct.Document("py", text);
  assert.equal(doc.language, "python");
  assert.equal(doc.text, text);
  assert.equal(doc.length, text.length, "length counts UTF-16 code units");
  assert.equal(doc.lineCount, 3);
  assert.equal(doc.hasSyntaxErrors, false);
  for (const lang of ct.languages()) assert.equal(new ct.Document(lang, "").language, lang);
  assert.equal(new ct.Document("C++", "int x;").language, "cpp");
  assert.equal(new ct.Document("python", "def (:\n").hasSyntaxErrors, true);
});

test("construction errors are Errors with clear messages", () => {
  throwsError(assert, () => new ct.Document("cobol", ""), /unknown language `cobol`/);
  throwsError(assert, () => new ct.Document(3, ""), /language must be a string, got number/);
  throwsError(assert, () => new ct.Document("python", null), /text must be a string, got object/);
  throwsError(assert, () => new ct.Document("python"), /text must be a string, got undefined/);
});

test("edit takes UTF-16 offsets: text after emoji and CJK stays in sync with JS strings", () => {
  let text = "s = '😀日本'\nt = 1\n";
  const doc = new ct.Document("python", text);
  const apply = (start, end, insert) => {
    doc.edit(start, end, insert);
    text = text.slice(0, start) + insert + text.slice(end);
    assert.equal(doc.text, text);
    assert.equal(doc.length, text.length);
  };
  apply(text.indexOf("t"), text.indexOf("t") + 1, "ü");           // after a surrogate pair
  apply(text.indexOf("日"), text.indexOf("日") + 1, "中文");        // replace CJK
  apply(text.indexOf("😀"), text.indexOf("😀") + 2, "👍🏽");          // replace a whole pair by two
  apply(0, 0, "# 🎉\n");
  apply(text.length, text.length, "u = 2\n");
  apply(0, text.length, "");
  assert.equal(doc.lineCount, 1);
});

test("edit refuses bad ranges, leaving the document unchanged", () => {
  const text = "x = '😀'\n";
  const doc = new ct.Document("python", text);
  const inside = text.indexOf("😀") + 1;
  throwsError(assert, () => doc.edit(inside, inside, "a"), /UTF-16 offset 6 falls inside a surrogate pair/);
  throwsError(assert, () => doc.edit(0, inside, "a"), /UTF-16 offset 6 falls inside a surrogate pair/);
  throwsError(assert, () => doc.edit(0, text.length + 1, ""), /range 0\.\.10 is out of bounds for a document of 9 UTF-16 code units/);
  throwsError(assert, () => doc.edit(3, 2, ""), /range 3\.\.2 is out of bounds/);
  throwsError(assert, () => doc.edit(-1, 0, ""), /edit start must be a non-negative integer offset, got -1/);
  throwsError(assert, () => doc.edit(1.5, 2, ""), /non-negative integer/);
  throwsError(assert, () => doc.edit(NaN, 2, ""), /non-negative integer/);
  throwsError(assert, () => doc.edit("1", 2, ""), /edit start must be a number, got string/);
  throwsError(assert, () => doc.edit(0, 0, 5), /edit text must be a string, got number/);
  throwsError(assert, () => doc.edit(0, 0), /edit text must be a string/);
  assert.equal(doc.text, text);
});

test("units have kinds, qualified names and UTF-16 ranges", () => {
  const text = "# ☃\nclass Store:\n    def key(self):\n        return '😀'\n";
  const doc = new ct.Document("python", text);
  const units = doc.units();
  assert.deepEqual(units.map((u) => [u.kind, u.name]), [["module", ""], ["class", "Store"], ["method", "Store.key"]]);
  const method = units[2];
  assert.equal(text.slice(method.start, method.end), "def key(self):\n        return '😀'");
  assert.deepEqual([method.start_line, method.end_line], [2, 3]);
  assert.match(method.id, /^[0-9a-f]{16}$/);
});

test("detectLanguage: by extension, else by a #! line, else undefined", () => {
  assert.equal(ct.detectLanguage("examples/project/python/store.py"), "python");
  assert.equal(ct.detectLanguage("src/Main.kt", "fun main() {}"), "kotlin");
  assert.equal(ct.detectLanguage("include/x.hpp"), "cpp");
  assert.equal(ct.detectLanguage("bin/tool", "#!/usr/bin/env python3\nprint('é')\n"), "python");
  assert.equal(ct.detectLanguage("bin/tool", "#!/usr/bin/env node\n"), "javascript");
  assert.equal(ct.detectLanguage("bin/tool", null), undefined);
  assert.equal(ct.detectLanguage("notes/日本語.txt", "plain text"), undefined);
  assert.equal(ct.detectLanguage("Makefile"), undefined);
  const ext = { python: "py", javascript: "js", typescript: "ts", tsx: "tsx", java: "java", kotlin: "kt", go: "go", rust: "rs", c: "c", cpp: "cpp" };
  for (const lang of ct.languages()) assert.equal(ct.detectLanguage(`src/x.${ext[lang]}`), lang);
  throwsError(assert, () => ct.detectLanguage(3), /path must be a string, got number/);
  throwsError(assert, () => ct.detectLanguage("a.py", 3), /text must be a string, got number/);
});

test("freed objects and wrong classes throw Errors, not traps", () => {
  const doc = new ct.Document("python", "x = 1\n");
  const engine = new ct.Engine(ct.Database.default());
  assert.throws(() => engine.analyze({}), Error);
  assert.throws(() => new ct.Engine(doc), Error);
  doc.free();
  assert.throws(() => doc.edit(0, 0, "y"), Error);
  assert.throws(() => engine.analyze(doc), Error);
});

test("a lone surrogate becomes U+FFFD without shifting offsets", () => {
  const text = "x = 'a\uD800b'\ny = 1\n";
  const doc = new ct.Document("python", text);
  assert.equal(doc.length, text.length);
  assert.equal(doc.text, text.replace("\uD800", "\uFFFD"));
  const at = text.indexOf("y");
  doc.edit(at, at + 1, "z");
  assert.equal(doc.text, "x = 'a\uFFFDb'\nz = 1\n");
});

test("guessLanguage: names the language a mislabelled text reads as, else undefined", () => {
  const java = "class Hasher {\n  // Prüfsumme ✓ 😀\n  byte[] d(byte[] x) throws Exception {\n    return java.security.MessageDigest.getInstance(\"MD5\").digest(x);\n  }\n}\n";
  const python = "import hashlib\n\ndef d(x):\n    \"\"\"Prüfsumme ✓ 😀\"\"\"\n    return hashlib.md5(x).hexdigest()\n";
  assert.equal(ct.guessLanguage(java, "python"), "java");
  assert.equal(ct.guessLanguage(python, "java"), "python");
  assert.equal(ct.guessLanguage(java, "java"), undefined, "the current language parses it");
  assert.equal(ct.guessLanguage(python), "python");
  assert.equal(ct.guessLanguage(""), undefined, "every grammar accepts empty text: no answer");
  throwsError(assert, () => ct.guessLanguage(java, "cobol"), /unknown language `cobol`/);
  throwsError(assert, () => ct.guessLanguage(3), /text must be a string, got number/);
});

test("a node budget: a step past it throws and changes nothing; null lifts it", () => {
  const text = "import hashlib\n\nclass Café:\n    def h(self, x):\n        return hashlib.md5(x)\n";
  const doc = new ct.Document("python", text);
  const engine = new ct.Engine(ct.Database.default());
  assert.equal(doc.nodeBudget, 40000000);
  doc.setNodeBudget(3);
  assert.equal(doc.nodeBudget, 3);
  throwsError(assert, () => engine.analyze(doc), /over its budget of 3 syntax nodes/);
  throwsError(assert, () => doc.edit(0, 0, "import os\n"), /over its budget of 3 syntax nodes/);
  assert.equal(doc.text, text);
  throwsError(assert, () => doc.setNodeBudget(-1), /maxNodes must be a non-negative integer/);
  doc.setNodeBudget(null);
  assert.equal(doc.nodeBudget, null);
  const found = engine.analyze(doc);
  assert.equal(found.filter((f) => f.pattern === "security.weak-hash.md5").length, 1);
});

test("a memory budget: an edit whose syntax tree would not fit throws before parsing", () => {
  const text = "import hashlib\n\nclass Café:\n    pass\n";
  const doc = new ct.Document("python", text);
  assert.equal(doc.memoryBudget, 64 * 1024 * 1024);
  // 200 bytes a token, counted before parsing: 20 tokens do not fit in 2,000 bytes.
  doc.setMemoryBudget(2000);
  assert.equal(doc.memoryBudget, 2000);
  throwsError(assert, () => doc.edit(0, 0, "é(1,2,3,4,5,6,7,8,9)\n"), /memory budget of 2000 bytes/);
  assert.equal(doc.text, text);
  throwsError(assert, () => doc.setMemoryBudget(-5), /maxBytes must be a non-negative integer/);
  doc.setMemoryBudget(null);
  assert.equal(doc.memoryBudget, null);
  doc.edit(0, 0, "é(1,2,3,4,5,6,7,8,9)\n");
  assert.ok(doc.text.startsWith("é(1,"));
});
