// The extension's settings as the server reads them: `initializationOptions` at start and the
// `settings` of `workspace/didChangeConfiguration` (the same object under `codetable`). Pure:
// unit-tested without VS Code.

/** The server's settings (lsp/README.md, "Settings"). */
export interface ServerSettings {
  database: string | null;
  select: string[];
  extendSelect: string[];
  ignore: string[];
  groups: string[] | null;
  minSeverity: string | null;
  workspaceScan: boolean;
}

/** Reads one setting of the `codetable` section (VS Code's `WorkspaceConfiguration.get`). */
export type Getter = <T>(key: string) => T | undefined;

export const GROUPS = [
  "security",
  "reliability",
  "performance",
  "concurrency",
  "maintainability",
  "design",
  "idiom",
];

export const SEVERITIES = ["info", "low", "medium", "high", "critical"];

/** Selectors as the server and `codetable scan` take them: trimmed, empty ones and repeats dropped. */
function selectors(get: Getter, key: string): string[] {
  const raw = get<string[]>(key) ?? [];
  const list = (Array.isArray(raw) ? raw : [raw]).map((s) => String(s).trim()).filter((s) => s.length > 0);
  return [...new Set(list)];
}

/**
 * The server's settings from the extension's: empty strings and empty lists mean "the server's
 * default" (null), unknown groups and severities are dropped (VS Code already warns about them in
 * settings.json), `~/` in the database path is the home folder `home`.
 */
export function serverSettings(get: Getter, home: string): ServerSettings {
  const database = (get<string>("database") ?? "").trim();
  const groups = (get<string[]>("groups") ?? [])
    .map((g) => String(g).trim().toLowerCase())
    .filter((g) => GROUPS.includes(g));
  const severity = (get<string>("minSeverity") ?? "").trim().toLowerCase();
  return {
    database:
      database.length === 0
        ? null
        : database.startsWith("~/")
          ? `${home}/${database.slice(2)}`
          : database,
    select: selectors(get, "select"),
    extendSelect: selectors(get, "extendSelect"),
    ignore: selectors(get, "ignore"),
    groups: groups.length === 0 ? null : [...new Set(groups)],
    minSeverity: SEVERITIES.includes(severity) && severity !== "info" ? severity : null,
    workspaceScan: get<boolean>("workspaceScan") ?? true,
  };
}

/** Whether a configuration change needs a new server (not just new settings): the executable. */
export function needsRestart(changed: (section: string) => boolean): boolean {
  return changed("codetable.server.path");
}
