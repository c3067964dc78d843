package dev.codetable

import java.lang.ref.Reference
import java.nio.ByteBuffer

/**
 * A source text kept parsed across edits, in one of the engine's languages (`python`,
 * `javascript`, `typescript`, `tsx`, `java`, `kotlin`, `go`, `rust`, `c`, `cpp`, and aliases such
 * as `py`): core's live session, through the C ABI. Offsets are UTF-16 code units — Kotlin string
 * indices, what IntelliJ's `DocumentEvent.getOffset()` gives.
 *
 * Edits are cheap (an incremental reparse); [Engine.analyzeDelta] then reports how the findings
 * changed. A document is meant for one thread at a time (calls from several threads are
 * serialized, never unsafe). Close it when the editor closes; a forgotten one is freed by a
 * cleaner.
 */
class Document private constructor(
    /** The language name this document was created with. */
    val language: String,
    value: Long,
) : NativeObject("document", value, Lib::codetable_document_free) {

    /**
     * Parses [text] as [language]. Throws [UnknownLanguageException] for a language with no
     * grammar.
     */
    constructor(language: String, text: String) : this(language, create(language, text))

    /** Incremented by each successful edit; a [FindingDelta] carries the stamp it is up to. */
    @Volatile
    var modificationStamp: Long = 0
        private set

    /**
     * The Kotlin object for the database of the engine that analyzed this document last: it
     * turns the pattern numbers of the matches the native session holds into [Pattern]s.
     */
    internal var analyzedWith: PatternDatabase? = null

    /**
     * Replaces `startOffset until endOffset` (UTF-16 offsets of the current text) with [newText]
     * and reparses incrementally — `DocumentEvent(offset, oldLength, newFragment)` is
     * `edit(offset, offset + oldLength, newFragment)`. Returns the new [modificationStamp].
     *
     * Throws [EditOutOfRangeException] for a range outside the text or reversed, and
     * [NotCharBoundaryException] for an offset between the halves of a surrogate pair; a failed
     * edit leaves the document unchanged.
     */
    fun edit(startOffset: Int, endOffset: Int, newText: CharSequence): Long {
        if (startOffset < 0 || endOffset < startOffset) {
            throw EditOutOfRangeException("edit range $startOffset..$endOffset (UTF-16) is reversed or negative")
        }
        val bytes = newText.toString().toByteArray(Charsets.UTF_8)
        synchronized(this) {
            try {
                check(
                    Lib.codetable_document_edit_utf16(
                        handle(), startOffset.toLong(), endOffset.toLong(), bytes, bytes.size.toLong(),
                    ),
                )
            } finally {
                Reference.reachabilityFence(this)
            }
            return ++modificationStamp
        }
    }

    /**
     * Like [edit], with UTF-8 byte offsets (what the Rust core and the CLI speak). Throws
     * [NotCharBoundaryException] for an offset inside a multi-byte character.
     */
    fun editBytes(startByte: Long, endByte: Long, newText: CharSequence): Long {
        if (startByte < 0 || endByte < startByte) {
            throw EditOutOfRangeException("edit range $startByte..$endByte (bytes) is reversed or negative")
        }
        val bytes = newText.toString().toByteArray(Charsets.UTF_8)
        synchronized(this) {
            try {
                check(Lib.codetable_document_edit(handle(), startByte, endByte, bytes, bytes.size.toLong()))
            } finally {
                Reference.reachabilityFence(this)
            }
            return ++modificationStamp
        }
    }

    /**
     * The file the text came from (`null`: none): its path decides the code context of
     * findings (`src/test/`, `*Test.kt`, `vendor/`…), which an engine with a selection
     * ([Engine.select]) uses to lower or drop them, and is the records' default `"path"`.
     */
    fun setPath(path: String?) = synchronized(this) {
        val p = path?.toByteArray(Charsets.UTF_8) ?: ByteArray(0)
        try {
            check(Lib.codetable_document_set_path(handle(), p, p.size.toLong()))
        } finally {
            Reference.reachabilityFence(this)
        }
    }

    /**
     * The code context of the whole document by name (`"production"`, `"test"`, `"bench"`,
     * `"example"`, `"fuzz"`, `"generated"`, `"vendored"`; `null`: decided from the path and the
     * code, as usual): a project's per-path setting (`[context]` in `codetable.toml`), which
     * wins over the path. Setting an unknown name throws [InvalidArgumentException] (the
     * message suggests the closest) and changes nothing.
     */
    var context: String?
        get() = synchronized(this) {
            val name = LongArray(1)
            val len = LongArray(1)
            try {
                check(Lib.codetable_document_context(handle(), name, len))
            } finally {
                Reference.reachabilityFence(this)
            }
            if (name[0] == 0L) null else Mem.utf8(name[0], len[0])
        }
        set(value) = synchronized(this) {
            val n = value?.toByteArray(Charsets.UTF_8) ?: ByteArray(0)
            try {
                check(Lib.codetable_document_set_context(handle(), n, n.size.toLong()))
            } finally {
                Reference.reachabilityFence(this)
            }
        }

    /**
     * What each later step over this document may cost: an edit (reparse and units) or an
     * analysis may take [timeMs] milliseconds and visit [maxNodes] syntax nodes; 0 means no
     * limit. A step past it throws [OverBudgetException] (or [ParseTimeoutException] when the
     * parse itself runs out of time) and changes nothing. A new document has the default
     * budget: 5,000 ms and 40,000,000 nodes.
     */
    fun setBudget(timeMs: Long, maxNodes: Long) = synchronized(this) {
        require(timeMs >= 0 && maxNodes >= 0) { "timeMs and maxNodes must not be negative" }
        try {
            check(Lib.codetable_document_set_budget(handle(), timeMs, maxNodes))
        } finally {
            Reference.reachabilityFence(this)
        }
    }

    /**
     * How many bytes of syntax tree the text may need after each later edit, estimated from its
     * tokens before parsing; 0 means no limit. An edit past it throws [OverBudgetException] and
     * changes nothing. A new document is built within the default of 64 MiB.
     */
    fun setMemoryBudget(maxBytes: Long) = synchronized(this) {
        require(maxBytes >= 0) { "maxBytes must not be negative" }
        try {
            check(Lib.codetable_document_set_memory_budget(handle(), maxBytes))
        } finally {
            Reference.reachabilityFence(this)
        }
    }

    /** The current text. */
    val text: String
        get() = synchronized(this) {
            val ptr = LongArray(1)
            val len = LongArray(1)
            try {
                check(Lib.codetable_document_text(handle(), ptr, len))
                // Borrowed until the next edit or free: copied while we hold the lock.
                Mem.utf8(ptr[0], len[0])
            } finally {
                Reference.reachabilityFence(this)
            }
        }

    /**
     * The findings of the last analysis with ranges in the current text (findings in untouched
     * code shifted by the edits since) — what the editor should be showing. Empty before the
     * first analysis; [InvalidArgumentException] while edits wait for [Engine.analyzeDelta].
     */
    fun findings(): List<Finding> = synchronized(this) {
        val out = LongArray(2)
        try {
            check(Lib.codetable_document_matches(handle(), out))
            val db = analyzedWith ?: return emptyList()
            readFindings(out[0], out[1], db)
        } finally {
            if (out[0] != 0L) Lib.codetable_matches_free(out)
            Reference.reachabilityFence(this)
        }
    }

    /**
     * Frees the document now (waiting for a call running on it in another thread, whose borrowed
     * text must stay valid until copied). Closing twice is harmless.
     */
    override fun close() {
        synchronized(this) { super.close() }
    }

    override fun toString(): String = "Document($language, stamp $modificationStamp${if (isClosed) ", closed" else ""})"

    companion object {
        private fun create(language: String, text: String): Long {
            Loader.ensureLoaded()
            val lang = language.toByteArray(Charsets.UTF_8)
            val bytes = text.toByteArray(Charsets.UTF_8)
            val out = LongArray(1)
            check(Lib.codetable_document_new(lang, lang.size.toLong(), bytes, bytes.size.toLong(), out))
            return out[0]
        }

        /**
         * The language of a file, from its extension, then its shebang line in [text]; `null`
         * when it is of no known language. The name is usable with [Document].
         */
        @JvmStatic
        @JvmOverloads
        fun detectLanguage(path: String, text: String = ""): String? {
            Loader.ensureLoaded()
            val p = path.toByteArray(Charsets.UTF_8)
            val t = text.toByteArray(Charsets.UTF_8)
            val name = LongArray(1)
            val len = LongArray(1)
            val status = Lib.codetable_language_detect(p, p.size.toLong(), t, t.size.toLong(), name, len)
            if (status == Status.NOT_FOUND.code) return null
            check(status)
            return Mem.utf8(name[0], len[0])
        }
    }
}

// Layout of the C records (codetable.h, checked against the compiler's offsetof).
private const val MATCH_SIZE = 104
private const val CAPTURE_SIZE = 88

private fun ByteBuffer.textRange(at: Int) =
    TextRange(getLong(at + 16).toIntExact(), getLong(at + 24).toIntExact())

private fun Long.toIntExact(): Int = Math.toIntExact(this)

/** Copies `len` native `codetable_match` records at `items` into findings. */
internal fun readFindings(items: Long, len: Long, db: PatternDatabase): List<Finding> {
    if (items == 0L || len == 0L) return emptyList()
    val n = len.toIntExact()
    val buf = Mem.buffer(items, len * MATCH_SIZE)
    return List(n) { i ->
        val at = i * MATCH_SIZE
        val capturesPtr = buf.getLong(at + 72)
        val capturesLen = buf.getLong(at + 80)
        val captures = if (capturesPtr == 0L || capturesLen == 0L) {
            emptyList()
        } else {
            val cb = Mem.buffer(capturesPtr, capturesLen * CAPTURE_SIZE)
            List(capturesLen.toIntExact()) { c ->
                val ca = c * CAPTURE_SIZE
                Capture(
                    name = Mem.utf8(cb.getLong(ca), cb.getLong(ca + 8)),
                    text = Mem.utf8(cb.getLong(ca + 16), cb.getLong(ca + 24)),
                    range = cb.textRange(ca + 32),
                )
            }
        }
        // codetable_fix (80 bytes, as 10 longs): present u32, range at 8, replacement ptr, len.
        val fix = LongArray(10)
        check(Lib.codetable_matches_fix(longArrayOf(items, len), i.toLong(), fix))
        val r = at + 16
        Finding(
            id = buf.getLong(at),
            pattern = db.patternShared(buf.getInt(at + 88)),
            range = buf.textRange(r),
            line = buf.getInt(r + 32),
            column = buf.getInt(r + 36),
            endLine = buf.getInt(r + 40),
            endColumn = buf.getInt(r + 44),
            score = buf.getFloat(at + 100),
            captures = captures,
            unit = buf.getLong(at + 8),
            byteRange = buf.getLong(r) until buf.getLong(r + 8),
            fix = if (fix[0].toInt() == 0) {
                null
            } else {
                Fix(
                    replacement = Mem.utf8(fix[8], fix[9]),
                    range = TextRange(fix[3].toIntExact(), fix[4].toIntExact()),
                    byteRange = fix[1] until fix[2],
                )
            },
        )
    }
}
