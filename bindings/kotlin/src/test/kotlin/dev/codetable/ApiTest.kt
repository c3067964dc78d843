package dev.codetable

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import java.nio.file.Files
import java.nio.file.Path

const val PY = "import hashlib\n\ndef digest(data):\n    return hashlib.md5(data).hexdigest()\n\ndef run(code):\n    return eval(code)\n"

/** Every language name core knows (`Language::name`). */
val LANGUAGES = setOf("python", "javascript", "typescript", "tsx", "java", "kotlin", "go", "rust", "c", "cpp")

/** The committed default catalog file (core/data/default.ctdb), for `open` and `fromBytes`. */
val catalogFile: Path = Path.of("../../core/data/default.ctdb").toAbsolutePath().normalize()

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
    private val db = PatternDatabase.default()
    private val engine = Engine(db)

    @AfterAll
    fun close() {
        engine.close()
        db.close()
    }

    @Test
    fun `library versions and source`() {
        assertTrue(Codetable.version.matches(Regex("""\d+\.\d+\.\d+.*""")), Codetable.version)
        assertEquals("2", Codetable.abiVersion.substringBefore('.'))
        assertTrue(Codetable.abiVersion.substringAfter('.').toInt() >= 1, Codetable.abiVersion)
        // Surefire's class path has target/classes, where the build bundled the library.
        assertEquals(LibrarySource.BUNDLED, Codetable.librarySource)
        assertTrue(Codetable.libraryPath.endsWith("linux-x86-64/libcodetable.so"), Codetable.libraryPath)
    }

    @Test
    fun `default database lists parseable patterns`() {
        assertTrue(db.patternCount >= 30, "${db.patternCount}")
        val all = db.patterns()
        assertEquals(db.patternCount, all.size)
        for ((i, p) in all.withIndex()) {
            assertEquals(i, p.number)
            assertTrue(p.id.contains('.'), p.id)
            assertTrue(p.symbol.length in 1..3, p.symbol)
            assertTrue(p.name.isNotEmpty() && p.group.isNotEmpty() && p.summary.isNotEmpty(), p.id)
            assertTrue(p.matcherKind.isNotEmpty(), p.id)
            assertTrue(p.examples.isNotEmpty(), "${p.id} carries its examples")
            assertEquals(p.group, p.id.substringBefore('.'))
            assertEquals(p.keyProperty ?: p.summary, p.message)
            assertTrue(p.examples.all { it.expect == "match" || it.expect == "no-match" }, p.id)
        }
        // Both matcher kinds, with the shapes' guards exposed.
        assertEquals(setOf("rule", "shape"), all.map { it.matcherKind }.toSet())
        val shapes = all.map { it.matcher }.filterIsInstance<ShapeMatcher>()
        assertTrue(shapes.all { it.threshold in 0f..1f && it.references.isNotEmpty() })
        val guards = shapes.flatMap { it.require + it.exclude }
        assertTrue(guards.isNotEmpty(), "some shape has a require or exclude guard")
        assertTrue(guards.all { it.pattern.isNotEmpty() && it.language in LANGUAGES })
        // Cached: the same object each time.
        assertTrue(db.pattern(0) === db.pattern(0))
        db.verify()
    }

    @Test
    fun `pattern record fields`() {
        val md5 = db.find("security.weak-hash.md5")!!
        assertEquals("Md", md5.symbol)
        assertEquals(Severity.HIGH, md5.severity)
        assertTrue(328 in md5.cwe || 327 in md5.cwe, "${md5.cwe}")
        assertTrue(md5.owasp.isNotEmpty())
        assertTrue("python" in md5.languages)
        assertTrue(md5.properties.isNotEmpty() && md5.properties.all { it.kind.isNotEmpty() && it.text.isNotEmpty() })
        assertTrue(md5.alternatives.isNotEmpty(), "md5 names its alternatives")
        assertTrue(md5.references.all { it.startsWith("http") })
        assertTrue(md5.examples.any { it.shouldMatch } && md5.examples.any { !it.shouldMatch })
        assertEquals("rule", md5.matcherKind)
        val rules = (md5.matcher as RuleMatcher).rules
        assertTrue(rules.any { it.language == "python" && it.pattern.contains("md5") }, "$rules")
        assertEquals(md5.keyProperty, md5.message)
        assertTrue(md5.keyProperty!!.isNotEmpty())
        assertTrue(md5.json.startsWith("{\"number\":${md5.number},"), md5.json)
        assertEquals(md5.json, db.patternJson(md5.number))
    }

    @Test
    fun `property sheet is core's Markdown`() {
        val md5 = db.find("security.weak-hash.md5")!!
        val sheet = md5.propertySheet()
        assertEquals("**Md** · **MD5 hash** · `security.weak-hash.md5`", sheet.lineSequence().first())
        assertTrue(sheet.contains("\nsecurity · severity **high** · python"), sheet)
        assertTrue(sheet.contains("[CWE-327](https://cwe.mitre.org/data/definitions/327.html)"), sheet)
        assertTrue(sheet.contains("\n#### Properties\n\n- **security**: "), sheet)
        for (alternative in md5.alternatives) assertTrue(sheet.contains("- `$alternative`\n"), sheet)
        // One bullet per property, for every pattern; the same text as the database hands out.
        for (p in db.patterns()) {
            val md = p.propertySheet()
            assertEquals(db.patternMarkdown(p.number), md)
            assertTrue(md.contains("`${p.id}`"), p.id)
            assertEquals(p.properties.size, md.lines().count { it.startsWith("- **") }, p.id)
        }
        assertThrows<InvalidArgumentException> { db.patternMarkdown(db.patternCount) }
        assertThrows<InvalidArgumentException> { db.patternMarkdown(-1) }
        // A pattern is a value: its sheet outlives the database it came from.
        val closed = PatternDatabase.default()
        val p = closed.find("Md")!!
        closed.close()
        assertEquals(sheet, p.propertySheet())
        assertThrows<IllegalStateException> { closed.patternMarkdown(p.number) }
    }

    @Test
    fun `summary agrees with the JSON record`() {
        for (p in db.patterns()) {
            val s = db.summary(p.number)
            assertEquals(p.id, s.id)
            assertEquals(p.symbol, s.symbol)
            assertEquals(p.name, s.name)
            assertEquals(p.group, s.group)
            assertEquals(p.summary, s.summary)
            assertEquals(p.severity, s.severity)
            assertEquals(p.cwe.firstOrNull() ?: 0, s.cwe)
        }
        assertThrows<InvalidArgumentException> { db.summary(db.patternCount) }
    }

    @Test
    fun `find by id, symbol and name, search by prefix`() {
        val md5 = db.find("security.weak-hash.md5")!!
        assertEquals(md5, db.find("Md"))
        assertEquals(md5, db.find(md5.name.uppercase()))
        assertNull(db.find("no.such.pattern"))
        assertNull(db.find(""))
        val security = db.search("security.")
        assertTrue(security.isNotEmpty() && security.all { it.id.startsWith("security.") })
        assertTrue(md5 in security)
        assertEquals(security.map { it.number }.sorted(), security.map { it.number })
        assertEquals(db.patternCount, db.search("").size)
        assertTrue(db.search("zzz-nothing").isEmpty())
    }

    @Test
    fun `pattern numbers out of range`() {
        val e = assertThrows<InvalidArgumentException> { db.pattern(db.patternCount) }
        assertTrue(e.message!!.contains("out of range"), e.message)
        assertThrows<InvalidArgumentException> { db.pattern(-1) }
        assertThrows<InvalidArgumentException> { db.patternJson(db.patternCount + 5) }
    }

    @Test
    fun `open a file and read from bytes`() {
        assertTrue(Files.isRegularFile(catalogFile), "$catalogFile")
        PatternDatabase.open(catalogFile).use { f ->
            assertTrue(f.patternCount > 0)
            f.verify()
            assertEquals(f.patternCount, PatternDatabase.open(catalogFile.toString()).use { it.patternCount })
            PatternDatabase.fromBytes(Files.readAllBytes(catalogFile)).use { b ->
                assertEquals(f.patternCount, b.patternCount)
                assertEquals(f.patterns().map { it.id }, b.patterns().map { it.id })
                b.verify()
            }
        }
    }

    @Test
    fun `database errors carry the native message`() {
        val io = assertThrows<DatabaseException> { PatternDatabase.open("/no/such/file.ctdb") }
        assertEquals(Status.IO, io.status)
        assertTrue(io.message!!.contains("/no/such/file.ctdb"), io.message)
        val junk = assertThrows<DatabaseException> { PatternDatabase.fromBytes("not a database at all".toByteArray()) }
        assertEquals(Status.NOT_A_DATABASE, junk.status)
        assertTrue(junk.message!!.isNotBlank())
        assertThrows<CodetableException> { PatternDatabase.fromBytes(ByteArray(0)) }
        // A damaged copy: opening checks the structure, verify() the checksums; either refuses it.
        val bytes = Files.readAllBytes(catalogFile)
        bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 0x5a).toByte()
        val damaged = assertThrows<DatabaseException> { PatternDatabase.fromBytes(bytes).use { it.verify() } }
        assertEquals(Status.CORRUPT_DATABASE, damaged.status)
    }

    @Test
    fun `document text, edits and stamps`() {
        Document("python", PY).use { doc ->
            assertEquals("python", doc.language)
            assertEquals(PY, doc.text)
            assertEquals(0, doc.modificationStamp)
            assertEquals(1, doc.edit(0, 0, "# hi\n"))
            assertEquals("# hi\n$PY", doc.text)
            assertEquals(2, doc.edit(0, 5, ""))
            assertEquals(PY, doc.text)
            assertEquals(3, doc.editBytes(0, 6, "from"))
            assertEquals("from" + PY.substring(6), doc.text)
            assertEquals(4, doc.editBytes(0, 4, "import"))
            assertEquals(PY, doc.text)
        }
    }

    @Test
    fun `refused edits leave the document unchanged`() {
        Document("python", PY).use { doc ->
            val past = assertThrows<EditOutOfRangeException> { doc.edit(0, PY.length + 1, "") }
            assertTrue(past.message!!.contains("out of bounds") || past.message!!.contains("range"), past.message)
            assertThrows<EditOutOfRangeException> { doc.edit(5, 4, "") }
            assertThrows<EditOutOfRangeException> { doc.edit(-1, 0, "") }
            assertThrows<EditOutOfRangeException> { doc.editBytes(0, PY.length + 1L, "") }
            assertThrows<EditOutOfRangeException> { doc.editBytes(3, 2, "") }
            assertEquals(PY, doc.text)
            assertEquals(0, doc.modificationStamp)
        }
    }

    @Test
    fun `unknown language`() {
        val e = assertThrows<UnknownLanguageException> { Document("cobol", "x") }
        assertEquals(Status.UNKNOWN_LANGUAGE, e.status)
        assertTrue(e.message!!.contains("cobol"), e.message)
        Document("py", "x = 1\n").use { assertEquals("x = 1\n", it.text) }
    }

    @Test
    fun `language detection`() {
        assertEquals("python", Document.detectLanguage("a/b/c.py"))
        assertEquals("kotlin", Document.detectLanguage("Main.kt"))
        assertEquals("rust", Document.detectLanguage("lib.rs"))
        assertEquals("python", Document.detectLanguage("script", "#!/usr/bin/env python3\nprint(1)\n"))
        assertNull(Document.detectLanguage("notes.txt"))
        val lang = Document.detectLanguage("x.java")!!
        Document(lang, "class A {}").close()
    }

    @Test
    fun `analyze finds patterns with ranges, lines and captures`() {
        Document("python", PY).use { doc ->
            assertTrue(doc.findings().isEmpty(), "no findings before the first analysis")
            val found = engine.analyze(doc)
            val md5 = found.single { it.pattern.id == "security.weak-hash.md5" }
            assertEquals("hashlib.md5(data)", md5.range.substring(PY))
            assertEquals(3, md5.line)
            assertEquals(PY.lines()[3].indexOf("hashlib"), md5.column)
            assertEquals(3, md5.endLine)
            assertEquals(md5.column + "hashlib.md5(data)".length, md5.endColumn)
            assertEquals(1.0f, md5.score)
            assertEquals(md5.range.startOffset.toLong(), md5.byteRange.first, "ASCII text: bytes == UTF-16")
            val ev = found.single { it.pattern.id == "security.code-injection.eval" }
            assertEquals("eval(code)", ev.range.substring(PY))
            val x = ev.capture("\$X")!!
            assertEquals("code", x.text)
            assertEquals("code", x.range.substring(PY))
            assertNull(ev.capture("\$NOPE"))
            assertEquals(found.sortedBy { it.range.startOffset }, found)
            assertEquals(found, doc.findings())
            assertEquals(found.map { it.id }.toSet().size, found.size, "ids are unique")
        }
    }

    @Test
    fun `analyzeDelta reports added, removed and updated findings`() {
        Document("python", PY).use { doc ->
            // Never analyzed: everything is added.
            val first = engine.analyzeDelta(doc)
            assertEquals(engine.analyze(doc).map { it.id }.toSet(), first.added.map { it.id }.toSet())
            assertTrue(first.removed.isEmpty() && first.updated.isEmpty())
            val md5 = first.added.single { it.pattern.symbol == "Md" }

            // md5 -> sha256: the weak hash disappears, the strong one appears.
            val at = PY.indexOf("md5")
            val stamp = doc.edit(at, at + 3, "sha256")
            val d = engine.analyzeDelta(doc)
            assertEquals(stamp, d.stamp)
            assertEquals(listOf(md5.id), d.removed.map { it.id })
            val gone = d.removed.single()
            assertEquals(md5.pattern, gone.pattern)
            // Its range is carried into the current text: the edit inside it moved its end.
            assertEquals("hashlib.sha256(data)", gone.range.substring(doc.text))
            assertTrue(d.added.any { it.pattern.id == "security.strong-hash.sha256" }, "${d.added}")
            assertFalse(d.isEmpty())

            // An edit elsewhere (a comment line at the end) changes no finding.
            val text = doc.text
            doc.edit(text.length, text.length, "# done\n")
            val quiet = engine.analyzeDelta(doc)
            assertTrue(quiet.added.isEmpty() && quiet.removed.isEmpty(), "$quiet")
            // Nothing pending: an empty delta.
            assertTrue(engine.analyzeDelta(doc).isEmpty())

            // Insert a line above eval: the eval finding is kept (updated or shifted), not re-added.
            val ev = doc.findings().single { it.pattern.symbol == "Ev" }
            val line = doc.text.indexOf("    return eval")
            doc.edit(line, line, "    code = code.strip()\n")
            val d2 = engine.analyzeDelta(doc)
            assertTrue(d2.removed.isEmpty(), "$d2")
            val now = doc.findings().single { it.pattern.symbol == "Ev" }
            assertEquals("eval(code)", now.range.substring(doc.text))
            assertEquals(ev.line + 1, now.line)

            // Rename the argument inside eval(...): same finding (id), new capture: `updated`.
            val arg = doc.text.indexOf("eval(code)") + "eval(code".length
            doc.edit(arg, arg, "s")
            val d3 = engine.analyzeDelta(doc)
            assertTrue(d3.added.isEmpty() && d3.removed.isEmpty(), "$d3")
            val upd = d3.updated.single()
            assertEquals(now.id, upd.id)
            assertEquals("codes", upd.capture("\$X")!!.text)
            assertEquals("eval(codes)", upd.range.substring(doc.text))

            // An edit in the same function that leaves the finding as it was: recomputed, but not
            // news (core's session leaves it out of `updated`).
            val end = doc.text.indexOf("eval(codes)") + "eval(codes)".length
            doc.edit(end, end, "  # checked")
            assertTrue(engine.analyzeDelta(doc).isEmpty())
        }
    }

    @Test
    fun `finding records are core's JSON Lines`() {
        val text = "# é 😀\n$PY"
        Document("python", text).use { doc ->
            assertEquals("", engine.findingsJson(doc), "no records before the first analysis")
            val found = engine.analyze(doc)
            val json = engine.findingsJson(doc, "./src/app.py")
            assertTrue(json.endsWith("\n") && json.lines().dropLast(1).size == found.size, json)
            val records = engine.findingRecords(doc, "./src/app.py")
            assertEquals(json, records.joinToString("") { it.json + "\n" })
            for ((f, r) in found.zip(records)) {
                assertEquals(f.idHex, r.id)
                assertEquals(f.pattern.id, r.pattern)
                assertEquals(f.pattern.symbol, r.symbol)
                assertEquals(f.byteRange.first, r.byteStart)
                assertEquals(f.byteRange.last + 1, r.byteEnd)
                assertEquals(f.line + 1, r.line)
                assertEquals("src/app.py", r.path)
                assertEquals("python", r.language)
                assertEquals(f.range.substring(text), r.snippet)
                assertEquals(f.score, r.score)
            }
            val md5 = records.single { it.pattern == "security.weak-hash.md5" }
            assertEquals(5, md5.line)
            assertEquals("digest", md5.unit)
            // Code-point columns: 1-based, the line being plain ASCII here.
            assertEquals(PY.lines()[3].indexOf("hashlib") + 1, md5.column)
            assertEquals(listOf(null), engine.findingRecords(doc).map { it.path }.distinct())
            Engine(db).use { other ->
                val e = assertThrows<InvalidArgumentException> { other.findingsJson(doc) }
                assertTrue(e.message!!.contains("another engine"), e.message)
            }
            doc.edit(0, 0, "\n")
            assertThrows<InvalidArgumentException> { engine.findingsJson(doc) }
        }
    }

    @Test
    fun `findings refuse while edits are pending`() {
        Document("python", PY).use { doc ->
            engine.analyze(doc)
            doc.edit(0, 0, "\n")
            val e = assertThrows<InvalidArgumentException> { doc.findings() }
            assertTrue(e.message!!.contains("analyze_delta"), e.message)
            engine.analyzeDelta(doc)
            assertEquals(2, doc.findings().size)
        }
    }

    @Test
    fun `another engine re-analyzes everything`() {
        Engine(db).use { other ->
            Document("python", PY).use { doc ->
                val a = engine.analyze(doc)
                val d = other.analyzeDelta(doc)
                assertEquals(a.map { it.id }.toSet(), d.removed.map { it.id }.toSet())
                assertEquals(a.map { it.range to it.pattern.id }, d.added.map { it.range to it.pattern.id })
            }
        }
    }

    @Test
    fun `every result buffer the library hands out is freed`() {
        val (handles0, buffers0) = LiveObjects.count()
        PatternDatabase.fromBytes(Files.readAllBytes(catalogFile)).use { d ->
            Engine(d).use { e ->
                Document("python", PY).use { doc ->
                    assertEquals(handles0 + 3, LiveObjects.count().first)
                    e.analyze(doc)
                    doc.edit(0, 0, "x = eval(y)\n")
                    e.analyzeDelta(doc)
                    doc.findings()
                    e.findingsJson(doc, "a.py")
                    doc.text
                    d.search("")
                    d.search("security")
                    d.patternJson(0)
                    d.find("Md")
                    d.summary(1)
                    assertEquals(buffers0, LiveObjects.count().second)
                }
            }
        }
        assertEquals(handles0 to buffers0, LiveObjects.count())
    }

    @Test
    fun `status codes`() {
        assertEquals(Status.OK, Status.of(0))
        assertEquals(Status.INTERNAL, Status.of(15))
        assertEquals(Status.UNKNOWN, Status.of(99))
        for (s in Status.entries.filter { it.code >= 0 }) assertEquals(s, Status.of(s.code))
        assertEquals(Severity.CRITICAL, Severity.parse("Critical"))
        assertThrows<IllegalArgumentException> { Severity.parse("dire") }
        assertNotEquals(Severity.LOW, Severity.HIGH)
        assertTrue(Severity.HIGH > Severity.MEDIUM)
    }
}
