/* TLS certificate verification disabled (CWE-295), after https://cwe.mitre.org/data/definitions/295.html
 * and https://docs.openssl.org/master/man3/SSL_CTX_set_verify/ and https://curl.se/libcurl/c/CURLOPT_SSL_VERIFYPEER.html */
#include <curl/curl.h>
#include <openssl/ssl.h>

void openssl_off(SSL_CTX *ctx) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); // codetable: expect security.tls.verification-disabled
}

void curl_off(CURL *curl) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L); // codetable: expect security.tls.verification-disabled
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L); // codetable: expect security.tls.verification-disabled
}

/* Fixed forms. */
void openssl_on(SSL_CTX *ctx) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL); // codetable: ok security.tls.verification-disabled
}

void curl_on(CURL *curl) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L); // codetable: ok security.tls.verification-disabled
}
