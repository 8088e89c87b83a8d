/* frontier_write.c -- the randomness frontier (report.h) as the report's Markdown section,
 * frontier.csv and its part of report.json (frontier.png: frontier_plot.c). */
#include <math.h>
#include <stdio.h>

#include "frontier_write.h"

/* "12.3 %" of part in whole, or "-" when there is no whole. */
static const char *percent(char *buf, size_t len, double part, double whole) {
  if (whole > 0) snprintf(buf, len, "%.2f %%", 100 * part / whole);
  else snprintf(buf, len, "-");
  return buf;
}

static const ssa_frontier_size *lfsr_unit(const ssa_report *r, unsigned size) {
  return &r->frontier[0].size[size];  /* point 0 is lfsr/unit (ssa_frontier_point_init) */
}

int ssa_frontier_has_accuracy(const ssa_report *r) {
  for (unsigned k = 0; k < SSA_FRONTIER_POINTS; k++)
    if (r->frontier[k].accuracy >= 0 && r->frontier[k].size[1].basis != SSA_BASIS_NONE) return 1;
  return 0;
}

void ssa_frontier_markdown(ssa_text *t, const ssa_report *r) {
  const ssa_report_config *c = &r->config;
  ssa_text_printf(t, "\n## Randomness frontier\n\n"
                  "Each random-number plan of the SC attention (`--random`, `--share`, reduce=mux; "
                  "docs/randomness.md): energy per attention of T = %u steps and area, measured "
                  "whole at N = %u, D = %u and composed at size at N = %u, D = %u, with the "
                  "PRNG's share of each; \"of lfsr/unit\" is the fraction of today's unit plan at "
                  "the composed size. Accuracy: the snn-sc network on the Fashion-MNIST test set "
                  "in that plan, trained in it when models/ has its weights.\n\n",
                  c->steps, c->frontier_measure[0], c->frontier_measure[1],
                  c->frontier_compose[0], c->frontier_compose[1]);
  ssa_text_printf(t, "| random | share | pJ (N=%u) | PRNG | um^2 (N=%u) | PRNG | pJ (N=%u) | of "
                  "lfsr/unit | PRNG | um^2 (N=%u) | of lfsr/unit | PRNG | accuracy | trained in "
                  "the plan |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
                  c->frontier_measure[0], c->frontier_measure[0], c->frontier_compose[0],
                  c->frontier_compose[0]);
  for (unsigned k = 0; k < SSA_FRONTIER_POINTS; k++) {
    const ssa_frontier_point *p = &r->frontier[k];
    const ssa_frontier_size *m = &p->size[0], *z = &p->size[1];
    const ssa_frontier_size *um = lfsr_unit(r, 1);
    char a[24], b[24], e[24], f[24], g[24], h[24], acc[24];
    if (p->accuracy >= 0) snprintf(acc, sizeof acc, "%.2f %%", 100 * p->accuracy);
    else snprintf(acc, sizeof acc, "-");
    ssa_text_printf(t, "| %s | %s | %.1f | %s | %.0f | %s | %.1f | %s | %s | %.0f | %s | %s | %s "
                    "| %s |\n", ssa_random_name(p->random), ssa_share_name(p->share), m->pj,
                    percent(a, sizeof a, m->prng_pj, m->pj), m->area_um2,
                    percent(b, sizeof b, m->prng_area_um2, m->area_um2), z->pj,
                    percent(e, sizeof e, z->pj, um->pj), percent(f, sizeof f, z->prng_pj, z->pj),
                    z->area_um2, percent(g, sizeof g, z->area_um2, um->area_um2),
                    percent(h, sizeof h, z->prng_area_um2, z->area_um2), acc,
                    p->accuracy < 0 ? "-" : p->trained ? "yes" : "no (lfsr/unit weights)");
  }
  ssa_text_printf(t, "\n");
  for (unsigned k = 0; k < SSA_FRONTIER_POINTS; k++)
    if (r->frontier[k].accuracy < 0) {
      ssa_text_printf(t, "Accuracy: %s.\n", r->frontier[k].accuracy_note);
      break;
    }
  if (ssa_frontier_has_accuracy(r))
    ssa_text_printf(t, "![energy against accuracy](frontier.png)\n");
}

void ssa_frontier_csv(ssa_text *t, const ssa_report *r) {
  ssa_text_printf(t, "random,share,n,dim,basis,pj_per_attention,prng_pj,area_um2,prng_area_um2,"
                  "cells,accuracy,trained_in_plan\n");
  for (unsigned k = 0; k < SSA_FRONTIER_POINTS; k++) {
    const ssa_frontier_point *p = &r->frontier[k];
    for (unsigned s = 0; s < 2; s++) {
      const ssa_frontier_size *z = &p->size[s];
      ssa_text_printf(t, "%s,%s,%u,%u,%s,%.6g,%.6g,%.6g,%.6g,%.0f,", ssa_random_name(p->random),
                      ssa_share_name(p->share), z->n, z->dim, ssa_report_basis_name(z->basis),
                      z->pj, z->prng_pj, z->area_um2, z->prng_area_um2, z->cells);
      if (p->accuracy >= 0) ssa_text_printf(t, "%.4f,%d\n", p->accuracy, p->trained);
      else ssa_text_printf(t, ",\n");
    }
  }
}

void ssa_frontier_json(FILE *f, const ssa_report *r) {
  fprintf(f, "  \"frontier\": [\n");
  for (unsigned k = 0; k < SSA_FRONTIER_POINTS; k++) {
    const ssa_frontier_point *p = &r->frontier[k];
    fprintf(f, "    {\"random\": \"%s\", \"share\": \"%s\", \"sizes\": [", ssa_random_name(p->random),
            ssa_share_name(p->share));
    for (unsigned s = 0; s < 2; s++) {
      const ssa_frontier_size *z = &p->size[s];
      fprintf(f, "%s{\"n\": %u, \"dim\": %u, \"basis\": \"%s\", \"pj_per_attention\": %.6g, "
              "\"prng_pj\": %.6g, \"area_um2\": %.6g, \"prng_area_um2\": %.6g}", s ? ", " : "",
              z->n, z->dim, ssa_report_basis_name(z->basis), z->pj, z->prng_pj, z->area_um2,
              z->prng_area_um2);
    }
    fprintf(f, "], ");
    if (p->accuracy >= 0) fprintf(f, "\"accuracy\": %.4f, ", p->accuracy);
    else fprintf(f, "\"accuracy\": null, ");
    fprintf(f, "\"trained_in_plan\": %s}%s\n", p->trained ? "true" : "false",
            k + 1 < SSA_FRONTIER_POINTS ? "," : "");
  }
  fprintf(f, "  ],\n");
}
