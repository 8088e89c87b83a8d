/* engine.c -- dispatch to the golden, Verilator and Icarus engines (see engine.h). */
#include "engine.h"

#include <stdio.h>
#include <string.h>

#include "../common/args.h"
#include "icarus.h"
#include "verilator.h"

static const char *const names[] = {"golden", "verilator", "icarus"};

int ssa_engine_parse(const char *name, ssa_engine *out) {
  int k = ssa_name_index(names, 3, name);
  if (k >= 0) *out = (ssa_engine)k;
  return k >= 0 ? 0 : -1;
}

const char *ssa_engine_name(ssa_engine e) { return names[e]; }

static int run_verilator(const ssa_vectors *v, const ssa_engine_opts *opts, uint64_t *actual,
                         ssa_error *err) {
  const ssa_design *d = v->design;
  ssa_verilator_opts vopts = {.cache_dir = opts->cache_dir, .trace = opts->fst_path != NULL,
                              .coverage = opts->toggles_path != NULL,
                              .progress = opts->progress};
  ssa_vmodel *m = NULL;
  if (ssa_verilator_open(d, &vopts, &m, err) != 0) return -1;
  if (opts->fst_path != NULL && ssa_vmodel_trace(m, opts->fst_path, err) != 0) {
    ssa_vmodel_close(m);
    return -1;
  }
  unsigned marks = opts->toggles_path != NULL ? opts->toggles_mark_count : 0, file = 0;
  int rc = marks <= sizeof opts->toggles_marks / sizeof opts->toggles_marks[0]
               ? 0 : ssa_fail(err, "verilator: more than 8 toggle count marks");
  char path[4200];
  for (unsigned c = 0; rc == 0 && c < v->cycles; c++) {
    /* at a mark: write what was counted since the last one, and count from zero again */
    while (rc == 0 && file < marks && c == opts->toggles_marks[file]) {
      snprintf(path, sizeof path, "%s.%u", opts->toggles_path, file++);
      rc = ssa_vmodel_write_toggles(m, path, err);
      if (rc == 0) rc = ssa_vmodel_zero_toggles(m, err);
    }
    for (unsigned p = 0; p < d->port_count; p++)
      if (d->ports[p].is_input) ssa_vmodel_poke(m, p, ssa_vectors_in(v, c, p));
    ssa_vmodel_cycle(m);
    for (unsigned p = 0; p < d->port_count; p++)
      if (!d->ports[p].is_input) ssa_vmodel_peek(m, p, ssa_vectors_out(v, actual, c, p));
  }
  if (rc == 0 && marks > 0) {
    while (rc == 0 && file <= marks) {  /* the rest, and marks beyond the run: empty files */
      snprintf(path, sizeof path, "%s.%u", opts->toggles_path, file++);
      rc = ssa_vmodel_write_toggles(m, path, err);
      if (rc == 0) rc = ssa_vmodel_zero_toggles(m, err);
    }
  } else if (rc == 0 && opts->toggles_path != NULL) {
    rc = ssa_vmodel_write_toggles(m, opts->toggles_path, err);
  }
  ssa_vmodel_close(m);
  return rc;
}

int ssa_engine_run(ssa_engine e, const ssa_vectors *v, const ssa_engine_opts *opts,
                   uint64_t *actual, ssa_error *err) {
  switch (e) {
    case SSA_ENGINE_GOLDEN:
      memcpy(actual, v->expected, sizeof *actual * v->cycles * v->out_words);
      return 0;
    case SSA_ENGINE_VERILATOR:
      return run_verilator(v, opts, actual, err);
    default: {
      char verdict[256];
      return ssa_icarus_run(v, opts->fst_path, actual, verdict, sizeof verdict, err);
    }
  }
}

/* Both harnesses start with clk_i low at time 0 and toggle it every 5 ns: the rising edge of
 * cycle c is at 10c + 5 ns. Verilator's FST counts in the model's 1 ns unit as given by the
 * harness; Icarus records in the testbench's 1 ps precision. */
long long ssa_engine_edge_time(ssa_engine e, unsigned cycle) {
  long long ns = 10LL * cycle + 5;
  return e == SSA_ENGINE_ICARUS ? ns * 1000 : ns;
}

void ssa_engine_scope(ssa_engine e, const ssa_design *d, char *buf, size_t len) {
  if (e == SSA_ENGINE_ICARUS) snprintf(buf, len, "tb_%s.dut", d->top);
  else snprintf(buf, len, "TOP.%s", d->top);
}
