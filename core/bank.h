/* bank.h -- a plan's LFSRs executed one by one (scalar): the states start at the plan's seeds,
 * number n of a group is read bit by bit with ssa_plan_number_bit, and a step leaps every LFSR
 * its width in shifts, as the hardware does on each accepted input (docs/design.md sections
 * 4.1 and 4.3). A bank plan with random=sobol has no LFSRs: its numbers come from the step
 * count (ssa_plan_build_bank).
 * For small banks (the encoder) and for tests; the attention golden model keeps its own
 * bit-sliced bank for speed, laid out by the same plan helpers. */
#ifndef SSA_BANK_H
#define SSA_BANK_H

#include <stdint.h>

#include "plan.h"

typedef struct ssa_bank {
  const ssa_plan *plan;  /* must outlive the bank */
  uint64_t *state;       /* per LFSR of the plan, in index order */
  uint64_t step;         /* steps since the seeds */
} ssa_bank;

/* Every LFSR at its seed (step 0). */
int ssa_bank_init(ssa_bank *bank, const ssa_plan *plan, ssa_error *err);
void ssa_bank_free(ssa_bank *bank);
/* Back to the seeds. */
void ssa_bank_reset(ssa_bank *bank);
/* The current value of number n of a group: its `bits` bits from the LFSRs
 * (ssa_plan_number_bit); for a sobol bank plan, the step's select XOR the number's offset. */
uint64_t ssa_bank_number(const ssa_bank *bank, unsigned group, ssa_number n);
/* One step: every LFSR leaps its width in shifts (ssa_lfsr_leap); the step count goes up. */
void ssa_bank_leap(ssa_bank *bank);

#endif
