// Server-side request forgery (CWE-918), after https://cwe.mitre.org/data/definitions/918.html,
// https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
// and https://ktor.io/docs/client-requests.html
import io.ktor.client.*
import io.ktor.client.request.*
import io.ktor.server.application.*
import io.ktor.server.routing.*
import java.net.URL

fun Route.proxy(client: HttpClient) {
    get("/preview") {
        val url = call.request.queryParameters["url"]!!
        client.get(url) // codetable: expect security.ssrf.request-url
    }
    post("/hook") {
        val target = call.receiveText()
        URL(target).readText() // codetable: expect security.ssrf.request-url
    }
    get("/status") {
        client.get("https://status.example.com/api") // codetable: ok security.ssrf.request-url
    }
}

class Preview {
    @GetMapping("/fetch")
    fun fetch(@RequestParam url: String): String =
        URL(url).readText() // codetable: expect security.ssrf.request-url

    fun internal(): String = URL("https://example.com/feed.xml").readText() // codetable: ok security.ssrf.request-url
}
