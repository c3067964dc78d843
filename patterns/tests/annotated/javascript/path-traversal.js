// Path traversal (CWE-22), after https://cwe.mitre.org/data/definitions/22.html,
// https://owasp.org/www-community/attacks/Path_Traversal and
// https://expressjs.com/en/api.html#res.sendFile
const fs = require("fs");
const path = require("path");
const express = require("express");
const AdmZip = require("adm-zip");

const app = express();
const ROOT = "/srv/files";

app.get("/read", (req, res) => {
  fs.readFile(ROOT + "/" + req.query.file, (err, data) => res.send(data)); // codetable: expect security.path-traversal.user-path
});

app.get("/download", (req, res) => {
  res.sendFile(path.join(ROOT, req.params.name)); // codetable: expect security.path-traversal.user-path
});

app.get("/raw", (req, res) => {
  res.send(fs.readFileSync(req.query.p)); // codetable: expect security.path-traversal.user-path
});

app.post("/delete", (req, res) => {
  fs.unlinkSync(path.join(ROOT, req.body.name)); // codetable: expect security.path-traversal.user-path
  res.end();
});

app.get("/stream", (req, res) => {
  const file = path.resolve(ROOT, req.query.name);
  fs.createReadStream(file).pipe(res); // codetable: expect security.path-traversal.user-path
});

app.get("/write", (req, res) => {
  fs.writeFileSync(`${ROOT}/${req.query.name}`, req.body); // codetable: expect security.path-traversal.user-path
});

function unzip(archive, dest) {
  new AdmZip(archive).extractAllTo(dest, true); // codetable: expect security.path-traversal.archive-extract
}

// Fixed forms.
app.get("/safe", (req, res) => {
  res.sendFile(req.params.name, { root: ROOT }); // codetable: ok security.path-traversal.user-path
});

app.get("/checked", (req, res) => {
  const full = path.resolve(ROOT, req.query.name);
  if (!full.startsWith(ROOT + path.sep)) return res.sendStatus(403);
  res.sendFile(full); // codetable: ok security.path-traversal.user-path
});

app.get("/basename", (req, res) => {
  res.sendFile(path.join(ROOT, path.basename(req.query.name))); // codetable: ok security.path-traversal.user-path
});

function constantRead() {
  return fs.readFileSync("/etc/app/config.json", "utf8"); // codetable: ok security.path-traversal.user-path
}

module.exports = { unzip, constantRead };

function fixedStatic() {
  return express.static(ROOT); // codetable: ok security.path-traversal.user-path
}

function constantJoin() {
  return fs.readFileSync(path.join(__dirname, "views", "index.html")); // codetable: ok security.path-traversal.user-path
}

app.get("/promises", async (req, res) => {
  res.send(await fs.promises.readFile(path.join(ROOT, req.query.name))); // codetable: expect security.path-traversal.user-path
});
