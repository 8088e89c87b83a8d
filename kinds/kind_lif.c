/* kind_lif.c -- `ssa gen|sim lif`: an array of LIF neurons fed with signed integer currents.
 * Stimulus: one line per step of M signed W-bit currents; output: one line per step of M
 * spikes. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/stimulus.h"
#include "../gen/emit_lif.h"
#include "kinds.h"

static const ssa_option options[] = {
    {.name = "--neurons", .metavar = "M", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(ssa_lif_array_params, neurons), .min = 1, .max = SSA_LIF_MAX_NEURONS,
     .def = 8, .help = "neurons"},
    SSA_OPTION_LIF(ssa_lif_array_params, lif),
    {0}};

static int prepare(void *params, ssa_error *err) {
  ssa_lif_array_params *p = params;
  return ssa_lif_params_check(&p->lif, err);
}

static void release(void *params) { (void)params; }

static int emit(const void *params, const char *line, ssa_design *d, ssa_error *err) {
  return ssa_emit_lif_array(params, line, d, err);
}

static int64_t current_min(const ssa_lif_array_params *p) {
  return -((int64_t)1 << (p->lif.width - 1));
}
static int64_t current_max(const ssa_lif_array_params *p) {
  return ((int64_t)1 << (p->lif.width - 1)) - 1;
}

static void put_currents(const ssa_lif_array_params *p, uint64_t *w, const int64_t *values) {
  for (unsigned m = 0; m < p->neurons; m++)
    ssa_words_put_field(w, (size_t)m * p->lif.width, p->lif.width, (uint64_t)values[m]);
}

static int read_input(const void *params, const ssa_design *d, const char *path, unsigned steps,
                      ssa_step_data *s, ssa_error *err) {
  const ssa_lif_array_params *p = params;
  char reason[32];
  snprintf(reason, sizeof reason, "--width %u", p->lif.width);
  return ssa_kind_read_ints(d, path, steps, "current_i", p->neurons, p->lif.width, current_min(p),
                            current_max(p), reason, s, err);
}

/* --rate P for currents: I = round(2 P TH u), u uniform in [0, 1) from the stimulus stream of
 * the kind's seed (ssa_kind_seed: 1, lif has no --seed), clipped
 * to the W-bit maximum: the mean input is P * TH, so the spike rate grows with P. */
static int random_input(const void *params, const ssa_design *d, unsigned steps, double rate,
                        uint64_t seed, ssa_step_data *s, ssa_error *err) {
  const ssa_lif_array_params *p = params;
  if (ssa_step_data_init(s, d, steps, err) != 0) return -1;
  int port = ssa_design_port_index(d, "current_i");
  ssa_rng rng;
  ssa_rng_seed(&rng, seed, SSA_STREAM_STIMULUS);
  int64_t *values = malloc(sizeof *values * p->neurons);
  if (values == NULL) {
    ssa_step_data_free(s);
    return ssa_fail(err, "out of memory");
  }
  for (unsigned t = 0; t < steps; t++) {
    for (unsigned m = 0; m < p->neurons; m++) {
      double u = ssa_rng_uniform(&rng);
      int64_t v = (int64_t)(rate * 2.0 * (double)p->lif.threshold * u + 0.5);
      values[m] = v > current_max(p) ? current_max(p) : v;
    }
    put_currents(p, ssa_step_in(s, t, (unsigned)port), values);
  }
  free(values);
  return 0;
}

static int golden(const void *params, ssa_step_data *s, ssa_error *err) {
  const ssa_lif_array_params *p = params;
  int in = ssa_design_port_index(s->design, "current_i"), out = ssa_design_port_index(s->design, "spike_o");
  int64_t *u = calloc(p->neurons, sizeof *u);
  if (u == NULL) return ssa_fail(err, "out of memory");
  for (unsigned t = 0; t < s->steps; t++) {
    const uint64_t *cur = ssa_step_in(s, t, (unsigned)in);
    uint64_t *spikes = ssa_step_out(s, t, (unsigned)out);
    for (unsigned m = 0; m < p->neurons; m++) {
      int64_t current = ssa_words_get_signed(cur, (size_t)m * p->lif.width, p->lif.width);
      ssa_words_set(spikes, m, ssa_lif_step(&p->lif, &u[m], current));
    }
  }
  free(u);
  return 0;
}

static void io(const void *params, ssa_kind_io *io) {
  ssa_kind_line_io(io, ((const ssa_lif_array_params *)params)->neurons, "neuron");
}

const ssa_kind ssa_kind_lif = {
    SSA_KIND_ENTRY("lif",
                   "array of LIF neurons fed with signed integer currents",
                   ssa_lif_array_params),
    .input_help = "  --input FILE      one line per step of M signed integers (W-bit currents);\n"
                  "                    a single line is held for every step\n"
                  "  --rate P          instead of --input: currents uniform on [0, 2 P TH]\n",
    SSA_LINE_IO,
};
