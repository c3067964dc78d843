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
