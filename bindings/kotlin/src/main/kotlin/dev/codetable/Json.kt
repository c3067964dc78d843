package dev.codetable

/**
 * A minimal JSON reader (RFC 8259) for the JSON the library hands out (core's pattern sheets and
 * finding records), so the binding needs no dependency beyond JNA. Objects become [Map]
 * (insertion-ordered), arrays [List], strings [String], numbers [Long] when integral and in range
 * else [Double], literals [Boolean] / `null`. It only reads: the JSON is core's, never rebuilt here.
 */
internal object Json {
    /** [v] as an object, or [IllegalArgumentException] naming [what]. */
    @Suppress("UNCHECKED_CAST")
    fun obj(v: Any?, what: String): Map<String, Any?> =
        v as? Map<String, Any?> ?: throw IllegalArgumentException("$what is not a JSON object")

    /** Parses one JSON value filling the whole text; throws [IllegalArgumentException] otherwise. */
    fun parse(text: String): Any? {
        val p = Parser(text)
        p.ws()
        val v = p.value(0)
        p.ws()
        if (p.i != text.length) p.fail("trailing characters")
        return v
    }

    private class Parser(val s: String) {
        var i = 0

        fun fail(what: String): Nothing = throw IllegalArgumentException("invalid JSON at $i: $what")

        fun ws() {
            while (i < s.length && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) i++
        }

        fun value(depth: Int): Any? {
            if (depth > 512) fail("nesting too deep")
            if (i >= s.length) fail("unexpected end")
            return when (val c = s[i]) {
                '{' -> obj(depth)
                '[' -> arr(depth)
                '"' -> str()
                't' -> lit("true", true)
                'f' -> lit("false", false)
                'n' -> lit("null", null)
                else -> if (c == '-' || c in '0'..'9') num() else fail("unexpected '$c'")
            }
        }

        fun lit(word: String, v: Any?): Any? {
            if (!s.startsWith(word, i)) fail("expected $word")
            i += word.length
            return v
        }

        fun obj(depth: Int): Map<String, Any?> {
            i++
            val m = LinkedHashMap<String, Any?>()
            ws()
            if (i < s.length && s[i] == '}') { i++; return m }
            while (true) {
                ws()
                if (i >= s.length || s[i] != '"') fail("expected a key")
                val k = str()
                ws()
                if (i >= s.length || s[i] != ':') fail("expected ':'")
                i++
                ws()
                m[k] = value(depth + 1)
                ws()
                if (i >= s.length) fail("unexpected end in object")
                when (s[i++]) {
                    ',' -> continue
                    '}' -> return m
                    else -> { i--; fail("expected ',' or '}'") }
                }
            }
        }

        fun arr(depth: Int): List<Any?> {
            i++
            val a = ArrayList<Any?>()
            ws()
            if (i < s.length && s[i] == ']') { i++; return a }
            while (true) {
                ws()
                a.add(value(depth + 1))
                ws()
                if (i >= s.length) fail("unexpected end in array")
                when (s[i++]) {
                    ',' -> continue
                    ']' -> return a
                    else -> { i--; fail("expected ',' or ']'") }
                }
            }
        }

        fun str(): String {
            i++ // opening quote
            val b = StringBuilder()
            while (true) {
                if (i >= s.length) fail("unterminated string")
                val c = s[i++]
                when {
                    c == '"' -> return b.toString()
                    c == '\\' -> {
                        if (i >= s.length) fail("unterminated escape")
                        when (val e = s[i++]) {
                            '"' -> b.append('"')
                            '\\' -> b.append('\\')
                            '/' -> b.append('/')
                            'b' -> b.append('\b')
                            'f' -> b.append('\u000C')
                            'n' -> b.append('\n')
                            'r' -> b.append('\r')
                            't' -> b.append('\t')
                            'u' -> {
                                if (i + 4 > s.length) fail("short \\u escape")
                                val hex = s.substring(i, i + 4)
                                if (!hex.all { it in '0'..'9' || it in 'a'..'f' || it in 'A'..'F' }) fail("bad \\u escape")
                                b.append(hex.toInt(16).toChar())
                                i += 4
                            }
                            else -> fail("bad escape '\\$e'")
                        }
                    }
                    c < ' ' -> { i--; fail("control character in string") }
                    else -> b.append(c)
                }
            }
        }

        fun num(): Any {
            val start = i
            if (s[i] == '-') i++
            if (i >= s.length) fail("bad number")
            if (s[i] == '0') i++ else if (s[i] in '1'..'9') { while (i < s.length && s[i].isAsciiDigit()) i++ } else fail("bad number")
            var integral = true
            if (i < s.length && s[i] == '.') {
                integral = false
                i++
                if (i >= s.length || !s[i].isAsciiDigit()) fail("bad fraction")
                while (i < s.length && s[i].isAsciiDigit()) i++
            }
            if (i < s.length && (s[i] == 'e' || s[i] == 'E')) {
                integral = false
                i++
                if (i < s.length && (s[i] == '+' || s[i] == '-')) i++
                if (i >= s.length || !s[i].isAsciiDigit()) fail("bad exponent")
                while (i < s.length && s[i].isAsciiDigit()) i++
            }
            val t = s.substring(start, i)
            return if (integral) t.toLongOrNull() ?: t.toDouble() else t.toDouble()
        }

        private fun Char.isAsciiDigit() = this in '0'..'9'
    }
}

// Typed accessors for the records, with errors that name the field.
internal fun Map<String, Any?>.str(key: String): String =
    get(key) as? String ?: throw IllegalArgumentException("field `$key` is not a string")

internal fun Map<String, Any?>.strOrNull(key: String): String? = when (val v = get(key)) {
    null, is String -> v as String?
    else -> throw IllegalArgumentException("field `$key` is neither a string nor null")
}

internal fun Map<String, Any?>.number(key: String): Number =
    get(key) as? Number ?: throw IllegalArgumentException("field `$key` is not a number")

internal fun Map<String, Any?>.long(key: String): Long =
    get(key) as? Long ?: throw IllegalArgumentException("field `$key` is not an integer")

internal fun Map<String, Any?>.int(key: String): Int = Math.toIntExact(long(key))

internal fun Map<String, Any?>.list(key: String): List<Any?> =
    get(key) as? List<Any?> ?: throw IllegalArgumentException("field `$key` is not an array")

internal fun Map<String, Any?>.strings(key: String): List<String> = list(key).map {
    it as? String ?: throw IllegalArgumentException("`$key` holds a non-string")
}

internal fun Map<String, Any?>.ints(key: String): List<Int> = list(key).map {
    (it as? Long)?.let(Math::toIntExact) ?: throw IllegalArgumentException("`$key` holds a non-integer")
}

internal fun Map<String, Any?>.objects(key: String): List<Map<String, Any?>> = list(key).map { Json.obj(it, "an item of `$key`") }
