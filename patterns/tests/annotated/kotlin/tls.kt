// TLS certificate verification disabled (CWE-295), after https://cwe.mitre.org/data/definitions/295.html
// and https://square.github.io/okhttp/features/https/
import java.security.cert.X509Certificate
import javax.net.ssl.HostnameVerifier
import javax.net.ssl.X509TrustManager
import okhttp3.OkHttpClient

object TrustAll : X509TrustManager {
    override fun checkClientTrusted(chain: Array<X509Certificate>, authType: String) {} // codetable: expect security.tls.verification-disabled
    override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {} // codetable: expect security.tls.verification-disabled
    override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()
}

val anyHost = HostnameVerifier { _, _ -> true } // codetable: expect security.tls.verification-disabled

fun client(): OkHttpClient = OkHttpClient.Builder().hostnameVerifier { _, _ -> true }.build() // codetable: expect security.tls.verification-disabled

// Fixed forms.
fun fixedClient(): OkHttpClient = OkHttpClient.Builder().build() // codetable: ok security.tls.verification-disabled

// Session 8: Apache HttpClient's trust-all strategy from Kotlin (HttpClient javadoc, CWE-295).
fun trustAllStrategy(b: org.apache.http.ssl.SSLContextBuilder) = b.loadTrustMaterial(null, org.apache.http.conn.ssl.TrustAllStrategy.INSTANCE) // codetable: expect security.tls.verification-disabled
fun trustStore(b: org.apache.http.ssl.SSLContextBuilder, ks: java.security.KeyStore) = b.loadTrustMaterial(ks, null) // codetable: ok security.tls.verification-disabled
