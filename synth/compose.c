/* compose.c -- a design's energy and area composed from measured parts (see compose.h). */
#define _POSIX_C_SOURCE 200809L
#include "compose.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/clock.h"
#include "../common/process.h"
#include "part_sim.h"
#include "subject.h"

/* ---- the arithmetic ---- */

static int cell(const ssa_liberty *lib, const char *type, const ssa_liberty_cell **c,
                ssa_error *err) {
  *c = ssa_liberty_find(lib, type);
  if (*c == NULL)
    return ssa_fail(err, "compose: cell %s is not in %s", type,
                    lib->name[0] ? lib->name : lib->path);
  return 0;
}

/* Toggles of one cell of `type` in base part b, in the window's first clock (`first`) or per
 * later clock: the type's own, or the part's mean over all its cells when the base has no
 * cell of that type. */
static double rate(const ssa_profile_part *b, const char *type, int first) {
  double cells = 0, toggles = 0;
  for (size_t k = 0; k < b->cell_types; k++) {
    const ssa_profile_cell *c = &b->cells[k];
    if (strcmp(c->type, type) == 0 && c->cells > 0) return (first ? c->first : c->toggles) / c->cells;
    cells += c->cells;
    toggles += first ? c->first : c->toggles;
  }
  return cells > 0 ? toggles / cells : 0;
}

static void add(ssa_composed_part *sum, const ssa_composed_part *p) {
  sum->cells += p->cells;
  sum->flops += p->flops;
  sum->area_um2 += p->area_um2;
  sum->toggles += p->toggles;
  sum->dynamic_fj += p->dynamic_fj;
  sum->clock_fj += p->clock_fj;
  sum->leakage_fj += p->leakage_fj;
}

static int same_cells(const ssa_profile_part *a, const ssa_profile_part *b) {
  if (a->cell_types != b->cell_types) return 0;
  for (size_t k = 0; k < a->cell_types; k++)
    if (strcmp(a->cells[k].type, b->cells[k].type) != 0 || a->cells[k].cells != b->cells[k].cells)
      return 0;
  return 1;
}

int ssa_compose_price(const ssa_profile *base, const ssa_profile *target, double window,
                      unsigned steps, const ssa_liberty *lib, double clock_mhz,
                      ssa_composition *c, ssa_error *err) {
  if (window < 1 || steps == 0)
    return ssa_fail(err, "compose: a window of %g clocks for %u steps", window, steps);
  double clocks_per_step = window / steps;
  c->steps = steps;
  memset(c->part, 0, sizeof c->part);
  memset(&c->total, 0, sizeof c->total);
  memset(c->split, 0, sizeof c->split);
  for (unsigned p = 0; p < SSA_PART_COUNT; p++)
    snprintf(c->split[p].name, sizeof c->split[p].name, "%s", ssa_part_name((ssa_part)p));
  c->count = 0;
  c->clocks_per_step = clocks_per_step;
  c->clock_mhz = clock_mhz;
  c->voltage_v = lib->nom_voltage_v;
  /* C_load of the composed design: every cell input's capacitance over every cell output */
  double input_cap = 0, outputs = 0;
  for (unsigned k = 0; k < target->count; k++) {
    const ssa_profile_part *t = &target->part[k];
    for (size_t j = 0; j < t->cell_types; j++) {
      const ssa_liberty_cell *lc;
      if (cell(lib, t->cells[j].type, &lc, err) != 0) return -1;
      double n = t->cells[j].cells * (double)t->instances;
      input_cap += n * lc->inputs * lc->input_cap_ff;
      outputs += n * (lc->outputs > 0 ? lc->outputs : 1);
    }
  }
  c->load_ff = outputs > 0 ? input_cap / outputs : 0;
  double switching_fj = 0.5 * c->load_ff * c->voltage_v * c->voltage_v;
  double ns_per_step = clocks_per_step * 1000.0 / clock_mhz;
  for (unsigned k = 0; k < target->count; k++) {
    const ssa_profile_part *t = &target->part[k];
    const ssa_profile_part *b = ssa_profile_find(base, t->name);
    if (b == NULL)
      return ssa_fail(err, "compose: part %s of %s has no counterpart in the base design %s",
                      t->name, target->design, base->design);
    ssa_composed_part *cp = &c->part[c->count++];
    snprintf(cp->name, sizeof cp->name, "%s", t->name);
    cp->instances = t->instances;
    cp->same = !t->measured && same_cells(t, b);
    cp->measured = t->measured;
    double inst = (double)t->instances;
    int prng = ssa_module_is_prng(t->name);
    for (size_t j = 0; j < t->cell_types; j++) {
      const ssa_liberty_cell *lc;
      if (cell(lib, t->cells[j].type, &lc, err) != 0) return -1;
      double n = t->cells[j].cells * inst;
      /* toggles measured at the target's size are per instance per clock; the base's are
       * rates per cell, its window's first clock apart */
      double toggles =
          t->measured ? t->cells[j].toggles * inst * clocks_per_step
                      : n * (rate(b, t->cells[j].type, 1) +
                             (window - 1) * rate(b, t->cells[j].type, 0)) / steps;
      ssa_composed_part one = {.cells = n, .area_um2 = n * lc->area_um2, .toggles = toggles};
      one.dynamic_fj = toggles * (lc->energy_per_toggle_fj + switching_fj);
      if (lc->clock_energy_fj > 0) {
        one.flops = n;
        one.clock_fj = n * clocks_per_step * lc->clock_energy_fj;
      }
      one.leakage_fj = n * lc->leakage_nw * ns_per_step * 1e-3;  /* nW x ns = 1e-18 J */
      add(cp, &one);
      add(&c->split[prng ? SSA_PART_PRNG : lc->is_flop ? SSA_PART_REGISTERS : SSA_PART_DATAPATH],
          &one);
    }
    add(&c->total, cp);
  }
  snprintf(c->total.name, sizeof c->total.name, "total");
  c->per_step_fj = c->total.dynamic_fj + c->total.clock_fj + c->total.leakage_fj;
  c->per_attention_fj = c->per_step_fj * c->steps;
  return 0;
}

int ssa_compose_compare(const ssa_composition *c, const ssa_energy *m, ssa_compose_error *errors,
                        ssa_error *err) {
  double steps = m->steps > 0 ? m->steps : (double)m->cycles / m->interval;
  for (unsigned k = 0; k <= c->count; k++) {
    const ssa_composed_part *cp = k < c->count ? &c->part[k] : &c->total;
    const ssa_energy_part *mp = NULL;
    if (k == c->count) mp = &m->total;
    for (unsigned g = 0; mp == NULL && g < m->group_count; g++)
      if (strcmp(m->group[g].name, cp->name) == 0) mp = &m->group[g].e;
    if (mp == NULL)
      return ssa_fail(err, "compose: the measured netlist has no part %s", cp->name);
    ssa_compose_error *e = &errors[k];
    snprintf(e->name, sizeof e->name, "%s", cp->name);
    e->composed_pj = (cp->dynamic_fj + cp->clock_fj + cp->leakage_fj) * 1e-3;
    e->measured_pj = (mp->dynamic_fj + mp->clock_fj + mp->leakage_fj) / steps * 1e-3;
    e->energy_error = e->measured_pj > 0 ? e->composed_pj / e->measured_pj - 1 : 0;
    e->composed_um2 = cp->area_um2;
    e->measured_um2 = mp->area_um2;
    e->area_error = e->measured_um2 > 0 ? e->composed_um2 / e->measured_um2 - 1 : 0;
  }
  return 0;
}

/* ---- designs from a kind and an options string ---- */

/* A prepared subject of `kind` with the words of `options`, then `extra` (NULL: none). */
static int subject_of(const char *kind, const char *options, const char *extra, ssa_subject *s,
                      ssa_error *err) {
  char copy[1200], *argv[64];
  int argc = 0;
  if ((size_t)snprintf(copy, sizeof copy, "%s %s", options, extra != NULL ? extra : "") >=
      sizeof copy)
    return ssa_fail(err, "compose: options too long");
  for (char *w = strtok(copy, " "); w != NULL && argc < 63; w = strtok(NULL, " ")) argv[argc++] = w;
  argv[argc] = NULL;
  if (ssa_subject_init(s, kind, err) != 0) return -1;
  ssa_cli cli;
  char name[64];
  snprintf(name, sizeof name, "compose %s", kind);
  ssa_cli_init(&cli, argc, argv, name);
  int rc = 0;
  for (const char *opt; rc == 0 && (opt = ssa_cli_next(&cli)) != NULL;) {
    int handled = ssa_subject_option(s, &cli, opt, err);
    if (handled == 0) rc = ssa_cli_unknown(&cli, opt, err);
    if (handled < 0) rc = -1;
  }
  if (rc == 0) rc = ssa_subject_prepare(s, err);
  if (rc != 0) ssa_subject_free(s);
  return rc;
}

static void describe(const ssa_subject *s, char *out, size_t size) {
  char opts[512];
  ssa_subject_options(s, opts, sizeof opts);
  snprintf(out, size, "%s %s", ssa_subject_kind(s), opts);
}

/* ---- the base's profile, measured or cached ---- */

#define FNV_OFFSET 0xcbf29ce484222325ull
static void hash_bytes(uint64_t *h, const void *data, size_t len) {
  const unsigned char *p = data;
  for (size_t k = 0; k < len; k++) *h = (*h ^ p[k]) * 0x100000001b3ull;
}
static void hash_str(uint64_t *h, const char *s) {
  size_t n = strlen(s);
  hash_bytes(h, &n, sizeof n);
  hash_bytes(h, s, n);
}

/* What a profile depends on: the design's files, its stimulus and schedule (the vectors' inputs),
 * the flow and the library the cells come from. */
static uint64_t profile_key(const ssa_subject *s, const ssa_measure_opts *m) {
  uint64_t h = FNV_OFFSET;
  const ssa_design *d = ssa_subject_design(s);
  const ssa_vectors *v = ssa_subject_vectors(s);
  /* the profile's format and how a netlist is measured: change the string when either
   * changes (energy_harness.h: inputs from registers) */
  hash_str(&h, "ssa-part-profile 2; inputs from registers");
  hash_str(&h, ssa_synth_abc_script());  /* the mapping the cells come from */
  /* what counted the toggles: SSA's gate simulator settles each net once per clock, Verilator's
   * coverage may count a net's changes on the way there (gate_sim.h) */
  hash_str(&h, m->gate_sim_verilator || m->synth.flow != SSA_FLOW_GENERIC ? "verilator toggles"
                                                                         : "gate_sim toggles");
  hash_str(&h, ssa_subject_kind(s));
  for (unsigned k = 0; k < d->file_count; k++) {
    hash_str(&h, d->files[k].name);
    hash_bytes(&h, d->files[k].text, d->files[k].len);
  }
  hash_bytes(&h, &v->cycles, sizeof v->cycles);
  hash_bytes(&h, v->in, sizeof *v->in * v->cycles * v->in_words);
  hash_str(&h, ssa_flow_name(m->synth.flow));
  hash_str(&h, m->library->name);
  hash_str(&h, m->synth.liberty_path != NULL ? m->synth.liberty_path : "");
  return h;
}

static int make_dirs(const char *path, ssa_error *err) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1; *p != '\0'; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return ssa_fail(err, "%s: cannot create the directory (%s)", buf, strerror(errno));
    *p = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST)
    return ssa_fail(err, "%s: cannot create the directory (%s)", buf, strerror(errno));
  return 0;
}

static int profile_dir(const ssa_compose_opts *o, char *out, size_t size, ssa_error *err) {
  const char *env;
  if (o->profile_dir != NULL) snprintf(out, size, "%s", o->profile_dir);
  else if (o->measure.cache_dir != NULL && o->measure.cache_dir[0] != '\0')
    snprintf(out, size, "%s/compose", o->measure.cache_dir);
  else if ((env = getenv("SSA_CACHE_DIR")) != NULL && env[0] != '\0')
    snprintf(out, size, "%s/compose", env);
  else if ((env = getenv("XDG_CACHE_HOME")) != NULL && env[0] != '\0')
    snprintf(out, size, "%s/ssa/compose", env);
  else if ((env = getenv("HOME")) != NULL && env[0] != '\0')
    snprintf(out, size, "%s/.cache/ssa/compose", env);
  else
    return ssa_fail(err, "compose: no cache directory: set SSA_CACHE_DIR or HOME");
  return make_dirs(out, err);
}

/* The base profile's key (16 hex digits) and the path of its file in the cache. */
static int profile_path(const ssa_subject *s, const ssa_compose_opts *o, char key[17],
                        char *path, size_t size, ssa_error *err) {
  char dir[4096];
  if (profile_dir(o, dir, sizeof dir, err) != 0) return -1;
  snprintf(key, 17, "%016llx", (unsigned long long)profile_key(s, &o->measure));
  if ((size_t)snprintf(path, size, "%s/%s.txt", dir, key) >= size)
    return ssa_fail(err, "%s: path too long", dir);
  return 0;
}

/* p: the profile of measurement m of s, written to the cache at path (freed on an error). */
static int profile_measured(const ssa_subject *s, const ssa_measurement *m, const char *what,
                            const char *path, ssa_profile *p, ssa_error *err) {
  if (ssa_profile_from(ssa_subject_design(s), &m->synth, &m->activity, what, p, err) != 0)
    return -1;
  if (ssa_profile_write(p, path, err) == 0) return 0;
  ssa_profile_free(p);
  return -1;
}

int ssa_compose_keep_base(const ssa_subject *s, const ssa_compose_opts *o,
                          const ssa_measurement *m, char key[17], ssa_error *err) {
  char what[600], path[4200];
  describe(s, what, sizeof what);
  if (profile_path(s, o, key, path, sizeof path, err) != 0) return -1;
  ssa_profile p;
  if (profile_measured(s, m, what, path, &p, err) != 0) return -1;
  ssa_profile_free(&p);
  return 0;
}

static int base_profile(const char *kind, const char *options, const ssa_compose_opts *o,
                        ssa_profile *p, int *cached, char key[17], ssa_error *err) {
  char tokens[32];
  snprintf(tokens, sizeof tokens, "--tokens %u", o->base_tokens);
  ssa_subject s;
  if (subject_of(kind, options, tokens, &s, err) != 0) return -1;
  char what[600], path[4200];
  describe(&s, what, sizeof what);
  int rc = ssa_subject_run(&s, o->rate, o->base_steps ? o->base_steps : SSA_COMPOSE_BASE_STEPS,
                           err);
  if (rc == 0) rc = profile_path(&s, o, key, path, sizeof path, err);
  if (rc == 0) {
    char *text = NULL;
    size_t len;
    ssa_error ignored;
    *cached = ssa_read_file(path, &text, &len, &ignored) == 0 &&
              ssa_profile_parse(path, text, p, &ignored) == 0;
    free(text);
  }
  if (rc == 0 && !*cached) {
    if (o->progress)
      fprintf(stderr, "ssa compose: measuring the base design %s at gate level\n", what);
    ssa_measurement m;
    int mrc = ssa_measure(&s, &o->measure, &m, err);
    if (mrc == 1) {
      rc = ssa_fail(err, "compose: the gate netlist of the base design %s differs from the "
                    "golden model at clock %u", what, m.activity.first.cycle);
      ssa_measurement_free(&m);
    } else if (mrc != 0) {
      rc = -1;
    } else {
      rc = profile_measured(&s, &m, what, path, p, err);
      ssa_measurement_free(&m);
    }
  }
  ssa_subject_free(&s);
  return rc;
}

/* ---- the target's parts ---- */

/* One instance's cells of part module `module` of design d, from a Yosys run of the module
 * alone (part_sim.h). */
static int part_cells(const ssa_design *d, const char *module, const ssa_compose_opts *o,
                      ssa_profile_part *tp, ssa_error *err) {
  ssa_synth_result r;
  if (ssa_part_synthesize(d, module, &o->measure, 0, &r, err) != 0) return -1;
  int rc = 0;
  for (size_t k = 0; rc == 0 && k < r.total.cell_types; k++) {
    ssa_profile_cell *grown = realloc(tp->cells, (tp->cell_types + 1) * sizeof *grown);
    if (grown == NULL) {
      rc = ssa_fail(err, "out of memory");
      break;
    }
    tp->cells = grown;
    snprintf(grown[tp->cell_types].type, sizeof grown[0].type, "%s", r.total.cells[k].type);
    grown[tp->cell_types].cells = (double)r.total.cells[k].count;
    grown[tp->cell_types++].toggles = 0;
  }
  ssa_synth_result_free(&r);
  return rc;
}

/* The target's parts: instances from its declaration; cells per instance and activity
 * measured at the target's size where simulated; else the base's cells per instance (or per
 * unit) where the base has the same module, the LFSRs of the same width and the glue; else
 * a synthesis of the part module alone. */
static int target_profile(const ssa_design *d, const ssa_profile *base, const char *what,
                          const ssa_compose_opts *o, ssa_profile_part *simulated,
                          unsigned simulated_count, ssa_profile *t, ssa_error *err) {
  memset(t, 0, sizeof *t);
  snprintf(t->design, sizeof t->design, "%s", what);
  if (d->part_count == 0)
    return ssa_fail(err, "compose: %s declares no parts (core/design.h)", what);
  for (unsigned k = 0; k < d->part_count; k++) {
    const ssa_design_part *dp = &d->parts[k];
    ssa_profile_part *tp = &t->part[t->count++];
    ssa_profile_part_name(d, dp, tp->name, sizeof tp->name);
    snprintf(tp->module, sizeof tp->module, "%s", dp->module);
    snprintf(tp->params, sizeof tp->params, "%s", dp->params);
    tp->instances = dp->count;
    int taken = 0;
    for (unsigned k2 = 0; !taken && k2 < simulated_count; k2++)
      if (strcmp(simulated[k2].module, dp->module) == 0) {
        tp->cells = simulated[k2].cells;  /* moved: cells and toggles at the target's size */
        tp->cell_types = simulated[k2].cell_types;
        tp->measured = 1;
        simulated[k2].cells = NULL;
        taken = 1;
      }
    if (taken) continue;
    /* the base holds the same module: its cells in the design, and below its toggles as they
     * are; the LFSRs of a width and the glue are always the base's, per instance or unit */
    const ssa_profile_part *b = ssa_profile_find(base, tp->name);
    if (b != NULL && strcmp(b->params, dp->params) == 0) {
      tp->cells = malloc((b->cell_types + 1) * sizeof *tp->cells);
      if (tp->cells == NULL) return ssa_fail(err, "out of memory");
      memcpy(tp->cells, b->cells, b->cell_types * sizeof *tp->cells);
      tp->cell_types = b->cell_types;
      continue;
    }
    if (strncmp(dp->module, "ssa_part_", 9) != 0)
      return ssa_fail(err, "compose: part %s (%s) of %s has no counterpart in the base design %s",
                      tp->name, dp->params, what, base->design);
    if (o->progress)
      fprintf(stderr, "ssa compose: synthesizing part %s (%s) alone\n", dp->module, dp->params);
    if (part_cells(d, dp->module, o, tp, err) != 0) return -1;
  }
  return 0;
}

/* A design with a size-dependent part (core/design.h), or any with o->at_size, has the activity
 * of every part whose module differs from the base's measured at its own size: its RTL
 * simulated with those parts at gate level (part_sim.h), on T steps of the same stimulus. */
static int simulate_at_size(ssa_subject *s, const ssa_design *d, const ssa_profile *base,
                            const ssa_compose_opts *o, ssa_profile_part *parts, unsigned *count,
                            ssa_error *err) {
  const char *modules[SSA_MAX_DESIGN_PARTS];
  unsigned n = 0;
  int needed = o->at_size;
  *count = 0;
  for (unsigned k = 0; k < d->part_count; k++) needed |= d->parts[k].size_dependent;
  for (unsigned k = 0; needed && k < d->part_count; k++) {
    const ssa_design_part *dp = &d->parts[k];
    const ssa_profile_part *b = ssa_profile_find(base, dp->module);
    /* at_size: every part, since the statistics of a part's inputs may change with N even
     * where its module does not (the ANN's exponent: its scores spread wider) */
    if (strncmp(dp->module, "ssa_part_", 9) == 0 &&
        (o->at_size || dp->size_dependent || b == NULL || strcmp(b->params, dp->params) != 0))
      modules[n++] = dp->module;
  }
  if (n == 0) return 0;
  if (o->progress)
    fprintf(stderr, "ssa compose: measuring the activity of %u part%s at the target's size\n", n,
            n == 1 ? "" : "s");
  if ((o->input != NULL ? ssa_subject_run_input(s, o->input, o->steps, err)
                        : ssa_subject_run(s, o->rate, o->steps, err)) != 0)
    return -1;
  /* kept in the cache beside the base profiles, keyed like them by the target's files and
   * stimulus (and which parts): a second report finds them */
  char dir[4096], path[4200];
  if (profile_dir(o, dir, sizeof dir, err) != 0) return -1;
  uint64_t h = profile_key(s, &o->measure);
  hash_str(&h, "at size");
  for (unsigned k = 0; k < n; k++) hash_str(&h, modules[k]);
  snprintf(path, sizeof path, "%s/%016llx-at-size.txt", dir, (unsigned long long)h);
  char *text = NULL;
  size_t len;
  ssa_error ignored;
  ssa_profile cached = {0};
  int found = ssa_read_file(path, &text, &len, &ignored) == 0 &&
              ssa_profile_parse(path, text, &cached, &ignored) == 0 && cached.count == n;
  free(text);
  if (found) {
    for (unsigned k = 0; k < n; k++) {
      parts[k] = cached.part[k];  /* moved */
      parts[k].measured = 1;
      cached.part[k].cells = NULL;
    }
    ssa_profile_free(&cached);
    *count = n;
    return 0;
  }
  ssa_profile_free(&cached);
  if (ssa_part_sim(s, modules, n, &o->measure, parts, err) != 0) {
    for (unsigned k = 0; k < n; k++) free(parts[k].cells);
    return -1;
  }
  ssa_profile keep = {0};
  describe(s, keep.design, sizeof keep.design);
  keep.steps = s->run.data.steps;
  keep.cycles = ssa_stepped_result_cycle(&s->run, keep.steps - 1) -
                ssa_stepped_accept_cycle(&s->run, 0) + 1;
  keep.count = n;
  memcpy(keep.part, parts, n * sizeof *parts);  /* borrowed: written, not freed */
  if (ssa_profile_write(&keep, path, err) != 0) {
    for (unsigned k = 0; k < n; k++) free(parts[k].cells);
    return -1;
  }
  *count = n;
  return 0;
}

int ssa_compose(const char *kind, const char *options, const ssa_compose_opts *o,
                ssa_composition *c, ssa_error *err) {
  memset(c, 0, sizeof *c);
  double start = ssa_seconds_now();
  if (o->steps == 0) return ssa_fail(err, "compose: at least one step");
  if (o->input != NULL && !o->at_size)
    return ssa_fail(err, "compose: an input file (%s) needs at_size: the base is measured on "
                    "--rate stimulus, and only the parts measured at the target's size see the "
                    "file", o->input);
  ssa_subject s;
  if (subject_of(kind, options, NULL, &s, err) != 0) return -1;
  describe(&s, c->design, sizeof c->design);
  ssa_design d;
  if (ssa_kind_emit(s.kind, s.params, &d, err) != 0) {
    ssa_subject_free(&s);
    return -1;
  }
  if (d.part_count == 0) {
    ssa_design_free(&d);
    ssa_subject_free(&s);
    return ssa_fail(err, "compose: %s declares no parts (core/design.h), so it cannot be "
                    "composed", kind);
  }
  ssa_profile base = {0}, target = {0};
  ssa_profile_part simulated[SSA_MAX_DESIGN_PARTS];
  unsigned simulated_count = 0;
  int rc = base_profile(kind, options, o, &base, &c->base_cached, c->base_key, err);
  if (rc == 0) {
    snprintf(c->base, sizeof c->base, "%s", base.design);
    rc = simulate_at_size(&s, &d, &base, o, simulated, &simulated_count, err);
  }
  if (rc == 0) rc = target_profile(&d, &base, c->design, o, simulated, simulated_count, &target,
                                   err);
  for (unsigned k = 0; k < simulated_count; k++) free(simulated[k].cells);
  if (rc == 0) {
    /* the target's steady window over its steps (sim/stepped_run.h) */
    unsigned interval = d.interval > 1 ? d.interval : 1;
    double window = (double)(o->steps - 1) * interval + d.latency;
    rc = ssa_compose_price(&base, &target, window, o->steps, o->measure.library,
                           o->measure.clock_mhz, c, err);
  }
  ssa_profile_free(&base);
  ssa_profile_free(&target);
  ssa_design_free(&d);
  ssa_subject_free(&s);
  c->seconds = ssa_seconds_now() - start;
  return rc;
}
