// Weak hashes (CWE-327, CWE-328), after https://cwe.mitre.org/data/definitions/328.html and
// https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/security/MessageDigest.html
import java.security.MessageDigest;

class WeakHash {
    private static final String DIGEST = "SHA-1";

    byte[] digests(byte[] data) throws Exception {
        MessageDigest a = MessageDigest.getInstance("MD5"); // codetable: expect security.weak-hash.md5
        MessageDigest b = MessageDigest.getInstance("MD5", "BC"); // codetable: expect security.weak-hash.md5
        MessageDigest c = MessageDigest.getInstance(DIGEST); // codetable: expect security.weak-hash.sha1
        String alg = "MD5";
        MessageDigest d = MessageDigest.getInstance(alg); // codetable: expect security.weak-hash.md5
        MessageDigest e = MessageDigest.getInstance("SHA-256"); // codetable: ok security.weak-hash.md5, security.weak-hash.sha1
        a.update(data); b.update(data); c.update(data); d.update(data);
        return e.digest(data);
    }
}
