// Weak randomness for secrets (CWE-338), after https://cwe.mitre.org/data/definitions/338.html and
// https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Math/random
// (Math.random "does not provide cryptographically secure random numbers")
const crypto = require("crypto");

function generateToken() {
  return Math.random().toString(36).substring(2); // codetable: expect security.randomness.insecure-token
}

function resetCode() {
  return Math.floor(Math.random() * 1000000); // codetable: expect security.randomness.insecure-token
}

function createSession(res) {
  const sid = Math.random().toString(16).slice(2); // codetable: expect security.randomness.insecure-token
  res.cookie("sid", sid);
}

function newPassword() {
  let pw = "";
  for (let i = 0; i < 12; i++) pw += String.fromCharCode(33 + Math.floor(Math.random() * 90)); // codetable: expect security.randomness.insecure-token
  return pw;
}

const apiKey = Date.now().toString(36) + Math.random().toString(36); // codetable: expect security.randomness.insecure-token

// Fixed forms and non-secret uses.
function fixedToken() {
  return crypto.randomBytes(32).toString("hex"); // codetable: ok security.randomness.insecure-token
}

function fixedUuid() {
  return crypto.randomUUID(); // codetable: ok security.randomness.insecure-token
}

function fixedInt() {
  return crypto.randomInt(0, 1000000); // codetable: ok security.randomness.insecure-token
}

function jitter(ms) {
  return ms + Math.random() * 100; // codetable: ok security.randomness.insecure-token
}

function pickColor(colors) {
  return colors[Math.floor(Math.random() * colors.length)]; // codetable: ok security.randomness.insecure-token
}

module.exports = { generateToken, apiKey };

// Session 8: the value is named for a secret wherever it is assigned (CWE-338; OWASP Cryptographic
// Storage Cheat Sheet, "Secure Random Number Generation": use crypto.randomBytes / getRandomValues).
function register(user, req) {
  user.resetToken = Math.random().toString(36).slice(2); // codetable: expect security.randomness.insecure-token
  req.session.csrfToken = String(Math.random()); // codetable: expect security.randomness.insecure-token
  const invite = { email: user.email, inviteCode: Math.floor(Math.random() * 1e8) }; // codetable: expect security.randomness.insecure-token
  let salt = Math.random().toString(16); // codetable: expect security.randomness.insecure-token
  const fixedSalt = crypto.randomBytes(16).toString("hex"); // codetable: ok security.randomness.insecure-token
  const passwordLength = 12 + Math.floor(Math.random() * 8); // codetable: ok security.randomness.insecure-token
  const tokenIndex = Math.floor(Math.random() * 3); // codetable: ok security.randomness.insecure-token
  const delay = Math.random() * 1000; // codetable: ok security.randomness.insecure-token
  return [invite, salt, fixedSalt, passwordLength, tokenIndex, delay];
}

// Session 8: a secret-named key elsewhere in the same object does not make jitter a secret
// (the generator call must be in the secret entry's value).
const redisOptions = {
  password: process.env.REDIS_PASSWORD, // codetable: ok security.randomness.insecure-token
  retryStrategy: (times) => Math.min(times * 50, 2000) + Math.floor(Math.random() * 200), // codetable: ok security.randomness.insecure-token
};
module.exports.redisOptions = redisOptions;

// Session 10: a mock scope's session id feeds code under test, not a user's login; the same
// property in a function that creates real sessions is a predictable session identifier.
function createMockScope() {
  return {
    id: "",
    sessionId: Math.random().toString(32).slice(2), // codetable: ok security.randomness.insecure-token
  };
}

function createLoginSession(user) {
  return {
    user: user.id,
    sessionId: Math.random().toString(32).slice(2), // codetable: expect security.randomness.insecure-token
  };
}
module.exports.sessions = [createMockScope, createLoginSession];
