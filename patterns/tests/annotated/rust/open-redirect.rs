// Open redirect (CWE-601), after https://cwe.mitre.org/data/definitions/601.html,
// https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
// and https://docs.rs/axum/latest/axum/response/struct.Redirect.html
use axum::extract::Query;
use axum::response::Redirect;
use actix_web::{http::header, web, HttpResponse};

async fn login_done(Query(p): Query<NextParams>) -> Redirect {
    Redirect::to(&p.next) // codetable: expect security.open-redirect.request-target
}

async fn back(web::Query(p): web::Query<NextParams>) -> HttpResponse {
    let target = p.return_to.clone();
    HttpResponse::Found().append_header((header::LOCATION, target)).finish() // codetable: expect security.open-redirect.request-target
}

// Fixed forms: a constant target.
async fn home() -> Redirect {
    Redirect::to("/") // codetable: ok security.open-redirect.request-target
}
