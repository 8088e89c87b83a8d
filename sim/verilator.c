/* verilator.c -- verilated models, built once into a cache of shared objects and dlopen()ed.
 * A cache entry appears whole or not at all: it is built in a mkdtemp sibling and renamed into
 * place. The Verilator runtime is compiled once per cache and linked into every model. */
#include "verilator.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/cleanup.h"
#include "../common/outfile.h"
#include "../common/process.h"
#include "rtl_sources.h"

#define PATH_LEN 4096
#define MAX_ARGS 96
#define CXX "c++"  /* the compiler of the runtime, the model and the shim */

/* Every flag below is part of the cache key: changing one rebuilds the models that used it. */
static const char *const verilator_flags[] = {
    "--cc", "-O3", "--x-assign", "fast", "--x-initial", "fast",
    /* A 1 ns unit and precision: the shim's 5-unit half period then puts the rising edge of
     * cycle c at 10c + 5 ns in the FST, as in the Icarus testbench (see sim/engine.c). */
    "--timescale-override", "1ns/1ns",
    /* Lint is the generator's job (its tests run -Wall); here a warning must not stop a build. */
    "-Wno-fatal",
    /* Small C++ functions: g++ -O2 is superlinear in function size, and unsplit a 16x16 block
     * has 1 MB functions that take minutes to compile; split, the whole model takes ~20 s. */
    "--output-split-cfuncs", "200",
    /* Verilator's DFG pass merges the per-bit assigns of a wide output into one statement,
     * which no split can cut: at 64x32 one 27000-line function kept g++ busy for over 10 min
     * and 4.8 GB. Without it: small functions, the same simulation speed, and at 32x16 the
     * compile takes 111 s and 0.2 GB instead of 178 s and 1.7 GB. */
    "-fno-dfg", NULL};
/* A module marked hier_block (the attention's row of units, gen/emit_attention.c) is verilated
 * and compiled once, as a library of its own, however often it is instantiated: a flat model
 * repeats the code of every instance. Designs without one build as before. Not for a traced
 * model: Verilator 5.006's hierarchical blocks crash its FST writer (and would hide their
 * insides from the waveform), so a traced model is flat. */
static const char hierarchical_flag[] = "--hierarchical";

/* Hidden visibility and a version script: a model exports only the shim's entry points, so two
 * models loaded at once never bind to each other's copy of the runtime, and no C++ "unique"
 * symbol (inline statics of libstdc++) pins the object in memory: dlclose really unloads it. */
static const char *const cxx_flags[] = {
    "-std=c++17", "-O2", "-fPIC", "-fvisibility=hidden", "-fvisibility-inlines-hidden",
    "-faligned-new", "-DVM_SC=0", "-DVM_TRACE_VCD=0", NULL};
/* CXXFLAGS is emptied so that the caller's environment cannot slip flags into cached objects. */
static const char *const make_vars[] = {
    "CXX=" CXX, "CXXFLAGS=", "OPT_SLOW=",
    "VM_USER_CFLAGS=-fPIC -fvisibility=hidden -fvisibility-inlines-hidden", NULL};

/* The C++ optimisation of a model's own code: -O2 (-O0 for toggle counting, below), or what
 * $SSA_VERILATOR_OPT says (-O0, -O1 or -O2). The test suite builds hundreds of small models that each run a few dozen
 * clocks, where compile time is everything: it sets -O0 (tests/meson.build). The level is
 * part of the cache key; the semantics do not depend on it. */
static const char *model_opt_level(int coverage) {
  const char *e = getenv("SSA_VERILATOR_OPT");
  if (e != NULL && (strcmp(e, "-O0") == 0 || strcmp(e, "-O1") == 0 || strcmp(e, "-O2") == 0))
    return e;
  /* A toggle-counting model is a gate netlist (megabytes of flat C++) run for a few dozen
   * clocks: compile time is everything there too. */
  return coverage ? "-O0" : "-O2";
}
static const char exports_map[] = "{ global: ssa_vshim_*; local: *; };\n";
/* --no-undefined: a missing symbol fails the link, with a log, rather than dlopen. */
static const char *const link_flags[] = {"-shared", "-Wl,--no-undefined",
                                         "-Wl,--version-script=exports.map", NULL};
static const char *const link_libs[] = {"-lz", "-pthread", NULL};
/* The runtime: fst_c (with the bundled fstapi/lz4/fastlz) only gets linked into traced models,
 * cov (the toggle counters' writer) only into models built for activity. */
static const char *const runtime_sources[] = {"verilated", "verilated_threads", "verilated_fst_c",
                                              "verilated_cov", NULL};
static const char cxx[] = CXX;

/* Where the toolchain is and which versions it has: part of every key. */
typedef struct toolchain {
  char *verilator_version;
  char *cxx_version;
  char root[PATH_LEN];  /* VERILATOR_ROOT; empty until a build needs it */
} toolchain;

typedef unsigned (*port_count_fn)(void);
typedef int (*traced_fn)(void);
typedef void *(*new_fn)(void);
typedef int (*trace_fn)(void *, const char *);
typedef int (*coverage_fn)(void *, const char *);
typedef void (*poke_fn)(void *, unsigned, const uint64_t *);
typedef void (*peek_fn)(void *, unsigned, uint64_t *);
typedef void (*cycle_fn)(void *);
typedef void (*free_fn)(void *);

struct ssa_vmodel {
  void *lib;
  void *inst;
  int traced;   /* built with --trace-fst */
  int tracing;  /* writing a waveform */
  int covered;  /* built with --coverage-toggle */
  unsigned port_count;
  trace_fn trace;
  coverage_fn coverage_write;
  int (*coverage_zero)(void *);
  poke_fn poke;
  peek_fn peek;
  cycle_fn cycle;
  free_fn free;
  char dir[PATH_LEN];
  char top[64];
};

/* ---- small helpers ---- */

/* FNV-1a, 64 bits; every string is length-prefixed so that concatenations cannot collide. */
#define FNV_OFFSET 0xcbf29ce484222325ull
static void hash_bytes(uint64_t *h, const void *data, size_t len) {
  const unsigned char *p = data;
  for (size_t k = 0; k < len; k++) *h = (*h ^ p[k]) * 0x100000001b3ull;
}
static void hash_u64(uint64_t *h, uint64_t v) {
  unsigned char b[8];
  for (unsigned k = 0; k < 8; k++) b[k] = (unsigned char)(v >> (8 * k));
  hash_bytes(h, b, 8);
}
static void hash_mem(uint64_t *h, const void *data, size_t len) {
  hash_u64(h, len);
  hash_bytes(h, data, len);
}
static void hash_str(uint64_t *h, const char *s) { hash_mem(h, s, strlen(s)); }
static void hash_list(uint64_t *h, const char *const *list) {
  for (; *list != NULL; list++) hash_str(h, *list);
  hash_u64(h, 0xff);  /* end of list */
}

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static int path_fmt(char *buf, size_t len, ssa_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int path_fmt(char *buf, size_t len, ssa_error *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, len, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= len) return ssa_fail(err, "verilator: path too long: %.200s", buf);
  return 0;
}

static int mkdirs(char *path, ssa_error *err) {
  for (char *s = path + 1; *s != '\0'; s++) {
    if (*s != '/') continue;
    *s = '\0';
    int rc = mkdir(path, 0755);
    *s = '/';
    if (rc != 0 && errno != EEXIST) break;
  }
  if (mkdir(path, 0755) != 0 && errno != EEXIST)
    return ssa_fail(err, "verilator: cannot create %s: %s", path, strerror(errno));
  return 0;
}

static int is_identifier(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return 0;
  for (; *s != '\0'; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '_'))
      return 0;
  return 1;
}

/* The names end up in C++ source, file names and command lines: refuse anything unusual. */
static int check_design(const ssa_design *d, ssa_error *err) {
  if (!is_identifier(d->top)) return ssa_fail(err, "verilator: bad top module name '%s'", d->top);
  if (d->file_count == 0) return ssa_fail(err, "verilator: design %s has no files", d->top);
  for (unsigned k = 0; k < d->file_count; k++) {
    const char *n = d->files[k].name;
    if (n[0] == '\0' || n[0] == '.' || n[0] == '-' || strchr(n, '/') != NULL)
      return ssa_fail(err, "verilator: design %s: bad file name '%s'", d->top, n);
  }
  for (unsigned k = 0; k < d->port_count; k++) {
    const ssa_port *p = &d->ports[k];
    if (!is_identifier(p->name) || strcmp(p->name, "clk_i") == 0 || p->width == 0)
      return ssa_fail(err, "verilator: design %s: bad port '%s' (%u bits)", d->top, p->name,
                      p->width);
  }
  return 0;
}

typedef struct argv_buf {
  const char *v[MAX_ARGS];
  unsigned n;
} argv_buf;

static void push(argv_buf *a, const char *s) {
  if (a->n < MAX_ARGS - 1) a->v[a->n++] = s;
  a->v[a->n] = NULL;
}
static void push_list(argv_buf *a, const char *const *list) {
  for (; *list != NULL; list++) push(a, *list);
}

/* ---- the toolchain ---- */

/* Runs argv and returns its output (stdout and stderr), through a file in $TMPDIR: a cached
 * open then writes nothing in the cache. */
static int capture(const char *const argv[], char **out, ssa_error *err) {
  const char *dir = getenv("TMPDIR");
  if (dir == NULL || dir[0] == '\0') dir = "/tmp";
  char path[PATH_LEN];
  if (path_fmt(path, sizeof path, err, "%s/ssa-probe-XXXXXX", dir) != 0) return -1;
  int fd = mkstemp(path);
  if (fd < 0)
    return ssa_fail(err, "verilator: cannot create a file in %s: %s", dir, strerror(errno));
  close(fd);
  /* On failure the file stays, because the message names it. */
  if (ssa_run_tool("verilator: probing the toolchain", argv, NULL, path, err) != 0) return -1;
  int rc = ssa_read_file(path, out, NULL, err);
  unlink(path);
  return rc;
}

static void toolchain_free(toolchain *tc) {
  free(tc->verilator_version);
  free(tc->cxx_version);
}

/* The versions only: a cached model needs nothing else, and each probe costs a process. */
static int toolchain_probe(toolchain *tc, ssa_error *err) {
  memset(tc, 0, sizeof *tc);
  const char *version[] = {"verilator", "--version", NULL};
  const char *cxx_version[] = {cxx, "--version", NULL};
  if (capture(version, &tc->verilator_version, err) != 0 ||
      capture(cxx_version, &tc->cxx_version, err) != 0) {
    toolchain_free(tc);
    return -1;
  }
  return 0;
}

/* Where Verilator's runtime sources and headers are, asked only when something gets built. */
static int toolchain_root(toolchain *tc, ssa_error *err) {
  if (tc->root[0] != '\0') return 0;
  const char *argv[] = {"verilator", "--getenv", "VERILATOR_ROOT", NULL};
  char *text = NULL;
  if (capture(argv, &text, err) != 0) return -1;
  text[strcspn(text, "\r\n")] = '\0';
  int rc = path_fmt(tc->root, sizeof tc->root, err, "%s", text);
  free(text);
  if (rc == 0 && !exists(tc->root))
    rc = ssa_fail(err, "verilator: VERILATOR_ROOT %s does not exist", tc->root);
  if (rc != 0) tc->root[0] = '\0';
  return rc;
}

static uint64_t toolchain_hash(const toolchain *tc) {
  uint64_t h = FNV_OFFSET;
  hash_str(&h, tc->verilator_version);
  hash_str(&h, tc->cxx_version);
  hash_str(&h, cxx);
  hash_list(&h, cxx_flags);
  return h;
}

/* ---- cache entries ---- */

/* The cache's verilator/ directory, created, as an absolute path (dlopen and child processes
 * in other working directories need one). */
static int cache_dir(const ssa_verilator_opts *opts, char *out, size_t len, ssa_error *err) {
  char path[PATH_LEN];
  const char *env;
  int rc;
  if (opts != NULL && opts->cache_dir != NULL && opts->cache_dir[0] != '\0')
    rc = path_fmt(path, sizeof path, err, "%s/verilator", opts->cache_dir);
  else if ((env = getenv("SSA_CACHE_DIR")) != NULL && env[0] != '\0')
    rc = path_fmt(path, sizeof path, err, "%s/verilator", env);
  else if ((env = getenv("XDG_CACHE_HOME")) != NULL && env[0] != '\0')
    rc = path_fmt(path, sizeof path, err, "%s/ssa/verilator", env);
  else if ((env = getenv("HOME")) != NULL && env[0] != '\0')
    rc = path_fmt(path, sizeof path, err, "%s/.cache/ssa/verilator", env);
  else
    return ssa_fail(err, "verilator: no cache directory: set SSA_CACHE_DIR or HOME");
  if (rc != 0 || mkdirs(path, err) != 0) return -1;
  if (path[0] == '/') return path_fmt(out, len, err, "%s", path);
  char cwd[PATH_LEN];
  if (getcwd(cwd, sizeof cwd) == NULL)
    return ssa_fail(err, "verilator: cannot resolve %s: %s", path, strerror(errno));
  return path_fmt(out, len, err, "%s/%s", cwd, path);
}

/* GNU Make (and Verilator's makefiles) cannot build in a directory whose name has a space. */
static int check_buildable(const char *dir, ssa_error *err) {
  if (strpbrk(dir, " \t\n") != NULL)
    return ssa_fail(err, "verilator: cache directory '%s' contains a space, which GNU Make "
                    "cannot build in; set SSA_CACHE_DIR to another directory", dir);
  return 0;
}

static int make_tmp_sibling(const char *final, char *tmp, size_t len, ssa_error *err) {
  if (path_fmt(tmp, len, err, "%s.tmp-XXXXXX", final) != 0) return -1;
  /* registered: a killed build leaves no half entry in the cache */
  if (ssa_cleanup_mkdtemp(tmp) == NULL)
    return ssa_fail(err, "verilator: cannot create %s: %s", tmp, strerror(errno));
  return 0;
}

/* Renames a finished build into place. When another process finished the same entry first,
 * the rename fails (the target is not empty): theirs is as good, so ours goes. */
static int commit_dir(const char *tmp, const char *final, const char *marker, ssa_error *err) {
  if (rename(tmp, final) == 0) return 0;
  int e = errno;
  char done[PATH_LEN];
  if (path_fmt(done, sizeof done, err, "%s/%s", final, marker) != 0) return -1;
  if ((e == EEXIST || e == ENOTEMPTY) && exists(done)) {
    ssa_remove_tree(tmp);
    return 0;
  }
  return ssa_fail(err, "verilator: cannot move %s to %s: %s", tmp, final, strerror(e));
}

static int write_text(const char *dir, const char *name, const char *text, size_t len,
                      ssa_error *err) {
  char path[PATH_LEN];
  if (path_fmt(path, sizeof path, err, "%s/%s", dir, name) != 0) return -1;
  return ssa_write_file(path, text, len, err);
}

/* The number of .cpp files Verilator wrote into dir, and their total size in bytes. */
static unsigned count_cpp(const char *dir, unsigned long long *bytes) {
  unsigned n = 0;
  *bytes = 0;
  DIR *d = opendir(dir);
  if (d == NULL) return 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    struct stat st;
    if (len > 4 && strcmp(e->d_name + len - 4, ".cpp") == 0) {
      n++;
      if (fstatat(dirfd(d), e->d_name, &st, 0) == 0) *bytes += (unsigned long long)st.st_size;
    }
  }
  closedir(d);
  return n;
}

/* Below this much C++, a model compiled at -O0 is one translation unit (Verilator's
 * VM_PARALLEL_BUILDS=0). At -O0 about half of each file's compile is parsing the same headers:
 * the 17 files (8.8 MB) of an 8-token, 2-head count design took 7.4 s with make -j2 and take
 * 4.2 s (0.43 GB) as one. At -O2 the optimiser dominates and the split build is faster
 * (8.7 s against 11.6 s), and above this size one g++ would need gigabytes. */
#define AMALGAMATE_MAX_BYTES (16ULL << 20)

static void jobs_flag(char *buf, size_t len) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  snprintf(buf, len, "-j%ld", n < 1 ? 1 : n > 16 ? 16 : n);
}

/* ---- the runtime library, once per cache ---- */

static int write_runtime_makefile(const char *dir, const toolchain *tc, ssa_error *err) {
  char text[8192];
  size_t n = 0;
  n += (size_t)snprintf(text + n, sizeof text - n,
                        "# The Verilator runtime for SSA's model cache (sim/verilator.c).\n"
                        "ROOT = %s/include\nCXXFLAGS =", tc->root);
  for (const char *const *f = cxx_flags; *f != NULL && n < sizeof text; f++)
    n += (size_t)snprintf(text + n, sizeof text - n, " %s", *f);
  if (n < sizeof text)
    n += (size_t)snprintf(text + n, sizeof text - n,
                          " -DVM_TRACE=1 -DVM_TRACE_FST=1 -DVM_COVERAGE=1 -I$(ROOT) -I$(ROOT)/vltstd\nOBJS =");
  for (const char *const *s = runtime_sources; *s != NULL && n < sizeof text; s++)
    n += (size_t)snprintf(text + n, sizeof text - n, " %s.o", *s);
  if (n < sizeof text)
    n += (size_t)snprintf(text + n, sizeof text - n,
                          "\nlibverilated.a: $(OBJS)\n\tar rcs $@ $(OBJS)\n"
                          "%%.o: $(ROOT)/%%.cpp\n\t$(CXX) $(CXXFLAGS) -c -o $@ $<\n");
  if (n >= sizeof text) return ssa_fail(err, "verilator: VERILATOR_ROOT path too long");
  return write_text(dir, "Makefile", text, n, err);
}

/* Fills lib with the path of libverilated.a, building it first if this cache has none. */
static int ensure_runtime(toolchain *tc, const char *vdir, int progress, char *lib,
                          size_t len, ssa_error *err) {
  uint64_t h = toolchain_hash(tc);
  hash_list(&h, runtime_sources);
  char final[PATH_LEN], tmp[PATH_LEN], log[PATH_LEN];
  if (path_fmt(final, sizeof final, err, "%s/libverilated-%016llx", vdir,
               (unsigned long long)h) != 0 ||
      path_fmt(lib, len, err, "%s/libverilated.a", final) != 0)
    return -1;
  if (exists(lib)) return 0;
  if (check_buildable(vdir, err) != 0 || toolchain_root(tc, err) != 0 ||
      make_tmp_sibling(final, tmp, sizeof tmp, err) != 0)
    return -1;
  if (progress) fprintf(stderr, "ssa: compiling the Verilator runtime (once per cache) ...\n");
  char jobs[16];
  jobs_flag(jobs, sizeof jobs);
  const char *argv[] = {"make", jobs, "CXX=" CXX, "libverilated.a", NULL};
  if (path_fmt(log, sizeof log, err, "%s/build.log", tmp) != 0 ||
      write_runtime_makefile(tmp, tc, err) != 0 ||
      ssa_run_tool("verilator: compiling the Verilator runtime", argv, tmp, log, err) != 0) {
    ssa_cleanup_forget(tmp);
    return -1;  /* the directory stays: the message names its log */
  }
  char obj[PATH_LEN];
  for (const char *const *s = runtime_sources; *s != NULL; s++)
    if (path_fmt(obj, sizeof obj, err, "%s/%s.o", tmp, *s) == 0) unlink(obj);
  int rc = commit_dir(tmp, final, "libverilated.a", err);
  ssa_cleanup_forget(tmp);
  return rc;
}

/* ---- one model ---- */

static uint64_t model_hash(const ssa_design *d, const toolchain *tc, int trace, int coverage) {
  uint64_t h = toolchain_hash(tc);
  hash_str(&h, d->top);
  hash_u64(&h, d->file_count);
  for (unsigned k = 0; k < d->file_count; k++) {
    hash_str(&h, d->files[k].name);
    hash_mem(&h, d->files[k].text, d->files[k].len);
  }
  hash_u64(&h, d->port_count);
  for (unsigned k = 0; k < d->port_count; k++) {
    hash_str(&h, d->ports[k].name);
    hash_u64(&h, d->ports[k].width);
    hash_u64(&h, (uint64_t)(d->ports[k].is_input != 0));
  }
  hash_str(&h, ssa_verilator_shim);
  hash_list(&h, verilator_flags);
  hash_str(&h, hierarchical_flag);  /* with trace, below: whether it was given */
  hash_list(&h, make_vars);
  hash_str(&h, model_opt_level(coverage));
  hash_list(&h, link_flags);
  hash_str(&h, exports_map);
  hash_list(&h, link_libs);
  hash_list(&h, runtime_sources);  /* with the toolchain: which runtime gets linked */
  hash_u64(&h, (uint64_t)(trace != 0));
  hash_u64(&h, (uint64_t)(coverage != 0));
  return h;
}

static int write_sources(const ssa_design *d, const char *dir, ssa_error *err) {
  for (unsigned k = 0; k < d->file_count; k++)
    if (write_text(dir, d->files[k].name, d->files[k].text, d->files[k].len, err) != 0) return -1;
  char ports[SSA_MAX_PORTS * 64 + 1];
  size_t n = 0;
  for (unsigned k = 0; k < d->port_count; k++)
    n += (size_t)snprintf(ports + n, sizeof ports - n, "SSA_PORT_%s(%s, %u)\n",
                          d->ports[k].is_input ? "IN" : "OUT", d->ports[k].name, d->ports[k].width);
  if (write_text(dir, "ports.inc", ports, n, err) != 0 ||
      write_text(dir, "exports.map", exports_map, strlen(exports_map), err) != 0)
    return -1;
  return write_text(dir, "shim.cpp", ssa_verilator_shim, strlen(ssa_verilator_shim), err);
}

static int verilate(const ssa_design *d, int trace, int coverage, int progress,
                    const char *tmp, const char *log, ssa_error *err) {
  argv_buf a = {{NULL}, 0};
  push(&a, "verilator");
  push_list(&a, verilator_flags);
  if (!trace) push(&a, hierarchical_flag);
  push(&a, "--top-module");
  push(&a, d->top);
  push(&a, "-Mdir");
  push(&a, "obj");
  if (trace) push(&a, "--trace-fst");
  /* Every bit of every public signal counts its changes: the activity of a gate netlist. */
  if (coverage) {
    push(&a, "--coverage-toggle");
    push(&a, "--coverage-max-width");  /* default 256: wide registers would go uncounted */
    push(&a, "65536");
  }
  for (unsigned k = 0; k < d->file_count; k++) push(&a, d->files[k].name);
  char what[128];
  snprintf(what, sizeof what, "verilator: verilating %s", d->top);
  if (progress) fprintf(stderr, "ssa: verilating %s ...\n", d->top);
  return ssa_run_tool(what, a.v, tmp, log, err);
}

/* Verilator's generated makefile builds the model's archive, obj/V<top>__ALL.a; with
 * hierarchical blocks, V<top>_hier.mk builds their libraries first, then that archive. */
static int compile_model(const ssa_design *d, int coverage, int progress, const char *obj,
                         const char *log, ssa_error *err) {
  char mk[96], archive[96], jobs[16], what[128], hier_mk[PATH_LEN];
  snprintf(mk, sizeof mk, "V%s.mk", d->top);
  snprintf(archive, sizeof archive, "V%s__ALL.a", d->top);
  if (path_fmt(hier_mk, sizeof hier_mk, err, "%s/V%s_hier.mk", obj, d->top) != 0) return -1;
  int hierarchical = exists(hier_mk);
  if (hierarchical) {
    snprintf(mk, sizeof mk, "V%s_hier.mk", d->top);
    snprintf(archive, sizeof archive, "hier_build");
  }
  jobs_flag(jobs, sizeof jobs);
  argv_buf a = {{NULL}, 0};
  push(&a, "make");
  push(&a, jobs);
  push(&a, "-f");
  push(&a, mk);
  push(&a, archive);
  push_list(&a, make_vars);
  char opt_fast[32], opt_global[32];
  snprintf(opt_fast, sizeof opt_fast, "OPT_FAST=%s", model_opt_level(coverage));
  snprintf(opt_global, sizeof opt_global, "OPT_GLOBAL=%s", model_opt_level(coverage));
  push(&a, opt_fast);
  push(&a, opt_global);
  unsigned long long bytes;
  unsigned files = count_cpp(obj, &bytes);
  int one_unit = !hierarchical && strcmp(model_opt_level(coverage), "-O0") == 0 &&
                 bytes <= AMALGAMATE_MAX_BYTES;
  if (one_unit) push(&a, "VM_PARALLEL_BUILDS=0");
  snprintf(what, sizeof what, "verilator: compiling the model of %s", d->top);
  if (progress)
    fprintf(stderr, "ssa: compiling model (%u files, %.1f MB%s) ...\n", files, bytes / 1e6,
            one_unit ? ", as one unit" : "");
  return ssa_run_tool(what, a.v, obj, log, err);
}

#define MAX_HIER_LIBS 8

/* The libraries of the hierarchical blocks: obj/V<block>/lib<block>.a, in name order. */
static int hier_libs(const char *tmp, char libs[][PATH_LEN], unsigned *count, ssa_error *err) {
  char obj[PATH_LEN];
  *count = 0;
  if (path_fmt(obj, sizeof obj, err, "%s/obj", tmp) != 0) return -1;
  struct dirent **names;
  int n = scandir(obj, &names, NULL, alphasort);
  if (n < 0) return ssa_fail(err, "verilator: cannot list %s: %s", obj, strerror(errno));
  int rc = 0;
  for (int k = 0; k < n; k++) {
    const char *name = names[k]->d_name;
    char lib[PATH_LEN];
    if (rc == 0 && name[0] == 'V' && name[1] != '\0' &&
        snprintf(lib, sizeof lib, "%s/%s/lib%s.a", obj, name, name + 1) < (int)sizeof lib &&
        exists(lib)) {
      if (*count == MAX_HIER_LIBS)
        rc = ssa_fail(err, "verilator: more than %d hierarchical blocks", MAX_HIER_LIBS);
      else snprintf(libs[(*count)++], PATH_LEN, "obj/%s/lib%s.a", name, name + 1);
    }
    free(names[k]);
  }
  free(names);
  return rc;
}

/* One c++ run: the shim, the model's archive, its blocks' libraries and the runtime into
 * model.so. */
static int link_model(const ssa_design *d, const toolchain *tc, const char *lib, int trace,
                      int coverage, const char *tmp, const char *log, ssa_error *err) {
  char vtop[96], header[112], archive[112], what[128];
  char blocks[MAX_HIER_LIBS][PATH_LEN];
  unsigned block_count;
  if (hier_libs(tmp, blocks, &block_count, err) != 0) return -1;
  char inc[PATH_LEN + 16], vltstd[PATH_LEN + 32];
  snprintf(vtop, sizeof vtop, "-DSSA_VTOP=V%s", d->top);
  snprintf(header, sizeof header, "-DSSA_VTOP_HEADER=\"V%s.h\"", d->top);
  snprintf(archive, sizeof archive, "obj/V%s__ALL.a", d->top);
  if (path_fmt(inc, sizeof inc, err, "-I%s/include", tc->root) != 0 ||
      path_fmt(vltstd, sizeof vltstd, err, "-I%s/include/vltstd", tc->root) != 0)
    return -1;
  argv_buf a = {{NULL}, 0};
  push(&a, cxx);
  push_list(&a, cxx_flags);
  push(&a, trace ? "-DVM_TRACE=1" : "-DVM_TRACE=0");
  push(&a, trace ? "-DVM_TRACE_FST=1" : "-DVM_TRACE_FST=0");
  push(&a, coverage ? "-DVM_COVERAGE=1" : "-DVM_COVERAGE=0");
  push(&a, vtop);
  push(&a, header);
  push(&a, "-I.");
  push(&a, "-Iobj");
  push(&a, inc);
  push(&a, vltstd);
  push_list(&a, link_flags);
  push(&a, "-o");
  push(&a, "model.so");
  push(&a, "shim.cpp");
  push(&a, archive);
  for (unsigned k = 0; k < block_count; k++) push(&a, blocks[k]);
  push(&a, lib);
  push_list(&a, link_libs);
  snprintf(what, sizeof what, "verilator: linking the model of %s", d->top);
  return ssa_run_tool(what, a.v, tmp, log, err);
}

/* verilator, then the generated makefile, then one link; every step logs to build.log. */
static int build_steps(const ssa_design *d, const toolchain *tc, const char *lib, int trace,
                       int coverage, int progress, const char *tmp, ssa_error *err) {
  char log[PATH_LEN], obj[PATH_LEN];
  if (path_fmt(log, sizeof log, err, "%s/build.log", tmp) != 0 ||
      path_fmt(obj, sizeof obj, err, "%s/obj", tmp) != 0 || write_sources(d, tmp, err) != 0 ||
      verilate(d, trace, coverage, progress, tmp, log, err) != 0 ||
      compile_model(d, coverage, progress, obj, log, err) != 0 ||
      link_model(d, tc, lib, trace, coverage, tmp, log, err) != 0)
    return -1;
  /* The generated C++ and its objects are large and never needed again. */
  ssa_remove_tree(obj);
  return 0;
}

static int build_model(const ssa_design *d, toolchain *tc, const char *vdir,
                       const char *lib, const char *entry, int trace, int coverage,
                       int progress, ssa_error *err) {
  char tmp[PATH_LEN];
  if (check_buildable(vdir, err) != 0 || toolchain_root(tc, err) != 0 ||
      make_tmp_sibling(entry, tmp, sizeof tmp, err) != 0)
    return -1;
  /* On failure the directory stays: the message names its build.log. */
  int rc = build_steps(d, tc, lib, trace, coverage, progress, tmp, err);
  if (rc == 0) rc = commit_dir(tmp, entry, "model.so", err);
  ssa_cleanup_forget(tmp);
  if (rc != 0) return -1;
  if (progress) fprintf(stderr, "ssa: model cached in %s\n", entry);
  return 0;
}

/* ---- loading ---- */

static int sym(ssa_vmodel *m, const char *name, void *fn, size_t size, ssa_error *err) {
  void *p = dlsym(m->lib, name);
  if (p == NULL) return ssa_fail(err, "verilator: %s/model.so: no symbol %s", m->dir, name);
  memcpy(fn, &p, size);  /* object to function pointer, as POSIX dlsym allows */
  return 0;
}

static int load(ssa_vmodel *m, const ssa_design *d, int trace, int coverage, ssa_error *err) {
  char so[PATH_LEN];
  if (path_fmt(so, sizeof so, err, "%s/model.so", m->dir) != 0) return -1;
  m->lib = dlopen(so, RTLD_NOW | RTLD_LOCAL);
  if (m->lib == NULL) {
    const char *why = dlerror();
    return ssa_fail(err, "verilator: cannot load %s: %s", so, why != NULL ? why : "unknown");
  }
  port_count_fn port_count = NULL;
  traced_fn traced = NULL, covered = NULL;
  new_fn make = NULL;
  if (sym(m, "ssa_vshim_port_count", &port_count, sizeof port_count, err) != 0 ||
      sym(m, "ssa_vshim_traced", &traced, sizeof traced, err) != 0 ||
      sym(m, "ssa_vshim_covered", &covered, sizeof covered, err) != 0 ||
      sym(m, "ssa_vshim_coverage_write", &m->coverage_write, sizeof m->coverage_write, err) != 0 ||
      sym(m, "ssa_vshim_coverage_zero", &m->coverage_zero, sizeof m->coverage_zero, err) != 0 ||
      sym(m, "ssa_vshim_new", &make, sizeof make, err) != 0 ||
      sym(m, "ssa_vshim_trace", &m->trace, sizeof m->trace, err) != 0 ||
      sym(m, "ssa_vshim_poke", &m->poke, sizeof m->poke, err) != 0 ||
      sym(m, "ssa_vshim_peek", &m->peek, sizeof m->peek, err) != 0 ||
      sym(m, "ssa_vshim_cycle", &m->cycle, sizeof m->cycle, err) != 0 ||
      sym(m, "ssa_vshim_free", &m->free, sizeof m->free, err) != 0)
    return -1;
  m->port_count = port_count();
  m->traced = traced();
  m->covered = covered();
  if (m->port_count != d->port_count || m->traced != (trace != 0) ||
      m->covered != (coverage != 0))
    return ssa_fail(err, "verilator: %s does not match design %s (%u ports, tracing %d, "
                    "toggle counts %d); delete that directory", so, d->top, m->port_count,
                    m->traced, m->covered);
  m->inst = make();
  if (m->inst == NULL) return ssa_fail(err, "verilator: cannot instantiate %s", d->top);
  return 0;
}

/* ---- the interface ---- */

int ssa_verilator_open(const ssa_design *design, const ssa_verilator_opts *opts,
                       ssa_vmodel **out, ssa_error *err) {
  *out = NULL;
  int trace = opts != NULL && opts->trace, progress = opts != NULL && opts->progress;
  int coverage = opts != NULL && opts->coverage;
  char vdir[PATH_LEN], lib[PATH_LEN];
  toolchain tc;
  if (check_design(design, err) != 0 || cache_dir(opts, vdir, sizeof vdir, err) != 0 ||
      toolchain_probe(&tc, err) != 0)
    return -1;
  ssa_vmodel *m = calloc(1, sizeof *m);
  if (m == NULL) {
    toolchain_free(&tc);
    return ssa_fail(err, "verilator: out of memory");
  }
  snprintf(m->top, sizeof m->top, "%s", design->top);
  char so[PATH_LEN + 16];
  int rc = ensure_runtime(&tc, vdir, progress, lib, sizeof lib, err);
  if (rc == 0)
    rc = path_fmt(m->dir, sizeof m->dir, err, "%s/%s-%016llx%s%s", vdir, design->top,
                  (unsigned long long)model_hash(design, &tc, trace, coverage),
                  trace ? "-trace" : "", coverage ? "-toggles" : "");
  if (rc == 0) {
    snprintf(so, sizeof so, "%s/model.so", m->dir);
    if (!exists(so))
      rc = build_model(design, &tc, vdir, lib, m->dir, trace, coverage, progress, err);
  }
  toolchain_free(&tc);
  if (rc == 0) rc = load(m, design, trace, coverage, err);
  if (rc != 0) {
    ssa_vmodel_close(m);
    return -1;
  }
  *out = m;
  return 0;
}

int ssa_vmodel_trace(ssa_vmodel *m, const char *fst_path, ssa_error *err) {
  if (!m->traced)
    return ssa_fail(err, "%s: the model of %s was opened without tracing", fst_path, m->top);
  if (m->tracing)
    return ssa_fail(err, "%s: the model of %s already writes a waveform", fst_path, m->top);
  /* VerilatedFstC aborts the process on a file it cannot create: find out first ("a" creates
   * the file without truncating anything, should it be in use). */
  FILE *f = fopen(fst_path, "ab");
  if (f == NULL) return ssa_fail(err, "%s: %s", fst_path, strerror(errno));
  fclose(f);
  if (m->trace(m->inst, fst_path) != 0)
    return ssa_fail(err, "%s: cannot start the waveform", fst_path);
  m->tracing = 1;
  return 0;
}

int ssa_vmodel_write_toggles(ssa_vmodel *m, const char *path, ssa_error *err) {
  if (!m->covered)
    return ssa_fail(err, "%s: the model of %s was opened without toggle counts", path, m->top);
  if (m->coverage_write(m->inst, path) != 0)
    return ssa_fail(err, "%s: cannot write the toggle counts", path);
  return 0;
}

int ssa_vmodel_zero_toggles(ssa_vmodel *m, ssa_error *err) {
  if (!m->covered || m->coverage_zero(m->inst) != 0)
    return ssa_fail(err, "the model of %s was opened without toggle counts", m->top);
  return 0;
}

void ssa_vmodel_poke(ssa_vmodel *m, unsigned port, const uint64_t *words) {
  if (port < m->port_count) m->poke(m->inst, port, words);
}

void ssa_vmodel_peek(ssa_vmodel *m, unsigned port, uint64_t *words) {
  if (port < m->port_count) m->peek(m->inst, port, words);
}

void ssa_vmodel_cycle(ssa_vmodel *m) { m->cycle(m->inst); }

void ssa_vmodel_close(ssa_vmodel *m) {
  if (m == NULL) return;
  if (m->inst != NULL) m->free(m->inst);
  if (m->lib != NULL) dlclose(m->lib);
  free(m);
}

const char *ssa_vmodel_dir(const ssa_vmodel *m) { return m->dir; }
