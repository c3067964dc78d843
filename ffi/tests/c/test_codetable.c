/*
 * C test of libcodetable: calls every function of include/codetable.h, the error paths
 * included, on small non-ASCII documents (CJK, emoji: byte, UTF-16 and column offsets differ);
 * replays the cross-host golden edit scripts (tests/golden/sessions.json) with byte and with
 * UTF-16 edits; scans the files of tests/golden/scan.jsonl and compares the findings JSON with
 * it byte for byte; checks the pattern and finding JSON against core's schemas' required keys.
 * Run by `make c-test` under valgrind memcheck, from the repository root (the fixtures are read
 * relative to it). Usage: test_codetable <path to a .ctdb file>
 */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h> /* mkfifo */
#include <unistd.h> /* dup, dup2: capturing stderr around a panic; truncate, alarm */

#include "codetable.h"
#include "json.h"

/* The layout ffi/README.md documents for JNA (64-bit targets). */
#include <stddef.h>
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(codetable_range) == 56, "range layout");
_Static_assert(sizeof(codetable_capture) == 88, "capture layout");
_Static_assert(sizeof(codetable_match) == 104, "match layout");
_Static_assert(offsetof(codetable_match, range) == 16, "match.range");
_Static_assert(offsetof(codetable_match, captures) == 72, "match.captures");
_Static_assert(offsetof(codetable_match, pattern) == 88, "match.pattern");
_Static_assert(offsetof(codetable_match, severity) == 96, "match.severity");
_Static_assert(offsetof(codetable_match, score) == 100, "match.score");
_Static_assert(sizeof(codetable_matches) == 16, "matches layout");
_Static_assert(sizeof(codetable_match_delta) == 64, "delta layout");
_Static_assert(offsetof(codetable_match_delta, removed_matches) == 48, "delta.removed_matches");
_Static_assert(sizeof(codetable_pattern_info) == 104, "pattern info layout");
_Static_assert(sizeof(codetable_status) == 4 && sizeof(codetable_severity) == 4, "enums are int32");
#endif

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                                   \
  do {                                                                                \
    checks++;                                                                         \
    if (!(cond)) {                                                                    \
      failures++;                                                                     \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);        \
    }                                                                                 \
  } while (0)

/* Checks a call's status and that the thread's last error agrees with it. */
#define EXPECT(call, status)                                                          \
  do {                                                                                \
    codetable_status got_ = (call);                                                   \
    checks++;                                                                         \
    if (got_ != (status)) {                                                           \
      failures++;                                                                     \
      fprintf(stderr, "%s:%d: %s returned %d, expected %d (%s)\n", __FILE__, __LINE__, \
              #call, (int)got_, (int)(status), last_message());                        \
    } else if (codetable_last_error_code() != got_) {                                 \
      failures++;                                                                     \
      fprintf(stderr, "%s:%d: last error %d disagrees with status %d\n", __FILE__,     \
              __LINE__, (int)codetable_last_error_code(), (int)got_);                  \
    }                                                                                 \
  } while (0)

#define OK(call) EXPECT(call, CODETABLE_STATUS_OK)
#define S(lit) (const uint8_t *)(lit), (uint64_t)(sizeof(lit) - 1)

static const char *last_message(void) {
  static char buf[1024];
  uint64_t n = codetable_last_error_message((uint8_t *)buf, sizeof buf - 1);
  if (n > sizeof buf - 1) n = sizeof buf - 1;
  buf[n] = 0;
  return buf;
}

/* An independent oracle: UTF-16 code units in the first n bytes of UTF-8 text. */
static uint64_t utf16_units(const char *s, size_t n) {
  uint64_t units = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char b = (unsigned char)s[i];
    if ((b & 0xC0) == 0x80) continue;
    units += b >= 0xF0 ? 2 : 1;
  }
  return units;
}

/* `needle` occurs in p[0..len]. */
static int has(const uint8_t *p, uint64_t len, const char *needle) {
  return p != NULL && memmem(p, len, needle, strlen(needle)) != NULL;
}

static int eq(const uint8_t *p, uint64_t len, const char *s) {
  return len == strlen(s) && (len == 0 || memcmp(p, s, len) == 0);
}

static uint8_t *read_file(const char *path, uint64_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
  *len = fread(buf, 1, (size_t)n, f);
  fclose(f);
  return buf;
}

/* Parses JSON text, reporting where it is not JSON. */
static int parse_json(const uint8_t *text, uint64_t len, json *out, const char *what) {
  const char *error = NULL;
  size_t at = 0;
  int ok = json_parse((const char *)text, (size_t)len, out, &error, &at);
  if (!ok) fprintf(stderr, "%s: invalid JSON at byte %zu: %s\n", what, at, error);
  CHECK(ok);
  return ok;
}

/* Reads and parses a JSON file (a path relative to the repository root). */
static int read_json(const char *path, json *out) {
  uint64_t len = 0;
  uint8_t *text = read_file(path, &len);
  if (!text) fprintf(stderr, "cannot read %s\n", path);
  CHECK(text != NULL);
  if (!text) return 0;
  int ok = parse_json(text, len, out, path);
  free(text);
  return ok;
}

/* `value` has every key `schema` (an object schema) requires, and none it does not describe. */
static void check_schema_keys(const json *value, const json *schema, const char *what) {
  const json *required = json_get(schema, "required"), *properties = json_get(schema, "properties");
  CHECK(value != NULL && value->kind == JSON_OBJECT);
  CHECK(required != NULL && required->kind == JSON_ARRAY && required->length > 0);
  CHECK(properties != NULL && properties->kind == JSON_OBJECT);
  if (!value || value->kind != JSON_OBJECT || !required || !properties) return;
  for (size_t i = 0; i < required->length; i++) {
    int present = json_get(value, required->items[i].string) != NULL;
    if (!present) fprintf(stderr, "%s: required key `%s` is missing\n", what, required->items[i].string);
    CHECK(present);
  }
  for (size_t i = 0; i < value->length; i++) {
    int described = json_get(properties, value->keys[i]) != NULL;
    if (!described) fprintf(stderr, "%s: key `%s` is not in the schema\n", what, value->keys[i]);
    CHECK(described);
  }
}

/* The document: a weak hash after CJK and emoji, so every offset unit differs. */
static const char SOURCE[] =
    "# 日本語のコメント 😀\n"
    "import hashlib\n"
    "\n"
    "def key(data):\n"
    "    s = \"😀😀\"\n"
    "    return hashlib.new(\"md5\", data).hexdigest()\n";

static uint32_t md5_pattern;

/* Finds the match of md5_pattern; NULL when absent. */
static const codetable_match *find_md5(const codetable_matches *m) {
  for (uint64_t i = 0; i < m->len; i++)
    if (m->items[i].pattern == md5_pattern) return &m->items[i];
  return NULL;
}

/* Two match lists agree on what a host shows: patterns and every range. */
static int same_matches(const codetable_matches *a, const codetable_matches *b) {
  if (a->len != b->len) return 0;
  for (uint64_t i = 0; i < a->len; i++) {
    const codetable_match *x = &a->items[i], *y = &b->items[i];
    if (x->pattern != y->pattern || memcmp(&x->range, &y->range, sizeof x->range) != 0 ||
        x->captures_len != y->captures_len)
      return 0;
  }
  return 1;
}

static void check_range(const codetable_range *r, const char *text, const char *needle) {
  const char *at = strstr(text, needle);
  CHECK(at != NULL);
  if (!at) return;
  size_t start = (size_t)(at - text), end = start + strlen(needle);
  CHECK(r->start_byte == start);
  CHECK(r->end_byte == end);
  CHECK(r->start_utf16 == utf16_units(text, start));
  CHECK(r->end_utf16 == utf16_units(text, end));
  /* Line and columns, from the line start. */
  size_t line_start = start;
  while (line_start > 0 && text[line_start - 1] != '\n') line_start--;
  uint32_t line = 0;
  for (size_t i = 0; i < start; i++) line += text[i] == '\n';
  CHECK(r->start_line == line);
  CHECK(r->start_column_byte == start - line_start);
  CHECK(r->start_column_utf16 == utf16_units(text + line_start, start - line_start));
  CHECK(r->end_line == line); /* needles are on one line */
  CHECK(r->end_column_byte == end - line_start);
}

static void test_versions_and_errors(void) {
  CHECK(codetable_abi_version() ==
        ((CODETABLE_ABI_VERSION_MAJOR << 16) | CODETABLE_ABI_VERSION_MINOR));
  uint64_t len = 0;
  const uint8_t *v = codetable_version(&len);
  CHECK(v != NULL && len > 0 && v[len] == 0 && strlen((const char *)v) == len);
  CHECK(codetable_version(NULL) == v);
  CHECK(codetable_last_error_code() == CODETABLE_STATUS_OK);
  CHECK(codetable_last_error_message(NULL, 0) == 0);

  /* A failure sets the message; truncated copies report the full length. */
  codetable_db *db = NULL;
  EXPECT(codetable_db_open(S("/nonexistent/patterns.ctdb"), &db), CODETABLE_STATUS_IO);
  CHECK(db == NULL);
  uint64_t full = codetable_last_error_message(NULL, 0);
  CHECK(full > 10);
  char small[8] = {0};
  CHECK(codetable_last_error_message((uint8_t *)small, 4) == full);
  CHECK(memcmp(small, "/non", 4) == 0 && small[4] == 0);
  /* Reading the error does not reset it; the next successful call does. */
  CHECK(codetable_last_error_code() == CODETABLE_STATUS_IO);
  OK(codetable_db_default(&db));
  CHECK(codetable_last_error_message(NULL, 0) == 0);
  OK(codetable_db_free(db));
}

static void test_database(const char *path) {
  codetable_db *db = NULL, *file_db = NULL, *bytes_db = NULL;
  EXPECT(codetable_db_default(NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  OK(codetable_db_default(&db));
  CHECK(db != NULL);

  uint64_t count = 0;
  OK(codetable_db_pattern_count(db, &count));
  CHECK(count > 5);
  EXPECT(codetable_db_pattern_count(db, NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_db_pattern_count(NULL, &count), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_db_pattern_count((codetable_db *)(uintptr_t)0x1234, &count),
         CODETABLE_STATUS_INVALID_HANDLE);
  OK(codetable_db_verify(db));

  /* Lookup by id, symbol and name. */
  uint32_t n = UINT32_MAX, by_symbol = 0, by_name = 0;
  OK(codetable_db_find(db, S("security.weak-hash.md5"), &n));
  OK(codetable_db_find(db, S("Md"), &by_symbol));
  CHECK(n < count && by_symbol == n);
  EXPECT(codetable_db_find(db, S("no.such.pattern"), &by_name), CODETABLE_STATUS_NOT_FOUND);
  CHECK(strstr(last_message(), "no.such.pattern") != NULL);
  EXPECT(codetable_db_find(db, (const uint8_t *)"\xff\xfe", 2, &by_name),
         CODETABLE_STATUS_INVALID_UTF8);
  EXPECT(codetable_db_find(db, NULL, 3, &by_name), CODETABLE_STATUS_NULL_ARGUMENT);
  md5_pattern = n;

  /* The borrowed summary. */
  codetable_pattern_info info;
  OK(codetable_db_pattern_info(db, n, &info));
  CHECK(eq(info.id, info.id_len, "security.weak-hash.md5"));
  CHECK(eq(info.symbol, info.symbol_len, "Md"));
  CHECK(eq(info.group, info.group_len, "security"));
  CHECK(info.name_len > 0 && info.summary_len > 0 && info.key_property_len > 0);
  CHECK(info.cwe == 327 || info.cwe == 328);
  CHECK(info.severity >= CODETABLE_SEVERITY_MEDIUM && info.severity <= CODETABLE_SEVERITY_CRITICAL);
  EXPECT(codetable_db_pattern_info(db, (uint32_t)count, &info), CODETABLE_STATUS_INVALID_ARGUMENT);
  EXPECT(codetable_db_pattern_info(db, n, NULL), CODETABLE_STATUS_NULL_ARGUMENT);

  /* The pattern sheet as JSON: core's PatternSheet, with every key its schema requires. */
  codetable_string text = {0};
  OK(codetable_db_pattern_json(db, n, &text));
  CHECK(text.ptr != NULL && text.len > 100);
  CHECK(has(text.ptr, text.len, "\"id\":\"security.weak-hash.md5\""));
  CHECK(!has(text.ptr, text.len, "\"where_\"") && !has(text.ptr, text.len, "NoMatch"));
  json sheet = {0}, schema = {0};
  if (parse_json(text.ptr, text.len, &sheet, "pattern JSON") &&
      read_json("core/schema/pattern-sheet.schema.json", &schema)) {
    check_schema_keys(&sheet, &schema, "pattern sheet");
    const json *number = json_get(&sheet, "number"), *matcher = json_get(&sheet, "matcher");
    CHECK(number && number->kind == JSON_NUMBER && number->integer == n);
    CHECK(strcmp(json_str(&sheet, "symbol"), "Md") == 0 && strcmp(json_str(&sheet, "severity"), "high") == 0);
    CHECK(strcmp(json_str(matcher, "kind"), "rule") == 0);
    const json *rules = json_get(matcher, "rules");
    const json *rule_schema = json_get(json_get(&schema, "$defs"), "rule");
    CHECK(rules && rules->kind == JSON_ARRAY && rules->length > 0);
    if (rules && rules->length > 0) check_schema_keys(&rules->items[0], rule_schema, "pattern sheet rule");
    int no_match = 0;
    const json *examples = json_get(&sheet, "examples");
    for (size_t i = 0; examples && i < examples->length; i++)
      no_match |= strcmp(json_str(&examples->items[i], "expect"), "no-match") == 0;
    CHECK(no_match);
  }
  json_free(&schema);
  json_free(&sheet);
  codetable_string copy = text;
  OK(codetable_string_free(&text));
  CHECK(text.ptr == NULL && text.len == 0);
  OK(codetable_string_free(&text)); /* the zeroed struct: a no-op */
  EXPECT(codetable_string_free(&copy), CODETABLE_STATUS_INVALID_HANDLE); /* a stale copy */
  EXPECT(codetable_string_free(NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_db_pattern_json(db, UINT32_MAX, &text), CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(text.ptr == NULL);

  /* The pattern sheet as Markdown: core's rendering (headline, facts line, sections). */
  codetable_string md = {0};
  OK(codetable_db_pattern_markdown(db, n, &md));
  static const char headline[] = "**Md** \xc2\xb7 **MD5 hash** \xc2\xb7 `security.weak-hash.md5`\n\n";
  CHECK(md.ptr != NULL && md.len > sizeof headline && memcmp(md.ptr, headline, sizeof headline - 1) == 0);
  CHECK(has(md.ptr, md.len, "security \xc2\xb7 severity **high** \xc2\xb7 "));
  CHECK(has(md.ptr, md.len, "[CWE-327](https://cwe.mitre.org/data/definitions/327.html)"));
  CHECK(has(md.ptr, md.len, "OWASP A02:2021"));
  CHECK(has(md.ptr, md.len, "\n#### Properties\n\n- **security**: "));
  CHECK(has(md.ptr, md.len, "\n#### Alternatives\n\n- `security.strong-hash.sha256`\n"));
  CHECK(!has(md.ptr, md.len, "{\"") && md.ptr[md.len - 1] == '\n'); /* not JSON; ends a line */
  OK(codetable_string_free(&md));
  CHECK(md.ptr == NULL && md.len == 0);
  EXPECT(codetable_db_pattern_markdown(db, (uint32_t)count, &md), CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(md.ptr == NULL && md.len == 0 && strstr(last_message(), "out of range") != NULL);
  EXPECT(codetable_db_pattern_markdown(db, n, NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_db_pattern_markdown(NULL, n, &md), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_db_pattern_markdown((codetable_db *)(uintptr_t)0x1234, n, &md),
         CODETABLE_STATUS_INVALID_HANDLE);
  CHECK(md.ptr == NULL);

  /* Prefix search. */
  codetable_u32s found = {0};
  OK(codetable_db_search(db, S("security.weak"), &found));
  int has_md5 = 0;
  for (uint64_t i = 0; i < found.len; i++) has_md5 |= found.items[i] == n;
  CHECK(has_md5);
  for (uint64_t i = 0; i < found.len; i++) { /* every hit starts with the prefix (here: ids) */
    OK(codetable_db_pattern_info(db, found.items[i], &info));
    CHECK(info.id_len >= 13 && memcmp(info.id, "security.weak", 13) == 0);
  }
  OK(codetable_u32s_free(&found));
  CHECK(found.items == NULL);
  OK(codetable_db_search(db, NULL, 0, &found)); /* empty prefix: everything */
  CHECK(found.len == count);
  OK(codetable_u32s_free(&found));
  OK(codetable_db_search(db, S("zzzz-nothing"), &found));
  CHECK(found.items == NULL && found.len == 0);
  OK(codetable_u32s_free(&found));
  EXPECT(codetable_db_search(db, (const uint8_t *)"\xc3", 1, &found), CODETABLE_STATUS_INVALID_UTF8);
  EXPECT(codetable_u32s_free(NULL), CODETABLE_STATUS_NULL_ARGUMENT);

  /* The same database from a file and from bytes. */
  OK(codetable_db_open((const uint8_t *)path, strlen(path), &file_db));
  uint64_t file_count = 0, bytes_count = 0;
  OK(codetable_db_pattern_count(file_db, &file_count));
  CHECK(file_count > 0);
  codetable_db *none = (codetable_db *)&none;
  EXPECT(codetable_db_open(NULL, 0, &none), CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(none == NULL);
  EXPECT(codetable_db_open(S("/"), NULL), CODETABLE_STATUS_NULL_ARGUMENT);

  uint64_t len = 0;
  uint8_t *bytes = read_file(path, &len);
  CHECK(bytes != NULL && len > 64);
  OK(codetable_db_from_bytes(bytes, len, &bytes_db));
  OK(codetable_db_verify(bytes_db));
  OK(codetable_db_pattern_count(bytes_db, &bytes_count));
  CHECK(bytes_count == file_count);
  OK(codetable_db_free(bytes_db));
  EXPECT(codetable_db_from_bytes(S("not a database at all"), &bytes_db), CODETABLE_STATUS_NOT_A_DATABASE);
  CHECK(bytes_db == NULL);
  EXPECT(codetable_db_from_bytes(NULL, 0, &bytes_db), CODETABLE_STATUS_NOT_A_DATABASE);
  bytes[8] ^= 0x7f; /* the format version */
  EXPECT(codetable_db_from_bytes(bytes, len, &bytes_db), CODETABLE_STATUS_UNSUPPORTED_VERSION);
  bytes[8] ^= 0x7f;
  /* A byte inside any section: opening checks everything, so the open itself fails. */
  for (uint64_t at = 32 + 8 * 24; at < len - 56; at += len / 7) {
    bytes[at] ^= 0x55;
    EXPECT(codetable_db_from_bytes(bytes, len, &bytes_db), CODETABLE_STATUS_CORRUPT_DATABASE);
    CHECK(bytes_db == NULL);
    CHECK(strstr(last_message(), "corrupt pattern database") != NULL);
    bytes[at] ^= 0x55;
  }
  free(bytes);

  /* Free: NULL is a no-op, twice is an error, a used-after-free handle is an error. */
  OK(codetable_db_free(NULL));
  OK(codetable_db_free(file_db));
  EXPECT(codetable_db_free(file_db), CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_db_pattern_count(file_db, &count), CODETABLE_STATUS_INVALID_HANDLE);
  OK(codetable_db_free(db));
}

static void test_language_detect(void) {
  const uint8_t *name = NULL;
  uint64_t len = 0;
  OK(codetable_language_detect(S("src/app.py"), NULL, 0, &name, &len));
  CHECK(eq(name, len, "python"));
  OK(codetable_language_detect(S("bin/tool"), S("#!/usr/bin/env python3\nprint(1)\n"), &name, &len));
  CHECK(eq(name, len, "python"));
  OK(codetable_language_detect(S("Main.kt"), NULL, 0, &name, &len));
  CHECK(eq(name, len, "kotlin"));
  EXPECT(codetable_language_detect(S("notes.txt"), S("hello"), &name, &len), CODETABLE_STATUS_NOT_FOUND);
  EXPECT(codetable_language_detect(S("a.py"), NULL, 0, NULL, &len), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_language_detect(S("a.py"), NULL, 0, &name, NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_language_detect(NULL, 1, NULL, 0, &name, &len), CODETABLE_STATUS_NULL_ARGUMENT);
}

/* Current text of a document, copied into a NUL-terminated buffer. */
static char *doc_text(codetable_document *doc) {
  const uint8_t *p = NULL;
  uint64_t len = 0;
  OK(codetable_document_text(doc, &p, &len));
  char *s = malloc(len + 1);
  if (len) memcpy(s, p, len);
  s[len] = 0;
  return s;
}

/* A fresh analysis of `text`, for comparison with incremental results. */
static codetable_matches fresh(codetable_engine *engine, const char *text) {
  codetable_document *doc = NULL;
  codetable_matches m = {0};
  OK(codetable_document_new(S("python"), (const uint8_t *)text, strlen(text), &doc));
  OK(codetable_engine_analyze(engine, doc, &m));
  OK(codetable_document_free(doc));
  return m;
}

/* The database file truncated and rewritten after opening: the open database is a private
   snapshot, so analyses go on (a mapped file would kill this process with SIGBUS). FIFOs and
   folders are refused before they are opened (a FIFO would block the open forever: the alarm
   turns such a regression into a failure). */
static void test_file_changes(const char *path) {
  uint64_t len = 0;
  uint8_t *bytes = read_file(path, &len);
  CHECK(bytes != NULL);
  char dir[] = "/tmp/codetable-c-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char file[64], fifo[64];
  snprintf(file, sizeof file, "%s/db.ctdb", dir);
  snprintf(fifo, sizeof fifo, "%s/pipe.ctdb", dir);
  FILE *f = fopen(file, "wb");
  CHECK(f != NULL && fwrite(bytes, 1, len, f) == len);
  fclose(f);
  codetable_db *db = NULL;
  codetable_engine *engine = NULL;
  OK(codetable_db_open((const uint8_t *)file, strlen(file), &db));
  OK(codetable_engine_new(db, &engine));
  CHECK(truncate(file, 0) == 0);
  const char *text = "import hashlib\n# caf\xc3\xa9\nhashlib.md5(b'x')\n";
  codetable_matches m = fresh(engine, text);
  CHECK(find_md5(&m) != NULL);
  OK(codetable_matches_free(&m));
  f = fopen(file, "wb");
  CHECK(f != NULL);
  for (uint64_t i = 0; i < len; i++) fputc(0, f);
  fclose(f);
  m = fresh(engine, text);
  CHECK(find_md5(&m) != NULL);
  OK(codetable_matches_free(&m));
  OK(codetable_db_verify(db));
  codetable_db *other = NULL;
  EXPECT(codetable_db_open((const uint8_t *)file, strlen(file), &other), CODETABLE_STATUS_NOT_A_DATABASE);
  CHECK(mkfifo(fifo, 0600) == 0);
  alarm(30);
  EXPECT(codetable_db_open((const uint8_t *)fifo, strlen(fifo), &other), CODETABLE_STATUS_IO);
  CHECK(strstr(last_message(), "not a regular file") != NULL);
  EXPECT(codetable_db_open((const uint8_t *)dir, strlen(dir), &other), CODETABLE_STATUS_IO);
  CHECK(strstr(last_message(), "not a regular file") != NULL);
  alarm(0);
  CHECK(other == NULL);
  OK(codetable_engine_free(engine));
  OK(codetable_db_free(db));
  unlink(fifo);
  unlink(file);
  rmdir(dir);
  free(bytes);
}

static void test_documents(void) {
  codetable_db *db = NULL;
  codetable_engine *engine = NULL, *other = NULL;
  codetable_document *doc = NULL, *bad = NULL;
  OK(codetable_db_default(&db));
  EXPECT(codetable_engine_new(NULL, &engine), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_engine_new(db, NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  OK(codetable_engine_new(db, &engine));
  OK(codetable_engine_new(db, &other));
  /* The engine keeps the database alive. */
  OK(codetable_db_free(db));
  codetable_engine *none = (codetable_engine *)&none;
  EXPECT(codetable_engine_new((codetable_db *)engine, &none), CODETABLE_STATUS_INVALID_HANDLE);
  CHECK(none == NULL);

  /* Creation errors. */
  EXPECT(codetable_document_new(S("cobol"), S("x"), &bad), CODETABLE_STATUS_UNKNOWN_LANGUAGE);
  CHECK(bad == NULL);
  EXPECT(codetable_document_new(S("python"), (const uint8_t *)"x = '\xff'", 8, &bad),
         CODETABLE_STATUS_INVALID_UTF8);
  EXPECT(codetable_document_new(S("python"), NULL, 4, &bad), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_document_new(NULL, 0, S("x"), &bad), CODETABLE_STATUS_UNKNOWN_LANGUAGE);
  EXPECT(codetable_document_new(S("python"), S("x"), NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  OK(codetable_document_new(S("rust"), NULL, 0, &bad)); /* an empty document is fine */
  char *empty = doc_text(bad);
  CHECK(empty[0] == 0);
  free(empty);
  OK(codetable_document_free(bad));

  OK(codetable_document_new(S("python"), S(SOURCE), &doc));
  char *text = doc_text(doc);
  CHECK(strcmp(text, SOURCE) == 0);
  free(text);
  EXPECT(codetable_document_text(doc, NULL, NULL), CODETABLE_STATUS_NULL_ARGUMENT);

  /* Before any analysis the document holds no matches. */
  codetable_matches held = {0};
  OK(codetable_document_matches(doc, &held));
  CHECK(held.len == 0 && held.items == NULL);

  /* Full analysis: the weak hash, its ranges in three units, its capture. */
  codetable_matches all = {0};
  EXPECT(codetable_engine_analyze(engine, doc, NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_engine_analyze(NULL, doc, &all), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_engine_analyze(engine, (codetable_document *)engine, &all),
         CODETABLE_STATUS_INVALID_HANDLE);
  OK(codetable_engine_analyze(engine, doc, &all));
  const codetable_match *md5 = find_md5(&all);
  CHECK(md5 != NULL);
  uint64_t md5_id = 0;
  if (md5) {
    md5_id = md5->id;
    check_range(&md5->range, SOURCE, "hashlib.new(\"md5\", data)");
    CHECK(md5->score == 1.0f);
    CHECK(md5->severity >= CODETABLE_SEVERITY_MEDIUM);
    CHECK(md5->captures_len >= 1);
    int found_name = 0;
    for (uint64_t i = 0; i < md5->captures_len; i++) {
      const codetable_capture *c = &md5->captures[i];
      if (eq(c->name, c->name_len, "$NAME")) {
        found_name = 1;
        CHECK(eq(c->text, c->text_len, "\"md5\""));
        check_range(&c->range, SOURCE, "\"md5\"");
      }
    }
    CHECK(found_name);
  }
  OK(codetable_document_matches(doc, &held));
  CHECK(same_matches(&held, &all));
  OK(codetable_matches_free(&held));

  /* Failed edits leave the document unchanged. The emoji on line 0 starts at UTF-16 offset 11. */
  const char *emoji = strstr(SOURCE, "😀");
  uint64_t emoji_byte = (uint64_t)(emoji - SOURCE), emoji_u16 = utf16_units(SOURCE, emoji_byte);
  EXPECT(codetable_document_edit_utf16(doc, emoji_u16 + 1, emoji_u16 + 1, S("x")),
         CODETABLE_STATUS_NOT_CHAR_BOUNDARY);
  EXPECT(codetable_document_edit(doc, emoji_byte + 1, emoji_byte + 2, S("x")),
         CODETABLE_STATUS_NOT_CHAR_BOUNDARY);
  EXPECT(codetable_document_edit(doc, 5, 4, S("x")), CODETABLE_STATUS_EDIT_OUT_OF_RANGE);
  EXPECT(codetable_document_edit(doc, 0, sizeof SOURCE + 10, S("x")), CODETABLE_STATUS_EDIT_OUT_OF_RANGE);
  EXPECT(codetable_document_edit(doc, UINT64_MAX, UINT64_MAX, S("x")), CODETABLE_STATUS_EDIT_OUT_OF_RANGE);
  EXPECT(codetable_document_edit_utf16(doc, 0, 100000, S("x")), CODETABLE_STATUS_EDIT_OUT_OF_RANGE);
  EXPECT(codetable_document_edit_utf16(doc, 3, 2, S("x")), CODETABLE_STATUS_EDIT_OUT_OF_RANGE);
  EXPECT(codetable_document_edit(doc, 0, 0, (const uint8_t *)"\xe6\x97", 2), CODETABLE_STATUS_INVALID_UTF8);
  EXPECT(codetable_document_edit(doc, 0, 0, NULL, 1), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_document_edit(NULL, 0, 0, S("x")), CODETABLE_STATUS_NULL_ARGUMENT);
  text = doc_text(doc);
  CHECK(strcmp(text, SOURCE) == 0);
  free(text);
  /* Nothing was edited: the delta is empty and the held matches are still current. */
  codetable_match_delta delta = {0};
  OK(codetable_engine_analyze_delta(engine, doc, &delta));
  CHECK(delta.added.len == 0 && delta.updated.len == 0 && delta.removed_len == 0);
  OK(codetable_match_delta_free(&delta));

  /* 1. An edit far from the match (an emoji inserted in the comment, by UTF-16 offset): nothing
   *    is added or removed; the kept match shifts by 4 bytes and 2 UTF-16 code units (its line
   *    and columns stay). */
  OK(codetable_document_edit_utf16(doc, emoji_u16, emoji_u16, S("🎉")));
  EXPECT(codetable_document_matches(doc, &held), CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(held.items == NULL);
  OK(codetable_engine_analyze_delta(engine, doc, &delta));
  CHECK(delta.removed_len == 0);
  CHECK(find_md5(&delta.added) == NULL);
  OK(codetable_match_delta_free(&delta));
  text = doc_text(doc);
  CHECK(strstr(text, "🎉😀") != NULL);
  OK(codetable_document_matches(doc, &held));
  md5 = find_md5(&held);
  CHECK(md5 != NULL && md5->id == md5_id);
  if (md5) check_range(&md5->range, text, "hashlib.new(\"md5\", data)");
  codetable_matches expected = fresh(engine, text);
  CHECK(same_matches(&held, &expected));
  OK(codetable_matches_free(&expected));
  OK(codetable_matches_free(&held));

  /* 2. Two edits, then one delta: md5 -> sha256 (by bytes), and a string of CJK added (by
   *    UTF-16) before it. The md5 match is removed. */
  const char *alg = strstr(text, "\"md5\"");
  uint64_t alg_byte = (uint64_t)(alg - text);
  OK(codetable_document_edit(doc, alg_byte + 1, alg_byte + 4, S("sha256")));
  free(text);
  text = doc_text(doc);
  const char *ret = strstr(text, "return");
  OK(codetable_document_edit_utf16(doc, utf16_units(text, (size_t)(ret - text)),
                                   utf16_units(text, (size_t)(ret - text)), S("t = \"漢字\"; ")));
  OK(codetable_engine_analyze_delta(engine, doc, &delta));
  CHECK(delta.removed_len == 1 && delta.removed[0] == md5_id);
  CHECK(find_md5(&delta.added) == NULL && find_md5(&delta.updated) == NULL);
  /* The removed match comes with its range carried into the current text (both edits moved
   * its end; the second its start too). */
  CHECK(delta.removed_matches.len == 1);
  if (delta.removed_matches.len == 1) {
    char *now = doc_text(doc);
    CHECK(delta.removed_matches.items[0].id == md5_id && delta.removed_matches.items[0].pattern == md5_pattern);
    check_range(&delta.removed_matches.items[0].range, now, "hashlib.new(\"sha256\", data)");
    free(now);
  }
  codetable_match_delta delta_copy = delta;
  OK(codetable_match_delta_free(&delta));
  CHECK(delta.removed == NULL && delta.removed_len == 0);
  OK(codetable_match_delta_free(&delta)); /* zeroed: a no-op */
  if (delta_copy.removed)
    EXPECT(codetable_match_delta_free(&delta_copy), CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_match_delta_free(NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  free(text);
  text = doc_text(doc);
  CHECK(strstr(text, "t = \"漢字\"; return hashlib.new(\"sha256\", data)") != NULL);
  OK(codetable_document_matches(doc, &held));
  CHECK(find_md5(&held) == NULL);
  expected = fresh(engine, text);
  CHECK(same_matches(&held, &expected));
  OK(codetable_matches_free(&expected));
  OK(codetable_matches_free(&held));

  /* 3. Back to md5: the match is added, with its ranges in the new text. */
  alg = strstr(text, "\"sha256\"");
  alg_byte = (uint64_t)(alg - text);
  OK(codetable_document_edit(doc, alg_byte + 1, alg_byte + 7, S("md5")));
  OK(codetable_engine_analyze_delta(engine, doc, &delta));
  free(text);
  text = doc_text(doc);
  md5 = find_md5(&delta.added);
  /* The one removed match is sha256's (the catalog's strong-hash safe variant). */
  CHECK(md5 != NULL && delta.removed_len == 1 && delta.removed[0] != md5_id);
  CHECK(delta.removed_matches.len == 1 && delta.removed_matches.items[0].id == delta.removed[0]);
  if (md5) check_range(&md5->range, text, "hashlib.new(\"md5\", data)");
  OK(codetable_match_delta_free(&delta));
  OK(codetable_document_matches(doc, &held));
  expected = fresh(engine, text);
  CHECK(same_matches(&held, &expected));
  OK(codetable_matches_free(&expected));
  OK(codetable_matches_free(&held));

  /* 3b. Edits inside the match (its argument renamed, then the algorithm's name upper-cased):
   *     same id, reported as updated each time, since its code changed (the second time its
   *     capture too). */
  uint64_t md5_id_now = md5_id;
  OK(codetable_document_matches(doc, &held));
  if (find_md5(&held)) md5_id_now = find_md5(&held)->id;
  OK(codetable_matches_free(&held));
  const char *arg = strstr(text, "\"md5\", data)");
  uint64_t arg_byte = (uint64_t)(arg - text) + 7;
  OK(codetable_document_edit(doc, arg_byte, arg_byte + 4, S("blob")));
  OK(codetable_engine_analyze_delta(engine, doc, &delta));
  /* An edit inside the match's code changes its snippet: updated, same id (core e7b5580). */
  CHECK(delta.added.len == 0 && delta.updated.len == 1 && delta.removed_len == 0);
  CHECK(find_md5(&delta.updated) != NULL && find_md5(&delta.updated)->id == md5_id_now);
  OK(codetable_match_delta_free(&delta));
  OK(codetable_document_edit(doc, arg_byte - 6, arg_byte - 3, S("MD5")));
  OK(codetable_engine_analyze_delta(engine, doc, &delta));
  free(text);
  text = doc_text(doc);
  md5 = find_md5(&delta.updated);
  CHECK(md5 != NULL && md5->id == md5_id_now);
  CHECK(delta.removed_len == 0 && find_md5(&delta.added) == NULL);
  if (md5) check_range(&md5->range, text, "hashlib.new(\"MD5\", blob)");
  OK(codetable_match_delta_free(&delta));
  OK(codetable_document_matches(doc, &held));
  expected = fresh(engine, text);
  CHECK(same_matches(&held, &expected));
  OK(codetable_matches_free(&expected));
  OK(codetable_matches_free(&held));

  /* 3c. Appending at the very end, by UTF-16 offset (the text's UTF-16 length). */
  uint64_t end_u16 = utf16_units(text, strlen(text));
  OK(codetable_document_edit_utf16(doc, end_u16, end_u16, S("# 終わり 🎌\n")));
  /* "# 終わり 🎌\n" is 9 UTF-16 units (17 bytes): the new end is end_u16 + 9. */
  EXPECT(codetable_document_edit_utf16(doc, end_u16 + 10, end_u16 + 10, S("x")),
         CODETABLE_STATUS_EDIT_OUT_OF_RANGE);
  OK(codetable_document_edit_utf16(doc, end_u16 + 9, end_u16 + 9, S("")));
  OK(codetable_engine_analyze_delta(engine, doc, &delta));
  CHECK(delta.removed_len == 0 && find_md5(&delta.added) == NULL);
  OK(codetable_match_delta_free(&delta));
  free(text);
  text = doc_text(doc);
  const char *tail = "# 終わり 🎌\n";
  CHECK(strlen(text) >= strlen(tail) && strcmp(text + strlen(text) - strlen(tail), tail) == 0);

  /* 4. Another engine: everything is reported again (all added, the old ones removed). */
  OK(codetable_engine_analyze_delta(other, doc, &delta));
  CHECK(find_md5(&delta.added) != NULL && delta.removed_len >= 1 && delta.updated.len == 0);
  CHECK(delta.removed_matches.len == delta.removed_len);
  for (uint64_t i = 0; i < delta.removed_len && i < delta.removed_matches.len; i++)
    CHECK(delta.removed_matches.items[i].id == delta.removed[i]);
  codetable_match_delta delta_again = delta;
  OK(codetable_match_delta_free(&delta));
  CHECK(delta.removed_matches.items == NULL && delta.removed_matches.len == 0);
  EXPECT(codetable_match_delta_free(&delta_again), CODETABLE_STATUS_INVALID_HANDLE);

  /* Findings as JSON Lines of core's records: only from the engine of the last analysis. */
  codetable_string lines = {0};
  OK(codetable_document_findings_json(other, doc, S("./src/key.py"), &lines));
  CHECK(lines.len > 0 && lines.ptr[lines.len - 1] == '\n');
  CHECK(has(lines.ptr, lines.len, "\"path\":\"src/key.py\""));
  CHECK(has(lines.ptr, lines.len, "\"pattern\":\"security.weak-hash.md5\""));
  OK(codetable_string_free(&lines));
  OK(codetable_document_findings_json(other, doc, NULL, 0, &lines));
  CHECK(has(lines.ptr, lines.len, "\"path\":null"));
  OK(codetable_string_free(&lines));
  EXPECT(codetable_document_findings_json(engine, doc, S("a.py"), &lines), CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(strstr(last_message(), "another engine") != NULL);
  CHECK(lines.ptr == NULL && lines.len == 0);
  EXPECT(codetable_document_findings_json(other, doc, (const uint8_t *)"\xc3", 1, &lines), CODETABLE_STATUS_INVALID_UTF8);
  EXPECT(codetable_document_findings_json(other, doc, NULL, 3, &lines), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_document_findings_json(other, doc, NULL, 0, NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_document_findings_json(other, (codetable_document *)other, NULL, 0, &lines),
         CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_document_findings_json((codetable_engine *)doc, doc, NULL, 0, &lines),
         CODETABLE_STATUS_INVALID_HANDLE);
  OK(codetable_document_edit(doc, 0, 0, S("# ")));
  EXPECT(codetable_document_findings_json(other, doc, NULL, 0, &lines), CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(strstr(last_message(), "analyze_delta") != NULL);
  OK(codetable_engine_analyze_delta(other, doc, &delta));
  OK(codetable_match_delta_free(&delta));
  OK(codetable_document_edit(doc, 0, 2, NULL, 0));
  OK(codetable_engine_analyze_delta(other, doc, &delta));
  OK(codetable_match_delta_free(&delta));
  EXPECT(codetable_engine_analyze_delta(engine, doc, NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_engine_analyze_delta((codetable_engine *)doc, doc, &delta),
         CODETABLE_STATUS_INVALID_HANDLE);
  CHECK(delta.added.items == NULL && delta.removed == NULL);

  /* Results outlive every handle that produced them. */
  OK(codetable_engine_analyze(engine, doc, &held));
  OK(codetable_engine_free(engine));
  OK(codetable_engine_free(other));
  OK(codetable_document_free(doc));
  md5 = find_md5(&held);
  CHECK(md5 != NULL);
  if (md5) check_range(&md5->range, text, "hashlib.new(\"MD5\", blob)");
  OK(codetable_matches_free(&held));
  free(text);

  /* Stale handles: double free and use after free are errors, never crashes. */
  EXPECT(codetable_engine_free(engine), CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_document_free(doc), CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_document_edit(doc, 0, 0, S("x")), CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_document_edit_utf16(doc, 0, 0, S("x")), CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_document_matches(doc, &held), CODETABLE_STATUS_INVALID_HANDLE);
  const uint8_t *p;
  uint64_t len;
  EXPECT(codetable_document_text(doc, &p, &len), CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_engine_analyze(engine, doc, &held), CODETABLE_STATUS_INVALID_HANDLE);
  OK(codetable_engine_free(NULL));
  OK(codetable_document_free(NULL));
  /* A match array freed twice through a copy; an array this library never made. */
  codetable_matches stale = all;
  OK(codetable_matches_free(&all));
  if (stale.items) EXPECT(codetable_matches_free(&stale), CODETABLE_STATUS_INVALID_HANDLE);
  codetable_match fake[1];
  codetable_matches foreign = {fake, 1};
  EXPECT(codetable_matches_free(&foreign), CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_matches_free(NULL), CODETABLE_STATUS_NULL_ARGUMENT);
}

/* --- The cross-host golden edit scripts (tests/golden/sessions.json) --------------------- */

/* Where a comparison happens, for messages. */
struct place {
  const char *script, *unit, *list;
  size_t step;
};

/* Counts one check of field `what` of match `i`, reporting where it failed. */
static void expect_field(int ok, const struct place *at, uint64_t i, const char *what) {
  checks++;
  if (ok) return;
  failures++;
  fprintf(stderr, "golden %s (%s edits) step %zu, %s[%llu]: %s differs\n", at->script, at->unit,
          at->step, at->list, (unsigned long long)i, what);
}

/* A pair [start, end] of a golden match equals the two values. */
static int pair_is(const json *pair, uint64_t start, uint64_t end) {
  return pair && pair->kind == JSON_ARRAY && pair->length == 2 && pair->items[0].integer == (int64_t)start &&
         pair->items[1].integer == (int64_t)end;
}

/* The matches the library gave equal the golden list exactly: ids, pattern ids, byte and UTF-16
 * ranges, start line and UTF-16 column (code points are not a C unit). */
static void compare_matches(codetable_db *db, const codetable_matches *got, const json *want,
                            const struct place *at) {
  CHECK(want != NULL && want->kind == JSON_ARRAY);
  if (!want) return;
  if (got->len != want->length) {
    fprintf(stderr, "golden %s (%s edits) step %zu: %s has %llu matches, expected %zu\n", at->script,
            at->unit, at->step, at->list, (unsigned long long)got->len, want->length);
    CHECK(got->len == want->length);
    return;
  }
  for (uint64_t i = 0; i < got->len; i++) {
    const codetable_match *m = &got->items[i];
    const json *w = &want->items[i];
    char id[17];
    snprintf(id, sizeof id, "%016llx", (unsigned long long)m->id);
    codetable_pattern_info info;
    OK(codetable_db_pattern_info(db, m->pattern, &info));
    const json *line = json_get(w, "line"), *column = json_get(w, "utf16_column");
    expect_field(strcmp(id, json_str(w, "id")) == 0, at, i, "id");
    expect_field(eq(info.id, info.id_len, json_str(w, "pattern")), at, i, "pattern");
    expect_field(pair_is(json_get(w, "bytes"), m->range.start_byte, m->range.end_byte), at, i, "byte range");
    expect_field(pair_is(json_get(w, "utf16"), m->range.start_utf16, m->range.end_utf16), at, i, "UTF-16 range");
    expect_field(line && line->integer == (int64_t)m->range.start_line, at, i, "line");
    expect_field(column && column->integer == (int64_t)m->range.start_column_utf16, at, i, "UTF-16 column");
  }
}

/* Replays one script; `utf16` picks the edit function and the offsets it is given. */
static void replay(codetable_db *db, codetable_engine *engine, const json *script, int utf16) {
  struct place at = {json_str(script, "name"), utf16 ? "UTF-16" : "byte", NULL, 0};
  const char *language = json_str(script, "language");
  const json *text = json_get(script, "text"), *steps = json_get(script, "steps");
  CHECK(text && text->kind == JSON_STRING && steps && steps->kind == JSON_ARRAY && steps->length > 0);
  if (!text || !steps) return;
  codetable_document *doc = NULL;
  OK(codetable_document_new((const uint8_t *)language, strlen(language), (const uint8_t *)text->string,
                            text->length, &doc));
  for (size_t i = 0; i < steps->length; i++) {
    const json *step = &steps->items[i];
    const char *op = json_str(step, "op");
    at.step = i;
    if (strcmp(op, "analyze") == 0) {
      codetable_matches all = {0};
      OK(codetable_engine_analyze(engine, doc, &all));
      at.list = "matches";
      compare_matches(db, &all, json_get(step, "matches"), &at);
      OK(codetable_matches_free(&all));
    } else if (strcmp(op, "edit") == 0) {
      const json *range = json_get(step, utf16 ? "utf16" : "bytes"), *with = json_get(step, "text");
      CHECK(range && range->kind == JSON_ARRAY && range->length == 2 && with && with->kind == JSON_STRING);
      if (!range || range->length != 2 || !with) break;
      uint64_t start = (uint64_t)range->items[0].integer, end = (uint64_t)range->items[1].integer;
      const uint8_t *s = (const uint8_t *)with->string;
      if (utf16)
        OK(codetable_document_edit_utf16(doc, start, end, s, with->length));
      else
        OK(codetable_document_edit(doc, start, end, s, with->length));
    } else if (strcmp(op, "analyze_delta") == 0) {
      codetable_match_delta delta = {0};
      OK(codetable_engine_analyze_delta(engine, doc, &delta));
      at.list = "added";
      compare_matches(db, &delta.added, json_get(step, "added"), &at);
      at.list = "updated";
      compare_matches(db, &delta.updated, json_get(step, "updated"), &at);
      at.list = "removed";
      compare_matches(db, &delta.removed_matches, json_get(step, "removed"), &at);
      CHECK(delta.removed_len == delta.removed_matches.len);
      for (uint64_t r = 0; r < delta.removed_len && r < delta.removed_matches.len; r++)
        CHECK(delta.removed[r] == delta.removed_matches.items[r].id);
      OK(codetable_match_delta_free(&delta));
      codetable_matches held = {0};
      OK(codetable_document_matches(doc, &held));
      at.list = "matches";
      compare_matches(db, &held, json_get(step, "matches"), &at);
      OK(codetable_matches_free(&held));
      const uint8_t *now = NULL;
      uint64_t now_len = 0;
      const json *expected = json_get(step, "text");
      OK(codetable_document_text(doc, &now, &now_len));
      CHECK(expected && expected->kind == JSON_STRING && now_len == expected->length &&
            (now_len == 0 || memcmp(now, expected->string, now_len) == 0));
    } else {
      fprintf(stderr, "golden %s: unknown op `%s`\n", at.script, op);
      CHECK(0);
    }
  }
  OK(codetable_document_free(doc));
}

static void test_golden_sessions(void) {
  json golden = {0};
  if (!read_json("tests/golden/sessions.json", &golden)) return;
  const json *version = json_get(&golden, "version"), *scripts = json_get(&golden, "scripts");
  CHECK(version && version->integer == 1);
  CHECK(scripts && scripts->kind == JSON_ARRAY && scripts->length >= 5);
  codetable_db *db = NULL;
  codetable_engine *engine = NULL;
  OK(codetable_db_default(&db));
  OK(codetable_engine_new(db, &engine));
  int before = failures;
  size_t steps = 0;
  for (size_t i = 0; scripts && i < scripts->length; i++) {
    replay(db, engine, &scripts->items[i], 0);
    replay(db, engine, &scripts->items[i], 1);
    steps += json_get(&scripts->items[i], "steps")->length;
  }
  if (failures == before)
    printf("golden sessions: %zu scripts (%zu steps) replayed with byte and with UTF-16 edits\n",
           scripts ? scripts->length : 0, steps);
  OK(codetable_engine_free(engine));
  OK(codetable_db_free(db));
  json_free(&golden);
}

/* --- The cross-host scan (tests/golden/scan.jsonl) ---------------------------------------- */

/* Every distinct path of scan.jsonl, read, detected, analysed and serialised by this library:
 * the concatenated JSON Lines must be the file, byte for byte. Each record also has every key
 * the finding schema requires. */
static void test_scan_cross_host(void) {
  uint64_t golden_len = 0;
  uint8_t *golden = read_file("tests/golden/scan.jsonl", &golden_len);
  if (!golden) fprintf(stderr, "cannot read tests/golden/scan.jsonl\n");
  CHECK(golden != NULL && golden_len > 0);
  if (!golden) return;
  json schema = {0};
  read_json("core/schema/finding.schema.json", &schema);
  codetable_db *db = NULL;
  codetable_engine *engine = NULL;
  OK(codetable_db_default(&db));
  OK(codetable_engine_new(db, &engine));

  char *ours = malloc(1);
  size_t ours_len = 0, paths = 0, records = 0;
  char last_path[4096] = "";
  const uint8_t *line = golden, *end = golden + golden_len;
  while (line < end) {
    const uint8_t *nl = memchr(line, '\n', (size_t)(end - line));
    size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
    json record = {0};
    if (parse_json(line, n, &record, "scan.jsonl line")) {
      records++;
      check_schema_keys(&record, &schema, "finding record");
      const char *path = json_str(&record, "path");
      CHECK(path[0] != 0 && strlen(path) < sizeof last_path);
      if (path[0] && strlen(path) < sizeof last_path && strcmp(path, last_path) != 0) {
        /* A new file (the lines are sorted by path): scan it the way the CLI does. */
        snprintf(last_path, sizeof last_path, "%s", path);
        paths++;
        uint64_t len = 0;
        uint8_t *text = read_file(path, &len);
        if (!text) fprintf(stderr, "cannot read %s\n", path);
        CHECK(text != NULL);
        const uint8_t *language = NULL;
        uint64_t language_len = 0;
        codetable_document *doc = NULL;
        codetable_matches found = {0};
        codetable_string lines = {0};
        if (text) {
          OK(codetable_language_detect((const uint8_t *)path, strlen(path), text, len, &language, &language_len));
          OK(codetable_document_new(language, language_len, text, len, &doc));
          /* No time limit: under valgrind on a loaded machine an analysis can take more than
             the default 5 s, and this test is about the JSON, not the budget. */
          OK(codetable_document_set_budget(doc, 0, 0));
          OK(codetable_engine_analyze(engine, doc, &found));
          OK(codetable_document_findings_json(engine, doc, (const uint8_t *)path, strlen(path), &lines));
          CHECK(lines.len > 0);
          ours = realloc(ours, ours_len + lines.len + 1);
          if (lines.len) memcpy(ours + ours_len, lines.ptr, lines.len);
          ours_len += lines.len;
          OK(codetable_string_free(&lines));
          OK(codetable_matches_free(&found));
          OK(codetable_document_free(doc));
          free(text);
        }
      }
    }
    json_free(&record);
    line += n + 1;
  }
  CHECK(paths >= 3 && records > paths);
  int same = ours_len == golden_len && memcmp(ours, golden, ours_len) == 0;
  if (!same) {
    size_t i = 0;
    while (i < ours_len && i < golden_len && ours[i] == (char)golden[i]) i++;
    fprintf(stderr, "scan.jsonl: this library's JSON differs from byte %zu (ours %zu bytes, golden %llu)\n",
            i, ours_len, (unsigned long long)golden_len);
  }
  CHECK(same);
  if (same) printf("cross-host scan: %zu files, %zu findings, byte-identical to tests/golden/scan.jsonl\n", paths, records);
  free(ours);
  json_free(&schema);
  free(golden);
  OK(codetable_engine_free(engine));
  OK(codetable_db_free(db));
}

/* Selection, code context and inline suppressions (issue #16): a new engine reports every raw
 * match; codetable_engine_select sets what is reported; the document's path decides the context. */
static void test_selection_and_context(void) {
  static const char SRC[] =
      "import hashlib\n# \xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\n"
      "h = hashlib.md5(b'')\n"
      "d = hashlib.md5(b'x')  # codetable: ignore[Md] -- checksum, na\xc3\xafve\n"
      "s = hashlib.sha256(b'')\n";
  codetable_db *db = NULL;
  codetable_engine *engine = NULL;
  codetable_document *doc = NULL;
  codetable_matches m = {0};
  codetable_string lines = {0};
  OK(codetable_db_default(&db));
  OK(codetable_engine_new(db, &engine));
  OK(codetable_document_new(S("python"), S(SRC), &doc));
  OK(codetable_engine_analyze(engine, doc, &m));
  CHECK(m.len == 3); /* raw: two MD5, one SHA-256 */
  OK(codetable_matches_free(&m));
  EXPECT(codetable_engine_select(engine, S("Mdd"), NULL, 0), CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(strstr(last_message(), "did you mean `Md`") != NULL);
  EXPECT(codetable_engine_select(engine, NULL, 3, NULL, 0), CODETABLE_STATUS_NULL_ARGUMENT);
  /* Default level: the info pattern (SHA-256) is off, the suppressed MD5 is hidden. */
  OK(codetable_engine_select(engine, NULL, 0, NULL, 0));
  OK(codetable_engine_analyze(engine, doc, &m));
  CHECK(m.len == 1 && find_md5(&m) != NULL);
  OK(codetable_matches_free(&m));
  OK(codetable_document_findings_json(engine, doc, NULL, 0, &lines));
  CHECK(has(lines.ptr, lines.len, "\"context\":\"production\"") && has(lines.ptr, lines.len, "\"severity\":\"high\""));
  OK(codetable_string_free(&lines));
  /* In a test file the hazard is one level lower; selectors by group and level, minus one id. */
  OK(codetable_document_set_path(doc, S("tests/test_h\xc3\xa9.py")));
  OK(codetable_engine_select(engine, S("security, info"), S("security.strong-hash.sha256")));
  OK(codetable_engine_analyze(engine, doc, &m));
  CHECK(m.len == 1);
  OK(codetable_matches_free(&m));
  OK(codetable_document_findings_json(engine, doc, NULL, 0, &lines));
  CHECK(has(lines.ptr, lines.len, "\"context\":\"test\"") && has(lines.ptr, lines.len, "\"severity\":\"medium\""));
  CHECK(has(lines.ptr, lines.len, "\"path\":\"tests/test_h\xc3\xa9.py\""));
  OK(codetable_string_free(&lines));
  EXPECT(codetable_document_set_path(doc, NULL, 2), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_document_set_path((codetable_document *)engine, S("x")), CODETABLE_STATUS_INVALID_HANDLE);
  /* A project's per-path context wins over the path: a test path set to production is graded as
     production again; an unknown name is refused and changes nothing; empty clears it. */
  const uint8_t *ctx = NULL;
  uint64_t ctx_len = 99;
  OK(codetable_document_context(doc, &ctx, &ctx_len));
  CHECK(ctx == NULL && ctx_len == 0);
  OK(codetable_document_set_context(doc, S("production")));
  OK(codetable_document_context(doc, &ctx, &ctx_len));
  CHECK(ctx_len == 10 && memcmp(ctx, "production", 10) == 0 && ctx[10] == 0);
  OK(codetable_engine_analyze(engine, doc, &m));
  OK(codetable_matches_free(&m));
  OK(codetable_document_findings_json(engine, doc, NULL, 0, &lines));
  CHECK(has(lines.ptr, lines.len, "\"context\":\"production\"") && has(lines.ptr, lines.len, "\"severity\":\"high\""));
  OK(codetable_string_free(&lines));
  EXPECT(codetable_document_set_context(doc, S("tests")), CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(strstr(last_message(), "did you mean `test`?") != NULL);
  OK(codetable_document_context(doc, &ctx, &ctx_len));
  CHECK(ctx_len == 10);
  OK(codetable_document_set_context(doc, NULL, 0));
  OK(codetable_document_context(doc, &ctx, &ctx_len));
  CHECK(ctx == NULL && ctx_len == 0);
  OK(codetable_engine_analyze(engine, doc, &m));
  OK(codetable_matches_free(&m));
  OK(codetable_document_findings_json(engine, doc, NULL, 0, &lines));
  CHECK(has(lines.ptr, lines.len, "\"context\":\"test\"") && has(lines.ptr, lines.len, "\"severity\":\"medium\""));
  OK(codetable_string_free(&lines));
  EXPECT(codetable_document_set_context(doc, NULL, 2), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_document_context(doc, NULL, &ctx_len), CODETABLE_STATUS_NULL_ARGUMENT);
  OK(codetable_document_free(doc));
  OK(codetable_engine_free(engine));
  OK(codetable_db_free(db));
}

/* Database and engine are shared by threads; each thread has its own documents and errors. */
struct job {
  codetable_engine *engine;
  int ok;
};

static void *worker(void *arg) {
  struct job *job = arg;
  codetable_document *doc = NULL;
  codetable_matches m = {0};
  job->ok = codetable_document_new(S("python"), S(SOURCE), &doc) == CODETABLE_STATUS_OK &&
            codetable_engine_analyze(job->engine, doc, &m) == CODETABLE_STATUS_OK &&
            find_md5(&m) != NULL && codetable_matches_free(&m) == CODETABLE_STATUS_OK &&
            codetable_document_free(doc) == CODETABLE_STATUS_OK &&
            codetable_document_free(doc) == CODETABLE_STATUS_INVALID_HANDLE &&
            codetable_last_error_code() == CODETABLE_STATUS_INVALID_HANDLE;
  return NULL;
}

static void test_threads(void) {
  codetable_db *db = NULL;
  codetable_engine *engine = NULL;
  OK(codetable_db_default(&db));
  OK(codetable_engine_new(db, &engine));
  struct job jobs[2] = {{engine, 0}, {engine, 0}};
  pthread_t threads[2];
  for (int i = 0; i < 2; i++) CHECK(pthread_create(&threads[i], NULL, worker, &jobs[i]) == 0);
  for (int i = 0; i < 2; i++) CHECK(pthread_join(threads[i], NULL) == 0);
  CHECK(jobs[0].ok && jobs[1].ok);
  /* The workers' errors stayed in their threads. */
  CHECK(codetable_last_error_code() == CODETABLE_STATUS_OK);
  OK(codetable_engine_free(engine));
  OK(codetable_db_free(db));
}

/*
 * A panic inside an analysis (the library's test panic: CODETABLE_FFI_TEST_PANIC set and the
 * marker in the text, so the analysis panics under the document's lock after core updated the
 * session): CODETABLE_STATUS_PANIC, the message (with its source place) as last error, nothing
 * written to stderr, nothing leaked (valgrind), and the document usable afterwards, finding what
 * a fresh document finds.
 */
#define PANIC_MARKER "# codetable-ffi-test-panic\n"

/* Calls `call` with fd 2 redirected to a temporary file; returns how many bytes it wrote. */
#define STDERR_BYTES(call, status_out, written_out)                                   \
  do {                                                                                \
    fflush(stderr);                                                                   \
    FILE *cap_ = tmpfile();                                                           \
    int saved_ = dup(2);                                                              \
    CHECK(cap_ != NULL && saved_ >= 0 && dup2(fileno(cap_), 2) == 2);                 \
    (status_out) = (call);                                                            \
    fflush(stderr);                                                                   \
    CHECK(dup2(saved_, 2) == 2);                                                      \
    close(saved_);                                                                    \
    fseek(cap_, 0, SEEK_END);                                                         \
    (written_out) = ftell(cap_);                                                      \
    fclose(cap_);                                                                     \
  } while (0)

static void findings(codetable_engine *engine, codetable_document *doc, codetable_string *out) {
  OK(codetable_document_findings_json(engine, doc, S("a.py"), out));
}

static void test_panic_recovery(void) {
  codetable_db *db = NULL;
  codetable_engine *engine = NULL;
  codetable_document *doc = NULL, *clean = NULL;
  OK(codetable_db_default(&db));
  OK(codetable_engine_new(db, &engine));
  const uint64_t n = sizeof SOURCE - 1, marker = sizeof PANIC_MARKER - 1;
  char marked[sizeof SOURCE + sizeof PANIC_MARKER];
  memcpy(marked, SOURCE, n);
  memcpy(marked + n, PANIC_MARKER, marker);
  OK(codetable_document_new(S("python"), (const uint8_t *)marked, n + marker, &doc));
  OK(codetable_document_new(S("python"), S(SOURCE), &clean));
  codetable_matches want = {0}, got = {0};
  codetable_string want_json = {0}, got_json = {0};
  OK(codetable_engine_analyze(engine, clean, &want));
  CHECK(find_md5(&want) != NULL);
  findings(engine, clean, &want_json);

  /* 1. A whole analysis panics. */
  codetable_status st = CODETABLE_STATUS_OK;
  long written = -1;
  STDERR_BYTES(codetable_engine_analyze(engine, doc, &got), st, written);
  CHECK(st == CODETABLE_STATUS_PANIC);
  CHECK(codetable_last_error_code() == CODETABLE_STATUS_PANIC);
  CHECK(written == 0);
  CHECK(strncmp(last_message(), "internal panic in codetable: ", 29) == 0);
  CHECK(strstr(last_message(), "codetable-ffi-test-panic") != NULL);
  CHECK(strstr(last_message(), "(at ffi/src/analysis.rs:") != NULL);
  CHECK(got.items == NULL && got.len == 0);
  /* Usable again: the matches were forgotten (as before a first analysis)… */
  OK(codetable_document_matches(doc, &got));
  CHECK(got.len == 0);
  /* …edits and text work… */
  OK(codetable_document_edit(doc, n, n + marker, NULL, 0));
  char *text = doc_text(doc);
  CHECK(strcmp(text, SOURCE) == 0);
  free(text);
  /* …and the delta reports everything as added, as for a fresh document. */
  codetable_match_delta d = {0};
  OK(codetable_engine_analyze_delta(engine, doc, &d));
  CHECK(same_matches(&d.added, &want));
  CHECK(d.updated.len == 0 && d.removed_len == 0 && d.removed_matches.len == 0);
  OK(codetable_match_delta_free(&d));
  findings(engine, doc, &got_json);
  CHECK(got_json.len == want_json.len && memcmp(got_json.ptr, want_json.ptr, got_json.len) == 0);
  OK(codetable_string_free(&got_json));

  /* 2. An incremental analysis panics (UTF-16 edit back in): the same, then a whole analysis. */
  uint64_t n16 = utf16_units(SOURCE, n);
  OK(codetable_document_edit_utf16(doc, n16, n16, S(PANIC_MARKER)));
  STDERR_BYTES(codetable_engine_analyze_delta(engine, doc, &d), st, written);
  CHECK(st == CODETABLE_STATUS_PANIC && written == 0);
  CHECK(strstr(last_message(), "codetable-ffi-test-panic") != NULL);
  CHECK(d.added.items == NULL && d.removed == NULL);
  OK(codetable_document_edit_utf16(doc, n16, n16 + marker, NULL, 0));
  OK(codetable_engine_analyze(engine, doc, &got));
  CHECK(same_matches(&got, &want));
  OK(codetable_matches_free(&got));
  findings(engine, doc, &got_json);
  CHECK(got_json.len == want_json.len && memcmp(got_json.ptr, want_json.ptr, got_json.len) == 0);
  OK(codetable_string_free(&got_json));

  OK(codetable_string_free(&want_json));
  OK(codetable_matches_free(&want));
  OK(codetable_document_free(doc));
  OK(codetable_document_free(clean));
  OK(codetable_engine_free(engine));
  OK(codetable_db_free(db));
}

/* A per-document budget: a step past it fails with OVER_BUDGET, keeps nothing, and a looser budget
   lets the same document through. */
static void test_budget(void) {
  codetable_db *db = NULL;
  codetable_engine *engine = NULL;
  codetable_document *doc = NULL;
  OK(codetable_db_default(&db));
  OK(codetable_engine_new(db, &engine));
  OK(codetable_db_free(db));
  const char *src = "import hashlib\n\nclass Café:\n    def h(self, x):\n        return hashlib.md5(x)\n";
  OK(codetable_document_new(S("python"), (const uint8_t *)src, strlen(src), &doc));
  EXPECT(codetable_document_set_budget(NULL, 0, 10), CODETABLE_STATUS_NULL_ARGUMENT);
  OK(codetable_document_set_budget(doc, 0, 3));
  codetable_matches all = {0};
  EXPECT(codetable_engine_analyze(engine, doc, &all), CODETABLE_STATUS_OVER_BUDGET);
  CHECK(all.len == 0 && all.items == NULL);
  CHECK(strstr(last_message(), "budget of 3 syntax nodes") != NULL);
  /* An edit past the budget leaves the text as it was. */
  EXPECT(codetable_document_edit(doc, 0, 0, S("import os\n")), CODETABLE_STATUS_OVER_BUDGET);
  char *text = doc_text(doc);
  CHECK(strcmp(text, src) == 0);
  free(text);
  /* No limit (0, 0): the analysis goes through and finds the weak hash. */
  OK(codetable_document_set_budget(doc, 0, 0));
  OK(codetable_engine_analyze(engine, doc, &all));
  CHECK(find_md5(&all) != NULL);
  OK(codetable_matches_free(&all));
  /* Memory, estimated from tokens before the parse: 20 tokens (200 bytes each) are too
     many for 2000 bytes; the edit changes nothing, and 0 lifts the limit. */
  EXPECT(codetable_document_set_memory_budget(NULL, 10), CODETABLE_STATUS_NULL_ARGUMENT);
  OK(codetable_document_set_memory_budget(doc, 2000));
  EXPECT(codetable_document_edit(doc, 0, 0, S("é(1,2,3,4,5,6,7,8,9)\n")), CODETABLE_STATUS_OVER_BUDGET);
  CHECK(strstr(last_message(), "memory budget of 2000 bytes") != NULL);
  text = doc_text(doc);
  CHECK(strcmp(text, src) == 0);
  free(text);
  OK(codetable_document_set_memory_budget(doc, 0));
  OK(codetable_document_edit(doc, 0, 0, S("é(1,2,3,4,5,6,7,8,9)\n")));
  OK(codetable_document_free(doc));
  OK(codetable_engine_free(engine));
}

/* Search that finds: words, any case, typos, CWE numbers; best first. */
static void test_search(void) {
  codetable_db *db = NULL;
  codetable_u32s found = {0};
  codetable_pattern_info info;
  OK(codetable_db_default(&db));
  OK(codetable_db_search(db, S("injection"), &found));
  CHECK(found.len >= 3);
  OK(codetable_u32s_free(&found));
  OK(codetable_db_search(db, S("INJCETION"), &found)); /* a typo, in capitals */
  CHECK(found.len >= 3);
  OK(codetable_u32s_free(&found));
  OK(codetable_db_search(db, S("md5"), &found));
  CHECK(found.len >= 1);
  if (found.len) {
    OK(codetable_db_pattern_info(db, found.items[0], &info));
    CHECK(info.id_len == 22 && memcmp(info.id, "security.weak-hash.md5", 22) == 0);
  }
  OK(codetable_u32s_free(&found));
  OK(codetable_db_search(db, S("CWE-89"), &found));
  CHECK(found.len >= 1);
  for (uint64_t i = 0; i < found.len; i++) {
    codetable_string json = {0};
    OK(codetable_db_pattern_json(db, found.items[i], &json));
    CHECK(json.ptr != NULL && memmem(json.ptr, json.len, "89", 2) != NULL);
    OK(codetable_string_free(&json));
  }
  OK(codetable_u32s_free(&found));
  OK(codetable_db_free(db));
}

/* A team's rules (compiled by `codetable db build --user`) stacked over the built-in catalog. */
static void test_layered(const char *rules_path) {
  codetable_db *base = NULL, *rules = NULL, *stack = NULL, *again = NULL;
  codetable_engine *engine = NULL;
  OK(codetable_db_default(&base));
  OK(codetable_db_open((const uint8_t *)rules_path, strlen(rules_path), &rules));
  uint64_t nb = 0, nr = 0, ns = 0;
  OK(codetable_db_pattern_count(base, &nb));
  OK(codetable_db_pattern_count(rules, &nr));
  const codetable_db *layers[2] = {base, rules};
  OK(codetable_db_layered(layers, 2, &stack));
  OK(codetable_db_pattern_count(stack, &ns));
  CHECK(ns == nb + nr && nr == 2);
  uint32_t n = 0, md5 = 0;
  OK(codetable_db_find(stack, S("house.debug.print-call"), &n));
  CHECK(n >= nb);
  OK(codetable_db_find(stack, S("security.weak-hash.md5"), &md5));
  /* The same rules twice: their ids collide (also when one comes inside a stack). Errors
   * leave NULL. */
  const codetable_db *twice[3] = {base, rules, rules};
  EXPECT(codetable_db_layered(twice, 3, &again), CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(again == NULL && strstr(last_message(), "house.debug") != NULL);
  const codetable_db *nested[2] = {stack, rules};
  EXPECT(codetable_db_layered(nested, 2, &again), CODETABLE_STATUS_INVALID_ARGUMENT);
  EXPECT(codetable_db_layered(layers, 0, &again), CODETABLE_STATUS_INVALID_ARGUMENT);
  EXPECT(codetable_db_layered(NULL, 2, &again), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_db_layered(layers, 2, NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  /* The handles stay the caller's: free them before using the stack. */
  OK(codetable_db_free(base));
  OK(codetable_db_free(rules));
  OK(codetable_engine_new(stack, &engine));
  const char *text = "import hashlib\n# \xc2\xab d\xc3\xa9" "bogage \xc2\xbb\nprint(hashlib.md5(b'x'))\n";
  codetable_document *doc = NULL;
  codetable_matches m = {0};
  OK(codetable_document_new(S("python"), (const uint8_t *)text, strlen(text), &doc));
  OK(codetable_engine_analyze(engine, doc, &m));
  int saw_rule = 0, saw_md5 = 0;
  for (uint64_t i = 0; i < m.len; i++) {
    saw_rule |= m.items[i].pattern == n;
    saw_md5 |= m.items[i].pattern == md5;
  }
  CHECK(saw_rule && saw_md5);
  OK(codetable_matches_free(&m));
  OK(codetable_document_free(doc));
  OK(codetable_engine_free(engine));
  OK(codetable_db_free(stack));
}

/* A match's fix (`codetable_matches_fix`): core's edit, its range in bytes and UTF-16 after
   non-ASCII text on the same line; `present == 0` for a match without one; errors for an index
   past the end and a freed array. */
static void test_fixes(void) {
  codetable_db *db = NULL;
  codetable_engine *engine = NULL;
  OK(codetable_db_default(&db));
  OK(codetable_engine_new(db, &engine));
  /* "    return ('\xf0\x9f\x98\x80\xc3\xa9', " : 22 bytes, 19 UTF-16 units, before yaml.load. */
  const char *text =
      "import yaml\nimport hashlib as h\ndef r(f):\n"
      "    return ('\xf0\x9f\x98\x80\xc3\xa9', yaml.load(f), h.md5(f))\n";
  codetable_matches m = fresh(engine, text);
  int with_fix = 0, without = 0;
  for (uint64_t i = 0; i < m.len; i++) {
    codetable_fix fix;
    OK(codetable_matches_fix(&m, i, &fix));
    if (!fix.present) {
      CHECK(fix.replacement == NULL && fix.replacement_len == 0);
      without++;
      continue;
    }
    with_fix++;
    CHECK(fix.replacement_len == strlen("yaml.safe_load(f)"));
    CHECK(memcmp(fix.replacement, "yaml.safe_load(f)", fix.replacement_len) == 0);
    CHECK(fix.range.start_line == 3);
    CHECK(fix.range.start_column_byte == 22 && fix.range.start_column_utf16 == 19);
    CHECK(fix.range.end_byte - fix.range.start_byte == strlen("yaml.load(f)"));
    CHECK(memcmp(text + fix.range.start_byte, "yaml.load(f)", strlen("yaml.load(f)")) == 0);
    CHECK(fix.range.start_byte == m.items[i].range.start_byte);
  }
  CHECK(with_fix == 1 && without >= 1);
  codetable_fix none;
  EXPECT(codetable_matches_fix(&m, m.len, &none), CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(none.present == 0);
  EXPECT(codetable_matches_fix(NULL, 0, &none), CODETABLE_STATUS_INVALID_ARGUMENT);
  codetable_matches copy = m;
  OK(codetable_matches_free(&m));
  EXPECT(codetable_matches_fix(&copy, 0, &none), CODETABLE_STATUS_INVALID_HANDLE);
  OK(codetable_engine_free(engine));
  OK(codetable_db_free(db));
}

/* A project of three Java files (one with a CJK and emoji comment before its declaration): the
 * observer instance, each participant's finding listing the others, the instance view, UTF-16
 * offsets per document, replace and remove, and the error paths. */
static const char LISTENER[] =
    "// \xc3\xa9\x63outeur \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\n"
    "interface Listener { void fired(); }\n";
static const char LOG[] = "class Log implements Listener { public void fired() {} }\n";
static const char BUTTON[] =
    "class Button {\n  java.util.List<Listener> ls;\n"
    "  void on(Listener l) { ls.add(l); } void off(Listener l) { ls.remove(l); }\n"
    "  void click() { for (Listener l : ls) l.fired(); }\n}\n";

/* The number of lines of a JSON-lines string. */
static size_t count_lines(const codetable_string *s) {
  size_t n = 0;
  for (uint64_t i = 0; i < s->len; i++) n += s->ptr[i] == '\n';
  return n;
}

static void test_project(void) {
  codetable_db *db = NULL;
  codetable_engine *engine = NULL;
  codetable_project *project = NULL;
  codetable_string lines = {0};
  OK(codetable_db_default(&db));
  OK(codetable_engine_new(db, &engine));
  OK(codetable_engine_select(engine, S("design"), NULL, 0));
  OK(codetable_project_new(&project));
  OK(codetable_project_set_document(project, engine, S("Listener.java"), S("java"), S(LISTENER)));
  OK(codetable_project_set_document(project, engine, S("Log.java"), S("java"), S(LOG)));
  OK(codetable_project_set_document(project, engine, S("Button.java"), S("java"), S(BUTTON)));

  /* One finding per participant; each lists all three, role by role. */
  OK(codetable_project_findings_json(project, engine, &lines));
  CHECK(count_lines(&lines) == 3);
  {
    const uint8_t *nl = memchr(lines.ptr, '\n', lines.len);
    json f = {0};
    if (nl && parse_json(lines.ptr, (uint64_t)(nl - lines.ptr), &f, "project finding")) {
      CHECK(strcmp(json_str(&f, "pattern"), "design.gof.observer") == 0);
      CHECK(strncmp(json_str(&f, "instance"), "design.gof.observer@", 20) == 0);
      const json *parts = json_get(&f, "participants");
      CHECK(parts && parts->kind == JSON_ARRAY && parts->length == 3);
      if (parts && parts->length == 3) {
        CHECK(strcmp(json_str(&parts->items[0], "role"), "observer") == 0);
        CHECK(strcmp(json_str(&parts->items[1], "role"), "subject") == 0);
        CHECK(strcmp(json_str(&parts->items[2], "role"), "concrete-observer") == 0);
        CHECK(strcmp(json_str(&parts->items[1], "path"), "Button.java") == 0);
        /* The participant standing for this finding carries its id. */
        int mine = 0;
        for (size_t i = 0; i < 3; i++)
          mine += strcmp(json_str(&parts->items[i], "finding"), json_str(&f, "id")) == 0;
        CHECK(mine == 1);
      }
    }
    json_free(&f);
  }
  OK(codetable_string_free(&lines));

  /* The instance view: pattern, summary, participants with places; UTF-16 offsets by core. */
  OK(codetable_project_instances_json(project, engine, &lines));
  CHECK(count_lines(&lines) == 1);
  {
    json v = {0};
    if (parse_json(lines.ptr, lines.len - 1, &v, "project instance")) {
      CHECK(strcmp(json_str(&v, "symbol"), "Obr") == 0);
      CHECK(strlen(json_str(&v, "summary")) > 20);
      const json *parts = json_get(&v, "participants");
      CHECK(parts && parts->kind == JSON_ARRAY && parts->length == 3);
      if (parts && parts->length == 3) {
        const json *listener = &parts->items[0];
        CHECK(strcmp(json_str(listener, "path"), "Listener.java") == 0);
        CHECK(strcmp(json_str(listener, "unit"), "Listener") == 0);
        const json *start = json_get(listener, "byte_start");
        const json *line = json_get(listener, "line");
        CHECK(line && line->integer == 2);
        uint64_t byte = start ? (uint64_t)start->integer : 0;
        CHECK(byte == (uint64_t)(strstr(LISTENER, "interface") - LISTENER));
        uint64_t u16 = 0;
        OK(codetable_project_offset_utf16(project, S("Listener.java"), byte, &u16));
        CHECK(u16 == utf16_units(LISTENER, (size_t)byte) && u16 != byte);
      }
    }
    json_free(&v);
  }
  OK(codetable_string_free(&lines));

  /* Replacing a document replaces its contribution; removing the interface ends the instance. */
  OK(codetable_project_set_document(project, engine, S("Log.java"), S("java"), S("class Log {}\n")));
  OK(codetable_project_instances_json(project, engine, &lines));
  CHECK(count_lines(&lines) == 1 && !has(lines.ptr, lines.len, "\"unit\":\"Log\""));
  OK(codetable_string_free(&lines));
  uint32_t removed = 0;
  OK(codetable_project_remove_document(project, S("Listener.java"), &removed));
  CHECK(removed);
  OK(codetable_project_remove_document(project, S("Listener.java"), &removed));
  CHECK(!removed);
  OK(codetable_project_findings_json(project, engine, &lines));
  CHECK(lines.ptr == NULL && lines.len == 0);
  OK(codetable_string_free(&lines));

  /* Errors: typed statuses, the project unchanged. */
  EXPECT(codetable_project_set_document(project, engine, S("A.x"), S("cobol"), S("x")),
         CODETABLE_STATUS_UNKNOWN_LANGUAGE);
  EXPECT(codetable_project_set_document(project, engine, S(""), S("java"), S("class A {}")),
         CODETABLE_STATUS_INVALID_ARGUMENT);
  EXPECT(codetable_project_set_document(project, engine, S("B.java"), S("java"), S("class \xff {}")),
         CODETABLE_STATUS_INVALID_UTF8);
  uint64_t u16 = 7;
  EXPECT(codetable_project_offset_utf16(project, S("Listener.java"), 0, &u16),
         CODETABLE_STATUS_INVALID_ARGUMENT);
  CHECK(strstr(last_message(), "Listener.java") != NULL);
  EXPECT(codetable_project_findings_json(project, engine, NULL), CODETABLE_STATUS_NULL_ARGUMENT);
  EXPECT(codetable_project_findings_json((codetable_project *)engine, engine, &lines),
         CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_project_new(NULL), CODETABLE_STATUS_NULL_ARGUMENT);

  /* A stale handle is an error, never a crash. */
  OK(codetable_project_free(project));
  EXPECT(codetable_project_free(project), CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_project_remove_document(project, S("Log.java"), &removed),
         CODETABLE_STATUS_INVALID_HANDLE);
  EXPECT(codetable_project_instances_json(project, engine, &lines), CODETABLE_STATUS_INVALID_HANDLE);
  OK(codetable_project_free(NULL));
  OK(codetable_engine_free(engine));
  OK(codetable_db_free(db));
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <database.ctdb> <user-rules.ctdb>\n", argv[0]);
    return 2;
  }
  /* Arms the library's test panic (read once, on the first analysis): see test_panic_recovery. */
  CHECK(setenv("CODETABLE_FFI_TEST_PANIC", "1", 1) == 0);
  test_versions_and_errors();
  test_database(argv[1]);
  test_search();
  test_layered(argv[2]);
  {
    uint64_t h = 1, b = 1;
    codetable_db *db = NULL;
    OK(codetable_db_default(&db));
    OK(codetable_live_objects(&h, &b));
    CHECK(h == 1 && b == 0);
    OK(codetable_db_free(db));
  }
  test_language_detect();
  test_file_changes(argv[1]);
  test_documents();
  test_fixes();
  test_budget();
  test_golden_sessions();
  test_scan_cross_host();
  test_selection_and_context();
  test_project();
  test_threads();
  test_panic_recovery();
  /* Everything this test was given has been freed. */
  uint64_t live_handles = 1, live_buffers = 1;
  OK(codetable_live_objects(&live_handles, &live_buffers));
  CHECK(live_handles == 0 && live_buffers == 0);
  EXPECT(codetable_live_objects(NULL, &live_buffers), CODETABLE_STATUS_NULL_ARGUMENT);
  if (failures) {
    fprintf(stderr, "test_codetable: %d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("test_codetable: all %d checks passed\n", checks);
  return 0;
}
