/* design.h -- a generated design as the simulators see it: Verilog text, top module, ports.
 * Every kind of block (attention now, spiking layers later) fills one of these, so the
 * Verilator and Icarus harnesses never need to know what a block computes. */
#ifndef SSA_DESIGN_H
#define SSA_DESIGN_H

#include <stddef.h>

#define SSA_MAX_PORTS 16
#define SSA_MAX_DESIGN_FILES 32
#define SSA_MAX_DESIGN_PARTS 16

/* One Verilog file: one module, named after it (Verilator's DECLFILENAME rule). */
typedef struct ssa_design_file {
  char name[64];
  char *text;
  size_t len;
} ssa_design_file;

/* One type of part of a design and how many instances it has (docs/synthesis-and-energy.md,
 * "Parts"). A part is a module of its own, named ssa_part_* and kept as hierarchy by
 * synthesis, whose text depends only on `params` (so two designs with equal params hold the
 * same module, whatever else differs); or the LFSRs of one width (module "ssa_lfsr", params
 * "WIDTH=16"); or the glue, the top module's own cells (module = the design's top), whose
 * count is the unit they scale with: the top's flip-flops. Composition (synth/compose.h)
 * prices a design from these counts and the parts' measured figures. */
typedef struct ssa_design_part {
  char module[64];
  char params[96];        /* "D=32", "N=16 W=17": what the module's text depends on */
  unsigned long count;    /* instances (the glue: its unit count) */
  /* 1: the statistics of its inputs depend on the design's size even under i.i.d. stimulus
   * (the exact attention's neuron: its current grows with N), so composition measures the
   * activity of the design's parts in a simulation at the target size (synth/part_sim.h) */
  int size_dependent;
} ssa_design_part;

typedef struct ssa_port {
  char name[32];
  unsigned width;
  int is_input;
} ssa_port;

typedef struct ssa_design {
  char kind[32];        /* "attention" */
  char top[64];         /* module name, e.g. "ssa_attention" */
  unsigned file_count;   /* files[0] holds the top module, the rest the primitives it uses */
  ssa_design_file files[SSA_MAX_DESIGN_FILES];
  unsigned latency;     /* clocks from in_valid_i to out_valid_o */
  unsigned interval;    /* clocks from one accepted step to the next (0 or 1: every clock);
                         * a design that needs more has in_ready_o, low while it is busy */
  unsigned port_count;  /* clk_i is implicit and not listed */
  ssa_port ports[SSA_MAX_PORTS];
  char options[512];    /* generator options that rebuild this design, for messages */
  unsigned part_count;  /* the parts it declares (0: a design that declares none) */
  ssa_design_part parts[SSA_MAX_DESIGN_PARTS];
} ssa_design;

/* What the design is: its kind ("lif"), top module ("ssa_lif_array") and latency in clocks. */
void ssa_design_name(ssa_design *d, const char *kind, const char *top, unsigned latency);
void ssa_design_add_port(ssa_design *d, const char *name, unsigned width, int is_input);
int ssa_design_port_index(const ssa_design *d, const char *name);
/* The stream interface of every generated block, in the order its vectors use: rst_ni,
 * in_valid_i, in_ready_o (when `ready`: a block that can be busy), the `count` data inputs
 * named in `inputs` of `in_width` bits each, out_valid_o, and the data output. */
void ssa_design_add_stream_ports(ssa_design *d, int ready, const char *const *inputs,
                                 unsigned count, unsigned in_width, const char *output,
                                 unsigned out_width);
/* The stream interface's single-bit ports (rst_ni, in_valid_i, in_ready_o, out_valid_o), as
 * against data ports, which are vectors even when one bit wide. */
int ssa_port_is_control(const ssa_port *p);
/* 64-bit words that hold one value of the port. */
size_t ssa_port_words(const ssa_port *p);
/* Declares `count` instances of part `module` whose text depends on `params` (a printf
 * format); the same module and params declared again add to the count. -1: the table is full. */
int ssa_design_add_part(ssa_design *d, const char *module, unsigned long count,
                        const char *params, ...) __attribute__((format(printf, 4, 5)));
/* Marks part `module` size_dependent; -1 when the design declares no such part. */
int ssa_design_part_size_dependent(ssa_design *d, const char *module);
/* The entry of `module` with `params` (NULL: whatever its params), or NULL. */
const ssa_design_part *ssa_design_find_part(const ssa_design *d, const char *module,
                                            const char *params);
/* Adds a file; the design takes ownership of text (malloc'd) -- or copies it when own is 0. */
int ssa_design_add_file(ssa_design *d, const char *name, char *text, size_t len, int own);
void ssa_design_free(ssa_design *d);

#endif
