// Argument injection (CWE-88): request data as a whole argument of execFile/spawn (no shell),
// read as an option when it starts with '-'. After https://cwe.mitre.org/data/definitions/88.html,
// https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html#argument-injection
// and https://sonarsource.github.io/argument-injection-vectors/
const { execFile, spawn, execFileSync } = require('child_process');
const path = require('path');

app.get('/log', (req, res) => {
  execFile('git', ['log', req.query.rev], (err, out) => res.send(out)); // codetable: expect security.command-injection.argument-option
});

app.post('/fetch', (req, res) => {
  const url = req.body.url;
  const child = spawn('curl', ['-s', url]); // codetable: expect security.command-injection.argument-option
  child.stdout.pipe(res);
});

app.get('/grep', (req, res) => {
  const out = execFileSync('grep', ['-r', req.query.term, '/srv/docs']); // codetable: expect security.command-injection.argument-option
  res.send(out);
});

// Fixed forms.
app.get('/log-safe', (req, res) => {
  execFile('git', ['log', '--', req.query.path], (err, out) => res.send(out)); // codetable: ok security.command-injection.argument-option
});

app.get('/show', (req, res) => {
  execFile('git', ['show', `refs/tags/${req.query.tag}`], (err, out) => res.send(out)); // codetable: ok security.command-injection.argument-option
});

app.get('/ls', (req, res) => {
  const dir = path.resolve('/srv', req.query.dir);
  execFile('ls', ['-l', dir], (err, out) => res.send(out)); // codetable: ok security.command-injection.argument-option
});

app.get('/status', (req, res) => {
  execFile('git', ['status', '--porcelain'], (err, out) => res.send(out)); // codetable: ok security.command-injection.argument-option
});
