/* net.h -- the small Spikformer-style classifier trained on Fashion-MNIST: its shape, its
 * parameters, and one run of it (forward and backward on one image).
 *
 * A 28x28 image is cut into N = 16 patches of 7x7 (the tokens). Per time step t:
 *
 *   X   = act(P W_e + b_e + pos)            patch embedding (constant input: direct coding)
 *   Q,K,V = act(X W_q + b_q), ...           three projections
 *   O   = attention(Q, K, V)                SC block, exact spiking block, or softmax (ANN)
 *   Y   = X + act(O W_o + b_o)              projection and residual
 *   Z   = Y + act(act(Y W_1 + b_1) W_2 + b_2)   MLP and residual
 *
 * features = mean of Z over tokens and steps, logits = features W_c + b_c. act is a LIF
 * neuron (layers.h) in the spiking networks and ReLU in the ANN, which runs one step. The
 * attention of the spiking networks is the golden model itself (golden/attention.h,
 * golden/exact_attention.h): the network computes exactly what the generated RTL computes. */
#ifndef SSA_NET_H
#define SSA_NET_H

#include <stddef.h>
#include <stdint.h>

#include "../common/error.h"
#include "../core/plan.h"
#include "../golden/exact_attention.h"
#include "../golden/lif.h"
#include "../core/spikefile.h"
#include "layers.h"

#define SSA_NET_SIDE 28u
#define SSA_NET_PATCH 7u
#define SSA_NET_TOKENS 16u        /* (28 / 7)^2 */
#define SSA_NET_PATCH_PIXELS 49u  /* 7 * 7 */
#define SSA_NET_CLASSES 10u
#define SSA_NET_MAX_STEPS 64u

enum ssa_net_model { SSA_NET_ANN, SSA_NET_SNN_EXACT, SSA_NET_SNN_SC };
/* What computes O: `ann` (softmax, the ANN only), `exact` or `sc` (spiking networks), or
 * `none` (O = 0, any network: the ablation that shows what the attention contributes). */
enum ssa_net_attention {
  SSA_NET_ATTENTION_ANN, SSA_NET_ATTENTION_EXACT, SSA_NET_ATTENTION_SC, SSA_NET_ATTENTION_NONE
};

typedef struct ssa_net_shape {
  enum ssa_net_model model;
  unsigned embed;        /* E */
  unsigned heads;        /* H; D = E / H, a power of two */
  unsigned hidden;       /* MLP width F */
  unsigned steps;        /* T the network was trained with (1 for the ANN) */
  enum ssa_share share;  /* SC attention's share mode in training */
  enum ssa_random random;  /* and where its random numbers come from (core/plan.h) */
  unsigned scale_shift;  /* exact attention's s: current (Q K^T V) 2^-s, threshold 0.5 */
  uint64_t attention_seed;  /* the SC block's master seed (its plan) */
  double lif_beta;          /* the trainable layers' LIF leak: v decays by beta per step */
  enum ssa_lif_reset lif_reset;  /* and their reset (zero or subtract the threshold) */
} ssa_net_shape;

/* E = 64, H = 4, F = 128, T = 10, share unit, s = 3, seed 1, LIF beta 1 with subtract reset
 * (an integrate-and-fire neuron: its rate follows its input most closely). */
void ssa_net_shape_default(ssa_net_shape *s, enum ssa_net_model model);
/* One line naming the option on a bad value ("--embed 24: E / H = 12 is not a power of two"). */
int ssa_net_shape_check(const ssa_net_shape *s, ssa_error *err);

const char *ssa_net_model_name(enum ssa_net_model m);  /* ann, snn-exact, snn-sc */
int ssa_net_model_parse(const char *text, enum ssa_net_model *out);
const char *ssa_net_attention_name(enum ssa_net_attention a);  /* ann, exact, sc, none */
int ssa_net_attention_parse(const char *text, enum ssa_net_attention *out);
/* The attention a model was trained with. */
enum ssa_net_attention ssa_net_model_attention(enum ssa_net_model m);

/* The parameter tensors, in file order. */
enum ssa_net_tensor {
  SSA_T_PATCH_W, SSA_T_PATCH_B, SSA_T_POS,
  SSA_T_Q_W, SSA_T_Q_B, SSA_T_K_W, SSA_T_K_B, SSA_T_V_W, SSA_T_V_B,
  SSA_T_O_W, SSA_T_O_B, SSA_T_MLP1_W, SSA_T_MLP1_B, SSA_T_MLP2_W, SSA_T_MLP2_B,
  SSA_T_HEAD_W, SSA_T_HEAD_B,
  SSA_T_COUNT
};

typedef struct ssa_net_tensor_info {
  const char *name;   /* "q.weight" */
  unsigned rows, cols;
  size_t offset;      /* into the flat parameter array */
} ssa_net_tensor_info;

typedef struct ssa_net {
  ssa_net_shape shape;
  ssa_net_tensor_info tensor[SSA_T_COUNT];
  size_t count;      /* parameters in all */
  ssa_real *param;   /* count values, tensors at their offsets */
} ssa_net;

/* Allocates the parameters of a checked shape, all zero. */
int ssa_net_new(ssa_net *net, const ssa_net_shape *shape, ssa_error *err);
void ssa_net_free(ssa_net *net);
/* Uniform +-sqrt(3 / fan-in) weights (unit variance per output for unit inputs), zero biases
 * and small position embeddings, from a seeded splitmix64 stream. */
void ssa_net_init_random(ssa_net *net, uint64_t seed);
static inline ssa_real *ssa_net_tensor(const ssa_net *net, ssa_real *flat,
                                       enum ssa_net_tensor t) {
  return flat + net->tensor[t].offset;
}

/* How one run evaluates the network. */
typedef struct ssa_net_run_opts {
  enum ssa_net_attention attention;
  enum ssa_share share;  /* SC attention */
  enum ssa_random random;
  unsigned steps;        /* T; 1 for the ANN */
  int smooth;            /* tests: expectation attention and logistic spikes (differentiable) */
  int train;             /* keep what backward needs */
} ssa_net_run_opts;

/* The model's own attention, share mode and steps; smooth and train off. */
void ssa_net_run_opts_default(ssa_net_run_opts *o, const ssa_net *net);

typedef struct ssa_net_run ssa_net_run;

int ssa_net_run_new(const ssa_net *net, const ssa_net_run_opts *opts, ssa_net_run **out,
                    ssa_error *err);
void ssa_net_run_free(ssa_net_run *r);
/* The 16 patches of an image, pixels scaled to [0, 1]: N x 49. */
void ssa_net_patches(const uint8_t *pixels, ssa_real *patches);
/* Forward pass on N x 49 patches; logits gets 10 values. The SC block is reset first, so
 * that an image's result does not depend on what ran before it. */
void ssa_net_forward(ssa_net_run *r, const ssa_real *patches, ssa_real *logits);
/* After ssa_net_forward with opts.train: adds dL/dparam for dL/dlogits into grad (a flat
 * array laid out as net->param). */
void ssa_net_backward(ssa_net_run *r, const ssa_real *dlogits, ssa_real *grad);
/* The spikes the last forward fed the attention block (blocks "QKV") and got from it ("O"),
 * one entry per step; spiking networks only. The caller frees them. */
int ssa_net_run_attention_trace(const ssa_net_run *r, ssa_spike_steps *qkv, ssa_spike_steps *o,
                                ssa_error *err);
/* What the last forward of the ANN fed its attention and got from it, each N x E row-major
 * (value (i, c) at i*E + c): Q, K and V after their ReLU, and O = softmax(Q K^T / sqrt(D)) V
 * per head (layers.h), before the output projection. The ANN only (it runs one step); this is
 * what `ssa capture` quantises into the int8 ANN attention's stimulus. */
int ssa_net_run_ann_qkv(const ssa_net_run *r, ssa_real *q, ssa_real *k, ssa_real *v, ssa_real *o,
                        ssa_error *err);
/* Replaces the attention's output by o (blocks "O", at least steps steps) in later forwards:
 * the network then runs on spikes another engine produced. NULL goes back to the block. */
void ssa_net_run_override_attention(ssa_net_run *r, const ssa_spike_steps *o);
/* The SC block's parameters for this network (tokens, D, H, share, random source, seed): what
 * `ssa gen attention` must be given to produce the RTL the network runs. */
void ssa_net_attention_params(const ssa_net *net, enum ssa_share share, enum ssa_random random,
                              ssa_attention_params *p);
/* argmax of the logits (the lowest index on ties). */
unsigned ssa_net_predict(const ssa_real *logits);

#endif
