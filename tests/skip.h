/* skip.h -- how a test executable reports that its tests did not run: exit status 77, which
 * meson counts as SKIP. cmocka's skip() cannot do it: cmocka_run_group_tests returns the number
 * of failed tests, so a group whose tests all skipped exits 0 and meson counts a pass.
 *
 * The rule: tests that need a resource which may be missing (the Fashion-MNIST set, the
 * libraries in ../shared/liberty, a committed model) are a group of their own, picked by
 * argv[1] and registered as their own meson test (tests/meson.build); main() checks the
 * resource before running that group and, when it is missing, says so on stdout and returns
 * SSA_TEST_SKIP. Tests that need nothing are in another group, which always runs. */
#ifndef SSA_TEST_SKIP_H
#define SSA_TEST_SKIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* meson's (and automake's) exit status for a skipped test */
#define SSA_TEST_SKIP 77

/* The Fashion-MNIST directory the tests read: $SSA_TEST_FMNIST_DIR when set and not empty (a
 * path that does not exist shows the dataset groups skipping), else `fallback`. */
static inline const char *ssa_test_fmnist_dir(const char *fallback) {
  const char *dir = getenv("SSA_TEST_FMNIST_DIR");
  return dir != NULL && dir[0] != '\0' ? dir : fallback;
}

/* 1 when `path` is readable; otherwise prints "SKIP: <what> not found at <path>" and returns 0. */
static inline int ssa_test_have(const char *what, const char *path) {
  if (access(path, R_OK) == 0) return 1;
  printf("SKIP: %s not found at %s\n", what, path);
  fflush(stdout);
  return 0;
}

/* argv[1] when it names one of the groups (a NULL-terminated list); otherwise prints the usage
 * on stderr and returns NULL (main then returns 2). */
static inline const char *ssa_test_group(int argc, char **argv, const char *const groups[]) {
  if (argc == 2)
    for (unsigned k = 0; groups[k] != NULL; k++)
      if (strcmp(argv[1], groups[k]) == 0) return groups[k];
  fprintf(stderr, "usage: %s ", argc > 0 ? argv[0] : "test");
  for (unsigned k = 0; groups[k] != NULL; k++)
    fprintf(stderr, "%s%s", k ? "|" : "", groups[k]);
  fprintf(stderr, "\n");
  return NULL;
}

#endif
