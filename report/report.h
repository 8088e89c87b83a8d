/* report.h -- `ssa report`: the published claims of the SC attention restated like for like.
 * report_run.c collects the figures (gate-level energy and area of every design and size,
 * measured or composed from measured parts; memory traffic; iCE40 and CPU latency),
 * report_claims.c sets them side by side as claim rows with ratios and verdicts,
 * report_validation.c reads the committed composition validation, and report_write.c writes the
 * files. One library (the built-in NanGate 45 nm table) and one voltage price every energy. */
#ifndef SSA_REPORT_H
#define SSA_REPORT_H

#include "../common/error.h"
#include "../synth/fpga_latency.h"
#include "../synth/op_energy.h"
#include "../synth/measure.h"
#include "../synth/synth.h"
#include "../train/fmnist.h"
#include "cpu_attention.h"

/* The designs compared: the SC block in each share mode (reduce=mux, the default random
 * source, SSA_RANDOM_DEFAULT; docs/randomness.md compares the sources), the exact spiking
 * attention, and the int8 ANN attention fully parallel (--macs 0) with each softmax option. */
typedef enum {
  SSA_D_SC_UNIT, SSA_D_SC_ROW, SSA_D_SC_GLOBAL, SSA_D_EXACT, SSA_D_ANN_INT, SSA_D_ANN_NONE,
  SSA_D_COUNT
} ssa_report_design;
#define SSA_D_SC_COUNT 3   /* the first three are the SC block */
static inline int ssa_report_is_sc(ssa_report_design d) { return d < SSA_D_SC_COUNT; }
/* Whether design d is the int8 ANN attention (either softmax). */
static inline int ssa_report_is_ann(ssa_report_design d) {
  return d == SSA_D_ANN_INT || d == SSA_D_ANN_NONE;
}

/* At what level a figure is obtained. */
typedef enum {
  SSA_LEVEL_GATE,        /* a gate netlist's simulated toggles priced per cell */
  SSA_LEVEL_OPERATION,   /* counted operations (bits moved) x a per-operation energy */
  SSA_LEVEL_FPGA,        /* placed and routed (nextpnr's Fmax) x a stated clock count */
  SSA_LEVEL_CPU          /* wall clock of a program on this machine */
} ssa_report_level;

/* How: measured on the design itself, composed from measured parts (synth/compose.h), computed
 * from a stated model, or not available (the note says why). */
typedef enum {
  SSA_BASIS_MEASURED, SSA_BASIS_COMPOSED, SSA_BASIS_MODEL, SSA_BASIS_NONE
} ssa_report_basis;

/* Compute energy twice: on --rate stimulus at every size of the sweep, and on the activity
 * the trained networks cause, at their own size (report_trained.c). */
typedef enum {
  SSA_CLAIM_COMPUTE, SSA_CLAIM_MEMORY, SSA_CLAIM_LATENCY, SSA_CLAIM_COMPUTE_TRAINED,
  SSA_CLAIM_KINDS
} ssa_claim_kind;

#define SSA_REPORT_MAX_SIZES 8

/* Gate-level energy and area of one design at one N. */
typedef struct ssa_report_row {
  ssa_report_design design;
  unsigned n;
  int in_sweep;             /* 0: a size outside the sweep, measured as a gate-level anchor */
  ssa_report_basis basis;   /* measured, composed or none */
  char note[1024];          /* how it was obtained, or why it is not available */
  unsigned steps;           /* steps in one attention: T for the spiking designs, 1 for the ANN */
  unsigned dim;             /* D per head: the report's, or the trained network's */
  double cells, area_um2;
  double part_pj[SSA_PART_COUNT];   /* per attention, PRNG / datapath / registers */
  double pj;                        /* per attention: the steady state per step x steps */
  double seconds;                   /* what it cost the report */
} ssa_report_row;

/* One side of a claim row. */
typedef struct ssa_report_figure {
  char key[32];               /* what it is, for programs: a design key ("sc_unit"), "spiking",
                               * "ann_rowwise", "ann_spilling", "ice40_sc_unit", "openblas" */
  char label[128];            /* and for people */
  unsigned n;
  double value;               /* > 0; 0 when there is none (note says why) */
  const char *unit;           /* "pJ", "us" */
  ssa_report_level level;
  ssa_report_basis basis;
  char note[1024];            /* the formula with its numbers, the measurement, or why none */
} ssa_report_figure;

/* A published claim at one N: baseline / SC, larger is better for SC. */
typedef struct ssa_report_claim {
  ssa_claim_kind claim;
  unsigned n;
  double published;
  ssa_report_figure sc, baseline;
  double ratio;               /* baseline.value / sc.value; 0 when a side has no figure */
  int like_for_like;          /* both sides measured at the same level */
  int reproduced;
  char verdict[1200];         /* "reproduced", or "not reproduced: why" */
} ssa_report_claim;

/* iCE40 latency of one SC mode at one N, with the CPU at the same N. */
typedef struct ssa_report_fpga {
  ssa_report_design design;
  unsigned n;
  ssa_fpga_latency latency;   /* fits 0: not placed, latency.note says why */
  unsigned long luts, flops;  /* nextpnr's input, harness included */
  unsigned lc_used, lc_available;
  char refused[600];          /* the flow's message when it does not fit */
} ssa_report_fpga;

/* One point of docs/composition-validation.json: composed against the whole netlist. */
typedef struct ssa_report_validation_point {
  char key[32];               /* the report's design key ("sc_unit"), when the file names one */
  char design[160];           /* "KIND OPTIONS" of the design composed and measured */
  char base[160];             /* of the base the composition was measured on */
  unsigned n, dim;            /* N and D (0: not stated) */
  double composed_pj, measured_pj, energy_error;
  double composed_um2, measured_um2, area_error;
} ssa_report_validation_point;

#define SSA_REPORT_MAX_VALIDATION 16
typedef struct ssa_report_validation {
  char path[512];
  int present;                /* 0: missing or unreadable, `why` says which */
  char why[400];
  ssa_report_validation_point point[SSA_REPORT_MAX_VALIDATION];
  unsigned count;
  double worst_energy, worst_area;   /* largest |error| */
} ssa_report_validation;

/* The bound issue 13 sets on the composition's error at N = 16, energy and area. */
#define SSA_REPORT_VALIDATION_BOUND 0.05
#define SSA_REPORT_VALIDATION_N 16u

/* The randomness frontier (docs/randomness.md): every (random source, share mode) of the SC
 * attention with reduce=mux, at two sizes -- the whole netlist measured at the first, composed
 * at size at the second -- with the PRNG's share of energy and area, and the accuracy of the
 * snn-sc network run in that plan. */
#define SSA_FRONTIER_SHARES 4   /* unit, row, global, row-global */
#define SSA_FRONTIER_POINTS 16  /* lfsr, sobol, packed, shared x the shares */
typedef struct ssa_frontier_size {
  unsigned n, dim;
  ssa_report_basis basis;       /* measured (size 0) or composed (size 1); none: note says why */
  double pj, area_um2, cells;   /* per attention of T steps */
  double prng_pj, prng_area_um2;
  char note[256];
} ssa_frontier_size;

typedef struct ssa_frontier_point {
  enum ssa_random random;
  enum ssa_share share;
  ssa_frontier_size size[2];
  double accuracy;              /* on the test set at the network's T; < 0: none, note says why */
  int trained;                  /* 1: a network trained in this plan; 0: snn-sc.weights run in it */
  char weights[160];            /* the weights file evaluated */
  char accuracy_note[320];
} ssa_frontier_point;

/* Point k's plan: random k / SSA_FRONTIER_SHARES, share k % SSA_FRONTIER_SHARES. */
void ssa_frontier_point_init(unsigned k, ssa_frontier_point *p);
/* The weights file of a network trained in the plan: models_dir/snn-sc.weights for lfsr/unit,
 * models_dir/snn-sc-SHARE-RANDOM.weights for the others. */
void ssa_frontier_weights(const char *models_dir, enum ssa_random random, enum ssa_share share,
                          char *buf, size_t len);

typedef struct ssa_report_config {
  unsigned dim, steps;
  double rate;                              /* --rate stimulus of every design */
  unsigned sizes[SSA_REPORT_MAX_SIZES];     /* the sweep of N */
  unsigned size_count;
  unsigned claim_n;                         /* the published claims' size (64) */
  /* per design, the sizes measured at gate level (0 ends a list); sizes below the sweep are
   * anchors; every other size of the sweep is composed */
  unsigned measure[SSA_D_COUNT][SSA_REPORT_MAX_SIZES];
  /* why a design's sizes beyond those measured are not composed (NULL: they are); such rows
   * have no figure and say why */
  const char *not_composed[SSA_D_COUNT];
  /* per design, N of the composition's measured base design: the parallel ANN's multipliers
   * make it the slowest to synthesize, so its base is the smallest */
  unsigned compose_from[SSA_D_COUNT];
  unsigned ann_steps;                       /* ANN steps simulated (each one attention) */
  /* per SC mode, the N placed first on the iCE40: the report doubles it while it places and
   * halves it while it does not, and states the largest that placed */
  unsigned ice40_n[SSA_D_SC_COUNT];
  const char *ice40_device;                 /* NULL: hx8k */
  const char *liberty_path;                 /* the area cross-check library (NULL: none) */
  const char *validation_path;              /* docs/composition-validation.json */
  /* the trained networks' activity (report_trained.c): their Q, K, V on the first
   * trained_images test images (0: not run), the networks in models_dir, Fashion-MNIST in
   * data_dir (NULL: train/fmnist.h's default) */
  unsigned trained_images;
  const char *models_dir;
  const char *data_dir;
  const char *cache_dir;
  double clock_mhz;
  double cpu_seconds;                       /* CPU timing: calls repeated this long in all */
  unsigned jobs;                            /* processes side by side (0: one per processor) */
  /* the frontier's sizes, (N, D): measured whole, and composed at size (from N = 4 or 2) */
  unsigned frontier_measure[2], frontier_compose[2], frontier_compose_from;
} ssa_report_config;

typedef struct ssa_report {
  ssa_report_config config;
  const char *library;       /* the one library: its name */
  double voltage_v;          /* and its voltage, at which the SRAM is priced too */
  ssa_report_row *rows;
  unsigned row_count;
  ssa_report_claim *claims;
  unsigned claim_count;
  ssa_report_fpga fpga[SSA_D_SC_COUNT * 4];
  unsigned fpga_count;
  ssa_cpu_time cpu[SSA_REPORT_MAX_SIZES * 2];
  unsigned cpu_count;
  ssa_activation_buffer buffers[SSA_REPORT_MAX_SIZES];   /* one per size of the sweep */
  ssa_report_validation validation;
  char base_key[SSA_D_COUNT][17];  /* the base profile each design's measured row kept, or "" */
  /* at the trained networks' size on their captured activity: SC unit, exact, ANN int, ANN
   * none; none when trained_why says why */
  ssa_report_row trained[4];
  unsigned trained_count;
  char trained_why[512];
  /* Area cross-check on the reference design: built-in table vs the Liberty flow. */
  char area_design[96];
  double area_builtin_um2, area_liberty_um2;
  char area_library[64];
  ssa_frontier_point frontier[SSA_FRONTIER_POINTS];
  double seconds;
} ssa_report;

extern const char *const ssa_report_design_names[SSA_D_COUNT];
extern const char *const ssa_report_design_keys[SSA_D_COUNT];
const char *ssa_report_level_name(ssa_report_level l);
const char *ssa_report_basis_name(ssa_report_basis b);
const char *ssa_report_claim_name(ssa_claim_kind c);
/* The published figures (AICAS 2024, "Stochastic Spiking Attention", abstract). */
double ssa_report_published(ssa_claim_kind c);

void ssa_report_config_default(ssa_report_config *c, int quick);
/* How the report measures and composes every design: the generic flow, the built-in table,
 * its cache and clock. */
ssa_measure_opts ssa_report_measure_opts(const ssa_report_config *c);
/* The NanGate 45 nm library of the area cross-check when none is given: the project's
 * reference copy at ../shared/liberty/ from the current directory (the checkout's root), or
 * NULL when it is not there. */
const char *ssa_default_liberty(void);
/* Measures and composes everything the report needs (report_collect.c), its long pieces run
 * side by side in config.jobs processes (0: one per processor). */
int ssa_report_collect(ssa_report *r, ssa_error *err);
void ssa_report_free(ssa_report *r);

/* report_run.c: the pieces report_collect.c runs. */
/* A line of progress on stderr, "ssa report [  12 s]: ...", written at once. */
void ssa_report_progress(const ssa_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ssa_report_row_init(const ssa_report_config *c, ssa_report_design d, unsigned n,
                         ssa_report_row *row);
/* Whether size n of design d is the base its compositions start from (measured as a row of
 * its own, its profile kept in r->base_key for them). */
int ssa_report_is_compose_base(const ssa_report_config *c, ssa_report_design d, unsigned n);
/* A subject of `kind` with `options` (words separated by blanks), prepared, and run on `steps`
 * steps of the report's rate stimulus (0: not run). */
int ssa_report_subject(const ssa_report_config *c, const char *kind, const char *options,
                       unsigned steps, ssa_subject *s, ssa_error *err);
/* The whole gate netlist synthesized and simulated against the golden model. */
int ssa_report_measure_row(ssa_report *r, ssa_report_row *row, ssa_error *err);
/* Composed from measured parts (synth/compose.h) at the row's size. */
int ssa_report_compose_row(ssa_report *r, ssa_report_row *row, ssa_error *err);
/* The largest N of SC mode d that places on the iCE40 and the first that does not, appended
 * to r->fpga. */
int ssa_report_ice40(ssa_report *r, ssa_report_design d, ssa_error *err);
/* CPU attention at N (once per N), appended to r->cpu. */
int ssa_report_cpu_at(ssa_report *r, unsigned n, ssa_error *err);
/* The Liberty flow's area of the global mode at its largest measured size (r->area_*). */
int ssa_report_area_check(ssa_report *r, ssa_error *err);

/* report_trained.c: part k of r->trained (appended), or r->trained_why when there is no
 * dataset or it is not asked for; -1 only when a composition fails. The parts: 0 the SC block
 * of the network trained in the SC designs' plan (unit, the default source), 1 the exact
 * attention of snn-exact, 2 the ANN of ann with each softmax. */
#define SSA_REPORT_TRAINED_PARTS 3
/* The Fashion-MNIST test set for the trained networks' parts: 1 with *test loaded, 0 with `why`
 * saying why not (trained_images 0, or no dataset). */
int ssa_report_test_set(const ssa_report_config *c, ssa_dataset *test, char *why, size_t size);
/* The weights file of part k in the config's models directory. */
void ssa_report_trained_model(const ssa_report_config *c, unsigned part, char *buf, size_t len);
int ssa_report_trained(ssa_report *r, unsigned part, ssa_error *err);
/* The trained row of design d, or NULL. */
const ssa_report_row *ssa_report_trained_of(const ssa_report *r, ssa_report_design d);

/* report_frontier.c: one piece of frontier point *p (set up by ssa_frontier_point_init):
 * 0 its size measured whole, 1 its size composed, 2 its accuracy (none without a dataset or
 * with trained_images 0: the note says why); -1 when a measurement or evaluation fails. */
int ssa_report_frontier(ssa_report *r, unsigned piece, ssa_frontier_point *p, ssa_error *err);

/* report_claims.c: the claim rows from the collected figures (r->claims). */
int ssa_report_claims(ssa_report *r, ssa_error *err);
/* The row of design d at size n, or NULL. */
const ssa_report_row *ssa_report_row_of(const ssa_report *r, ssa_report_design d, unsigned n);

/* report_validation.c: docs/composition-validation.json into v; a missing or unreadable file
 * is not an error: v->present is 0 and v->why says what is wrong. */
void ssa_report_read_validation(const char *path, ssa_report_validation *v);
/* The validation point of design d, or NULL. */
const ssa_report_validation_point *ssa_report_validation_of(const ssa_report_validation *v,
                                                            ssa_report_design d);
/* Whether point p's energy and area errors are both within SSA_REPORT_VALIDATION_BOUND. */
int ssa_report_within_bound(const ssa_report_validation_point *p);

/* Writes report.md, sizes.csv, claims.csv, validation.csv, frontier.csv, energy.png, area.png,
 * frontier.png (when a plan has an accuracy) and report.json into dir, all or nothing; json_path: also the JSON document there (NULL: not). */
int ssa_report_write(const ssa_report *r, const char *dir, const char *json_path,
                     ssa_error *err);

#endif
