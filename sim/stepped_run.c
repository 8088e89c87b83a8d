/* stepped_run.c -- schedule and golden expectation of a stepped kind (see stepped_run.h). */
#include "stepped_run.h"
#include "../common/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned interval_of(const ssa_design *d) { return d->interval > 1 ? d->interval : 1; }

unsigned ssa_stepped_accept_cycle(const ssa_stepped_run *r, unsigned step) {
  return SSA_RESET_CYCLES + step * interval_of(&r->design);
}

unsigned ssa_stepped_result_cycle(const ssa_stepped_run *r, unsigned step) {
  /* latency counts clock edges: a latency-1 design shows the result right after the edge that
   * accepted the step, as ssa_attention does */
  return ssa_stepped_accept_cycle(r, step) + r->design.latency - 1;
}

static void put_bit(const ssa_vectors *v, uint64_t *rows, int input, unsigned cycle, int port,
                    int value) {
  if (port < 0) return;
  uint64_t *w = input ? ssa_vectors_in(v, cycle, (unsigned)port)
                      : ssa_vectors_out(v, rows, cycle, (unsigned)port);
  w[0] = (uint64_t)(value & 1);
}

static void fill_vectors(ssa_stepped_run *r) {
  const ssa_design *d = &r->design;
  ssa_vectors *v = &r->vectors;
  int rst = ssa_design_port_index(d, "rst_ni"), valid = ssa_design_port_index(d, "in_valid_i");
  int ovalid = ssa_design_port_index(d, "out_valid_o"), ready = ssa_design_port_index(d, "in_ready_o");
  unsigned interval = interval_of(d);
  for (unsigned c = 0; c < v->cycles; c++) put_bit(v, NULL, 1, c, rst, c >= SSA_RESET_CYCLES);
  for (unsigned c = 0; c < v->cycles; c++) put_bit(v, v->expected, 0, c, ready, 1);
  for (unsigned t = 0; t < r->data.steps; t++) {
    unsigned accept = ssa_stepped_accept_cycle(r, t), result = ssa_stepped_result_cycle(r, t);
    put_bit(v, NULL, 1, accept, valid, 1);
    for (unsigned c = accept; c + 1 < accept + interval; c++) put_bit(v, v->expected, 0, c, ready, 0);
    put_bit(v, v->expected, 0, result, ovalid, 1);
    unsigned held_until = t + 1 < r->data.steps ? ssa_stepped_result_cycle(r, t + 1) : v->cycles;
    for (unsigned p = 0; p < d->port_count; p++) {
      if (ssa_port_is_control(&d->ports[p])) continue;
      size_t words = ssa_port_words(&d->ports[p]);
      if (d->ports[p].is_input)
        memcpy(ssa_vectors_in(v, accept, p), ssa_step_in(&r->data, t, p), words * sizeof(uint64_t));
      else
        for (unsigned c = result; c < held_until; c++)
          memcpy(ssa_vectors_out(v, v->expected, c, p), ssa_step_out(&r->data, t, p),
                 words * sizeof(uint64_t));
    }
  }
}

/* The golden outputs of a run whose design and stimulus are in place. */
static int run_golden(ssa_stepped_run *r, ssa_error *err) {
  double start = ssa_seconds_now();
  if (r->kind->golden(r->params, &r->data, err) != 0) {
    ssa_stepped_run_free(r);
    return -1;
  }
  r->golden_seconds = ssa_seconds_now() - start;
  return 0;
}

int ssa_stepped_run_schedule(ssa_stepped_run *r, ssa_error *err) {
  unsigned last = r->data.steps - 1;
  unsigned cycles = ssa_stepped_result_cycle(r, last) + 1 + r->kind->drain_cycles;
  if (ssa_vectors_init(&r->vectors, &r->design, cycles, err) != 0) {
    ssa_stepped_run_free(r);
    return -1;
  }
  fill_vectors(r);
  return 0;
}

int ssa_stepped_run_init_golden(ssa_stepped_run *r, const ssa_kind *kind, const void *params,
                                const char *input, double rate, unsigned steps, ssa_error *err) {
  memset(r, 0, sizeof *r);
  r->kind = kind;
  r->params = params;
  if (ssa_kind_emit(kind, params, &r->design, err) != 0) return -1;
  uint64_t seed;
  ssa_kind_seed(kind, params, &seed);
  int rc = input != NULL
               ? ssa_kind_read_input(kind, params, &r->design, input, steps, &r->data, err)
               : ssa_kind_random_input(kind, params, &r->design,
                                       steps ? steps : SSA_KIND_DEFAULT_STEPS, rate, seed, &r->data,
                                       err);
  if (rc != 0) {
    ssa_design_free(&r->design);
    return -1;
  }
  return run_golden(r, err);
}

int ssa_stepped_run_init(ssa_stepped_run *r, const ssa_kind *kind, const void *params,
                         const char *input, double rate, unsigned steps, ssa_error *err) {
  if (ssa_stepped_run_init_golden(r, kind, params, input, rate, steps, err) != 0) return -1;
  return ssa_stepped_run_schedule(r, err);
}

int ssa_stepped_run_init_from(ssa_stepped_run *r, const ssa_kind *kind, const void *params,
                              ssa_stimulus_fn *fill, void *ctx, ssa_error *err) {
  memset(r, 0, sizeof *r);
  r->kind = kind;
  r->params = params;
  if (ssa_kind_emit(kind, params, &r->design, err) != 0) return -1;
  if (fill(ctx, &r->design, &r->data, err) != 0) {
    ssa_step_data_free(&r->data);
    ssa_design_free(&r->design);
    return -1;
  }
  if (run_golden(r, err) != 0) return -1;
  return ssa_stepped_run_schedule(r, err);
}

void ssa_stepped_run_free(ssa_stepped_run *r) {
  ssa_vectors_free(&r->vectors);
  ssa_step_data_free(&r->data);
  ssa_design_free(&r->design);
}

int ssa_stepped_run_outputs(const ssa_stepped_run *r, const uint64_t *actual, ssa_step_data *out,
                            ssa_error *err) {
  if (ssa_step_data_init(out, &r->design, r->data.steps, err) != 0) return -1;
  memcpy(out->in, r->data.in, sizeof *out->in * r->data.steps * r->data.in_words);
  for (unsigned t = 0; t < r->data.steps; t++)
    for (unsigned p = 0; p < r->design.port_count; p++) {
      if (r->design.ports[p].is_input || ssa_port_is_control(&r->design.ports[p])) continue;
      memcpy(ssa_step_out(out, t, p),
             ssa_vectors_out(&r->vectors, (uint64_t *)actual, ssa_stepped_result_cycle(r, t), p),
             ssa_port_words(&r->design.ports[p]) * sizeof(uint64_t));
    }
  return 0;
}

static int first_data_output(const ssa_design *d) {
  for (unsigned p = 0; p < d->port_count; p++)
    if (!d->ports[p].is_input && !ssa_port_is_control(&d->ports[p])) return (int)p;
  return -1;
}

int ssa_stepped_run_inject(ssa_stepped_run *r, unsigned step, unsigned index, ssa_error *err) {
  int p = first_data_output(&r->design);
  unsigned bits = p < 0 ? 0 : r->design.ports[p].width;
  if (step >= r->data.steps || index >= bits)
    return ssa_fail(err, "--inject-fault %u,%u: needs a step below %u and an index below %u", step,
                    index, r->data.steps, bits);
  uint64_t *w = ssa_vectors_out(&r->vectors, r->vectors.expected,
                                ssa_stepped_result_cycle(r, step), (unsigned)p);
  w[index / 64] ^= (uint64_t)1 << (index % 64);
  return 0;
}

void ssa_stepped_run_describe(const ssa_stepped_run *r, const ssa_mismatch *m, char *buf,
                              size_t len) {
  const ssa_port *port = &r->design.ports[m->port];
  char when[80];
  snprintf(when, sizeof when, "cycle %u (no result due)", m->cycle);
  for (unsigned t = 0; t < r->data.steps; t++) {
    unsigned accept = ssa_stepped_accept_cycle(r, t), result = ssa_stepped_result_cycle(r, t);
    if (m->cycle == result) snprintf(when, sizeof when, "cycle %u (result of step %u)", m->cycle, t);
    else if (m->cycle >= accept && m->cycle < result)
      snprintf(when, sizeof when, "cycle %u (computing step %u)", m->cycle, t);
  }
  char what[160] = "";
  if (!ssa_port_is_control(port))
    ssa_kind_describe_bit(r->kind, r->params, &r->design, m->port, m->bit, what, sizeof what);
  snprintf(buf, len, "%s, %s[%u]%s%s", when, port->name, m->bit, what[0] ? " = " : "", what);
}
