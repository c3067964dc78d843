// OS command injection (CWE-78), after https://cwe.mitre.org/data/definitions/78.html,
// https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html and
// https://doc.rust-lang.org/std/process/struct.Command.html (arguments are passed as-is, no shell)
use actix_web::{web, HttpResponse};
use std::process::Command;

async fn ping(query: web::Query<PingParams>) -> HttpResponse {
    let host = query.host.clone();
    let out = Command::new("sh").arg("-c").arg(format!("ping -c 1 {}", host)).output(); // codetable: expect security.command-injection.shell
    HttpResponse::Ok().body(format!("{:?}", out))
}

async fn lookup(web::Path(name): web::Path<String>) -> HttpResponse {
    let cmd = format!("nslookup {name}");
    let _ = Command::new("/bin/bash").args(["-c", &cmd]).status(); // codetable: expect security.command-injection.shell
    HttpResponse::Ok().finish()
}

fn from_env() {
    let script = std::env::var("HOOK").unwrap_or_default();
    let _ = Command::new("sh").arg("-c").arg(&script).status(); // codetable: expect security.command-injection.shell
}

// Fixed forms: the program and its arguments passed separately, or a constant script.
async fn fixed(query: web::Query<PingParams>) -> HttpResponse {
    let _ = Command::new("ping").arg("-c").arg("1").arg(&query.host).output(); // codetable: ok security.command-injection.shell
    HttpResponse::Ok().finish()
}

fn constant_script() {
    let script = "uptime";
    let _ = Command::new("sh").arg("-c").arg(script).status(); // codetable: ok security.command-injection.shell
}
