// Regular expressions from request data (CWE-1333), after https://cwe.mitre.org/data/definitions/1333.html,
// https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS and
// https://kotlinlang.org/api/core/kotlin-stdlib/kotlin.text/-regex/-companion/escape.html
import io.ktor.server.application.*
import io.ktor.server.request.*
import io.ktor.server.response.*
import java.util.regex.Pattern
import javax.servlet.http.HttpServletRequest

suspend fun search(call: ApplicationCall, names: List<String>) {
    val re = Regex(call.request.queryParameters["q"] ?: "") // codetable: expect security.regex.user-pattern
    call.respond(names.filter { re.containsMatchIn(it) })
}

suspend fun searchParam(call: ApplicationCall, names: List<String>) {
    val re = call.parameters["q"]!!.toRegex() // codetable: expect security.regex.user-pattern
    call.respond(names.filter { re.matches(it) })
}

suspend fun body(call: ApplicationCall, text: String) {
    call.respond(Regex(call.receiveText()).findAll(text).count()) // codetable: expect security.regex.user-pattern
}

fun servlet(request: HttpServletRequest, text: String): Boolean =
    Pattern.compile(request.getParameter("p")).matcher(text).find() // codetable: expect security.regex.user-pattern

// Fixed forms.
suspend fun searchSafe(call: ApplicationCall, names: List<String>) {
    val re = Regex(Regex.escape(call.request.queryParameters["q"] ?: "")) // codetable: ok security.regex.user-pattern
    call.respond(names.filter { re.containsMatchIn(it) })
}

suspend fun literal(call: ApplicationCall, names: List<String>) {
    val q = call.request.queryParameters["q"] ?: ""
    call.respond(names.filter { it.contains(q, ignoreCase = true) }) // codetable: ok security.regex.user-pattern
}

fun constant(text: String): Boolean = Regex("^[a-z]+$").matches(text) // codetable: ok security.regex.user-pattern

// Through locals (Kotlin flow, session 8), and the request as the subject only.
suspend fun throughLocal(call: ApplicationCall, names: List<String>) {
    val pattern = call.request.queryParameters["q"] ?: ""
    val re = pattern.toRegex() // codetable: expect security.regex.user-pattern
    call.respond(names.filter { re.matches(it) })
}

fun subject(request: HttpServletRequest): Boolean {
    val ident = Regex("^[a-z]+$")
    return ident.matches(request.getParameter("name")) // codetable: ok security.regex.user-pattern
}
