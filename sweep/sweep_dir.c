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

static int is_type(const ssa_json_value *v, ssa_json_type type) {
  return v != NULL && v->type == type;
}

/* What collect and run rely on: "kind"; "vary", each {"option", "values": [strings]}; and
 * "points", each {"id", "command", "options": {option: string}}, ids well formed. */
static int check_plan(const char *path, const ssa_json_value *root, ssa_error *err) {
  if (!is_type(ssa_json_get(root, "kind"), SSA_JSON_STRING))
    return ssa_fail(err, "%s: not a plan of 'ssa sweep plan' (no \"kind\")", path);
  const ssa_json_value *vary = ssa_json_get(root, "vary");
  if (!is_type(vary, SSA_JSON_ARRAY)) return ssa_fail(err, "%s: no \"vary\" array", path);
  for (size_t a = 0; a < vary->count; a++) {
    const ssa_json_value *values = ssa_json_get(&vary->items[a], "values");
    if (!is_type(ssa_json_get(&vary->items[a], "option"), SSA_JSON_STRING) ||
        !is_type(values, SSA_JSON_ARRAY))
      return ssa_fail(err, "%s: vary %zu: expected {\"option\": ..., \"values\": [...]}", path,
                      a + 1);
    for (size_t v = 0; v < values->count; v++)
      if (values->items[v].type != SSA_JSON_STRING)
        return ssa_fail(err, "%s: vary %zu: value %zu is not a string", path, a + 1, v + 1);
  }
  const ssa_json_value *points = ssa_json_get(root, "points");
  if (!is_type(points, SSA_JSON_ARRAY)) return ssa_fail(err, "%s: no \"points\" array", path);
  for (size_t k = 0; k < points->count; k++) {
    const ssa_json_value *p = &points->items[k];
    const ssa_json_value *id = ssa_json_get(p, "id"), *options = ssa_json_get(p, "options");
    if (!is_type(id, SSA_JSON_STRING) || !ssa_sweep_id_ok(id->string))
      return ssa_fail(err, "%s: point %zu: no id of the form p0001", path, k + 1);
    if (!is_type(ssa_json_get(p, "command"), SSA_JSON_STRING) ||
        !is_type(options, SSA_JSON_OBJECT))
      return ssa_fail(err, "%s: point %s: no \"command\" string or \"options\" object", path,
                      id->string);
    for (size_t o = 0; o < options->count; o++)
      if (options->items[o].type != SSA_JSON_STRING)
        return ssa_fail(err, "%s: point %s: option %s is not a string", path, id->string,
                        options->keys[o]);
  }
  return 0;
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
  if (check_plan(path, root, err) != 0) {
    ssa_json_value_free(root);
    return -1;
  }
  *points = ssa_json_get(root, "points");
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
  const ssa_json_value *figures = ssa_json_get(&v, "figures");
  int rc = 0;
  if (strcmp(status, "ok") == 0) *state = SSA_SWEEP_OK;
  else if (strcmp(status, "failed") == 0) *state = SSA_SWEEP_FAILED;
  else rc = ssa_fail(err, "%s: status '%.40s' is neither ok nor failed", path, status);
  if (rc == 0 && strcmp(ssa_json_get_string(&v, "id", ""), id) != 0)
    rc = ssa_fail(err, "%s: the result of another point (id '%.40s')", path,
                  ssa_json_get_string(&v, "id", ""));
  if (rc == 0 && *state == SSA_SWEEP_OK && !is_type(figures, SSA_JSON_OBJECT))
    rc = ssa_fail(err, "%s: status ok without a \"figures\" object", path);
  if (rc != 0) {
    ssa_json_value_free(&v);
    return -1;
  }
  if (out != NULL) *out = v;
  else ssa_json_value_free(&v);
  return 0;
}
