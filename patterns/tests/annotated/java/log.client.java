// Log injection needs an INCOMING request (CWE-117): a request an HTTP client builds is the
// program's own data. After https://cwe.mitre.org/data/definitions/117.html,
// https://docs.oracle.com/en/java/javase/17/docs/api/java.net.http/java/net/http/HttpRequest.html and
// https://hc.apache.org/httpcomponents-client-5.2.x/ (HttpGet, ClassicHttpRequest#getHeaders)
import java.net.URI;
import java.net.http.HttpRequest;
import javax.servlet.http.HttpServletRequest;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ClientLog {
    private static final Logger log = LoggerFactory.getLogger(ClientLog.class);
    private HttpServletRequest request;

    void send(String url) {
        HttpGet get = new HttpGet(url);
        log.info("sending {}", get.getHeaders("Accept")); // codetable: ok security.log-injection.request-data
    }

    void classic(ClassicHttpRequest outgoing) {
        log.debug("sending {}", outgoing.getHeader("Host")); // codetable: ok security.log-injection.request-data
    }

    void jdk(String url) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).build();
        log.info("sending {}", req.uri()); // codetable: ok security.log-injection.request-data
    }

    void field() {
        log.info("query {}", request.getParameter("q")); // codetable: expect security.log-injection.request-data
    }

    void wrapped(HttpServletRequest incoming) {
        String agent = incoming.getHeader("User-Agent");
        // A header: CR/LF cannot reach it: RFC 9110 5.5 makes a recipient reject or replace CR, LF and NUL in field values (session 10).
        log.warn("agent {}", agent); // codetable: ok security.log-injection.request-data
    }
}
