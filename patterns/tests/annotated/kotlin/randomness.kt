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
