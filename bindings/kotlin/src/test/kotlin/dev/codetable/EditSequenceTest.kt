package dev.codetable

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import kotlin.random.Random

/**
 * Random editor sessions (typing, deleting, pasting lines that contain patterns, emoji and CJK):
 * after every step, the findings kept by applying deltas must equal a fresh analysis of the text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EditSequenceTest {
    private val db = PatternDatabase.default()
    private val engine = Engine(db)

    @AfterAll
    fun close() {
        engine.close()
        db.close()
    }

    private val snippets = listOf(
        "h = hashlib.md5(data)\n",
        "r = eval(expr)\n",
        "if ratio == 0.3:\n    pass\n",
        "import yaml\ncfg = yaml.load(s)\n",
        "# 😀 注释 🎉\n",
        "x = '数据'\n",
        "def f(a, b=[]):\n    return a\n",
        "    ",
        "md5",
        "(",
        ")",
        "\n",
    )

    private val start = """
        import hashlib
        import yaml

        def digest(data):
            return hashlib.md5(data).hexdigest()

        def run(code):
            # 运行 🚀
            return eval(code)

        class Config:
            def load(self, s):
                return yaml.load(s)
    """.trimIndent() + "\n"

    /** What a fresh analysis of [text] finds, as comparable keys. */
    private fun fresh(text: String) = Document("python", text).use { d ->
        engine.analyze(d).map { Triple(it.pattern.id, it.range, it.captures.map { c -> c.name to c.text }) }
    }

    /** Snaps an offset out of the middle of a surrogate pair. */
    private fun snap(text: String, at: Int): Int =
        if (at in 1 until text.length && Character.isLowSurrogate(text[at]) && Character.isHighSurrogate(text[at - 1])) at - 1 else at

    @ParameterizedTest
    @ValueSource(ints = [1, 2, 3, 4, 5, 6])
    fun `deltas track a fresh analysis`(seed: Int) {
        val rnd = Random(seed)
        val mirror = StringBuilder(start)
        Document("python", start).use { doc ->
            val shown = HashMap<Long, Finding>()
            engine.analyze(doc).associateByTo(shown) { it.id }
            repeat(120) { step ->
                // One to three edits between analyses, as an IDE coalesces fast typing.
                repeat(1 + rnd.nextInt(3)) {
                    val len = mirror.length
                    val a = snap(mirror.toString(), rnd.nextInt(len + 1))
                    when (rnd.nextInt(3)) {
                        0 -> { // insert
                            val s = snippets[rnd.nextInt(snippets.size)]
                            doc.edit(a, a, s)
                            mirror.insert(a, s)
                        }
                        1 -> { // delete
                            val b = snap(mirror.toString(), minOf(len, a + rnd.nextInt(12)))
                            doc.edit(a, b, "")
                            mirror.delete(a, b)
                        }
                        else -> { // replace (a paste over a selection)
                            val b = snap(mirror.toString(), minOf(len, a + rnd.nextInt(6)))
                            val s = snippets[rnd.nextInt(snippets.size)]
                            doc.edit(a, b, s)
                            mirror.replace(a, b, s)
                        }
                    }
                }
                val delta = engine.analyzeDelta(doc)
                for (f in delta.removed) assertTrue(shown.remove(f.id) != null, "step $step: removed ${f.id} was not shown")
                for (f in delta.updated) assertTrue(shown.put(f.id, f) != null, "step $step: updated ${f.id} was not shown")
                for (f in delta.added) assertTrue(shown.put(f.id, f) == null, "step $step: added ${f.id} twice")
                val text = mirror.toString()
                assertEquals(text, doc.text, "step $step: text")
                val current = doc.findings()
                assertEquals(shown.keys, current.map { it.id }.toSet(), "step $step: ids kept by applying deltas")
                val expected = fresh(text)
                val actual = current.map { Triple(it.pattern.id, it.range, it.captures.map { c -> c.name to c.text }) }
                assertEquals(expected, actual, "step $step (seed $seed): deltas vs a fresh analysis of\n$text")
                for (f in current) assertEquals(f.range.substring(text).isNotEmpty(), true)
            }
        }
    }
}
