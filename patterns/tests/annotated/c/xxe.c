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

/* Widened (issue #15, session 7): the other reader entry points, the xmlReader API and the legacy global. */
xmlDocPtr parse_doc(const xmlChar *cur) {
    return xmlReadDoc(cur, "in.xml", NULL, XML_PARSE_NOENT); // codetable: expect security.xxe.document-builder
}

xmlDocPtr parse_fd(int fd) {
    return xmlReadFd(fd, "in.xml", "UTF-8", XML_PARSE_DTDLOAD); // codetable: expect security.xxe.document-builder
}

xmlDocPtr parse_ctxt(xmlParserCtxtPtr ctxt, const xmlChar *cur) {
    return xmlCtxtReadDoc(ctxt, cur, "in.xml", NULL, XML_PARSE_NOENT | XML_PARSE_NONET); // codetable: expect security.xxe.document-builder
}

void stream(const char *buf, int len) {
    xmlTextReaderPtr r = xmlReaderForMemory(buf, len, "in.xml", NULL, XML_PARSE_NOENT); // codetable: expect security.xxe.document-builder
    xmlTextReaderSetParserProp(r, XML_PARSER_SUBST_ENTITIES, 1); // codetable: expect security.xxe.document-builder
    while (xmlTextReaderRead(r) == 1) {
    }
    xmlFreeTextReader(r);
}

xmlDocPtr legacy(const char *path) {
    xmlSubstituteEntitiesDefault(1); // codetable: expect security.xxe.document-builder
    return xmlParseFile(path);
}

xmlDocPtr legacy_safe(const char *path) {
    xmlSubstituteEntitiesDefault(0); // codetable: ok security.xxe.document-builder
    return xmlParseFile(path);
}

void stream_safe(const char *path) {
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET); // codetable: ok security.xxe.document-builder
    xmlFreeTextReader(r);
}

xmlDocPtr parse_fd_safe(int fd) {
    return xmlReadFd(fd, "in.xml", "UTF-8", 0); // codetable: ok security.xxe.document-builder
}
