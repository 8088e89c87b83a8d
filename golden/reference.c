/* reference.c -- float reference of the normalised attention (see reference.h). */
#include "reference.h"

#include <stdlib.h>

void ssa_reference_attention_add(const ssa_bitmat *q, const ssa_bitmat *k, const ssa_bitmat *v,
                                 unsigned heads, unsigned dim, double *acc) {
  unsigned n = q->rows, e = q->cols;
  double *score = malloc(sizeof *score * n);
  if (score == NULL) return;
  double scale = 1.0 / ((double)n * dim);
  for (unsigned h = 0; h < heads; h++)
    for (unsigned i = 0; i < n; i++) {
      for (unsigned j = 0; j < n; j++) {
        unsigned dot = 0;
        for (unsigned d = 0; d < dim; d++)
          dot += (unsigned)(ssa_bitmat_get(q, i, h * dim + d) & ssa_bitmat_get(k, j, h * dim + d));
        score[j] = dot;
      }
      for (unsigned d = 0; d < dim; d++) {
        double sum = 0;
        for (unsigned j = 0; j < n; j++)
          if (ssa_bitmat_get(v, j, h * dim + d)) sum += score[j];
        acc[(size_t)i * e + h * dim + d] += sum * scale;
      }
    }
  free(score);
}
