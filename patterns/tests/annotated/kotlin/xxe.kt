// XML external entities (CWE-611) from Kotlin, after https://cwe.mitre.org/data/definitions/611.html and
// https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html#java
import java.io.InputStream
import javax.xml.parsers.DocumentBuilderFactory
import javax.xml.parsers.SAXParserFactory
import javax.xml.stream.XMLInputFactory
import org.w3c.dom.Document
import org.xml.sax.helpers.DefaultHandler

fun dom(input: InputStream): Document =
    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(input) // codetable: expect security.xxe.document-builder

fun sax(input: InputStream, handler: DefaultHandler) {
    val spf = SAXParserFactory.newInstance() // codetable: expect security.xxe.document-builder
    spf.newSAXParser().parse(input, handler)
}

fun stax(input: InputStream) = XMLInputFactory.newInstance().createXMLStreamReader(input) // codetable: expect security.xxe.document-builder

// Fixed forms.
fun domSafe(input: InputStream): Document {
    val dbf = DocumentBuilderFactory.newInstance() // codetable: ok security.xxe.document-builder
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true)
    return dbf.newDocumentBuilder().parse(input)
}

fun staxSafe(input: InputStream) = XMLInputFactory.newInstance().apply { // codetable: ok security.xxe.document-builder
    setProperty(XMLInputFactory.SUPPORT_DTD, false)
}.createXMLStreamReader(input)
