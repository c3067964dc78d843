package dev.codetable

import java.lang.ref.Reference
import java.nio.file.Path
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReferenceArray
import java.util.concurrent.locks.ReentrantReadWriteLock
import kotlin.concurrent.read
import kotlin.concurrent.write

/**
 * A compiled pattern database (the periodic table): opened from the catalog embedded in the
 * library ([default]), a file ([open], read and checked at open) or bytes ([fromBytes]). Read-only and safe
 * to share across threads.
 *
 * Patterns are numbered `0 until patternCount`; [pattern] parses a pattern's record once and
 * caches it. An [Engine] made from this database keeps it usable for its own findings even after
 * [close]: the native database is freed when the database and all its engines are closed.
 */
class PatternDatabase private constructor(value: Long) : AutoCloseable {
    private val release = NativeRelease(value, Lib::codetable_db_free)
    private val cleanable = CLEANER.register(this, release)
    /** The handle value, whether or not it is still live (tests check the native side with it). */
    internal val rawHandle = value
    private val userClosed = AtomicBoolean(false)

    /**
     * Reads of strings the library lends (valid until the native free) hold the read lock; the
     * native free takes the write lock, so a close racing [summary] cannot free them mid-copy.
     */
    private val borrow = ReentrantReadWriteLock()

    /** 1 for the caller's reference plus one per open engine. */
    private val users = AtomicInteger(1)

    /** Number of patterns; pattern numbers are `0 until patternCount`. */
    val patternCount: Int

    private val cache: AtomicReferenceArray<Pattern?>

    init {
        val out = LongArray(1)
        try {
            check(Lib.codetable_db_pattern_count(value, out))
        } catch (e: Throwable) {
            cleanable.clean()
            throw e
        }
        patternCount = out[0].toInt()
        cache = AtomicReferenceArray(patternCount)
    }

    /** True once [close] was called. */
    val isClosed: Boolean get() = userClosed.get()

    private fun handle(): Long {
        check(!userClosed.get()) { "this pattern database is closed" }
        return rawHandle
    }

    /** The handle for an engine's own use, valid while that engine holds a reference. */
    private fun sharedHandle(): Long {
        check(!release.released.get()) { "this pattern database is closed" }
        return rawHandle
    }

    internal fun retain() {
        while (true) {
            val n = users.get()
            check(n > 0 && !userClosed.get()) { "this pattern database is closed" }
            if (users.compareAndSet(n, n + 1)) return
        }
    }

    internal fun releaseRef() {
        if (users.decrementAndGet() == 0) borrow.write { cleanable.clean() }
    }

    internal fun nativeHandle(): Long = handle()

    /**
     * Closes this database. Engines made from it keep working (they hold their own reference);
     * the native memory is freed when the last of them is closed too. Closing twice is harmless.
     */
    override fun close() {
        if (userClosed.compareAndSet(false, true)) releaseRef()
    }

    /** Checks every section's checksum; throws [DatabaseException] when the file is damaged. */
    fun verify() {
        try {
            check(Lib.codetable_db_verify(handle()))
        } finally {
            Reference.reachabilityFence(this)
        }
    }

    /** Everything known about pattern [number] (parsed once, then cached). */
    fun pattern(number: Int): Pattern {
        handle()
        return patternShared(number)
    }

    internal fun patternShared(number: Int): Pattern {
        if (number !in 0 until patternCount) {
            throw InvalidArgumentException(
                Status.INVALID_ARGUMENT,
                "pattern number $number is out of range (the database has $patternCount)",
            )
        }
        cache.get(number)?.let { return it }
        val h = sharedHandle()
        val json = patternText(Lib::codetable_db_pattern_json, h, number)
        val markdown = patternText(Lib::codetable_db_pattern_markdown, h, number)
        val parsed = Pattern.fromJson(number, json, markdown)
        cache.compareAndSet(number, null, parsed)
        return cache.get(number)!!
    }

    /** A string the library makes about pattern [number] with [call] (JSON or Markdown). */
    private fun patternText(call: (Long, Int, LongArray) -> Int, h: Long, number: Int): String {
        val out = LongArray(2)
        try {
            check(call(h, number, out))
            return Mem.utf8(out[0], out[1])
        } finally {
            if (out[0] != 0L) Lib.codetable_string_free(out)
            Reference.reachabilityFence(this)
        }
    }

    /** The raw JSON record of pattern [number], as the library serializes it. */
    fun patternJson(number: Int): String = patternText(Lib::codetable_db_pattern_json, handle(), number)

    /**
     * The property sheet of pattern [number] as Markdown (CommonMark): core's rendering, the same
     * text in every host (`codetable_db_pattern_markdown`). [Pattern.propertySheet] returns it.
     */
    fun patternMarkdown(number: Int): String = patternText(Lib::codetable_db_pattern_markdown, handle(), number)

    /** Every pattern, in number order. */
    fun patterns(): List<Pattern> = (0 until patternCount).map { pattern(it) }

    /** The summary of pattern [number], read from the native record without JSON (hot paths). */
    fun summary(number: Int): PatternSummary = borrow.read {
        val out = LongArray(13)
        try {
            check(Lib.codetable_db_pattern_info(handle(), number, out))
            PatternSummary(
                number = number,
                id = Mem.utf8(out[0], out[1]),
                symbol = Mem.utf8(out[2], out[3]),
                name = Mem.utf8(out[4], out[5]),
                group = Mem.utf8(out[6], out[7]),
                summary = Mem.utf8(out[8], out[9]),
                keyProperty = Mem.utf8(out[10], out[11]),
                severity = Severity.ofCode((out[12] and 0xffffffffL).toInt()),
                cwe = (out[12] ushr 32).toInt(),
            )
        } finally {
            Reference.reachabilityFence(this)
        }
    }

    /**
     * The pattern named by [query]: an id, a symbol or an exact name (case-insensitive), tried
     * in that order; `null` when none.
     */
    fun find(query: String): Pattern? {
        val bytes = query.toByteArray(Charsets.UTF_8)
        val out = IntArray(1)
        try {
            val status = Lib.codetable_db_find(handle(), bytes, bytes.size.toLong(), out)
            if (status == Status.NOT_FOUND.code) return null
            check(status)
        } finally {
            Reference.reachabilityFence(this)
        }
        return pattern(out[0])
    }

    /**
     * Patterns matching [query], best first: its words (any case) as words, prefixes,
     * substrings or near misses (a typo or two) of the id, symbol, name or summary, or a CWE
     * (`CWE-89`, `89`) or OWASP category (`A03`). Every layer is searched. An empty query lists
     * every pattern, in number order.
     */
    fun search(query: String): List<Pattern> {
        val bytes = query.toByteArray(Charsets.UTF_8)
        val out = LongArray(2)
        val numbers: IntArray
        try {
            check(Lib.codetable_db_search(handle(), bytes, bytes.size.toLong(), out))
            numbers = if (out[0] == 0L || out[1] == 0L) {
                IntArray(0)
            } else {
                val buf = Mem.buffer(out[0], out[1] * 4)
                IntArray(out[1].toInt()) { buf.getInt(it * 4) }
            }
        } finally {
            if (out[0] != 0L) Lib.codetable_u32s_free(out)
            Reference.reachabilityFence(this)
        }
        return numbers.map { pattern(it) }
    }

    override fun toString(): String = "PatternDatabase($patternCount patterns${if (isClosed) ", closed" else ""})"

    companion object {
        private fun make(open: (LongArray) -> Int): PatternDatabase {
            Loader.ensureLoaded()
            val out = LongArray(1)
            check(open(out))
            return PatternDatabase(out[0])
        }

        /** The default catalog embedded in the library (no I/O). */
        @JvmStatic
        fun default(): PatternDatabase = make { Lib.codetable_db_default(it) }

        /** Opens a compiled database file (read into memory and checked); [DatabaseException] when it cannot be read, is not a regular file, or is damaged. */
        @JvmStatic
        fun open(path: Path): PatternDatabase {
            val bytes = path.toString().toByteArray(Charsets.UTF_8)
            return make { Lib.codetable_db_open(bytes, bytes.size.toLong(), it) }
        }

        /** Opens a compiled database file named by [path]. */
        @JvmStatic
        fun open(path: String): PatternDatabase = open(Path.of(path))

        /**
         * [layers] stacked in order into a new database: the first is the base (the built-in
         * catalog, say), each next one (a team's rules, compiled with
         * `codetable db build --user rules/ -o rules.ctdb`) is layered over it, its patterns
         * numbered after those below. An [Engine] over the result finds the patterns of every
         * layer. The given databases stay open and the caller's. [InvalidArgumentException] when
         * two layers share a pattern id or symbol, or when [layers] is empty.
         */
        @JvmStatic
        fun layered(vararg layers: PatternDatabase): PatternDatabase {
            val handles = LongArray(layers.size) { layers[it].handle() }
            try {
                return make { Lib.codetable_db_layered(handles, handles.size.toLong(), it) }
            } finally {
                layers.forEach { Reference.reachabilityFence(it) }
            }
        }

        /** Reads a database from [bytes] (copied: the array may be reused afterwards). */
        @JvmStatic
        fun fromBytes(bytes: ByteArray): PatternDatabase =
            make { Lib.codetable_db_from_bytes(bytes, bytes.size.toLong(), it) }
    }
}
