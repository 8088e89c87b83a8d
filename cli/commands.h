/* commands.h -- the subcommands of `ssa`, each `int main`-like: returns the exit status and
 * prints its own one-line error ("ssa: ...") on stderr. */
#ifndef SSA_COMMANDS_H
#define SSA_COMMANDS_H

#include "../common/error.h"
#include "../sim/vectors.h"

int ssa_cmd_gen(int argc, char **argv);
int ssa_cmd_sim(int argc, char **argv);
int ssa_cmd_demo(int argc, char **argv);
int ssa_cmd_weights(int argc, char **argv);
int ssa_cmd_synth(int argc, char **argv);
int ssa_cmd_energy(int argc, char **argv);
int ssa_cmd_compose(int argc, char **argv);
int ssa_cmd_report(int argc, char **argv);
int ssa_cmd_train(int argc, char **argv);
int ssa_cmd_eval(int argc, char **argv);
int ssa_cmd_accuracy(int argc, char **argv);
int ssa_cmd_capture(int argc, char **argv);
int ssa_cmd_sweep(int argc, char **argv);
/* The encoder-block half of the demo: 0 the engines agree, 1 they do not, -1 error (err). */
int ssa_demo_block(const char *dir, const char *cache, int verbose, ssa_error *err);

/* Writes the design files, the self-checking testbench with the vectors, and a GTKWave save
 * file for the testbench's waveform into dir, all or nothing. */
int ssa_write_design_files(const ssa_design *d, const ssa_vectors *v, const char *dir,
                           ssa_error *err);


/* Steps and rate of the testbench vectors that `ssa gen` writes. */
#define SSA_GEN_TB_STEPS 16u
#define SSA_GEN_TB_RATE 0.5

#endif
