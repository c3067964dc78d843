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
            val found = readFindings(out[0], out[1], database)
            doc.analyzedWith = database
            doc.shown.clear()
            for (f in found) doc.shown[f.id] = f
            found
        } finally {
            if (out[0] != 0L) Lib.codetable_matches_free(out)
            Reference.reachabilityFence(this)
            Reference.reachabilityFence(doc)
        }
    }

    /**
     * How [doc]'s findings changed since its last analysis: only the units touched by the edits
     * since then are matched again. If the document was never analyzed (or last analyzed by
     * another engine), everything is analyzed and reported as added (and what that other
     * analysis reported, as removed). On failure the document's state is unchanged.
     */
    fun analyzeDelta(doc: Document): FindingDelta = synchronized(doc) {
        val out = LongArray(6)
        try {
            check(Lib.codetable_engine_analyze_delta(handle(), doc.handle(), out))
            val added = readFindings(out[0], out[1], database)
            // Recomputed findings identical to what was last reported are no news for the host.
            val updated = readFindings(out[2], out[3], database).filter { doc.shown[it.id] != it }
            val removedIds = if (out[4] == 0L || out[5] == 0L) {
                LongArray(0)
            } else {
                val buf = Mem.buffer(out[4], out[5] * 8)
                LongArray(Math.toIntExact(out[5])) { buf.getLong(it * 8) }
            }
            val removed = ArrayList<Finding>(removedIds.size)
            for (id in removedIds) doc.shown.remove(id)?.let(removed::add)
            for (f in updated) doc.shown[f.id] = f
            for (f in added) doc.shown[f.id] = f
            doc.analyzedWith = database
            FindingDelta(added, updated, removed, doc.modificationStamp)
        } finally {
            if (out[0] != 0L || out[2] != 0L || out[4] != 0L) Lib.codetable_match_delta_free(out)
            Reference.reachabilityFence(this)
            Reference.reachabilityFence(doc)
        }
    }

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
