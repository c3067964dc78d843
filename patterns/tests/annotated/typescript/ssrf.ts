// Server-side request forgery (CWE-918), after https://cwe.mitre.org/data/definitions/918.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
import axios from "axios";
import { Request, Response } from "express";

export async function proxy(req: Request, res: Response) {
  const r = await axios.get(req.query.url as string); // codetable: expect security.ssrf.request-url
  res.send(r.data);
}

export async function fetchIt(req: Request, res: Response) {
  const target = String(req.query.url);
  const r = await fetch(target); // codetable: expect security.ssrf.request-url
  res.send(await r.text());
}

export async function nextApi(req: { query: Record<string, string> }, res: Response) {
  const r = await fetch(`https://${req.query.host}/api`); // codetable: expect security.ssrf.request-url
  res.json(await r.json());
}

// Fixed forms.
export async function constant() {
  return axios.get("https://api.example.com/health"); // codetable: ok security.ssrf.request-url
}
