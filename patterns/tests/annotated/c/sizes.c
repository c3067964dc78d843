/* Allocation sizes and stack sizes (CWE-680, CWE-789) and format strings in macro bodies
 * (CWE-134), after the demonstrative examples of
 * https://cwe.mitre.org/data/definitions/680.html (a count read from input times an element
 * size), https://wiki.sei.cmu.edu/confluence/display/c/MEM35-C.+Allocate+sufficient+memory+for+an+object,
 * https://wiki.sei.cmu.edu/confluence/display/c/ARR32-C.+Ensure+size+arguments+for+variable+length+arrays+are+in+a+valid+range
 * and https://wiki.sei.cmu.edu/confluence/display/c/FIO30-C.+Exclude+user+input+from+format+strings.
 * The harmless forms are bounded where the reader can see it: a 16-bit count, a length of a
 * string in memory, an assertion, a file typedef of a small type. */
#include <alloca.h>
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef unsigned char TrieChar;
typedef unsigned long Count;

struct img { unsigned w, h; };

int *read_table(int fd) {
    unsigned int count;
    read(fd, &count, sizeof count);
    return malloc(count * sizeof(int)); // codetable: expect security.alloc-size.unchecked-multiply
}

void *grow(struct img *im, Count n) {
    void *rows = malloc(n * sizeof(void *)); // codetable: expect security.alloc-size.unchecked-multiply
    free(rows);
    return malloc(im->w * im->h); // codetable: expect security.alloc-size.unchecked-multiply
}

void *bounded(unsigned short nodes, TrieChar last, const char *s, size_t k) {
    void **links = malloc(nodes * sizeof(void *)); // codetable: ok security.alloc-size.unchecked-multiply
    int *cells = malloc(last * sizeof(int)); // codetable: ok security.alloc-size.unchecked-multiply
    char **copy = malloc(strlen(s) * sizeof(char *)); // codetable: ok security.alloc-size.unchecked-multiply
    assert(k <= 256);
    unsigned *inv = malloc(k * sizeof(unsigned)); // codetable: ok security.alloc-size.unchecked-multiply
    free(links);
    free(cells);
    free(copy);
    return inv;
}

void stack(const char *name, unsigned short m, size_t k) {
    char *tmp = alloca(strlen(name) + 1); // codetable: expect reliability.stack.alloca-variable-size
    int *idx = alloca(m * sizeof(int)); // codetable: ok reliability.stack.alloca-variable-size
    if (k > 64) return;
    int *few = alloca(k * sizeof(int)); // codetable: ok reliability.stack.alloca-variable-size
    strcpy(tmp, name);
    idx[0] = few[0];
}

/* Format strings in macro bodies: a parameter that is one argument is the format; a variadic
 * parameter is an argument list whose format the macro's uses give. */
#define SHOW(msg) printf(msg) // codetable: expect security.format-string.non-literal
#define debug(lvl, ...) do { if (lvl <= 2) { printf(__VA_ARGS__); } } while (0) // codetable: ok security.format-string.non-literal
#define trace(...) fprintf(stderr, __VA_ARGS__) // codetable: ok security.format-string.non-literal

/* A macro defining the function's own name is a shim: its callers are the uses. */
#define system(...) (pthread_testcancel(), system(__VA_ARGS__)) // codetable: ok security.command-injection.shell
#define RUN(cmd) system(cmd) // codetable: expect security.command-injection.shell
#define alloca(x) __builtin_alloca(x) // codetable: ok reliability.stack.alloca-variable-size

/* Copies: a check against the destination's declared size before the copy (in the direction
 * that keeps it inside), a file-local pointer to a literal nothing writes. */
#define MAXWORD 100
static char *tag = "mpz(";
static char *label = "none";

void set_label(char *l) { label = l; }

char *affix(const char *word, const char *appnd, int len, int appndl) {
    char tword[MAXWORD + 4];
    strcpy(tword, word); // codetable: expect security.memory.unbounded-copy
    if (len > 0 && (MAXWORD + 4) > (len + appndl)) {
        strcpy(tword, appnd); // codetable: ok security.memory.unbounded-copy
    }
    if (len == 0 || (MAXWORD + 4) > len) {
        strcpy(tword, word); // codetable: expect security.memory.unbounded-copy
    }
    return strdup(tword);
}

void tags(char *p) {
    strcpy(p, tag); // codetable: ok security.memory.unbounded-copy
    strcpy(p, label); // codetable: expect security.memory.unbounded-copy
}
