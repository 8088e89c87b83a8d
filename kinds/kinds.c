/* kinds.c -- the table of stepped kinds and their shared helpers (see kinds.h). */
#include "kinds.h"

#include "../core/exact_params.h"

#include <stdlib.h>
#include <string.h>

#include "../core/stimulus.h"
#include "../core/intlines.h"
#include "../core/spikefile.h"

static const ssa_kind *const kinds[] = {&ssa_kind_attention, &ssa_kind_encoder, &ssa_kind_lif, &ssa_kind_linear,
                                        &ssa_kind_exact_attention, &ssa_kind_block,
                                        &ssa_kind_ann_attention};

const ssa_kind *ssa_kind_find(const char *name) {
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
    if (strcmp(kinds[k]->name, name) == 0) return kinds[k];
  return NULL;
}

const char *ssa_kind_names(void) {
  /* built once from the table, so no list of kinds is ever written by hand */
  static char names[256];
  if (names[0] == '\0')
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
      size_t used = strlen(names);
      snprintf(names + used, sizeof names - used, "%s%s", k > 0 ? ", " : "", kinds[k]->name);
    }
  return names;
}

const ssa_kind *ssa_kind_at(unsigned index) {
  return index < sizeof kinds / sizeof kinds[0] ? kinds[index] : NULL;
}

int ssa_kind_seed(const ssa_kind *k, const void *params, uint64_t *seed) {
  for (const ssa_option *o = k->options; o->name != NULL; o++)
    if (strcmp(o->name, "--seed") == 0) {
      *seed = *(const uint64_t *)((const char *)params + o->offset);
      return 1;
    }
  *seed = 1;
  return 0;
}

void ssa_kind_defaults(const ssa_kind *k, void *params) {
  memset(params, 0, k->params_size);
  if (k->defaults != NULL) k->defaults(params);
  ssa_options_defaults(k->options, params);
}

int ssa_kind_option(const ssa_kind *k, ssa_cli *c, const char *opt, void *params, ssa_error *err) {
  return ssa_options_parse(k->options, c, opt, params, err);
}

int ssa_kind_prepare(const ssa_kind *k, void *params, ssa_error *err) {
  if (ssa_options_check_required(k->options, params, err) != 0) return -1;
  return k->prepare != NULL ? k->prepare(params, err) : 0;
}

void ssa_kind_line(const ssa_kind *k, const void *params, char *buf, size_t len) {
  ssa_options_line(k->options, params, buf, len);
}

int ssa_kind_emit(const ssa_kind *k, const void *params, ssa_design *d, ssa_error *err) {
  char line[512];
  ssa_kind_line(k, params, line, sizeof line);
  return k->emit(params, line, d, err);
}

char *ssa_kind_options_help(const ssa_kind *k) { return ssa_options_help(k->options); }

int ssa_kind_resolve_steps(const char *path, unsigned file_steps, unsigned requested,
                           unsigned *steps, ssa_error *err) {
  if (file_steps > 1 && requested != 0 && requested != file_steps)
    return ssa_fail(err, "--steps %u: %s has %u steps (a single-step file is held for any number "
                    "of steps)", requested, path, file_steps);
  *steps = file_steps > 1 ? file_steps : requested != 0 ? requested : SSA_KIND_DEFAULT_STEPS;
  return 0;
}

void ssa_write_step_spikes(FILE *f, const ssa_step_data *s, unsigned port, unsigned rows,
                           unsigned cols, int summary, int step_headers, char block,
                           const char *comment) {
  if (comment != NULL && !summary) {
    const char *line = comment;
    while (*line != '\0') {
      const char *end = strchr(line, '\n');
      size_t n = end == NULL ? strlen(line) : (size_t)(end - line);
      fprintf(f, "# %.*s\n", (int)n, line);
      line += n + (end != NULL);
    }
  }
  if (summary) {
    /* counts of every output, from the set bits of each step's words */
    size_t bits = (size_t)rows * cols, words = (bits + 63) / 64;
    unsigned *count = calloc(bits + 1, sizeof *count);
    if (count == NULL) {
      fprintf(f, "# out of memory for the summary\n");
      return;
    }
    for (unsigned t = 0; t < s->steps; t++) {
      const uint64_t *w = ssa_step_out(s, t, port);
      for (size_t k = 0; k < words; k++)
        for (uint64_t v = w[k]; v != 0; v &= v - 1) count[k * 64 + (size_t)__builtin_ctzll(v)]++;
    }
    for (unsigned r = 0; r < rows; r++)
      for (unsigned c = 0; c < cols; c++)
        fprintf(f, c + 1 < cols ? "%u " : "%u\n", count[(size_t)r * cols + c]);
    free(count);
    return;
  }
  for (unsigned t = 0; t < s->steps; t++) {
    if (step_headers) fprintf(f, "step %u\n%c\n", t, block);
    const uint64_t *w = ssa_step_out(s, t, port);
    for (unsigned r = 0; r < rows; r++) {
      for (unsigned c = 0; c < cols; c++) putc(ssa_words_bit(w, (size_t)r * cols + c) ? '1' : '0', f);
      putc('\n', f);
    }
  }
}

int ssa_kind_parse_options(const ssa_kind *k, void *params, char *options, ssa_error *err) {
  char *argv[64];
  int argc = 0;
  for (char *save = NULL, *tok = strtok_r(options, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
    if (argc == 63) return ssa_fail(err, "%s: too many options", k->name);
    argv[argc++] = tok;
  }
  argv[argc] = NULL;
  ssa_cli cli;
  char command[64];
  snprintf(command, sizeof command, "gen %s", k->name);
  ssa_cli_init(&cli, argc, argv, command);
  ssa_kind_defaults(k, params);
  for (const char *opt; (opt = ssa_cli_next(&cli)) != NULL;) {
    int rc = ssa_kind_option(k, &cli, opt, params, err);
    if (rc == 0) return ssa_cli_unknown(&cli, opt, err);
    if (rc < 0) return -1;
  }
  return ssa_kind_prepare(k, params, err);
}

int ssa_kind_read_spikes(const ssa_design *d, const char *path, unsigned steps, const char *blocks,
                         const char *const ports[], unsigned rows, unsigned cols, ssa_step_data *s,
                         ssa_error *err) {
  ssa_spike_steps x;
  if (ssa_spikes_read(path, blocks, rows, cols, &x, err) != 0) return -1;
  int rc = ssa_kind_resolve_steps(path, x.steps, steps, &steps, err);
  if (rc == 0) rc = ssa_step_data_init(s, d, steps, err);
  for (unsigned t = 0; rc == 0 && t < steps; t++)
    for (unsigned b = 0; b < x.block_count; b++)
      ssa_bitmat_to_flat(ssa_spike_block(&x, x.steps == 1 ? 0 : t, b),
                         ssa_step_in(s, t, (unsigned)ssa_design_port_index(d, ports[b])));
  ssa_spike_steps_free(&x);
  return rc;
}

int ssa_kind_random_spikes(const ssa_design *d, unsigned steps, double rate, uint64_t seed,
                           unsigned count, const char *const ports[], unsigned rows, unsigned cols,
                           ssa_step_data *s, ssa_error *err) {
  if (ssa_step_data_init(s, d, steps, err) != 0) return -1;
  unsigned port[4];
  for (unsigned b = 0; b < count && b < 4; b++) port[b] = (unsigned)ssa_design_port_index(d, ports[b]);
  ssa_rng rng;
  ssa_rng_seed(&rng, seed, SSA_STREAM_STIMULUS);
  for (unsigned t = 0; t < steps; t++)
    for (unsigned b = 0; b < count; b++)
      ssa_rng_bits(&rng, ssa_step_in(s, t, port[b]), (size_t)rows * cols, rate);
  return 0;
}

int ssa_kind_read_ints(const ssa_design *d, const char *path, unsigned steps, const char *port,
                       unsigned count, unsigned bits, int64_t min, int64_t max,
                       const char *range_reason, ssa_step_data *s, ssa_error *err) {
  ssa_int_lines lines;
  if (ssa_int_lines_read(path, count, min, max, range_reason, &lines, err) != 0) return -1;
  int rc = ssa_kind_resolve_steps(path, lines.lines, steps, &steps, err);
  if (rc == 0) rc = ssa_step_data_init(s, d, steps, err);
  unsigned index = (unsigned)ssa_design_port_index(d, port);
  for (unsigned t = 0; rc == 0 && t < steps; t++) {
    const int64_t *row = &lines.values[(size_t)(lines.lines == 1 ? 0 : t) * count];
    for (unsigned m = 0; m < count; m++)
      ssa_words_put_field(ssa_step_in(s, t, index), (size_t)m * bits, bits, (uint64_t)row[m]);
  }
  ssa_int_lines_free(&lines);
  return rc;
}

static const char *const qkv_ports[3] = {"q_i", "k_i", "v_i"};

const char ssa_qkv_input_help[] =
    "  --input FILE      spike text format: 'step t', then Q, K and V blocks of N lines of\n"
    "                    E = H*D '0'/'1'; a single step is held for every step\n"
    "  --rate P          instead of --input: i.i.d. spikes with probability P from the\n"
    "                    stimulus stream of the seed (--seed, or 1 without one)\n";
const char ssa_qkv_output_help[] =
    "Prints the spike text format: per step an O block of N lines of E characters, or\n"
    "with --summary one line per token of E spike counts.\n";

int ssa_kind_golden_qkv(ssa_step_data *s, ssa_qkv_shape shape, ssa_qkv_step_fn *step, void *model,
                        ssa_error *err) {
  ssa_bitmat m[4];
  unsigned made = 0;
  while (made < 4 && ssa_bitmat_init(&m[made], shape.tokens, shape.heads * shape.dim) == 0) made++;
  int rc = made < 4 ? ssa_fail(err, "out of memory") : 0;
  unsigned port[4];
  for (unsigned b = 0; b < 3; b++) port[b] = (unsigned)ssa_design_port_index(s->design, qkv_ports[b]);
  port[3] = (unsigned)ssa_design_port_index(s->design, "o_o");
  for (unsigned t = 0; rc == 0 && t < s->steps; t++) {
    for (unsigned b = 0; b < 3; b++) ssa_bitmat_from_flat(&m[b], ssa_step_in(s, t, port[b]));
    step(model, &m[0], &m[1], &m[2], &m[3]);
    ssa_bitmat_to_flat(&m[3], ssa_step_out(s, t, port[3]));
  }
  while (made > 0) ssa_bitmat_free(&m[--made]);
  return rc;
}

const char ssa_line_output_help[] =
    "Prints one line per step of M characters '0'/'1' (output m's spike), or with\n"
    "--summary one line of M spike counts.\n";

void ssa_kind_line_io(ssa_kind_io *io, unsigned count, const char *noun) {
  *io = (ssa_kind_io){.out_port = "spike_o", .out_block = 'S', .out_rows = 1, .out_cols = count,
                      .col_noun = noun};
}

/* The hooks below read both attention kinds' params as their shape. */
SSA_QKV_SHAPE_FIRST(ssa_attention_params);
SSA_QKV_SHAPE_FIRST(ssa_exact_attention_params);

static ssa_qkv_shape shape_of(const void *params) { return *(const ssa_qkv_shape *)params; }

void ssa_kind_qkv_io(const void *params, ssa_kind_io *io) {
  ssa_qkv_shape shape = shape_of(params);
  unsigned e = shape.heads * shape.dim;
  *io = (ssa_kind_io){.in_blocks = "QKV", .in_ports = qkv_ports, .in_rows = shape.tokens,
                      .in_cols = e, .out_port = "o_o", .out_block = 'O', .out_headers = 1,
                      .out_rows = shape.tokens, .out_cols = e};
}

void ssa_kind_qkv_describe_bit(const void *params, const ssa_design *d, unsigned port,
                               unsigned bit, char *buf, size_t len) {
  (void)d;
  (void)port;
  ssa_kind_describe_o_bit(shape_of(params), bit, buf, len);
}

void ssa_kind_describe_o_bit(ssa_qkv_shape shape, unsigned bit, char *buf, size_t len) {
  unsigned e = shape.heads * shape.dim, c = bit % e;
  snprintf(buf, len, "token %u, column %u (head %u, d %u)", bit / e, c, c / shape.dim,
           c % shape.dim);
}

int ssa_kind_read_input(const ssa_kind *k, const void *params, const ssa_design *d,
                        const char *path, unsigned steps, ssa_step_data *s, ssa_error *err) {
  if (k->read_input != NULL) return k->read_input(params, d, path, steps, s, err);
  ssa_kind_io io;
  k->io(params, &io);
  return ssa_kind_read_spikes(d, path, steps, io.in_blocks, io.in_ports, io.in_rows, io.in_cols,
                              s, err);
}

int ssa_kind_random_input(const ssa_kind *k, const void *params, const ssa_design *d,
                          unsigned steps, double rate, uint64_t seed, ssa_step_data *s,
                          ssa_error *err) {
  if (k->random_input != NULL) return k->random_input(params, d, steps, rate, seed, s, err);
  ssa_kind_io io;
  k->io(params, &io);
  return ssa_kind_random_spikes(d, steps, rate, seed, (unsigned)strlen(io.in_blocks), io.in_ports,
                                io.in_rows, io.in_cols, s, err);
}

void ssa_kind_write_output(const ssa_kind *k, FILE *f, const void *params, const ssa_step_data *s,
                           int summary, const char *comment) {
  if (k->write_output != NULL) {
    k->write_output(f, params, s, summary, comment);
    return;
  }
  ssa_kind_io io;
  k->io(params, &io);
  char text[800];
  if (io.out_headers) /* the spike text format says what its blocks hold */
    snprintf(text, sizeof text, "%s\noutput spikes %c: %u tokens x %u columns per step",
             comment != NULL ? comment : "", io.out_block, io.out_rows, io.out_cols);
  else
    snprintf(text, sizeof text, "%s", comment != NULL ? comment : "");
  int port = ssa_design_port_index(s->design, io.out_port);
  ssa_write_step_spikes(f, s, (unsigned)port, io.out_rows, io.out_cols, summary, io.out_headers,
                        io.out_block, comment != NULL ? text : NULL);
}

void ssa_kind_describe_bit(const ssa_kind *k, const void *params, const ssa_design *d,
                           unsigned port, unsigned bit, char *buf, size_t len) {
  if (k->describe_bit != NULL) {
    k->describe_bit(params, d, port, bit, buf, len);
    return;
  }
  ssa_kind_io io;
  k->io(params, &io);
  if (io.row_noun != NULL)
    snprintf(buf, len, "%s %u, %s %u", io.row_noun, bit / io.out_cols, io.col_noun, bit % io.out_cols);
  else
    snprintf(buf, len, "%s %u", io.col_noun, bit);
}
