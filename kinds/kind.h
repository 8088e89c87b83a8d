/* kind.h -- the stepped block kinds (encoder, lif, linear, exact-attention, block) behind one
 * table, so that `ssa gen <kind>` and `ssa sim <kind>` are written once.
 * A kind knows its options, emits its design, reads its stimulus into per-step port data,
 * computes the golden outputs of every step and prints them. The clock-by-clock schedule
 * (reset, accept, latency, hold) is common to all kinds and lives in sim/stepped_run.c. */
#ifndef SSA_KIND_H
#define SSA_KIND_H

#define SSA_KIND_DEFAULT_STEPS 10u

#include <stdio.h>

#include "../common/error.h"
#include "../core/stepdata.h"
#include "../common/args.h"
#include "../core/design.h"
#include "../core/options.h"

/* What a kind's stimulus and outputs look like, so that reading spike files, drawing --rate
 * spikes, printing outputs and naming a bit in a mismatch are written once (kinds.c). */
typedef struct ssa_kind_io {
  const char *in_blocks;         /* spike text format blocks ("QKV", "X"); NULL: the kind has
                                  * its own read_input and random_input */
  const char *const *in_ports;   /* the port of each block */
  unsigned in_rows, in_cols;     /* each block: tokens x columns */
  const char *out_port;          /* "o_o" */
  char out_block;                /* its block letter ('O'), printed with "step t" per step */
  int out_headers;               /* 0: one line per row per step, no step headers */
  unsigned out_rows, out_cols;
  const char *row_noun;          /* an output bit in messages: "token 3, output 5"; */
  const char *col_noun;          /* without a row_noun, "neuron 5" */
} ssa_kind_io;

typedef struct ssa_kind {
  const char *name;           /* "lif" */
  const char *summary;        /* one line for `ssa help` */
  /* The design options as data (core/options.h): parsing, ranges, defaults, --help and the
   * regeneration line in every banner come from this table. */
  const ssa_option *options;
  const char *input_help;     /* the --input format, for --help */
  const char *output_help;    /* what sim prints, for --help */
  size_t params_size;         /* the kind's parameter struct */
  /* Idle clocks checked after the last result (the outputs must hold). */
  unsigned drain_cycles;
  /* Defaults of the fields that are not options (NULL: none); the table's defaults follow. */
  void (*defaults)(void *params);
  /* After the options: cross-checks the table cannot state, and files the design needs
   * (weights). */
  int (*prepare)(void *params, ssa_error *err);
  void (*release)(void *params);
  /* The design; `line` is the regeneration line of the banner (ssa_kind_line). */
  int (*emit)(const void *params, const char *line, ssa_design *d, ssa_error *err);
  /* The shape of the stimulus and outputs for these params. */
  void (*io)(const void *params, ssa_kind_io *io);
  /* The hooks below may be NULL, and then the shared ones of kinds.c read io (called through
   * ssa_kind_read_input and the like). */
  /* Stimulus: initialises s for design d and fills s->in. From a file: `steps` 0 means the
   * file's steps (a file of one step is held for every step, 10 by default; see
   * ssa_kind_resolve_steps); or drawn at `rate` from the stimulus stream of `seed`
   * (ssa_kind_seed: one convention for every kind). */
  int (*read_input)(const void *params, const ssa_design *d, const char *path, unsigned steps,
                    ssa_step_data *s, ssa_error *err);
  int (*random_input)(const void *params, const ssa_design *d, unsigned steps, double rate,
                      uint64_t seed, ssa_step_data *s, ssa_error *err);
  /* s->out from s->in, every step, bit-exactly what the RTL does. */
  int (*golden)(const void *params, ssa_step_data *s, ssa_error *err);
  /* The output of every step in the kind's text form, or --summary counts. */
  void (*write_output)(FILE *f, const void *params, const ssa_step_data *s, int summary,
                       const char *comment);
  /* What output bit `bit` of port `port` means ("token 3, neuron 17"). */
  void (*describe_bit)(const void *params, const ssa_design *d, unsigned port, unsigned bit,
                       char *buf, size_t len);
} ssa_kind;

/* Stimulus, outputs and bit names, through the kind's hooks or the shared ones. */
int ssa_kind_read_input(const ssa_kind *k, const void *params, const ssa_design *d,
                        const char *path, unsigned steps, ssa_step_data *s, ssa_error *err);
int ssa_kind_random_input(const ssa_kind *k, const void *params, const ssa_design *d,
                          unsigned steps, double rate, uint64_t seed, ssa_step_data *s,
                          ssa_error *err);
void ssa_kind_write_output(const ssa_kind *k, FILE *f, const void *params, const ssa_step_data *s,
                           int summary, const char *comment);
void ssa_kind_describe_bit(const ssa_kind *k, const void *params, const ssa_design *d,
                           unsigned port, unsigned bit, char *buf, size_t len);

/* A kind's table entry from the names every kind file uses: its option table `options` and
 * parameter struct T, and the hooks prepare, release, emit and golden. */
#define SSA_KIND_ENTRY(kind_name, one_line, T)                                                 \
  .name = kind_name, .summary = one_line, .options = options, .params_size = sizeof(T),        \
  .prepare = prepare, .release = release, .emit = emit, .golden = golden

/* Steps to run for a stimulus file of file_steps steps when --steps asked for `requested`
 * (0: not given): the file's own count, or for a one-step file `requested` or 10. */
int ssa_kind_resolve_steps(const char *path, unsigned file_steps, unsigned requested,
                           unsigned *steps, ssa_error *err);

/* The seed of the kind's --rate stimulus, the one convention for every kind: the value of its
 * --seed option (1 when it was not given); 1 for a kind without one. Returns whether the kind
 * has a --seed (messages print it). */
int ssa_kind_seed(const ssa_kind *k, const void *params, uint64_t *seed);
/* params (params_size bytes) to the kind's defaults. */
void ssa_kind_defaults(const ssa_kind *k, void *params);
/* One design option: 1 handled, 0 not this kind's, -1 bad value (err set). */
int ssa_kind_option(const ssa_kind *k, ssa_cli *c, const char *opt, void *params, ssa_error *err);
/* After the options: required ones given, then the kind's prepare. */
int ssa_kind_prepare(const ssa_kind *k, void *params, ssa_error *err);
/* The options that rebuild this design ("--neurons 8 --width 16 ..."). */
void ssa_kind_line(const ssa_kind *k, const void *params, char *buf, size_t len);
/* Emits the design with its regeneration line. */
int ssa_kind_emit(const ssa_kind *k, const void *params, ssa_design *d, ssa_error *err);
/* The design options for --help (malloc'd; NULL when out of memory). */
char *ssa_kind_options_help(const ssa_kind *k);

/* NULL when there is no such kind. */
const ssa_kind *ssa_kind_find(const char *name);
/* The table in order, NULL past its end. */
const ssa_kind *ssa_kind_at(unsigned index);
/* "attention, encoder, lif, ..." (from the table) */
const char *ssa_kind_names(void);

#endif
