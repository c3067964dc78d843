// XML external entities (CWE-611), after https://cwe.mitre.org/data/definitions/611.html and
// https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html#java
import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.*;
import javax.xml.stream.XMLInputFactory;
import javax.xml.transform.TransformerFactory;
import org.w3c.dom.Document;

class Xxe {
    Document dom(InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance(); // codetable: expect security.xxe.document-builder
        return dbf.newDocumentBuilder().parse(in);
    }

    void sax(InputStream in, org.xml.sax.helpers.DefaultHandler h) throws Exception {
        SAXParserFactory spf = SAXParserFactory.newInstance(); // codetable: expect security.xxe.document-builder
        spf.newSAXParser().parse(in, h);
    }

    Object stax(InputStream in) throws Exception {
        XMLInputFactory xif = XMLInputFactory.newInstance(); // codetable: expect security.xxe.document-builder
        return xif.createXMLStreamReader(in);
    }

    Object transformer() {
        return TransformerFactory.newInstance(); // codetable: expect security.xxe.document-builder
    }

    // Fixed forms.
    Document fixedDom(InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance(); // codetable: ok security.xxe.document-builder
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return dbf.newDocumentBuilder().parse(in);
    }

    Object fixedStax(InputStream in) throws Exception {
        XMLInputFactory xif = XMLInputFactory.newInstance(); // codetable: ok security.xxe.document-builder
        xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        return xif.createXMLStreamReader(in);
    }

    Document fixedSecure(InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance(); // codetable: ok security.xxe.document-builder
        dbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        dbf.setFeature("http://xml.org/sax/features/external-general-entities", false);
        dbf.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        dbf.setExpandEntityReferences(false);
        return dbf.newDocumentBuilder().parse(in);
    }

    // Widened (issue #15, session 7): other JAXP entry points, dom4j and JDOM, after the OWASP cheat sheet's
    // sections on XMLReader, SchemaFactory, SAXReader and SAXBuilder.
    Object xmlReader(InputStream in) throws Exception {
        org.xml.sax.XMLReader reader = org.xml.sax.helpers.XMLReaderFactory.createXMLReader(); // codetable: expect security.xxe.document-builder
        reader.parse(new org.xml.sax.InputSource(in));
        return reader;
    }

    Object schema(java.io.File xsd) throws Exception {
        javax.xml.validation.SchemaFactory factory = javax.xml.validation.SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI); // codetable: expect security.xxe.document-builder
        return factory.newSchema(xsd);
    }

    Object dom4j(InputStream in) throws Exception {
        org.dom4j.io.SAXReader reader = new org.dom4j.io.SAXReader(); // codetable: expect security.xxe.document-builder
        return reader.read(in);
    }

    Object jdom(InputStream in) throws Exception {
        org.jdom2.input.SAXBuilder builder = new org.jdom2.input.SAXBuilder(); // codetable: expect security.xxe.document-builder
        return builder.build(in);
    }

    Object defaultInstance(InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newDefaultInstance(); // codetable: expect security.xxe.document-builder
        return dbf.newDocumentBuilder().parse(in);
    }

    Object fixedSchema(java.io.File xsd) throws Exception {
        javax.xml.validation.SchemaFactory factory = javax.xml.validation.SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI); // codetable: ok security.xxe.document-builder
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return factory.newSchema(xsd);
    }

    Object fixedDom4j(InputStream in) throws Exception {
        org.dom4j.io.SAXReader reader = new org.dom4j.io.SAXReader(); // codetable: ok security.xxe.document-builder
        reader.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return reader.read(in);
    }

    Object fixedJdom(InputStream in) throws Exception {
        org.jdom2.input.SAXBuilder builder = new org.jdom2.input.SAXBuilder(); // codetable: ok security.xxe.document-builder
        builder.setExpandEntities(false);
        builder.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return builder.build(in);
    }

    Object fixedTransformer() throws Exception {
        TransformerFactory tf = TransformerFactory.newInstance(); // codetable: ok security.xxe.document-builder
        tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        return tf;
    }
}
