import * as assert from "node:assert/strict";
import { test } from "node:test";

import { Getter, needsRestart, serverSettings } from "../settings";

function getter(values: Record<string, unknown>): Getter {
  return <T>(key: string) => values[key] as T | undefined;
}

test("defaults are the server's defaults", () => {
  assert.deepEqual(serverSettings(getter({}), "/home/me"), {
    database: null,
    select: [],
    extendSelect: [],
    ignore: [],
    groups: null,
    minSeverity: null,
    workspaceScan: true,
  });
  // What VS Code returns for untouched settings (package.json defaults) is the same.
  const untouched = getter({
    database: "",
    select: [],
    extendSelect: [],
    ignore: [],
    groups: [],
    minSeverity: "info",
    workspaceScan: true,
  });
  assert.deepEqual(serverSettings(untouched, "/h"), serverSettings(getter({}), "/h"));
});

test("settings are translated for the server", () => {
  const s = serverSettings(
    getter({
      database: "~/dbs/équipe.ctdb",
      groups: ["Security", "security", "performance", "bogus"],
      minSeverity: "High",
      workspaceScan: false,
      select: ["security", " "],
      extendSelect: ["pedantic", "Md", "pedantic"],
      ignore: [" security.weak-hash "],
    }),
    "/home/me",
  );
  assert.deepEqual(s, {
    database: "/home/me/dbs/équipe.ctdb",
    select: ["security"],
    extendSelect: ["pedantic", "Md"],
    ignore: ["security.weak-hash"],
    groups: ["security", "performance"],
    minSeverity: "high",
    workspaceScan: false,
  });
  assert.equal(serverSettings(getter({ minSeverity: "severe" }), "/h").minSeverity, null);
  assert.equal(serverSettings(getter({ database: "/abs/x.ctdb" }), "/h").database, "/abs/x.ctdb");
});

test("only the server path needs a restart", () => {
  assert.equal(needsRestart((s) => s === "codetable.server.path"), true);
  assert.equal(needsRestart((s) => s === "codetable.groups"), false);
});
