/* clock.h -- wall-clock seconds for the speed figures (engine runs, benchmarks). */
#ifndef SSA_CLOCK_H
#define SSA_CLOCK_H

/* Seconds on the monotonic clock, from an arbitrary origin. */
double ssa_seconds_now(void);

#endif
