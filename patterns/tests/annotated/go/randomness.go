// Weak randomness for secrets (CWE-338), after https://cwe.mitre.org/data/definitions/338.html and
// https://pkg.go.dev/math/rand ("should not be used for security-sensitive work")
package annotated

import (
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/rand"
	"time"
)

func generateToken() string {
	return fmt.Sprintf("%x", rand.Int63()) // codetable: expect security.randomness.insecure-token
}

func resetCode() int {
	return rand.Intn(1000000) // codetable: expect security.randomness.insecure-token
}

func sessionID() string {
	b := make([]byte, 16)
	rand.Read(b) // codetable: expect security.randomness.insecure-token
	return hex.EncodeToString(b)
}

func newPassword() string {
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	return fmt.Sprintf("%d", r.Uint64()) // codetable: expect security.randomness.insecure-token
}

// Fixed forms and non-secret uses.
func fixedToken() string {
	b := make([]byte, 32)
	crand.Read(b) // codetable: ok security.randomness.insecure-token
	return hex.EncodeToString(b)
}

func jitter(d time.Duration) time.Duration {
	return d + time.Duration(rand.Intn(100))*time.Millisecond // codetable: ok security.randomness.insecure-token
}
