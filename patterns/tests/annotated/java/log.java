// Log injection (CWE-117), after https://cwe.mitre.org/data/definitions/117.html (demonstrative example:
// logging a request parameter), https://owasp.org/www-community/attacks/Log_Injection and
// https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html
import javax.servlet.http.HttpServletRequest;
import org.apache.commons.text.StringEscapeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.*;

@RestController
class LogInjection {
    private static final Logger log = LoggerFactory.getLogger(LogInjection.class);
    private static final java.util.logging.Logger julLogger = java.util.logging.Logger.getLogger("app");

    void cweExample(HttpServletRequest request) {
        String val = request.getParameter("val");
        try {
            int value = Integer.parseInt(val);
        } catch (NumberFormatException e) {
            log.info("Failed to parse val = " + val); // codetable: expect security.log-injection.request-data
        }
    }

    @PostMapping("/login")
    void login(@RequestParam String user) {
        log.warn("failed login for {}", user); // codetable: expect security.log-injection.request-data
    }

    void header(HttpServletRequest request) {
        // A header (CR/LF cannot reach it: RFC 9110 5.5 makes a recipient reject or replace CR, LF and NUL in field values (session 10)) and the raw, still percent-encoded URI.
        log.debug("agent={} path={}", request.getHeader("User-Agent"), request.getRequestURI()); // codetable: ok security.log-injection.request-data
    }

    void jul(HttpServletRequest request) {
        julLogger.warning("bad token from " + request.getParameter("user")); // codetable: expect security.log-injection.request-data
    }

    void julLevel(HttpServletRequest request) {
        julLogger.log(java.util.logging.Level.WARNING, "bad token from " + request.getParameter("user")); // codetable: expect security.log-injection.request-data
    }

    @GetMapping("/err")
    void error(@RequestParam String item) {
        log.error("no such item: " + item); // codetable: expect security.log-injection.request-data
    }

    // Fixed forms.
    @PostMapping("/login-safe")
    void loginSafe(@RequestParam String user) {
        String clean = user.replaceAll("[\r\n]", "_");
        log.warn("failed login for {}", clean); // codetable: ok security.log-injection.request-data  // codetable: expect security.log-injection.neutralized
    }

    @GetMapping("/err-safe")
    void errorSafe(@RequestParam String item) {
        log.error("no such item: " + StringEscapeUtils.escapeJava(item)); // codetable: ok security.log-injection.request-data
    }

    @GetMapping("/id")
    void numeric(@RequestParam long id) {
        log.info("item {}", id); // codetable: ok security.log-injection.request-data
    }

    void constant() {
        log.info("started"); // codetable: ok security.log-injection.request-data
    }
}
