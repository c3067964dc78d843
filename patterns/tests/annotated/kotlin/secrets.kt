// Hard-coded credentials (CWE-798), after https://cwe.mitre.org/data/definitions/798.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
import java.sql.DriverManager

const val PASSWORD = "s3cr3t-Passw0rd!" // codetable: expect security.secrets.hardcoded-credential
val apiKey = "AKfq83hd72hf82hf9h2f3" // codetable: expect security.secrets.hardcoded-credential

fun connect() = DriverManager.getConnection("jdbc:postgresql://db/app", "app", "Pr0d-Passw0rd") // codetable: expect security.secrets.hardcoded-credential

// Fixed forms and look-alikes.
val envPassword: String? = System.getenv("DB_PASSWORD") // codetable: ok security.secrets.hardcoded-credential
const val PASSWORD_KEY = "password" // codetable: ok security.secrets.hardcoded-credential

// Session 8: URLs with a password (CWE-798; OWASP Secrets Management Cheat Sheet).
val dbUrl = "postgres://app:Pr0d-Passw0rd@db/app" // codetable: expect security.secrets.hardcoded-credential
val docsUrl = "postgres://user:password@localhost/db" // codetable: ok security.secrets.hardcoded-credential
