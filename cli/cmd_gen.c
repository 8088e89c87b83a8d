/* cmd_gen.c -- `ssa gen attention`: RTL, self-checking testbench with golden vectors, GTKWave
 * save file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/outfile.h"
#include "../kinds/kinds.h"
#include "../sim/gtkw.h"
#include "../common/args.h"
#include "commands.h"
#include "../gen/emit_testbench.h"

static const char gen_help[] =
    "usage: ssa gen attention [design options] [--out DIR]\n"
    "       ssa gen encoder|lif|linear ... (see ssa gen KIND --help)\n"
    "\n"
    "Writes into DIR (default: the current directory, created if missing):\n"
    "  ssa_attention.v            the block (top module ssa_attention), Verilog-2005\n"
    "  ssa_lfsr.v, ssa_popcount.v the primitives it instantiates (popcount for --reduce count)\n"
    "  tb_ssa_attention.v         self-checking testbench (run it with Icarus, see its header)\n"
    "  ssa_attention_in.hex       16 steps of rate-0.5 input spikes from the seed\n"
    "  ssa_attention_expected.hex the golden model's outputs for them, every clock\n"
    "  ssa_attention.gtkw         GTKWave save file for the testbench's ssa_attention.fst\n"
    "The same arguments always give byte-identical files; nothing is written on an error.\n"
    "\n";

static char *dir_join(const char *dir, const char *name) {
  size_t len = strlen(dir) + strlen(name) + 2;
  char *p = malloc(len);
  if (p != NULL) snprintf(p, len, "%s/%s", dir, name);
  return p;
}

static int add_text(ssa_outset *set, const char *dir, const char *name, const char *text,
                    size_t len, ssa_error *err) {
  char *path = dir_join(dir, name);
  if (path == NULL) return ssa_fail(err, "out of memory");
  int rc = ssa_outset_add(set, path, text, len, err);
  free(path);
  return rc;
}

static int add_stream(ssa_outset *set, const char *dir, const char *name, const ssa_vectors *v,
                      const uint64_t *rows, int inputs, ssa_error *err) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (f == NULL) return ssa_fail(err, "out of memory");
  ssa_vectors_write_hex(f, v, rows, inputs);
  fclose(f);
  int rc = add_text(set, dir, name, text, len, err);
  free(text);
  return rc;
}

int ssa_write_attention_files(const ssa_attention_run *r, const char *dir, ssa_error *err) {
  return ssa_write_design_files(&r->design, &r->vectors, dir, err);
}

int ssa_write_design_files(const ssa_design *d, const ssa_vectors *v, const char *dir,
                           ssa_error *err) {
  if (ssa_cli_make_dir(dir, err) != 0) return -1;
  ssa_outset set;
  ssa_outset_init(&set);
  char tb_name[128], in_name[128], exp_name[128], fst[160], gtkw[160];
  ssa_testbench_names(d, tb_name, in_name, exp_name, sizeof tb_name);
  for (unsigned k = 0; k < d->file_count; k++)
    if (add_text(&set, dir, d->files[k].name, d->files[k].text, d->files[k].len, err) != 0) goto fail;
  size_t tb_len = 0;
  char *tb = ssa_emit_testbench(d, &tb_len);
  if (tb == NULL) {
    ssa_fail(err, "out of memory");
    goto fail;
  }
  int rc = add_text(&set, dir, tb_name, tb, tb_len, err);
  free(tb);
  if (rc != 0) goto fail;
  if (add_stream(&set, dir, in_name, v, v->in, 1, err) != 0) goto fail;
  if (add_stream(&set, dir, exp_name, v, v->expected, 0, err) != 0) goto fail;
  /* the save file names the waveform the testbench writes with +fst=<top>.fst */
  snprintf(fst, sizeof fst, "%s.fst", d->top);
  snprintf(gtkw, sizeof gtkw, "%s.gtkw", d->top);
  char scope[96], comment[400];
  snprintf(scope, sizeof scope, "tb_%s.dut", d->top);
  snprintf(comment, sizeof comment, "waveform of the testbench: vvp -n %s.vvp -fst +fst=%s", d->top, fst);
  /* the testbench records in 1 ps steps, 10 ns per clock */
  ssa_gtkw g = {fst, scope, -1, 10000LL * v->cycles, comment, NULL};
  size_t gtkw_len = 0;
  char *gtkw_text = ssa_gtkw_render(d, &g, &gtkw_len);
  if (gtkw_text == NULL) {
    ssa_fail(err, "out of memory");
    goto fail;
  }
  rc = add_text(&set, dir, gtkw, gtkw_text, gtkw_len, err);
  free(gtkw_text);
  if (rc != 0) goto fail;
  return ssa_outset_commit(&set, err);
fail:
  ssa_outset_abort(&set);
  return -1;
}

int ssa_cmd_gen(int argc, char **argv) {
  ssa_error err;
  if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
    printf("%s%s", gen_help, ssa_attention_options_help);
    return argc < 1 ? SSA_EXIT_USAGE : SSA_EXIT_OK;
  }
  if (strcmp(argv[0], "attention") != 0) return ssa_cmd_gen_kind(argc, argv);
  ssa_attention_params p;
  ssa_attention_params_default(&p);
  const char *dir = ".";
  ssa_cli c;
  ssa_cli_init(&c, argc - 1, argv + 1, "gen attention");
  for (const char *opt; (opt = ssa_cli_next(&c)) != NULL;) {
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      printf("%s%s", gen_help, ssa_attention_options_help);
      return SSA_EXIT_OK;
    }
    int handled = ssa_cli_attention_option(&c, opt, &p, &err);
    if (handled == 0 && strcmp(opt, "--out") == 0) handled = ssa_cli_value(&c, opt, &dir, &err) == 0 ? 1 : -1;
    if (handled == 0) ssa_cli_unknown(&c, opt, &err);
    if (handled <= 0) {
      fprintf(stderr, "ssa: %s\n", err.msg);
      return SSA_EXIT_USAGE;
    }
  }
  ssa_spike_steps stimulus;
  ssa_attention_run run;
  if (ssa_attention_params_check(&p, &err) != 0 ||
      ssa_attention_random_input(&p, SSA_GEN_TB_STEPS, SSA_GEN_TB_RATE, &stimulus, &err) != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  int rc = ssa_attention_run_init(&run, &p, &stimulus, SSA_GEN_TB_STEPS, &err);
  ssa_spike_steps_free(&stimulus);
  if (rc != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_USAGE;
  }
  rc = ssa_write_attention_files(&run, dir, &err);
  ssa_attention_run_free(&run);
  if (rc != 0) {
    fprintf(stderr, "ssa: %s\n", err.msg);
    return SSA_EXIT_FAIL;
  }
  return SSA_EXIT_OK;
}
