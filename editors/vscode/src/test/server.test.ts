import * as assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";

import { Machine, bundledPath, executableName, onPath, resolveServer } from "../server";

function machine(files: string[], pathVariable: string, platform = "linux"): Machine {
  return {
    platform,
    arch: "x64",
    isFile: (f: string) => files.includes(f),
    pathVariable,
  };
}

const EXT = "/ext/codetable-0.1.0";
const BUNDLED = path.join(EXT, "server", "linux-x64", "codetable");

test("the setting wins over the bundled binary and PATH", () => {
  const m = machine(["/opt/ct/codetable", BUNDLED, "/usr/bin/codetable"], "/usr/bin");
  const r = resolveServer("/opt/ct/codetable", EXT, m, "/home/é");
  assert.deepEqual(r, { command: "/opt/ct/codetable", args: ["lsp", "--stdio"], source: "setting" });
});

test("a setting with ~/ is under the home folder", () => {
  const m = machine(["/home/é/bin/codetable"], "");
  assert.equal(resolveServer("~/bin/codetable", EXT, m, "/home/é").command, "/home/é/bin/codetable");
});

test("a configured path that does not exist is an error, not a fallback", () => {
  const m = machine([BUNDLED], "/usr/bin");
  assert.throws(() => resolveServer("/nope/codetable", EXT, m, "/h"), /is not a file/);
});

test("then the bundled binary of this platform", () => {
  const m = machine([BUNDLED, "/usr/bin/codetable"], "/usr/bin");
  const r = resolveServer("  ", EXT, m, "/h");
  assert.equal(r.source, "bundled");
  assert.equal(r.command, BUNDLED);
  assert.equal(bundledPath(EXT, "darwin", "arm64"), path.join(EXT, "server", "darwin-arm64", "codetable"));
});

test("then the first codetable on PATH", () => {
  const m = machine(["/b/codetable", "/c/codetable"], "/a::/b:/c");
  assert.deepEqual(onPath(m), ["/b/codetable", "/c/codetable"]);
  const r = resolveServer("", EXT, m, "/h");
  assert.equal(r.source, "path");
  assert.equal(r.command, "/b/codetable");
});

test("Windows: codetable.exe and ; between PATH entries", () => {
  assert.equal(executableName("win32"), "codetable.exe");
  const exe = path.join("C:\\tools", "codetable.exe");
  const m = machine([exe], "C:\\x;C:\\tools", "win32");
  assert.equal(resolveServer("", EXT, m, "C:\\Users\\me").command, exe);
});

test("nothing found is an error that says how to fix it", () => {
  assert.throws(() => resolveServer("", EXT, machine([], "/usr/bin"), "/h"), /codetable.server.path/);
});
