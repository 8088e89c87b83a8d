/* kind_encoder.c -- `ssa gen|sim encoder`: the Bernoulli (rate) encoder bank.
 * Stimulus: one line per step of M unsigned B-bit values (one line is held for every step);
 * output: one line per step of M spikes. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/bank.h"
#include "../gen/emit_encoder.h"
#include "kinds.h"

static const ssa_option options[] = {
    {.name = "--inputs", .metavar = "M", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(ssa_encoder_params, inputs), .min = 1, .max = SSA_ENCODER_MAX_INPUTS,
     .def = 8, .help = "inputs"},
    {.name = "--bits", .metavar = "B", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(ssa_encoder_params, bits), .min = 1, .max = SSA_ENCODER_MAX_BITS, .def = 8,
     .help = "bits per input value"},
    SSA_OPTION_PRNG_WIDTH(ssa_encoder_params, prng_width, 4, 32, "LFSR width, at least B"),
    {.name = "--random", .metavar = "SOURCE", .type = SSA_OPTION_CHOICE,
     .offset = offsetof(ssa_encoder_params, random), .choices = ssa_random_names,
     .def = SSA_RANDOM_DEFAULT,
     .help = "where the thresholds come from (docs/randomness.md): whole numbers per LFSR "
             "(lfsr); numbers run on across LFSRs (packed); one B-bit counter, its bits "
             "reversed, XOR a constant per input, so each input spikes exactly x times in "
             "every 2^B steps (sobol); shared is refused"},
    SSA_OPTION_SEED(ssa_encoder_params, seed, "master seed of the LFSR seeds or the Sobol constants"),
    {0}};

static int prepare(void *params, ssa_error *err) {
  ssa_encoder_params *p = params;
  return ssa_plan_build_bank(&p->plan, "encoder", p->inputs, p->bits, p->prng_width, p->seed,
                             p->random, err);
}

static void release(void *params) { ssa_plan_free(&((ssa_encoder_params *)params)->plan); }

static int emit(const void *params, const char *line, ssa_design *d, ssa_error *err) {
  return ssa_emit_encoder(params, line, d, err);
}

static int read_input(const void *params, const ssa_design *d, const char *path, unsigned steps,
                      ssa_step_data *s, ssa_error *err) {
  const ssa_encoder_params *p = params;
  char reason[32];
  snprintf(reason, sizeof reason, "--bits %u", p->bits);
  return ssa_kind_read_ints(d, path, steps, "x_i", p->inputs, p->bits, 0,
                            ((int64_t)1 << p->bits) - 1, reason, s, err);
}

/* --rate P: every input holds x = round(P * 2^B), at most 2^B - 1, so each spikes at rate
 * x / 2^B, the representable rate nearest P. */
static int random_input(const void *params, const ssa_design *d, unsigned steps, double rate,
                        uint64_t seed, ssa_step_data *s, ssa_error *err) {
  (void)seed; /* no randomness: the stimulus is the value nearest P */
  const ssa_encoder_params *p = params;
  if (ssa_step_data_init(s, d, steps, err) != 0) return -1;
  int64_t top = ((int64_t)1 << p->bits) - 1, x = (int64_t)(rate * (double)(top + 1) + 0.5);
  if (x > top) x = top;
  int port = ssa_design_port_index(d, "x_i");
  for (unsigned t = 0; t < steps; t++)
    for (unsigned m = 0; m < p->inputs; m++)
      ssa_words_put_field(ssa_step_in(s, t, (unsigned)port), (size_t)m * p->bits, p->bits,
                          (uint64_t)x);
  return 0;
}

/* The plan's LFSRs one by one (an encoder bank is small, core/bank.h): read every number,
 * then leap. */
static int golden(const void *params, ssa_step_data *s, ssa_error *err) {
  const ssa_encoder_params *p = params;
  int in = ssa_design_port_index(s->design, "x_i"), out = ssa_design_port_index(s->design, "spike_o");
  ssa_bank bank;
  if (ssa_bank_init(&bank, &p->plan, err) != 0) return -1;
  for (unsigned t = 0; t < s->steps; t++) {
    const uint64_t *x = ssa_step_in(s, t, (unsigned)in);
    uint64_t *spikes = ssa_step_out(s, t, (unsigned)out);
    for (unsigned m = 0; m < p->inputs; m++) {
      uint64_t u = ssa_bank_number(&bank, 0, ssa_plan_bank_number(m));
      ssa_words_set(spikes, m, u < ssa_words_get_field(x, (size_t)m * p->bits, p->bits));
    }
    ssa_bank_leap(&bank);
  }
  ssa_bank_free(&bank);
  return 0;
}

static void io(const void *params, ssa_kind_io *io) {
  ssa_kind_line_io(io, ((const ssa_encoder_params *)params)->inputs, "input");
}

const ssa_kind ssa_kind_encoder = {
    SSA_KIND_ENTRY("encoder",
                   "Bernoulli (rate) encoder bank: B-bit values to spikes",
                   ssa_encoder_params),
    .input_help = "  --input FILE      one line per step of M unsigned B-bit values; a single\n"
                  "                    line is held for every step\n"
                  "  --rate P          instead of --input: every input holds round(P * 2^B)\n",
    SSA_LINE_IO,
};
