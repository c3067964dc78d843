// Unsafe deserialization (CWE-502), after https://cwe.mitre.org/data/definitions/502.html and
// https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html
import java.io.ByteArrayInputStream
import java.io.ObjectInputStream
import org.yaml.snakeyaml.Yaml
import org.yaml.snakeyaml.LoaderOptions
import org.yaml.snakeyaml.constructor.SafeConstructor
import kotlinx.serialization.json.Json

class Deserialization {
    fun read(data: ByteArray): Any? =
        ObjectInputStream(ByteArrayInputStream(data)).readObject() // codetable: expect security.deserialization.native-object

    fun yaml(text: String): Any? = Yaml().load(text) // codetable: expect security.deserialization.yaml-load

    fun useBlock(data: ByteArray): Any? =
        ObjectInputStream(data.inputStream()).use { it.readObject() } // codetable: expect security.deserialization.native-object

    // Fixed forms.
    fun fixedYaml(text: String): Any? = Yaml(SafeConstructor(LoaderOptions())).load(text) // codetable: ok security.deserialization.yaml-load

    fun fixedJson(text: String) = Json.parseToJsonElement(text) // codetable: ok security.deserialization.native-object
}
