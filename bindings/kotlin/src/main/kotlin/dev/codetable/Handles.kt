package dev.codetable

import java.lang.ref.Cleaner
import java.util.concurrent.atomic.AtomicBoolean

/** The one cleaner thread of the binding: frees native handles their owners forgot to close. */
internal val CLEANER: Cleaner = Cleaner.create()

/**
 * The native side of a handle, registered with [CLEANER]. It must not reference its owner (or
 * the owner would never become unreachable). [run] frees the handle at most once.
 */
internal class NativeRelease(private val value: Long, private val free: (Long) -> Int) : Runnable {
    val released = AtomicBoolean(false)

    override fun run() {
        if (released.compareAndSet(false, true)) {
            // A failure here can only mean the handle is already gone: nothing to report.
            free(value)
        }
    }
}

/**
 * Base of every object owning a native handle: [close] frees it (twice is harmless), a method
 * called after [close] throws [IllegalStateException], and an object never closed is freed by a
 * [Cleaner] once unreachable.
 */
abstract class NativeObject internal constructor(
    private val kind: String,
    value: Long,
    free: (Long) -> Int,
) : AutoCloseable {
    /** The handle value, whether or not it is still live (tests check the native side with it). */
    internal val rawHandle = value
    private val release = NativeRelease(value, free)
    private val cleanable = CLEANER.register(this, release)

    /** True once [close] ran (or the native handle was released). */
    val isClosed: Boolean get() = release.released.get()

    /** The live handle; [IllegalStateException] after [close]. */
    internal fun handle(): Long {
        check(!release.released.get()) { "this $kind is closed" }
        return rawHandle
    }

    /** Frees the native handle now. Closing twice is harmless. */
    override fun close() {
        cleanable.clean()
    }
}
