// Log injection (CWE-117), after https://cwe.mitre.org/data/definitions/117.html,
// https://owasp.org/www-community/attacks/Log_Injection and
// https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html. console.* writes plain text;
// JSON loggers (pino, bunyan) escape newlines in values (https://getpino.io/#/docs/api).
const express = require('express');
const pino = require('pino')();

const app = express();

app.post('/login', (req, res) => {
  console.warn('failed login for ' + req.body.user); // codetable: expect security.log-injection.request-data
  res.sendStatus(401);
});

app.get('/search', (req, res) => {
  console.log(`search: ${req.query.q}`); // codetable: expect security.log-injection.request-data
  res.end();
});

app.get('/agent', (req, res) => {
  const ua = req.headers['user-agent'];
  // A header: CR/LF cannot reach it: RFC 9110 5.5 makes a recipient reject or replace CR, LF and NUL in field values (session 10).
  console.info('request from', ua); // codetable: ok security.log-injection.request-data
  res.end();
});

app.get('/err/:id', (req, res) => {
  console.error('no such item %s', req.params.id); // codetable: expect security.log-injection.request-data
  res.sendStatus(404);
});

// Fixed forms.
app.post('/login-safe', (req, res) => {
  const user = req.body.user.replace(/[\r\n]+/g, ' ');
  console.warn('failed login for ' + user); // codetable: ok security.log-injection.request-data
  res.sendStatus(401);
});

app.get('/search-safe', (req, res) => {
  console.log('search: %s', JSON.stringify(req.query.q)); // codetable: ok security.log-injection.request-data
  res.end();
});

app.get('/pino', (req, res) => {
  pino.info({ q: req.query.q }, 'search'); // codetable: ok security.log-injection.request-data
  res.end();
});

app.get('/count', (req, res) => {
  console.log('count', Number(req.query.n)); // codetable: ok security.log-injection.request-data
  res.end();
});

// Session 10: Node keeps `req.url`, `originalUrl` and `path` percent-encoded (CR/LF stay %0D%0A),
// and a record a call computes from a request value is not the sender's text.
app.get('/raw/:id', (req, res) => {
  console.log('hit ' + req.originalUrl); // codetable: ok security.log-injection.request-data
  console.log('path %s', req.path); // codetable: ok security.log-injection.request-data
  const item = store.find(req.params.id);
  console.log('found', item); // codetable: ok security.log-injection.request-data
  console.log('id ' + String(req.params.id)); // codetable: expect security.log-injection.request-data
  console.log('name', decodeURIComponent(req.query.name)); // codetable: expect security.log-injection.request-data
  console.log(`user ${req.body.user.trim()}`); // codetable: expect security.log-injection.request-data
  res.end();
});
