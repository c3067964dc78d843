// Open redirect (CWE-601), after https://cwe.mitre.org/data/definitions/601.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
import io.ktor.server.application.*
import io.ktor.server.response.*
import io.ktor.server.routing.*
import jakarta.servlet.http.HttpServletRequest
import jakarta.servlet.http.HttpServletResponse

fun Route.redirects() {
    get("/go") {
        call.respondRedirect(call.request.queryParameters["next"]!!) // codetable: expect security.open-redirect.request-target
    }
    get("/home") {
        call.respondRedirect("/dashboard") // codetable: ok security.open-redirect.request-target
    }
    get("/back") {
        val target = call.parameters["returnTo"] ?: "/"
        call.respondRedirect(target) // codetable: expect security.open-redirect.request-target
    }
    get("/checked") {
        val target = call.parameters["returnTo"] ?: "/"
        if (!target.startsWith("/") || target.startsWith("//")) return@get
        call.respondRedirect(target) // codetable: ok security.open-redirect.request-target
    }
}

fun servlet(req: HttpServletRequest, resp: HttpServletResponse) {
    resp.sendRedirect(req.getParameter("url")) // codetable: expect security.open-redirect.request-target
}

// Spring MVC, after https://docs.spring.io/spring-framework/reference/web/webmvc/mvc-controller/ann-methods/requestparam.html
class LoginController {
    @GetMapping("/login/done")
    fun done(@RequestParam next: String, response: HttpServletResponse) {
        response.sendRedirect(next) // codetable: expect security.open-redirect.request-target
    }

    @GetMapping("/logout")
    fun logout(response: HttpServletResponse) {
        val home = "/"
        response.sendRedirect(home) // codetable: ok security.open-redirect.request-target
    }
}
