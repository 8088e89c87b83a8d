/* bank.c -- the scalar LFSR bank of a plan (see bank.h). */
#include "bank.h"

#include <stdlib.h>
#include <string.h>

#include "lfsr.h"
#include "sobol.h"

int ssa_bank_init(ssa_bank *bank, const ssa_plan *plan, ssa_error *err) {
  bank->plan = plan;
  bank->state = malloc(sizeof *bank->state * (plan->lfsr_count + 1));
  if (bank->state == NULL)
    return ssa_fail(err, "out of memory for %u LFSR states", plan->lfsr_count);
  ssa_bank_reset(bank);
  return 0;
}

void ssa_bank_free(ssa_bank *bank) {
  free(bank->state);
  bank->state = NULL;
}

void ssa_bank_reset(ssa_bank *bank) {
  memcpy(bank->state, bank->plan->seeds, sizeof *bank->state * bank->plan->lfsr_count);
  bank->step = 0;
}

uint64_t ssa_bank_number(const ssa_bank *bank, unsigned group, ssa_number n) {
  const ssa_plan *plan = bank->plan;
  unsigned bits = plan->group[group].bits;
  if (plan->params.random == SSA_RANDOM_SOBOL) {
    unsigned select = ssa_bit_reverse((unsigned)(bank->step & ((1u << bits) - 1u)), bits);
    return select ^ plan->offsets[group][ssa_plan_bank_slot(n)];
  }
  uint64_t value = 0;
  for (unsigned k = 0; k < bits; k++) {
    ssa_field_ref ref = ssa_plan_number_bit(plan, group, n, k);
    value |= ((bank->state[ref.lfsr] >> ref.bit) & 1u) << k;
  }
  return value;
}

void ssa_bank_leap(ssa_bank *bank) {
  for (unsigned g = 0; g < SSA_GROUP_COUNT; g++) {
    const ssa_field_group *grp = &bank->plan->group[g];
    uint64_t *state = &bank->state[grp->first_lfsr];
    for (unsigned l = 0; l < grp->lfsr_count; l++)
      state[l] = ssa_lfsr_leap(state[l], grp->taps, grp->width);
  }
  bank->step++;
}
