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
}
