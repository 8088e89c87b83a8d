/* attention_run.c -- stimulus, golden outputs and vectors of one attention simulation. */
#include "attention_run.h"

#include <stdlib.h>
#include <string.h>

#include "../gen/emit_attention.h"
#include "../golden/attention.h"
#include "../golden/reference.h"
#include "../core/stimulus.h"
#include "../common/clock.h"

unsigned ssa_attention_step_cycle(unsigned step) { return SSA_RESET_CYCLES + step; }

int ssa_attention_random_input(const ssa_attention_params *p, unsigned steps, double rate,
                               ssa_spike_steps *out, ssa_error *err) {
  unsigned e = p->heads * p->dim;
  if (ssa_spike_steps_init(out, "QKV", p->tokens, e, err) != 0) return -1;
  ssa_rng rng;
  ssa_rng_seed(&rng, p->seed, SSA_STREAM_STIMULUS);
  for (unsigned t = 0; t < steps; t++) {
    ssa_bitmat *m = ssa_spike_steps_append(out);
    if (m == NULL) {
      ssa_spike_steps_free(out);
      return ssa_fail(err, "out of memory for %u steps of input", steps);
    }
    for (unsigned b = 0; b < 3; b++) ssa_rng_fill(&rng, &m[b], rate);
  }
  return 0;
}

/* Runs the golden model over every step and records the reference expectation. */
static int run_golden(ssa_attention_run *r, ssa_error *err) {
  const ssa_attention_params *p = &r->plan.params;
  ssa_golden_attention *g = NULL;
  if (ssa_golden_attention_new(&r->plan, &g, err) != 0) return -1;
  double start = ssa_seconds_now();
  for (unsigned t = 0; t < r->steps; t++) {
    ssa_bitmat *o = ssa_spike_steps_append(&r->golden);
    if (o == NULL) {
      ssa_golden_attention_free(g);
      return ssa_fail(err, "out of memory for %u steps of output", r->steps);
    }
    ssa_golden_attention_step(g, ssa_spike_block(&r->input, t, 0), ssa_spike_block(&r->input, t, 1),
                              ssa_spike_block(&r->input, t, 2), o);
  }
  r->golden_seconds = ssa_seconds_now() - start;
  ssa_golden_attention_free(g);
  for (unsigned t = 0; t < r->steps; t++)
    ssa_reference_attention_add(ssa_spike_block(&r->input, t, 0), ssa_spike_block(&r->input, t, 1),
                                ssa_spike_block(&r->input, t, 2), p->heads, p->dim, r->reference);
  size_t n = (size_t)p->tokens * p->heads * p->dim;
  for (size_t k = 0; k < n; k++) r->reference[k] /= r->steps;
  return 0;
}

static void fill_vectors(ssa_attention_run *r) {
  ssa_vectors *v = &r->vectors;
  const ssa_design *d = &r->design;
  int rst = ssa_design_port_index(d, "rst_ni"), valid = ssa_design_port_index(d, "in_valid_i");
  int q = ssa_design_port_index(d, "q_i"), k = ssa_design_port_index(d, "k_i");
  int vv = ssa_design_port_index(d, "v_i"), ovalid = ssa_design_port_index(d, "out_valid_o");
  int o = ssa_design_port_index(d, "o_o");
  for (unsigned c = 0; c < v->cycles; c++) {
    int in_reset = c < SSA_RESET_CYCLES;
    int step = (int)c - (int)SSA_RESET_CYCLES;
    int has_step = !in_reset && step < (int)r->steps;
    ssa_vectors_in(v, c, (unsigned)rst)[0] = in_reset ? 0 : 1;
    ssa_vectors_in(v, c, (unsigned)valid)[0] = has_step ? 1 : 0;
    if (has_step) {
      ssa_bitmat_to_flat(ssa_spike_block(&r->input, (unsigned)step, 0), ssa_vectors_in(v, c, (unsigned)q));
      ssa_bitmat_to_flat(ssa_spike_block(&r->input, (unsigned)step, 1), ssa_vectors_in(v, c, (unsigned)k));
      ssa_bitmat_to_flat(ssa_spike_block(&r->input, (unsigned)step, 2), ssa_vectors_in(v, c, (unsigned)vv));
    }
    /* after this clock's edge: valid when a step entered one latency ago (latency is 1), and o_o
     * shows the newest step's result, zero while no step has been taken */
    ssa_vectors_out(v, v->expected, c, (unsigned)ovalid)[0] = has_step ? 1 : 0;
    int newest = step < (int)r->steps ? step : (int)r->steps - 1;
    if (!in_reset && newest >= 0)
      ssa_bitmat_to_flat(ssa_spike_block(&r->golden, (unsigned)newest, 0),
                         ssa_vectors_out(v, v->expected, c, (unsigned)o));
  }
}

int ssa_attention_run_init(ssa_attention_run *r, const ssa_attention_params *p,
                           const ssa_spike_steps *stimulus, unsigned steps, ssa_error *err) {
  memset(r, 0, sizeof *r);
  unsigned e = p->heads * p->dim;
  if (stimulus->rows != p->tokens || stimulus->cols != e)
    return ssa_fail(err, "input blocks are %u x %u, the design needs %u x %u (tokens x heads*dim)",
                    stimulus->rows, stimulus->cols, p->tokens, e);
  if (stimulus->steps != 1 && stimulus->steps != steps)
    return ssa_fail(err, "input has %u steps, --steps asks for %u", stimulus->steps, steps);
  if (ssa_plan_build(&r->plan, p, err) != 0) return -1;
  r->steps = steps;
  r->reference = calloc((size_t)p->tokens * e, sizeof *r->reference);
  if (r->reference == NULL) {
    ssa_attention_run_free(r);
    return ssa_fail(err, "out of memory");
  }
  if (ssa_emit_attention(&r->plan, &r->design, err) != 0 ||
      ssa_spike_steps_init(&r->input, "QKV", p->tokens, e, err) != 0 ||
      ssa_spike_steps_init(&r->golden, "O", p->tokens, e, err) != 0) {
    ssa_attention_run_free(r);
    return -1;
  }
  for (unsigned t = 0; t < steps; t++) {
    ssa_bitmat *m = ssa_spike_steps_append(&r->input);
    if (m == NULL) {
      ssa_attention_run_free(r);
      return ssa_fail(err, "out of memory for %u steps of input", steps);
    }
    unsigned from = stimulus->steps == 1 ? 0 : t;
    for (unsigned b = 0; b < 3; b++) ssa_bitmat_copy(&m[b], ssa_spike_block(stimulus, from, b));
  }
  if (run_golden(r, err) != 0 ||
      ssa_vectors_init(&r->vectors, &r->design,
                       SSA_RESET_CYCLES + steps + SSA_ATTENTION_LATENCY, err) != 0) {
    ssa_attention_run_free(r);
    return -1;
  }
  fill_vectors(r);
  return 0;
}

void ssa_attention_run_free(ssa_attention_run *r) {
  ssa_vectors_free(&r->vectors);
  ssa_spike_steps_free(&r->input);
  ssa_spike_steps_free(&r->golden);
  ssa_design_free(&r->design);
  ssa_plan_free(&r->plan);
  free(r->reference);
  r->reference = NULL;
}

int ssa_attention_run_outputs(const ssa_attention_run *r, uint64_t *actual, ssa_spike_steps *out,
                              ssa_error *err) {
  const ssa_attention_params *p = &r->plan.params;
  if (ssa_spike_steps_init(out, "O", p->tokens, p->heads * p->dim, err) != 0) return -1;
  int o = ssa_design_port_index(&r->design, "o_o");
  for (unsigned t = 0; t < r->steps; t++) {
    ssa_bitmat *m = ssa_spike_steps_append(out);
    if (m == NULL) {
      ssa_spike_steps_free(out);
      return ssa_fail(err, "out of memory");
    }
    ssa_bitmat_from_flat(m, ssa_vectors_out(&r->vectors, actual, ssa_attention_step_cycle(t), (unsigned)o));
  }
  return 0;
}

int ssa_attention_run_inject(ssa_attention_run *r, unsigned step, unsigned index, ssa_error *err) {
  const ssa_attention_params *p = &r->plan.params;
  unsigned bits = p->tokens * p->heads * p->dim;
  if (step >= r->steps || index >= bits)
    return ssa_fail(err, "--inject-fault %u,%u: needs a step below %u and an index below %u", step,
                    index, r->steps, bits);
  int o = ssa_design_port_index(&r->design, "o_o");
  uint64_t *w = ssa_vectors_out(&r->vectors, r->vectors.expected, ssa_attention_step_cycle(step), (unsigned)o);
  w[index / 64] ^= (uint64_t)1 << (index % 64);
  return 0;
}

void ssa_attention_run_describe(const ssa_attention_run *r, const ssa_mismatch *m, char *buf,
                                size_t len) {
  const ssa_attention_params *p = &r->plan.params;
  const ssa_port *port = &r->design.ports[m->port];
  int step = (int)m->cycle - (int)SSA_RESET_CYCLES;
  char when[64];
  if (step >= 0 && step < (int)r->steps) snprintf(when, sizeof when, "cycle %u (step %d)", m->cycle, step);
  else snprintf(when, sizeof when, "cycle %u (no step)", m->cycle);
  if (strcmp(port->name, "o_o") == 0) {
    unsigned e = p->heads * p->dim, i = m->bit / e, col = m->bit % e;
    snprintf(buf, len, "%s, o_o[%u] = token %u, column %u (head %u, d %u)", when, m->bit, i, col,
             col / p->dim, col % p->dim);
  } else {
    snprintf(buf, len, "%s, %s[%u]", when, port->name, m->bit);
  }
}
