/* intlines.c -- lines of integers, one line per step (see intlines.h). */
#include "intlines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/process.h"

void ssa_int_lines_free(ssa_int_lines *l) {
  free(l->values);
  memset(l, 0, sizeof *l);
}

static int grow(ssa_int_lines *l, unsigned *cap) {
  if (l->lines < *cap) return 0;
  unsigned next = *cap == 0 ? 16 : *cap * 2;
  int64_t *v = realloc(l->values, sizeof *v * (size_t)next * l->count);
  if (v == NULL) return -1;
  l->values = v;
  *cap = next;
  return 0;
}

/* One line without its comment: its values, or an error naming the line. */
static int parse_line(const char *name, size_t line_no, char *s, ssa_int_lines *l, int64_t min,
                      int64_t max, const char *range_reason, ssa_error *err) {
  int64_t *row = &l->values[(size_t)l->lines * l->count];
  unsigned found = 0;
  for (char *p = s;;) {
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    if (*p == '\0') break;
    char *end = p;
    while (*end != '\0' && *end != ' ' && *end != '\t' && *end != '\r') end++;
    char saved = *end;
    *end = '\0';
    char *stop;
    errno = 0;
    long long v = strtoll(p, &stop, 10);
    if (stop == p || *stop != '\0')
      return ssa_fail_at(err, name, line_no, "'%.40s' is not an integer", p);
    if (errno == ERANGE || v < min || v > max)
      return ssa_fail_at(err, name, line_no, "value %.40s out of range for %s (%lld to %lld)", p,
                         range_reason, (long long)min, (long long)max);
    if (found < l->count) row[found] = v;
    found++;
    *end = saved;
    p = end;
  }
  if (found != l->count)
    return ssa_fail_at(err, name, line_no, "expected %u values, found %u", l->count, found);
  l->lines++;
  return 0;
}

int ssa_int_lines_parse(const char *name, const char *text, size_t len, unsigned count,
                        int64_t min, int64_t max, const char *range_reason, ssa_int_lines *out,
                        ssa_error *err) {
  memset(out, 0, sizeof *out);
  out->count = count;
  unsigned cap = 0;
  size_t line_no = 0;
  for (size_t at = 0; at < len;) {
    size_t end = at;
    while (end < len && text[end] != '\n') end++;
    line_no++;
    char *line = malloc(end - at + 1);
    if (line == NULL || grow(out, &cap) != 0) {
      free(line);
      ssa_int_lines_free(out);
      return ssa_fail(err, "%s: out of memory", name);
    }
    memcpy(line, text + at, end - at);
    line[end - at] = '\0';
    char *hash = strchr(line, '#');
    if (hash != NULL) *hash = '\0';
    if (memchr(text + at, '\0', end - at) != NULL) {
      free(line);
      ssa_int_lines_free(out);
      return ssa_fail_at(err, name, line_no, "NUL character in a text file");
    }
    size_t blank = strspn(line, " \t\r");
    /* every line ends with a newline: a file cut inside its last number ("30 4" of "30 40")
     * would otherwise read as another number */
    int rc = end == len && line[blank] != '\0'
                 ? ssa_fail_at(err, name, line_no, "the last line has no newline at its end "
                               "(was the file cut?)")
             : line[blank] == '\0' ? 0
                                   : parse_line(name, line_no, line, out, min, max, range_reason, err);
    free(line);
    if (rc != 0) {
      ssa_int_lines_free(out);
      return -1;
    }
    at = end + 1;
  }
  if (out->lines == 0) {
    ssa_int_lines_free(out);
    return ssa_fail_at(err, name, line_no + 1, "no steps (expected lines of %u values)", count);
  }
  return 0;
}

int ssa_int_lines_read(const char *path, unsigned count, int64_t min, int64_t max,
                       const char *range_reason, ssa_int_lines *out, ssa_error *err) {
  char *text = NULL;
  size_t len = 0;
  memset(out, 0, sizeof *out);
  if (ssa_read_file(path, &text, &len, err) != 0) return -1;
  int rc = ssa_int_lines_parse(path, text, len, count, min, max, range_reason, out, err);
  free(text);
  return rc;
}
