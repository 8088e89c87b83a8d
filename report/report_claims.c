/* report_claims.c -- the published claims set beside the project's figures, one row per claim,
 * size and pair of designs (see report.h): both sides with their level and basis, the ratio
 * baseline / SC, and a verdict that says why when a claim is not reproduced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static ssa_report_claim *add_claim(ssa_report *r, ssa_claim_kind kind, unsigned n,
                                   ssa_error *err) {
  ssa_report_claim *grown = realloc(r->claims, (r->claim_count + 1) * sizeof *grown);
  if (grown == NULL) {
    ssa_fail(err, "out of memory");
    return NULL;
  }
  r->claims = grown;
  ssa_report_claim *c = &grown[r->claim_count++];
  memset(c, 0, sizeof *c);
  c->claim = kind;
  c->n = n;
  c->published = ssa_report_published(kind);
  return c;
}

/* The ratio and the verdict once both sides are filled in; `why_short` explains a ratio below
 * the published one (NULL: the numbers alone). */
static void judge(ssa_report_claim *c, const char *why_short) {
  const ssa_report_figure *missing = c->sc.value > 0 ? &c->baseline : &c->sc;
  if (!(c->sc.value > 0 && c->baseline.value > 0)) {
    c->ratio = 0;
    c->reproduced = 0;
    /* the missing side's note says why, "not reproduced: ..." or "not available: ..." */
    if (strncmp(missing->note, "not reproduced", 14) == 0)
      snprintf(c->verdict, sizeof c->verdict, "%s", missing->note);
    else
      snprintf(c->verdict, sizeof c->verdict, "not reproduced: no figure for %s (%s)",
               missing->label, missing->note);
    return;
  }
  c->ratio = c->baseline.value / c->sc.value;
  c->like_for_like = c->sc.level == c->baseline.level && c->sc.basis == SSA_BASIS_MEASURED &&
                     c->baseline.basis == SSA_BASIS_MEASURED;
  c->reproduced = c->ratio >= c->published;
  if (c->reproduced)
    snprintf(c->verdict, sizeof c->verdict, "reproduced%s",
             c->sc.basis == SSA_BASIS_COMPOSED || c->baseline.basis == SSA_BASIS_COMPOSED
                 ? " (composed figures)" : "");
  else
    snprintf(c->verdict, sizeof c->verdict, "not reproduced: %.3gx < %.3gx%s%s", c->ratio,
             c->published, why_short != NULL ? "; " : "", why_short != NULL ? why_short : "");
}

static void figure_of_row(ssa_report_figure *f, const ssa_report *r, ssa_report_design d,
                          unsigned n) {
  const ssa_report_row *row = ssa_report_row_of(r, d, n);
  snprintf(f->key, sizeof f->key, "%s", ssa_report_design_keys[d]);
  snprintf(f->label, sizeof f->label, "%s", ssa_report_design_names[d]);
  f->n = n;
  f->unit = "pJ";
  f->level = SSA_LEVEL_GATE;
  if (row == NULL) {
    f->basis = SSA_BASIS_NONE;
    snprintf(f->note, sizeof f->note, "not available: not in the report");
    return;
  }
  f->basis = row->basis;
  f->value = row->basis == SSA_BASIS_NONE ? 0 : row->pj;
  snprintf(f->note, sizeof f->note, "%s", row->note);
}

/* A composed side whose composition is not validated within the bound at N = 16 (no point of
 * its design in the validation file, one beyond 5 %, or one at another N or D) has the verdict
 * say so: a composed figure is only as good as the composition's check against a whole
 * netlist. */
static void validation_caveat(const ssa_report *r, ssa_report_claim *x,
                              const ssa_report_figure *f, ssa_report_design d, unsigned dim) {
  if (f->basis != SSA_BASIS_COMPOSED) return;
  const ssa_report_validation_point *p = ssa_report_validation_of(&r->validation, d);
  char why[200];
  if (p == NULL)
    snprintf(why, sizeof why, "%s: no validation point of its composition", f->key);
  else if (!ssa_report_within_bound(p))
    snprintf(why, sizeof why, "%s: its composition validated at %+.1f %% energy, %+.1f %% area "
             "(N = %u), beyond %.0f %%", f->key, 100 * p->energy_error, 100 * p->area_error,
             p->n, 100 * SSA_REPORT_VALIDATION_BOUND);
  else if (p->n != SSA_REPORT_VALIDATION_N)
    snprintf(why, sizeof why, "%s: its composition validated at N = %u only (%+.1f %% energy), "
             "not at N = %u", f->key, p->n, 100 * p->energy_error, SSA_REPORT_VALIDATION_N);
  else if (p->dim != 0 && p->dim != dim)
    snprintf(why, sizeof why, "%s: its composition validated at N = %u with D = %u (%+.1f %% "
             "energy), not at D = %u", f->key, p->n, p->dim, 100 * p->energy_error, dim);
  else
    return;
  size_t used = strlen(x->verdict);
  snprintf(x->verdict + used, sizeof x->verdict - used, "; %s", why);
}

/* Compute energy per attention, gate level against gate level: each SC mode against the ANN
 * with each softmax option, at every size of the sweep. */
static int compute_claims(ssa_report *r, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  static const ssa_report_design anns[] = {SSA_D_ANN_INT, SSA_D_ANN_NONE};
  for (unsigned k = 0; k < c->size_count; k++)
    for (unsigned m = 0; m < SSA_D_SC_COUNT; m++)
      for (unsigned a = 0; a < 2; a++) {
        ssa_report_claim *x = add_claim(r, SSA_CLAIM_COMPUTE, c->sizes[k], err);
        if (x == NULL) return -1;
        figure_of_row(&x->sc, r, (ssa_report_design)m, c->sizes[k]);
        figure_of_row(&x->baseline, r, anns[a], c->sizes[k]);
        judge(x, NULL);
        validation_caveat(r, x, &x->sc, (ssa_report_design)m, c->dim);
        validation_caveat(r, x, &x->baseline, anns[a], c->dim);
      }
  return 0;
}

/* Compute energy at the trained networks' size on their captured activity: the SC block in its
 * trained mode against the ANN with each softmax option (report_trained.c). */
static int trained_claims(ssa_report *r, ssa_error *err) {
  const ssa_report_row *sc = ssa_report_trained_of(r, SSA_D_SC_UNIT);
  static const ssa_report_design anns[] = {SSA_D_ANN_INT, SSA_D_ANN_NONE};
  for (unsigned a = 0; sc != NULL && a < 2; a++) {
    const ssa_report_row *ann = ssa_report_trained_of(r, anns[a]);
    if (ann == NULL) continue;
    ssa_report_claim *x = add_claim(r, SSA_CLAIM_COMPUTE_TRAINED, sc->n, err);
    if (x == NULL) return -1;
    const ssa_report_row *rows[2] = {sc, ann};
    ssa_report_figure *f[2] = {&x->sc, &x->baseline};
    for (unsigned k = 0; k < 2; k++) {
      snprintf(f[k]->key, sizeof f[k]->key, "%s", ssa_report_design_keys[rows[k]->design]);
      snprintf(f[k]->label, sizeof f[k]->label, "%s, trained activity",
               ssa_report_design_names[rows[k]->design]);
      f[k]->n = rows[k]->n;
      f[k]->unit = "pJ";
      f[k]->level = SSA_LEVEL_GATE;
      f[k]->basis = rows[k]->basis;
      f[k]->value = rows[k]->pj;
      snprintf(f[k]->note, sizeof f[k]->note, "%s", rows[k]->note);
    }
    judge(x, NULL);
    validation_caveat(r, x, &x->sc, SSA_D_SC_UNIT, sc->dim);
    validation_caveat(r, x, &x->baseline, anns[a], ann->dim);
  }
  return 0;
}

static void memory_figure(ssa_report_figure *f, const char *key, const char *label, unsigned n,
                          const ssa_estimate *e) {
  snprintf(f->key, sizeof f->key, "%s", key);
  snprintf(f->label, sizeof f->label, "%s", label);
  f->n = n;
  f->unit = "pJ";
  f->level = SSA_LEVEL_OPERATION;
  f->basis = SSA_BASIS_MODEL;
  f->value = e->pj;
  snprintf(f->note, sizeof f->note, "%s", e->formula);
}

/* Memory access per attention: the bits each design moves, priced from one activation buffer
 * per size (synth/op_energy.h), so the ratio is the ratio of the traffic. */
static int memory_claims(ssa_report *r, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  for (unsigned k = 0; k < c->size_count; k++) {
    unsigned n = c->sizes[k];
    const ssa_activation_buffer *b = &r->buffers[k];
    ssa_estimate spiking, ann[2];
    ssa_traffic_spiking(b, n, c->dim, c->steps, &spiking);
    ssa_traffic_ann_rowwise(b, n, c->dim, &ann[0]);
    ssa_traffic_ann_spilling(b, n, c->dim, &ann[1]);
    static const char *const keys[] = {"ann_rowwise", "ann_spilling"};
    static const char *const labels[] = {
        "int8 ANN attention, softmax row by row (a row's scores in registers)",
        "int8 ANN attention spilling its int32 scores and int8 probabilities"};
    static const char *const why[] = {
        "the int8 ANN reads Q, K, V and writes O once (32 N D bits), the spiking side T times "
        "(4 N D bits a step): it moves less only for T < 8", NULL};
    for (unsigned a = 0; a < 2; a++) {
      ssa_report_claim *x = add_claim(r, SSA_CLAIM_MEMORY, n, err);
      if (x == NULL) return -1;
      memory_figure(&x->sc, "spiking", "spiking attention (SC and exact): Q, K, V, O bits "
                    "every step", n, &spiking);
      memory_figure(&x->baseline, keys[a], labels[a], n, &ann[a]);
      judge(x, why[a]);
    }
  }
  return 0;
}

static const ssa_cpu_time *cpu_of(const ssa_report *r, unsigned n) {
  for (unsigned k = 0; k < r->cpu_count; k++)
    if (r->cpu[k].n == n) return &r->cpu[k];
  return NULL;
}

static void cpu_figure(ssa_report_figure *f, const ssa_report *r, unsigned n) {
  const ssa_cpu_time *t = cpu_of(r, n);
  snprintf(f->key, sizeof f->key, "openblas");
  snprintf(f->label, sizeof f->label, "float attention with OpenBLAS on this machine's CPU");
  f->n = n;
  f->unit = "us";
  f->level = SSA_LEVEL_CPU;
  if (t == NULL || !t->blas) {
    f->basis = SSA_BASIS_NONE;
    snprintf(f->note, sizeof f->note, "not reproduced: no OpenBLAS%s%s",
             t != NULL ? " (" : "", t != NULL ? t->blas_config : "");
    if (t != NULL) strncat(f->note, ")", sizeof f->note - strlen(f->note) - 1);
    return;
  }
  f->basis = SSA_BASIS_MEASURED;
  f->value = t->blas_us;
  snprintf(f->note, sizeof f->note,
           "cblas_sgemm for Q K^T and P V, vectorised softmax, %d threads: %.3f us; 1 thread "
           "%.3f us; the scalar loop (golden/float_attention.c) %.3f us; %s", t->blas_threads,
           t->blas_us, t->blas_1thread_us, t->scalar_us, t->blas_config);
}

static void fpga_figure(ssa_report_figure *f, const ssa_report_fpga *p) {
  snprintf(f->key, sizeof f->key, "ice40_%s", ssa_report_design_keys[p->design]);
  snprintf(f->label, sizeof f->label, "%s on an iCE40 %s, inputs shifted in",
           ssa_report_design_names[p->design], p->latency.device);
  f->n = p->n;
  f->unit = "us";
  f->level = SSA_LEVEL_FPGA;
  f->basis = p->latency.fits ? SSA_BASIS_MEASURED : SSA_BASIS_NONE;
  f->value = p->latency.fits ? p->latency.us : 0;
  if (p->latency.fits)
    snprintf(f->note, sizeof f->note, "%s; %u of %u logic cells", p->latency.note, p->lc_used,
             p->lc_available);
  else
    snprintf(f->note, sizeof f->note, "%s (%s)", p->latency.note, p->refused);
}

/* Latency of one attention: each SC mode on the iCE40 at the largest N it places, against
 * OpenBLAS at the same N; at the claim size, what stops the iCE40. */
static int latency_claims(ssa_report *r, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  for (unsigned m = 0; m < SSA_D_SC_COUNT; m++) {
    const ssa_report_fpga *placed = NULL, *refused = NULL;
    for (unsigned k = 0; k < r->fpga_count; k++)
      if (r->fpga[k].design == (ssa_report_design)m) {
        if (r->fpga[k].latency.fits) placed = &r->fpga[k];
        else refused = &r->fpga[k];
      }
    if (placed != NULL) {
      ssa_report_claim *x = add_claim(r, SSA_CLAIM_LATENCY, placed->n, err);
      if (x == NULL) return -1;
      fpga_figure(&x->sc, placed);
      cpu_figure(&x->baseline, r, placed->n);
      char why[200];
      snprintf(why, sizeof why, "the iCE40 with its inputs shifted in through one pin is "
               "%.3gx the time of OpenBLAS on the CPU at N = %u (the paper compared with a "
               "GPU)", x->baseline.value > 0 ? x->sc.value / x->baseline.value : 0, placed->n);
      judge(x, why);
    }
    if (placed != NULL && placed->n >= c->claim_n) continue;
    /* the claim size: not placed; the refusal at it, or at a smaller size, says why */
    ssa_report_claim *x = add_claim(r, SSA_CLAIM_LATENCY, c->claim_n, err);
    if (x == NULL) return -1;
    ssa_report_fpga at_claim = {.design = (ssa_report_design)m, .n = c->claim_n};
    ssa_fpga_latency_unfit(c->claim_n, c->steps, c->ice40_device, &at_claim.latency);
    if (refused != NULL && refused->n == c->claim_n)
      at_claim = *refused;
    else if (refused != NULL)
      snprintf(at_claim.refused, sizeof at_claim.refused, "N = %u already does not: %.500s",
               refused->n, refused->refused);
    else
      snprintf(at_claim.refused, sizeof at_claim.refused, "not attempted");
    fpga_figure(&x->sc, &at_claim);
    cpu_figure(&x->baseline, r, c->claim_n);
    judge(x, NULL);
  }
  return 0;
}

int ssa_report_claims(ssa_report *r, ssa_error *err) {
  free(r->claims);
  r->claims = NULL;
  r->claim_count = 0;
  if (compute_claims(r, err) != 0 || memory_claims(r, err) != 0 ||
      latency_claims(r, err) != 0 || trained_claims(r, err) != 0)
    return -1;
  return 0;
}
