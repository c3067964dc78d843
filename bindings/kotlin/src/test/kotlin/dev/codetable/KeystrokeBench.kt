package dev.codetable

import java.io.File
import java.lang.management.ManagementFactory

/**
 * The JNA side of the keystroke bench (bench/bench.sh runs it after the Rust loop): replays the
 * edit script the Rust bench wrote — per keystroke one [Document.edit] (UTF-16 offsets) and one
 * [Engine.analyzeDelta] (findings converted to data classes) — and prints the same statistics.
 *
 * `java -cp target/classes:target/test-classes:<deps> dev.codetable.KeystrokeBench DIR [ROUNDS]`
 */
object KeystrokeBench {
    @JvmStatic
    fun main(args: Array<String>) {
        val dir = File(args[0])
        val rounds = args.getOrNull(1)?.toInt() ?: 1
        val src = File(dir, "corpus.py").readText()
        val script = File(dir, "edits.tsv").readLines().filter { it.isNotEmpty() }.map {
            val f = it.split('\t', limit = 3)
            Triple(f[0].toInt(), f[1].toInt(), f.getOrElse(2) { "" })
        }
        PatternDatabase.default().use { db ->
            Engine(db).use { engine ->
                // JIT warm-up on a separate document (the first 300 edits: the text is restored).
                Document("python", src).use { warm ->
                    engine.analyze(warm)
                    for ((a, b, t) in script.take(300)) { warm.edit(a, b, t); engine.analyzeDelta(warm) }
                }
                Document("python", src).use { doc ->
                    engine.analyze(doc)
                    // The same warm-up as the Rust and C loops: the first 100 edits.
                    for ((a, b, t) in script.take(100)) { doc.edit(a, b, t); engine.analyzeDelta(doc) }
                    val times = ArrayList<Long>()
                    val cpu = ArrayList<Long>()
                    // CPU time of this thread: what the keystroke costs, whatever else holds the CPU.
                    val mx = ManagementFactory.getThreadMXBean()
                    repeat(rounds) {
                        for ((a, b, t) in script) {
                            val t0 = System.nanoTime()
                            val c0 = mx.currentThreadCpuTime
                            doc.edit(a, b, t)
                            val d = engine.analyzeDelta(doc)
                            cpu.add(mx.currentThreadCpuTime - c0)
                            times.add(System.nanoTime() - t0)
                            if (d.added.size < 0) println(d)
                        }
                    }
                    check(doc.text == src) { "every keystroke pair restores the text" }
                    report("jna", times, cpu)
                }
            }
        }
    }

    private fun stats(v: MutableList<Long>): Triple<Double, Double, Double> {
        val total = v.sum()
        v.sort()
        return Triple(v[v.size / 2] / 1000.0, v[minOf(v.size * 99 / 100, v.size - 1)] / 1000.0, total / 1000.0 / v.size)
    }

    private fun report(name: String, wall: MutableList<Long>, cpu: MutableList<Long>) {
        val n = wall.size
        val (wm, wp, wa) = stats(wall)
        val (cm, cp, ca) = stats(cpu)
        println(
            "%s: keystrokes=%d median_us=%.1f p99_us=%.1f mean_us=%.1f cpu_median_us=%.1f cpu_p99_us=%.1f cpu_mean_us=%.1f"
                .format(name, n, wm, wp, wa, cm, cp, ca),
        )
    }
}
