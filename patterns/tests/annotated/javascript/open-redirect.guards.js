// Open redirect (CWE-601) behind an allow-list, after
// https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
const express = require("express");
const app = express();
const ALLOWED = new Set(["/accueil", "/profil"]);

app.get("/a", (req, res) => {
  const next = req.query.next;
  if (!ALLOWED.has(next)) return res.redirect("/");
  res.redirect(next); // codetable: ok security.open-redirect.request-target
});

app.get("/b", (req, res) => {
  const next = req.query.next;
  if (!isSafeRedirect(next)) return res.status(400).end();
  res.redirect(next); // codetable: ok security.open-redirect.request-target
});

app.get("/c", (req, res) => {
  res.redirect("/login?next=" + encodeURIComponent(req.originalUrl)); // codetable: ok security.open-redirect.request-target
});

app.get("/d", (req, res) => {
  const next = req.query.next;
  if (next.length > 3) console.log("été");
  res.redirect(next); // codetable: expect security.open-redirect.request-target
});

app.get("/e", (req, res) => {
  res.redirect(decodeURIComponent(req.query.next)); // codetable: expect security.open-redirect.request-target
});
