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
    post("/upload") {
        val params = call.receiveParameters()
        val target = "/srv/uploads/" + params["file"]
        File(target).writeText("") // codetable: expect security.path-traversal.user-path
    }
    get("/doc/{name}") {
        val name = call.parameters["name"]!!
        val safe = File(name).name
        call.respondFile(File("/srv/docs", safe)) // codetable: ok security.path-traversal.user-path
    }
    get("/nio") {
        val p = call.request.queryParameters["p"] ?: ""
        call.respondText(Paths.get("/srv/files").resolve(p).toFile().readText()) // codetable: expect security.path-traversal.user-path
    }
}

// Spring MVC handler parameters, after https://docs.spring.io/spring-framework/reference/web/webmvc/mvc-controller/ann-methods/pathvariable.html
class Files {
    @GetMapping("/files/{name}")
    fun read(@PathVariable name: String): String =
        File("/srv/files/$name").readText() // codetable: expect security.path-traversal.user-path

    @GetMapping("/files/by-id/{id}")
    fun byId(@PathVariable id: Long): String =
        File("/srv/files/$id.txt").readText() // codetable: ok security.path-traversal.user-path

    fun internal(name: String): String =
        File("/srv/cache/$name").readText() // codetable: ok security.path-traversal.user-path
}
