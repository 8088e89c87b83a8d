/* net_file.c -- reading and writing the weights file (net_file.h). */
#include "net_file.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/outfile.h"
#include "../common/process.h"
#include "../common/text.h"

#define FORMAT_VERSION 1

int ssa_net_save(const ssa_net *net, const char *path, const char *comment, ssa_error *err) {
  const ssa_net_shape *s = &net->shape;
  ssa_text t = {0};
  if (comment) {
    const char *line = comment;
    while (*line) {
      size_t len = strcspn(line, "\n");
      ssa_text_printf(&t, "# %.*s\n", (int)len, line);
      line += len + (line[len] == '\n');
    }
  }
  ssa_text_printf(&t, "ssa-net %d\nmodel %s\nembed %u\nheads %u\nhidden %u\nsteps %u\n"
                  "share %s\nscale-shift %u\nattention-seed %" PRIu64 "\nlif-beta %.9g\n"
                  "lif-reset %s\n",
                  FORMAT_VERSION, ssa_net_model_name(s->model), s->embed, s->heads, s->hidden,
                  s->steps, ssa_share_name(s->share), s->scale_shift, s->attention_seed,
                  s->lif_beta, ssa_lif_reset_name(s->lif_reset));
  /* only when not lfsr, the file format's default (not the tool's, SSA_RANDOM_DEFAULT), so that
   * files written before the option read and write back byte for byte */
  if (s->random != SSA_RANDOM_LFSR) ssa_text_printf(&t, "random %s\n", ssa_random_name(s->random));
  for (unsigned k = 0; k < SSA_T_COUNT; k++) {
    const ssa_net_tensor_info *ti = &net->tensor[k];
    ssa_text_printf(&t, "tensor %s %u %u\n", ti->name, ti->rows, ti->cols);
    const ssa_real *p = net->param + ti->offset;
    for (unsigned r = 0; r < ti->rows; r++)
      for (unsigned c = 0; c < ti->cols; c++)
        ssa_text_printf(&t, "%.9g%c", (double)p[(size_t)r * ti->cols + c],
                        c + 1 == ti->cols ? '\n' : ' ');
  }
  ssa_text_printf(&t, "end\n");
  if (t.failed) {
    ssa_text_free(&t);
    return ssa_fail(err, "%s: out of memory while formatting the weights", path);
  }
  int rc = ssa_write_file(path, t.s, t.len, err);
  ssa_text_free(&t);
  return rc;
}

/* A line cursor over the file's text that skips comments and blank lines. */
typedef struct reader {
  const char *path;
  char *text, *next;
  unsigned line;
  ssa_error *err;
} reader;

static char *next_line(reader *rd) {
  while (rd->next && *rd->next) {
    char *line = rd->next;
    char *end = strchr(line, '\n');
    if (end) {
      *end = '\0';
      rd->next = end + 1;
    } else {
      rd->next = NULL;
    }
    rd->line++;
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    line += strspn(line, " \t\r");
    if (*line) return line;
  }
  rd->line++;
  return NULL;
}

static int bad(reader *rd, const char *what) {
  return ssa_fail_at(rd->err, rd->path, rd->line, "%s", what);
}

/* The next line when it is `key` and a blank: what follows the key; NULL otherwise. */
static char *keyed_line(reader *rd, const char *key) {
  char *line = next_line(rd);
  size_t klen = strlen(key);
  if (!line || strncmp(line, key, klen) != 0 || (line[klen] != ' ' && line[klen] != '\t'))
    return NULL;
  return line + klen;
}

/* Whether the next line that is not blank or a comment starts with `key` and a blank; reads
 * nothing (an optional line). */
static int next_key_is(const reader *rd, const char *key) {
  const char *at = rd->next;
  size_t klen = strlen(key);
  while (at != NULL && *at) {
    at += strspn(at, " \t\r");
    if (*at != '\n' && *at != '#')
      return strncmp(at, key, klen) == 0 && (at[klen] == ' ' || at[klen] == '\t');
    at = strchr(at, '\n');
    if (at != NULL) at++;
  }
  return 0;
}

/* "key value" with value an unsigned integer. */
static int read_number(reader *rd, const char *key, uint64_t *out) {
  char msg[128];
  snprintf(msg, sizeof msg, "expected \"%s N\"", key);
  char *value = keyed_line(rd, key);
  if (!value) return bad(rd, msg);
  char *end;
  errno = 0;
  unsigned long long v = strtoull(value, &end, 10);
  end += strspn(end, " \t\r");
  if (errno || *end || value[strspn(value, " \t")] == '-') return bad(rd, msg);
  *out = v;
  return 0;
}

static int read_word(reader *rd, const char *key, char *out, size_t len) {
  char msg[128];
  snprintf(msg, sizeof msg, "expected \"%s NAME\"", key);
  char *value = keyed_line(rd, key);
  if (!value) return bad(rd, msg);
  char *word = value + strspn(value, " \t");
  size_t wlen = strcspn(word, " \t\r");
  if (wlen == 0 || wlen >= len || word[wlen + strspn(word + wlen, " \t\r")]) return bad(rd, msg);
  memcpy(out, word, wlen);
  out[wlen] = '\0';
  return 0;
}

static int read_header(reader *rd, ssa_net_shape *s) {
  uint64_t version, v[6];
  char model[32], share[32];
  if (read_number(rd, "ssa-net", &version) != 0) return -1;
  if (version != FORMAT_VERSION) return bad(rd, "unsupported format version (expected 1)");
  if (read_word(rd, "model", model, sizeof model) != 0) return -1;
  if (ssa_net_model_parse(model, &s->model) != 0)
    return bad(rd, "unknown model (expected ann, snn-exact or snn-sc)");
  static const char *const keys[4] = {"embed", "heads", "hidden", "steps"};
  for (unsigned k = 0; k < 4; k++) {
    if (read_number(rd, keys[k], &v[k]) != 0) return -1;
    if (v[k] > 4096) return bad(rd, "value out of range");
  }
  s->embed = (unsigned)v[0];
  s->heads = (unsigned)v[1];
  s->hidden = (unsigned)v[2];
  s->steps = (unsigned)v[3];
  if (read_word(rd, "share", share, sizeof share) != 0) return -1;
  unsigned m = 0;
  while (m < 4 && strcmp(share, ssa_share_name((enum ssa_share)m)) != 0) m++;
  if (m == 4) return bad(rd, "unknown share mode (expected unit, row, global or row-global)");
  s->share = (enum ssa_share)m;
  if (read_number(rd, "scale-shift", &v[4]) != 0) return -1;
  if (v[4] > 64) return bad(rd, "value out of range");
  s->scale_shift = (unsigned)v[4];
  if (read_number(rd, "attention-seed", &v[5]) != 0) return -1;
  s->attention_seed = v[5];
  char beta[64], reset[32], *end;
  if (read_word(rd, "lif-beta", beta, sizeof beta) != 0) return -1;
  s->lif_beta = strtod(beta, &end);
  if (*end) return bad(rd, "lif-beta is not a number");
  if (read_word(rd, "lif-reset", reset, sizeof reset) != 0) return -1;
  if (ssa_lif_reset_parse(reset, &s->lif_reset) != 0)
    return bad(rd, "unknown lif-reset (expected zero or subtract)");
  s->random = SSA_RANDOM_LFSR;  /* no line: written before the option, when lfsr was all */
  if (next_key_is(rd, "random")) {
    char random[32];
    if (read_word(rd, "random", random, sizeof random) != 0) return -1;
    unsigned k = 0;  /* as the share mode above: by name, in enum order */
    while (ssa_random_names[k] != NULL && strcmp(random, ssa_random_names[k]) != 0) k++;
    if (ssa_random_names[k] == NULL) return bad(rd, "unknown random source (expected lfsr, sobol, packed or shared)");
    s->random = (enum ssa_random)k;
  }
  ssa_error why;
  if (ssa_net_shape_check(s, &why) != 0) return bad(rd, why.msg);
  return 0;
}

static int read_tensor(reader *rd, const ssa_net *net, const ssa_net_tensor_info *ti) {
  char *line = next_line(rd);
  char name[64];
  unsigned long long wide_rows, wide_cols;  /* read wide: "%u" would wrap 2^32 + 8 to 8 */
  int used = 0;
  char expect[128];
  snprintf(expect, sizeof expect, "expected \"tensor %s %u %u\"", ti->name, ti->rows, ti->cols);
  if (!line || sscanf(line, "tensor %63s %llu %llu %n", name, &wide_rows, &wide_cols, &used) != 3 ||
      line[used] || strcmp(name, ti->name) != 0 || wide_rows != ti->rows || wide_cols != ti->cols)
    return bad(rd, expect);
  unsigned rows = ti->rows, cols = ti->cols;
  ssa_real *p = net->param + ti->offset;
  for (unsigned r = 0; r < rows; r++) {
    line = next_line(rd);
    if (!line) return bad(rd, "unexpected end of file inside a tensor");
    char *cursor = line;
    for (unsigned c = 0; c < cols; c++) {
      char *end;
      errno = 0;
      double x = strtod(cursor, &end);
      if (end == cursor) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s row %u has %u values, expected %u", ti->name, r, c, cols);
        return bad(rd, msg);
      }
      if (errno == ERANGE || !isfinite(x)) return bad(rd, "value not a finite number");
      /* the range of float, what the tool runs in (train/real.h), whatever ssa_real is here */
      if (fabs(x) > FLT_MAX) return bad(rd, "value beyond the float range (3.4e38)");
      if (*end != '\0' && *end != ' ' && *end != '\t' && *end != '\r') {
        char msg[128];
        snprintf(msg, sizeof msg, "%s row %u value %u is not a number (values are separated "
                 "by spaces)", ti->name, r, c);
        return bad(rd, msg);
      }
      p[(size_t)r * cols + c] = (ssa_real)x;
      cursor = end;
    }
    cursor += strspn(cursor, " \t\r");
    if (*cursor) {
      char msg[96];
      snprintf(msg, sizeof msg, "%s row %u has more than %u values", ti->name, r, cols);
      return bad(rd, msg);
    }
  }
  return 0;
}

int ssa_net_load(ssa_net *net, const char *path, ssa_error *err) {
  memset(net, 0, sizeof *net);
  reader rd = {path, NULL, NULL, 0, err};
  size_t len;
  if (ssa_read_file(path, &rd.text, &len, err) != 0) return -1;
  if (strlen(rd.text) != len) {
    free(rd.text);
    return ssa_fail(err, "%s: not a text file (NUL byte)", path);
  }
  rd.next = rd.text;
  ssa_net_shape shape;
  memset(&shape, 0, sizeof shape);
  int rc = read_header(&rd, &shape);
  if (rc == 0) rc = ssa_net_new(net, &shape, err);
  for (unsigned k = 0; rc == 0 && k < SSA_T_COUNT; k++) rc = read_tensor(&rd, net, &net->tensor[k]);
  if (rc == 0) {
    char *line = next_line(&rd);
    if (!line || strcmp(line, "end") != 0) rc = bad(&rd, "expected \"end\"");
    else if (next_line(&rd)) rc = bad(&rd, "text after \"end\"");
  }
  free(rd.text);
  if (rc != 0) ssa_net_free(net);
  return rc;
}
