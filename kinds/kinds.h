/* kinds.h -- the stepped kinds and the pieces they share (option parsers, output writers).
 * Each kind_<name>.c defines one ssa_kind; kinds.c holds the table. */
#ifndef SSA_KINDS_H
#define SSA_KINDS_H

#include "../golden/lif.h"
#include <stddef.h>

#include "../core/bitmat.h"
#include "../core/lif_params.h"
#include "../core/plan.h"
#include "kind.h"

extern const ssa_kind ssa_kind_attention;
extern const ssa_kind ssa_kind_encoder;
extern const ssa_kind ssa_kind_lif;
extern const ssa_kind ssa_kind_linear;
extern const ssa_kind ssa_kind_exact_attention;
extern const ssa_kind ssa_kind_block;
extern const ssa_kind ssa_kind_ann_attention;

/* Output port `port` of every step as spikes: with `step_headers` 0, one line of `cols`
 * characters per step per row (rows lines per step); with it 1, the spike text format
 * ("step t", the block letter, rows lines). --summary: per row, the number of steps each
 * column spiked, separated by spaces. */
void ssa_write_step_spikes(FILE *f, const ssa_step_data *s, unsigned port, unsigned rows,
                           unsigned cols, int summary, int step_headers, char block,
                           const char *comment);
/* Stimulus readers the kinds share; each initialises s for design d (steps as for
 * read_input in kind.h). Spike text format: `blocks` (e.g. "QKV") of rows x cols per step,
 * block b into input port ports[b]. */
int ssa_kind_read_spikes(const ssa_design *d, const char *path, unsigned steps, const char *blocks,
                         const char *const ports[], unsigned rows, unsigned cols, ssa_step_data *s,
                         ssa_error *err);
/* --rate P: i.i.d. spikes from the stimulus stream of `seed`, drawn step by step and block by
 * block in port order (Q, K, V), each block's flattened rows x cols bits by ssa_rng_bits.
 * At most 4 blocks. */
int ssa_kind_random_spikes(const ssa_design *d, unsigned steps, double rate, uint64_t seed,
                           unsigned count, const char *const ports[], unsigned rows, unsigned cols,
                           ssa_step_data *s, ssa_error *err);
/* Lines of `count` integers in [min, max] (range_reason names the option), field m of
 * `bits` bits of input port `port`. */
int ssa_kind_read_ints(const ssa_design *d, const char *path, unsigned steps, const char *port,
                       unsigned count, unsigned bits, int64_t min, int64_t max,
                       const char *range_reason, ssa_step_data *s, ssa_error *err);


/* The io of a kind whose output is one line of `count` spikes per step on spike_o, each bit
 * named "<noun> m" (lif, encoder); stimulus read by the kind itself. */
void ssa_kind_line_io(ssa_kind_io *io, unsigned count, const char *noun);
extern const char ssa_line_output_help[];
/* The entry of such a kind: its io, its own stimulus hooks and the shared output text. */
#define SSA_LINE_IO                                                                            \
  .io = io, .read_input = read_input, .random_input = random_input,                            \
  .output_help = ssa_line_output_help

/* The options several kinds share, as entries of their tables: the LIF neuron's (member `M`
 * of params type `T` is an ssa_lif_params) and the LFSR bank's. */
#define SSA_OPTION_LIF_WIDTH(T, M)                                                          \
  {.name = "--width", .metavar = "W", .type = SSA_OPTION_UNSIGNED,                              \
   .offset = offsetof(T, M.width), .min = SSA_LIF_MIN_WIDTH, .max = SSA_LIF_MAX_WIDTH,       \
   .def = 16, .help = "membrane bits, signed"}
#define SSA_OPTION_LIF_LEAK(T, M)                                                           \
  {.name = "--leak-shift", .metavar = "L", .type = SSA_OPTION_UNSIGNED,                         \
   .offset = offsetof(T, M.leak_shift), .min = 0, .max = SSA_LIF_MAX_WIDTH - 1, .def = 1,    \
   .help = "leak u >>> L per step, beta = 1 - 2^-L, below --width"}
#define SSA_OPTION_LIF_THRESHOLD(T, M)                                                      \
  {.name = "--threshold", .metavar = "TH", .type = SSA_OPTION_I64,                              \
   .offset = offsetof(T, M.threshold), .min = 1, .max = 0x7fffffff, .def = 64,               \
   .help = "spike when u >= TH, at most 2^(W-1) - 1"}
#define SSA_OPTION_LIF_RESET(T, M)                                                          \
  {.name = "--reset", .metavar = "R", .type = SSA_OPTION_CHOICE,                                \
   .offset = offsetof(T, M.reset), .choices = ssa_lif_reset_names, .def = SSA_LIF_RESET_ZERO, \
   .help = "the membrane after a spike, u <- 0 (zero) or u <- u - TH (subtract)"}
#define SSA_OPTION_LIF(T, M)                                                                   \
  SSA_OPTION_LIF_WIDTH(T, M), SSA_OPTION_LIF_LEAK(T, M), SSA_OPTION_LIF_THRESHOLD(T, M),          \
      SSA_OPTION_LIF_RESET(T, M)
/* --tokens, a power of two from 2 to SSA_MAX_TOKENS, default 16 (the attention kinds, block). */
#define SSA_OPTION_TOKENS(T, what)                                                             \
  {.name = "--tokens", .metavar = "N", .type = SSA_OPTION_UNSIGNED, .offset = offsetof(T, tokens), \
   .min = 2, .max = SSA_MAX_TOKENS, .flags = SSA_OPTION_POW2, .def = 16, .help = what}
/* --tokens, --dim and --heads of the two attention kinds (the same ranges and defaults). */
#define SSA_OPTION_ATTENTION_SHAPE(T, heads_help)                                              \
  SSA_OPTION_TOKENS(T, "tokens per step"),                                                     \
      {.name = "--dim", .metavar = "D", .type = SSA_OPTION_UNSIGNED, .offset = offsetof(T, dim),  \
       .min = 2, .max = SSA_MAX_DIM, .flags = SSA_OPTION_POW2, .def = 16,                      \
       .help = "dimensions per head"},                                                         \
      {.name = "--heads", .metavar = "H", .type = SSA_OPTION_UNSIGNED, .offset = offsetof(T, heads), \
       .min = 1, .max = SSA_MAX_HEADS, .def = 1, .help = heads_help}
#define SSA_OPTION_PRNG_WIDTH(T, M, lo, hi, what)                                           \
  {.name = "--prng-width", .metavar = "W", .type = SSA_OPTION_UNSIGNED,                         \
   .offset = offsetof(T, M), .min = lo, .max = hi, .def = 16, .help = what}
#define SSA_OPTION_SEED(T, M, what)                                                         \
  {.name = "--seed", .metavar = "S", .type = SSA_OPTION_U64, .offset = offsetof(T, M),        \
   .min = 0, .max = UINT64_MAX, .def = 1, .help = what}

/* The attention-shaped kinds (attention, exact-attention): ports q_i, k_i, v_i in and o_o out,
 * each N x E spikes flattened row-major (bit i*E + c is token i, column c; E = H * D). Their
 * parameter structs begin with this shape (checked in kinds.c), so the
 * hooks below take their params as they are. */
typedef struct ssa_qkv_shape {
  unsigned tokens, dim, heads;
} ssa_qkv_shape;
void ssa_kind_qkv_io(const void *params, ssa_kind_io *io);
void ssa_kind_qkv_describe_bit(const void *params, const ssa_design *d, unsigned port,
                               unsigned bit, char *buf, size_t len);
#define SSA_QKV_IO                                                                             \
  .io = ssa_kind_qkv_io, .describe_bit = ssa_kind_qkv_describe_bit,                            \
  .input_help = ssa_qkv_input_help, .output_help = ssa_qkv_output_help
/* The --input/--rate and output text of --help for the attention kinds. */
extern const char ssa_qkv_input_help[];
extern const char ssa_qkv_output_help[];
#define SSA_QKV_SHAPE_FIRST(T)                                                                 \
  _Static_assert(offsetof(T, tokens) == offsetof(ssa_qkv_shape, tokens) &&                     \
                     offsetof(T, dim) == offsetof(ssa_qkv_shape, dim) &&                       \
                     offsetof(T, heads) == offsetof(ssa_qkv_shape, heads),                     \
                 #T " begins with the Q/K/V shape")
/* s->out from s->in: one call of `step` per time step on N x E matrices. */
typedef void ssa_qkv_step_fn(void *model, const ssa_bitmat *q, const ssa_bitmat *k,
                             const ssa_bitmat *v, ssa_bitmat *o);
int ssa_kind_golden_qkv(ssa_step_data *s, ssa_qkv_shape shape, ssa_qkv_step_fn *step, void *model,
                        ssa_error *err);
/* "token 1, column 5 (head 0, d 5)" */
void ssa_kind_describe_o_bit(ssa_qkv_shape shape, unsigned bit, char *buf, size_t len);


/* Sets params from defaults and a space-separated option string ("--tokens 8 --embed 16"),
 * then prepares them (the command line's path, for callers inside the program). The string
 * is cut into words in place and params keep pointers into it (as they do into argv): it must
 * outlive params. */
int ssa_kind_parse_options(const ssa_kind *k, void *params, char *options, ssa_error *err);

/* The encoder block's stages, in order: q, k, v, attention, o, y = o | x, fc1, fc2, out. */
#define SSA_BLOCK_STAGES 9
extern const char *const ssa_block_stage_names[SSA_BLOCK_STAGES];
/* The spike rate of each stage over every step of s->in, from the block's golden model
 * (params of ssa_kind_block, prepared). */
int ssa_block_stage_rates(const void *params, const ssa_step_data *s,
                          double rates[SSA_BLOCK_STAGES], ssa_error *err);

#endif
