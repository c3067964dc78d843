// XPath injection (CWE-643), after https://cwe.mitre.org/data/definitions/643.html,
// https://owasp.org/www-community/attacks/XPATH_Injection, https://github.com/goto100/xpath#readme and
// https://developer.mozilla.org/en-US/docs/Web/API/Document/evaluate
const xpath = require('xpath');
const { DOMParser } = require('@xmldom/xmldom');
const express = require('express');

const app = express();
const doc = new DOMParser().parseFromString(require('fs').readFileSync('users.xml', 'utf8'), 'text/xml');

app.post('/login', (req, res) => {
  const q = "//user[name/text()='" + req.body.user + "' and password/text()='" + req.body.pass + "']";
  res.sendStatus(xpath.select(q, doc).length ? 200 : 401); // codetable: expect security.xpath-injection.request-expression
});

app.get('/email', (req, res) => {
  const node = xpath.select1(`/users/user[@name='${req.query.name}']/email/text()`, doc); // codetable: expect security.xpath-injection.request-expression
  res.send(String(node));
});

app.get('/eval', (req, res) => {
  const r = xpath.evaluate("//book[@id='" + req.params.id + "']", doc, null, xpath.XPathResult.ANY_TYPE, null); // codetable: expect security.xpath-injection.request-expression
  res.json(r.numberValue);
});

app.get('/parse', (req, res) => {
  const expr = xpath.parse('//item[@sku="' + req.query.sku + '"]'); // codetable: expect security.xpath-injection.request-expression
  res.json(expr.select({ node: doc }).length);
});

function highlightFromHash() {
  const id = location.hash.slice(1);
  return document.evaluate("//section[@id='" + id + "']", document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null); // codetable: expect security.xpath-injection.request-expression
}

// Fixed forms.
app.post('/login-safe', (req, res) => {
  const found = xpath.parse("//user[name/text()=$user and password/text()=$pass]").select({ node: doc, variables: { user: req.body.user, pass: req.body.pass } }); // codetable: ok security.xpath-injection.request-expression
  res.sendStatus(found.length ? 200 : 401);
});

app.get('/all', (req, res) => {
  res.json(xpath.select('//user/name/text()', doc).length); // codetable: ok security.xpath-injection.request-expression
});

function firstSection() {
  return document.evaluate('//section[1]', document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null); // codetable: ok security.xpath-injection.request-expression
}
