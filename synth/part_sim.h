/* part_sim.h -- the activity of some of a design's parts measured at the design's own size
 * without synthesizing the whole design. Each of those part modules is synthesized alone, in
 * the flow of measure.h, and:
 *   - generic flow: the rest of the design is synthesized with those modules left as black
 *     boxes, and the two netlists, assembled, are simulated by SSA's gate simulator
 *     (gate_sim.h) on the subject's run: the whole design at gate level, every net settling
 *     once per clock;
 *   - liberty flow: its RTL runs in Verilator with those modules replaced by their gate
 *     netlists, and Verilator's toggle coverage counts.
 * Every output bit of every clock is compared with the golden model, and the toggles of the
 * parts' cells over the steady window (the clocks from the first accepted step to the last
 * result) are charged to their cell types. Composition (compose.h) uses it for the parts whose
 * activity depends on the design's size, and with --at-size for every part. */
#ifndef SSA_PART_SIM_H
#define SSA_PART_SIM_H

#include "measure.h"
#include "part_profile.h"
#include "subject.h"

/* Part module `module` of design d synthesized alone, in the flow of o->synth (the design's
 * other files given, so the primitives it instantiates are there), its netlists kept when
 * `netlist`. Within a whole design ABC may map the same module a little differently: its
 * result depends on the order of the cells it is given, which depends on names generated for
 * the rest of the design (docs/synthesis-and-energy.md). */
int ssa_part_synthesize(const ssa_design *d, const char *module, const ssa_measure_opts *o,
                        int netlist, ssa_synth_result *r, ssa_error *err);
/* s: a subject with a run. For each of the `count` part modules (ssa_part_*, declared by the
 * design), parts[k] gets the part's name, module, params and instances as declared, its cells
 * per instance, and the toggles of their outputs per instance per clock of the window; its
 * `measured` is set. A netlist that differs from the golden model is an error. */
int ssa_part_sim(const ssa_subject *s, const char *const *modules, unsigned count,
                 const ssa_measure_opts *o, ssa_profile_part *parts, ssa_error *err);

#endif
