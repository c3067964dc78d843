// Open redirect (CWE-601), after https://cwe.mitre.org/data/definitions/601.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
import java.io.IOException;
import javax.servlet.http.*;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.servlet.view.RedirectView;

class OpenRedirect {
    void servlet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.sendRedirect(req.getParameter("url")); // codetable: expect security.open-redirect.request-target
    }

    void header(HttpServletRequest req, HttpServletResponse resp) {
        resp.setStatus(302);
        resp.setHeader("Location", req.getParameter("next")); // codetable: expect security.open-redirect.request-target
    }

    void local(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String target = req.getParameter("to");
        resp.sendRedirect(target); // codetable: expect security.open-redirect.request-target
    }

    @GetMapping("/go")
    String spring(@RequestParam String next) {
        return "redirect:" + next; // codetable: expect security.open-redirect.request-target
    }

    @GetMapping("/view")
    RedirectView view(@RequestParam String url) {
        return new RedirectView(url); // codetable: expect security.open-redirect.request-target
    }

    // Fixed forms.
    void constant(HttpServletResponse resp) throws IOException {
        resp.sendRedirect("/dashboard"); // codetable: ok security.open-redirect.request-target
    }

    void checked(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String next = req.getParameter("next");
        if (next == null || !next.startsWith("/") || next.startsWith("//")) next = "/";
        resp.sendRedirect(next); // codetable: ok security.open-redirect.request-target
    }
}
