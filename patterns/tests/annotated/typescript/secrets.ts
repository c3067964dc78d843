// Hard-coded credentials (CWE-798), after https://cwe.mitre.org/data/definitions/798.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
export const dbPassword: string = "Pr0d-Passw0rd!"; // codetable: expect security.secrets.hardcoded-credential

export const settings = { apiKey: "sk_live_51HxQ2kLmN0pQrStUvWxYz" }; // codetable: expect security.secrets.hardcoded-credential

export class Mailer {
  private password = "smtp-pass-2024"; // codetable: expect security.secrets.hardcoded-credential
}

// Fixed forms and look-alikes.
export const envPassword = process.env.DB_PASSWORD ?? ""; // codetable: ok security.secrets.hardcoded-credential
export const passwordLabel = "Password"; // codetable: ok security.secrets.hardcoded-credential

// Session 8: object entries and comparisons (CWE-798; OWASP Secrets Management Cheat Sheet).
export function smtp(user: { password: string }): object {
  const transport = { host: "smtp", auth: { user: "app", pass: "x", password: "Sm7p-Pass!" } }; // codetable: expect security.secrets.hardcoded-credential
  const fixed = { host: "smtp", auth: { user: "app", password: process.env.SMTP_PASSWORD } }; // codetable: ok security.secrets.hardcoded-credential
  if (user.password === "master-2024") return transport; // codetable: expect security.secrets.hardcoded-credential
  return fixed;
}
