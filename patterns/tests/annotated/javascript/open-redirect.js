// Open redirect (CWE-601), after https://cwe.mitre.org/data/definitions/601.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
const express = require("express");
const app = express();

app.get("/login", (req, res) => {
  res.redirect(req.query.next); // codetable: expect security.open-redirect.request-target
});

app.get("/go", (req, res) => {
  res.redirect(302, req.query.url); // codetable: expect security.open-redirect.request-target
});

app.get("/jump", (req, res) => {
  const target = req.query.to;
  res.redirect(target); // codetable: expect security.open-redirect.request-target
});

app.get("/loc", (req, res) => {
  res.location(req.query.url).sendStatus(302); // codetable: expect security.open-redirect.request-target
});

app.get("/header", (req, res) => {
  res.writeHead(302, { Location: req.query.url }); // codetable: expect security.open-redirect.request-target
  res.end();
});

function clientSide() {
  const next = new URLSearchParams(location.search).get("next");
  window.location.href = next; // codetable: expect security.open-redirect.request-target
}

// Fixed forms.
app.get("/home", (req, res) => {
  res.redirect("/dashboard"); // codetable: ok security.open-redirect.request-target
});

app.get("/checked", (req, res) => {
  const next = req.query.next;
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//")) return res.redirect("/");
  res.redirect(next); // codetable: ok security.open-redirect.request-target
});

const ROUTES = { home: "/", profile: "/me" };
app.get("/named", (req, res) => {
  res.redirect(ROUTES[req.query.to] || "/"); // codetable: ok security.open-redirect.request-target
});

app.get("/back", (req, res) => {
  res.redirect("back"); // codetable: ok security.open-redirect.request-target
});

function clientAssign() {
  const next = new URLSearchParams(location.search).get("next");
  location.assign(next); // codetable: expect security.open-redirect.request-target
}

// Session 10: request data after a prefix that fixes the site (a path with a first segment)
// or after `?` / `#` chooses only a path, query or fragment there; `/` alone does not fix it
// (`//evil.example` is another site).
app.get("/items/:id", (req, res) => {
  res.redirect("/items/" + req.params.id + "/view"); // codetable: ok security.open-redirect.request-target
});

app.get("/find", (req, res) => {
  res.redirect(`/search?q=${req.query.q}`); // codetable: ok security.open-redirect.request-target
});

app.get("/root", (req, res) => {
  res.redirect("/" + req.query.p); // codetable: expect security.open-redirect.request-target
});

app.get("/top", (req, res) => {
  res.redirect(req.query.base + "#top"); // codetable: expect security.open-redirect.request-target
});

app.post("/back", (req, res) => {
  res.redirect(req.get("Referrer") || "/"); // codetable: ok security.open-redirect.request-target
});

app.post("/back-form", (req, res) => {
  res.redirect(req.body.back || "/"); // codetable: expect security.open-redirect.request-target
});
