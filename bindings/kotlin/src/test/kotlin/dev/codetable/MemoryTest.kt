package dev.codetable

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path

/** 100,000 documents opened, edited, analyzed and closed: the process's resident memory must not grow. */
class MemoryTest {
    private fun rssKb(): Long =
        Files.readAllLines(Path.of("/proc/self/status")).first { it.startsWith("VmRSS:") }
            .split(Regex("\\s+"))[1].toLong()

    @Test
    fun `100,000 documents without native memory growth`() {
        PatternDatabase.default().use { db ->
            Engine(db).use { engine ->
                fun round(n: Int) = repeat(n) { i ->
                    Document("python", "def f$i(x):\n    return hashlib.md5(x)\n").use { doc ->
                        if (i % 10 == 0) {
                            engine.analyze(doc)
                            doc.edit(0, 0, "#\n")
                            engine.analyzeDelta(doc)
                        }
                    }
                }
                round(10_000) // warm up: JIT, allocator arenas, the pattern cache
                System.gc()
                val before = rssKb()
                val liveBefore = LiveObjects.count()
                val t0 = System.nanoTime()
                round(100_000)
                val seconds = (System.nanoTime() - t0) / 1e9
                System.gc()
                val after = rssKb()
                val liveAfter = LiveObjects.count()
                assertEquals(liveBefore.second, liveAfter.second, "every result buffer was freed")
                assertTrue(liveAfter.first <= liveBefore.first, "every document was freed: $liveBefore -> $liveAfter")
                val growthMb = (after - before) / 1024.0
                println("memory: 100,000 documents in %.1f s; VmRSS %d kB -> %d kB (%+.1f MB)".format(seconds, before, after, growthMb))
                // A leak of even one small tree per document would be hundreds of MB here.
                assertTrue(growthMb < 24.0, "VmRSS grew by $growthMb MB over 100,000 documents")
            }
        }
    }
}
