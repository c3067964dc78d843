// Weak hashes (CWE-327, CWE-328), after https://cwe.mitre.org/data/definitions/328.html and
// https://nodejs.org/api/crypto.html#cryptocreatehashalgorithm-options
const crypto = require("crypto");

function digests(data) {
  const a = crypto.createHash("md5").update(data).digest("hex"); // codetable: expect security.weak-hash.md5
  const algorithm = "sha1";
  const b = crypto.createHash(algorithm).update(data).digest("hex"); // codetable: expect security.weak-hash.sha1
  const c = crypto.createHash("sha256").update(data).digest("hex"); // codetable: ok security.weak-hash.md5, security.weak-hash.sha1
  return [a, b, c];
}

module.exports = { digests };
