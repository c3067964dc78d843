// Unsafe deserialization (CWE-502), after https://cwe.mitre.org/data/definitions/502.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html#java
// A stream or parser built over untrusted input is marked where it is built (the reviewer's line).
import java.beans.XMLDecoder;
import java.io.*;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thoughtworks.xstream.XStream;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.LoaderOptions;

class Deserialization {
    Object readObject(InputStream in) throws Exception {
        ObjectInputStream ois = new ObjectInputStream(in); // codetable: expect security.deserialization.native-object
        return ois.readObject();
    }

    Object inline(byte[] data) throws Exception {
        return new ObjectInputStream(new ByteArrayInputStream(data)).readObject(); // codetable: expect security.deserialization.native-object
    }

    Object unshared(ObjectInputStream ois) throws Exception {
        return ois.readUnshared(); // codetable: expect security.deserialization.native-object
    }

    Object xmlDecoder(InputStream in) {
        return new XMLDecoder(in).readObject(); // codetable: expect security.deserialization.native-object
    }

    Object xstream(String xml) {
        return new XStream().fromXML(xml); // codetable: expect security.deserialization.native-object
    }

    Object jacksonDefaultTyping(String json) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        mapper.enableDefaultTyping(); // codetable: expect security.deserialization.native-object
        return mapper.readValue(json, Object.class);
    }

    Object yaml(String text) {
        return new Yaml().load(text); // codetable: expect security.deserialization.yaml-load
    }

    Object yamlLocal(String text) {
        Yaml yaml = new Yaml(); // codetable: expect security.deserialization.yaml-load
        return yaml.load(text);
    }

    // Fixed forms.
    Object fixedYaml(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text); // codetable: ok security.deserialization.yaml-load
    }

    Item fixedJson(String json) throws Exception {
        return new ObjectMapper().readValue(json, Item.class); // codetable: ok security.deserialization.native-object
    }

    void write(ObjectOutputStream out, Item item) throws IOException {
        out.writeObject(item); // codetable: ok security.deserialization.native-object
    }

    static class Item {}
}
