package dev.codetable

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Selection, code context and inline suppressions (issue #16) through the Kotlin API. */
class ContextTest {
    private val src = "import hashlib\n# é 日本 😀\nh = hashlib.md5(b'')\n" +
        "d = hashlib.md5(b'x')  # codetable: ignore[Md] -- checksum, naïve\n" +
        "s = hashlib.sha256(b'')\n"

    @Test
    fun `a new engine reports raw matches, select applies levels, suppressions and context`() {
        PatternDatabase.default().use { db ->
            Engine(db).use { engine ->
                Document("python", src).use { doc ->
                    assertEquals(3, engine.analyze(doc).size)
                    assertEquals(listOf("production"), engine.findingRecords(doc).map { it.context }.distinct())

                    engine.select()
                    val found = engine.analyze(doc)
                    assertEquals(listOf(2), found.map { it.line })
                    assertEquals("high", engine.findingRecords(doc).single().severity.name.lowercase())

                    doc.setPath("src/test/kotlin/HashTest.py")
                    engine.select(listOf("security", "info"), listOf("security.strong-hash.sha256"))
                    engine.analyze(doc)
                    val r = engine.findingRecords(doc).single()
                    assertEquals("test", r.context)
                    assertEquals(Severity.MEDIUM, r.severity)
                    assertEquals("src/test/kotlin/HashTest.py", r.path)

                    val e = assertThrows<InvalidArgumentException> { engine.select(listOf("Mdd")) }
                    assertTrue(e.message!!.contains("did you mean `Md`"), e.message)
                }
            }
        }
    }

    @Test
    fun `a document's context is set by name, wins over the path, and unknown names throw`() {
        PatternDatabase.default().use { db ->
            Engine(db).use { engine ->
                Document("python", src).use { doc ->
                    engine.select()
                    doc.setPath("src/test/kotlin/HashTest.py")
                    assertEquals(null, doc.context)
                    engine.analyze(doc)
                    assertEquals(Severity.MEDIUM, engine.findingRecords(doc).single().severity)

                    doc.context = "production"
                    assertEquals("production", doc.context)
                    engine.analyze(doc)
                    val r = engine.findingRecords(doc).single()
                    assertEquals("production", r.context)
                    assertEquals(Severity.HIGH, r.severity)

                    val e = assertThrows<InvalidArgumentException> { doc.context = "tests" }
                    assertTrue(e.message!!.contains("did you mean `test`"), e.message)
                    assertEquals("production", doc.context)

                    doc.context = null
                    assertEquals(null, doc.context)
                    engine.analyze(doc)
                    assertEquals("test", engine.findingRecords(doc).single().context)
                }
            }
        }
    }
}
