/* subject.h -- the block a synthesis or energy command works on: a kind of the table
 * (kinds/kind.h), its generator options, and one run of it (the design and its clock-by-clock
 * vectors with the golden outputs), so that `ssa synth`, `ssa energy` and `ssa report` are
 * written once for every kind. */
#ifndef SSA_SUBJECT_H
#define SSA_SUBJECT_H

#include "../common/args.h"
#include "../kinds/kinds.h"
#include "../sim/stepped_run.h"

typedef struct ssa_subject {
  const ssa_kind *kind;
  void *params;          /* the kind's options */
  int has_run;
  ssa_stepped_run run;
} ssa_subject;

/* Defaults of `kind` ("attention", "encoder", ...); an unknown kind is an error naming them. */
int ssa_subject_init(ssa_subject *s, const char *kind, ssa_error *err);
/* One generator option: 1 handled, 0 not a design option, -1 bad value (err set). */
int ssa_subject_option(ssa_subject *s, ssa_cli *c, const char *opt, ssa_error *err);
/* After the options: ranges, cross-checks and the files the design needs. */
int ssa_subject_prepare(ssa_subject *s, ssa_error *err);
/* Emits the design and `steps` steps of i.i.d. stimulus at `rate` (seeded as the kind seeds
 * its --rate stimulus) with the golden outputs of every clock. */
int ssa_subject_run(ssa_subject *s, double rate, unsigned steps, ssa_error *err);
/* Emits the design and reads its stimulus from `path`, a file in the kind's own --input format
 * (what `ssa sim KIND --input` reads, kinds/kind.h). steps 0: the file's steps (a one-step
 * file is held for 10, ssa_kind_resolve_steps); steps T: the file's first T steps, or a
 * one-step file held for T. T beyond a longer file's steps is an error naming the file. */
int ssa_subject_run_input(ssa_subject *s, const char *path, unsigned steps, ssa_error *err);
/* Steps in the run. */
unsigned ssa_subject_steps(const ssa_subject *s);
/* The fraction of the run's data input bits that are 1, over every step: for the spike kinds
 * their mean input spike rate (a --rate P run gives about P), for an integer kind the density
 * of ones in its two's-complement words. */
double ssa_subject_input_rate(const ssa_subject *s);
const ssa_design *ssa_subject_design(const ssa_subject *s);
const ssa_vectors *ssa_subject_vectors(const ssa_subject *s);
const char *ssa_subject_kind(const ssa_subject *s);
/* The options that rebuild the design ("--tokens 16 --dim 16 ..."). */
void ssa_subject_options(const ssa_subject *s, char *buf, size_t len);
/* For the two attention kinds (attention, exact-attention): N, D per head and H; 0 otherwise. */
int ssa_subject_attention_shape(const ssa_subject *s, unsigned *n, unsigned *d, unsigned *h);
/* The SC attention's parameters, NULL for any other kind. */
const ssa_attention_params *ssa_subject_sc_params(const ssa_subject *s);
/* Random bits the SC attention's plan draws per step (0 for any other kind). */
unsigned long ssa_subject_random_bits(const ssa_subject *s);
void ssa_subject_free(ssa_subject *s);

#endif
