// Regular expressions from request data (CWE-1333, CWE-400), after https://cwe.mitre.org/data/definitions/1333.html,
// https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS and
// https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/String/match
const express = require('express');
const escapeStringRegexp = require('escape-string-regexp');
const _ = require('lodash');
const RE2 = require('re2');

const app = express();
const users = [{ name: 'ada' }];

app.get('/users', (req, res) => {
  const re = new RegExp(req.query.name, 'i'); // codetable: expect security.regex.user-pattern
  res.json(users.filter((u) => re.test(u.name)));
});

app.get('/users2', (req, res) => {
  const { q } = req.query;
  res.json(users.filter((u) => RegExp('^' + q).test(u.name))); // codetable: expect security.regex.user-pattern
});

app.post('/validate', (req, res) => {
  res.json(req.body.value.match(req.body.pattern)); // codetable: expect security.regex.user-pattern
});

app.get('/find', (req, res) => {
  const term = req.params.term;
  res.json(users.map((u) => u.name.search(term))); // codetable: expect security.regex.user-pattern
});

app.get('/all', (req, res) => {
  res.json([...'abc'.matchAll(req.query.re)].length); // codetable: expect security.regex.user-pattern
});

function highlight() {
  const term = location.hash.slice(1);
  return new RegExp(`(${term})`, 'g'); // codetable: expect security.regex.user-pattern
}

// Fixed forms.
app.get('/safe', (req, res) => {
  const re = new RegExp(escapeStringRegexp(req.query.name), 'i'); // codetable: ok security.regex.user-pattern
  res.json(users.filter((u) => re.test(u.name)));
});

app.get('/safe2', (req, res) => {
  const re = new RegExp(_.escapeRegExp(req.query.name)); // codetable: ok security.regex.user-pattern
  res.json(users.filter((u) => re.test(u.name)));
});

app.get('/safe3', (req, res) => {
  const escaped = req.query.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  res.json(users.filter((u) => new RegExp(escaped).test(u.name))); // codetable: ok security.regex.user-pattern
});

app.get('/re2', (req, res) => {
  const re = new RE2(req.query.name); // codetable: ok security.regex.user-pattern
  res.json(users.filter((u) => re.test(u.name)));
});

app.get('/subject', (req, res) => {
  res.json(/^[a-z]+$/.test(req.query.name)); // codetable: ok security.regex.user-pattern
});

app.get('/replace', (req, res) => {
  res.send('a-b-c'.replace(req.query.sep, '+')); // codetable: ok security.regex.user-pattern
});
