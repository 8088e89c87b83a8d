/* lif_params.h -- the parameters of an integer LIF neuron (golden/lif.h defines the neuron):
 * their ranges, defaults and check, and their command-line form. Emitters and golden models
 * both read them. */
#ifndef SSA_LIF_PARAMS_H
#define SSA_LIF_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "../common/error.h"

#define SSA_LIF_MIN_WIDTH 2u   /* 1 bit would leave no positive threshold */
#define SSA_LIF_MAX_WIDTH 32u  /* THRESHOLD must fit a Verilog integer parameter */
#define SSA_LIF_MAX_CURRENT_BITS 40u  /* |I| < 2^40 keeps every sum far inside int64_t */

enum ssa_lif_reset { SSA_LIF_RESET_ZERO, SSA_LIF_RESET_SUBTRACT };

typedef struct ssa_lif_params {
  unsigned width;            /* W: membrane bits, signed */
  unsigned leak_shift;       /* L: leak u >>> L per step, beta = 1 - 2^-L */
  int64_t threshold;         /* theta: spike when v >= theta */
  enum ssa_lif_reset reset;  /* what a spike leaves in the membrane */
} ssa_lif_params;

/* W = 16, L = 1, theta = 64, reset zero. */
void ssa_lif_params_default(ssa_lif_params *p);
/* 0 when every field is in range, else -1 with one line naming the CLI option:
 * "--width 1: must be from 2 to 32". */
int ssa_lif_params_check(const ssa_lif_params *p, ssa_error *err);

extern const char *const ssa_lif_reset_names[];  /* "zero", "subtract", NULL: in enum order */
/* "zero" / "subtract" (the --reset values); "?" for a value outside the enum. */
const char *ssa_lif_reset_name(enum ssa_lif_reset r);
/* 0 and *out set for "zero" or "subtract"; -1 (and *out untouched) for any other text. */
int ssa_lif_reset_parse(const char *text, enum ssa_lif_reset *out);


#endif
