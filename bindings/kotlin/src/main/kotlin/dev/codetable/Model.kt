package dev.codetable

/** A pattern's severity, ordered from [INFO] to [CRITICAL]. */
enum class Severity {
    /** Informational: a design or idiom pattern, not a problem. */
    INFO,

    /** Worth knowing; rarely a defect. */
    LOW,

    /** A likely defect or weakness. */
    MEDIUM,

    /** A serious defect or an exploitable weakness. */
    HIGH,

    /** Exploitable and commonly catastrophic. */
    CRITICAL,
    ;

    /** The lowercase name used in pattern records (`high`). */
    val label: String get() = name.lowercase()

    companion object {
        /** The severity named `name` (case-insensitive), as pattern records spell it. */
        @JvmStatic
        fun parse(name: String): Severity =
            entries.firstOrNull { it.name.equals(name, ignoreCase = true) }
                ?: throw IllegalArgumentException("unknown severity `$name`")

        internal fun ofCode(code: Int): Severity = entries.getOrNull(code) ?: INFO
    }
}

/**
 * A range of a document's text in UTF-16 code units (Kotlin string indices, what IntelliJ's
 * `TextRange` and `DocumentEvent` use). [endOffset] is exclusive.
 */
data class TextRange(
    /** First UTF-16 code unit. */
    val startOffset: Int,
    /** End (exclusive), in UTF-16 code units. */
    val endOffset: Int,
) {
    init {
        require(startOffset in 0..endOffset) { "bad range $startOffset..$endOffset" }
    }

    /** Number of UTF-16 code units covered. */
    val length: Int get() = endOffset - startOffset

    /** The covered part of [text] (a string whose indices this range refers to). */
    fun substring(text: CharSequence): String = text.subSequence(startOffset, endOffset).toString()

    override fun toString(): String = "$startOffset..$endOffset"
}

/** One line of a pattern's property sheet: what is known about it, and the links backing it. */
data class Property(
    /** What the property is about (`security`, `performance`, `reliability`…). */
    val kind: String,
    /** The property, in plain English. */
    val text: String,
    /** Links backing it. */
    val evidence: List<String>,
)

/** A typed edge to another pattern (`requires`, `conflicts`, `enhances`, `related`). */
data class Relation(
    /** `requires`, `conflicts`, `enhances` or `related`. */
    val kind: String,
    /** The other pattern's id. */
    val target: String,
)

/** A positive (`Match`) or negative (`NoMatch`) example carried by a pattern. */
data class Example(
    /** The example's language. */
    val language: String,
    /** `Match` or `NoMatch`. */
    val expect: String,
    /** The code. */
    val code: String,
) {
    /** True for an example the pattern must match. */
    val shouldMatch: Boolean get() = expect.equals("Match", ignoreCase = true)
}

/**
 * An entry of the periodic table, with everything known about it — parsed from the library's
 * pattern JSON ([json] keeps the record as received).
 */
data class Pattern(
    /** The pattern's number in its database (what findings refer to). */
    val number: Int,
    /** Stable dotted id (`security.weak-hash.md5`). */
    val id: String,
    /** The periodic-table symbol (`Md`). */
    val symbol: String,
    /** Human name. */
    val name: String,
    /** Group: `security`, `performance`, `reliability`, `concurrency`, `maintainability`, `design`, `idiom`. */
    val group: String,
    /** Severity. */
    val severity: Severity,
    /** Languages the pattern is written for (`python`, `java`…). */
    val languages: List<String>,
    /** One-paragraph summary. */
    val summary: String,
    /** The property sheet. */
    val properties: List<Property>,
    /** CWE numbers. */
    val cwe: List<Int>,
    /** OWASP Top 10 categories (`A03:2021`). */
    val owasp: List<String>,
    /** Common issues seen with this pattern. */
    val commonIssues: List<String>,
    /** Ids of better alternatives. */
    val alternatives: List<String>,
    /** Relations to other patterns. */
    val relations: List<Relation>,
    /** Reference links. */
    val references: List<String>,
    /** How it matches: `Rules` (code templates) or `Shapes` (reference implementations). */
    val matcherKind: String,
    /** The pattern's own tests. */
    val examples: List<Example>,
    /** The record as the library serialized it. */
    val json: String,
) {
    /**
     * A plain-text property sheet: symbol, name, severity, summary, properties with their
     * evidence, CWE/OWASP, common issues, alternatives and relations.
     */
    fun propertySheet(): String = buildString {
        append("[").append(symbol).append("] ").append(name).append("  (").append(id).append(")\n")
        append("group: ").append(group).append(" · severity: ").append(severity.label)
        if (cwe.isNotEmpty()) append(" · ").append(cwe.joinToString { "CWE-$it" })
        if (owasp.isNotEmpty()) append(" · OWASP ").append(owasp.joinToString())
        append('\n')
        if (languages.isNotEmpty()) append("languages: ").append(languages.joinToString()).append('\n')
        append('\n').append(summary).append('\n')
        if (properties.isNotEmpty()) {
            append("\nproperties:\n")
            for (p in properties) {
                append("  - ").append(p.kind).append(": ").append(p.text).append('\n')
                for (e in p.evidence) append("      ").append(e).append('\n')
            }
        }
        if (commonIssues.isNotEmpty()) {
            append("\ncommon issues:\n")
            for (c in commonIssues) append("  - ").append(c).append('\n')
        }
        if (alternatives.isNotEmpty()) append("\nalternatives: ").append(alternatives.joinToString()).append('\n')
        if (relations.isNotEmpty()) {
            append("relations: ").append(relations.joinToString { "${it.kind} ${it.target}" }).append('\n')
        }
        if (references.isNotEmpty()) {
            append("\nreferences:\n")
            for (r in references) append("  ").append(r).append('\n')
        }
    }

    override fun toString(): String = "Pattern($number $id [$symbol] ${severity.label})"

    companion object {
        /** Parses the library's pattern JSON (`codetable_db_pattern_json`). */
        @JvmStatic
        fun fromJson(number: Int, json: String): Pattern {
            @Suppress("UNCHECKED_CAST")
            val o = Json.parse(json) as? Map<String, Any?> ?: throw IllegalArgumentException("pattern JSON is not an object")
            return Pattern(
                number = number,
                id = o.str("id"),
                symbol = o.str("symbol"),
                name = o.str("name"),
                group = o.str("group"),
                severity = Severity.parse(o.str("severity")),
                languages = o.strings("languages"),
                summary = o.strOrEmpty("summary"),
                properties = o.objects("properties").map {
                    Property(it.str("kind"), it.str("text"), it.strings("evidence"))
                },
                cwe = o.list("cwe").map { (it as? Number)?.toInt() ?: throw IllegalArgumentException("`cwe` holds $it") },
                owasp = o.strings("owasp"),
                commonIssues = o.strings("common_issues"),
                alternatives = o.strings("alternatives"),
                relations = o.objects("relations").map { Relation(it.str("kind"), it.str("target")) },
                references = o.strings("references"),
                matcherKind = (o["matcher"] as? Map<*, *>)?.keys?.firstOrNull()?.toString() ?: "",
                examples = o.objects("examples").map {
                    Example(it.str("language"), it.str("expect"), it.str("code"))
                },
                json = json,
            )
        }
    }
}

/**
 * The summary of a pattern for hot paths (a tooltip, a list row), read without JSON
 * ([PatternDatabase.summary]).
 */
data class PatternSummary(
    /** The pattern's number in its database. */
    val number: Int,
    /** Stable dotted id. */
    val id: String,
    /** The periodic-table symbol. */
    val symbol: String,
    /** Human name. */
    val name: String,
    /** Group. */
    val group: String,
    /** One-paragraph summary. */
    val summary: String,
    /** The property a one-line report shows; may be empty. */
    val keyProperty: String,
    /** Severity. */
    val severity: Severity,
    /** The first CWE number, `0` when none. */
    val cwe: Int,
)

/** A metavariable binding of a rule match (`$X` bound to `data`). */
data class Capture(
    /** The metavariable as written (`$X`, `$$$ARGS`). */
    val name: String,
    /** The bound text. */
    val text: String,
    /** Where the bound text is, in UTF-16 offsets. */
    val range: TextRange,
)

/**
 * One finding: [pattern] found at [range] (UTF-16 offsets of the document's text at the time of
 * the analysis that reported it). [line] and [column] are zero-based, the column in UTF-16 code
 * units; [endLine] / [endColumn] locate the exclusive end.
 */
data class Finding(
    /** Identity, stable while the finding's unit is untouched by edits: the key of deltas. */
    val id: Long,
    /** The pattern found. */
    val pattern: Pattern,
    /** The matched code. */
    val range: TextRange,
    /** Zero-based line of the start. */
    val line: Int,
    /** Zero-based column of the start, in UTF-16 code units. */
    val column: Int,
    /** Zero-based line of the end. */
    val endLine: Int,
    /** Column of the (exclusive) end, in UTF-16 code units. */
    val endColumn: Int,
    /** 1.0 for rules; the similarity (0..1) for shapes. */
    val score: Float,
    /** Metavariable bindings (rules only). */
    val captures: List<Capture>,
    /** The unit (function, class, module…) the finding is in. */
    val unit: Long,
    /** The matched code in UTF-8 bytes (what the Rust core and the CLI report). */
    val byteRange: LongRange,
) {
    /** Shorthand for `pattern.severity`. */
    val severity: Severity get() = pattern.severity

    /** The capture bound to [name] (`$X`), if any. */
    fun capture(name: String): Capture? = captures.firstOrNull { it.name == name }

    override fun toString(): String =
        "Finding(#$id ${pattern.symbol} ${pattern.id} at ${line + 1}:${column + 1} $range)"
}

/**
 * How a document's findings changed since its last analysis. Apply it to what the editor shows:
 * drop [removed] (matched by [Finding.id]), add [added], replace [updated] (same id, new range or
 * captures). Findings in untouched code are in none of the lists: they only moved with the edits
 * (IntelliJ's range markers and highlighters already follow them).
 */
data class FindingDelta(
    /** Findings that appeared. */
    val added: List<Finding>,
    /**
     * Findings recomputed with the same id whose range, captures or score differ from what was
     * last reported for that id (recomputed but identical findings are left out).
     */
    val updated: List<Finding>,
    /** Findings that disappeared, as last reported (their ranges are those of that report). */
    val removed: List<Finding>,
    /** The [Document.modificationStamp] this delta brings the findings up to. */
    val stamp: Long,
) {
    /** True when nothing changed. */
    fun isEmpty(): Boolean = added.isEmpty() && updated.isEmpty() && removed.isEmpty()
}
