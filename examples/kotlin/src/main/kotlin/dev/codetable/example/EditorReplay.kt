package dev.codetable.example

import dev.codetable.Document
import dev.codetable.Engine
import dev.codetable.Finding
import dev.codetable.FindingDelta
import dev.codetable.PatternDatabase

/**
 * One change as IntelliJ reports it in `DocumentListener.documentChanged(DocumentEvent)`:
 * `event.offset`, `event.oldLength`, `event.newFragment` — offsets in UTF-16 code units of the
 * text before the change.
 */
data class DocumentEvent(val offset: Int, val oldLength: Int, val newFragment: String)

/** The file as it was when the editor opened it (note the emoji: UTF-16 offsets ≠ bytes). */
val OPENED = """
    # 🔐 session helpers
    import hashlib

    def fingerprint(payload):
        return payload

""".trimIndent()

/**
 * A recorded editing session: the user types a call to `hashlib.md5` (one event per keystroke,
 * as the editor reports typing), is warned, deletes `md5` with three backspaces and types
 * `sha256`, then pastes a second function and undoes the paste.
 */
fun recordedSession(): List<DocumentEvent> {
    val events = ArrayList<DocumentEvent>()
    var text = OPENED
    fun type(at: Int, s: String) {
        var o = at
        for (ch in s) {
            events += DocumentEvent(o, 0, ch.toString())
            o++
        }
        text = text.substring(0, at) + s + text.substring(at)
    }
    fun backspace(end: Int, n: Int) {
        for (i in 0 until n) events += DocumentEvent(end - 1 - i, 1, "")
        text = text.removeRange(end - n, end)
    }
    fun paste(at: Int, s: String) {
        events += DocumentEvent(at, 0, s)
        text = text.substring(0, at) + s + text.substring(at)
    }
    fun undoPaste(at: Int, s: String) {
        events += DocumentEvent(at, s.length, "")
        text = text.removeRange(at, at + s.length)
    }

    // `return payload` -> `return hashlib.md5(payload.encode()).hexdigest()`
    val arg = text.indexOf("payload\n")
    type(arg, "hashlib.md5(")
    type(text.indexOf("payload\n") + "payload".length, ".encode()).hexdigest()")
    // Replace md5 by sha256: three backspaces after `md5`, then type.
    val md5End = text.indexOf("md5(") + 3
    backspace(md5End, 3)
    type(md5End - 3, "sha256")
    // Paste a function that evaluates its input, then undo the paste.
    val pasted = "def run(expr):\n    return eval(expr)\n"
    paste(text.length, pasted)
    undoPaste(text.length - pasted.length, pasted)
    return events
}

private fun describe(f: Finding) =
    "[${f.pattern.symbol}] ${f.pattern.id} at ${f.line + 1}:${f.column + 1} (offsets ${f.range}, ${f.pattern.severity.label})"

private fun printDelta(step: Int, e: DocumentEvent, d: FindingDelta) {
    val what = if (e.newFragment.isEmpty()) "delete ${e.oldLength} at ${e.offset}" else "insert ${quote(e.newFragment)} at ${e.offset}"
    println("event %3d: %s".format(step, what))
    for (f in d.removed) println("           - ${describe(f)}")
    for (f in d.added) println("           + ${describe(f)}")
    for (f in d.updated) println("           ~ ${describe(f)}")
}

private fun quote(s: String) = "\"" + s.replace("\n", "\\n") + "\""

fun main() {
    // Once per IDE: the database and the engine are shared by every editor.
    PatternDatabase.default().use { db ->
        Engine(db).use { engine ->
            // Once per opened editor.
            Document("python", OPENED).use { doc ->
                val initial = engine.analyze(doc)
                println("opened: ${initial.size} finding(s)")
                var warned: Finding? = null
                for ((i, e) in recordedSession().withIndex()) {
                    // DocumentListener.documentChanged: the new fragment replaces oldLength code units.
                    doc.edit(e.offset, e.offset + e.oldLength, e.newFragment)
                    // ExternalAnnotator.doAnnotate (after the editor settles; here after each event).
                    val delta = engine.analyzeDelta(doc)
                    if (!delta.isEmpty()) printDelta(i, e, delta)
                    if (warned == null) warned = delta.added.firstOrNull { it.pattern.symbol == "Md" }
                }
                val final = doc.findings()
                println("\nfinal text:\n${doc.text}")
                println("findings now: ${final.joinToString { "[${it.pattern.symbol}] ${it.range}" }}")
                check(final.map { it.pattern.symbol } == listOf("Sh")) { "expected only the sha256 finding, got $final" }
                // What a report or a CI annotation prints: core's finding records, the same JSON
                // Lines as `codetable scan --format json` for this file.
                print("\nas JSON Lines:\n${engine.findingsJson(doc, "session_helpers.py")}")
                val finding = warned ?: error("the md5 call was never reported")
                // Core's Markdown: the text every codetable host shows (the LSP hover too).
                println("\nproperty sheet of the first warning (${describe(finding)}):\n")
                print(finding.pattern.propertySheet())
            }
        }
    }
}
