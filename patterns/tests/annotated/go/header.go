// HTTP response splitting (CWE-113) in Go: not possible through net/http, which replaces CR and LF in
// header values with spaces when it writes them (https://pkg.go.dev/net/http#Header.Write,
// headerNewlineToSpace). These lines must not be flagged as response splitting.
package annotated

import "net/http"

func lang(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Language", r.URL.Query().Get("lang")) // codetable: ok security.header-injection.request-value
	w.WriteHeader(http.StatusNoContent)
}

func trace(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("X-Trace-Id", r.Header.Get("X-Trace-Id")) // codetable: ok security.header-injection.request-value
	http.SetCookie(w, &http.Cookie{Name: "theme", Value: r.FormValue("theme")}) // codetable: ok security.header-injection.request-value
}
