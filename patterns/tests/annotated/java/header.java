// HTTP response splitting (CWE-113) with servlets, after https://cwe.mitre.org/data/definitions/113.html.
// Tomcat and Jetty replace or drop CR/LF when they write header values, and Spring WebFlux on Netty validates
// them (https://github.com/github/codeql/issues/15056 and the linked discussion of CodeQL's query), so the
// catalog does not claim servlet header writes; these lines must not be flagged.
import javax.servlet.http.*;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

@RestController
class Headers {
    void servlet(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("X-Trace-Id", request.getHeader("X-Trace-Id")); // codetable: ok security.header-injection.request-value
        response.addCookie(new Cookie("author", request.getParameter("author"))); // codetable: ok security.header-injection.request-value
    }

    @GetMapping("/lang")
    ResponseEntity<String> spring(@RequestParam String lang) {
        return ResponseEntity.ok().header("Content-Language", lang).body("ok"); // codetable: ok security.header-injection.request-value
    }
}
