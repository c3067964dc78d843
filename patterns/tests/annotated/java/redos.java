// Regular expressions from request data (CWE-1333, CWE-400), after https://cwe.mitre.org/data/definitions/1333.html,
// https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS and
// https://docs.oracle.com/javase/8/docs/api/java/util/regex/Pattern.html
import java.util.regex.Pattern;
import javax.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.*;

@RestController
class Redos {
    boolean compile(HttpServletRequest request, String text) {
        return Pattern.compile(request.getParameter("pattern")).matcher(text).find(); // codetable: expect security.regex.user-pattern
    }

    boolean flags(HttpServletRequest request, String text) {
        String p = request.getParameter("p");
        return Pattern.compile(p, Pattern.CASE_INSENSITIVE).matcher(text).find(); // codetable: expect security.regex.user-pattern
    }

    @GetMapping("/matches")
    boolean matches(@RequestParam String regex, @RequestParam String value) {
        return value.matches(regex); // codetable: expect security.regex.user-pattern
    }

    @GetMapping("/static")
    boolean staticMatches(@RequestParam String regex, @RequestParam String value) {
        return Pattern.matches(regex, value); // codetable: expect security.regex.user-pattern
    }

    @GetMapping("/mask")
    String mask(@RequestParam String word, @RequestParam String text) {
        return text.replaceAll("\\b" + word + "\\b", "***"); // codetable: expect security.regex.user-pattern
    }

    @GetMapping("/split")
    String[] split(@RequestParam String sep, @RequestParam String data) {
        return data.split(sep); // codetable: expect security.regex.user-pattern
    }

    String header(HttpServletRequest request, String text) {
        return text.replaceFirst(request.getHeader("X-Strip"), ""); // codetable: expect security.regex.user-pattern
    }

    // Fixed forms.
    boolean quoted(HttpServletRequest request, String text) {
        return Pattern.compile(Pattern.quote(request.getParameter("pattern"))).matcher(text).find(); // codetable: ok security.regex.user-pattern
    }

    boolean literal(HttpServletRequest request, String text) {
        return Pattern.compile(request.getParameter("pattern"), Pattern.LITERAL).matcher(text).find(); // codetable: ok security.regex.user-pattern
    }

    @GetMapping("/mask-safe")
    String maskSafe(@RequestParam String word, @RequestParam String text) {
        return text.replace(word, "***"); // codetable: ok security.regex.user-pattern
    }

    @GetMapping("/validate")
    boolean validate(@RequestParam String value) {
        return value.matches("[a-z0-9]{1,32}"); // codetable: ok security.regex.user-pattern
    }
}
