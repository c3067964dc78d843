// SQL injection (CWE-89), after https://cwe.mitre.org/data/definitions/89.html,
// https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html and
// https://github.com/mysqljs/mysql#escaping-query-values
const mysql = require("mysql");
const { Pool } = require("pg");
const { Sequelize, QueryTypes } = require("sequelize");

const connection = mysql.createConnection({ host: "db" });
const pool = new Pool();
const sequelize = new Sequelize("sqlite::memory:");

function byName(req, res) {
  connection.query("SELECT * FROM users WHERE name = '" + req.query.name + "'", (err, rows) => res.json(rows)); // codetable: expect security.sql-injection.string-built
}

async function byId(id) {
  return pool.query(`SELECT * FROM orders WHERE id = ${id}`); // codetable: expect security.sql-injection.string-built
}

async function throughLocal(name) {
  const sql = "SELECT * FROM users WHERE name = '" + name + "'";
  return pool.query(sql); // codetable: expect security.sql-injection.string-built
}

async function throughTemplateLocal(sort) {
  const q = `SELECT * FROM items ORDER BY ${sort}`;
  return connection.query(q); // codetable: expect security.sql-injection.string-built
}

async function sequelizeRaw(email) {
  return sequelize.query(`SELECT * FROM users WHERE email = '${email}'`, { type: QueryTypes.SELECT }); // codetable: expect security.sql-injection.string-built
}

function sqliteExec(db, table) {
  db.exec("DELETE FROM " + table); // codetable: expect security.sql-injection.string-built
}

function sqliteAll(db, name, cb) {
  db.all(`SELECT * FROM t WHERE name = '${name}'`, cb); // codetable: expect security.sql-injection.string-built
}

async function knexRaw(knex, id) {
  return knex.raw("SELECT * FROM t WHERE id = " + id); // codetable: expect security.sql-injection.string-built
}

async function clientQuery(client, user) {
  const text = "UPDATE accounts SET active = false WHERE owner = '" + user + "'";
  await client.query(text); // codetable: expect security.sql-injection.string-built
}

// Fixed forms.
function fixedPlaceholder(name, cb) {
  connection.query("SELECT * FROM users WHERE name = ?", [name], cb); // codetable: ok security.sql-injection.string-built
}

async function fixedPg(id) {
  return pool.query("SELECT * FROM orders WHERE id = $1", [id]); // codetable: ok security.sql-injection.string-built
}

async function fixedSequelize(email) {
  return sequelize.query("SELECT * FROM users WHERE email = :email", { replacements: { email }, type: QueryTypes.SELECT }); // codetable: ok security.sql-injection.string-built
}

async function fixedEscape(name) {
  return connection.query("SELECT * FROM users WHERE name = " + connection.escape(name)); // codetable: ok security.sql-injection.string-built
}

async function constantTemplate() {
  return pool.query(`SELECT count(*) FROM users`); // codetable: ok security.sql-injection.string-built
}

async function constantConcat() {
  return pool.query("SELECT id " + "FROM users " + "WHERE active = true"); // codetable: ok security.sql-injection.string-built
}

module.exports = { byName, byId };

async function fixedKnex(knex, name) {
  return knex("users").where({ name }); // codetable: ok security.sql-injection.string-built
}

async function fixedKnexRaw(knex, id) {
  return knex.raw("SELECT * FROM t WHERE id = ?", [id]); // codetable: ok security.sql-injection.string-built
}

async function fixedSqlite(db, name, cb) {
  db.all("SELECT * FROM t WHERE name = ?", [name], cb); // codetable: ok security.sql-injection.string-built
}

async function mysql2Execute(conn, id) {
  return conn.execute("SELECT * FROM t WHERE id = " + id); // codetable: expect security.sql-injection.string-built
}
