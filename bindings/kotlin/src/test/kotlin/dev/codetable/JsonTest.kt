package dev.codetable

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class JsonTest {
    @Test
    fun values() {
        assertEquals(
            mapOf("a" to listOf(1L, -2L, 3.5, 1e3, true, false, null), "b" to mapOf<String, Any?>(), "c" to emptyList<Any?>()),
            Json.parse(""" { "a" : [1, -2, 3.5, 1e3, true, false, null], "b": {}, "c": [] } """),
        )
        assertEquals("x\"\\/\b\u000C\n\r\t\u00e9😀", Json.parse(""""x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""""))
        assertEquals("数据 😀", Json.parse("\"数据 😀\""))
        assertNull(Json.parse("null"))
        assertEquals(0L, Json.parse("0"))
        assertEquals(12345678901234L, Json.parse("12345678901234"))
        assertEquals(1.0E20, Json.parse("100000000000000000000"))
        assertEquals(listOf("a", "b"), (Json.parse("""{"k":{"k":["a","b"]}}""") as Map<*, *>).let { (it["k"] as Map<*, *>)["k"] })
    }

    @Test
    fun `invalid documents are refused`() {
        for (bad in listOf(
            "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "tru", "\"abc", "\"\\x\"", "\"\\u12\"",
            "[1] 2", "{a:1}", "\"a\nb\"", "1e", "[" .repeat(1000) + "]".repeat(1000),
        )) {
            assertThrows<IllegalArgumentException>("`$bad`") { Json.parse(bad) }
        }
    }

    @Test
    fun `pattern records parse with every field`() {
        val json = """{"id":"g.x","symbol":"X","name":"Ex","group":"g","severity":"critical","languages":["python"],
            "summary":"s","properties":[{"kind":"security","text":"t","evidence":["https://e"]}],"cwe":[89,20],
            "owasp":["A03:2021"],"common_issues":["c"],"alternatives":["g.y"],"relations":[{"kind":"conflicts","target":"g.z"}],
            "references":["https://r"],"matcher":{"Shapes":[]},"examples":[{"language":"python","expect":"NoMatch","code":"x"}]}"""
        val p = Pattern.fromJson(7, json)
        assertEquals(7, p.number)
        assertEquals(Severity.CRITICAL, p.severity)
        assertEquals(listOf(89, 20), p.cwe)
        assertEquals(listOf(Property("security", "t", listOf("https://e"))), p.properties)
        assertEquals(listOf(Relation("conflicts", "g.z")), p.relations)
        assertEquals("Shapes", p.matcherKind)
        assertEquals(false, p.examples.single().shouldMatch)
        assertEquals(listOf("c"), p.commonIssues)
        assertThrows<IllegalArgumentException> { Pattern.fromJson(0, "[]") }
        assertThrows<IllegalArgumentException> { Pattern.fromJson(0, json.replace("\"critical\"", "\"dire\"")) }
        assertThrows<IllegalArgumentException> { Pattern.fromJson(0, json.replace("\"id\":\"g.x\",", "")) }
    }
}
