/* cmd_train.c -- `ssa train` and `ssa eval`: training the Fashion-MNIST network (train/net.h)
 * and measuring its accuracy on the test set with any attention, share mode and step count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/outfile.h"
#include "../common/text.h"
#include "../sim/engine.h"
#include "../train/fmnist.h"
#include "../train/net_file.h"
#include "../train/parallel.h"
#include "../train/rtl_check.h"
#include "../train/trainer.h"
#include "../common/args.h"
#include "commands.h"

static const char train_help[] =
    "usage: ssa train --model ann|snn-exact|snn-sc [options] --out WEIGHTS\n"
    "\n"
    "Trains the small spiking Transformer of docs/accuracy.md on the Fashion-MNIST training\n"
    "set (60 000 images): 16 patches of 7x7, patch embedding, one encoder block, mean over\n"
    "tokens and steps, a linear classifier. ann: ReLU and softmax attention, one step.\n"
    "snn-exact / snn-sc: LIF neurons (surrogate gradient, backpropagation through time) with\n"
    "the exact spiking attention or the SC attention block, both the golden model itself; for\n"
    "SC, sampled spikes forward and the gradient of their expectation backward.\n"
    "Prints one line per epoch (loss, accuracy on the images trained, seconds) on stderr,\n"
    "then the test-set accuracy; the last line is 'accuracy: 0.xxxx'. The same options and\n"
    "seed give the same weights, bit for bit.\n"
    "\n"
    "Options:\n"
    "  --model M          ann, snn-exact or snn-sc (required)\n"
    "  --out FILE         the weights file to write (required; written whole or not at all)\n"
    "  --steps T          time steps (default 10; 1 for ann)\n"
    "  --epochs E         passes over the training set (default 12)\n"
    "  --seed S           initialisation and shuffle seed (default 1)\n"
    "  --batch B          images per Adam step (default 64)\n"
    "  --learning-rate X  peak learning rate, cosine decay to 0 (default 0.01)\n"
    "  --limit K          train on the first K images only (default: all)\n"
    "  --validation K     hold out the last K training images (never trained on) and report\n"
    "                     the accuracy on them, to choose hyperparameters without the test\n"
    "                     set (default 0)\n"
    "  --embed E          embedding width (default 64)\n"
    "  --heads H          attention heads, D = E / H a power of two (default 4)\n"
    "  --hidden F         MLP width (default 128)\n"
    "  --share MODE       SC share mode while training: unit, row, global or row-global\n"
    "                     (default unit)\n"
    "  --random SOURCE    SC random numbers while training: lfsr, sobol, packed or shared\n"
    "                     (default sobol; ssa gen attention --help)\n"
    "  --scale-shift S    exact attention's scale 2^-S (default 3)\n"
    "  --attention-seed S the SC block's master seed, not 0 (default 1)\n"
    "  --lif-beta B       leak of the LIF neurons outside the attention (default 1: none)\n"
    "  --lif-reset R      their reset: subtract or zero (default subtract)\n"
    "  --threads N        threads (default: every core)\n"
    "  --data DIR         the dataset (default " SSA_FMNIST_DEFAULT_DIR ")\n"
    "\n";

static const char eval_help[] =
    "usage: ssa eval --weights FILE [options]\n"
    "\n"
    "Classifies the Fashion-MNIST test set (10 000 images) with a trained network and prints\n"
    "its accuracy; the last line is 'accuracy: 0.xxxx'. A spiking network can run with\n"
    "either spiking attention, any share mode and any number of steps; every image starts\n"
    "from the attention block's reset state, so a result does not depend on the order.\n"
    "\n"
    "With --engine verilator or icarus (SC attention only), the attention block runs as the\n"
    "generated RTL instead: for each image the network runs with the golden block, the\n"
    "block's Q, K, V spikes of every step are played into the RTL (one design for the\n"
    "network's parameters, reset before each image), every output bit of every clock is\n"
    "compared with the golden model, and the network is run again on the RTL's O spikes.\n"
    "Prints a progress line every 50 images on stderr, then the golden and the RTL-run\n"
    "accuracy on those images and how many were bit-exact; 'accuracy:' is the RTL-run one.\n"
    "Exits 1 if any bit differs. Verilator compiles a model once per parameter set (a minute,\n"
    "then cached) and runs an image in milliseconds; Icarus compiles the testbench for every\n"
    "25 images and plays them in one run, tens of milliseconds per image.\n"
    "\n"
    "Options:\n"
    "  --weights FILE     a file written by ssa train (required)\n"
    "  --attention A      ann, exact, sc, or none (O = 0: what the attention adds)\n"
    "                     (default: the one trained with)\n"
    "  --share MODE       SC attention: unit, row, global or row-global (default: the one\n"
    "                     trained with)\n"
    "  --random SOURCE    SC attention: lfsr, sobol, packed or shared (default: the one\n"
    "                     trained with)\n"
    "  --steps T          time steps, 1 to 64 (default: the trained T)\n"
    "  --attention-seed S the SC block's master seed (default: the one trained with; another\n"
    "                     shows how much the network fits its block's random sequence)\n"
    "  --engine E         golden (the C model, default), verilator or icarus (the RTL)\n"
    "  --limit K          the first K test images only (default: all 10 000 with golden,\n"
    "                     200 with verilator, 20 with icarus; 0: all)\n"
    "  --cache DIR        Verilator model cache (default $SSA_CACHE_DIR, else ~/.cache/ssa)\n"
    "  --inject-fault S,I flip expected output bit I of step S of the first image (RTL only),\n"
    "                     to see the check fail\n"
    "  --threads N        threads (default: every core; golden only)\n"
    "  --data DIR         the dataset (default " SSA_FMNIST_DEFAULT_DIR ")\n"
    "\n";

static int usage_error(const ssa_error *err) {
  fprintf(stderr, "ssa: %s\n", err->msg);
  return SSA_EXIT_USAGE;
}

static int parse_share(const char *opt, const char *v, enum ssa_share *out, ssa_error *err) {
  int m = ssa_name_index(ssa_share_names, SSA_SHARE_ROW_GLOBAL + 1, v);
  if (m < 0) return ssa_fail(err, "%s %s: expected unit, row, global or row-global", opt, v);
  *out = (enum ssa_share)m;
  return 0;
}

static int parse_random(const char *opt, const char *v, enum ssa_random *out, ssa_error *err) {
  int m = ssa_name_index(ssa_random_names, SSA_RANDOM_SHARED + 1, v);
  if (m < 0) return ssa_fail(err, "%s %s: expected lfsr, sobol, packed or shared", opt, v);
  *out = (enum ssa_random)m;
  return 0;
}

static int parse_count(const char *opt, const char *v, unsigned max, unsigned *out,
                       ssa_error *err) {
  unsigned long long n;
  if (ssa_parse_unsigned(opt, v, max, &n, err) != 0) return -1;
  *out = (unsigned)n;
  return 0;
}

/* A count that 0 cannot stand for: 0 is refused rather than read as "the default". */
static int parse_positive(const char *opt, const char *v, unsigned max, unsigned *out,
                          ssa_error *err) {
  if (parse_count(opt, v, max, out, err) != 0) return -1;
  return *out == 0 ? ssa_fail(err, "%s 0: must be at least 1", opt) : 0;
}

/* Options that train and eval share; 1 if opt was one, 0 if not, -1 on a bad value. */
typedef struct common_opts {
  unsigned steps, limit, threads;
  int steps_given, share_given, random_given, limit_given;
  enum ssa_share share;
  enum ssa_random random;
  const char *data;
} common_opts;

static int common_option(ssa_cli *c, const char *opt, common_opts *o, ssa_error *err) {
  static const char *const names[] = {"--steps", "--limit", "--threads", "--share", "--random",
                                      "--data"};
  int which = ssa_name_index(names, 6, opt);
  if (which < 0) return 0;
  const char *v;
  if (ssa_cli_value(c, opt, &v, err) != 0) return -1;
  switch (which) {
    case 0:
      o->steps_given = 1;
      return parse_positive(opt, v, SSA_NET_MAX_STEPS, &o->steps, err) ? -1 : 1;
    case 1:
      o->limit_given = 1;
      return parse_positive(opt, v, 0xffffffffu, &o->limit, err) ? -1 : 1;
    case 2: return parse_positive(opt, v, SSA_MAX_THREADS, &o->threads, err) ? -1 : 1;
    case 3: o->share_given = 1; return parse_share(opt, v, &o->share, err) ? -1 : 1;
    case 4: o->random_given = 1; return parse_random(opt, v, &o->random, err) ? -1 : 1;
    default: o->data = v; return 1;
  }
}

/* Walks the command line of train or eval, the shared options going to co on the way: 1 with
 * the next of the command's own options (one of own[0..own_count)) in *opt and its value in *v,
 * 0 at the end, 2 at --help, -1 on an unknown option or a bad value (err set). */
static int next_option(ssa_cli *c, const char *const own[], unsigned own_count, common_opts *co,
                       const char **opt, const char **v, ssa_error *err) {
  while ((*opt = ssa_cli_next(c)) != NULL) {
    if (strcmp(*opt, "--help") == 0 || strcmp(*opt, "-h") == 0) return 2;
    int rc = common_option(c, *opt, co, err);
    if (rc < 0) return -1;
    if (rc > 0) continue;
    if (ssa_name_index(own, own_count, *opt) < 0) return ssa_cli_unknown(c, *opt, err);
    return ssa_cli_value(c, *opt, v, err) != 0 ? -1 : 1;
  }
  return 0;
}

static void common_defaults(common_opts *o) {
  memset(o, 0, sizeof *o);
  o->threads = ssa_cpu_count();
  o->data = SSA_FMNIST_DEFAULT_DIR;
}

static void print_result(const char *what, const ssa_eval_result *r) {
  printf("%s: %u images, %u right, loss %.4f, %.1f s\n", what, r->images, r->correct, r->loss,
         r->seconds);
  printf("accuracy: %.4f\n", r->accuracy);
}

int ssa_cmd_train(int argc, char **argv) {
  ssa_error err;
  common_opts co;
  common_defaults(&co);
  ssa_train_opts to;
  ssa_train_opts_default(&to);
  ssa_net_shape shape;
  int model_given = 0;
  unsigned embed = 0, heads = 0, hidden = 0, scale_shift = ~0u, validation = 0;
  unsigned long long attention_seed = 0;
  int attention_seed_given = 0;
  double lif_beta = -1;
  enum ssa_lif_reset lif_reset = SSA_LIF_RESET_SUBTRACT;
  int lif_reset_given = 0;
  const char *out = NULL;
  static const char *const own[] = {
      "--model", "--out", "--epochs", "--seed", "--batch", "--learning-rate", "--embed",
      "--heads", "--hidden", "--scale-shift", "--attention-seed", "--lif-beta", "--lif-reset",
      "--validation"};
  ssa_cli c;
  ssa_cli_init(&c, argc, argv, "train");
  const char *opt, *v;
  int more;
  while ((more = next_option(&c, own, 14, &co, &opt, &v, &err)) == 1) {
    unsigned long long n;
    if (strcmp(opt, "--model") == 0) {
      enum ssa_net_model m;
      if (ssa_net_model_parse(v, &m) != 0) {
        fprintf(stderr, "ssa: --model %s: expected ann, snn-exact or snn-sc\n", v);
        return SSA_EXIT_USAGE;
      }
      ssa_net_shape_default(&shape, m);
      model_given = 1;
    } else if (strcmp(opt, "--out") == 0) {
      /* now, not after an hour of training */
      if (ssa_outfile_check(v, &err) != 0) return usage_error(&err);
      out = v;
    } else if (strcmp(opt, "--lif-beta") == 0) {
      char *end;
      lif_beta = strtod(v, &end);
      if (end == v || *end || !(lif_beta >= 0 && lif_beta <= 1)) {
        fprintf(stderr, "ssa: --lif-beta %s: expected a number from 0 to 1\n", v);
        return SSA_EXIT_USAGE;
      }
    } else if (strcmp(opt, "--lif-reset") == 0) {
      if (ssa_lif_reset_parse(v, &lif_reset) != 0) {
        fprintf(stderr, "ssa: --lif-reset %s: expected zero or subtract\n", v);
        return SSA_EXIT_USAGE;
      }
      lif_reset_given = 1;
    } else if (strcmp(opt, "--learning-rate") == 0) {
      char *end;
      to.learning_rate = strtod(v, &end);
      if (*end || !(to.learning_rate > 0 && to.learning_rate < 1)) {
        fprintf(stderr, "ssa: --learning-rate %s: expected a number in (0, 1)\n", v);
        return SSA_EXIT_USAGE;
      }
    } else if (strcmp(opt, "--seed") == 0 || strcmp(opt, "--attention-seed") == 0) {
      if (ssa_parse_unsigned(opt, v, ~0ull, &n, &err) != 0) return usage_error(&err);
      if (opt[2] == 's') {
        to.seed = n;
      } else {
        attention_seed = n;
        attention_seed_given = 1;
      }
    } else {
      unsigned *field = strcmp(opt, "--epochs") == 0  ? &to.epochs
                        : strcmp(opt, "--batch") == 0 ? &to.batch
                        : strcmp(opt, "--embed") == 0 ? &embed
                        : strcmp(opt, "--heads") == 0 ? &heads
                        : strcmp(opt, "--hidden") == 0 ? &hidden
                        : strcmp(opt, "--validation") == 0 ? &validation
                                                       : &scale_shift;
      /* the sizes and counts cannot be 0; --validation 0 and --scale-shift 0 mean what they say */
      int zero_ok = field == &validation || field == &scale_shift;
      if ((zero_ok ? parse_count : parse_positive)(opt, v, 100000, field, &err) != 0)
        return usage_error(&err);
    }
  }
  if (more == 2) {
    fputs(train_help, stdout);
    return SSA_EXIT_OK;
  }
  if (more < 0) return usage_error(&err);
  if (!model_given || !out) {
    fprintf(stderr, "ssa: train: %s is required\n", model_given ? "--out FILE" : "--model M");
    return SSA_EXIT_USAGE;
  }
  if (co.steps_given) shape.steps = co.steps;
  if (co.share_given) shape.share = co.share;
  if (co.random_given) shape.random = co.random;
  if (embed) shape.embed = embed;
  if (heads) shape.heads = heads;
  if (hidden) shape.hidden = hidden;
  if (scale_shift != ~0u) shape.scale_shift = scale_shift;
  if (attention_seed_given) shape.attention_seed = attention_seed;
  if (lif_beta >= 0) shape.lif_beta = lif_beta;
  if (lif_reset_given) shape.lif_reset = lif_reset;
  ssa_net net;
  if (ssa_net_new(&net, &shape, &err) != 0) return usage_error(&err);
  to.threads = co.threads ? co.threads : 1;
  to.limit = co.limit;
  to.progress = stderr;
  to.running = ssa_cli_progress();

  ssa_dataset train, test;
  if (ssa_fmnist_load(co.data, SSA_SPLIT_TRAIN, &train, &err) != 0) {
    ssa_net_free(&net);
    return usage_error(&err);
  }
  if (ssa_fmnist_load(co.data, SSA_SPLIT_TEST, &test, &err) != 0) {
    ssa_dataset_free(&train);
    ssa_net_free(&net);
    return usage_error(&err);
  }
  /* the validation images are the training set's last: a view, the training set shortened */
  if (validation >= train.count) {
    fprintf(stderr, "ssa: --validation %u: the training set has only %u images\n", validation,
            train.count);
    ssa_dataset_free(&train);
    ssa_dataset_free(&test);
    ssa_net_free(&net);
    return SSA_EXIT_USAGE;
  }
  train.count -= validation;
  size_t pixels = (size_t)SSA_FMNIST_SIDE * SSA_FMNIST_SIDE;
  ssa_dataset valid = {validation, train.pixels + train.count * pixels,
                       train.labels + train.count};
  fprintf(stderr, "training %s: E %u, H %u, F %u, T %u, %u parameters, %u images, %u epochs, "
          "%u threads\n", ssa_net_model_name(shape.model), shape.embed, shape.heads,
          shape.hidden, shape.steps, (unsigned)net.count,
          co.limit && co.limit < train.count ? co.limit : train.count, to.epochs, to.threads);
  ssa_epoch_stats *stats = calloc(to.epochs, sizeof *stats);
  int status = SSA_EXIT_FAIL;
  ssa_eval_result result, held_out = {0};
  ssa_net_run_opts ro;
  if (stats && ssa_train(&net, &train, &to, stats, &err) == 0) {
    ssa_net_run_opts_default(&ro, &net);
    if ((validation == 0 ||
         ssa_net_evaluate(&net, &ro, &valid, 0, to.threads, NULL, &held_out, &err) == 0) &&
        ssa_net_evaluate(&net, &ro, &test, 0, to.threads, NULL, &result, &err) == 0) {
      double seconds = 0;
      for (unsigned e = 0; e < to.epochs; e++) seconds += stats[e].seconds;
      ssa_text comment = {0};
      ssa_text_printf(&comment, "trained by: ssa train");
      for (int k = 0; k < argc; k++) ssa_text_printf(&comment, " %s", argv[k]);
      ssa_text_printf(&comment, "\nlast epoch: loss %.4f, training accuracy %.4f; %.0f s for "
                      "%u epochs on %u threads\ntest accuracy (%s attention, T %u): %.4f",
                      stats[to.epochs - 1].loss, stats[to.epochs - 1].accuracy, seconds,
                      to.epochs, to.threads, ssa_net_attention_name(ro.attention), ro.steps,
                      result.accuracy);
      if (validation != 0)
        ssa_text_printf(&comment, "\nvalidation accuracy (the last %u training images, not "
                        "trained on): %.4f", validation, held_out.accuracy);
      if (comment.failed) ssa_fail(&err, "out of memory");
      else if (ssa_net_save(&net, out, comment.s, &err) == 0) status = SSA_EXIT_OK;
      ssa_text_free(&comment);
      if (status == SSA_EXIT_OK) {
        fprintf(stderr, "wrote %s (%.0f s of training)\n", out, seconds);
        if (validation != 0)
          printf("validation set: %u images, %u right, loss %.4f; validation accuracy %.4f\n",
                 held_out.images, held_out.correct, held_out.loss, held_out.accuracy);
        print_result("test set", &result);
      }
    }
  } else if (!stats) {
    ssa_fail(&err, "out of memory");
  }
  if (status != SSA_EXIT_OK) fprintf(stderr, "ssa: %s\n", err.msg);
  free(stats);
  ssa_dataset_free(&train);
  ssa_dataset_free(&test);
  ssa_net_free(&net);
  return status;
}

/* --engine verilator|icarus: the RTL check (train/rtl_check.h) on the first images, a
 * progress line every 50 images on stderr. */
typedef struct rtl_fault {
  int on;
  unsigned step, index;
} rtl_fault;

static int eval_rtl(const ssa_net *net, const ssa_net_run_opts *ro, const ssa_dataset *test,
                    ssa_engine engine, const common_opts *co, const char *cache,
                    const rtl_fault *fault) {
  ssa_error err;
  ssa_rtl_check_opts o;
  ssa_rtl_check_opts_default(&o);
  o.engine = engine;
  o.share = ro->share;
  o.random = ro->random;
  o.steps = ro->steps;
  o.first = 0;
  o.count = engine == SSA_ENGINE_ICARUS ? 20u : 200u;
  if (co->limit_given) o.count = co->limit;
  if (o.count == 0 || o.count > test->count) o.count = test->count;
  o.cache_dir = cache;
  o.build_progress = 1;
  o.progress = stderr;
  o.progress_every = 50;
  o.inject = fault->on;
  o.inject_image = 0;
  o.inject_step = fault->step;
  o.inject_index = fault->index;
  ssa_rtl_check_result r;
  if (ssa_rtl_check(net, test, &o, &r, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_FAIL;
  }
  double n = r.images ? (double)r.images : 1.0;
  printf("golden accuracy: %.4f (%u of %u images)\n", r.golden_correct / n, r.golden_correct,
         r.images);
  printf("rtl accuracy (%s): %.4f (%u of %u images), the same class as golden on %u\n",
         ssa_engine_name(engine), r.rtl_correct / n, r.rtl_correct, r.images,
         r.predictions_equal);
  printf("bit-exact: %u of %u images (%llu clocks, %llu output bits)\n", r.matched, r.images,
         r.clocks, r.bits);
  printf("time: %.1f s; %.4f s per image, %.1f s in the simulator", r.seconds,
         (r.seconds - r.model_seconds) / n, r.engine_seconds - r.model_seconds);
  if (engine == SSA_ENGINE_VERILATOR) printf(", plus %.1f s to build or load the model",
                                             r.model_seconds);
  printf("\n");
  double o_bits = r.o_bits ? (double)r.o_bits : 1.0;
  printf("spike rates: Q, K, V %.4f, O %.4f (%llu output spikes)\n",
         r.qkv_spikes / (3 * o_bits), r.o_spikes / o_bits, r.o_spikes);
  if (r.trace_mismatches)
    printf("golden attention runs that differ from the network's trace: %u\n",
           r.trace_mismatches);
  printf("accuracy: %.4f\n", r.rtl_correct / n);
  if (!ssa_rtl_check_passed(&r)) {
    fprintf(stderr, "ssa: eval: the RTL differs: %s\n",
            r.first_mismatch[0] ? r.first_mismatch : "predictions differ");
    return SSA_EXIT_FAIL;
  }
  return SSA_EXIT_OK;
}

int ssa_cmd_eval(int argc, char **argv) {
  ssa_error err;
  common_opts co;
  common_defaults(&co);
  const char *weights = NULL, *attention = NULL, *cache = NULL;
  ssa_engine engine = SSA_ENGINE_GOLDEN;
  rtl_fault fault = {0, 0, 0};
  static const char *const own[] = {"--weights", "--attention", "--engine", "--cache",
                                    "--inject-fault", "--attention-seed"};
  unsigned long long attention_seed = 0;
  int attention_seed_given = 0;
  ssa_cli c;
  ssa_cli_init(&c, argc, argv, "eval");
  const char *opt, *v;
  int more;
  while ((more = next_option(&c, own, 6, &co, &opt, &v, &err)) == 1) {
    if (strcmp(opt, "--attention-seed") == 0) {
      if (ssa_parse_unsigned(opt, v, ~0ull, &attention_seed, &err) != 0) return usage_error(&err);
      attention_seed_given = 1;
    } else if (strcmp(opt, "--weights") == 0) {
      weights = v;
    } else if (strcmp(opt, "--attention") == 0) {
      attention = v;
    } else if (strcmp(opt, "--cache") == 0) {
      cache = v;
    } else if (strcmp(opt, "--inject-fault") == 0) {
      if (ssa_parse_fault(v, &fault.step, &fault.index, &err) != 0) return usage_error(&err);
      fault.on = 1;
    } else if (ssa_engine_parse(v, &engine) != 0) {
      fprintf(stderr, "ssa: --engine %s: expected golden, verilator or icarus\n", v);
      return SSA_EXIT_USAGE;
    }
  }
  if (more == 2) {
    fputs(eval_help, stdout);
    return SSA_EXIT_OK;
  }
  if (more < 0) return usage_error(&err);
  if (!weights) {
    fprintf(stderr, "ssa: eval: --weights FILE is required\n");
    return SSA_EXIT_USAGE;
  }
  ssa_net net;
  if (ssa_net_load(&net, weights, &err) != 0) return usage_error(&err);
  /* another seed of the same plan: how much the network fits its block's own sequence */
  if (attention_seed_given) net.shape.attention_seed = attention_seed;
  ssa_net_run_opts ro;
  ssa_net_run_opts_default(&ro, &net);
  if (attention && ssa_net_attention_parse(attention, &ro.attention) != 0) {
    ssa_net_free(&net);
    fprintf(stderr, "ssa: --attention %s: expected ann, exact, sc or none\n", attention);
    return SSA_EXIT_USAGE;
  }
  if (co.steps_given) ro.steps = co.steps;
  if (co.share_given) ro.share = co.share;
  if (co.random_given) ro.random = co.random;
  /* a run is built once here so that a bad combination is a usage error, not a failure */
  ssa_net_run *probe;
  if (ssa_net_run_new(&net, &ro, &probe, &err) != 0) {
    ssa_net_free(&net);
    return usage_error(&err);
  }
  ssa_net_run_free(probe);
  if (fault.on && engine == SSA_ENGINE_GOLDEN) {
    fprintf(stderr, "ssa: --inject-fault: needs --engine verilator or icarus\n");
    ssa_net_free(&net);
    return SSA_EXIT_USAGE;
  }
  unsigned fault_bits = SSA_NET_TOKENS * net.shape.embed;
  if (fault.on && (fault.step >= ro.steps || fault.index >= fault_bits)) {
    fprintf(stderr, "ssa: --inject-fault %u,%u: needs a step below %u and an index below %u\n",
            fault.step, fault.index, ro.steps, fault_bits);
    ssa_net_free(&net);
    return SSA_EXIT_USAGE;
  }
  if (engine != SSA_ENGINE_GOLDEN && ro.attention != SSA_NET_ATTENTION_SC) {
    fprintf(stderr, "ssa: --engine %s: only the SC attention has RTL to run (this run's "
            "attention is %s)\n", ssa_engine_name(engine), ssa_net_attention_name(ro.attention));
    ssa_net_free(&net);
    return SSA_EXIT_USAGE;
  }
  ssa_dataset test;
  if (ssa_fmnist_load(co.data, SSA_SPLIT_TEST, &test, &err) != 0) {
    ssa_net_free(&net);
    return usage_error(&err);
  }
  char seed_text[48] = "";
  if (ro.attention == SSA_NET_ATTENTION_SC)
    snprintf(seed_text, sizeof seed_text, ", attention seed %llu",
             (unsigned long long)net.shape.attention_seed);
  printf("network %s (%s), attention %s%s%s%s%s%s, T %u%s%s\n", weights,
         ssa_net_model_name(net.shape.model), ssa_net_attention_name(ro.attention),
         ro.attention == SSA_NET_ATTENTION_SC ? ", share " : "",
         ro.attention == SSA_NET_ATTENTION_SC ? ssa_share_name(ro.share) : "",
         ro.attention == SSA_NET_ATTENTION_SC ? ", random " : "",
         ro.attention == SSA_NET_ATTENTION_SC ? ssa_random_name(ro.random) : "", seed_text,
         ro.steps,
         engine != SSA_ENGINE_GOLDEN ? ", engine " : "",
         engine != SSA_ENGINE_GOLDEN ? ssa_engine_name(engine) : "");
  if (engine != SSA_ENGINE_GOLDEN) {
    fflush(stdout);
    int status = eval_rtl(&net, &ro, &test, engine, &co, cache, &fault);
    ssa_dataset_free(&test);
    ssa_net_free(&net);
    return status;
  }
  ssa_eval_result result;
  int rc = ssa_net_evaluate(&net, &ro, &test, co.limit, co.threads ? co.threads : 1,
                            ssa_cli_progress() ? stderr : NULL, &result, &err);
  ssa_dataset_free(&test);
  ssa_net_free(&net);
  if (rc != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_FAIL;
  }
  print_result("test set", &result);
  return SSA_EXIT_OK;
}
