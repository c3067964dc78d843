// Server-side template injection (CWE-1336), after https://cwe.mitre.org/data/definitions/1336.html and
// https://pkg.go.dev/text/template (an injected template can call exported methods of the data).
package annotated

import (
	"fmt"
	htmltemplate "html/template"
	"net/http"
	"text/template"

	"github.com/gin-gonic/gin"
)

var hello = htmltemplate.Must(htmltemplate.New("hello").Parse("<h1>Hello {{.}}</h1>"))

func preview(w http.ResponseWriter, r *http.Request) {
	src := r.FormValue("template")
	t, err := template.New("preview").Parse(src) // codetable: expect security.template-injection.from-string
	if err == nil {
		t.Execute(w, nil)
	}
}

func greet(w http.ResponseWriter, r *http.Request) {
	page := fmt.Sprintf("<h1>Hello %s</h1>", r.URL.Query().Get("name"))
	t := htmltemplate.Must(htmltemplate.New("greet").Parse(page)) // codetable: expect security.template-injection.from-string
	t.Execute(w, nil)
}

func ginPreview(c *gin.Context) {
	tmpl := template.New("x")
	tmpl, _ = tmpl.Parse("<p>" + c.PostForm("body") + "</p>") // codetable: expect security.template-injection.from-string
	tmpl.Execute(c.Writer, nil)
}

// Fixed forms.
func greetSafe(w http.ResponseWriter, r *http.Request) {
	hello.Execute(w, r.URL.Query().Get("name")) // codetable: ok security.template-injection.from-string
}

func constant(w http.ResponseWriter, r *http.Request) {
	t := template.Must(template.New("c").Parse("<p>{{.Msg}}</p>")) // codetable: ok security.template-injection.from-string
	t.Execute(w, map[string]string{"Msg": r.FormValue("msg")})
}
