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
    /** What the property is about: `security`, `performance`, `reliability` or `maintainability`. */
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

/** A positive (`match`) or negative (`no-match`: a near miss) example carried by a pattern. */
data class Example(
    /** The example's language. */
    val language: String,
    /** `match` or `no-match`. */
    val expect: String,
    /** The code. */
    val code: String,
) {
    /** True for an example the pattern must match. */
    val shouldMatch: Boolean get() = expect == "match"
}

/** A constraint on a metavariable of a rule template (`where $X` is a string literal…). */
data class WhereClause(
    /** The metavariable (`$X`). */
    val metavar: String,
    /** A regular expression its text must match, if any. */
    val regex: String?,
    /** Node kinds or categories it must be (any of them). */
    val kind: List<String>,
)

/** One rule template of a pattern, or a guard of a shape. */
data class Rule(
    /** Language of the template. */
    val language: String,
    /** The template (`hashlib.md5($X)`). */
    val pattern: String,
    /** Templates the match must be inside. */
    val inside: List<String>,
    /** Templates the match must not be inside. */
    val notInside: List<String>,
    /** Metavariable constraints. */
    val where: List<WhereClause>,
)

/** One reference implementation of a shape. */
data class ShapeReference(
    /** Language of the code. */
    val language: String,
    /** The code. */
    val code: String,
)

/** How a pattern finds code: [RuleMatcher] (code templates) or [ShapeMatcher] (similarity). */
sealed class Matcher {
    /** `rule` or `shape`, as core names matcher kinds. */
    abstract val kind: String
}

/** Structural templates: any one matching is a match. */
data class RuleMatcher(
    /** The templates. */
    val rules: List<Rule>,
) : Matcher() {
    override val kind: String get() = "rule"
}

/** Similarity to reference implementations, with rule guards. */
data class ShapeMatcher(
    /** Minimum similarity (0..1) for a match. */
    val threshold: Float,
    /** The reference implementations. */
    val references: List<ShapeReference>,
    /** Guards: when the unit's language has any, one must match inside the unit. */
    val require: List<Rule>,
    /** Guards: none may match inside the unit. */
    val exclude: List<Rule>,
) : Matcher() {
    override val kind: String get() = "shape"
}

/**
 * An entry of the periodic table, with everything known about it: core's pattern sheet
 * (`codetable_db_pattern_json`, schema `core/schema/pattern-sheet.schema.json`), read into Kotlin
 * types; [json] keeps the sheet as received, and [propertySheet] is core's Markdown rendering of
 * it (`codetable_db_pattern_markdown`), read along with it. A plain value: it stays readable
 * after its database is closed.
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
    /** The property a one-line report shows, if the pattern has one (else [summary] serves). */
    val keyProperty: String?,
    /** What is known about the pattern: each property's kind, text and evidence. */
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
    /** How it finds code: rule templates, or shapes with their guards. */
    val matcher: Matcher,
    /** The pattern's own tests. */
    val examples: List<Example>,
    /** The sheet as the library serialized it. */
    val json: String,
    /** The sheet as core renders it in Markdown ([propertySheet]). */
    private val markdown: String,
) {
    /** `rule` or `shape` (the [matcher]'s kind). */
    val matcherKind: String get() = matcher.kind

    /** The one-line message of a finding of this pattern: its key property, else its summary. */
    val message: String get() = keyProperty ?: summary

    /**
     * The property sheet as Markdown (CommonMark), rendered by core (`PatternSheet::to_markdown`
     * through `codetable_db_pattern_markdown`): the text every codetable host shows, the
     * language server's hover included. A headline with symbol, name and id; group, severity,
     * languages, CWE (linked) and OWASP; the summary; then sections for properties with their
     * evidence links, common issues, alternatives, relations and references. Catalog prose is
     * escaped for Markdown: render it (in IntelliJ with `DocMarkdownToHtmlConverter`) or show it
     * as it is.
     */
    fun propertySheet(): String = markdown

    override fun toString(): String = "Pattern($number $id [$symbol] ${severity.label})"

    companion object {
        /**
         * Reads a pattern sheet (`codetable_db_pattern_json`) with its Markdown rendering
         * (`codetable_db_pattern_markdown`, what [propertySheet] returns); [number] is checked
         * against the sheet's own. Throws [IllegalArgumentException] for JSON that is not a sheet.
         */
        @JvmStatic
        fun fromJson(number: Int, json: String, markdown: String): Pattern {
            val o = Json.obj(Json.parse(json), "pattern sheet")
            require(o.int("number") == number) { "the sheet is of pattern ${o["number"]}, not $number" }
            return Pattern(
                number = number,
                id = o.str("id"),
                symbol = o.str("symbol"),
                name = o.str("name"),
                group = o.str("group"),
                severity = Severity.parse(o.str("severity")),
                languages = o.strings("languages"),
                summary = o.str("summary"),
                keyProperty = o.strOrNull("key_property"),
                properties = o.objects("properties").map { Property(it.str("kind"), it.str("text"), it.strings("evidence")) },
                cwe = o.ints("cwe"),
                owasp = o.strings("owasp"),
                commonIssues = o.strings("common_issues"),
                alternatives = o.strings("alternatives"),
                relations = o.objects("relations").map { Relation(it.str("kind"), it.str("target")) },
                references = o.strings("references"),
                matcher = matcher(Json.obj(o["matcher"], "matcher")),
                examples = o.objects("examples").map { Example(it.str("language"), it.str("expect"), it.str("code")) },
                json = json,
                markdown = markdown,
            )
        }

        private fun matcher(m: Map<String, Any?>): Matcher = when (val kind = m.str("kind")) {
            "rule" -> RuleMatcher(m.objects("rules").map(::rule))
            "shape" -> ShapeMatcher(
                threshold = m.number("threshold").toFloat(),
                references = m.objects("references").map { ShapeReference(it.str("language"), it.str("code")) },
                require = m.objects("require").map(::rule),
                exclude = m.objects("exclude").map(::rule),
            )
            else -> throw IllegalArgumentException("unknown matcher kind `$kind`")
        }

        private fun rule(r: Map<String, Any?>) = Rule(
            language = r.str("language"),
            pattern = r.str("pattern"),
            inside = r.strings("inside"),
            notInside = r.strings("not_inside"),
            where = r.objects("where").map { WhereClause(it.str("metavar"), it.strOrNull("regex"), it.strings("kind")) },
        )
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
 * The edit a finding's rule proposes: put [replacement] in place of [range] (UTF-16 offsets of
 * the document's text at the time of the analysis; [byteRange] in UTF-8 bytes).
 */
data class Fix(
    /** The new code. */
    val replacement: String,
    /** The code replaced, in UTF-16 offsets. */
    val range: TextRange,
    /** The code replaced, in UTF-8 bytes. */
    val byteRange: LongRange,
)

/** A [FindingRecord]'s fix: replace the UTF-8 bytes [byteStart]..[byteEnd] by [replacement]. */
data class FixRecord(
    /** Start of the replaced code, in UTF-8 bytes. */
    val byteStart: Long,
    /** End (exclusive), in UTF-8 bytes. */
    val byteEnd: Long,
    /** The new code. */
    val replacement: String,
)

/**
 * One finding: [pattern] found at [range] (UTF-16 offsets of the document's text at the time of
 * the analysis that reported it). [line] and [column] are zero-based, the column in UTF-16 code
 * units; [endLine] / [endColumn] locate the exclusive end. What a report prints about it (path,
 * snippet, unit name, 1-based code-point columns) is its [FindingRecord]:
 * [Engine.findingRecords].
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
    /** The edit the pattern's rule proposes, or `null` when it has none. */
    val fix: Fix? = null,
) {
    /** Shorthand for `pattern.severity`. */
    val severity: Severity get() = pattern.severity

    /** [id] as its [FindingRecord.id] spells it: 16 lowercase hex digits. */
    val idHex: String get() = java.lang.Long.toHexString(id).padStart(16, '0')

    /** The capture bound to [name] (`$X`), if any. */
    fun capture(name: String): Capture? = captures.firstOrNull { it.name == name }

    override fun toString(): String =
        "Finding(#$idHex ${pattern.symbol} ${pattern.id} at ${line + 1}:${column + 1} $range)"
}

/** A metavariable binding of a [FindingRecord], in UTF-8 bytes. */
data class CaptureRecord(
    /** The metavariable as written in the template (`$X`). */
    val name: String,
    /** The bound code. */
    val text: String,
    /** Start of the bound code, in UTF-8 bytes. */
    val byteStart: Long,
    /** End (exclusive), in UTF-8 bytes. */
    val byteEnd: Long,
)

/**
 * One finding as every codetable host prints or serialises it: core's finding record, the same
 * JSON as `codetable scan --format json` (schema `core/schema/finding.schema.json`). Lines are
 * 1-based; columns are 1-based Unicode code points; byte offsets are UTF-8. [json] keeps the
 * record's line as the library wrote it (without its newline).
 */
data class FindingRecord(
    /** The match's identity, 16 hex digits ([Finding.idHex]). */
    val id: String,
    /** The pattern's id. */
    val pattern: String,
    /** The pattern's symbol. */
    val symbol: String,
    /** The pattern's name. */
    val name: String,
    /** The pattern's group. */
    val group: String,
    /** The finding's severity. */
    val severity: Severity,
    /** The pattern's key property, if any. */
    val keyProperty: String?,
    /** The pattern's CWE numbers. */
    val cwe: List<Int>,
    /** The pattern's OWASP categories. */
    val owasp: List<String>,
    /** The file, as given to [Engine.findingRecords] (without a leading `./`); `null` for none. */
    val path: String?,
    /** The code's language. */
    val language: String,
    /** Start line, 1-based. */
    val line: Int,
    /** Start column, 1-based, in Unicode code points. */
    val column: Int,
    /** End line, 1-based. */
    val endLine: Int,
    /** End column (exclusive), 1-based, in code points. */
    val endColumn: Int,
    /** Start of the match, in UTF-8 bytes. */
    val byteStart: Long,
    /** End of the match (exclusive), in UTF-8 bytes. */
    val byteEnd: Long,
    /** The matched code (the whole unit for a shape match). */
    val snippet: String,
    /** Qualified name of the unit holding the match (empty at module level). */
    val unit: String,
    /** 1 for a rule match; the similarity (0..1) for a shape match. */
    val score: Float,
    /** Metavariable bindings of a rule match. */
    val captures: List<CaptureRecord>,
    /**
     * Where the code lives: `production`, `test`, `bench`, `example`, `fuzz`, `generated` or
     * `vendored` (from the path, the content and the enclosing code; findings outside production
     * never fail a build).
     */
    val context: String,
    /** The record as one line of JSON. */
    val json: String,
    /** The edit the rule proposes, or `null` when it has none. */
    val fix: FixRecord? = null,
    /**
     * The finding's identity across edits (16 hex digits): the pattern, the unit's qualified
     * name, the matched code without its whitespace and its occurrence in the unit, never a line
     * or offset; what baselines (`codetable scan --baseline`) and SARIF `partialFingerprints`
     * match on. Empty for a record written before fingerprints existed.
     */
    val fingerprint: String = "",
    /** For a participant of a design-pattern instance ([Project.findings]): the instance's id. */
    val instance: String? = null,
    /** For a participant of a design-pattern instance: its role (`subject`, `observer`…). */
    val role: String? = null,
    /** For a participant of a design-pattern instance: every participant, this one included. */
    val participants: List<ParticipantRecord> = emptyList(),
) {
    companion object {
        /** Reads one record (one line of the library's findings JSON). */
        @JvmStatic
        fun fromJson(json: String): FindingRecord {
            val o = Json.obj(Json.parse(json), "finding record")
            return FindingRecord(
                id = o.str("id"),
                pattern = o.str("pattern"),
                symbol = o.str("symbol"),
                name = o.str("name"),
                group = o.str("group"),
                severity = Severity.parse(o.str("severity")),
                keyProperty = o.strOrNull("key_property"),
                cwe = o.ints("cwe"),
                owasp = o.strings("owasp"),
                path = o.strOrNull("path"),
                language = o.str("language"),
                line = o.int("line"),
                column = o.int("column"),
                endLine = o.int("end_line"),
                endColumn = o.int("end_column"),
                byteStart = o.long("byte_start"),
                byteEnd = o.long("byte_end"),
                snippet = o.str("snippet"),
                unit = o.str("unit"),
                score = o.number("score").toFloat(),
                captures = o.objects("captures").map {
                    CaptureRecord(it.str("name"), it.str("text"), it.long("byte_start"), it.long("byte_end"))
                },
                context = o.str("context"),
                json = json,
                fix = o["fix"]?.let { Json.obj(it, "fix") }?.let {
                    FixRecord(it.long("byte_start"), it.long("byte_end"), it.str("replacement"))
                },
                fingerprint = o.strOrNull("fingerprint") ?: "",
                instance = o.strOrNull("instance"),
                role = o.strOrNull("role"),
                participants = if (o.containsKey("participants")) o.objects("participants").map(ParticipantRecord::of) else emptyList(),
            )
        }

        /** Reads JSON Lines of records (`codetable_document_findings_json`): one record a line. */
        @JvmStatic
        fun fromJsonLines(lines: String): List<FindingRecord> =
            lines.split('\n').filter { it.isNotEmpty() }.map(::fromJson)
    }
}

/**
 * How a document's findings changed since its last analysis (core's session contract, the same
 * in every host). Apply it to what the editor shows: drop [removed] (matched by [Finding.id]),
 * add [added], replace [updated] (same id, recomputed). Findings in untouched code are in none of
 * the lists: they only moved with the edits (IntelliJ's range markers and highlighters already
 * follow them). Each list is in position order.
 */
data class FindingDelta(
    /** Findings that appeared. */
    val added: List<Finding>,
    /** Findings of re-analysed code that kept their id (their range or captures may differ). */
    val updated: List<Finding>,
    /** Findings that disappeared, with their last ranges carried into the current text. */
    val removed: List<Finding>,
    /** The [Document.modificationStamp] this delta brings the findings up to. */
    val stamp: Long,
) {
    /** True when nothing changed. */
    fun isEmpty(): Boolean = added.isEmpty() && updated.isEmpty() && removed.isEmpty()
}

/**
 * One participant of a design-pattern instance as core records it: its role, the type playing
 * it ([unit]) and where that type is declared (1-based lines, code-point columns, UTF-8 bytes of
 * its own file [path]); [finding] is the id of the participant's own finding.
 */
data class ParticipantRecord(
    val role: String,
    val unit: String,
    val path: String?,
    val line: Int,
    val column: Int,
    val endLine: Int,
    val endColumn: Int,
    val byteStart: Long,
    val byteEnd: Long,
    val finding: String,
) {
    internal companion object {
        fun of(o: Map<String, Any?>) = ParticipantRecord(
            role = o.str("role"),
            unit = o.str("unit"),
            path = o.strOrNull("path"),
            line = o.int("line"),
            column = o.int("column"),
            endLine = o.int("end_line"),
            endColumn = o.int("end_column"),
            byteStart = o.long("byte_start"),
            byteEnd = o.long("byte_end"),
            finding = o.str("finding"),
        )
    }
}

/** A participant with its place in its document's Java string: UTF-16 [start] and [end]. */
data class DesignParticipant(val record: ParticipantRecord, val start: Int, val end: Int) {
    /** The role (`subject`, `observer`…). */
    val role: String get() = record.role

    /** The type's name. */
    val name: String get() = record.unit

    /** The document it is declared in. */
    val path: String? get() = record.path
}

/**
 * One design-pattern instance (core's `InstanceView`, schema `core/schema/instance.schema.json`):
 * the pattern and every participant, role by role.
 */
data class DesignInstance(
    val id: String,
    val pattern: String,
    val name: String,
    val symbol: String,
    val summary: String,
    val participants: List<DesignParticipant>,
    /** The view as one line of core's JSON. */
    val json: String,
)

/**
 * One participant's finding from a [Project]: core's [record] (with `instance`, `role`,
 * `participants`), its UTF-16 [start] and [end] in its document, and every participant of its
 * instance with theirs.
 */
data class DesignFinding(
    val record: FindingRecord,
    val start: Int,
    val end: Int,
    val participants: List<DesignParticipant>,
)
