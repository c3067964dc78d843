// OS command injection (CWE-78), after https://cwe.mitre.org/data/definitions/78.html and
// https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html
class Shell {
    fun ping(host: String) {
        Runtime.getRuntime().exec("ping -c 1 $host") // codetable: expect security.command-injection.shell
    }

    fun viaShell(file: String) {
        ProcessBuilder("sh", "-c", "cat $file").start() // codetable: expect security.command-injection.shell
    }

    fun throughLocal(host: String) {
        val cmd = "nslookup " + host
        Runtime.getRuntime().exec(cmd) // codetable: expect security.command-injection.shell
    }

    // Fixed forms.
    fun fixed(host: String) {
        ProcessBuilder("ping", "-c", "1", host).start() // codetable: ok security.command-injection.shell
    }

    fun constant() {
        Runtime.getRuntime().exec("uptime") // codetable: ok security.command-injection.shell
    }
}
