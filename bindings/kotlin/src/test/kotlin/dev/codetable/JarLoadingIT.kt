package dev.codetable

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import java.util.zip.ZipFile

/**
 * Loads the library from the built jar in fresh JVMs (`java -cp <jar>:<deps>`), with no system
 * property and no library path set; then the other two ways (explicit property, system path) and
 * their failures.
 */
class JarLoadingIT {
    private val jar = File(System.getProperty("codetable.test.jar"))
    private val deps = File(System.getProperty("codetable.test.classpath")).readText().trim()
    private val native = File(System.getProperty("codetable.test.native"))
    private val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()

    private class Run(val exit: Int, val out: String)

    private fun run(classpath: String, vararg jvmArgs: String, env: Map<String, String> = emptyMap(), tmp: Path): Run {
        val cmd = listOf(java, "-Djna.tmpdir=$tmp", *jvmArgs, "-cp", classpath, "dev.codetable.Codetable")
        val pb = ProcessBuilder(cmd).redirectErrorStream(true)
        pb.environment().remove("LD_LIBRARY_PATH")
        pb.environment().putAll(env)
        val p = pb.start()
        val out = p.inputStream.bufferedReader().readText()
        assertTrue(p.waitFor(60, TimeUnit.SECONDS))
        return Run(p.exitValue(), out)
    }

    @Test
    fun `the jar bundles the library for JNA's platform folder`() {
        ZipFile(jar).use { z ->
            val entry = z.getEntry("linux-x86-64/libcodetable.so")
            assertTrue(entry != null && entry.size > 100_000, "linux-x86-64/libcodetable.so in $jar")
        }
    }

    @Test
    fun `a fresh JVM loads the bundled library from the jar`(@TempDir tmp: Path) {
        val r = run("$jar${File.pathSeparator}$deps", tmp = tmp)
        assertEquals(0, r.exit, r.out)
        assertTrue(r.out.contains("from BUNDLED: "), r.out)
        assertFalse(r.out.contains(jar.parentFile.resolve("classes").path), "not from target/classes: ${r.out}")
        assertTrue(r.out.contains("found: security.weak-hash.md5"), r.out)
    }

    @Test
    fun `the system property wins over the bundled copy`(@TempDir tmp: Path) {
        val r = run("$jar${File.pathSeparator}$deps", "-Dcodetable.library.path=${native.absolutePath}", tmp = tmp)
        assertEquals(0, r.exit, r.out)
        assertTrue(r.out.contains("from SYSTEM_PROPERTY: ${native.absolutePath}"), r.out)
    }

    @Test
    fun `a property naming no file is an error with the path in it`(@TempDir tmp: Path) {
        val r = run("$jar${File.pathSeparator}$deps", "-Dcodetable.library.path=/no/such/libcodetable.so", tmp = tmp)
        assertEquals(1, r.exit, r.out)
        assertTrue(r.out.contains("LibraryLoadException") && r.out.contains("/no/such/libcodetable.so"), r.out)
    }

    @Test
    fun `without a bundled copy the system library path is used`(@TempDir tmp: Path) {
        // The binding's classes without the library: copy the jar minus its native folder.
        val classes = tmp.resolve("classes")
        ZipFile(jar).use { z ->
            for (e in z.entries()) {
                if (e.isDirectory || e.name.startsWith("linux-")) continue
                val target = classes.resolve(e.name)
                Files.createDirectories(target.parent)
                z.getInputStream(e).use { Files.copy(it, target) }
            }
        }
        val cp = "$classes${File.pathSeparator}$deps"
        val found = run(cp, env = mapOf("LD_LIBRARY_PATH" to native.parent), tmp = tmp)
        assertEquals(0, found.exit, found.out)
        assertTrue(found.out.contains("from SYSTEM_PATH: "), found.out)
        val missing = run(cp, tmp = tmp)
        assertEquals(1, missing.exit, missing.out)
        assertTrue(missing.out.contains("libcodetable not found"), missing.out)
    }
}
