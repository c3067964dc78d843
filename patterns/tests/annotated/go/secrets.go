// Hard-coded credentials (CWE-798), after https://cwe.mitre.org/data/definitions/798.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
package annotated

import (
	"database/sql"
	"os"
)

const password = "s3cr3t-Passw0rd!" // codetable: expect security.secrets.hardcoded-credential

var apiKey = "AKfq83hd72hf82hf9h2f3" // codetable: expect security.secrets.hardcoded-credential

func connect() (*sql.DB, error) {
	return sql.Open("postgres", "postgres://app:Pr0d-Passw0rd@db/app") // codetable: expect security.secrets.hardcoded-credential
}

type Config struct{ Password string }

var cfg = Config{Password: "hunter2hunter2"} // codetable: expect security.secrets.hardcoded-credential

// Fixed forms and look-alikes.
var envPassword = os.Getenv("DB_PASSWORD") // codetable: ok security.secrets.hardcoded-credential

const passwordField = "password" // codetable: ok security.secrets.hardcoded-credential

// Session 8: URLs with a password, struct fields, comparisons, JWT keys (CWE-798; OWASP Secrets
// Management Cheat Sheet; golang-jwt SignedString https://pkg.go.dev/github.com/golang-jwt/jwt/v5).
type Mail struct {
	Host     string
	Password string
}

type jwtToken interface{ SignedString(key interface{}) (string, error) }

func services(t jwtToken, given string) (*sql.DB, error) {
	m := Mail{Host: "smtp", Password: "Sm7p-Pass!"} // codetable: expect security.secrets.hardcoded-credential
	m.Password = "smtp-2024-pass" // codetable: expect security.secrets.hardcoded-credential
	s, _ := t.SignedString([]byte("hs256-shared-secret")) // codetable: expect security.secrets.hardcoded-credential
	fixed := Mail{Host: "smtp", Password: os.Getenv("SMTP_PASSWORD")} // codetable: ok security.secrets.hardcoded-credential
	docs := "postgres://user:password@localhost/db" // codetable: ok security.secrets.hardcoded-credential
	_, _, _, _ = m, s, fixed, docs
	if given == "" { // codetable: ok security.secrets.hardcoded-credential
		return nil, nil
	}
	return sql.Open("postgres", os.Getenv("DATABASE_URL")) // codetable: ok security.secrets.hardcoded-credential
}

// Session 10: a two-capital key is a code (Palau's postcode pattern), not "pw" for password;
// a lower-case "pw" key still names a password.
var postcodes = map[string]string{
	"PT": `^\d{4}-\d{3}$`,
	"PW": `^969(39|40)$`, // codetable: ok security.secrets.hardcoded-credential
}

var login = map[string]string{
	"user": "admin",
	"pw":   "s3cr3t!2024", // codetable: expect security.secrets.hardcoded-credential
}
