/* op_energy.c -- operation-level and memory estimates (see op_energy.h). */
#include "op_energy.h"

#include <stdio.h>

#include "cell_table.h"

/* Energy of one output toggle of `type` driving one input of the same type, fJ. */
static double toggle_fj(const ssa_liberty *lib, const char *type) {
  const ssa_liberty_cell *c = ssa_liberty_find(lib, type);
  if (c == NULL) return 0;
  double v = lib->nom_voltage_v;
  return c->energy_per_toggle_fj + 0.5 * c->input_cap_ff * v * v;
}

void ssa_sc_gate_costs_builtin(ssa_sc_gate_costs *c) {
  const ssa_liberty *lib = ssa_cell_table_builtin();
  const ssa_liberty_cell *dff = ssa_liberty_find(lib, "$_DFF_P_");
  c->and_fj = 0.5 * toggle_fj(lib, "$_AND_");
  c->mux_fj = 0.5 * toggle_fj(lib, "$_MUX_");
  c->random_bit_fj = (dff != NULL ? dff->clock_energy_fj : 0) +
                     0.5 * toggle_fj(lib, "$_DFF_P_") + 0.5 * toggle_fj(lib, "$_XOR_");
}

void ssa_op_energy_sc(unsigned n, unsigned d, unsigned steps, enum ssa_share share,
                      unsigned long random_bits, const ssa_sc_gate_costs *c, ssa_estimate *e) {
  double N = n, D = d;
  double ands = N * N + N * D, muxes;
  const char *mux_formula;
  switch (share) {
    case SSA_SHARE_UNIT:
      muxes = 2 * N * N * (D - 1) + 2 * N * D * (N - 1);
      mux_formula = "2 N^2 (D-1) + 2 N D (N-1)";
      break;
    case SSA_SHARE_ROW:
      muxes = N * (D - 1) + N * N * (D - 1) + N * (N - 1) + N * D * (N - 1);
      mux_formula = "N (D-1) + N^2 (D-1) + N (N-1) + N D (N-1)";
      break;
    default:
      muxes = 2 * N * (D - 1) + N * (N - 1) + D * (N - 1);
      mux_formula = "2 N (D-1) + N (N-1) + D (N-1)";
      break;
  }
  double per_step_fj = ands * c->and_fj + muxes * c->mux_fj + (double)random_bits * c->random_bit_fj;
  e->pj = per_step_fj * steps * 1e-3;
  snprintf(e->formula, sizeof e->formula,
           "T x [(N^2 + N D) AND x %.3f fJ + (%s) MUX2 x %.3f fJ + %lu random bits x %.3f fJ] = "
           "%u x [%.0f x %.3f + %.0f x %.3f + %lu x %.3f] fJ",
           c->and_fj, mux_formula, c->mux_fj, random_bits, c->random_bit_fj, steps, ands,
           c->and_fj, muxes, c->mux_fj, random_bits, c->random_bit_fj);
}

void ssa_op_energy_exact(unsigned n, unsigned d, unsigned steps, ssa_estimate *e) {
  double nn = (double)n * n;
  double adds = 2 * nn * d + 3.0 * n * d;
  e->pj = steps * adds * SSA_PJ_ADD32;
  snprintf(e->formula, sizeof e->formula,
           "T x (2 N^2 D + 3 N D) 32-bit adds x %.2f pJ = %u x %.0f x %.2f pJ (ANDs of "
           "binary spikes not counted)", SSA_PJ_ADD32, steps, adds, SSA_PJ_ADD32);
}

void ssa_op_energy_ann(unsigned n, unsigned d, ssa_estimate *e) {
  double nn = (double)n * n;
  double macs = 2 * nn * d;
  double mac_pj = macs * (SSA_PJ_MUL8 + SSA_PJ_ADD32);
  double scale_pj = nn * SSA_PJ_MUL32;
  double softmax_pj = nn * (5 * SSA_PJ_FMUL32 + 5 * SSA_PJ_FADD32) +
                      n * (4 * SSA_PJ_FMUL32 + 4 * SSA_PJ_FADD32);
  e->pj = mac_pj + scale_pj + softmax_pj;
  snprintf(e->formula, sizeof e->formula,
           "2 N^2 D int8 MACs x (%.2f + %.2f) pJ + N^2 scalings x %.2f pJ + softmax estimate "
           "[N^2 x (5 fp32 mult + 5 fp32 add) + N x (4 fp32 mult + 4 fp32 add)] x (%.2f, %.2f) "
           "pJ = %.0f x %.2f + %.0f x %.2f + %.1f pJ",
           SSA_PJ_MUL8, SSA_PJ_ADD32, SSA_PJ_MUL32, SSA_PJ_FMUL32, SSA_PJ_FADD32, macs,
           SSA_PJ_MUL8 + SSA_PJ_ADD32, nn, SSA_PJ_MUL32, softmax_pj);
}

/* ---- memory: one activation buffer for every design ---- */

void ssa_activation_buffer_init(ssa_activation_buffer *b, unsigned n, unsigned d, double volts) {
  double nd = (double)n * d, nn = (double)n * n;
  ssa_sram_fit f;
  ssa_sram_fit_horowitz(&f);
  b->bytes = 4 * nd + 5 * nn;
  b->volts = volts;
  b->pj_per_access = ssa_sram_access_pj(b->bytes, volts);
  snprintf(b->formula, sizeof b->formula,
           "%.2f pJ x (%.0f B / %.0f B)^%.4f x (%.2f V / %.1f V)^2 = %.3f pJ",
           f.ref_pj, b->bytes, f.ref_bytes, f.exponent, volts, SSA_SRAM_HOROWITZ_V,
           b->pj_per_access);
}

/* e = bits / 64 accesses x the buffer's price; the formula names the traffic, then the price. */
static void price(const ssa_activation_buffer *b, double bits, const char *traffic,
                  const char *numbers, ssa_estimate *e) {
  e->pj = bits / 64 * b->pj_per_access;
  snprintf(e->formula, sizeof e->formula,
           "%s bits / 64 x E = %s / 64 x %.3f pJ; E per 64-bit access of the %.0f-byte "
           "activation buffer (4 N D + 5 N^2) at %.2f V: %s",
           traffic, numbers, b->pj_per_access, b->bytes, b->volts, b->formula);
}

void ssa_traffic_spiking(const ssa_activation_buffer *b, unsigned n, unsigned d, unsigned steps,
                         ssa_estimate *e) {
  double nd = (double)n * d;
  char numbers[64];
  snprintf(numbers, sizeof numbers, "%u x %.0f", steps, 4 * nd);
  price(b, steps * 4 * nd, "T x (3 N D read + N D written)", numbers, e);
}

void ssa_traffic_ann_rowwise(const ssa_activation_buffer *b, unsigned n, unsigned d,
                             ssa_estimate *e) {
  double nd = (double)n * d;
  char numbers[64];
  snprintf(numbers, sizeof numbers, "%.0f", 4 * nd * 8);
  price(b, 4 * nd * 8, "(3 N D x 8 read + N D x 8 written)", numbers, e);
}

void ssa_traffic_ann_spilling(const ssa_activation_buffer *b, unsigned n, unsigned d,
                              ssa_estimate *e) {
  double nd = (double)n * d, nn = (double)n * n;
  char numbers[64];
  snprintf(numbers, sizeof numbers, "%.0f", 4 * nd * 8 + 2 * nn * 32 + 2 * nn * 8);
  price(b, 4 * nd * 8 + 2 * nn * 32 + 2 * nn * 8,
        "(3 N D x 8 read + N D x 8 written + N^2 x 32 written and read + N^2 x 8 written and "
        "read)", numbers, e);
}
