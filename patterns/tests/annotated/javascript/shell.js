// OS command injection (CWE-78), after https://cwe.mitre.org/data/definitions/78.html,
// https://cheatsheetseries.owasp.org/cheatsheets/Nodejs_Security_Cheat_Sheet.html and
// https://nodejs.org/api/child_process.html#child_processexeccommand-options-callback
const cp = require("child_process");
const { exec, execSync, spawn, execFile } = require("child_process");
const run = require("child_process");

function ping(req, res) {
  exec("ping -c 1 " + req.query.host, (err, out) => res.send(out)); // codetable: expect security.command-injection.shell
}

function list(dir) {
  return execSync(`ls -l ${dir}`).toString(); // codetable: expect security.command-injection.shell
}

function viaModule(file) {
  cp.exec("cat " + file); // codetable: expect security.command-injection.shell
}

function spawnShell(arg) {
  spawn("convert " + arg + " out.png", { shell: true }); // codetable: expect security.command-injection.shell
}

function spawnSh(arg) {
  spawn("sh", ["-c", "tar xf " + arg]); // codetable: expect security.command-injection.shell
}

function throughLocal(host) {
  const cmd = "nslookup " + host;
  exec(cmd); // codetable: expect security.command-injection.shell
}

function renamedRequire(name) {
  run.execSync("grep " + name + " /etc/passwd"); // codetable: expect security.command-injection.shell
}

function optionsSpread(arg, opts) {
  spawn("echo " + arg, { ...opts, shell: true }); // codetable: expect security.command-injection.shell
}

// Fixed forms.
function fixedExecFile(host) {
  execFile("ping", ["-c", "1", host]); // codetable: ok security.command-injection.shell
}

function fixedSpawn(arg) {
  spawn("convert", [arg, "out.png"]); // codetable: ok security.command-injection.shell
}

function constantExec() {
  exec("git rev-parse HEAD"); // codetable: ok security.command-injection.shell
}

function constantTemplate() {
  execSync(`uptime`); // codetable: ok security.command-injection.shell
}

module.exports = { ping, list };

function fixedSpawnSync(file) {
  return cp.spawnSync("cat", ["--", file]); // codetable: ok security.command-injection.shell
}

function fixedExecFileSync(ref) {
  return cp.execFileSync("git", ["show", ref]); // codetable: ok security.command-injection.shell
}

function execFileShell(arg) {
  execFile("sh", ["-c", "echo " + arg]); // codetable: expect security.command-injection.shell
}
