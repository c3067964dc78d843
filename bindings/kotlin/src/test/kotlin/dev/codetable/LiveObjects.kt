package dev.codetable

import com.sun.jna.Native

/** The library's leak counter (`codetable_live_objects`): live handles and live result buffers. */
@Suppress("FunctionName")
object LiveObjects {
    init {
        Native.register(LiveObjects::class.java, Loader.ensureLoaded().library)
    }

    @JvmStatic external fun codetable_live_objects(handles: LongArray, buffers: LongArray): Int

    /** (live handles, live result buffers). */
    fun count(): Pair<Long, Long> {
        val h = LongArray(1)
        val b = LongArray(1)
        check(codetable_live_objects(h, b))
        return h[0] to b[0]
    }
}
