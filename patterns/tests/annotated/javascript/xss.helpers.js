// DOM-based XSS (CWE-79) through DOM helpers, after
// https://cheatsheetseries.owasp.org/cheatsheets/DOM_based_XSS_Prevention_Cheat_Sheet.html
// (the hazard is untrusted data reaching an HTML sink) and
// https://developer.mozilla.org/en-US/docs/Web/API/Element/innerHTML#security_considerations:
// a wrapper that writes its parameter unchanged forwards the sink to its callers.
function Element(node) {
  this.setHtml = function (html) {
    node.innerHTML = html; // codetable: ok security.xss.inner-html
  };
  Object.defineProperty(this, "innerHTML", {
    set: function (innerHTML) { node.innerHTML = innerHTML; }, // codetable: ok security.xss.inner-html
  });
}

function htmlify(el) {
  var wrapper = document.createElement("div");
  wrapper.innerHTML = el; // codetable: ok security.xss.inner-html
  return wrapper.firstChild;
}

const prepend = (target, markup) => {
  target.insertAdjacentHTML("afterbegin", markup); // codetable: ok security.xss.inner-html
};

function greet(node, name) {
  node.innerHTML = "<b>Hello, " + name + "</b>"; // codetable: expect security.xss.inner-html
}

function showHash(node) {
  var html = decodeURIComponent(location.hash.slice(1));
  node.innerHTML = html; // codetable: expect security.xss.inner-html
}

function sortLabel(node, descending) {
  node.innerHTML = descending ? "<i>newest</i>" : "<i>oldest</i>"; // codetable: ok security.xss.inner-html
  var label = descending ? "&darr;" : "&uarr;";
  node.innerHTML = label; // codetable: ok security.xss.inner-html
  node.innerHTML = descending ? location.hash : "<i>oldest</i>"; // codetable: expect security.xss.inner-html
}
