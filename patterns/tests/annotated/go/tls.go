// TLS certificate verification disabled (CWE-295), after https://cwe.mitre.org/data/definitions/295.html
// and https://pkg.go.dev/crypto/tls#Config (InsecureSkipVerify "should be used only for testing")
package annotated

import (
	"crypto/tls"
	"net/http"
)

var insecure = &tls.Config{InsecureSkipVerify: true} // codetable: expect security.tls.verification-disabled

func client() *http.Client {
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} // codetable: expect security.tls.verification-disabled
	return &http.Client{Transport: tr}
}

func mutate(cfg *tls.Config) {
	cfg.InsecureSkipVerify = true // codetable: expect security.tls.verification-disabled
}

func defaultTransport() {
	http.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true} // codetable: expect security.tls.verification-disabled
}

// Fixed forms.
var secure = &tls.Config{MinVersion: tls.VersionTLS12} // codetable: ok security.tls.verification-disabled

var explicit = &tls.Config{InsecureSkipVerify: false} // codetable: ok security.tls.verification-disabled

// Session 8: the field set after construction (crypto/tls docs: "InsecureSkipVerify controls
// whether a client verifies the server's certificate chain and host name"; gosec G402).
func mutateTransport(tr *http.Transport) {
	tr.TLSClientConfig.InsecureSkipVerify = true // codetable: expect security.tls.verification-disabled
	tr.TLSClientConfig.InsecureSkipVerify = false // codetable: ok security.tls.verification-disabled
	tr.TLSClientConfig.MinVersion = tls.VersionTLS12 // codetable: ok security.tls.verification-disabled
}
