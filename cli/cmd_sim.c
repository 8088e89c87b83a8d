/* cmd_sim.c -- `ssa sim KIND`: run one engine on a stimulus and check it against the golden
 * model on every clock (cmd_kind.c does the work for every kind). */
#include <stdio.h>
#include <string.h>

#include "../common/args.h"
#include "commands.h"

int ssa_cmd_sim(int argc, char **argv) {
  if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
    ssa_print_kinds_help("sim", "[design options] (--input FILE | --rate P) [options]",
                         "Simulates the design on one engine (golden, verilator, icarus) and compares\n"
                         "every output bit of every clock with the golden model.");
    return argc < 1 ? SSA_EXIT_USAGE : SSA_EXIT_OK;
  }
  return ssa_cmd_sim_kind(argc, argv);
}
