/* args.c -- walking a command line and parsing option values (see args.h). */
#include "args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

void ssa_cli_init(ssa_cli *c, int argc, char **argv, const char *command) {
  c->argc = argc;
  c->argv = argv;
  c->i = 0;
  c->inline_value = NULL;
  c->command = command;
}

const char *ssa_cli_next(ssa_cli *c) {
  static char name[64];
  c->inline_value = NULL;
  if (c->i >= c->argc) return NULL;
  const char *arg = c->argv[c->i++];
  const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
  if (eq == NULL || (size_t)(eq - arg) >= sizeof name) return arg;
  memcpy(name, arg, (size_t)(eq - arg));
  name[eq - arg] = '\0';
  c->inline_value = eq + 1;
  return name;
}

int ssa_cli_value(ssa_cli *c, const char *opt, const char **value, ssa_error *err) {
  if (c->inline_value != NULL) {
    *value = c->inline_value;
    c->inline_value = NULL;
    return 0;
  }
  if (c->i >= c->argc) return ssa_fail(err, "%s needs a value (see 'ssa %s --help')", opt, c->command);
  /* "--out --summary" is a forgotten value, not a file named --summary */
  const char *next = c->argv[c->i];
  if (strncmp(next, "--", 2) == 0)
    return ssa_fail(err, "%s needs a value, not the option '%s' (write %s=%s for a value that "
                    "starts with --)", opt, next, opt, next);
  c->i++;
  *value = next;
  return 0;
}

int ssa_cli_unknown(const ssa_cli *c, const char *opt, ssa_error *err) {
  if (opt[0] == '-') return ssa_fail(err, "unknown option '%s' (see 'ssa %s --help')", opt, c->command);
  return ssa_fail(err, "unexpected argument '%s' (see 'ssa %s --help')", opt, c->command);
}

int ssa_parse_unsigned(const char *opt, const char *text, unsigned long long max,
                       unsigned long long *out, ssa_error *err) {
  const char *s = text;
  while (*s == ' ') s++;
  if (*s == '-') return ssa_fail(err, "%s %s: must not be negative", opt, text);
  if (*s < '0' || *s > '9') return ssa_fail(err, "%s %s: not a number", opt, text);
  errno = 0;
  char *end = NULL;
  /* decimal only: "010" is ten and "0x10" not a number, as a user reading them would think */
  unsigned long long v = strtoull(s, &end, 10);
  if (*end != '\0') return ssa_fail(err, "%s %s: not a number", opt, text);
  if (errno == ERANGE || v > max) return ssa_fail(err, "%s %s: larger than %llu", opt, text, max);
  *out = v;
  return 0;
}

int ssa_parse_rate(const char *opt, const char *text, double *out, ssa_error *err) {
  char *end = NULL;
  errno = 0;
  double v = strtod(text, &end);
  if (end == text || *end != '\0' || errno == ERANGE)
    return ssa_fail(err, "%s %s: not a number", opt, text);
  if (!(v >= 0.0 && v <= 1.0)) return ssa_fail(err, "%s %s: must be from 0 to 1", opt, text);
  *out = v;
  return 0;
}

int ssa_name_index(const char *const names[], unsigned count, const char *name) {
  for (unsigned k = 0; k < count; k++)
    if (strcmp(name, names[k]) == 0) return (int)k;
  return -1;
}

int ssa_cli_progress(void) { return isatty(STDERR_FILENO); }

int ssa_cli_make_dir(const char *dir, ssa_error *err) {
  struct stat st;
  if (stat(dir, &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return ssa_fail(err, "%s: exists and is not a directory", dir);
    return 0;
  }
  if (mkdir(dir, 0777) != 0) return ssa_fail(err, "%s: cannot create directory: %s", dir, strerror(errno));
  return 0;
}

int ssa_cli_dir_check(const char *dir, ssa_error *err) {
  struct stat st;
  if (dir[0] == '\0') return ssa_fail(err, "an output directory is empty");
  if (stat(dir, &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return ssa_fail(err, "%s: exists and is not a directory", dir);
    if (access(dir, W_OK) != 0) return ssa_fail(err, "%s: directory is not writable", dir);
    return 0;
  }
  if (errno != ENOENT) return ssa_fail(err, "%s: %s", dir, strerror(errno));
  return ssa_new_name_check(dir, "make it in", err);
}

int ssa_parse_fault(const char *text, unsigned *step, unsigned *index, ssa_error *err) {
  unsigned long long a, b;
  const char *comma = strchr(text, ',');
  char head[32];
  if (comma == NULL || (size_t)(comma - text) >= sizeof head)
    return ssa_fail(err, "--inject-fault %s: expected STEP,INDEX", text);
  memcpy(head, text, (size_t)(comma - text));
  head[comma - text] = '\0';
  if (ssa_parse_unsigned("--inject-fault", head, 0xffffffffu, &a, err) != 0 ||
      ssa_parse_unsigned("--inject-fault", comma + 1, 0xffffffffu, &b, err) != 0)
    return -1;
  *step = (unsigned)a;
  *index = (unsigned)b;
  return 0;
}
