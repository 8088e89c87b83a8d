/* cmd_sweep.c -- `ssa sweep plan|point|run|collect`: design-space sweeps run by make, GNU
 * parallel or Slurm (sweep/sweep.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/args.h"
#include "../sweep/sweep.h"
#include "commands.h"

static void print_help(void) {
  printf(
      "usage: ssa sweep plan KIND --vary OPT=V1,V2,... [--vary ...] [--set OPT=V ...]\n"
      "                 --do 'COMMAND [OPTIONS]' [--do ...] --out DIR\n"
      "       ssa sweep run DIR [--jobs J] [--retry-failed]\n"
      "       ssa sweep collect DIR [--x NAME] [--y NAME] [--log x|y|xy]\n"
      "       ssa sweep point DIR ID -- COMMAND KIND [OPTIONS]   (what the job lines run)\n"
      "\n"
      "A design-space sweep handed to make, GNU parallel or Slurm (docs/sweeps.md).\n"
      "\n"
      "plan      every combination of the --vary values (the first varies slowest), with the\n"
      "          --set options, times every --do command: one point each. Each point's design\n"
      "          options are checked against KIND now. COMMAND is synth, energy or sim with\n"
      "          its own options (not --json or --out: the sweep's), e.g. 'synth --flow\n"
      "          liberty --liberty lib.gz', 'energy --steps 10', 'sim --engine verilator --rate\n"
      "          0.5'. Writes into DIR: sweep.json (the plan), jobs (one shell line per\n"
      "          point), Makefile (a target per point: results/ID.json), slurm.sh (the jobs\n"
      "          as a Slurm array, SLURM_ARRAY_TASK_ID picking the line), results/ and logs/.\n"
      "          Relative paths in options are taken from the current directory. Planning\n"
      "          the same sweep into DIR again changes nothing; another plan is refused.\n"
      "run       make -k -j J in DIR, with a progress line (points done, failed, time left);\n"
      "          points whose result exists are skipped, so a killed run started again\n"
      "          finishes only the missing ones. --retry-failed removes failed results first.\n"
      "          The same job list runs with 'make -C DIR -j J', 'parallel -j J < DIR/jobs'\n"
      "          (--sshloginfile for several machines sharing DIR's file system) or\n"
      "          'sbatch DIR/slurm.sh'.\n"
      "collect   every point's result, in point order, into DIR/sweep.csv (every figure: the\n"
      "          numbers of the command's --json, by path, without run times and per-gate-type\n"
      "          cell counts), DIR/sweep.md (the top-level figures) and DIR/sweep.png (--y\n"
      "          against --x, one line per command and combination of the other varied\n"
      "          options). Failed points keep their error, missing ones are marked. --x and\n"
      "          --y name a varied option or a figure (a column of sweep.csv); defaults: the\n"
      "          first varied option, and area_um2 or the first figure.\n"
      "point     runs one point's command, output in DIR/logs/ID.log, and writes\n"
      "          DIR/results/ID.json whole: status ok with the figures, or failed with its\n"
      "          exit status and error line. A failed point exits 0 (the runner goes on); a\n"
      "          point already done is skipped.\n"
      "\n"
      "Options:\n"
      "  --vary OPT=V1,V2  a design option of KIND (with or without '--') and its values\n"
      "  --set OPT=V       a design option fixed for every point\n"
      "  --do CMD          a command run at every design point (quoted: one argument)\n"
      "  --out DIR         the job directory (created if missing)\n"
      "  --jobs J          points at once (default: one per processor)\n"
      "  --retry-failed    run: run the failed points again\n"
      "  --x NAME, --y NAME  collect: the plot's axes\n"
      "  --log x|y|xy      collect: logarithmic axes (x in powers of two; not for a word-valued\n"
      "                    option)\n"
      "Paths and values may hold only letters, digits and . _ / + - , : = @ %% ~ ^: they go\n"
      "into shell, make and Slurm lines unquoted.\n"
      "\n"
      "Exit status: 0 done (run: every point ok), 1 run: a point failed or is missing,\n"
      "2 bad usage or input.\n");
}

/* The path of this ssa binary, for the job lines (and the points' commands). */
static int self_path(char *buf, size_t len, ssa_error *err) {
  ssize_t n = readlink("/proc/self/exe", buf, len - 1);
  if (n < 0 || (size_t)n >= len - 1) return ssa_fail(err, "sweep: cannot find the ssa binary");
  buf[n] = '\0';
  return 0;
}

static int usage_error(const ssa_error *err) {
  fprintf(stderr, "ssa: %s\n", err->msg);
  return SSA_EXIT_USAGE;
}

static int cmd_plan(int argc, char **argv) {
  ssa_sweep_spec s;
  memset(&s, 0, sizeof s);
  ssa_error err = {{0}};
  int rc = 0;
  ssa_cli c;
  ssa_cli_init(&c, argc, argv, "sweep plan");
  const char *opt, *value;
  while (rc == 0 && (opt = ssa_cli_next(&c)) != NULL) {
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      print_help();
      ssa_sweep_spec_free(&s);
      return SSA_EXIT_OK;
    } else if (strcmp(opt, "--vary") == 0) {
      rc = ssa_cli_value(&c, opt, &value, &err);
      if (rc == 0) rc = ssa_sweep_add_vary(&s, value, &err);
    } else if (strcmp(opt, "--set") == 0) {
      rc = ssa_cli_value(&c, opt, &value, &err);
      if (rc == 0) rc = ssa_sweep_add_set(&s, value, &err);
    } else if (strcmp(opt, "--do") == 0) {
      rc = ssa_cli_value(&c, opt, &value, &err);
      if (rc == 0 && s.command_count == SSA_SWEEP_MAX_DO)
        rc = ssa_fail(&err, "--do: at most %u", SSA_SWEEP_MAX_DO);
      if (rc == 0) s.commands[s.command_count++] = value;
    } else if (strcmp(opt, "--out") == 0) {
      rc = ssa_cli_value(&c, opt, &s.dir, &err);
    } else if (opt[0] != '-' && s.kind == NULL) {
      s.kind = opt;
    } else {
      rc = ssa_cli_unknown(&c, opt, &err);
    }
  }
  char self[PATH_MAX];
  if (rc == 0 && s.kind == NULL) rc = ssa_fail(&err, "sweep plan: which KIND? (see --help)");
  if (rc == 0) rc = self_path(self, sizeof self, &err);
  if (rc == 0) rc = ssa_sweep_plan(&s, self, &err);
  ssa_sweep_spec_free(&s);
  return rc == 0 ? SSA_EXIT_OK : usage_error(&err);
}

static int cmd_point(int argc, char **argv) {
  ssa_error err = {{0}};
  if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
    print_help();
    return SSA_EXIT_OK;
  }
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    ssa_fail(&err, "sweep point: expected DIR ID -- COMMAND KIND [options]");
    return usage_error(&err);
  }
  char self[PATH_MAX];
  if (self_path(self, sizeof self, &err) != 0 ||
      ssa_sweep_point(argv[0], argv[1], argc - 3, argv + 3, self, &err) != 0)
    return usage_error(&err);
  return SSA_EXIT_OK;
}

/* run and collect: DIR and options. */
static int cmd_dir(int argc, char **argv, int run) {
  ssa_error err = {{0}};
  const char *dir = NULL, *opt, *value;
  unsigned long long jobs = 0;
  int retry = 0, rc = 0;
  ssa_sweep_collect_opts co = {NULL, NULL, 0, 0};
  ssa_cli c;
  ssa_cli_init(&c, argc, argv, run ? "sweep run" : "sweep collect");
  while (rc == 0 && (opt = ssa_cli_next(&c)) != NULL) {
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      print_help();
      return SSA_EXIT_OK;
    } else if (run && strcmp(opt, "--jobs") == 0) {
      rc = ssa_cli_value(&c, opt, &value, &err);
      if (rc == 0) rc = ssa_parse_unsigned(opt, value, 1024, &jobs, &err);
      if (rc == 0 && jobs == 0) rc = ssa_fail(&err, "--jobs 0: at least one point at a time");
    } else if (run && strcmp(opt, "--retry-failed") == 0) {
      retry = 1;
    } else if (!run && strcmp(opt, "--x") == 0) {
      rc = ssa_cli_value(&c, opt, &co.x, &err);
    } else if (!run && strcmp(opt, "--y") == 0) {
      rc = ssa_cli_value(&c, opt, &co.y, &err);
    } else if (!run && strcmp(opt, "--log") == 0) {
      rc = ssa_cli_value(&c, opt, &value, &err);
      if (rc == 0 && strcmp(value, "x") != 0 && strcmp(value, "y") != 0 &&
          strcmp(value, "xy") != 0)
        rc = ssa_fail(&err, "--log %s: x, y or xy", value);
      co.log_x = rc == 0 && strchr(value, 'x') != NULL;
      co.log_y = rc == 0 && strchr(value, 'y') != NULL;
    } else if (opt[0] != '-' && dir == NULL) {
      dir = opt;
    } else {
      rc = ssa_cli_unknown(&c, opt, &err);
    }
  }
  if (rc == 0 && dir == NULL) rc = ssa_fail(&err, "sweep: which DIR? (see --help)");
  if (rc != 0) return usage_error(&err);
  if (!run) return ssa_sweep_collect(dir, &co, &err) == 0 ? SSA_EXIT_OK : usage_error(&err);
  if (jobs == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = n < 1 ? 1 : (unsigned long long)n;
  }
  int status = ssa_sweep_run(dir, (unsigned)jobs, retry, &err);
  return status < 0 ? usage_error(&err) : status;
}

int ssa_cmd_sweep(int argc, char **argv) {
  if (argc < 1) {
    fprintf(stderr, "ssa: sweep: which? plan, run, collect or point (see 'ssa sweep --help')\n");
    return SSA_EXIT_USAGE;
  }
  if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
    print_help();
    return SSA_EXIT_OK;
  }
  if (strcmp(argv[0], "plan") == 0) return cmd_plan(argc - 1, argv + 1);
  if (strcmp(argv[0], "point") == 0) return cmd_point(argc - 1, argv + 1);
  if (strcmp(argv[0], "run") == 0) return cmd_dir(argc - 1, argv + 1, 1);
  if (strcmp(argv[0], "collect") == 0) return cmd_dir(argc - 1, argv + 1, 0);
  fprintf(stderr, "ssa: sweep: unknown subcommand '%s' (plan, run, collect or point)\n",
          argv[0]);
  return SSA_EXIT_USAGE;
}
