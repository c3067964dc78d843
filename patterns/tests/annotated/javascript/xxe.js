// XML external entities (CWE-611), after https://cwe.mitre.org/data/definitions/611.html and
// https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html
// (libxmljs: noent substitutes external entities)
const libxmljs = require("libxmljs");

function parse(xml) {
  return libxmljs.parseXml(xml, { noent: true }); // codetable: expect security.xxe.document-builder
}

function parseDtd(xml) {
  return libxmljs.parseXmlString(xml, { noent: true, dtdload: true }); // codetable: expect security.xxe.document-builder
}

// Fixed forms.
function fixedParse(xml) {
  return libxmljs.parseXml(xml); // codetable: ok security.xxe.document-builder
}

function fixedNoent(xml) {
  return libxmljs.parseXml(xml, { noent: false }); // codetable: ok security.xxe.document-builder
}

module.exports = { parse, parseDtd, fixedParse, fixedNoent };
