// Server-side template injection (CWE-1336), after https://cwe.mitre.org/data/definitions/1336.html and
// the OWASP WSTG SSTI chapter; Koa and Express handlers in TypeScript.
import * as ejs from 'ejs';
import * as nunjucks from 'nunjucks';
import { Request, Response } from 'express';

const env = new nunjucks.Environment();

export function preview(req: Request, res: Response) {
  const source: string = req.body.template;
  res.send(env.renderString(source, {})); // codetable: expect security.template-injection.from-string
}

export async function koaHello(ctx: any) {
  ctx.body = ejs.render(`<h1>Hello ${ctx.query.name}</h1>`); // codetable: expect security.template-injection.from-string
}

export function previewSafe(req: Request, res: Response) {
  res.send(env.renderString('<div>{{ body }}</div>', { body: req.body.template })); // codetable: ok security.template-injection.from-string, security.xss.inner-html
}

export async function koaSafe(ctx: any) {
  ctx.body = ejs.render('<h1>Hello <%= name %></h1>', { name: ctx.query.name }); // codetable: ok security.template-injection.from-string
}
