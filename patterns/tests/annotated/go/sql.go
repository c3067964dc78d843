// SQL injection (CWE-89), after https://cwe.mitre.org/data/definitions/89.html,
// https://go.dev/doc/database/sql-injection and
// https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html
package annotated

import (
	"database/sql"
	"fmt"
	"net/http"
	"strings"
)

func byName(db *sql.DB, name string) (*sql.Rows, error) {
	return db.Query("SELECT * FROM users WHERE name = '" + name + "'") // codetable: expect security.sql-injection.string-built
}

func bySprintf(db *sql.DB, id string) (*sql.Rows, error) {
	return db.Query(fmt.Sprintf("SELECT * FROM orders WHERE id = %s", id)) // codetable: expect security.sql-injection.string-built
}

func exec(db *sql.DB, table string) error {
	_, err := db.Exec("DELETE FROM " + table) // codetable: expect security.sql-injection.string-built
	return err
}

func queryRow(db *sql.DB, email string) *sql.Row {
	return db.QueryRow(fmt.Sprintf("SELECT id FROM users WHERE email = '%s'", email)) // codetable: expect security.sql-injection.string-built
}

func throughLocal(db *sql.DB, r *http.Request) (*sql.Rows, error) {
	q := "SELECT * FROM items WHERE owner = '" + r.URL.Query().Get("owner") + "'"
	return db.Query(q) // codetable: expect security.sql-injection.string-built
}

func throughSprintfLocal(db *sql.DB, sort string) (*sql.Rows, error) {
	query := fmt.Sprintf("SELECT * FROM items ORDER BY %s", sort)
	return db.Query(query) // codetable: expect security.sql-injection.string-built
}

func withContext(db *sql.DB, r *http.Request, id string) (*sql.Rows, error) {
	return db.QueryContext(r.Context(), "SELECT * FROM t WHERE id = "+id) // codetable: expect security.sql-injection.string-built
}

func tx(t *sql.Tx, name string) error {
	_, err := t.Exec(fmt.Sprintf("UPDATE users SET active = false WHERE name = '%s'", name)) // codetable: expect security.sql-injection.string-built
	return err
}

func builder(db *sql.DB, cols []string) (*sql.Rows, error) {
	var b strings.Builder
	b.WriteString("SELECT " + strings.Join(cols, ", ") + " FROM users")
	return db.Query(b.String()) // codetable: expect security.sql-injection.string-built
}

func prepared(db *sql.DB, name string) (*sql.Stmt, error) {
	return db.Prepare("SELECT * FROM users WHERE name = '" + name + "'") // codetable: expect security.sql-injection.string-built
}

// Fixed forms.
func fixed(db *sql.DB, name string) (*sql.Rows, error) {
	return db.Query("SELECT * FROM users WHERE name = ?", name) // codetable: ok security.sql-injection.string-built
}

func fixedPg(db *sql.DB, id int) *sql.Row {
	return db.QueryRow("SELECT * FROM orders WHERE id = $1", id) // codetable: ok security.sql-injection.string-built
}

const usersTable = "users"

func constantConcat(db *sql.DB) (*sql.Rows, error) {
	return db.Query("SELECT * FROM " + usersTable + " WHERE active") // codetable: ok security.sql-injection.string-built
}

func constantSprintf(db *sql.DB, n int) (*sql.Rows, error) {
	return db.Query(fmt.Sprintf("SELECT * FROM users LIMIT %d", n)) // codetable: ok security.sql-injection.string-built
}
