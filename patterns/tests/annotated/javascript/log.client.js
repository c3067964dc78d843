// Log injection needs an INCOMING request (CWE-117): an outgoing request a client builds is the
// program's own data. After https://cwe.mitre.org/data/definitions/117.html,
// https://developer.mozilla.org/en-US/docs/Web/API/Request, https://nodejs.org/api/http.html#httprequesturl-options-callback
// and https://fastify.dev/docs/latest/Reference/Request/ (handlers get `(request, reply)`).
const http = require('http');

async function send(url) {
  const request = new Request(url, { method: 'POST' });
  console.log('fetching ' + request.url); // codetable: ok security.log-injection.request-data
  return fetch(request);
}

function outgoing(options) {
  const req = http.request(options);
  console.log('sending', req.path); // codetable: ok security.log-injection.request-data
  req.end();
}

function retry(request) {
  console.warn('retrying ' + request.url); // codetable: ok security.log-injection.request-data
}

fastify.get('/hello', async (request, reply) => {
  console.log('hello ' + request.query.name); // codetable: expect security.log-injection.request-data
  return 'ok';
});

app.get('/items', (request, response) => {
  // A header: CR/LF cannot reach it: RFC 9110 5.5 makes a recipient reject or replace CR, LF and NUL in field values (session 10).
  console.info('items for', request.headers['x-user']); // codetable: ok security.log-injection.request-data
  response.send('ok');
});

router.get('/koa', async (ctx) => {
  console.log(`koa ${ctx.query.q}`); // codetable: expect security.log-injection.request-data
});
