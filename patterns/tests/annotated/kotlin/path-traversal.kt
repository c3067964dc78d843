// Path traversal (CWE-22), after https://cwe.mitre.org/data/definitions/22.html and
// https://ktor.io/docs/server-static-content.html
import io.ktor.server.application.*
import io.ktor.server.response.*
import io.ktor.server.routing.*
import java.io.File

fun Route.files() {
    get("/read") {
        call.respondFile(File("/srv/files/" + call.request.queryParameters["name"])) // codetable: expect security.path-traversal.user-path
    }
    get("/raw/{name}") {
        val name = call.parameters["name"]!!
        call.respondText(File("/srv/files", name).readText()) // codetable: expect security.path-traversal.user-path
    }
    get("/config") {
        call.respondText(File("/etc/app/config.yaml").readText()) // codetable: ok security.path-traversal.user-path
    }
}
