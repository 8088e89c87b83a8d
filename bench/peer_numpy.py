#!/usr/bin/env python3
"""peer_numpy.py -- the peer a user would otherwise write: a plain numpy bit-stream simulation
of the SC attention block in share=unit, reduce=mux mode, one head (docs/design.md section 1).

Usage: peer_numpy.py N D T P   (tokens, dimensions, steps, spike probability of the inputs)

Each step: i.i.d. Q, K, V spikes with probability P (N x D each); per score unit (i, j) a
uniform select r_ij in [0, D): s_ij = Q[i, r_ij] & K[j, r_ij]; per output unit (i, d) a
uniform select c_id in [0, N): o_id = s[i, c_id] & V[c_id, d]; the output spikes of each
(i, d) are counted over the T steps. Every unit of a step is computed at once with fancy
indexing, the random numbers drawn by numpy's default_rng (PCG64), no Python loop over units.

Prints the steps per (wall) second of T steps on random inputs and a checksum (the total
output spike count), then checks its own statistics: on fixed inputs, the mean output rate over T
steps must lie within 5 standard errors of the mean of (Q K^T V) / (N D), the value the SC
block estimates without bias. Exit 0 when the check passes (or numpy is missing: then it
prints "skipped: no numpy"), 1 when it fails, 2 on bad usage.
"""
import sys
import time


def step(rng, q, k, v, rows_n, cols_d):
    """One step of the block: the N x D output spikes for inputs q, k, v (bool N x D)."""
    n, d = q.shape
    r = rng.integers(0, d, size=(n, n))           # score unit (i, j) samples column r_ij
    s = q[rows_n, r] & k[rows_n.T, r]             # s_ij = Q[i, r_ij] & K[j, r_ij]
    c = rng.integers(0, n, size=(n, d))           # output unit (i, d) samples token c_id
    return s[rows_n, c] & v[c, cols_d]            # o_id = s[i, c_id] & V[c_id, d]


def main(argv):
    if len(argv) != 5:
        print("usage: peer_numpy.py N D T P", file=sys.stderr)
        return 2
    try:
        n, d, steps, p = int(argv[1]), int(argv[2]), int(argv[3]), float(argv[4])
    except ValueError:
        print("usage: peer_numpy.py N D T P (integers N D T, probability P)", file=sys.stderr)
        return 2
    if n < 1 or d < 1 or steps < 2 or not 0.0 <= p <= 1.0:
        print("peer_numpy.py: needs N, D >= 1, T >= 2 and 0 <= P <= 1", file=sys.stderr)
        return 2
    try:
        import numpy as np
    except ImportError:
        print("peer_numpy N=%d D=%d T=%d P=%g skipped: no numpy for %s" % (n, d, steps, p, sys.executable))
        return 0

    rng = np.random.default_rng(1)
    rows_n = np.arange(n)[:, None]
    cols_d = np.arange(d)[None, :]

    # timed: fresh i.i.d. inputs every step, as ssa sim attention --rate P
    counts = np.zeros((n, d), dtype=np.int64)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(steps):
        q, k, v = rng.random((3, n, d)) < p
        counts += step(rng, q, k, v, rows_n, cols_d)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    checksum = int(counts.sum())
    print("peer_numpy N=%d D=%d T=%d P=%g: %.0f steps/s, checksum %d (output spikes), numpy %s, "
          "%.0f steps per cpu second" % (n, d, steps, p, steps / seconds, checksum, np.__version__,
                                         steps / cpu if cpu > 0 else float("inf")))

    # self-check: fixed inputs, per-step mean rates against the exact expectation
    q, k, v = np.random.default_rng(2).random((3, n, d)) < p
    qi, ki, vi = (x.astype(np.int64) for x in (q, k, v))
    expect = float((qi @ ki.T @ vi).mean()) / (n * d)
    means = np.empty(steps)
    for t in range(steps):
        means[t] = step(rng, q, k, v, rows_n, cols_d).mean()
    rate = float(means.mean())
    se = float(means.std(ddof=1)) / steps ** 0.5
    off = abs(rate - expect) / se if se > 0 else (0.0 if rate == expect else float("inf"))
    ok = off <= 5.0
    print("self-check on fixed inputs: mean rate %.6f, mean (Q K^T V)/(N D) %.6f, %.2f standard "
          "errors apart: %s" % (rate, expect, off, "ok" if ok else "FAILED (more than 5)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
