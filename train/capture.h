/* capture.h -- what a trained network's attention receives on real images, as the stimulus of
 * the kind that runs that attention in hardware (`ssa capture`): the energy of a design
 * depends on its input activity, and i.i.d. spikes at rate 0.5 are not what a trained network
 * feeds it.
 *
 * Spiking networks: Q, K and V spikes per step, images one after another (K images of T steps
 * are K*T steps), for the `attention` (snn-sc) or `exact-attention` (snn-exact) kind.
 *
 * The ANN: its float Q, K, V (ReLU outputs, >= 0) and attention output O, quantised to the
 * int8 stimulus of the `ann-attention` kind (core/ann_params.h), one step per image.
 * Symmetric per-tensor scales over the captured images (real value = integer x scale):
 *   s_k = max|K| / 127, s_v = max|V| / 127, and for Q: the hardware's exponent is
 *   2^(-x/16) with x = (max_j S - S) >> Z, so one score LSB is 2^-(Z+4) in log2 units, while
 *   the float softmax needs S_float log2(e) / sqrt(D) = S_int s_q s_k log2(e) / sqrt(D) there.
 *   Z is the largest shift (0 .. 24) with 2^-(Z+4) >= (max|Q| / 127) s_k log2(e) / sqrt(D), and
 *   s_q = 2^-(Z+4) sqrt(D) / (s_k log2(e)) makes the two equal exactly: s_q is at least
 *   max|Q| / 127 (Q never clips) and below twice it (Q's integers reach above 63).
 * The check: the golden model (golden/ann_attention.h, softmax int, Y = 8, so that O_int
 * approximates sum_j softmax_ij V_int[j]) on those integers, O_int s_v against the float O. */
#ifndef SSA_CAPTURE_H
#define SSA_CAPTURE_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "../common/error.h"
#include "../core/spikefile.h"
#include "fmnist.h"
#include "net.h"

/* Test images [0, images) through a spiking network run for `steps` steps with its own
 * attention: qkv gets images * steps steps of blocks "QKV", N x E each (ssa_spike_steps_free).
 * -1 (err) for the ANN, steps outside 1 .. SSA_NET_MAX_STEPS or more images than the set. */
int ssa_capture_spikes(const ssa_net *net, const ssa_dataset *test, unsigned images,
                       unsigned steps, ssa_spike_steps *qkv, ssa_error *err);
/* The kind ("attention" or "exact-attention") and the design options ("--tokens 16 --dim 16
 * --heads 4 ...", every one, as the kind's table writes them) of the attention a spiking
 * network runs: the design its captured spikes are the stimulus of. */
const char *ssa_capture_kind(const ssa_net *net);
int ssa_capture_design_options(const ssa_net *net, char *buf, size_t len, ssa_error *err);

/* The ANN's attention on test images [0, images): N x E values per image and tensor. */
typedef struct ssa_ann_capture {
  unsigned images, tokens, dim, heads;  /* N, D, H; E = H D */
  double *q, *k, *v, *o;                /* images x N x E, value (i, c) at i*E + c */
} ssa_ann_capture;

int ssa_capture_ann(const ssa_net *net, const ssa_dataset *test, unsigned images,
                    ssa_ann_capture *c, ssa_error *err);
void ssa_ann_capture_free(ssa_ann_capture *c);

/* The int8 stimulus of the captured ANN attention and its scales. */
typedef struct ssa_ann_quant {
  double s_q, s_k, s_v;     /* real = integer x scale */
  double s_q_full;          /* max|Q| / 127: the scale that would use Q's whole range */
  unsigned score_shift;     /* Z */
  int q_max;                /* the largest |Q integer|: 127 s_q_full / s_q, rounded */
  int8_t *q, *k, *v;        /* images x N x E */
} ssa_ann_quant;

/* The scales, Z and integers above. -1 (err) when even Z = 0 would need Q to clip (scores so
 * large that one score LSB is more than 2^-4 in log2 units). */
int ssa_ann_quantise(const ssa_ann_capture *c, ssa_ann_quant *q, ssa_error *err);
void ssa_ann_quant_free(ssa_ann_quant *q);
/* q's integers in the ann-attention kind's --input format: one line per image, Q, K, then V,
 * N x E each (value (i, c) at i E + c). */
void ssa_ann_quant_write(FILE *f, const ssa_ann_capture *c, const ssa_ann_quant *q);

/* How far the int8 attention is from the float one. */
typedef struct ssa_ann_error {
  double o_max;        /* max |O_float| over every value of every image */
  double mean, max;    /* mean and max of |O_int s_v - O_float| / o_max */
} ssa_ann_error;

/* The golden ann-attention model with --score-shift `score_shift` (q->score_shift is the right
 * one; others show what a wrong Z costs) on q's integers, against c's float O. */
int ssa_ann_check(const ssa_ann_capture *c, const ssa_ann_quant *q, unsigned score_shift,
                  ssa_ann_error *out, ssa_error *err);

#endif
