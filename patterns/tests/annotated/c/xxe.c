/* XML external entities (CWE-611), after https://cwe.mitre.org/data/definitions/611.html and
 * https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html#libxml2 */
#include <libxml/parser.h>

xmlDocPtr parse_noent(const char *buf, int len) {
    return xmlReadMemory(buf, len, "in.xml", NULL, XML_PARSE_NOENT); // codetable: expect security.xxe.document-builder
}

xmlDocPtr parse_dtd(const char *path) {
    return xmlReadFile(path, NULL, XML_PARSE_DTDLOAD | XML_PARSE_NOENT); // codetable: expect security.xxe.document-builder
}

/* Fixed forms. */
xmlDocPtr parse_safe(const char *buf, int len) {
    return xmlReadMemory(buf, len, "in.xml", NULL, XML_PARSE_NONET); // codetable: ok security.xxe.document-builder
}
