/* kind_ann.c -- `ssa gen|sim ann-attention`: the int8 ANN attention, the baseline a hardware
 * engineer would build against the SC block (core/ann_params.h defines it,
 * golden/ann_attention.h computes it, gen/emit_ann.h emits it). Stimulus: integer lines
 * (core/intlines.h), one line per step of 3 N E int8 values, Q, K then V row-major; output:
 * one line per step of N E int8 values. Ports q_i, k_i, v_i, o_o: value (i, c) at bits
 * [(i*E + c)*8 +: 8], two's complement. Deterministic: no seed. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/intlines.h"
#include "../gen/emit_ann.h"
#include "../golden/ann_attention.h"
#include "kinds.h"

#define VALUE_BITS 8u

static const char *const ports[3] = {"q_i", "k_i", "v_i"};

static const ssa_option options[] = {
    SSA_OPTION_ATTENTION_SHAPE(ssa_ann_attention_params, "heads (E = H * D columns)"),
    {.name = "--softmax", .metavar = "MODE", .type = SSA_OPTION_CHOICE,
     .offset = offsetof(ssa_ann_attention_params, softmax), .choices = ssa_ann_softmax_names,
     .def = SSA_ANN_SOFTMAX_INT,
     .help = "int: integer softmax (base-2 exponent by table and shift, one reciprocal per row, "
             "8-bit weights); none: the raw scores Q K^T weigh V, as in the SC block"},
    {.name = "--score-shift", .metavar = "Z", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(ssa_ann_attention_params, score_shift), .min = 0,
     .max = SSA_ANN_MAX_SCORE_SHIFT, .def = 0,
     .help = "the exponent is 2^(-x/16) of x = (max_j S - S) >> Z, so 2^Z score units are 1/16 "
             "of a halving; accepted and unused with --softmax none"},
    {.name = "--out-shift", .metavar = "Y", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(ssa_ann_attention_params, out_shift), .min = 0,
     .max = SSA_ANN_MAX_OUT_SHIFT, .def = SSA_ANN_OUT_SHIFT_DEFAULT,
     .def_text = "8 for int, 14 + log2 N + log2 D for none",
     .help = "O = sat8((P V + 2^(Y-1)) >>> Y), rounded to nearest"},
    {.name = "--macs", .metavar = "M", .type = SSA_OPTION_UNSIGNED,
     .offset = offsetof(ssa_ann_attention_params, macs), .min = 0, .max = SSA_ANN_MAX_DIM,
     .def = 0,
     .help = "0: fully parallel, one attention per clock; M: M multiply-accumulate units, "
             "latency in the banner; M a power of two up to D"},
    {0}};

static int prepare(void *params, ssa_error *err) {
  return ssa_ann_attention_params_prepare(params, err);
}

static void release(void *params) { (void)params; }

static int emit(const void *params, const char *line, ssa_design *d, ssa_error *err) {
  return ssa_emit_ann_attention(params, line, d, err);
}

static unsigned columns(const ssa_ann_attention_params *p) { return p->heads * p->dim; }
static size_t values(const ssa_ann_attention_params *p) {
  return (size_t)p->tokens * columns(p);
}

static int read_input(const void *params, const ssa_design *d, const char *path, unsigned steps,
                      ssa_step_data *s, ssa_error *err) {
  const ssa_ann_attention_params *p = params;
  size_t n = values(p); /* per block; 3 N E <= 3 * 2^20 values per line */
  ssa_int_lines lines;
  if (ssa_int_lines_read(path, (unsigned)(3 * n), INT8_MIN, INT8_MAX, "int8 Q, K, V", &lines,
                         err) != 0)
    return -1;
  int rc = ssa_kind_resolve_steps(path, lines.lines, steps, &steps, err);
  if (rc == 0) rc = ssa_step_data_init(s, d, steps, err);
  for (unsigned t = 0; rc == 0 && t < steps; t++) {
    const int64_t *line = &lines.values[(size_t)(lines.lines == 1 ? 0 : t) * 3 * n];
    for (unsigned b = 0; b < 3; b++) {
      uint64_t *w = ssa_step_in(s, t, (unsigned)ssa_design_port_index(d, ports[b]));
      for (size_t x = 0; x < n; x++)
        ssa_words_put_field(w, x * VALUE_BITS, VALUE_BITS, (uint64_t)line[b * n + x]);
    }
  }
  ssa_int_lines_free(&lines);
  return rc;
}

/* --rate P: every bit of every value is 1 with probability P, so P = 0.5 gives uniform int8
 * values, P = 0 all 0 and P = 1 all -1. The ports' layout is a block of N rows of 8E bits, so
 * the spike kinds' drawing (step by step, Q, K, V, ssa_rng_bits over each block) serves as it
 * is; the seed is 1 (ssa_kind_seed: no --seed). */
static int random_input(const void *params, const ssa_design *d, unsigned steps, double rate,
                        uint64_t seed, ssa_step_data *s, ssa_error *err) {
  const ssa_ann_attention_params *p = params;
  return ssa_kind_random_spikes(d, steps, rate, seed, 3, ports, p->tokens,
                                columns(p) * VALUE_BITS, s, err);
}

static void get_values(const uint64_t *w, size_t n, int8_t *out) {
  for (size_t x = 0; x < n; x++)
    out[x] = (int8_t)ssa_words_get_signed(w, x * VALUE_BITS, VALUE_BITS);
}

static int golden(const void *params, ssa_step_data *s, ssa_error *err) {
  const ssa_ann_attention_params *p = params;
  size_t n = values(p);
  int port[4];
  for (unsigned b = 0; b < 3; b++) port[b] = ssa_design_port_index(s->design, ports[b]);
  port[3] = ssa_design_port_index(s->design, "o_o");
  ssa_golden_ann g;
  if (ssa_golden_ann_init(&g, p, err) != 0) return -1;
  int8_t *m = malloc(4 * n);
  if (m == NULL) {
    ssa_golden_ann_free(&g);
    return ssa_fail(err, "out of memory");
  }
  for (unsigned t = 0; t < s->steps; t++) {
    for (unsigned b = 0; b < 3; b++) get_values(ssa_step_in(s, t, (unsigned)port[b]), n, m + b * n);
    ssa_golden_ann_step(&g, m, m + n, m + 2 * n, m + 3 * n);
    uint64_t *o = ssa_step_out(s, t, (unsigned)port[3]);
    for (size_t x = 0; x < n; x++)
      ssa_words_put_field(o, x * VALUE_BITS, VALUE_BITS, (uint64_t)(uint8_t)m[3 * n + x]);
  }
  free(m);
  ssa_golden_ann_free(&g);
  return 0;
}

/* One line per step of N E values; --summary one line per step: how many outputs are not 0,
 * and the sum of all of them. */
static void write_output(FILE *f, const void *params, const ssa_step_data *s, int summary,
                         const char *comment) {
  const ssa_ann_attention_params *p = params;
  size_t n = values(p);
  int port = ssa_design_port_index(s->design, "o_o");
  if (comment != NULL && !summary) {
    for (const char *line = comment; *line != '\0';) {
      size_t len = strcspn(line, "\n");
      fprintf(f, "# %.*s\n", (int)len, line);
      line += len + (line[len] == '\n');
    }
    fprintf(f, "# output O: %u tokens x %u columns of int8 per step, one line per step, "
            "value (i, c) at i * %u + c\n", p->tokens, columns(p), columns(p));
  }
  for (unsigned t = 0; t < s->steps; t++) {
    const uint64_t *w = ssa_step_out(s, t, (unsigned)port);
    size_t nonzero = 0;
    int64_t sum = 0;
    for (size_t x = 0; x < n; x++) {
      int64_t o = ssa_words_get_signed(w, x * VALUE_BITS, VALUE_BITS);
      if (summary) {
        nonzero += o != 0;
        sum += o;
      } else {
        fprintf(f, x + 1 < n ? "%lld " : "%lld\n", (long long)o);
      }
    }
    if (summary) fprintf(f, "%zu %lld\n", nonzero, (long long)sum);
  }
}

static void io(const void *params, ssa_kind_io *io) {
  const ssa_ann_attention_params *p = params;
  *io = (ssa_kind_io){.in_ports = ports, .in_rows = p->tokens, .in_cols = columns(p) * VALUE_BITS,
                      .out_port = "o_o", .out_rows = p->tokens,
                      .out_cols = columns(p) * VALUE_BITS, .row_noun = "token",
                      .col_noun = "bit"};
}

static void describe_bit(const void *params, const ssa_design *d, unsigned port, unsigned bit,
                         char *buf, size_t len) {
  (void)d;
  (void)port;
  unsigned e = columns(params), value = bit / VALUE_BITS;
  snprintf(buf, len, "token %u, column %u, bit %u", value / e, value % e, bit % VALUE_BITS);
}

const ssa_kind ssa_kind_ann_attention = {
    SSA_KIND_ENTRY("ann-attention",
                   "int8 ANN attention (the conventional baseline): integer softmax(Q K^T) V",
                   ssa_ann_attention_params),
    .drain_cycles = 1,
    .io = io,
    .read_input = read_input,
    .random_input = random_input,
    .write_output = write_output,
    .describe_bit = describe_bit,
    .input_help =
        "  --input FILE      one line per step of 3 N E integers from -128 to 127: Q, K, then V,\n"
        "                    each row-major (value (i, c) at i * E + c, E = H*D); a single\n"
        "                    line is held for every step\n"
        "  --rate P          instead of --input: every bit of every value 1 with probability P\n"
        "                    (0.5: uniform int8), from the stimulus stream of seed 1\n",
    .output_help =
        "Prints one line per step of N E integers from -128 to 127, O row-major (value (i, c)\n"
        "at i * E + c), or with --summary one line per step: how many outputs are not 0, and\n"
        "their sum.\n",
};
