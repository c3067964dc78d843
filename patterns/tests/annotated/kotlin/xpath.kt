// XPath injection (CWE-643) in Kotlin on javax.xml.xpath, after https://cwe.mitre.org/data/definitions/643.html,
// https://owasp.org/www-community/attacks/XPATH_Injection and
// https://docs.oracle.com/javase/8/docs/api/javax/xml/xpath/XPathVariableResolver.html
import io.ktor.server.application.*
import io.ktor.server.routing.*
import javax.servlet.http.HttpServletRequest
import javax.xml.xpath.XPathFactory
import org.w3c.dom.Document

fun login(request: HttpServletRequest, doc: Document): Boolean {
    val user = request.getParameter("user")
    val xpath = XPathFactory.newInstance().newXPath()
    return xpath.evaluate("//user[name='$user']/role", doc).isNotEmpty() // codetable: expect security.xpath-injection.request-expression
}

fun Route.role(doc: Document) {
    get("/role") {
        val xpath = XPathFactory.newInstance().newXPath()
        val expr = xpath.compile("//user[name='" + call.parameters["name"] + "']") // codetable: expect security.xpath-injection.request-expression
        expr.evaluate(doc)
    }
}

// Fixed forms.
fun loginConstant(doc: Document): Boolean {
    val xpath = XPathFactory.newInstance().newXPath()
    return xpath.evaluate("//user[name='admin']/role", doc).isNotEmpty() // codetable: ok security.xpath-injection.request-expression
}

fun loginVariable(request: HttpServletRequest, doc: Document): Boolean {
    val xpath = XPathFactory.newInstance().newXPath()
    xpath.setXPathVariableResolver { request.getParameter("user") }
    return xpath.evaluate("//user[name=\$user]/role", doc).isNotEmpty() // codetable: ok security.xpath-injection.request-expression
}
