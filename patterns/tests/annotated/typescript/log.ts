// Log injection (CWE-117) in TypeScript handlers, after https://cwe.mitre.org/data/definitions/117.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html (console.* writes plain text).
import { Request, Response } from 'express';

export function login(req: Request, res: Response) {
  const user: string = req.body.user;
  console.warn(`failed login for ${user}`); // codetable: expect security.log-injection.request-data
  res.sendStatus(401);
}

export async function koaSearch(ctx: any) {
  console.info('search', ctx.query.q); // codetable: expect security.log-injection.request-data
  ctx.body = [];
}

export function loginSafe(req: Request, res: Response) {
  const user = String(req.body.user).replace(/[\r\n]/g, '_');
  console.warn(`failed login for ${user}`); // codetable: ok security.log-injection.request-data
  res.sendStatus(401);
}

export function count(req: Request, res: Response) {
  console.log('page size', Number(req.query.size)); // codetable: ok security.log-injection.request-data
  res.end();
}
