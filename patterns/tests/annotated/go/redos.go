// Regular expressions from request data in Go: not ReDoS. Go's regexp guarantees time linear in the
// input (RE2 semantics, https://pkg.go.dev/regexp and https://github.com/google/re2/wiki/WhyRE2), so
// compiling a user's pattern costs at most its size times the subject; these lines must not be flagged.
package annotated

import (
	"net/http"
	"regexp"
)

func search(w http.ResponseWriter, r *http.Request) {
	re, err := regexp.Compile(r.URL.Query().Get("q")) // codetable: ok security.regex.user-pattern
	if err == nil {
		w.Write([]byte(re.FindString("haystack")))
	}
}

func match(w http.ResponseWriter, r *http.Request) {
	ok, _ := regexp.MatchString(r.FormValue("pattern"), r.FormValue("value")) // codetable: ok security.regex.user-pattern
	if ok {
		w.WriteHeader(http.StatusNoContent)
	}
}

func must(w http.ResponseWriter, r *http.Request) {
	re := regexp.MustCompile("(" + r.FormValue("word") + ")+$") // codetable: ok security.regex.user-pattern
	w.Write([]byte(re.String()))
}
