/* gnuplot.c -- running gnuplot on a script and its data (see gnuplot.h). */
#include "gnuplot.h"

#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "process.h"

int ssa_gnuplot(const char *dir, const char *what, const ssa_plot_input *inputs,
                unsigned input_count, const char *const *pngs, unsigned png_count,
                ssa_outset *set, ssa_error *err) {
  char tmpdir[4200];
  snprintf(tmpdir, sizeof tmpdir, "%s/.plot-XXXXXX", dir);
  if (ssa_cleanup_mkdtemp(tmpdir) == NULL)
    return ssa_fail(err, "%s: cannot create a directory", dir);
  char path[4400];
  int rc = 0;
  for (unsigned k = 0; rc == 0 && k < input_count; k++) {
    const ssa_text *t = inputs[k].text;
    if (t->failed) rc = ssa_fail(err, "out of memory");
    snprintf(path, sizeof path, "%s/%s", tmpdir, inputs[k].name);
    if (rc == 0) rc = ssa_write_file(path, t->s, t->len, err);
  }
  snprintf(path, sizeof path, "%s/gnuplot.log", tmpdir);
  const char *argv[] = {"gnuplot", "plot.gp", NULL};
  if (rc == 0) rc = ssa_run_tool(what, argv, tmpdir, path, err);
  for (unsigned k = 0; rc == 0 && k < png_count; k++) {
    char *png = NULL, out[4400];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", tmpdir, pngs[k]);
    snprintf(out, sizeof out, "%s/%s", dir, pngs[k]);
    rc = ssa_read_file(path, &png, &len, err);
    if (rc == 0) rc = ssa_outset_add(set, out, png, len, err);
    free(png);
  }
  if (rc == 0) ssa_remove_tree(tmpdir);  /* on failure it stays: the message names its log */
  ssa_cleanup_forget(tmpdir);
  return rc;
}
