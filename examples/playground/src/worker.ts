// The analysis worker: owns the wasm engine and one Document, applies the editor's changes in
// UTF-16 offsets and answers with the current findings and the time the work took. Typing never
// waits on it; when edits arrive faster than analyses, the queued edits are all applied first and
// analysed once (the page only shows the findings of its latest version anyway).
import init, { Database, Document, Engine, Project, groups, guessLanguage, languages, version } from "codetable-wasm";
import wasmUrl from "codetable-wasm/codetable_wasm_bg.wasm?url";
import type { FromWorker, ToWorker } from "./protocol";

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

let engine: Engine | undefined;
let doc: Document | undefined;
const queue: ToWorker[] = [];
/** Edits applied but not analysed yet: the latest version and the time spent editing. */
let dirty: { version: number; editMs: number } | undefined;

type Counts = { added: number; updated: number; removed: number };

function report(version: number, editMs: number, analyse: () => Counts) {
  if (!engine || !doc) return;
  const t1 = performance.now();
  const { added, updated, removed } = analyse();
  const t2 = performance.now();
  const findings = engine.findings(doc) ?? [];
  const t3 = performance.now();
  post({
    type: "findings", version, findings, added, updated, removed, syntaxErrors: doc.hasSyntaxErrors,
    editMs, analyzeMs: t2 - t1, findingsMs: t3 - t2, ms: editMs + (t3 - t1),
  });
}

function fail(version: number, e: unknown) {
  post({ type: "error", version, message: e instanceof Error ? e.message : String(e) });
}

function analyseDirty() {
  const d = dirty;
  dirty = undefined;
  if (!d || !engine || !doc) return;
  try {
    const e = engine;
    const current = doc;
    report(d.version, d.editMs, () => {
      const c = e.analyzeDelta(current);
      return { added: c.added.length, updated: c.updated.length, removed: c.removed.length };
    });
  } catch (e) {
    fail(d.version, e);
  }
}

function handle(m: ToWorker) {
  if (!engine) return;
  const t0 = performance.now();
  try {
    if (m.type === "project") {
      // A fresh project each time: the files are the sample's, not the editor's.
      const project = new Project(engine);
      try {
        for (const f of m.files) project.setDocument(f.path, f.text);
        post({ type: "design", instances: project.instances(), files: m.files.length, ms: performance.now() - t0 });
      } finally {
        project.free();
      }
      return;
    }
    if (m.type === "open") {
      dirty = undefined;
      doc?.free();
      doc = new Document(m.language, m.text);
      const e = engine;
      const current = doc;
      report(m.version, performance.now() - t0, () => ({ added: e.analyze(current).length, updated: 0, removed: 0 }));
      return;
    }
    if (!doc) throw new Error("edit before open");
    if (m.type === "guess") {
      // Only for the text the page still shows; a newer version will ask again if it needs to.
      if (dirty || doc.hasPendingEdits) return;
      post({ type: "guess", version: m.version, language: doc.language, guess: guessLanguage(doc.text, doc.language) });
      return;
    }
    for (const [from, to, insert] of m.changes) doc.edit(from, to, insert);
    const editMs = performance.now() - t0;
    if (!dirty) setTimeout(analyseDirty, 0);
    dirty = { version: m.version, editMs: (dirty?.editMs ?? 0) + editMs };
  } catch (e) {
    fail(m.type === "project" ? -1 : m.version, e);
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
