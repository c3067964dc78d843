// SQL injection (CWE-89), after https://cwe.mitre.org/data/definitions/89.html,
// https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html and
// https://typeorm.io/select-query-builder#using-parameters-to-escape-data
import { Request, Response } from "express";
import { Pool } from "pg";
import { DataSource } from "typeorm";

const pool = new Pool();
declare const dataSource: DataSource;

export async function byName(req: Request, res: Response): Promise<void> {
  const rows = await pool.query("SELECT * FROM users WHERE name = '" + req.query.name + "'"); // codetable: expect security.sql-injection.string-built
  res.json(rows);
}

export async function byId(id: string) {
  return pool.query(`SELECT * FROM orders WHERE id = ${id}`); // codetable: expect security.sql-injection.string-built
}

export async function throughLocal(sort: string) {
  const sql: string = `SELECT * FROM items ORDER BY ${sort}`;
  return pool.query(sql); // codetable: expect security.sql-injection.string-built
}

export async function typeormQuery(email: string) {
  return dataSource.query(`SELECT * FROM users WHERE email = '${email}'`); // codetable: expect security.sql-injection.string-built
}

export async function typeormWhere(name: string) {
  return dataSource.createQueryBuilder().select().from("users", "u").where("u.name = '" + name + "'").getMany(); // codetable: expect security.sql-injection.string-built
}

export async function prismaUnsafe(prisma: any, id: string) {
  return prisma.$queryRawUnsafe(`SELECT * FROM users WHERE id = ${id}`); // codetable: expect security.sql-injection.string-built
}

// Fixed forms.
export async function fixed(id: string) {
  return pool.query("SELECT * FROM orders WHERE id = $1", [id]); // codetable: ok security.sql-injection.string-built
}

export async function fixedTypeorm(name: string) {
  return dataSource.createQueryBuilder().select().from("users", "u").where("u.name = :name", { name }).getMany(); // codetable: ok security.sql-injection.string-built
}

export async function fixedPrisma(prisma: any, id: string) {
  return prisma.$queryRaw`SELECT * FROM users WHERE id = ${id}`; // codetable: ok security.sql-injection.string-built
}
