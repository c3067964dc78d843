package dev.codetable

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

/** Text where UTF-16 offsets, code points and UTF-8 bytes all differ: emoji (surrogate pairs) and CJK. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnicodeTest {
    private val db = PatternDatabase.default()
    private val engine = Engine(db)

    @AfterAll
    fun close() {
        engine.close()
        db.close()
    }

    private val text = "# 😀 散列 🎉🎉\nimport hashlib\n\ndef 摘要(数据):\n    s = \"😀\"; return hashlib.md5(数据)\n"

    @Test
    fun `ranges are UTF-16 offsets, not bytes`() {
        Document("python", text).use { doc ->
            val md5 = engine.analyze(doc).single { it.pattern.symbol == "Md" }
            assertEquals("hashlib.md5(数据)", md5.range.substring(text))
            val lineText = text.lines()[4]
            assertEquals(4, md5.line)
            assertEquals(lineText.indexOf("hashlib"), md5.column, "column in UTF-16 code units")
            assertEquals(md5.column + "hashlib.md5(数据)".length, md5.endColumn)
            // The byte range is the UTF-8 view of the same code.
            val bytes = text.toByteArray(Charsets.UTF_8)
            assertEquals(
                "hashlib.md5(数据)",
                String(bytes, md5.byteRange.first.toInt(), (md5.byteRange.last + 1 - md5.byteRange.first).toInt(), Charsets.UTF_8),
            )
            assertNotEquals(md5.range.startOffset.toLong(), md5.byteRange.first)
        }
    }

    @Test
    fun `a fix is core's edit in UTF-16 offsets and in its record`() {
        Document("python", text).use { doc ->
            val md5 = engine.analyze(doc).single { it.pattern.symbol == "Md" }
            val fix = md5.fix ?: error("the md5 rule has a fix")
            assertEquals("hashlib.sha256(数据)", fix.replacement)
            assertEquals("hashlib.md5(数据)", fix.range.substring(text))
            assertEquals(md5.byteRange, fix.byteRange)
            val record = engine.findingRecords(doc).single { it.symbol == "Md" }
            assertEquals(FixRecord(md5.byteRange.first, md5.byteRange.last + 1, "hashlib.sha256(数据)"), record.fix)
            // Core's fingerprint: 16 hex digits, kept when lines are added above the finding.
            assertTrue(Regex("[0-9a-f]{16}").matches(record.fingerprint), record.fingerprint)
            Document("python", "# ünïcödé\n\n$text").use { moved ->
                engine.analyze(moved)
                val again = engine.findingRecords(moved).single { it.symbol == "Md" }
                assertEquals(record.fingerprint, again.fingerprint)
                assertNotEquals(record.line, again.line)
            }
        }
        Document("python", "import hashlib as h\nh.md5(b'x')\n").use { doc ->
            val md5 = engine.analyze(doc).single { it.pattern.symbol == "Md" }
            assertEquals(null, md5.fix)
            assertEquals(null, engine.findingRecords(doc).single().fix)
        }
    }

    @Test
    fun `captures on CJK identifiers`() {
        val src = "x = 1\ndef 跑(代码):\n    return eval(代码)  # 🚀\n"
        Document("python", src).use { doc ->
            val ev = engine.analyze(doc).single { it.pattern.symbol == "Ev" }
            assertEquals("eval(代码)", ev.range.substring(src))
            val x = ev.capture("\$X")!!
            assertEquals("代码", x.text)
            assertEquals("代码", x.range.substring(src))
        }
    }

    @Test
    fun `edits with emoji keep offsets in UTF-16`() {
        Document("python", text).use { doc ->
            engine.analyze(doc)
            // Insert an emoji before the finding, on its own line: the finding moves by 2 code units + 1.
            doc.edit(0, 0, "🙂\n")
            var now = text.let { "🙂\n$it" }
            assertEquals(now, doc.text)
            engine.analyzeDelta(doc)
            val md5 = doc.findings().single { it.pattern.symbol == "Md" }
            assertEquals("hashlib.md5(数据)", md5.range.substring(now))
            // Replace the CJK argument (2 UTF-16 units, 6 bytes) by an emoji name.
            val arg = now.lastIndexOf("数据)")
            doc.edit(arg, arg + 2, "🔑")
            now = now.substring(0, arg) + "🔑" + now.substring(arg + 2)
            assertEquals(now, doc.text)
            // 🔑 is not an identifier for Python, but the document must still follow the text.
            engine.analyzeDelta(doc)
            doc.edit(arg, arg + 2, "密钥")
            now = now.substring(0, arg) + "密钥" + now.substring(arg + 2)
            assertEquals(now, doc.text)
            engine.analyzeDelta(doc)
            val again = doc.findings().single { it.pattern.symbol == "Md" }
            assertEquals("hashlib.md5(密钥)", again.range.substring(now))
        }
    }

    @Test
    fun `an offset inside a surrogate pair is refused`() {
        Document("python", text).use { doc ->
            val emoji = text.indexOf("😀")
            assertTrue(Character.isHighSurrogate(text[emoji]))
            val e = assertThrows<NotCharBoundaryException> { doc.edit(emoji + 1, emoji + 1, "x") }
            assertEquals(Status.NOT_CHAR_BOUNDARY, e.status)
            assertTrue(e.message!!.contains("surrogate"), e.message)
            assertThrows<NotCharBoundaryException> { doc.edit(emoji, emoji + 1, "") }
            assertEquals(text, doc.text)
            // A byte offset inside a multi-byte character is refused too.
            val cjkByte = text.substring(0, text.indexOf("散")).toByteArray(Charsets.UTF_8).size.toLong()
            assertThrows<NotCharBoundaryException> { doc.editBytes(cjkByte + 1, cjkByte + 1, "x") }
            // Deleting the whole pair is fine.
            doc.edit(emoji, emoji + 2, "")
            assertEquals(text.removeRange(emoji, emoji + 2), doc.text)
        }
    }

    @Test
    fun `the end of the text in UTF-16 is a valid offset, one past is not`() {
        Document("python", "s = '😀'\n").use { doc ->
            val n = "s = '😀'\n".length
            doc.edit(n, n, "t = '中'\n")
            assertEquals("s = '😀'\nt = '中'\n", doc.text)
            assertThrows<EditOutOfRangeException> { doc.edit(doc.text.length + 1, doc.text.length + 1, "") }
        }
    }
}
