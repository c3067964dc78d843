package dev.codetable

/**
 * A status code of the C ABI (`codetable_status` in `codetable.h`). Codes this binding does not
 * know (added by a newer library) map to [UNKNOWN].
 */
enum class Status(val code: Int) {
    OK(0),
    NULL_ARGUMENT(1),
    INVALID_ARGUMENT(2),
    INVALID_HANDLE(3),
    INVALID_UTF8(4),
    UNKNOWN_LANGUAGE(5),
    EDIT_OUT_OF_RANGE(6),
    NOT_CHAR_BOUNDARY(7),
    PARSE_TIMEOUT(8),
    IO(9),
    NOT_A_DATABASE(10),
    UNSUPPORTED_VERSION(11),
    CORRUPT_DATABASE(12),
    NOT_FOUND(13),
    PANIC(14),
    INTERNAL(15),
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

/** A failure inside the engine (including a caught panic: [Status.PANIC]). Please report it. */
class InternalException(status: Status, message: String) : CodetableException(status, message)
