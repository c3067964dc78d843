// TLS certificate verification disabled (CWE-295), after https://cwe.mitre.org/data/definitions/295.html
// and https://owasp.org/www-community/controls/Certificate_and_Public_Key_Pinning
import java.security.cert.X509Certificate;
import javax.net.ssl.*;
import org.apache.http.conn.ssl.NoopHostnameVerifier;

class Tls {
    TrustManager[] trustAll = new TrustManager[] {
        new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {} // codetable: expect security.tls.verification-disabled
            public void checkServerTrusted(X509Certificate[] c, String a) {} // codetable: expect security.tls.verification-disabled
            public X509Certificate[] getAcceptedIssuers() { return null; } // codetable: expect security.tls.verification-disabled
        }
    };

    void allHosts() {
        HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> true); // codetable: expect security.tls.verification-disabled
    }

    HostnameVerifier anyHost = new HostnameVerifier() {
        public boolean verify(String host, SSLSession session) { return true; } // codetable: expect security.tls.verification-disabled
    };

    Object noop() {
        return NoopHostnameVerifier.INSTANCE; // codetable: expect security.tls.verification-disabled
    }

    // Fixed forms.
    SSLContext fixed() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(null, null, null); // codetable: ok security.tls.verification-disabled
        return ctx;
    }
}

class TlsMore {
    HostnameVerifier fixedDefault() {
        return HttpsURLConnection.getDefaultHostnameVerifier(); // codetable: ok security.tls.verification-disabled
    }

    SSLContext trustAllInit(TrustManager[] trustAll) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trustAll, new java.security.SecureRandom()); // codetable: expect security.tls.verification-disabled
        return ctx;
    }
}

// Session 8: every method of a trust-all manager and Apache HttpClient's trust-all strategies
// (CWE-295 demonstrative examples; OWASP Mobile Top 10 M3 "Insecure Communication"; Apache
// HttpClient TrustAllStrategy / SSLContextBuilder.loadTrustMaterial javadoc).
class TrustEverything implements X509TrustManager {
    public void checkClientTrusted(X509Certificate[] c, String a) { return; } // codetable: expect security.tls.verification-disabled
    public void checkServerTrusted(X509Certificate[] c, String a) { } // codetable: expect security.tls.verification-disabled
    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; } // codetable: expect security.tls.verification-disabled
}

class Delegating implements X509TrustManager {
    X509TrustManager d;
    public void checkClientTrusted(X509Certificate[] c, String a) throws java.security.cert.CertificateException { d.checkClientTrusted(c, a); } // codetable: ok security.tls.verification-disabled
    public void checkServerTrusted(X509Certificate[] c, String a) throws java.security.cert.CertificateException { d.checkServerTrusted(c, a); } // codetable: ok security.tls.verification-disabled
    public X509Certificate[] getAcceptedIssuers() { return null; } // codetable: ok security.tls.verification-disabled
}

class HttpClientTrust {
    Object trustAll(org.apache.http.ssl.SSLContextBuilder b) throws Exception {
        b.loadTrustMaterial(null, (chain, authType) -> true); // codetable: expect security.tls.verification-disabled
        return b.loadTrustMaterial(null, org.apache.http.conn.ssl.TrustAllStrategy.INSTANCE); // codetable: expect security.tls.verification-disabled
    }

    Object trustStore(org.apache.http.ssl.SSLContextBuilder b, java.security.KeyStore ks) throws Exception {
        return b.loadTrustMaterial(ks, null); // codetable: ok security.tls.verification-disabled
    }
}

// Session 8: a client-side manager that validates servers has no clients to check: an empty
// checkClientTrusted beside a real checkServerTrusted is not trust-all (JSSE reference guide,
// X509TrustManager).
class ServerOnly implements X509TrustManager {
    X509TrustManager d;
    public void checkClientTrusted(X509Certificate[] c, String a) { } // codetable: ok security.tls.verification-disabled
    public void checkServerTrusted(X509Certificate[] c, String a) throws java.security.cert.CertificateException { d.checkServerTrusted(c, a); } // codetable: ok security.tls.verification-disabled
    public X509Certificate[] getAcceptedIssuers() { return d.getAcceptedIssuers(); } // codetable: ok security.tls.verification-disabled
}

