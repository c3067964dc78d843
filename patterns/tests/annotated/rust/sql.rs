// SQL injection (CWE-89), after https://cwe.mitre.org/data/definitions/89.html,
// https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html,
// https://docs.rs/sqlx/latest/sqlx/fn.query.html (bind, not format!),
// https://docs.rs/rusqlite/latest/rusqlite/struct.Connection.html#method.execute and
// https://docs.rs/axum/latest/axum/extract/struct.Query.html
use axum::extract::{Path, Query, State};
use rusqlite::{params, Connection};
use sqlx::PgPool;
use std::collections::HashMap;

async fn by_name(Query(q): Query<HashMap<String, String>>, State(pool): State<PgPool>) {
    let name = q.get("name").cloned().unwrap_or_default();
    let sql = format!("SELECT * FROM users WHERE name = '{}'", name);
    let _ = sqlx::query(&sql).fetch_all(&pool).await; // codetable: expect security.sql-injection.string-built
}

async fn inline_capture(Path(table): Path<String>, State(pool): State<PgPool>) {
    let _ = sqlx::query(&format!("DELETE FROM {table}")).execute(&pool).await; // codetable: expect security.sql-injection.string-built
}

fn rusqlite_param(conn: &Connection, owner: &str) -> rusqlite::Result<usize> {
    let mut q = String::from("DELETE FROM items WHERE owner = '");
    q.push_str(owner);
    q.push('\'');
    conn.execute(&q, []) // codetable: expect security.sql-injection.string-built
}

fn rusqlite_batch(conn: &Connection, column: &str) -> rusqlite::Result<()> {
    conn.execute_batch(&format!("ALTER TABLE t ADD COLUMN {column} TEXT")) // codetable: expect security.sql-injection.string-built
}

fn from_args(conn: &Connection) -> rusqlite::Result<usize> {
    let args: Vec<String> = std::env::args().collect();
    let q = "UPDATE users SET admin = 1 WHERE name = '".to_owned() + &args[1] + "'";
    conn.execute(&q, []) // codetable: expect security.sql-injection.string-built
}

fn diesel_raw(conn: &mut PgConnection, sort: String) {
    let q = format!("SELECT * FROM posts ORDER BY {}", sort);
    let _ = diesel::sql_query(q).load::<Post>(conn); // codetable: expect security.sql-injection.string-built
}

// Fixed forms: bound parameters, constant text, numbers only.
async fn fixed(Query(q): Query<HashMap<String, String>>, State(pool): State<PgPool>) {
    let name = q.get("name").cloned().unwrap_or_default();
    let _ = sqlx::query("SELECT * FROM users WHERE name = $1").bind(name).fetch_all(&pool).await; // codetable: ok security.sql-injection.string-built
}

fn fixed_rusqlite(conn: &Connection, owner: &str) -> rusqlite::Result<usize> {
    conn.execute("DELETE FROM items WHERE owner = ?1", params![owner]) // codetable: ok security.sql-injection.string-built
}

fn constant_local(conn: &Connection) -> rusqlite::Result<usize> {
    let q = "DELETE FROM sessions WHERE expired = 1";
    conn.execute(q, []) // codetable: ok security.sql-injection.string-built
}

async fn numeric_id(Path(id): Path<i64>, State(pool): State<PgPool>) {
    let _ = sqlx::query(&format!("SELECT * FROM users WHERE id = {id}")).fetch_one(&pool).await; // codetable: ok security.sql-injection.string-built
}

fn parsed_number(conn: &Connection, raw: &str) -> rusqlite::Result<usize> {
    let n = raw.parse::<i64>().unwrap_or(0);
    conn.execute(&format!("DELETE FROM t WHERE id = {n}"), []) // codetable: ok security.sql-injection.string-built
}
