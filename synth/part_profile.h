/* part_profile.h -- a measured design by part type (docs/synthesis-and-energy.md, "Parts"):
 * for each part the design declares (core/design.h) -- a part module, the LFSRs of a width, the
 * glue -- its cells of each type per instance and the output toggles of those cells per
 * instance: per clock of the steady window, and in its first clock apart. This is what composition (compose.h) carries from a
 * small design to a large one. A profile is saved as text so that a base design is measured
 * once (compose.h keeps them in the cache directory). */
#ifndef SSA_PART_PROFILE_H
#define SSA_PART_PROFILE_H

#include "../core/design.h"
#include "activity.h"
#include "synth.h"

/* The steady window's first clock is apart: its inputs change from reset's zeros rather than
 * from another step's, and enables rise, so it toggles differently from the others; a base
 * measured over many steps would otherwise spread it thinly, and a target of T steps weighs
 * it 1/T (compose.h). */
typedef struct ssa_profile_cell {
  char type[128];
  double cells;        /* per instance (the glue: per unit) */
  double toggles;      /* of their outputs, per instance per clock of the steady window after
                        * its first clock (a measured target, part_sim.h: of every clock) */
  double first;        /* of their outputs, per instance, in the window's first clock */
} ssa_profile_cell;

typedef struct ssa_profile_part {
  char name[64];             /* the part type as synthesis names it (ssa_synth_group) */
  char module[64];           /* and as the design declares it (ssa_design_part) */
  char params[96];
  unsigned long instances;   /* the glue: its units (the top's flip-flops) */
  /* toggles measured in the design of this profile's own size (part_sim.h), where a profile
   * holds a composition's target: priced as they are, not from the base's rates */
  int measured;
  ssa_profile_cell *cells;   /* sorted by type */
  size_t cell_types;
} ssa_profile_part;

typedef struct ssa_profile {
  char design[600];          /* "KIND OPTIONS", for messages */
  unsigned cycles, steps;    /* the steady window it was measured over */
  ssa_profile_part part[SSA_SYNTH_MAX_GROUPS];
  unsigned count;
} ssa_profile;

/* The profile of design d (its parts declared) from its synthesis r and the activity a of its
 * netlist. Every synthesized part type must be a declared part with the declared number of
 * instances, and the glue's flip-flops its declared units: an emitter that declares its parts
 * wrongly is an error naming the part. `what` names the design in messages. */
int ssa_profile_from(const ssa_design *d, const ssa_synth_result *r, const ssa_activity *a,
                     const char *what, ssa_profile *p, ssa_error *err);
/* The part of type `name` ("ssa_part_sc_score", "ssa_lfsr W=16", "glue"), or NULL. */
const ssa_profile_part *ssa_profile_find(const ssa_profile *p, const char *name);
/* The part type's name of a declared part of design d: its module, "ssa_lfsr W=<WIDTH>", or
 * "glue" for the top's entry. */
void ssa_profile_part_name(const ssa_design *d, const ssa_design_part *dp, char *out,
                           size_t size);
/* Text form (one line per part and per cell type, tab-separated); `name` for messages. */
int ssa_profile_write(const ssa_profile *p, const char *path, ssa_error *err);
int ssa_profile_parse(const char *name, const char *text, ssa_profile *p, ssa_error *err);
void ssa_profile_free(ssa_profile *p);

#endif
