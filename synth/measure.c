/* measure.c -- synthesis, netlist simulation and energy of one design (see measure.h). */
#include "measure.h"

#include <string.h>

int ssa_measure(const ssa_subject *s, const ssa_measure_opts *o, ssa_measurement *m,
                ssa_error *err) {
  memset(m, 0, sizeof *m);
  const ssa_design *d = ssa_subject_design(s);
  ssa_synth_opts so = o->synth;
  so.netlist = 1;
  so.no_transistors = 1;
  if (ssa_synth_run(d, &so, &m->synth, err) != 0) return -1;
  /* the steady window: from the clock that accepts the first step to the one that shows the
   * last result (sim/stepped_run.h) */
  const ssa_stepped_run *run = &s->run;
  unsigned steps = run->data.steps;
  ssa_activity_opts ao = {.cache_dir = o->cache_dir,
                          .liberty = so.flow == SSA_FLOW_LIBERTY ? so.liberty : NULL,
                          .window_begin = ssa_stepped_accept_cycle(run, 0),
                          .window_end = ssa_stepped_result_cycle(run, steps - 1),
                          .steps = steps,
                          .verilator = o->gate_sim_verilator,
                          .progress = so.progress};
  int rc = ssa_activity_run(ssa_subject_vectors(s), &m->synth, &ao, &m->activity, err);
  if (rc == 0 && m->activity.mismatch) return 1;
  if (rc == 0 && m->activity.nets_missing > 0)
    rc = ssa_fail(err, "%s: %lu of %lu driven nets of the netlist have no toggle count (the "
                  "first: %s)", d->top, m->activity.nets_missing,
                  m->activity.nets + m->activity.nets_missing, m->activity.first_missing);
  if (rc == 0)
    rc = ssa_energy_estimate(&m->synth, &m->activity, o->library, o->clock_mhz, d->interval,
                             &m->energy, err);
  if (rc != 0) {
    ssa_measurement_free(m);
    return -1;
  }
  return 0;
}

void ssa_measurement_free(ssa_measurement *m) {
  ssa_activity_free(&m->activity);
  ssa_synth_result_free(&m->synth);
  memset(m, 0, sizeof *m);
}
