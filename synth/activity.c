/* activity.c -- netlist simulation and toggle attribution (see activity.h). The netlist is
 * driven from input registers (energy_harness.h), so every net settles once per clock. */
#include "activity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/cleanup.h"
#include "../common/process.h"
#include "../sim/engine.h"
#include "energy_harness.h"
#include "gate_sim.h"
#include "netlist.h"
#include "toggles.h"

/* The netlist as a design: the RTL's top, ports, latency and interval, one Verilog file. */
static int netlist_design(const ssa_design *rtl, const ssa_synth_result *r, ssa_design *d,
                          ssa_error *err) {
  memset(d, 0, sizeof *d);
  snprintf(d->kind, sizeof d->kind, "%s", rtl->kind);
  snprintf(d->top, sizeof d->top, "%s", rtl->top);
  d->latency = rtl->latency;
  d->interval = rtl->interval;
  d->port_count = rtl->port_count;
  memcpy(d->ports, rtl->ports, sizeof d->ports);
  if ((size_t)snprintf(d->options, sizeof d->options, "%s (%s netlist)", rtl->options,
                       ssa_flow_name(r->flow)) >= sizeof d->options)
    d->options[0] = '\0';  /* only for messages */
  char name[96];
  snprintf(name, sizeof name, "%s_netlist.v", rtl->top);
  if (ssa_design_add_file(d, name, r->netlist, strlen(r->netlist), 0) != 0)
    return ssa_fail(err, "activity: out of memory for the netlist");
  return 0;
}

/* Charges `count` toggles of a cell of `type` in `module` to its type, part and part type. */
static int charge_cell(const char *module, const char *type, unsigned long long count,
                       const ssa_synth_result *r, const ssa_liberty *lib, ssa_activity_counts *c,
                       ssa_error *err) {
  ssa_part p = ssa_module_is_prng(module) ? SSA_PART_PRNG
               : ssa_cell_is_flop(lib, type) ? SSA_PART_REGISTERS : SSA_PART_DATAPATH;
  ssa_synth_part *part = &c->part[p];
  if (ssa_cell_counts_add(&part->cells, &part->cell_types, type, (unsigned long)count, err) != 0)
    return -1;
  c->toggles[p] += count;
  int g = ssa_synth_group_of(r, module);
  if (g < 0) return ssa_fail(err, "activity: module %s of the netlist has no part type", module);
  ssa_synth_part *group = &c->group[g];
  if (ssa_cell_counts_add(&group->cells, &group->cell_types, type, (unsigned long)count,
                          err) != 0)
    return -1;
  c->group_toggles[g] += count;
  return 0;
}

static void counts_sort(ssa_activity_counts *c, const ssa_synth_result *r) {
  for (unsigned p = 0; p < SSA_PART_COUNT; p++)
    ssa_cell_counts_sort(c->part[p].cells, c->part[p].cell_types);
  for (unsigned g = 0; g < r->group_count; g++)
    ssa_cell_counts_sort(c->group[g].cells, c->group[g].cell_types);
}

/* Charges every driven net's count in t to its cell's type, part and part type; with `notes`,
 * counts the nets charged and those without a count there. */
static int charge(const ssa_netlist *n, const ssa_toggles *t, const ssa_synth_result *r,
                  const ssa_liberty *lib, ssa_activity_counts *c, ssa_activity *notes,
                  ssa_error *err) {
  for (size_t k = 0; k < n->driver_count; k++) {
    const ssa_netlist_driver *d = &n->drivers[k];
    const char *module = n->modules[d->module];
    long long count = ssa_toggles_get(t, module, d->net);
    if (count < 0) {
      if (notes != NULL && notes->nets_missing++ == 0)
        snprintf(notes->first_missing, sizeof notes->first_missing, "%s in %s", d->net, module);
      continue;
    }
    if (charge_cell(module, d->type, (unsigned long long)count, r, lib, c, err) != 0) return -1;
    if (notes != NULL) notes->nets++;
  }
  counts_sort(c, r);
  return 0;
}

/* Charges the gate simulator's counts of segments first..last to c. */
static int charge_simulated(const ssa_gate_sim_result *g, unsigned first, unsigned last,
                            const ssa_synth_result *r, ssa_activity_counts *c, ssa_error *err) {
  for (size_t k = 0; k < g->cell_count; k++) {
    unsigned long long count = 0;
    for (unsigned s = first; s <= last && s < g->segments; s++) count += g->cells[k].toggles[s];
    if (charge_cell(g->modules[g->cells[k].module], g->cells[k].type, count, r, NULL, c,
                    err) != 0)
      return -1;
  }
  counts_sort(c, r);
  return 0;
}

static void counts_free(ssa_activity_counts *c) {
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) free(c->part[p].cells);
  for (unsigned g = 0; g < SSA_SYNTH_MAX_GROUPS; g++) free(c->group[g].cells);
  memset(c, 0, sizeof *c);
}

/* The progress line of either simulator. */
static void say_simulating(const ssa_activity_opts *o, const ssa_synth_result *r,
                           const char *top, unsigned cycles) {
  if (o->progress)
    fprintf(stderr, "ssa: simulating the %s netlist of %s (%lu cells, %u clocks) ...\n",
            ssa_flow_name(r->flow), top, r->total.cells_total, cycles);
}

/* The generic flow's netlist on SSA's own simulator: the same segments as Verilator's marks. */
static int run_simulated(const ssa_vectors *nv, const ssa_synth_result *r,
                         const ssa_activity_opts *o, int window, uint64_t *actual,
                         ssa_activity *a, ssa_error *err) {
  unsigned marks[3] = {o->window_begin, o->window_begin + 1, o->window_end + 1};
  ssa_gate_sim_result g;
  say_simulating(o, r, nv->design->top, nv->cycles);
  if (ssa_gate_sim_run("netlist.json", r->json_netlist, nv, marks, window ? 3 : 0, actual, &g,
                       err) != 0)
    return -1;
  a->mismatch = ssa_vectors_compare(nv, actual, &a->first);
  a->nets = g.cell_count;
  int rc = charge_simulated(&g, 0, 3, r, &a->run, err);
  if (rc == 0) rc = charge_simulated(&g, window ? 1 : 0, window ? 2 : 0, r, &a->steady, err);
  if (rc == 0 && window) rc = charge_simulated(&g, 1, 1, r, &a->opening, err);
  ssa_gate_sim_free(&g);
  return rc;
}

int ssa_activity_run(const ssa_vectors *v, const ssa_synth_result *r, const ssa_activity_opts *o,
                     ssa_activity *a, ssa_error *err) {
  memset(a, 0, sizeof *a);
  if (r->netlist == NULL || r->cell_netlist == NULL)
    return ssa_fail(err, "activity: the synthesis kept no netlist");
  int window = o->window_end > 0;
  if (window && (o->window_begin > o->window_end || o->window_end >= v->cycles))
    return ssa_fail(err, "activity: clocks %u to %u are not a window of a %u-clock run",
                    o->window_begin, o->window_end, v->cycles);
  ssa_design d;
  if (netlist_design(v->design, r, &d, err) != 0) return -1;
  ssa_vectors nv;
  if (ssa_energy_harness_wrap(&d, err) != 0 || ssa_energy_harness_vectors(v, &d, &nv, err) != 0) {
    ssa_design_free(&d);
    return -1;
  }
  a->cycles = a->run.cycles = v->cycles;
  a->steady.cycles = window ? o->window_end - o->window_begin + 1 : v->cycles;
  a->opening.cycles = window ? 1 : 0;
  a->steps = window ? o->steps : 0;
  if (r->json_netlist != NULL && !o->verilator) {
    ssa_vectors sv = nv;
    sv.design = v->design;  /* the netlist's own top: the harness's registers are simulated */
    uint64_t *out = calloc((size_t)v->cycles * v->out_words + 1, sizeof *out);
    int rc = out == NULL ? ssa_fail(err, "activity: out of memory")
                         : run_simulated(&sv, r, o, window, out, a, err);
    free(out);
    ssa_energy_harness_vectors_free(&nv);
    ssa_design_free(&d);
    if (rc != 0) ssa_activity_free(a);
    return rc;
  }
  const char *tmp = getenv("TMPDIR");
  char dir[4096], cov[4200], part_path[4300];
  snprintf(dir, sizeof dir, "%s/ssa-activity-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
  if (ssa_cleanup_mkdtemp(dir) == NULL) {
    ssa_energy_harness_vectors_free(&nv);
    ssa_design_free(&d);
    return ssa_fail(err, "activity: cannot create a directory in %s", dir);
  }
  snprintf(cov, sizeof cov, "%s/toggles.dat", dir);
  uint64_t *actual = calloc((size_t)v->cycles * v->out_words + 1, sizeof *actual);
  ssa_toggles steady = {0}, opening = {0}, run = {0};
  ssa_netlist n = {0};
  int rc = -1;
  if (actual == NULL) {
    ssa_fail(err, "activity: out of memory");
    goto out;
  }
  say_simulating(o, r, d.top, v->cycles);
  /* With a window, the counts are cut before its first clock, after it and after the window
   * (engine.h): files .0 (reset), .1 (the window's first clock), .2 (the rest of the window)
   * and .3 (drain). The steady counts are .1 and .2, the run's all four. */
  ssa_engine_opts eopts = {.cache_dir = o->cache_dir, .toggles_path = cov,
                           .toggles_marks = {o->window_begin, o->window_begin + 1,
                                             o->window_end + 1},
                           .toggles_mark_count = window ? 3 : 0, .progress = o->progress};
  if (ssa_engine_run(SSA_ENGINE_VERILATOR, &nv, &eopts, actual, err) != 0) goto out;
  a->mismatch = ssa_vectors_compare(&nv, actual, &a->first);
  for (unsigned k = 0; window && k < 4; k++) {
    snprintf(part_path, sizeof part_path, "%s.%u", cov, k);
    if (ssa_toggles_add_file(part_path, &run, err) != 0 ||
        ((k == 1 || k == 2) && ssa_toggles_add_file(part_path, &steady, err) != 0) ||
        (k == 1 && ssa_toggles_add_file(part_path, &opening, err) != 0))
      goto out;
  }
  if (!window && (ssa_toggles_add_file(cov, &run, err) != 0 ||
                  ssa_toggles_add_file(cov, &steady, err) != 0))
    goto out;
  ssa_output_pin_fn is_output = o->liberty != NULL ? ssa_liberty_output_pin
                                                   : ssa_generic_output_pin;
  if (ssa_netlist_read("netlist_cells.v", r->cell_netlist, is_output, o->liberty, &n, err) != 0 ||
      charge(&n, &run, r, o->liberty, &a->run, a, err) != 0 ||
      charge(&n, &steady, r, o->liberty, &a->steady, NULL, err) != 0 ||
      (window && charge(&n, &opening, r, o->liberty, &a->opening, NULL, err) != 0))
    goto out;
  rc = 0;
out:
  ssa_netlist_free(&n);
  ssa_toggles_free(&steady);
  ssa_toggles_free(&opening);
  ssa_toggles_free(&run);
  free(actual);
  ssa_remove_tree(dir);
  ssa_cleanup_forget(dir);
  ssa_energy_harness_vectors_free(&nv);
  ssa_design_free(&d);
  if (rc != 0) ssa_activity_free(a);
  return rc;
}

void ssa_activity_free(ssa_activity *a) {
  counts_free(&a->steady);
  counts_free(&a->opening);
  counts_free(&a->run);
  memset(a, 0, sizeof *a);
}
