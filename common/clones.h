/* clones.h -- GCC's function multiversioning: target_clones compiles a function once per
 * listed ISA and picks the best at load time. It needs GCC's ifunc support (glibc, x86-64);
 * Clang 14 and other targets get the one generic version, with identical results. */
#ifndef SSA_CLONES_H
#define SSA_CLONES_H

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define SSA_HAVE_CLONES 1
#define SSA_CLONES(...) __attribute__((target_clones(__VA_ARGS__)))
#else
#define SSA_CLONES(...)
#endif

#endif
