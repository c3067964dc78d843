// Path traversal (CWE-22), after https://cwe.mitre.org/data/definitions/22.html,
// https://go.dev/blog/osroot and https://snyk.io/research/zip-slip-vulnerability
package annotated

import (
	"archive/zip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

const base = "/srv/files"

func read(w http.ResponseWriter, r *http.Request) {
	data, _ := os.ReadFile(filepath.Join(base, r.URL.Query().Get("file"))) // codetable: expect security.path-traversal.user-path
	w.Write(data)
}

func serve(w http.ResponseWriter, r *http.Request) {
	http.ServeFile(w, r, base+"/"+r.URL.Query().Get("name")) // codetable: expect security.path-traversal.user-path
}

func open(r *http.Request) (*os.File, error) {
	return os.Open(r.FormValue("path")) // codetable: expect security.path-traversal.user-path
}

func remove(r *http.Request) error {
	name := r.URL.Query().Get("name")
	return os.Remove(filepath.Join(base, name)) // codetable: expect security.path-traversal.user-path
}

func unzip(zr *zip.Reader, dest string) error {
	for _, f := range zr.File {
		out, err := os.Create(filepath.Join(dest, f.Name)) // codetable: expect security.path-traversal.archive-extract
		if err != nil {
			return err
		}
		rc, _ := f.Open()
		io.Copy(out, rc)
	}
	return nil
}

// Fixed forms.
func checked(w http.ResponseWriter, r *http.Request) {
	p := filepath.Join(base, filepath.Clean("/"+r.URL.Query().Get("file")))
	if !strings.HasPrefix(p, base+string(os.PathSeparator)) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	data, _ := os.ReadFile(p) // codetable: ok security.path-traversal.user-path
	w.Write(data)
}

func constantOpen() (*os.File, error) {
	return os.Open("/etc/app/config.yaml") // codetable: ok security.path-traversal.user-path
}

func fileServer() http.Handler {
	return http.FileServer(http.Dir(base)) // codetable: ok security.path-traversal.user-path
}
