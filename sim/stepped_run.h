/* stepped_run.h -- one simulation of a stepped kind (kind.h): design, per-step stimulus and
 * golden outputs, and the clock-by-clock vectors every engine runs.
 * Schedule: SSA_RESET_CYCLES clocks with rst_ni low; step t enters on clock
 * accept(t) = SSA_RESET_CYCLES + t * interval with in_valid_i high (data ports are zero on
 * every other clock); after the edge of clock accept(t) + latency - 1 (latency counts edges,
 * from the one that accepts the step), out_valid_o is high for
 * that clock and the data outputs show step t's result, which they hold until the next
 * result (zero after reset). in_ready_o, where the design has it, is low after the edges of
 * clocks accept(t) .. accept(t) + interval - 2 and high otherwise. Every output bit is
 * checked after every edge, and on the kind's drain_cycles idle clocks after the last result. */
#ifndef SSA_STEPPED_RUN_H
#define SSA_STEPPED_RUN_H

#include "../kinds/kind.h"
#include "../core/stepdata.h"
#include "vectors.h"

#define SSA_RESET_CYCLES 2u

typedef struct ssa_stepped_run {
  const ssa_kind *kind;
  const void *params;
  ssa_design design;
  ssa_step_data data;      /* stimulus and golden outputs per step */
  ssa_vectors vectors;
  double golden_seconds;
} ssa_stepped_run;

/* Emits the design and builds the stimulus: from `input` (a path) or, when it is NULL, i.i.d.
 * at `rate`. steps 0 with a file: the file's steps. Runs the golden model and the schedule. */
int ssa_stepped_run_init(ssa_stepped_run *r, const ssa_kind *kind, const void *params,
                         const char *input, double rate, unsigned steps, ssa_error *err);
/* The design, stimulus and golden outputs only, no vectors: what the golden engine of `ssa sim`
 * needs, at the golden model's own speed (the vectors of a long run are several times the size
 * of its step data). ssa_stepped_run_schedule adds the vectors later. */
int ssa_stepped_run_init_golden(ssa_stepped_run *r, const ssa_kind *kind, const void *params,
                                const char *input, double rate, unsigned steps, ssa_error *err);
int ssa_stepped_run_schedule(ssa_stepped_run *r, ssa_error *err);
/* The same with a stimulus made by the caller: fill(ctx, design, s, err) initialises s for the
 * design (ssa_step_data_init) and fills s->in, like a kind's read_input. */
typedef int ssa_stimulus_fn(void *ctx, const ssa_design *d, ssa_step_data *s, ssa_error *err);
int ssa_stepped_run_init_from(ssa_stepped_run *r, const ssa_kind *kind, const void *params,
                              ssa_stimulus_fn *fill, void *ctx, ssa_error *err);
void ssa_stepped_run_free(ssa_stepped_run *r);
unsigned ssa_stepped_accept_cycle(const ssa_stepped_run *r, unsigned step);
unsigned ssa_stepped_result_cycle(const ssa_stepped_run *r, unsigned step);
/* The per-step outputs an engine produced (read on the result clocks), as step data with the
 * run's stimulus. */
int ssa_stepped_run_outputs(const ssa_stepped_run *r, const uint64_t *actual, ssa_step_data *out,
                            ssa_error *err);
/* Flips expected bit `index` of the first data output of step `step` (checker self-test). */
int ssa_stepped_run_inject(ssa_stepped_run *r, unsigned step, unsigned index, ssa_error *err);
/* "cycle 9 (result of step 2), y_o[37] = token 1, output 5" */
void ssa_stepped_run_describe(const ssa_stepped_run *r, const ssa_mismatch *m, char *buf,
                              size_t len);

#endif
