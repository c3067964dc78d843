// Log injection (CWE-117), after https://cwe.mitre.org/data/definitions/117.html and
// https://owasp.org/www-community/attacks/Log_Injection. The log package writes plain lines; log/slog
// quotes or escapes values (https://pkg.go.dev/log/slog#TextHandler) and %q quotes, so those are fine.
package annotated

import (
	"log"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

func login(w http.ResponseWriter, r *http.Request) {
	log.Printf("failed login for %s", r.FormValue("user")) // codetable: expect security.log-injection.request-data
	w.WriteHeader(http.StatusUnauthorized)
}

func search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	log.Println("search:", q) // codetable: expect security.log-injection.request-data
}

func agent(w http.ResponseWriter, r *http.Request) {
	// A header: CR/LF cannot reach it: RFC 9110 5.5 makes a recipient reject or replace CR, LF and NUL in field values (session 10).
	log.Print("agent " + r.Header.Get("User-Agent")) // codetable: ok security.log-injection.request-data
}

func ginLog(c *gin.Context) {
	log.Printf("item %v requested by %s", c.Param("id"), c.Query("user")) // codetable: expect security.log-injection.request-data
}

// Fixed forms.
func loginQuoted(w http.ResponseWriter, r *http.Request) {
	log.Printf("failed login for %q", r.FormValue("user")) // codetable: ok security.log-injection.request-data
}

func loginSlog(w http.ResponseWriter, r *http.Request) {
	slog.Info("failed login", "user", r.FormValue("user")) // codetable: ok security.log-injection.request-data
}

func loginReplaced(w http.ResponseWriter, r *http.Request) {
	user := strings.ReplaceAll(r.FormValue("user"), "\n", "")
	log.Printf("failed login for %s", user) // codetable: ok security.log-injection.request-data  // codetable: expect security.log-injection.neutralized
}
