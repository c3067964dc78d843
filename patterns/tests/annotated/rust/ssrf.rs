// Server-side request forgery (CWE-918), after https://cwe.mitre.org/data/definitions/918.html,
// https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
// and https://docs.rs/reqwest/latest/reqwest/fn.get.html
use axum::extract::{Json, Query};

async fn preview(Query(p): Query<PreviewParams>) -> String {
    reqwest::get(&p.url).await.unwrap().text().await.unwrap() // codetable: expect security.ssrf.request-url
}

async fn webhook(Json(body): Json<Hook>) {
    let client = reqwest::Client::new();
    let target = format!("{}/notify", body.callback);
    let _ = client.post(&target).send().await; // codetable: expect security.ssrf.request-url
}

fn blocking(Query(p): Query<PreviewParams>) {
    let _ = ureq::get(&p.url).call(); // codetable: expect security.ssrf.request-url
}

// Fixed forms: a constant endpoint.
async fn status() -> String {
    reqwest::get("https://status.example.com/api").await.unwrap().text().await.unwrap() // codetable: ok security.ssrf.request-url
}
