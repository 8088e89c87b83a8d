/* report_run.c -- what `ssa report` measures and composes (see report.h): gate-level energy and
 * area of every design and size, the SRAM buffer of each size, iCE40 and CPU latency, the area
 * cross-check and the composition validation; report_claims.c sets them side by side. */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../synth/cell_table.h"
#include "../synth/compose.h"
#include "../synth/fpga_harness.h"
#include "../synth/measure.h"

/* The SC designs are the generator's default source (core/plan.h), which their names give. */
_Static_assert(SSA_RANDOM_DEFAULT == SSA_RANDOM_SOBOL, "the SC designs' names say sobol");
const char *const ssa_report_design_names[SSA_D_COUNT] = {
    "SC attention (sobol), share=unit", "SC attention (sobol), share=row",
    "SC attention (sobol), share=global",
    "exact spiking attention", "int8 ANN attention, softmax int",
    "int8 ANN attention, softmax none"};
const char *const ssa_report_design_keys[SSA_D_COUNT] = {"sc_unit", "sc_row", "sc_global",
                                                         "exact", "ann_int", "ann_none"};

const char *ssa_report_level_name(ssa_report_level l) {
  static const char *const names[] = {"gate", "operation", "fpga", "cpu"};
  return names[l];
}

const char *ssa_report_basis_name(ssa_report_basis b) {
  static const char *const names[] = {"measured", "composed", "model", "none"};
  return names[b];
}

const char *ssa_report_claim_name(ssa_claim_kind c) {
  static const char *const names[] = {"compute_energy", "memory_access", "latency",
                                       "compute_energy_trained"};
  return names[c];
}

double ssa_report_published(ssa_claim_kind c) {
  static const double published[] = {6.3, 1.7, 48, 6.3};
  return published[c];
}

void ssa_report_config_default(ssa_report_config *c, int quick) {
  /* A tiny report for tests: every path of the full one (measured and composed rows, a
   * measured anchor below the sweep, iCE40 search, CPU baselines, the Liberty cross-check) at
   * sizes that take seconds. */
  static const ssa_report_config tiny = {
      .dim = 2,
      .steps = 10,
      .rate = 0.5,
      .sizes = {2, 4},
      .size_count = 2,
      .claim_n = 4,
      /* the ANN's multipliers make it the slowest to synthesize: measured at N = 2 only */
      .measure = {[SSA_D_SC_UNIT] = {2}, [SSA_D_SC_ROW] = {2}, [SSA_D_SC_GLOBAL] = {2, 4},
                  [SSA_D_EXACT] = {2}, [SSA_D_ANN_INT] = {2}, [SSA_D_ANN_NONE] = {2}},
      .compose_from = {2, 2, 2, 2, 2, 2},
      .ann_steps = 10,
      .ice40_n = {4, 4, 4},
      .validation_path = "docs/composition-validation.json",
      .clock_mhz = 500,
      .cpu_seconds = 0.05,
      .frontier_measure = {2, 2},
      .frontier_compose = {4, 2},
      .frontier_compose_from = 2,
  };
  /* Spikformer's CIFAR-10 attention: N = 64 tokens, D = 32 per head, T = 10. Whole netlists
   * measured where Yosys is quick (bench/RESULTS.md has the times) -- the SC block up to N = 16
   * in the unit and row modes and up to 32 in the global one, the exact attention up to 16,
   * the parallel ANN at N = 2 (the compositions' base), 8 and 16 (7.6 million cells, a minute
   * with the gate simulator) -- and the claim size N = 64 composed: each part's cells and
   * activity at gate level at that size (compose.h, at_size), the glue's and the LFSRs'
   * activity from a measured N = 4 for the SC block and N = 2 for the others. N = 32 is left
   * out of the sweep (the global mode's whole netlist there is an anchor outside it): its
   * compositions would add a quarter to the report's time and no claim row. */
  static const ssa_report_config full = {
      .dim = 32,
      .steps = 10,
      .rate = 0.5,
      .sizes = {8, 16, 64},
      .size_count = 3,
      .claim_n = 64,
      .measure = {[SSA_D_SC_UNIT] = {8, 16}, [SSA_D_SC_ROW] = {8, 16},
                  [SSA_D_SC_GLOBAL] = {8, 16, 32}, [SSA_D_EXACT] = {2, 8, 16},
                  [SSA_D_ANN_INT] = {2, 8, 16}, [SSA_D_ANN_NONE] = {2, 8, 16}},
      .compose_from = {[SSA_D_SC_UNIT] = 4, [SSA_D_SC_ROW] = 4, [SSA_D_SC_GLOBAL] = 4,
                       [SSA_D_EXACT] = 2, [SSA_D_ANN_INT] = 2, [SSA_D_ANN_NONE] = 2},
      .ann_steps = 10,
      /* the largest sizes that placed on an HX8K with the timing harness
       * (docs/synthesis-and-energy.md) */
      .ice40_n = {4, 8, 32},
      .validation_path = "docs/composition-validation.json",
      .trained_images = 8,
      .models_dir = "models",
      .clock_mhz = 500,
      .cpu_seconds = 0.2,
      /* the frontier (docs/randomness.md): the trained networks' size measured, the claim
       * size composed as the claim rows are */
      .frontier_measure = {16, 16},
      .frontier_compose = {64, 32},
      .frontier_compose_from = 4,
  };
  *c = quick ? tiny : full;
}

const char *ssa_default_liberty(void) {
  static const char path[] = "../shared/liberty/nangate45_typ.lib.gz";
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fclose(f);
  return path;
}

/* ---- designs ---- */

/* One line written at once: the report's jobs run side by side (report_collect.c) and their
 * lines must not mix. */
void ssa_report_progress(const ssa_report *r, const char *fmt, ...) {
  char line[1400];
  int k = snprintf(line, sizeof line, "ssa report [%4.0f s]: ", ssa_seconds_now() - r->seconds);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line + k, sizeof line - (size_t)k - 1, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%s\n", line);
}

static const char *kind_of(ssa_report_design d) {
  return d == SSA_D_EXACT         ? "exact-attention"
         : ssa_report_is_ann(d) ? "ann-attention"
                                : "attention";
}

/* The generator options of design d at size n ("--tokens 8 --dim 32 --share unit"). */
static void options_of(const ssa_report_config *c, ssa_report_design d, unsigned n, char *buf,
                       size_t len) {
  static const char *const extra[SSA_D_COUNT] = {
      "--reduce mux --share unit", "--reduce mux --share row", "--reduce mux --share global", "",
      "--softmax int --macs 0", "--softmax none --macs 0"};
  snprintf(buf, len, "--tokens %u --dim %u%s%s%s%s", n, c->dim, extra[d][0] ? " " : "", extra[d],
           ssa_report_is_sc(d) ? " --random " : "",
           ssa_report_is_sc(d) ? ssa_random_name(SSA_RANDOM_DEFAULT) : "");
}

/* Steps the report simulates, and steps in one attention: T for the spiking designs; the ANN
 * computes one attention a step, simulated over ann_steps random inputs. */
static unsigned run_steps(const ssa_report_config *c, ssa_report_design d) {
  return ssa_report_is_ann(d) ? c->ann_steps : c->steps;
}
static unsigned attention_steps(const ssa_report_config *c, ssa_report_design d) {
  return ssa_report_is_ann(d) ? 1 : c->steps;
}

/* A prepared subject of design d at size n; with steps > 0 also a run of that many steps of
 * the report's --rate stimulus. */
int ssa_report_subject(const ssa_report_config *c, const char *kind, const char *options,
                       unsigned steps, ssa_subject *s, ssa_error *err) {
  char opts[256], *argv[24], *save = NULL;
  snprintf(opts, sizeof opts, "%s", options);
  int argc = 0;
  for (char *w = strtok_r(opts, " ", &save); w != NULL && argc < 23;
       w = strtok_r(NULL, " ", &save))
    argv[argc++] = w;
  argv[argc] = NULL;
  if (ssa_subject_init(s, kind, err) != 0) return -1;
  ssa_cli cli;
  ssa_cli_init(&cli, argc, argv, "report");
  int rc = 0;
  for (const char *opt; rc == 0 && (opt = ssa_cli_next(&cli)) != NULL;)
    rc = ssa_subject_option(s, &cli, opt, err) == 1 ? 0 : -1;
  if (rc == 0) rc = ssa_subject_prepare(s, err);
  if (rc == 0 && steps > 0) rc = ssa_subject_run(s, c->rate, steps, err);
  if (rc != 0) ssa_subject_free(s);
  return rc;
}

static int subject_of(const ssa_report_config *c, ssa_report_design d, unsigned n,
                      unsigned steps, ssa_subject *s, ssa_error *err) {
  char opts[160];
  options_of(c, d, n, opts, sizeof opts);
  return ssa_report_subject(c, kind_of(d), opts, steps, s, err);
}

void ssa_report_row_init(const ssa_report_config *c, ssa_report_design d, unsigned n,
                         ssa_report_row *row) {
  memset(row, 0, sizeof *row);
  row->design = d;
  row->n = n;
  row->steps = attention_steps(c, d);
  row->dim = c->dim;
  for (unsigned k = 0; k < c->size_count; k++)
    if (c->sizes[k] == n) row->in_sweep = 1;
}

ssa_measure_opts ssa_report_measure_opts(const ssa_report_config *c) {
  ssa_measure_opts mo = {.synth = {.flow = SSA_FLOW_GENERIC},
                         .library = ssa_cell_table_builtin(), .cache_dir = c->cache_dir,
                         .clock_mhz = c->clock_mhz};
  return mo;
}

/* How the report composes design d: from its base size, over the base's default steps, every
 * part's activity measured at the target's size (compose.h, at_size) on the steps the report
 * simulates (the ANN's ann_steps attentions, one a step). */
static ssa_compose_opts compose_opts(const ssa_report_config *c, ssa_report_design d) {
  ssa_compose_opts co = {.base_tokens = c->compose_from[d], .steps = run_steps(c, d),
                         .rate = c->rate, .measure = ssa_report_measure_opts(c),
                         .at_size = 1};
  return co;
}

/* Size n of design d is the base its compositions start from: measured once, on the base's
 * steps, and kept for them (compose.h), not measured a second time. */
int ssa_report_is_compose_base(const ssa_report_config *c, ssa_report_design d, unsigned n) {
  return n == c->compose_from[d] && c->not_composed[d] == NULL;
}

/* The whole gate netlist synthesized and simulated against the golden model: the steady
 * state's energy per step (reset and drain excluded, measure.h) x the steps of an attention. */
int ssa_report_measure_row(ssa_report *r, ssa_report_row *row, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  double start = ssa_seconds_now();
  int base = ssa_report_is_compose_base(c, row->design, row->n);
  ssa_subject s;
  if (subject_of(c, row->design, row->n, base ? SSA_COMPOSE_BASE_STEPS : run_steps(c, row->design),
                 &s, err) != 0)
    return -1;
  ssa_report_progress(r, "%s, N=%u, D=%u: synthesizing and simulating the netlist",
                      ssa_report_design_names[row->design], row->n, c->dim);
  ssa_measure_opts mo = ssa_report_measure_opts(c);
  ssa_measurement m;
  int rc = ssa_measure(&s, &mo, &m, err);
  if (rc == 1) {
    rc = ssa_fail(err, "%s, N=%u: the gate netlist differs from the golden model at clock %u "
                  "(reproduce: ssa energy %s %s)", ssa_report_design_names[row->design], row->n,
                  m.activity.first.cycle, kind_of(row->design), ssa_subject_design(&s)->options);
    ssa_measurement_free(&m);
  }
  if (rc == 0 && base) {
    ssa_compose_opts co = compose_opts(c, row->design);
    rc = ssa_compose_keep_base(&s, &co, &m, r->base_key[row->design], err);
    if (rc != 0) ssa_measurement_free(&m);
  }
  if (rc == 0) {
    const ssa_energy *e = &m.energy;
    double total_fj = e->total.dynamic_fj + e->total.clock_fj + e->total.leakage_fj;
    /* each part's share of the steady window's energy, per step, per attention */
    double scale = total_fj > 0 ? e->per_step_fj / total_fj * row->steps * 1e-3 : 0;
    for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
      const ssa_energy_part *ep = &e->part[p];
      row->part_pj[p] = (ep->dynamic_fj + ep->clock_fj + ep->leakage_fj) * scale;
    }
    row->pj = e->per_step_fj * row->steps * 1e-3;
    row->basis = SSA_BASIS_MEASURED;
    row->cells = (double)e->total.cells;
    row->area_um2 = e->total.area_um2;
    snprintf(row->note, sizeof row->note,
             "synthesized (generic flow), the netlist simulated on %u steps (%u clocks) equal to "
             "the golden model; steady state: %u clocks of %u steps, %.3f pJ per step",
             ssa_subject_steps(&s), m.activity.cycles, e->cycles, e->steps,
             e->per_step_fj * 1e-3);
    ssa_report_progress(r, "%s, N=%u: %.0f cells, %.1f um^2, %.2f pJ per attention "
                        "(Yosys %.0f s)", ssa_report_design_names[row->design], row->n,
                        row->cells, row->area_um2, row->pj, m.synth.seconds);
    ssa_measurement_free(&m);
  }
  ssa_subject_free(&s);
  row->seconds = ssa_seconds_now() - start;
  return rc;
}

/* Composed from measured parts (synth/compose.h), the base at N = compose_from[design]. A
 * design the report cannot afford to compose (not_composed) or whose emitter declares no
 * parts gets no figure: the row says why. */
int ssa_report_compose_row(ssa_report *r, ssa_report_row *row, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  double start = ssa_seconds_now();
  if (c->not_composed[row->design] != NULL) {
    row->basis = SSA_BASIS_NONE;
    snprintf(row->note, sizeof row->note, "not available: %s", c->not_composed[row->design]);
    ssa_report_progress(r, "%s, N=%u: %s", ssa_report_design_names[row->design], row->n,
                        row->note);
    return 0;
  }
  ssa_subject s;
  if (subject_of(c, row->design, row->n, 0, &s, err) != 0) return -1;
  ssa_design d;
  int rc = ssa_kind_emit(s.kind, s.params, &d, err);
  ssa_subject_free(&s);
  if (rc != 0) return -1;
  unsigned parts = d.part_count;
  ssa_design_free(&d);
  if (parts == 0) {
    row->basis = SSA_BASIS_NONE;
    snprintf(row->note, sizeof row->note, "not available: %s declares no parts, so it cannot be "
             "composed", kind_of(row->design));
    ssa_report_progress(r, "%s, N=%u: %s", ssa_report_design_names[row->design], row->n,
                        row->note);
    return 0;
  }
  ssa_report_progress(r, "%s, N=%u, D=%u: composing from measured parts (base N=%u)",
                      ssa_report_design_names[row->design], row->n, c->dim,
                      c->compose_from[row->design]);
  char opts[160];
  options_of(c, row->design, row->n, opts, sizeof opts);
  ssa_compose_opts co = compose_opts(c, row->design);
  ssa_composition comp;
  if (ssa_compose(kind_of(row->design), opts, &co, &comp, err) != 0) return -1;
  /* energy per attention: per step x the steps of one attention (compose.h) */
  row->pj = comp.per_step_fj * row->steps * 1e-3;
  for (unsigned p = 0; p < SSA_PART_COUNT; p++)
    row->part_pj[p] = (comp.split[p].dynamic_fj + comp.split[p].clock_fj +
                       comp.split[p].leakage_fj) * row->steps * 1e-3;
  row->cells = comp.total.cells;
  row->area_um2 = comp.total.area_um2;
  row->basis = SSA_BASIS_COMPOSED;
  /* the base this report measured as a row of its own was kept for its compositions: that it
   * was found again is stated, and checked by tests/test_report.c */
  int kept = comp.base_cached && strcmp(r->base_key[row->design], comp.base_key) == 0;
  snprintf(row->note, sizeof row->note,
           "composed: %u part types, their cells from synthesizing each part module alone and "
           "their activity from the design assembled from them at gate level at this size (%u "
           "steps, equal to the golden model); the glue's and the PRNG's activity per cell from "
           "the base %s measured at gate level%s",
           comp.count, co.steps, comp.base,
           kept ? " (the base is this report's measured row)"
                : comp.base_cached ? " (profile cached)" : "");
  ssa_report_progress(r, "%s, N=%u: %.0f cells, %.1f um^2, %.2f pJ per attention (%.0f s)",
                      ssa_report_design_names[row->design], row->n, row->cells, row->area_um2,
                      row->pj, comp.seconds);
  row->seconds = ssa_seconds_now() - start;
  return 0;
}

const ssa_report_row *ssa_report_row_of(const ssa_report *r, ssa_report_design d, unsigned n) {
  for (unsigned k = 0; k < r->row_count; k++)
    if (r->rows[k].design == d && r->rows[k].n == n) return &r->rows[k];
  return NULL;
}

/* ---- iCE40 and CPU ---- */

/* Logic cells of an iCE40 HX8K (synth/synth.c's device table; the report's default part). */
#define HX8K_LOGIC_CELLS 7680u

/* Flip-flops the design and the harness certainly have: the harness's (one per input bit and
 * per XOR-tree node, fpga_harness.h), the glue's (the top's own flip-flops, its declared unit)
 * and the LFSRs' (declared count x width). Each needs a logic cell of its own. */
static unsigned long certain_flops(const ssa_design *d) {
  unsigned harness_flops, harness_luts;
  ssa_fpga_harness_cost(d, &harness_flops, &harness_luts);
  unsigned long flops = harness_flops;
  for (unsigned k = 0; k < d->part_count; k++) {
    const ssa_design_part *p = &d->parts[k];
    unsigned width;
    if (strcmp(p->module, d->top) == 0) flops += p->count;
    else if (strcmp(p->module, "ssa_lfsr") == 0 && sscanf(p->params, "WIDTH=%u", &width) == 1)
      flops += p->count * width;
  }
  return flops;
}

/* Places and routes SC mode d at size n inside the timing harness; f->latency.fits says
 * whether it placed. A design whose certain flip-flops outnumber an HX8K's logic cells is not
 * synthesized: it cannot fit. */
static int ice40_at(ssa_report *r, ssa_report_design d, unsigned n, ssa_report_fpga *f,
                    ssa_error *err) {
  const ssa_report_config *c = &r->config;
  memset(f, 0, sizeof *f);
  f->design = d;
  f->n = n;
  ssa_subject s;
  if (subject_of(c, d, n, 1, &s, err) != 0) return -1;
  ssa_report_progress(r, "%s, N=%u: iCE40 synthesis, place and route",
                      ssa_report_design_names[d], n);
  ssa_synth_opts so = {.flow = SSA_FLOW_ICE40, .ice40_device = c->ice40_device};
  ssa_synth_result res;
  const ssa_design *design = ssa_subject_design(&s);
  unsigned long flops = certain_flops(design);
  int rc;
  if (c->ice40_device == NULL && flops > HX8K_LOGIC_CELLS) {
    ssa_fail(err, "the timing harness's and the design's declared flip-flops alone are %lu, "
             "more than the HX8K's %u logic cells", flops, HX8K_LOGIC_CELLS);
    rc = SSA_SYNTH_TOO_LARGE;
  } else {
    rc = ssa_synth_run(design, &so, &res, err);
  }
  if (rc == SSA_SYNTH_TOO_LARGE) {
    ssa_fpga_latency_unfit(n, c->steps, c->ice40_device, &f->latency);
    snprintf(f->refused, sizeof f->refused, "%.500s", err->msg);
    ssa_report_progress(r, "%s, N=%u: does not fit: %s", ssa_report_design_names[d], n,
                        err->msg);
    rc = 0;
  } else if (rc == 0) {
    if (!(res.fmax_mhz > 0)) {
      rc = ssa_fail(err, "%s, N=%u: nextpnr-ice40 reported no Fmax", ssa_report_design_names[d],
                    n);
    } else {
      ssa_fpga_latency_of(design, c->steps, res.fmax_mhz, c->ice40_device, &f->latency);
      f->luts = res.luts;
      f->flops = res.flops;
      f->lc_used = res.lc_used;
      f->lc_available = res.lc_available;
      ssa_report_progress(r, "%s, N=%u: %u of %u logic cells, Fmax %.1f MHz, %.3f us",
                          ssa_report_design_names[d], n, res.lc_used, res.lc_available,
                          res.fmax_mhz, f->latency.us);
    }
    ssa_synth_result_free(&res);
  }
  ssa_subject_free(&s);
  return rc;
}

/* The largest N that places, from ice40_n[d]: doubled while it places (up to the claim size),
 * halved while it does not (down to 2). Records the largest placed and, above it, the first
 * size that did not (the reason the larger sizes are not reproduced). */
int ssa_report_ice40(ssa_report *r, ssa_report_design d, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  ssa_report_fpga placed = {0}, refused = {0}, f;
  unsigned n = c->ice40_n[d];
  int have_placed = 0, have_refused = 0;
  for (;;) {
    if (ice40_at(r, d, n, &f, err) != 0) return -1;
    if (f.latency.fits) {
      placed = f;
      have_placed = 1;
      if (have_refused || n >= c->claim_n) break;
      n *= 2;
    } else {
      refused = f;
      have_refused = 1;
      if (have_placed || n <= 2) break;
      n /= 2;
    }
  }
  if (have_placed) r->fpga[r->fpga_count++] = placed;
  if (have_refused) r->fpga[r->fpga_count++] = refused;
  return 0;
}

int ssa_report_cpu_at(ssa_report *r, unsigned n, ssa_error *err) {
  for (unsigned k = 0; k < r->cpu_count; k++)
    if (r->cpu[k].n == n) return 0;
  if (r->cpu_count == sizeof r->cpu / sizeof r->cpu[0])
    return ssa_fail(err, "report: too many CPU sizes");
  ssa_report_progress(r, "CPU attention, N=%u, D=%u: OpenBLAS and the scalar loop", n,
                      r->config.dim);
  return ssa_cpu_attention_time(n, r->config.dim, r->config.cpu_seconds, &r->cpu[r->cpu_count++],
                                err);
}

/* ---- area cross-check ---- */

int ssa_report_area_check(ssa_report *r, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  if (c->liberty_path == NULL) return 0;
  /* The reference: the global mode at its largest measured size. */
  ssa_report_design d = SSA_D_SC_GLOBAL;
  const ssa_report_row *ref = NULL;
  for (unsigned k = 0; k < r->row_count; k++)
    if (r->rows[k].design == d && r->rows[k].basis == SSA_BASIS_MEASURED &&
        (ref == NULL || r->rows[k].n > ref->n))
      ref = &r->rows[k];
  if (ref == NULL) return 0;
  ssa_liberty lib;
  if (ssa_liberty_read(c->liberty_path, &lib, err) != 0) return -1;
  ssa_subject s;
  int rc = subject_of(c, d, ref->n, 1, &s, err);
  if (rc == 0) {
    ssa_report_progress(r, "%s, N=%u: Liberty flow (%s) for the area cross-check",
                        ssa_report_design_names[d], ref->n, lib.name);
    ssa_synth_opts so = {.flow = SSA_FLOW_LIBERTY, .liberty = &lib,
                         .liberty_path = c->liberty_path};
    ssa_synth_result res;
    rc = ssa_synth_run(ssa_subject_design(&s), &so, &res, err);
    if (rc == 0) {
      rc = ssa_cells_area(res.total.cells, res.total.cell_types, &lib, &r->area_liberty_um2,
                          err);
      ssa_synth_result_free(&res);
    }
    ssa_subject_free(&s);
  }
  if (rc == 0) {
    snprintf(r->area_library, sizeof r->area_library, "%s", lib.name);
    snprintf(r->area_design, sizeof r->area_design, "%s, N=%u, D=%u",
             ssa_report_design_names[d], ref->n, c->dim);
    r->area_builtin_um2 = ref->area_um2;
  }
  ssa_liberty_free(&lib);
  return rc;
}

void ssa_report_free(ssa_report *r) {
  free(r->rows);
  free(r->claims);
  r->rows = NULL;
  r->claims = NULL;
  r->row_count = r->claim_count = 0;
}
