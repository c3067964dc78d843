// Argument injection (CWE-88): request data as a whole argument of ProcessBuilder or
// Runtime.exec(String[]) (no shell), read as an option when it starts with '-'. After
// https://cwe.mitre.org/data/definitions/88.html,
// https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html#argument-injection
// and https://sonarsource.github.io/argument-injection-vectors/
import java.util.List;
import javax.servlet.http.HttpServletRequest;

class Tools {
    Process extract(HttpServletRequest request) throws Exception {
        String name = request.getParameter("name");
        return new ProcessBuilder("tar", "-xf", name).start(); // codetable: expect security.command-injection.argument-option
    }

    Process clone(HttpServletRequest request) throws Exception {
        return Runtime.getRuntime().exec(new String[]{"git", "clone", request.getParameter("url")}); // codetable: expect security.command-injection.argument-option
    }

    Process list(HttpServletRequest request) throws Exception {
        String dir = request.getParameter("dir");
        return new ProcessBuilder(List.of("ls", "-l", dir)).start(); // codetable: expect security.command-injection.argument-option
    }

    // Fixed forms.
    Process extractSafe(HttpServletRequest request) throws Exception {
        String name = request.getParameter("name");
        return new ProcessBuilder("tar", "-xf", "--", name).start(); // codetable: ok security.command-injection.argument-option
    }

    Process checkout(HttpServletRequest request) throws Exception {
        String b = request.getParameter("b");
        return new ProcessBuilder("git", "checkout", "refs/heads/" + b).start(); // codetable: ok security.command-injection.argument-option
    }

    Process checked(HttpServletRequest request) throws Exception {
        String name = request.getParameter("name");
        if (name.startsWith("-")) {
            throw new IllegalArgumentException("bad name");
        }
        return new ProcessBuilder("tar", "-xf", name).start(); // codetable: ok security.command-injection.argument-option
    }

    Process constant() throws Exception {
        return new ProcessBuilder("git", "status", "--porcelain").start(); // codetable: ok security.command-injection.argument-option
    }
}
