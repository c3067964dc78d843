// HTTP response splitting (CWE-113) in Node: not possible through the http module. setHeader and
// writeHead throw ERR_INVALID_CHAR on CR/LF (https://nodejs.org/api/http.html#responsesetheadername-value),
// and Express's res.set / res.header / res.redirect / res.cookie go through them. These lines must not be
// flagged as response splitting (an open redirect is another pattern).
const express = require('express');
const http = require('http');

const app = express();

app.get('/lang', (req, res) => {
  res.set('Content-Language', req.query.lang); // codetable: ok security.header-injection.request-value
  res.send('ok');
});

app.get('/trace', (req, res) => {
  res.setHeader('X-Trace-Id', req.headers['x-trace-id']); // codetable: ok security.header-injection.request-value
  res.end();
});

app.get('/cookie', (req, res) => {
  res.cookie('theme', req.query.theme); // codetable: ok security.header-injection.request-value
  res.end();
});

http.createServer((req, res) => {
  res.writeHead(200, { 'X-Path': req.url }); // codetable: ok security.header-injection.request-value
  res.end();
});
