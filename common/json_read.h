/* json_read.h -- a strict JSON reader (RFC 8259) for the few files SSA reads back, such as the
 * committed composition validation: the whole text into a tree of values, an error naming the
 * line and what was expected, and lookups by key and index. Strings are decoded (escapes, \u
 * to UTF-8); numbers are doubles. */
#ifndef SSA_JSON_READ_H
#define SSA_JSON_READ_H

#include <stddef.h>

#include "error.h"

typedef enum {
  SSA_JSON_NULL, SSA_JSON_FALSE, SSA_JSON_TRUE, SSA_JSON_NUMBER, SSA_JSON_STRING,
  SSA_JSON_ARRAY, SSA_JSON_OBJECT
} ssa_json_type;

typedef struct ssa_json_value {
  ssa_json_type type;
  double number;
  char *string;                   /* STRING: the decoded text */
  struct ssa_json_value *items;   /* ARRAY and OBJECT: the values, in order */
  char **keys;                    /* OBJECT: the key of each value */
  size_t count;
} ssa_json_value;

/* Parses text (NUL-terminated); `name` names it in messages ("file.json:12: expected ','").
 * Depth is limited to 64. On failure *out is left empty (NULL). */
int ssa_json_parse(const char *name, const char *text, ssa_json_value *out, ssa_error *err);
void ssa_json_value_free(ssa_json_value *v);

/* The member `key` of an object, or NULL (also when v is not an object). */
const ssa_json_value *ssa_json_get(const ssa_json_value *v, const char *key);
/* The number or string of member `key`, or the fallback when it is missing or of another type. */
double ssa_json_get_number(const ssa_json_value *v, const char *key, double fallback);
const char *ssa_json_get_string(const ssa_json_value *v, const char *key, const char *fallback);

#endif
