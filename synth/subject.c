/* subject.c -- one interface over the attention and the stepped kinds (see subject.h). */
#include "subject.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../golden/exact_attention.h"

int ssa_subject_init(ssa_subject *s, const char *kind, ssa_error *err) {
  memset(s, 0, sizeof *s);
  ssa_attention_params_default(&s->attention);
  if (strcmp(kind, "attention") == 0) return 0;
  s->stepped = ssa_kind_find(kind);
  if (s->stepped == NULL)
    return ssa_fail(err, "unknown kind '%s' (kinds: attention, %s)", kind, ssa_kind_names());
  s->params = calloc(1, s->stepped->params_size);
  if (s->params == NULL) return ssa_fail(err, "out of memory");
  s->stepped->defaults(s->params);
  return 0;
}

int ssa_subject_option(ssa_subject *s, ssa_cli *c, const char *opt, ssa_error *err) {
  if (s->stepped == NULL) return ssa_cli_attention_option(c, opt, &s->attention, err);
  return s->stepped->option(c, opt, s->params, err);
}

int ssa_subject_prepare(ssa_subject *s, ssa_error *err) {
  if (s->stepped == NULL) return ssa_attention_params_check(&s->attention, err);
  return s->stepped->prepare(s->params, err);
}

int ssa_subject_run(ssa_subject *s, double rate, unsigned steps, ssa_error *err) {
  if (s->has_run) return ssa_fail(err, "internal: the subject already has a run");
  if (s->stepped != NULL) {
    if (ssa_stepped_run_init(&s->stepped_run, s->stepped, s->params, NULL, rate, steps, err) != 0)
      return -1;
  } else {
    ssa_spike_steps stimulus;
    if (ssa_attention_random_input(&s->attention, steps, rate, &stimulus, err) != 0) return -1;
    int rc = ssa_attention_run_init(&s->attention_run, &s->attention, &stimulus, steps, err);
    ssa_spike_steps_free(&stimulus);
    if (rc != 0) return -1;
  }
  s->has_run = 1;
  return 0;
}

const ssa_design *ssa_subject_design(const ssa_subject *s) {
  return s->stepped != NULL ? &s->stepped_run.design : &s->attention_run.design;
}

const ssa_vectors *ssa_subject_vectors(const ssa_subject *s) {
  return s->stepped != NULL ? &s->stepped_run.vectors : &s->attention_run.vectors;
}

const char *ssa_subject_kind(const ssa_subject *s) {
  return s->stepped != NULL ? s->stepped->name : "attention";
}

void ssa_subject_options(const ssa_subject *s, char *buf, size_t len) {
  if (s->stepped != NULL) {
    s->stepped->options(s->params, buf, len);
    return;
  }
  const ssa_attention_params *p = &s->attention;
  snprintf(buf, len, "--tokens %u --dim %u --heads %u --reduce %s --share %s --prng-width %u "
           "--seed %llu", p->tokens, p->dim, p->heads, ssa_reduce_name(p->reduce),
           ssa_share_name(p->share), p->prng_width, (unsigned long long)p->seed);
}

int ssa_subject_attention_shape(const ssa_subject *s, unsigned *n, unsigned *d, unsigned *h) {
  if (s->stepped == NULL) {
    *n = s->attention.tokens;
    *d = s->attention.dim;
    *h = s->attention.heads;
    return 1;
  }
  if (strcmp(s->stepped->name, "exact-attention") != 0) return 0;
  const ssa_exact_attention_params *p = s->params;
  *n = p->tokens;
  *d = p->dim;
  *h = p->heads;
  return 1;
}

const char *ssa_subject_options_help(const char *kind) {
  if (strcmp(kind, "attention") == 0) return ssa_attention_options_help;
  const ssa_kind *k = ssa_kind_find(kind);
  return k != NULL ? k->options_help : NULL;
}

void ssa_subject_free(ssa_subject *s) {
  if (s->has_run) {
    if (s->stepped != NULL) ssa_stepped_run_free(&s->stepped_run);
    else ssa_attention_run_free(&s->attention_run);
  }
  if (s->stepped != NULL) {
    s->stepped->release(s->params);
    free(s->params);
  }
  memset(s, 0, sizeof *s);
}
