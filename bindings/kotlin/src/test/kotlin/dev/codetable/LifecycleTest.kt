package dev.codetable

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread

/** Closing, use after close, engines keeping their database, the cleaner, and close racing use. */
class LifecycleTest {
    private val invalidHandle = Status.INVALID_HANDLE.code

    /** True when the native library no longer knows [doc] (freed). */
    private fun docFreed(raw: Long) = Lib.codetable_document_text(raw, LongArray(1), LongArray(1)) == invalidHandle
    private fun dbFreed(raw: Long) = Lib.codetable_db_pattern_count(raw, LongArray(1)) == invalidHandle
    private fun engineFreed(raw: Long) = Lib.codetable_engine_free(raw) == invalidHandle

    @Test
    fun `closing twice is harmless`() {
        val db = PatternDatabase.default()
        val engine = Engine(db)
        val doc = Document("python", PY)
        for (o in listOf<AutoCloseable>(doc, engine, db)) {
            o.close()
            o.close()
        }
        assertTrue(doc.isClosed && engine.isClosed && db.isClosed)
        assertTrue(docFreed(doc.rawHandle))
        assertTrue(dbFreed(db.rawHandle))
        assertTrue(engineFreed(engine.rawHandle))
    }

    @Test
    fun `use after close throws IllegalStateException`() {
        val db = PatternDatabase.default()
        val engine = Engine(db)
        val doc = Document("python", PY)
        engine.analyze(doc)
        doc.close()
        for (call in listOf<() -> Any?>(
            { doc.edit(0, 0, "x") }, { doc.editBytes(0, 0, "x") }, { doc.text }, { doc.findings() },
            { engine.analyze(doc) }, { engine.analyzeDelta(doc) },
        )) {
            val e = assertThrows<IllegalStateException> { call() }
            assertTrue(e.message!!.contains("closed"), e.message)
        }
        Document("python", PY).use { live ->
            engine.close()
            assertThrows<IllegalStateException> { engine.analyze(live) }
            assertThrows<IllegalStateException> { engine.analyzeDelta(live) }
        }
        db.close()
        for (call in listOf<() -> Any?>(
            { db.pattern(0) }, { db.patternJson(0) }, { db.summary(0) }, { db.find("Md") },
            { db.search("") }, { db.verify() }, { db.patterns() }, { Engine(db) },
        )) {
            assertThrows<IllegalStateException> { call() }
        }
    }

    @Test
    fun `an engine keeps its database alive until it is closed`() {
        val db = PatternDatabase.default()
        val engine = Engine(db)
        db.close()
        assertTrue(db.isClosed)
        assertFalse(dbFreed(db.rawHandle), "the engine still holds the database")
        Document("python", PY).use { doc ->
            // Patterns never read before are resolved through the engine's reference.
            val found = engine.analyze(doc)
            assertEquals(setOf("Md", "Ev"), found.map { it.pattern.symbol }.toSet())
            assertTrue(found.all { it.pattern.properties.isNotEmpty() })
        }
        engine.close()
        assertTrue(dbFreed(db.rawHandle), "closing the last engine frees the database")
    }

    @Test
    fun `the cleaner frees what a caller forgot`() {
        fun forget(): LongArray {
            val db = PatternDatabase.default()
            val engine = Engine(db)
            val doc = Document("python", PY)
            engine.analyze(doc)
            return longArrayOf(db.rawHandle, engine.rawHandle, doc.rawHandle)
        }
        val (db, engine, doc) = forget()
        assertFalse(docFreed(doc))
        val deadline = System.nanoTime() + 20_000_000_000L
        while (!(docFreed(doc) && dbFreed(db)) && System.nanoTime() < deadline) {
            System.gc()
            Thread.sleep(20)
        }
        assertTrue(docFreed(doc), "document freed by the cleaner")
        assertTrue(dbFreed(db), "database freed by the cleaner")
        assertTrue(engineFreed(engine), "engine freed by the cleaner")
    }

    @Test
    fun `closing a database while other threads read summaries never crashes`() {
        repeat(20) {
            val db = PatternDatabase.default()
            val go = CountDownLatch(1)
            val other = AtomicInteger()
            val closedSeen = AtomicInteger()
            val workers = List(4) {
                thread {
                    go.await()
                    try {
                        while (true) for (n in 0 until db.patternCount) check(db.summary(n).id.isNotEmpty())
                    } catch (e: IllegalStateException) {
                        closedSeen.incrementAndGet()
                    } catch (e: Throwable) {
                        other.incrementAndGet()
                        e.printStackTrace()
                    }
                }
            }
            go.countDown()
            Thread.sleep(3)
            db.close()
            workers.forEach { it.join() }
            assertEquals(0, other.get())
            assertEquals(4, closedSeen.get(), "every reader ends with IllegalStateException")
            assertTrue(dbFreed(db.rawHandle))
        }
    }

    @Test
    fun `closing while other threads use a document never crashes`() {
        PatternDatabase.default().use { db ->
            Engine(db).use { engine ->
                var racesSeen = 0
                repeat(20) {
                    val doc = Document("python", PY)
                    engine.analyze(doc)
                    val go = CountDownLatch(1)
                    val closedSeen = AtomicInteger()
                    val other = AtomicInteger()
                    val workers = List(4) { w ->
                        thread {
                            go.await()
                            try {
                                repeat(200) {
                                    // One worker's edit-analyze-read is a unit (another's edit in
                                    // between would leave edits pending for findings()).
                                    synchronized(doc) {
                                        doc.edit(0, 0, "#$w\n")
                                        engine.analyzeDelta(doc)
                                        doc.findings()
                                    }
                                    check(doc.text.endsWith(PY))
                                }
                            } catch (e: IllegalStateException) {
                                closedSeen.incrementAndGet()
                            } catch (e: Throwable) {
                                other.incrementAndGet()
                                e.printStackTrace()
                            }
                        }
                    }
                    go.countDown()
                    Thread.sleep(2)
                    doc.close()
                    workers.forEach { it.join() }
                    assertEquals(0, other.get(), "only IllegalStateException after close")
                    assertTrue(doc.isClosed && docFreed(doc.rawHandle))
                    racesSeen += closedSeen.get()
                }
                assertTrue(racesSeen > 0, "the close raced at least one worker")
            }
        }
    }
}
