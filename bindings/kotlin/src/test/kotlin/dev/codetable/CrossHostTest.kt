package dev.codetable

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.fail
import java.nio.file.Files
import java.nio.file.Path

/** The repository root (Maven runs the tests in bindings/kotlin). */
val repoRoot: Path = Path.of("../..").toAbsolutePath().normalize()

/**
 * The cross-host golden tests every host runs: the edit scripts of `tests/golden/sessions.json`
 * replayed through this binding's public API (UTF-16 offsets — Kotlin string indices — and, in a
 * second run, UTF-8 byte offsets), and the scan of `tests/golden/scan.jsonl`, whose JSON Lines
 * this binding must reproduce byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossHostTest {
    private val db = PatternDatabase.default()
    private val engine = Engine(db)

    @AfterAll
    fun close() {
        engine.close()
        db.close()
    }

    private fun read(relative: String): String = Files.readString(repoRoot.resolve(relative))

    /** What a golden match says, as comparable values (code points are not a JVM unit). */
    private fun expected(m: Map<String, Any?>) = listOf(
        m.str("id"), m.str("pattern"), m.list("bytes"), m.list("utf16"), m.long("line"), m.long("utf16_column"),
    )

    /** The same values of a finding of the current [text], checking its two ranges agree. */
    private fun actual(f: Finding, text: String): List<Any> {
        val bytes = text.toByteArray(Charsets.UTF_8)
        val end = f.byteRange.last + 1
        assertEquals(f.range.substring(text), String(bytes, f.byteRange.first.toInt(), (end - f.byteRange.first).toInt(), Charsets.UTF_8))
        return listOf(
            f.idHex, f.pattern.id, listOf(f.byteRange.first, end),
            listOf(f.range.startOffset.toLong(), f.range.endOffset.toLong()), f.line.toLong(), f.column.toLong(),
        )
    }

    private fun compare(what: String, got: List<Finding>, want: List<Map<String, Any?>>, text: String) =
        assertEquals(want.map(::expected), got.map { actual(it, text) }, what)

    private fun replay(script: Map<String, Any?>, utf16: Boolean) {
        val name = "${script.str("name")} (${if (utf16) "UTF-16" else "byte"} edits)"
        Document(script.str("language"), script.str("text")).use { doc ->
            for ((i, step) in script.objects("steps").withIndex()) {
                val at = "$name step $i"
                when (val op = step.str("op")) {
                    "analyze" -> compare("$at: matches", engine.analyze(doc), step.objects("matches"), doc.text)
                    "edit" -> {
                        val (start, end) = step.list(if (utf16) "utf16" else "bytes").map { it as Long }
                        if (utf16) doc.edit(start.toInt(), end.toInt(), step.str("text")) else doc.editBytes(start, end, step.str("text"))
                    }
                    "analyze_delta" -> {
                        val d = engine.analyzeDelta(doc)
                        val text = doc.text
                        assertEquals(step.str("text"), text, "$at: text")
                        compare("$at: added", d.added, step.objects("added"), text)
                        compare("$at: updated", d.updated, step.objects("updated"), text)
                        compare("$at: removed", d.removed, step.objects("removed"), text)
                        compare("$at: matches", doc.findings(), step.objects("matches"), text)
                    }
                    else -> fail("$at: unknown op `$op`")
                }
            }
        }
    }

    @TestFactory
    fun `golden edit scripts`(): List<DynamicTest> {
        val golden = Json.obj(Json.parse(read("tests/golden/sessions.json")), "sessions.json")
        assertEquals(1L, golden["version"])
        val scripts = golden.objects("scripts")
        assertTrue(scripts.size >= 5, "${scripts.size} scripts")
        return scripts.flatMap { script ->
            listOf(true, false).map { utf16 ->
                DynamicTest.dynamicTest("${script.str("name")} (${if (utf16) "UTF-16" else "bytes"})") { replay(script, utf16) }
            }
        }
    }

    @Test
    fun `scan of the golden files is byte-identical to scan jsonl`() {
        val golden = read("tests/golden/scan.jsonl")
        val records = FindingRecord.fromJsonLines(golden)
        val paths = records.map { it.path ?: fail("a golden record without a path") }.distinct()
        assertTrue(paths.size >= 3 && records.size > paths.size, "$paths")
        val ours = StringBuilder()
        for (path in paths) {
            val text = read(path)
            val language = Document.detectLanguage(path, text) ?: fail("no language for $path")
            Document(language, text).use { doc ->
                val found = engine.analyze(doc)
                val json = engine.findingsJson(doc, path)
                assertEquals(found.map { it.idHex }, FindingRecord.fromJsonLines(json).map { it.id }, path)
                ours.append(json)
            }
        }
        assertEquals(golden, ours.toString())
        assertArrayEquals(Files.readAllBytes(repoRoot.resolve("tests/golden/scan.jsonl")), ours.toString().toByteArray(Charsets.UTF_8))
    }
}
