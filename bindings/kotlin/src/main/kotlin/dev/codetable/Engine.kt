package dev.codetable

import java.lang.ref.Reference
import java.util.concurrent.atomic.AtomicBoolean

/**
 * The pattern engine over a [PatternDatabase]: finds patterns in [Document]s. Thread-safe: one
 * engine can serve every editor of an IDE at once (each document from one thread at a time).
 *
 * The engine keeps its database usable while it is open, even if the database is closed first.
 */
class Engine private constructor(
    /** The database whose patterns this engine finds. */
    val database: PatternDatabase,
    value: Long,
) : NativeObject("engine", value, Lib::codetable_engine_free) {
    private val released = AtomicBoolean(false)

    /** Makes an engine over [db] (which must be open). */
    constructor(db: PatternDatabase) : this(db, create(db))

    /**
     * Every finding in [doc], in position order. The document remembers them: the next
     * [analyzeDelta] reports changes relative to this analysis.
     */
    fun analyze(doc: Document): List<Finding> = synchronized(doc) {
        val out = LongArray(2)
        try {
            check(Lib.codetable_engine_analyze(handle(), doc.handle(), out))
            doc.analyzedWith = database
            readFindings(out[0], out[1], database)
        } finally {
            if (out[0] != 0L) Lib.codetable_matches_free(out)
            Reference.reachabilityFence(this)
            Reference.reachabilityFence(doc)
        }
    }

    /**
     * How [doc]'s findings changed since its last analysis (core's session contract: the same
     * edits give the same delta in every host): only the units touched by the edits since then
     * are matched again. If the document was never analyzed (or last analyzed by another
     * engine), everything is analyzed and reported as added (and what that other analysis
     * found, as removed). On failure the document's state is unchanged.
     */
    fun analyzeDelta(doc: Document): FindingDelta = synchronized(doc) {
        // codetable_match_delta: added, updated (matches), removed ids (pointer, length), removed matches.
        val out = LongArray(8)
        try {
            check(Lib.codetable_engine_analyze_delta(handle(), doc.handle(), out))
            // Removed findings are of the previous analysis, whose engine may have had another database.
            val before = doc.analyzedWith ?: database
            doc.analyzedWith = database
            FindingDelta(
                added = readFindings(out[0], out[1], database),
                updated = readFindings(out[2], out[3], database),
                removed = readFindings(out[6], out[7], before),
                stamp = doc.modificationStamp,
            )
        } finally {
            if (out.any { it != 0L }) Lib.codetable_match_delta_free(out)
            Reference.reachabilityFence(this)
            Reference.reachabilityFence(doc)
        }
    }

    /**
     * The findings [doc] holds (as [Document.findings]) as JSON Lines of core's finding records:
     * one JSON object a line, each ending with `\n` — the same bytes as `codetable scan --format
     * json` and every other host for the same file (schema `core/schema/finding.schema.json`).
     * [path] is the file the text came from (the records' `"path"`; `null`: none). This engine
     * must be the one of the document's last analysis ([InvalidArgumentException] otherwise, and
     * while edits wait for [analyzeDelta]); empty before the first analysis.
     */
    @JvmOverloads
    fun findingsJson(doc: Document, path: String? = null): String = synchronized(doc) {
        val p = path?.toByteArray(Charsets.UTF_8) ?: ByteArray(0)
        val out = LongArray(2)
        try {
            check(Lib.codetable_document_findings_json(handle(), doc.handle(), p, p.size.toLong(), out))
            Mem.utf8(out[0], out[1])
        } finally {
            if (out[0] != 0L) Lib.codetable_string_free(out)
            Reference.reachabilityFence(this)
            Reference.reachabilityFence(doc)
        }
    }

    /**
     * Reports only what [select] names (empty: the patterns of the `default` level) minus what
     * [ignore] names, with context rules (hazards in tests, benchmarks, examples one severity
     * lower, some patterns off there), `codetable: ignore` comments honoured and one loop's
     * duplicates grouped. Selectors: pattern ids, id prefixes, symbols, groups, levels
     * (`default`, `pedantic`, `info`) or `all`. A new engine reports every raw match until this
     * is called. An unknown selector throws [InvalidArgumentException] (with the closest name)
     * and changes nothing.
     */
    @JvmOverloads
    fun select(select: List<String> = emptyList(), ignore: List<String> = emptyList()) {
        val s = select.joinToString(",").toByteArray(Charsets.UTF_8)
        val i = ignore.joinToString(",").toByteArray(Charsets.UTF_8)
        try {
            check(Lib.codetable_engine_select(handle(), s, s.size.toLong(), i, i.size.toLong()))
        } finally {
            Reference.reachabilityFence(this)
        }
    }

    /** [findingsJson], read into [FindingRecord]s. */
    @JvmOverloads
    fun findingRecords(doc: Document, path: String? = null): List<FindingRecord> =
        FindingRecord.fromJsonLines(findingsJson(doc, path))

    /** Frees the engine (and its reference to the database). Closing twice is harmless. */
    override fun close() {
        if (released.compareAndSet(false, true)) {
            super.close()
            database.releaseRef()
        }
    }

    override fun toString(): String = "Engine(${database.patternCount} patterns${if (isClosed) ", closed" else ""})"

    private companion object {
        fun create(db: PatternDatabase): Long {
            Loader.ensureLoaded()
            db.retain()
            val out = LongArray(1)
            try {
                check(Lib.codetable_engine_new(db.nativeHandle(), out))
            } catch (e: Throwable) {
                db.releaseRef()
                throw e
            } finally {
                Reference.reachabilityFence(db)
            }
            return out[0]
        }
    }
}
