/*
 * json.h — a small JSON reader (RFC 8259) for the C test's fixtures: tests/golden/sessions.json,
 * tests/golden/scan.jsonl, core's JSON schemas and the library's own JSON. Header-only, static
 * functions; a parse builds a tree of `json` nodes freed by json_free. Strings are decoded to
 * UTF-8 (escapes and surrogate pairs included) and NUL-terminated; numbers are kept as doubles
 * and, when integral, as int64. Not a general-purpose parser: depth is capped and errors say
 * where, nothing more.
 */
#ifndef CODETABLE_TEST_JSON_H
#define CODETABLE_TEST_JSON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_kind;

typedef struct json {
  json_kind kind;
  int boolean;
  double number;
  int64_t integer;  /* the number, when integral */
  char *string;     /* JSON_STRING: UTF-8, NUL-terminated */
  size_t length;    /* JSON_STRING: bytes; JSON_ARRAY / JSON_OBJECT: items */
  char **keys;      /* JSON_OBJECT: the keys, in order */
  struct json *items;
} json;

typedef struct {
  const char *s, *end;
  const char *error;
} json_parser;

static void json_free(json *v) {
  if (!v) return;
  for (size_t i = 0; (v->kind == JSON_ARRAY || v->kind == JSON_OBJECT) && i < v->length; i++) {
    json_free(&v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->string);
  memset(v, 0, sizeof *v);
}

static void json_ws(json_parser *p) {
  while (p->s < p->end && (*p->s == ' ' || *p->s == '\n' || *p->s == '\r' || *p->s == '\t')) p->s++;
}

static int json_fail(json_parser *p, const char *what) {
  if (!p->error) p->error = what;
  return 0;
}

static int json_hex4(json_parser *p, unsigned *out) {
  if (p->end - p->s < 4) return json_fail(p, "short \\u escape");
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = *p->s++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return json_fail(p, "bad \\u escape");
  }
  *out = v;
  return 1;
}

/* Appends code point `cp` as UTF-8. */
static size_t json_utf8(char *out, unsigned cp) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) { out[0] = (char)(0xC0 | cp >> 6); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | cp >> 12); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | cp >> 18); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

static int json_string(json_parser *p, char **out, size_t *len) {
  p->s++; /* the opening quote */
  /* The decoded string is never longer than its source. */
  const char *q = p->s;
  while (q < p->end && *q != '"') q += (*q == '\\' && q + 1 < p->end) ? 2 : 1;
  char *buf = malloc((size_t)(q - p->s) + 1);
  size_t n = 0;
  while (1) {
    if (p->s >= p->end) { free(buf); return json_fail(p, "unterminated string"); }
    unsigned char c = (unsigned char)*p->s++;
    if (c == '"') break;
    if (c < 0x20) { free(buf); return json_fail(p, "control character in a string"); }
    if (c != '\\') { buf[n++] = (char)c; continue; }
    if (p->s >= p->end) { free(buf); return json_fail(p, "unterminated escape"); }
    char e = *p->s++;
    unsigned cp;
    switch (e) {
      case '"': buf[n++] = '"'; break;
      case '\\': buf[n++] = '\\'; break;
      case '/': buf[n++] = '/'; break;
      case 'b': buf[n++] = '\b'; break;
      case 'f': buf[n++] = '\f'; break;
      case 'n': buf[n++] = '\n'; break;
      case 'r': buf[n++] = '\r'; break;
      case 't': buf[n++] = '\t'; break;
      case 'u':
        if (!json_hex4(p, &cp)) { free(buf); return 0; }
        if (cp >= 0xD800 && cp < 0xDC00) { /* a high surrogate: its low half must follow */
          unsigned lo;
          if (p->end - p->s < 6 || p->s[0] != '\\' || p->s[1] != 'u') { free(buf); return json_fail(p, "lone surrogate"); }
          p->s += 2;
          if (!json_hex4(p, &lo)) { free(buf); return 0; }
          if (lo < 0xDC00 || lo > 0xDFFF) { free(buf); return json_fail(p, "lone surrogate"); }
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          free(buf);
          return json_fail(p, "lone surrogate");
        }
        n += json_utf8(buf + n, cp);
        break;
      default: free(buf); return json_fail(p, "bad escape");
    }
  }
  buf[n] = 0;
  *out = buf;
  *len = n;
  return 1;
}

static int json_value(json_parser *p, json *v, int depth);

static int json_items(json_parser *p, json *v, int depth, int object) {
  char close = object ? '}' : ']';
  size_t cap = 0;
  p->s++;
  json_ws(p);
  if (p->s < p->end && *p->s == close) { p->s++; return 1; }
  while (1) {
    if (v->length == cap) {
      cap = cap ? cap * 2 : 8;
      v->items = realloc(v->items, cap * sizeof *v->items);
      if (object) v->keys = realloc(v->keys, cap * sizeof *v->keys);
    }
    json *item = &v->items[v->length];
    memset(item, 0, sizeof *item);
    json_ws(p);
    if (object) {
      size_t klen;
      if (p->s >= p->end || *p->s != '"') return json_fail(p, "expected a key");
      if (!json_string(p, &v->keys[v->length], &klen)) return 0;
      json_ws(p);
      if (p->s >= p->end || *p->s != ':') { free(v->keys[v->length]); return json_fail(p, "expected ':'"); }
      p->s++;
    }
    v->length++; /* counted before parsing, so json_free frees what a failure leaves */
    if (!json_value(p, item, depth + 1)) return 0;
    json_ws(p);
    if (p->s >= p->end) return json_fail(p, "unexpected end");
    char c = *p->s++;
    if (c == close) return 1;
    if (c != ',') return json_fail(p, "expected ',' or the end of the list");
  }
}

static int json_value(json_parser *p, json *v, int depth) {
  if (depth > 64) return json_fail(p, "nesting too deep");
  json_ws(p);
  if (p->s >= p->end) return json_fail(p, "unexpected end");
  char c = *p->s;
  if (c == '{') { v->kind = JSON_OBJECT; return json_items(p, v, depth, 1); }
  if (c == '[') { v->kind = JSON_ARRAY; return json_items(p, v, depth, 0); }
  if (c == '"') { v->kind = JSON_STRING; return json_string(p, &v->string, &v->length); }
  static const struct { const char *word; json_kind kind; int boolean; } words[] = {
      {"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}, {"null", JSON_NULL, 0}};
  for (size_t i = 0; i < 3; i++) {
    size_t n = strlen(words[i].word);
    if ((size_t)(p->end - p->s) >= n && memcmp(p->s, words[i].word, n) == 0) {
      p->s += n;
      v->kind = words[i].kind;
      v->boolean = words[i].boolean;
      return 1;
    }
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    char tmp[64];
    size_t n = 0;
    int integral = 1;
    while (p->s < p->end && n < sizeof tmp - 1 && strchr("+-0123456789.eE", *p->s)) {
      integral &= *p->s != '.' && *p->s != 'e' && *p->s != 'E';
      tmp[n++] = *p->s++;
    }
    tmp[n] = 0;
    char *stop;
    v->kind = JSON_NUMBER;
    v->number = strtod(tmp, &stop);
    if (*stop) return json_fail(p, "bad number");
    v->integer = integral ? strtoll(tmp, NULL, 10) : (int64_t)v->number;
    return 1;
  }
  return json_fail(p, "unexpected character");
}

/* Parses `len` bytes holding one JSON value. On failure returns 0, frees what it built and sets
 * *error (and *at, the byte offset) when they are not NULL. */
static int json_parse(const char *text, size_t len, json *out, const char **error, size_t *at) {
  json_parser p = {text, text + len, NULL};
  memset(out, 0, sizeof *out);
  int ok = json_value(&p, out, 0);
  if (ok) {
    json_ws(&p);
    if (p.s != p.end) ok = json_fail(&p, "trailing characters");
  }
  if (!ok) {
    json_free(out);
    if (error) *error = p.error;
    if (at) *at = (size_t)(p.s - text);
  }
  return ok;
}

/* The member `key` of an object; NULL when absent (or `v` is not an object). */
static const json *json_get(const json *v, const char *key) {
  if (!v || v->kind != JSON_OBJECT) return NULL;
  for (size_t i = 0; i < v->length; i++)
    if (strcmp(v->keys[i], key) == 0) return &v->items[i];
  return NULL;
}

/* The string of member `key`, or "" when it is absent or not a string. */
static const char *json_str(const json *v, const char *key) {
  const json *s = json_get(v, key);
  return s && s->kind == JSON_STRING ? s->string : "";
}

#endif
