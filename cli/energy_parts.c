/* energy_parts.c -- figures per part type and of the whole run (see energy_parts.h). */
#include "energy_parts.h"

#include "../common/json.h"

/* Energies of a window over its steps, in pJ. */
static double per_step_pj(const ssa_energy *e, double fj) {
  return e->steps > 0 ? fj / e->steps * 1e-3 : fj / e->cycles * e->interval * 1e-3;
}

void ssa_print_part_types(const ssa_energy *e) {
  printf("\nby part type (per step over the steady window):\n");
  printf("%-28s %6s %8s %10s %11s %9s %10s %11s\n", "part type", "inst.", "cells", "toggles",
         "dynamic pJ", "clock pJ", "leakage pJ", "area um^2");
  for (unsigned g = 0; g < e->group_count; g++) {
    const ssa_energy_group *eg = &e->group[g];
    const ssa_energy_part *p = &eg->e;
    printf("%-28s %6lu %8lu %10.1f %11.3f %9.3f %10.3f %11.1f\n", eg->name, eg->instances,
           p->cells, per_step_pj(e, (double)p->toggles) * 1e3, per_step_pj(e, p->dynamic_fj),
           per_step_pj(e, p->clock_fj), per_step_pj(e, p->leakage_fj), p->area_um2);
  }
}

void ssa_print_energy_window(const ssa_energy *e) {
  double run_fj = e->run.dynamic_fj + e->run.clock_fj + e->run.leakage_fj;
  if (e->steps > 0)
    printf("steady state: %u clocks from the first accepted step to the last result (%u steps), "
           "at %.0f MHz, %.2f V, C_load %.3f fF\n", e->cycles, e->steps, e->clock_mhz,
           e->voltage_v, e->load_ff);
  else
    printf("over all %u clocks at %.0f MHz, %.2f V, C_load %.3f fF\n", e->cycles, e->clock_mhz,
           e->voltage_v, e->load_ff);
  printf("whole run, reset and drain included: %u clocks, %.3f pJ (%.3f pJ per step)\n",
         e->run_cycles, run_fj * 1e-3, per_step_pj(e, run_fj));
}

void ssa_json_part_types(FILE *f, const ssa_energy *e) {
  fprintf(f, ",\n  \"part_types\": [");
  for (unsigned g = 0; g < e->group_count; g++) {
    const ssa_energy_group *eg = &e->group[g];
    const ssa_energy_part *p = &eg->e;
    fprintf(f, "%s\n    {\"name\": ", g ? "," : "");
    ssa_json_string(f, eg->name);
    fprintf(f, ", \"instances\": %lu, \"cells\": %lu, \"flops\": %lu, \"toggles\": %llu", eg->instances,
            p->cells, p->flops, p->toggles);
    const ssa_json_number_member m[] = {
        {"area_um2", p->area_um2},
        {"dynamic_pj", p->dynamic_fj * 1e-3},
        {"clock_pj", p->clock_fj * 1e-3},
        {"leakage_pj", p->leakage_fj * 1e-3},
        {"energy_per_step_pj", per_step_pj(e, p->dynamic_fj + p->clock_fj + p->leakage_fj)}};
    ssa_json_member_numbers(f, m, sizeof m / sizeof m[0]);
    fprintf(f, "}");
  }
  fprintf(f, "\n  ]");
}

void ssa_json_whole_run(FILE *f, const ssa_energy *e) {
  const ssa_energy_part *p = &e->run;
  double fj = p->dynamic_fj + p->clock_fj + p->leakage_fj;
  fprintf(f, ",\n  \"whole_run\": {\"clocks\": %u, \"toggles\": %llu", e->run_cycles, p->toggles);
  const ssa_json_number_member m[] = {{"dynamic_pj", p->dynamic_fj * 1e-3},
                                      {"clock_pj", p->clock_fj * 1e-3},
                                      {"leakage_pj", p->leakage_fj * 1e-3},
                                      {"energy_pj", fj * 1e-3},
                                      {"energy_per_step_pj", per_step_pj(e, fj)}};
  ssa_json_member_numbers(f, m, sizeof m / sizeof m[0]);
  fprintf(f, "}");
}
