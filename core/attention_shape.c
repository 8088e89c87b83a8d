/* attention_shape.c -- the shape both attention kinds share (see attention_shape.h). */
#include "attention_shape.h"

void ssa_attention_shape_default(unsigned *tokens, unsigned *dim, unsigned *heads) {
  *tokens = 16;
  *dim = 16;
  *heads = 1;
}

static int is_power_of_two(unsigned v) { return v != 0 && (v & (v - 1)) == 0; }

static int check_pow2(const char *opt, unsigned v, unsigned max, ssa_error *err) {
  /* 2 is the floor: a select needs at least one bit, and the hardware has no zero-width wires. */
  if (v < 2 || v > max || !is_power_of_two(v))
    return ssa_fail(err, "%s %u: must be a power of two from 2 to %u", opt, v, max);
  return 0;
}

int ssa_attention_shape_check(unsigned tokens, unsigned dim, unsigned heads, unsigned max_tokens,
                              unsigned max_dim, unsigned max_heads, ssa_error *err) {
  if (check_pow2("--tokens", tokens, max_tokens, err) != 0) return -1;
  if (check_pow2("--dim", dim, max_dim, err) != 0) return -1;
  if (heads < 1 || heads > max_heads)
    return ssa_fail(err, "--heads %u: must be from 1 to %u", heads, max_heads);
  return 0;
}
