/* real.h -- the number type of the trainable network.
 * Training runs in float: twice the SIMD lanes of double, and SGD noise dwarfs rounding. The
 * gradient-check test compiles the same sources with SSA_REAL_DOUBLE, because a finite
 * difference in float cannot resolve the small gradients it must compare. */
#ifndef SSA_REAL_H
#define SSA_REAL_H

#ifdef SSA_REAL_DOUBLE
typedef double ssa_real;
#else
typedef float ssa_real;
#endif

#endif
