// Cross-site scripting (CWE-79), after https://cwe.mitre.org/data/definitions/79.html,
// https://cheatsheetseries.owasp.org/cheatsheets/DOM_based_XSS_Prevention_Cheat_Sheet.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html
const express = require("express");
const Handlebars = require("handlebars");
const nunjucks = require("nunjucks");
const app = express();

function showName(name) {
  document.getElementById("greeting").innerHTML = "Hello " + name; // codetable: expect security.xss.inner-html
}

function showSearch() {
  const q = new URLSearchParams(location.search).get("q");
  document.querySelector("#results").innerHTML = `<b>${q}</b>`; // codetable: expect security.xss.inner-html
}

// A helper writing its parameter unchanged forwards the sink to its callers (session 10): the
// parameter is not request data, so the line is clean here; markup built from it is not.
function outer(el, html) {
  el.outerHTML = html; // codetable: ok security.xss.inner-html
  el.outerHTML = "<div>" + html + "</div>"; // codetable: expect security.xss.inner-html
}

function adjacent(el, comment) {
  el.insertAdjacentHTML("beforeend", "<li>" + comment + "</li>"); // codetable: expect security.xss.inner-html
}

function docWrite() {
  document.write("<p>" + location.hash.slice(1) + "</p>"); // codetable: expect security.xss.inner-html
}

function jquery($, msg) {
  $("#msg").html(msg); // codetable: expect security.xss.inner-html
}

function handlebarsSafe(bio) {
  return new Handlebars.SafeString("<p>" + bio + "</p>"); // codetable: expect security.xss.marked-safe
}

app.get("/hello", (req, res) => {
  res.send("<h1>Hello " + req.query.name + "</h1>"); // codetable: expect security.xss.inner-html
});

nunjucks.configure("views", { autoescape: false }); // codetable: expect security.xss.autoescape-disabled

// Fixed forms.
function fixedText(name) {
  document.getElementById("greeting").textContent = "Hello " + name; // codetable: ok security.xss.inner-html
}

function fixedInnerText(el, name) {
  el.innerText = name; // codetable: ok security.xss.inner-html
}

function constantHtml(el) {
  el.innerHTML = "<hr>"; // codetable: ok security.xss.inner-html
}

function clearHtml(el) {
  el.innerHTML = ""; // codetable: ok security.xss.inner-html
}

function sanitized(el, DOMPurify, html) {
  el.innerHTML = DOMPurify.sanitize(html); // codetable: ok security.xss.inner-html
}

function jqueryText($, msg) {
  $("#msg").text(msg); // codetable: ok security.xss.inner-html
}

nunjucks.configure("views", { autoescape: true }); // codetable: ok security.xss.autoescape-disabled

function fixedCreateText(el, name) {
  el.appendChild(document.createTextNode(name)); // codetable: ok security.xss.inner-html
}

function fixedSetAttribute(el, title) {
  el.setAttribute("title", title); // codetable: ok security.xss.inner-html
}

app.get("/json", (req, res) => {
  res.json({ name: req.query.name }); // codetable: ok security.xss.inner-html
});

// Session 10: a number is digits whatever its input (a length, `toFixed`, `Number`): no markup.
function counters(items, total, count, label) {
  document.getElementById("n").innerHTML = items.length; // codetable: ok security.xss.inner-html
  document.getElementById("pct").innerHTML = total.toFixed(2) + " %"; // codetable: ok security.xss.inner-html
  document.getElementById("c").innerHTML = "<b>" + Number(count) + "</b>"; // codetable: ok security.xss.inner-html
  document.getElementById("l").innerHTML = "<i>" + label + "</i> " + items.length; // codetable: expect security.xss.inner-html
}
