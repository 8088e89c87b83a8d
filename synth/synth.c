/* synth.c -- Yosys (and nextpnr-ice40) runs and their figures (see synth.h). */
#include "synth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/cleanup.h"
#include "../common/args.h"
#include "../common/clock.h"
#include "../common/outfile.h"
#include "../common/process.h"
#include "../common/text.h"
#include "fpga_harness.h"
#include "nextpnr_report.h"

static const char *const flow_names[] = {"generic", "liberty", "ice40", "xilinx"};
static const char *const part_names[] = {"prng", "datapath", "registers"};

int ssa_flow_parse(const char *name, ssa_flow *out) {
  int k = ssa_name_index(flow_names, 4, name);
  if (k >= 0) *out = (ssa_flow)k;
  return k >= 0 ? 0 : -1;
}

const char *ssa_flow_name(ssa_flow f) { return flow_names[f]; }
const char *ssa_part_name(ssa_part p) { return part_names[p]; }

/* The gate set of the generic flow's second mapping: each has a one-cell counterpart in a
 * 45 nm standard-cell library (synth/cell_table.c), so the built-in table prices it. */
#define GENERIC_GATES "AND,NAND,OR,NOR,XOR,XNOR,MUX,AOI3,OAI3,AOI4,OAI4"

/* Every ASIC mapping's ABC script: Yosys's default for gates and libraries less its first SAT
 * sweep (&get -n; &fraig -x; &put). On the int8 ANN's 32-term dot product that sweep took
 * nearly all of each mapping's 6 minutes and changed the result by 0.2-0.3 % in cells
 * (bench/RESULTS.md); every design, SC and ANN alike, is mapped with this one script. */
#define ABC_SCRIPT "-script +strash;scorr;dc2;dretime;strash;&get,-n;&dch,-f;&nf,{D};&put"

const char *ssa_synth_abc_script(void) { return ABC_SCRIPT; }

int ssa_generic_output_pin(const void *ctx, const char *type, const char *pin) {
  (void)ctx;
  if (strncmp(type, "$_", 2) != 0) return 0;
  return strcmp(pin, "Y") == 0 || strcmp(pin, "Q") == 0;
}

int ssa_liberty_output_pin(const void *ctx, const char *type, const char *pin) {
  const ssa_liberty_cell *c = ssa_liberty_find((const ssa_liberty *)ctx, type);
  return c != NULL && ssa_liberty_cell_is_output(c, pin);
}

int ssa_cell_is_flop(const ssa_liberty *lib, const char *type) {
  if (strncmp(type, "$_", 2) == 0)
    return strncmp(type, "$_DFF", 5) == 0 || strncmp(type, "$_SDFF", 6) == 0 ||
           strncmp(type, "$_ALDFF", 7) == 0;
  const ssa_liberty_cell *c = lib != NULL ? ssa_liberty_find(lib, type) : NULL;
  return c != NULL && c->is_flop;
}

int ssa_module_is_prng(const char *name) {
  return strstr(name, "ssa_lfsr") != NULL || strstr(name, "ssa_part_prng_") != NULL;
}

static int is_prng_module(const char *name) { return ssa_module_is_prng(name); }

/* The name of module m's part type: a part's own name (without a $paramod prefix, should a
 * part ever take parameters), "ssa_lfsr W=<its flip-flops>", or the glue for the top. */
static void group_name(const ssa_stat_module *m, int top, const ssa_liberty *lib, char *out,
                       size_t size) {
  const char *part = strstr(m->name, "ssa_part_");
  if (top) {
    snprintf(out, size, "%s", SSA_GLUE_NAME);
  } else if (is_prng_module(m->name) && part == NULL) {  /* an LFSR, named by its width */
    unsigned long flops = 0;
    for (size_t k = 0; k < m->cell_types; k++)
      if (ssa_cell_is_flop(lib, m->cells[k].type)) flops += m->cells[k].count;
    snprintf(out, size, "ssa_lfsr W=%lu", flops);
  } else {
    snprintf(out, size, "%.63s", part != NULL ? part : m->name);
  }
}

/* The index of part type `name` in r, added when new; -1 when the table is full. */
static int group_index(ssa_synth_result *r, const char *name) {
  for (unsigned g = 0; g < r->group_count; g++)
    if (strcmp(r->group[g].name, name) == 0) return (int)g;
  if (r->group_count >= SSA_SYNTH_MAX_GROUPS) return -1;
  snprintf(r->group[r->group_count].name, sizeof r->group[0].name, "%s", name);
  return (int)r->group_count++;
}

/* Records module `name` as of part type g (once). */
static int note_module(ssa_synth_result *r, const char *name, unsigned g, ssa_error *err) {
  for (size_t k = 0; k < r->module_count; k++)
    if (strcmp(r->modules[k].name, name) == 0) return 0;
  ssa_synth_module *grown = realloc(r->modules, (r->module_count + 1) * sizeof *grown);
  if (grown == NULL) return ssa_fail(err, "out of memory");
  r->modules = grown;
  snprintf(grown[r->module_count].name, sizeof grown[0].name, "%s", name);
  grown[r->module_count++].group = g;
  return 0;
}

int ssa_synth_group_of(const ssa_synth_result *r, const char *module) {
  for (size_t k = 0; k < r->module_count; k++)
    if (strcmp(r->modules[k].name, module) == 0) return (int)r->modules[k].group;
  return -1;
}

/* ---- the work directory ---- */

typedef struct workdir {
  char path[4096];
  int temporary;
} workdir;

static int work_open(workdir *w, const char *given, ssa_error *err) {
  if (given != NULL) {
    snprintf(w->path, sizeof w->path, "%s", given);
    w->temporary = 0;
    if (mkdir(given, 0777) != 0 && errno != EEXIST)
      return ssa_fail(err, "%s: cannot create the directory (%s)", given, strerror(errno));
    return 0;
  }
  const char *tmp = getenv("TMPDIR");
  snprintf(w->path, sizeof w->path, "%s/ssa-synth-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
  if (ssa_cleanup_mkdtemp(w->path) == NULL)
    return ssa_fail(err, "synth: cannot create a directory in %s (%s)", w->path, strerror(errno));
  w->temporary = 1;
  return 0;
}

/* Removes a temporary directory; `keep` leaves it (a failed tool's log is in it, and the
 * message names the log). Either way a signal no longer removes it. */
static void work_close(workdir *w, int keep) {
  if (w->temporary && !keep) ssa_remove_tree(w->path);
  if (w->temporary) ssa_cleanup_forget(w->path);
}

static int work_file(const workdir *w, const char *name, char *out, size_t size,
                     ssa_error *err) {
  if ((size_t)snprintf(out, size, "%s/%s", w->path, name) >= size)
    return ssa_fail(err, "%s: path too long", w->path);
  return 0;
}

static int work_write(const workdir *w, const char *name, const char *text, size_t len,
                      ssa_error *err) {
  char path[4200];
  if (work_file(w, name, path, sizeof path, err) != 0) return -1;
  return ssa_write_file(path, text, len, err);
}

static int work_read(const workdir *w, const char *name, char **text, ssa_error *err) {
  char path[4200];
  size_t len;
  if (work_file(w, name, path, sizeof path, err) != 0) return -1;
  return ssa_read_file(path, text, &len, err);
}

/* ---- scripts ---- */

/* read_verilog of the design's files but `except` (NULL: none), and of `extra`; 1 when `except`
 * is one of them. */
static int read_design_except(ssa_text *s, const ssa_design *d, const char *except,
                              const char *extra) {
  int found = 0;
  ssa_text_printf(s, "read_verilog");
  for (unsigned k = 0; k < d->file_count; k++) {
    if (except != NULL && strcmp(d->files[k].name, except) == 0) found = 1;
    else ssa_text_printf(s, " %s", d->files[k].name);
  }
  if (extra != NULL) ssa_text_printf(s, " %s", extra);
  ssa_text_printf(s, "\n");
  return found;
}

static void read_design(ssa_text *s, const ssa_design *d, const char *extra) {
  read_design_except(s, d, NULL, extra);
}

/* The ASIC flows' common start: the LFSR modules keep their hierarchy (the PRNG split), and so
 * do the parts (ssa_part_*: the split by part type); the rest is flattened; dffunmap turns enable and reset flip-flops into plain ones and gates,
 * without which the cmos transistor count is wrong and a library without enable flip-flops
 * cannot be mapped. */
static void asic_front(ssa_text *s, const ssa_design *d) {
  read_design(s, d, NULL);
  ssa_text_printf(s, "hierarchy -check -top %s\n"
         "setattr -mod -set keep_hierarchy 1 $paramod*ssa_lfsr ssa_lfsr ssa_part_*\n"
         "synth -flatten -top %s\n"
         "dffunmap\n", d->top, d->top);
}

/* Private names become short public ones, so the netlist written with expressions (for
 * Verilator) and the one written with instances (for netlist.h) name every net alike. */
static void asic_netlists(ssa_text *s) {
  ssa_text_printf(s, "rename -enumerate -pattern ssa_n%% *\n"
         "write_verilog -noattr -noexpr netlist_cells.v\n");
}

/* The rest of a design whose parts are black boxes, only to be simulated around them
 * (part_sim.h): any correct netlist of Yosys's simple gates will do, so no ABC mapping and one
 * round of folding and merging instead of `synth`'s many. The LFSRs are read as a library (a
 * black box whose cells keep their parameters): the gate simulator builds each from its
 * WIDTH, TAPS and SEED (gate_sim.c), where Yosys would derive, fold and merge one module per
 * seed -- 8 000 at N = 64 in the unit mode, 110 of the 120 s its surroundings took. No
 * opt_clean: the cells it would remove are few (3 % of the SC unit mode's at N = 64), while on
 * the ANN's top at N = 64, with 20 000 black boxes wired through wide vectors, it took 52 of
 * Yosys's 96 s (bench/RESULTS.md). */
static void surroundings_script(ssa_text *s, const ssa_design *d, const char *blackbox) {
  const char *lfsr = "ssa_lfsr.v";
  if (read_design_except(s, d, lfsr, NULL)) ssa_text_printf(s, "read_verilog -lib %s\n", lfsr);
  ssa_text_printf(s, "hierarchy -check -top %s\n"
         "blackbox %s\n"
         "proc\n"
         "flatten\n"
         "techmap\n"
         "opt_expr\n"
         "opt_merge\n"
         "dffunmap\n"
         "write_json netlist.json\n", d->top, blackbox);
}

static void generic_script(ssa_text *s, const ssa_design *d, int transistors) {
  asic_front(s, d);
  if (transistors)
    ssa_text_printf(s, "design -save unmapped\n"
           "abc -g cmos2 " ABC_SCRIPT "\n"
           "opt_clean\n"
           "tee -q -o cmos.txt stat -tech cmos\n"
           "design -load unmapped\n");
  ssa_text_printf(s, "abc -g " GENERIC_GATES " " ABC_SCRIPT "\n"
         "opt_clean\n"
         "tee -q -o cells.txt stat\n");
  asic_netlists(s);
  ssa_text_printf(s, "write_verilog -noattr netlist.v\n"
                     "write_json netlist.json\n");
}

static void liberty_script(ssa_text *s, const ssa_design *d) {
  asic_front(s, d);
  ssa_text_printf(s, "dfflibmap -liberty cells.lib\n"
         "abc -liberty cells.lib " ABC_SCRIPT "\n"
         "opt_clean\n"
         "tee -q -o cells.txt stat -liberty cells.lib\n");
  asic_netlists(s);
  /* Simulation model: the library's own cell functions, inlined (their inner nets get private
   * names, which the toggle counts leave out: a cell's internal energy covers them). */
  ssa_text_printf(s, "read_liberty -ignore_miss_func cells.lib\n"
         "flatten\n"
         "hierarchy -top %s\n"
         "write_verilog -noattr netlist.v\n", d->top);
}

static void ice40_script(ssa_text *s, const ssa_design *d, const char *device) {
  read_design(s, d, "ssa_fpga_harness.v");
  ssa_text_printf(s, "synth_ice40 -top ssa_fpga_harness -device %s -json ice40.json\n"
         "tee -q -o cells.txt stat\n", device[0] == 'u' ? "u" : device[0] == 'l' ? "lp" : "hx");
}

static void xilinx_script(ssa_text *s, const ssa_design *d) {
  read_design(s, d, NULL);
  ssa_text_printf(s, "synth_xilinx -flatten -noiopad -family xc7 -top %s\n"
         "tee -q -o cells.txt stat\n", d->top);
}

/* ---- figures ---- */

/* Adds module `name` x times to the parts: LFSR modules (and what they contain) to the PRNG,
 * flip-flops elsewhere to the registers, other cells to the datapath; submodules recursively.
 * And to the part types: a module's cells to its own type, or to `group` (that of the module
 * it sits in) when it is none of a part, an LFSR or the top. */
static int add_module(const ssa_stat *st, const ssa_stat *cmos, const char *name,
                      unsigned long times, int in_prng, int group, const ssa_liberty *lib,
                      ssa_synth_result *r, int depth, ssa_error *err) {
  const ssa_stat_module *m = ssa_stat_find(st, name);
  if (m == NULL) return ssa_fail(err, "synth: Yosys gave no statistics for module %s", name);
  if (depth > 16) return ssa_fail(err, "synth: module hierarchy too deep at %s", name);
  in_prng = in_prng || is_prng_module(name);
  if (depth == 0 || is_prng_module(name) || strstr(name, "ssa_part_") != NULL || group < 0) {
    char gname[64];
    group_name(m, depth == 0, lib, gname, sizeof gname);
    group = group_index(r, gname);
    if (group < 0) return ssa_fail(err, "synth: more than %d part types", SSA_SYNTH_MAX_GROUPS);
    r->group[group].instances += times;
  }
  if (note_module(r, name, (unsigned)group, err) != 0) return -1;
  ssa_synth_part *gp = &r->group[group].cells;
  unsigned long submodules = 0;
  for (size_t k = 0; k < m->cell_types; k++) {
    const ssa_cell_count *c = &m->cells[k];
    if (ssa_stat_find(st, c->type) != NULL) {
      if (add_module(st, cmos, c->type, times * c->count, in_prng, group, lib, r, depth + 1,
                     err) != 0)
        return -1;
      submodules += c->count;
      continue;
    }
    int flop = ssa_cell_is_flop(lib, c->type);
    ssa_part p = in_prng ? SSA_PART_PRNG : flop ? SSA_PART_REGISTERS : SSA_PART_DATAPATH;
    ssa_synth_part *part = &r->part[p];
    if (ssa_cell_counts_add(&part->cells, &part->cell_types, c->type, times * c->count, err) != 0 ||
        ssa_cell_counts_add(&r->total.cells, &r->total.cell_types, c->type, times * c->count,
                            err) != 0)
      return -1;
    if (ssa_cell_counts_add(&gp->cells, &gp->cell_types, c->type, times * c->count, err) != 0)
      return -1;
    part->cells_total += times * c->count;
    r->total.cells_total += times * c->count;
    gp->cells_total += times * c->count;
    if (flop) {
      part->flops += times * c->count;
      r->total.flops += times * c->count;
      gp->flops += times * c->count;
    }
  }
  if (cmos != NULL) {
    /* Transistors: the cmos2 mapping's own module figures; its flip-flops count as registers
     * (16 transistors each in Yosys's cmos cost table) unless the module is an LFSR. */
    const ssa_stat_module *cm = ssa_stat_find(cmos, name);
    if (cm == NULL || !cm->has_transistors)
      return ssa_fail(err, "synth: no transistor count for module %s", name);
    /* Only its submodule instances may lack a cost: they are counted on their own. */
    if (cm->transistors_partial && submodules == 0)
      return ssa_fail(err, "synth: cells without a transistor cost in module %s", name);
    unsigned long cmos_flops = 0;
    for (size_t k = 0; k < cm->cell_types; k++)
      if (ssa_cell_is_flop(NULL, cm->cells[k].type)) cmos_flops += cm->cells[k].count;
    unsigned long long own = cm->transistors;
    unsigned long long regs = in_prng ? 0 : 16ull * cmos_flops;
    if (regs > own) return ssa_fail(err, "synth: inconsistent transistor count in %s", name);
    r->part[in_prng ? SSA_PART_PRNG : SSA_PART_DATAPATH].transistors += times * (own - regs);
    r->part[SSA_PART_REGISTERS].transistors += times * regs;
    r->total.transistors += times * own;
  }
  return 0;
}

/* Yosys's chip area of a module with its submodules (stat gives each module's own). */
static double yosys_area(const ssa_stat *st, const char *name, int depth) {
  const ssa_stat_module *m = ssa_stat_find(st, name);
  if (m == NULL || depth > 16) return 0;
  double area = m->has_area ? m->area : 0;
  for (size_t k = 0; k < m->cell_types; k++)
    if (ssa_stat_find(st, m->cells[k].type) != NULL)
      area += (double)m->cells[k].count * yosys_area(st, m->cells[k].type, depth + 1);
  return area;
}

/* Totals come from the module sections, each module's own cells times its instances (Yosys's
 * per-module transistor count leaves out submodules). */
static int asic_figures(const workdir *w, const ssa_design *d, const ssa_synth_opts *o,
                        ssa_synth_result *r, ssa_error *err) {
  char *cells_text = NULL, *cmos_text = NULL;
  ssa_stat cells = {0}, cmos = {0};
  char cells_path[4200], cmos_path[4200];
  int rc = -1;
  if (work_file(w, "cells.txt", cells_path, sizeof cells_path, err) != 0 ||
      work_file(w, "cmos.txt", cmos_path, sizeof cmos_path, err) != 0 ||
      work_read(w, "cells.txt", &cells_text, err) != 0 ||
      ssa_stat_parse(cells_path, cells_text, &cells, err) != 0)
    goto out;
  int transistors = o->flow == SSA_FLOW_GENERIC && !o->no_transistors;
  if (transistors && (work_read(w, "cmos.txt", &cmos_text, err) != 0 ||
                      ssa_stat_parse(cmos_path, cmos_text, &cmos, err) != 0))
    goto out;
  if (add_module(&cells, transistors ? &cmos : NULL, d->top, 1, 0, -1,
                 o->flow == SSA_FLOW_LIBERTY ? o->liberty : NULL, r, 0, err) != 0)
    goto out;
  for (unsigned g = 0; g < r->group_count; g++)
    ssa_cell_counts_sort(r->group[g].cells.cells, r->group[g].cells.cell_types);
  if (o->flow == SSA_FLOW_LIBERTY) r->yosys_area_um2 = yosys_area(&cells, d->top, 0);
  ssa_cell_counts_sort(r->total.cells, r->total.cell_types);
  for (unsigned p = 0; p < SSA_PART_COUNT; p++)
    ssa_cell_counts_sort(r->part[p].cells, r->part[p].cell_types);
  if (o->netlist &&
      (work_read(w, "netlist.v", &r->netlist, err) != 0 ||
       work_read(w, "netlist_cells.v", &r->cell_netlist, err) != 0 ||
       (o->flow == SSA_FLOW_GENERIC && work_read(w, "netlist.json", &r->json_netlist, err) != 0)))
    goto out;
  rc = 0;
out:
  free(cells_text);
  free(cmos_text);
  ssa_stat_free(&cells);
  ssa_stat_free(&cmos);
  return rc;
}

static unsigned long count_prefix(const ssa_stat_module *m, const char *prefix) {
  unsigned long n = 0;
  for (size_t k = 0; k < m->cell_types; k++)
    if (strncmp(m->cells[k].type, prefix, strlen(prefix)) == 0) n += m->cells[k].count;
  return n;
}

static unsigned long count_type(const ssa_stat_module *m, const char *type) {
  for (size_t k = 0; k < m->cell_types; k++)
    if (strcmp(m->cells[k].type, type) == 0) return m->cells[k].count;
  return 0;
}

static int fpga_cells(const workdir *w, const char *top, ssa_synth_result *r, ssa_stat *st,
                      const ssa_stat_module **m, ssa_error *err) {
  char *text = NULL, path[4200];
  if (work_file(w, "cells.txt", path, sizeof path, err) != 0 || work_read(w, "cells.txt", &text, err) != 0)
    return -1;
  int rc = ssa_stat_parse(path, text, st, err);
  free(text);
  if (rc != 0) return -1;
  *m = ssa_stat_find(st, top);
  if (*m == NULL) return ssa_fail(err, "%s: no statistics for %s", path, top);
  for (size_t k = 0; k < (*m)->cell_types; k++)
    if (ssa_cell_counts_add(&r->total.cells, &r->total.cell_types, (*m)->cells[k].type,
                            (*m)->cells[k].count, err) != 0)
      return -1;
  ssa_cell_counts_sort(r->total.cells, r->total.cell_types);
  return 0;
}

/* Logic cells of the iCE40 parts nextpnr-ice40 knows. */
static unsigned ice40_capacity(const char *device) {
  if (strcmp(device, "hx1k") == 0 || strcmp(device, "lp1k") == 0) return 1280;
  if (strcmp(device, "up5k") == 0) return 5280;
  return 7680;
}

static const char *ice40_package(const char *device) {
  if (strcmp(device, "up5k") == 0) return "sg48";
  if (strcmp(device, "hx1k") == 0) return "tq144";
  if (strcmp(device, "lp1k") == 0) return "qn84";
  if (strcmp(device, "lp8k") == 0) return "cm225";
  return "ct256";
}

/* nextpnr-ice40's two ways of saying the logic cells ran out: placement finds no free cell,
 * or the initial region cannot grow to hold them all. */
static int out_of_logic_cells(const char *log) {
  for (const char *e = strstr(log, "ERROR:"); e != NULL; e = strstr(e + 1, "ERROR:")) {
    const char *eol = strchr(e, '\n');
    size_t n = eol != NULL ? (size_t)(eol - e) : strlen(e);
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), e);
    if (strstr(line, "ICESTORM_LC") != NULL &&
        (strstr(line, "no BELs remaining") != NULL || strstr(line, "Failed to expand region")))
      return 1;
  }
  return 0;
}

static int ice40_figures(const workdir *w, const ssa_design *d, const ssa_synth_opts *o,
                         ssa_synth_result *r, ssa_error *err) {
  ssa_stat st = {0};
  const ssa_stat_module *m;
  if (fpga_cells(w, "ssa_fpga_harness", r, &st, &m, err) != 0) {
    ssa_stat_free(&st);
    return -1;
  }
  r->luts = count_type(m, "SB_LUT4");
  r->flops = count_prefix(m, "SB_DFF");
  r->carries = count_type(m, "SB_CARRY");
  r->brams = count_prefix(m, "SB_RAM");
  r->dsps = count_type(m, "SB_MAC16");
  ssa_stat_free(&st);
  ssa_fpga_harness_cost(d, &r->harness_flops, &r->harness_luts);
  unsigned capacity = ice40_capacity(r->device);
  /* A logic cell holds one LUT and one flip-flop: neither count may exceed the device. */
  unsigned long need = r->luts > r->flops ? r->luts : r->flops;
  if (need > capacity) {
    ssa_fail(err, "%s: too large for the iCE40 %s: %lu LUTs and %lu flip-flops (with the "
                    "timing harness's %u) for %u logic cells; try a smaller size or --flow "
                    "xilinx", d->top, r->device, r->luts, r->flops, r->harness_flops, capacity);
    return SSA_SYNTH_TOO_LARGE;
  }
  char device_flag[24], report[4200], log[4200];
  snprintf(device_flag, sizeof device_flag, "--%s", r->device);
  if (work_file(w, "nextpnr.json", report, sizeof report, err) != 0 ||
      work_file(w, "nextpnr.log", log, sizeof log, err) != 0)
    return -1;
  if (o->progress)
    fprintf(stderr, "ssa: placing and routing %s on iCE40 %s (%lu LUTs) ...\n", d->top,
            r->device, r->luts);
  /* A fixed seed: the same design gives the same placement, so the same Fmax. */
  const char *argv[] = {"nextpnr-ice40", device_flag, "--package", ice40_package(r->device),
                        "--json", "ice40.json", "--report", "nextpnr.json", "--seed", "1",
                        "--freq", "12", "--timing-allow-fail", "-q", NULL};
  if (ssa_run_tool("synth: nextpnr-ice40", argv, w->path, log, err) != 0) {
    /* LUTs and flip-flops that cannot share logic cells can overflow a part that holds
     * each count alone: nextpnr says so, and it is the same input error as above. */
    char *text = NULL;
    size_t len;
    ssa_error ignored;
    int full = ssa_read_file(log, &text, &len, &ignored) == 0 && out_of_logic_cells(text);
    free(text);
    if (!full) return -1;
    ssa_fail(err, "%s: too large for the iCE40 %s: %lu LUTs and %lu flip-flops (with the timing "
             "harness's %u) need more than its %u logic cells (nextpnr-ice40); try a smaller size "
             "or --flow xilinx", d->top, r->device, r->luts, r->flops, r->harness_flops, capacity);
    return SSA_SYNTH_TOO_LARGE;
  }
  ssa_nextpnr_report rep;
  if (ssa_nextpnr_report_read(report, &rep, err) != 0) return -1;
  r->fmax_mhz = rep.fmax_mhz;
  r->lc_used = rep.lc_used;
  r->lc_available = rep.lc_available;
  return 0;
}

static int xilinx_figures(const workdir *w, const ssa_design *d, ssa_synth_result *r,
                          ssa_error *err) {
  ssa_stat st = {0};
  const ssa_stat_module *m;
  int rc = fpga_cells(w, d->top, r, &st, &m, err);
  if (rc == 0) {
    /* Yosys leaves inverters as INV cells; on the part each is a LUT1. */
    r->luts = count_prefix(m, "LUT") + count_type(m, "INV");
    r->flops = count_prefix(m, "FD");
    r->carries = count_type(m, "CARRY4");
    /* A RAMB36 is two RAMB18 halves: count in RAMB18 units. */
    r->brams = count_type(m, "RAMB18E1") + 2 * count_type(m, "RAMB36E1");
    r->dsps = count_type(m, "DSP48E1");
  }
  ssa_stat_free(&st);
  return rc;
}

/* ---- the run ---- */

static int write_inputs(const workdir *w, const ssa_design *d, const ssa_synth_opts *o,
                        ssa_text *s, ssa_error *err) {
  for (unsigned k = 0; k < d->file_count; k++)
    if (work_write(w, d->files[k].name, d->files[k].text, d->files[k].len, err) != 0) return -1;
  if (o->flow == SSA_FLOW_ICE40) {
    char *text;
    size_t len;
    if (ssa_fpga_harness_emit(d, &text, &len, err) != 0) return -1;
    int rc = work_write(w, "ssa_fpga_harness.v", text, len, err);
    free(text);
    if (rc != 0) return -1;
  }
  if (o->flow == SSA_FLOW_LIBERTY) {
    char lib[4200];
    if (o->liberty == NULL || o->liberty_path == NULL)
      return ssa_fail(err, "synth: the liberty flow needs a Liberty file (--liberty FILE)");
    /* Yosys and ABC read plain text only. */
    if (work_file(w, "cells.lib", lib, sizeof lib, err) != 0 ||
        ssa_liberty_decompress(o->liberty_path, lib, err) != 0)
      return -1;
  }
  switch (o->flow) {
    case SSA_FLOW_GENERIC:
      if (o->blackbox != NULL) surroundings_script(s, d, o->blackbox);
      else generic_script(s, d, !o->no_transistors);
      break;
    case SSA_FLOW_LIBERTY: liberty_script(s, d); break;
    case SSA_FLOW_ICE40: ice40_script(s, d, o->ice40_device); break;
    case SSA_FLOW_XILINX: xilinx_script(s, d); break;
  }
  if (s->failed) return ssa_fail(err, "synth: out of memory");
  return work_write(w, "synth.ys", s->s, s->len, err);
}

int ssa_synth_run(const ssa_design *d, const ssa_synth_opts *o, ssa_synth_result *r,
                  ssa_error *err) {
  memset(r, 0, sizeof *r);
  r->flow = o->flow;
  snprintf(r->top, sizeof r->top, "%s", d->top);
  snprintf(r->device, sizeof r->device, "%s", o->ice40_device != NULL ? o->ice40_device : "hx8k");
  ssa_synth_opts opts = *o;
  opts.ice40_device = r->device;
  double start = ssa_seconds_now();
  workdir w;
  if (work_open(&w, o->work_dir, err) != 0) return -1;
  ssa_text s = {0};
  char log[4200];
  int rc = write_inputs(&w, d, &opts, &s, err);
  if (rc == 0) rc = work_file(&w, "yosys.log", log, sizeof log, err);
  if (rc == 0) {
    if (o->progress)
      fprintf(stderr, "ssa: synthesizing %s (%s flow) ...\n", d->top, ssa_flow_name(o->flow));
    const char *argv[] = {"yosys", "-q", "-s", "synth.ys", NULL};
    rc = ssa_run_tool("synth: yosys", argv, w.path, log, err);
  }
  if (rc == 0) {
    switch (o->flow) {
      case SSA_FLOW_GENERIC:
        /* the surroundings of black boxes: their netlist alone, no figures */
        if (o->blackbox != NULL) {
          rc = work_read(&w, "netlist.json", &r->json_netlist, err);
          break;
        }
        /* fall through */
      case SSA_FLOW_LIBERTY: rc = asic_figures(&w, d, &opts, r, err); break;
      case SSA_FLOW_ICE40: rc = ice40_figures(&w, d, &opts, r, err); break;
      case SSA_FLOW_XILINX: rc = xilinx_figures(&w, d, r, err); break;
    }
  }
  ssa_text_free(&s);
  /* On failure a temporary directory stays when a tool's log is in it: the message names it. */
  work_close(&w, rc != 0 && strstr(err->msg, w.path) != NULL);
  r->seconds = ssa_seconds_now() - start;
  if (rc != 0) ssa_synth_result_free(r);
  return rc;
}

static void part_free(ssa_synth_part *p) {
  free(p->cells);
  memset(p, 0, sizeof *p);
}

void ssa_synth_result_free(ssa_synth_result *r) {
  part_free(&r->total);
  for (unsigned p = 0; p < SSA_PART_COUNT; p++) part_free(&r->part[p]);
  for (unsigned g = 0; g < r->group_count; g++) part_free(&r->group[g].cells);
  r->group_count = 0;
  free(r->modules);
  r->modules = NULL;
  r->module_count = 0;
  free(r->netlist);
  free(r->cell_netlist);
  free(r->json_netlist);
  r->netlist = r->cell_netlist = r->json_netlist = NULL;
}
