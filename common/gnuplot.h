/* gnuplot.h -- PNG plots drawn by gnuplot, for the pages `ssa report` and `ssa accuracy` write:
 * the script and its data go to a scratch directory, gnuplot runs there, and the PNGs join the
 * caller's set of output files (common/outfile.h). */
#ifndef SSA_GNUPLOT_H
#define SSA_GNUPLOT_H

#include "error.h"
#include "outfile.h"
#include "text.h"

/* A file gnuplot reads: its name in the scratch directory and its text. */
typedef struct ssa_plot_input {
  const char *name;
  const ssa_text *text;
} ssa_plot_input;

/* Writes the inputs, the script "plot.gp" among them, into a new directory DIR/.plot-XXXXXX,
 * runs `gnuplot plot.gp` there (its output in gnuplot.log; `what`, e.g. "report: gnuplot",
 * names the run in a failure) and adds each of the PNGs the script draws to `set` as DIR/NAME.
 * The directory is removed on success; on failure it stays, with the log the message names. */
int ssa_gnuplot(const char *dir, const char *what, const ssa_plot_input *inputs,
                unsigned input_count, const char *const *pngs, unsigned png_count,
                ssa_outset *set, ssa_error *err);

#endif
