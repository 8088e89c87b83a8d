/* energy.c -- the gate-level energy estimate (see energy.h). */
#include "energy.h"

#include <stdio.h>
#include <string.h>

static int cell(const ssa_liberty *lib, const char *type, const ssa_liberty_cell **c,
                ssa_error *err) {
  *c = ssa_liberty_find(lib, type);
  if (*c == NULL)
    return ssa_fail(err, "energy: cell %s is not in %s", type, lib->name[0] ? lib->name : lib->path);
  return 0;
}

int ssa_cells_area(const ssa_cell_count *cells, size_t n, const ssa_liberty *lib, double *area,
                   ssa_error *err) {
  *area = 0;
  for (size_t k = 0; k < n; k++) {
    const ssa_liberty_cell *c;
    if (cell(lib, cells[k].type, &c, err) != 0) return -1;
    *area += (double)cells[k].count * c->area_um2;
  }
  return 0;
}

int ssa_cells_load(const ssa_cell_count *cells, size_t n, const ssa_liberty *lib, double *load_ff,
                   ssa_error *err) {
  double input_cap = 0, outputs = 0;
  for (size_t k = 0; k < n; k++) {
    const ssa_liberty_cell *c;
    if (cell(lib, cells[k].type, &c, err) != 0) return -1;
    double count = (double)cells[k].count;
    input_cap += count * c->inputs * c->input_cap_ff;
    outputs += count * (c->outputs > 0 ? c->outputs : 1);
  }
  *load_ff = outputs > 0 ? input_cap / outputs : 0;
  return 0;
}

/* One part's figures over `cycles` clocks: its cells (static figures, clock energy of its
 * flip-flops, leakage) and the toggles of its cells' outputs (dynamic energy). */
static int price(const ssa_synth_part *cells, const ssa_synth_part *toggles, const ssa_liberty *lib,
                 double switching_fj, unsigned cycles, double clock_mhz, ssa_energy_part *ep,
                 ssa_error *err) {
  memset(ep, 0, sizeof *ep);
  ep->cells = cells->cells_total;
  ep->flops = cells->flops;
  for (size_t k = 0; k < cells->cell_types; k++) {
    const ssa_liberty_cell *c;
    if (cell(lib, cells->cells[k].type, &c, err) != 0) return -1;
    double n = (double)cells->cells[k].count;
    ep->area_um2 += n * c->area_um2;
    ep->leakage_nw += n * c->leakage_nw;
    if (c->clock_energy_fj > 0) ep->clock_fj += n * cycles * c->clock_energy_fj;
  }
  for (size_t k = 0; k < toggles->cell_types; k++) {
    const ssa_liberty_cell *c;
    if (cell(lib, toggles->cells[k].type, &c, err) != 0) return -1;
    ep->toggles += toggles->cells[k].count;
    ep->dynamic_fj += (double)toggles->cells[k].count * (c->energy_per_toggle_fj + switching_fj);
  }
  ep->leakage_fj = ep->leakage_nw * cycles * 1000.0 / clock_mhz * 1e-3;  /* nW x ns = 1e-18 J */
  return 0;
}

static void add(ssa_energy_part *sum, const ssa_energy_part *p) {
  sum->cells += p->cells;
  sum->flops += p->flops;
  sum->area_um2 += p->area_um2;
  sum->leakage_nw += p->leakage_nw;
  sum->toggles += p->toggles;
  sum->dynamic_fj += p->dynamic_fj;
  sum->clock_fj += p->clock_fj;
  sum->leakage_fj += p->leakage_fj;
}

int ssa_energy_estimate(const ssa_synth_result *r, const ssa_activity *a, const ssa_liberty *lib,
                        double clock_mhz, unsigned interval, ssa_energy *e, ssa_error *err) {
  memset(e, 0, sizeof *e);
  if (clock_mhz <= 0) return ssa_fail(err, "energy: the clock must be above 0 MHz");
  if (a->steady.cycles == 0 || a->run.cycles == 0)
    return ssa_fail(err, "energy: no simulated clocks");
  e->clock_mhz = clock_mhz;
  e->voltage_v = lib->nom_voltage_v;
  e->cycles = a->steady.cycles;
  e->steps = a->steps;
  e->run_cycles = a->run.cycles;
  e->interval = interval > 0 ? interval : 1;
  snprintf(e->library, sizeof e->library, "%s", lib->name);
  if (ssa_cells_load(r->total.cells, r->total.cell_types, lib, &e->load_ff, err) != 0) return -1;
  double switching_fj = 0.5 * e->load_ff * e->voltage_v * e->voltage_v;
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
    ssa_energy_part whole;
    if (price(&r->part[p], &a->steady.part[p], lib, switching_fj, e->cycles, clock_mhz,
              &e->part[p], err) != 0 ||
        price(&r->part[p], &a->run.part[p], lib, switching_fj, e->run_cycles, clock_mhz, &whole,
              err) != 0)
      return -1;
    add(&e->total, &e->part[p]);
    add(&e->run, &whole);
  }
  e->group_count = r->group_count;
  for (unsigned g = 0; g < r->group_count; g++) {
    ssa_energy_group *eg = &e->group[g];
    snprintf(eg->name, sizeof eg->name, "%s", r->group[g].name);
    eg->instances = r->group[g].instances;
    if (price(&r->group[g].cells, &a->steady.group[g], lib, switching_fj, e->cycles, clock_mhz,
              &eg->e, err) != 0)
      return -1;
  }
  double all = e->total.dynamic_fj + e->total.clock_fj + e->total.leakage_fj;
  e->per_clock_fj = all / e->cycles;
  e->per_step_fj = e->steps > 0 ? all / e->steps : e->per_clock_fj * e->interval;
  return 0;
}
