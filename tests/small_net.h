/* small_net.h -- the small networks the tests of the trainable network build (test_net,
 * test_rtl_check): a shape of a few units, and a network built from it or the test fails.
 * Header-only, like skip.h; include it after cmocka.h. */
#ifndef SSA_TEST_SMALL_NET_H
#define SSA_TEST_SMALL_NET_H

#include "../train/net.h"

/* The default shape of `model` with E = embed, H = heads, F = hidden and T = steps. */
static inline ssa_net_shape small_shape(enum ssa_net_model model, unsigned embed, unsigned heads,
                                        unsigned hidden, unsigned steps) {
  ssa_net_shape s;
  ssa_net_shape_default(&s, model);
  s.embed = embed;
  s.heads = heads;
  s.hidden = hidden;
  s.steps = steps;
  return s;
}

static inline void small_net_new(ssa_net *net, const ssa_net_shape *shape) {
  ssa_error err = {{0}};
  if (ssa_net_new(net, shape, &err) != 0) fail_msg("ssa_net_new: %s", err.msg);
}

#endif
