// Weak randomness for secrets (CWE-338), after https://cwe.mitre.org/data/definitions/338.html and
// https://developer.mozilla.org/en-US/docs/Web/API/Crypto/getRandomValues
export function makeToken(): string {
  return Math.random().toString(36).slice(2); // codetable: expect security.randomness.insecure-token
}

export function inviteCode(): number {
  return Math.floor(100000 + Math.random() * 900000); // codetable: expect security.randomness.insecure-token
}

// Fixed forms and non-secret uses.
export function fixedToken(): string {
  return crypto.randomUUID(); // codetable: ok security.randomness.insecure-token
}

export function fixedBytes(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32)); // codetable: ok security.randomness.insecure-token
}

export function shuffleIndex(n: number): number {
  return Math.floor(Math.random() * n); // codetable: ok security.randomness.insecure-token
}

// Session 8: named for a secret wherever it is assigned (CWE-338; MDN Math.random: "does not
// provide cryptographically secure random numbers. Do not use them for anything related to security").
export class Sessions {
  private sessionId: string = "";
  open(): { sid: string } {
    this.sessionId = Math.random().toString(36).slice(2); // codetable: expect security.randomness.insecure-token
    const apiKey: string = Math.random().toString(36); // codetable: expect security.randomness.insecure-token
    const id = crypto.randomUUID(); // codetable: ok security.randomness.insecure-token
    const jitterMs = Math.random() * 250; // codetable: ok security.randomness.insecure-token
    return { sid: apiKey + id + jitterMs };
  }
}
