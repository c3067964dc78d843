// The analysis worker: owns the wasm engine and one Document, applies the editor's changes in
// UTF-16 offsets and answers each with the current findings and the time the analysis took.
// Typing never waits on it: the page keeps editing while the worker catches up.
import init, { Database, Document, Engine, groups, languages, version } from "codetable-wasm";
import wasmUrl from "codetable-wasm/codetable_wasm_bg.wasm?url";
import type { FromWorker, ToWorker } from "./protocol";

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

let engine: Engine | undefined;
let doc: Document | undefined;
const queue: ToWorker[] = [];

function handle(m: ToWorker) {
  if (!engine) return;
  const t0 = performance.now();
  try {
    let added = 0;
    let removed = 0;
    let t1 = t0;
    if (m.type === "open") {
      doc?.free();
      doc = new Document(m.language, m.text);
      t1 = performance.now();
      added = engine.analyze(doc).length;
    } else {
      if (!doc) throw new Error("edit before open");
      for (const [from, to, insert] of m.changes) doc.edit(from, to, insert);
      t1 = performance.now();
      const c = engine.analyzeDelta(doc);
      added = c.added.length;
      removed = c.removed.length;
    }
    const t2 = performance.now();
    const findings = engine.findings(doc);
    const t3 = performance.now();
    post({
      type: "findings", version: m.version, findings, added, removed,
      editMs: t1 - t0, analyzeMs: t2 - t1, findingsMs: t3 - t2, ms: t3 - t0,
    });
  } catch (e) {
    post({ type: "error", version: m.version, message: e instanceof Error ? e.message : String(e) });
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  if (engine) handle(e.data);
  else queue.push(e.data);
};

init({ module_or_path: wasmUrl }).then(
  () => {
    const db = Database.default();
    engine = new Engine(db);
    post({ type: "ready", patterns: db.patterns(), groups: groups(), languages: languages(), wasmVersion: version() });
    for (const m of queue.splice(0)) handle(m);
  },
  (e) => post({ type: "error", version: -1, message: `cannot load the engine: ${e}` }),
);
