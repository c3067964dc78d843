// Path traversal (CWE-22), after https://cwe.mitre.org/data/definitions/22.html,
// https://owasp.org/www-community/attacks/Path_Traversal,
// https://rocket.rs/guide/v0.5/requests/#dynamic-paths (`PathBuf` segments are checked, `&str` is not)
// and https://docs.rs/actix-files/latest/actix_files/struct.NamedFile.html
use actix_files::NamedFile;
use actix_web::{web, HttpRequest};
use axum::extract::Query;
use std::fs;
use std::path::{Path, PathBuf};

async fn download(req: HttpRequest) -> actix_web::Result<NamedFile> {
    let name: String = req.match_info().query("filename").parse().unwrap();
    let path = format!("/srv/files/{}", name);
    Ok(NamedFile::open(path)?) // codetable: expect security.path-traversal.user-path
}

async fn read(Query(p): Query<FileParams>) -> String {
    fs::read_to_string(Path::new("/srv/files").join(&p.name)).unwrap_or_default() // codetable: expect security.path-traversal.user-path
}

async fn remove(web::Path(file): web::Path<String>) -> String {
    let target = PathBuf::from("/srv/uploads").join(file);
    fs::remove_file(&target).ok(); // codetable: expect security.path-traversal.user-path
    String::new()
}

#[get("/raw/<name>")]
fn raw(name: &str) -> Option<String> {
    std::fs::read_to_string(format!("static/{name}")).ok() // codetable: expect security.path-traversal.user-path
}

// Fixed forms: only the file name is kept, or the path is constant.
async fn fixed(Query(p): Query<FileParams>) -> String {
    let base = Path::new(&p.name).file_name().unwrap_or_default().to_owned();
    fs::read_to_string(Path::new("/srv/files").join(base)).unwrap_or_default() // codetable: ok security.path-traversal.user-path
}

fn config() -> String {
    fs::read_to_string("/etc/app/config.toml").unwrap_or_default() // codetable: ok security.path-traversal.user-path
}
