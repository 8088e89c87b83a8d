/* report_collect.c -- the report's work as a list of jobs run side by side (common/jobs.h):
 * every measured and composed row, each iCE40 search, each trained network and the area
 * cross-check is a job in a process of its own; the CPU timings run last, alone, so that no
 * job shares the processor with them. The rows keep their order whatever finishes first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/jobs.h"
#include "../synth/cell_table.h"
#include "report.h"

typedef enum { J_MEASURE, J_COMPOSE, J_ICE40, J_AREA, J_TRAINED, J_FRONTIER } job_type;

/* What a job sends back: its row, or its iCE40 sizes, trained rows or area figures. */
typedef struct job_result {
  ssa_report_row row;
  char base_key[17];
  ssa_report_fpga fpga[2];
  unsigned fpga_count;
  ssa_report_row trained[2];
  unsigned trained_count;
  char trained_why[512];
  char area_design[96], area_library[64];
  double area_builtin_um2, area_liberty_um2;
  ssa_frontier_point frontier;
} job_result;

typedef struct job_ctx {
  ssa_report *r;
  job_type type;
  unsigned index;            /* the row, the SC mode, the trained part, or frontier point * 3
                              * + piece */
  char name[160];
  job_result result;
} job_ctx;

static int run_job(void *ctx, void *result, ssa_error *err) {
  job_ctx *j = ctx;
  ssa_report *r = j->r;
  job_result *out = result;
  memset(out, 0, sizeof *out);
  int rc = 0;
  switch (j->type) {
    case J_MEASURE:
    case J_COMPOSE: {
      ssa_report_row *row = &r->rows[j->index];
      rc = j->type == J_MEASURE ? ssa_report_measure_row(r, row, err)
                                : ssa_report_compose_row(r, row, err);
      out->row = *row;
      memcpy(out->base_key, r->base_key[row->design], sizeof out->base_key);
      break;
    }
    case J_ICE40:
      r->fpga_count = 0;
      rc = ssa_report_ice40(r, (ssa_report_design)j->index, err);
      out->fpga_count = r->fpga_count < 2 ? r->fpga_count : 2;
      memcpy(out->fpga, r->fpga, out->fpga_count * sizeof *out->fpga);
      break;
    case J_AREA:
      rc = ssa_report_area_check(r, err);
      memcpy(out->area_design, r->area_design, sizeof out->area_design);
      memcpy(out->area_library, r->area_library, sizeof out->area_library);
      out->area_builtin_um2 = r->area_builtin_um2;
      out->area_liberty_um2 = r->area_liberty_um2;
      break;
    case J_TRAINED:
      r->trained_count = 0;
      r->trained_why[0] = '\0';
      rc = ssa_report_trained(r, j->index, err);
      out->trained_count = r->trained_count < 2 ? r->trained_count : 2;
      memcpy(out->trained, r->trained, out->trained_count * sizeof *out->trained);
      memcpy(out->trained_why, r->trained_why, sizeof out->trained_why);
      break;
    case J_FRONTIER:
      ssa_frontier_point_init(j->index / 3, &out->frontier);
      rc = ssa_report_frontier(r, j->index % 3, &out->frontier, err);
      break;
  }
  return rc;
}

/* A row's figures, and the base a measured row kept, as soon as it is done: the compositions
 * that start from that base see it. */
static void row_done(const ssa_job *job, unsigned index, void *arg) {
  (void)index;
  (void)arg;
  const job_ctx *j = job->ctx;
  if (j->type != J_MEASURE && j->type != J_COMPOSE) return;
  ssa_report *r = j->r;
  r->rows[j->index] = j->result.row;
  const ssa_report_row *row = &j->result.row;
  if (j->type == J_MEASURE && ssa_report_is_compose_base(&r->config, row->design, row->n))
    memcpy(r->base_key[row->design], j->result.base_key, sizeof r->base_key[row->design]);
}

static int is_measured(const ssa_report_config *c, ssa_report_design d, unsigned n) {
  for (unsigned k = 0; k < SSA_REPORT_MAX_SIZES && c->measure[d][k] != 0; k++)
    if (c->measure[d][k] == n) return 1;
  return 0;
}

typedef struct plan {
  job_ctx *ctx;
  ssa_job *jobs;
  int *row_job;              /* per row, its job */
  unsigned count;
} plan;

static ssa_job *add_job(plan *p, ssa_report *r, job_type type, unsigned index) {
  job_ctx *j = &p->ctx[p->count];
  ssa_job *job = &p->jobs[p->count];
  j->r = r;
  j->type = type;
  j->index = index;
  if (type == J_MEASURE || type == J_COMPOSE) {
    const ssa_report_row *row = &r->rows[index];
    snprintf(j->name, sizeof j->name, "%s, N=%u", ssa_report_design_names[row->design], row->n);
    p->row_job[index] = (int)p->count;
  } else if (type == J_ICE40) {
    snprintf(j->name, sizeof j->name, "%s: iCE40 search", ssa_report_design_names[index]);
  } else if (type == J_TRAINED) {
    char model[4200];
    ssa_report_trained_model(&r->config, index, model, sizeof model);
    snprintf(j->name, sizeof j->name, "the activity of %.140s", model);
  } else if (type == J_FRONTIER) {
    static const char *const piece[3] = {"measured", "composed", "accuracy"};
    ssa_frontier_point f;
    ssa_frontier_point_init(index / 3, &f);
    snprintf(j->name, sizeof j->name, "frontier, share=%s, random=%s: %s",
             ssa_share_name(f.share), ssa_random_name(f.random), piece[index % 3]);
  } else {
    snprintf(j->name, sizeof j->name, "the area cross-check");
  }
  *job = (ssa_job){.name = j->name, .run = run_job, .ctx = j, .result = &j->result,
                   .result_size = sizeof j->result, .after = -1};
  p->count++;
  return job;
}

/* The row's job, unless it has one already. Rows of design d composed wait for its base. */
static void add_row_job(plan *p, ssa_report *r, unsigned k) {
  if (p->row_job[k] >= 0) return;
  const ssa_report_config *c = &r->config;
  const ssa_report_row *row = &r->rows[k];
  int measured = is_measured(c, row->design, row->n);
  ssa_job *job = add_job(p, r, measured ? J_MEASURE : J_COMPOSE, k);
  if (!measured) {
    for (unsigned b = 0; b < r->row_count; b++)
      if (r->rows[b].design == row->design &&
          ssa_report_is_compose_base(c, row->design, r->rows[b].n)) {
        add_row_job(p, r, b);  /* p->jobs is sized for every job: job stays where it is */
        job->after = p->row_job[b];
      }
    /* the parallel ANN composed at size is the whole design at gate level: ~70 bytes a cell,
     * 13 GB at N = 64 (bench/RESULTS.md); two of them would not fit beside each other */
    job->exclusive = ssa_report_is_ann(row->design) && row->n >= 32;
  }
}

/* Every row in the report's order: per design (cheapest first, so that a broken tool shows
 * early in a sequential run) the measured sizes, then the sweep's other sizes composed. */
static int make_rows(ssa_report *r, ssa_error *err) {
  const ssa_report_config *c = &r->config;
  static const ssa_report_design order[] = {SSA_D_SC_GLOBAL, SSA_D_SC_ROW, SSA_D_SC_UNIT,
                                            SSA_D_EXACT, SSA_D_ANN_NONE, SSA_D_ANN_INT};
  unsigned most = SSA_D_COUNT * SSA_REPORT_MAX_SIZES * 2;
  r->rows = calloc(most, sizeof *r->rows);
  if (r->rows == NULL) return ssa_fail(err, "report: out of memory");
  for (unsigned k = 0; k < SSA_D_COUNT; k++) {
    ssa_report_design d = order[k];
    for (unsigned m = 0; m < SSA_REPORT_MAX_SIZES && c->measure[d][m] != 0; m++)
      ssa_report_row_init(c, d, c->measure[d][m], &r->rows[r->row_count++]);
    for (unsigned s = 0; s < c->size_count; s++)
      if (!is_measured(c, d, c->sizes[s]))
        ssa_report_row_init(c, d, c->sizes[s], &r->rows[r->row_count++]);
  }
  return 0;
}

/* The jobs, longest first where they do not wait for another (the first ready job starts
 * whenever a process is free, so the order is the schedule): the ANN's compositions at the
 * claim size and what they wait for, the trained networks, the SC block at the claim size,
 * the iCE40 searches, then the measured rows largest first, the other compositions, and the
 * area cross-check after the row it compares with. */
static void make_jobs(plan *p, ssa_report *r) {
  const ssa_report_config *c = &r->config;
  for (unsigned k = 0; k < r->row_count; k++)
    if (ssa_report_is_ann(r->rows[k].design) && r->rows[k].n == c->claim_n)
      add_row_job(p, r, k);
  for (unsigned t = SSA_REPORT_TRAINED_PARTS; t-- > 0;) add_job(p, r, J_TRAINED, t);
  for (unsigned k = 0; k < r->row_count; k++)
    if (r->rows[k].n == c->claim_n) add_row_job(p, r, k);
  for (unsigned d = 0; d < SSA_D_SC_COUNT; d++) add_job(p, r, J_ICE40, d);
  for (unsigned n = 1u << 16; n > 0; n /= 2)
    for (unsigned k = 0; k < r->row_count; k++)
      if (r->rows[k].n == n && is_measured(c, r->rows[k].design, n)) add_row_job(p, r, k);
  for (unsigned k = 0; k < r->row_count; k++) add_row_job(p, r, k);
  /* the reference of the area cross-check: the global mode's largest measured row */
  int ref = -1;
  for (unsigned k = 0; k < r->row_count; k++)
    if (r->rows[k].design == SSA_D_SC_GLOBAL && is_measured(c, SSA_D_SC_GLOBAL, r->rows[k].n) &&
        (ref < 0 || r->rows[k].n > r->rows[ref].n))
      ref = (int)k;
  if (c->liberty_path != NULL && ref >= 0) add_job(p, r, J_AREA, 0)->after = p->row_job[ref];
  for (unsigned k = 0; k < SSA_FRONTIER_POINTS * 3; k++) add_job(p, r, J_FRONTIER, k);
}

/* The job of that type and index, or NULL. */
static const job_ctx *job_of(const plan *p, job_type type, unsigned index) {
  for (unsigned k = 0; k < p->count; k++)
    if (p->ctx[k].type == type && p->ctx[k].index == index) return &p->ctx[k];
  return NULL;
}

/* The iCE40 sizes, trained rows and area figures, in a fixed order. */
static void merge(const plan *p, ssa_report *r) {
  for (unsigned d = 0; d < SSA_D_SC_COUNT; d++) {
    const job_ctx *j = job_of(p, J_ICE40, d);
    for (unsigned f = 0; j != NULL && f < j->result.fpga_count; f++)
      r->fpga[r->fpga_count++] = j->result.fpga[f];
  }
  for (unsigned t = 0; t < SSA_REPORT_TRAINED_PARTS; t++) {
    const job_ctx *j = job_of(p, J_TRAINED, t);
    if (j == NULL) continue;
    for (unsigned f = 0; f < j->result.trained_count; f++)
      r->trained[r->trained_count++] = j->result.trained[f];
    if (j->result.trained_why[0] != '\0')
      memcpy(r->trained_why, j->result.trained_why, sizeof r->trained_why);
  }
  for (unsigned k = 0; k < SSA_FRONTIER_POINTS; k++) {
    ssa_frontier_point *f = &r->frontier[k];
    ssa_frontier_point_init(k, f);
    for (unsigned piece = 0; piece < 3; piece++) {
      const job_ctx *j = job_of(p, J_FRONTIER, k * 3 + piece);
      if (j == NULL) continue;
      const ssa_frontier_point *x = &j->result.frontier;
      if (piece < 2) f->size[piece] = x->size[piece];
      else {
        f->accuracy = x->accuracy;
        f->trained = x->trained;
        memcpy(f->weights, x->weights, sizeof f->weights);
        memcpy(f->accuracy_note, x->accuracy_note, sizeof f->accuracy_note);
      }
    }
  }
  const job_ctx *j = job_of(p, J_AREA, 0);
  if (j != NULL) {
    memcpy(r->area_design, j->result.area_design, sizeof r->area_design);
    memcpy(r->area_library, j->result.area_library, sizeof r->area_library);
    r->area_builtin_um2 = j->result.area_builtin_um2;
    r->area_liberty_um2 = j->result.area_liberty_um2;
  }
}

int ssa_report_collect(ssa_report *r, ssa_error *err) {
  ssa_report_config c = r->config;
  memset(r, 0, sizeof *r);
  r->config = c;
  r->seconds = ssa_seconds_now();
  const ssa_liberty *lib = ssa_cell_table_builtin();
  r->library = lib->name;
  r->voltage_v = lib->nom_voltage_v;
  if (make_rows(r, err) != 0) return -1;
  unsigned most = r->row_count + SSA_D_SC_COUNT + SSA_REPORT_TRAINED_PARTS + 1 +
                  SSA_FRONTIER_POINTS * 3;
  plan p = {.ctx = calloc(most, sizeof *p.ctx), .jobs = calloc(most, sizeof *p.jobs),
            .row_job = malloc((r->row_count + 1) * sizeof *p.row_job)};
  int rc = p.ctx != NULL && p.jobs != NULL && p.row_job != NULL
               ? 0 : ssa_fail(err, "report: out of memory");
  if (rc == 0) {
    for (unsigned k = 0; k < r->row_count; k++) p.row_job[k] = -1;
    make_jobs(&p, r);
    unsigned workers = c.jobs > 0 ? c.jobs : ssa_jobs_processors();
    fprintf(stderr, "ssa report: %u jobs, %u at a time\n", p.count, workers);
    rc = ssa_jobs_run(p.jobs, p.count, workers, row_done, NULL, err);
  }
  if (rc == 0) merge(&p, r);
  free(p.ctx);
  free(p.jobs);
  free(p.row_job);
  if (rc != 0) return -1;
  for (unsigned k = 0; k < c.size_count; k++)
    ssa_activation_buffer_init(&r->buffers[k], c.sizes[k], c.dim, r->voltage_v);
  /* the CPU at every N the iCE40 placed, and at the claim size: timed alone */
  for (unsigned k = 0; k < r->fpga_count; k++)
    if (r->fpga[k].latency.fits && ssa_report_cpu_at(r, r->fpga[k].n, err) != 0) return -1;
  if (ssa_report_cpu_at(r, c.claim_n, err) != 0) return -1;
  ssa_report_read_validation(c.validation_path, &r->validation);
  if (ssa_report_claims(r, err) != 0) return -1;
  r->seconds = ssa_seconds_now() - r->seconds;
  return 0;
}
