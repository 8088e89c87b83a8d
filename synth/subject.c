/* subject.c -- one interface over every kind of the table (see subject.h). */
#include "subject.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/exact_params.h"

int ssa_subject_init(ssa_subject *s, const char *kind, ssa_error *err) {
  memset(s, 0, sizeof *s);
  s->kind = ssa_kind_find(kind);
  if (s->kind == NULL) return ssa_fail(err, "unknown kind '%s' (kinds: %s)", kind, ssa_kind_names());
  s->params = calloc(1, s->kind->params_size);
  if (s->params == NULL) return ssa_fail(err, "out of memory");
  ssa_kind_defaults(s->kind, s->params);
  return 0;
}

int ssa_subject_option(ssa_subject *s, ssa_cli *c, const char *opt, ssa_error *err) {
  return ssa_kind_option(s->kind, c, opt, s->params, err);
}

int ssa_subject_prepare(ssa_subject *s, ssa_error *err) {
  return ssa_kind_prepare(s->kind, s->params, err);
}

int ssa_subject_run(ssa_subject *s, double rate, unsigned steps, ssa_error *err) {
  if (s->has_run) return ssa_fail(err, "internal: the subject already has a run");
  if (ssa_stepped_run_init(&s->run, s->kind, s->params, NULL, rate, steps, err) != 0) return -1;
  s->has_run = 1;
  return 0;
}

typedef struct input_file {
  const ssa_subject *s;
  const char *path;
  unsigned steps;
} input_file;

/* The file's steps, then its first `steps` of them: the kind's reader pads a one-step file to
 * the default count, so a longer held run (or an error for a short file) takes a second read. */
static int fill_from_file(void *ctx, const ssa_design *d, ssa_step_data *data, ssa_error *err) {
  const input_file *in = ctx;
  const ssa_kind *k = in->s->kind;
  if (ssa_kind_read_input(k, in->s->params, d, in->path, 0, data, err) != 0) return -1;
  if (in->steps == 0 || in->steps == data->steps) return 0;
  if (in->steps < data->steps) {
    data->steps = in->steps;  /* steps are consecutive rows: the first T stay where they are */
    return 0;
  }
  ssa_step_data_free(data);
  return ssa_kind_read_input(k, in->s->params, d, in->path, in->steps, data, err);
}

int ssa_subject_run_input(ssa_subject *s, const char *path, unsigned steps, ssa_error *err) {
  if (s->has_run) return ssa_fail(err, "internal: the subject already has a run");
  input_file in = {s, path, steps};
  if (ssa_stepped_run_init_from(&s->run, s->kind, s->params, fill_from_file, &in, err) != 0)
    return -1;
  s->has_run = 1;
  return 0;
}

unsigned ssa_subject_steps(const ssa_subject *s) { return s->run.data.steps; }

double ssa_subject_input_rate(const ssa_subject *s) {
  const ssa_step_data *data = &s->run.data;
  const ssa_design *d = &s->run.design;
  unsigned long long ones = 0, bits = 0;
  for (unsigned p = 0; p < d->port_count; p++) {
    if (!d->ports[p].is_input || ssa_port_is_control(&d->ports[p])) continue;
    unsigned width = d->ports[p].width;
    bits += (unsigned long long)width * data->steps;
    for (unsigned t = 0; t < data->steps; t++) {
      const uint64_t *w = ssa_step_in(data, t, p);
      for (unsigned b = 0; b < width; b += 64) {
        uint64_t word = w[b / 64];
        if (width - b < 64) word &= ((uint64_t)1 << (width - b)) - 1;
        ones += (unsigned long long)__builtin_popcountll(word);
      }
    }
  }
  return bits ? (double)ones / (double)bits : 0.0;
}

const ssa_design *ssa_subject_design(const ssa_subject *s) { return &s->run.design; }

const ssa_vectors *ssa_subject_vectors(const ssa_subject *s) { return &s->run.vectors; }

const char *ssa_subject_kind(const ssa_subject *s) { return s->kind->name; }

void ssa_subject_options(const ssa_subject *s, char *buf, size_t len) {
  ssa_kind_line(s->kind, s->params, buf, len);
}

const ssa_attention_params *ssa_subject_sc_params(const ssa_subject *s) {
  return s->kind == &ssa_kind_attention ? s->params : NULL;
}

int ssa_subject_attention_shape(const ssa_subject *s, unsigned *n, unsigned *d, unsigned *h) {
  const ssa_attention_params *sc = ssa_subject_sc_params(s);
  if (sc != NULL) {
    *n = sc->tokens;
    *d = sc->dim;
    *h = sc->heads;
    return 1;
  }
  if (s->kind != &ssa_kind_exact_attention) return 0;
  const ssa_exact_attention_params *p = s->params;
  *n = p->tokens;
  *d = p->dim;
  *h = p->heads;
  return 1;
}

unsigned long ssa_subject_random_bits(const ssa_subject *s) {
  const ssa_attention_params *p = ssa_subject_sc_params(s);
  ssa_plan plan;
  ssa_error err;
  /* the parameters were checked (ssa_subject_prepare), so the plan builds */
  if (p == NULL || ssa_plan_build(&plan, p, &err) != 0) return 0;
  unsigned long bits = (unsigned long)ssa_plan_random_bits(&plan);
  ssa_plan_free(&plan);
  return bits;
}

void ssa_subject_free(ssa_subject *s) {
  if (s->has_run) ssa_stepped_run_free(&s->run);
  if (s->kind != NULL) {
    s->kind->release(s->params);
    free(s->params);
  }
  memset(s, 0, sizeof *s);
}
