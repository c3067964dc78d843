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
