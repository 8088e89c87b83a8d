/* sim_report.c -- mismatch report and waveform save files of `ssa sim` (see sim_report.h). */
#include "sim_report.h"

#include <stdio.h>
#include <stdlib.h>

#include "../sim/gtkw.h"

int ssa_write_run_gtkw(const char *fst, const ssa_design *d, const ssa_vectors *v, ssa_engine e,
                       long long marker, const char *comment, ssa_error *err) {
  char *path = ssa_gtkw_path_for(fst);
  if (path == NULL) return ssa_fail(err, "out of memory");
  char scope[128];
  ssa_engine_scope(e, d, scope, sizeof scope);
  ssa_gtkw g = {fst, scope, marker, ssa_engine_edge_time(e, v->cycles), comment, NULL};
  int rc = ssa_gtkw_write(path, d, &g, err);
  free(path);
  return rc;
}

void ssa_report_mismatch(const ssa_sim_subject *s, const ssa_mismatch *m,
                         const ssa_engine_opts *eopts) {
  char seed[48] = "no seed";
  if (s->seeded) snprintf(seed, sizeof seed, "seed %llu", (unsigned long long)s->seed);
  fprintf(stderr, "ssa: MISMATCH %s: expected %d, actual %d (engine %s, %s)\n", s->where,
          m->expected, m->actual, ssa_engine_name(s->engine), seed);
  const char *fst = s->trace != NULL ? s->trace : "ssa-mismatch.fst";
  fprintf(stderr, "ssa: reproduce: %s --trace %s\n", s->command, fst);
  if (s->engine == SSA_ENGINE_GOLDEN) return;
  ssa_error err;
  ssa_engine_opts traced = *eopts;
  traced.fst_path = fst;
  traced.progress = 0;
  const ssa_vectors *v = s->vectors;
  uint64_t *again = calloc((size_t)v->cycles * v->out_words + 1, sizeof *again);
  int rc = again == NULL ? ssa_fail(&err, "out of memory") : 0;
  /* with --trace the failing run already wrote the waveform; otherwise run once more, traced */
  if (rc == 0 && s->trace == NULL) rc = ssa_engine_run(s->engine, v, &traced, again, &err);
  char comment[400];
  snprintf(comment, sizeof comment, "MISMATCH %s: expected %d, actual %d", s->where, m->expected,
           m->actual);
  if (rc == 0)
    rc = ssa_write_run_gtkw(fst, s->design, v, s->engine, ssa_engine_edge_time(s->engine, m->cycle),
                            comment, &err);
  free(again);
  if (rc != 0) {
    fprintf(stderr, "ssa: no waveform: %s\n", err.msg);
    return;
  }
  char *gtkw = ssa_gtkw_path_for(fst);
  fprintf(stderr, "ssa: waveform: gtkwave %s %s\n", fst, gtkw ? gtkw : "");
  free(gtkw);
}
