/* cmd_synth.c -- `ssa synth KIND [design options] --flow F`: synthesize a generated design
 * and print its cells, transistors, area or FPGA resources and Fmax (synth/synth.h). */
#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/outfile.h"
#include "../synth/energy.h"
#include "commands.h"
#include "synth_cli.h"

static void print_help(void) {
  printf(
      "usage: ssa synth KIND [design options] [--flow F] [--liberty FILE] [--json FILE]\n"
      "\n"
      "Synthesizes the design that 'ssa gen KIND' writes, with Yosys, and prints its cells.\n"
      "KIND: %s; its design options are those of 'ssa gen KIND'.\n"
      "\n"
      "Flows:\n"
      "  generic   (default) Yosys gates: cells by type, the transistor count (abc -g cmos2,\n"
      "            stat -tech cmos) and the area of a 45 nm-like gate mapping priced with the\n"
      "            built-in NanGate 45 nm table\n"
      "  liberty   mapped to a Liberty library (--liberty FILE, plain or .gz): area in um^2\n"
      "  ice40     synth_ice40 inside a timing harness (input shift chain, pipelined XOR of\n"
      "            the outputs), then nextpnr-ice40: LUTs, flip-flops, BRAM, Fmax\n"
      "  xilinx    synth_xilinx (7-series): LUTs, flip-flops, BRAM, DSP; no place and route\n"
      "ASIC flows split the figures into the PRNG (the ssa_lfsr and ssa_part_prng_* modules,\n"
      "kept as hierarchy), the registers (other flip-flops) and the datapath (the rest).\n"
      "\n"
      "Options:\n"
      "  --flow F          generic, liberty, ice40 or xilinx (default generic; --liberty alone\n"
      "                    selects liberty)\n"
      "  --liberty FILE    the Liberty library of the liberty flow\n"
      "  --device D        iCE40 part: hx8k (default), hx1k, lp8k, lp1k, up5k\n"
      "  --json FILE       also write the figures as JSON\n"
      "  --work DIR        keep Yosys's script, logs and netlists in DIR\n"
      "\n"
      "Exit status: 0 done, 1 a tool failed, 2 bad usage or input (a design too large for the\n"
      "iCE40 part included).\n",
      ssa_kind_names());
}

static void print_cells(FILE *f, const ssa_synth_part *p) {
  for (size_t k = 0; k < p->cell_types; k++)
    fprintf(f, "  %-24s %10lu\n", p->cells[k].type, p->cells[k].count);
}

static void print_asic(const ssa_synth_cli *c, const ssa_synth_result *r, const double *area) {
  const char *lib = c->has_liberty ? c->liberty.name : "built-in 45 nm table";
  printf("%-10s %10s %8s %13s %14s\n", "part", "cells", "flops",
         r->flow == SSA_FLOW_GENERIC ? "transistors" : "", "area um^2");
  for (unsigned p = 0; p <= SSA_PART_COUNT; p++) {
    const ssa_synth_part *sp = p < SSA_PART_COUNT ? &r->part[p] : &r->total;
    char tr[32] = "";
    if (r->flow == SSA_FLOW_GENERIC) snprintf(tr, sizeof tr, "%llu", sp->transistors);
    printf("%-10s %10lu %8lu %13s %14.1f\n", p < SSA_PART_COUNT ? ssa_part_name(p) : "total",
           sp->cells_total, sp->flops, tr, area[p]);
  }
  printf("area priced with: %s", lib);
  if (r->flow == SSA_FLOW_LIBERTY) printf(" (Yosys stat -liberty: %.1f um^2)", r->yosys_area_um2);
  printf("\ncells by type:\n");
  print_cells(stdout, &r->total);
}

static void print_fpga(const ssa_design *d, const ssa_synth_result *r) {
  printf("LUTs %lu, flip-flops %lu, carries %lu, BRAM %lu, DSP %lu\n", r->luts, r->flops,
         r->carries, r->brams, r->dsps);
  if (r->flow == SSA_FLOW_ICE40) {
    printf("iCE40 %s: %u of %u logic cells, Fmax %.1f MHz (nextpnr-ice40, seed 1)\n", r->device,
           r->lc_used, r->lc_available, r->fmax_mhz);
    printf("the timing harness adds %u flip-flops and %u LUTs (included above)\n",
           r->harness_flops, r->harness_luts);
    printf("latency %u clock%s = %.1f ns at Fmax\n", d->latency, d->latency == 1 ? "" : "s",
           r->fmax_mhz > 0 ? d->latency * 1000.0 / r->fmax_mhz : 0);
  }
  printf("cells by type:\n");
  print_cells(stdout, &r->total);
}

static void json_cells(FILE *f, const ssa_synth_part *p) {
  fputs("{", f);
  for (size_t k = 0; k < p->cell_types; k++) {
    fputs(k ? ", " : "", f);
    ssa_json_string(f, p->cells[k].type);
    fprintf(f, ": %lu", p->cells[k].count);
  }
  fputs("}", f);
}

static int write_json(const char *path, const ssa_synth_cli *c, const ssa_design *d,
                      const ssa_synth_result *r, const double *area, ssa_error *err) {
  ssa_outfile of;
  FILE *f = ssa_synth_cli_json_begin(c, path, &of, err);
  if (f == NULL) return -1;
  fprintf(f, ",\n  \"top\": ");
  ssa_json_string(f, d->top);
  fprintf(f, ",\n  \"flow\": \"%s\",\n  \"latency_clocks\": %u,\n  \"cells\": %lu,\n"
          "  \"cells_by_type\": ", ssa_flow_name(r->flow), d->latency, r->total.cells_total);
  json_cells(f, &r->total);
  if (r->flow == SSA_FLOW_GENERIC || r->flow == SSA_FLOW_LIBERTY) {
    fprintf(f, ",\n  \"library\": ");
    ssa_json_string(f, c->has_liberty ? c->liberty.name : "built-in 45 nm table");
    fprintf(f, ",\n  \"area_um2\": ");
    ssa_json_number(f, area[SSA_PART_COUNT]);
    if (r->flow == SSA_FLOW_GENERIC) fprintf(f, ",\n  \"transistors\": %llu", r->total.transistors);
    if (r->flow == SSA_FLOW_LIBERTY) {
      fprintf(f, ",\n  \"yosys_area_um2\": ");
      ssa_json_number(f, r->yosys_area_um2);
    }
    fprintf(f, ",\n  \"parts\": {");
    for (unsigned p = 0; p < SSA_PART_COUNT; p++) {
      const ssa_synth_part *sp = &r->part[p];
      fprintf(f, "%s\n    \"%s\": {\"cells\": %lu, \"flops\": %lu, \"transistors\": %llu, "
              "\"area_um2\": ", p ? "," : "", ssa_part_name(p), sp->cells_total, sp->flops,
              sp->transistors);
      ssa_json_number(f, area[p]);
      fprintf(f, ", \"cells_by_type\": ");
      json_cells(f, sp);
      fprintf(f, "}");
    }
    fprintf(f, "\n  }");
  } else {
    fprintf(f, ",\n  \"luts\": %lu,\n  \"flops\": %lu,\n  \"carries\": %lu,\n  \"brams\": %lu,\n"
            "  \"dsps\": %lu", r->luts, r->flops, r->carries, r->brams, r->dsps);
    if (r->flow == SSA_FLOW_ICE40) {
      fprintf(f, ",\n  \"device\": \"%s\",\n  \"logic_cells\": %u,\n  \"logic_cells_available\": "
              "%u,\n  \"harness_flops\": %u,\n  \"harness_luts\": %u,\n  \"fmax_mhz\": ",
              r->device, r->lc_used, r->lc_available, r->harness_flops, r->harness_luts);
      ssa_json_number(f, r->fmax_mhz);
    }
  }
  fprintf(f, ",\n  \"seconds\": ");
  ssa_json_number(f, r->seconds);
  fprintf(f, "\n}\n");
  return ssa_outfile_commit(&of, err);
}

int ssa_cmd_synth(int argc, char **argv) {
  ssa_synth_cli c;
  int done = ssa_synth_cli_start(&c, "synth", argc, argv, 0, print_help);
  if (done >= 0) return done;
  ssa_error err;
  int status = SSA_EXIT_OK;
  ssa_synth_result r;
  double area[SSA_PART_COUNT + 1] = {0};
  const ssa_design *d = ssa_subject_design(&c.subject);
  int synth_rc = ssa_synth_run(d, &c.synth, &r, &err);
  if (synth_rc != 0) {
    /* Too large for the device is the user's input, not a failing tool. */
    status = synth_rc == SSA_SYNTH_TOO_LARGE ? SSA_EXIT_USAGE : SSA_EXIT_FAIL;
  } else {
    int asic = r.flow == SSA_FLOW_GENERIC || r.flow == SSA_FLOW_LIBERTY;
    const ssa_liberty *lib = ssa_synth_cli_library(&c);
    for (unsigned p = 0; asic && status == 0 && p <= SSA_PART_COUNT; p++) {
      const ssa_synth_part *sp = p < SSA_PART_COUNT ? &r.part[p] : &r.total;
      if (ssa_cells_area(sp->cells, sp->cell_types, lib, &area[p], &err) != 0)
        status = SSA_EXIT_FAIL;
    }
    if (status == 0) {
      char opts[512];
      ssa_subject_options(&c.subject, opts, sizeof opts);
      printf("ssa synth %s %s --flow %s  (%.1f s)\n", ssa_subject_kind(&c.subject), opts,
             ssa_flow_name(r.flow), r.seconds);
      if (asic) print_asic(&c, &r, area);
      else print_fpga(d, &r);
      if (c.json != NULL && write_json(c.json, &c, d, &r, area, &err) != 0)
        status = SSA_EXIT_FAIL;
    }
    ssa_synth_result_free(&r);
  }
  if (status != SSA_EXIT_OK) fprintf(stderr, "ssa: %s\n", err.msg);
  ssa_synth_cli_free(&c);
  return status;
}
