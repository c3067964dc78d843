package dev.codetable

/**
 * The loaded native library: its versions and where it came from. Touching any of these loads
 * `libcodetable` (see [LibrarySource] for the search order).
 */
object Codetable {
    /** System property naming the library file explicitly (`-Dcodetable.library.path=/…/libcodetable.so`). */
    const val LIBRARY_PATH_PROPERTY: String = Loader.PROPERTY

    /** The library version (semver, e.g. `0.1.0`). */
    @JvmStatic
    val version: String
        get() {
            Loader.ensureLoaded()
            val len = LongArray(1)
            val ptr = Lib.codetable_version(len)
            return Mem.utf8(ptr, len[0])
        }

    /** The C ABI version of the loaded library as `major.minor`. */
    @JvmStatic
    val abiVersion: String
        get() {
            Loader.ensureLoaded()
            val v = Lib.codetable_abi_version()
            return "${v ushr 16}.${v and 0xffff}"
        }

    /** Where the library was loaded from. */
    @JvmStatic
    val librarySource: LibrarySource get() = Loader.ensureLoaded().source

    /** The file the library was loaded from. */
    @JvmStatic
    val libraryPath: String get() = Loader.ensureLoaded().path

    /**
     * Self-check: loads the library, analyzes a one-line Python file with the default catalog
     * and prints what it found (`java -cp codetable-kotlin.jar:jna.jar dev.codetable.Codetable`).
     */
    @JvmStatic
    fun main(args: Array<String>) {
        println("codetable $version (C ABI $abiVersion) from $librarySource: $libraryPath")
        PatternDatabase.default().use { db ->
            Engine(db).use { engine ->
                Document("python", "import hashlib\nh = hashlib.md5(b'x')\n").use { doc ->
                    val found = engine.analyze(doc)
                    println("${db.patternCount} patterns; found: ${found.joinToString { it.pattern.id }}")
                }
            }
        }
    }
}
