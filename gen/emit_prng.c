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
    ssa_out(f, "  wire [W%s-1:0] %s [0:%u];\n", tag[g], bank[g], grp->lfsr_count - 1);
    for (unsigned lfsr = 0; lfsr < plan->lfsr_count; lfsr++) {
      ssa_lfsr_place at = ssa_plan_lfsr_place(plan, lfsr);
      if (at.group != g) continue;
      ssa_out(f, "  ssa_lfsr #(.WIDTH(W%s), .TAPS(TAPS_%s), .SEED(%u'h%llx)) u_lfsr_%s_%u (\n"
                 "    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(%s), .state_o(%s[%u]));\n",
              tag[g], tag[g], grp->width, (unsigned long long)plan->seeds[lfsr], lower, at.index,
              enable, bank[g], at.index);
    }
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
