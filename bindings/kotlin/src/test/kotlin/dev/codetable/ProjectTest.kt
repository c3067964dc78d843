package dev.codetable

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

/** An observer in three Java files; the interface's file starts with CJK and an emoji. */
private val LISTENER = "// écouteur 日本 😀\npublic interface Listener { void fired(int n); }\n"
private const val LOGGER = "public class Logger implements Listener { public void fired(int n) {} }\n"
private const val BUTTON =
    "import java.util.ArrayList;\nimport java.util.List;\n\npublic class Button {\n" +
        "  private final List<Listener> ls = new ArrayList<>();\n" +
        "  public void add(Listener l) { ls.add(l); } public void remove(Listener l) { ls.remove(l); }\n" +
        "  public void click() { for (Listener l : ls) l.fired(1); }\n}\n"
private val TEXTS = mapOf("src/Listener.java" to LISTENER, "src/Logger.java" to LOGGER, "src/Button.java" to BUTTON)

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectTest {
    private val db = PatternDatabase.default()
    private val engine = Engine(db).also { it.select(listOf("design")) }

    @AfterAll
    fun close() {
        engine.close()
        db.close()
    }

    private fun observer(): Project = Project(engine).also { p -> TEXTS.forEach { (path, text) -> p.setDocument(path, text) } }

    @Test
    fun `instances name the pattern and every participant, in UTF-16`() {
        observer().use { p ->
            val instances = p.instances()
            assertEquals(1, instances.size)
            val obs = instances[0]
            assertEquals("design.gof.observer", obs.pattern)
            assertEquals("Obr", obs.symbol)
            assertTrue(obs.summary.length > 20)
            assertTrue(obs.id.startsWith("design.gof.observer@"), obs.id)
            assertEquals(
                listOf(
                    Triple("observer", "Listener", "src/Listener.java"),
                    Triple("subject", "Button", "src/Button.java"),
                    Triple("concrete-observer", "Logger", "src/Logger.java"),
                ),
                obs.participants.map { Triple(it.role, it.name, it.path) },
            )
            val listener = obs.participants[0]
            // UTF-16 string indices of its own document; UTF-8 bytes differ.
            assertEquals(LISTENER.indexOf("public interface"), listener.start)
            assertTrue(LISTENER.substring(listener.start, listener.end).startsWith("public interface Listener"))
            assertNotEquals(listener.start.toLong(), listener.record.byteStart)
            assertEquals(2, listener.record.line)
            assertTrue(obs.json.contains("\"participants\""))
        }
    }

    @Test
    fun `findings link each participant to its instance and list the others`() {
        observer().use { p ->
            val found = p.findings()
            assertEquals(listOf("observer", "subject", "concrete-observer"), found.map { it.record.role })
            assertEquals(1, found.map { it.record.instance }.toSet().size)
            for (f in found) {
                val text = TEXTS.getValue(f.record.path!!)
                assertTrue(text.substring(f.start, f.end).startsWith("public "), text.substring(f.start, f.end))
                assertEquals(listOf("observer", "subject", "concrete-observer"), f.participants.map { it.role })
                val mine = f.participants.filter { it.record.finding == f.record.id }
                assertEquals(1, mine.size)
                assertEquals(f.record.role, mine[0].role)
                assertEquals(f.start, mine[0].start)
                assertEquals(f.record.participants, f.participants.map { it.record })
            }
        }
    }

    @Test
    fun `replace and remove documents`() {
        observer().use { p ->
            p.setDocument("src/Logger.java", "public class Logger { public void fired(int n) {} }\n")
            assertEquals(listOf("observer", "subject"), p.instances()[0].participants.map { it.role })
            assertTrue(p.removeDocument("src/Listener.java"))
            assertFalse(p.removeDocument("src/Listener.java"))
            assertEquals(emptyList<DesignInstance>(), p.instances())
            assertEquals(emptyList<DesignFinding>(), p.findings())
            p.setDocument("src/Listener.java", LISTENER, "java")
            p.setDocument("src/Logger.java", LOGGER)
            assertEquals(3, p.instances()[0].participants.size)
        }
    }

    @Test
    fun `errors are typed and a closed project refuses calls`() {
        val p = Project(engine)
        assertThrows<UnknownLanguageException> { p.setDocument("notes.unknown", "x") }
        assertThrows<UnknownLanguageException> { p.setDocument("A.java", "x", "cobol") }
        assertThrows<InvalidArgumentException> { p.setDocument("", "class A {}", "java") }
        assertTrue(p.findings().isEmpty())
        p.close()
        assertTrue(p.isClosed)
        assertThrows<IllegalStateException> { p.instances() }
        assertThrows<IllegalStateException> { p.setDocument("A.java", "class A {}") }
        p.close() // twice is harmless
        // The native side agrees: the freed handle is not live.
        val out = LongArray(2)
        assertEquals(Status.INVALID_HANDLE.code, Lib.codetable_project_findings_json(p.rawHandle, engine.rawHandle, out))
    }
}
