// Server-side request forgery (CWE-918), after https://cwe.mitre.org/data/definitions/918.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
const axios = require("axios");
const http = require("http");
const https = require("https");
const express = require("express");

const app = express();
const ALLOWED = new Set(["api.example.com"]);

app.get("/proxy", async (req, res) => {
  const r = await axios.get(req.query.url); // codetable: expect security.ssrf.request-url
  res.send(r.data);
});

app.get("/fetch", async (req, res) => {
  const r = await fetch(req.query.url); // codetable: expect security.ssrf.request-url
  res.send(await r.text());
});

app.get("/http", (req, res) => {
  http.get(req.query.target, (r) => r.pipe(res)); // codetable: expect security.ssrf.request-url
});

app.post("/hook", async (req, res) => {
  const target = req.body.callback;
  await axios.post(target, { ok: true }); // codetable: expect security.ssrf.request-url
  res.end();
});

app.get("/img", async (req, res) => {
  const r = await fetch(`http://${req.query.host}/avatar.png`); // codetable: expect security.ssrf.request-url
  res.send(await r.arrayBuffer());
});

app.get("/axios-config", async (req, res) => {
  const r = await axios({ method: "get", url: req.query.url }); // codetable: expect security.ssrf.request-url
  res.send(r.data);
});

app.get("/https", (req, res) => {
  https.request(req.query.u, (r) => r.pipe(res)).end(); // codetable: expect security.ssrf.request-url
});

// Fixed forms.
app.get("/status", async (req, res) => {
  const r = await axios.get("https://api.example.com/status"); // codetable: ok security.ssrf.request-url
  res.send(r.data);
});

app.get("/allowed", async (req, res) => {
  const u = new URL(req.query.url);
  if (!ALLOWED.has(u.hostname)) return res.sendStatus(400);
  const r = await fetch(u); // codetable: ok security.ssrf.request-url
  res.send(await r.text());
});

app.get("/config", async (req, res) => {
  const r = await fetch(process.env.UPSTREAM_URL); // codetable: ok security.ssrf.request-url
  res.send(await r.text());
});

app.get("/got", async (req, res) => {
  const got = require("got");
  res.send(await got(req.query.url).text()); // codetable: expect security.ssrf.request-url
});
