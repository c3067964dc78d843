// Log injection needs an INCOMING request (CWE-117): a request a client builds or a transport
// sends is the program's own data. After https://cwe.mitre.org/data/definitions/117.html and
// https://pkg.go.dev/net/http#NewRequest, https://pkg.go.dev/net/http#RoundTripper
package main

import (
	"log"
	"net/http"
)

type logging struct{ next http.RoundTripper }

func (t logging) RoundTrip(req *http.Request) (*http.Response, error) {
	log.Printf("round trip %s", req.URL.Path) // codetable: ok security.log-injection.request-data
	return t.next.RoundTrip(req)
}

func send(url string) {
	req, _ := http.NewRequest("GET", url, nil)
	log.Printf("sending %s", req.URL.RawQuery) // codetable: ok security.log-injection.request-data
	http.DefaultClient.Do(req)
}

func register() {
	http.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) {
		// The raw query keeps its percent-encoding: CR/LF arrive as %0D%0A (session 10).
		log.Printf("query %s", r.URL.RawQuery) // codetable: ok security.log-injection.request-data
	})
}
