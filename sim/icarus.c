/* icarus.c -- the Icarus engine: the generated testbench, run by vvp (see icarus.h). */
#include "icarus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/outfile.h"
#include "../common/cleanup.h"
#include "../common/process.h"
#include "../gen/emit_testbench.h"

static char *join(const char *dir, const char *name) {
  size_t len = strlen(dir) + strlen(name) + 2;
  char *p = malloc(len);
  if (p != NULL) snprintf(p, len, "%s/%s", dir, name);
  return p;
}

static int write_vectors(const char *path, const ssa_vectors *v, const uint64_t *rows, int inputs,
                         ssa_error *err) {
  ssa_outfile of;
  if (ssa_outfile_open(&of, path, err) != 0) return -1;
  ssa_vectors_write_hex(of.fp, v, rows, inputs);
  return ssa_outfile_commit(&of, err);
}

/* The first log line that starts with `word`, or NULL. */
static const char *line_starting(const char *log, const char *word) {
  for (const char *s = strstr(log, word); s != NULL; s = strstr(s + 1, word))
    if (s == log || s[-1] == '\n') return s;
  return NULL;
}

/* The testbench prints ERROR (bad vector files), MISMATCH (first difference) or PASS. */
static const char *find_verdict(const char *log) {
  static const char *const words[] = {"ERROR", "MISMATCH", "PASS"};
  for (unsigned k = 0; k < 3; k++) {
    const char *line = line_starting(log, words[k]);
    if (line != NULL) return line;
  }
  return NULL;
}

int ssa_icarus_run(const ssa_vectors *v, const char *fst_path, uint64_t *actual, char *verdict,
                   size_t verdict_len, ssa_error *err) {
  const ssa_design *d = v->design;
  const char *tmp = getenv("TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/ssa-icarus-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
  if (ssa_cleanup_mkdtemp(dir) == NULL)
    return ssa_fail(err, "icarus: cannot create a directory in %s", dir);
  char tb_name[128], in_name[128], exp_name[128];
  ssa_testbench_names(d, tb_name, in_name, exp_name, sizeof tb_name);
  int rc = -1;
  char *log = join(dir, "icarus.log"), *act = join(dir, "actual.hex");
  char *vvp = join(dir, "sim.vvp"), *log_text = NULL, *act_text = NULL;
  size_t tb_len = 0;
  char *tb = ssa_emit_testbench(d, &tb_len);
  if (log == NULL || act == NULL || vvp == NULL || tb == NULL) {
    ssa_fail(err, "icarus: out of memory");
    goto done;
  }
  char path[4400];
  snprintf(path, sizeof path, "%s/%s", dir, tb_name);
  if (ssa_write_file(path, tb, tb_len, err) != 0) goto done;
  for (unsigned k = 0; k < d->file_count; k++) {
    snprintf(path, sizeof path, "%s/%s", dir, d->files[k].name);
    if (ssa_write_file(path, d->files[k].text, d->files[k].len, err) != 0) goto done;
  }
  snprintf(path, sizeof path, "%s/%s", dir, in_name);
  if (write_vectors(path, v, v->in, 1, err) != 0) goto done;
  snprintf(path, sizeof path, "%s/%s", dir, exp_name);
  if (write_vectors(path, v, v->expected, 0, err) != 0) goto done;

  const char *compile[SSA_MAX_DESIGN_FILES + 8] = {"iverilog", "-g2005", "-Wall", "-o", "sim.vvp",
                                                    tb_name};
  unsigned n = 6;
  for (unsigned k = 0; k < d->file_count; k++) compile[n++] = d->files[k].name;
  compile[n] = NULL;
  if (ssa_run_tool("icarus: compiling", compile, dir, log, err) != 0) goto done;

  char act_arg[4200], fst_arg[4200];
  snprintf(act_arg, sizeof act_arg, "+actual=%s", act);
  const char *run[8] = {"vvp", "-n", "sim.vvp"};
  n = 3;
  if (fst_path != NULL) {
    /* vvp resolves the path in its own directory, so hand it an absolute one */
    char cwd[4096];
    if (fst_path[0] != '/' && getcwd(cwd, sizeof cwd) != NULL)
      snprintf(fst_arg, sizeof fst_arg, "+fst=%s/%s", cwd, fst_path);
    else snprintf(fst_arg, sizeof fst_arg, "+fst=%s", fst_path);
    run[n++] = "-fst";
    run[n++] = fst_arg;
  }
  run[n++] = act_arg;
  run[n] = NULL;
  if (ssa_run_tool("icarus: simulating", run, dir, log, err) != 0) goto done;
  if (ssa_read_file(log, &log_text, NULL, err) != 0) goto done;
  const char *line = find_verdict(log_text);
  if (line == NULL || strncmp(line, "ERROR", 5) == 0) {
    ssa_fail(err, "icarus: testbench %s (see %s)", line ? "reported an error" : "gave no verdict", log);
    goto done;
  }
  snprintf(verdict, verdict_len, "%.*s", (int)strcspn(line, "\n"), line);
  if (ssa_read_file(act, &act_text, NULL, err) != 0) goto done;
  unsigned rows = 0;
  if (ssa_vectors_read_hex(act, act_text, v, actual, &rows, err) != 0) goto done;
  if (rows != v->cycles) {
    ssa_fail(err, "icarus: %s has %u cycles, expected %u (see %s)", act, rows, v->cycles, log);
    goto done;
  }
  rc = 0;
done:
  if (rc == 0) ssa_remove_tree(dir);  /* on failure it stays: the message names its log */
  ssa_cleanup_forget(dir);
  free(tb);
  free(log);
  free(act);
  free(vvp);
  free(log_text);
  free(act_text);
  return rc;
}
