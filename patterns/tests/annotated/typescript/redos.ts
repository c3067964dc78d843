// Regular expressions from request data (CWE-1333), after https://cwe.mitre.org/data/definitions/1333.html and
// https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS
import { Request, Response } from 'express';

const titles: string[] = ['Dune', 'Emma'];

export function find(req: Request, res: Response) {
  const term = String(req.query.term);
  res.json(titles.filter((t) => t.match(term))); // codetable: expect security.regex.user-pattern
}

export function filterKoa(ctx: any) {
  const pattern: string = ctx.query.pattern;
  ctx.body = titles.filter((t) => new RegExp(pattern).test(t)); // codetable: expect security.regex.user-pattern
}

export function findSafe(req: Request, res: Response) {
  const term = String(req.query.term).toLowerCase();
  res.json(titles.filter((t) => t.toLowerCase().includes(term))); // codetable: ok security.regex.user-pattern
}

export function constantPattern(req: Request, res: Response) {
  res.json(new RegExp('^[A-Z][a-z]+$').test(String(req.query.name))); // codetable: ok security.regex.user-pattern
}
