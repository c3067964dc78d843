// Server-side template injection (CWE-1336) in Kotlin on the JVM engines, after https://cwe.mitre.org/data/definitions/1336.html,
// https://velocity.apache.org/engine/2.3/developer-guide.html and
// https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/18-Testing_for_Server-side_Template_Injection
import io.ktor.server.application.*
import io.ktor.server.routing.*
import java.io.StringWriter
import javax.servlet.http.HttpServletRequest
import org.apache.velocity.VelocityContext
import org.apache.velocity.app.Velocity

fun greet(request: HttpServletRequest): String {
    val out = StringWriter()
    val tpl = "Hello " + request.getParameter("name")
    Velocity.evaluate(VelocityContext(), out, "greet", tpl) // codetable: expect security.template-injection.from-string
    return out.toString()
}

fun Route.page() {
    get("/page") {
        val out = StringWriter()
        Velocity.evaluate(VelocityContext(), out, "page", "<h1>${call.parameters["title"]}</h1>") // codetable: expect security.template-injection.from-string
    }
}

// Fixed form: the data goes into the context, the template is constant.
fun greetSafe(request: HttpServletRequest): String {
    val out = StringWriter()
    val ctx = VelocityContext()
    ctx.put("name", request.getParameter("name"))
    Velocity.evaluate(ctx, out, "greet", "Hello \$name") // codetable: ok security.template-injection.from-string
    return out.toString()
}
