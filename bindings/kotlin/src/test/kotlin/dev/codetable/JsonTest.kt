package dev.codetable

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
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

    /** A pattern sheet as core writes it, with [matcher] as its matcher. */
    private fun sheet(matcher: String) = """{"number":7,"id":"g.x","symbol":"X","name":"Ex","group":"security","severity":"critical",
        "languages":["python"],"summary":"s","key_property":null,
        "properties":[{"kind":"security","text":"t","evidence":["https://e"]}],"cwe":[89,20],
        "owasp":["A03:2021"],"common_issues":["c"],"alternatives":["g.y"],"relations":[{"kind":"conflicts","target":"g.z"}],
        "references":["https://r"],"matcher":$matcher,
        "examples":[{"language":"python","expect":"no-match","code":"x"},{"language":"python","expect":"match","code":"y"}]}"""

    private val guard = """{"language":"python","pattern":"threading.Lock()","inside":[],"not_inside":["with ${'$'}X: ${'$'}${'$'}${'$'}B"],
        "where":[{"metavar":"${'$'}X","regex":null,"kind":["identifier"]}]}"""

    @Test
    fun `pattern sheets parse with every field`() {
        val json = sheet("""{"kind":"shape","threshold":0.75,"references":[{"language":"python","code":"class A: pass"}],"require":[$guard],"exclude":[]}""")
        val p = Pattern.fromJson(7, json, "**X** · **Ex**\n")
        assertEquals(7, p.number)
        assertEquals(Severity.CRITICAL, p.severity)
        assertEquals(listOf(89, 20), p.cwe)
        assertEquals(listOf(Property("security", "t", listOf("https://e"))), p.properties)
        assertEquals(listOf(Relation("conflicts", "g.z")), p.relations)
        assertEquals("shape", p.matcherKind)
        assertNull(p.keyProperty)
        assertEquals("s", p.message)
        val shape = p.matcher as ShapeMatcher
        assertEquals(0.75f, shape.threshold)
        assertEquals(listOf(ShapeReference("python", "class A: pass")), shape.references)
        val lock = Rule("python", "threading.Lock()", emptyList(), listOf("with \$X: \$\$\$B"), listOf(WhereClause("\$X", null, listOf("identifier"))))
        assertEquals(listOf(lock), shape.require)
        assertTrue(shape.exclude.isEmpty())
        assertEquals(listOf(false, true), p.examples.map { it.shouldMatch })
        assertEquals(listOf("c"), p.commonIssues)
        assertEquals(json, p.json)
        assertEquals("**X** · **Ex**\n", p.propertySheet())
        val rule = Pattern.fromJson(7, sheet("""{"kind":"rule","rules":[$guard]}"""), "")
        assertEquals(RuleMatcher(listOf(lock)), rule.matcher)
        assertEquals("rule", rule.matcherKind)
        assertThrows<IllegalArgumentException> { Pattern.fromJson(0, "[]", "") }
        assertThrows<IllegalArgumentException> { Pattern.fromJson(8, json, "") }
        assertThrows<IllegalArgumentException> { Pattern.fromJson(7, json.replace("\"critical\"", "\"dire\""), "") }
        assertThrows<IllegalArgumentException> { Pattern.fromJson(7, json.replace("\"id\":\"g.x\",", ""), "") }
        // Only core's spellings: no "Rules" / "Shapes" matcher.
        assertThrows<IllegalArgumentException> { Pattern.fromJson(7, sheet("""{"Shapes":[]}"""), "") }
        assertThrows<IllegalArgumentException> { Pattern.fromJson(7, sheet("""{"kind":"Rules","rules":[]}"""), "") }
    }

    @Test
    fun `finding records parse with every field`() {
        val line = """{"byte_end":21,"byte_start":4,"captures":[{"name":"${'$'}X","text":"b","byte_start":16,"byte_end":17}],"column":5,"context":"test",""" +
            """"cwe":[327],"end_column":22,"end_line":2,"group":"security","id":"1e56fde78aab8193","key_property":null,""" +
            """"language":"python","line":2,"name":"MD5 hash","owasp":["A02:2021"],"path":null,"pattern":"security.weak-hash.md5",""" +
            """"score":0.9130435,"severity":"high","snippet":"hashlib.md5(b)","symbol":"Md","unit":"C.f"}"""
        val r = FindingRecord.fromJson(line)
        assertEquals("1e56fde78aab8193", r.id)
        assertEquals(Severity.HIGH, r.severity)
        assertEquals(listOf(CaptureRecord("\$X", "b", 16, 17)), r.captures)
        assertEquals(4L to 21L, r.byteStart to r.byteEnd)
        assertEquals(listOf(2, 5, 2, 22), listOf(r.line, r.column, r.endLine, r.endColumn))
        assertEquals(0.9130435f, r.score)
        assertNull(r.path)
        assertNull(r.keyProperty)
        assertEquals("C.f", r.unit)
        assertEquals("test", r.context)
        assertEquals(line, r.json)
        assertEquals(listOf(r, r.copy(path = "a.py", json = line.replace("\"path\":null", "\"path\":\"a.py\""))),
            FindingRecord.fromJsonLines(line + "\n" + line.replace("\"path\":null", "\"path\":\"a.py\"") + "\n"))
        assertThrows<IllegalArgumentException> { FindingRecord.fromJson(line.replace("\"line\":2", "\"line\":\"2\"")) }
    }
}
