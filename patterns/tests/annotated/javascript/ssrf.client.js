// Server-side request forgery (CWE-918) is the server calling out; a page's own `fetch` of its
// URL, referrer or a form field is the user's browser calling out with the user's rights
// (https://cwe.mitre.org/data/definitions/918.html,
// https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html).
// Session 10: browser sources are not SSRF sources.
async function loadFromHash() {
  const res = await fetch(location.hash.slice(1)); // codetable: ok security.ssrf.request-url
  return res.json();
}

async function back() {
  return fetch(document.referrer); // codetable: ok security.ssrf.request-url
}

function onPick(e) {
  return fetch(e.target.value); // codetable: ok security.ssrf.request-url
}
