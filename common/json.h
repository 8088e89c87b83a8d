/* json.h -- the pieces of JSON output that need care: strings, numbers that may not be finite,
 * and object members built from them. Documents are written with fprintf around these, keys
 * fixed by the writer. */
#ifndef SSA_JSON_H
#define SSA_JSON_H

#include <stdio.h>

/* Writes s as a JSON string literal, quotes included. */
void ssa_json_string(FILE *f, const char *s);
/* A number JSON accepts: finite values as %.6g, anything else as null. */
void ssa_json_number(FILE *f, double v);
/* `, "key": value` -- a member after the first of an object. */
void ssa_json_member_number(FILE *f, const char *key, double v);
void ssa_json_member_string(FILE *f, const char *key, const char *s);
/* `, "key": value` for each of count numbers: an object's numeric members written as a table. */
typedef struct ssa_json_number_member {
  const char *key;
  double value;
} ssa_json_number_member;
void ssa_json_member_numbers(FILE *f, const ssa_json_number_member *members, unsigned count);

#endif
