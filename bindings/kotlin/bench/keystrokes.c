/* The C side of the keystroke bench: the same edit script through the C ABI with no JNA in
 * between — codetable_document_edit_utf16 + codetable_engine_analyze_delta +
 * codetable_match_delta_free per keystroke. `keystrokes DIR [ROUNDS]` */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "codetable.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double cpu_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void stats(double *v, size_t m, double *median, double *p99, double *mean);

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define CHECK(call) do { if ((call) != CODETABLE_STATUS_OK) { fprintf(stderr, "%s failed\n", #call); return 1; } } while (0)

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: keystrokes DIR [ROUNDS]\n"); return 2; }
    int rounds = argc > 2 ? atoi(argv[2]) : 1;
    char path[4096];
    size_t src_len, script_len;
    snprintf(path, sizeof path, "%s/corpus.py", argv[1]);
    char *src = slurp(path, &src_len);
    snprintf(path, sizeof path, "%s/edits.tsv", argv[1]);
    char *script = slurp(path, &script_len);
    size_t cap = 1024, n = 0;
    unsigned long long *starts = malloc(cap * sizeof *starts), *ends = malloc(cap * sizeof *ends);
    char **texts = malloc(cap * sizeof *texts);
    for (char *line = strtok(script, "\n"); line; line = strtok(NULL, "\n")) {
        if (n == cap) { cap *= 2; starts = realloc(starts, cap * sizeof *starts); ends = realloc(ends, cap * sizeof *ends); texts = realloc(texts, cap * sizeof *texts); }
        char *a = line, *b = strchr(a, '\t'), *t = b ? strchr(b + 1, '\t') : NULL;
        if (!t) { fprintf(stderr, "bad script line\n"); return 2; }
        *b = 0; *t = 0;
        starts[n] = strtoull(a, NULL, 10); ends[n] = strtoull(b + 1, NULL, 10); texts[n] = t + 1;
        n++;
    }
    codetable_db *db; codetable_engine *engine; codetable_document *doc;
    CHECK(codetable_db_default(&db));
    CHECK(codetable_engine_new(db, &engine));
    CHECK(codetable_document_new((const uint8_t *)"python", 6, (const uint8_t *)src, src_len, &doc));
    codetable_matches all;
    CHECK(codetable_engine_analyze(engine, doc, &all));
    codetable_matches_free(&all);
    /* Warm-up: the first 100 edits (50 insert/delete pairs restore the text), then ROUNDS measured passes. */
    for (size_t i = 0; i < n && i < 100; i++) {
        CHECK(codetable_document_edit_utf16(doc, starts[i], ends[i], (const uint8_t *)texts[i], strlen(texts[i])));
        codetable_match_delta d;
        CHECK(codetable_engine_analyze_delta(engine, doc, &d));
        CHECK(codetable_match_delta_free(&d));
    }
    double *times = malloc(sizeof(double) * n * (size_t)rounds);
    double *cpu = malloc(sizeof(double) * n * (size_t)rounds);
    size_t m = 0;
    for (int round = 0; round < rounds; round++) {
        for (size_t i = 0; i < n; i++) {
            double t0 = now_us(), c0 = cpu_us();
            CHECK(codetable_document_edit_utf16(doc, starts[i], ends[i], (const uint8_t *)texts[i], strlen(texts[i])));
            codetable_match_delta d;
            CHECK(codetable_engine_analyze_delta(engine, doc, &d));
            CHECK(codetable_match_delta_free(&d));
            cpu[m] = cpu_us() - c0;
            times[m++] = now_us() - t0;
        }
    }
    double wm, wp, wa, cm, cp, ca;
    stats(times, m, &wm, &wp, &wa);
    stats(cpu, m, &cm, &cp, &ca);
    printf("c: keystrokes=%zu median_us=%.1f p99_us=%.1f mean_us=%.1f cpu_median_us=%.1f cpu_p99_us=%.1f cpu_mean_us=%.1f\n",
           m, wm, wp, wa, cm, cp, ca);
    codetable_document_free(doc);
    codetable_engine_free(engine);
    codetable_db_free(db);
    return 0;
}

static void stats(double *v, size_t m, double *median, double *p99, double *mean) {
    double total = 0;
    for (size_t i = 0; i < m; i++) total += v[i];
    qsort(v, m, sizeof *v, cmp);
    *median = v[m / 2];
    *p99 = v[m * 99 / 100 < m - 1 ? m * 99 / 100 : m - 1];
    *mean = total / m;
}
