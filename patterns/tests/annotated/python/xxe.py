# XML external entities (CWE-611), after https://cwe.mitre.org/data/definitions/611.html,
# https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html and
# https://lxml.de/parsing.html#parser-options
from lxml import etree
import xml.sax
import defusedxml.ElementTree as SafeET


def lxml_entities(data):
    parser = etree.XMLParser(resolve_entities=True)  # codetable: expect security.xxe.document-builder
    return etree.fromstring(data, parser)


def lxml_network(data):
    parser = etree.XMLParser(no_network=False, load_dtd=True)  # codetable: expect security.xxe.document-builder
    return etree.fromstring(data, parser)


def sax_external(handler, stream):
    p = xml.sax.make_parser()
    p.setFeature(xml.sax.handler.feature_external_ges, True)  # codetable: expect security.xxe.document-builder
    p.setContentHandler(handler)
    p.parse(stream)


# Fixed forms.
def fixed_lxml(data):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)  # codetable: ok security.xxe.document-builder
    return etree.fromstring(data, parser)


def fixed_defused(data):
    return SafeET.fromstring(data)  # codetable: ok security.xxe.document-builder


def fixed_plain_lxml(data):
    return etree.fromstring(data)  # codetable: ok security.xxe.document-builder


def fixed_sax(handler, stream):
    p = xml.sax.make_parser()
    p.setFeature(xml.sax.handler.feature_external_ges, False)  # codetable: ok security.xxe.document-builder
    p.parse(stream)


def lxml_huge(data):
    parser = etree.XMLParser(resolve_entities=True, huge_tree=True)  # codetable: expect security.xxe.document-builder
    return etree.fromstring(data, parser)
