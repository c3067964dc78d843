// OS command injection (CWE-78), after https://cwe.mitre.org/data/definitions/78.html and
// https://nodejs.org/api/child_process.html#child_processexeccommand-options-callback
import { exec, execSync, execFile, spawn } from "child_process";
import * as cp from "node:child_process";

export function ping(host: string): void {
  exec(`ping -c 1 ${host}`); // codetable: expect security.command-injection.shell
}

export function list(dir: string): string {
  return execSync("ls " + dir).toString(); // codetable: expect security.command-injection.shell
}

export function nodePrefix(file: string): void {
  cp.exec("cat " + file); // codetable: expect security.command-injection.shell
}

export function spawnShell(arg: string): void {
  spawn(`convert ${arg} out.png`, { shell: true }); // codetable: expect security.command-injection.shell
}

export function throughLocal(host: string): void {
  const cmd: string = "nslookup " + host;
  exec(cmd); // codetable: expect security.command-injection.shell
}

// Fixed forms.
export function fixed(host: string): void {
  execFile("ping", ["-c", "1", host]); // codetable: ok security.command-injection.shell
}

export function constant(): void {
  exec("git status"); // codetable: ok security.command-injection.shell
}
