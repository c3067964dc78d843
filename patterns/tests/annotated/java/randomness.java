// Weak randomness for secrets (CWE-330, CWE-338), after https://cwe.mitre.org/data/definitions/330.html
// and https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/util/Random.html
// ("instances of java.util.Random are not cryptographically secure")
import java.security.SecureRandom;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

class Randomness {
    String generateToken() {
        return Long.toHexString(new Random().nextLong()); // codetable: expect security.randomness.insecure-token
    }

    int resetCode() {
        return new Random().nextInt(1000000); // codetable: expect security.randomness.insecure-token
    }

    String sessionId() {
        return Double.toString(Math.random()).substring(2); // codetable: expect security.randomness.insecure-token
    }

    byte[] nonce() {
        byte[] b = new byte[16];
        new Random().nextBytes(b); // codetable: expect security.randomness.insecure-token
        return b;
    }

    String password() {
        return Integer.toString(ThreadLocalRandom.current().nextInt(), 36); // codetable: expect security.randomness.insecure-token
    }

    void createUser(String email) {
        Random r = new Random();
        String pw = Long.toString(r.nextLong(), 36); // codetable: expect security.randomness.insecure-token
        save(email, pw);
    }

    // Fixed forms and non-secret uses.
    String fixedToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b); // codetable: ok security.randomness.insecure-token
        return java.util.HexFormat.of().formatHex(b);
    }

    String fixedId() {
        return UUID.randomUUID().toString(); // codetable: ok security.randomness.insecure-token
    }

    long backoff(long base) {
        return base + new Random().nextInt(100); // codetable: ok security.randomness.insecure-token
    }

    void save(String a, String b) {}
}

class RandomnessMore {
    int pickIndex(int n) {
        return new Random().nextInt(n); // codetable: ok security.randomness.insecure-token
    }

    SecureRandom strong() throws Exception {
        return SecureRandom.getInstanceStrong(); // codetable: ok security.randomness.insecure-token
    }

    String apiKey() {
        return Long.toString(new Random(System.currentTimeMillis()).nextLong(), 36); // codetable: expect security.randomness.insecure-token
    }
}

// Session 8: named for a secret wherever it is assigned (CWE-330 demonstrative example 1,
// SEI CERT MSC02-J "Generate strong random numbers", java.util.Random javadoc).
class RandomnessFields {
    private String resetToken = Long.toHexString(new Random().nextLong()); // codetable: expect security.randomness.insecure-token
    private String sessionId;
    private final Random rng = new Random();

    void login() {
        sessionId = Long.toString(ThreadLocalRandom.current().nextLong(), 36); // codetable: expect security.randomness.insecure-token
        int otpCode = rng.nextInt(1000000); // codetable: expect security.randomness.insecure-token
        Random local = new Random();
        String apiKey = Long.toHexString(local.nextLong()); // codetable: expect security.randomness.insecure-token
        long salt = local.nextLong(); // codetable: expect security.randomness.insecure-token
        byte[] fixedSalt = new byte[16];
        new SecureRandom().nextBytes(fixedSalt); // codetable: ok security.randomness.insecure-token
        int passwordLength = 12 + local.nextInt(8); // codetable: ok security.randomness.insecure-token
        long retryDelay = local.nextInt(500); // codetable: ok security.randomness.insecure-token
        use(otpCode, apiKey, salt, fixedSalt, passwordLength, retryDelay);
    }

    void use(Object... values) {}
}
