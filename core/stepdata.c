/* stepdata.c -- per-step port data (see stepdata.h). */
#include "stepdata.h"

#include <stdlib.h>
#include <string.h>

static size_t step_data_limit = (size_t)4 << 30;

void ssa_step_data_set_limit(size_t bytes) { step_data_limit = bytes; }

int ssa_step_data_init(ssa_step_data *s, const ssa_design *design, unsigned steps, ssa_error *err) {
  memset(s, 0, sizeof *s);
  s->design = design;
  s->steps = steps;
  for (unsigned p = 0; p < design->port_count; p++) {
    size_t *words = design->ports[p].is_input ? &s->in_words : &s->out_words;
    s->offset[p] = *words;
    *words += ssa_port_words(&design->ports[p]);
  }
  double bytes = 8.0 * (double)steps * (double)(s->in_words + s->out_words);
  if (step_data_limit != 0 && bytes > (double)step_data_limit)
    return ssa_fail(err, "--steps %u: the inputs and outputs of %u steps of this design take "
                    "%.3g GB (%zu bits a step), above the limit of %.3g GB; --force lifts it",
                    steps, steps, bytes / 1e9, 64 * (s->in_words + s->out_words),
                    (double)step_data_limit / 1e9);
  s->in = calloc((size_t)steps * s->in_words + 1, sizeof *s->in);
  s->out = calloc((size_t)steps * s->out_words + 1, sizeof *s->out);
  if (s->in == NULL || s->out == NULL) {
    ssa_step_data_free(s);
    return ssa_fail(err, "out of memory for %u steps", steps);
  }
  return 0;
}

void ssa_step_data_free(ssa_step_data *s) {
  free(s->in);
  free(s->out);
  s->in = s->out = NULL;
}

uint64_t *ssa_step_in(const ssa_step_data *s, unsigned t, unsigned port) {
  return &s->in[(size_t)t * s->in_words + s->offset[port]];
}

uint64_t *ssa_step_out(const ssa_step_data *s, unsigned t, unsigned port) {
  return &s->out[(size_t)t * s->out_words + s->offset[port]];
}

uint64_t ssa_words_get_field(const uint64_t *w, size_t lo, unsigned width) {
  uint64_t v = w[lo / 64] >> (lo % 64);
  if (lo % 64 != 0 && lo % 64 + width > 64) v |= w[lo / 64 + 1] << (64 - lo % 64);
  return width >= 64 ? v : v & ((((uint64_t)1) << width) - 1);
}

int64_t ssa_words_get_signed(const uint64_t *w, size_t lo, unsigned width) {
  uint64_t v = ssa_words_get_field(w, lo, width);
  if (width < 64 && ((v >> (width - 1)) & 1u)) v |= ~(uint64_t)0 << width;
  return (int64_t)v;
}

void ssa_words_put_field(uint64_t *w, size_t lo, unsigned width, uint64_t value) {
  for (unsigned b = 0; b < width; b++) ssa_words_set(w, lo + b, (int)((value >> b) & 1u));
}
