/* emit_prng.c -- Verilog of a plan's PRNG bank (see emit_prng.h). */
#include "emit_prng.h"

#include <ctype.h>
#include <stdlib.h>

#include "../core/lfsr.h"
#include "emit_util.h"

void ssa_emit_prng_group_banner(FILE *f, const ssa_plan *plan, unsigned group) {
  const ssa_field_group *g = &plan->group[group];
  unsigned exps[6], n = ssa_lfsr_poly(g->width, exps);
  ssa_out(f, "//   %-6s stage: %u LFSRs of %u bits, x^%u", g->name, g->lfsr_count, g->width, exps[0]);
  for (unsigned e = 1; e < n; e++) ssa_out(f, exps[e] ? " + x^%u" : " + 1", exps[e]);
  ssa_out(f, "; %u numbers of %u bits;\n//     seeds %s\n", g->majors * g->lanes, g->bits,
          g->spaced ? "evenly spaced on the m-sequence, at least W shifts apart"
                    : "distinct but not spaced (too many LFSRs for this width): some overlap");
}

/* Under Verilator, a group's LFSRs are one state array stepped by one loop: the same
 * registers, reset to the same seeds and stepped by rtl/ssa_lfsr.v's convention, where the
 * instances would make Verilator build a copy of ssa_lfsr per seed (14 144 copies inlined
 * into the top at N = 256, D = 8 with random=lfsr). Icarus and Yosys read the instances, so
 * synthesis prices ssa_lfsr's hierarchy and the three-engine check still runs it. */
static void emit_bank_loop(FILE *f, const ssa_plan *plan, unsigned g, const char *bank,
                           const char *tag, const char *lower, const char *enable) {
  const ssa_field_group *grp = &plan->group[g];
  unsigned count = grp->lfsr_count, digits = (grp->width + 3) / 4;
  ssa_out(f, "  reg  [W%s-1:0] %s [0:%u];\n", tag, bank, count - 1);
  ssa_out(f, "  // the seeds, LFSR k's at [k*W%s +: W%s]\n  localparam [%u*W%s-1:0] SEEDS_%s = {",
          tag, tag, count, tag, tag);
  /* a group's LFSRs are numbered on from its first (ssa_plan_lfsr_place) */
  for (unsigned k = count; k-- > 0;)
    ssa_out(f, "%s%u'h%0*llx%s", (count - 1 - k) % 8 == 0 ? "\n    " : "", grp->width, digits,
            (unsigned long long)plan->seeds[grp->first_lfsr + k], k > 0 ? ", " : "};\n");
  ssa_out(f, "  function automatic [W%s-1:0] leap_%s(input [W%s-1:0] state);\n"
             "    integer shift;\n    begin\n      leap_%s = state;\n"
             "      for (shift = 0; shift < W%s; shift = shift + 1)\n"
             "        leap_%s = {leap_%s[W%s-2:0], ^(leap_%s & TAPS_%s)};\n"
             "    end\n  endfunction\n",
          tag, lower, tag, lower, tag, lower, lower, tag, lower, tag);
  /* the next states by a loop of blocking assignments, then the whole array at the clock:
   * Verilator refuses a delayed assignment to an array element in a loop it does not unroll */
  ssa_out(f, "  reg  [W%s-1:0] %s_d [0:%u];\n  integer lfsr_%s;\n  always @* begin\n"
             "    for (lfsr_%s = 0; lfsr_%s < %u; lfsr_%s = lfsr_%s + 1)\n"
             "      if (!rst_ni) %s_d[lfsr_%s] = SEEDS_%s[lfsr_%s*W%s +: W%s];\n"
             "      else if (%s) %s_d[lfsr_%s] = leap_%s(%s[lfsr_%s]);\n"
             "      else %s_d[lfsr_%s] = %s[lfsr_%s];\n  end\n"
             "  always @(posedge clk_i) %s <= %s_d;\n",
          tag, bank, count - 1, lower, lower, lower, count, lower, lower, bank, lower, tag, lower,
          tag, tag, enable, bank, lower, lower, bank, lower, bank, lower, bank, lower, bank, bank);
}

/* Net arrays rather than one wide bus: a simulator that propagates whole nets (Icarus) would
 * otherwise copy the bus to every reader on every write. */
void ssa_emit_prng_bank(FILE *f, const ssa_plan *plan, const char *const bank[],
                        const char *const tag[], const char *enable) {
  ssa_out(f, "  // ---- PRNG bank: %u LFSRs, one leap per accepted step ----\n", plan->lfsr_count);
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    const ssa_field_group *grp = &plan->group[g];
    if (grp->lfsr_count == 0) continue;
    char lower[8];
    unsigned k = 0;
    for (; tag[g][k] != '\0' && k + 1 < sizeof lower; k++)
      lower[k] = (char)tolower((unsigned char)tag[g][k]);
    lower[k] = '\0';
    ssa_out(f, "`ifdef VERILATOR\n");
    emit_bank_loop(f, plan, g, bank[g], tag[g], lower, enable);
    ssa_out(f, "`else\n");
    ssa_out(f, "  wire [W%s-1:0] %s [0:%u];\n", tag[g], bank[g], grp->lfsr_count - 1);
    for (unsigned lfsr = 0; lfsr < plan->lfsr_count; lfsr++) {
      ssa_lfsr_place at = ssa_plan_lfsr_place(plan, lfsr);
      if (at.group != g) continue;
      ssa_out(f, "  ssa_lfsr #(.WIDTH(W%s), .TAPS(TAPS_%s), .SEED(%u'h%llx)) u_lfsr_%s_%u (\n"
                 "    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(%s), .state_o(%s[%u]));\n",
              tag[g], tag[g], grp->width, (unsigned long long)plan->seeds[lfsr], lower, at.index,
              enable, bank[g], at.index);
    }
    ssa_out(f, "`endif\n");
  }
}

/* The bits of number n as a Verilog expression over the group's bank: one part select where
 * they run on in one LFSR (every number of random=lfsr), else a concatenation of such runs,
 * most significant first (random=packed across two LFSRs, random=shared around one). Marks
 * them in `used`. */
void ssa_emit_number_bits(FILE *f, const ssa_plan *plan, unsigned group, ssa_number n,
                          const char *const bank[], uint64_t *used) {
  unsigned bits = plan->group[group].bits, runs = 0;
  char text[512];
  size_t len = 0;
  for (unsigned top = bits; top > 0;) {
    ssa_field_ref hi = ssa_plan_number_bit(plan, group, n, top - 1);
    unsigned low = top - 1; /* the run is number bits low .. top - 1 */
    while (low > 0) {
      ssa_field_ref next = ssa_plan_number_bit(plan, group, n, low - 1);
      if (next.lfsr != hi.lfsr || next.bit + (top - low) != hi.bit) break;
      low--;
    }
    unsigned first = hi.bit - (top - 1 - low);
    used[hi.lfsr] |= ((((uint64_t)1) << (top - low)) - 1) << first;
    len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0,
                            "%s%s[%u][%u +: %u]", runs == 0 ? "" : ", ", bank[group],
                            ssa_plan_lfsr_place(plan, hi.lfsr).index, first, top - low);
    runs++;
    top = low;
  }
  ssa_out(f, runs == 1 ? "%s" : "{%s}", text);
}

int ssa_emitter_open_bank(ssa_emitter *e, const ssa_plan *plan, uint64_t **used, const char *module,
                          ssa_error *err) {
  *used = calloc(plan->lfsr_count + 1, sizeof **used);
  if (*used == NULL) return ssa_fail(err, "out of memory while generating %s", module);
  if (ssa_emitter_open(e, err) == 0) return 0;
  free(*used);
  return -1;
}

/* State bits no number reads (the remainder of W / bits, unused slots of a group's last row). */
void ssa_emit_prng_unused(FILE *f, const ssa_plan *plan, const uint64_t *used,
                          const char *const bank[]) {
  int first = 1;
  unsigned items = 0;
  for (unsigned l = 0; l < plan->lfsr_count; l++) {
    ssa_lfsr_place at = ssa_plan_lfsr_place(plan, l);
    unsigned g = at.group, width = plan->group[g].width;
    uint64_t spare = ~used[l] & ((((uint64_t)1) << width) - 1);
    while (spare != 0) {
      unsigned lo = (unsigned)__builtin_ctzll(spare), hi = lo;
      while (hi + 1 < width && ((spare >> (hi + 1)) & 1u)) hi++;
      spare &= ~(((((uint64_t)1) << (hi - lo + 1)) - 1) << lo);
      ssa_out(f, "%s%s%s[%u][%u +: %u]", first ? "  wire unused_rnd = ^{" : ",",
              (items % 4 == 3) ? "\n    " : " ", bank[g], at.index, lo,
              hi - lo + 1);
      first = 0;
      items++;
    }
  }
  if (!first) ssa_out(f, "};\n");
}
