/* sim_options.h -- the simulation options every `ssa sim <kind>` takes (--engine, --input,
 * --rate, --steps, --summary, --out, --trace, --cache, --inject-fault): parsed, checked and
 * echoed into reproducing commands in one place, for attention and the stepped kinds alike. */
#ifndef SSA_SIM_OPTIONS_H
#define SSA_SIM_OPTIONS_H

#include <stddef.h>

#include "../sim/engine.h"
#include "../common/args.h"

typedef struct ssa_sim_options {
  ssa_engine engine;
  const char *input, *out, *trace, *cache;
  double rate;
  int have_rate, summary, inject;
  unsigned steps;                      /* 0: not given */
  unsigned inject_step, inject_index;
} ssa_sim_options;

/* Nothing given, engine golden. */
void ssa_sim_options_init(ssa_sim_options *o);
/* One simulation option: 1 handled, 0 not one of them, -1 bad value (err set). */
int ssa_cli_sim_option(ssa_cli *c, const char *opt, ssa_sim_options *o, ssa_error *err);
/* After the options: exactly one of --input and --rate; --trace only for the RTL engines. */
int ssa_sim_options_check(const ssa_sim_options *o, ssa_error *err);
/* " --input FILE" or " --rate P", then " --inject-fault T,I" if given, appended to buf. */
void ssa_sim_options_stimulus_args(const ssa_sim_options *o, char *buf, size_t len);

#endif
