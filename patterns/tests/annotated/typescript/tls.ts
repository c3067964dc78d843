// TLS certificate verification disabled (CWE-295), after https://cwe.mitre.org/data/definitions/295.html
// and https://nodejs.org/api/tls.html#tlsconnectoptions-callback
import https from "https";
import axios from "axios";

export const agent = new https.Agent({ rejectUnauthorized: false }); // codetable: expect security.tls.verification-disabled

export const client = axios.create({ httpsAgent: new https.Agent({ rejectUnauthorized: false }) }); // codetable: expect security.tls.verification-disabled

process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0"; // codetable: expect security.tls.verification-disabled

// Fixed forms.
export const safe = new https.Agent({ keepAlive: true }); // codetable: ok security.tls.verification-disabled


// Session 8: Node `checkServerIdentity` that accepts any host (CWE-295; Node tls docs).
export const anyHost = tls.connect({ host: "db", checkServerIdentity: () => undefined }); // codetable: expect security.tls.verification-disabled
export const pinned = tls.connect({ host: "db", checkServerIdentity: (h: string, c: any) => pin(h, c) }); // codetable: ok security.tls.verification-disabled
declare function pin(h: string, c: any): Error | undefined;
