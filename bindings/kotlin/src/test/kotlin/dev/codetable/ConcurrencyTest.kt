package dev.codetable

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CyclicBarrier
import kotlin.concurrent.thread

/** Eight threads sharing one Engine (and one database), each with its own documents. */
class ConcurrencyTest {
    @Test
    fun `eight threads share one engine`() {
        PatternDatabase.default().use { db ->
            Engine(db).use { engine ->
                val texts = List(8) { t -> "# thread $t 😀\n" + PY.repeat(1 + t % 3) }
                val expected = texts.map { text -> Document("python", text).use { d -> engine.analyze(d).map { it.pattern.id to it.range } } }
                val barrier = CyclicBarrier(8)
                val errors = ConcurrentLinkedQueue<Throwable>()
                val threads = List(8) { t ->
                    thread(name = "codetable-$t") {
                        try {
                            barrier.await()
                            repeat(150) { i ->
                                Document("python", texts[t]).use { doc ->
                                    val found = engine.analyze(doc).map { it.pattern.id to it.range }
                                    assertEquals(expected[t], found, "thread $t iteration $i")
                                    // An edit and a delta on the shared engine, then back.
                                    doc.edit(0, 0, "x = 1\n")
                                    engine.analyzeDelta(doc)
                                    doc.edit(0, 6, "")
                                    engine.analyzeDelta(doc)
                                    assertEquals(expected[t], doc.findings().map { it.pattern.id to it.range })
                                    // Pattern lookups from many threads hit the shared cache.
                                    assertEquals(db.pattern(i % db.patternCount).number, i % db.patternCount)
                                }
                            }
                        } catch (e: Throwable) {
                            errors.add(e)
                        }
                    }
                }
                threads.forEach { it.join() }
                errors.firstOrNull()?.let { throw it }
                assertTrue(expected.all { it.isNotEmpty() })
            }
        }
    }
}
