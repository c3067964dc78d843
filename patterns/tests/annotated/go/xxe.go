// XML external entities (CWE-611) in Go: encoding/xml does not process DTDs or resolve external entities
// at all (https://pkg.go.dev/encoding/xml: "Decoder ... does not support DTDs"; Strict mode and Entity map
// only map named entities to fixed strings), so decoding untrusted XML is not XXE; must not be flagged.
package annotated

import (
	"encoding/xml"
	"net/http"
)

type Order struct {
	ID string `xml:"id"`
}

func decode(w http.ResponseWriter, r *http.Request) {
	var o Order
	xml.NewDecoder(r.Body).Decode(&o) // codetable: ok security.xxe.document-builder
}

func unmarshal(data []byte) (Order, error) {
	var o Order
	err := xml.Unmarshal(data, &o) // codetable: ok security.xxe.document-builder
	return o, err
}

func entities(w http.ResponseWriter, r *http.Request) {
	d := xml.NewDecoder(r.Body)
	d.Entity = xml.HTMLEntity // codetable: ok security.xxe.document-builder
	var o Order
	d.Decode(&o)
}
