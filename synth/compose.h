/* compose.h -- energy and area of a design composed from measured parts
 * (docs/synthesis-and-energy.md, "Composition"), instead of synthesizing and simulating the
 * whole gate netlist:
 *
 *   the target's parts and their instance counts   from emitting it (core/design.h)
 *   cells of one instance of a part module          a Yosys run of that module alone, same flow
 *   cells of an LFSR of width W, of the glue        those of the base, per instance or per unit
 *   toggles per clock of a cell of type c in part P  those of the base design: a design of the
 *                                                   same kind and options with N = base_tokens,
 *                                                   measured at gate level (measure.h) over its
 *                                                   steady window, stimulus --rate P
 *
 * then priced as the measurement prices a netlist (energy.h), with the target's own mean load.
 * The target's steady window has W = (T - 1) x interval + latency clocks for its T steps; its
 * first clock, whose inputs change from reset's zeros, is priced from the base's first clock:
 *
 *   toggles(P, c)  = instances(P) x cells(P, c) x (first(P, c) + (W - 1) x rate(P, c)) / T
 *   rate(P, c)     = base toggles of the cells of type c in part P per instance per clock of
 *                    its window after the first, over base cells(P, c); first(P, c) the same
 *                    in the window's first clock (a type the base part lacks: the part's mean
 *                    over all its cells)
 *   dynamic        = sum of toggles(P, c) x (E_int(c) + 1/2 C_load V^2)
 *   clock          = flip-flops x W / T x E_clk;   leakage = P_leak x W / T / f
 *   C_load         = input capacitance of every composed cell input / composed cell outputs
 *
 * A part whose instance has the same cells as in the base gets exactly the base's measured
 * toggles per instance. A design that declares a part size-dependent (core/design.h: the
 * statistics of its inputs change with N) has instead the activity of each of its parts whose
 * module differs from the base's measured at the target's size, and with at_size every part
 * has: its cells those of the part module synthesized alone, their toggles those of a
 * simulation of the target on T steps with those parts at gate level (part_sim.h), priced as
 * they are. The glue and the LFSRs keep the base's rates. */
#ifndef SSA_COMPOSE_H
#define SSA_COMPOSE_H

#include "liberty.h"
#include "measure.h"
#include "part_profile.h"

typedef struct ssa_composed_part {
  char name[64];
  unsigned long instances;     /* the glue: its units */
  int same;                    /* one instance has the base's cells: measured activity as is */
  int measured;                /* its activity measured at the target's size (part_sim.h) */
  double cells, flops, area_um2;
  double toggles;              /* per step */
  double dynamic_fj, clock_fj, leakage_fj;   /* per step */
} ssa_composed_part;

typedef struct ssa_composition {
  char design[600], base[600];     /* "KIND OPTIONS" of the target and of the base */
  ssa_composed_part part[SSA_SYNTH_MAX_GROUPS];
  unsigned count;
  ssa_composed_part total;
  /* the same cells split as measure.h splits a netlist: the LFSRs are the PRNG, other
   * flip-flops the registers, the rest the datapath (instances unused) */
  ssa_composed_part split[SSA_PART_COUNT];
  double load_ff, voltage_v, clock_mhz;
  double clocks_per_step;      /* W / T */
  double per_step_fj;          /* total dynamic + clock + leakage per step */
  unsigned steps;              /* T */
  double per_attention_fj;     /* per step x T */
  double seconds;              /* wall time of the composition (a measured base included) */
  int base_cached;             /* the base's profile came from the cache */
  char base_key[17];           /* the key of the base's profile: its hash, 16 hex digits */
} ssa_composition;

/* The arithmetic above, for a target window of `window` clocks holding `steps` steps:
 * `target` is a profile of the target whose parts hold their instances and cells per instance
 * (and, for a part `measured` at the target's size, its toggles per instance per clock of the
 * window, priced as they are). Every target part needs a base part of its name. */
int ssa_compose_price(const ssa_profile *base, const ssa_profile *target, double window,
                      unsigned steps, const ssa_liberty *lib, double clock_mhz,
                      ssa_composition *c, ssa_error *err);

#define SSA_COMPOSE_BASE_STEPS 64u

typedef struct ssa_compose_opts {
  unsigned base_tokens;        /* N of the base design */
  unsigned steps;              /* T: the target's steady window and energy per attention */
  /* steps of the base's run (0: SSA_COMPOSE_BASE_STEPS): the more, the smaller the sampling
   * error of its toggle rates, and the less its first clock weighs (the one step that changes
   * from reset's zero inputs rather than from another step) */
  unsigned base_steps;
  double rate;                 /* --rate stimulus of the base */
  ssa_measure_opts measure;    /* flow (generic or liberty), library, Verilator cache, clock */
  const char *profile_dir;     /* where base profiles are kept; NULL: <cache>/compose, the
                                * cache being measure.cache_dir, $SSA_CACHE_DIR, ... */
  /* measure the activity of every part at the target's size (part_sim.h; a design with a
   * size-dependent part always does for the parts whose module differs from the base's):
   * slower (each part synthesized alone, the target simulated at gate level), closer where a
   * part's structure or the statistics of its inputs change with N */
  int at_size;
  /* with at_size: the target's stimulus from this file (the kind's --input format, e.g. what
   * `ssa capture` writes), its first `steps` steps, instead of --rate; the base, and with it
   * the glue's and the LFSRs' activity, stays on --rate stimulus. NULL: --rate */
  const char *input;
  int progress;                /* progress lines on stderr */
} ssa_compose_opts;

/* Composes design `kind` with generator `options` ("--tokens 64 --dim 32 --share row"), with
 * the base the same options followed by --tokens base_tokens. The base is measured (or its
 * profile read from the cache: the key is its design files, its stimulus, the flow and the
 * library); a base whose netlist differs from the golden model is an error. */
int ssa_compose(const char *kind, const char *options, const ssa_compose_opts *o,
                ssa_composition *c, ssa_error *err);

/* Keeps measurement m of subject s (a whole netlist measured with o->measure, s run on
 * o->base_steps of o->rate stimulus) as the base profile a composition with options o would
 * otherwise measure again: for a caller that measures the base size anyway (ssa report).
 * key[17] gets the profile's key, which the composition that finds it states (base_key). */
int ssa_compose_keep_base(const ssa_subject *s, const ssa_compose_opts *o,
                          const ssa_measurement *m, char key[17], ssa_error *err);

/* Per part type and in total, the composition against a measurement of the same design:
 * energies per step and areas, and the relative errors composed / measured - 1. */
typedef struct ssa_compose_error {
  char name[64];
  double composed_pj, measured_pj, energy_error;   /* per step */
  double composed_um2, measured_um2, area_error;
} ssa_compose_error;
/* errors[0 .. c->count-1] the parts in c's order, errors[c->count] the total. A part type the
 * measurement lacks is an error. */
int ssa_compose_compare(const ssa_composition *c, const ssa_energy *measured,
                        ssa_compose_error *errors, ssa_error *err);

#endif
