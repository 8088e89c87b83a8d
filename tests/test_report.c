/* test_report.c -- `ssa report --quick` end to end (every step of the full report at tiny
 * sizes: synthesis, netlist co-simulation, extrapolation, iCE40, CPU timing, the Liberty
 * cross-check, the files), and `ssa synth --flow ice40` refusing a design too large for the
 * part. Runs the binary under test ($SSA_BIN) from the source root, so that the report finds
 * ../shared/liberty as a user's checkout does. */
#include <setjmp.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../common/process.h"
#include "run_ssa.h"
#include "textio.h"

static char workdir[4096];

/* Runs the binary under test from the source root, capturing both streams (run_ssa.h). */
static result run(const char *const *argv) {
  return run_captured(workdir, getenv("SSA_SOURCE_ROOT"), argv);
}

/* The whole of DIR/NAME into *text (malloc'd). */
static void read_in(const char *dir, const char *name, char **text) {
  char path[8400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len = 0;
  ssa_error e;
  if (ssa_read_file(path, text, &len, &e) != 0) fail_msg("%s", e.msg);
}

/* The value after `"key": ` in the first claim object naming `claim`. */
static double claim_value(const char *json, const char *claim, const char *key) {
  char pattern[96];
  snprintf(pattern, sizeof pattern, "{\"claim\": \"%s\"", claim);
  const char *p = strstr(json, pattern);
  if (p == NULL) fail_msg("no claim %s in the JSON", claim);
  const char *end = strchr(p, '}');
  snprintf(pattern, sizeof pattern, "\"%s\": ", key);
  const char *v = strstr(p, pattern);
  if (v == NULL || v > end) fail_msg("claim %s has no %s", claim, key);
  return strtod(v + strlen(pattern), NULL);
}

/* Whether the claim object naming `claim` contains `text`. */
static int claim_has(const char *json, const char *claim, const char *text) {
  char pattern[96];
  snprintf(pattern, sizeof pattern, "{\"claim\": \"%s\"", claim);
  const char *p = strstr(json, pattern);
  if (p == NULL) return 0;
  size_t object = strcspn(p, "}");
  const char *t = strstr(p, text);
  return t != NULL && (size_t)(t - p) < object;
}

/* ---- the content of the files ---- */

/* The paper's figures (AICAS 2024, "Stochastic Spiking Attention", abstract), typed here: the
 * report must print these, not figures of its own. */
#define PAPER_COMPUTE_ENERGY 6.3   /* x lower compute energy than the ANN, ASIC */
#define PAPER_MEMORY_ACCESS 1.7    /* x lower memory-access cost */
#define PAPER_LATENCY 48.0         /* x lower latency on an FPGA than a GPU */

/* The quick report (report_run.c, ssa_report_config_default): D = 4, T = 10, N in {2, 4}, the
 * claims at N = 4. */
#define QUICK_D 4u
#define QUICK_T 10u
#define QUICK_CLAIM_N 4u
static const unsigned QUICK_SIZES[] = {2, 4};

/* Design keys of the CSV and JSON and names of the Markdown, typed here. */
static const char *const DESIGN_KEYS[] = {"sc_unit", "sc_row", "sc_global", "exact", "ann"};
static const char *const DESIGN_NAMES[] = {"SC attention, share=unit", "SC attention, share=row",
                                           "SC attention, share=global",
                                           "exact spiking attention", "int8 ANN attention"};
#define DESIGNS 5u

static void assert_close(double got, double want, double tol, const char *what) {
  if (!(fabs(got - want) <= tol))
    fail_msg("%s: got %.9g, want %.9g (tolerance %g)", what, got, want, tol);
}

/* A strict JSON syntax check (RFC 8259 grammar; no duplicate-key or number-range checks): the
 * end of the value at p, or NULL. */
static const char *json_ws(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  return p;
}

static const char *json_value(const char *p, int depth);

static const char *json_string(const char *p) {
  if (*p++ != '"') return NULL;
  for (;;) {
    unsigned char c = (unsigned char)*p++;
    if (c == '"') return p;
    if (c < 0x20) return NULL;   /* control characters, the end of the text included */
    if (c != '\\') continue;
    c = (unsigned char)*p++;
    if (c == 'u') {
      for (int k = 0; k < 4; k++, p++)
        if (strchr("0123456789abcdefABCDEF", *p) == NULL || *p == '\0') return NULL;
    } else if (c == '\0' || strchr("\"\\/bfnrt", c) == NULL) {
      return NULL;
    }
  }
}

static const char *json_digits(const char *p) {
  if (*p < '0' || *p > '9') return NULL;
  while (*p >= '0' && *p <= '9') p++;
  return p;
}

static const char *json_number(const char *p) {
  if (*p == '-') p++;
  if (*p == '0') p++;
  else if ((p = json_digits(p)) == NULL) return NULL;
  if (*p == '.' && (p = json_digits(p + 1)) == NULL) return NULL;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if ((p = json_digits(p)) == NULL) return NULL;
  }
  return p;
}

static const char *json_value(const char *p, int depth) {
  if (depth > 32) return NULL;
  p = json_ws(p);
  if (*p == '{' || *p == '[') {
    char close = *p == '{' ? '}' : ']';
    p = json_ws(p + 1);
    if (*p == close) return p + 1;
    for (;;) {
      if (close == '}') {
        if ((p = json_string(json_ws(p))) == NULL) return NULL;
        p = json_ws(p);
        if (*p++ != ':') return NULL;
      }
      if ((p = json_value(p, depth + 1)) == NULL) return NULL;
      p = json_ws(p);
      if (*p == close) return p + 1;
      if (*p++ != ',') return NULL;
    }
  }
  if (*p == '"') return json_string(p);
  if (strncmp(p, "true", 4) == 0) return p + 4;
  if (strncmp(p, "false", 5) == 0) return p + 5;
  if (strncmp(p, "null", 4) == 0) return p + 4;
  return json_number(p);
}

static int json_valid(const char *doc) {
  const char *end = json_value(doc, 0);
  return end != NULL && *json_ws(end) == '\0';
}

/* The self-check of json_valid: what it must refuse. */
static void json_checker(void **state) {
  (void)state;
  assert_true(json_valid("{\"a\": [1, -2.5e+3, true, null, \"x\\n\\u00e9\"], \"b\": {}}"));
  static const char *const bad[] = {"{", "{\"a\": 1,}", "[1 2]", "{\"a\" 1}", "{a: 1}",
                                    "[01]", "[1.]", "[nan]", "[\"\\x\"]", "[\"a]", "{} {}",
                                    "[\"\\u12\"]", ""};
  for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++)
    if (json_valid(bad[k])) fail_msg("json_valid accepts '%s'", bad[k]);
}

/* The number after `"key": ` in the JSON object that starts with `prefix`. */
static double object_value(const char *json, const char *prefix, const char *key) {
  const char *p = strstr(json, prefix);
  if (p == NULL) fail_msg("no object %s in the JSON", prefix);
  const char *end = strchr(p, '}');
  char pattern[96];
  snprintf(pattern, sizeof pattern, "\"%s\": ", key);
  const char *v = strstr(p, pattern);
  if (v == NULL || v > end) fail_msg("object %s has no %s", prefix, key);
  char *stop;
  double x = strtod(v + strlen(pattern), &stop);
  if (stop == v + strlen(pattern)) fail_msg("object %s: %s is not a number", prefix, key);
  return x;
}

static double row_value(const char *json, const char *design, unsigned n, const char *key) {
  char prefix[96];
  snprintf(prefix, sizeof prefix, "{\"design\": \"%.15s\", \"tokens\": %u,", design, n);
  return object_value(json, prefix, key);
}

/* One line of sizes.csv. */
typedef struct csv_row {
  char design[16], basis[16];
  unsigned n, d, steps, latency_clocks;
  int in_sweep;
  double cells, area, gate, part[3], op, memory, fmax, fpga_us, cpu_us;
} csv_row;

#define SIZES_HEADER                                                                          \
  "design,n,d,steps,basis,in_sweep,cells,area_um2,gate_pj,prng_pj,datapath_pj,registers_pj," \
  "op_pj,memory_pj,latency_clocks,fmax_mhz,fpga_latency_us,cpu_golden_us\n"
#define MAX_ROWS 32

/* sizes.csv into rows[], their number returned; fails on a line that does not parse whole. */
static unsigned parse_sizes(const char *csv, csv_row *rows) {
  size_t header = strlen(SIZES_HEADER);
  if (strncmp(csv, SIZES_HEADER, header) != 0) fail_msg("sizes.csv header: %.200s", csv);
  unsigned count = 0;
  for (const char *line = csv + header; *line != '\0';) {
    const char *eol = strchr(line, '\n');
    if (eol == NULL) fail_msg("sizes.csv: last line unterminated");
    char buf[512];
    if ((size_t)(eol - line) >= sizeof buf) fail_msg("sizes.csv: line too long");
    memcpy(buf, line, (size_t)(eol - line));
    buf[eol - line] = '\0';
    if (count == MAX_ROWS) fail_msg("sizes.csv: more than %d rows", MAX_ROWS);
    csv_row *w = &rows[count++];
    int used = -1;
    int got = sscanf(buf, "%15[^,],%u,%u,%u,%15[^,],%d,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%u,%lf,"
                     "%lf,%lf%n", w->design, &w->n, &w->d, &w->steps, w->basis, &w->in_sweep,
                     &w->cells, &w->area, &w->gate, &w->part[0], &w->part[1], &w->part[2],
                     &w->op, &w->memory, &w->latency_clocks, &w->fmax, &w->fpga_us, &w->cpu_us,
                     &used);
    if (got != 18 || used != (int)strlen(buf)) fail_msg("sizes.csv: bad line '%s'", buf);
    line = eol + 1;
  }
  return count;
}

static const csv_row *find_csv(const csv_row *rows, unsigned count, const char *design,
                               unsigned n) {
  const csv_row *found = NULL;
  for (unsigned k = 0; k < count; k++)
    if (strcmp(rows[k].design, design) == 0 && rows[k].n == n) {
      if (found != NULL) fail_msg("sizes.csv: two rows of %s, N=%u", design, n);
      found = &rows[k];
    }
  if (found == NULL) fail_msg("sizes.csv: no row of %s, N=%u", design, n);
  return found;
}

/* Printed to 4 decimals (sizes.csv's energies): half a unit of the last digit. */
#define CSV_PJ_TOL 5e-5

/* sizes.csv: one row per design and size, energies that add up, the operation-level and memory
 * figures worked out by hand for D = 4, T = 10, and extrapolated rows that follow a N^2 + b N
 * from the measured ones. */
static unsigned check_sizes(const char *csv, csv_row *rows) {
  unsigned count = parse_sizes(csv, rows);
  assert_int_equal(count, DESIGNS * 2);
  for (unsigned d = 0; d < DESIGNS; d++) {
    unsigned measured = 0;
    for (unsigned s = 0; s < 2; s++) {
      const csv_row *w = find_csv(rows, count, DESIGN_KEYS[d], QUICK_SIZES[s]);
      char what[96];
      snprintf(what, sizeof what, "%.15s, N=%u", w->design, w->n);
      assert_int_equal(w->d, QUICK_D);
      assert_int_equal(w->steps, QUICK_T);
      assert_int_equal(w->in_sweep, 1);
      if (strcmp(w->design, "ann") == 0) {
        /* No RTL: no gate-level figures. */
        assert_string_equal(w->basis, "estimate");
        assert_true(w->cells == 0 && w->area == 0 && w->gate == 0);
        assert_true(w->part[0] == 0 && w->part[1] == 0 && w->part[2] == 0);
        continue;
      }
      if (strcmp(w->basis, "measured") == 0) measured++;
      else if (strcmp(w->basis, "extrapolated") != 0) fail_msg("%s: basis %s", what, w->basis);
      if (!(w->cells > 0 && w->area > 0 && w->gate > 0 && w->part[1] > 0 && w->part[2] > 0))
        fail_msg("%s: a figure is not positive", what);
      /* SC designs draw random bits; the exact attention has no PRNG. */
      if (strcmp(w->design, "exact") == 0) assert_close(w->part[0], 0, 0, what);
      else if (!(w->part[0] > 0)) fail_msg("%s: no PRNG energy", what);
      /* The parts add up to the total, within the rounding of four printed figures. */
      assert_close(w->part[0] + w->part[1] + w->part[2], w->gate, 4 * CSV_PJ_TOL, what);
      /* iCE40 latency = (T + pipeline clocks) / Fmax (%.3f MHz, %.5f us). */
      if (!(w->fmax > 0)) fail_msg("%s: no Fmax", what);
      double lat = (QUICK_T + w->latency_clocks) / w->fmax;
      assert_close(w->fpga_us, lat, 5e-6 + lat * 0.0005 / w->fmax, what);
    }
    if (strcmp(DESIGN_KEYS[d], "ann") != 0 && measured == 0)
      fail_msg("%s: no measured size", DESIGN_KEYS[d]);
  }
  /* Operation level, by hand (op_energy.h, Horowitz 45 nm), D = 4, T = 10:
   *   ANN N=2: 2 N^2 D = 32 MACs x (0.2 + 0.1) = 9.6, N^2 = 4 scalings x 3.1 = 12.4, softmax
   *     4 scores x (5 x 3.7 + 5 x 0.9 = 23) + 2 rows x (4 x 3.7 + 4 x 0.9 = 18.4) = 128.8:
   *     150.8 pJ.
   *   ANN N=4: 128 x 0.3 = 38.4, 16 x 3.1 = 49.6, 16 x 23 + 4 x 18.4 = 441.6: 529.6 pJ.
   *   exact N=2: T x (2 N^2 D + 3 N D) = 10 x (32 + 24) = 560 adds x 0.1 = 56 pJ.
   *   exact N=4: 10 x (128 + 48) = 1760 adds x 0.1 = 176 pJ.
   * Memory:
   *   ANN N=2 (N D = 8, N^2 = 4): 3 x 8 x 8 + 2 x 4 x 32 + 2 x 4 x 8 + 8 x 8 = 192 + 256 + 64
   *     + 64 = 576 bits, 52 bytes (8 KB SRAM): 576 / 64 x 10 = 90 pJ.
   *   ANN N=4 (N D = 16, N^2 = 16): 384 + 1024 + 256 + 128 = 1792 bits: 28 x 10 = 280 pJ.
   *   spiking (SC and exact) N=2: T x 4 N D = 10 x 32 = 320 bits / 64 x 10 = 50 pJ;
   *     N=4: 10 x 64 = 640 bits: 100 pJ. */
  static const double ann_op[] = {150.8, 529.6}, exact_op[] = {56, 176};
  static const double ann_mem[] = {90, 280}, spiking_mem[] = {50, 100};
  for (unsigned s = 0; s < 2; s++) {
    unsigned n = QUICK_SIZES[s];
    assert_close(find_csv(rows, count, "ann", n)->op, ann_op[s], CSV_PJ_TOL, "ANN op pJ");
    assert_close(find_csv(rows, count, "ann", n)->memory, ann_mem[s], CSV_PJ_TOL, "ANN memory");
    assert_close(find_csv(rows, count, "exact", n)->op, exact_op[s], CSV_PJ_TOL, "exact op pJ");
    for (unsigned d = 0; d < DESIGNS; d++)
      if (strcmp(DESIGN_KEYS[d], "ann") != 0)
        assert_close(find_csv(rows, count, DESIGN_KEYS[d], n)->memory, spiking_mem[s],
                     CSV_PJ_TOL, "spiking memory pJ");
  }
  /* Extrapolated rows. The quick report measures the unit, row and exact designs at N = 2
   * only, so each is extrapolated from one size: cells = a N^2 with a = cells(2) / 4, energy
   * and area per cell of N = 2, so N = 4 is exactly 4 x N = 2 in cells, area and every part's
   * energy (within the rounding of the printed figures, times 4). */
  unsigned extrapolated = 0;
  for (unsigned k = 0; k < count; k++) {
    const csv_row *w = &rows[k];
    if (strcmp(w->basis, "extrapolated") != 0) continue;
    extrapolated++;
    const csv_row *m = NULL;
    for (unsigned j = 0; j < count; j++)
      if (strcmp(rows[j].design, w->design) == 0 && strcmp(rows[j].basis, "measured") == 0) {
        if (m != NULL) fail_msg("%s: more than one measured size", w->design);
        m = &rows[j];
      }
    if (m == NULL) fail_msg("%s: extrapolated from nothing", w->design);
    double x = (double)w->n / m->n, x2 = x * x;
    char what[96];
    snprintf(what, sizeof what, "%.15s, N=%u extrapolated from N=%u", w->design, w->n, m->n);
    assert_close(w->cells, x2 * m->cells, 0.5 + x2 * 0.5, what);
    assert_close(w->area, x2 * m->area, 5e-4 * (1 + x2), what);
    assert_close(w->gate, x2 * m->gate, CSV_PJ_TOL * (1 + x2), what);
    for (unsigned p = 0; p < 3; p++)
      assert_close(w->part[p], x2 * m->part[p], CSV_PJ_TOL * (1 + x2), what);
  }
  assert_int_equal(extrapolated, 3);
  return count;
}

/* claims.csv: the paper's figures in the published column, and each measured ratio equal to
 * the ratio of the figures it is computed from (sizes.csv and report.json at the claim size),
 * within the rounding of the printed digits. */
static void check_claims(const char *claims_csv, const csv_row *rows, unsigned count,
                         const char *json) {
  const char *header = "claim,published,measured,sc_design,baseline\n";
  if (strncmp(claims_csv, header, strlen(header)) != 0)
    fail_msg("claims.csv header: %.200s", claims_csv);
  static const char *const names[] = {"compute_energy", "memory_access", "latency"};
  static const char *const published[] = {"6.3", "1.7", "48.0"};   /* %.1f of the paper's */
  double measured[3];
  const char *line = claims_csv + strlen(header);
  for (unsigned k = 0; k < 3; k++) {
    char prefix[64];
    int len = snprintf(prefix, sizeof prefix, "%s,%s,", names[k], published[k]);
    if (strncmp(line, prefix, (size_t)len) != 0) fail_msg("claims.csv line %u: %.200s", k, line);
    char *stop;
    measured[k] = strtod(line + len, &stop);
    if (*stop != ',') fail_msg("claims.csv line %u: measured column", k);
    /* Against the default SC design. */
    if (strncmp(stop, ",\"SC attention, share=unit (", 28) != 0)
      fail_msg("claims.csv line %u: SC design %.60s", k, stop);
    line = strchr(line, '\n');
    if (line == NULL) fail_msg("claims.csv: line %u unterminated", k);
    line++;
    /* The JSON's (%.6g) and the CSV's (%.4f) measured figures agree. */
    char object[64];
    snprintf(object, sizeof object, "{\"claim\": \"%s\"", names[k]);
    double j = object_value(json, object, "measured");
    assert_close(measured[k], j, 5e-5 + 1e-5 * fabs(j), "claims.csv against report.json");
  }
  assert_string_equal(line, "");
  const csv_row *sc = find_csv(rows, count, "sc_unit", QUICK_CLAIM_N);
  const csv_row *ann = find_csv(rows, count, "ann", QUICK_CLAIM_N);
  /* compute_energy = ANN operation-level pJ / SC gate-level pJ; each printed to 4 decimals. */
  double ratio = ann->op / sc->gate;
  assert_close(measured[0], ratio, 5e-5 + ratio * (CSV_PJ_TOL / ann->op + CSV_PJ_TOL / sc->gate),
               "compute_energy = ANN op pJ / SC gate pJ");
  /* memory_access = ANN memory pJ / SC memory pJ; here 280 / 100 (check_sizes). */
  ratio = ann->memory / sc->memory;
  assert_close(measured[1], ratio,
               5e-5 + ratio * (CSV_PJ_TOL / ann->memory + CSV_PJ_TOL / sc->memory),
               "memory_access = ANN memory pJ / SC memory pJ");
  assert_close(measured[1], 2.8, 5e-5, "memory_access = 280 / 100");
  /* latency = CPU float attention us / SC iCE40 latency us, both from report.json (%.6g). */
  double cpu = object_value(json, "\"cpu_float_attention_us\": ", "cpu_float_attention_us");
  double fpga = row_value(json, "sc_unit", QUICK_CLAIM_N, "fpga_latency_us");
  if (!(cpu > 0 && fpga > 0)) fail_msg("latency: cpu %g us, iCE40 %g us", cpu, fpga);
  ratio = cpu / fpga;
  assert_close(measured[2], ratio, 5e-5 + ratio * 2e-5, "latency = CPU us / iCE40 us");
  assert_close(fpga, sc->fpga_us, 5e-6 + 1e-5 * fpga, "iCE40 latency, JSON against CSV");
}

/* report.json: valid JSON, its keys, and every row agreeing with sizes.csv. */
static void check_json(const char *json, const csv_row *rows, unsigned count) {
  if (!json_valid(json)) fail_msg("report.json is not valid JSON");
  static const char *const keys[] = {"\"dim\": 4,", "\"steps\": 10,", "\"claim_tokens\": 4,",
                                     "\"claims\": [", "\"rows\": [",
                                     "\"cpu_float_attention_us\": ", "\"area_check\": {",
                                     "\"seconds\": "};
  for (unsigned k = 0; k < sizeof keys / sizeof keys[0]; k++)
    if (strstr(json, keys[k]) == NULL) fail_msg("report.json has no %s", keys[k]);
  for (unsigned k = 0; k < count; k++) {
    const csv_row *w = &rows[k];
    char what[96], basis[64], prefix[96];
    snprintf(what, sizeof what, "report.json against sizes.csv, %.15s N=%u", w->design, w->n);
    snprintf(prefix, sizeof prefix, "{\"design\": \"%.15s\", \"tokens\": %u,", w->design, w->n);
    snprintf(basis, sizeof basis, "\"basis\": \"%.15s\"", w->basis);
    const char *obj = strstr(json, prefix);
    if (obj == NULL || strstr(obj, basis) == NULL || strstr(obj, basis) > strchr(obj, '}'))
      fail_msg("%s: no row or another basis", what);
    /* %.6g against %.4f. */
    assert_close(row_value(json, w->design, w->n, "gate_pj"), w->gate,
                 CSV_PJ_TOL + 1e-5 * w->gate, what);
    assert_close(row_value(json, w->design, w->n, "prng_pj"), w->part[0],
                 CSV_PJ_TOL + 1e-5 * w->part[0], what);
    assert_close(row_value(json, w->design, w->n, "operation_pj"), w->op,
                 CSV_PJ_TOL + 1e-5 * w->op, what);
    assert_close(row_value(json, w->design, w->n, "memory_pj"), w->memory,
                 CSV_PJ_TOL + 1e-5 * w->memory, what);
    assert_close(row_value(json, w->design, w->n, "cells"), w->cells, 0.5 + 1e-5 * w->cells,
                 what);
  }
}

/* report.md: the paper's figures, a table row for every design and size with its basis, and
 * the measured ratios of claims.csv. */
static void check_markdown(const char *md, const csv_row *rows, unsigned count,
                           const char *claims_csv) {
  static const char *const claims[] = {"| compute_energy | 6.3x | **", "| memory_access | 1.7x | **",
                                       "| latency | 48.0x | **"};
  const char *line = strchr(claims_csv, '\n') + 1;
  for (unsigned k = 0; k < 3; k++) {
    const char *p = strstr(md, claims[k]);
    if (p == NULL) fail_msg("report.md has no '%s'", claims[k]);
    double shown = strtod(p + strlen(claims[k]), NULL);
    double csv = strtod(strchr(strchr(line, ',') + 1, ',') + 1, NULL);
    assert_close(shown, csv, 0.005 + 5e-5, "report.md ratio against claims.csv");
    line = strchr(line, '\n') + 1;
  }
  for (unsigned k = 0; k < count; k++) {
    const csv_row *w = &rows[k];
    unsigned d = 0;
    while (d < DESIGNS && strcmp(DESIGN_KEYS[d], w->design) != 0) d++;
    if (d == DESIGNS) fail_msg("sizes.csv: unknown design %s", w->design);
    const char *label = strcmp(w->basis, "measured") == 0 ? "measured"
                        : strcmp(w->basis, "extrapolated") == 0 ? "**extrapolated**"
                                                                : "**estimate (no RTL)**";
    char row[160];
    snprintf(row, sizeof row, "\n| %s | %u | %s | ", DESIGN_NAMES[d], w->n, label);
    const char *p = strstr(md, row);
    if (p == NULL) fail_msg("report.md has no row '%s'", row + 1);
    /* Its operation-level figure (%.2f), the 8th column. */
    for (unsigned col = 0; col < 8 && p != NULL; col++) p = strchr(p + 1, '|');
    if (p == NULL) fail_msg("report.md: row '%s' too short", row + 1);
    assert_close(strtod(p + 1, NULL), w->op, 0.005 + CSV_PJ_TOL, "report.md op-level pJ");
  }
}

/* The paper's figures wherever the project states them: README.md's opening paragraph is the
 * only place for the accuracies (the report does not carry them). */
static void published_figures(void **state) {
  (void)state;
  char *readme;
  read_in(getenv("SSA_SOURCE_ROOT"), "README.md", &readme);
  static const char *const figures[] = {"83.53 % CIFAR-10 accuracy", "against 83.66 %",
                                        "more than 6.3x lower compute energy",
                                        "1.7x lower memory-access cost", "48x lower latency"};
  char *end = strstr(readme, "\n## ");
  if (end == NULL) fail_msg("README.md has no section");
  *end = '\0';
  for (char *c = readme; *c != '\0'; c++)   /* wherever its lines wrap */
    if (*c == '\n') *c = ' ';
  for (unsigned k = 0; k < sizeof figures / sizeof figures[0]; k++) {
    if (strstr(readme, figures[k]) == NULL) fail_msg("README.md's opening: no '%s'", figures[k]);
  }
  free(readme);
}

static void quick_report(void **state) {
  (void)state;
  char dir[4200], json[4200];
  snprintf(dir, sizeof dir, "%s/report", workdir);
  snprintf(json, sizeof json, "%s/claims.json", workdir);
  const char *argv[] = {"ssa", "report", "--quick", "--out", dir, "--json", json, NULL};
  result r = run(argv);
  if (r.status != 0) fail_msg("ssa report --quick: status %d\n%s", r.status, r.err);
  /* Progress on stderr, the claims on stdout. */
  assert_non_null(strstr(r.err, "synthesizing and simulating the netlist"));
  assert_non_null(strstr(r.out, "compute_energy  published   6.3x"));
  assert_non_null(strstr(r.out, "memory_access   published   1.7x"));
  assert_non_null(strstr(r.out, "latency         published  48.0x"));
  result_free(&r);
  /* The content of the tables, cross-checked between the files. */
  char *sizes_csv, *claims_csv, *report_json, *report_md;
  read_in(dir, "sizes.csv", &sizes_csv);
  read_in(dir, "claims.csv", &claims_csv);
  read_in(dir, "report.json", &report_json);
  read_in(dir, "report.md", &report_md);
  csv_row rows[MAX_ROWS];
  unsigned count = check_sizes(sizes_csv, rows);
  check_json(report_json, rows, count);
  check_claims(claims_csv, rows, count, report_json);
  check_markdown(report_md, rows, count, claims_csv);
  /* The plots are PNG files. */
  static const char *const pngs[] = {"energy.png", "area.png"};
  for (unsigned k = 0; k < 2; k++) {
    char *png;
    read_in(dir, pngs[k], &png);
    assert_memory_equal(png, "\x89PNG", 4);
    free(png);
  }
  /* --json writes the same document as report.json. */
  char *doc;
  read_in(workdir, "claims.json", &doc);
  assert_string_equal(doc, report_json);
  static const char *const claims[] = {"compute_energy", "memory_access", "latency"};
  static const double published[] = {PAPER_COMPUTE_ENERGY, PAPER_MEMORY_ACCESS, PAPER_LATENCY};
  for (unsigned k = 0; k < 3; k++) {
    assert_true(claim_value(doc, claims[k], "published") == published[k]);
    assert_true(claim_value(doc, claims[k], "measured") > 0);
    assert_true(claim_has(doc, claims[k], "\"baseline\": \""));
  }
  /* The memory ratio is a closed formula at the quick size (N = 4, D = 4, T = 10): SC moves
   * 10 x 64 bits from an 8 KB SRAM, the ANN 1792 bits: 1792 / 640. */
  double memory = claim_value(doc, "memory_access", "measured");
  assert_true(memory > 2.8 - 1e-9 && memory < 2.8 + 1e-9);
  free(doc);
  /* Every table row says how it was obtained (check_markdown), and extrapolated rows are
   * marked. */
  char *md = report_md;
  assert_non_null(strstr(md, "| measured |"));
  assert_non_null(strstr(md, "**extrapolated**"));
  assert_non_null(strstr(md, "**estimate (no RTL)**"));
  assert_non_null(strstr(md, "Area cross-check"));
  free(sizes_csv);
  free(claims_csv);
  free(report_json);
  free(report_md);
}

static void too_large_for_ice40(void **state) {
  (void)state;
  const char *argv[] = {"ssa", "synth", "attention", "--tokens", "16", "--dim", "16",
                        "--flow", "ice40", NULL};
  result r = run(argv);
  if (r.status != 2 || strstr(r.err, "too large for the iCE40 hx8k") == NULL || r.out[0] != '\0')
    fail_msg("status %d, stderr '%s', stdout '%s'", r.status, r.err, r.out);
  result_free(&r);
}

static int setup(void **state) {
  (void)state;
  return temp_dir(workdir, sizeof workdir, "ssa-test-report") == NULL ? -1 : 0;
}

static int teardown(void **state) {
  (void)state;
  ssa_remove_tree(workdir);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(json_checker),
      cmocka_unit_test(published_figures),
      cmocka_unit_test(quick_report),
      cmocka_unit_test(too_large_for_ice40),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
