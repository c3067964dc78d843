// LDAP injection (CWE-90), after https://cwe.mitre.org/data/definitions/90.html,
// https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html and
// https://pkg.go.dev/github.com/go-ldap/ldap/v3 (NewSearchRequest, EscapeFilter, EscapeDN)
package annotated

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/go-ldap/ldap/v3"
)

var conn *ldap.Conn

func searchUser(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, fmt.Sprintf("(&(objectClass=person)(uid=%s))", user), []string{"dn"}, nil) // codetable: expect security.ldap-injection.request-filter
	conn.Search(req)
}

func searchConcat(w http.ResponseWriter, r *http.Request) {
	filter := "(mail=" + r.URL.Query().Get("mail") + ")"
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, filter, nil, nil) // codetable: expect security.ldap-injection.request-filter
	conn.Search(req)
}

func bindUser(w http.ResponseWriter, r *http.Request) {
	dn := fmt.Sprintf("uid=%s,ou=people,dc=example,dc=com", r.PostFormValue("user"))
	conn.Bind(dn, r.PostFormValue("password")) // codetable: expect security.ldap-injection.request-filter
}

func ginSearch(c *gin.Context) {
	name := c.Query("name")
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(cn="+name+")", nil, nil) // codetable: expect security.ldap-injection.request-filter
	conn.Search(req)
}

// Fixed forms.
func searchEscaped(w http.ResponseWriter, r *http.Request) {
	user := ldap.EscapeFilter(r.FormValue("user"))
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, fmt.Sprintf("(uid=%s)", user), nil, nil) // codetable: ok security.ldap-injection.request-filter
	conn.Search(req)
}

func bindEscaped(w http.ResponseWriter, r *http.Request) {
	dn := fmt.Sprintf("uid=%s,ou=people,dc=example,dc=com", ldap.EscapeDN(r.PostFormValue("user")))
	conn.Bind(dn, r.PostFormValue("password")) // codetable: ok security.ldap-injection.request-filter
}

func constantFilter(w http.ResponseWriter, r *http.Request) {
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=person)", nil, nil) // codetable: ok security.ldap-injection.request-filter
	conn.Search(req)
}
