// Open redirect (CWE-601), after https://cwe.mitre.org/data/definitions/601.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
package annotated

import (
	"net/http"
	"strings"
)

func login(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, r.URL.Query().Get("next"), http.StatusFound) // codetable: expect security.open-redirect.request-target
}

func form(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, r.FormValue("url"), http.StatusSeeOther) // codetable: expect security.open-redirect.request-target
}

func throughLocal(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("to")
	http.Redirect(w, r, target, http.StatusFound) // codetable: expect security.open-redirect.request-target
}

func header(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Location", r.URL.Query().Get("next")) // codetable: expect security.open-redirect.request-target
	w.WriteHeader(http.StatusFound)
}

// Fixed forms.
func constant(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/dashboard", http.StatusFound) // codetable: ok security.open-redirect.request-target
}

func checked(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusFound) // codetable: ok security.open-redirect.request-target
}

// Session 10: a configured host with the request's path after it stays on that host; the path
// alone after "/" does not.
var canonicalHost = "www.example.org"

func canonical(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "https://"+canonicalHost+"/"+r.URL.Query().Get("p"), http.StatusMovedPermanently) // codetable: ok security.open-redirect.request-target
}

func itemsPath(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/items/"+r.FormValue("id"), http.StatusFound) // codetable: ok security.open-redirect.request-target
}

func rootPath(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/"+r.FormValue("p"), http.StatusFound) // codetable: expect security.open-redirect.request-target
}
