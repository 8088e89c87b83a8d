/* options.h -- design options as data. A kind declares its options in one table (name, type,
 * field, range, power of two, default, help); parsing, range checks, the --help text and the
 * regeneration line in every generated banner ("--tokens 16 --dim 16 ...") all come from it,
 * so no option is ever described twice. Checks that tie options together (a threshold that
 * must fit the membrane width) stay in the kind's prepare. */
#ifndef SSA_OPTIONS_H
#define SSA_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "../common/args.h"
#include "../common/error.h"

typedef enum ssa_option_type {
  SSA_OPTION_UNSIGNED,  /* unsigned */
  SSA_OPTION_U64,       /* uint64_t */
  SSA_OPTION_I64,       /* int64_t, from 0 up (a threshold) */
  SSA_OPTION_CHOICE,    /* an enum (int-sized): the index of the value in `choices` */
  SSA_OPTION_STRING,    /* const char *, pointing into argv (a file name) */
  SSA_OPTION_REFUSED,   /* an option of related kinds that this one refuses: `help` says why */
} ssa_option_type;

enum {
  SSA_OPTION_POW2 = 1,           /* the value must be a power of two */
  SSA_OPTION_REQUIRED = 2,       /* a string that must be given */
  SSA_OPTION_LINE_IF_SET = 4,    /* a string left out of the regeneration line when not given */
};

typedef struct ssa_option {
  const char *name;               /* "--tokens" */
  const char *metavar;            /* "N" */
  ssa_option_type type;
  size_t offset;                  /* offsetof(params, field) */
  uint64_t min, max;              /* the range of a number */
  unsigned flags;
  const char *const *choices;     /* CHOICE: the values, NULL-terminated */
  uint64_t def;                   /* the default (a number, or the index of a choice) */
  const char *def_text;           /* the default in words, when it is not a fixed value */
  const char *help;               /* what it is, for --help: range and default are added */
  /* In the regeneration line only when this says so (NULL: always). */
  int (*in_line)(const void *params);
} ssa_option;

/* The tables end with an entry whose name is NULL. */

/* Every option to its default (strings NULL). */
void ssa_options_defaults(const ssa_option *table, void *params);
/* One option of the command line: 1 it is the table's (value read from c, parsed and range
 * checked), 0 not the table's, -1 a bad value (err names the option and the range:
 * "--tokens 12: must be a power of two from 2 to 256"). */
int ssa_options_parse(const ssa_option *table, ssa_cli *c, const char *opt, void *params,
                      ssa_error *err);
/* After the command line: a required option that was not given. */
int ssa_options_check_required(const ssa_option *table, const void *params, ssa_error *err);
/* The options that rebuild the design, in table order: "--tokens 16 --dim 16 ...". */
void ssa_options_line(const ssa_option *table, const void *params, char *buf, size_t len);
/* The --help text: one entry per option, "  --tokens N        <help>, <range> (default 16)",
 * wrapped at 90 columns. Returns a malloc'd string (NULL when out of memory). */
char *ssa_options_help(const ssa_option *table);

#endif
