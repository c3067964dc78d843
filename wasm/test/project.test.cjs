// Project: design-pattern instances across documents, participants with roles and UTF-16
// places in non-ASCII text, replace/remove, typed errors and a freed project.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ct, throwsError } = require("./helpers.cjs");

const LISTENER = "// écouteur 日本 😀\nexport interface Listener { fired(n: number): void; }\n";
const LOGGER =
  "import { Listener } from './listener';\nexport class Logger implements Listener { fired(n: number): void {} }\n";
const BUTTON =
  "import { Listener } from './listener';\n" +
  "export class Button {\n" +
  "  private ls: Listener[] = [];\n" +
  "  add(l: Listener): void { this.ls.push(l); } remove(l: Listener): void { this.ls = this.ls.filter((x) => x !== l); }\n" +
  "  click(): void { for (const l of this.ls) { l.fired(1); } }\n" +
  "}\n";
const TEXTS = { "src/listener.ts": LISTENER, "src/logger.ts": LOGGER, "src/button.ts": BUTTON };

function observer() {
  const engine = new ct.Engine(ct.Database.default());
  engine.select(["design"]);
  const p = new ct.Project(engine);
  for (const [file, text] of Object.entries(TEXTS)) p.setDocument(file, text);
  return p;
}

test("instances name the pattern, its summary and every participant in UTF-16", () => {
  const p = observer();
  assert.deepEqual(p.paths, ["src/button.ts", "src/listener.ts", "src/logger.ts"]);
  const instances = p.instances();
  assert.equal(instances.length, 1);
  const [obs] = instances;
  assert.equal(obs.pattern, "design.gof.observer");
  assert.equal(obs.symbol, "Obr");
  assert.ok(obs.summary.length > 20);
  assert.match(obs.id, /^design\.gof\.observer@/);
  assert.deepEqual(
    obs.participants.map((q) => [q.role, q.unit, q.path]),
    [
      ["observer", "Listener", "src/listener.ts"],
      ["subject", "Button", "src/button.ts"],
      ["concrete-observer", "Logger", "src/logger.ts"],
    ],
  );
  const listener = obs.participants[0];
  // UTF-16 string indices of its own document (bytes and code points differ here).
  // (A TypeScript declaration starts at its keyword, after `export`.)
  assert.equal(listener.utf16.start, LISTENER.indexOf("interface Listener"));
  assert.ok(LISTENER.slice(listener.utf16.start, listener.utf16.end).startsWith("interface Listener {"));
  assert.notEqual(listener.utf16.start, listener.byte_start);
  assert.deepEqual([listener.utf16.start_line, listener.utf16.start_column], [1, 7]);
  assert.equal(listener.line, 2);
});

test("findings: one per participant, each linked to its instance and listing the others", () => {
  const p = observer();
  const found = p.findings();
  assert.deepEqual(found.map((f) => f.role), ["observer", "subject", "concrete-observer"]);
  assert.equal(new Set(found.map((f) => f.instance)).size, 1);
  for (const f of found) {
    const text = TEXTS[f.path];
    const kind = f.role === "observer" ? "interface" : "class";
    assert.ok(text.slice(f.utf16.start, f.utf16.end).startsWith(`${kind} ${f.unit}`), f.unit);
    assert.deepEqual(f.participants.map((q) => q.role), ["observer", "subject", "concrete-observer"]);
    const mine = f.participants.filter((q) => q.finding === f.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].role, f.role);
    assert.equal(mine[0].utf16.start, f.utf16.start);
    assert.deepEqual(f.captures, []);
  }
  // The required keys of core's schemas are there.
  const schemaDir = path.join(__dirname, "..", "..", "core", "schema");
  const finding = JSON.parse(fs.readFileSync(path.join(schemaDir, "finding.schema.json"), "utf8"));
  for (const key of finding.required) assert.ok(key in found[0], key);
  const instance = JSON.parse(fs.readFileSync(path.join(schemaDir, "instance.schema.json"), "utf8"));
  for (const key of instance.required) assert.ok(key in p.instances()[0], key);
});

test("replacing and removing documents changes only their contribution", () => {
  const p = observer();
  p.setDocument("src/logger.ts", "export class Logger { fired(n: number): void {} }\n");
  assert.deepEqual(p.instances()[0].participants.map((q) => q.role), ["observer", "subject"]);
  assert.equal(p.removeDocument("src/listener.ts"), true);
  assert.equal(p.removeDocument("src/listener.ts"), false);
  assert.deepEqual(p.instances(), []);
  assert.deepEqual(p.findings(), []);
  p.setDocument("src/listener.ts", LISTENER, "typescript");
  p.setDocument("src/logger.ts", LOGGER);
  assert.equal(p.instances()[0].participants.length, 3);
});

test("errors are thrown Errors; a freed project cannot be used", () => {
  const p = new ct.Project(new ct.Engine(ct.Database.default()));
  throwsError(assert, () => p.setDocument("notes.unknown", "x"), /unknown language/);
  throwsError(assert, () => p.setDocument("a.ts", "x", "cobol"), /cobol/);
  throwsError(assert, () => p.setDocument("", "x", "java"), /path is empty/);
  throwsError(assert, () => p.setDocument(42, "x"), /path must be a string/);
  assert.deepEqual(p.paths, []);
  p.free();
  assert.throws(() => p.paths);
  assert.throws(() => p.instances());
});
