// Cross-site scripting (CWE-79), after https://cwe.mitre.org/data/definitions/79.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html and
// https://nightlies.apache.org/wicket/guide/10.x/single.html (escapeModelStrings). No pattern claims raw
// servlet writes today; they are marked with the family's id so the gap shows as missed recall.
import java.io.*;
import javax.servlet.http.*;
import org.owasp.encoder.Encode;
import org.apache.wicket.markup.html.basic.Label;

class Xss {
    void hello(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().write("<h1>Hello " + req.getParameter("name") + "</h1>"); // codetable: expect security.xss.marked-safe
    }

    void print(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PrintWriter out = resp.getWriter();
        out.println("<p>" + req.getParameter("q") + "</p>"); // codetable: expect security.xss.marked-safe
    }

    Label wicket(String comment) {
        Label l = new Label("comment", comment);
        l.setEscapeModelStrings(false); // codetable: expect security.xss.marked-safe
        return l;
    }

    // Fixed forms.
    Label wicketEscaped(String comment) {
        Label l = new Label("comment", comment);
        l.setEscapeModelStrings(true); // codetable: ok security.xss.marked-safe
        return l;
    }

    void fixed(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().write("<h1>Hello " + Encode.forHtml(req.getParameter("name")) + "</h1>"); // codetable: ok security.xss.marked-safe
    }
}
