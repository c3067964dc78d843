// TLS certificate verification disabled (CWE-295), after https://cwe.mitre.org/data/definitions/295.html
// and https://nodejs.org/api/tls.html#tlsconnectoptions-callback (rejectUnauthorized)
const https = require("https");
const tls = require("tls");
const axios = require("axios");

const agent = new https.Agent({ rejectUnauthorized: false }); // codetable: expect security.tls.verification-disabled

function get(url) {
  return https.get(url, { rejectUnauthorized: false }); // codetable: expect security.tls.verification-disabled
}

function connect(host) {
  return tls.connect(443, host, { rejectUnauthorized: false }); // codetable: expect security.tls.verification-disabled
}

process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"; // codetable: expect security.tls.verification-disabled

function client() {
  return axios.create({ httpsAgent: new https.Agent({ rejectUnauthorized: false }) }); // codetable: expect security.tls.verification-disabled
}

function anyHost(host) {
  return tls.connect({ host, checkServerIdentity: () => undefined }); // codetable: expect security.tls.verification-disabled
}

// Fixed forms.
const safeAgent = new https.Agent({ rejectUnauthorized: true }); // codetable: ok security.tls.verification-disabled

function customCa(url, ca) {
  return https.get(url, { ca }); // codetable: ok security.tls.verification-disabled
}

module.exports = { agent, safeAgent };

function fixedConnect(host) {
  return tls.connect(443, host, { servername: host }); // codetable: ok security.tls.verification-disabled
}


// Session 8: other options and forms (Node tls.connect `checkServerIdentity`, request's
// `strictSSL`, CWE-295; https://nodejs.org/api/tls.html#tlscheckserveridentityhostname-cert).
function siblings(host, options) {
  options.rejectUnauthorized = false; // codetable: expect security.tls.verification-disabled
  const a = tls.connect({ host, checkServerIdentity: function () { return undefined; } }); // codetable: expect security.tls.verification-disabled
  const b = request({ url: host, strictSSL: false }); // codetable: expect security.tls.verification-disabled
  const c = tls.connect({ host, checkServerIdentity: (h, cert) => tls.checkServerIdentity(h, cert) }); // codetable: ok security.tls.verification-disabled
  options.rejectUnauthorized = true; // codetable: ok security.tls.verification-disabled
  return [a, b, c];
}

function request(o) {
  return o;
}
