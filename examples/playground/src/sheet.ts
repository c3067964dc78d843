// Renders a pattern's property sheet (the hover card and the table's detail view) from the
// plain object the wasm package returns. Text goes in with textContent only: no HTML injection.
import type { PatternSheet } from "codetable-wasm";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The element tile: symbol, number, coloured by severity. */
export function tile(p: Pick<PatternSheet, "symbol" | "severity" | "number">, cls = "ct-tile"): HTMLElement {
  const t = el("span", `${cls} sev-${p.severity}`);
  t.append(el("small", "ct-tile-number", String(p.number + 1)), el("b", "ct-tile-symbol", p.symbol));
  return t;
}

function section(title: string, items: string[], cls: string): HTMLElement | null {
  if (!items.length) return null;
  const s = el("section", cls);
  s.append(el("h4", undefined, title));
  const ul = el("ul");
  for (const i of items) ul.append(el("li", undefined, i));
  s.append(ul);
  return s;
}

/** A property sheet; `full` adds references, languages and matcher details (the table view). */
export function renderSheet(p: PatternSheet, byId: Map<string, PatternSheet>, full = false): HTMLElement {
  const root = el("div", "ct-sheet");
  root.dataset.pattern = p.id;
  const head = el("header", "ct-sheet-head");
  const title = el("div", "ct-sheet-title");
  title.append(el("strong", "ct-sheet-name", p.name), el("code", "ct-sheet-id", p.id));
  const badges = el("div", "ct-badges");
  badges.append(el("span", `ct-badge sev-${p.severity}`, p.severity));
  badges.append(el("span", "ct-badge ct-group", p.group));
  for (const c of p.cwe) badges.append(el("span", "ct-badge ct-cwe", `CWE-${c}`));
  for (const o of p.owasp) badges.append(el("span", "ct-badge ct-owasp", `OWASP ${o}`));
  title.append(badges);
  head.append(tile(p), title);
  root.append(head, el("p", "ct-summary", p.summary));
  const props = p.properties.map((q) => `${q.kind}: ${q.text}`);
  const alts = p.alternatives.map((id) => {
    const a = byId.get(id);
    return a ? `${a.symbol} — ${a.name} (${id})` : id;
  });
  for (const s of [
    section("Properties", props, "ct-properties"),
    section("Common issues", p.common_issues, "ct-issues"),
    section("Alternatives", alts, "ct-alternatives"),
  ]) if (s) root.append(s);
  if (full) {
    const rel = p.relations.map((r) => `${r.kind} ${r.target}`);
    const how = p.matcher.kind === "rule"
      ? p.matcher.rules.map((r) => `${r.language}: ${r.pattern}`)
      : [
          ...p.matcher.references.map((r) => `${r.language} reference (threshold ${p.matcher.kind === "shape" ? p.matcher.threshold : ""})`),
          ...p.matcher.require.map((r) => `${r.language} requires: ${r.pattern}`),
          ...p.matcher.exclude.map((r) => `${r.language} unless: ${r.pattern}`),
        ];
    for (const s of [
      section("Relations", rel, "ct-relations"),
      section(p.matcher.kind === "rule" ? "Rules" : "Shape", how, "ct-matcher"),
      section("Languages", [p.languages.join(", ")], "ct-languages"),
    ]) if (s) root.append(s);
    if (p.references.length) {
      const s = el("section", "ct-references");
      s.append(el("h4", undefined, "References"));
      const ul = el("ul");
      for (const r of p.references) {
        const a = el("a", undefined, r);
        a.href = r;
        a.target = "_blank";
        a.rel = "noopener";
        const li = el("li");
        li.append(a);
        ul.append(li);
      }
      s.append(ul);
      root.append(s);
    }
  }
  return root;
}
