// Shared fixtures for the Node tests: the package (by its own name, through package.json
// "exports"), the default catalog's bytes, and code that contains known patterns.
const fs = require("node:fs");
const path = require("node:path");

const ct = require("codetable-wasm");

const catalogBytes = () =>
  new Uint8Array(fs.readFileSync(path.join(__dirname, "..", "..", "core", "data", "default.ctdb")));

const MD5_PY = 'import hashlib\nhashlib.md5(b"x")\n';

/** Asserts `fn` throws a real `Error` whose message matches `re`. */
function throwsError(assert, fn, re) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `expected an Error, got ${Object.prototype.toString.call(e)}`);
    assert.match(e.message, re);
    return true;
  });
}

module.exports = { ct, catalogBytes, MD5_PY, throwsError };
