// Server-side request forgery (CWE-918), after https://cwe.mitre.org/data/definitions/918.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
package annotated

import (
	"net/http"
)

func proxy(w http.ResponseWriter, r *http.Request) {
	resp, _ := http.Get(r.URL.Query().Get("url")) // codetable: expect security.ssrf.request-url
	defer resp.Body.Close()
}

func hook(w http.ResponseWriter, r *http.Request) {
	http.Post(r.FormValue("callback"), "application/json", nil) // codetable: expect security.ssrf.request-url
}

func newRequest(w http.ResponseWriter, r *http.Request) {
	req, _ := http.NewRequest("GET", r.URL.Query().Get("u"), nil) // codetable: expect security.ssrf.request-url
	http.DefaultClient.Do(req)
}

func throughLocal(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	http.Get(target) // codetable: expect security.ssrf.request-url
}

func built(w http.ResponseWriter, r *http.Request) {
	http.Get("http://" + r.URL.Query().Get("host") + "/status") // codetable: expect security.ssrf.request-url
}

func client(w http.ResponseWriter, r *http.Request) {
	c := &http.Client{}
	c.Get(r.URL.Query().Get("url")) // codetable: expect security.ssrf.request-url
}

// Fixed forms.
func constant() {
	http.Get("https://api.example.com/status") // codetable: ok security.ssrf.request-url
}
