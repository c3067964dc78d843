// Server-side request forgery (CWE-918), after https://cwe.mitre.org/data/definitions/918.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
import java.net.*;
import java.net.http.*;
import javax.servlet.http.HttpServletRequest;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.bind.annotation.*;

@RestController
class Ssrf {
    RestTemplate rest = new RestTemplate();

    void openStream(HttpServletRequest req) throws Exception {
        new URL(req.getParameter("url")).openStream(); // codetable: expect security.ssrf.request-url
    }

    void connection(HttpServletRequest req) throws Exception {
        URL u = new URL(req.getParameter("url")); // codetable: expect security.ssrf.request-url
        u.openConnection().connect();
    }

    @GetMapping("/proxy")
    String proxy(@RequestParam String url) {
        return rest.getForObject(url, String.class); // codetable: expect security.ssrf.request-url
    }

    @GetMapping("/img")
    String img(@RequestParam String host) {
        return rest.getForObject("http://" + host + "/avatar.png", String.class); // codetable: expect security.ssrf.request-url
    }

    String httpClient(HttpServletRequest req) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(req.getParameter("u"))).build(); // codetable: expect security.ssrf.request-url
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString()).body();
    }

    // Fixed forms.
    String constant() {
        return rest.getForObject("https://api.example.com/status", String.class); // codetable: ok security.ssrf.request-url
    }
}
