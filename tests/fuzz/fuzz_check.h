/* fuzz_check.h -- what every fuzz target asserts beside "no crash, no sanitizer report": a
 * parser either accepts its input or refuses it with exactly one line that starts with the
 * name it was given (the rule of the project's error messages). abort() is how libFuzzer
 * learns of a failure. */
#ifndef SSA_FUZZ_CHECK_H
#define SSA_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/error.h"

static inline void fuzz_check_result(int rc, const ssa_error *err, const char *name) {
  if (rc == 0) return;
  size_t n = strlen(name);
  if (rc != -1 || strncmp(err->msg, name, n) != 0 || strchr(err->msg, '\n') != NULL) {
    fprintf(stderr, "fuzz: a refusal that is not one line naming %s: rc %d, '%s'\n", name, rc,
            err->msg);
    abort();
  }
}

static char fuzz_path[64];
static inline void fuzz_remove_input_file(void) { unlink(fuzz_path); }

/* The input as a file, for the readers that take a path: one per process, rewritten each run,
 * removed at exit. */
static inline const char *fuzz_input_file(const unsigned char *data, size_t size) {
  char *path = fuzz_path;
  if (path[0] == '\0') {
    snprintf(path, sizeof fuzz_path, "/tmp/ssa-fuzz-%d", (int)getpid());
    atexit(fuzz_remove_input_file);
  }
  FILE *f = fopen(path, "wb");
  if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) abort();
  return path;
}

#endif
