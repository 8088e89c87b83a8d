/* json.c -- JSON string and number output (see json.h). */
#include "json.h"

#include <math.h>

void ssa_json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s != '\0'; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c == '\n') fputs("\\n", f);
    else if (c == '\t') fputs("\\t", f);
    else if (c < 0x20) fprintf(f, "\\u%04x", c);
    else fputc(c, f);
  }
  fputc('"', f);
}

void ssa_json_number(FILE *f, double v) {
  if (isfinite(v)) fprintf(f, "%.6g", v);
  else fputs("null", f);
}

void ssa_json_member_number(FILE *f, const char *key, double v) {
  fprintf(f, ", \"%s\": ", key);
  ssa_json_number(f, v);
}

void ssa_json_member_string(FILE *f, const char *key, const char *s) {
  fprintf(f, ", \"%s\": ", key);
  ssa_json_string(f, s);
}

void ssa_json_member_numbers(FILE *f, const ssa_json_number_member *members, unsigned count) {
  for (unsigned k = 0; k < count; k++) ssa_json_member_number(f, members[k].key, members[k].value);
}
