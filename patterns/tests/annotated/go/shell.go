// OS command injection (CWE-78), after https://cwe.mitre.org/data/definitions/78.html and
// https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html
package annotated

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"syscall"
)

func ping(host string) error {
	return exec.Command("sh", "-c", "ping -c 1 "+host).Run() // codetable: expect security.command-injection.shell
}

func bash(r *http.Request) ([]byte, error) {
	return exec.Command("bash", "-c", fmt.Sprintf("ls %s", r.URL.Query().Get("dir"))).Output() // codetable: expect security.command-injection.shell
}

func withContext(ctx context.Context, arg string) error {
	return exec.CommandContext(ctx, "/bin/sh", "-c", "tar xf "+arg).Run() // codetable: expect security.command-injection.shell
}

func throughLocal(host string) error {
	cmd := "nslookup " + host
	return exec.Command("sh", "-c", cmd).Run() // codetable: expect security.command-injection.shell
}

func cmdExe(dir string) error {
	return exec.Command("cmd", "/C", "dir "+dir).Run() // codetable: expect security.command-injection.shell
}

func rawExec(arg string) error {
	return syscall.Exec("/bin/sh", []string{"sh", "-c", "echo " + arg}, nil) // codetable: expect security.command-injection.shell
}

// Fixed forms.
func fixed(host string) error {
	return exec.Command("ping", "-c", "1", host).Run() // codetable: ok security.command-injection.shell
}

func constantShell() error {
	return exec.Command("sh", "-c", "ls -l /tmp | wc -l").Run() // codetable: ok security.command-injection.shell
}
