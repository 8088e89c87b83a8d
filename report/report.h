/* report.h -- `ssa report`: the data it collects (report_run.c) and the files it writes from
 * them (report_write.c). One row per (design, N): the SC attention in each share mode, the
 * exact spiking attention and the int8 ANN attention, at D per head and T steps. */
#ifndef SSA_REPORT_H
#define SSA_REPORT_H

#include "../common/error.h"
#include "../synth/extrapolate.h"
#include "../synth/op_energy.h"
#include "../synth/synth.h"

typedef enum { SSA_D_SC_UNIT, SSA_D_SC_ROW, SSA_D_SC_GLOBAL, SSA_D_EXACT, SSA_D_ANN,
               SSA_D_COUNT } ssa_report_design;

/* How a row's gate-level figures were obtained. */
typedef enum {
  SSA_BASIS_MEASURED,      /* synthesized, netlist simulated against the golden model */
  SSA_BASIS_EXTRAPOLATED,  /* a N^2 + b N from the measured sizes (synth/extrapolate.h) */
  SSA_BASIS_ESTIMATE       /* no RTL: operation counts only (the ANN) */
} ssa_report_basis;

#define SSA_REPORT_MAX_SIZES 8

typedef struct ssa_report_row {
  ssa_report_design design;
  unsigned n;
  int in_sweep;             /* 0: a size measured only to fit the extrapolation */
  ssa_report_basis basis;
  char basis_note[160];
  double cells, flops, area_um2;       /* built-in 45 nm table */
  double part_pj[SSA_PART_COUNT];      /* gate-level energy per attention, by part */
  double gate_pj;                      /* their sum */
  ssa_estimate ops, memory;            /* operation level and memory access, per attention */
  unsigned latency_clocks;             /* the design's pipeline latency */
  double fmax_mhz;                     /* iCE40 */
  char fmax_note[160];
  double fpga_latency_us;              /* (T + latency clocks) / Fmax */
  double cpu_golden_us;                /* golden model, T steps (SC designs at the claim size) */
} ssa_report_row;

typedef struct ssa_report_claim {
  const char *claim;       /* "compute_energy", "memory_access", "latency" */
  double published;
  double measured;         /* baseline / SC: larger is better for SC */
  char baseline[200];
  char sc_design[96];
  char note[400];
} ssa_report_claim;

typedef struct ssa_report_config {
  unsigned dim, steps;
  unsigned sizes[SSA_REPORT_MAX_SIZES];     /* the sweep of N */
  unsigned size_count;
  unsigned claim_n;                         /* the claim size (64) */
  /* Largest N measured per design (others are extrapolated); fit_n: a smaller size measured
   * only to fit the extrapolation (0: none). */
  unsigned measure_max[SSA_D_COUNT];
  unsigned fit_n[SSA_D_COUNT];
  /* N placed and routed on the iCE40 per design; halved until the design fits the part */
  unsigned ice40_n[SSA_D_COUNT];
  const char *liberty_path;                 /* the area cross-check library (NULL: none) */
  const char *cache_dir;
  double clock_mhz;
} ssa_report_config;

typedef struct ssa_report {
  ssa_report_config config;
  ssa_report_row *rows;
  unsigned row_count;
  ssa_report_claim claims[3];
  ssa_cell_fit fits[SSA_D_COUNT][SSA_PART_COUNT];   /* of the extrapolated designs */
  double cpu_float_us;       /* the float attention at the claim size */
  /* Area cross-check on the reference design: built-in table vs the Liberty flow. */
  char area_design[96];
  double area_builtin_um2, area_liberty_um2;
  char area_library[64];
  double seconds;
} ssa_report;

extern const char *const ssa_report_design_names[SSA_D_COUNT];
extern const char *const ssa_report_design_keys[SSA_D_COUNT];
const char *ssa_report_basis_name(ssa_report_basis b);

void ssa_report_config_default(ssa_report_config *c, int quick);
/* The NanGate 45 nm library of the area cross-check when none is given: the project's
 * reference copy at ../shared/liberty/ from the current directory (the checkout's root), or
 * NULL when it is not there. */
const char *ssa_default_liberty(void);
int ssa_report_collect(ssa_report *r, ssa_error *err);
void ssa_report_free(ssa_report *r);
/* Writes report.md, sizes.csv, claims.csv, energy.png, area.png (and report.json) into dir,
 * all or nothing; json_path: also the JSON document there (NULL: not). */
int ssa_report_write(const ssa_report *r, const char *dir, const char *json_path,
                     ssa_error *err);

#endif
