/* cmd_capture.c -- `ssa capture`: a trained network's attention inputs on Fashion-MNIST test
 * images, written as the stimulus of the kind that runs that attention in hardware
 * (train/capture.h), for `ssa energy KIND --input` and `ssa sim KIND --input`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/args.h"
#include "../common/lines.h"
#include "../common/outfile.h"
#include "../common/text.h"
#include "../train/capture.h"
#include "../train/fmnist.h"
#include "../train/net_file.h"
#include "commands.h"

#define DEFAULT_IMAGES 16u

static const char capture_help[] =
    "usage: ssa capture --model FILE --out FILE [--images K] [--steps T] [--data DIR]\n"
    "\n"
    "Runs a trained network (a weights file of 'ssa train', e.g. models/snn-sc.weights) on\n"
    "the first K Fashion-MNIST test images and writes the Q, K and V its attention receives\n"
    "as the stimulus of the kind that runs that attention in hardware, so that 'ssa energy\n"
    "KIND --input FILE' prices the activity a trained network causes, not i.i.d. spikes.\n"
    "\n"
    "  snn-sc, snn-exact  the spike text format of 'ssa sim attention' (snn-sc) or\n"
    "                     'exact-attention' (snn-exact) --input: Q, K, V blocks of N x E per\n"
    "                     step, T steps per image, the images one after another (K T steps)\n"
    "  ann                the integer lines of 'ssa sim ann-attention --input': one line per\n"
    "                     image of 3 N E integers from -128 to 127, Q row-major (value (i, c)\n"
    "                     at i E + c), then K, then V. Per-tensor symmetric scales over the K\n"
    "                     images: K and V by their largest value / 127; Q's scale and the\n"
    "                     score shift Z together, so that one score LSB is exactly 2^-(Z+4)\n"
    "                     in the exponent's log2 units, as the float softmax's\n"
    "                     S log2(e) / sqrt(D) needs (Z the largest that keeps Q within\n"
    "                     127; see train/capture.h). Then checks the int8 attention's golden\n"
    "                     model on these integers (O_int x V's scale) against the network's\n"
    "                     float attention output and prints the error.\n"
    "\n"
    "On stderr: the kind and design options the file is the stimulus of (with 'ssa energy'\n"
    "and 'ssa sim' command lines), the mean spike rates of Q, K and V, or the ANN's scales,\n"
    "Z, how much of Q's range its integers use, and the error.\n"
    "\n"
    "Options:\n"
    "  --model FILE     the trained network (required)\n"
    "  --out FILE       the stimulus file (required; written whole or not at all)\n"
    "  --images K       the first K test images (default 16)\n"
    "  --steps T        time steps per image, spiking networks (default: the network's own)\n"
    "  --data DIR       the dataset (default " SSA_FMNIST_DEFAULT_DIR ", Debian's\n"
    "                   dataset-fashion-mnist)\n"
    "\n"
    "Exit status: 0 written, 2 bad usage or input (a missing dataset or weights file).\n";

typedef struct capture_opts {
  const char *model, *out, *data;
  unsigned images, steps;  /* steps 0: the network's own */
} capture_opts;

/* 1 parsed, 0 --help, -1 error (err). */
static int parse(int argc, char **argv, capture_opts *o, ssa_error *err) {
  memset(o, 0, sizeof *o);
  o->data = SSA_FMNIST_DEFAULT_DIR;
  o->images = DEFAULT_IMAGES;
  ssa_cli c;
  ssa_cli_init(&c, argc, argv, "capture");
  for (const char *opt; (opt = ssa_cli_next(&c)) != NULL;) {
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) return 0;
    const char **text = strcmp(opt, "--model") == 0  ? &o->model
                        : strcmp(opt, "--out") == 0  ? &o->out
                        : strcmp(opt, "--data") == 0 ? &o->data
                                                     : NULL;
    unsigned *count = strcmp(opt, "--images") == 0  ? &o->images
                      : strcmp(opt, "--steps") == 0 ? &o->steps
                                                    : NULL;
    if (text == NULL && count == NULL) return ssa_cli_unknown(&c, opt, err);
    const char *v;
    if (ssa_cli_value(&c, opt, &v, err) != 0) return -1;
    if (text != NULL) {
      if (text == &o->out && ssa_outfile_check(v, err) != 0) return -1;  /* before the work */
      *text = v;
      continue;
    }
    unsigned long long n;
    /* 10 000: the test set's size */
    if (ssa_parse_unsigned(opt, v, count == &o->steps ? SSA_NET_MAX_STEPS : 10000, &n, err) != 0)
      return -1;
    if (n == 0) return ssa_fail(err, "%s 0: must be at least 1", opt);
    *count = (unsigned)n;
  }
  if (o->model == NULL) return ssa_fail(err, "capture: --model FILE is required");
  if (o->out == NULL) return ssa_fail(err, "capture: --out FILE is required");
  return 1;
}

/* The comment that heads the file: how it was made and what it is the stimulus of. */
static void head_comment(ssa_text *t, const capture_opts *o, const ssa_net *net, unsigned steps) {
  ssa_text_printf(t, "ssa capture --model %s --images %u", o->model, o->images);
  if (net->shape.model != SSA_NET_ANN) ssa_text_printf(t, " --steps %u", steps);
  ssa_text_printf(t, "\nthe attention inputs of the %s network on Fashion-MNIST test images 0 to "
                  "%u", ssa_net_model_name(net->shape.model), o->images - 1);
  if (net->shape.model != SSA_NET_ANN)
    ssa_text_printf(t, ", %u steps each, one image after another", steps);
}

static double rate_of(const ssa_spike_steps *s, unsigned b) {
  unsigned long long ones = 0;
  for (unsigned t = 0; t < s->steps; t++) ones += ssa_bitmat_popcount(ssa_spike_block(s, t, b));
  return (double)ones / ((double)s->steps * s->rows * s->cols);
}

static void print_use(const char *kind, const char *options, const char *out) {
  fprintf(stderr, "use: ssa energy %s %s --input %s\n     ssa sim %s %s --input %s\n", kind,
          options, out, kind, options, out);
}

static int capture_spikes(const capture_opts *o, const ssa_net *net, const ssa_dataset *test,
                          ssa_error *err) {
  unsigned steps = o->steps ? o->steps : net->shape.steps;
  char options[512];
  if (ssa_capture_design_options(net, options, sizeof options, err) != 0) return -1;
  const char *kind = ssa_capture_kind(net);
  ssa_spike_steps qkv;
  if (ssa_capture_spikes(net, test, o->images, steps, &qkv, err) != 0) return -1;
  double rate[3];
  for (unsigned b = 0; b < 3; b++) rate[b] = rate_of(&qkv, b);
  ssa_text comment = {0};
  head_comment(&comment, o, net, steps);
  ssa_text_printf(&comment, "\nthe stimulus of: ssa sim %s %s --input FILE\n"
                  "mean spike rates: Q %.4f, K %.4f, V %.4f", kind, options, rate[0], rate[1],
                  rate[2]);
  ssa_outfile of;
  int rc = comment.failed ? ssa_fail(err, "out of memory") : ssa_outfile_open(&of, o->out, err);
  if (rc == 0) {
    ssa_spikes_write(of.fp, &qkv, comment.s);
    rc = ssa_outfile_commit(&of, err);
  }
  if (rc == 0) {
    fprintf(stderr, "ssa capture: %s: %u images x %u steps = %u steps of Q, K, V (%u x %u) for "
            "kind %s\n", o->out, o->images, steps, qkv.steps, qkv.rows, qkv.cols, kind);
    fprintf(stderr, "design options: %s\n", options);
    fprintf(stderr, "mean spike rate: Q %.4f, K %.4f, V %.4f (all three %.4f)\n", rate[0],
            rate[1], rate[2], (rate[0] + rate[1] + rate[2]) / 3);
    print_use(kind, options, o->out);
  }
  ssa_text_free(&comment);
  ssa_spike_steps_free(&qkv);
  return rc;
}

static int capture_ann(const capture_opts *o, const ssa_net *net, const ssa_dataset *test,
                       ssa_error *err) {
  ssa_ann_capture c;
  if (ssa_capture_ann(net, test, o->images, &c, err) != 0) return -1;
  ssa_ann_quant q;
  ssa_ann_error e;
  int rc = ssa_ann_quantise(&c, &q, err);
  if (rc != 0) {
    ssa_ann_capture_free(&c);
    return -1;
  }
  rc = ssa_ann_check(&c, &q, q.score_shift, &e, err);
  char options[256];
  snprintf(options, sizeof options, "--tokens %u --dim %u --heads %u --score-shift %u", c.tokens,
           c.dim, c.heads, q.score_shift);
  ssa_text comment = {0};
  head_comment(&comment, o, net, 1);
  ssa_text_printf(&comment, "\nthe stimulus of: ssa sim ann-attention %s --input FILE\n"
                  "one line per image: Q, K, V (N x E each, value (i, c) at i*E + c), int8\n"
                  "real = integer x scale: Q %.9g, K %.9g, V %.9g; Q's scale makes one score LSB "
                  "2^-(Z+4) = %.9g in log2 units\n"
                  "int8 attention (golden, softmax int) against the float one: mean error %.4f, "
                  "max %.4f of max|O| = %.6g", options, q.s_q, q.s_k, q.s_v,
                  ldexp(1.0, -(int)(q.score_shift + 4)), e.mean, e.max, e.o_max);
  ssa_outfile of;
  if (rc == 0) rc = comment.failed ? ssa_fail(err, "out of memory") : ssa_outfile_open(&of, o->out, err);
  if (rc == 0) {
    ssa_write_comment(of.fp, comment.s);
    ssa_ann_quant_write(of.fp, &c, &q);
    rc = ssa_outfile_commit(&of, err);
  }
  if (rc == 0) {
    fprintf(stderr, "ssa capture: %s: %u images, one line of 3 x %u x %u int8 each, for kind "
            "ann-attention\n", o->out, c.images, c.tokens, c.heads * c.dim);
    fprintf(stderr, "design options: %s\n", options);
    fprintf(stderr, "scales (real = integer x scale): Q %.6g, K %.6g, V %.6g; Z = %u: one score "
            "LSB is 2^-%u in log2 units\n", q.s_q, q.s_k, q.s_v, q.score_shift,
            q.score_shift + 4);
    fprintf(stderr, "Q's integers reach %d of 127 (its scale is %.4f times max|Q| / 127: the "
            "price of a power-of-two score LSB)\n", q.q_max, q.s_q / q.s_q_full);
    fprintf(stderr, "check: golden int8 attention x %.6g against the float attention, over %u "
            "values: mean |error| %.4f, max %.4f of max|O_float| = %.6g\n", q.s_v,
            c.images * c.tokens * c.heads * c.dim, e.mean, e.max, e.o_max);
    print_use("ann-attention", options, o->out);
  }
  ssa_text_free(&comment);
  ssa_ann_quant_free(&q);
  ssa_ann_capture_free(&c);
  return rc;
}

int ssa_cmd_capture(int argc, char **argv) {
  capture_opts o;
  ssa_error err;
  int rc = parse(argc, argv, &o, &err);
  if (rc == 0) {
    fputs(capture_help, stdout);
    return SSA_EXIT_OK;
  }
  if (rc < 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  ssa_net net;
  if (ssa_net_load(&net, o.model, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  if (net.shape.model == SSA_NET_ANN && o.steps > 1) {
    fprintf(stderr, "ssa: capture: --steps %u: the ANN (%s) runs one step per image\n", o.steps,
            o.model);
    ssa_net_free(&net);
    return SSA_EXIT_USAGE;
  }
  ssa_dataset test;
  if (ssa_fmnist_load(o.data, SSA_SPLIT_TEST, &test, &err) != 0) {
    fprintf(stderr, "ssa: capture: no Fashion-MNIST test set: %s (install dataset-fashion-mnist "
            "or give --data DIR)\n", err.msg);
    ssa_net_free(&net);
    return SSA_EXIT_USAGE;
  }
  rc = net.shape.model == SSA_NET_ANN ? capture_ann(&o, &net, &test, &err)
                                      : capture_spikes(&o, &net, &test, &err);
  if (rc != 0) fprintf(stderr, "ssa: %s\n", err.msg);
  ssa_dataset_free(&test);
  ssa_net_free(&net);
  /* what can fail here is the input (too many images, steps) or writing --out */
  return rc != 0 ? SSA_EXIT_USAGE : SSA_EXIT_OK;
}
