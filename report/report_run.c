/* report_run.c -- what `ssa report` measures, extrapolates and estimates (see report.h). */
#include "report.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../golden/attention.h"
#include "../golden/float_attention.h"
#include "../synth/cell_table.h"
#include "../synth/extrapolate.h"
#include "../synth/measure.h"

const char *const ssa_report_design_names[SSA_D_COUNT] = {
    "SC attention, share=unit", "SC attention, share=row", "SC attention, share=global",
    "exact spiking attention", "int8 ANN attention"};
const char *const ssa_report_design_keys[SSA_D_COUNT] = {"sc_unit", "sc_row", "sc_global",
                                                         "exact", "ann"};

const char *ssa_report_basis_name(ssa_report_basis b) {
  static const char *const names[] = {"measured", "extrapolated", "estimate"};
  return names[b];
}

void ssa_report_config_default(ssa_report_config *c, int quick) {
  /* A tiny report for tests: the same code paths at sizes that take seconds. */
  static const ssa_report_config tiny = {
      .dim = 4,
      .steps = 10,
      .sizes = {2, 4},
      .size_count = 2,
      .claim_n = 4,
      .measure_max = {[SSA_D_SC_UNIT] = 2, [SSA_D_SC_ROW] = 2, [SSA_D_SC_GLOBAL] = 4,
                      [SSA_D_EXACT] = 2},
      .ice40_n = {[SSA_D_SC_UNIT] = 2, [SSA_D_SC_ROW] = 2, [SSA_D_SC_GLOBAL] = 2,
                  [SSA_D_EXACT] = 2},
      .clock_mhz = 500,
  };
  /* Spikformer's CIFAR-10 attention: N = 64 tokens, D = 32 per head, T = 10. */
  static const ssa_report_config full = {
      .dim = 32,
      .steps = 10,
      .sizes = {8, 16, 32, 64},
      .size_count = 4,
      .claim_n = 64,
      /* What 15 minutes on two cores allow (bench/RESULTS.md has the times): a netlist of n
       * cells takes about 10 + n/150 seconds to synthesize, compile with toggle counters and
       * simulate; the unit mode's grows as N^2 D (16 000 cells at N = 8), the exact
       * attention's adders faster (15 000 cells at N = 2). */
      .measure_max = {[SSA_D_SC_UNIT] = 8, [SSA_D_SC_ROW] = 8, [SSA_D_SC_GLOBAL] = 32,
                      [SSA_D_EXACT] = 2},
      .fit_n = {[SSA_D_SC_UNIT] = 4, [SSA_D_SC_ROW] = 4, [SSA_D_EXACT] = 2},
      /* The largest sizes that fit an iCE40 HX8K (7680 logic cells) with the timing harness. */
      .ice40_n = {[SSA_D_SC_UNIT] = 4, [SSA_D_SC_ROW] = 4, [SSA_D_SC_GLOBAL] = 16,
                  [SSA_D_EXACT] = 2},
      .clock_mhz = 500,
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

/* ---- one design ---- */

static void progress(const ssa_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void progress(const ssa_report *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "ssa report [%4.0f s]: ", ssa_seconds_now() - r->seconds);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

/* The subject of a design at size n, with a run of T steps at rate 0.5. */
static int subject_of(const ssa_report_config *c, ssa_report_design d, unsigned n,
                      unsigned steps, ssa_subject *s, ssa_error *err) {
  char nbuf[16], dbuf[16];
  snprintf(nbuf, sizeof nbuf, "%u", n);
  snprintf(dbuf, sizeof dbuf, "%u", c->dim);
  const char *share = d == SSA_D_SC_UNIT ? "unit" : d == SSA_D_SC_ROW ? "row" : "global";
  char *argv_sc[] = {"--tokens", nbuf, "--dim", dbuf, "--share", (char *)share, NULL};
  char *argv_exact[] = {"--tokens", nbuf, "--dim", dbuf, NULL};
  char **argv = d == SSA_D_EXACT ? argv_exact : argv_sc;
  int argc = d == SSA_D_EXACT ? 4 : 6;
  if (ssa_subject_init(s, d == SSA_D_EXACT ? "exact-attention" : "attention", err) != 0)
    return -1;
  ssa_cli cli;
  ssa_cli_init(&cli, argc, argv, "report");
  int rc = 0;
  for (const char *opt; rc == 0 && (opt = ssa_cli_next(&cli)) != NULL;)
    rc = ssa_subject_option(s, &cli, opt, err) == 1 ? 0 : -1;
  if (rc == 0) rc = ssa_subject_prepare(s, err);
  if (rc == 0) rc = ssa_subject_run(s, 0.5, steps, err);
  if (rc != 0) ssa_subject_free(s);
  return rc;
}

static ssa_report_row *add_row(ssa_report *r, ssa_report_design d, unsigned n, ssa_error *err) {
  ssa_report_row *grown = realloc(r->rows, (r->row_count + 1) * sizeof *grown);
  if (grown == NULL) {
    ssa_fail(err, "out of memory");
    return NULL;
  }
  r->rows = grown;
  ssa_report_row *row = &grown[r->row_count++];
  memset(row, 0, sizeof *row);
  row->design = d;
  row->n = n;
  return row;
}

static int in_sweep(const ssa_report_config *c, unsigned n) {
  for (unsigned k = 0; k < c->size_count; k++)
    if (c->sizes[k] == n) return 1;
  return 0;
}

/* CPU time of the golden model for one attention (the run's T steps), repeated for at least
 * 0.2 s so that a few-microsecond run is measured, not the clock's resolution. */
static int time_golden(const ssa_subject *s, double *us, ssa_error *err) {
  const ssa_stepped_run *run = &s->run;
  const ssa_attention_params *p = ssa_subject_sc_params(s);
  unsigned steps = run->data.steps, e = p->heads * p->dim;
  static const char *const ports[3] = {"q_i", "k_i", "v_i"};
  ssa_plan plan;
  if (ssa_plan_build(&plan, p, err) != 0) return -1;
  /* the inputs as the kernel takes them, made before the clock starts */
  ssa_bitmat *in = calloc((size_t)steps * 3 + 1, sizeof *in), o = {0};
  int rc = in != NULL && ssa_bitmat_init(&o, p->tokens, e) == 0 ? 0 : ssa_fail(err, "out of memory");
  unsigned made = 0;
  for (; rc == 0 && made < steps * 3; made++) {
    if (ssa_bitmat_init(&in[made], p->tokens, e) != 0) {
      rc = ssa_fail(err, "out of memory");
      break;
    }
    unsigned port = (unsigned)ssa_design_port_index(&run->design, ports[made % 3]);
    ssa_bitmat_from_flat(&in[made], ssa_step_in(&run->data, made / 3, port));
  }
  ssa_golden_attention *g = NULL;
  if (rc == 0) rc = ssa_golden_attention_new(&plan, &g, err);
  if (rc == 0) {
    unsigned reps = 0;
    double start = ssa_seconds_now(), elapsed;
    do {
      ssa_golden_attention_reset(g);
      for (unsigned t = 0; t < steps; t++)
        ssa_golden_attention_step(g, &in[3 * t], &in[3 * t + 1], &in[3 * t + 2], &o);
      reps++;
      elapsed = ssa_seconds_now() - start;
    } while (elapsed < 0.2);
    *us = elapsed / reps * 1e6;
  }
  ssa_golden_attention_free(g);
  while (made > 0) ssa_bitmat_free(&in[--made]);
  free(in);
  ssa_bitmat_free(&o);
  ssa_plan_free(&plan);
  return rc;
}

/* Operation-level and memory estimates, pipeline latency and (SC) the golden model's time. */
static int estimates(ssa_report *r, ssa_report_row *row, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  if (row->design == SSA_D_ANN) {
    ssa_op_energy_ann(row->n, c->dim, &row->ops);
    ssa_memory_ann(row->n, c->dim, &row->memory);
    return 0;
  }
  ssa_subject s;
  if (subject_of(c, row->design, row->n, c->steps, &s, err) != 0) return -1;
  row->latency_clocks = ssa_subject_design(&s)->latency;
  if (row->design == SSA_D_EXACT) {
    ssa_op_energy_exact(row->n, c->dim, c->steps, &row->ops);
  } else {
    ssa_sc_gate_costs costs;
    ssa_sc_gate_costs_builtin(&costs);
    ssa_op_energy_sc(row->n, c->dim, c->steps, ssa_subject_sc_params(&s)->share,
                     ssa_subject_random_bits(&s), &costs, &row->ops);
    if (time_golden(&s, &row->cpu_golden_us, err) != 0) {
      ssa_subject_free(&s);
      return -1;
    }
  }
  ssa_memory_spiking(row->n, c->dim, c->steps, &row->memory);
  ssa_subject_free(&s);
  return 0;
}

static int measure_row(ssa_report *r, ssa_report_row *row, ssa_size_figures *fig,
                       ssa_error *err) {
  const ssa_report_config *c = &r->config;
  ssa_subject s;
  if (subject_of(c, row->design, row->n, c->steps, &s, err) != 0) return -1;
  progress(r, "%s, N=%u, D=%u: synthesizing and simulating the netlist",
           ssa_report_design_names[row->design], row->n, c->dim);
  ssa_measure_opts mo = {.synth = {.flow = SSA_FLOW_GENERIC},
                         .library = ssa_cell_table_builtin(), .cache_dir = c->cache_dir,
                         .clock_mhz = c->clock_mhz};
  ssa_measurement m;
  int rc = ssa_measure(&s, &mo, &m, err);
  if (rc == 1) {
    rc = ssa_fail(err, "%s, N=%u: the gate netlist differs from the golden model at clock %u "
                  "(reproduce: ssa energy %s)", ssa_report_design_names[row->design], row->n,
                  m.activity.first.cycle, ssa_subject_design(&s)->options);
    ssa_measurement_free(&m);
  }
  if (rc == 0) {
    row->basis = SSA_BASIS_MEASURED;
    snprintf(row->basis_note, sizeof row->basis_note,
             "synthesized (generic flow), netlist simulated %u clocks", m.activity.cycles);
    fig->n = row->n;
    for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
      const ssa_energy_part *ep = &m.energy.part[p];
      /* Energy per attention: per step times T (the run's clocks include reset and drain). */
      row->part_pj[p] = (ep->dynamic_fj + ep->clock_fj + ep->leakage_fj) / m.energy.cycles *
                        m.energy.interval * c->steps * 1e-3;
      row->gate_pj += row->part_pj[p];
      fig->cells[p] = (double)ep->cells;
      fig->pj[p] = row->part_pj[p];
      fig->area_um2[p] = ep->area_um2;
    }
    row->cells = (double)m.energy.total.cells;
    row->flops = (double)m.energy.total.flops;
    row->area_um2 = m.energy.total.area_um2;
    progress(r, "  %.0f cells, %.1f um^2, %.2f pJ per attention (%.0f s)", row->cells,
             row->area_um2, row->gate_pj, m.synth.seconds);
    ssa_measurement_free(&m);
  }
  ssa_subject_free(&s);
  return rc;
}

static int design_rows(ssa_report *r, ssa_report_design d, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  ssa_size_figures measured[SSA_REPORT_MAX_SIZES + 1];
  unsigned count = 0;
  unsigned sizes[SSA_REPORT_MAX_SIZES + 1], n_sizes = 0;
  if (c->fit_n[d] != 0 && !in_sweep(c, c->fit_n[d])) sizes[n_sizes++] = c->fit_n[d];
  for (unsigned k = 0; k < c->size_count; k++) sizes[n_sizes++] = c->sizes[k];
  for (unsigned k = 0; k < n_sizes; k++) {
    unsigned n = sizes[k];
    if (d != SSA_D_ANN && n > c->measure_max[d]) continue;
    ssa_report_row *row = add_row(r, d, n, err);
    if (row == NULL) return -1;
    row->in_sweep = in_sweep(c, n);
    if (d == SSA_D_ANN) {
      row->basis = SSA_BASIS_ESTIMATE;
      snprintf(row->basis_note, sizeof row->basis_note,
               "no RTL: operation counts x Horowitz 45 nm energies, softmax estimated");
    } else if (measure_row(r, row, &measured[count++], err) != 0) {
      return -1;
    }
    if (estimates(r, row, err) != 0) return -1;
  }
  if (d == SSA_D_ANN) return 0;
  if (count == 0)
    return ssa_fail(err, "report: no measured size of %s", ssa_report_design_names[d]);
  for (unsigned k = 0; k < c->size_count; k++) {
    unsigned n = c->sizes[k];
    if (n <= c->measure_max[d]) continue;
    ssa_size_figures x;
    ssa_extrapolate(measured, count, n, &x, r->fits[d]);
    ssa_report_row *row = add_row(r, d, n, err);
    if (row == NULL) return -1;
    row->in_sweep = 1;
    row->basis = SSA_BASIS_EXTRAPOLATED;
    unsigned largest = 0;
    for (unsigned m = 0; m < count; m++)
      if (measured[m].n > largest) largest = measured[m].n;
    snprintf(row->basis_note, sizeof row->basis_note,
             "extrapolated: cells = a N^2 + b N per part from the measured N<=%u, energy per "
             "cell of N=%u", largest, largest);
    for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
      row->part_pj[p] = x.pj[p];
      row->gate_pj += x.pj[p];
      row->cells += x.cells[p];
      row->area_um2 += x.area_um2[p];
    }
    progress(r, "%s, N=%u: extrapolated, %.0f cells, %.2f pJ per attention",
             ssa_report_design_names[d], n, row->cells, row->gate_pj);
    if (estimates(r, row, err) != 0) return -1;
  }
  return 0;
}

/* ---- iCE40, CPU, area cross-check, claims ---- */

/* Places and routes design d at size n; SSA_SYNTH_TOO_LARGE when it does not fit. */
static int ice40_at(ssa_report *r, ssa_report_design d, unsigned n, ssa_synth_result *res,
                    ssa_error *err) {
  ssa_subject s;
  if (subject_of(&r->config, d, n, 1, &s, err) != 0) return -1;
  progress(r, "%s, N=%u: iCE40 synthesis, place and route", ssa_report_design_names[d], n);
  ssa_synth_opts so = {.flow = SSA_FLOW_ICE40};
  int rc = ssa_synth_run(ssa_subject_design(&s), &so, res, err);
  ssa_subject_free(&s);
  if (rc == SSA_SYNTH_TOO_LARGE) progress(r, "  does not fit: %s", err->msg);
  return rc;
}

static int ice40(ssa_report *r, ssa_report_design d, ssa_error *err) {
  ssa_synth_result res;
  unsigned n = r->config.ice40_n[d];
  int rc;
  while ((rc = ice40_at(r, d, n, &res, err)) == SSA_SYNTH_TOO_LARGE && n > 2) n /= 2;
  if (rc == -1) return -1;
  double fmax = rc == 0 ? res.fmax_mhz : 0;
  for (unsigned k = 0; k < r->row_count; k++) {
    ssa_report_row *row = &r->rows[k];
    if (row->design != d) continue;
    row->fmax_mhz = fmax;
    if (rc == SSA_SYNTH_TOO_LARGE)
      snprintf(row->fmax_note, sizeof row->fmax_note, "N=%u does not fit an iCE40 HX8K", n);
    else if (row->n == n)
      snprintf(row->fmax_note, sizeof row->fmax_note, "measured (nextpnr-ice40, HX8K)");
    else
      snprintf(row->fmax_note, sizeof row->fmax_note,
               "Fmax of N=%u, the largest placed; assumed for N=%u", n, row->n);
    if (fmax > 0) row->fpga_latency_us = (r->config.steps + row->latency_clocks) / fmax;
  }
  if (rc == 0) {
    progress(r, "  %lu LUTs, %u of %u logic cells, Fmax %.1f MHz", res.luts, res.lc_used,
             res.lc_available, res.fmax_mhz);
    ssa_synth_result_free(&res);
  }
  return 0;
}

static int time_float_attention(ssa_report *r, ssa_error *err) {
  unsigned n = r->config.claim_n, d = r->config.dim;
  float *buf = malloc(sizeof *buf * (4 * (size_t)n * d + n));
  if (buf == NULL) return ssa_fail(err, "out of memory");
  float *q = buf, *k = q + n * d, *v = k + n * d, *out = v + n * d, *scores = out + n * d;
  /* int8-valued inputs, as the ANN baseline's. */
  uint32_t x = 12345;
  for (size_t i = 0; i < 3 * (size_t)n * d; i++) {
    x = x * 1664525u + 1013904223u;
    buf[i] = (float)((int)(x >> 24) - 128) / 64.0f;
  }
  unsigned reps = 0;
  double start = ssa_seconds_now(), elapsed;
  volatile float sink = 0;
  do {
    ssa_float_attention(n, d, q, k, v, scores, out);
    sink += out[reps % (n * d)];
    reps++;
    elapsed = ssa_seconds_now() - start;
  } while (elapsed < 0.5 || reps < 10);
  (void)sink;
  r->cpu_float_us = elapsed / reps * 1e6;
  free(buf);
  return 0;
}

static int area_check(ssa_report *r, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  if (c->liberty_path == NULL) return 0;
  /* The reference: the largest measured SC design at the claim size, else the global mode's
   * largest measured size. */
  ssa_report_design d = SSA_D_SC_GLOBAL;
  unsigned n = c->measure_max[d] < c->claim_n ? c->measure_max[d] : c->claim_n;
  ssa_liberty lib;
  if (ssa_liberty_read(c->liberty_path, &lib, err) != 0) return -1;
  ssa_subject s;
  int rc = subject_of(c, d, n, 1, &s, err);
  if (rc == 0) {
    progress(r, "%s, N=%u: Liberty flow (%s) for the area cross-check",
             ssa_report_design_names[d], n, lib.name);
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
             ssa_report_design_names[d], n, c->dim);
    for (unsigned k = 0; k < r->row_count; k++)
      if (r->rows[k].design == d && r->rows[k].n == n) r->area_builtin_um2 = r->rows[k].area_um2;
  }
  ssa_liberty_free(&lib);
  return rc;
}

static const ssa_report_row *find_row(const ssa_report *r, ssa_report_design d, unsigned n) {
  for (unsigned k = 0; k < r->row_count; k++)
    if (r->rows[k].design == d && r->rows[k].n == n) return &r->rows[k];
  return NULL;
}

/* The published claims against the default SC design (share=unit). */
static void claims(ssa_report *r) {
  const ssa_report_config *c = &r->config;
  const ssa_report_row *sc = find_row(r, SSA_D_SC_UNIT, c->claim_n);
  const ssa_report_row *ann = find_row(r, SSA_D_ANN, c->claim_n);
  ssa_report_claim *x = r->claims;
  char size[64];
  snprintf(size, sizeof size, "N=%u, D=%u, T=%u", c->claim_n, c->dim, c->steps);
  x[0].claim = "compute_energy";
  x[0].published = 6.3;
  x[0].measured = sc != NULL && ann != NULL && sc->gate_pj > 0 ? ann->ops.pj / sc->gate_pj : 0;
  snprintf(x[0].baseline, sizeof x[0].baseline,
           "int8 ANN attention, operation-level estimate (Horowitz 45 nm; softmax estimated), %s",
           size);
  x[1].claim = "memory_access";
  x[1].published = 1.7;
  x[1].measured = sc != NULL && ann != NULL && sc->memory.pj > 0 ? ann->memory.pj / sc->memory.pj
                                                                 : 0;
  snprintf(x[1].baseline, sizeof x[1].baseline,
           "int8 ANN attention: int8 Q, K, V, int32 scores and int8 probabilities through SRAM, "
           "%s", size);
  x[2].claim = "latency";
  x[2].published = 48;
  x[2].measured = sc != NULL && sc->fpga_latency_us > 0 ? r->cpu_float_us / sc->fpga_latency_us
                                                        : 0;
  snprintf(x[2].baseline, sizeof x[2].baseline,
           "plain -O3 C float attention on this machine's CPU, one core (published: a GPU), %s",
           size);
  for (unsigned k = 0; k < 3; k++)
    snprintf(x[k].sc_design, sizeof x[k].sc_design, "%s (%s)",
             ssa_report_design_names[SSA_D_SC_UNIT],
             sc != NULL ? ssa_report_basis_name(sc->basis) : "missing");
  if (sc != NULL) {
    unsigned worst = 0;
    for (unsigned p = 1; p < SSA_PART_COUNT; p++)
      if (sc->part_pj[p] > sc->part_pj[worst]) worst = p;
    snprintf(x[0].note, sizeof x[0].note, "SC gate-level energy %.1f pJ per attention, %.0f%% "
             "of it in the %s", sc->gate_pj, sc->gate_pj > 0 ? 100 * sc->part_pj[worst] /
             sc->gate_pj : 0, ssa_part_name(worst));
    snprintf(x[2].note, sizeof x[2].note, "iCE40: (T + %u pipeline clocks) / %.1f MHz = %.3f us "
             "(%s); CPU float attention %.3f us", sc->latency_clocks, sc->fmax_mhz,
             sc->fpga_latency_us, sc->fmax_note, r->cpu_float_us);
  }
  snprintf(x[1].note, sizeof x[1].note, "SC: %.1f pJ, ANN: %.1f pJ",
           sc != NULL ? sc->memory.pj : 0, ann != NULL ? ann->memory.pj : 0);
}

int ssa_report_collect(ssa_report *r, ssa_error *err) {
  ssa_report_config c = r->config;
  memset(r, 0, sizeof *r);
  r->config = c;
  r->seconds = ssa_seconds_now();
  static const ssa_report_design order[] = {SSA_D_SC_GLOBAL, SSA_D_SC_ROW, SSA_D_SC_UNIT,
                                            SSA_D_EXACT, SSA_D_ANN};
  for (unsigned k = 0; k < SSA_D_COUNT; k++)
    if (design_rows(r, order[k], err) != 0) return -1;
  for (unsigned d = SSA_D_SC_UNIT; d <= SSA_D_EXACT; d++)
    if (ice40(r, (ssa_report_design)d, err) != 0) return -1;
  if (time_float_attention(r, err) != 0 || area_check(r, err) != 0) return -1;
  claims(r);
  r->seconds = ssa_seconds_now() - r->seconds;
  return 0;
}

void ssa_report_free(ssa_report *r) {
  free(r->rows);
  r->rows = NULL;
  r->row_count = 0;
}
