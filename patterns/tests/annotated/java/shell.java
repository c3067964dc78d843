// OS command injection (CWE-78), after https://cwe.mitre.org/data/definitions/78.html and
// https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html#java
import java.io.IOException;

class Shell {
    void ping(String host) throws IOException {
        Runtime.getRuntime().exec("ping -c 1 " + host); // codetable: expect security.command-injection.shell
    }

    void viaShell(String file) throws IOException {
        Runtime.getRuntime().exec(new String[] {"sh", "-c", "cat " + file}); // codetable: expect security.command-injection.shell
    }

    void builderShell(String arg) throws IOException {
        new ProcessBuilder("bash", "-c", "tar xf " + arg).start(); // codetable: expect security.command-injection.shell
    }

    void cmdExe(String dir) throws IOException {
        new ProcessBuilder("cmd.exe", "/c", "dir " + dir).start(); // codetable: expect security.command-injection.shell
    }

    void throughLocal(String host) throws IOException {
        String cmd = "nslookup " + host;
        Runtime.getRuntime().exec(cmd); // codetable: expect security.command-injection.shell
    }

    void receiverLocal(String host) throws IOException {
        Runtime rt = Runtime.getRuntime();
        rt.exec("ping " + host); // codetable: expect security.command-injection.shell
    }

    void formatted(String user) throws IOException {
        Runtime.getRuntime().exec(String.format("id %s", user)); // codetable: expect security.command-injection.shell
    }

    void builderCommand(String arg) throws IOException {
        ProcessBuilder pb = new ProcessBuilder();
        pb.command("sh", "-c", "echo " + arg); // codetable: expect security.command-injection.shell
        pb.start();
    }

    // Fixed forms.
    void fixedArray(String host) throws IOException {
        Runtime.getRuntime().exec(new String[] {"ping", "-c", "1", host}); // codetable: ok security.command-injection.shell
    }

    void fixedBuilder(String arg) throws IOException {
        new ProcessBuilder("tar", "xf", arg).start(); // codetable: ok security.command-injection.shell
    }

    void constant() throws IOException {
        Runtime.getRuntime().exec("uptime"); // codetable: ok security.command-injection.shell
    }

    void constantShell() throws IOException {
        new ProcessBuilder("sh", "-c", "ls -l /tmp | wc -l").start(); // codetable: ok security.command-injection.shell
    }
}

class ShellMore {
    void fixedList(java.util.List<String> args) throws IOException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("git", "log"));
        cmd.addAll(args);
        new ProcessBuilder(cmd).start(); // codetable: ok security.command-injection.shell
    }

    void listShell(String arg) throws IOException {
        new ProcessBuilder(java.util.List.of("sh", "-c", "grep " + arg)).start(); // codetable: expect security.command-injection.shell
    }
}
