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

/* Static figures of one part: cells, area, leakage, flip-flops; and the load sums. */
static int part_static(const ssa_synth_part *sp, const ssa_liberty *lib, ssa_energy_part *ep,
                       double *input_cap_ff, double *outputs, ssa_error *err) {
  ep->cells = sp->cells_total;
  ep->flops = sp->flops;
  for (size_t k = 0; k < sp->cell_types; k++) {
    const ssa_liberty_cell *c;
    if (cell(lib, sp->cells[k].type, &c, err) != 0) return -1;
    double n = (double)sp->cells[k].count;
    ep->area_um2 += n * c->area_um2;
    ep->leakage_nw += n * c->leakage_nw;
    *input_cap_ff += n * c->inputs * c->input_cap_ff;
    *outputs += n * (c->outputs > 0 ? c->outputs : 1);
  }
  return 0;
}

int ssa_energy_estimate(const ssa_synth_result *r, const ssa_activity *a, const ssa_liberty *lib,
                        double clock_mhz, unsigned interval, ssa_energy *e, ssa_error *err) {
  memset(e, 0, sizeof *e);
  if (clock_mhz <= 0) return ssa_fail(err, "energy: the clock must be above 0 MHz");
  if (a->cycles == 0) return ssa_fail(err, "energy: no simulated clocks");
  e->clock_mhz = clock_mhz;
  e->voltage_v = lib->nom_voltage_v;
  e->cycles = a->cycles;
  e->interval = interval > 0 ? interval : 1;
  snprintf(e->library, sizeof e->library, "%s", lib->name);
  double input_cap = 0, outputs = 0;
  for (unsigned p = 0; p < SSA_PART_COUNT; p++)
    if (part_static(&r->part[p], lib, &e->part[p], &input_cap, &outputs, err) != 0) return -1;
  e->load_ff = outputs > 0 ? input_cap / outputs : 0;
  double switching_fj = 0.5 * e->load_ff * e->voltage_v * e->voltage_v;
  double ns = (double)a->cycles * 1000.0 / clock_mhz;
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
    ssa_energy_part *ep = &e->part[p];
    const ssa_synth_part *ap = &a->part[p];
    for (size_t k = 0; k < ap->cell_types; k++) {
      const ssa_liberty_cell *c;
      if (cell(lib, ap->cells[k].type, &c, err) != 0) return -1;
      ep->toggles += ap->cells[k].count;
      ep->dynamic_fj += (double)ap->cells[k].count * (c->energy_per_toggle_fj + switching_fj);
    }
    for (size_t k = 0; k < r->part[p].cell_types; k++) {
      const ssa_liberty_cell *c;
      if (cell(lib, r->part[p].cells[k].type, &c, err) != 0) return -1;
      if (c->clock_energy_fj > 0)
        ep->clock_fj += (double)r->part[p].cells[k].count * a->cycles * c->clock_energy_fj;
    }
    ep->leakage_fj = ep->leakage_nw * ns * 1e-3;  /* nW x ns = 1e-18 J */
    e->total.cells += ep->cells;
    e->total.flops += ep->flops;
    e->total.area_um2 += ep->area_um2;
    e->total.leakage_nw += ep->leakage_nw;
    e->total.toggles += ep->toggles;
    e->total.dynamic_fj += ep->dynamic_fj;
    e->total.clock_fj += ep->clock_fj;
    e->total.leakage_fj += ep->leakage_fj;
  }
  double all = e->total.dynamic_fj + e->total.clock_fj + e->total.leakage_fj;
  e->per_clock_fj = all / a->cycles;
  e->per_step_fj = e->per_clock_fj * e->interval;
  return 0;
}
