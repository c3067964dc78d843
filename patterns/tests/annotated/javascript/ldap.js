// LDAP injection (CWE-90), after https://cwe.mitre.org/data/definitions/90.html,
// https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html and
// http://ldapjs.org/client.html#search (filters: http://ldapjs.org/filters.html)
const ldap = require('ldapjs');
const express = require('express');
const ldapEscape = require('ldap-escape');

const app = express();
const client = ldap.createClient({ url: 'ldap://directory.example' });
const BASE = 'ou=people,dc=example,dc=com';

app.get('/user', (req, res) => {
  const opts = { filter: '(uid=' + req.query.user + ')', scope: 'sub' };
  client.search(BASE, opts, (err, r) => res.end()); // codetable: expect security.ldap-injection.request-filter
});

app.get('/user2', (req, res) => {
  client.search(BASE, { filter: `(&(objectClass=person)(cn=${req.query.name}))` }, (err, r) => res.end()); // codetable: expect security.ldap-injection.request-filter
});

app.post('/login', (req, res) => {
  const dn = 'uid=' + req.body.user + ',ou=people,dc=example,dc=com';
  client.bind(dn, req.body.password, (err) => res.sendStatus(err ? 401 : 200)); // codetable: expect security.ldap-injection.request-filter
});

app.get('/mail', (req, res) => {
  const { mail } = req.query;
  const filter = `(mail=${mail})`;
  client.search(BASE, { filter, scope: 'sub' }, (err, r) => res.end()); // codetable: expect security.ldap-injection.request-filter
});

app.get('/parsed', (req, res) => {
  const f = ldap.parseFilter('(cn=' + req.params.cn + ')');
  client.search(BASE, { filter: f }, () => res.end()); // codetable: expect security.ldap-injection.request-filter
});

// Fixed forms.
app.get('/safe', (req, res) => {
  const filter = new ldap.EqualityFilter({ attribute: 'uid', value: req.query.user });
  client.search(BASE, { filter, scope: 'sub' }, () => res.end()); // codetable: ok security.ldap-injection.request-filter
});

app.get('/safe-tagged', (req, res) => {
  const filter = ldapEscape.filter`(uid=${req.query.user})`;
  client.search(BASE, { filter, scope: 'sub' }, () => res.end()); // codetable: ok security.ldap-injection.request-filter
});

app.get('/safe2', (req, res) => {
  client.search(BASE, { filter: '(objectClass=person)', sizeLimit: Number(req.query.n) }, () => res.end()); // codetable: ok security.ldap-injection.request-filter
});

app.get('/safe3', (req, res) => {
  res.json(req.query.text.search('(uid=')); // codetable: ok security.ldap-injection.request-filter
});
