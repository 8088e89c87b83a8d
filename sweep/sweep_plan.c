/* sweep_plan.c -- `ssa sweep plan`: a grid of design options times a list of commands, checked
 * point by point against the kind, written as a job directory (sweep.h, sweep_dir.h). */
#define _XOPEN_SOURCE 700  /* realpath: the job lines name the directory absolutely */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/args.h"
#include "../common/json.h"
#include "../common/outfile.h"
#include "../common/process.h"
#include "../kinds/kind.h"
#include "sweep.h"
#include "sweep_dir.h"

/* Paths, values and command words go into shell lines, make recipes and #SBATCH lines
 * unquoted, so they are kept to characters that mean nothing to any of them. */
static int safe_word(const char *what, const char *w, ssa_error *err) {
  if (w[0] == '\0') return ssa_fail(err, "%s: empty", what);
  for (const char *c = w; *c != '\0'; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
          strchr("._/+-,:=@%~^", *c) != NULL))
      return ssa_fail(err, "%s: '%c' cannot appear in a sweep (only letters, digits and "
                      ". _ / + - , : = @ %% ~ ^: paths and values go into shell, make and Slurm "
                      "lines unquoted)", what, *c);
  return 0;
}

static const char *option_name(const char *text) {
  return strncmp(text, "--", 2) == 0 ? text + 2 : text;
}

/* "OPT=REST" into a malloc'd copy cut at the '=': the option (without "--") and REST. */
static int split_assignment(const char *flag, const char *text, const char *form, char **buf,
                            const char **option, char **rest, ssa_error *err) {
  const char *eq = strchr(text, '=');
  if (eq == NULL || eq == text || eq[1] == '\0')
    return ssa_fail(err, "%s %s: expected %s", flag, text, form);
  *buf = strdup(text);
  if (*buf == NULL) return ssa_fail(err, "out of memory");
  (*buf)[eq - text] = '\0';
  *option = option_name(*buf);
  *rest = *buf + (eq - text) + 1;
  return 0;
}

int ssa_sweep_add_vary(ssa_sweep_spec *s, const char *text, ssa_error *err) {
  if (s->vary_count == SSA_SWEEP_MAX_VARY)
    return ssa_fail(err, "--vary: at most %u", SSA_SWEEP_MAX_VARY);
  ssa_sweep_axis *axis = &s->vary[s->vary_count++];
  memset(axis, 0, sizeof *axis);
  char *list = NULL;
  if (split_assignment("--vary", text, "OPTION=V1,V2,...", &axis->buf, &axis->option, &list,
                       err) != 0)
    return -1;
  unsigned cap = 1;
  for (const char *c = list; *c != '\0'; c++) cap += *c == ',';
  axis->values = calloc(cap, sizeof *axis->values);
  if (axis->values == NULL) return ssa_fail(err, "out of memory");
  char *save = NULL;
  for (char *v = strtok_r(list, ",", &save); v != NULL; v = strtok_r(NULL, ",", &save)) {
    for (unsigned k = 0; k < axis->count; k++)
      if (strcmp(axis->values[k], v) == 0)
        return ssa_fail(err, "--vary %s: '%s' is there twice", text, v);
    axis->values[axis->count++] = v;
  }
  if (axis->count != cap)
    return ssa_fail(err, "--vary %s: an empty value (two commas, or one at an end)", text);
  return 0;
}

int ssa_sweep_add_set(ssa_sweep_spec *s, const char *text, ssa_error *err) {
  if (s->set_count == SSA_SWEEP_MAX_SET)
    return ssa_fail(err, "--set: at most %u", SSA_SWEEP_MAX_SET);
  unsigned k = s->set_count++;
  char *value = NULL;
  if (split_assignment("--set", text, "OPTION=VALUE", &s->set_buf[k], &s->set_option[k], &value,
                       err) != 0)
    return -1;
  s->set_value[k] = value;
  return 0;
}

void ssa_sweep_spec_free(ssa_sweep_spec *s) {
  for (unsigned a = 0; a < s->vary_count; a++) {
    free(s->vary[a].buf);
    free(s->vary[a].values);
  }
  for (unsigned k = 0; k < s->set_count; k++) free(s->set_buf[k]);
  memset(s, 0, sizeof *s);
}

/* The words of a --do command. */
typedef struct command_words {
  char *buf;
  char *word[SSA_SWEEP_MAX_WORDS];
  unsigned count;
} command_words;

static int split_command(const char *text, command_words *w, ssa_error *err) {
  memset(w, 0, sizeof *w);
  w->buf = strdup(text);
  if (w->buf == NULL) return ssa_fail(err, "out of memory");
  char *save = NULL;
  for (char *t = strtok_r(w->buf, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
    if (w->count == SSA_SWEEP_MAX_WORDS)
      return ssa_fail(err, "--do '%s': more than %u words", text, SSA_SWEEP_MAX_WORDS);
    if (safe_word("--do", t, err) != 0) return -1;
    w->word[w->count++] = t;
  }
  if (w->count == 0) return ssa_fail(err, "--do: empty command");
  const char *cmd = w->word[0];
  if (strcmp(cmd, "synth") != 0 && strcmp(cmd, "energy") != 0 && strcmp(cmd, "sim") != 0)
    return ssa_fail(err, "--do '%s': the command must be %s (the kind and design options come "
                    "from the grid)", text, SSA_SWEEP_COMMANDS);
  for (unsigned k = 1; k < w->count; k++)
    if (strcmp(w->word[k], "--json") == 0 || strncmp(w->word[k], "--json=", 7) == 0 ||
        strcmp(w->word[k], "--out") == 0 || strncmp(w->word[k], "--out=", 6) == 0)
      return ssa_fail(err, "--do '%s': %s is the sweep's (each point writes its result to "
                      "results/ID.json)", text, w->word[k]);
  return 0;
}

/* One point's design options (set, then varied) through the kind's parser and cross-checks:
 * a bad size is refused here, not hours later in a runner. */
static int check_design(const ssa_kind *k, const char *const *names, const char *const *values,
                        unsigned count, ssa_error *err) {
  void *params = calloc(1, k->params_size);
  if (params == NULL) return ssa_fail(err, "out of memory");
  ssa_kind_defaults(k, params);
  int rc = 0;
  for (unsigned o = 0; o < count && rc == 0; o++) {
    char opt[128];
    snprintf(opt, sizeof opt, "--%s", names[o]);
    char *argv[] = {opt, (char *)values[o], NULL};
    ssa_cli c;
    ssa_cli_init(&c, 2, argv, "sweep plan");
    const char *name = ssa_cli_next(&c);
    int handled = ssa_kind_option(k, &c, name, params, err);
    if (handled == 0)
      rc = ssa_fail(err, "%s is not a design option of %s (see 'ssa gen %s --help')", opt,
                    k->name, k->name);
    else if (handled < 0) rc = -1;
  }
  if (rc == 0) rc = ssa_kind_prepare(k, params, err);
  k->release(params);
  free(params);
  return rc;
}

typedef struct plan_text {
  char *json, *jobs, *makefile, *slurm;
  size_t json_len, jobs_len, makefile_len, slurm_len;
} plan_text;

static void plan_text_free(plan_text *t) {
  free(t->json);
  free(t->jobs);
  free(t->makefile);
  free(t->slurm);
}

/* Point k's values, axis by axis: the first axis varies slowest. */
static void point_values(const ssa_sweep_spec *s, unsigned long design, const char **values) {
  for (unsigned a = s->vary_count; a-- > 0;) {
    values[a] = s->vary[a].values[design % s->vary[a].count];
    design /= s->vary[a].count;
  }
}

static int build_plan(const ssa_sweep_spec *s, const command_words *cmds, const char *dir,
                      const char *cwd, const char *self, unsigned long designs, plan_text *t,
                      ssa_error *err) {
  FILE *json = open_memstream(&t->json, &t->json_len);
  FILE *jobs = open_memstream(&t->jobs, &t->jobs_len);
  FILE *mk = open_memstream(&t->makefile, &t->makefile_len);
  FILE *sl = open_memstream(&t->slurm, &t->slurm_len);
  if (json == NULL || jobs == NULL || mk == NULL || sl == NULL) {
    if (json) fclose(json);
    if (jobs) fclose(jobs);
    if (mk) fclose(mk);
    if (sl) fclose(sl);
    return ssa_fail(err, "out of memory");
  }
  unsigned long total = designs * s->command_count;
  int digits = total < 10000 ? 4 : total < 100000 ? 5 : 6;

  fprintf(json, "{\"sweep\": 1");
  ssa_json_member_string(json, "kind", s->kind);
  ssa_json_member_string(json, "cwd", cwd);
  ssa_json_member_string(json, "ssa", self);
  fprintf(json, ",\n \"vary\": [");
  for (unsigned a = 0; a < s->vary_count; a++) {
    fprintf(json, "%s{\"option\": ", a ? ", " : "");
    ssa_json_string(json, s->vary[a].option);
    fprintf(json, ", \"values\": [");
    for (unsigned v = 0; v < s->vary[a].count; v++) {
      if (v) fputs(", ", json);
      ssa_json_string(json, s->vary[a].values[v]);
    }
    fprintf(json, "]}");
  }
  fprintf(json, "],\n \"set\": [");
  for (unsigned k = 0; k < s->set_count; k++) {
    fprintf(json, "%s{\"option\": ", k ? ", " : "");
    ssa_json_string(json, s->set_option[k]);
    ssa_json_member_string(json, "value", s->set_value[k]);
    fputc('}', json);
  }
  fprintf(json, "],\n \"commands\": [");
  for (unsigned c = 0; c < s->command_count; c++) {
    if (c) fputs(", ", json);
    ssa_json_string(json, s->commands[c]);
  }
  fprintf(json, "],\n \"points\": [\n");

  fprintf(mk, "# Makefile -- written by 'ssa sweep plan'; do not edit.\n"
              "# 'make -j N' here (or 'ssa sweep run %s') runs every point whose result,\n"
              "# results/ID.json, is missing. Each recipe is the point's line of 'jobs'.\n"
              ".PHONY: all\nall:", dir);
  fprintf(sl, "#!/bin/sh\n"
              "# slurm.sh -- written by 'ssa sweep plan': the job list as a Slurm array; task K\n"
              "# runs line K of %s/jobs. Submit with 'sbatch %s/slurm.sh';\n"
              "# 'sbatch --array=1-%lu%%J ...' runs at most J at once. A point already done is\n"
              "# skipped, so submitting again runs only the missing ones.\n"
              "#SBATCH --job-name=ssa-sweep\n#SBATCH --array=1-%lu\n"
              "#SBATCH --output=%s/logs/slurm-%%a.out\n#SBATCH --ntasks=1\n"
              "line=$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" %s/jobs)\n"
              "[ -n \"$line\" ] || { echo \"slurm.sh: no line $SLURM_ARRAY_TASK_ID in %s/jobs\" >&2; "
              "exit 2; }\nexec sh -c \"$line\"\n", dir, dir, total, total, dir, dir, dir);

  unsigned long id = 0;
  const char *values[SSA_SWEEP_MAX_VARY];
  for (unsigned long d = 0; d < designs; d++) {
    point_values(s, d, values);
    for (unsigned c = 0; c < s->command_count; c++) {
      char pid[16];
      snprintf(pid, sizeof pid, "p%0*lu", digits, ++id);
      fprintf(json, "  %s{\"id\": \"%s\"", id > 1 ? "," : "", pid);
      ssa_json_member_string(json, "command", s->commands[c]);
      fprintf(json, ", \"options\": {");
      for (unsigned a = 0; a < s->vary_count; a++) {
        fprintf(json, "%s", a ? ", " : "");
        ssa_json_string(json, s->vary[a].option);
        fputs(": ", json);
        ssa_json_string(json, values[a]);
      }
      fprintf(json, "}, \"argv\": [");
      /* the argv: command, kind, fixed options, varied options, the command's options */
      ssa_json_string(json, cmds[c].word[0]);
      fputs(", ", json);
      ssa_json_string(json, s->kind);
      fprintf(jobs, "cd %s && %s sweep point %s %s -- %s %s", cwd, self, dir, pid,
              cmds[c].word[0], s->kind);
      for (unsigned k = 0; k < s->set_count; k++) {
        fprintf(json, ", \"--%s\", ", s->set_option[k]);
        ssa_json_string(json, s->set_value[k]);
        fprintf(jobs, " --%s %s", s->set_option[k], s->set_value[k]);
      }
      for (unsigned a = 0; a < s->vary_count; a++) {
        fprintf(json, ", \"--%s\", ", s->vary[a].option);
        ssa_json_string(json, values[a]);
        fprintf(jobs, " --%s %s", s->vary[a].option, values[a]);
      }
      for (unsigned w = 1; w < cmds[c].count; w++) {
        fputs(", ", json);
        ssa_json_string(json, cmds[c].word[w]);
        fprintf(jobs, " %s", cmds[c].word[w]);
      }
      fprintf(json, "]}\n");
      fputc('\n', jobs);
      fprintf(mk, " \\\n  results/%s.json", pid);
    }
  }
  fprintf(json, " ]}\n");
  fputc('\n', mk);
  /* the recipes: the job list's lines again, in the same order */
  fflush(jobs);
  const char *line = t->jobs;
  for (unsigned long k = 1; k <= total; k++) {
    const char *end = strchr(line, '\n');
    fprintf(mk, "results/p%0*lu.json:\n\t%.*s\n", digits, k, (int)(end - line), line);
    line = end + 1;
  }
  int bad = ferror(json) || ferror(jobs) || ferror(mk) || ferror(sl);
  bad |= fclose(json) != 0;
  bad |= fclose(jobs) != 0;
  bad |= fclose(mk) != 0;
  bad |= fclose(sl) != 0;
  return bad ? ssa_fail(err, "out of memory") : 0;
}

/* An existing DIR/sweep.json: the same plan (0, nothing to write), or another one (error). */
static int same_plan(const char *dir, const plan_text *t, int *same, ssa_error *err) {
  char path[SSA_SWEEP_PATH];
  *same = 0;
  if (ssa_sweep_path(path, sizeof path, dir, "sweep.json", err) != 0) return -1;
  struct stat st;
  if (stat(path, &st) != 0) return 0;
  char *old;
  size_t len;
  if (ssa_input_check(path, err) != 0 || ssa_read_file(path, &old, &len, err) != 0) return -1;
  *same = len == t->json_len && memcmp(old, t->json, len) == 0;
  free(old);
  if (!*same)
    return ssa_fail(err, "%s holds another sweep (%s); remove it or plan into another --out",
                    dir, path);
  return 0;
}

static int make_subdirs(const char *dir, ssa_error *err) {
  char path[SSA_SWEEP_PATH];
  if (ssa_sweep_path(path, sizeof path, dir, "results", err) != 0 ||
      ssa_cli_make_dir(path, err) != 0)
    return -1;
  if (ssa_sweep_path(path, sizeof path, dir, "logs", err) != 0 ||
      ssa_cli_make_dir(path, err) != 0)
    return -1;
  return 0;
}

int ssa_sweep_plan(const ssa_sweep_spec *s, const char *self, ssa_error *err) {
  const ssa_kind *k = ssa_kind_find(s->kind);
  if (k == NULL)
    return ssa_fail(err, "sweep plan: unknown kind '%s' (one of %s)", s->kind, ssa_kind_names());
  if (s->command_count == 0) return ssa_fail(err, "sweep plan: no --do command");
  if (s->dir == NULL) return ssa_fail(err, "sweep plan: no --out DIR");
  if (safe_word("--out", s->dir, err) != 0) return -1;
  for (unsigned a = 0; a < s->vary_count; a++) {
    for (unsigned b = 0; b < a; b++)
      if (strcmp(s->vary[a].option, s->vary[b].option) == 0)
        return ssa_fail(err, "--vary %s: given twice", s->vary[a].option);
    for (unsigned b = 0; b < s->set_count; b++)
      if (strcmp(s->vary[a].option, s->set_option[b]) == 0)
        return ssa_fail(err, "--vary %s and --set %s: one option, varied and fixed",
                        s->vary[a].option, s->set_option[b]);
    if (safe_word("--vary", s->vary[a].option, err) != 0) return -1;
    for (unsigned v = 0; v < s->vary[a].count; v++)
      if (safe_word("--vary", s->vary[a].values[v], err) != 0) return -1;
  }
  for (unsigned b = 0; b < s->set_count; b++)
    if (safe_word("--set", s->set_option[b], err) != 0 ||
        safe_word("--set", s->set_value[b], err) != 0)
      return -1;

  /* every design of the grid through the kind's checks */
  unsigned long designs = 1;
  for (unsigned a = 0; a < s->vary_count; a++) {
    designs *= s->vary[a].count;
    if (designs * s->command_count > SSA_SWEEP_MAX_POINTS)
      return ssa_fail(err, "sweep plan: more than %u points", SSA_SWEEP_MAX_POINTS);
  }
  const char *names[SSA_SWEEP_MAX_SET + SSA_SWEEP_MAX_VARY];
  const char *values[SSA_SWEEP_MAX_SET + SSA_SWEEP_MAX_VARY];
  for (unsigned b = 0; b < s->set_count; b++) {
    names[b] = s->set_option[b];
    values[b] = s->set_value[b];
  }
  for (unsigned a = 0; a < s->vary_count; a++) names[s->set_count + a] = s->vary[a].option;
  for (unsigned long d = 0; d < designs; d++) {
    point_values(s, d, values + s->set_count);
    if (check_design(k, names, values, s->set_count + s->vary_count, err) != 0) {
      char where[512];
      size_t used = 0;
      for (unsigned a = 0; a < s->vary_count && used < sizeof where; a++)
        used += (size_t)snprintf(where + used, sizeof where - used, "%s%s=%s", a ? " " : "",
                                 s->vary[a].option, values[s->set_count + a]);
      ssa_error inner = *err;
      return ssa_fail(err, "sweep plan: %s%s%s: %s", k->name, s->vary_count ? " at " : "",
                      s->vary_count ? where : "", inner.msg);
    }
  }
  command_words cmds[SSA_SWEEP_MAX_DO];
  memset(cmds, 0, sizeof cmds);
  int rc = 0;
  for (unsigned c = 0; c < s->command_count && rc == 0; c++)
    rc = split_command(s->commands[c], &cmds[c], err);

  char cwd[PATH_MAX], dir[PATH_MAX];
  plan_text t = {0};
  if (rc == 0 && getcwd(cwd, sizeof cwd) == NULL)
    rc = ssa_fail(err, "sweep plan: current directory: %s", strerror(errno));
  if (rc == 0 && safe_word("the current directory", cwd, err) != 0) rc = -1;
  if (rc == 0 && safe_word("the ssa binary's path", self, err) != 0) rc = -1;
  struct stat st;
  int created = stat(s->dir, &st) != 0;  /* removed again if the plan fails */
  if (rc == 0 && (ssa_cli_dir_check(s->dir, err) != 0 || ssa_cli_make_dir(s->dir, err) != 0))
    rc = -1;
  created = created && rc == 0;
  if (rc == 0 && realpath(s->dir, dir) == NULL)
    rc = ssa_fail(err, "%s: %s", s->dir, strerror(errno));
  if (rc == 0 && safe_word("--out", dir, err) != 0) rc = -1;
  if (rc == 0) rc = build_plan(s, cmds, dir, cwd, self, designs, &t, err);
  int same = 0;
  if (rc == 0) rc = same_plan(dir, &t, &same, err);
  if (rc == 0) rc = make_subdirs(dir, err);
  if (rc == 0 && !same) {
    char path[SSA_SWEEP_PATH];
    ssa_outset set;
    ssa_outset_init(&set);
    const struct {
      const char *name, *data;
      size_t len;
    } files[] = {{"jobs", t.jobs, t.jobs_len},
                 {"Makefile", t.makefile, t.makefile_len},
                 {"slurm.sh", t.slurm, t.slurm_len},
                 {"sweep.json", t.json, t.json_len}};
    for (unsigned f = 0; f < sizeof files / sizeof files[0] && rc == 0; f++)
      if (ssa_sweep_path(path, sizeof path, dir, files[f].name, err) != 0 ||
          ssa_outset_add(&set, path, files[f].data, files[f].len, err) != 0)
        rc = -1;
    if (rc == 0) rc = ssa_outset_commit(&set, err);
    else ssa_outset_abort(&set);
  }
  if (rc != 0 && created) {  /* nothing half-written: the (empty) directories this run made go */
    char path[SSA_SWEEP_PATH];
    if (snprintf(path, sizeof path, "%s/results", s->dir) < (int)sizeof path) rmdir(path);
    if (snprintf(path, sizeof path, "%s/logs", s->dir) < (int)sizeof path) rmdir(path);
    rmdir(s->dir);
  }
  if (rc == 0) {
    unsigned long total = designs * s->command_count;
    printf("%s: %lu point%s (%lu design%s x %u command%s)%s\n", s->dir, total,
           total == 1 ? "" : "s", designs, designs == 1 ? "" : "s", s->command_count,
           s->command_count == 1 ? "" : "s", same ? ", planned already" : "");
    printf("run with one of:\n  ssa sweep run %s --jobs J\n  make -C %s -j J\n"
           "  parallel -j J < %s/jobs\n  sbatch %s/slurm.sh\nthen: ssa sweep collect %s\n",
           s->dir, s->dir, s->dir, s->dir, s->dir);
  }
  for (unsigned c = 0; c < s->command_count; c++) free(cmds[c].buf);
  plan_text_free(&t);
  return rc;
}
