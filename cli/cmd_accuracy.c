/* cmd_accuracy.c -- `ssa accuracy`: the three trained Fashion-MNIST networks (models/) on the
 * test set, accuracy against the number of time steps for each attention and share mode, two
 * cross-checks, and the SC attention run as RTL (train/rtl_check.h); written as a Markdown
 * page with its CSV, JSON and a gnuplot PNG, all together or not at all. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/clock.h"
#include "../common/gnuplot.h"
#include "../common/json.h"
#include "../common/outfile.h"
#include "../common/process.h"
#include "../common/text.h"
#include "../sim/engine.h"
#include "../train/fmnist.h"
#include "../train/net_file.h"
#include "../train/parallel.h"
#include "../train/rtl_check.h"
#include "../train/trainer.h"
#include "../golden/lif.h"
#include "../common/args.h"
#include "commands.h"

static const char accuracy_help[] =
    "usage: ssa accuracy [options]\n"
    "\n"
    "Measures the accuracy of the three trained Fashion-MNIST networks of DIR (ann.weights,\n"
    "snn-exact.weights, snn-sc.weights; see 'ssa train --help') on the test set: the ANN\n"
    "once; snn-exact with the exact spiking attention and snn-sc with the SC attention block\n"
    "(share unit, row and global) at T = 1, 2, 4, 8 and 10 steps; the snn-exact weights with\n"
    "SC attention and the snn-sc weights with exact attention at T = 10 as cross-checks.\n"
    "Then the snn-sc network at its trained T and share mode runs with its attention block as\n"
    "RTL (see 'ssa eval --help', --engine): on Verilator and on Icarus, every output bit of\n"
    "every clock compared with the golden model.\n"
    "Writes OUT/accuracy.md (the page), accuracy.csv, accuracy.json and accuracy.png (gnuplot),\n"
    "all together or none. Progress on stderr. Exits 1 if the RTL differs from the golden\n"
    "model (the files are still written and say so), 2 if a weights file is missing.\n"
    "\n"
    "Options:\n"
    "  --models DIR         the weights files (default models)\n"
    "  --out DIR            where the files go (default docs)\n"
    "  --limit K            the first K test images only (default: all 10 000)\n"
    "  --rtl-images N       images for the Verilator check (default 200; 0: skip)\n"
    "  --icarus-images N    images for the Icarus check (default 20; 0: skip)\n"
    "  --cache DIR          Verilator model cache (default $SSA_CACHE_DIR, else ~/.cache/ssa)\n"
    "  --threads N          threads (default: every core)\n"
    "  --data DIR           the dataset (default " SSA_FMNIST_DEFAULT_DIR ")\n"
    "\n";

enum { NET_ANN, NET_EXACT, NET_SC, NET_COUNT };
static const char *const net_files[NET_COUNT] = {"ann.weights", "snn-exact.weights",
                                                 "snn-sc.weights"};
static const enum ssa_net_model net_models[NET_COUNT] = {SSA_NET_ANN, SSA_NET_SNN_EXACT,
                                                         SSA_NET_SNN_SC};
#define STEP_COUNT 5
static const unsigned sweep_steps[STEP_COUNT] = {1, 2, 4, 8, 10};
#define MAX_ROWS 32

enum section { SEC_BASELINE, SEC_SWEEP, SEC_CROSS };
static const char *const section_names[] = {"baseline", "sweep", "cross"};

typedef struct acc_row {
  enum section section;
  unsigned net;  /* NET_* */
  enum ssa_net_attention attention;
  enum ssa_share share;
  unsigned steps;
  ssa_eval_result r;
} acc_row;

typedef struct rtl_entry {
  ssa_engine engine;
  unsigned requested;
  int ran;
  ssa_rtl_check_result r;
} rtl_entry;

typedef struct acc_state {
  const char *models, *out, *data, *cache;
  unsigned limit, threads;
  char path[NET_COUNT][4096];
  ssa_net net[NET_COUNT];
  char *provenance[NET_COUNT];  /* the leading '#' lines of each file, "# " removed */
  unsigned test_images;         /* evaluated per row */
  unsigned test_total;          /* in the test set */
  acc_row rows[MAX_ROWS];
  unsigned row_count;
  rtl_entry rtl[2];
  ssa_text command;
  double seconds;
} acc_state;

/* ---- gathering ---- */

static void quote_arg(ssa_text *t, const char *a) {
  if (a[0] != '\0' && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                "-_./=,:+@%") == strlen(a)) {
    ssa_text_printf(t, " %s", a);
    return;
  }
  ssa_text_printf(t, " '");
  for (; *a; a++) {
    if (*a == '\'') ssa_text_printf(t, "'\\''");
    else ssa_text_printf(t, "%c", *a);
  }
  ssa_text_printf(t, "'");
}

/* The comment block at the top of a weights file: how it was trained. */
static int read_provenance(const char *path, char **out, ssa_error *err) {
  char *text = NULL;
  if (ssa_read_file(path, &text, NULL, err) != 0) return -1;
  ssa_text t = {0};
  for (const char *line = text; *line == '#';) {
    size_t len = strcspn(line, "\n");
    const char *s = line + 1;
    if (*s == ' ') s++;
    ssa_text_printf(&t, "%.*s\n", (int)(len - (size_t)(s - line)), s);
    line += len + (line[len] == '\n');
  }
  free(text);
  if (t.failed) {
    ssa_text_free(&t);
    return ssa_fail(err, "out of memory");
  }
  *out = t.s ? t.s : strdup("");
  return *out ? 0 : ssa_fail(err, "out of memory");
}

static int evaluate_row(acc_state *st, const ssa_dataset *test, enum section section,
                        unsigned net, enum ssa_net_attention attention, enum ssa_share share,
                        unsigned steps, ssa_error *err) {
  if (st->row_count == MAX_ROWS) return ssa_fail(err, "too many rows");
  acc_row *row = &st->rows[st->row_count];
  memset(row, 0, sizeof *row);
  row->section = section;
  row->net = net;
  row->attention = attention;
  row->share = share;
  row->steps = steps;
  ssa_net_run_opts ro;
  ssa_net_run_opts_default(&ro, &st->net[net]);
  ro.attention = attention;
  ro.share = share;
  ro.steps = steps;
  if (ssa_net_evaluate(&st->net[net], &ro, test, st->limit, st->threads, NULL, &row->r, err) != 0)
    return -1;
  st->row_count++;
  fprintf(stderr, "accuracy: %-17s %-5s %-6s T %2u: %.4f (%u images, %.1f s)\n", net_files[net],
          ssa_net_attention_name(attention),
          attention == SSA_NET_ATTENTION_SC ? ssa_share_name(share) : "-", steps,
          row->r.accuracy, row->r.images, row->r.seconds);
  return 0;
}

static int evaluate_all(acc_state *st, const ssa_dataset *test, ssa_error *err) {
  if (evaluate_row(st, test, SEC_BASELINE, NET_ANN, SSA_NET_ATTENTION_ANN, SSA_SHARE_UNIT, 1,
                   err) != 0)
    return -1;
  for (unsigned k = 0; k < STEP_COUNT; k++)
    if (evaluate_row(st, test, SEC_SWEEP, NET_EXACT, SSA_NET_ATTENTION_EXACT, SSA_SHARE_UNIT,
                     sweep_steps[k], err) != 0)
      return -1;
  for (unsigned m = 0; m < 3; m++)
    for (unsigned k = 0; k < STEP_COUNT; k++)
      if (evaluate_row(st, test, SEC_SWEEP, NET_SC, SSA_NET_ATTENTION_SC, (enum ssa_share)m,
                       sweep_steps[k], err) != 0)
        return -1;
  if (evaluate_row(st, test, SEC_CROSS, NET_EXACT, SSA_NET_ATTENTION_SC, SSA_SHARE_UNIT, 10,
                   err) != 0 ||
      evaluate_row(st, test, SEC_CROSS, NET_SC, SSA_NET_ATTENTION_EXACT, SSA_SHARE_UNIT, 10,
                   err) != 0)
    return -1;
  /* the ablation: each network with O = 0, what its attention contributes */
  for (unsigned n = 0; n < NET_COUNT; n++)
    if (evaluate_row(st, test, SEC_CROSS, n, SSA_NET_ATTENTION_NONE, SSA_SHARE_UNIT,
                     n == NET_ANN ? 1 : 10, err) != 0)
      return -1;
  return 0;
}

static int rtl_checks(acc_state *st, const ssa_dataset *test, ssa_error *err) {
  const ssa_net *net = &st->net[NET_SC];
  for (unsigned k = 0; k < 2; k++) {
    rtl_entry *e = &st->rtl[k];
    if (e->requested == 0) continue;
    ssa_rtl_check_opts o;
    ssa_rtl_check_opts_default(&o);
    o.engine = e->engine;
    o.share = net->shape.share;
    o.random = net->shape.random;
    o.steps = net->shape.steps;
    o.first = 0;
    o.count = e->requested < test->count ? e->requested : test->count;
    o.cache_dir = st->cache;
    o.build_progress = 1;
    o.progress = stderr;
    o.progress_every = 50;
    fprintf(stderr, "accuracy: rtl check of snn-sc (share %s, T %u) on %s, %u images\n",
            ssa_share_name(o.share), o.steps, ssa_engine_name(o.engine), o.count);
    if (ssa_rtl_check(net, test, &o, &e->r, err) != 0) return -1;
    e->ran = 1;
  }
  return 0;
}

/* ---- lookups ---- */

static const acc_row *find_row(const acc_state *st, enum section sec, unsigned net,
                               enum ssa_net_attention a, enum ssa_share share, unsigned steps) {
  for (unsigned k = 0; k < st->row_count; k++) {
    const acc_row *r = &st->rows[k];
    if (r->section == sec && r->net == net && r->attention == a && r->steps == steps &&
        (a != SSA_NET_ATTENTION_SC || r->share == share))
      return r;
  }
  return NULL;
}

static double ann_accuracy(const acc_state *st) {
  const acc_row *r = find_row(st, SEC_BASELINE, NET_ANN, SSA_NET_ATTENTION_ANN, SSA_SHARE_UNIT, 1);
  return r ? r->r.accuracy : 0;
}

/* The sweep's series: snn-exact, then snn-sc per share mode. */
#define SERIES 4
static void series(unsigned s, unsigned *net, enum ssa_net_attention *a, enum ssa_share *share) {
  *net = s == 0 ? NET_EXACT : NET_SC;
  *a = s == 0 ? SSA_NET_ATTENTION_EXACT : SSA_NET_ATTENTION_SC;
  *share = s == 0 ? SSA_SHARE_UNIT : (enum ssa_share)(s - 1);
}

static void series_name(unsigned s, char *buf, size_t len) {
  unsigned net;
  enum ssa_net_attention a;
  enum ssa_share share;
  series(s, &net, &a, &share);
  if (s == 0) snprintf(buf, len, "snn-exact, exact attention");
  else snprintf(buf, len, "snn-sc, SC attention, share %s", ssa_share_name(share));
}

static int rtl_passed(const acc_state *st) {
  for (unsigned k = 0; k < 2; k++)
    if (st->rtl[k].ran && !ssa_rtl_check_passed(&st->rtl[k].r)) return 0;
  return 1;
}

/* ---- the page ---- */

static void md_intro(ssa_text *t, const acc_state *st) {
  const ssa_net_shape *s = &st->net[NET_SC].shape;
  ssa_text_printf(t,
      "# Accuracy of the spiking Transformer on Fashion-MNIST\n\n"
      "<!-- Generated by `ssa accuracy` (cli/cmd_accuracy.c); do not edit: rerun the command "
      "at the end of the page. -->\n\n");
  /* The hand-written part: what the network is (train/net.h). */
  ssa_text_printf(t,
      "The network is a small Spikformer-style classifier (`train/net.h`). A 28x28 image is "
      "cut into 16 patches of 7x7, the tokens. A patch embedding with position embeddings "
      "(E = %u) feeds one encoder block: Q, K and V projections, the attention (H = %u heads "
      "of D = %u), an output projection with a residual, and a two-layer MLP (F = %u) with a "
      "residual; the mean over tokens and time steps goes to a linear classifier. In the two "
      "spiking networks every activation outside the attention is a LIF neuron (leak beta = "
      "%g, threshold 1, %s reset) and the image is the same input current at every step "
      "(direct coding). Their attention is either the exact spiking attention (integer "
      "Q K^T V scaled by 2^-%u into a LIF with threshold 0.5, Spikformer's) or the SC "
      "attention block, and in both cases it is the golden model of the generated RTL itself, "
      "so the numbers below are the accuracy of the function the hardware computes. The ANN "
      "is the same architecture with ReLU and softmax attention, run for one step: the "
      "baseline.\n\n"
      "Training (`ssa train`): Adam, batches of 64, cosine learning-rate decay, "
      "backpropagation through time with a sigmoid surrogate gradient for every spike; the "
      "SC block runs forward as sampled spikes and passes back the gradient of its "
      "expectation (Q K^T V)/(N D) (straight-through). The exact commands are at the end of "
      "this page; `ssa eval --help` explains how to reproduce any single number.\n\n",
      s->embed, s->heads, s->heads ? s->embed / s->heads : 0, s->hidden, s->lif_beta,
      ssa_lif_reset_name(s->lif_reset), s->scale_shift);
}

static void md_sweep(ssa_text *t, const acc_state *st) {
  double ann = ann_accuracy(st);
  ssa_text_printf(t, "## Accuracy against the number of time steps\n\n"
                  "Test-set accuracy on %s%u images; the configuration each network was trained "
                  "in is in bold. Every image starts from the attention block's reset state.\n\n"
                  "| network | attention | share |",
                  st->test_images < st->test_total ? "the first " : "all ", st->test_images);
  for (unsigned k = 0; k < STEP_COUNT; k++) ssa_text_printf(t, " T = %u |", sweep_steps[k]);
  ssa_text_printf(t, "\n|---|---|---|");
  for (unsigned k = 0; k < STEP_COUNT; k++) ssa_text_printf(t, "---:|");
  ssa_text_printf(t, "\n| ann | softmax | - | %.4f (one step) |", ann);
  for (unsigned k = 1; k < STEP_COUNT; k++) ssa_text_printf(t, " |");
  ssa_text_printf(t, "\n");
  for (unsigned s = 0; s < SERIES; s++) {
    unsigned net;
    enum ssa_net_attention a;
    enum ssa_share share;
    series(s, &net, &a, &share);
    const ssa_net_shape *sh = &st->net[net].shape;
    ssa_text_printf(t, "| %s | %s | %s |", ssa_net_model_name(net_models[net]),
                    a == SSA_NET_ATTENTION_SC ? "SC" : "exact",
                    a == SSA_NET_ATTENTION_SC ? ssa_share_name(share) : "-");
    for (unsigned k = 0; k < STEP_COUNT; k++) {
      const acc_row *r = find_row(st, SEC_SWEEP, net, a, share, sweep_steps[k]);
      int trained = sweep_steps[k] == sh->steps &&
                    (a != SSA_NET_ATTENTION_SC || sh->share == share);
      if (r) ssa_text_printf(t, trained ? " **%.4f** |" : " %.4f |", r->r.accuracy);
      else ssa_text_printf(t, " |");
    }
    ssa_text_printf(t, "\n");
  }
  ssa_text_printf(t, "\n![Accuracy against T](accuracy.png)\n\n");
  ssa_text_printf(t, "**The ANN baseline** (ReLU, softmax attention, one step): %.4f.\n\n", ann);
  ssa_text_printf(t, "**The gap at T = 10 to the ANN**, in percentage points (positive: below "
                  "the ANN):\n\n");
  for (unsigned s = 0; s < SERIES; s++) {
    unsigned net;
    enum ssa_net_attention a;
    enum ssa_share share;
    series(s, &net, &a, &share);
    const acc_row *r = find_row(st, SEC_SWEEP, net, a, share, 10);
    if (!r) continue;
    char name[96];
    series_name(s, name, sizeof name);
    const ssa_net_shape *sh = &st->net[net].shape;
    int trained = sh->steps == 10 && (a != SSA_NET_ATTENTION_SC || sh->share == share);
    ssa_text_printf(t, "- %s: %.4f, %+.2f points%s\n", name, r->r.accuracy,
                    100.0 * (ann - r->r.accuracy), trained ? " (as trained)" : "");
  }
  ssa_text_printf(t, "\n");
}

static void md_cross(ssa_text *t, const acc_state *st) {
  ssa_text_printf(t, "## Cross-checks\n\n"
                  "Each spiking network with the other attention, T = 10: how much the weights "
                  "depend on the block they were trained with. Then each network with its "
                  "attention output forced to zero (`--attention none`, no retraining): how "
                  "much it relies on its attention at all.\n\n"
                  "| weights | attention | share | T | accuracy | with its own attention |\n"
                  "|---|---|---|---:|---:|---:|\n");
  for (unsigned k = 0; k < st->row_count; k++) {
    const acc_row *r = &st->rows[k];
    if (r->section != SEC_CROSS) continue;
    const ssa_net_shape *sh = &st->net[r->net].shape;
    enum ssa_net_attention own = ssa_net_model_attention(net_models[r->net]);
    const acc_row *o = r->net == NET_ANN
                           ? find_row(st, SEC_BASELINE, r->net, own, SSA_SHARE_UNIT, 1)
                           : find_row(st, SEC_SWEEP, r->net, own, sh->share, 10);
    char own_text[32] = "-";
    if (o) snprintf(own_text, sizeof own_text, "%.4f", o->r.accuracy);
    ssa_text_printf(t, "| %s | %s | %s | %u | %.4f | %s |\n", net_files[r->net],
                    r->attention == SSA_NET_ATTENTION_SC      ? "SC"
                    : r->attention == SSA_NET_ATTENTION_EXACT ? "exact"
                                                              : "none (O = 0)",
                    r->attention == SSA_NET_ATTENTION_SC ? ssa_share_name(r->share) : "-",
                    r->steps, r->r.accuracy, own_text);
  }
  ssa_text_printf(t, "\n");
}

static void md_rtl(ssa_text *t, const acc_state *st) {
  const ssa_net_shape *sh = &st->net[NET_SC].shape;
  ssa_text_printf(t,
      "## The SC attention block as RTL\n\n"
      "The snn-sc network at its trained configuration (share %s, T = %u) on the first test "
      "images, with its attention block run as the generated Verilog (`train/rtl_check.h`, "
      "`ssa eval --engine`): for each image the network runs with the golden block, the Q, K "
      "and V spikes the block received at every step are played into the RTL (reset before "
      "each image), every output bit of every clock is compared with the golden model, and "
      "the network is run again on the O spikes the RTL produced. The attention run's own "
      "golden O is also checked against the network's, bit for bit.\n\n",
      ssa_share_name(sh->share), sh->steps);
  int any = st->rtl[0].ran || st->rtl[1].ran;
  if (!any) {
    ssa_text_printf(t, "Not run (--rtl-images 0 --icarus-images 0).\n\n");
    return;
  }
  ssa_text_printf(t, "| engine | images | bit-exact images | clocks | output bits compared | "
                  "golden accuracy | RTL-run accuracy | same prediction | Q/K/V spike rate | "
                  "O spike rate | seconds per image | model build or load, s |\n"
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (unsigned k = 0; k < 2; k++) {
    const rtl_entry *e = &st->rtl[k];
    if (!e->ran) continue;
    const ssa_rtl_check_result *r = &e->r;
    double n = r->images ? r->images : 1, ob = r->o_bits ? (double)r->o_bits : 1;
    char model[32] = "-";
    if (e->engine == SSA_ENGINE_VERILATOR) snprintf(model, sizeof model, "%.1f", r->model_seconds);
    ssa_text_printf(t, "| %s | %u | %u | %llu | %llu | %.4f | %.4f | %u | %.4f | %.4f | %.4f "
                    "| %s |\n",
                    ssa_engine_name(e->engine), r->images, r->matched, r->clocks, r->bits,
                    r->golden_correct / n, r->rtl_correct / n, r->predictions_equal,
                    r->qkv_spikes / (3 * ob), r->o_spikes / ob,
                    (r->seconds - r->model_seconds) / n, model);
  }
  ssa_text_printf(t, "\n");
  for (unsigned k = 0; k < 2; k++) {
    const rtl_entry *e = &st->rtl[k];
    if (!e->ran) continue;
    const ssa_rtl_check_result *r = &e->r;
    if (ssa_rtl_check_passed(r))
      ssa_text_printf(t, "- %s: every output bit of every clock of all %u images equals the "
                      "golden model; the network's predictions on the RTL's spikes are the "
                      "golden ones.\n", ssa_engine_name(e->engine), r->images);
    else
      ssa_text_printf(t, "- **%s: the RTL differs from the golden model** on %u of %u images "
                      "(%u runs whose golden O differs from the network's); first: %s.\n",
                      ssa_engine_name(e->engine), r->images - r->matched, r->images,
                      r->trace_mismatches, r->first_mismatch);
  }
  ssa_text_printf(t, "\nThe time per image includes the network's two forward passes and the "
                  "golden attention run. Verilator's model is compiled once per parameter set "
                  "and cached (the last column: the build on a cold cache, the load on a warm "
                  "one); every image then runs on that one instance, reset first. Icarus "
                  "compiles its testbench once per 25 images, which it plays in one run, and "
                  "that time is in its per-image figure.\n\n");
}

static void md_provenance(ssa_text *t, const acc_state *st) {
  ssa_text_printf(t, "## How this page was made\n\n```\n%s\n```\n\n", st->command.s);
  ssa_text_printf(t, "on %u test images of %s, in %.0f s. The weights files, and how each was "
                  "trained (the comment lines at the top of each file):\n\n",
                  st->test_images, st->data, st->seconds);
  for (unsigned k = 0; k < NET_COUNT; k++) {
    const ssa_net_shape *s = &st->net[k].shape;
    ssa_text_printf(t, "`%s`: %s, E %u, H %u, F %u, T %u", st->path[k],
                    ssa_net_model_name(s->model), s->embed, s->heads, s->hidden, s->steps);
    if (s->model == SSA_NET_SNN_SC) ssa_text_printf(t, ", share %s", ssa_share_name(s->share));
    if (s->model != SSA_NET_ANN)
      ssa_text_printf(t, ", LIF beta %g, reset %s", s->lif_beta, ssa_lif_reset_name(s->lif_reset));
    ssa_text_printf(t, ", %zu parameters.\n\n```\n%s```\n\n", st->net[k].count,
                    st->provenance[k][0] ? st->provenance[k] : "(no comment lines)\n");
  }
}

static void markdown(ssa_text *t, const acc_state *st) {
  md_intro(t, st);
  md_sweep(t, st);
  md_cross(t, st);
  md_rtl(t, st);
  md_provenance(t, st);
}

/* ---- CSV and JSON ---- */

static void csv(ssa_text *t, const acc_state *st) {
  ssa_text_printf(t, "section,weights,model,attention,share,steps,engine,images,correct,"
                  "accuracy,golden_correct,bit_exact_images,clocks,output_bits\n");
  for (unsigned k = 0; k < st->row_count; k++) {
    const acc_row *r = &st->rows[k];
    ssa_text_printf(t, "%s,%s,%s,%s,%s,%u,golden,%u,%u,%.4f,,,,\n", section_names[r->section],
                    net_files[r->net], ssa_net_model_name(net_models[r->net]),
                    ssa_net_attention_name(r->attention),
                    r->attention == SSA_NET_ATTENTION_SC ? ssa_share_name(r->share) : "",
                    r->steps, r->r.images, r->r.correct, r->r.accuracy);
  }
  const ssa_net_shape *sh = &st->net[NET_SC].shape;
  for (unsigned k = 0; k < 2; k++) {
    const rtl_entry *e = &st->rtl[k];
    if (!e->ran) continue;
    const ssa_rtl_check_result *r = &e->r;
    ssa_text_printf(t, "rtl,%s,snn-sc,sc,%s,%u,%s,%u,%u,%.4f,%u,%u,%llu,%llu\n",
                    net_files[NET_SC], ssa_share_name(sh->share), sh->steps,
                    ssa_engine_name(e->engine), r->images, r->rtl_correct,
                    r->images ? (double)r->rtl_correct / r->images : 0.0, r->golden_correct,
                    r->matched, r->clocks, r->bits);
  }
}

static void json(FILE *f, const acc_state *st) {
  fprintf(f, "{\n  \"command\": ");
  ssa_json_string(f, st->command.s);
  fprintf(f, ",\n  \"test_images\": %u", st->test_images);
  ssa_json_member_number(f, "ann_accuracy", ann_accuracy(st));
  fprintf(f, ",\n  \"networks\": [");
  for (unsigned k = 0; k < NET_COUNT; k++) {
    const ssa_net_shape *s = &st->net[k].shape;
    fprintf(f, "%s\n    {\"file\": ", k ? "," : "");
    ssa_json_string(f, st->path[k]);
    ssa_json_member_string(f, "model", ssa_net_model_name(s->model));
    fprintf(f, ", \"embed\": %u, \"heads\": %u, \"hidden\": %u, \"steps\": %u", s->embed,
            s->heads, s->hidden, s->steps);
    if (s->model == SSA_NET_SNN_SC) ssa_json_member_string(f, "share", ssa_share_name(s->share));
    fprintf(f, ", \"parameters\": %zu", st->net[k].count);
    ssa_json_member_string(f, "trained_by", st->provenance[k]);
    fprintf(f, "}");
  }
  fprintf(f, "\n  ],\n  \"rows\": [");
  for (unsigned k = 0; k < st->row_count; k++) {
    const acc_row *r = &st->rows[k];
    fprintf(f, "%s\n    {\"section\": \"%s\", \"weights\": \"%s\", \"attention\": \"%s\"",
            k ? "," : "", section_names[r->section], net_files[r->net],
            ssa_net_attention_name(r->attention));
    if (r->attention == SSA_NET_ATTENTION_SC)
      ssa_json_member_string(f, "share", ssa_share_name(r->share));
    fprintf(f, ", \"steps\": %u, \"images\": %u, \"correct\": %u", r->steps, r->r.images,
            r->r.correct);
    ssa_json_member_number(f, "accuracy", r->r.accuracy);
    ssa_json_member_number(f, "loss", r->r.loss);
    if (r->section == SEC_SWEEP && r->steps == 10)
      ssa_json_member_number(f, "gap_to_ann_pp", 100.0 * (ann_accuracy(st) - r->r.accuracy));
    fprintf(f, "}");
  }
  const ssa_net_shape *sh = &st->net[NET_SC].shape;
  fprintf(f, "\n  ],\n  \"rtl\": [");
  unsigned n = 0;
  for (unsigned k = 0; k < 2; k++) {
    const rtl_entry *e = &st->rtl[k];
    if (!e->ran) continue;
    const ssa_rtl_check_result *r = &e->r;
    double imgs = r->images ? r->images : 1;
    fprintf(f, "%s\n    {\"engine\": \"%s\", \"share\": \"%s\", \"steps\": %u, \"images\": %u, "
            "\"bit_exact_images\": %u, \"trace_mismatches\": %u, \"clocks\": %llu, "
            "\"output_bits\": %llu, \"golden_correct\": %u, \"rtl_correct\": %u, "
            "\"predictions_equal\": %u, \"passed\": %s", n++ ? "," : "",
            ssa_engine_name(e->engine), ssa_share_name(sh->share), sh->steps, r->images,
            r->matched, r->trace_mismatches, r->clocks, r->bits, r->golden_correct,
            r->rtl_correct, r->predictions_equal, ssa_rtl_check_passed(r) ? "true" : "false");
    const ssa_json_number_member figures[] = {
        {"golden_accuracy", r->golden_correct / imgs},
        {"rtl_accuracy", r->rtl_correct / imgs},
        {"qkv_spike_rate", r->o_bits ? r->qkv_spikes / (3.0 * r->o_bits) : 0},
        {"o_spike_rate", r->o_bits ? (double)r->o_spikes / r->o_bits : 0},
        {"seconds", r->seconds},
        {"model_seconds", r->model_seconds},
    };
    ssa_json_member_numbers(f, figures, sizeof figures / sizeof figures[0]);
    fprintf(f, ", \"logits_equal\": %u", r->logits_equal);
    ssa_json_member_string(f, "first_mismatch", r->first_mismatch);
    fprintf(f, "}");
  }
  fprintf(f, "\n  ],\n  \"seconds\": ");
  ssa_json_number(f, st->seconds);
  fprintf(f, "\n}\n");
}

static int json_text(const acc_state *st, char **buf, size_t *len, ssa_error *err) {
  FILE *f = open_memstream(buf, len);
  if (f == NULL) return ssa_fail(err, "out of memory");
  json(f, st);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) {
    free(*buf);
    *buf = NULL;
    return ssa_fail(err, "out of memory");
  }
  return 0;
}

/* ---- the plot ---- */

static void plot_data(ssa_text *t, const acc_state *st) {
  for (unsigned s = 0; s < SERIES; s++) {
    unsigned net;
    enum ssa_net_attention a;
    enum ssa_share share;
    series(s, &net, &a, &share);
    char name[96];
    series_name(s, name, sizeof name);
    ssa_text_printf(t, "# %s\n", name);
    for (unsigned k = 0; k < STEP_COUNT; k++) {
      const acc_row *r = find_row(st, SEC_SWEEP, net, a, share, sweep_steps[k]);
      if (r) ssa_text_printf(t, "%u %.6f\n", sweep_steps[k], r->r.accuracy);
    }
    ssa_text_printf(t, "\n\n");
  }
}

static void plot_script(ssa_text *t, const acc_state *st) {
  /* y from just below the lowest to just above the highest accuracy, the ANN included, in
   * steps of 0.05: differences of a point stay visible */
  double lo = ann_accuracy(st), hi = lo;
  for (unsigned k = 0; k < st->row_count; k++) {
    if (st->rows[k].section != SEC_SWEEP) continue;
    double a = st->rows[k].r.accuracy;
    if (a < lo) lo = a;
    if (a > hi) hi = a;
  }
  lo = floor((lo - 0.01) * 20) / 20;
  hi = ceil((hi + 0.01) * 20) / 20;
  if (lo < 0) lo = 0;
  if (hi > 1) hi = 1;
  ssa_text_printf(t, "set terminal pngcairo size 900,650\nset output 'accuracy.png'\n"
                  "set title 'Fashion-MNIST test accuracy (%u images) against time steps T'\n"
                  "set xlabel 'T (time steps)'\nset ylabel 'accuracy'\nset key below\n"
                  "set grid\nset xrange [0.5:10.5]\nset xtics (1, 2, 4, 8, 10)\n"
                  "set yrange [%.2f:%.2f]\nplot ", st->test_images, lo, hi);
  for (unsigned s = 0; s < SERIES; s++) {
    char name[96];
    series_name(s, name, sizeof name);
    ssa_text_printf(t, "'accuracy.dat' index %u using 1:2 with linespoints lw 2 pt 7 lc %u "
                    "title '%s', ", s, s + 1, name);
  }
  ssa_text_printf(t, "%.6f with lines dt 2 lw 2 lc rgb 'black' title 'ANN (softmax, one "
                  "step)'\n", ann_accuracy(st));
}

static int plot(const acc_state *st, ssa_outset *set, ssa_error *err) {
  ssa_text data = {0}, script = {0};
  plot_data(&data, st);
  plot_script(&script, st);
  const ssa_plot_input inputs[] = {{"accuracy.dat", &data}, {"plot.gp", &script}};
  const char *const pngs[] = {"accuracy.png"};
  int rc = ssa_gnuplot(st->out, "accuracy: gnuplot", inputs, 2, pngs, 1, set, err);
  ssa_text_free(&data);
  ssa_text_free(&script);
  return rc;
}

static int write_all(const acc_state *st, ssa_error *err) {
  if (ssa_cli_make_dir(st->out, err) != 0) return -1;
  ssa_text md = {0}, cs = {0};
  markdown(&md, st);
  csv(&cs, st);
  char *js = NULL;
  size_t js_len = 0;
  int rc = md.failed || cs.failed ? ssa_fail(err, "out of memory") : 0;
  if (rc == 0) rc = json_text(st, &js, &js_len, err);
  ssa_outset set;
  ssa_outset_init(&set);
  const char *names[] = {"accuracy.md", "accuracy.csv", "accuracy.json"};
  const char *texts[] = {md.s, cs.s, js};
  size_t lens[] = {md.len, cs.len, js_len};
  char path[4200];
  for (unsigned k = 0; rc == 0 && k < 3; k++) {
    snprintf(path, sizeof path, "%s/%s", st->out, names[k]);
    rc = ssa_outset_add(&set, path, texts[k], lens[k], err);
  }
  if (rc == 0) rc = plot(st, &set, err);
  if (rc == 0) rc = ssa_outset_commit(&set, err);
  else ssa_outset_abort(&set);
  ssa_text_free(&md);
  ssa_text_free(&cs);
  free(js);
  return rc;
}

/* ---- the command ---- */

static int parse_count_opt(ssa_cli *c, const char *opt, unsigned max, unsigned *out,
                           ssa_error *err) {
  const char *v;
  unsigned long long n;
  if (ssa_cli_value(c, opt, &v, err) != 0 || ssa_parse_unsigned(opt, v, max, &n, err) != 0)
    return -1;
  *out = (unsigned)n;
  return 0;
}

static void state_free(acc_state *st) {
  for (unsigned k = 0; k < NET_COUNT; k++) {
    if (st->net[k].param) ssa_net_free(&st->net[k]);
    free(st->provenance[k]);
  }
  ssa_text_free(&st->command);
}

int ssa_cmd_accuracy(int argc, char **argv) {
  ssa_error err = {{0}};
  acc_state st;
  memset(&st, 0, sizeof st);
  st.models = "models";
  st.out = "docs";
  st.data = SSA_FMNIST_DEFAULT_DIR;
  st.threads = ssa_cpu_count();
  st.rtl[0].engine = SSA_ENGINE_VERILATOR;
  st.rtl[0].requested = 200;
  st.rtl[1].engine = SSA_ENGINE_ICARUS;
  st.rtl[1].requested = 20;
  ssa_cli c;
  ssa_cli_init(&c, argc, argv, "accuracy");
  for (const char *opt; (opt = ssa_cli_next(&c)) != NULL;) {
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      fputs(accuracy_help, stdout);
      return SSA_EXIT_OK;
    }
    int rc = 0;
    const char **text = strcmp(opt, "--models") == 0 ? &st.models
                        : strcmp(opt, "--out") == 0  ? &st.out
                        : strcmp(opt, "--data") == 0 ? &st.data
                        : strcmp(opt, "--cache") == 0 ? &st.cache
                                                      : NULL;
    if (text) rc = ssa_cli_value(&c, opt, text, &err);
    else if (strcmp(opt, "--limit") == 0) {
      rc = parse_count_opt(&c, opt, 0xffffffffu, &st.limit, &err);
      if (rc == 0 && st.limit == 0) rc = ssa_fail(&err, "--limit 0: must be at least 1");
    }
    else if (strcmp(opt, "--rtl-images") == 0)
      rc = parse_count_opt(&c, opt, 0xffffffffu, &st.rtl[0].requested, &err);
    else if (strcmp(opt, "--icarus-images") == 0)
      rc = parse_count_opt(&c, opt, 0xffffffffu, &st.rtl[1].requested, &err);
    else if (strcmp(opt, "--threads") == 0) {
      rc = parse_count_opt(&c, opt, SSA_MAX_THREADS, &st.threads, &err);
      if (rc == 0 && st.threads == 0) rc = ssa_fail(&err, "--threads 0: must be at least 1");
    } else rc = ssa_cli_unknown(&c, opt, &err);
    if (rc == 0 && text == &st.out) rc = ssa_cli_dir_check(st.out, &err);
    if (rc != 0) {
      fprintf(stderr, "ssa: %s\n", err.msg);
      return SSA_EXIT_USAGE;
    }
  }
  if (st.threads == 0) st.threads = 1;
  ssa_text_printf(&st.command, "ssa accuracy");
  for (int k = 0; k < argc; k++) quote_arg(&st.command, argv[k]);

  /* every weights file first: a missing one is a one-line usage error */
  for (unsigned k = 0; k < NET_COUNT; k++) {
    snprintf(st.path[k], sizeof st.path[k], "%s/%s", st.models, net_files[k]);
    struct stat sb;
    if (stat(st.path[k], &sb) != 0) {
      fprintf(stderr, "ssa: accuracy: missing weights file %s (see ssa train --help)\n",
              st.path[k]);
      state_free(&st);
      return SSA_EXIT_USAGE;
    }
  }
  for (unsigned k = 0; k < NET_COUNT; k++) {
    int rc = ssa_net_load(&st.net[k], st.path[k], &err);
    if (rc == 0 && st.net[k].shape.model != net_models[k])
      rc = ssa_fail(&err, "%s: holds a %s network, expected %s", st.path[k],
                    ssa_net_model_name(st.net[k].shape.model), ssa_net_model_name(net_models[k]));
    if (rc == 0) rc = read_provenance(st.path[k], &st.provenance[k], &err);
    if (rc != 0) {
      fprintf(stderr, "ssa: %s\n", err.msg);
      state_free(&st);
      return SSA_EXIT_USAGE;
    }
  }
  ssa_dataset test;
  if (ssa_fmnist_load(st.data, SSA_SPLIT_TEST, &test, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    state_free(&st);
    return SSA_EXIT_USAGE;
  }
  st.test_images = st.limit && st.limit < test.count ? st.limit : test.count;
  st.test_total = test.count;
  fprintf(stderr, "accuracy: %u test images, %u threads\n", st.test_images, st.threads);
  double start = ssa_seconds_now();
  int status = SSA_EXIT_FAIL;
  if (evaluate_all(&st, &test, &err) == 0 && rtl_checks(&st, &test, &err) == 0) {
    st.seconds = ssa_seconds_now() - start;
    if (st.command.failed) ssa_fail(&err, "out of memory");
    else if (write_all(&st, &err) == 0) status = rtl_passed(&st) ? SSA_EXIT_OK : SSA_EXIT_FAIL;
  }
  if (status == SSA_EXIT_FAIL && err.msg[0] == '\0') {
    for (unsigned k = 0; k < 2; k++)
      if (st.rtl[k].ran && !ssa_rtl_check_passed(&st.rtl[k].r))
        fprintf(stderr, "ssa: accuracy: the RTL (%s) differs from the golden model: %s\n",
                ssa_engine_name(st.rtl[k].engine), st.rtl[k].r.first_mismatch);
  } else if (status == SSA_EXIT_FAIL) {
    fprintf(stderr, "ssa: %s\n", err.msg);
  }
  if (status != SSA_EXIT_FAIL || err.msg[0] == '\0')
    fprintf(stderr, "accuracy: wrote %s/accuracy.{md,csv,json,png} (%.0f s)\n", st.out,
            st.seconds);
  ssa_dataset_free(&test);
  state_free(&st);
  return status;
}
