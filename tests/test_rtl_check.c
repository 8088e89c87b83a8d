/* test_rtl_check.c -- the network's SC attention run as RTL (train/rtl_check.h).
 * A tiny untrained snn-sc network (E 8, H 2, F 8, T 4) whose biases make Q, K, V and O spike
 * runs on three real test images with its attention block on Verilator and on Icarus: every
 * output bit of every clock must match the golden model and the RTL-run predictions must be
 * the golden ones. A flipped expected bit must be caught, on the right image. If the source
 * tree has a committed models/snn-sc.weights, three images of it run on Verilator too.
 *
 * Usage: test_rtl_check options|dataset|model. The options group (bad options rejected) runs on
 * a blank stand-in for the test set and needs nothing; the dataset group needs the Fashion-MNIST
 * test set (SSA_FMNIST_DEFAULT_DIR, or $SSA_TEST_FMNIST_DIR), the model group that and
 * models/snn-sc.weights; each exits 77, meson's SKIP, when what it needs is missing
 * (tests/skip.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../train/fmnist.h"
#include "../train/net.h"
#include "../train/net_file.h"
#include "../train/rtl_check.h"
#include "skip.h"
#include "small_net.h"

#define IMAGES 3u

typedef struct fixture {
  ssa_dataset test;
  ssa_net net;
} fixture;

/* The test set the dataset and model groups read (main checks that it is there). */
static const char *dataset_dir(void) { return ssa_test_fmnist_dir(SSA_FMNIST_DEFAULT_DIR); }

static void committed_path(char *path, size_t size) {
  const char *root = getenv("SSA_SOURCE_ROOT");
  snprintf(path, size, "%s/models/snn-sc.weights", root ? root : ".");
}

/* E 8, H 2 (D 4), F 8, T 4; positive biases on the embedding and on Q, K, V so that the
 * attention block sees dense enough spikes for its outputs to spike too. */
static void tiny_net(ssa_net *net) {
  ssa_net_shape s = small_shape(SSA_NET_SNN_SC, 8, 2, 8, 4);
  s.attention_seed = 7;
  small_net_new(net, &s);
  ssa_net_init_random(net, 12345);
  static const enum ssa_net_tensor biased[] = {SSA_T_PATCH_B, SSA_T_Q_B, SSA_T_K_B, SSA_T_V_B};
  for (unsigned k = 0; k < 4; k++) {
    ssa_real *b = ssa_net_tensor(net, net->param, biased[k]);
    unsigned n = net->tensor[biased[k]].rows * net->tensor[biased[k]].cols;
    for (unsigned i = 0; i < n; i++) b[i] += (ssa_real)(biased[k] == SSA_T_PATCH_B ? 0.5 : 0.8);
  }
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  ssa_error err = {{0}};
  if (f == NULL || ssa_fmnist_load(dataset_dir(), SSA_SPLIT_TEST, &f->test, &err) != 0) {
    fprintf(stderr, "%s\n", err.msg);
    free(f);
    return -1;
  }
  tiny_net(&f->net);
  *state = f;
  return 0;
}

/* Bad options are rejected before any image is read: a blank test set of 16 images stands in
 * for the real one, so that the options group runs without the dataset. */
static int setup_blank(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (f == NULL) return -1;
  f->test.count = 16;
  f->test.pixels = calloc((size_t)f->test.count * SSA_FMNIST_SIDE * SSA_FMNIST_SIDE, 1);
  f->test.labels = calloc(f->test.count, 1);
  if (f->test.pixels == NULL || f->test.labels == NULL) {
    ssa_dataset_free(&f->test);
    free(f);
    return -1;
  }
  tiny_net(&f->net);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  if (f != NULL) {
    ssa_dataset_free(&f->test);
    ssa_net_free(&f->net);
    free(f);
  }
  return 0;
}

static fixture *need_data(void **state) {
  assert_non_null(*state);
  return *state;
}

/* The network's own trace: Q, K, V and O all have spikes on the images checked. */
static void trace_spikes(void **state) {
  fixture *f = need_data(state);
  ssa_error err = {{0}};
  ssa_net_run_opts ro;
  ssa_net_run_opts_default(&ro, &f->net);
  ssa_net_run *run;
  assert_int_equal(ssa_net_run_new(&f->net, &ro, &run, &err), 0);
  unsigned long ones[4] = {0, 0, 0, 0}, bits = 0;
  ssa_real patches[SSA_NET_TOKENS * SSA_NET_PATCH_PIXELS], logits[SSA_NET_CLASSES];
  for (unsigned i = 0; i < IMAGES; i++) {
    ssa_net_patches(f->test.pixels + (size_t)i * SSA_FMNIST_SIDE * SSA_FMNIST_SIDE, patches);
    ssa_net_forward(run, patches, logits);
    ssa_spike_steps qkv, o;
    if (ssa_net_run_attention_trace(run, &qkv, &o, &err) != 0) fail_msg("%s", err.msg);
    assert_int_equal(qkv.steps, 4);
    for (unsigned t = 0; t < qkv.steps; t++) {
      for (unsigned b = 0; b < 3; b++) ones[b] += ssa_bitmat_popcount(ssa_spike_block(&qkv, t, b));
      ones[3] += ssa_bitmat_popcount(ssa_spike_block(&o, t, 0));
      bits += (unsigned long)o.rows * o.cols;
    }
    ssa_spike_steps_free(&qkv);
    ssa_spike_steps_free(&o);
  }
  ssa_net_run_free(run);
  print_message("spike rates over %u images: Q %.3f, K %.3f, V %.3f, O %.3f\n", IMAGES,
                (double)ones[0] / bits, (double)ones[1] / bits, (double)ones[2] / bits,
                (double)ones[3] / bits);
  for (unsigned b = 0; b < 4; b++) assert_true(ones[b] > 0);
  /* not trivially dense either: some zeros in O */
  assert_true(ones[3] < bits);
}

static void check(const fixture *f, const ssa_net *net, ssa_engine engine, ssa_rtl_check_opts *o,
                  ssa_rtl_check_result *r) {
  ssa_error err = {{0}};
  o->engine = engine;
  if (ssa_rtl_check(net, &f->test, o, r, &err) != 0)
    fail_msg("%s: %s", ssa_engine_name(engine), err.msg);
  print_message("%s: %u images, %u bit-exact, %llu clocks, %llu bits, O spikes %llu, golden %u "
                "right, rtl %u right, %.3f s (engine %.3f s)\n", ssa_engine_name(engine),
                r->images, r->matched, r->clocks, r->bits, r->o_spikes, r->golden_correct,
                r->rtl_correct, r->seconds, r->engine_seconds);
}

static void default_opts(ssa_rtl_check_opts *o, const ssa_net *net) {
  ssa_rtl_check_opts_default(o);
  o->share = net->shape.share;
  o->steps = net->shape.steps;
  o->first = 0;
  o->count = IMAGES;
}

static void assert_exact(const ssa_rtl_check_result *r, const ssa_net *net) {
  if (r->first_mismatch[0]) fail_msg("%s", r->first_mismatch);
  assert_int_equal(r->images, IMAGES);
  assert_int_equal(r->matched, IMAGES);
  assert_int_equal(r->trace_mismatches, 0);
  assert_int_equal(r->predictions_equal, IMAGES);
  assert_int_equal(r->logits_equal, IMAGES);
  assert_int_equal(r->golden_correct, r->rtl_correct);
  assert_true(ssa_rtl_check_passed(r));
  /* reset clocks, one clock per step and the latency, for each image */
  assert_true(r->clocks >= (unsigned long long)IMAGES * (net->shape.steps + 2));
  assert_true(r->bits > r->clocks * net->shape.embed * SSA_NET_TOKENS);
  assert_true(r->o_spikes > 0);
}

/* The callback sees every image in order, with the totals so far. */
static void count_image(void *ctx, unsigned image, const ssa_rtl_check_result *so_far) {
  unsigned *seen = ctx;
  assert_int_equal(image, *seen);
  assert_int_equal(so_far->images, *seen + 1);
  (*seen)++;
}

static void engine_exact(void **state, ssa_engine engine) {
  fixture *f = need_data(state);
  ssa_rtl_check_opts o;
  ssa_rtl_check_result r;
  default_opts(&o, &f->net);
  unsigned seen = 0;
  o.on_image = count_image;
  o.ctx = &seen;
  check(f, &f->net, engine, &o, &r);
  assert_exact(&r, &f->net);
  assert_int_equal(seen, IMAGES);
}

static void verilator_exact(void **state) { engine_exact(state, SSA_ENGINE_VERILATOR); }
static void icarus_exact(void **state) { engine_exact(state, SSA_ENGINE_ICARUS); }

/* Every share mode on Verilator, images from the middle of the set. */
static void verilator_shares(void **state) {
  fixture *f = need_data(state);
  for (unsigned m = 0; m < 3; m++) {
    ssa_rtl_check_opts o;
    ssa_rtl_check_result r;
    default_opts(&o, &f->net);
    o.share = (enum ssa_share)m;
    o.first = 5000;
    check(f, &f->net, SSA_ENGINE_VERILATOR, &o, &r);
    assert_exact(&r, &f->net);
  }
}

/* One flipped expected bit: exactly that image fails, and the description names it. */
static void injected_fault(void **state, ssa_engine engine) {
  fixture *f = need_data(state);
  ssa_rtl_check_opts o;
  ssa_rtl_check_result r;
  default_opts(&o, &f->net);
  o.inject = 1;
  o.inject_image = 1;
  o.inject_step = 2;
  o.inject_index = 37;
  check(f, &f->net, engine, &o, &r);
  assert_int_equal(r.images, IMAGES);
  assert_int_equal(r.matched, IMAGES - 1);
  assert_int_equal(r.trace_mismatches, 0);
  assert_false(ssa_rtl_check_passed(&r));
  print_message("caught: %s\n", r.first_mismatch);
  assert_non_null(strstr(r.first_mismatch, "image 1 "));
  assert_non_null(strstr(r.first_mismatch, "(result of step 2)"));
  assert_non_null(strstr(r.first_mismatch, "o_o[37]"));
  /* the RTL itself was right: its outputs are the golden ones, so are the predictions */
  assert_int_equal(r.predictions_equal, IMAGES);
  assert_int_equal(r.logits_equal, IMAGES);
}

static void verilator_fault(void **state) { injected_fault(state, SSA_ENGINE_VERILATOR); }
static void icarus_fault(void **state) { injected_fault(state, SSA_ENGINE_ICARUS); }

static void bad_options(void **state) {
  fixture *f = need_data(state);
  ssa_error err = {{0}};
  ssa_rtl_check_opts o;
  ssa_rtl_check_result r;
  default_opts(&o, &f->net);
  o.first = f->test.count - 1;
  assert_int_equal(ssa_rtl_check(&f->net, &f->test, &o, &r, &err), -1);
  assert_non_null(strstr(err.msg, "test set has"));
  default_opts(&o, &f->net);
  o.engine = SSA_ENGINE_GOLDEN;
  assert_int_equal(ssa_rtl_check(&f->net, &f->test, &o, &r, &err), -1);
  default_opts(&o, &f->net);
  o.inject = 1;
  o.inject_image = 10;
  assert_int_equal(ssa_rtl_check(&f->net, &f->test, &o, &r, &err), -1);
}

/* The committed trained network, if there is one. */
static void committed_model(void **state) {
  fixture *f = need_data(state);
  char path[4096];
  committed_path(path, sizeof path);
  ssa_error err = {{0}};
  ssa_net net;
  if (ssa_net_load(&net, path, &err) != 0) fail_msg("%s", err.msg);
  ssa_rtl_check_opts o;
  ssa_rtl_check_result r;
  default_opts(&o, &net);
  check(f, &net, SSA_ENGINE_VERILATOR, &o, &r);
  assert_exact(&r, &net);
  ssa_net_free(&net);
}

int main(int argc, char **argv) {
  static const char *const groups[] = {"options", "dataset", "model", NULL};
  const char *group = ssa_test_group(argc, argv, groups);
  if (group == NULL) return 2;
  if (strcmp(group, "options") == 0) {
    const struct CMUnitTest options[] = {
        cmocka_unit_test(bad_options),
    };
    return cmocka_run_group_tests_name("rtl check options", options, setup_blank, teardown);
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/t10k-images-idx3-ubyte.gz", dataset_dir());
  if (!ssa_test_have("the Fashion-MNIST test set", path)) return SSA_TEST_SKIP;
  if (strcmp(group, "model") == 0) {
    committed_path(path, sizeof path);
    if (!ssa_test_have("the committed network", path)) return SSA_TEST_SKIP;
    const struct CMUnitTest model[] = {
        cmocka_unit_test(committed_model),
    };
    return cmocka_run_group_tests_name("rtl check model", model, setup, teardown);
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(trace_spikes),    cmocka_unit_test(verilator_exact),
      cmocka_unit_test(icarus_exact),    cmocka_unit_test(verilator_shares),
      cmocka_unit_test(verilator_fault), cmocka_unit_test(icarus_fault),
  };
  return cmocka_run_group_tests_name("rtl check", tests, setup, teardown);
}
