// Regular expressions from request data in Rust's regex crate: not ReDoS. The crate guarantees
// O(m * n) search time (https://docs.rs/regex/latest/regex/#untrusted-input), so a user's pattern
// (with a size limit) cannot make matching exponential; these lines must not be flagged.
use axum::extract::Query;
use regex::{Regex, RegexBuilder};
use std::collections::HashMap;

async fn search(Query(params): Query<HashMap<String, String>>) -> String {
    let re = Regex::new(&params["q"]).unwrap(); // codetable: ok security.regex.user-pattern
    re.find("haystack").map(|m| m.as_str().to_string()).unwrap_or_default()
}

async fn limited(Query(params): Query<HashMap<String, String>>) -> bool {
    let re = RegexBuilder::new(&params["q"]).size_limit(1 << 20).build().unwrap(); // codetable: ok security.regex.user-pattern
    re.is_match("haystack")
}
