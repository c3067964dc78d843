// Argument injection (CWE-88): request data as a whole argument of exec.Command (os/exec never
// runs a shell), read as an option when it starts with '-'. After https://cwe.mitre.org/data/definitions/88.html,
// https://pkg.go.dev/os/exec and https://sonarsource.github.io/argument-injection-vectors/
package main

import (
	"net/http"
	"os/exec"
	"strings"
)

func clone(w http.ResponseWriter, r *http.Request) {
	exec.Command("git", "clone", r.FormValue("url")).Run() // codetable: expect security.command-injection.argument-option
}

func grep(w http.ResponseWriter, r *http.Request) {
	term := r.URL.Query().Get("term")
	out, _ := exec.CommandContext(r.Context(), "grep", "-r", term, "/srv").Output() // codetable: expect security.command-injection.argument-option
	w.Write(out)
}

func cloneSafe(w http.ResponseWriter, r *http.Request) {
	exec.Command("git", "clone", "--", r.FormValue("url")).Run() // codetable: ok security.command-injection.argument-option
}

func cloneChecked(w http.ResponseWriter, r *http.Request) {
	url := r.FormValue("url")
	if strings.HasPrefix(url, "-") {
		return
	}
	exec.Command("git", "clone", url).Run() // codetable: ok security.command-injection.argument-option
}

func checkout(w http.ResponseWriter, r *http.Request) {
	exec.Command("git", "checkout", "refs/heads/"+r.FormValue("b")).Run() // codetable: ok security.command-injection.argument-option
}
