/* part_sim.c -- parts simulated at gate level inside their design's RTL (see part_sim.h). */
#define _POSIX_C_SOURCE 200809L
#include "part_sim.h"

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

int ssa_part_synthesize(const ssa_design *d, const char *module, const ssa_measure_opts *o,
                        int netlist, ssa_synth_result *r, ssa_error *err) {
  ssa_design alone;
  memset(&alone, 0, sizeof alone);
  snprintf(alone.top, sizeof alone.top, "%s", module);
  snprintf(alone.kind, sizeof alone.kind, "%s", d->kind);
  /* borrowed texts: this design is never freed */
  for (unsigned k = 1; k < d->file_count; k++) alone.files[alone.file_count++] = d->files[k];
  ssa_synth_opts so = o->synth;
  so.netlist = netlist;
  so.work_dir = NULL;
  so.progress = 0;
  so.no_transistors = 1;
  return ssa_synth_run(&alone, &so, r, err);
}

/* The design with the file of each part module k replaced by netlist[k]. */
static int mixed_design(const ssa_design *d, const char *const *modules, char *const *netlists,
                        unsigned count, ssa_design *m, ssa_error *err) {
  *m = *d;
  m->file_count = 0;
  snprintf(m->options, sizeof m->options, "%.400s (parts at gate level)", d->options);
  for (unsigned k = 0; k < d->file_count; k++) {
    const ssa_design_file *f = &d->files[k];
    const char *text = f->text;
    size_t len = f->len;
    for (unsigned p = 0; p < count; p++) {
      char name[80];
      snprintf(name, sizeof name, "%s.v", modules[p]);
      if (strcmp(f->name, name) == 0) {
        text = netlists[p];
        len = strlen(netlists[p]);
      }
    }
    if (ssa_design_add_file(m, f->name, (char *)text, len, 0) != 0) {
      ssa_design_free(m);
      return ssa_fail(err, "part simulation: out of memory");
    }
  }
  return 0;
}

/* p's cells: those of r's top (the part synthesized alone), by type, none toggled yet. */
static int part_cells(const ssa_synth_result *r, ssa_profile_part *p, ssa_error *err) {
  p->cells = calloc(r->total.cell_types + 1, sizeof *p->cells);
  if (p->cells == NULL) return ssa_fail(err, "out of memory");
  for (size_t k = 0; k < r->total.cell_types; k++) {
    snprintf(p->cells[k].type, sizeof p->cells[k].type, "%s", r->total.cells[k].type);
    p->cells[k].cells = (double)r->total.cells[k].count;
  }
  p->cell_types = r->total.cell_types;
  return 0;
}

/* Cells per instance of r's top and the toggles of their outputs per instance per clock. */
static int charge(const ssa_synth_result *r, const ssa_toggles *t, const ssa_liberty *lib,
                  unsigned cycles, ssa_profile_part *p, ssa_error *err) {
  ssa_output_pin_fn is_output = lib != NULL ? ssa_liberty_output_pin : ssa_generic_output_pin;
  ssa_netlist n;
  if (ssa_netlist_read("netlist_cells.v", r->cell_netlist, is_output, lib, &n, err) != 0) return -1;
  double per = 1.0 / (double)p->instances;
  int rc = part_cells(r, p, err);
  for (size_t k = 0; rc == 0 && k < n.driver_count; k++) {
    const ssa_netlist_driver *d = &n.drivers[k];
    long long count = ssa_toggles_get(t, n.modules[d->module], d->net);
    if (count < 0) {
      rc = ssa_fail(err, "part simulation: net %s of %s has no toggle count", d->net,
                    n.modules[d->module]);
      break;
    }
    for (size_t c = 0; c < p->cell_types; c++)
      if (strcmp(p->cells[c].type, d->type) == 0) p->cells[c].toggles += (double)count * per / cycles;
  }
  ssa_netlist_free(&n);
  return rc;
}

/* p: part module `module` of design d as it declares it, its activity to be measured here. */
static int declare_part(const ssa_design *d, const char *module, ssa_profile_part *p,
                        ssa_error *err) {
  const ssa_design_part *dp = ssa_design_find_part(d, module, NULL);
  if (dp == NULL) return ssa_fail(err, "part simulation: %s declares no part %s", d->top, module);
  memset(p, 0, sizeof *p);
  snprintf(p->name, sizeof p->name, "%s", dp->module);
  snprintf(p->module, sizeof p->module, "%s", dp->module);
  snprintf(p->params, sizeof p->params, "%s", dp->params);
  p->instances = dp->count;
  p->measured = 1;
  return 0;
}

/* Cells per instance of r's top (the part synthesized alone) and the toggles of their outputs
 * per instance per clock, from the gate simulator's counts of the cells of library `source`
 * in segment 1 (the window). */
static int charge_simulated(const ssa_synth_result *r, const ssa_gate_sim_result *g,
                            unsigned source, unsigned cycles, ssa_profile_part *p,
                            ssa_error *err) {
  double per = 1.0 / (double)p->instances;
  if (part_cells(r, p, err) != 0) return -1;
  for (size_t k = 0; k < g->cell_count; k++) {
    const ssa_gate_sim_cell *x = &g->cells[k];
    if (g->module_source[x->module] != source) continue;
    size_t c = 0;
    while (c < p->cell_types && strcmp(p->cells[c].type, x->type) != 0) c++;
    if (c == p->cell_types)
      return ssa_fail(err, "part simulation: a %s cell of %s that its synthesis did not count",
                      x->type, p->module);
    p->cells[c].toggles += (double)x->toggles[1] * per / cycles;
  }
  return 0;
}

/* The generic flow: each part module synthesized alone, the rest of the design with those
 * modules left as black boxes, and the two netlists assembled and simulated by gate_sim.h --
 * the whole design at gate level without synthesizing it whole. */
static int part_sim_assembled(const ssa_subject *s, const char *const *modules, unsigned count,
                              const ssa_measure_opts *o, ssa_profile_part *parts,
                              ssa_error *err) {
  const ssa_design *d = ssa_subject_design(s);
  const ssa_stepped_run *run = &s->run;
  ssa_synth_result *r = calloc(count + 1, sizeof *r), rest = {0};
  const char **libraries = calloc(count + 1, sizeof *libraries);
  uint64_t *actual = calloc((size_t)run->vectors.cycles * run->vectors.out_words + 1,
                            sizeof *actual);
  char blackbox[SSA_MAX_DESIGN_PARTS * 72] = "";
  unsigned done = 0;
  int rc = r != NULL && libraries != NULL && actual != NULL ? 0 : ssa_fail(err, "out of memory");
  for (; rc == 0 && done < count; done++) {
    if (declare_part(d, modules[done], &parts[done], err) != 0) {
      rc = -1;
      break;
    }
    if (o->synth.progress)
      fprintf(stderr, "ssa: synthesizing part %s alone\n", modules[done]);
    rc = ssa_part_synthesize(d, modules[done], o, 1, &r[done], err);
    if (rc == 0) libraries[done] = r[done].json_netlist;
    snprintf(blackbox + strlen(blackbox), sizeof blackbox - strlen(blackbox), "%s%s",
             done ? " " : "", modules[done]);
  }
  if (rc == 0) {
    ssa_synth_opts so = o->synth;
    so.netlist = 1;
    so.work_dir = NULL;
    so.blackbox = blackbox;
    if (o->synth.progress)
      fprintf(stderr, "ssa: synthesizing %s without its parts %s\n", d->top, blackbox);
    rc = ssa_synth_run(d, &so, &rest, err);
  }
  unsigned steps = run->data.steps;
  unsigned begin = ssa_stepped_accept_cycle(run, 0), end = ssa_stepped_result_cycle(run, steps - 1);
  ssa_vectors v = {0};
  ssa_gate_sim_result g = {0};
  if (rc == 0) rc = ssa_energy_harness_vectors(&run->vectors, d, &v, err);
  if (rc == 0) {
    const unsigned marks[2] = {begin, end + 1};
    if (o->synth.progress)
      fprintf(stderr, "ssa: simulating %s assembled from its parts at gate level (%u clocks) "
              "...\n", d->top, v.cycles);
    rc = ssa_gate_sim_run_with("netlist.json", rest.json_netlist, libraries, count, &v, marks, 2,
                               actual, &g, err);
    ssa_mismatch x;
    if (rc == 0 && ssa_vectors_compare(&v, actual, &x))
      rc = ssa_fail(err, "part simulation: %s assembled from its parts at gate level differs "
                    "from the golden model at clock %u, %s[%u]", d->top, x.cycle,
                    d->ports[x.port].name, x.bit);
  }
  for (unsigned k = 0; rc == 0 && k < count; k++)
    rc = charge_simulated(&r[k], &g, k + 1, end - begin + 1, &parts[k], err);
  ssa_gate_sim_free(&g);
  ssa_energy_harness_vectors_free(&v);
  ssa_synth_result_free(&rest);
  for (unsigned k = 0; r != NULL && k < done; k++) ssa_synth_result_free(&r[k]);
  free(r);
  free(libraries);
  free(actual);
  return rc;
}

int ssa_part_sim(const ssa_subject *s, const char *const *modules, unsigned count,
                 const ssa_measure_opts *o, ssa_profile_part *parts, ssa_error *err) {
  if (o->synth.flow == SSA_FLOW_GENERIC && !o->gate_sim_verilator)
    return part_sim_assembled(s, modules, count, o, parts, err);
  const ssa_design *d = ssa_subject_design(s);
  const ssa_stepped_run *run = &s->run;
  const ssa_liberty *lib = o->synth.flow == SSA_FLOW_LIBERTY ? o->synth.liberty : NULL;
  ssa_synth_result *r = calloc(count + 1, sizeof *r);
  char **netlists = calloc(count + 1, sizeof *netlists);
  uint64_t *actual = calloc((size_t)run->vectors.cycles * run->vectors.out_words + 1,
                            sizeof *actual);
  ssa_design m = {0};
  ssa_toggles t = {0};
  char dir[4096] = "", cov[4200];
  unsigned done = 0;
  int rc = r != NULL && netlists != NULL && actual != NULL ? 0
                                                           : ssa_fail(err, "out of memory");
  for (; rc == 0 && done < count; done++) {
    if (declare_part(d, modules[done], &parts[done], err) != 0) {
      rc = -1;
      break;
    }
    rc = ssa_part_synthesize(d, modules[done], o, 1, &r[done], err);
    if (rc == 0) netlists[done] = r[done].netlist;
  }
  if (rc == 0) rc = mixed_design(d, modules, netlists, count, &m, err);
  if (rc == 0) rc = ssa_energy_harness_wrap(&m, err);  /* driven as activity.h drives a netlist */
  if (rc == 0) {
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/ssa-partsim-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
    if (ssa_cleanup_mkdtemp(dir) == NULL) {
      rc = ssa_fail(err, "part simulation: cannot create a directory in %s",
                    tmp != NULL && *tmp ? tmp : "/tmp");
      dir[0] = '\0';
    }
  }
  unsigned steps = run->data.steps;
  unsigned begin = ssa_stepped_accept_cycle(run, 0), end = ssa_stepped_result_cycle(run, steps - 1);
  ssa_vectors v = {0};
  if (rc == 0) {
    snprintf(cov, sizeof cov, "%s/toggles.dat", dir);
    rc = ssa_energy_harness_vectors(&run->vectors, &m, &v, err);
  }
  if (rc == 0) {
    ssa_engine_opts eo = {.cache_dir = o->cache_dir, .toggles_path = cov,
                          .toggles_marks = {begin, end + 1}, .toggles_mark_count = 2,
                          .progress = o->synth.progress};
    if (o->synth.progress)
      fprintf(stderr, "ssa: simulating %s with %u part%s at gate level (%u clocks) ...\n", d->top,
              count, count == 1 ? "" : "s", v.cycles);
    rc = ssa_engine_run(SSA_ENGINE_VERILATOR, &v, &eo, actual, err);
    ssa_mismatch x;
    if (rc == 0 && ssa_vectors_compare(&v, actual, &x))
      rc = ssa_fail(err, "part simulation: %s with its parts at gate level differs from the "
                    "golden model at clock %u, %s[%u]", d->top, x.cycle, d->ports[x.port].name,
                    x.bit);
  }
  ssa_energy_harness_vectors_free(&v);
  if (rc == 0) {
    /* the window's counts: cut before its first clock and after its last (engine.h) */
    snprintf(cov + strlen(cov), sizeof cov - strlen(cov), ".1");
    rc = ssa_toggles_add_file(cov, &t, err);
  }
  for (unsigned k = 0; rc == 0 && k < count; k++)
    rc = charge(&r[k], &t, lib, end - begin + 1, &parts[k], err);
  ssa_toggles_free(&t);
  if (dir[0] != '\0') ssa_remove_tree(dir);
  ssa_cleanup_forget(dir);
  if (m.file_count > 0) ssa_design_free(&m);
  for (unsigned k = 0; r != NULL && k < done; k++) ssa_synth_result_free(&r[k]);
  free(r);
  free(netlists);
  free(actual);
  return rc;
}
