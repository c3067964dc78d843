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

// Widened (issue #15, session 7): libxmljs2 and options in another order.
const libxmljs2 = require("libxmljs2");

function parse2(xml) {
  return libxmljs2.parseXml(xml, { noent: true, nonet: false }); // codetable: expect security.xxe.document-builder
}

function parseOrder(xml) {
  return libxmljs.parseXml(xml, { dtdload: true, noent: true }); // codetable: expect security.xxe.document-builder
}

function fixed2(xml) {
  return libxmljs2.parseXmlString(xml, { nonet: true }); // codetable: ok security.xxe.document-builder
}

module.exports = { parse, parseDtd, fixedParse, fixedNoent, parse2, parseOrder, fixed2 };
