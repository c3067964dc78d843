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
