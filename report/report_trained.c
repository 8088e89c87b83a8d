/* report_trained.c -- compute energy with the activity the trained networks cause: their Q, K
 * and V on the first Fashion-MNIST test images (train/capture.h, what `ssa capture` writes), as
 * the stimulus of the designs that run their attention, at the networks' own size (N = 16
 * tokens, D = 16, H = 4 heads for the committed models): the SC block in the plan its
 * network was trained in (snn-sc-unit-sobol: the report's SC designs' source, unit), the exact
 * attention of snn-exact, and the int8 ANN attention of ann with each
 * softmax option. Each is composed with every part's activity measured at that size on the
 * captured stimulus (compose.h, at_size and input); the glue's activity comes from the base on
 * --rate stimulus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../synth/compose.h"
#include "../train/capture.h"
#include "../train/fmnist.h"
#include "../train/net_file.h"
#include "report.h"

/* A temporary file for a stimulus, removed if the run is killed; path gets its name, which
 * must stay valid until remove_temp. */
static FILE *temp_file(char *path, size_t size, ssa_error *err) {
  const char *tmp = getenv("TMPDIR");
  snprintf(path, size, "%s/ssa-trained-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
  int fd = ssa_cleanup_mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (f == NULL) {
    if (fd >= 0) {
      close(fd);
      unlink(path);
      ssa_cleanup_forget(path);
    }
    ssa_fail(err, "report: cannot create a stimulus file in %s", tmp != NULL ? tmp : "/tmp");
  }
  return f;
}

static void remove_temp(const char *path) {
  unlink(path);
  ssa_cleanup_forget(path);
}

static int close_file(FILE *f, const char *path, ssa_error *err) {
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) return ssa_fail(err, "report: cannot write %s", path);
  return 0;
}

/* One row: design d composed from `from` tokens on the stimulus in `path`, `steps` steps of it,
 * priced per attention of `attention_steps` steps. */
static int compose_trained(ssa_report *r, ssa_report_design d, const char *kind,
                           const char *options, unsigned from, const char *path, unsigned steps,
                           unsigned attention_steps, unsigned n, unsigned dim,
                           const char *source, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  ssa_report_progress(r, "%s with the activity of %s: composing %s %s at size",
                      ssa_report_design_names[d], source, kind, options);
  ssa_compose_opts co = {.base_tokens = from, .steps = steps, .rate = c->rate,
                         .measure = ssa_report_measure_opts(c), .at_size = 1, .input = path};
  ssa_composition comp;
  if (ssa_compose(kind, options, &co, &comp, err) != 0) return -1;
  ssa_report_row *row = &r->trained[r->trained_count++];
  memset(row, 0, sizeof *row);
  row->design = d;
  row->n = n;
  row->dim = dim;
  row->in_sweep = 0;
  row->steps = attention_steps;
  row->basis = SSA_BASIS_COMPOSED;
  row->pj = comp.per_step_fj * attention_steps * 1e-3;
  for (unsigned p = 0; p < SSA_PART_COUNT; p++)
    row->part_pj[p] = (comp.split[p].dynamic_fj + comp.split[p].clock_fj +
                       comp.split[p].leakage_fj) * attention_steps * 1e-3;
  row->cells = comp.total.cells;
  row->area_um2 = comp.total.area_um2;
  row->seconds = comp.seconds;
  snprintf(row->note, sizeof row->note,
           "%s %s on Q, K, V captured from %s (%u steps); composed: every part's cells from "
           "synthesizing it alone and its activity from the design assembled from them at gate "
           "level on that stimulus, equal to the golden model; the glue's activity per cell from "
           "the base %s on --rate %g", kind, options, source, steps, comp.base, c->rate);
  ssa_report_progress(r, "%s with the activity of %s: %.0f cells, %.2f pJ per attention "
                      "(%.0f s)", ssa_report_design_names[d], source, row->cells, row->pj,
                      comp.seconds);
  return 0;
}

/* The spiking network in `model`: its captured spikes, composed from `from` tokens. */
static int spiking(ssa_report *r, ssa_report_design d, const char *model, unsigned from,
                   const ssa_dataset *test, ssa_error *err) {
  ssa_net net;
  if (ssa_net_load(&net, model, err) != 0) return -1;
  char options[512], path[4200];
  unsigned steps = net.shape.steps;
  ssa_spike_steps qkv;
  int rc = ssa_capture_design_options(&net, options, sizeof options, err);
  if (rc == 0) rc = ssa_capture_spikes(&net, test, r->config.trained_images, steps, &qkv, err);
  if (rc != 0) {
    ssa_net_free(&net);
    return -1;
  }
  FILE *f = temp_file(path, sizeof path, err);
  rc = f == NULL ? -1 : 0;
  if (rc == 0) {
    ssa_spikes_write(f, &qkv, "Q, K, V captured by ssa report");
    rc = close_file(f, path, err);
  }
  char source[4400];
  snprintf(source, sizeof source, "%s on the first %u test images", model,
           r->config.trained_images);
  if (rc == 0)
    rc = compose_trained(r, d, ssa_capture_kind(&net), options, from, path, qkv.steps, steps,
                         qkv.rows, net.shape.embed / net.shape.heads, source, err);
  if (f != NULL) remove_temp(path);
  ssa_spike_steps_free(&qkv);
  ssa_net_free(&net);
  return rc;
}

/* The ANN in `model`: its captured int8 Q, K, V, one attention per image, with each softmax. */
static int ann(ssa_report *r, const char *model, const ssa_dataset *test, ssa_error *err) {
  ssa_net net;
  if (ssa_net_load(&net, model, err) != 0) return -1;
  ssa_ann_capture c;
  ssa_ann_quant q;
  int rc = ssa_capture_ann(&net, test, r->config.trained_images, &c, err);
  ssa_net_free(&net);
  if (rc != 0) return -1;
  rc = ssa_ann_quantise(&c, &q, err);
  if (rc != 0) {
    ssa_ann_capture_free(&c);
    return -1;
  }
  char path[4200], source[4400];
  FILE *f = temp_file(path, sizeof path, err);
  rc = f == NULL ? -1 : 0;
  if (rc == 0) {
    ssa_ann_quant_write(f, &c, &q);
    rc = close_file(f, path, err);
  }
  snprintf(source, sizeof source, "%s on the first %u test images", model,
           r->config.trained_images);
  static const ssa_report_design designs[] = {SSA_D_ANN_INT, SSA_D_ANN_NONE};
  static const char *const softmax[] = {"int", "none"};
  for (unsigned k = 0; rc == 0 && k < 2; k++) {
    char options[256];
    snprintf(options, sizeof options, "--tokens %u --dim %u --heads %u --score-shift %u "
             "--softmax %s --macs 0", c.tokens, c.dim, c.heads, q.score_shift, softmax[k]);
    rc = compose_trained(r, designs[k], "ann-attention", options, 2, path, c.images, 1,
                         c.tokens, c.dim, source, err);
  }
  if (f != NULL) remove_temp(path);
  ssa_ann_quant_free(&q);
  ssa_ann_capture_free(&c);
  return rc;
}

const ssa_report_row *ssa_report_trained_of(const ssa_report *r, ssa_report_design d) {
  for (unsigned k = 0; k < r->trained_count; k++)
    if (r->trained[k].design == d) return &r->trained[k];
  return NULL;
}

int ssa_report_test_set(const ssa_report_config *c, ssa_dataset *test, char *why, size_t size) {
  if (c->trained_images == 0) {
    snprintf(why, size, "not run: this report's configuration (--quick) leaves it out");
    return 0;
  }
  const char *data = c->data_dir != NULL ? c->data_dir : SSA_FMNIST_DEFAULT_DIR;
  ssa_error e;
  if (ssa_fmnist_load(data, SSA_SPLIT_TEST, test, &e) != 0) {
    snprintf(why, size, "not available: no Fashion-MNIST test set (%.200s; install "
             "dataset-fashion-mnist)", e.msg);
    return 0;
  }
  return 1;
}

void ssa_report_trained_model(const ssa_report_config *c, unsigned part, char *buf, size_t len) {
  if (part % SSA_REPORT_TRAINED_PARTS == 0)  /* the frontier's name for the SC designs' plan */
    ssa_frontier_weights(c->models_dir, SSA_RANDOM_DEFAULT, SSA_SHARE_UNIT, buf, len);
  else
    snprintf(buf, len, "%s/%s.weights", c->models_dir,
             part % SSA_REPORT_TRAINED_PARTS == 1 ? "snn-exact" : "ann");
}

int ssa_report_trained(ssa_report *r, unsigned part, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  ssa_dataset test;
  if (!ssa_report_test_set(c, &test, r->trained_why, sizeof r->trained_why)) return 0;
  char model[4200];
  ssa_report_trained_model(c, part, model, sizeof model);
  int rc = part == 0   ? spiking(r, SSA_D_SC_UNIT, model, 4, &test, err)
           : part == 1 ? spiking(r, SSA_D_EXACT, model, 2, &test, err)
                       : ann(r, model, &test, err);
  ssa_dataset_free(&test);
  return rc;
}
