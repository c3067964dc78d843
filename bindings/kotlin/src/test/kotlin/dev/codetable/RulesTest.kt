package dev.codetable

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.nio.file.Files
import java.nio.file.Path

/** A team's rules stacked over the catalog (`PatternDatabase.layered`), and the search that finds. */
class RulesTest {
    /** Built by `make kotlin-test` from examples/rules (`codetable db build --user`). */
    private val rulesFile: Path = Path.of("../../target/kotlin-test/rules.ctdb").toAbsolutePath().normalize()

    @Test
    fun rulesStackOverTheCatalog() {
        assertTrue(Files.isRegularFile(rulesFile), "$rulesFile")
        PatternDatabase.default().use { base ->
            PatternDatabase.open(rulesFile).use { rules ->
                PatternDatabase.layered(base, rules).use { db ->
                    assertEquals(base.patternCount + rules.patternCount, db.patternCount)
                    val print = db.find("house.debug.print-call")!!
                    assertTrue(print.number >= base.patternCount)
                    assertEquals("house.debug.console-log", db.search("console").first().id)
                    val e = assertThrows<InvalidArgumentException> { PatternDatabase.layered(db, rules) }
                    assertTrue(e.message!!.contains("house.debug"), e.message)
                    assertThrows<InvalidArgumentException> { PatternDatabase.layered() }
                    Engine(db).use { engine ->
                        Document("python", "import hashlib\n# « débogage »\nprint(hashlib.md5(b'x'))\n").use { doc ->
                            val found = engine.analyze(doc).map { it.pattern.id }
                            assertTrue("house.debug.print-call" in found && "security.weak-hash.md5" in found, "$found")
                        }
                    }
                }
            }
        }
    }

    @Test
    fun searchFindsWordsTyposAndCwes() {
        PatternDatabase.default().use { db ->
            val ids = { q: String -> db.search(q).map { it.id } }
            assertTrue("security.sql-injection.string-built" in ids("injection"))
            assertTrue("security.sql-injection.string-built" in ids("INJCETION"))
            assertEquals("security.weak-hash.md5", ids("md5").first())
            val cwe = ids("CWE-89")
            assertTrue(cwe.isNotEmpty())
            assertEquals(cwe, ids("89"))
        }
    }
}
