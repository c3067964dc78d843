// Hard-coded credentials (CWE-798), after https://cwe.mitre.org/data/definitions/798.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
const jwt = require("jsonwebtoken");
const { Client } = require("pg");

const password = "Sup3rS3cret!"; // codetable: expect security.secrets.hardcoded-credential
const API_KEY = "sk_live_51HxQ2kLmN0pQrStUvWxYz"; // codetable: expect security.secrets.hardcoded-credential
const config = { user: "app", password: "Pr0d-Passw0rd" }; // codetable: expect security.secrets.hardcoded-credential

const client = new Client({ host: "db", user: "app", password: "db-pass-2024" }); // codetable: expect security.secrets.hardcoded-credential

function sign(payload) {
  return jwt.sign(payload, "my-very-secret-signing-key"); // codetable: expect security.secrets.hardcoded-credential
}

function isAdmin(pw) {
  return pw === "letmein-2024"; // codetable: expect security.secrets.hardcoded-credential
}

// Fixed forms and look-alikes.
const envPassword = process.env.DB_PASSWORD; // codetable: ok security.secrets.hardcoded-credential
const passwordLabel = "Password"; // codetable: ok security.secrets.hardcoded-credential
const PASSWORD_MIN_LENGTH = 12; // codetable: ok security.secrets.hardcoded-credential

function signEnv(payload) {
  return jwt.sign(payload, process.env.JWT_SECRET); // codetable: ok security.secrets.hardcoded-credential
}

module.exports = { client, config, sign, isAdmin, envPassword, passwordLabel, PASSWORD_MIN_LENGTH, password, API_KEY };

// Session 8: credentials where a reviewer finds them (CWE-798; OWASP Secrets Management Cheat
// Sheet; node-postgres connection strings https://node-postgres.com/features/connecting;
// jsonwebtoken's secretOrPrivateKey https://github.com/auth0/node-jsonwebtoken#usage).
function services(settings, req) {
  settings.smtpPassword = "smtp-2024-pass"; // codetable: expect security.secrets.hardcoded-credential
  const pool = new Client({ connectionString: "postgres://app:Pr0d-Passw0rd@db/app" }); // codetable: expect security.secrets.hardcoded-credential
  const ok = jwt.verify(req.token, "hs256-shared-secret"); // codetable: expect security.secrets.hardcoded-credential
  const key = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
-----END PRIVATE KEY-----`; // codetable: expect security.secrets.hardcoded-credential
  if (req.body.apiKey !== "k-9f8e7d6c5b4a") return null; // codetable: expect security.secrets.hardcoded-credential
  return [pool, ok, key];
}

function servicesFixed(settings, req) {
  settings.smtpPassword = process.env.SMTP_PASSWORD; // codetable: ok security.secrets.hardcoded-credential
  const pool = new Client({ connectionString: process.env.DATABASE_URL }); // codetable: ok security.secrets.hardcoded-credential
  const docs = new Client({ connectionString: "postgres://user:password@localhost/db" }); // codetable: ok security.secrets.hardcoded-credential
  const form = { username: "username", password: "password" }; // codetable: ok security.secrets.hardcoded-credential
  const ok = jwt.verify(req.token, settings.jwtSecret); // codetable: ok security.secrets.hardcoded-credential
  if (req.body.password === "") return null; // codetable: ok security.secrets.hardcoded-credential
  return [pool, docs, form, ok];
}

// PEM armour lines alone hold no key (RFC 7468 section 2): markers a parser looks for.
const PEM_HEADER = '-----BEGIN EC PRIVATE KEY-----'; // codetable: ok security.secrets.hardcoded-credential
function isPem(text) {
  return text.startsWith('-----BEGIN PRIVATE KEY-----'); // codetable: ok security.secrets.hardcoded-credential
}
