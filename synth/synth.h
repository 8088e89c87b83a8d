/* synth.h -- one synthesis of a generated design with Yosys (and nextpnr-ice40 for iCE40):
 *
 *   generic  synth -flatten; dffunmap; abc -g cmos2; stat -tech cmos   transistor count
 *            then, from the same mapped flip-flops, abc to a 45 nm-like gate set (AND, NAND,
 *            OR, NOR, XOR, XNOR, MUX, AOI/OAI) whose cells the built-in table prices
 *   liberty  synth -flatten; dffunmap; dfflibmap; abc -liberty; stat -liberty   area in um^2
 *   ice40    synth_ice40 inside the FPGA timing harness, then nextpnr-ice40: LUT/FF/BRAM, Fmax
 *   xilinx   synth_xilinx -flatten: LUT/FF/BRAM/DSP (no place and route)
 *
 * In the ASIC flows every module whose name ends in ssa_lfsr keeps its hierarchy, so the
 * figures split into the PRNG (the LFSR modules), the registers (flip-flops outside them) and
 * the datapath (the rest): the split is exact, at the price of no optimisation across the
 * LFSR boundary (there is none to make: an LFSR's state only fans out). So does every part
 * (a module named ssa_part_*, gen/emit_part.h), and the figures split a second way, by part
 * type: each part module, the LFSRs of each width, and the glue (the top module's own cells);
 * no optimisation crosses a part's boundary either. */
#ifndef SSA_SYNTH_H
#define SSA_SYNTH_H

#include "../common/error.h"
#include "../core/design.h"
#include "liberty.h"
#include "yosys_stat.h"

typedef enum { SSA_FLOW_GENERIC, SSA_FLOW_LIBERTY, SSA_FLOW_ICE40, SSA_FLOW_XILINX } ssa_flow;
int ssa_flow_parse(const char *name, ssa_flow *out);
const char *ssa_flow_name(ssa_flow f);
/* The ABC script of every ASIC mapping: part of what a cached measurement depends on. */
const char *ssa_synth_abc_script(void);

typedef enum { SSA_PART_PRNG, SSA_PART_DATAPATH, SSA_PART_REGISTERS, SSA_PART_COUNT } ssa_part;
const char *ssa_part_name(ssa_part p);

typedef struct ssa_synth_opts {
  ssa_flow flow;
  const ssa_liberty *liberty;  /* liberty flow: the library read by the caller */
  const char *liberty_path;    /* and its file (plain or gzip'd) */
  const char *work_dir;        /* NULL: a temporary directory, removed at the end */
  int netlist;                 /* generic, liberty: keep the gate netlists (ssa_synth_result) */
  int progress;                /* progress lines on stderr */
  const char *ice40_device;    /* "hx8k" (default), "hx1k", "lp8k", "up5k" */
  /* generic: these modules (names separated by spaces) stay black boxes, and the rest of the
   * design is only written as JSON (json_netlist) in Yosys's simple gates, unmapped and with
   * no figures: the surroundings of parts synthesized alone, to simulate them (part_sim.h) */
  const char *blackbox;
  /* generic: no transistor count (0 in the result), which maps the design with ABC a second
   * time; energy measurement never needs it */
  int no_transistors;
} ssa_synth_opts;

typedef struct ssa_synth_part {
  ssa_cell_count *cells;       /* by type, sorted */
  size_t cell_types;
  unsigned long cells_total, flops;
  unsigned long long transistors;   /* generic */
} ssa_synth_part;

/* One part type (docs/synthesis-and-energy.md, "Parts"): a module named ssa_part_* (named
 * after it), the LFSRs of one width ("ssa_lfsr W=16"), or the glue ("glue": the top module's
 * own cells). The types partition the design's cells. */
#define SSA_SYNTH_MAX_GROUPS 24
#define SSA_GLUE_NAME "glue"
typedef struct ssa_synth_group {
  char name[64];
  unsigned long instances;     /* the glue: 1 */
  ssa_synth_part cells;        /* all instances together */
} ssa_synth_group;

/* A module of the netlist and the part type its cells belong to. */
typedef struct ssa_synth_module {
  char name[160];              /* as Yosys names it ("$paramod$4ff2...\ssa_lfsr") */
  unsigned group;              /* index into ssa_synth_result.group */
} ssa_synth_module;

typedef struct ssa_synth_result {
  ssa_flow flow;
  char top[64];
  ssa_synth_part total;
  ssa_synth_part part[SSA_PART_COUNT];   /* generic, liberty */
  ssa_synth_group group[SSA_SYNTH_MAX_GROUPS];  /* generic, liberty: by part type */
  unsigned group_count;
  ssa_synth_module *modules;    /* every module of the netlist (malloc'd) */
  size_t module_count;
  double yosys_area_um2;        /* liberty: Yosys's chip area, submodules included (a check) */
  /* FPGA flows: resources of the design, harness included for ice40 (harness_* says how much) */
  unsigned long luts, flops, brams, carries, dsps;
  unsigned harness_flops, harness_luts;
  double fmax_mhz;              /* ice40, from nextpnr */
  unsigned lc_used, lc_available;
  char device[16];
  /* generic, liberty with opts->netlist: the netlist as simulated (expressions) and with every
   * cell an instance (for netlist.h); malloc'd */
  char *netlist, *cell_netlist;
  /* generic with opts->netlist: the same netlist as Yosys's JSON, for SSA's own gate
   * simulator (gate_sim.h); malloc'd */
  char *json_netlist;
  double seconds;               /* wall time of the tools */
} ssa_synth_result;

/* 0 done; -1 a tool failed or bad input (err); SSA_SYNTH_TOO_LARGE the design does not fit
 * the flow's device (err says by how much). */
#define SSA_SYNTH_TOO_LARGE (-2)
int ssa_synth_run(const ssa_design *d, const ssa_synth_opts *o, ssa_synth_result *r,
                  ssa_error *err);
void ssa_synth_result_free(ssa_synth_result *r);
/* The part type of a module of r's netlist (an index into r->group), -1 when r has none. */
int ssa_synth_group_of(const ssa_synth_result *r, const char *module);

/* Output pins of the cells the ASIC flows produce: Y of the generic gates, Q of the flip-flop,
 * or for a Liberty cell the pins the library declares as outputs (ctx: the ssa_liberty). */
int ssa_generic_output_pin(const void *ctx, const char *type, const char *pin);
int ssa_liberty_output_pin(const void *ctx, const char *type, const char *pin);
/* Whether a cell type is a flip-flop: a Yosys $_DFF..., $_SDFF... or a Liberty ff cell. */
int ssa_cell_is_flop(const ssa_liberty *lib, const char *type);
/* Whether a module (as Yosys names it) or a part type's name is a random-number source, whose
 * cells count as the PRNG: the LFSR primitive ("...ssa_lfsr", "ssa_lfsr W=16") or a generated
 * part named ssa_part_prng_* (the Sobol counter). */
int ssa_module_is_prng(const char *name);

#endif
