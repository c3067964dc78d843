// The browser build (ES module, pkg/web) also runs in Node when handed the .wasm bytes: this
// checks the module that the playground and bundlers load, not only the Node build.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const dir = new URL("../pkg/web/", import.meta.url);
const web = await import(new URL("codetable_wasm.js", dir));

test("web build: initSync with the module bytes, then analyze", () => {
  web.initSync({ module: readFileSync(new URL("codetable_wasm_bg.wasm", dir)) });
  const engine = new web.Engine(web.Database.default());
  const text = '# 😀\nimport hashlib\nhashlib.md5(b"x")\n';
  const doc = new web.Document("python", text);
  const [f] = engine.analyze(doc);
  assert.equal(f.symbol, "Md");
  assert.equal(f.pattern, "security.weak-hash.md5");
  assert.equal(f.utf16.start, text.indexOf("hashlib.md5"));
  assert.equal(f.line, 3);
  const { utf16, ...record } = engine.findings(doc, "a.py")[0];
  assert.deepEqual(JSON.parse(engine.findingsJson(doc, "a.py")), record);
  assert.equal(web.detectLanguage("a.py"), "python");
});

const DECLS = [
    "export class Database", "export class Engine", "export class Document",
    "export interface Finding", "export interface PatternSheet", "export interface FindingChanges",
    "export interface Utf16Span", "common_issues: string[]", 'expect: "match" | "no-match"',
    "updated: Finding[]", "utf16: Utf16Span",
    "analyze(doc: Document): Finding[]", "analyzeDelta(doc: Document): FindingChanges",
    "findings(doc: Document, path?: string | null): Finding[] | undefined",
    "findingsJson(doc: Document, path?: string | null): string | undefined",
    "patternJson(n: number): string",
    "patternMarkdown(n: number): string",
    "export function detectLanguage(path: string, text?: string | null): LanguageName | undefined",
    "static fromBytes(bytes: Uint8Array | ArrayBuffer): Database",
    "edit(start: number, end: number, text: string): void",
    "export class Project", "export interface DesignInstance", "export interface DesignParticipant",
    "instances(): DesignInstance[]", "participants?: DesignParticipant[]",
];

test("node build: types are declared for every class and result", () => {
  const dts = readFileSync(new URL("../pkg/node/codetable_wasm.d.ts", import.meta.url), "utf8");
  for (const decl of DECLS) assert.ok(dts.includes(decl), `missing in the node .d.ts: ${decl}`);
});

test("web build: types are declared for every class and result", () => {
  const dts = readFileSync(new URL("codetable_wasm.d.ts", dir), "utf8");
  for (const decl of [
    ...DECLS,
    "export default function __wbg_init",
  ]) {
    assert.ok(dts.includes(decl), `missing in the .d.ts: ${decl}`);
  }
});
