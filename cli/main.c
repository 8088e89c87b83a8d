/* main.c -- the `ssa` program: dispatches git-style subcommands. */
#include <stdio.h>
#include <string.h>

#include "../common/version.h"
#include "../common/args.h"
#include "commands.h"

static const char usage[] =
    "usage: ssa <command> [options]\n"
    "\n"
    "Stochastic spiking attention: generate RTL, co-simulate it against the golden model,\n"
    "synthesize it and estimate its energy.\n"
    "\n"
    "Commands:\n"
    "  gen KIND        write the Verilog of a block and its self-checking testbench\n"
    "  sim KIND        simulate it (golden, verilator or icarus) and check every clock\n"
    "                  KIND: one of the kinds listed by 'ssa gen --help'\n"
    "  weights KIND    write a random weights file for a linear layer or an encoder block\n"
    "  synth KIND      synthesize it with Yosys: cells, transistors, area, iCE40 Fmax\n"
    "  energy KIND     gate-level energy from a simulation of the synthesized netlist\n"
    "  compose KIND    energy and area composed from measured parts, at any size\n"
    "  report          the SC attention against the exact spiking and the int8 ANN attention:\n"
    "                  area, energy, memory access, latency, and the published claims\n"
    "  train           train the Fashion-MNIST spiking Transformer (ann, snn-exact, snn-sc)\n"
    "  eval            its test-set accuracy with any attention, share mode and step count\n"
    "  accuracy        all three trained networks against T, and their attention as RTL:\n"
    "                  writes docs/accuracy.md\n"
    "  capture         a trained network's attention inputs on test images, as the stimulus\n"
    "                  of 'ssa energy KIND --input' and 'ssa sim KIND --input'\n"
    "  sweep           a design-space sweep (plan, run, collect) handed to make, GNU parallel\n"
    "                  or Slurm\n"
    "  demo            run the default attention block and a small encoder block on all three\n"
    "                  engines\n"
    "  help [command]  show help for a command\n"
    "\n"
    "'ssa <command> --help' describes each command. Exit status: 0 success, 1 a check\n"
    "failed, 2 bad usage or bad input.\n";

static int run_command(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage, stderr);
    return SSA_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    if (argc > 2) {
      char *help_argv[] = {"--help", NULL};
      if (strcmp(argv[2], "gen") == 0) return ssa_cmd_gen(1, help_argv);
      if (strcmp(argv[2], "sim") == 0) return ssa_cmd_sim(1, help_argv);
      if (strcmp(argv[2], "demo") == 0) return ssa_cmd_demo(1, help_argv);
      if (strcmp(argv[2], "weights") == 0) return ssa_cmd_weights(1, help_argv);
      if (strcmp(argv[2], "train") == 0) return ssa_cmd_train(1, help_argv);
      if (strcmp(argv[2], "eval") == 0) return ssa_cmd_eval(1, help_argv);
      if (strcmp(argv[2], "accuracy") == 0) return ssa_cmd_accuracy(1, help_argv);
      if (strcmp(argv[2], "capture") == 0) return ssa_cmd_capture(1, help_argv);
      if (strcmp(argv[2], "synth") == 0) return ssa_cmd_synth(1, help_argv);
      if (strcmp(argv[2], "energy") == 0) return ssa_cmd_energy(1, help_argv);
      if (strcmp(argv[2], "compose") == 0) return ssa_cmd_compose(1, help_argv);
      if (strcmp(argv[2], "report") == 0) return ssa_cmd_report(1, help_argv);
      if (strcmp(argv[2], "sweep") == 0) return ssa_cmd_sweep(1, help_argv);
      fprintf(stderr, "ssa: help: unknown command '%s'\n", argv[2]);
      return SSA_EXIT_USAGE;
    }
    fputs(usage, stdout);
    return SSA_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("ssa %s\n", SSA_VERSION);
    return SSA_EXIT_OK;
  }
  if (strcmp(cmd, "gen") == 0) return ssa_cmd_gen(argc - 2, argv + 2);
  if (strcmp(cmd, "sim") == 0) return ssa_cmd_sim(argc - 2, argv + 2);
  if (strcmp(cmd, "demo") == 0) return ssa_cmd_demo(argc - 2, argv + 2);
  if (strcmp(cmd, "weights") == 0) return ssa_cmd_weights(argc - 2, argv + 2);
  if (strcmp(cmd, "train") == 0) return ssa_cmd_train(argc - 2, argv + 2);
  if (strcmp(cmd, "eval") == 0) return ssa_cmd_eval(argc - 2, argv + 2);
  if (strcmp(cmd, "accuracy") == 0) return ssa_cmd_accuracy(argc - 2, argv + 2);
  if (strcmp(cmd, "capture") == 0) return ssa_cmd_capture(argc - 2, argv + 2);
  if (strcmp(cmd, "synth") == 0) return ssa_cmd_synth(argc - 2, argv + 2);
  if (strcmp(cmd, "energy") == 0) return ssa_cmd_energy(argc - 2, argv + 2);
  if (strcmp(cmd, "compose") == 0) return ssa_cmd_compose(argc - 2, argv + 2);
  if (strcmp(cmd, "report") == 0) return ssa_cmd_report(argc - 2, argv + 2);
  if (strcmp(cmd, "sweep") == 0) return ssa_cmd_sweep(argc - 2, argv + 2);
  fprintf(stderr, "ssa: unknown command '%s' (see 'ssa help')\n", cmd);
  return SSA_EXIT_USAGE;
}

/* Every command's printed results go to standard output: a write that failed there (a full
 * disk, /dev/full, a closed pipe) fails the command, whichever it was. */
int main(int argc, char **argv) {
  int status = run_command(argc, argv);
  if ((fflush(stdout) != 0 || ferror(stdout)) && status == SSA_EXIT_OK) {
    fprintf(stderr, "ssa: standard output: write failed\n");
    status = SSA_EXIT_FAIL;
  }
  return status;
}
