package dev.codetable

/**
 * A status code of the C ABI (`codetable_status` in `codetable.h`). Codes this binding does not
 * know (added by a newer library) map to [UNKNOWN].
 */
enum class Status(
    /** The C value of `codetable_status`. */
    val code: Int,
) {
    /** Success. */
    OK(0),
    /** A required pointer argument was NULL (a binding bug if ever seen here). */
    NULL_ARGUMENT(1),
    /** An argument out of its domain (a pattern number past the end, findings asked while edits are pending…). */
    INVALID_ARGUMENT(2),
    /** A handle that is not live (closed): surfaces as [IllegalStateException]. */
    INVALID_HANDLE(3),
    /** Text, a language name, a query or a path that is not valid UTF-8. */
    INVALID_UTF8(4),
    /** A language name no grammar is registered for. */
    UNKNOWN_LANGUAGE(5),
    /** An edit range outside the document, or reversed. */
    EDIT_OUT_OF_RANGE(6),
    /** An edit offset inside a character (a surrogate pair, a multi-byte UTF-8 sequence). */
    NOT_CHAR_BOUNDARY(7),
    /** Parsing ran over its time budget. */
    PARSE_TIMEOUT(8),
    /** A file could not be read. */
    IO(9),
    /** The bytes are not a codetable pattern database. */
    NOT_A_DATABASE(10),
    /** A database format version this library cannot read. */
    UNSUPPORTED_VERSION(11),
    /** A database whose structure or checksums are wrong. */
    CORRUPT_DATABASE(12),
    /** Nothing has that name. */
    NOT_FOUND(13),
    /** The library caught a panic of its own; nothing was printed. A document in use is repaired on its next call (rebuilt from its text: its findings are analysed afresh). */
    PANIC(14),
    /** Any other failure inside the engine. */
    INTERNAL(15),
    /** Building, editing or analysing a document ran over its budget ([Document.setBudget]); nothing of that step was kept. */
    OVER_BUDGET(16),
    /** A code added by a newer library than this binding knows. */
    UNKNOWN(-1),
    ;

    companion object {
        private val byCode = entries.filter { it.code >= 0 }.associateBy { it.code }

        /** The status for a native code ([UNKNOWN] for a code this binding does not know). */
        @JvmStatic
        fun of(code: Int): Status = byCode[code] ?: UNKNOWN
    }
}

/**
 * A failure reported by the native engine. [message] is the library's own message; [status] is
 * the C status code it came with (`null` when the library could not even be loaded).
 *
 * Misuse of a closed handle is not one of these: it is an [IllegalStateException].
 */
open class CodetableException(val status: Status?, message: String, cause: Throwable? = null) :
    RuntimeException(message, cause)

/** `libcodetable` could not be found or loaded, or speaks an incompatible C ABI version. */
class LibraryLoadException(message: String, cause: Throwable? = null) : CodetableException(null, message, cause)

/** An argument out of its domain: a bad pattern number, text that is not valid UTF-8… */
class InvalidArgumentException(status: Status, message: String) : CodetableException(status, message)

/** A language name (or file) no grammar is registered for. */
class UnknownLanguageException(message: String) : CodetableException(Status.UNKNOWN_LANGUAGE, message)

/** An edit the document refused; the document is unchanged. */
open class EditException(status: Status, message: String) : CodetableException(status, message)

/** An edit range outside the document, or whose end precedes its start. */
class EditOutOfRangeException(message: String) : EditException(Status.EDIT_OUT_OF_RANGE, message)

/** An edit offset inside a character: between the two halves of a surrogate pair. */
class NotCharBoundaryException(message: String) : EditException(Status.NOT_CHAR_BOUNDARY, message)

/** Parsing ran over its time budget. */
class ParseTimeoutException(message: String) : CodetableException(Status.PARSE_TIMEOUT, message)

/** A pattern database that cannot be read: I/O error, not a database, unsupported version, corrupt. */
class DatabaseException(status: Status, message: String) : CodetableException(status, message)

/** Nothing has that name (a pattern query, a language for a file). */
class NotFoundException(message: String) : CodetableException(Status.NOT_FOUND, message)

/**
 * A step over a document (an edit's reparse and units, or an analysis) ran over the document's
 * budget of time or syntax nodes ([Document.setBudget]); the document is as it was before it.
 */
class OverBudgetException(message: String) : CodetableException(Status.OVER_BUDGET, message)

/** A failure inside the engine (including a caught panic: [Status.PANIC]). Please report it. */
class InternalException(status: Status, message: String) : CodetableException(status, message)
