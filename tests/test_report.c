/* test_report.c -- `ssa report --quick` end to end (every step of the full report at tiny
 * sizes: synthesis, netlist co-simulation, extrapolation, iCE40, CPU timing, the Liberty
 * cross-check, the files), and `ssa synth --flow ice40` refusing a design too large for the
 * part. Runs the binary under test ($SSA_BIN) from the source root, so that the report finds
 * ../shared/liberty as a user's checkout does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../common/process.h"

static char workdir[4096];

/* Runs the shell-free argv with stdout and stderr to files in workdir; the exit status. */
static int run(const char *const *argv, char **out, char **err) {
  char out_path[4200], err_path[4200];
  snprintf(out_path, sizeof out_path, "%s/stdout", workdir);
  snprintf(err_path, sizeof err_path, "%s/stderr", workdir);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    if (freopen(out_path, "w", stdout) == NULL || freopen(err_path, "w", stderr) == NULL ||
        chdir(getenv("SSA_SOURCE_ROOT")) != 0)
      _exit(126);
    execv(getenv("SSA_BIN"), (char *const *)argv);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ssa_error e;
  size_t len;
  if (ssa_read_file(out_path, out, &len, &e) != 0) *out = calloc(1, 1);
  if (ssa_read_file(err_path, err, &len, &e) != 0) *err = calloc(1, 1);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The whole of DIR/NAME into *text (malloc'd). */
static void read_in(const char *dir, const char *name, char **text) {
  char path[8400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len = 0;
  ssa_error e;
  if (ssa_read_file(path, text, &len, &e) != 0) fail_msg("%s", e.msg);
}

/* The value after `"key": ` in the first claim object naming `claim`. */
static double claim_value(const char *json, const char *claim, const char *key) {
  char pattern[96];
  snprintf(pattern, sizeof pattern, "{\"claim\": \"%s\"", claim);
  const char *p = strstr(json, pattern);
  if (p == NULL) fail_msg("no claim %s in the JSON", claim);
  const char *end = strchr(p, '}');
  snprintf(pattern, sizeof pattern, "\"%s\": ", key);
  const char *v = strstr(p, pattern);
  if (v == NULL || v > end) fail_msg("claim %s has no %s", claim, key);
  return strtod(v + strlen(pattern), NULL);
}

/* Whether the claim object naming `claim` contains `text`. */
static int claim_has(const char *json, const char *claim, const char *text) {
  char pattern[96];
  snprintf(pattern, sizeof pattern, "{\"claim\": \"%s\"", claim);
  const char *p = strstr(json, pattern);
  if (p == NULL) return 0;
  size_t object = strcspn(p, "}");
  const char *t = strstr(p, text);
  return t != NULL && (size_t)(t - p) < object;
}

static void quick_report(void **state) {
  (void)state;
  char dir[4200], json[4200];
  snprintf(dir, sizeof dir, "%s/report", workdir);
  snprintf(json, sizeof json, "%s/claims.json", workdir);
  const char *argv[] = {"ssa", "report", "--quick", "--out", dir, "--json", json, NULL};
  char *out, *err;
  int status = run(argv, &out, &err);
  if (status != 0) fail_msg("ssa report --quick: status %d\n%s", status, err);
  /* Progress on stderr, the claims on stdout. */
  assert_non_null(strstr(err, "synthesizing and simulating the netlist"));
  assert_non_null(strstr(out, "compute_energy"));
  free(out);
  free(err);
  static const char *const files[] = {"report.md", "sizes.csv", "claims.csv", "report.json"};
  for (unsigned k = 0; k < 4; k++) {
    char *text;
    read_in(dir, files[k], &text);
    free(text);
  }
  /* The plots are PNG files. */
  static const char *const pngs[] = {"energy.png", "area.png"};
  for (unsigned k = 0; k < 2; k++) {
    char *png;
    read_in(dir, pngs[k], &png);
    assert_memory_equal(png, "\x89PNG", 4);
    free(png);
  }
  char *doc;
  read_in(workdir, "claims.json", &doc);
  static const char *const claims[] = {"compute_energy", "memory_access", "latency"};
  static const double published[] = {6.3, 1.7, 48};
  for (unsigned k = 0; k < 3; k++) {
    assert_true(claim_value(doc, claims[k], "published") == published[k]);
    assert_true(claim_value(doc, claims[k], "measured") > 0);
    assert_true(claim_has(doc, claims[k], "\"baseline\": \""));
  }
  /* The memory ratio is a closed formula at the quick size (N = 4, D = 4, T = 10): SC moves
   * 10 x 64 bits from an 8 KB SRAM, the ANN 1792 bits: 1792 / 640. */
  double memory = claim_value(doc, "memory_access", "measured");
  assert_true(memory > 2.8 - 1e-9 && memory < 2.8 + 1e-9);
  free(doc);
  /* Every table row says how it was obtained, and extrapolated rows are marked. */
  char *md;
  read_in(dir, "report.md", &md);
  assert_non_null(strstr(md, "| measured |"));
  assert_non_null(strstr(md, "**extrapolated**"));
  assert_non_null(strstr(md, "**estimate (no RTL)**"));
  assert_non_null(strstr(md, "Area cross-check"));
  free(md);
}

static void too_large_for_ice40(void **state) {
  (void)state;
  const char *argv[] = {"ssa", "synth", "attention", "--tokens", "16", "--dim", "16",
                        "--flow", "ice40", NULL};
  char *out, *err;
  int status = run(argv, &out, &err);
  if (status != 2 || strstr(err, "too large for the iCE40 hx8k") == NULL || out[0] != '\0')
    fail_msg("status %d, stderr '%s', stdout '%s'", status, err, out);
  free(out);
  free(err);
}

static int setup(void **state) {
  (void)state;
  const char *tmp = getenv("TMPDIR");
  snprintf(workdir, sizeof workdir, "%s/ssa-test-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  return mkdtemp(workdir) == NULL ? -1 : 0;
}

static int teardown(void **state) {
  (void)state;
  ssa_remove_tree(workdir);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(quick_report),
      cmocka_unit_test(too_large_for_ice40),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
