/* Weak randomness for secrets (CWE-338), after https://cwe.mitre.org/data/definitions/338.html and
 * https://wiki.sei.cmu.edu/confluence/display/c/MSC30-C.+Do+not+use+the+rand()+function+for+generating+pseudorandom+numbers */
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

unsigned int session_token(void) {
    srand(time(NULL)); // codetable: expect security.randomness.insecure-token
    return rand(); // codetable: expect security.randomness.insecure-token
}

void make_key(unsigned char *key, int n) {
    for (int i = 0; i < n; i++) key[i] = rand() & 0xff; // codetable: expect security.randomness.insecure-token
}

long nonce(void) {
    return random(); // codetable: expect security.randomness.insecure-token
}

/* Fixed forms and non-secret uses. */
void fixed_key(unsigned char *key, size_t n) {
    getrandom(key, n, 0); // codetable: ok security.randomness.insecure-token
}

int dice(void) {
    return rand() % 6 + 1; // codetable: ok security.randomness.insecure-token
}
