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
  console.info('request from', ua); // codetable: expect security.log-injection.request-data
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
