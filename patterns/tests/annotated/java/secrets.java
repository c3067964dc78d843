// Hard-coded credentials (CWE-798, CWE-259), after https://cwe.mitre.org/data/definitions/798.html
// (demonstrative example: DriverManager.getConnection with a literal password) and
// https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
import java.sql.*;
import com.auth0.jwt.algorithms.Algorithm;

class Secrets {
    static final String PASSWORD = "s3cr3t-Passw0rd!"; // codetable: expect security.secrets.hardcoded-credential
    private String apiKey = "AKfq83hd72hf82hf9h2f3"; // codetable: expect security.secrets.hardcoded-credential

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://db/app", "app", "Pr0d-Passw0rd"); // codetable: expect security.secrets.hardcoded-credential
    }

    boolean check(String pw) {
        return pw.equals("letmein-2024"); // codetable: expect security.secrets.hardcoded-credential
    }

    // Fixed forms and look-alikes.
    Connection connectEnv() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://db/app", "app", System.getenv("DB_PASSWORD")); // codetable: ok security.secrets.hardcoded-credential
    }

    static final String PASSWORD_PARAM = "password"; // codetable: ok security.secrets.hardcoded-credential
    String passwordLabel = "Enter password"; // codetable: ok security.secrets.hardcoded-credential
}

class SecretsMore {
    String fromProps(java.util.Properties p) {
        return p.getProperty("db.password"); // codetable: ok security.secrets.hardcoded-credential
    }

    java.net.PasswordAuthentication auth() {
        return new java.net.PasswordAuthentication("proxy", "Pr0xy-Passw0rd".toCharArray()); // codetable: expect security.secrets.hardcoded-credential
    }
}

// Session 8: comparisons, JDBC URLs, JWT keys, field assignments (CWE-259 demonstrative example
// `if (password.equals("Mew!"))`; OWASP Secrets Management Cheat Sheet; java-jwt's
// Algorithm.HMAC256(secret) https://github.com/auth0/java-jwt).
class SecretsSession8 {
    private String smtpPassword;

    boolean admin(String password) {
        return "Adm1n-2024".equals(password); // codetable: expect security.secrets.hardcoded-credential
    }

    void configure() throws SQLException {
        smtpPassword = "smtp-2024-pass"; // codetable: expect security.secrets.hardcoded-credential
        Connection c = DriverManager.getConnection("jdbc:mysql://app:Pr0d-Passw0rd@db/app"); // codetable: expect security.secrets.hardcoded-credential
        Object alg = Algorithm.HMAC256("hs256-shared-secret"); // codetable: expect security.secrets.hardcoded-credential
        Connection pg = DriverManager.getConnection("jdbc:postgresql://db/app?user=app&password=Pr0d-2024"); // codetable: expect security.secrets.hardcoded-credential
        Connection docs = DriverManager.getConnection("jdbc:postgresql://localhost/test?user=fred&password=secret&ssl=true"); // codetable: ok security.secrets.hardcoded-credential
        use(c, alg, pg, docs);
    }

    void configureFixed(String password) throws SQLException {
        smtpPassword = System.getenv("SMTP_PASSWORD"); // codetable: ok security.secrets.hardcoded-credential
        boolean empty = password.equals(""); // codetable: ok security.secrets.hardcoded-credential
        Connection c = DriverManager.getConnection(System.getenv("JDBC_URL")); // codetable: ok security.secrets.hardcoded-credential
        String passwordHint = "At least 12 characters"; // codetable: ok security.secrets.hardcoded-credential
        use(c, empty, passwordHint);
    }

    void use(Object... values) {}
}

