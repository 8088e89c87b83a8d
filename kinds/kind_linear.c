/* kind_linear.c -- `ssa gen|sim linear`: the spiking linear layer with its LIF array, in
 * parallel or folded form (emit_linear.h). Stimulus: the spike text format with one X block
 * of N tokens x I inputs per step; output: one Y block of N x O spikes per step. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../golden/linear.h"
#include "../gen/emit_linear.h"
#include "../gen/emit_util.h"
#include "kinds.h"
#include "rtl_sources.h"

typedef struct linear_params {
  unsigned tokens, inputs, outputs, weight_bits, fold;
  ssa_lif_params lif;
  const char *weights_path;
  const char *layer_name;        /* NULL: the file's only layer */
  ssa_weights weights;           /* loaded by prepare */
  ssa_linear_spec spec;
} linear_params;

static const ssa_option options[] = {
    {.name = "--tokens", .metavar = "N", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(linear_params, tokens), .min = 1, .max = SSA_LINEAR_MAX_TOKENS, .def = 1,
     .help = "tokens, each through the same weights"},
    {.name = "--inputs", .metavar = "I", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(linear_params, inputs), .min = 1, .max = SSA_WEIGHTS_MAX_DIM,
     .flags = SSA_OPTION_REQUIRED, .help = "inputs per token"},
    {.name = "--outputs", .metavar = "O", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(linear_params, outputs), .min = 1, .max = SSA_WEIGHTS_MAX_DIM,
     .flags = SSA_OPTION_REQUIRED, .help = "outputs per token"},
    {.name = "--weights", .metavar = "FILE", .type = SSA_OPTION_STRING,
     .offset = offsetof(linear_params, weights_path), .flags = SSA_OPTION_REQUIRED,
     .help = "weights file (docs/weights-format.md), a layer of O x I"},
    {.name = "--layer", .metavar = "NAME", .type = SSA_OPTION_STRING,
     .offset = offsetof(linear_params, layer_name), .flags = SSA_OPTION_LINE_IF_SET,
     .def_text = "the file's only layer", .help = "the layer to use"},
    {.name = "--weight-bits", .metavar = "B", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(linear_params, weight_bits), .min = SSA_WEIGHTS_MIN_BITS,
     .max = SSA_WEIGHTS_MAX_BITS, .def = 8, .help = "signed weight width"},
    {.name = "--fold", .metavar = "F", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(linear_params, fold), .min = 0, .max = SSA_WEIGHTS_MAX_DIM, .def = 0,
     .help = "0: fully parallel; F: F inputs per clock, weights in a ROM, a step takes "
             "N * ceil(I/F) clocks; at most --inputs"},
    SSA_OPTION_LIF(linear_params, lif),
    {0}};

static const char *const x_port[] = {"x_i"};

static int prepare(void *params, ssa_error *err) {
  linear_params *p = params;
  if (p->fold > p->inputs)
    return ssa_fail(err, "--fold %u: at most --inputs %u (0 for the parallel form)", p->fold,
                    p->inputs);
  if (ssa_lif_params_check(&p->lif, err) != 0) return -1;
  if (ssa_weights_read(p->weights_path, p->weight_bits, &p->weights, err) != 0) return -1;
  const char *name = p->layer_name;
  if (name == NULL && p->weights.count != 1) {
    ssa_weights_free(&p->weights);
    return ssa_fail(err, "%s: %u layers; choose one with --layer NAME", p->weights_path,
                    p->weights.count);
  }
  if (name == NULL) name = p->weights.layers[0].name;
  const ssa_weight_layer *layer;
  if (ssa_weights_expect(&p->weights, name, p->outputs, p->inputs, NULL, &layer, err) != 0) {
    ssa_weights_free(&p->weights);
    return -1;
  }
  p->spec.tokens = p->tokens;
  p->spec.weight_bits = p->weight_bits;
  p->spec.fold = p->fold;
  p->spec.lif = p->lif;
  p->spec.layer = layer;
  return 0;
}

static void release(void *params) { ssa_weights_free(&((linear_params *)params)->weights); }

static int emit(const void *params, const char *line, ssa_design *d, ssa_error *err) {
  const linear_params *p = params;
  memset(d, 0, sizeof *d);
  ssa_emitter e;
  if (ssa_emitter_open(&e, err) != 0) return -1;
  snprintf(d->options, sizeof d->options, "%s", line);
  ssa_emit_banner(e.f, "ssa_linear.v", "spiking linear layer with LIF neurons", "linear", d->options);
  ssa_out(e.f, "//\n// For each token n and output o: I = sum of W[o, i] over inputs i with x[n, i] = 1,\n"
               "// then a LIF neuron (docs/fixed-point.md). Weights from layer '%s' of the weights "
               "file.\n", p->spec.layer->name);
  ssa_emit_linear_summary(e.f, &p->spec);
  ssa_out(e.f, "// Ports: x_i bit n*I + i is input i of token n; y_o bit n*O + o is output o of token n.\n\n"
               "`timescale 1ns / 1ps\n\n");
  ssa_emit_linear_module(e.f, &p->spec, "ssa_linear");
  if (ssa_emitter_close(&e, d, "ssa_linear.v", err) != 0 ||
      ssa_emit_add_lif(d, err) != 0) {
    ssa_design_free(d);
    return -1;
  }
  ssa_design_name(d, "linear", "ssa_linear", ssa_linear_latency(&p->spec));
  d->interval = ssa_linear_interval(&p->spec);
  ssa_design_add_stream_ports(d, p->fold != 0, x_port, 1, p->tokens * p->inputs, "y_o",
                              p->tokens * p->outputs);
  return 0;
}

static int golden(const void *params, ssa_step_data *s, ssa_error *err) {
  const linear_params *p = params;
  ssa_golden_linear g;
  if (ssa_golden_linear_init(&g, p->spec.layer, &p->lif, p->tokens, err) != 0) return -1;
  int in = ssa_design_port_index(s->design, "x_i"), out = ssa_design_port_index(s->design, "y_o");
  for (unsigned t = 0; t < s->steps; t++)
    ssa_golden_linear_step(&g, ssa_step_in(s, t, (unsigned)in), ssa_step_out(s, t, (unsigned)out));
  ssa_golden_linear_free(&g);
  return 0;
}

static void io(const void *params, ssa_kind_io *io) {
  const linear_params *p = params;
  *io = (ssa_kind_io){.in_blocks = "X", .in_ports = x_port, .in_rows = p->tokens,
                      .in_cols = p->inputs, .out_port = "y_o", .out_block = 'Y',
                      .out_headers = 1, .out_rows = p->tokens, .out_cols = p->outputs,
                      .row_noun = "token", .col_noun = "output"};
}

const ssa_kind ssa_kind_linear = {
    SSA_KIND_ENTRY("linear",
                   "spiking linear layer (binary inputs, signed weights, no multiplier) and LIF",
                   linear_params),
    .input_help = "  --input FILE      spike text format: 'step t', then an X block of N lines of I\n"
                  "                    '0'/'1'; a single step is held for every step\n"
                  "  --rate P          instead of --input: i.i.d. spikes with probability P\n",
    .output_help = "Prints the spike text format: per step a Y block of N lines of O characters,\n"
                   "or with --summary one line per token of O spike counts.\n",
    .io = io,
};
