/* frontier_write.h -- the randomness frontier of a report (report.h, ssa_frontier_point) in
 * each of the report's forms; report_write.c puts them into its files. */
#ifndef SSA_FRONTIER_WRITE_H
#define SSA_FRONTIER_WRITE_H

#include <stdio.h>

#include "../common/text.h"
#include "report.h"

/* The "Randomness frontier" section of report.md. */
void ssa_frontier_markdown(ssa_text *t, const ssa_report *r);
/* frontier.csv: one line per plan and size. */
void ssa_frontier_csv(ssa_text *t, const ssa_report *r);
/* The "frontier" member of report.json, with its trailing comma. */
void ssa_frontier_json(FILE *f, const ssa_report *r);
/* Whether any plan has an accuracy and a composed energy: a point for frontier.png. */
int ssa_frontier_has_accuracy(const ssa_report *r);
/* frontier.dat and the lines of plot.gp that draw frontier.png from it. */
void ssa_frontier_plot(ssa_text *data, ssa_text *script, const ssa_report *r);

#endif
