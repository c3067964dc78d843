/*
 * scan — prints the codetable findings of one source file, using libcodetable from C.
 *
 *   scan [--json] FILE [DATABASE.ctdb]
 *
 * The language is detected from the file's extension (or shebang); without a database path the
 * catalog embedded in the library is used. Output, one finding a line (columns in UTF-16 code
 * units, 1-based, as editors show them):
 *
 *   FILE:LINE:COLUMN: SEVERITY [SYMBOL] ID — NAME (score S)
 *       why: the pattern's key property
 *       $X = captured text
 *
 * With --json: core's finding records instead, one JSON object a line — the same bytes as
 * `codetable scan --format json FILE` (schema core/schema/finding.schema.json).
 *
 * Exit status: 0 when the file was scanned (findings or not), 1 on an error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codetable.h"

static const char *SEVERITY[] = {"info", "low", "medium", "high", "critical"};

/* Prints the calling thread's last error and returns 1. */
static int fail(const char *what) {
  char msg[512];
  uint64_t n = codetable_last_error_message((uint8_t *)msg, sizeof msg - 1);
  if (n > sizeof msg - 1) n = sizeof msg - 1;
  msg[n] = 0;
  fprintf(stderr, "scan: %s: %s (status %d)\n", what, msg, (int)codetable_last_error_code());
  return 1;
}

int main(int argc, char **argv) {
  const char *program = argv[0];
  int json = argc > 1 && strcmp(argv[1], "--json") == 0;
  argc -= json;
  argv += json;
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s [--json] FILE [DATABASE.ctdb]\n", program);
    return 2;
  }
  const char *path = argv[1];
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *text = malloc(size > 0 ? (size_t)size : 1);
  uint64_t len = fread(text, 1, size > 0 ? (size_t)size : 0, f);
  fclose(f);

  int rc = 1;
  codetable_db *db = NULL;
  codetable_engine *engine = NULL;
  codetable_document *doc = NULL;
  codetable_matches found = {0};
  codetable_string records = {0};
  const uint8_t *language = NULL;
  uint64_t language_len = 0;

  if (codetable_language_detect((const uint8_t *)path, strlen(path), text, len, &language,
                                &language_len) != CODETABLE_STATUS_OK) {
    fail(path);
    goto done;
  }
  codetable_status s = argc == 3 ? codetable_db_open((const uint8_t *)argv[2], strlen(argv[2]), &db)
                                 : codetable_db_default(&db);
  if (s != CODETABLE_STATUS_OK) {
    fail("opening the pattern database");
    goto done;
  }
  if (codetable_engine_new(db, &engine) != CODETABLE_STATUS_OK) {
    fail("engine");
    goto done;
  }
  if (codetable_document_new(language, language_len, text, len, &doc) != CODETABLE_STATUS_OK) {
    fail(path);
    goto done;
  }
  if (codetable_engine_analyze(engine, doc, &found) != CODETABLE_STATUS_OK) {
    fail("analysis");
    goto done;
  }

  if (json) {
    if (codetable_document_findings_json(engine, doc, (const uint8_t *)path, strlen(path), &records) !=
        CODETABLE_STATUS_OK) {
      fail("findings");
      goto done;
    }
    fwrite(records.ptr ? (const void *)records.ptr : "", 1, records.len, stdout);
    rc = 0;
    goto done;
  }

  for (uint64_t i = 0; i < found.len; i++) {
    const codetable_match *m = &found.items[i];
    codetable_pattern_info p;
    if (codetable_db_pattern_info(db, m->pattern, &p) != CODETABLE_STATUS_OK) {
      fail("pattern");
      goto done;
    }
    printf("%s:%u:%u: %s [%.*s] %.*s — %.*s (score %.2f)\n", path, m->range.start_line + 1,
           m->range.start_column_utf16 + 1, (m->severity >= 0 && m->severity <= 4 ? SEVERITY[m->severity] : "?"), (int)p.symbol_len,
           (const char *)p.symbol, (int)p.id_len, (const char *)p.id, (int)p.name_len,
           (const char *)p.name, m->score);
    if (p.key_property_len > 0)
      printf("    why: %.*s\n", (int)p.key_property_len, (const char *)p.key_property);
    for (uint64_t c = 0; c < m->captures_len; c++) {
      const codetable_capture *cap = &m->captures[c];
      printf("    %.*s = %.*s\n", (int)cap->name_len, (const char *)cap->name,
             (int)cap->text_len, cap->text ? (const char *)cap->text : "");
    }
  }
  printf("%s: %.*s, %llu finding%s\n", path, (int)language_len, (const char *)language,
         (unsigned long long)found.len, found.len == 1 ? "" : "s");
  rc = 0;

done:
  codetable_string_free(&records);
  codetable_matches_free(&found);
  codetable_document_free(doc);
  codetable_engine_free(engine);
  codetable_db_free(db);
  free(text);
  return rc;
}
