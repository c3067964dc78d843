// Open redirect (CWE-601), after https://cwe.mitre.org/data/definitions/601.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
import { Request, Response } from "express";

export function login(req: Request, res: Response) {
  res.redirect(req.query.next as string); // codetable: expect security.open-redirect.request-target
}

export function local(req: Request, res: Response) {
  const to = String(req.query.to);
  res.redirect(to); // codetable: expect security.open-redirect.request-target
}

// Fixed forms.
export function home(_req: Request, res: Response) {
  res.redirect("/home"); // codetable: ok security.open-redirect.request-target
}
