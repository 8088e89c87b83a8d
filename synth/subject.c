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
