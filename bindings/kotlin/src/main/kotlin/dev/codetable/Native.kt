package dev.codetable

import com.sun.jna.Native
import com.sun.jna.NativeLibrary
import com.sun.jna.Platform
import com.sun.jna.Pointer
import java.io.File
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * The C functions of `libcodetable`, bound by JNA direct mapping (static native methods: the
 * cheapest JNA call). Handles and pointers travel as `Long`; C out-parameters and small out
 * structs travel as primitive arrays, which JNA copies in and back out around the call.
 *
 * Nothing here may be called before [Loader.ensureLoaded] registered the class.
 */
@Suppress("FunctionName", "LocalVariableName")
internal object Lib {
    @JvmStatic external fun codetable_abi_version(): Int
    @JvmStatic external fun codetable_version(outLen: LongArray): Long
    @JvmStatic external fun codetable_db_open(path: ByteArray, pathLen: Long, out: LongArray): Int
    @JvmStatic external fun codetable_db_from_bytes(bytes: ByteArray, len: Long, out: LongArray): Int
    @JvmStatic external fun codetable_db_default(out: LongArray): Int
    @JvmStatic external fun codetable_db_free(db: Long): Int
    @JvmStatic external fun codetable_db_pattern_count(db: Long, out: LongArray): Int
    @JvmStatic external fun codetable_db_verify(db: Long): Int
    @JvmStatic external fun codetable_db_pattern_info(db: Long, pattern: Int, out: LongArray): Int
    @JvmStatic external fun codetable_db_pattern_json(db: Long, pattern: Int, out: LongArray): Int
    @JvmStatic external fun codetable_db_pattern_markdown(db: Long, pattern: Int, out: LongArray): Int
    @JvmStatic external fun codetable_db_find(db: Long, query: ByteArray, len: Long, out: IntArray): Int
    @JvmStatic external fun codetable_db_search(db: Long, prefix: ByteArray, len: Long, out: LongArray): Int
    @JvmStatic external fun codetable_db_layered(dbs: LongArray, count: Long, out: LongArray): Int
    @JvmStatic external fun codetable_document_new(
        language: ByteArray, languageLen: Long, text: ByteArray, textLen: Long, out: LongArray,
    ): Int
    @JvmStatic external fun codetable_document_free(doc: Long): Int
    @JvmStatic external fun codetable_document_edit(doc: Long, start: Long, oldEnd: Long, text: ByteArray, len: Long): Int
    @JvmStatic external fun codetable_document_edit_utf16(doc: Long, start: Long, oldEnd: Long, text: ByteArray, len: Long): Int
    @JvmStatic external fun codetable_document_text(doc: Long, outText: LongArray, outLen: LongArray): Int
    @JvmStatic external fun codetable_document_matches(doc: Long, out: LongArray): Int
    @JvmStatic external fun codetable_document_findings_json(
        engine: Long, doc: Long, path: ByteArray, pathLen: Long, out: LongArray,
    ): Int
    @JvmStatic external fun codetable_language_detect(
        path: ByteArray, pathLen: Long, text: ByteArray, textLen: Long, outName: LongArray, outLen: LongArray,
    ): Int
    @JvmStatic external fun codetable_engine_new(db: Long, out: LongArray): Int
    @JvmStatic external fun codetable_engine_free(engine: Long): Int
    @JvmStatic external fun codetable_engine_select(
        engine: Long, select: ByteArray, selectLen: Long, ignore: ByteArray, ignoreLen: Long,
    ): Int
    @JvmStatic external fun codetable_document_set_path(doc: Long, path: ByteArray, len: Long): Int
    @JvmStatic external fun codetable_document_set_context(doc: Long, name: ByteArray, len: Long): Int
    @JvmStatic external fun codetable_document_context(doc: Long, outName: LongArray, outLen: LongArray): Int
    @JvmStatic external fun codetable_document_set_budget(doc: Long, timeMs: Long, maxNodes: Long): Int
    @JvmStatic external fun codetable_document_set_memory_budget(doc: Long, maxBytes: Long): Int
    @JvmStatic external fun codetable_engine_analyze(engine: Long, doc: Long, out: LongArray): Int
    @JvmStatic external fun codetable_engine_analyze_delta(engine: Long, doc: Long, out: LongArray): Int
    @JvmStatic external fun codetable_matches_free(matches: LongArray): Int
    @JvmStatic external fun codetable_matches_fix(matches: LongArray, index: Long, out: LongArray): Int
    @JvmStatic external fun codetable_match_delta_free(delta: LongArray): Int
    @JvmStatic external fun codetable_u32s_free(array: LongArray): Int
    @JvmStatic external fun codetable_string_free(string: LongArray): Int
    @JvmStatic external fun codetable_project_new(out: LongArray): Int
    @JvmStatic external fun codetable_project_free(project: Long): Int
    @JvmStatic external fun codetable_project_set_document(
        project: Long, engine: Long, path: ByteArray, pathLen: Long, language: ByteArray, languageLen: Long,
        text: ByteArray, textLen: Long,
    ): Int
    @JvmStatic external fun codetable_project_remove_document(project: Long, path: ByteArray, pathLen: Long, out: IntArray): Int
    @JvmStatic external fun codetable_project_findings_json(project: Long, engine: Long, out: LongArray): Int
    @JvmStatic external fun codetable_project_instances_json(project: Long, engine: Long, out: LongArray): Int
    @JvmStatic external fun codetable_project_offset_utf16(
        project: Long, path: ByteArray, pathLen: Long, byte: Long, out: LongArray,
    ): Int
    @JvmStatic external fun codetable_last_error_code(): Int
    @JvmStatic external fun codetable_last_error_message(buf: ByteArray?, capacity: Long): Long
}

/** Where the native library was loaded from (see [Codetable.librarySource]). */
enum class LibrarySource {
    /** The path named by the `codetable.library.path` system property. */
    SYSTEM_PROPERTY,

    /** The copy bundled in the jar under JNA's platform folder (e.g. `linux-x86-64/`). */
    BUNDLED,

    /** The system library path (`LD_LIBRARY_PATH`, `jna.library.path`, the linker's defaults). */
    SYSTEM_PATH,
}

/**
 * Finds and loads `libcodetable` once per class loader, in this order: the file named by the
 * system property [PROPERTY]; the copy bundled in the jar under JNA's platform folder
 * (`linux-x86-64/libcodetable.so`); the system library path. The loaded library must speak the
 * ABI major version this binding was written for.
 */
internal object Loader {
    /** System property naming the library file explicitly. */
    const val PROPERTY = "codetable.library.path"

    /** The C ABI version this binding was written against (`codetable.h`). */
    const val ABI_MAJOR = 2
    const val ABI_MINOR = 5

    /** The loaded library, how it was found, and its file. */
    class Loaded(val library: NativeLibrary, val source: LibrarySource, val path: String)

    private val result: Result<Loaded> by lazy { runCatching { load() } }

    /** Loads the library (first call) and returns it, or throws [LibraryLoadException]. */
    fun ensureLoaded(): Loaded = result.getOrElse { e ->
        throw (e as? LibraryLoadException) ?: LibraryLoadException("cannot load libcodetable: $e", e)
    }

    private fun load(): Loaded {
        val (library, source) = open()
        try {
            Native.register(Lib::class.java, library)
        } catch (e: Throwable) {
            throw LibraryLoadException("libcodetable at ${library.file} lacks a C ABI function: ${e.message}", e)
        }
        val abi = Lib.codetable_abi_version()
        val (major, minor) = (abi ushr 16) to (abi and 0xffff)
        if (major != ABI_MAJOR || minor < ABI_MINOR) {
            throw LibraryLoadException(
                "libcodetable at ${library.file} speaks C ABI $major.$minor; this binding needs " +
                    "$ABI_MAJOR.x with x >= $ABI_MINOR",
            )
        }
        return Loaded(library, source, library.file?.path ?: library.name)
    }

    private fun open(): Pair<NativeLibrary, LibrarySource> {
        val explicit = System.getProperty(PROPERTY)
        if (!explicit.isNullOrBlank()) {
            val file = File(explicit)
            if (!file.isFile) {
                throw LibraryLoadException("-D$PROPERTY=$explicit does not name a file")
            }
            return try {
                NativeLibrary.getInstance(file.absolutePath) to LibrarySource.SYSTEM_PROPERTY
            } catch (e: UnsatisfiedLinkError) {
                throw LibraryLoadException("cannot load -D$PROPERTY=$explicit: ${e.message}", e)
            }
        }
        val resource = "${Platform.RESOURCE_PREFIX}/${System.mapLibraryName("codetable")}"
        val loader = Loader::class.java.classLoader
        if (loader?.getResource(resource) != null) {
            val file = try {
                // Extracts to a temporary file when inside a jar; a plain file on the class path
                // (target/classes) is used where it is.
                Native.extractFromResourcePath("/$resource", loader)
            } catch (e: Exception) {
                throw LibraryLoadException("cannot extract the bundled $resource: ${e.message}", e)
            }
            return try {
                NativeLibrary.getInstance(file.absolutePath) to LibrarySource.BUNDLED
            } catch (e: UnsatisfiedLinkError) {
                throw LibraryLoadException("cannot load the bundled $resource: ${e.message}", e)
            }
        }
        return try {
            NativeLibrary.getInstance("codetable") to LibrarySource.SYSTEM_PATH
        } catch (e: UnsatisfiedLinkError) {
            throw LibraryLoadException(
                "libcodetable not found: set -D$PROPERTY=/path/to/${System.mapLibraryName("codetable")}, " +
                    "use a jar that bundles $resource, or put it on the library path (${e.message})",
                e,
            )
        }
    }
}

/** Reads native memory (little-endian on every platform the library ships for: native order). */
internal object Mem {
    private val UTF8 = Charsets.UTF_8

    fun buffer(address: Long, length: Long): ByteBuffer {
        require(length in 0..Int.MAX_VALUE) { "native buffer of $length bytes" }
        return Pointer(address).getByteBuffer(0, length).order(ByteOrder.nativeOrder())
    }

    /** A UTF-8 string of `len` bytes at `address` (NULL or 0 bytes: empty). */
    fun utf8(address: Long, len: Long): String {
        if (address == 0L || len == 0L) return ""
        require(len <= Int.MAX_VALUE) { "native string of $len bytes" }
        return String(Pointer(address).getByteArray(0, len.toInt()), UTF8)
    }
}

/** Checks a status code and throws what it means, with the calling thread's native message. */
internal fun check(status: Int) {
    if (status != 0) throw failure(status)
}

internal fun lastErrorMessage(): String {
    val len = Lib.codetable_last_error_message(null, 0)
    if (len <= 0) return ""
    val buf = ByteArray(len.coerceAtMost(1 shl 20).toInt())
    Lib.codetable_last_error_message(buf, buf.size.toLong())
    return String(buf, Charsets.UTF_8)
}

internal fun failure(status: Int): RuntimeException {
    val message = lastErrorMessage().ifEmpty { "codetable call failed with status $status" }
    val s = Status.of(status)
    return when (s) {
        Status.INVALID_HANDLE -> IllegalStateException("$message (the handle was closed)")
        Status.NULL_ARGUMENT, Status.INVALID_ARGUMENT, Status.INVALID_UTF8 -> InvalidArgumentException(s, message)
        Status.UNKNOWN_LANGUAGE -> UnknownLanguageException(message)
        Status.EDIT_OUT_OF_RANGE -> EditOutOfRangeException(message)
        Status.NOT_CHAR_BOUNDARY -> NotCharBoundaryException(message)
        Status.PARSE_TIMEOUT -> ParseTimeoutException(message)
        Status.IO, Status.NOT_A_DATABASE, Status.UNSUPPORTED_VERSION, Status.CORRUPT_DATABASE ->
            DatabaseException(s, message)
        Status.NOT_FOUND -> NotFoundException(message)
        Status.OVER_BUDGET -> OverBudgetException(message)
        else -> InternalException(s, message)
    }
}
