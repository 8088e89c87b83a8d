/* json.h -- the one piece of JSON output that needs care: strings. Documents are written with
 * fprintf around it, keys fixed by the writer. */
#ifndef SSA_JSON_H
#define SSA_JSON_H

#include <stdio.h>

/* Writes s as a JSON string literal, quotes included. */
void ssa_json_string(FILE *f, const char *s);
/* A number JSON accepts: finite values as %.6g, anything else as null. */
void ssa_json_number(FILE *f, double v);

#endif
