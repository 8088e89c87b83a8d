/* report_write.c -- the files of `ssa report` (see report.h): Markdown for people, CSV for
 * spreadsheets, JSON for programs, PNG plots drawn by gnuplot. All say the same figures. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/args.h"
#include "../common/gnuplot.h"
#include "frontier_write.h"
#include "../common/json.h"
#include "../common/outfile.h"
#include "../common/text.h"
#include "report.h"

/* ---- Markdown ---- */

static const char *fmt_value(char *buf, size_t len, double v, const char *fmt) {
  if (!(v > 0)) return "-";
  snprintf(buf, len, fmt, v);
  return buf;
}

/* A figure in a table cell: the value with its unit, or what stops it. */
static const char *fmt_figure(char *buf, size_t len, const ssa_report_figure *f) {
  if (!(f->value > 0)) return "-";
  snprintf(buf, len, f->value >= 100 ? "%.0f %s" : f->value >= 1 ? "%.2f %s" : "%.4f %s",
           f->value, f->unit);
  return buf;
}

static void level_basis(char *buf, size_t len, const ssa_report_figure *f) {
  snprintf(buf, len, "%s, %s", ssa_report_level_name(f->level), ssa_report_basis_name(f->basis));
}

/* The ratio, bold only when the two sides are measured at the same level. */
static const char *fmt_ratio(char *buf, size_t len, const ssa_report_claim *c) {
  if (!(c->ratio > 0)) return "-";
  snprintf(buf, len, c->like_for_like ? "**%.3gx**" : "%.3gx", c->ratio);
  return buf;
}

/* Claims compared at their own size rather than the published one: latency (the largest N the
 * iCE40 places) and compute energy on the trained networks' activity (their N). */
static int at_own_size(ssa_claim_kind k) {
  return k == SSA_CLAIM_LATENCY || k == SSA_CLAIM_COMPUTE_TRAINED;
}

static void claim_table(ssa_text *t, const ssa_report *r, int claim_size_only) {
  ssa_text_printf(t, "| claim | N | SC side | level, basis | SC | baseline | level, basis | "
                  "baseline | baseline / SC | published | verdict |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (unsigned k = 0; k < r->claim_count; k++) {
    const ssa_report_claim *c = &r->claims[k];
    if (claim_size_only && !at_own_size(c->claim) && c->n != r->config.claim_n) continue;
    char a[48], b[48], x[48], y[48], q[32];
    level_basis(a, sizeof a, &c->sc);
    level_basis(b, sizeof b, &c->baseline);
    ssa_text_printf(t, "| %s | %u | %s | %s | %s | %s | %s | %s | %s | %.3gx | %s |\n",
                    ssa_report_claim_name(c->claim), c->n, c->sc.label, a,
                    fmt_figure(x, sizeof x, &c->sc), c->baseline.label, b,
                    fmt_figure(y, sizeof y, &c->baseline), fmt_ratio(q, sizeof q, c),
                    c->published, c->verdict);
  }
}

static void claim_summary(ssa_text *t, const ssa_report *r) {
  for (unsigned kind = 0; kind < SSA_CLAIM_KINDS; kind++) {
    unsigned rows = 0, reproduced = 0;
    double lo = 0, hi = 0;
    for (unsigned k = 0; k < r->claim_count; k++) {
      const ssa_report_claim *c = &r->claims[k];
      if (c->claim != kind || (!at_own_size(kind) && c->n != r->config.claim_n)) continue;
      rows++;
      reproduced += c->reproduced;
      if (c->ratio > 0 && (lo == 0 || c->ratio < lo)) lo = c->ratio;
      if (c->ratio > hi) hi = c->ratio;
    }
    ssa_text_printf(t, "- **%s**, published %.3gx: reproduced in %u of %u comparisons",
                    ssa_report_claim_name(kind), ssa_report_published(kind), reproduced, rows);
    if (hi > 0) ssa_text_printf(t, "; this project %.3gx to %.3gx", lo, hi);
    ssa_text_printf(t, ".\n");
  }
}

static void design_table(ssa_text *t, const ssa_report *r) {
  ssa_text_printf(t, "| design | N | level | basis | cells | area um^2 | pJ per attention | "
                  "PRNG %% | how |\n|---|---|---|---|---|---|---|---|---|\n");
  for (unsigned d = 0; d < SSA_D_COUNT; d++)
    for (unsigned k = 0; k < r->row_count; k++) {
      const ssa_report_row *w = &r->rows[k];
      if (w->design != d) continue;
      char a[32], b[32], c[32], p[32];
      ssa_text_printf(t, "| %s | %u | gate | %s | %s | %s | %s | %s | %s |\n",
                      ssa_report_design_names[d], w->n, ssa_report_basis_name(w->basis),
                      fmt_value(a, sizeof a, w->cells, "%.0f"),
                      fmt_value(b, sizeof b, w->area_um2, "%.0f"),
                      fmt_value(c, sizeof c, w->pj, "%.2f"),
                      w->pj > 0 ? (snprintf(p, sizeof p, "%.0f", 100 * w->part_pj[SSA_PART_PRNG] /
                                            w->pj), p) : "-",
                      w->note);
    }
}

static void memory_table(ssa_text *t, const ssa_report *r) {
  ssa_text_printf(t, "| N | buffer bytes | pJ per 64-bit access | spiking pJ | ANN row by row pJ "
                  "| ratio | verdict | ANN spilling pJ | ratio | verdict |\n"
                  "|---|---|---|---|---|---|---|---|---|---|\n");
  for (unsigned s = 0; s < r->config.size_count; s++) {
    unsigned n = r->config.sizes[s];
    const ssa_report_claim *pair[2] = {NULL, NULL};
    for (unsigned k = 0; k < r->claim_count; k++)
      if (r->claims[k].claim == SSA_CLAIM_MEMORY && r->claims[k].n == n)
        pair[strcmp(r->claims[k].baseline.key, "ann_spilling") == 0] = &r->claims[k];
    if (pair[0] == NULL || pair[1] == NULL) continue;
    char q0[32], q1[32];
    ssa_text_printf(t, "| %u | %.0f | %.3f | %.1f | %.1f | %s | %s | %.1f | %s | %s |\n", n,
                    r->buffers[s].bytes, r->buffers[s].pj_per_access, pair[0]->sc.value,
                    pair[0]->baseline.value, fmt_ratio(q0, sizeof q0, pair[0]), pair[0]->verdict,
                    pair[1]->baseline.value, fmt_ratio(q1, sizeof q1, pair[1]), pair[1]->verdict);
  }
}

static const ssa_cpu_time *cpu_of(const ssa_report *r, unsigned n) {
  for (unsigned k = 0; k < r->cpu_count; k++)
    if (r->cpu[k].n == n) return &r->cpu[k];
  return NULL;
}

static void latency_table(ssa_text *t, const ssa_report *r) {
  ssa_text_printf(t, "| SC design | N | logic cells | Fmax MHz | clocks | iCE40 us | OpenBLAS "
                  "us | 1 thread us | scalar loop us | CPU / iCE40 | verdict |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (unsigned k = 0; k < r->claim_count; k++) {
    const ssa_report_claim *c = &r->claims[k];
    if (c->claim != SSA_CLAIM_LATENCY) continue;
    const ssa_report_fpga *f = NULL;
    for (unsigned j = 0; j < r->fpga_count; j++)   /* the key is "ice40_" + the design's */
      if (strcmp(c->sc.key + 6, ssa_report_design_keys[r->fpga[j].design]) == 0 &&
          r->fpga[j].n == c->n && r->fpga[j].latency.fits)
        f = &r->fpga[j];
    const ssa_cpu_time *cpu = cpu_of(r, c->n);
    char cells[32], fmax[32], clocks[32], us[32], blas[32], one[32], scalar[32], q[32];
    if (f != NULL) {
      snprintf(cells, sizeof cells, "%u / %u", f->lc_used, f->lc_available);
      snprintf(fmax, sizeof fmax, "%.1f", f->latency.fmax_mhz);
      snprintf(clocks, sizeof clocks, "%lu", f->latency.clocks);
      snprintf(us, sizeof us, "%.3f", f->latency.us);
    } else {
      snprintf(cells, sizeof cells, "does not fit");
      snprintf(fmax, sizeof fmax, "-");
      snprintf(clocks, sizeof clocks, "-");
      snprintf(us, sizeof us, "-");
    }
    ssa_text_printf(t, "| %s | %u | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                    c->sc.label, c->n, cells, fmax, clocks, us,
                    cpu != NULL && cpu->blas ? fmt_value(blas, sizeof blas, cpu->blas_us, "%.3f")
                                             : "-",
                    cpu != NULL && cpu->blas ? fmt_value(one, sizeof one, cpu->blas_1thread_us,
                                                         "%.3f") : "-",
                    cpu != NULL ? fmt_value(scalar, sizeof scalar, cpu->scalar_us, "%.3f") : "-",
                    fmt_ratio(q, sizeof q, c), c->verdict);
  }
}

static void validation_section(ssa_text *t, const ssa_report *r) {
  const ssa_report_validation *v = &r->validation;
  ssa_text_printf(t, "## Composition validation\n\n");
  if (!v->present) {
    ssa_text_printf(t, "`%s`: %s. The composed figures above are not validated by this "
                    "report.\n\n", v->path, v->why);
    return;
  }
  ssa_text_printf(t, "From `%s`: energy per step and area composed from measured parts against "
                  "the whole netlist synthesized and simulated at the same size (error = "
                  "composed / measured - 1; issue 13 asks for at most %.0f %% in both).\n\n",
                  v->path, 100 * SSA_REPORT_VALIDATION_BOUND);
  ssa_text_printf(t, "| design | N | composed pJ per step | measured pJ per step | energy error | "
                  "composed um^2 | measured um^2 | area error | within %.0f %% | base |\n"
                  "|---|---|---|---|---|---|---|---|---|---|\n", 100 * SSA_REPORT_VALIDATION_BOUND);
  for (unsigned k = 0; k < v->count; k++) {
    const ssa_report_validation_point *p = &v->point[k];
    ssa_text_printf(t, "| %s | %u | %.3f | %.3f | %+.2f%% | %.0f | %.0f | %+.2f%% | %s | %s |\n",
                    p->design, p->n, p->composed_pj, p->measured_pj, 100 * p->energy_error,
                    p->composed_um2, p->measured_um2, 100 * p->area_error,
                    ssa_report_within_bound(p) ? "yes" : "**no**", p->base[0] ? p->base : "-");
  }
  ssa_text_printf(t, "\nLargest error: energy %.2f %%, area %.2f %%.", 100 * v->worst_energy,
                  100 * v->worst_area);
  int first = 1;
  for (unsigned d = 0; d < SSA_D_COUNT; d++)
    if (ssa_report_validation_of(v, (ssa_report_design)d) == NULL) {
      ssa_text_printf(t, "%s%s", first ? " Missing: no point for " : ", ",
                      ssa_report_design_names[d]);
      first = 0;
    }
  ssa_text_printf(t, "%s\n\n", first ? "" : ".");
}


/* The trained networks' activity: their designs at their own size, and the ratios. */
static void trained_section(ssa_text *t, const ssa_report *r) {
  ssa_text_printf(t, "\n## Compute energy with the trained networks' activity\n\n");
  if (r->trained_count == 0) {
    ssa_text_printf(t, "%s.\n", r->trained_why);
    return;
  }
  ssa_text_printf(t, "Q, K and V captured from the committed networks (models/) on the first "
                  "%u Fashion-MNIST test images (`ssa capture`) drive each design at the "
                  "networks' own size (N = %u tokens, four heads); every part's activity is "
                  "measured on that stimulus at gate level (`ssa compose --at-size --input`), "
                  "the glue's comes from the base on --rate stimulus.\n\n"
                  "| design | N | pJ per attention | cells | how |\n|---|---|---|---|---|\n",
                  r->config.trained_images, r->trained[0].n);
  for (unsigned k = 0; k < r->trained_count; k++) {
    const ssa_report_row *w = &r->trained[k];
    ssa_text_printf(t, "| %s | %u | %.1f | %.0f | %s |\n", ssa_report_design_names[w->design],
                    w->n, w->pj, w->cells, w->note);
  }
  ssa_text_printf(t, "\n");
  for (unsigned k = 0; k < r->claim_count; k++) {
    const ssa_report_claim *x = &r->claims[k];
    if (x->claim != SSA_CLAIM_COMPUTE_TRAINED) continue;
    char q[32];
    ssa_text_printf(t, "- %s / %s: %s (published %.3gx): %s\n", x->baseline.label, x->sc.label,
                    fmt_ratio(q, sizeof q, x), x->published, x->verdict);
  }
}

static void markdown(ssa_text *t, const ssa_report *r) {
  const ssa_report_config *c = &r->config;
  ssa_text_printf(t,
      "# SSA report: the published claims, like for like\n\n"
      "Generated by `ssa report` in %.0f s. One attention head, D = %u per head, T = %u time "
      "steps for the spiking designs (the int8 ANN computes one attention in one step), "
      "`--rate %g` stimulus for every design. Every energy is priced with one library, the "
      "%s at %.2f V (%.0f MHz for the leakage time), and the SRAM at the same %.2f V.\n\n"
      "Every figure names its **level** -- *gate*: a gate netlist's simulated toggles priced "
      "per cell; *operation*: counted bits x the energy of an SRAM access; *fpga*: placed and "
      "routed, x a stated clock count; *cpu*: wall clock on this machine -- and its "
      "**basis** -- *measured* on the design itself; *composed* from measured parts "
      "(`ssa compose`); *model*: a stated formula; *none*: not available, and why. A ratio is "
      "in bold only when both its sides are measured at the same level.\n\n",
      r->seconds, c->dim, c->steps, c->rate, r->library, r->voltage_v, c->clock_mhz,
      r->voltage_v);
  ssa_text_printf(t, "## The published claims at N = %u\n\n", c->claim_n);
  claim_summary(t, r);
  ssa_text_printf(t, "\n");
  claim_table(t, r, 1);
  ssa_text_printf(t, "\nRatios are baseline / SC: larger is better for SC. The latency rows are "
                  "at the largest N each SC mode places on the iCE40, and at N = %u.\n\n",
                  c->claim_n);
  ssa_text_printf(t, "## Compute energy per attention, gate level, every size\n\n"
                  "Each SC mode (reduce=mux) against the int8 ANN attention fully parallel "
                  "(`--macs 0`, one attention per clock, the same organisation as the SC block) "
                  "with each softmax option. Energy per attention = the steady state's energy "
                  "per step (reset and drain excluded) x the steps of one attention.\n\n");
  ssa_text_printf(t, "| N | SC design | SC pJ | basis | baseline | baseline pJ | basis | ANN / "
                  "SC | published | verdict |\n|---|---|---|---|---|---|---|---|---|---|\n");
  for (unsigned k = 0; k < r->claim_count; k++) {
    const ssa_report_claim *x = &r->claims[k];
    if (x->claim != SSA_CLAIM_COMPUTE) continue;
    char a[32], b[32], q[32];
    ssa_text_printf(t, "| %u | %s | %s | %s | %s | %s | %s | %s | %.3gx | %s |\n", x->n,
                    x->sc.label, fmt_figure(a, sizeof a, &x->sc),
                    ssa_report_basis_name(x->sc.basis), x->baseline.label,
                    fmt_figure(b, sizeof b, &x->baseline),
                    ssa_report_basis_name(x->baseline.basis), fmt_ratio(q, sizeof q, x),
                    x->published, x->verdict);
  }
  trained_section(t, r);
  ssa_text_printf(t, "\n## Designs and sizes, gate level\n\n");
  design_table(t, r);
  ssa_text_printf(t, "\nMeasured = synthesized with Yosys (generic flow to a 45 nm gate set), the "
                  "gate netlist simulated by SSA's gate simulator (one settling per clock) on "
                  "the RTL's stimulus with every output bit equal to the golden model, every "
                  "net's toggles priced. Composed = the design's parts and instance counts from "
                  "its emitter, each part module synthesized alone, and their activity measured "
                  "at this size on the design assembled from them at gate level (equal to the "
                  "golden model); the glue's and the PRNG's activity per cell from a small base "
                  "design measured at gate level (docs/synthesis-and-energy.md gives the "
                  "formulas and what composition leaves out: wires, the clock tree, "
                  "glitches).\n\n");
  validation_section(t, r);
  ssa_text_printf(t, "## Memory access per attention, operation level\n\n"
                  "One activation buffer per N holds the largest working set compared, the "
                  "spilling ANN's (4 N D + 5 N^2 bytes); every design pays its price per access, "
                  "so a ratio is the ratio of the bits moved.\n\n");
  memory_table(t, r);
  for (unsigned k = 0; k < r->claim_count; k++) {
    const ssa_report_claim *x = &r->claims[k];
    if (x->claim != SSA_CLAIM_MEMORY || x->n != c->claim_n) continue;
    if (strcmp(x->baseline.key, "ann_rowwise") == 0)
      ssa_text_printf(t, "\n- spiking, N = %u: %s = %.1f pJ\n", x->n, x->sc.note, x->sc.value);
    ssa_text_printf(t, "- %s, N = %u: %s = %.1f pJ\n", x->baseline.label, x->n,
                    x->baseline.note, x->baseline.value);
  }
  ssa_text_printf(t, "\n## Latency of one attention\n\n"
                  "iCE40: the SC block inside the timing harness, placed and routed by "
                  "nextpnr-ice40, its T steps' inputs shifted in through one pin: (T x input "
                  "bits + pipeline) clocks / Fmax. CPU: one float head with OpenBLAS "
                  "(cblas_sgemm for Q K^T and P V, a vectorised softmax) at the same N; the "
                  "scalar loop for reference. The paper compared an FPGA with a GPU.\n\n");
  latency_table(t, r);
  if (r->area_liberty_um2 > 0)
    ssa_text_printf(t, "\n## Area cross-check\n\n%s: built-in table %.0f um^2, Liberty flow with "
                    "%s %.0f um^2: %+.1f%%.\n", r->area_design, r->area_builtin_um2,
                    r->area_library, r->area_liberty_um2,
                    100 * (r->area_builtin_um2 / r->area_liberty_um2 - 1));
  ssa_frontier_markdown(t, r);
  ssa_text_printf(t, "\n## Every claim row\n\n");
  claim_table(t, r, 0);
  ssa_text_printf(t, "\n![energy per attention](energy.png)\n\n![area](area.png)\n");
}

/* ---- CSV ---- */

/* A CSV field in quotes, its quotes doubled. */
static void csv_quoted(ssa_text *t, const char *s) {
  ssa_text_printf(t, "\"");
  for (; *s != '\0'; s++) {
    if (*s == '"') ssa_text_printf(t, "\"\"");
    else ssa_text_printf(t, "%c", *s);
  }
  ssa_text_printf(t, "\"");
}

static void csv_sizes(ssa_text *t, const ssa_report *r) {
  ssa_text_printf(t, "design,n,d,steps,in_sweep,level,basis,cells,area_um2,pj,prng_pj,"
                  "datapath_pj,registers_pj\n");
  for (unsigned k = 0; k < r->row_count; k++) {
    const ssa_report_row *w = &r->rows[k];
    ssa_text_printf(t, "%s,%u,%u,%u,%d,gate,%s,%.0f,%.3f,%.4f,%.4f,%.4f,%.4f\n",
                    ssa_report_design_keys[w->design], w->n, r->config.dim, w->steps, w->in_sweep,
                    ssa_report_basis_name(w->basis), w->cells, w->area_um2, w->pj,
                    w->part_pj[SSA_PART_PRNG], w->part_pj[SSA_PART_DATAPATH],
                    w->part_pj[SSA_PART_REGISTERS]);
  }
}

static void csv_figure(ssa_text *t, const ssa_report_figure *f) {
  ssa_text_printf(t, "%s,%u,%.9g,%s,%s,%s,", f->key, f->n, f->value, f->unit,
                  ssa_report_level_name(f->level), ssa_report_basis_name(f->basis));
}

static void csv_claims(ssa_text *t, const ssa_report *r) {
  ssa_text_printf(t, "claim,n,published,sc,sc_n,sc_value,sc_unit,sc_level,sc_basis,baseline,"
                  "baseline_n,baseline_value,baseline_unit,baseline_level,baseline_basis,ratio,"
                  "like_for_like,reproduced,verdict\n");
  for (unsigned k = 0; k < r->claim_count; k++) {
    const ssa_report_claim *c = &r->claims[k];
    ssa_text_printf(t, "%s,%u,%.3g,", ssa_report_claim_name(c->claim), c->n, c->published);
    csv_figure(t, &c->sc);
    csv_figure(t, &c->baseline);
    ssa_text_printf(t, "%.9g,%d,%d,", c->ratio, c->like_for_like, c->reproduced);
    csv_quoted(t, c->verdict);
    ssa_text_printf(t, "\n");
  }
}

static void csv_validation(ssa_text *t, const ssa_report *r) {
  ssa_text_printf(t, "key,design,n,composed_pj,measured_pj,energy_error,composed_um2,"
                  "measured_um2,area_error,within_bound\n");
  for (unsigned k = 0; k < r->validation.count; k++) {
    const ssa_report_validation_point *p = &r->validation.point[k];
    ssa_text_printf(t, "%s,", p->key);
    csv_quoted(t, p->design);
    ssa_text_printf(t, ",%u,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d\n", p->n, p->composed_pj,
                    p->measured_pj, p->energy_error, p->composed_um2, p->measured_um2,
                    p->area_error, ssa_report_within_bound(p));
  }
}

/* ---- JSON ---- */

/* A value that is absent (0 or less) is null. */
static double or_nan(double v) { return v > 0 ? v : NAN; }

static void json_figure(FILE *f, const char *key, const ssa_report_figure *x) {
  fprintf(f, ", \"%s\": {\"design\": ", key);
  ssa_json_string(f, x->key);
  ssa_json_member_string(f, "label", x->label);
  fprintf(f, ", \"tokens\": %u", x->n);
  ssa_json_member_number(f, "value", or_nan(x->value));
  ssa_json_member_string(f, "unit", x->unit);
  ssa_json_member_string(f, "level", ssa_report_level_name(x->level));
  ssa_json_member_string(f, "basis", ssa_report_basis_name(x->basis));
  ssa_json_member_string(f, "note", x->note);
  fprintf(f, "}");
}

static void json_row_figures(FILE *f, const ssa_report_row *w) {
  const ssa_json_number_member figures[] = {
      {"cells", or_nan(w->cells)},
      {"area_um2", or_nan(w->area_um2)},
      {"pj", or_nan(w->pj)},
      {"prng_pj", w->basis == SSA_BASIS_NONE ? NAN : w->part_pj[SSA_PART_PRNG]},
      {"datapath_pj", w->basis == SSA_BASIS_NONE ? NAN : w->part_pj[SSA_PART_DATAPATH]},
      {"registers_pj", w->basis == SSA_BASIS_NONE ? NAN : w->part_pj[SSA_PART_REGISTERS]},
      {"seconds", w->seconds},
  };
  ssa_json_member_numbers(f, figures, sizeof figures / sizeof figures[0]);
  ssa_json_member_string(f, "note", w->note);
}

static void json(FILE *f, const ssa_report *r) {
  const ssa_report_config *c = &r->config;
  fprintf(f, "{\n  \"dim\": %u,\n  \"steps\": %u,\n  \"rate\": ", c->dim, c->steps);
  ssa_json_number(f, c->rate);
  fprintf(f, ",\n  \"claim_tokens\": %u,\n  \"library\": ", c->claim_n);
  ssa_json_string(f, r->library);
  fprintf(f, ",\n  \"voltage_v\": ");
  ssa_json_number(f, r->voltage_v);
  fprintf(f, ",\n  \"clock_mhz\": ");
  ssa_json_number(f, c->clock_mhz);
  fprintf(f, ",\n");
  ssa_frontier_json(f, r);
  fprintf(f, "  \"claims\": [");
  for (unsigned k = 0; k < r->claim_count; k++) {
    const ssa_report_claim *x = &r->claims[k];
    fprintf(f, "%s\n    {\"claim\": \"%s\", \"tokens\": %u, \"published\": ", k ? "," : "",
            ssa_report_claim_name(x->claim), x->n);
    ssa_json_number(f, x->published);
    json_figure(f, "sc", &x->sc);
    json_figure(f, "baseline", &x->baseline);
    ssa_json_member_number(f, "ratio", or_nan(x->ratio));
    fprintf(f, ", \"like_for_like\": %s, \"reproduced\": %s",
            x->like_for_like ? "true" : "false", x->reproduced ? "true" : "false");
    ssa_json_member_string(f, "verdict", x->verdict);
    fprintf(f, "}");
  }
  fprintf(f, "\n  ],\n  \"designs\": [");
  for (unsigned k = 0; k < r->row_count; k++) {
    const ssa_report_row *w = &r->rows[k];
    fprintf(f, "%s\n    {\"design\": \"%s\", \"tokens\": %u, \"in_sweep\": %s, \"level\": "
            "\"gate\", \"basis\": \"%s\", \"steps\": %u", k ? "," : "",
            ssa_report_design_keys[w->design], w->n, w->in_sweep ? "true" : "false",
            ssa_report_basis_name(w->basis), w->steps);
    json_row_figures(f, w);
    fprintf(f, "}");
  }
  fprintf(f, "\n  ],\n  \"trained\": {\"status\": ");
  ssa_json_string(f, r->trained_count > 0 ? "present" : r->trained_why);
  fprintf(f, ", \"designs\": [");
  for (unsigned k = 0; k < r->trained_count; k++) {
    const ssa_report_row *w = &r->trained[k];
    fprintf(f, "%s\n    {\"design\": \"%s\", \"tokens\": %u, \"level\": \"gate\", "
            "\"basis\": \"%s\", \"steps\": %u", k ? "," : "", ssa_report_design_keys[w->design],
            w->n, ssa_report_basis_name(w->basis), w->steps);
    json_row_figures(f, w);
    fprintf(f, "}");
  }
  fprintf(f, "%s]},\n  \"memory_buffers\": [", r->trained_count ? "\n  " : "");
  for (unsigned k = 0; k < c->size_count; k++) {
    fprintf(f, "%s\n    {\"tokens\": %u, \"bytes\": ", k ? "," : "", c->sizes[k]);
    ssa_json_number(f, r->buffers[k].bytes);
    ssa_json_member_number(f, "volts", r->buffers[k].volts);
    ssa_json_member_number(f, "pj_per_access", r->buffers[k].pj_per_access);
    ssa_json_member_string(f, "formula", r->buffers[k].formula);
    fprintf(f, "}");
  }
  fprintf(f, "\n  ],\n  \"fpga\": [");
  for (unsigned k = 0; k < r->fpga_count; k++) {
    const ssa_report_fpga *p = &r->fpga[k];
    fprintf(f, "%s\n    {\"design\": \"%s\", \"tokens\": %u, \"fits\": %s", k ? "," : "",
            ssa_report_design_keys[p->design], p->n, p->latency.fits ? "true" : "false");
    const ssa_json_number_member figures[] = {
        {"fmax_mhz", or_nan(p->latency.fmax_mhz)},
        {"clocks", p->latency.fits ? (double)p->latency.clocks : NAN},
        {"us", or_nan(p->latency.us)},
        {"logic_cells", p->latency.fits ? (double)p->lc_used : NAN},
    };
    ssa_json_member_numbers(f, figures, sizeof figures / sizeof figures[0]);
    ssa_json_member_string(f, "note", p->latency.note);
    ssa_json_member_string(f, "refused", p->refused);
    fprintf(f, "}");
  }
  fprintf(f, "\n  ],\n  \"cpu\": [");
  for (unsigned k = 0; k < r->cpu_count; k++) {
    const ssa_cpu_time *t = &r->cpu[k];
    fprintf(f, "%s\n    {\"tokens\": %u, \"openblas\": %s", k ? "," : "", t->n,
            t->blas ? "true" : "false");
    const ssa_json_number_member figures[] = {
        {"openblas_us", t->blas ? t->blas_us : NAN},
        {"openblas_threads", t->blas ? t->blas_threads : NAN},
        {"openblas_1thread_us", t->blas ? t->blas_1thread_us : NAN},
        {"scalar_us", t->scalar_us},
    };
    ssa_json_member_numbers(f, figures, sizeof figures / sizeof figures[0]);
    ssa_json_member_string(f, "config", t->blas_config);
    fprintf(f, "}");
  }
  const ssa_report_validation *v = &r->validation;
  fprintf(f, "\n  ],\n  \"composition_validation\": {\"file\": ");
  ssa_json_string(f, v->path);
  fprintf(f, ", \"present\": %s", v->present ? "true" : "false");
  ssa_json_member_string(f, "status", v->present ? "present" : v->why);
  ssa_json_member_number(f, "bound", SSA_REPORT_VALIDATION_BOUND);
  ssa_json_member_number(f, "worst_energy_error", v->present ? v->worst_energy : NAN);
  ssa_json_member_number(f, "worst_area_error", v->present ? v->worst_area : NAN);
  fprintf(f, ", \"missing\": [");
  for (unsigned d = 0, first = 1; d < SSA_D_COUNT; d++)
    if (ssa_report_validation_of(v, (ssa_report_design)d) == NULL) {
      fprintf(f, "%s\"%s\"", first ? "" : ", ", ssa_report_design_keys[d]);
      first = 0;
    }
  fprintf(f, "], \"points\": [");
  for (unsigned k = 0; k < v->count; k++) {
    const ssa_report_validation_point *p = &v->point[k];
    fprintf(f, "%s\n      {\"key\": ", k ? "," : "");
    ssa_json_string(f, p->key);
    ssa_json_member_string(f, "design", p->design);
    ssa_json_member_string(f, "base", p->base);
    fprintf(f, ", \"tokens\": %u, \"within_bound\": %s", p->n, ssa_report_within_bound(p) ? "true" : "false");
    const ssa_json_number_member figures[] = {
        {"composed_pj", p->composed_pj},   {"measured_pj", p->measured_pj},
        {"energy_error", p->energy_error}, {"composed_um2", p->composed_um2},
        {"measured_um2", p->measured_um2}, {"area_error", p->area_error},
    };
    ssa_json_member_numbers(f, figures, sizeof figures / sizeof figures[0]);
    fprintf(f, "}");
  }
  fprintf(f, "%s]},\n  \"area_check\": {\"design\": ", v->count ? "\n    " : "");
  ssa_json_string(f, r->area_design);
  ssa_json_member_number(f, "builtin_um2", or_nan(r->area_builtin_um2));
  ssa_json_member_number(f, "liberty_um2", or_nan(r->area_liberty_um2));
  ssa_json_member_string(f, "library", r->area_library);
  fprintf(f, "},\n  \"seconds\": ");
  ssa_json_number(f, r->seconds);
  fprintf(f, "\n}\n");
}

/* The JSON document in memory, so that it joins the set of files written together. */
static int json_text(const ssa_report *r, char **text, size_t *len, ssa_error *err) {
  FILE *f = open_memstream(text, len);
  if (f == NULL) return ssa_fail(err, "out of memory");
  json(f, r);
  if (fclose(f) != 0) {
    free(*text);
    return ssa_fail(err, "out of memory");
  }
  return 0;
}

/* ---- plots ---- */

/* gnuplot data: one block per design (N, value, measured), blank-line separated, plotted by
 * index. */
static void plot_data(ssa_text *t, const ssa_report *r, int area) {
  for (unsigned d = 0; d < SSA_D_COUNT; d++) {
    ssa_text_printf(t, "# %s\n", ssa_report_design_names[d]);
    for (unsigned k = 0; k < r->row_count; k++) {
      const ssa_report_row *w = &r->rows[k];
      if (w->design != d || w->basis == SSA_BASIS_NONE) continue;
      ssa_text_printf(t, "%u %.6g %d\n", w->n, area ? w->area_um2 : w->pj,
                      w->basis == SSA_BASIS_MEASURED);
    }
    ssa_text_printf(t, "\n\n");
  }
}

/* Lines through every size of a design, filled dots on the measured ones. */
static void plot_script(ssa_text *t, const ssa_report *r, const char *data, const char *png,
                        const char *title, const char *ylabel) {
  unsigned lo = r->config.sizes[0], hi = r->config.sizes[r->config.size_count - 1];
  for (unsigned k = 0; k < r->row_count; k++)
    if (r->rows[k].n < lo) lo = r->rows[k].n;
  ssa_text_printf(t, "set terminal pngcairo size 900,600\nset output '%s'\nset title '%s'\n"
                  "set xlabel 'N (tokens)'\nset ylabel '%s'\nset logscale xy\nset key top left\n"
                  "set grid\nset xrange [%g:%g]\nset xtics (", png, title, ylabel, 0.75 * lo,
                  1.25 * hi);
  for (unsigned n = lo, first = 1; n <= hi; n *= 2, first = 0)
    ssa_text_printf(t, "%s%u", first ? "" : ", ", n);
  ssa_text_printf(t, ")\nplot ");
  int first = 1;
  for (unsigned d = 0; d < SSA_D_COUNT; d++) {
    unsigned points = 0, measured = 0;
    for (unsigned k = 0; k < r->row_count; k++)
      if (r->rows[k].design == d && r->rows[k].basis != SSA_BASIS_NONE) {
        points++;
        measured += r->rows[k].basis == SSA_BASIS_MEASURED;
      }
    if (points == 0) continue;   /* gnuplot refuses a plot of no points */
    ssa_text_printf(t, "%s'%s' index %u using 1:2 with lines lw 2 lc %u title '%s'",
                    first ? "" : ", ", data, d, d + 1, ssa_report_design_names[d]);
    if (measured > 0)
      ssa_text_printf(t, ", '%s' index %u using 1:($3 == 1 ? $2 : 1/0) with points pt 7 ps 1.5 "
                      "lc %u notitle", data, d, d + 1);
    first = 0;
  }
  ssa_text_printf(t, "\n");
}

static int plots(const char *dir, const ssa_report *r, ssa_outset *set, ssa_error *err) {
  ssa_text data_e = {0}, data_a = {0}, data_f = {0}, script = {0};
  int frontier = ssa_frontier_has_accuracy(r);  /* a plot of no points: gnuplot refuses it */
  plot_data(&data_e, r, 0);
  plot_data(&data_a, r, 1);
  char title[200];
  snprintf(title, sizeof title, "Gate-level energy per attention (%s, %.2f V): dots measured, "
           "lines through the composed sizes", r->library, r->voltage_v);
  plot_script(&script, r, "energy.dat", "energy.png", title, "pJ per attention");
  plot_script(&script, r, "area.dat", "area.png",
              "Area, built-in NanGate 45 nm table: dots measured, lines through the composed "
              "sizes", "um^2");
  if (frontier) ssa_frontier_plot(&data_f, &script, r);
  const ssa_plot_input inputs[] = {{"energy.dat", &data_e}, {"area.dat", &data_a},
                                   {"plot.gp", &script}, {"frontier.dat", &data_f}};
  const char *const pngs[] = {"energy.png", "area.png", "frontier.png"};
  int rc = data_e.failed || data_a.failed || data_f.failed || script.failed
               ? ssa_fail(err, "out of memory")
               : ssa_gnuplot(dir, "report: gnuplot", inputs, frontier ? 4 : 3, pngs,
                             frontier ? 3 : 2, set, err);
  ssa_text_free(&data_e);
  ssa_text_free(&data_a);
  ssa_text_free(&data_f);
  ssa_text_free(&script);
  return rc;
}

int ssa_report_write(const ssa_report *r, const char *dir, const char *json_path,
                     ssa_error *err) {
  if (ssa_cli_make_dir(dir, err) != 0) return -1;
  ssa_text md = {0}, sizes = {0}, claims = {0}, validation = {0}, frontier = {0};
  markdown(&md, r);
  ssa_frontier_csv(&frontier, r);
  csv_sizes(&sizes, r);
  csv_claims(&claims, r);
  csv_validation(&validation, r);
  char *doc = NULL;
  size_t doc_len = 0;
  ssa_outset set;
  ssa_outset_init(&set);
  char path[4200];
  int rc = md.failed || sizes.failed || claims.failed || validation.failed || frontier.failed
               ? ssa_fail(err, "out of memory") : json_text(r, &doc, &doc_len, err);
  const char *names[] = {"report.md", "sizes.csv", "claims.csv", "validation.csv",
                         "frontier.csv"};
  const ssa_text *texts[] = {&md, &sizes, &claims, &validation, &frontier};
  for (unsigned k = 0; rc == 0 && k < 5; k++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[k]);
    rc = ssa_outset_add(&set, path, texts[k]->s, texts[k]->len, err);
  }
  if (rc == 0) {
    snprintf(path, sizeof path, "%s/report.json", dir);
    rc = ssa_outset_add(&set, path, doc, doc_len, err);
  }
  if (rc == 0 && json_path != NULL) rc = ssa_outset_add(&set, json_path, doc, doc_len, err);
  if (rc == 0) rc = plots(dir, r, &set, err);
  if (rc == 0) rc = ssa_outset_commit(&set, err);
  else ssa_outset_abort(&set);
  free(doc);
  ssa_text_free(&md);
  ssa_text_free(&sizes);
  ssa_text_free(&claims);
  ssa_text_free(&validation);
  ssa_text_free(&frontier);
  return rc;
}
