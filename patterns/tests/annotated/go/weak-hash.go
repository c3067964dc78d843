// Weak hashes (CWE-327, CWE-328), after https://cwe.mitre.org/data/definitions/328.html,
// https://pkg.go.dev/crypto/md5 and gosec G401/G505.
package annotated

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
)

func digests(data, key []byte) ([]byte, []byte) {
	sum := md5.Sum(data) // codetable: expect security.weak-hash.md5
	mac := hmac.New(sha1.New, key) // codetable: expect security.weak-hash.sha1
	strong := hmac.New(sha256.New, key) // codetable: ok security.weak-hash.md5, security.weak-hash.sha1
	mac.Write(data)
	strong.Write(data)
	return sum[:], mac.Sum(nil)
}
