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


# Widened (issue #15, session 7): the standard library's parsers do not fetch external entities by default
# (https://docs.python.org/3/library/xml.html#xml-vulnerabilities); they are flagged only when the
# external-entities feature is switched on, as for pulldom's parser below.
import xml.dom.minidom
import xml.dom.pulldom
import xml.etree.ElementTree as ET
from xml.sax.handler import feature_external_ges, feature_external_pes


def stdlib_etree(data):
    return ET.fromstring(data)  # codetable: ok security.xxe.document-builder


def stdlib_parse(path):
    return ET.parse(path).getroot()  # codetable: ok security.xxe.document-builder


def stdlib_minidom(data):
    return xml.dom.minidom.parseString(data)  # codetable: ok security.xxe.document-builder


def stdlib_sax(data, handler):
    xml.sax.parseString(data, handler)  # codetable: ok security.xxe.document-builder


def pulldom_external(stream):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)  # codetable: expect security.xxe.document-builder
    return xml.dom.pulldom.parse(stream, parser=parser)


def sax_parameter_entities(stream, handler):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_pes, True)  # codetable: expect security.xxe.document-builder
    parser.setContentHandler(handler)
    parser.parse(stream)


def lxml_iterparse(source):
    return etree.iterparse(source, resolve_entities=True)  # codetable: expect security.xxe.document-builder
