/* lines.c -- lines of the text formats and their comments (see lines.h). */
#include "lines.h"

#include <string.h>

int ssa_next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n) {
  if (*pos >= len) return 0;
  const char *s = text + *pos;
  const char *nl = memchr(s, '\n', len - *pos);
  size_t k = nl != NULL ? (size_t)(nl - s) : len - *pos;
  *pos += k + (nl != NULL);
  const char *hash = memchr(s, '#', k);
  if (hash != NULL) k = (size_t)(hash - s);
  while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\r')) k--;
  *line = s;
  *n = k;
  return 1;
}

void ssa_write_comment(FILE *f, const char *comment) {
  const char *s = comment;
  while (*s != '\0') {
    const char *nl = strchr(s, '\n');
    size_t n = nl != NULL ? (size_t)(nl - s) : strlen(s);
    if (n == 0) fputs("#\n", f);  /* no trailing space on an empty comment line */
    else {
      fputs("# ", f);
      fwrite(s, 1, n, f);
      fputc('\n', f);
    }
    s += n + (nl != NULL);
  }
}
