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
  uint8_t value;     /* the output at the last counted clock */
  uint32_t in[4];
  uint32_t out;
  uint32_t def;      /* index into the result's cells */
} cell;

typedef struct sim {
  const char *name;
  const ssa_json_value *modules;
  uint32_t *parent;          /* union-find over nets */
  size_t nets, net_cap;
  cell *cells;
  size_t cell_count, cell_cap;
  long *def_base;            /* per module: its first cell in the result, -1 before */
  ssa_gate_sim_result *out;
  size_t def_cap;
  ssa_error *err;
} sim;

static int new_net(sim *s, uint32_t *id) {
  if (s->nets == s->net_cap) {
    size_t cap = s->net_cap ? 2 * s->net_cap : 4096;
    uint32_t *grown = realloc(s->parent, cap * sizeof *grown);
    if (grown == NULL) return ssa_fail(s->err, "%s: out of memory for the nets", s->name);
    s->parent = grown;
    s->net_cap = cap;
  }
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

static int find_module(const sim *s, const char *name) {
  for (size_t k = 0; k < s->modules->count; k++)
    if (strcmp(s->modules->keys[k], name) == 0) return (int)k;
  return -1;
}

static int type_of(const char *name) {
  for (int t = 0; t < T_COUNT; t++)
    if (strcmp(types[t].name, name) == 0) return t;
  return -1;
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

/* The net of one bit of a module: a constant, or the module's local bit through map. */
static int bit_net(sim *s, uint32_t *map, const ssa_json_value *bit, uint32_t *net) {
  if (bit->type == SSA_JSON_STRING) {
    *net = strcmp(bit->string, "1") == 0 ? 1 : 0;  /* "x" and "z" read as 0 */
    return 0;
  }
  if (bit->type != SSA_JSON_NUMBER || bit->number < 0)
    return ssa_fail(s->err, "%s: a connection bit is neither a number nor a constant", s->name);
  size_t b = (size_t)bit->number;
  if (map[b] == UNSET && new_net(s, &map[b]) != 0) return -1;
  *net = map[b];
  return 0;
}

static int push_cell(sim *s, const cell *c) {
  if (s->cell_count == s->cell_cap) {
    size_t cap = s->cell_cap ? 2 * s->cell_cap : 4096;
    cell *grown = realloc(s->cells, cap * sizeof *grown);
    if (grown == NULL) return ssa_fail(s->err, "%s: out of memory for the cells", s->name);
    s->cells = grown;
    s->cell_cap = cap;
  }
  s->cells[s->cell_count++] = *c;
  return 0;
}

static int push_def(sim *s, unsigned module, const char *type) {
  ssa_gate_sim_result *r = s->out;
  if (r->cell_count == s->def_cap) {
    size_t cap = s->def_cap ? 2 * s->def_cap : 1024;
    ssa_gate_sim_cell *grown = realloc(r->cells, cap * sizeof *grown);
    if (grown == NULL) return ssa_fail(s->err, "%s: out of memory for the cells", s->name);
    r->cells = grown;
    s->def_cap = cap;
  }
  ssa_gate_sim_cell *d = &r->cells[r->cell_count++];
  memset(d, 0, sizeof *d);
  d->module = module;
  d->type = type;
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

static int flatten(sim *s, int index, const uint32_t *port_nets, int depth);

/* A cell of module `index` that is an instance of module `child`: its ports' nets, in the
 * child's port order, from the connections. */
static int instance(sim *s, uint32_t *map, const ssa_json_value *conns, int child, int depth) {
  const ssa_json_value *mod = &s->modules->items[child];
  const ssa_json_value *ports = ssa_json_get(mod, "ports");
  size_t n = port_bit_count(mod), k = 0;
  uint32_t *nets = malloc((n + 1) * sizeof *nets);
  if (nets == NULL) return ssa_fail(s->err, "%s: out of memory", s->name);
  int rc = 0;
  for (size_t p = 0; rc == 0 && ports != NULL && p < ports->count; p++) {
    const ssa_json_value *bits = ssa_json_get(&ports->items[p], "bits");
    const ssa_json_value *outside = ssa_json_get(conns, ports->keys[p]);
    for (size_t b = 0; rc == 0 && bits != NULL && b < bits->count; b++, k++)
      rc = outside != NULL && b < outside->count ? bit_net(s, map, &outside->items[b], &nets[k])
                                                 : new_net(s, &nets[k]);
  }
  if (rc == 0) rc = flatten(s, child, nets, depth + 1);
  free(nets);
  return rc;
}

static int primitive(sim *s, uint32_t *map, const char *module, const char *type_name,
                     const ssa_json_value *conns, uint32_t def) {
  int t = type_of(type_name);
  if (t < 0)
    return ssa_fail(s->err, "%s: cell type %s (module %s) is not one the gate simulator knows; "
                    "the generic flow's netlists have only Yosys's simple gates", s->name,
                    type_name, module);
  cell c = {.type = (uint8_t)t, .def = def};
  const char *out_pin = t == T_DFF ? "Q" : "Y";
  for (unsigned k = 0; k <= types[t].input_count; k++) {
    const char *pin = k < types[t].input_count ? types[t].inputs[k] : out_pin;
    const ssa_json_value *bits = ssa_json_get(conns, pin);
    if (bits == NULL || bits->type != SSA_JSON_ARRAY || bits->count != 1)
      return ssa_fail(s->err, "%s: a %s cell of module %s has no single-bit pin %s", s->name,
                      type_name, module, pin);
    if (bit_net(s, map, &bits->items[0], k < types[t].input_count ? &c.in[k] : &c.out) != 0)
      return -1;
  }
  return push_cell(s, &c);
}

/* Instantiates module `index` whose port bits, in port order, are the nets port_nets. */
static int flatten(sim *s, int index, const uint32_t *port_nets, int depth) {
  const char *module = s->modules->keys[index];
  const ssa_json_value *mod = &s->modules->items[index];
  if (depth > 32) return ssa_fail(s->err, "%s: module %s nests too deeply", s->name, module);
  size_t size = max_bit(mod) + 1;
  uint32_t *map = malloc(size * sizeof *map);
  if (map == NULL) return ssa_fail(s->err, "%s: out of memory", s->name);
  for (size_t b = 0; b < size; b++) map[b] = UNSET;
  int rc = 0;
  const ssa_json_value *ports = ssa_json_get(mod, "ports");
  size_t k = 0;
  for (size_t p = 0; rc == 0 && ports != NULL && p < ports->count; p++) {
    const ssa_json_value *bits = ssa_json_get(&ports->items[p], "bits");
    for (size_t b = 0; rc == 0 && bits != NULL && b < bits->count; b++, k++) {
      const ssa_json_value *bit = &bits->items[b];
      if (bit->type == SSA_JSON_NUMBER && map[(size_t)bit->number] == UNSET)
        map[(size_t)bit->number] = port_nets[k];
      else {
        uint32_t inside = 0;
        rc = bit_net(s, map, bit, &inside);
        if (rc == 0) rc = unite(s, inside, port_nets[k]);
      }
    }
  }
  const ssa_json_value *cells = ssa_json_get(mod, "cells");
  /* the module's own cells are numbered together, before its submodules' */
  if (s->def_base[index] < 0) {
    s->def_base[index] = (long)s->out->cell_count;
    for (size_t c = 0; rc == 0 && cells != NULL && c < cells->count; c++) {
      const char *type = ssa_json_get_string(&cells->items[c], "type", "");
      if (strncmp(type, "$_", 2) == 0 || find_module(s, type) < 0)
        rc = push_def(s, (unsigned)index, type);
    }
  }
  uint32_t def = (uint32_t)s->def_base[index];
  for (size_t c = 0; rc == 0 && cells != NULL && c < cells->count; c++) {
    const char *type = ssa_json_get_string(&cells->items[c], "type", "");
    const ssa_json_value *conns = ssa_json_get(&cells->items[c], "connections");
    int child = strncmp(type, "$_", 2) == 0 ? -1 : find_module(s, type);
    if (child >= 0) rc = instance(s, map, conns, child, depth);
    else rc = primitive(s, map, module, type, conns, def++);
  }
  free(map);
  return rc;
}

/* The evaluation order of the combinational cells (Kahn's algorithm over the nets they drive);
 * order gets their indices. */
static int levelize(sim *s, const long *driver, uint32_t *order, size_t *count) {
  size_t n = s->cell_count;
  uint32_t *pending = calloc(n + 1, sizeof *pending), *start = calloc(n + 2, sizeof *start);
  uint32_t *readers = NULL, *fill = NULL;
  int rc = -1;
  if (pending == NULL || start == NULL) goto out;
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
  if (readers == NULL || fill == NULL) goto out;
  memcpy(fill, start, n * sizeof *fill);
  for (size_t c = 0; c < n; c++) {
    const cell *x = &s->cells[c];
    if (x->type == T_DFF) continue;
    for (unsigned k = 0; k < types[x->type].input_count; k++) {
      long d = driver[x->in[k]];
      if (d >= 0 && s->cells[d].type != T_DFF) readers[fill[d]++] = (uint32_t)c;
    }
  }
  size_t head = 0, tail = 0, comb = 0;
  for (size_t c = 0; c < n; c++)
    if (s->cells[c].type != T_DFF) {
      comb++;
      if (pending[c] == 0) order[tail++] = (uint32_t)c;
    }
  while (head < tail) {
    uint32_t c = order[head++];
    for (uint32_t r = start[c]; r < start[c + 1]; r++)
      if (--pending[readers[r]] == 0) order[tail++] = readers[r];
  }
  *count = tail;
  rc = tail == comb ? 0
       : ssa_fail(s->err, "%s: %zu cells form a combinational loop", s->name, comb - tail);
out:
  if (rc != 0 && pending == NULL) ssa_fail(s->err, "%s: out of memory", s->name);
  free(pending);
  free(start);
  free(readers);
  free(fill);
  return rc;
}

static inline uint8_t eval(const cell *c, const uint8_t *v) {
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

static void count_toggles(sim *s, const uint8_t *v, unsigned segment) {
  for (size_t c = 0; c < s->cell_count; c++) {
    cell *x = &s->cells[c];
    uint8_t now = v[x->out];
    if (now != x->value) {
      x->value = now;
      s->out->cells[x->def].toggles[segment]++;
    }
  }
}

int ssa_gate_sim_run(const char *name, const char *json, const ssa_vectors *v,
                     const unsigned *marks, unsigned mark_count, uint64_t *actual,
                     ssa_gate_sim_result *out, ssa_error *err) {
  memset(out, 0, sizeof *out);
  const ssa_design *d = v->design;
  if (mark_count + 1 > SSA_GATE_SIM_MAX_SEGMENTS)
    return ssa_fail(err, "gate simulator: more than %d marks", SSA_GATE_SIM_MAX_SEGMENTS - 1);
  ssa_json_value *root = calloc(1, sizeof *root);
  if (root == NULL) return ssa_fail(err, "%s: out of memory", name);
  out->owner = root;
  sim s = {.name = name, .out = out, .err = err};
  uint32_t *top_nets = NULL, *order = NULL, *dffs = NULL;
  uint8_t *value = NULL, *next = NULL;
  long *driver = NULL;
  top_port bound[SSA_MAX_PORTS];
  int rc = -1;
  if (ssa_json_parse(name, json, root, err) != 0) goto out;
  s.modules = ssa_json_get(root, "modules");
  if (s.modules == NULL || s.modules->type != SSA_JSON_OBJECT) {
    ssa_fail(err, "%s: no \"modules\" object", name);
    goto out;
  }
  int top = find_module(&s, d->top);
  if (top < 0) {
    ssa_fail(err, "%s: no module %s", name, d->top);
    goto out;
  }
  out->module_count = s.modules->count;
  out->modules = calloc(out->module_count, sizeof *out->modules);
  s.def_base = malloc(out->module_count * sizeof *s.def_base);
  size_t top_bits = port_bit_count(&s.modules->items[top]);
  top_nets = calloc(top_bits + 1, sizeof *top_nets);
  if (out->modules == NULL || s.def_base == NULL || top_nets == NULL) {
    ssa_fail(err, "%s: out of memory", name);
    goto out;
  }
  for (size_t m = 0; m < out->module_count; m++) {
    snprintf(out->modules[m], sizeof out->modules[m], "%s", s.modules->keys[m]);
    s.def_base[m] = -1;
  }
  uint32_t constant;
  if (new_net(&s, &constant) != 0 || new_net(&s, &constant) != 0) goto out;
  for (size_t b = 0; b < top_bits; b++)
    if (new_net(&s, &top_nets[b]) != 0) goto out;
  if (flatten(&s, top, top_nets, 0) != 0) goto out;
  for (size_t b = 0; b < top_bits; b++) top_nets[b] = find(&s, top_nets[b]);
  for (size_t c = 0; c < s.cell_count; c++) {
    cell *x = &s.cells[c];
    for (unsigned k = 0; k < 4; k++) x->in[k] = k < types[x->type].input_count ? find(&s, x->in[k]) : 0;
    x->out = find(&s, x->out);
  }
  out->instances = s.cell_count;
  out->segments = mark_count + 1;
  uint32_t clock;
  driver = malloc((s.nets + 1) * sizeof *driver);
  order = malloc((s.cell_count + 1) * sizeof *order);
  dffs = malloc((s.cell_count + 1) * sizeof *dffs);
  value = calloc(s.nets + 1, 1);
  next = calloc(s.cell_count + 1, 1);
  if (driver == NULL || order == NULL || dffs == NULL || value == NULL || next == NULL) {
    ssa_fail(err, "%s: out of memory", name);
    goto out;
  }
  size_t comb = 0, flops = 0;
  if (bind_ports(&s, d, &s.modules->items[top], top_nets, bound, &clock) != 0 ||
      check_drivers(&s, d, bound, clock, driver) != 0 || levelize(&s, driver, order, &comb) != 0)
    goto out;
  for (size_t c = 0; c < s.cell_count; c++)
    if (s.cells[c].type == T_DFF) dffs[flops++] = (uint32_t)c;
  value[1] = 1;
  /* Before the first clock everything is 0 and the logic settles once, as a simulator's first
   * evaluation does; its changes count with the first clock's. */
  for (size_t k = 0; k < comb; k++) value[s.cells[order[k]].out] = eval(&s.cells[order[k]], value);
  count_toggles(&s, value, segment_of(0, marks, mark_count));
  for (unsigned c = 0; c < v->cycles; c++) {
    for (size_t k = 0; k < flops; k++) next[k] = value[s.cells[dffs[k]].in[0]];
    for (size_t k = 0; k < flops; k++) value[s.cells[dffs[k]].out] = next[k];
    for (unsigned q = 0; q < d->port_count; q++) {
      if (!d->ports[q].is_input) continue;
      const uint64_t *w = ssa_vectors_in(v, c, q);
      for (unsigned b = 0; b < bound[q].width; b++)
        value[bound[q].nets[b]] = (uint8_t)(w[b / 64] >> (b % 64) & 1u);
    }
    for (size_t k = 0; k < comb; k++)
      value[s.cells[order[k]].out] = eval(&s.cells[order[k]], value);
    count_toggles(&s, value, segment_of(c, marks, mark_count));
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
  free(s.parent);
  free(s.cells);
  free(s.def_base);
  free(top_nets);
  free(order);
  free(dffs);
  free(value);
  free(next);
  free(driver);
  if (rc != 0) ssa_gate_sim_free(out);
  return rc;
}

void ssa_gate_sim_free(ssa_gate_sim_result *r) {
  if (r->owner != NULL) ssa_json_value_free(r->owner);
  free(r->owner);
  free(r->modules);
  free(r->cells);
  memset(r, 0, sizeof *r);
}
