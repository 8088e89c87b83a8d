/* kinds.c -- the table of stepped kinds and their shared helpers (see kinds.h). */
#include "kinds.h"

#include <stdlib.h>
#include <string.h>

static const ssa_kind *const kinds[] = {&ssa_kind_encoder, &ssa_kind_lif, &ssa_kind_linear,
                                        &ssa_kind_exact_attention, &ssa_kind_block};

const ssa_kind *ssa_kind_find(const char *name) {
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
    if (strcmp(kinds[k]->name, name) == 0) return kinds[k];
  return NULL;
}

const char *ssa_kind_names(void) { return "attention, encoder, exact-attention, lif, linear, block"; }

int ssa_kind_resolve_steps(const char *path, unsigned file_steps, unsigned requested,
                           unsigned *steps, ssa_error *err) {
  if (file_steps > 1 && requested != 0 && requested != file_steps)
    return ssa_fail(err, "--steps %u: %s has %u steps (a single-step file is held for any number "
                    "of steps)", requested, path, file_steps);
  *steps = file_steps > 1 ? file_steps : requested != 0 ? requested : SSA_KIND_DEFAULT_STEPS;
  return 0;
}

const char ssa_lif_options_help[] =
    "  --width W         membrane bits, signed (default 16, 2 to 32)\n"
    "  --leak-shift L    leak u >>> L per step, beta = 1 - 2^-L (default 1, 0 to W-1)\n"
    "  --threshold TH    spike when u >= TH (default 64, 1 to 2^(W-1) - 1)\n"
    "  --reset R         zero (u <- 0) or subtract (u <- u - TH) after a spike (default zero)\n";

int ssa_cli_lif_option(ssa_cli *c, const char *opt, ssa_lif_params *p, ssa_error *err) {
  static const char *const names[] = {"--width", "--leak-shift", "--threshold", "--reset", NULL};
  int known = 0;
  for (const char *const *n = names; *n != NULL; n++) known |= strcmp(opt, *n) == 0;
  if (!known) return 0;
  const char *v;
  if (ssa_cli_value(c, opt, &v, err) != 0) return -1;
  if (strcmp(opt, "--reset") == 0) {
    if (ssa_lif_reset_parse(v, &p->reset) != 0)
      return ssa_fail(err, "--reset %s: must be zero or subtract", v);
    return 1;
  }
  unsigned long long n;
  if (ssa_parse_unsigned(opt, v, 0x7fffffffu, &n, err) != 0) return -1;
  if (strcmp(opt, "--width") == 0) p->width = (unsigned)n;
  else if (strcmp(opt, "--leak-shift") == 0) p->leak_shift = (unsigned)n;
  else p->threshold = (int64_t)n;
  return 1;
}

void ssa_lif_options(const ssa_lif_params *p, char *buf, size_t len) {
  snprintf(buf, len, "--width %u --leak-shift %u --threshold %lld --reset %s", p->width,
           p->leak_shift, (long long)p->threshold, ssa_lif_reset_name(p->reset));
}

int ssa_cli_seed_option(ssa_cli *c, const char *opt, unsigned *prng_width, uint64_t *seed,
                        ssa_error *err) {
  if (strcmp(opt, "--prng-width") != 0 && strcmp(opt, "--seed") != 0) return 0;
  const char *v;
  unsigned long long n;
  if (ssa_cli_value(c, opt, &v, err) != 0) return -1;
  if (strcmp(opt, "--seed") == 0) {
    if (ssa_parse_unsigned(opt, v, ~0ull, &n, err) != 0) return -1;
    *seed = n;
  } else {
    if (ssa_parse_unsigned(opt, v, 64, &n, err) != 0) return -1;
    *prng_width = (unsigned)n;
  }
  return 1;
}

void ssa_write_step_spikes(FILE *f, const ssa_step_data *s, unsigned port, unsigned rows,
                           unsigned cols, int summary, int step_headers, char block,
                           const char *comment) {
  if (comment != NULL && !summary) {
    const char *line = comment;
    while (*line != '\0') {
      const char *end = strchr(line, '\n');
      size_t n = end == NULL ? strlen(line) : (size_t)(end - line);
      fprintf(f, "# %.*s\n", (int)n, line);
      line += n + (end != NULL);
    }
  }
  if (summary) {
    for (unsigned r = 0; r < rows; r++)
      for (unsigned c = 0; c < cols; c++) {
        unsigned count = 0;
        for (unsigned t = 0; t < s->steps; t++)
          count += (unsigned)ssa_words_bit(ssa_step_out(s, t, port), (size_t)r * cols + c);
        fprintf(f, c + 1 < cols ? "%u " : "%u\n", count);
      }
    return;
  }
  for (unsigned t = 0; t < s->steps; t++) {
    if (step_headers) fprintf(f, "step %u\n%c\n", t, block);
    const uint64_t *w = ssa_step_out(s, t, port);
    for (unsigned r = 0; r < rows; r++) {
      for (unsigned c = 0; c < cols; c++) putc(ssa_words_bit(w, (size_t)r * cols + c) ? '1' : '0', f);
      putc('\n', f);
    }
  }
}

int ssa_kind_parse_options(const ssa_kind *k, void *params, const char *options, ssa_error *err) {
  char copy[1024], *argv[64];
  int argc = 0;
  if (snprintf(copy, sizeof copy, "%s", options) >= (int)sizeof copy)
    return ssa_fail(err, "%s: option string too long", k->name);
  for (char *save = NULL, *tok = strtok_r(copy, " ", &save); tok != NULL && argc < 63;
       tok = strtok_r(NULL, " ", &save))
    argv[argc++] = tok;
  argv[argc] = NULL;
  ssa_cli cli;
  char command[64];
  snprintf(command, sizeof command, "gen %s", k->name);
  ssa_cli_init(&cli, argc, argv, command);
  k->defaults(params);
  for (const char *opt; (opt = ssa_cli_next(&cli)) != NULL;) {
    int rc = k->option(&cli, opt, params, err);
    if (rc == 0) return ssa_cli_unknown(&cli, opt, err);
    if (rc < 0) return -1;
  }
  return k->prepare(params, err);
}
