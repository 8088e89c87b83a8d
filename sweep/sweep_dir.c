/* sweep_dir.c -- paths, the plan and the results of a job directory (sweep_dir.h). */
#include "sweep_dir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/process.h"

int ssa_sweep_path(char *buf, size_t len, const char *dir, const char *name, ssa_error *err) {
  int n = snprintf(buf, len, "%s/%s", dir, name);
  if (n < 0 || (size_t)n >= len) return ssa_fail(err, "sweep: path too long: %s/%s", dir, name);
  return 0;
}

int ssa_sweep_id_ok(const char *id) {
  if (id[0] != 'p' || id[1] == '\0' || strlen(id) > 12) return 0;
  for (const char *c = id + 1; *c != '\0'; c++)
    if (*c < '0' || *c > '9') return 0;
  return 1;
}

static int read_json(const char *path, ssa_json_value *out, ssa_error *err) {
  char *text;
  size_t len;
  if (ssa_input_check(path, err) != 0 || ssa_read_file(path, &text, &len, err) != 0) return -1;
  int rc = ssa_json_parse(path, text, out, err);
  free(text);
  return rc;
}

int ssa_sweep_read_plan(const char *dir, ssa_json_value *root, const ssa_json_value **points,
                        ssa_error *err) {
  char path[SSA_SWEEP_PATH];
  if (ssa_sweep_path(path, sizeof path, dir, "sweep.json", err) != 0) return -1;
  struct stat st;
  if (stat(path, &st) != 0)
    return ssa_fail(err, "%s: no sweep here (%s; 'ssa sweep plan' writes it)", dir,
                    strerror(errno));
  if (read_json(path, root, err) != 0) return -1;
  *points = ssa_json_get(root, "points");
  if (*points == NULL || (*points)->type != SSA_JSON_ARRAY || ssa_json_get(root, "kind") == NULL) {
    ssa_json_value_free(root);
    return ssa_fail(err, "%s: not a plan of 'ssa sweep plan' (no kind or points)", path);
  }
  for (size_t k = 0; k < (*points)->count; k++) {
    const char *id = ssa_json_get_string(&(*points)->items[k], "id", "");
    if (!ssa_sweep_id_ok(id)) {
      ssa_json_value_free(root);
      return ssa_fail(err, "%s: point %zu: bad id '%s'", path, k + 1, id);
    }
  }
  return 0;
}

int ssa_sweep_read_result(const char *dir, const char *id, ssa_json_value *out, int *state,
                          ssa_error *err) {
  char name[64], path[SSA_SWEEP_PATH];
  snprintf(name, sizeof name, "results/%s.json", id);
  if (ssa_sweep_path(path, sizeof path, dir, name, err) != 0) return -1;
  struct stat st;
  if (stat(path, &st) != 0) {
    if (errno != ENOENT) return ssa_fail(err, "%s: %s", path, strerror(errno));
    *state = SSA_SWEEP_MISSING;
    return 0;
  }
  ssa_json_value v;
  if (read_json(path, &v, err) != 0) return -1;
  const char *status = ssa_json_get_string(&v, "status", "");
  if (strcmp(status, "ok") == 0) *state = SSA_SWEEP_OK;
  else if (strcmp(status, "failed") == 0) *state = SSA_SWEEP_FAILED;
  else {
    ssa_json_value_free(&v);
    return ssa_fail(err, "%s: status '%s' is neither ok nor failed", path, status);
  }
  if (out != NULL) *out = v;
  else ssa_json_value_free(&v);
  return 0;
}
