/* String copies whose destination is sized for the source (CWE-120, CWE-787) and realloc
 * results stored over their input (CWE-401), after
 * https://wiki.sei.cmu.edu/confluence/display/c/STR31-C.+Guarantee+that+storage+for+strings+has+sufficient+space+for+character+data+and+the+null+terminator
 * and https://wiki.sei.cmu.edu/confluence/display/c/MEM31-C.+Free+dynamically+allocated+memory+when+no+longer+needed.
 * The harmless forms show the fit where the reader can see it: the block allocated for the
 * header and the string, an `asctime` text of normalized fields (at most 33 bytes; an arbitrary `struct tm` may
 * print 68), a local only given literals; a failed
 * realloc that ends the process loses nothing the process still needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct hdr { unsigned char kind; unsigned short size; };

struct hdr *packet(const char *args) {
    struct hdr *h = calloc(1, sizeof(struct hdr) + strlen(args) + 1);
    if (!h) return NULL;
    char *body = (char *) h;
    strcpy(body + sizeof(struct hdr), args); // codetable: ok security.memory.unbounded-copy
    return h;
}

struct hdr *short_packet(const char *args) {
    struct hdr *h = calloc(1, strlen(args) + 1);
    if (!h) return NULL;
    char *body = (char *) h;
    strcpy(body + sizeof(struct hdr), args); // codetable: expect security.memory.unbounded-copy
    return h;
}

void when(time_t t, const struct tm *given) {
    char line[40];
    char small[20];
    char *text = asctime(localtime(&t));
    strcpy(line, text); // codetable: ok security.memory.unbounded-copy
    strcpy(small, ctime(&t)); // codetable: expect security.memory.unbounded-copy
    strcpy(line, asctime(given)); // codetable: expect security.memory.unbounded-copy
    puts(line);
    puts(small);
}

char *again(const char *name, const char *other) {
    char *a = strdup(name);
    char *b = strdup(name);
    if (!a || !b) return NULL;
    strcpy(a, name); // codetable: ok security.memory.unbounded-copy
    strcpy(b, other); // codetable: expect security.memory.unbounded-copy
    free(b);
    return a;
}

int *grow_or_die(int *cells, size_t bytes) {
    cells = realloc(cells, bytes); // codetable: ok reliability.realloc.same-pointer
    if (cells == NULL) {
        perror("realloc");
        exit(1);
    }
    return cells;
}

int grow_or_fail(int **cells, size_t bytes) {
    *cells = realloc(*cells, bytes); // codetable: expect reliability.realloc.same-pointer
    if (*cells == NULL) {
        perror("realloc");
        return -1;
    }
    return 0;
}
