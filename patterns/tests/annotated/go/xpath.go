// XPath injection (CWE-643), after https://cwe.mitre.org/data/definitions/643.html,
// https://owasp.org/www-community/attacks/XPATH_Injection and
// https://pkg.go.dev/github.com/antchfx/xmlquery (Find, FindOne, Query, QueryAll)
package annotated

import (
	"fmt"
	"net/http"

	"github.com/antchfx/htmlquery"
	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
	"github.com/gin-gonic/gin"
)

var users *xmlquery.Node

func login(w http.ResponseWriter, r *http.Request) {
	q := fmt.Sprintf("//user[name='%s' and password='%s']", r.FormValue("user"), r.FormValue("pass"))
	if xmlquery.FindOne(users, q) == nil { // codetable: expect security.xpath-injection.request-expression
		w.WriteHeader(http.StatusUnauthorized)
	}
}

func email(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	nodes, _ := xmlquery.QueryAll(users, "//user[@name='"+name+"']/email") // codetable: expect security.xpath-injection.request-expression
	fmt.Fprint(w, len(nodes))
}

func compiled(c *gin.Context) {
	expr := xpath.MustCompile("//user[@id='" + c.Param("id") + "']") // codetable: expect security.xpath-injection.request-expression
	c.JSON(200, expr.String())
}

func html(w http.ResponseWriter, r *http.Request) {
	doc, _ := htmlquery.LoadURL("https://example.com")
	htmlquery.Find(doc, "//a[@class='"+r.FormValue("cls")+"']") // codetable: expect security.xpath-injection.request-expression
}

// Fixed forms.
func emailSafe(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	for _, u := range xmlquery.Find(users, "//user") { // codetable: ok security.xpath-injection.request-expression
		if u.SelectAttr("name") == name {
			fmt.Fprint(w, u.InnerText())
		}
	}
}

func constant(w http.ResponseWriter, r *http.Request) {
	n := xmlquery.FindOne(users, "count(//user)") // codetable: ok security.xpath-injection.request-expression
	fmt.Fprint(w, n)
}
