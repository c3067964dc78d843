// Messages between the page and the analysis worker. The worker owns the engine and the
// document; the page owns the editor. Every message that changes the text carries the editor's
// version, so the page applies only the findings of the text it shows.
import type { DesignInstance, Finding, PatternSheet } from "codetable-wasm";

/** One change, in the coordinates of the text as left by the changes before it. */
export type Change = [from: number, to: number, insert: string];

export type ToWorker =
  | { type: "open"; version: number; language: string; text: string }
  | { type: "edit"; version: number; changes: Change[] }
  /** Which language the current text parses best in (asked when it has syntax errors). */
  | { type: "guess"; version: number }
  /** The design patterns of several files (a project, apart from the editor's document). */
  | { type: "project"; files: { path: string; text: string }[] };

export type FromWorker =
  | { type: "ready"; patterns: PatternSheet[]; groups: string[]; languages: string[]; wasmVersion: string }
  | {
      type: "findings"; version: number; findings: Finding[]; added: number; updated: number; removed: number;
      /** The text does not parse cleanly in its language (findings may be missing there). */
      syntaxErrors: boolean;
      /** Worker time for this message: the edits, the analysis, the findings list, and their sum. */
      editMs: number; analyzeMs: number; findingsMs: number; ms: number;
    }
  | { type: "guess"; version: number; language: string; guess: string | undefined }
  | { type: "error"; version: number; message: string }
  | { type: "design"; instances: DesignInstance[]; files: number; ms: number };
