// LDAP injection (CWE-90) in TypeScript, after https://cwe.mitre.org/data/definitions/90.html and
// https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html (ldapjs client.search).
import * as ldap from 'ldapjs';
import { Request, Response } from 'express';

declare const client: ldap.Client;

export function lookup(req: Request, res: Response) {
  const uid: string = req.body.uid;
  client.search('ou=people,dc=example,dc=com', { filter: '(uid=' + uid + ')' }, () => res.end()); // codetable: expect security.ldap-injection.request-filter
}

export function bind(req: Request, res: Response) {
  client.bind(`cn=${req.body.user},ou=people,dc=example,dc=com`, req.body.pw, () => res.end()); // codetable: expect security.ldap-injection.request-filter
}

export function lookupSafe(req: Request, res: Response) {
  const filter = new ldap.EqualityFilter({ attribute: 'uid', value: req.body.uid });
  client.search('ou=people,dc=example,dc=com', { filter }, () => res.end()); // codetable: ok security.ldap-injection.request-filter
}
