/* verilator_shim.cpp -- the C-linked wrapper around one verilated model, compiled per design.
 * sim/verilator.c builds it with -DSSA_VTOP=V<top> -DSSA_VTOP_HEADER="V<top>.h" and a generated
 * ports.inc (SSA_PORT_IN/SSA_PORT_OUT lines in design port order); it exports only ssa_vshim_*. */
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif
#if VM_COVERAGE
#include "verilated_cov.h"
#endif
#include SSA_VTOP_HEADER

#define SSA_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

// Verilator stores a port in the smallest of CData/SData/IData/QData that holds it, and in
// VlWide<N> (N 32-bit EData words) beyond 64 bits. Capacity lets a static_assert catch a
// ports.inc that disagrees with the Verilog, at build time rather than as wrong bits.
template <typename T>
constexpr unsigned capacity(const T *) {
  return 8u * sizeof(T);
}
template <std::size_t N>
constexpr unsigned capacity(const VlWide<N> *) {
  return 32u * N;
}
constexpr unsigned expected_capacity(unsigned width) {
  if (width <= 8) return 8;
  if (width <= 16) return 16;
  if (width <= 32) return 32;
  if (width <= 64) return 64;
  return (width + 31) / 32 * 32;
}

// Inputs are masked: Verilator assumes the unused high bits of a port are zero.
template <typename T>
void put(T &port, const uint64_t *w, unsigned width) {
  uint64_t mask = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  port = static_cast<T>(w[0] & mask);
}
template <std::size_t N>
void put(VlWide<N> &port, const uint64_t *w, unsigned width) {
  for (std::size_t i = 0; i < N; i++) port.at(i) = static_cast<EData>(w[i / 2] >> (32 * (i % 2)));
  if (width % 32 != 0) port.at(N - 1) &= (EData{1} << (width % 32)) - 1;
}

template <typename T>
void get(const T &port, uint64_t *w, unsigned) {
  w[0] = static_cast<uint64_t>(port);
}
template <std::size_t N>
void get(const VlWide<N> &port, uint64_t *w, unsigned) {
  for (std::size_t k = 0; 2 * k < N; k++) {
    uint64_t hi = 2 * k + 1 < N ? port.at(2 * k + 1) : 0;
    w[k] = static_cast<uint64_t>(port.at(2 * k)) | (hi << 32);
  }
}

struct Port {
  void (*poke)(SSA_VTOP *, const uint64_t *);
  void (*peek)(SSA_VTOP *, uint64_t *);
};

#define SSA_PORT_CHECK(name, width)                                                          \
  static_assert(capacity(static_cast<std::remove_reference_t<decltype(                        \
                             std::declval<SSA_VTOP &>().name)> *>(nullptr)) ==                \
                    expected_capacity(width),                                                 \
                "ports.inc: the width of " #name " differs from the verilated model");
#define SSA_PORT_IN(name, width)                                                             \
  {[](SSA_VTOP *m, const uint64_t *w) { put(m->name, w, width); },                            \
   [](SSA_VTOP *m, uint64_t *w) { get(m->name, w, width); }},
#define SSA_PORT_OUT(name, width) \
  {nullptr, [](SSA_VTOP *m, uint64_t *w) { get(m->name, w, width); }},

// The last entry is a sentinel, so a design without ports still compiles.
const Port ports[] = {
#include "ports.inc"
    {nullptr, nullptr}};
constexpr unsigned port_count = sizeof ports / sizeof ports[0] - 1;

#undef SSA_PORT_IN
#undef SSA_PORT_OUT
#define SSA_PORT_IN(name, width) SSA_PORT_CHECK(name, width)
#define SSA_PORT_OUT(name, width) SSA_PORT_CHECK(name, width)
#include "ports.inc"

// Half a clock period in the context's time unit; verilator.c builds with a 1 ns timescale so
// that the rising edge of cycle c lands at 10c + 5 ns, as in the Icarus testbench.
constexpr uint64_t half_period = 5;

struct Instance {
  // Declaration order is destruction order in reverse: the trace, then the model, then the
  // context it runs in.
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<SSA_VTOP> top;
#if VM_TRACE
  std::unique_ptr<VerilatedFstC> fst;
#endif
  // A hierarchical block (sim/verilator.c) makes its instances in the model's first eval and
  // deletes them in final(), which would follow null handles before that eval.
  bool evaluated = false;
};

void dump(Instance *s) {
#if VM_TRACE
  if (s->fst) s->fst->dump(s->ctx->time());
#else
  (void)s;
#endif
}

}  // namespace

SSA_EXPORT unsigned ssa_vshim_port_count(void) { return port_count; }

SSA_EXPORT int ssa_vshim_traced(void) { return VM_TRACE ? 1 : 0; }

SSA_EXPORT int ssa_vshim_covered(void) { return VM_COVERAGE ? 1 : 0; }

// Writes the toggle counters (models built with --coverage-toggle); -1 otherwise or on failure.
SSA_EXPORT int ssa_vshim_coverage_write(void *p, const char *path) {
#if VM_COVERAGE
  try {
    static_cast<Instance *>(p)->ctx->coveragep()->write(path);
    return 0;
  } catch (...) {
    return -1;
  }
#else
  (void)p;
  (void)path;
  return -1;
#endif
}

// Sets every toggle counter back to zero (models built with --coverage-toggle), so that the
// next write counts only what follows: how a caller leaves reset and drain out of a window.
SSA_EXPORT int ssa_vshim_coverage_zero(void *p) {
#if VM_COVERAGE
  static_cast<Instance *>(p)->ctx->coveragep()->zero();
  return 0;
#else
  (void)p;
  return -1;
#endif
}

SSA_EXPORT void *ssa_vshim_new(void) {
  try {
    auto s = std::make_unique<Instance>();
    s->ctx = std::make_unique<VerilatedContext>();
#if VM_TRACE
    s->ctx->traceEverOn(true);  // must precede the model's construction
#endif
    s->top = std::make_unique<SSA_VTOP>(s->ctx.get(), "TOP");
    return s.release();
  } catch (...) {
    return nullptr;
  }
}

// 0 on success, -1 when built without tracing or already tracing. The caller checks first that
// the path can be written: VerilatedFstC aborts the process on a file it cannot create.
SSA_EXPORT int ssa_vshim_trace(void *p, const char *path) {
#if VM_TRACE
  auto *s = static_cast<Instance *>(p);
  if (s->fst) return -1;
  try {
    s->fst = std::make_unique<VerilatedFstC>();
    s->top->trace(s->fst.get(), 99);
    s->fst->open(path);
  } catch (...) {
    s->fst.reset();
    return -1;
  }
  return s->fst->isOpen() ? 0 : -1;
#else
  (void)p;
  (void)path;
  return -1;
#endif
}

SSA_EXPORT void ssa_vshim_poke(void *p, unsigned port, const uint64_t *words) {
  if (port < port_count && ports[port].poke != nullptr)
    ports[port].poke(static_cast<Instance *>(p)->top.get(), words);
}

SSA_EXPORT void ssa_vshim_peek(void *p, unsigned port, uint64_t *words) {
  if (port < port_count) ports[port].peek(static_cast<Instance *>(p)->top.get(), words);
}

SSA_EXPORT void ssa_vshim_cycle(void *p) {
  auto *s = static_cast<Instance *>(p);
  s->top->clk_i = 0;
  s->top->eval();
  s->evaluated = true;
  dump(s);
  s->ctx->timeInc(half_period);
  s->top->clk_i = 1;
  s->top->eval();
  dump(s);
  s->ctx->timeInc(half_period);
}

SSA_EXPORT void ssa_vshim_free(void *p) {
  auto *s = static_cast<Instance *>(p);
  if (s == nullptr) return;
  if (s->evaluated) s->top->final();
#if VM_TRACE
  if (s->fst) s->fst->close();
  s->fst.reset();
#endif
  s->top.reset();
  s->ctx.reset();
  delete s;
}
