package dev.codetable

import java.lang.ref.Reference

/**
 * Several documents by path and the design-pattern instances the [engine]'s role patterns find
 * across them (core's `DesignProject` over the C ABI's project handle). Design patterns are
 * `info`: a new engine reports every pattern; after [Engine.select], those it names (`design`).
 * Offsets are UTF-16 (Java string indices) of each participant's own document. Use it from one
 * thread at a time (calls are serialized); [close] it, or the cleaner frees it.
 */
class Project private constructor(
    /** The engine whose role patterns this project reports. */
    val engine: Engine,
    value: Long,
) : NativeObject("project", value, Lib::codetable_project_free) {
    /** An empty project reporting [engine]'s design patterns. */
    constructor(engine: Engine) : this(engine, create())

    /**
     * Adds the document at [path] or replaces its text (only its contribution changes). The
     * language is detected from the path unless given: [UnknownLanguageException] when it
     * cannot be; [InvalidArgumentException] for an empty path.
     */
    @JvmOverloads
    fun setDocument(path: String, text: String, language: String? = null) = synchronized(this) {
        val lang = language ?: Document.detectLanguage(path, text)
            ?: throw UnknownLanguageException("$path: unknown language (pass the language)")
        val p = path.toByteArray(Charsets.UTF_8)
        val l = lang.toByteArray(Charsets.UTF_8)
        val t = text.toByteArray(Charsets.UTF_8)
        try {
            check(
                Lib.codetable_project_set_document(
                    handle(), engine.handle(), p, p.size.toLong(), l, l.size.toLong(), t, t.size.toLong(),
                ),
            )
        } finally {
            Reference.reachabilityFence(this)
            Reference.reachabilityFence(engine)
        }
    }

    /** Removes the document at [path]; false when there was none. */
    fun removeDocument(path: String): Boolean = synchronized(this) {
        val p = path.toByteArray(Charsets.UTF_8)
        val out = IntArray(1)
        try {
            check(Lib.codetable_project_remove_document(handle(), p, p.size.toLong(), out))
            out[0] != 0
        } finally {
            Reference.reachabilityFence(this)
        }
    }

    /** One finding per participant of every instance, instance by instance and role by role. */
    fun findings(): List<DesignFinding> = synchronized(this) {
        FindingRecord.fromJsonLines(json(Lib::codetable_project_findings_json)).map { r ->
            val path = r.path ?: ""
            DesignFinding(r, utf16(path, r.byteStart), utf16(path, r.byteEnd), r.participants.map(::participant))
        }
    }

    /** The design-pattern instances found, each with its pattern and every participant. */
    fun instances(): List<DesignInstance> = synchronized(this) {
        json(Lib::codetable_project_instances_json).split('\n').filter { it.isNotEmpty() }.map { line ->
            val o = Json.obj(Json.parse(line), "instance")
            DesignInstance(
                id = o.str("id"),
                pattern = o.str("pattern"),
                name = o.str("name"),
                symbol = o.str("symbol"),
                summary = o.str("summary"),
                participants = o.objects("participants").map { participant(ParticipantRecord.of(it)) },
                json = line,
            )
        }
    }

    override fun close() {
        synchronized(this) { super.close() }
    }

    override fun toString(): String = "Project(${if (isClosed) "closed" else "open"})"

    private fun participant(r: ParticipantRecord): DesignParticipant {
        val path = r.path ?: ""
        return DesignParticipant(r, utf16(path, r.byteStart), utf16(path, r.byteEnd))
    }

    /** A byte offset of the document at [path] in UTF-16 units (core converts). */
    private fun utf16(path: String, byte: Long): Int {
        val p = path.toByteArray(Charsets.UTF_8)
        val out = LongArray(1)
        try {
            check(Lib.codetable_project_offset_utf16(handle(), p, p.size.toLong(), byte, out))
        } finally {
            Reference.reachabilityFence(this)
        }
        return Math.toIntExact(out[0])
    }

    private fun json(call: (Long, Long, LongArray) -> Int): String {
        val out = LongArray(2)
        try {
            check(call(handle(), engine.handle(), out))
            return Mem.utf8(out[0], out[1])
        } finally {
            if (out[0] != 0L) Lib.codetable_string_free(out)
            Reference.reachabilityFence(this)
            Reference.reachabilityFence(engine)
        }
    }

    private companion object {
        fun create(): Long {
            Loader.ensureLoaded()
            val out = LongArray(1)
            check(Lib.codetable_project_new(out))
            return out[0]
        }
    }
}
