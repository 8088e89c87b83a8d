/* parallel.h -- runs one function on several threads and waits for all of them. Training
 * and evaluation split their images over the machine's cores this way; each thread owns its
 * network run and gradient buffer, so the threads share nothing they write. */
#ifndef SSA_PARALLEL_H
#define SSA_PARALLEL_H

#include "../common/error.h"

#define SSA_MAX_THREADS 64u

/* fn(ctx, k) for k = 0 .. threads-1, concurrently; returns once all have finished. */
int ssa_parallel(unsigned threads, void (*fn)(void *ctx, unsigned k), void *ctx, ssa_error *err);
/* Online processors, at least 1 and at most SSA_MAX_THREADS. */
unsigned ssa_cpu_count(void);

#endif
