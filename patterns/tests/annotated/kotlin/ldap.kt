// LDAP injection (CWE-90) in Kotlin on the JVM APIs, after https://cwe.mitre.org/data/definitions/90.html,
// https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html and
// https://docs.spring.io/spring-ldap/reference/query-builder-advanced.html
import io.ktor.server.application.*
import io.ktor.server.routing.*
import javax.naming.directory.DirContext
import javax.naming.directory.SearchControls
import javax.servlet.http.HttpServletRequest
import org.springframework.ldap.core.LdapTemplate
import org.springframework.ldap.support.LdapEncoder

fun Route.people(ctx: DirContext) {
    get("/people") {
        val user = call.parameters["user"]
        val filter = "(&(objectClass=person)(uid=$user))"
        ctx.search("ou=people,dc=example,dc=com", filter, SearchControls()) // codetable: expect security.ldap-injection.request-filter
    }
}

fun login(request: HttpServletRequest, ldap: LdapTemplate): Boolean {
    val name = request.getParameter("name")
    return ldap.authenticate("ou=people", "(uid=" + name + ")", request.getParameter("pw")) // codetable: expect security.ldap-injection.request-filter
}

// Fixed forms.
fun Route.peopleSafe(ctx: DirContext) {
    get("/people-safe") {
        val user = call.parameters["user"]
        ctx.search("ou=people,dc=example,dc=com", "(&(objectClass=person)(uid={0}))", arrayOf(user), SearchControls()) // codetable: ok security.ldap-injection.request-filter
    }
}

fun loginSafe(request: HttpServletRequest, ldap: LdapTemplate): Boolean {
    val name = LdapEncoder.filterEncode(request.getParameter("name"))
    return ldap.authenticate("ou=people", "(uid=$name)", request.getParameter("pw")) // codetable: ok security.ldap-injection.request-filter
}
