// Cross-site scripting (CWE-79), after https://cwe.mitre.org/data/definitions/79.html and
// https://pkg.go.dev/html/template#hdr-Typed_Strings (template.HTML marks content as trusted)
package annotated

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
)

func comment(c string) template.HTML {
	return template.HTML("<p>" + c + "</p>") // codetable: expect security.xss.marked-safe
}

func formatted(name string) template.HTML {
	return template.HTML(fmt.Sprintf("<b>%s</b>", name)) // codetable: expect security.xss.marked-safe
}

func script(v string) template.JS {
	return template.JS("var x = '" + v + "';") // codetable: expect security.xss.marked-safe
}

func link(r *http.Request) template.URL {
	return template.URL(r.URL.Query().Get("next")) // codetable: expect security.xss.marked-safe
}

func throughLocal(c string) template.HTML {
	html := "<div>" + c + "</div>"
	return template.HTML(html) // codetable: expect security.xss.marked-safe
}

func raw(w http.ResponseWriter, r *http.Request) {
	io.WriteString(w, "<h1>Hello "+r.URL.Query().Get("name")+"</h1>") // codetable: expect security.xss.marked-safe
}

func fprintf(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "<p>%s</p>", r.FormValue("q")) // codetable: expect security.xss.marked-safe
}

// Fixed forms.
func escaped(name string) template.HTML {
	return template.HTML("<b>" + template.HTMLEscapeString(name) + "</b>") // codetable: ok security.xss.marked-safe
}

func constant() template.HTML {
	return template.HTML("<hr>") // codetable: ok security.xss.marked-safe
}
