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
