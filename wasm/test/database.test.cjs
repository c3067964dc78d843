// Database: the embedded catalog, databases from bytes (verified), lookups and property sheets.
const test = require("node:test");
const assert = require("node:assert/strict");
const { ct, catalogBytes, throwsError } = require("./helpers.cjs");
const fs = require("node:fs");
const path = require("node:path");

test("default catalog: length, lookups by id, symbol and prefix", () => {
  const db = ct.Database.default();
  assert.ok(db.length >= 2, `length ${db.length}`);
  const md5 = db.byId("security.weak-hash.md5");
  assert.equal(md5.symbol, "Md");
  assert.equal(md5.severity, "high");
  assert.equal(db.bySymbol("Md").id, "security.weak-hash.md5");
  assert.equal(db.byId("no.such.pattern"), undefined);
  assert.equal(db.bySymbol("md"), undefined, "symbols are case-sensitive");
  const hits = db.search("security.weak");
  assert.ok(Array.isArray(hits) && hits.includes(md5.number), JSON.stringify(hits));
  assert.deepEqual(db.search("zzz-nothing"), []);
});

test("property sheet is core's PatternSheet as a plain object (snake_case keys)", () => {
  const db = ct.Database.default();
  const p = db.byId("security.weak-hash.md5");
  assert.equal(Object.getPrototypeOf(p), Object.prototype);
  assert.equal(p.name, "MD5 hash");
  assert.equal(p.group, "security");
  assert.deepEqual(p.cwe, [327, 328]);
  assert.deepEqual(p.owasp, ["A02:2021"]);
  assert.deepEqual(p.alternatives, ["security.strong-hash.sha256"]);
  assert.equal(p.common_issues.length, 2);
  assert.equal(typeof p.key_property, "string");
  assert.match(p.summary, /collisions/);
  assert.deepEqual(p.properties.map((q) => q.kind), ["security", "maintainability"]);
  assert.ok(p.properties[0].evidence[0].startsWith("https://"));
  assert.ok(p.languages.includes("python") && p.languages.includes("go"));
  assert.equal(p.matcher.kind, "rule");
  assert.equal(p.matcher.rules[0].pattern, "hashlib.md5($$$ARGS)");
  assert.deepEqual(Object.keys(p.matcher.rules[0]).sort(), ["inside", "language", "not_inside", "pattern", "where"]);
  assert.ok(p.examples.some((e) => e.expect === "match") && p.examples.some((e) => e.expect === "no-match"));
  assert.deepEqual(JSON.parse(JSON.stringify(p)), p, "JSON round trip");
  assert.deepEqual(db.pattern(p.number), p);
});

test("patternJson is core's JSON text of the sheet, equal to the object", () => {
  const db = ct.Database.default();
  const kinds = new Set();
  for (let n = 0; n < db.length; n++) {
    const json = db.patternJson(n);
    assert.equal(typeof json, "string");
    const p = db.pattern(n);
    assert.deepEqual(JSON.parse(json), p, `pattern ${n}`);
    kinds.add(p.matcher.kind);
    if (p.matcher.kind === "shape") {
      // Thresholds are core's f32 values as JSON prints them (0.8, not 0.800000011920929).
      assert.ok(json.includes(`"threshold":${p.matcher.threshold}`), json);
      assert.ok(Array.isArray(p.matcher.require) && Array.isArray(p.matcher.exclude));
    }
  }
  assert.deepEqual([...kinds].sort(), ["rule", "shape"]);
  throwsError(assert, () => db.patternJson(db.length), /out of range/);
  throwsError(assert, () => db.patternJson("1"), /must be a number, got string/);
});

test("patternMarkdown is core's Markdown rendering of the sheet", () => {
  const db = ct.Database.default();
  const md5 = db.byId("security.weak-hash.md5");
  const md = db.patternMarkdown(md5.number);
  assert.equal(md.split("\n")[0], "**Md** · **MD5 hash** · `security.weak-hash.md5`");
  assert.ok(md.includes("\nsecurity · severity **high** · python"), md);
  assert.ok(md.includes("[CWE-327](https://cwe.mitre.org/data/definitions/327.html)"), md);
  assert.ok(md.includes("OWASP A02:2021"), md);
  assert.ok(md.includes("\n#### Properties\n\n- **security**: "), md);
  assert.ok(md.includes("\n#### Alternatives\n\n- `security.strong-hash.sha256`\n"), md);
  assert.ok(md.endsWith("\n"));
  // Every sheet: its id, one bullet per property, and plain-prose dunders escaped.
  let dunders = 0;
  for (let n = 0; n < db.length; n++) {
    const p = db.pattern(n);
    const text = db.patternMarkdown(n);
    assert.ok(text.includes(`\`${p.id}\``), p.id);
    assert.equal(text.split("\n").filter((l) => l.startsWith("- **")).length, p.properties.length, p.id);
    if (p.properties.some((q) => q.text.includes("__") && !q.text.includes("`"))) {
      dunders++;
      assert.ok(text.includes("\\_\\_"), p.id);
    }
  }
  assert.ok(dunders > 0, "some property names a dunder in plain prose");
  throwsError(assert, () => db.patternMarkdown(db.length), /out of range/);
  throwsError(assert, () => db.patternMarkdown(-1), /non-negative integer/);
  throwsError(assert, () => db.patternMarkdown("0"), /must be a number, got string/);
});

test("patterns() lists every sheet in number order; pattern(n) checks its argument", () => {
  const db = ct.Database.default();
  const all = db.patterns();
  assert.equal(all.length, db.length);
  all.forEach((p, i) => assert.equal(p.number, i));
  assert.equal(new Set(all.map((p) => p.symbol)).size, all.length, "symbols are unique");
  for (const p of all) assert.ok(ct.groups().includes(p.group), p.group);
  throwsError(assert, () => db.pattern(db.length), /out of range/);
  throwsError(assert, () => db.pattern(-1), /non-negative integer/);
  throwsError(assert, () => db.pattern(0.5), /non-negative integer/);
  throwsError(assert, () => db.pattern("0"), /must be a number, got string/);
  throwsError(assert, () => db.byId(42), /pattern id must be a string/);
  throwsError(assert, () => db.bySymbol(null), /must be a string/);
  throwsError(assert, () => db.search(undefined), /must be a string/);
});

test("groups, languages and version", () => {
  assert.deepEqual(ct.groups(), [
    "security", "reliability", "performance", "concurrency", "maintainability", "design", "idiom",
  ]);
  assert.deepEqual(ct.languages(), [
    "python", "javascript", "typescript", "tsx", "java", "kotlin", "go", "rust", "c", "cpp",
  ]);
  assert.match(ct.version(), /^\d+\.\d+\.\d+/);
});

test("fromBytes accepts a Uint8Array or an ArrayBuffer of a valid database", () => {
  const bytes = catalogBytes();
  const a = ct.Database.fromBytes(bytes);
  assert.ok(a.length >= 2, `${a.length} patterns`);
  assert.equal(a.patterns().length, a.length);
  assert.equal(a.bySymbol("Md").id, "security.weak-hash.md5");
  const copy = bytes.slice().buffer;
  const b = ct.Database.fromBytes(copy);
  assert.equal(b.byId("security.weak-hash.md5").symbol, "Md");
  // The bytes are copied: changing the caller's array afterwards changes nothing.
  bytes.fill(0);
  assert.equal(a.bySymbol("Md").id, "security.weak-hash.md5");
});

test("fromBytes rejects wrong types, non-databases, truncation and corruption with Errors", () => {
  const good = catalogBytes();
  throwsError(assert, () => ct.Database.fromBytes("CODETBL1"), /expects a Uint8Array or an ArrayBuffer/);
  throwsError(assert, () => ct.Database.fromBytes([1, 2, 3]), /expects a Uint8Array/);
  throwsError(assert, () => ct.Database.fromBytes(new Uint8Array(0)), /not a codetable pattern database/);
  throwsError(assert, () => ct.Database.fromBytes(new TextEncoder().encode("hello world, not a db")), /not a codetable pattern database/);
  throwsError(assert, () => ct.Database.fromBytes(good.slice(0, good.length - 9)), /database/);
  throwsError(assert, () => ct.Database.fromBytes(good.slice(0, 200)), /database/);
  // Flip one byte in ~1000 places: every corruption is detected and is an Error, never a trap.
  let rejected = 0;
  let tried = 0;
  for (let at = 0; at < good.length; at += Math.max(1, Math.floor(good.length / 997))) {
    tried++;
    const bad = good.slice();
    bad[at] ^= 0x5a;
    try {
      ct.Database.fromBytes(bad);
    } catch (e) {
      assert.ok(e instanceof Error);
      assert.match(e.message, /database|checksum|corrupt/i, e.message);
      rejected++;
    }
  }
  assert.equal(rejected, tried, "every flipped byte is detected");
  // The module is still alive after all those errors.
  assert.equal(ct.Database.fromBytes(good).bySymbol("Md").symbol, "Md");
});

test("crafted databases with recomputed checksums throw Errors, never trap (issue #20)", () => {
  const good = catalogBytes();
  const view = new DataView(good.buffer, good.byteOffset, good.byteLength);
  const sections = [];
  for (let i = 0; i < 8; i++) {
    const at = 32 + i * 24;
    sections.push([Number(view.getBigUint64(at + 8, true)), Number(view.getBigUint64(at + 16, true))]);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  // The root nodes of both FSTs (features, names) set to extremes, section checksums recomputed:
  // before the structural check at open these panicked inside `fst`, a trap in wasm.
  let rejected = 0;
  for (const s of [0, 2]) {
    const [off, len] = sections[s];
    for (let k = 21; k < 27; k++) {
      for (const value of [0xff, 0x00, 0x3f, 0xc0]) {
        const bad = good.slice();
        bad[off + len - k] = value;
        const out = new DataView(bad.buffer, bad.byteOffset, bad.byteLength);
        const footer = bad.length - 56;
        sections.forEach(([o, l], i) => out.setUint32(footer + i * 4, crc32(bad.subarray(o, o + l)), true));
        try {
          const db = ct.Database.fromBytes(bad);
          db.search("s");
          db.byId("security.weak-hash.md5");
        } catch (e) {
          assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), String(e));
          assert.match(e.message, /corrupt pattern database/, e.message);
          rejected++;
        }
      }
    }
  }
  assert.ok(rejected > 0);
  // The module is still alive.
  assert.equal(ct.Database.fromBytes(good).bySymbol("Md").symbol, "Md");
});

test("search finds words, typos, CWEs and OWASP categories, best first", () => {
  const db = ct.Database.default();
  const ids = (q) => db.search(q).map((n) => db.pattern(n).id);
  const injection = ids("injection");
  assert.ok(injection.includes("security.sql-injection.string-built"), injection.join());
  assert.ok(ids("INJCETION").includes("security.sql-injection.string-built"), "a typo, in capitals");
  assert.equal(ids("md5")[0], "security.weak-hash.md5");
  const cwe = ids("CWE-89");
  assert.ok(cwe.length >= 1);
  assert.deepEqual(ids("89"), cwe);
  for (const id of cwe) assert.ok(db.byId(id).cwe.includes(89), id);
  assert.ok(ids("a02").includes("security.weak-hash.md5"));
});

test("withLayer stacks a team's rules (codetable db build --user) over the catalog", () => {
  // Built by `make wasm-test` from examples/rules.
  const rulesPath = path.join(__dirname, "..", "..", "target", "wasm-test", "rules.ctdb");
  const rules = ct.Database.fromBytes(new Uint8Array(fs.readFileSync(rulesPath)));
  const base = ct.Database.default();
  const db = base.withLayer(rules);
  assert.equal(db.layers, 2);
  assert.equal(db.length, base.length + rules.length);
  const print = db.byId("house.debug.print-call");
  assert.ok(print.number >= base.length);
  assert.equal(print.symbol, "");
  assert.equal(db.search("console")[0], db.byId("house.debug.console-log").number);
  // Both databases are left as they were; the same rules twice collide.
  assert.equal(base.layers, 1);
  assert.equal(rules.layers, 1);
  throwsError(assert, () => db.withLayer(rules), /house\.debug\..* is in two layers/);
  const engine = new ct.Engine(db);
  const doc = new ct.Document("python", "import hashlib\n# « débogage »\nprint(hashlib.md5(b'x'))\n");
  const found = engine.analyze(doc).map((f) => f.pattern);
  assert.ok(found.includes("house.debug.print-call") && found.includes("security.weak-hash.md5"), found.join());
});
