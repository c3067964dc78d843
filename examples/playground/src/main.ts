// The playground page: a CodeMirror 6 editor whose change sets go to the analysis worker as
// UTF-16 edits, findings shown as underlines, gutter marks, hover cards and a panel, and the
// periodic table of the catalog with the patterns present in the editor lit up.
import { basicSetup } from "codemirror";
import { Annotation, Compartment, EditorState, RangeSet, StateEffect, StateField, type Extension } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, GutterMarker, gutter, hoverTooltip } from "@codemirror/view";
import { StreamLanguage } from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import { javascript } from "@codemirror/lang-javascript";
import { java } from "@codemirror/lang-java";
import { go } from "@codemirror/lang-go";
import { rust } from "@codemirror/lang-rust";
import { cpp } from "@codemirror/lang-cpp";
import { kotlin } from "@codemirror/legacy-modes/mode/clike";
import type { DesignInstance, Finding, PatternSheet } from "codetable-wasm";
import type { Change, FromWorker, ToWorker } from "./protocol";
import { DESIGN_SAMPLE, SAMPLES } from "./samples";
import { renderSheet, tile } from "./sheet";
import "./style.css";

const HIGHLIGHT: Record<string, () => Extension> = {
  python: () => python(),
  javascript: () => javascript(),
  typescript: () => javascript({ typescript: true }),
  tsx: () => javascript({ typescript: true, jsx: true }),
  java: () => java(),
  kotlin: () => StreamLanguage.define(kotlin),
  go: () => go(),
  rust: () => rust(),
  c: () => cpp(),
  cpp: () => cpp(),
};
const SEVERITY_RANK = ["info", "low", "medium", "high", "critical"];

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (m: ToWorker) => worker.postMessage(m);

// ---- catalog ------------------------------------------------------------------------------
let patterns: PatternSheet[] = [];
let shown: Finding[] = [];
const byId = new Map<string, PatternSheet>();

// ---- findings in the editor ---------------------------------------------------------------
const setFindings = StateEffect.define<Finding[]>();
const fromOpen = Annotation.define<boolean>();

class FindingMark extends GutterMarker {
  constructor(readonly severity: string, readonly symbol: string) { super(); }
  eq(o: FindingMark) { return o.severity === this.severity && o.symbol === this.symbol; }
  toDOM() {
    const s = document.createElement("span");
    s.className = `cm-finding-mark sev-${this.severity}`;
    s.textContent = this.symbol;
    return s;
  }
}

interface Shown { deco: DecorationSet; marks: RangeSet<GutterMarker> }

function build(findings: Finding[], state: EditorState): Shown {
  const len = state.doc.length;
  const deco = [];
  const perLine = new Map<number, Finding>();
  for (const f of findings) {
    const from = Math.min(f.utf16.start, len);
    const to = Math.min(Math.max(f.utf16.end, from), len);
    if (to > from) {
      deco.push(Decoration.mark({
        class: `cm-finding sev-${f.severity}`,
        attributes: { "data-symbol": f.symbol, "data-pattern": f.pattern },
        finding: f,
      }).range(from, to));
    }
    const line = state.doc.lineAt(from).from;
    const prev = perLine.get(line);
    if (!prev || SEVERITY_RANK.indexOf(f.severity) > SEVERITY_RANK.indexOf(prev.severity)) perLine.set(line, f);
  }
  const marks = [...perLine].map(([at, f]) => new FindingMark(f.severity, f.symbol).range(at));
  return { deco: Decoration.set(deco, true), marks: RangeSet.of(marks, true) };
}

const findingsField = StateField.define<Shown>({
  create: () => ({ deco: Decoration.none, marks: RangeSet.empty }),
  update(v, tr) {
    let next = tr.docChanged ? { deco: v.deco.map(tr.changes), marks: v.marks.map(tr.changes) } : v;
    for (const e of tr.effects) if (e.is(setFindings)) next = build(e.value, tr.state);
    return next;
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.deco),
});

const findingsGutter = gutter({
  class: "cm-findings-gutter",
  markers: (view) => view.state.field(findingsField).marks,
  initialSpacer: () => new FindingMark("info", "Mm"),
});

const findingHover = hoverTooltip((view, pos) => {
  const hits: { from: number; to: number; f: Finding }[] = [];
  view.state.field(findingsField).deco.between(pos, pos, (from, to, value) => {
    if (pos >= from && pos <= to) hits.push({ from, to, f: value.spec.finding as Finding });
  });
  if (!hits.length) return null;
  return {
    pos: Math.min(...hits.map((h) => h.from)),
    end: Math.max(...hits.map((h) => h.to)),
    above: true,
    create: () => {
      const dom = document.createElement("div");
      dom.className = "ct-hover";
      for (const h of hits) {
        const sheet = byId.get(h.f.pattern);
        if (sheet) dom.append(renderSheet(sheet, byId));
      }
      return { dom };
    },
  };
}, { hoverTime: 120 });

// ---- versions and timing ------------------------------------------------------------------
let version = 0;
let lastOpen = -1;
let language = "python";
const sentAt = new Map<number, number>();
const stats = {
  worker: [] as number[], edit: [] as number[], analyze: [] as number[], latency: [] as number[],
  applied: -1, errors: [] as string[],
};

const languageConf = new Compartment();
const view = new EditorView({
  parent: $("#editor"),
  state: EditorState.create({
    doc: "",
    extensions: [
      basicSetup,
      languageConf.of(HIGHLIGHT.python()),
      findingsField,
      findingsGutter,
      findingHover,
      EditorView.updateListener.of((u) => {
        if (!u.docChanged || u.transactions.some((t) => t.annotation(fromOpen))) return;
        const changes: Change[] = [];
        // Changes in order; each one's offsets are in the text left by the ones before it.
        u.changes.iterChanges((fromA, toA, fromB, _toB, inserted) => {
          changes.push([fromB, fromB + (toA - fromA), inserted.toString()]);
        });
        version++;
        sentAt.set(version, performance.now());
        send({ type: "edit", version, changes });
      }),
    ],
  }),
});

function open(lang: string, text: string) {
  language = lang;
  version++;
  lastOpen = version;
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    effects: [languageConf.reconfigure(HIGHLIGHT[lang]()), setFindings.of([])],
    annotations: fromOpen.of(true),
  });
  sentAt.set(version, performance.now());
  send({ type: "open", version, language: lang, text });
  ($("#language") as HTMLSelectElement).value = lang;
}

// ---- syntax hint --------------------------------------------------------------------------
// Code analysed in the wrong language mostly finds nothing; rather than a bare "No findings",
// say the text does not parse, and which language it reads as (asked of the worker once the
// typing pauses, since a half-typed line has errors too).
let hintTimer = 0;
function syntaxHint(v: number, errors: boolean) {
  clearTimeout(hintTimer);
  if (!errors) {
    $("#hint").hidden = true;
    return;
  }
  hintTimer = window.setTimeout(() => {
    if (v === version) send({ type: "guess", version: v });
  }, 400);
}

function showHint(lang: string, guess: string | undefined) {
  const hint = $("#hint");
  hint.replaceChildren();
  hint.hidden = false;
  hint.dataset.guess = guess ?? "";
  const text = document.createElement("span");
  if (guess) {
    text.textContent = `This code does not parse as ${lang}; it reads as ${guess}. `;
    const button = document.createElement("button");
    button.type = "button";
    button.id = "hint-switch";
    button.textContent = `Analyse as ${guess}`;
    button.onclick = () => open(guess, view.state.doc.toString());
    hint.append(text, button);
  } else {
    text.textContent = `This code has syntax errors as ${lang}: findings may be missing where it does not parse.`;
    hint.append(text);
  }
}

// ---- panel and table ----------------------------------------------------------------------
function renderFindings(findings: Finding[]) {
  const list = $("#findings");
  list.replaceChildren();
  $("#findings-count").textContent = String(findings.length);
  if (!findings.length) {
    const li = document.createElement("li");
    li.className = "ct-empty";
    li.textContent = "No findings in this code.";
    list.append(li);
  }
  for (const f of findings) {
    const li = document.createElement("li");
    li.className = `ct-finding sev-${f.severity}`;
    li.dataset.pattern = f.pattern;
    li.dataset.symbol = f.symbol;
    const sheet = byId.get(f.pattern);
    li.append(tile({ symbol: f.symbol, severity: f.severity, number: sheet?.number ?? 0 }, "ct-tile small"));
    const text = document.createElement("span");
    text.className = "ct-finding-text";
    const name = document.createElement("b");
    name.textContent = f.name;
    const where = document.createElement("small");
    const context = f.context !== "production" ? ` · ${f.context} code` : "";
    where.textContent = `line ${f.line}, col ${f.utf16.start_column + 1} · ${f.severity}${context}${f.cwe.length ? ` · CWE-${f.cwe[0]}` : ""}`;
    text.append(name, where);
    li.append(text);
    li.onclick = () => {
      view.dispatch({ selection: { anchor: f.utf16.start, head: f.utf16.end }, scrollIntoView: true });
      view.focus();
    };
    list.append(li);
  }
  const present = new Set(findings.map((f) => f.pattern));
  for (const cell of document.querySelectorAll<HTMLElement>(".ct-cell")) {
    cell.classList.toggle("present", present.has(cell.dataset.pattern!));
  }
  $("#lit-count").textContent = present.size ? `${present.size} lit` : "";
}

// Search over the table: every word must appear in the id, symbol, name, group, CWE or OWASP of
// a cell for it to stay bright (case-insensitive); the others fade. Esc clears.
function filterTable(query: string) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  let hits = 0;
  for (const cell of document.querySelectorAll<HTMLElement>(".ct-cell")) {
    const p = byId.get(cell.dataset.pattern!);
    const hay = p ? [p.id, p.symbol, p.name, p.group, p.severity, ...p.cwe.map((c) => `cwe-${c}`), ...p.owasp].join(" ").toLowerCase() : "";
    const hit = words.length > 0 && words.every((w) => hay.includes(w));
    cell.classList.toggle("match", hit);
    if (hit) hits++;
  }
  const table = $("#table");
  table.classList.toggle("searching", words.length > 0);
  $("#search-count").textContent = words.length ? `${hits} of ${patterns.length}` : "";
}

/** Width of a group header as the table draws it (8.5 px uppercase). */
function labelWidth(group: string): number {
  const ctx = document.createElement("canvas").getContext("2d");
  if (!ctx) return group.length * 7;
  ctx.font = `8.5px ${getComputedStyle(document.body).fontFamily}`;
  return Math.ceil(ctx.measureText(group.toUpperCase()).width + 4);
}

/** The height the periodic table may take (a 768 px laptop screen keeps the header and editor). */
const TABLE_HEIGHT = 660;
/** The table's height besides its rows: group headers and padding. */
const TABLE_CHROME = 40;

function renderTable(groups: string[]) {
  const table = $("#table");
  table.replaceChildren();
  // Groups are columns; a crowded group wraps into more sub-columns of at most `rows` cells.
  // The fewest rows (at least 3) for which every column fits the panel's width.
  const counts = groups.map((g) => patterns.filter((p) => p.group === g).length);
  const width = table.clientWidth || 600;
  // A cell is `cell` px plus a 3 px gap; an empty group keeps a 32 px placeholder; 6 px between
  // groups. A column is never narrower than its header, so group names are never cut. The
  // largest cell (36 px down to 28) whose table stays within TABLE_HEIGHT px: the catalog grows,
  // the laptop screen does not.
  const labels = groups.map(labelWidth);
  const most = Math.max(...counts);
  const fit = (cell: number) => {
    const needed = (r: number) => counts.reduce((w, c, i) => w + Math.max(c ? Math.ceil(c / r) * (cell + 3) - 3 : 32, labels[i]) + 6, 0);
    let rows = 3;
    while (needed(rows) > width && rows < most) rows++;
    return Math.max(1, Math.min(rows, most));
  };
  let cell = 36;
  let rows = fit(cell);
  while (cell > 28 && rows * (cell + 3) + TABLE_CHROME > TABLE_HEIGHT) rows = fit(--cell);
  table.style.setProperty("--cell", `${cell}px`);
  table.style.setProperty("--rows", String(rows));
  for (const g of groups) {
    const col = document.createElement("div");
    col.className = "ct-column";
    col.style.minWidth = `${labels[groups.indexOf(g)]}px`;
    col.dataset.group = g;
    const h = document.createElement("h3");
    h.textContent = g;
    h.title = `${g}: ${counts[groups.indexOf(g)]} patterns`;
    const cells = document.createElement("div");
    cells.className = "ct-cells";
    col.append(h, cells);
    const members = patterns.filter((p) => p.group === g);
    if (!members.length) {
      const empty = document.createElement("span");
      empty.className = "ct-cell-empty";
      empty.title = `no ${g} patterns in this catalog yet`;
      cells.append(empty);
    }
    for (const p of members) {
      const cell = document.createElement("button");
      cell.className = `ct-cell sev-${p.severity}`;
      cell.dataset.pattern = p.id;
      cell.dataset.symbol = p.symbol;
      cell.title = `${p.symbol} · ${p.name} (${p.severity}) — ${p.id}`;
      cell.setAttribute("aria-label", `${p.name}, ${p.severity}`);
      const num = document.createElement("small");
      num.textContent = String(p.number + 1);
      const sym = document.createElement("b");
      sym.textContent = p.symbol;
      cell.append(num, sym);
      cell.onclick = () => showSheet(p);
      cells.append(cell);
    }
    table.append(col);
  }
}

function showSheet(p: PatternSheet) {
  const dialog = $("#sheet") as HTMLDialogElement;
  $("#sheet-body").replaceChildren(renderSheet(p, byId, true));
  if (!dialog.open) dialog.showModal();
}

// ---- worker messages ----------------------------------------------------------------------
worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  if (m.type === "ready") {
    patterns = m.patterns;
    for (const p of patterns) byId.set(p.id, p);
    renderTable(m.groups);
    let resized = 0;
    window.addEventListener("resize", () => {
      clearTimeout(resized);
      resized = window.setTimeout(() => {
        renderTable(m.groups);
        renderFindings(shown);
        filterTable(search.value);
      }, 100);
    });
    $("#status").textContent = `engine ${m.wasmVersion} ready · ${patterns.length} patterns · ${m.languages.length} languages`;
    document.body.dataset.ready = "true";
    return;
  }
  if (m.type === "guess") {
    if (m.version === version) showHint(m.language, m.guess);
    return;
  }
  if (m.type === "design") {
    renderDesign(m.instances, m.ms);
    return;
  }
  if (m.type === "error") {
    stats.errors.push(m.message);
    $("#status").textContent = `error: ${m.message}`;
    // An edit the worker could not apply leaves its copy out of step: send the whole text again.
    if (m.version > lastOpen) open(language, view.state.doc.toString());
    return;
  }
  stats.worker.push(m.ms);
  stats.edit.push(m.editMs);
  stats.analyze.push(m.analyzeMs);
  if (m.version !== version) return; // the editor has moved on; a newer answer is coming
  view.dispatch({ effects: setFindings.of(m.findings) });
  shown = m.findings;
  syntaxHint(m.version, m.syntaxErrors);
  renderFindings(m.findings);
  $("#timing").textContent = `analysis ${m.ms.toFixed(2)} ms in the worker`;
  const v = m.version;
  requestAnimationFrame(() => setTimeout(() => {
    const t0 = sentAt.get(v);
    if (t0 !== undefined) stats.latency.push(performance.now() - t0);
    sentAt.delete(v);
    stats.applied = v;
    document.body.dataset.applied = String(v);
  }));
};
worker.onerror = (e) => { stats.errors.push(String(e.message)); $("#status").textContent = `worker error: ${e.message}`; };

// ---- controls -----------------------------------------------------------------------------
const select = $("#language") as HTMLSelectElement;
for (const lang of Object.keys(HIGHLIGHT)) select.append(new Option(lang, lang));
// Changing the language keeps the user's text: samples come only from the "sample" button.
select.onchange = () => open(select.value, view.state.doc.toString());
const search = $("#search") as HTMLInputElement;
search.oninput = () => filterTable(search.value);
search.onkeydown = (e) => {
  if (e.key === "Escape") {
    search.value = "";
    filterTable("");
  }
};
$("#sample").onclick = () => open(language, SAMPLES[language] ?? "");

// ---- design patterns across files ---------------------------------------------------------
/** The design-pattern instances of the multi-file sample: each pattern with every participant
 *  (role, type, file and line); a file name opens that file in the editor. */
function renderDesign(instances: DesignInstance[], ms: number) {
  const list = $("#design");
  list.replaceChildren();
  if (!instances.length) {
    const li = document.createElement("li");
    li.className = "ct-empty";
    li.textContent = "No design pattern in these files.";
    list.append(li);
  }
  for (const i of instances) {
    const li = document.createElement("li");
    li.className = "ct-instance";
    li.dataset.pattern = i.pattern;
    li.dataset.instance = i.id;
    const sheet = byId.get(i.pattern);
    const head = document.createElement("div");
    head.className = "ct-instance-head";
    head.append(tile({ symbol: i.symbol, severity: sheet?.severity ?? "info", number: sheet?.number ?? 0 }, "ct-tile small"));
    const name = document.createElement("b");
    name.textContent = i.name;
    head.append(name);
    if (sheet) head.onclick = () => showSheet(sheet);
    const parts = document.createElement("ul");
    parts.className = "ct-participants";
    for (const q of i.participants) {
      const row = document.createElement("li");
      row.className = "ct-participant";
      row.dataset.role = q.role;
      row.dataset.path = q.path ?? "";
      row.textContent = `${q.role}: ${q.unit} — ${q.path}:${q.utf16.start_line + 1}`;
      row.onclick = () => {
        const file = DESIGN_SAMPLE.find((f) => f.path === q.path);
        if (!file) return;
        open("typescript", file.text);
        view.dispatch({ selection: { anchor: q.utf16.start }, scrollIntoView: true });
      };
      parts.append(row);
    }
    li.append(head, parts);
    list.append(li);
  }
  list.dataset.ms = ms.toFixed(1);
}

$("#design-sample").onclick = () => {
  const files = $("#design-files");
  files.replaceChildren(...DESIGN_SAMPLE.map((f) => {
    const li = document.createElement("li");
    li.textContent = f.path;
    li.onclick = () => open("typescript", f.text);
    return li;
  }));
  send({ type: "project", files: DESIGN_SAMPLE });
};
$("#clear").onclick = () => open(language, "");
$("#sheet-close").onclick = () => ($("#sheet") as HTMLDialogElement).close();

open("python", SAMPLES.python);

// Hooks for the browser tests and the figures (read-only state plus a way to load a text).
(window as unknown as { __ct: unknown }).__ct = {
  stats,
  get version() { return version; },
  open,
  view,
};
