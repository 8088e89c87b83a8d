/* textio.h -- what the tests of readers and writers share: temporary files and directories,
 * and the text a writer prints, collected in memory. Header-only, like skip.h; include it after
 * cmocka.h. */
#ifndef SSA_TEST_TEXTIO_H
#define SSA_TEST_TEXTIO_H

#include <stdio.h>
#include <stdlib.h>

/* A new temporary file made from `path`, a template ending in XXXXXX that is filled in, open
 * for writing. */
static inline FILE *temp_file(char *path) {
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  return f;
}

/* A new directory TMP/PREFIX-XXXXXX, TMP being $TMPDIR (/tmp when that is unset or empty); its
 * path goes to dir. Returns dir, or NULL when it could not be made. */
static inline char *temp_dir(char *dir, size_t size, const char *prefix) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, size, "%s/%s-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp", prefix);
  return mkdtemp(dir);
}

/* Print to the stream memory_open returns; memory_close closes it, checking that nothing
 * failed, and returns the text (the caller frees it) with its length in *len when len is not
 * NULL. */
typedef struct memory_text {
  FILE *f;
  char *text;
  size_t len;
} memory_text;

static inline FILE *memory_open(memory_text *m) {
  m->text = NULL;
  m->len = 0;
  m->f = open_memstream(&m->text, &m->len);
  assert_non_null(m->f);
  return m->f;
}

static inline char *memory_close(memory_text *m, size_t *len) {
  assert_int_equal(ferror(m->f), 0);
  assert_int_equal(fclose(m->f), 0);
  if (len != NULL) *len = m->len;
  return m->text;
}

#endif
