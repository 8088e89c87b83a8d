/* sim_options.c -- the options of `ssa sim` (see sim_options.h). */
#include "sim_options.h"

#include <stdio.h>
#include <string.h>

#include "../common/outfile.h"
#include "../core/stepdata.h"
#include "../gen/emit_util.h"

void ssa_sim_options_init(ssa_sim_options *o) {
  memset(o, 0, sizeof *o);
  o->engine = SSA_ENGINE_GOLDEN;
}

int ssa_cli_sim_option(ssa_cli *c, const char *opt, ssa_sim_options *o, ssa_error *err) {
  if (strcmp(opt, "--summary") == 0) {
    o->summary = 1;
    return 1;
  }
  if (strcmp(opt, "--force") == 0) {  /* past the size limits of the step data and Verilog */
    ssa_step_data_set_limit(0);
    ssa_emit_set_limit(0);
    return 1;
  }
  static const char *const with_value[] = {"--engine", "--input", "--rate", "--steps", "--out",
                                           "--trace", "--cache", "--inject-fault", NULL};
  int known = 0;
  for (const char *const *w = with_value; *w != NULL; w++) known |= strcmp(opt, *w) == 0;
  if (!known) return 0;
  const char *v;
  unsigned long long n;
  if (ssa_cli_value(c, opt, &v, err) != 0) return -1;
  if (strcmp(opt, "--engine") == 0) {
    if (ssa_engine_parse(v, &o->engine) != 0)
      return ssa_fail(err, "--engine %s: must be golden, verilator or icarus", v);
  } else if (strcmp(opt, "--input") == 0) o->input = v;
  else if (strcmp(opt, "--out") == 0) {
    /* "-" is standard output; a path is checked before the simulation, not after */
    if (strcmp(v, "-") != 0 && ssa_outfile_check(v, err) != 0) return -1;
    o->out = strcmp(v, "-") == 0 ? NULL : v;
  }
  else if (strcmp(opt, "--trace") == 0) o->trace = v;
  else if (strcmp(opt, "--cache") == 0) o->cache = v;
  else if (strcmp(opt, "--rate") == 0) {
    if (ssa_parse_rate(opt, v, &o->rate, err) != 0) return -1;
    o->have_rate = 1;
  } else if (strcmp(opt, "--steps") == 0) {
    if (ssa_parse_unsigned(opt, v, 1000000, &n, err) != 0) return -1;
    if (n == 0) return ssa_fail(err, "--steps 0: must be at least 1");
    o->steps = (unsigned)n;
  } else {
    if (ssa_parse_fault(v, &o->inject_step, &o->inject_index, err) != 0) return -1;
    o->inject = 1;
  }
  return 1;
}

int ssa_sim_options_check(const ssa_sim_options *o, ssa_error *err) {
  if ((o->input != NULL) == o->have_rate)
    return ssa_fail(err, "give exactly one of --input FILE and --rate P");
  if (o->trace != NULL && o->engine == SSA_ENGINE_GOLDEN)
    return ssa_fail(err, "--trace needs --engine verilator or icarus");
  return 0;
}

void ssa_sim_options_stimulus_args(const ssa_sim_options *o, char *buf, size_t len) {
  size_t n = strlen(buf);
  if (n < len && o->input != NULL) n += (size_t)snprintf(buf + n, len - n, " --input %s", o->input);
  else if (n < len) n += (size_t)snprintf(buf + n, len - n, " --rate %.17g", o->rate);
  if (n < len && o->inject)
    snprintf(buf + n, len - n, " --inject-fault %u,%u", o->inject_step, o->inject_index);
}
