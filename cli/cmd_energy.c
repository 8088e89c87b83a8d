/* cmd_energy.c -- `ssa energy KIND [design options] --steps T`: synthesize, simulate the gate
 * netlist against the golden model with toggle counting on i.i.d. (--rate) or recorded
 * (--input, e.g. from `ssa capture`) stimulus, and price the activity (synth/energy.h); for
 * the attention kinds also the operation-level and memory estimates. */
#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/outfile.h"
#include "../synth/measure.h"
#include "../synth/op_energy.h"
#include "commands.h"
#include "energy_parts.h"
#include "synth_cli.h"

static void print_help(void) {
  printf(
      "usage: ssa energy KIND [design options] [--steps T] [--rate P | --input FILE]\n"
      "                  [--liberty FILE] [--clock MHZ] [--json FILE]\n"
      "\n"
      "Gate-level energy of the design 'ssa gen KIND' writes. Synthesizes it (the generic\n"
      "flow priced with the built-in NanGate 45 nm table, or mapped to --liberty FILE),\n"
      "simulates the gate netlist on T steps of stimulus (i.i.d. at rate P, or\n"
      "read from FILE), checks every output bit of every clock against the golden model (exit\n"
      "1 on a difference), counts every net's toggles and prices them:\n"
      "  dynamic = sum over nets of toggles x (E_internal(driving cell) + 1/2 C_load V^2)\n"
      "  clock   = flip-flops x clocks x E_clock(flip-flop)\n"
      "  leakage = sum over cells of P_leakage x clocks / f_clock\n"
      "with C_load the mean input capacitance per driven net, over the steady state: the\n"
      "clocks from the first accepted step to the last result (the whole run with reset and\n"
      "drain is stated apart). Split into PRNG, datapath and registers, and by part type\n"
      "(ssa compose). For attention and exact-attention it also prints the operation-level\n"
      "estimate (Horowitz 45 nm per-operation energies) beside the int8 ANN attention's of the\n"
      "same size, and the memory traffic of this design and of the int8 ANN (row by row, and\n"
      "spilling its N x N scores and probabilities), all priced from one SRAM of\n"
      "4 N D + 5 N^2 bytes at the library's voltage:\n"
      "  bits moved / 64 x E,  E = 27.144 pJ x (bytes / 64 KiB)^0.4726 x (V / 0.9 V)^2\n"
      "(Horowitz's 8 KB, 32 KB and 1 MB points, fitted), each with its formula.\n"
      "KIND: %s; its design options are those of 'ssa gen KIND'.\n"
      "\n"
      "Options:\n"
      "  --steps T         time steps simulated; energy per attention is for T steps (default "
      "%u;\n"
      "                    with --input the file's steps, and T takes its first T steps)\n"
      "  --rate P          i.i.d. input spikes with probability P, 0 to 1 (default 0.5), from\n"
      "                    the stimulus stream of the design's --seed (1 without one), as\n"
      "                    'ssa sim --rate' draws them\n"
      "  --input FILE      the stimulus from FILE instead of --rate, in the format 'ssa sim\n"
      "                    KIND --input' reads (e.g. written by 'ssa capture'); a one-step\n"
      "                    file is held for T steps (default %u); the output and the JSON give\n"
      "                    its mean input rate: the fraction of input bits that are 1\n"
      "  --liberty FILE    price with this Liberty library (the liberty flow)\n"
      "  --clock MHZ       clock for the leakage time (default %.0f)\n"
      "  --json FILE       also write the figures as JSON\n"
      "  --gate-sim SIM    what simulates the generic flow's netlist and counts its toggles:\n"
      "                    ssa (default; SSA's own zero-delay simulator: one settling per\n"
      "                    clock, in seconds) or verilator (its toggle coverage; the model's\n"
      "                    build takes minutes to an hour on large netlists). The liberty\n"
      "                    flow always uses Verilator\n"
      "  --cache DIR       Verilator model cache (default $SSA_CACHE_DIR, else ~/.cache/ssa)\n"
      "  --work DIR        keep Yosys's script, logs and netlists in DIR\n"
      "\n"
      "Exit status: 0 done, 1 the netlist differs from the golden model or a tool failed,\n"
      "2 bad usage or input.\n",
      ssa_kind_names(), SSA_KIND_DEFAULT_STEPS, SSA_KIND_DEFAULT_STEPS,
      SSA_ENERGY_DEFAULT_CLOCK_MHZ);
}

typedef struct estimates {
  int has;                       /* the attention kinds */
  ssa_estimate ops, memory;      /* this design */
  ssa_estimate ann_ops, ann_memory_rowwise, ann_memory_spilling;
} estimates;

/* The memory traffic of both sides is priced from one activation buffer at `volts`, the voltage
 * of the library that priced the netlist, so that logic and memory, and the two sides, pay at one
 * voltage (synth/sram.h). */
static void make_estimates(const ssa_synth_cli *c, unsigned steps, double volts, estimates *x) {
  unsigned n, d, h;
  memset(x, 0, sizeof *x);
  if (!ssa_subject_attention_shape(&c->subject, &n, &d, &h)) return;
  x->has = 1;
  const ssa_attention_params *sc = ssa_subject_sc_params(&c->subject);
  if (sc != NULL && sc->reduce == SSA_REDUCE_MUX) {
    ssa_sc_gate_costs costs;
    ssa_sc_gate_costs_builtin(&costs);
    ssa_op_energy_sc(n, d, steps, sc->share, ssa_subject_random_bits(&c->subject), &costs, &x->ops);
  } else if (sc != NULL) {
    snprintf(x->ops.formula, sizeof x->ops.formula, "not modelled for reduce=count");
  } else {
    ssa_op_energy_exact(n, d, steps, &x->ops);
  }
  ssa_activation_buffer buffer;
  ssa_activation_buffer_init(&buffer, n, d, volts);
  ssa_traffic_spiking(&buffer, n, d, steps, &x->memory);
  ssa_op_energy_ann(n, d, &x->ann_ops);
  ssa_traffic_ann_rowwise(&buffer, n, d, &x->ann_memory_rowwise);
  ssa_traffic_ann_spilling(&buffer, n, d, &x->ann_memory_spilling);
  /* Heads are independent copies of the same computation (each its own buffer). */
  x->ops.pj *= h;
  x->memory.pj *= h;
  x->ann_ops.pj *= h;
  x->ann_memory_rowwise.pj *= h;
  x->ann_memory_spilling.pj *= h;
}

static void print_energy(const ssa_synth_cli *c, const ssa_energy *e, const estimates *x) {
  double per_attention_pj = e->per_step_fj * c->steps * 1e-3;
  printf("%-10s %9s %12s %12s %11s %11s %11s\n", "part", "cells", "toggles", "dynamic pJ",
         "clock pJ", "leakage pJ", "area um^2");
  for (unsigned p = 0; p <= SSA_PART_COUNT; p++) {
    const ssa_energy_part *ep = p < SSA_PART_COUNT ? &e->part[p] : &e->total;
    printf("%-10s %9lu %12llu %12.3f %11.3f %11.3f %11.1f\n",
           p < SSA_PART_COUNT ? ssa_part_name(p) : "total", ep->cells, ep->toggles,
           ep->dynamic_fj * 1e-3, ep->clock_fj * 1e-3, ep->leakage_fj * 1e-3, ep->area_um2);
  }
  ssa_print_energy_window(e);
  printf("energy per clock %.3f pJ, per step %.3f pJ (%u clock%s), per %s of %u steps "
         "%.3f pJ\n", e->per_clock_fj * 1e-3, e->per_step_fj * 1e-3, e->interval,
         e->interval == 1 ? "" : "s", x->has ? "attention" : "run", c->steps, per_attention_pj);
  ssa_print_part_types(e);
  if (!x->has) return;
  printf("\noperation level (estimate, Horowitz 45 nm):\n  this design: %.3f pJ = %s\n"
         "  int8 ANN attention: %.3f pJ = %s\n", x->ops.pj, x->ops.formula, x->ann_ops.pj,
         x->ann_ops.formula);
  printf("memory access (estimate, one SRAM for both sides):\n  this design: %.3f pJ = %s\n"
         "  int8 ANN attention, row by row: %.3f pJ = %s\n"
         "  int8 ANN attention, spilling: %.3f pJ = %s\n", x->memory.pj, x->memory.formula,
         x->ann_memory_rowwise.pj, x->ann_memory_rowwise.formula, x->ann_memory_spilling.pj,
         x->ann_memory_spilling.formula);
}

static void json_estimate(FILE *f, const char *key, const ssa_estimate *e) {
  fprintf(f, ",\n  \"%s\": {\"pj\": ", key);
  ssa_json_number(f, e->pj);
  ssa_json_member_string(f, "formula", e->formula);
  fprintf(f, "}");
}

static int write_json(const ssa_synth_cli *c, const ssa_energy *e, const estimates *x,
                      ssa_error *err) {
  ssa_outfile of;
  FILE *f = ssa_synth_cli_json_begin(c, c->json, &of, err);
  if (f == NULL) return -1;
  fprintf(f, ",\n  \"library\": ");
  ssa_json_string(f, e->library);
  fprintf(f, ",\n  \"steps\": %u", c->steps);
  if (c->input != NULL) {  /* the stimulus: the file and what it holds, or the drawn rate */
    fprintf(f, ",\n  \"input\": ");
    ssa_json_string(f, c->input);
    fprintf(f, ",\n  \"input_rate\": ");
    ssa_json_number(f, ssa_subject_input_rate(&c->subject));
  } else {
    fprintf(f, ",\n  \"rate\": ");
    ssa_json_number(f, c->rate);
  }
  fprintf(f, ",\n  \"clocks\": %u,\n  \"clock_mhz\": ", e->cycles);
  ssa_json_number(f, e->clock_mhz);
  fprintf(f, ",\n  \"voltage_v\": ");
  ssa_json_number(f, e->voltage_v);
  fprintf(f, ",\n  \"energy_per_clock_pj\": ");
  ssa_json_number(f, e->per_clock_fj * 1e-3);
  fprintf(f, ",\n  \"energy_per_step_pj\": ");
  ssa_json_number(f, e->per_step_fj * 1e-3);
  fprintf(f, ",\n  \"energy_per_attention_pj\": ");
  ssa_json_number(f, e->per_step_fj * c->steps * 1e-3);
  fprintf(f, ",\n  \"parts\": {");
  for (unsigned p = 0; p <= SSA_PART_COUNT; p++) {
    const ssa_energy_part *ep = p < SSA_PART_COUNT ? &e->part[p] : &e->total;
    fprintf(f, "%s\n    \"%s\": {\"cells\": %lu, \"flops\": %lu, \"toggles\": %llu, "
            "\"area_um2\": ", p ? "," : "", p < SSA_PART_COUNT ? ssa_part_name(p) : "total",
            ep->cells, ep->flops, ep->toggles);
    ssa_json_number(f, ep->area_um2);
    ssa_json_member_number(f, "dynamic_pj", ep->dynamic_fj * 1e-3);
    ssa_json_member_number(f, "clock_pj", ep->clock_fj * 1e-3);
    ssa_json_member_number(f, "leakage_pj", ep->leakage_fj * 1e-3);
    fprintf(f, "}");
  }
  fprintf(f, "\n  }");
  ssa_json_part_types(f, e);
  ssa_json_whole_run(f, e);
  if (x->has) {
    json_estimate(f, "operation_level", &x->ops);
    json_estimate(f, "memory", &x->memory);
    json_estimate(f, "ann_operation_level", &x->ann_ops);
    json_estimate(f, "ann_memory_rowwise", &x->ann_memory_rowwise);
    json_estimate(f, "ann_memory_spilling", &x->ann_memory_spilling);
  }
  fprintf(f, "\n}\n");
  return ssa_outfile_commit(&of, err);
}

/* Synthesis, netlist simulation and pricing: 0, 1 a mismatch (reported), -1 error. */
static int estimate(ssa_synth_cli *c, ssa_error *err) {
  const ssa_design *d = ssa_subject_design(&c->subject);
  ssa_measure_opts mo = {.synth = c->synth, .library = ssa_synth_cli_library(c),
                         .cache_dir = c->cache, .clock_mhz = c->clock_mhz,
                         .gate_sim_verilator = c->gate_sim_verilator};
  ssa_measurement m;
  int rc = ssa_measure(&c->subject, &mo, &m, err);
  if (rc == 1) {
    const ssa_mismatch *x = &m.activity.first;
    fprintf(stderr, "ssa: MISMATCH: the %s netlist of %s differs from the golden model: clock "
            "%u, %s[%u] expected %d, got %d\n", ssa_flow_name(m.synth.flow), d->top, x->cycle,
            d->ports[x->port].name, x->bit, x->expected, x->actual);
  }
  if (rc == 0) {
    estimates x;
    make_estimates(c, c->steps, m.energy.voltage_v, &x);
    char opts[512];
    ssa_subject_options(&c->subject, opts, sizeof opts);
    char stimulus[4200];
    if (c->input != NULL)
      snprintf(stimulus, sizeof stimulus, "--input %s  (mean input rate %.4f; ", c->input,
               ssa_subject_input_rate(&c->subject));
    else
      snprintf(stimulus, sizeof stimulus, "--rate %g  (", c->rate);
    printf("ssa energy %s %s --steps %u %s%s netlist, %s)\n", ssa_subject_kind(&c->subject),
           opts, c->steps, stimulus, ssa_flow_name(m.synth.flow), m.energy.library);
    printf("netlist co-simulation: %u clocks, every output bit equals the golden model\n",
           m.activity.run.cycles);
    print_energy(c, &m.energy, &x);
    if (c->json != NULL) rc = write_json(c, &m.energy, &x, err);
  }
  if (rc >= 0) ssa_measurement_free(&m);
  return rc;
}

int ssa_cmd_energy(int argc, char **argv) {
  ssa_synth_cli c;
  int done = ssa_synth_cli_start(&c, "energy", argc, argv, 1, print_help);
  if (done >= 0) return done;
  ssa_error err;
  int rc = estimate(&c, &err);
  if (rc < 0) fprintf(stderr, "ssa: %s\n", err.msg);
  ssa_synth_cli_free(&c);
  return rc != 0 ? SSA_EXIT_FAIL : SSA_EXIT_OK;
}
