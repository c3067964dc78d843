// Log injection (CWE-117) in Kotlin with SLF4J, after https://cwe.mitre.org/data/definitions/117.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html
import io.ktor.server.application.*
import io.ktor.server.routing.*
import javax.servlet.http.HttpServletRequest
import org.slf4j.LoggerFactory
import java.net.http.HttpRequest

private val log = LoggerFactory.getLogger("auth")

fun Route.login() {
    post("/login") {
        val user = call.parameters["user"]
        log.warn("failed login for $user") // codetable: expect security.log-injection.request-data
    }
}

fun audit(request: HttpServletRequest) {
    // A header: CR/LF cannot reach it: RFC 9110 5.5 makes a recipient reject or replace CR, LF and NUL in field values (session 10).
    log.info("agent {}", request.getHeader("User-Agent")) // codetable: ok security.log-injection.request-data
}

// Fixed forms.
fun Route.loginSafe() {
    post("/login-safe") {
        val user = call.parameters["user"]?.replace("\n", "_")?.replace("\r", "_")
        log.warn("failed login for {}", user) // codetable: ok security.log-injection.request-data
    }
}

fun client(request: HttpRequest) {
    log.info("sending {}", request.uri()) // codetable: ok security.log-injection.request-data
}
