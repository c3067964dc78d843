// Hard-coded credentials (CWE-798, CWE-259), after https://cwe.mitre.org/data/definitions/798.html
// (demonstrative example: DriverManager.getConnection with a literal password) and
// https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
import java.sql.*;

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
