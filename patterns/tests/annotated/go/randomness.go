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

// Session 8: named for a secret wherever it is assigned (CWE-338; math/rand: "should not be used
// for security-sensitive work"; use crypto/rand).
type Session struct {
	ID    string
	Token string
}

func newSession(user string) Session {
	token := fmt.Sprintf("%x", rand.Uint64()) // codetable: expect security.randomness.insecure-token
	s := Session{ID: user, Token: fmt.Sprint(rand.Int63())} // codetable: expect security.randomness.insecure-token
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	var apiKey = fmt.Sprint(r.Int63()) // codetable: expect security.randomness.insecure-token
	tokenLen := 16 + rand.Intn(16) // codetable: ok security.randomness.insecure-token
	backoff := time.Duration(r.Intn(100)) * time.Millisecond // codetable: ok security.randomness.insecure-token
	_, _, _ = apiKey, tokenLen, backoff
	s.Token = token
	return s
}
