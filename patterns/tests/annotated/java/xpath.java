// XPath injection (CWE-643), after https://cwe.mitre.org/data/definitions/643.html,
// https://owasp.org/www-community/attacks/XPATH_Injection,
// https://docs.oracle.com/javase/8/docs/api/javax/xml/xpath/XPathVariableResolver.html and dom4j's Node.selectNodes
import javax.servlet.http.HttpServletRequest;
import javax.xml.namespace.QName;
import javax.xml.xpath.*;
import org.springframework.web.bind.annotation.*;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

@RestController
class XPathLogin {
    Document users;
    org.dom4j.Document catalog;

    boolean login(HttpServletRequest request) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        String user = request.getParameter("user");
        String pass = request.getParameter("pass");
        String expr = "//users/user[login/text()='" + user + "' and password/text()='" + pass + "']";
        return (Boolean) xpath.evaluate(expr, users, XPathConstants.BOOLEAN); // codetable: expect security.xpath-injection.request-expression
    }

    String compiled(HttpServletRequest request) throws Exception {
        XPath xp = XPathFactory.newInstance().newXPath();
        XPathExpression e = xp.compile("/users/user[@id='" + request.getParameter("id") + "']/email"); // codetable: expect security.xpath-injection.request-expression
        return e.evaluate(users);
    }

    @GetMapping("/email")
    String email(@RequestParam String name) throws Exception {
        XPath xPath = XPathFactory.newInstance().newXPath();
        return xPath.evaluate(String.format("/users/user[@name='%s']/email", name), users); // codetable: expect security.xpath-injection.request-expression
    }

    @GetMapping("/books")
    Object books(@RequestParam String author) {
        return catalog.selectNodes("//book[author='" + author + "']"); // codetable: expect security.xpath-injection.request-expression
    }

    @GetMapping("/book")
    Object book(@RequestParam("isbn") String isbn) {
        String q = "//book[@isbn='" + isbn + "']";
        return catalog.selectSingleNode(q); // codetable: expect security.xpath-injection.request-expression
    }

    // Fixed forms.
    @GetMapping("/email-safe")
    String emailSafe(@RequestParam String name) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setXPathVariableResolver(v -> v.equals(new QName("name")) ? name : null);
        return xpath.evaluate("/users/user[@name=$name]/email", users); // codetable: ok security.xpath-injection.request-expression
    }

    String constant() throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        return xpath.evaluate("count(/users/user)", users); // codetable: ok security.xpath-injection.request-expression
    }

    @GetMapping("/count")
    String numeric(@RequestParam int n) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        return xpath.evaluate("/users/user[" + n + "]/email", users); // codetable: ok security.xpath-injection.request-expression
    }

    String regex(HttpServletRequest request) {
        return java.util.regex.Pattern.compile("[a-z]+").matcher(request.getParameter("q")).replaceAll(""); // codetable: ok security.xpath-injection.request-expression
    }
}
