/* report_frontier.c -- the randomness frontier (report.h, docs/randomness.md): for each
 * (random source, share mode) of the SC attention with reduce=mux, its energy and area measured
 * whole at one size and composed at size at the claim size, the PRNG's share of each, and the
 * accuracy of the snn-sc network run in that plan. Each piece is one job of report_collect.c. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../synth/compose.h"
#include "../train/net_file.h"
#include "../train/trainer.h"
#include "report.h"

void ssa_frontier_point_init(unsigned k, ssa_frontier_point *p) {
  memset(p, 0, sizeof *p);
  p->random = (enum ssa_random)(k / SSA_FRONTIER_SHARES);
  p->share = (enum ssa_share)(k % SSA_FRONTIER_SHARES);
  p->accuracy = -1;
}

void ssa_frontier_weights(const char *models_dir, enum ssa_random random, enum ssa_share share,
                          char *buf, size_t len) {
  if (random == SSA_RANDOM_LFSR && share == SSA_SHARE_UNIT)
    snprintf(buf, len, "%s/snn-sc.weights", models_dir);
  else
    snprintf(buf, len, "%s/snn-sc-%s-%s.weights", models_dir, ssa_share_name(share),
             ssa_random_name(random));
}

/* Size `which` of point p at (N, D) = nd: its fields and its generator options. */
static ssa_frontier_size *size_at(ssa_frontier_point *p, unsigned which, const unsigned nd[2],
                                  char *opts, size_t len) {
  ssa_frontier_size *z = &p->size[which];
  z->n = nd[0];
  z->dim = nd[1];
  snprintf(opts, len, "--tokens %u --dim %u --reduce mux --share %s --random %s", z->n, z->dim,
           ssa_share_name(p->share), ssa_random_name(p->random));
  return z;
}

/* The whole netlist at gate level, checked against the golden model on T steps. */
static int measured(ssa_report *r, ssa_frontier_point *p, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  char opts[160];
  ssa_frontier_size *z = size_at(p, 0, c->frontier_measure, opts, sizeof opts);
  ssa_subject s;
  if (ssa_report_subject(c, "attention", opts, c->steps, &s, err) != 0) return -1;
  ssa_report_progress(r, "frontier: attention %s: synthesizing and simulating the netlist", opts);
  ssa_measure_opts mo = ssa_report_measure_opts(c);
  ssa_measurement m;
  int rc = ssa_measure(&s, &mo, &m, err);
  if (rc == 1) {
    rc = ssa_fail(err, "frontier: the gate netlist of attention %s differs from the golden "
                  "model at clock %u", opts, m.activity.first.cycle);
    ssa_measurement_free(&m);
  }
  if (rc == 0) {
    const ssa_energy *e = &m.energy;
    double total_fj = e->total.dynamic_fj + e->total.clock_fj + e->total.leakage_fj;
    const ssa_energy_part *prng = &e->part[SSA_PART_PRNG];
    double prng_fj = prng->dynamic_fj + prng->clock_fj + prng->leakage_fj;
    z->pj = e->per_step_fj * c->steps * 1e-3;
    z->prng_pj = total_fj > 0 ? z->pj * prng_fj / total_fj : 0;
    z->area_um2 = e->total.area_um2;
    z->prng_area_um2 = prng->area_um2;
    z->cells = (double)e->total.cells;
    z->basis = SSA_BASIS_MEASURED;
    snprintf(z->note, sizeof z->note, "whole netlist (generic flow) simulated on %u steps, equal "
             "to the golden model", c->steps);
    ssa_measurement_free(&m);
  }
  ssa_subject_free(&s);
  return rc;
}

/* Composed at size from a measured base (synth/compose.h), as the report's claim rows are. */
static int composed(ssa_report *r, ssa_frontier_point *p, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  char opts[160];
  ssa_frontier_size *z = size_at(p, 1, c->frontier_compose, opts, sizeof opts);
  ssa_report_progress(r, "frontier: attention %s: composing at size (base N=%u)", opts,
                      c->frontier_compose_from);
  ssa_compose_opts co = {.base_tokens = c->frontier_compose_from, .steps = c->steps,
                         .rate = c->rate, .measure = ssa_report_measure_opts(c), .at_size = 1};
  ssa_composition comp;
  if (ssa_compose("attention", opts, &co, &comp, err) != 0) return -1;
  const ssa_composed_part *prng = &comp.split[SSA_PART_PRNG];
  z->pj = comp.per_step_fj * c->steps * 1e-3;
  z->prng_pj = (prng->dynamic_fj + prng->clock_fj + prng->leakage_fj) * c->steps * 1e-3;
  z->area_um2 = comp.total.area_um2;
  z->prng_area_um2 = prng->area_um2;
  z->cells = comp.total.cells;
  z->basis = SSA_BASIS_COMPOSED;
  snprintf(z->note, sizeof z->note, "composed at size from a measured N = %u base (%u part "
           "types), its parts simulated at gate level at this size, equal to the golden model",
           c->frontier_compose_from, comp.count);
  return 0;
}

/* The snn-sc network in this plan on the whole test set: the network trained in it when
 * models/ has one, else snn-sc.weights (trained in lfsr/unit) run in it. */
static int accuracy(ssa_report *r, ssa_frontier_point *p, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  ssa_dataset test;
  if (!ssa_report_test_set(c, &test, p->accuracy_note, sizeof p->accuracy_note)) return 0;
  ssa_frontier_weights(c->models_dir, p->random, p->share, p->weights, sizeof p->weights);
  p->trained = access(p->weights, R_OK) == 0;
  if (!p->trained) ssa_frontier_weights(c->models_dir, SSA_RANDOM_LFSR, SSA_SHARE_UNIT,
                                        p->weights, sizeof p->weights);
  ssa_net net;
  int rc = ssa_net_load(&net, p->weights, err);
  if (rc == 0 && p->trained && (net.shape.random != p->random || net.shape.share != p->share))
    rc = ssa_fail(err, "frontier: %s was trained with share %s, random %s, not the plan its "
                  "name says", p->weights, ssa_share_name(net.shape.share),
                  ssa_random_name(net.shape.random));
  if (rc == 0) {
    ssa_net_run_opts ro;
    ssa_net_run_opts_default(&ro, &net);
    ro.share = p->share;
    ro.random = p->random;
    ssa_eval_result e;
    ssa_report_progress(r, "frontier: %s with share %s, random %s on %u test images",
                        p->weights, ssa_share_name(p->share), ssa_random_name(p->random),
                        test.count);
    rc = ssa_net_evaluate(&net, &ro, &test, 0, 1, NULL, &e, err);
    if (rc == 0) {
      p->accuracy = e.accuracy;
      snprintf(p->accuracy_note, sizeof p->accuracy_note, "%s, T = %u, %u test images%s",
               p->weights, ro.steps, e.images,
               p->trained ? "" : " (trained in lfsr/unit, not in this plan)");
    }
    ssa_net_free(&net);
  }
  ssa_dataset_free(&test);
  return rc;
}

int ssa_report_frontier(ssa_report *r, unsigned piece, ssa_frontier_point *p, ssa_error *err) {
  return piece == 0 ? measured(r, p, err) : piece == 1 ? composed(r, p, err) : accuracy(r, p, err);
}
