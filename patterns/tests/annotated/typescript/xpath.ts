// XPath injection (CWE-643) in TypeScript, after https://cwe.mitre.org/data/definitions/643.html and
// https://github.com/goto100/xpath#readme (variables: parse(expr).select({ node, variables })).
import * as xpath from 'xpath';
import { Request, Response } from 'express';

declare const catalog: Node;

export function byTitle(req: Request, res: Response) {
  const title = String(req.query.title);
  res.json(xpath.select(`//book[@title='${title}']`, catalog)); // codetable: expect security.xpath-injection.request-expression
}

export function byAuthor(req: Request, res: Response) {
  const expr = "//book[author='" + req.params.author + "']";
  res.json(xpath.select1(expr, catalog)); // codetable: expect security.xpath-injection.request-expression
}

export function byTitleSafe(req: Request, res: Response) {
  res.json(xpath.parse('//book[@title=$title]').select({ node: catalog, variables: { title: String(req.query.title) } })); // codetable: ok security.xpath-injection.request-expression
}
