// Weak randomness for secrets (CWE-338), after https://cwe.mitre.org/data/definitions/338.html and
// https://kotlinlang.org/api/core/kotlin-stdlib/kotlin.random/-random/ (not for security-sensitive use)
import java.security.SecureRandom
import kotlin.random.Random

fun generateToken(): String = Random.nextLong().toString(16) // codetable: expect security.randomness.insecure-token

fun resetCode(): Int = java.util.Random().nextInt(1_000_000) // codetable: expect security.randomness.insecure-token

fun newPassword(): String = (1..12).map { ('a'..'z').random() }.joinToString("") // codetable: expect security.randomness.insecure-token

// Fixed forms and non-secret uses.
fun fixedToken(): ByteArray = ByteArray(32).also { SecureRandom().nextBytes(it) } // codetable: ok security.randomness.insecure-token

fun jitterMillis(): Long = Random.nextLong(0, 100) // codetable: ok security.randomness.insecure-token

// Session 8: named for a secret wherever it is assigned (CWE-338; kotlin.random.Random is not a
// cryptographically secure generator: use java.security.SecureRandom).
class Signup {
    var resetToken: String = ""

    fun start() {
        val sessionId = Random.nextLong().toString(36) // codetable: expect security.randomness.insecure-token
        resetToken = java.util.Random().nextLong().toString(16) // codetable: expect security.randomness.insecure-token
        val fixedSalt = ByteArray(16).also { SecureRandom().nextBytes(it) } // codetable: ok security.randomness.insecure-token
        val passwordLength = 12 + Random.nextInt(8) // codetable: ok security.randomness.insecure-token
        println(sessionId + fixedSalt.size + passwordLength)
    }
}
