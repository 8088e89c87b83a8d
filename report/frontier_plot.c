/* frontier_plot.c -- frontier.png of a report: its data and the lines of plot.gp that draw it
 * (frontier_write.h). On its own so that tests/test_report.c runs the script through gnuplot
 * without the rest of the report. */
#include <stdio.h>

#include "frontier_write.h"

void ssa_frontier_plot(ssa_text *data, ssa_text *script, const ssa_report *r) {
  const ssa_report_config *c = &r->config;
  for (unsigned k = 0; k < SSA_FRONTIER_POINTS; k++) {
    const ssa_frontier_point *p = &r->frontier[k];
    if (p->accuracy < 0 || p->size[1].basis == SSA_BASIS_NONE) continue;
    ssa_text_printf(data, "%.4f %.6g %d %d %d\n", 100 * p->accuracy, p->size[1].pj, (int)p->random,
                    (int)p->share, p->trained);
  }
  /* No text labels: the plans crowd at 85 to 88 %, where labels fell on each other. The colour
   * is the source, the shape the share mode (open +1 = filled, gnuplot's point types), each in
   * the key. reset: the energy and area plots before it in the same script set a log x axis
   * and ranges. The title on three lines: one line of it was wider than the picture. */
  ssa_text_printf(script, "reset\nset terminal pngcairo size 1000,650 font ',10'\n"
                  "set output 'frontier.png'\n"
                  "set title \"Randomness plans: energy per attention against test accuracy\\n"
                  "N = %u, D = %u, composed at size, %s\\nfilled: trained in the plan; open: the "
                  "lfsr unit network run in it; packed equals lfsr in the row modes (one mark)\"\n"
                  "set xlabel 'Fashion-MNIST test accuracy (%%)'\n"
                  "set ylabel 'pJ per attention'\nset logscale y\nset grid\n"
                  "set key outside right top Left reverse\nset offsets 2, 2, 0, 0\n"
                  "plot for [r=0:3] 'frontier.dat' using 1:($3 == r ? $2 : 1/0):(($4 == 0 ? 6 : "
                  "$4 == 1 ? 4 : $4 == 2 ? 8 : 12) + $5) with points pt variable ps 1.8 lw 1.5 "
                  "lc r + 1 notitle, \\\n"
                  "  for [r=0:3] keyentry with points pt 7 ps 1.5 lc r + 1 title "
                  "word('%s %s %s %s', r + 1), \\\n"
                  "  keyentry with points pt 7 ps 1.5 lc rgb 'black' title '%s', "
                  "keyentry with points pt 5 ps 1.5 lc rgb 'black' title '%s', \\\n"
                  "  keyentry with points pt 9 ps 1.5 lc rgb 'black' title '%s', "
                  "keyentry with points pt 13 ps 1.5 lc rgb 'black' title '%s'\n",
                  c->frontier_compose[0], c->frontier_compose[1], r->library, ssa_random_names[0],
                  ssa_random_names[1], ssa_random_names[2], ssa_random_names[3],
                  ssa_share_names[0], ssa_share_names[1], ssa_share_names[2], ssa_share_names[3]);
}
