// Which `codetable` executable the extension starts: the `codetable.server.path` setting, else
// the binary bundled for this platform (server/<platform>-<arch>/codetable[.exe] inside the
// extension), else `codetable` on PATH. Pure: the file system is passed in, so it is unit-tested
// without VS Code.

import * as path from "path";

/** Where the executable came from. */
export type ServerSource = "setting" | "bundled" | "path";

/** The executable to start and why. */
export interface ResolvedServer {
  command: string;
  args: string[];
  source: ServerSource;
}

/** What resolution needs to know about the machine. */
export interface Machine {
  platform: string; // process.platform
  arch: string; // process.arch
  /** Whether `file` exists and is a file. */
  isFile(file: string): boolean;
  /** The PATH variable. */
  pathVariable: string | undefined;
}

/** The name of the executable on `platform`. */
export function executableName(platform: string): string {
  return platform === "win32" ? "codetable.exe" : "codetable";
}

/** The bundled binary's path inside the extension folder `extensionRoot`. */
export function bundledPath(extensionRoot: string, platform: string, arch: string): string {
  return path.join(extensionRoot, "server", `${platform}-${arch}`, executableName(platform));
}

/** Every `codetable` on the PATH, in order. */
export function onPath(machine: Machine): string[] {
  const separator = machine.platform === "win32" ? ";" : ":";
  return (machine.pathVariable ?? "")
    .split(separator)
    .filter((dir) => dir.length > 0)
    .map((dir) => path.join(dir, executableName(machine.platform)))
    .filter((file) => machine.isFile(file));
}

/**
 * The server to start. `configured` is the `codetable.server.path` setting ("" when unset; a
 * leading `~/` means the home folder `home`). A configured path that does not exist is an
 * error (thrown), not silently replaced: the user asked for that binary.
 */
export function resolveServer(
  configured: string,
  extensionRoot: string,
  machine: Machine,
  home: string,
): ResolvedServer {
  const args = ["lsp", "--stdio"];
  const setting = configured.trim();
  if (setting.length > 0) {
    const expanded = setting.startsWith("~/") ? path.join(home, setting.slice(2)) : setting;
    if (!machine.isFile(expanded)) {
      throw new Error(`codetable.server.path: ${expanded} is not a file`);
    }
    return { command: expanded, args, source: "setting" };
  }
  const bundled = bundledPath(extensionRoot, machine.platform, machine.arch);
  if (machine.isFile(bundled)) {
    return { command: bundled, args, source: "bundled" };
  }
  const found = onPath(machine);
  if (found.length > 0) {
    return { command: found[0], args, source: "path" };
  }
  throw new Error(
    "codetable was not found: set codetable.server.path, or put `codetable` on PATH " +
      "(cargo install --path cli, or a release binary)",
  );
}
