// DOM XSS (CWE-79): markup whose computed parts are sanitised, after
// https://cheatsheetseries.owasp.org/cheatsheets/DOM_based_XSS_Prevention_Cheat_Sheet.html
// (HTML-encode before innerHTML) and https://github.com/cure53/DOMPurify (sanitize, then insert).
function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
}

function showName(el, name) {
  el.innerHTML = `<b>${escapeHtml(name)}</b>`; // codetable: ok security.xss.inner-html
  const clean = DOMPurify.sanitize(name);
  el.innerHTML = "<i>" + clean + "</i>"; // codetable: ok security.xss.inner-html
  $("#nom").html("<span>" + _.escape(name) + "</span>"); // codetable: ok security.xss.inner-html
  const fixed = "<hr>";
  el.innerHTML = fixed + "<p>été</p>"; // codetable: ok security.xss.inner-html
  el.innerHTML = `<b>${name}</b>`; // codetable: expect security.xss.inner-html
  el.innerHTML = `<b>${unescapeHtml(name)}</b>`; // codetable: expect security.xss.inner-html
  el.innerHTML = "<b>" + formatName(name) + "</b>"; // codetable: expect security.xss.inner-html
}
