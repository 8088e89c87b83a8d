/* design_files.c -- what `ssa gen KIND` writes: a design's Verilog, its self-checking testbench
 * with golden vectors and a GTKWave save file, all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/outfile.h"
#include "../kinds/kinds.h"
#include "../sim/gtkw.h"
#include "../common/args.h"
#include "commands.h"
#include "../gen/emit_testbench.h"

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

int ssa_write_design_files(const ssa_design *d, const ssa_vectors *v, const char *dir,
                           ssa_error *err) {
  /* a directory this call makes is removed again on failure: nothing is written */
  struct stat st;
  int made = stat(dir, &st) != 0;
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
  if (ssa_outset_commit(&set, err) == 0) return 0;
  goto remove_dir;  /* the commit aborted what it did not rename */
fail:
  ssa_outset_abort(&set);
remove_dir:
  if (made) rmdir(dir);
  return -1;
}
