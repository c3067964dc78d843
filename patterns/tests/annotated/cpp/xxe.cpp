// XML external entities (CWE-611) from C++, after https://cwe.mitre.org/data/definitions/611.html and
// https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html#libxml2
#include <libxml/parser.h>
#include <string>

xmlDocPtr parse(const std::string &body) {
    return xmlReadMemory(body.data(), static_cast<int>(body.size()), "in.xml", nullptr, XML_PARSE_NOENT); // codetable: expect security.xxe.document-builder
}

xmlDocPtr parse_file(const std::string &path) {
    return xmlReadFile(path.c_str(), nullptr, XML_PARSE_DTDLOAD | XML_PARSE_NOENT); // codetable: expect security.xxe.document-builder
}

xmlDocPtr parse_safe(const std::string &body) {
    return xmlReadMemory(body.data(), static_cast<int>(body.size()), "in.xml", nullptr, XML_PARSE_NONET); // codetable: ok security.xxe.document-builder
}
