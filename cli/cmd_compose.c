/* cmd_compose.c -- `ssa compose KIND [design options] [--from N] [--validate]`: a design's
 * gate-level energy and area composed from measured parts (synth/compose.h) -- the parts and
 * their counts from emitting it, each part module synthesized alone, the activity per cell of
 * a base design with N = --from measured at gate level -- and with --validate the whole
 * design measured as `ssa energy` measures it, with the error per part type and in total. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/args.h"
#include "../common/clock.h"
#include "../common/json.h"
#include "../synth/compose.h"
#include "commands.h"
#include "energy_parts.h"
#include "synth_cli.h"

#define DEFAULT_FROM 4u

static void print_help(void) {
  printf(
      "usage: ssa compose KIND [design options] [--from N] [--base-steps S] [--at-size]\n"
      "                   [--validate] [--steps T] [--rate P | --input FILE] [--liberty FILE]\n"
      "                   [--clock MHZ] [--json FILE] [--cache DIR]\n"
      "\n"
      "Gate-level energy per step and area of the design 'ssa gen KIND' writes, composed from\n"
      "its parts instead of synthesizing and simulating the whole netlist (cheap at any size):\n"
      "  parts and instance counts  from emitting the design (each repeated unit is a module\n"
      "                             ssa_part_*, plus the LFSRs of each width and the glue)\n"
      "  cells of a part instance   Yosys on that part module alone, same flow and mapping\n"
      "  toggles per cell per clock the base design -- the same options with --tokens N --\n"
      "                             synthesized and simulated at gate level on S steps of\n"
      "                             rate-P stimulus over its steady window (cached)\n"
      "priced with the library as 'ssa energy' prices a netlist, with the composed design's\n"
      "own mean load C_load. A part instance with the same cells as in the base gets the base's\n"
      "measured toggles per instance exactly. Energy per attention = per step x T.\n"
      "docs/synthesis-and-energy.md gives every formula and what composition leaves out.\n"
      "KIND: a kind whose emitter declares its parts (attention, exact-attention,\n"
      "ann-attention).\n"
      "\n"
      "Options:\n"
      "  --from N          tokens of the base design (default %u; a power of two)\n"
      "  --base-steps S    steps of the base's run (default %u): the more, the smaller the\n"
      "                    sampling error of its toggle rates\n"
      "  --at-size         measure the activity of every part at this size: each part module\n"
      "                    synthesized alone, the rest of the design with the parts as black\n"
      "                    boxes, and the two assembled and simulated at gate level on T steps\n"
      "                    (generic flow; the liberty flow runs the RTL in Verilator with the\n"
      "                    parts at gate level); checked bit for bit against the golden model.\n"
      "                    Slower, and closer where a part's inputs change their statistics\n"
      "                    with N. A design with a size-dependent part (the exact attention's\n"
      "                    neuron) always does this for the parts that differ from the base's\n"
      "  --validate        also synthesize and simulate the whole design (as 'ssa energy') and\n"
      "                    print composed against measured energy per step and area, per part\n"
      "                    type and in total\n"
      "  --steps T         steps of the steady window priced, and of energy per attention\n"
      "                    (default %u)\n"
      "  --rate P          input spike rate of the stimulus, 0 to 1 (default 0.5)\n"
      "  --input FILE      with --at-size: this design's stimulus from FILE (the format 'ssa\n"
      "                    sim KIND --input' reads, e.g. written by 'ssa capture'), its first\n"
      "                    T steps (default: all of them); the base, and with it the glue's\n"
      "                    and the LFSRs' activity, stays on --rate stimulus; --validate\n"
      "                    measures on FILE too. The total is then over FILE's T steps,\n"
      "                    which are several attentions when FILE holds several images\n"
      "  --liberty FILE    price with this Liberty library (the liberty flow)\n"
      "  --clock MHZ       clock for the leakage time (default %.0f)\n"
      "  --json FILE       also write the figures as JSON\n"
      "  --cache DIR       Verilator model cache and base profiles (DIR/compose; default\n"
      "                    $SSA_CACHE_DIR, else ~/.cache/ssa)\n"
      "\n"
      "Exit status: 0 done, 1 a netlist differs from the golden model or a tool failed,\n"
      "2 bad usage or input.\n",
      DEFAULT_FROM, SSA_COMPOSE_BASE_STEPS, SSA_KIND_DEFAULT_STEPS,
      SSA_ENERGY_DEFAULT_CLOCK_MHZ);
}

typedef struct compose_cli {
  ssa_synth_cli c;
  unsigned from, base_steps;
  int validate, at_size;
} compose_cli;

/* --from, --base-steps, --at-size and --validate are taken out of argv; the rest is `ssa
 * energy`'s command line. */
static int parse(compose_cli *cc, int argc, char **argv, ssa_error *err) {
  char **rest = calloc((size_t)argc + 1, sizeof *rest);
  if (rest == NULL) return ssa_fail(err, "out of memory");
  int n = 0, rc = 0;
  cc->from = DEFAULT_FROM;
  cc->base_steps = SSA_COMPOSE_BASE_STEPS;
  cc->validate = 0;
  cc->at_size = 0;
  for (int k = 0; k < argc && rc == 0; k++) {
    if (k > 0 && strcmp(argv[k], "--validate") == 0) {
      cc->validate = 1;
    } else if (k > 0 && strcmp(argv[k], "--at-size") == 0) {
      cc->at_size = 1;
    } else if (k > 0 && strcmp(argv[k], "--from") == 0) {
      unsigned long long v;
      if (k + 1 >= argc) rc = ssa_fail(err, "compose: --from needs a value");
      else if (ssa_parse_unsigned("--from", argv[++k], 4096, &v, err) != 0) rc = -1;
      else if (v < 2 || (v & (v - 1)) != 0)
        rc = ssa_fail(err, "--from %llu: must be a power of two from 2", v);
      else cc->from = (unsigned)v;
    } else if (k > 0 && strcmp(argv[k], "--base-steps") == 0) {
      unsigned long long v;
      if (k + 1 >= argc) rc = ssa_fail(err, "compose: --base-steps needs a value");
      else if (ssa_parse_unsigned("--base-steps", argv[++k], 100000, &v, err) != 0) rc = -1;
      else if (v == 0) rc = ssa_fail(err, "--base-steps 0: at least one step");
      else cc->base_steps = (unsigned)v;
    } else {
      rest[n++] = argv[k];
    }
  }
  if (rc == 0) rc = ssa_synth_cli_parse(&cc->c, "compose", n, rest, 1, err);
  free(rest);
  if (rc != 0) return rc;
  if (cc->c.input != NULL && !cc->at_size) {
    ssa_synth_cli_free(&cc->c);
    return ssa_fail(err, "compose: --input needs --at-size: the base is measured on --rate "
                    "stimulus, and only the parts measured at this size see the file");
  }
  /* the file read now, so that a bad one is a usage error; T defaults to its steps */
  if (cc->c.input != NULL) {
    if (ssa_subject_run_input(&cc->c.subject, cc->c.input,
                              cc->c.steps_given ? cc->c.steps : 0, err) != 0) {
      ssa_synth_cli_free(&cc->c);
      return -1;
    }
    cc->c.steps = ssa_subject_steps(&cc->c.subject);
  }
  /* a kind whose emitter declares no parts cannot be composed: a usage error, said first */
  ssa_design d;
  const ssa_subject *s = &cc->c.subject;
  if (ssa_kind_emit(s->kind, s->params, &d, err) != 0) {
    ssa_synth_cli_free(&cc->c);
    return -1;
  }
  unsigned parts = d.part_count;
  ssa_design_free(&d);
  if (parts == 0) {
    const char *kind = s->kind->name;  /* the kind table's, not the subject's */
    ssa_synth_cli_free(&cc->c);
    return ssa_fail(err, "compose: %s declares no parts (core/design.h), so it cannot be "
                    "composed; 'ssa energy %s' measures it whole", kind, kind);
  }
  return 0;
}

/* input: the stimulus file, whose steps may be several attentions (a capture of K images holds
 * K x T spiking steps), so that the total is per run of its steps, not per attention. */
static void print_composition(const ssa_composition *c, const char *input) {
  printf("%-28s %6s %10s %10s %11s %9s %10s %11s\n", "part type", "inst.", "cells", "toggles",
         "dynamic pJ", "clock pJ", "leakage pJ", "area um^2");
  for (unsigned k = 0; k <= c->count; k++) {
    const ssa_composed_part *p = k < c->count ? &c->part[k] : &c->total;
    char name[80];
    snprintf(name, sizeof name, "%s%s", p->name,
             k < c->count && p->same ? " *" : k < c->count && p->measured ? " +" : "");
    if (k == c->count) printf("%-28s %6s", name, "");
    else printf("%-28s %6lu", name, p->instances);
    printf(" %10.0f %10.1f %11.3f %9.3f %10.3f %11.1f\n", p->cells, p->toggles,
           p->dynamic_fj * 1e-3, p->clock_fj * 1e-3, p->leakage_fj * 1e-3, p->area_um2);
  }
  printf("(per step; * the same cells per instance as in the base: its measured toggles as is;\n"
         " + activity measured at this size, the design simulated with the part at gate level)\n");
  printf("C_load %.3f fF, %.3f clocks per step at %.0f MHz, %.2f V\n", c->load_ff,
         c->clocks_per_step, c->clock_mhz, c->voltage_v);
  if (input != NULL)
    printf("energy per step %.3f pJ, over the %u steps of %s %.3f pJ; area %.1f um^2\n",
           c->per_step_fj * 1e-3, c->steps, input, c->per_attention_fj * 1e-3,
           c->total.area_um2);
  else
    printf("energy per step %.3f pJ, per attention of %u steps %.3f pJ; area %.1f um^2\n",
           c->per_step_fj * 1e-3, c->steps, c->per_attention_fj * 1e-3, c->total.area_um2);
}

static void print_errors(const ssa_compose_error *e, unsigned count) {
  printf("%-28s %12s %12s %8s %12s %12s %8s\n", "part type", "composed pJ", "measured pJ",
         "error", "composed um2", "measured um2", "error");
  for (unsigned k = 0; k < count; k++)
    printf("%-28s %12.3f %12.3f %+7.2f%% %12.1f %12.1f %+7.2f%%\n", e[k].name, e[k].composed_pj,
           e[k].measured_pj, 100 * e[k].energy_error, e[k].composed_um2, e[k].measured_um2,
           100 * e[k].area_error);
}

static int write_json(const compose_cli *cc, const ssa_composition *c, const ssa_energy *m,
                      const ssa_compose_error *e, double measure_seconds, ssa_error *err) {
  ssa_outfile of;
  FILE *f = ssa_synth_cli_json_begin(&cc->c, cc->c.json, &of, err);
  if (f == NULL) return -1;
  fprintf(f, ",\n  \"base\": ");
  ssa_json_string(f, c->base);
  fprintf(f, ",\n  \"base_cached\": %s,\n  \"library\": ", c->base_cached ? "true" : "false");
  ssa_json_string(f, ssa_synth_cli_library(&cc->c)->name);
  fprintf(f, ",\n  \"steps\": %u, \"rate\": ", c->steps);
  ssa_json_number(f, cc->c.rate);
  const ssa_json_number_member top[] = {
      {"clock_mhz", c->clock_mhz},
      {"voltage_v", c->voltage_v},
      {"load_ff", c->load_ff},
      {"clocks_per_step", c->clocks_per_step},
      {"energy_per_step_pj", c->per_step_fj * 1e-3},
      {"energy_per_attention_pj", c->per_attention_fj * 1e-3},
      {"area_um2", c->total.area_um2},
      {"cells", c->total.cells},
      {"seconds", c->seconds}};
  ssa_json_member_numbers(f, top, sizeof top / sizeof top[0]);
  fprintf(f, ",\n  \"part_types\": [");
  for (unsigned k = 0; k < c->count; k++) {
    const ssa_composed_part *p = &c->part[k];
    fprintf(f, "%s\n    {\"name\": ", k ? "," : "");
    ssa_json_string(f, p->name);
    fprintf(f, ", \"instances\": %lu, \"same_as_base\": %s, \"measured_at_size\": %s",
            p->instances, p->same ? "true" : "false", p->measured ? "true" : "false");
    const ssa_json_number_member pm[] = {
        {"cells", p->cells},           {"flops", p->flops},
        {"area_um2", p->area_um2},     {"toggles_per_step", p->toggles},
        {"dynamic_pj", p->dynamic_fj * 1e-3}, {"clock_pj", p->clock_fj * 1e-3},
        {"leakage_pj", p->leakage_fj * 1e-3},
        {"energy_per_step_pj", (p->dynamic_fj + p->clock_fj + p->leakage_fj) * 1e-3}};
    ssa_json_member_numbers(f, pm, sizeof pm / sizeof pm[0]);
    fprintf(f, "}");
  }
  fprintf(f, "\n  ]");
  if (m != NULL) {
    fprintf(f, ",\n  \"validation\": {\"seconds\": ");
    ssa_json_number(f, measure_seconds);
    fprintf(f, ", \"parts\": [");
    for (unsigned k = 0; k <= c->count; k++) {
      fprintf(f, "%s\n    {\"name\": ", k ? "," : "");
      ssa_json_string(f, e[k].name);
      const ssa_json_number_member em[] = {
          {"composed_pj", e[k].composed_pj},   {"measured_pj", e[k].measured_pj},
          {"energy_error", e[k].energy_error}, {"composed_um2", e[k].composed_um2},
          {"measured_um2", e[k].measured_um2}, {"area_error", e[k].area_error}};
      ssa_json_member_numbers(f, em, sizeof em / sizeof em[0]);
      fprintf(f, "}");
    }
    fprintf(f, "\n  ]}");
  }
  fprintf(f, "\n}\n");
  return ssa_outfile_commit(&of, err);
}

/* The whole design measured as `ssa energy` measures it, and compared: 0, 1 the netlist differs
 * from the golden model, -1 error. */
static int validate(compose_cli *cc, const ssa_composition *c, ssa_measurement *m,
                    ssa_compose_error *e, double *seconds, ssa_error *err) {
  double start = ssa_seconds_now();
  if ((cc->c.input != NULL
           ? ssa_subject_run_input(&cc->c.subject, cc->c.input, cc->c.steps, err)
           : ssa_subject_run(&cc->c.subject, cc->c.rate, cc->c.steps, err)) != 0)
    return -1;
  ssa_measure_opts mo = {.synth = cc->c.synth, .library = ssa_synth_cli_library(&cc->c),
                         .cache_dir = cc->c.cache, .clock_mhz = cc->c.clock_mhz};
  int rc = ssa_measure(&cc->c.subject, &mo, m, err);
  *seconds = ssa_seconds_now() - start;
  if (rc == 1) {
    ssa_fail(err, "MISMATCH: the netlist of %s differs from the golden model at clock %u",
             c->design, m->activity.first.cycle);
    ssa_measurement_free(m);
    return 1;
  }
  if (rc != 0) return -1;
  if (ssa_compose_compare(c, &m->energy, e, err) != 0) {
    ssa_measurement_free(m);
    return -1;
  }
  return 0;
}

int ssa_cmd_compose(int argc, char **argv) {
  compose_cli cc;
  ssa_error err;
  int rc = parse(&cc, argc, argv, &err);
  if (rc == 1) {
    print_help();
    return SSA_EXIT_OK;
  }
  if (rc != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  char opts[512];
  ssa_subject_options(&cc.c.subject, opts, sizeof opts);
  ssa_compose_opts co = {
      .base_tokens = cc.from, .steps = cc.c.steps, .base_steps = cc.base_steps,
      .rate = cc.c.rate, .at_size = cc.at_size, .input = cc.c.input,
      .measure = {.synth = cc.c.synth, .library = ssa_synth_cli_library(&cc.c),
                  .cache_dir = cc.c.cache, .clock_mhz = cc.c.clock_mhz},
      .progress = cc.c.synth.progress};
  ssa_composition c;
  ssa_measurement m;
  ssa_compose_error errors[SSA_SYNTH_MAX_GROUPS + 1];
  double measure_seconds = 0;
  int measured = 0;
  rc = ssa_compose(ssa_subject_kind(&cc.c.subject), opts, &co, &c, &err);
  if (rc == 0) {
    char stimulus[4200];
    if (cc.c.input != NULL)
      snprintf(stimulus, sizeof stimulus, "--input %s (the base: --rate %g)", cc.c.input,
               cc.c.rate);
    else
      snprintf(stimulus, sizeof stimulus, "--rate %g", cc.c.rate);
    printf("ssa compose %s --steps %u %s  (%s flow, %s)\n", c.design, c.steps, stimulus,
           ssa_flow_name(cc.c.synth.flow), ssa_synth_cli_library(&cc.c)->name);
    printf("base: %s, measured at gate level%s; composed in %.1f s\n\n", c.base,
           c.base_cached ? " (profile from the cache)" : "", c.seconds);
    print_composition(&c, cc.c.input);
  }
  if (rc == 0 && cc.validate) {
    rc = validate(&cc, &c, &m, errors, &measure_seconds, &err);
    measured = rc == 0;
    if (rc == 0) {
      printf("\nvalidation: the whole netlist synthesized and simulated (%.1f s), steady state "
             "per step:\n", measure_seconds);
      print_errors(errors, c.count + 1);
      ssa_print_energy_window(&m.energy);
    }
  }
  if (rc == 0 && cc.c.json != NULL)
    rc = write_json(&cc, &c, measured ? &m.energy : NULL, errors, measure_seconds, &err);
  if (measured) ssa_measurement_free(&m);
  if (rc != 0) fprintf(stderr, "ssa: %s\n", err.msg);
  ssa_synth_cli_free(&cc.c);
  return rc != 0 ? SSA_EXIT_FAIL : SSA_EXIT_OK;
}
