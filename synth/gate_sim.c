/* gate_sim.c -- the generic-flow netlist simulator (see gate_sim.h). Nets are numbered after
 * flattening, 0 and 1 being the constants; a port's bits inside a module instance are joined
 * with the nets connected outside it through a union-find, so aliases (an output wired to an
 * input, a bit tied to a constant) need no special case. */
#include "gate_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/json_read.h"

/* The cells `abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX,AOI3,OAI3,AOI4,OAI4` and `dffunmap` leave
 * (synth.c), and the few Yosys may add around them. */
enum { T_NOT, T_BUF, T_AND, T_NAND, T_OR, T_NOR, T_XOR, T_XNOR, T_ANDNOT, T_ORNOT, T_MUX,
       T_NMUX, T_AOI3, T_OAI3, T_AOI4, T_OAI4, T_DFF, T_COUNT };

typedef struct gate_type {
  const char *name;
  const char *inputs[4];
  unsigned input_count;
} gate_type;

static const gate_type types[T_COUNT] = {
  [T_NOT] = {"$_NOT_", {"A"}, 1},           [T_BUF] = {"$_BUF_", {"A"}, 1},
  [T_AND] = {"$_AND_", {"A", "B"}, 2},      [T_NAND] = {"$_NAND_", {"A", "B"}, 2},
  [T_OR] = {"$_OR_", {"A", "B"}, 2},        [T_NOR] = {"$_NOR_", {"A", "B"}, 2},
  [T_XOR] = {"$_XOR_", {"A", "B"}, 2},      [T_XNOR] = {"$_XNOR_", {"A", "B"}, 2},
  [T_ANDNOT] = {"$_ANDNOT_", {"A", "B"}, 2}, [T_ORNOT] = {"$_ORNOT_", {"A", "B"}, 2},
  [T_MUX] = {"$_MUX_", {"A", "B", "S"}, 3}, [T_NMUX] = {"$_NMUX_", {"A", "B", "S"}, 3},
  [T_AOI3] = {"$_AOI3_", {"A", "B", "C"}, 3}, [T_OAI3] = {"$_OAI3_", {"A", "B", "C"}, 3},
  [T_AOI4] = {"$_AOI4_", {"A", "B", "C", "D"}, 4},
  [T_OAI4] = {"$_OAI4_", {"A", "B", "C", "D"}, 4},
  [T_DFF] = {"$_DFF_P_", {"D", "C"}, 2},
};

#define UNSET UINT32_MAX

typedef struct cell {
  uint8_t type;
  uint32_t in[4];
  uint32_t out;
  uint32_t def;      /* index into the result's cells */
} cell;

typedef struct compiled_cell {
  uint8_t type;
  int32_t pin[5];            /* the inputs, then [4] the output */
} compiled_cell;

typedef struct compiled_instance {
  int child;
  size_t first;              /* its connections: conn[first ..], one per port bit of child */
} compiled_instance;

typedef struct compiled {
  int done;
  size_t bits;               /* local bit numbers are below this */
  int32_t *ports;            /* per port bit, in port order */
  size_t port_bits;
  compiled_cell *cells;
  size_t cell_count;
  size_t def_base;           /* its first cell in the result */
  compiled_instance *instances;
  size_t instance_count;
  int32_t *conn;
  size_t conn_count;
} compiled;

typedef struct module_ref {
  const char *name;
  const ssa_json_value *value;
  unsigned source;           /* 0 the netlist, k + 1 library k */
} module_ref;

typedef struct sim {
  const char *name;
  module_ref *modules;       /* those of the netlist, then those of the libraries */
  size_t module_count;
  uint32_t *parent;          /* union-find over nets */
  size_t nets, net_cap;
  cell *cells;
  size_t cell_count, cell_cap;
  struct compiled *compiled; /* per module */
  ssa_gate_sim_result *out;
  size_t def_cap;
  ssa_error *err;
} sim;

/* Makes room for `need` items of `size` bytes in *p, doubling; -1 when out of memory. */
static int grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t cap2 = *cap ? *cap : 64;
  while (cap2 < need) cap2 *= 2;
  void *q = realloc(*p, cap2 * size);
  if (q == NULL) return -1;
  *p = q;
  *cap = cap2;
  return 0;
}

static int new_net(sim *s, uint32_t *id) {
  if (grow((void **)&s->parent, &s->net_cap, s->nets + 1, sizeof *s->parent) != 0)
    return ssa_fail(s->err, "%s: out of memory for the nets", s->name);
  s->parent[s->nets] = (uint32_t)s->nets;
  *id = (uint32_t)s->nets++;
  return 0;
}

static uint32_t find(sim *s, uint32_t n) {
  while (s->parent[n] != n) {
    s->parent[n] = s->parent[s->parent[n]];
    n = s->parent[n];
  }
  return n;
}

/* Joins two nets; a constant stays the root of its set. */
static int unite(sim *s, uint32_t a, uint32_t b) {
  a = find(s, a);
  b = find(s, b);
  if (a == b) return 0;
  if (a < 2 && b < 2) return ssa_fail(s->err, "%s: a net is tied to both 0 and 1", s->name);
  if (a < 2) s->parent[b] = a;
  else s->parent[a] = b;
  return 0;
}

static int is_blackbox(const ssa_json_value *mod) {
  const ssa_json_value *attrs = ssa_json_get(mod, "attributes");
  const char *b = ssa_json_get_string(attrs, "blackbox", "");
  return strchr(b, '1') != NULL;
}

/* The first module of that name with contents: a black box of the netlist is defined by a
 * library. */
static int find_module(const sim *s, const char *name) {
  for (size_t k = 0; k < s->module_count; k++)
    if (strcmp(s->modules[k].name, name) == 0 && !is_blackbox(s->modules[k].value)) return (int)k;
  return -1;
}

static int type_of(const char *name) {
  for (int t = 0; t < T_COUNT; t++)
    if (strcmp(types[t].name, name) == 0) return t;
  return -1;
}

static int push_cell(sim *s, const cell *c) {
  if (grow((void **)&s->cells, &s->cell_cap, s->cell_count + 1, sizeof *s->cells) != 0)
    return ssa_fail(s->err, "%s: out of memory for the cells", s->name);
  s->cells[s->cell_count++] = *c;
  return 0;
}

static int push_def(sim *s, unsigned module, const char *type) {
  ssa_gate_sim_result *r = s->out;
  if (grow((void **)&r->cells, &s->def_cap, r->cell_count + 1, sizeof *r->cells) != 0)
    return ssa_fail(s->err, "%s: out of memory for the cells", s->name);
  ssa_gate_sim_cell *d = &r->cells[r->cell_count++];
  memset(d, 0, sizeof *d);
  d->module = module;
  d->type = type;
  return 0;
}

static size_t max_bit_of(const ssa_json_value *bits, size_t max) {
  for (size_t k = 0; bits != NULL && bits->type == SSA_JSON_ARRAY && k < bits->count; k++)
    if (bits->items[k].type == SSA_JSON_NUMBER && bits->items[k].number > (double)max)
      max = (size_t)bits->items[k].number;
  return max;
}

/* The largest bit number a module uses, for its local map. */
static size_t max_bit(const ssa_json_value *mod) {
  size_t max = 0;
  const ssa_json_value *ports = ssa_json_get(mod, "ports");
  for (size_t k = 0; ports != NULL && k < ports->count; k++)
    max = max_bit_of(ssa_json_get(&ports->items[k], "bits"), max);
  const ssa_json_value *cells = ssa_json_get(mod, "cells");
  for (size_t k = 0; cells != NULL && k < cells->count; k++) {
    const ssa_json_value *conns = ssa_json_get(&cells->items[k], "connections");
    for (size_t c = 0; conns != NULL && c < conns->count; c++)
      max = max_bit_of(&conns->items[c], max);
  }
  return max;
}

/* A bit of a module as compiled: its local number, or one of these. */
#define CONST0 (-1)
#define CONST1 (-2)
#define NO_BIT (-3)   /* a port of an instance left unconnected */

static int local_bit(sim *s, const ssa_json_value *bit, int32_t *out) {
  if (bit->type == SSA_JSON_STRING) {
    *out = strcmp(bit->string, "1") == 0 ? CONST1 : CONST0;  /* "x" and "z" read as 0 */
    return 0;
  }
  if (bit->type != SSA_JSON_NUMBER || bit->number < 0 || bit->number > 2e9)
    return ssa_fail(s->err, "%s: a connection bit is neither a number nor a constant", s->name);
  *out = (int32_t)bit->number;
  return 0;
}

static size_t port_bit_count(const ssa_json_value *mod) {
  size_t n = 0;
  const ssa_json_value *ports = ssa_json_get(mod, "ports");
  for (size_t k = 0; ports != NULL && k < ports->count; k++) {
    const ssa_json_value *bits = ssa_json_get(&ports->items[k], "bits");
    n += bits != NULL ? bits->count : 0;
  }
  return n;
}


/* A parameter of a cell as Yosys writes it, a binary string, most significant bit first. */
static int param_bits(sim *s, const ssa_json_value *cell, const char *name, uint64_t *out) {
  const char *v = ssa_json_get_string(ssa_json_get(cell, "parameters"), name, NULL);
  size_t n = v != NULL ? strlen(v) : 0;
  *out = 0;
  if (n == 0) return ssa_fail(s->err, "%s: an ssa_lfsr cell has no parameter %s", s->name, name);
  for (size_t k = 0; k < n; k++) {
    if ((v[k] != '0' && v[k] != '1') || (n - k > 64 && v[k] == '1'))
      return ssa_fail(s->err, "%s: ssa_lfsr parameter %s is not a number below 2^64", s->name,
                      name);
    *out = *out << 1 | (uint64_t)(v[k] == '1');
  }
  return 0;
}

/* A gate of a built module: its output a new local bit. */
static int built_gate(sim *s, compiled *c, unsigned index, size_t *cap, int t, int32_t a,
                      int32_t b, int32_t sel, int32_t *y) {
  if (grow((void **)&c->cells, cap, c->cell_count + 1, sizeof *c->cells) != 0)
    return ssa_fail(s->err, "%s: out of memory", s->name);
  if (*y == NO_BIT) *y = (int32_t)c->bits++;
  c->cells[c->cell_count++] = (compiled_cell){(uint8_t)t, {a, b, sel, 0, *y}};
  return push_def(s, index, types[t].name);
}

/* One single-bit pin of a cell, or the bits of a wider one. */
static const ssa_json_value *pin_bits(sim *s, const ssa_json_value *cell, const char *pin,
                                      size_t width) {
  const ssa_json_value *bits = ssa_json_get(ssa_json_get(cell, "connections"), pin);
  if (bits == NULL || bits->type != SSA_JSON_ARRAY || bits->count != width) {
    ssa_fail(s->err, "%s: an ssa_lfsr cell's pin %s does not have %zu bits", s->name, pin,
             width);
    return NULL;
  }
  return bits;
}

/* An LFSR the netlist leaves a black box (the surroundings of parts: synth.c reads
 * rtl/ssa_lfsr.v with -lib there), built in simple gates from its parameters as the RTL
 * describes it: per enabled clock WIDTH shifts of fb = parity(state & TAPS) into bit 0, SEED
 * while rst_ni is low. Yosys would elaborate and fold one module per seed -- thousands at
 * N = 64, most of the surroundings' time. */
static int build_lfsr(sim *s, compiled *c, unsigned index, const ssa_json_value *cell,
                      size_t *cap) {
  uint64_t width, taps, seed;
  if (param_bits(s, cell, "WIDTH", &width) != 0 || param_bits(s, cell, "TAPS", &taps) != 0 ||
      param_bits(s, cell, "SEED", &seed) != 0)
    return -1;
  if (width < 2 || width > 64 || taps == 0)
    return ssa_fail(s->err, "%s: an ssa_lfsr cell has WIDTH %llu and TAPS %llu", s->name,
                    (unsigned long long)width, (unsigned long long)taps);
  const ssa_json_value *clk = pin_bits(s, cell, "clk_i", 1);
  const ssa_json_value *rst = pin_bits(s, cell, "rst_ni", 1);
  const ssa_json_value *en = pin_bits(s, cell, "en_i", 1);
  const ssa_json_value *q = pin_bits(s, cell, "state_o", width);
  if (clk == NULL || rst == NULL || en == NULL || q == NULL) return -1;
  int32_t clk_bit = NO_BIT, rst_bit = NO_BIT, en_bit = NO_BIT, state[64];
  if (local_bit(s, &clk->items[0], &clk_bit) != 0 ||
      local_bit(s, &rst->items[0], &rst_bit) != 0 || local_bit(s, &en->items[0], &en_bit) != 0)
    return -1;
  for (unsigned i = 0; i < width; i++)
    if (local_bit(s, &q->items[i], &state[i]) != 0) return -1;
  int32_t d[64];
  memcpy(d, state, sizeof d);
  for (unsigned shift = 0; shift < width; shift++) {
    int32_t fb = NO_BIT;
    for (unsigned i = 0; i < width; i++) {
      if (!(taps >> i & 1u)) continue;
      if (fb == NO_BIT) {
        fb = d[i];
        continue;
      }
      int32_t y = NO_BIT;
      if (built_gate(s, c, index, cap, T_XOR, fb, d[i], 0, &y) != 0) return -1;
      fb = y;
    }
    memmove(&d[1], &d[0], (width - 1) * sizeof *d);
    d[0] = fb;
  }
  for (unsigned i = 0; i < width; i++) {
    int32_t kept = NO_BIT, next = NO_BIT;  /* en ? d : q, then SEED's bit under reset */
    if (built_gate(s, c, index, cap, T_MUX, state[i], d[i], en_bit, &kept) != 0 ||
        built_gate(s, c, index, cap, seed >> i & 1u ? T_ORNOT : T_AND, kept, rst_bit, 0,
                   &next) != 0 ||
        built_gate(s, c, index, cap, T_DFF, next, clk_bit, 0, &state[i]) != 0)
      return -1;
  }
  return 0;
}

/* Module `index` as numbers, once: its port bits, its cells' pins and its instances'
 * connections, so that each instance is a copy with its own nets rather than another walk of
 * the JSON. Its own cells are numbered in the result after those of its submodules. */
static int compile(sim *s, int index, int depth) {
  compiled *c = &s->compiled[index];
  if (c->done) return 0;
  const char *module = s->modules[index].name;
  const ssa_json_value *mod = s->modules[index].value;
  if (depth > 32) return ssa_fail(s->err, "%s: module %s nests too deeply", s->name, module);
  c->bits = max_bit(mod) + 1;
  c->port_bits = port_bit_count(mod);
  c->ports = malloc((c->port_bits + 1) * sizeof *c->ports);
  if (c->ports == NULL) return ssa_fail(s->err, "%s: out of memory", s->name);
  const ssa_json_value *ports = ssa_json_get(mod, "ports");
  size_t k = 0;
  for (size_t p = 0; ports != NULL && p < ports->count; p++) {
    const ssa_json_value *bits = ssa_json_get(&ports->items[p], "bits");
    for (size_t b = 0; bits != NULL && b < bits->count; b++)
      if (local_bit(s, &bits->items[b], &c->ports[k++]) != 0) return -1;
  }
  const ssa_json_value *cells = ssa_json_get(mod, "cells");
  size_t count = cells != NULL ? cells->count : 0;
  for (size_t j = 0; j < count; j++) {  /* submodules first */
    const char *type = ssa_json_get_string(&cells->items[j], "type", "");
    int child = strncmp(type, "$_", 2) == 0 ? -1 : find_module(s, type);
    if (child >= 0 && compile(s, child, depth + 1) != 0) return -1;
  }
  c->def_base = s->out->cell_count;
  size_t cell_cap = 0, inst_cap = 0, conn_cap = 0;
  for (size_t j = 0; j < count; j++) {
    const char *type = ssa_json_get_string(&cells->items[j], "type", "");
    const ssa_json_value *conns = ssa_json_get(&cells->items[j], "connections");
    int child = strncmp(type, "$_", 2) == 0 ? -1 : find_module(s, type);
    if (child >= 0) {
      const compiled *cc = &s->compiled[child];
      const ssa_json_value *cports = ssa_json_get(s->modules[child].value, "ports");
      if (grow((void **)&c->instances, &inst_cap, c->instance_count + 1, sizeof *c->instances) ||
          grow((void **)&c->conn, &conn_cap, c->conn_count + cc->port_bits + 1, sizeof *c->conn))
        return ssa_fail(s->err, "%s: out of memory", s->name);
      c->instances[c->instance_count++] = (compiled_instance){child, c->conn_count};
      for (size_t p = 0; cports != NULL && p < cports->count; p++) {
        const ssa_json_value *bits = ssa_json_get(&cports->items[p], "bits");
        const ssa_json_value *outside = ssa_json_get(conns, cports->keys[p]);
        for (size_t b = 0; bits != NULL && b < bits->count; b++) {
          int32_t *slot = &c->conn[c->conn_count++];
          *slot = NO_BIT;
          if (outside != NULL && b < outside->count &&
              local_bit(s, &outside->items[b], slot) != 0)
            return -1;
        }
      }
      continue;
    }
    if (strcmp(type, "ssa_lfsr") == 0) {
      if (build_lfsr(s, c, (unsigned)index, &cells->items[j], &cell_cap) != 0) return -1;
      continue;
    }
    int t = type_of(type);
    if (t < 0)
      return ssa_fail(s->err, "%s: cell type %s (module %s) is not one the gate simulator "
                      "knows; the generic flow's netlists have only Yosys's simple gates",
                      s->name, type, module);
    compiled_cell x = {.type = (uint8_t)t};
    const char *out_pin = t == T_DFF ? "Q" : "Y";
    for (unsigned p = 0; p <= types[t].input_count; p++) {
      const char *pin = p < types[t].input_count ? types[t].inputs[p] : out_pin;
      const ssa_json_value *bits = ssa_json_get(conns, pin);
      if (bits == NULL || bits->type != SSA_JSON_ARRAY || bits->count != 1)
        return ssa_fail(s->err, "%s: a %s cell of module %s has no single-bit pin %s", s->name,
                        type, module, pin);
      if (local_bit(s, &bits->items[0], &x.pin[p < types[t].input_count ? p : 4]) != 0)
        return -1;
    }
    if (grow((void **)&c->cells, &cell_cap, c->cell_count + 1, sizeof *c->cells) != 0)
      return ssa_fail(s->err, "%s: out of memory", s->name);
    c->cells[c->cell_count++] = x;
    if (push_def(s, (unsigned)index, type) != 0) return -1;
  }
  c->done = 1;
  return 0;
}

/* The net of a local bit of an instance whose map is `map`. */
static int net_of(sim *s, uint32_t *map, int32_t bit, uint32_t *net) {
  if (bit == CONST0 || bit == CONST1) {
    *net = bit == CONST1 ? 1 : 0;
    return 0;
  }
  if (map[bit] == UNSET && new_net(s, &map[bit]) != 0) return -1;
  *net = map[bit];
  return 0;
}

/* Instantiates compiled module `index` whose port bits, in port order, are the nets port_nets. */
static int flatten(sim *s, int index, const uint32_t *port_nets) {
  const compiled *c = &s->compiled[index];
  uint32_t *map = malloc((c->bits + 1) * sizeof *map);
  uint32_t *nets = NULL;
  if (map == NULL) return ssa_fail(s->err, "%s: out of memory", s->name);
  memset(map, 0xff, (c->bits + 1) * sizeof *map);  /* UNSET */
  int rc = 0;
  for (size_t k = 0; rc == 0 && k < c->port_bits; k++) {
    int32_t b = c->ports[k];
    if (b >= 0 && map[b] == UNSET) {
      map[b] = port_nets[k];
    } else {
      uint32_t inside = 0;
      rc = net_of(s, map, b, &inside);
      if (rc == 0) rc = unite(s, inside, port_nets[k]);
    }
  }
  for (size_t j = 0; rc == 0 && j < c->cell_count; j++) {
    const compiled_cell *x = &c->cells[j];
    cell y = {.type = x->type, .def = (uint32_t)(c->def_base + j)};
    for (unsigned p = 0; rc == 0 && p < types[x->type].input_count; p++)
      rc = net_of(s, map, x->pin[p], &y.in[p]);
    if (rc == 0) rc = net_of(s, map, x->pin[4], &y.out);
    if (rc == 0) rc = push_cell(s, &y);
  }
  for (size_t j = 0; rc == 0 && j < c->instance_count; j++) {
    const compiled_instance *in = &c->instances[j];
    const compiled *cc = &s->compiled[in->child];
    uint32_t *grown = realloc(nets, (cc->port_bits + 1) * sizeof *nets);
    if (grown == NULL) {
      rc = ssa_fail(s->err, "%s: out of memory", s->name);
      break;
    }
    nets = grown;
    for (size_t k = 0; rc == 0 && k < cc->port_bits; k++) {
      int32_t b = c->conn[in->first + k];
      rc = b == NO_BIT ? new_net(s, &nets[k]) : net_of(s, map, b, &nets[k]);
    }
    if (rc == 0) rc = flatten(s, in->child, nets);
  }
  free(nets);
  free(map);
  return rc;
}

/* The evaluation order of the combinational cells (Kahn's algorithm over the nets they drive);
 * order gets their indices. The ready cells are taken last in, first out: a cell's readers
 * follow it while its output is still in the cache, and a part instance's cone is done before
 * the next one's, where first in, first out would sweep each level across the whole design. */
static int levelize(sim *s, const long *driver, uint32_t *order, size_t *count) {
  size_t n = s->cell_count;
  uint32_t *pending = calloc(n + 1, sizeof *pending), *start = calloc(n + 2, sizeof *start);
  uint32_t *readers = NULL, *fill = NULL, *ready = NULL;
  int rc = -1;
  if (pending == NULL || start == NULL) {
    ssa_fail(s->err, "%s: out of memory", s->name);
    goto out;
  }
  for (size_t c = 0; c < n; c++) {
    const cell *x = &s->cells[c];
    if (x->type == T_DFF) continue;
    for (unsigned k = 0; k < types[x->type].input_count; k++) {
      long d = driver[x->in[k]];
      if (d >= 0 && s->cells[d].type != T_DFF) {
        pending[c]++;
        start[d + 1]++;
      }
    }
  }
  for (size_t c = 0; c < n; c++) start[c + 1] += start[c];
  readers = malloc((start[n] + 1) * sizeof *readers);
  fill = malloc((n + 1) * sizeof *fill);
  if (readers == NULL || fill == NULL) {
    ssa_fail(s->err, "%s: out of memory", s->name);
    goto out;
  }
  memcpy(fill, start, n * sizeof *fill);
  for (size_t c = 0; c < n; c++) {
    const cell *x = &s->cells[c];
    if (x->type == T_DFF) continue;
    for (unsigned k = 0; k < types[x->type].input_count; k++) {
      long d = driver[x->in[k]];
      if (d >= 0 && s->cells[d].type != T_DFF) readers[fill[d]++] = (uint32_t)c;
    }
  }
  free(fill);
  fill = NULL;
  ready = malloc((n + 1) * sizeof *ready);
  if (ready == NULL) {
    ssa_fail(s->err, "%s: out of memory", s->name);
    goto out;
  }
  size_t top = 0, done = 0, comb = 0;
  for (size_t c = n; c-- > 0;)
    if (s->cells[c].type != T_DFF) {
      comb++;
      if (pending[c] == 0) ready[top++] = (uint32_t)c;
    }
  while (top > 0) {
    uint32_t c = ready[--top];
    order[done++] = c;
    for (uint32_t r = start[c + 1]; r-- > start[c];)
      if (--pending[readers[r]] == 0) ready[top++] = readers[r];
  }
  *count = done;
  rc = done == comb ? 0
       : ssa_fail(s->err, "%s: %zu cells are in or behind a combinational loop", s->name,
                  comb - done);
out:
  free(pending);
  free(start);
  free(readers);
  free(fill);
  free(ready);
  return rc;
}

/* A combinational cell as the simulation runs it: in evaluation order, its output the net
 * numbered after those of the cells before it (schedule()), so it needs no field. */
typedef struct run_cell {
  uint32_t in[4];            /* unused inputs read the constant 0 */
  uint32_t def;
  uint8_t type;
} run_cell;

typedef struct run_flop {
  uint32_t d, q, def;
} run_flop;

static inline uint8_t eval(const run_cell *c, const uint8_t *v) {
  uint8_t a = v[c->in[0]], b = v[c->in[1]], x = v[c->in[2]], d = v[c->in[3]];
  switch (c->type) {
    case T_NOT: return !a;
    case T_BUF: return a;
    case T_AND: return a & b;
    case T_NAND: return !(a & b);
    case T_OR: return a | b;
    case T_NOR: return !(a | b);
    case T_XOR: return a ^ b;
    case T_XNOR: return !(a ^ b);
    case T_ANDNOT: return a & !b;
    case T_ORNOT: return a | !b;
    case T_MUX: return x ? b : a;
    case T_NMUX: return !(x ? b : a);
    case T_AOI3: return !((a & b) | x);
    case T_OAI3: return !((a | b) & x);
    case T_AOI4: return !((a & b) | (x & d));
    case T_OAI4: return !((a | b) & (x | d));
    default: return 0;
  }
}

typedef struct top_port {
  unsigned design_port;
  uint32_t *nets;
  unsigned width;
} top_port;

/* The top's ports: clk_i, then those of the design by name with their nets. */
static int bind_ports(sim *s, const ssa_design *d, const ssa_json_value *top, uint32_t *nets,
                      top_port *bound, uint32_t *clock) {
  const ssa_json_value *ports = ssa_json_get(top, "ports");
  size_t k = 0;
  *clock = UNSET;
  unsigned found = 0;
  for (size_t p = 0; ports != NULL && p < ports->count; p++) {
    const ssa_json_value *bits = ssa_json_get(&ports->items[p], "bits");
    unsigned width = bits != NULL ? (unsigned)bits->count : 0;
    if (strcmp(ports->keys[p], "clk_i") == 0 && width == 1) *clock = nets[k];
    for (unsigned q = 0; q < d->port_count; q++)
      if (strcmp(d->ports[q].name, ports->keys[p]) == 0) {
        if (d->ports[q].width != width)
          return ssa_fail(s->err, "%s: port %s has %u bits, the design says %u", s->name,
                          ports->keys[p], width, d->ports[q].width);
        bound[q] = (top_port){q, &nets[k], width};
        found++;
      }
    k += width;
  }
  if (found != d->port_count)
    return ssa_fail(s->err, "%s: the netlist of %s lacks some of its ports", s->name, d->top);
  if (*clock == UNSET) return ssa_fail(s->err, "%s: %s has no clk_i", s->name, d->top);
  return 0;
}

/* Checks that every net has one driver at most (a cell, an input port or a constant) and that
 * every flip-flop is clocked by clk_i; driver[net] gets the driving cell or -1. */
static int check_drivers(sim *s, const ssa_design *d, const top_port *bound, uint32_t clock,
                         long *driver) {
  for (size_t n = 0; n < s->nets; n++) driver[n] = -1;
  for (unsigned q = 0; q < d->port_count; q++)
    if (d->ports[q].is_input)
      for (unsigned b = 0; b < bound[q].width; b++) driver[bound[q].nets[b]] = -2;
  driver[clock] = -2;
  for (size_t c = 0; c < s->cell_count; c++) {
    cell *x = &s->cells[c];
    if (x->type == T_DFF && x->in[1] != clock)
      return ssa_fail(s->err, "%s: a flip-flop is clocked by another net than clk_i", s->name);
    if (x->out < 2 || driver[x->out] != -1)
      return ssa_fail(s->err, "%s: a %s output drives a net that %s", s->name,
                      types[x->type].name, x->out < 2 ? "is a constant" : "is driven already");
    driver[x->out] = (long)c;
  }
  return 0;
}

static unsigned segment_of(unsigned cycle, const unsigned *marks, unsigned mark_count) {
  unsigned k = 0;
  while (k < mark_count && cycle >= marks[k]) k++;
  return k;
}

/* The simulation's nets numbered afresh: the constants, the flip-flops' outputs, the
 * combinational cells' outputs in evaluation order, then the rest as they are met (inputs,
 * undriven nets). Fills the cells and flip-flops as they run, renumbers the top's nets, and
 * frees the flattened cells and the union-find, which nothing needs any more. */
static int schedule(sim *s, const uint32_t *order, size_t comb, uint32_t *top_nets,
                    size_t top_bits, run_cell **cells, run_flop **flops, size_t *flop_count,
                    size_t *net_count) {
  uint32_t *id = malloc((s->nets + 1) * sizeof *id);
  size_t nf = s->cell_count - comb;
  *cells = malloc((comb + 1) * sizeof **cells);
  *flops = malloc((nf + 1) * sizeof **flops);
  if (id == NULL || *cells == NULL || *flops == NULL) {
    free(id);
    return ssa_fail(s->err, "%s: out of memory", s->name);
  }
  memset(id, 0xff, (s->nets + 1) * sizeof *id);  /* UNSET */
  id[0] = 0;
  id[1] = 1;
  uint32_t next = 2;
  for (size_t c = 0; c < s->cell_count; c++)
    if (s->cells[c].type == T_DFF) id[s->cells[c].out] = next++;
  for (size_t k = 0; k < comb; k++) id[s->cells[order[k]].out] = next++;
#define RENUMBERED(n) (id[n] != UNSET ? id[n] : (id[n] = next++))
  for (size_t k = 0; k < comb; k++) {
    const cell *x = &s->cells[order[k]];
    run_cell *y = &(*cells)[k];
    y->type = x->type;
    y->def = x->def;
    for (unsigned p = 0; p < 4; p++)
      y->in[p] = p < types[x->type].input_count ? RENUMBERED(x->in[p]) : 0;
  }
  size_t f = 0;
  for (size_t c = 0; c < s->cell_count; c++) {
    const cell *x = &s->cells[c];
    if (x->type == T_DFF) (*flops)[f++] = (run_flop){RENUMBERED(x->in[0]), id[x->out], x->def};
  }
  for (size_t b = 0; b < top_bits; b++) top_nets[b] = RENUMBERED(top_nets[b]);
#undef RENUMBERED
  free(id);
  free(s->cells);
  free(s->parent);
  s->cells = NULL;
  s->parent = NULL;
  *flop_count = nf;
  *net_count = next;
  return 0;
}

/* Parses text into a new tree kept in the result's owners and adds its modules to s. */
static int add_netlist(sim *s, const char *name, const char *text, unsigned source,
                       ssa_gate_sim_result *out) {
  ssa_json_value *root = calloc(1, sizeof *root);
  void **owners = realloc(out->owners, (out->owner_count + 1) * sizeof *owners);
  if (root == NULL || owners == NULL) {
    free(root);
    if (owners != NULL) out->owners = owners;
    return ssa_fail(s->err, "%s: out of memory", name);
  }
  out->owners = owners;
  out->owners[out->owner_count++] = root;
  if (ssa_json_parse(name, text, root, s->err) != 0) return -1;
  const ssa_json_value *mods = ssa_json_get(root, "modules");
  if (mods == NULL || mods->type != SSA_JSON_OBJECT)
    return ssa_fail(s->err, "%s: no \"modules\" object", name);
  module_ref *grown = realloc(s->modules, (s->module_count + mods->count + 1) * sizeof *grown);
  if (grown == NULL) return ssa_fail(s->err, "%s: out of memory", name);
  s->modules = grown;
  for (size_t k = 0; k < mods->count; k++)
    s->modules[s->module_count++] = (module_ref){mods->keys[k], &mods->items[k], source};
  return 0;
}

int ssa_gate_sim_run(const char *name, const char *json, const ssa_vectors *v,
                     const unsigned *marks, unsigned mark_count, uint64_t *actual,
                     ssa_gate_sim_result *out, ssa_error *err) {
  return ssa_gate_sim_run_with(name, json, NULL, 0, v, marks, mark_count, actual, out, err);
}

int ssa_gate_sim_run_with(const char *name, const char *json, const char *const *libraries,
                          unsigned library_count, const ssa_vectors *v, const unsigned *marks,
                          unsigned mark_count, uint64_t *actual, ssa_gate_sim_result *out,
                          ssa_error *err) {
  memset(out, 0, sizeof *out);
  const ssa_design *d = v->design;
  if (mark_count + 1 > SSA_GATE_SIM_MAX_SEGMENTS)
    return ssa_fail(err, "gate simulator: more than %d marks", SSA_GATE_SIM_MAX_SEGMENTS - 1);
  sim s = {.name = name, .out = out, .err = err};
  uint32_t *top_nets = NULL, *order = NULL;
  uint8_t *value = NULL, *next = NULL;
  run_cell *run = NULL;
  run_flop *flops = NULL;
  long *driver = NULL;
  top_port bound[SSA_MAX_PORTS];
  int rc = -1;
  if (add_netlist(&s, name, json, 0, out) != 0) goto out;
  for (unsigned k = 0; k < library_count; k++)
    if (add_netlist(&s, name, libraries[k], k + 1, out) != 0) goto out;
  int top = find_module(&s, d->top);
  if (top < 0) {
    ssa_fail(err, "%s: no module %s", name, d->top);
    goto out;
  }
  out->module_count = s.module_count;
  out->modules = calloc(out->module_count, sizeof *out->modules);
  out->module_source = calloc(out->module_count + 1, sizeof *out->module_source);
  s.compiled = calloc(out->module_count + 1, sizeof *s.compiled);
  size_t top_bits = port_bit_count(s.modules[top].value);
  top_nets = calloc(top_bits + 1, sizeof *top_nets);
  if (out->modules == NULL || out->module_source == NULL || s.compiled == NULL ||
      top_nets == NULL) {
    ssa_fail(err, "%s: out of memory", name);
    goto out;
  }
  for (size_t m = 0; m < out->module_count; m++) {
    snprintf(out->modules[m], sizeof out->modules[m], "%s", s.modules[m].name);
    out->module_source[m] = s.modules[m].source;
  }
  uint32_t constant;
  if (new_net(&s, &constant) != 0 || new_net(&s, &constant) != 0) goto out;
  for (size_t b = 0; b < top_bits; b++)
    if (new_net(&s, &top_nets[b]) != 0) goto out;
  if (compile(&s, top, 0) != 0 || flatten(&s, top, top_nets) != 0) goto out;
  for (size_t b = 0; b < top_bits; b++) top_nets[b] = find(&s, top_nets[b]);
  for (size_t c = 0; c < s.cell_count; c++) {
    cell *x = &s.cells[c];
    for (unsigned k = 0; k < 4; k++)
      x->in[k] = k < types[x->type].input_count ? find(&s, x->in[k]) : 0;
    x->out = find(&s, x->out);
  }
  out->instances = s.cell_count;
  out->segments = mark_count + 1;
  uint32_t clock;
  driver = malloc((s.nets + 1) * sizeof *driver);
  order = malloc((s.cell_count + 1) * sizeof *order);
  if (driver == NULL || order == NULL) {
    ssa_fail(err, "%s: out of memory", name);
    goto out;
  }
  size_t comb = 0, flop_count = 0, net_count = 0;
  if (bind_ports(&s, d, s.modules[top].value, top_nets, bound, &clock) != 0 ||
      check_drivers(&s, d, bound, clock, driver) != 0 || levelize(&s, driver, order, &comb) != 0)
    goto out;
  free(driver);
  driver = NULL;
  if (schedule(&s, order, comb, top_nets, top_bits, &run, &flops, &flop_count, &net_count) != 0)
    goto out;
  free(order);
  order = NULL;
  value = calloc(net_count + 1, 1);
  next = calloc(flop_count + 1, 1);
  if (value == NULL || next == NULL) {
    ssa_fail(err, "%s: out of memory", name);
    goto out;
  }
  ssa_gate_sim_cell *defs = out->cells;
  uint8_t *settled = value + 2 + flop_count;  /* cell k's output */
  value[1] = 1;
  /* Before the first clock everything is 0 and the logic settles once, as a simulator's first
   * evaluation does; its changes count with the first clock's. A cell is evaluated once per
   * clock, after its inputs: the value it overwrites is the one it had at the last clock. */
  unsigned segment = segment_of(0, marks, mark_count);
  for (size_t k = 0; k < comb; k++) {
    uint8_t now = eval(&run[k], value);
    if (now != settled[k]) {
      settled[k] = now;
      defs[run[k].def].toggles[segment]++;
    }
  }
  for (unsigned c = 0; c < v->cycles; c++) {
    segment = segment_of(c, marks, mark_count);
    for (size_t k = 0; k < flop_count; k++) next[k] = value[flops[k].d];
    for (size_t k = 0; k < flop_count; k++)
      if (value[flops[k].q] != next[k]) {
        value[flops[k].q] = next[k];
        defs[flops[k].def].toggles[segment]++;
      }
    for (unsigned q = 0; q < d->port_count; q++) {
      if (!d->ports[q].is_input) continue;
      const uint64_t *w = ssa_vectors_in(v, c, q);
      for (unsigned b = 0; b < bound[q].width; b++)
        value[bound[q].nets[b]] = (uint8_t)(w[b / 64] >> (b % 64) & 1u);
    }
    for (size_t k = 0; k < comb; k++) {
      uint8_t now = eval(&run[k], value);
      if (now != settled[k]) {
        settled[k] = now;
        defs[run[k].def].toggles[segment]++;
      }
    }
    for (unsigned q = 0; q < d->port_count; q++) {
      if (d->ports[q].is_input) continue;
      uint64_t *w = ssa_vectors_out(v, actual, c, q);
      memset(w, 0, (bound[q].width + 63) / 64 * sizeof *w);
      for (unsigned b = 0; b < bound[q].width; b++)
        w[b / 64] |= (uint64_t)value[bound[q].nets[b]] << (b % 64);
    }
  }
  rc = 0;
out:
  free(s.modules);
  free(s.parent);
  free(s.cells);
  for (size_t m = 0; s.compiled != NULL && m < s.module_count; m++) {
    free(s.compiled[m].ports);
    free(s.compiled[m].cells);
    free(s.compiled[m].instances);
    free(s.compiled[m].conn);
  }
  free(s.compiled);
  free(top_nets);
  free(order);
  free(run);
  free(flops);
  free(value);
  free(next);
  free(driver);
  if (rc != 0) ssa_gate_sim_free(out);
  return rc;
}

void ssa_gate_sim_free(ssa_gate_sim_result *r) {
  for (size_t k = 0; k < r->owner_count; k++) {
    ssa_json_value_free(r->owners[k]);
    free(r->owners[k]);
  }
  free(r->owners);
  free(r->modules);
  free(r->module_source);
  free(r->cells);
  memset(r, 0, sizeof *r);
}
