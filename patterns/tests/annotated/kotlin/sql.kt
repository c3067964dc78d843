// SQL injection (CWE-89), after https://cwe.mitre.org/data/definitions/89.html and
// https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html
import java.sql.Connection
import java.sql.ResultSet

class Sql(private val conn: Connection) {
    fun byName(name: String): ResultSet =
        conn.createStatement().executeQuery("SELECT * FROM users WHERE name = '" + name + "'") // codetable: expect security.sql-injection.string-built

    fun byTemplate(id: String): ResultSet =
        conn.createStatement().executeQuery("SELECT * FROM orders WHERE id = $id") // codetable: expect security.sql-injection.string-built

    fun update(table: String) {
        conn.createStatement().executeUpdate("DELETE FROM ${table}") // codetable: expect security.sql-injection.string-built
    }

    fun throughLocal(owner: String): ResultSet {
        val q = "SELECT * FROM items WHERE owner = '$owner'"
        return conn.createStatement().executeQuery(q) // codetable: expect security.sql-injection.string-built
    }

    fun prepared(name: String) =
        conn.prepareStatement("SELECT * FROM users WHERE name = '$name'") // codetable: expect security.sql-injection.string-built

    // Fixed forms.
    fun fixed(name: String): ResultSet {
        val ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?") // codetable: ok security.sql-injection.string-built
        ps.setString(1, name)
        return ps.executeQuery()
    }

    fun constant(): ResultSet =
        conn.createStatement().executeQuery("SELECT count(*) FROM users") // codetable: ok security.sql-injection.string-built
}

// Ktor, after https://ktor.io/docs/server-requests.html (query parameters) and
// https://www.jetbrains.com/help/inspectopedia/SqlSourceToSinkFlow.html
fun Route.search(conn: Connection) {
    get("/search") {
        val term = call.request.queryParameters["q"] ?: ""
        val sql = "SELECT * FROM items WHERE title LIKE '%" + term + "%'"
        conn.createStatement().executeQuery(sql) // codetable: expect security.sql-injection.string-built
    }
    get("/count") {
        val limit = call.request.queryParameters["limit"]?.toIntOrNull() ?: 10
        conn.createStatement().executeQuery("SELECT * FROM items LIMIT $limit") // codetable: ok security.sql-injection.string-built
    }
    get("/safe") {
        val term = call.request.queryParameters["q"] ?: ""
        val ps = conn.prepareStatement("SELECT * FROM items WHERE title = ?") // codetable: ok security.sql-injection.string-built
        ps.setString(1, term)
    }
}
